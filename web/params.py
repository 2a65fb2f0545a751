"""Parsing request parameters that both the pages and the API take, without trusting their size."""

from __future__ import annotations

import unicodedata


def whole_number(raw: str, low: int, high: int) -> int | None:
    """``raw`` as a whole number from ``low`` to ``high`` (digits of any script), or None if it is not one.

    The digits are checked before any conversion: ``int()`` of more than
    4,300 digits raises ValueError (Python's guard against quadratic
    conversions), and a number that long is out of range anyway.
    """
    if not raw.isdecimal():
        return None
    digits = "".join(str(unicodedata.decimal(ch)) for ch in raw).lstrip("0") or "0"
    if len(digits) > len(str(high)):
        return None
    value = int(digits)
    return value if low <= value <= high else None


#: What a yes/no parameter says yes with (``separate=1``, ``as_typed=true``); anything else is no.
YES = frozenset({"1", "true", "yes", "on"})


def flag(raw: str | None) -> bool:
    """A yes/no parameter: yes only when it says so (see :data:`YES`)."""
    return (raw or "").strip().lower() in YES


def search_switches(args) -> dict[str, bool]:
    """How the page and the API both ask :meth:`kb.search.KnowledgeBase.search` to treat what was typed:
    ``as_typed=1`` searches misspelt words as typed (``correct``); ``prefix=1`` matches the word being typed as
    a prefix, unless a space after it ends it (seen in ``q`` as sent: the query searched is stripped)."""
    return {
        "correct": not flag(args.get("as_typed")),
        "prefix": flag(args.get("prefix")) and not args.get("q", "")[-1:].isspace(),
    }
