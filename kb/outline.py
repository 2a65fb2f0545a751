"""Find the section structure of a cleaned notice.

Headings come in many styles ("1.", "Fourth,", "V.", "一、" for sections;
"(1)", "(I)", "（一）" for subsections), on their own lines or run together
inside one long paragraph. A marker counts as a heading only where a heading
can stand (start of a line, after a sentence, or right after a section title)
*and* where it continues the numbering, which is what keeps "(2)" inside a
sentence or "I." at the end of one from starting a section.

What the text leaves out is inferred: a document that opens mid-section with
"(II)" before "V." began in section IV, and the text before "(II)" is IV (I).

Translations of Chinese notices keep the original's third level (``1.`` under
``（二）`` under ``一、``) as "1.", the marker of their sections too; see
:func:`_accept` for how an item of that level is told from a section heading.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from kb import metadata, numerals
from kb.errors import KnowledgeBaseError
from kb.models import Metadata, Outline, Part, Section, SectionId

_ORDINAL_WORDS = "|".join(w.capitalize() for w in numerals.ORDINALS)
_TOP = re.compile(
    r"(?P<arabic>\d{1,2})\.(?=[ \t]+[A-Za-z])"
    r"|(?P<roman>[IVXLC]{1,7})\.(?=[ \t]+[A-Z])"
    rf"|(?P<ordinal>{_ORDINAL_WORDS})[,，](?=[ \t]*[A-Za-z])"
    r"|(?P<chinese>[一二三四五六七八九十]{1,3})[、．]"
)
_SUB = re.compile(r"[（(][ \t]*(?P<num>\d{1,2}|[IVXLC]{1,7}|[一二三四五六七八九十]{1,3})[ \t]*[）)]")
#: Regulations in English: "Chapter III General Provisions" (a section) and "Article 12 ..." (a subsection under a
#: chapter, a section without chapters), each only at a line start: "see Article 3." is a reference. Articles are
#: numbered straight through the chapters (Article 12 in Chapter III is 3.12, as the Chinese original's 第十二条).
_CHAPTER = re.compile(r"Chapter[ \t]+(?P<chapter>\d{1,2}|[IVXLC]{1,7})\b[.:]?")
_ARTICLE = re.compile(r"Article[ \t]+(?P<article>\d{1,3})\b[.:]?")
#: A third-level item marked with a letter, "(a)" or "a.", only at a line start (some translations letter the level
#: under "(1)" that the original numbers 1.): "(b)" continues "(a)" under the same subsection.
_LETTER = re.compile(r"(?m:^)[ \t]*(?:[(（](?P<paren_letter>[a-z])[)）]|(?P<letter>[a-z])\.(?=[ \t]+[A-Za-z]))")
#: Length of the title an article is given from its first clause (an article states no title of its own).
DERIVED_TITLE_CHARS = 60
#: A third-level marker in a Markdown heading: "1." or "1．" (the level under "（一）" in Chinese notices).
_THIRD = re.compile(r"(?P<num>\d{1,2})[.．](?!\d)")
_SENTENCE_END = re.compile(r"[.;!?][\"'”’)]*(?=\s|$|[（(])|[。；！？][”’」]*")
#: A Markdown heading line. The closing ``#``s and blanks are stripped after the match
#: (see :func:`_md_headings`): a lazy title before ``[ \t#]*$`` backtracks quadratically
#: on a long line of blanks and hashes.
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+)$", re.MULTILINE)
#: Largest jump in numbering still read as a heading (a translation may skip a section or two). It is
#: also what keeps inferred sections plausible: every gap a heading leaves becomes sections that
#: ``Notice.section_ids`` lists as missing, so one heading can imply at most ``MAX_GAP - 1`` of them
#: (without the rule 700 Markdown headings "(CCCCCCC)" implied 490,000 sections).
MAX_GAP = 3


@dataclass
class _Heading:
    start: int
    end: int
    level: int  # 1 section, 2 subsection, 3 an item under a subsection (see _accept)
    number: int
    label: str | None
    untitled: bool = False  # an article: its text is a provision, its title is derived from its first clause
    kind: str = ""  # the marker's style: the group of the pattern that found it ("arabic", "roman", "num", ...)


class NoHeadingsError(KnowledgeBaseError):
    """The text has no recognisable section headings."""


class TooManyHeadings(KnowledgeBaseError):
    """The text has more heading-like markers than the outline's work budget allows (built to be expensive)."""


#: Numbering markers ("1.", "(2)", "IV.") a text may hold before it is refused: every marker costs a
#: few microseconds to judge, and a real notice has dozens of headings (a 5 MB text of nothing but
#: "1. A " has a million). 100,000 still leaves room for a section with 20,000 subsections.
MAX_HEADING_CANDIDATES = 100_000


