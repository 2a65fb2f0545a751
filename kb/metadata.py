"""Read a notice's metadata from its text: title, document number, dateline, issuing bodies.

Only what the text states is read; facts it lacks come from the corpus
manifest (:mod:`kb.corpus`). A date is reported only when it is unambiguous.
"""

from __future__ import annotations

import datetime as dt
import re

from kb.models import Metadata

_NUMBER = re.compile(
    r"\b(?P<issuer>[A-Z][A-Za-z]*(?:-[A-Za-z]+)?(?:[ \t]+[A-Z][A-Za-z]*(?:-[A-Za-z]+)?){0,4})[ \t]*"
    r"[\[〔［(（]\s*(?P<year>(?:19|20)\d\d)\s*[\]〕］)）]"
    r"\s*(?:No\.?\s*)?(?P<seq>\d{1,4})\b"
)
_DATELINE = re.compile(
    r"^(?P<source>[A-Z][A-Za-z&.'-]*(?:[ ][A-Z][A-Za-z&.'-]*){0,4})[ ]+"
    r"(?P<stamp>\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{5,8})[ ]*(?=[A-Z(（])"
)
_TITLE_WORDS = re.compile(
    r"\b(notice|circular|opinions?|measures|plan|decision|announcement|guidelines?|regulations?|provisions|rules)\b",
    re.IGNORECASE,
)
_MONTHS = "january february march april may june july august september october november december".split()
_DATE_PATTERNS = (
    re.compile(r"\b(?P<y>(?:19|20)\d\d)[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?"),
    re.compile(r"\b(?P<month>[A-Z][a-z]+) (?P<d>\d{1,2}), (?P<y>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<d>\d{1,2}) (?P<month>[A-Z][a-z]+),? (?P<y>(?:19|20)\d\d)\b"),
)
#: "including the A, the B ... jointly issued": found as two plain searches (:func:`_issuer_list`), not as one
#: pattern with a lazy list between them, which rescans the rest of the line from every "including the".
_LIST_START = "including the "
_LIST_END = re.compile(r",? jointly (?:issued|released|published)")
#: "Notice of the General Office of the State Council on ...": the body a title names as the notice's author.
_TITLE_ISSUER = re.compile(
    r"\b(?i:notice|circular|opinions|decision|announcement|measures|plan)\s+of\s+the\s+"
    r"(?P<issuer>[A-Z][\w'-]*(?:\s+(?:of|and|for|the|[A-Z][\w'-]*)){0,12}?)\s+(?:on|regarding|concerning)\b"
)
_ISSUERS_LEAD = re.compile(
    r"^(?:The )?(?P<first>[A-Z][\w ,()-]+?) and (?:\w+ )?other (?:departments|ministries|agencies) jointly"
)


def document_number(text: str) -> str | None:
    """The notice's document number in a canonical spacing: "MIIT Communications [2024] No. 165"."""
    m = _NUMBER.search(text)
    if not m:
        return None
    return f"{m['issuer'].strip()} [{m['year']}] No. {m['seq']}"


def split_dateline(paragraph: str) -> tuple[str | None, str | None, str]:
    """Split a news dateline ("GMT Eight 202094Promote ...") off a paragraph.

    Returns (source, date or None, the rest of the paragraph).
    """
    m = _DATELINE.match(paragraph)
    if not m:
        return None, None, paragraph
    return m["source"], parse_date(m["stamp"]), paragraph[m.end() :].lstrip()


def parse_date(text: str) -> str | None:
    """ISO date from a stamp, or None when the stamp has more than one reading.

    Digits run together are read only in the unambiguous 8-digit YYYYMMDD form:
    "202094" could be 2020-09-04 or a 2024 date that lost digits, so it is not guessed.
    """
    text = text.strip()
    if text.isdigit():
        if len(text) != 8:
            return None
        return _iso(int(text[:4]), int(text[4:6]), int(text[6:]))
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        month = int(m["m"]) if "m" in m.groupdict() else _month(m["month"])
        if month:
            return _iso(int(m["y"]), month, int(m["d"]))
    return None


def _month(name: str) -> int | None:
    try:
        return _MONTHS.index(name.lower()) + 1
    except ValueError:
        return None


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def issuers(text: str) -> list[str]:
    """Issuing bodies named in a lead sentence ("Eleven departments, including the A, the B, ... jointly issued")."""
    listed = _issuer_list(text)
    if listed:
        parts = re.split(r",\s*(?:and\s+)?(?=the\s)|\s+and\s+(?=the\s)", listed)
        return [re.sub(r"^the\s+", "", p.strip()).rstrip(",") for p in parts if p.strip()]
    m = _ISSUERS_LEAD.search(text)
    if m:
        return [m["first"].strip()]
    return []


def title_issuer(title: str | None) -> list[str]:
    """The issuing body a title names ("Notice of the General Office of the State Council on ..."), if any."""
    m = _TITLE_ISSUER.search(title or "")
    if not m:
        return []
    return [part for part in re.split(r",\s*(?:and\s+)?the\s+|\s+and\s+the\s+", m["issuer"]) if part]


def _issuer_list(text: str) -> str | None:
    """The list in "including the A, the B, ... jointly issued", in time linear in ``text``.

    What the pattern ``including (the .+?),? jointly issued`` would capture: the
    first "including the " of a line starts the list, and the nearest "jointly
    issued" at least one character after it ends it. When none follows the
    first "including the ", none follows a later one on that line either, so
    one search of each kind per line decides.
    """
    for line in text.split("\n"):
        start = line.find(_LIST_START)
        if start < 0:
            continue
        list_start = start + len("including ")
        end = _LIST_END.search(line, start + len(_LIST_START) + 1)
        if end:
            return line[list_start : end.start()]
    return None


def title(front_lines: list[str], number: str | None) -> str | None:
    """The title among the front matter's short lines: one that names a kind of document, else the first headline."""
    candidates = [
        line
        for line in front_lines
        if len(line) <= 250 and len(line.split()) >= 4 and not (number and document_number(line) == number)
    ]
    named = [line for line in candidates if _TITLE_WORDS.search(line)]
    chosen = (named or candidates or [None])[0]
    return tidy_title(chosen) if chosen else None


def tidy_title(text: str) -> str:
    """A heading as a reader expects it: no trailing full stop, first letter capitalised."""
    text = text.strip().rstrip("。.;；:：,，").strip()
    return text[:1].upper() + text[1:]


def detect(front: str, dateline: tuple[str | None, str | None] = (None, None)) -> Metadata:
    lines = [line.strip() for line in front.split("\n") if line.strip()]
    number = document_number(front)
    source, date = dateline
    if date is None:
        date = next((d for line in lines if len(line) <= 120 and (d := parse_date(line))), None)
    heading = title(lines, number)
    return Metadata(
        title=heading,
        number=number,
        source=source,
        date=date,
        issuers=issuers(" ".join(lines)) or title_issuer(heading),
    )
