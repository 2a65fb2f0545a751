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


def flag(raw: str | None) -> bool:
    """A yes/no query parameter: "1", "true" or "yes" mean yes; anything else (or nothing) no."""
    return (raw or "").lower() in ("1", "true", "yes")