def _too_many() -> str:
    return f"too many heading-like markers (over {MAX_HEADING_CANDIDATES:,}; no notice has that many sections)"


#: Values of numerals, remembered: a text repeats the same few markers.
_numeral = lru_cache(maxsize=1024)(numerals.value)


def parse(text: str) -> Outline:
    """Outline of a cleaned document (plain text or Markdown); Chinese plain text is read by :mod:`kb.outline_zh`."""
    md_headings = _md_headings(text)
    if any(h.level >= 2 for h in md_headings):
        return _parse_markdown(text, md_headings)
    from kb import outline_zh  # it uses this module's errors and limits

    if outline_zh.is_chinese(text):
        return outline_zh.parse(text)
    return _parse_plain(text)


# -- plain text ---------------------------------------------------------------


def _strong_context(text: str, pos: int) -> bool:
    """A heading can start here: at a line start or right after a sentence.

    Only the blanks just before ``pos`` are looked at (never a copy of the text
    before it), so judging every candidate of a text costs time linear in the text.
    """
    i = pos
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    return i == 0 or text[i - 1] == "\n" or bool(_SENTENCE_END.search(text[max(0, i - 3) : i] + " "))


class _Marks:
    """Where a text's line breaks and sentence ends are, found once, so each question about a span is a bisection.

    Asking "is there a sentence end between here and there" by searching the
    span would cost the span's length for every heading candidate, quadratic
    on a long line of candidates; sentence ends never overlap (a match consumes
    only closing quotes after its stop), so the matches of one pass over the
    whole text are the matches of any span of it.
    """

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.sentence_ends = [m.start() for m in _SENTENCE_END.finditer(text)]

    @staticmethod
    def _any_in(positions: list[int], start: int, end: int) -> bool:
        k = bisect_left(positions, start)
        return k < len(positions) and positions[k] < end

    def line_end(self, pos: int) -> int:
        k = bisect_left(self.newlines, pos)
        return self.newlines[k] if k < len(self.newlines) else self.length

    def newline_between(self, start: int, end: int) -> bool:
        return self._any_in(self.newlines, start, end)

    def sentence_end_between(self, start: int, end: int) -> bool:
        return self._any_in(self.sentence_ends, start, end)

    def runs_on(self, pos: int) -> bool:
        """The line goes on past ``pos`` into sentences: a run-in paragraph, not a title line."""
        return self.sentence_end_between(pos, self.line_end(pos))


def _candidates(text: str) -> list[_Heading]:
    """Every numbering marker that may be a heading, in text order; refuses a text with absurdly many."""
    found = []
    seen = 0
    articles = False
    for pattern, level in ((_TOP, 1), (_CHAPTER, 1), (_ARTICLE, 2), (_SUB, 2), (_LETTER, 3)):
        if pattern is _SUB and articles:
            break  # in regulations, "(1)" lists the items of an article: text, not headings
        for m in pattern.finditer(text):
            seen += 1
            if seen > MAX_HEADING_CANDIDATES:
                raise TooManyHeadings(_too_many())
            if pattern is _LETTER:
                end = m.end()
                while end < len(text) and text[end] in " \t":
                    end += 1
                letter = m[m.lastgroup or "letter"]
                found.append(_Heading(m.end() - len(m[0].lstrip()), end, 3, ord(letter) - ord("a") + 1, m[0].strip()))
                found[-1].kind = "letter"
                continue
            n = _numeral(m[m.lastgroup])
            if not n or (level == 1 and not _strong_context(text, m.start())):
                continue
            if pattern is _ARTICLE or pattern is _CHAPTER:
                if not _line_start(text, m.start()):
                    continue
                articles = articles or pattern is _ARTICLE
            end = m.end()
            while end < len(text) and text[end] in " \t":
                end += 1
            kind = m.lastgroup or ""
            found.append(_Heading(m.start(), end, level, n, m.group(0).strip(), pattern is _ARTICLE, kind))
    return sorted(found, key=lambda h: h.start)


def _line_start(text: str, pos: int) -> bool:
    """Only blanks stand between the start of the line and ``pos``."""
    i = pos
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    return i == 0 or text[i - 1] == "\n"


#: Longest first sentence read as an item's title: titles name a subject in a few words (the longest in the seeds is
#: 88 characters); a longer first sentence is the item's text, and the item is untitled.
MAX_TITLE_CHARS = 150
#: Words that make a first sentence an instruction, not a title ("(3) All regions and departments shall strengthen
#: ..."): a translated item that states no title (the original's untitled "（三）各地区、各部门要……") starts so.
_INSTRUCTS = re.compile(r"\b(?:shall|should|must|will)\b")


