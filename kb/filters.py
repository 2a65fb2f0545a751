"""What narrows a search or a list of notices (notice, issuer, year, type, translation), and paging.

Filters are checked against the catalog once, here, so that the web and the
CLI give the same one-line answer to a filter that names nothing in the
knowledge base. Paging arithmetic lives on the result objects (:class:`Paged`),
not in templates and views.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, fields

from kb.errors import InvalidRequest
from kb.models import Notice

#: Facet and filter keys, in the order pages show them.
FACET_KEYS = ("notice", "issuer", "year", "type", "translation")
_YEAR = re.compile(r"(?:19|20)\d\d")
#: Longest filter value read (a notice id is at most 64 characters; issuing bodies' names are far shorter).
MAX_VALUE_LENGTH = 200


@dataclass(frozen=True)
class Filters:
    """Conditions a result's notice (and translation) must meet; None means "any"."""

    notice: str | None = None
    issuer: str | None = None
    year: int | None = None
    type: str | None = None
    translation: str | None = None

    @classmethod
    def parse(cls, values: dict[str, str | None], notices: list[Notice]) -> Filters:
        """Filters from text (query parameters, command options), checked against the notices held.

        An empty value means no filter. A value that names nothing in the
        knowledge base is an :class:`InvalidRequest` saying so; issuing
        bodies and types match without regard to case, and are kept in the
        spelling the notices use.
        """
        raw = {k: (v or "").strip() or None for k, v in values.items() if k in FACET_KEYS}
        for key, value in raw.items():
            if value is not None and len(value) > MAX_VALUE_LENGTH:
                raise InvalidRequest(f"{key} is too long (the limit is {MAX_VALUE_LENGTH} characters)")
        year = None
        if raw.get("year") is not None:
            if not _YEAR.fullmatch(raw["year"]):
                raise InvalidRequest(f"year must be a year such as 2024, not {raw['year']!r}")
            year = int(raw["year"])
        notice = raw.get("notice")
        if notice is not None and not any(n.id == notice for n in notices):
            raise InvalidRequest(f"there is no notice {notice!r}")
        issuer = _known(
            raw.get("issuer"),
            (i for n in notices for i in n.issuers),
            "no notice was issued by",
            "give the body's full name as the notices list it; in a query, issuer:MIIT also matches abbreviations",
        )
        doc_type = _known(raw.get("type"), (n.doc_type for n in notices if n.doc_type), "no notice is of type")
        translation = raw.get("translation")
        if translation is not None and not any(n.translation(translation) for n in notices):
            raise InvalidRequest(f"there is no translation called {translation!r}")
        return cls(notice, issuer, year, doc_type, translation)

    def admits(self, notice: Notice) -> bool:
        """Whether ``notice`` meets every filter (a translation filter: the notice has that translation)."""
        return (
            (self.notice is None or notice.id == self.notice)
            and (self.issuer is None or self.issuer in notice.issuers)
            and (self.year is None or notice.year == self.year)
            and (self.type is None or notice.doc_type == self.type)
            and (self.translation is None or notice.translation(self.translation) is not None)
        )

    @property
    def on_notices(self) -> bool:
        """Whether any filter other than the translation's is set (those are decided per notice)."""
        return any(getattr(self, k) is not None for k in ("notice", "issuer", "year", "type"))

    def active(self) -> dict[str, str]:
        """The filters set, as text by key (for links and JSON)."""
        return {f.name: str(v) for f in fields(self) if (v := getattr(self, f.name)) is not None}

    def __bool__(self) -> bool:
        return bool(self.active())


def _known(value: str | None, known: Iterable[str], missing: str, hint: str = "") -> str | None:
    """``value`` as the notices spell it (matched without regard to case); :class:`InvalidRequest` if none has it."""
    if value is None:
        return None
    folded = value.casefold()
    match = next((k for k in known if k.casefold() == folded), None)
    if match is None:
        raise InvalidRequest(f"{missing} {value!r}" + (f" ({hint})" if hint else ""))
    return match


def notice_facets(counts: Counter[str], notices: dict[str, Notice]) -> dict[str, dict[str, int]]:
    """Facet counts from a count per notice id: notices, issuing bodies, years and types.

    A notice with several issuing bodies counts under each, so the issuer
    counts may add up to more than the total.
    """
    issuer: Counter[str] = Counter()
    year: Counter[str] = Counter()
    doc_type: Counter[str] = Counter()
    for notice_id, n in counts.items():
        notice = notices[notice_id]
        for name in dict.fromkeys(notice.issuers):
            issuer[name] += n
        if notice.year:
            year[str(notice.year)] += n
        if notice.doc_type:
            doc_type[notice.doc_type] += n
    return {
        "notice": _ranked(counts),
        "issuer": _ranked(issuer),
        "year": dict(sorted(year.items(), reverse=True)),
        "type": _ranked(doc_type),
    }


def _ranked(counts: Counter[str]) -> dict[str, int]:
    """Most first; ties in name order, so that the order is stable."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


class Paged:
    """Paging arithmetic for a result with ``total``, ``limit``, ``offset`` and the ``shown`` items of one page."""

    total: int
    limit: int
    offset: int

    @property
    def shown(self) -> int:
        raise NotImplementedError

    @property
    def page(self) -> int:
        return self.offset // self.limit + 1

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))

    @property
    def has_more(self) -> bool:
        return self.offset + self.shown < self.total

    @property
    def first(self) -> int:
        """Rank of the first item shown (1-based)."""
        return self.offset + 1

    @property
    def last(self) -> int:
        return self.offset + self.shown
