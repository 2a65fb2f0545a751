"""The domain: notices, their translations, sections, chunks and search hits."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from kb.language import SAMPLE_CHARS, detect_language, is_chinese

FRONT = "front"
#: How every page names the front matter (its id, "front", is for URLs and storage).
FRONT_MATTER = "Front matter"
#: How every page names a section whose translation states no title.
UNTITLED = "(untitled in this translation)"
#: How a notice-wide list names a section no translation gives a title.
UNTITLED_ANYWHERE = "(untitled)"
#: The forms a section id takes in storage and in URLs: "front", "6", "6.1", "6.1.2" (a third level), each
#: optionally in part k of the notice ("a1/front", "a1/6.1"): an attachment, a document a covering notice issues,
#: or a report it forwards. Markdown sources number subsections without limit, so six digits each (the outline's
#: MAX_GAP keeps real ids far below that); a notice has at most 999 parts.
_CANONICAL = re.compile(
    r"(?:a(?P<part>[1-9]\d{0,2})/)?"
    r"(?:front|(?P<top>[1-9]\d{0,5})(?:\.(?P<sub>[1-9]\d{0,5})(?:\.(?P<third>[1-9]\d{0,5}))?)?)\Z"
)
#: How people cite a section: "6.1", "6 (1)", "6(1)", "section 6 (1)", "VI (1)", "art. 7", "6.1.2", "6 (1) 2",
#: each optionally in a part: "attachment 1, 2 (5)", "annex 2 section 3", "a1/2.5".
_CITATION = re.compile(
    r"^\s*(?:(?:a|attachment|annex|appendix|part)\s*(?P<part>\d{1,3})\s*(?:/|,|:)?\s*)?"
    r"(?:(?:section|sec\.?|§|article|art\.?)\s*)?"
    r"(?P<top>\d{1,2}|[ivxlc]{1,7})"
    r"(?:\s*(?:\.\s*|\(\s*|\s+)(?P<sub>\d{1,2}|[ivxlc]{1,7})\s*\)?"
    r"(?:\s*(?:\.\s*|\s+)?(?P<third>\d{1,2})\.?)?)?\s*$",
    re.IGNORECASE,
)
#: "attachment 1" alone, or "attachment 1 front matter": a part's own opening (its title and preamble).
#: An anchor as :attr:`SectionId.anchor` writes it: "front", "s6-1", "a1-front", "a1-s2-5-1".
_ANCHOR = re.compile(r"(?:a(?P<part>[1-9]\d{0,2})-)?(?P<own>front|s[1-9]\d{0,5}(?:-[1-9]\d{0,5}){0,2})\Z")
_PART_FRONT = re.compile(
    r"^\s*(?:a|attachment|annex|appendix|part)\s*(?P<part>\d{1,3})\s*(?:/|,|:)?\s*(?:front(?: matter)?)?\s*$",
    re.IGNORECASE,
)


#: Section ids already checked, by text: a catalog of 50,000 sections holds a few hundred distinct ids, and
#: checking each one again on loading took a third of a second. Bounded, since ids come from outside too.
MAX_KNOWN_IDS = 10_000
#: Parts a notice may hold (attachments, issued documents, forwarded reports): three digits in an id.
MAX_PARTS = 999
_KNOWN: dict[str, SectionId] = {}


class SectionId(str):
    """The id of a section within a notice: ``front`` (the front matter), ``6``, ``6.1`` or ``6.1.2``.

    A notice may hold parts besides its own text: the attachments (附件) it
    carries, the documents a covering notice issues (印发) and the reports it
    forwards (转发). Each part has its own outline, numbered from 1 again, so
    its sections are named in the part: ``a1/front`` (the part's title and
    preamble), ``a1/2``, ``a1/2.5``. The notice's own text is part 0 and has no
    prefix, so every id a one-part notice ever had keeps its meaning.

    A string, so that it is stored, hashed, compared, written to JSON and put
    in URLs as its plain text, with what the domain asks of an id on it:
    its parts, its parent, its HTML anchor, how a citation shows it, and
    document order (``sorted`` puts 2 before 10, front matter first and
    every part after the notice's own text). Constructing one checks the
    text; :meth:`parse` also reads the forms people write ("6 (1)", "VI (1)",
    "attachment 1, 2 (5)").
    """

    __slots__ = ()

    def __new__(cls, text: str) -> SectionId:
        if type(text) is cls:
            return text
        known = _KNOWN.get(text) if type(text) is str else None
        if known is not None:
            return known
        if not isinstance(text, str) or not _CANONICAL.match(text):
            raise ValueError(f"not a section id: {str(text)[:40]!r} (they look like 6, 6.1, 6.1.2, front or a1/6.1)")
        made = super().__new__(cls, text)
        if len(_KNOWN) < MAX_KNOWN_IDS:
            _KNOWN[str(made)] = made
        return made

    @classmethod
    def parse(cls, text: str) -> SectionId | None:
        """The section a person means by ``text`` ("6.1", "6 (1)", "VI (1)", "front matter", "a1/2.5"), or None."""
        text = (text or "").strip()
        if text.lower() in (FRONT, "front matter"):
            return cls(FRONT)
        if _CANONICAL.match(text):
            return cls(text)
        m = _PART_FRONT.match(text)
        if m and 0 < int(m["part"]) <= MAX_PARTS:
            return cls(f"a{int(m['part'])}/{FRONT}")
        return cls.cited(text)

    @classmethod
    def cited(cls, text: str) -> SectionId | None:
        """The section when the whole of ``text`` is a citation ("6.1", "6 (1)", "section 6(1)", "VI (1)", "7").

        A bare one-letter Roman numeral ("I", "v") is more likely a word than a citation, so it is not one.
        """
        from kb import numerals

        m = _CITATION.match(text)
        if not m:
            return None
        part = int(m["part"]) if m["part"] else 0
        if m["part"] and not 0 < part <= MAX_PARTS:  # parts are numbered from 1: "a0/1" is no section 1
            return None
        top = int(m["top"]) if m["top"].isdigit() else numerals.value(m["top"].upper())
        if not top:
            return None
        if m["sub"] is None:
            if not (m["top"].isdigit() or len(m["top"]) > 1):
                return None
            return cls.of(top, part=part)
        sub = int(m["sub"]) if m["sub"].isdigit() else numerals.value(m["sub"].upper())
        third = int(m["third"]) if m["third"] else None
        return cls.of(top, sub, third, part=part) if sub and third != 0 else None

    @classmethod
    def of(cls, top: int, sub: int | None = None, third: int | None = None, *, part: int = 0) -> SectionId:
        """The id of section ``top`` (``top.sub``, ``top.sub.third``) in part ``part`` (0: the notice's own text)."""
        local = ".".join(str(n) for n in (top, sub, third) if n)
        return cls(f"a{part}/{local}" if part else local)

    @classmethod
    def from_anchor(cls, anchor: str) -> SectionId | None:
        """The section whose :attr:`anchor` is ``anchor`` ("s5-1" -> 5.1, "a1-s2-5" -> a1/2.5), or None.

        The inverse of :attr:`anchor`, kept beside it so that pages turn a
        heading's HTML id back into its section without knowing the scheme.
        """
        m = _ANCHOR.match(anchor or "")
        if not m:
            return None
        local = FRONT if m["own"] == FRONT else m["own"][1:].replace("-", ".")
        text = f"a{m['part']}/{local}" if m["part"] else local
        return cls(text) if _CANONICAL.match(text) else None

    @classmethod
    def front_of(cls, part: int = 0) -> SectionId:
        """The front matter of part ``part``: the notice's own (``front``) or an attachment's (``a1/front``)."""
        return cls(f"a{part}/{FRONT}" if part else FRONT)

    # -- its pieces ---------------------------------------------------------------------------------------------
    @property
    def part(self) -> int:
        """The part the section is in: 0 for the notice's own text, k for attachment ``ak``."""
        return int(self[1 : self.index("/")]) if "/" in self else 0

    @property
    def local(self) -> SectionId:
        """The id within its part ("2.5" for "a1/2.5"): what the part's own numbering says."""
        return SectionId(self.partition("/")[2]) if "/" in self else self

    @property
    def is_front(self) -> bool:
        """The front matter of the notice or of one of its parts."""
        return self == FRONT or self.endswith("/" + FRONT)

    @property
    def numbers(self) -> tuple[int, ...]:
        """The numbering within the part: () for front matter, (6,), (6, 1) or (6, 1, 2)."""
        local = self.local
        return () if local == FRONT else tuple(int(n) for n in local.split("."))

    @property
    def level(self) -> int:
        """0 for front matter, 1 for a section, 2 for a subsection, 3 for the third level."""
        return len(self.numbers)

    @property
    def top(self) -> int:
        """The top-level number in its part (0 for front matter, which comes before section 1)."""
        numbers = self.numbers
        return numbers[0] if numbers else 0

    @property
    def sub(self) -> int | None:
        numbers = self.numbers
        return numbers[1] if len(numbers) > 1 else None

    @property
    def third(self) -> int | None:
        numbers = self.numbers
        return numbers[2] if len(numbers) > 2 else None

    @property
    def parent(self) -> SectionId | None:
        """The section one level up ("6" for "6.1", "a1/6.1" for "a1/6.1.2"); None for a top-level section."""
        if self.level < 2:
            return None
        return SectionId(self.rpartition(".")[0])

    @property
    def top_id(self) -> SectionId:
        """The top-level section this one is or belongs to."""
        return SectionId.of(self.top, part=self.part) if self.level > 1 else self

    @property
    def anchor(self) -> str:
        """HTML id of the section: stable across rebuilds and safe in CSS selectors ("s5-1", "a1-s2-5", "a1-front")."""
        local = self.local
        own = FRONT if local == FRONT else "s" + local.replace(".", "-")
        return f"a{self.part}-{own}" if self.part else own

    @property
    def display(self) -> str:
        """How a citation names the section: "6 (1)" for 6.1, "6 (1) 2" for 6.1.2, "6", "front matter";
        in a part, "attachment 1, 2 (5)"."""
        numbers = self.numbers
        if not numbers:
            local = "front matter"
        else:
            local = str(numbers[0]) + (f" ({numbers[1]})" if len(numbers) > 1 else "")
            local += f" {numbers[2]}" if len(numbers) > 2 else ""
        return f"attachment {self.part}, {local}" if self.part else local

    @property
    def sort_key(self) -> tuple[int, int, int, int]:
        """Document order: front matter, 1, 1.1, 1.1.1, 1.2, 2, ..., then a1/front, a1/1, ..."""
        numbers = self.numbers
        return (self.part, *numbers, *(0,) * (3 - len(numbers)))  # type: ignore[return-value]

    def __lt__(self, other: object) -> bool:
        return self.sort_key < _key(other)

    def __le__(self, other: object) -> bool:
        return self.sort_key <= _key(other)

    def __gt__(self, other: object) -> bool:
        return self.sort_key > _key(other)

    def __ge__(self, other: object) -> bool:
        return self.sort_key >= _key(other)

    def __repr__(self) -> str:
        return f"SectionId({str(self)!r})"

    __hash__ = str.__hash__
    __eq__ = str.__eq__
    __ne__ = str.__ne__


def _key(other: object) -> tuple[int, int, int, int]:
    return SectionId(other).sort_key  # type: ignore[arg-type]


@dataclass(frozen=True)
class Section:
    """One heading of a translation and the text under it, up to the next heading.

    ``title`` is ``None`` when the translation never states it (the partial
    translation's section 4). ``label`` is the numbering as the source wrote
    it ("V.", "(II)", "Fourth,"), or ``None`` where the number was inferred.
    ``title_derived`` says the title is not the source's: an untitled item
    ("（三）各地区要……") is named by its first clause, and pages must say so
    rather than present our words as the notice's.
    """

    id: SectionId
    title: str | None
    parent: SectionId | None
    body: str
    label: str | None = None
    title_derived: bool = False

    def __post_init__(self) -> None:
        # ids come from the outline and from the catalog as text; the model holds them as ids
        object.__setattr__(self, "id", SectionId(self.id))
        if self.parent is not None:
            object.__setattr__(self, "parent", SectionId(self.parent))

    @property
    def anchor(self) -> str:
        return self.id.anchor

    @property
    def is_top(self) -> bool:
        return self.parent is None and not self.id.is_front

    # -- how pages name a section: one source for every heading, contents entry, link and title ------------
    @property
    def number(self) -> str:
        """The section's number as citations write it ("6 (1)"), or "" for the front matter, which has none."""
        return "" if self.id.is_front else self.id.display

    @property
    def name(self) -> str:
        """The title this translation gives the section, "Front matter", or :data:`UNTITLED` where it states none.

        A translation that never states a title keeps saying so, rather than
        showing another translation's words as if they were its own.
        """
        if self.id.is_front:
            # a part's opening is named by the part's heading (Outline.headed puts it in the title)
            return (self.title or f"Attachment {self.id.part}") if self.id.part else FRONT_MATTER
        return self.title or UNTITLED

    @property
    def heading(self) -> str:
        """Number and name on one line ("6 (1) Improve network and data security"; "Front matter")."""
        return f"{self.number} {self.name}" if self.number else self.name

    @property
    def local_heading(self) -> str:
        """:attr:`heading` with the number as the part numbers it ("2 (5) Catalogues" for ``a1/2.5``): for a
        place that shows the part's heading above it (a reading page, a part's contents)."""
        if self.id.is_front or not self.id.part:
            return self.heading
        return f"{self.id.local.display} {self.name}"


@dataclass
class Metadata:
    title: str | None = None
    number: str | None = None
    source: str | None = None
    date: str | None = None
    issuers: list[str] = field(default_factory=list)
    #: The kind of document (notice, opinions, plan, ...) where a manifest or front matter states it.
    doc_type: str | None = None


#: The kinds of part a notice holds besides its own text: an attachment (附件), a document a covering notice
#: issues (印发), a report or document it forwards (转发).
PART_KINDS = ("attachment", "issued", "forwarded")
#: How a heading names a part of each kind that its source does not label ("Attachment 2", "Forwarded report 1").
PART_NAMES = {"attachment": "Attachment", "issued": "Issued document", "forwarded": "Forwarded report"}


@dataclass(frozen=True)
class Part:
    """Part ``number`` of a notice: a document it carries, with its own outline (section ids ``a<number>/...``).

    ``label`` is how the source marks it ("附件1", "Annex 2"), or ``None`` where
    only its title does; ``title`` is the part's own title, as printed above it.
    """

    number: int
    kind: str
    title: str | None
    label: str | None = None

    @property
    def front_id(self) -> SectionId:
        """The part's opening (its preamble before its first heading): ``a<number>/front``."""
        return SectionId.front_of(self.number)

    @property
    def name(self) -> str:
        """How the part is named before its title: its source's label ("Annex 2", "附件1"), else its kind and
        number ("Attachment 2")."""
        return self.label or f"{PART_NAMES.get(self.kind, 'Attachment')} {self.number}"

    @property
    def heading(self) -> str:
        """The part's heading as pages show it: "Attachment 1: Rules for Data Sharing" (its name alone untitled)."""
        return f"{self.name}: {self.title}" if self.title else self.name

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "id": self.front_id,
            "kind": self.kind,
            "label": self.label,
            "title": self.title,
            "heading": self.heading,
        }


@dataclass
class Outline:
    """A parsed document: metadata, its front matter and its sections in document order.

    A notice that carries attachments, issues documents or forwards a report
    lists them in ``parts``; their sections are in ``sections`` after the
    notice's own, with ids in the part (``a1/2.5``).
    """

    metadata: Metadata
    front: str
    sections: list[Section]
    #: A publisher's reading guide that came before the notice's own text (kb.guide): shown apart, never indexed.
    guide: str = ""
    parts: list[Part] = field(default_factory=list)
    #: The closing lines of the notice's own text (key 0) and of each part (its number) that are in no section:
    #: the signature, the date, the notes under it and the list of attachments. Kept out of the last item's body
    #: (they are not its text) but shown after it, since they are the document's words.
    closing: dict[int, str] = field(default_factory=dict)

    def part(self, number: int) -> Part | None:
        return next((p for p in self.parts if p.number == number), None)

    def section(self, section_id: str) -> Section | None:
        found = next((s for s in self.sections if s.id == section_id), None)
        return self.headed(found) if found is not None else None

    def headed(self, section: Section) -> Section:
        """``section``, with its part's heading as its title where it is a part's opening (``a1/front``).

        The outline keeps a part's heading once, on :class:`Part`; every page,
        command and chunk that names the part's opening asks here, so that it
        is named "Attachment 1: Rules for Data Sharing" everywhere alike.
        """
        if section.title or not section.id.is_front or not section.id.part:  # is_front first: the cheap test
            return section
        part = self.part(section.id.part)
        return replace(section, title=part.heading if part else None)

    def sections_headed(self) -> list[Section]:
        """:attr:`sections` in order, each part's opening named by its heading (see :meth:`headed`)."""
        if not self.parts:
            return self.sections
        return [self.headed(s) if s.id.is_front else s for s in self.sections]

    def text_sample(self, limit: int = SAMPLE_CHARS) -> str:
        """The opening ``limit`` characters of the text (title, front matter, sections): what says its language."""
        parts, size = [], 0
        for part in (self.metadata.title or "", self.front, *(f"{s.title or ''} {s.body}" for s in self.sections)):
            parts.append(part)
            size += len(part)
            if size >= limit:
                break
        return "\n".join(parts)[:limit]

    def to_json(self) -> dict:
        """The stable interface of ``kb outline --json``."""
        return {
            "title": self.metadata.title,
            "number": self.metadata.number,
            "source": self.metadata.source,
            "date": self.metadata.date,
            "issuers": self.metadata.issuers,
            "type": self.metadata.doc_type,
            "parts": [p.to_json() for p in self.parts],
            "sections": [
                {
                    "id": s.id,
                    "title": s.title,
                    "parent": s.parent,
                    "part": s.id.part,
                    "level": s.id.level,
                    "title_derived": s.title_derived,
                }
                for s in self.sections_headed()
            ],
        }


@dataclass
class Translation:
    """One rendering of a notice's text, read from one source file; its name is unique within its notice."""

    name: str
    label: str
    path: Path
    notice_id: str
    outline: Outline
    #: What the file's own front matter stated (kb.frontmatter): kept with the outline, so that an update of
    #: the index can reuse both for a file that did not change, without reading it again.
    stated: dict = field(default_factory=dict)
    #: Who translated the text, and where this translation was published or obtained (a publisher or an
    #: address), as its manifest entry or front matter states them; None when nobody does (never guessed).
    translator: str | None = None
    source: str | None = None
    #: Whether the text was received corrupted and restored by the cleaner (kb.clean removed inserted junk).
    restored: bool = False
    #: The source's text as received (decoded, before cleaning), while a build holds it: the catalog keeps it
    #: (kb.catalog), so that readers can see what the restored text was made from.
    received: str | None = field(default=None, repr=False, compare=False)
    #: The SHA-256 of :attr:`received` (kept where the text is not held): a new text that cleans the same is
    #: still a change for an update of the index (kb.catalog.notice_digest).
    received_digest: str | None = None
    #: The language of the text ("zh", "en"), for pages to mark it: as the manifest states it, else detected
    #: from the text's script (kb.language) when the translation is made.
    language: str | None = None

    def __post_init__(self) -> None:
        if self.received is not None and self.received_digest is None:
            self.received_digest = hashlib.sha256(self.received.encode("utf-8")).hexdigest()
        if self.language is None:
            self.language = detect_language(self.outline.text_sample())

    @property
    def is_original(self) -> bool:
        """Whether this is the notice's original text: the notices are Chinese government documents, so a text in
        Chinese (simplified or traditional characters) is the original, and has no translator to name."""
        return is_chinese(self.language)

    def provenance(self) -> dict:
        """The translation's name and label, who translated it, where it came from and whether it was restored."""
        return {
            "name": self.name,
            "label": self.label,
            "translator": self.translator,
            "source": self.source,
            "restored": self.restored,
            "language": self.language,
            "original": self.is_original,
        }

    @property
    def section_ids(self) -> list[SectionId]:
        ids = [s.id for s in self.outline.sections]
        return ([SectionId(FRONT)] if self.outline.front else []) + ids

    def section(self, section_id: str) -> Section | None:
        """The section, the front matter included (as a section titled "Front matter")."""
        if section_id == FRONT:
            return Section(FRONT, FRONT_MATTER, None, self.outline.front) if self.outline.front else None
        return self.outline.section(section_id)


#: Kinds of document, as titles name them ("Guiding Opinions on ...", "Notice on Issuing the ... Plan"): the
#: first one a title names is the document's kind, since a notice that issues a plan is a notice.
DOCUMENT_TYPES = (
    "notice",
    "circular",
    "opinions",
    "measures",
    "plan",
    "decision",
    "announcement",
    "guidelines",
    "regulations",
    "provisions",
    "rules",
    "law",
)
_TYPE_WORD = re.compile(r"\b(" + "|".join(DOCUMENT_TYPES) + r"|opinion|guideline|regulation|rule)s?\b", re.IGNORECASE)


def _children(
    first: dict[tuple[int, ...], int],
    last: dict[tuple[int, ...], int],
    key: tuple[int, ...],
    carried: list[int],
    depth: int,
) -> range:
    """The numbers under ``key`` that some translation has or the numbering implies (see ``Notice.section_ids``).

    From 1, unless the first one continues the numbering of the previous
    parent's (``carried[depth]``, updated here): then from that first one.
    """
    end = last.get(key, 0)
    if not end:
        return range(0)
    start = first[key] if first[key] == carried[depth] + 1 else 1
    carried[depth] = end
    return range(start, end + 1)


def cited_section(section_id: SectionId, part: Part | None = None) -> str:
    """How a citation names a section: "section 5 (1)", "front matter", or in a part
    'attachment 1 "Rules for Data Sharing", section 2 (5)' (the part's title quoted, where it has one).

    Every citation (the one-line text, the file formats' notes, ``kb show``) names
    a section with this, so that they all say it alike; the part is named by its
    number as the id is ("attachment 1" for ``a1``, whatever its kind), so that a
    reader can type it back ("attachment 1, 2 (5)").
    """
    local = section_id.local
    own = "front matter" if local.is_front else f"section {local.display}"
    if not section_id.part:
        return own
    title = " ".join((part.title or "").split()) if part else ""
    where = f'attachment {section_id.part} "{title}"' if title else f"attachment {section_id.part}"
    return where if local.is_front else f"{where}, {own}"


def document_type(title: str | None) -> str | None:
    """The kind of document a title names first ("Guiding Opinions on ..." -> "opinions"), or None."""
    m = _TYPE_WORD.search(title or "")
    if not m:
        return None
    word = m[1].lower()
    return word if word in DOCUMENT_TYPES else word + "s"


@dataclass
class Notice:
    """A policy notice: its identity and facts, and every version of its text that the knowledge base holds.

    ``id`` is a stable slug (from the manifest, else from the document
    number, else from the file name); everything else about a notice is
    addressed under it, so two notices may both have a section 2.1 or a
    translation called "full".
    """

    id: str
    title: str
    number: str | None
    date: str | None
    issuers: list[str]
    translations: list[Translation]
    doc_type: str | None = None
    #: Where the notice was published or obtained (a publisher, an address), as the manifest or front matter says.
    source: str | None = None
    #: :attr:`section_titles` and the translations it was computed from (the list grows while a corpus loads).
    _titles: tuple[tuple[Translation, ...], dict[str, str], frozenset[str]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    def translation(self, name: str) -> Translation | None:
        return next((t for t in self.translations if t.name == name), None)

    def part(self, number: int, translation: Translation | None = None) -> Part | None:
        """Part ``number`` as ``translation`` has it, else as the first translation that has it does."""
        if not number:
            return None
        for t in ([translation] if translation is not None else []) + self.translations:
            found = t.outline.part(number)
            if found is not None:
                return found
        return None

    def citation(self, section_id: SectionId, translation: Translation | None = None) -> str:
        """A one-line citation of a section: number, title, section, translation, date (a link is the caller's)."""
        section_id = SectionId(section_id)
        parts = [
            self.number,
            self.title,
            cited_section(section_id, self.part(section_id.part, translation)),
            translation.label if translation else None,
            self.date,
        ]
        return ", ".join(p for p in parts if p)

    def neighbours(self, translation: Translation, section_id: str) -> tuple[SectionId | None, SectionId | None]:
        """The sections before and after ``section_id`` in ``translation``'s reading order."""
        ids = translation.section_ids
        try:
            pos = ids.index(section_id)
        except ValueError:
            return None, None
        return (ids[pos - 1] if pos > 0 else None), (ids[pos + 1] if pos + 1 < len(ids) else None)

    def summary(self) -> dict:
        """The notice's facts as JSON (without its contents)."""
        return {
            "id": self.id,
            "title": self.title,
            "number": self.number,
            "date": self.date,
            "year": self.year,
            "issuers": self.issuers,
            "type": self.doc_type,
            "source": self.source,
            "translations": [t.provenance() for t in self.translations],
        }

    @property
    def section_ids(self) -> list[SectionId]:
        """Every section that some translation has, or that the numbering implies, in order.

        Sections run from 1 to the last any translation has, and each one's
        subsections from 1 to its last (from where the previous section's left
        off, where the notice numbers its items straight through: （五） under
        二、 is 2.5, and 2.1 to 2.4 are 1.1 to 1.4), so the list is built in
        order from those numbers: linear in the ids. (Filling the gaps with a range
        per subsection was quadratic: 20,000 subsections took minutes.)

        The ids in the gaps are only as many as the outline lets a gap be:
        ``kb.outline`` reads a number as a heading's only where it goes up by at
        most ``MAX_GAP``, so a translation's headings imply at most ``MAX_GAP``
        ids each, plus those below its first section's number.
        """
        fronts: set[int] = set()  # the parts whose opening some translation has (0: the notice's front matter)
        # the first and last number under each prefix: (part,) its sections, (part, 6) 6's subsections, (part, 6, 1)
        # 6 (1)'s items of the third level; a deeper id implies the ones above it (6.1.2 implies 6 and 6.1)
        first: dict[tuple[int, ...], int] = {}
        last: dict[tuple[int, ...], int] = {}
        for t in self.translations:
            for i in t.section_ids:
                if i.is_front:
                    fronts.add(i.part)
                    continue
                numbers = i.numbers
                for depth, n in enumerate(numbers):
                    key = (i.part, *numbers[:depth])
                    if n > last.get(key, 0):
                        last[key] = n
                    if n < first.get(key, n + 1):
                        first[key] = n
        parts = sorted(fronts | {key[0] for key in last})
        ids = []
        for part in parts:
            if part in fronts:
                ids.append(SectionId.front_of(part))
            carried = [0, 0]  # the last subsection and third-level number so far in the part: where numbering runs on
            for top in range(1, last.get((part,), 0) + 1):
                ids.append(SectionId.of(top, part=part))
                for sub in _children(first, last, (part, top), carried, 0):
                    ids.append(SectionId.of(top, sub, part=part))
                    ids.extend(
                        SectionId.of(top, sub, n, part=part)
                        for n in _children(first, last, (part, top, sub), carried, 1)
                    )
        return ids

    def missing(self, translation: str) -> list[SectionId]:
        """Sections this translation lacks (including those every translation lacks)."""
        t = self.translation(translation)
        have = set(t.section_ids) if t else set()
        return [i for i in self.section_ids if i not in have]

    def missing_everywhere(self) -> list[SectionId]:
        have = {i for t in self.translations for i in t.section_ids}
        return [i for i in self.section_ids if i not in have]

    @property
    def section_titles(self) -> dict[str, str]:
        """Section id -> the first title any translation gives it (where a translation lacks the section or its title).

        Built once for a set of translations, so that a table of contents asks
        each of its rows in constant time: looking each one up in the outlines
        made a listing of 20,000 subsections quadratic.
        """
        return self._title_facts()[0]

    @property
    def derived_titles(self) -> frozenset[str]:
        """The ids whose title in :attr:`section_titles` a translation derived from the text (Section.title_derived):
        a notice-wide list marks them as it marks them on a translation's pages."""
        return self._title_facts()[1]

    def _title_facts(self) -> tuple[dict[str, str], frozenset[str]]:
        cached = self._titles
        if cached is not None and len(cached[0]) == len(self.translations):
            if all(a is b for a, b in zip(cached[0], self.translations, strict=True)):
                return cached[1], cached[2]
        titles: dict[str, str] = {}
        derived: set[str] = set()
        for t in self.translations:
            seen: set[str] = set()
            for s in t.outline.sections_headed():  # a translation's title for an id is its first section's
                if s.id not in seen:
                    seen.add(s.id)
                    if s.title and s.id not in titles:
                        titles[s.id] = s.title
                        if s.title_derived:
                            derived.add(s.id)
        self._titles = (tuple(self.translations), titles, frozenset(derived))
        return titles, frozenset(derived)

    @property
    def parts(self) -> list[Part]:
        """The parts of the notice, by number: each as the first translation that has it names it."""
        found: dict[int, Part] = {}
        for t in self.translations:
            for p in t.outline.parts:
                found.setdefault(p.number, p)
        return [found[k] for k in sorted(found)]

    def section_title(self, section_id: str) -> str | None:
        """The first title any translation gives the section (for sections a translation lacks)."""
        if section_id == FRONT:
            return FRONT_MATTER
        return self.section_titles.get(section_id)

    # -- what is where: which translations have a section, and what each lacks -----------------------------
    def section_name(self, section_id: str) -> str:
        """How a notice-wide list (the contents of every translation) names a section: any translation's title."""
        return self.section_title(section_id) or UNTITLED_ANYWHERE

    def having(self, section_id: str) -> list[Translation]:
        """The translations that have the section, in the notice's order (none: it is missing everywhere)."""
        return [t for t in self.translations if t.section(section_id) is not None]

    def lacking(self, translation: str) -> tuple[list[SectionId], list[SectionId]]:
        """What ``translation`` lacks, split: (sections another translation has, sections every one lacks).

        A reader sent elsewhere for a section must find it there: only the
        first list can be sent anywhere.
        """
        gone = set(self.missing_everywhere())
        missing = self.missing(translation)
        return [i for i in missing if i not in gone], [i for i in missing if i in gone]


@dataclass(frozen=True)
class Chunk:
    """The unit of indexing and of search results: one section of one translation of one notice."""

    notice: str
    number: str | None
    translation: str
    section: SectionId
    title: str | None
    parent_title: str | None
    body: str
    counterparts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "section", SectionId(self.section))

    @property
    def anchor(self) -> str:
        return self.section.anchor

    @property
    def parent(self) -> SectionId | None:
        return self.section.parent

    @property
    def parent_label(self) -> str:
        """How a result names what :attr:`parent_title` titles: "7." for a top-level section of the notice's own
        text (as results always have), the citation's form where that would not say it ("6 (1)" above a third
        level, "attachment 1, 2" in a part), and nothing for a part's top-level section, whose parent title is
        the part's heading ("Attachment 1: Rules for Data Sharing")."""
        parent = self.section.parent
        if parent is None:
            return ""
        return f"{parent}." if parent.level == 1 and not parent.part else parent.display