def _is_no_title(title: str) -> bool:
    """An item's first sentence is its text, not a title: it instructs, or is too long to be a title."""
    return len(title) > MAX_TITLE_CHARS or bool(_INSTRUCTS.search(title))


def _derived_title(content: str) -> str:
    """An article's title: its first clause, cut at a word within :data:`DERIVED_TITLE_CHARS` characters."""
    clause = re.split(r"[,;:.\n]", content[: DERIVED_TITLE_CHARS + 200], maxsplit=1)[0].strip()
    if len(clause) > DERIVED_TITLE_CHARS:
        cut = clause.rfind(" ", 0, DERIVED_TITLE_CHARS)
        clause = clause[: cut if cut > 0 else DERIVED_TITLE_CHARS].rstrip() + "…"
    return clause


def _continues(previous: int | None, number: int) -> bool:
    """``number`` continues the numbering after ``previous``: it goes up, by at most :data:`MAX_GAP`.

    ``previous`` is ``None`` before a document's first section, which may have any number (a partial
    translation starts where it starts: "IV."). Plain-text markers that fail the rule are not headings;
    Markdown headings that fail it keep their place but not their number. Either way no source can
    make the sections inferred in its gaps outnumber its headings by more than ``MAX_GAP - 1`` to one.
    """
    return previous is None or previous < number <= previous + MAX_GAP


#: A line that starts a notice's list of its attachments ("Attachments:", "Annexes: 1. Rules for X"): the numbered
#: lines under it name the attachments; they are neither sections nor items of the subsection before them.
_ATTACHMENT_LIST = re.compile(
    r"[ \t]*(?:Attachments?|ATTACHMENTS?|Annex(?:es)?|ANNEX(?:ES)?|Appendix|Appendices|APPENDI(?:X|CES))[ \t]*:"
    r"[ \t]*(?P<first>1[.．])?"
)


def _item_run_breaks(candidates: list[_Heading]) -> list[int | None]:
    """For each arabic marker, the number of the arabic marker that ends the run of items it would belong to.

    A run is a sequence of arabic markers each one more than the last ("2.", "3.", "4."); a run that starts
    again at "1." (the items of a later subsection) is passed over. What follows the runs is the next marker
    that continues neither: for "2. Ensure security" before "2. Key tasks" it is 2. One pass from the end,
    so the question costs constant time per candidate (a forward search from each would be quadratic).
    """
    breaks: list[int | None] = [None] * len(candidates)
    following: int | None = None  # index of the next arabic candidate
    for i in range(len(candidates) - 1, -1, -1):
        c = candidates[i]
        if c.kind != "arabic":
            continue
        if following is not None:
            n = candidates[following].number
            breaks[i] = breaks[following] if n in (c.number + 1, 1) else n
        following = i
    return breaks


def _set_apart(text: str, pos: int) -> bool:
    """A blank line stands before the line of ``pos`` (only the characters just before it are looked at)."""
    i = pos
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    if i == 0 or text[i - 1] != "\n":
        return False
    i -= 1
    while i > 0 and text[i - 1] in " \t\r":
        i -= 1
    return i > 0 and text[i - 1] == "\n"


def _attachment_list_entry(text: str, marks: _Marks, h: _Heading, previous: _Heading | None, top: int | None) -> bool:
    """``h`` ("2. Guide to X") is an entry of a notice's list of its attachments.

    It starts its line, and the line before it starts the list ("Attachments:", or "Attachments: 1. X"), or holds
    the entry ``previous`` it follows. The second entry of a list that starts on its label's line ("Annexes:
    1. Rules" over "2. Deepen reform") may as well be the next section, and is one where it continues the
    sections' numbering: a line that names an attachment in passing must not swallow a section. Only line
    starts are asked about, and only the start of the line before is matched, so the question costs a bisection
    and a short match however long the lines are.
    """
    if h.kind != "arabic" or not _line_start(text, h.start):
        return False
    k = bisect_left(marks.newlines, h.start)
    if k == 0:
        return False
    line_start = marks.newlines[k - 2] + 1 if k >= 2 else 0
    if previous is not None and h.number == previous.number + 1 and line_start <= previous.start:
        return True
    m = _ATTACHMENT_LIST.match(text, line_start, marks.newlines[k - 1])
    if not m:
        return False
    if m["first"]:
        return h.number == 2 and not _continues(top, 2)
    return h.number == 1


