"""The domain: notices, their translations, sections, chunks and search hits."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

FRONT = "front"


def section_sort_key(section_id: str) -> tuple[int, ...]:
    """Document order of section ids: front matter first, then 1, 1.1, 1.2, 2, ..."""
    if section_id == FRONT:
        return (-1,)
    return tuple(int(p) for p in section_id.split("."))


def anchor_for(section_id: str) -> str:
    """HTML id of a section: stable across rebuilds and safe in CSS selectors ("s5-1")."""
    return FRONT if section_id == FRONT else "s" + section_id.replace(".", "-")


def parent_of(section_id: str) -> str | None:
    return section_id.split(".")[0] if "." in section_id else None


def display_id(section_id: str) -> str:
    """How a citation names a section: "6 (1)" for 6.1, "6" for 6, "front matter"."""
    if section_id == FRONT:
        return "front matter"
    top, _, sub = section_id.partition(".")
    return f"{top} ({sub})" if sub else top


@dataclass(frozen=True)
class Section:
    """One heading of a translation and the text under it, up to the next heading.

    ``title`` is ``None`` when the translation never states it (the partial
    translation's section 4). ``label`` is the numbering as the source wrote
    it ("V.", "(II)", "Fourth,"), or ``None`` where the number was inferred.
    """

    id: str
    title: str | None
    parent: str | None
    body: str
    label: str | None = None

    @property
    def anchor(self) -> str:
        return anchor_for(self.id)

    @property
    def is_top(self) -> bool:
        return self.parent is None and self.id != FRONT


@dataclass
class Metadata:
    title: str | None = None
    number: str | None = None
    source: str | None = None
    date: str | None = None
    issuers: list[str] = field(default_factory=list)


@dataclass
class Outline:
    """A parsed document: metadata, its front matter and its sections in document order."""

    metadata: Metadata
    front: str
    sections: list[Section]

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def to_json(self) -> dict:
        """The stable interface of ``kb outline --json``."""
        return {
            "title": self.metadata.title,
            "number": self.metadata.number,
            "source": self.metadata.source,
            "date": self.metadata.date,
            "sections": [{"id": s.id, "title": s.title, "parent": s.parent} for s in self.sections],
        }


@dataclass
class Translation:
    """One English rendering of a notice, read from one source file."""

    name: str
    label: str
    path: Path
    notice_id: str
    outline: Outline

    @property
    def section_ids(self) -> list[str]:
        ids = [s.id for s in self.outline.sections]
        return ([FRONT] if self.outline.front else []) + ids


@dataclass
class Notice:
    """A policy notice and every translation of it that the knowledge base holds."""

    id: str
    title: str
    number: str | None
    date: str | None
    issuers: list[str]
    translations: list[Translation]
    #: :attr:`section_titles` and the translations it was computed from (the list grows while a corpus loads).
    _titles: tuple[tuple[Translation, ...], dict[str, str]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def translation(self, name: str) -> Translation | None:
        return next((t for t in self.translations if t.name == name), None)

    @property
    def section_ids(self) -> list[str]:
        """Every section that some translation has, or that the numbering implies, in order.

        Sections run from 1 to the last any translation has, and each one's
        subsections from 1 to its last, so the list is built in order from
        those last numbers: linear in the ids. (Filling the gaps with a range
        per subsection was quadratic: 20,000 subsections took minutes.)

        The ids in the gaps are only as many as the outline lets a gap be:
        ``kb.outline`` reads a number as a heading's only where it goes up by at
        most ``MAX_GAP``, so a translation's headings imply at most ``MAX_GAP``
        ids each, plus those below its first section's number.
        """
        front = False
        last_top = 0
        last_sub: dict[int, int] = {}
        for t in self.translations:
            for i in t.section_ids:
                if i == FRONT:
                    front = True
                    continue
                top, _, sub = i.partition(".")
                last_top = max(last_top, int(top))
                if sub:
                    last_sub[int(top)] = max(last_sub.get(int(top), 0), int(sub))
        ids = [FRONT] if front else []
        for top in range(1, last_top + 1):
            ids.append(str(top))
            ids.extend(f"{top}.{n}" for n in range(1, last_sub.get(top, 0) + 1))
        return ids

    def missing(self, translation: str) -> list[str]:
        """Sections this translation lacks (including those every translation lacks)."""
        t = self.translation(translation)
        have = set(t.section_ids) if t else set()
        return [i for i in self.section_ids if i not in have]

    def missing_everywhere(self) -> list[str]:
        have = {i for t in self.translations for i in t.section_ids}
        return [i for i in self.section_ids if i not in have]

    @property
    def section_titles(self) -> dict[str, str]:
        """Section id -> the first title any translation gives it (where a translation lacks the section or its title).

        Built once for a set of translations, so that a table of contents asks
        each of its rows in constant time: looking each one up in the outlines
        made a listing of 20,000 subsections quadratic.
        """
        cached = self._titles
        if cached is not None and len(cached[0]) == len(self.translations):
            if all(a is b for a, b in zip(cached[0], self.translations, strict=True)):
                return cached[1]
        titles: dict[str, str] = {}
        for t in self.translations:
            seen: set[str] = set()
            for s in t.outline.sections:  # a translation's title for an id is its first section's (Outline.section)
                if s.id not in seen:
                    seen.add(s.id)
                    if s.title:
                        titles.setdefault(s.id, s.title)
        self._titles = (tuple(self.translations), titles)
        return titles

    def section_title(self, section_id: str) -> str | None:
        """The first title any translation gives the section (for sections a translation lacks)."""
        return self.section_titles.get(section_id)


def find_translation(notices: list[Notice], name: str) -> tuple[Notice, Translation] | None:
    """The notice holding the translation called ``name``, and that translation."""
    for notice in notices:
        t = notice.translation(name)
        if t:
            return notice, t
    return None


@dataclass(frozen=True)
class Chunk:
    """The unit of indexing and of search results: one section of one translation."""

    notice: str
    number: str | None
    translation: str
    section: str
    title: str | None
    parent_title: str | None
    body: str
    counterparts: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        return anchor_for(self.section)

    @property
    def link(self) -> str:
        return f"/doc/{self.translation}#{self.anchor}"

    @property
    def parent(self) -> str | None:
        return parent_of(self.section)
