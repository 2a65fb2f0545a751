"""Heading numerals in the styles Chinese policy translations use: 1, IV, Fourth, 四."""

from __future__ import annotations

ORDINALS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth "
    "eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMAN_STEPS = ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
#: Zero as dates write it digit by digit (一九九六, 二〇一八): the numeral 〇, the circle ○ typed in its place, 零,
#: and the letter O that text converted from print or typed by hand sometimes has.
CHINESE_ZEROS = "〇○零OＯ"
#: Every character a Chinese year may be written with, digit by digit.
CHINESE_DIGIT_CHARS = CHINESE_ZEROS + "".join(_CHINESE_DIGITS)
#: Full-width digits (０-９), which Chinese text often uses, as ASCII digits: one character for one, so positions
#: found in the translated text are positions in the original.
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def roman(text: str) -> int | None:
    """Value of a well-formed Roman numeral (I..CXCIX), else None."""
    if not text or any(c not in _ROMAN for c in text):
        return None
    total = 0
    for i, c in enumerate(text):
        v = _ROMAN[c]
        total += -v if i + 1 < len(text) and _ROMAN[text[i + 1]] > v else v
    return total if to_roman(total) == text else None


def to_roman(n: int) -> str:
    out = []
    for value, sym in _ROMAN_STEPS:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)


def chinese(text: str) -> int | None:
    """Value of a Chinese numeral up to 99 (一, 十, 十二, 二十三), else None."""
    if not text:
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        t = _CHINESE_DIGITS.get(tens, None) if tens else 1
        o = _CHINESE_DIGITS.get(ones, None) if ones else 0
        return None if t is None or o is None else t * 10 + o
    return _CHINESE_DIGITS.get(text) if len(text) == 1 else None


def chinese_digits(text: str) -> int | None:
    """Value of a Chinese numeral written digit by digit, as years are (一九九六 1996, 二〇一八 2018), else None."""
    if not text:
        return None
    total = 0
    for char in text:
        digit = 0 if char in CHINESE_ZEROS else _CHINESE_DIGITS.get(char)
        if digit is None:
            return None
        total = total * 10 + digit
    return total


def arabic(text: str) -> int | None:
    """Value of a number in ASCII or full-width digits (１２３), else None."""
    text = text.translate(FULLWIDTH_DIGITS)
    return int(text) if text.isascii() and text.isdigit() else None


def ordinal(word: str) -> int | None:
    try:
        return ORDINALS.index(word.lower()) + 1
    except ValueError:
        return None


def value(token: str) -> int | None:
    """Value of a numeral in any supported style."""
    if token.isdigit():
        return int(token)
    return roman(token) or chinese(token) or ordinal(token)