def _settled_as_section(
    text: str,
    marks: _Marks,
    h: _Heading,
    top: int,
    item: int,
    section: _Heading,
    previous_item: _Heading,
    run_break: int | None,
) -> bool:
    """An arabic marker that continues both the items of a subsection and the section numbering: is it a section?

    "2." after "1. Overall requirements / (2) Basic principles / 1. Coordinate the work" may be the second item
    or section 2. What settles it, in order:

    - Sections that are not numbered in arabic ("I.", "First,"): an arabic marker is an item.
    - A number that follows one numbering exactly and skips in the other goes with the one it follows.
    - What comes after the run of items this marker would join: a marker with this marker's number is the
      section heading still to come ("2. Ensure security ... 2. Key tasks"), so this one is an item.
    - The line's shape, where the section headings and the items differ in it: a heading is a short title
      line ("2. Key tasks"), an item often a titled sentence run on ("2. Ensure security. Complete ...").
    - A blank line before it, where the section headings have one and the items not (or the reverse).
    - Otherwise a section: a section numbering that skips none is the likelier reading, and taking a
      section for an item would file every later section under the items until the next subsection.
    """
    if section.kind != "arabic":
        return False
    exact_section, exact_item = h.number == top + 1, h.number == item + 1
    if exact_section != exact_item:
        return exact_section
    if run_break == h.number:
        return False
    shape = marks.runs_on(h.end), marks.runs_on(section.end), marks.runs_on(previous_item.end)
    if shape[1] != shape[2]:
        return shape[0] == shape[1]
    apart = _set_apart(text, h.start), _set_apart(text, section.start), _set_apart(text, previous_item.start)
    if apart[1] != apart[2]:
        return apart[0] == apart[1]
    return True


def _accept(text: str, candidates: list[_Heading]) -> list[_Heading]:
    """The candidates that are headings: where a heading can stand, continuing the numbering.

    Subsections number from 1 under each section, or straight through the sections, as Chinese notices
    number their items ("(5)" under "II." after "(4)" under "I."): the first subsection of a section
    may also continue the last one's number, and keeps it (2.5), as readers cite it.

    A third level, the "1." items of a translated notice under a subsection (``1.2.1`` under "(2)" under
    "1."), is read from the arabic section markers: a "1." right after a subsection's heading cannot be the
    next section (the numbering is past 1), so it starts a run of items under that subsection; in the run a
    marker that continues the items and not the sections is an item, one that continues the sections and not
    the items is a section (and ends the run), and one that continues both is settled by
    :func:`_settled_as_section`. A new subsection or section ends the run. A "(1)", "(2)" list under an item is
    a fourth level, and text, as in the Chinese reader (a "(3)" in it is not the next subsection); so is an
    article's enumeration ("including: 1. ...; 2. ..."), and a notice's list of its attachments
    ("Attachments:" over "1. Measures for ...").

    Items lettered "(a)" or "a." at line starts are the third level too: "(a)" right after a subsection opens
    the run, and each next letter continues it; no section is lettered, so they leave no ambiguity (a letter
    under an arabic item is a fourth level, and text).
    """
    marks = _Marks(text)
    run_breaks = _item_run_breaks(candidates)
    accepted: list[_Heading] = []
    top: int | None = None
    sub = 0
    run = 0  # the last subsection's number under an earlier section
    item = 0  # the last item's number under the current subsection (0: no run of items)
    section: _Heading | None = None  # the current section's heading
    listed: _Heading | None = None  # the last entry of a list of attachments
    deeper = 0  # the last "(k)" of a list under the current item (a fourth level, kept as text)
    lettered = False  # the current run of items is lettered ("(a)", "(b)")
    for i, h in enumerate(candidates):
        if h.kind == "letter":  # a lettered item: opens a run right after a subsection, or continues its run
            last = accepted[-1] if accepted else None
            opens = item == 0 and h.number == 1 and last is not None and last.level == 2 and not last.untitled
            if top is not None and (opens or lettered and item and h.number == item + 1):
                accepted.append(h)
                item, deeper, lettered = h.number, 0, True
            continue
        if h.level == 1:
            if _attachment_list_entry(text, marks, h, listed, top):
                listed = h
                continue
            if h.kind == "arabic" and accepted and accepted[-1].untitled:
                continue  # an article's enumeration ("including: 1. ...; 2. ...") is its text
            if h.kind == "arabic" and top is not None and section is not None and accepted:
                last = accepted[-1]
                opens = item == 0 and h.number == 1 and last.level == 2 and not last.untitled
                goes_on = item > 0 and not lettered and _continues(item, h.number)
                if opens or (
                    goes_on
                    and not (
                        _continues(top, h.number)
                        and _settled_as_section(text, marks, h, top, item, section, last, run_breaks[i])
                    )
                ):
                    h.level = 3
                    accepted.append(h)
                    item, deeper, lettered = h.number, 0, False
                    continue
            if _continues(top, h.number):
                accepted.append(h)
                top, sub, run, item, section = h.number, 0, sub or run, 0, h
            continue
        if item and (h.number == 1 or deeper and h.number == deeper + 1) and _strong_context(text, h.start):
            deeper = h.number  # "(1)", "(2)" under an item: a fourth level (（1） under 1.), which is text
            continue
        if not (_continues(sub, h.number) or (sub == 0 and run and _continues(run, h.number))):
            continue
        strong = _strong_context(text, h.start)
        # "V. Build a green mode (I) Promote ...": in run-in text a subsection may follow a
        # section's title directly; in a title line ("1. Implement Article 5 (2) of the Law") it is text.
        after_title = (
            bool(accepted)
            and accepted[-1].level == 1
            and (marks.runs_on(h.end) or text[h.start] == "（")
            and not marks.newline_between(accepted[-1].end, h.start)
            and not marks.sentence_end_between(accepted[-1].end, h.start)
        )
        if strong or after_title:
            accepted.append(h)
            sub, item = h.number, 0
    return accepted


def _split_title(content: str) -> tuple[str, str]:
    """First line or sentence of a section as its title, the rest as its body."""
    first_line, _, rest_lines = content.partition("\n")
    m = _SENTENCE_END.search(first_line)
    if m:
        return first_line[: m.start()], (first_line[m.end() :] + "\n" + rest_lines).strip()
    return first_line, rest_lines.strip()


#: A line that starts a part of an English translation: "Attachment 1", "Annex 2: Rules for X", "Appendix",
#: alone on its line or with the part's title after a colon (a sentence that names an attachment is no part).
_PLAIN_PART = re.compile(
    r"^[ \t]*(?P<label>(?:Attachment|ATTACHMENT|Annex|ANNEX|Appendix|APPENDIX)(?:[ \t]+(?P<num>\d{1,3}|[IVX]{1,5}))?)"
    r"[ \t]*(?:[:：.](?P<title>[^\n]*))?$",
    re.MULTILINE,
)
#: Blank lines (and the blanks on them) before the title line of a part's label.
_BLANK_LINES = re.compile(r"(?:[ \t\r]*\n)+")
#: The start of a list item ("1. Rules for X"): "Attachments: 1. Rules ..." lists the parts, it does not start one.
_LIST_START = re.compile(r"[ \t]*\d{1,2}[.．]")


def _plain_parts(text: str) -> list[tuple[int, int, str, str | None]]:
    """Where each part of an English plain text starts: (label line start, text start, label, title)."""
    from kb.models import MAX_PARTS

    parts: list[tuple[int, int, str, str | None]] = []
    for m in _PLAIN_PART.finditer(text):
        if len(parts) >= MAX_PARTS:
            break
        title = (m["title"] or "").strip() or None
        after = min(m.end() + 1, len(text))
        if title is None:
            line_end = text.find("\n", after)
            line_end = len(text) if line_end < 0 else line_end
            line = text[after:line_end].strip()
            if m["num"] is None and _LIST_START.match(line):
                continue  # "Attachments:" over a numbered list of them
            if not line:  # the title may stand after a blank line, as the label stands apart in the original
                blanks = _BLANK_LINES.match(text, after)
                line_start = blanks.end() if blanks else after
                line_end = text.find("\n", line_start)
                line_end = len(text) if line_end < 0 else line_end
                line = text[line_start:line_end].strip()
            if line and not _TOP.match(line) and not _SUB.match(line) and not _SENTENCE_END.search(line):
                title, after = line, min(line_end + 1, len(text))
        elif _LIST_START.match(title):
            continue
        parts.append((m.start(), after, m["label"].strip(), title))
    return parts


#: How far into a text a covering notice says what it issues or forwards (its title and opening).
CUE_CHARS = 3000
#: How a translated covering notice says it issues or forwards documents: in its title ("Notice ... on Issuing the
#: Measures for X", "on Printing and Distributing", "on Forwarding the Opinions of ...") or its opening ("are hereby
#: issued to you"), as the original says 印发 / 转发. A notice that merely "jointly issued" something says neither.
_COVER_CUE = re.compile(
    r"\bon[ \t\n]+(?:(?P<forwarding>Forwarding|Transmitting)|Issuing|Printing[ \t\n]+and[ \t\n]+Distributing)\b"
    r"|\b(?:hereby[ \t\n]+)?(?:(?P<forwarded>forwarded|transmitted)|issued|distributed)[ \t\n]+to[ \t\n]+you\b",
    re.IGNORECASE,
)
#: A document's title names its kind ("Measures for ...", "Provisions on ...", "Opinions on ...").
_DOCUMENT_KIND = re.compile(
    r"\b(?:Measures|Provisions|Regulations|Rules|Opinions?|Plan|Programme|Program|Scheme|Guidelines?|Guide|Notice"
    r"|Decision|Report|Catalogue|Catalog|List|Standards?|Outline|Methods|Procedures|Requirements)\b"
)
#: Longest line read as a document's title.
MAX_PART_TITLE_CHARS = 200
#: A line that starts a document's own numbering: "1.", "I.", "First,", "Chapter I", "Article 1".
_FIRST_HEADING = re.compile(r"[ \t]*(?:1[.．][ \t]|I\.[ \t]|First,|Chapter[ \t]+(?:1|I)\b|Article[ \t]+1\b)")
#: A note in brackets under a date: "(This document is released to the public.)".
_NOTE = re.compile(r"[ \t]*\([^()\n]{1,100}\)[ \t]*")


def _document_title(line: str) -> bool:
    """``line`` reads as a document's title: short, no sentence, no heading marker, and names a kind of document."""
    line = line.strip()
    return (
        0 < len(line) <= MAX_PART_TITLE_CHARS
        and line[0].isupper()
        and not _SENTENCE_END.search(line)
        and not (_TOP.match(line) or _SUB.match(line) or _CHAPTER.match(line) or _ARTICLE.match(line))
        and bool(_DOCUMENT_KIND.search(line))
    )


def _covered_parts(text: str, stop: int) -> list[tuple[int, int, str | None, str | None, str]]:
    """The documents a translated covering notice issues or forwards, as parts: (title line start, text start,
    label, title, kind), found before ``stop`` (where the attachments start).

    As in the original (see :mod:`kb.outline_zh`): where the notice's title or opening says it issues or
    forwards, the first document's title is the first title line after the notice's date (past notes such as
    "(This document is released to the public.)"), and a later title line starts another document where the
    numbering starts again under it ("1.") after the current document had its own: two documents issued
    together must not merge into one outline. Lines are read once, each a bounded question.
    """
    cue = _COVER_CUE.search(text, 0, min(CUE_CHARS, stop))
    if not cue:
        return []
    kind = "forwarded" if cue["forwarding"] or cue["forwarded"] else "issued"
    lines: list[tuple[int, str]] = []
    start = 0
    for piece in text[:stop].split("\n"):
        lines.append((start, piece))
        start += len(piece) + 1

    def next_text(i: int) -> int | None:
        while i < len(lines) and (not lines[i][1].strip() or _NOTE.fullmatch(lines[i][1])):
            i += 1
        return i if i < len(lines) else None

    def dated(line: str) -> bool:
        return bool(metadata.date_line(line.strip()))  # date_line refuses long lines before any pattern runs

    # the notice's date: a date line after the cue with a document's title under it (a date at the top, under
    # the notice's own title, has the addressees under it)
    first = next(
        (
            after
            for i, (line_start, line) in enumerate(lines)
            if line_start >= cue.end()
            and dated(line)
            and (after := next_text(i + 1)) is not None
            and _document_title(lines[after][1])
        ),
        None,
    )
    if first is None:
        return []
    from kb.models import MAX_PARTS

    found = [first]
    numbered = False
    for i in range(first + 1, len(lines)):
        line = lines[i][1]
        if _FIRST_HEADING.match(line):
            numbered = True
        elif numbered and len(found) < MAX_PARTS and _document_title(line):
            after = next_text(i + 1)
            if after is not None and _FIRST_HEADING.match(lines[after][1]):
                found.append(i)
                numbered = False
    parts: list[tuple[int, int, str | None, str | None, str]] = []
    for i in found:
        line_start, line = lines[i]
        parts.append((line_start, min(line_start + len(line) + 1, len(text)), None, line.strip(), kind))
    return parts


def _parse_plain(text: str) -> Outline:
    """Outline of an English plain text; attachments ("Attachment 1" lines) and the documents a covering notice
    issues or forwards are parts outlined on their own."""
    from kb.models import MAX_PARTS

    text = text.strip()
    attachments = [(*p, "attachment") for p in _plain_parts(text)]
    covered = _covered_parts(text, attachments[0][0] if attachments else len(text))
    parts = (covered + attachments)[:MAX_PARTS]
    if not parts:
        return _parse_plain_part(text)
    own_text = text[: parts[0][0]].strip()
    try:
        outline = _parse_plain_part(own_text)
    except NoHeadingsError:
        outline = Outline(metadata.detect(own_text), own_text, [])
    for k, (_, start, label, title, kind) in enumerate(parts, start=1):
        end = parts[k][0] if k < len(parts) else len(text)
        body = text[start:end].strip()
        outline.parts.append(Part(k, kind, metadata.tidy_title(title) if title else None, label))
        try:
            own = _parse_plain_part(body)
        except NoHeadingsError:
            outline.sections.append(Section(SectionId.front_of(k), None, None, body))
            continue
        outline.sections.append(Section(SectionId.front_of(k), None, None, own.front))
        for s in own.sections:
            sid = SectionId(f"a{k}/{s.id}")
            outline.sections.append(Section(sid, s.title, sid.parent, s.body, s.label, s.title_derived))
    if not any(s.id.level for s in outline.sections):
        raise NoHeadingsError("no section headings found")
    return outline


def _parse_plain_part(text: str) -> Outline:
    text = text.strip()
    headings = _accept(text, _candidates(text))
    if not headings:
        raise NoHeadingsError("no section headings found")
    if all(h.level == 2 for h in headings):
        for h in headings:
            h.level = 1

    # Inference: subsections before the first section heading belong to the section before it.
    first_top = next((h.number for h in headings if h.level == 1), None)
    lead_parent = (first_top - 1) if first_top and first_top > 1 else None
    body_start = headings[0].start
    inferred: _Heading | None = None
    if headings[0].level == 2 and headings[0].number > 1:
        line_start = text.rfind("\n", 0, headings[0].start) + 1
        if text[line_start : headings[0].start].strip():
            inferred = _Heading(line_start, line_start, 2, headings[0].number - 1, None)
        else:  # the marker starts its line: the previous paragraph is the missing subsection
            prev_end = text.rstrip()[:line_start].rstrip().rfind("\n")
            if prev_end > 0:
                inferred = _Heading(prev_end + 1, prev_end + 1, 2, headings[0].number - 1, None)
        if inferred:
            headings.insert(0, inferred)
            body_start = inferred.start

    front = text[:body_start].strip()
    dateline: tuple[str | None, str | None] = (None, None)
    sections: list[Section] = []
    current_top: str | None = str(lead_parent) if headings[0].level == 2 and lead_parent else None
    current_sub = ""
    if current_top:
        sections.append(Section(current_top, None, None, "", None))
    for i, h in enumerate(headings):
        end = headings[i + 1].start if i + 1 < len(headings) else len(text)
        content = text[h.end : end].strip()
        if h is inferred:
            source, date, content = metadata.split_dateline(content)
            dateline = (source, date)
        title, body = _split_title(content)
        derived = h.untitled or (h.level >= 2 and _is_no_title(title))
        if derived:  # an article or an untitled item: the whole text is its body, and its title says it is derived
            title, body = _derived_title(content), content
        if h.level == 1:
            current_top = str(h.number)
            title = metadata.tidy_title(title) or None
            sections.append(Section(current_top, title, None, body, h.label, h.untitled and bool(title)))
        elif h.level == 3:  # an item: _accept takes one only right after a subsection or another item
            sid = SectionId(f"{current_sub}.{h.number}")
            sections.append(Section(sid, metadata.tidy_title(title), current_sub, body, h.label, derived))
        else:
            parent = current_top or "1"
            if current_top is None:
                sections.append(Section("1", None, None, "", None))
                current_top = "1"
            title = metadata.tidy_title(title)
            current_sub = f"{parent}.{h.number}"
            sections.append(Section(current_sub, title, parent, body, h.label, derived))
    if dateline == (None, None) and front:
        lines = front.split("\n")
        for j, line in enumerate(lines):
            source, date, rest = metadata.split_dateline(line)
            if source:
                dateline = (source, date)
                lines[j] = rest
                front = "\n".join(lines).strip()
                break
    meta = metadata.detect(front, dateline, tail=sections[-1].body[-metadata.TAIL_CHARS :] if sections else "")
    return Outline(meta, front, sections)


# -- Markdown -----------------------------------------------------------------


@dataclass(frozen=True)
class _MdHeading:
    start: int
    end: int
    level: int  # number of leading "#"
    title: str  # without the closing "#"s and blanks


def _md_headings(text: str) -> list[_MdHeading]:
    """Markdown heading lines, in order; the title is what ``(.+?)[ \\t#]*$`` would capture, found in linear time."""
    found = []
    for m in _MD_HEADING.finditer(text):
        if len(found) >= MAX_HEADING_CANDIDATES:
            raise TooManyHeadings(_too_many())
        rest = m[2]
        title = rest.rstrip(" \t#") or rest[:1]
        found.append(_MdHeading(m.start(), m.end(), len(m[1]), title))
    return found


def _parse_markdown(text: str, matches: list[_MdHeading]) -> Outline:
    """``#`` is the title, ``##`` a section, ``###`` a subsection, ``####`` a third level; markers are honoured.

    A marker is honoured where it continues the numbering (:func:`_continues`, the rule plain text
    follows); elsewhere it is part of the title and the heading takes the next number in order.
    A later ``#`` heading that names an attachment ("# Attachment 1: Rules", "# Annex 2", "# 附件3")
    starts a part of the notice, outlined on its own from 1 again, its sections named in the part
    (``a1/2.5``); any other ``#`` heading is a heading of the level it has, as it always was.
    """
    meta_title = None
    front_start = 0
    if matches and matches[0].level == 1:
        meta_title = matches[0].title.strip()
        front_start = matches[0].end
        matches = matches[1:]
    if not matches:
        raise NoHeadingsError("no section headings found")
    front = text[front_start : matches[0].start].strip()
    segments: list[list[_MdHeading]] = [[]]
    for m in matches:
        if m.level == 1 and _part_label(m.title.strip())[0]:
            segments.append([m])
        else:
            segments[-1].append(m)
    sections: list[Section] = []
    parts: list[Part] = []
    own = segments[0]
    if own:
        sections += _markdown_sections(text, own, 0, end=_segment_end(text, segments, 0))
    for number, segment in enumerate(segments[1:], start=1):
        head, rest = segment[0], segment[1:]
        label, title = _part_label(head.title.strip())
        parts.append(Part(number, "attachment", metadata.tidy_title(title) or None, label))
        preamble_end = rest[0].start if rest else _segment_end(text, segments, number)
        sections.append(Section(SectionId.front_of(number), None, None, text[head.end : preamble_end].strip()))
        sections += _markdown_sections(text, rest, number, end=_segment_end(text, segments, number))
    if not any(s.id.level for s in sections):
        raise NoHeadingsError("no section headings found")
    meta = metadata.detect(front)
    if meta_title:
        meta.title = metadata.tidy_title(meta_title)
    return Outline(meta, front, sections, parts=parts)


#: How a Markdown part heading may name itself before its title: "Attachment 1", "Annex 2:", "附件1".
_PART_LABEL = re.compile(r"^(?:(?:attachment|annex|appendix)\s*\d{0,3}|附件\s*\d{0,3})\s*[:：.、-]?\s*", re.IGNORECASE)


def _part_label(heading: str) -> tuple[str | None, str]:
    """Split "Attachment 1: Rules for X" into its label ("Attachment 1") and title ("Rules for X")."""
    m = _PART_LABEL.match(heading)
    if not m or not m.group(0).strip() or not heading[m.end() :].strip() and not re.search(r"\d", m.group(0)):
        return None, heading
    return m.group(0).strip(" \t:：.、-") or None, heading[m.end() :] or heading


def _segment_end(text: str, segments: list[list[_MdHeading]], k: int) -> int:
    """Where segment ``k`` ends: at the next part's heading, or the end of the text."""
    return segments[k + 1][0].start if k + 1 < len(segments) else len(text)


def _markdown_sections(text: str, matches: list[_MdHeading], part: int, end: int | None = None) -> list[Section]:
    """The sections of one part's headings: its shallowest level is sections, the next subsections, deeper a third."""
    if not matches:
        return []
    ranks = {level: min(k, 2) for k, level in enumerate(sorted({m.level for m in matches}))}
    sections: list[Section] = []
    numbers = [0, 0, 0]
    first_top = True  # the first section heading may have any number, as in plain text
    patterns = (_TOP, _SUB, _THIRD)
    stop = len(text) if end is None else end
    for i, m in enumerate(matches):
        section_end = matches[i + 1].start if i + 1 < len(matches) else stop
        heading, body = m.title.strip(), text[m.end : section_end].strip()
        rank = ranks[m.level]
        # a deeper heading with no heading above it in this part hangs under an inferred, empty one
        for upper in range(rank):
            if numbers[upper] == 0:
                numbers[upper] = 1
                inferred = SectionId.of(*numbers[: upper + 1], part=part)
                sections.append(Section(inferred, None, inferred.parent, "", None))
        marker = patterns[rank].match(heading)
        number = None
        label = None
        if marker:
            token = next(v for v in marker.groupdict().values() if v)
            number = numerals.value(token)
            previous = None if rank == 0 and first_top else numbers[rank]
            if number and _continues(previous, number):
                label = marker.group(0).strip()
                heading = heading[marker.end() :].strip()
            else:
                number = None
        numbers[rank] = number or numbers[rank] + 1
        for deeper in range(rank + 1, 3):
            numbers[deeper] = 0
        if rank == 0:
            first_top = False
        sid = SectionId.of(*numbers[: rank + 1], part=part)
        title = metadata.tidy_title(heading) or (None if rank == 0 else "")
        sections.append(Section(sid, title, sid.parent, body, label))
    return sections


__all__ = ["parse", "NoHeadingsError", "TooManyHeadings", "Metadata"]
