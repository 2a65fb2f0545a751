"""Text measured, cut, padded and wrapped by the columns it takes in a terminal, not by its characters.

A Chinese character takes two columns, a combining accent none, and an emoji
sequence of several code points two; ``len`` counts none of that right, so a
Chinese title padded with ``:<60`` overflows its column and a snippet wrapped
with ``textwrap`` runs past the terminal's edge. Widths come from ``wcwidth``
(maintained, with Unicode's East Asian width and grapheme tables).

Lines break where a reader expects: between words in Latin text, and between
any two characters in Chinese, Japanese or Korean text (which has no spaces),
never inside a grapheme cluster (a letter and its accents, an emoji sequence),
never before closing punctuation such as ``，`` or ``。`` and never after
opening punctuation such as ``《`` (the usual line-breaking rules of CJK
typesetting).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

import wcwidth

#: Punctuation that never starts a line: it belongs to the text before it (CJK line-breaking rules).
NO_BREAK_BEFORE = frozenset("，。、；：？！）》」』】〕〉〗〙〛”’…‥·・ー～％，．：；？！）］｝〞!),.:;?]}%")
#: Punctuation that never ends a line: it belongs to the text after it.
NO_BREAK_AFTER = frozenset("（《「『【〔〈〖〘〚“‘（［｛〝([{")
#: Zero-width space: a place to break a line that shows no space when the line is not broken there.
ZERO_WIDTH_SPACE = "\u200b"

#: Code point ranges of scripts written without spaces, where a line may break between any two characters:
#: Hangul Jamo, CJK radicals to Yi (punctuation, kana, Han, Bopomofo, Hangul compatibility), Hangul syllables,
#: CJK compatibility ideographs, vertical and small forms, full-width forms, and the supplementary Han planes.
_CJK = re.compile(
    "[\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe10-\ufe1f\ufe30-\ufe6f\uff00-\uffef\U00020000-\U0003fffd]"
)
#: Runs of anything but whitespace: the words of a text all in ASCII, which needs no grapheme clusters.
_WORD = re.compile(r"\S+")


def display_width(text: str) -> int:
    """The columns ``text`` takes in a terminal (wide characters two, combining marks and zero-width ones none)."""
    if text.isascii() and text.isprintable():  # most text: one column a character, without asking wcwidth
        return len(text)
    return wcwidth.width(text)


def is_cjk(char: str) -> bool:
    """Whether ``char`` is of a script written without spaces between words (Chinese, Japanese, Korean)."""
    return _CJK.match(char) is not None


class Piece(NamedTuple):
    """The smallest stretch of text a line keeps whole: ``text[start:end]``; ``space`` when whitespace separates
    it from the piece before (shown as one space when both are on one line, dropped at a line break)."""

    start: int
    end: int
    space: bool


def pieces(text: str) -> list[Piece]:
    """``text`` cut where a line may break: at whitespace, and around each CJK character, never inside a
    grapheme cluster, never before closing or after opening punctuation."""
    if text.isascii():  # no CJK, no clusters, no zero-width spaces: words between whitespace
        return [
            Piece(m.start(), m.end(), k > 0 and text[m.start() - 1].isspace())
            for k, m in enumerate(_WORD.finditer(text))
        ]
    out: list[Piece] = []
    start: int | None = None  # start of the Latin word being read
    space = False
    glue = False  # the piece before ends with opening punctuation: the next one joins it
    pos = 0

    def add(s: int, e: int) -> None:
        nonlocal space, glue
        first = text[s]
        if out and not space and (glue or first in NO_BREAK_BEFORE):
            out[-1] = Piece(out[-1].start, e, out[-1].space)
        else:
            out.append(Piece(s, e, space))
        space = False
        glue = text[e - 1] in NO_BREAK_AFTER

    for cluster in wcwidth.iter_graphemes(text):
        end = pos + len(cluster)
        if cluster.isspace():
            if start is not None:
                add(start, pos)
                start = None
            space, glue = bool(out), False
        elif cluster == ZERO_WIDTH_SPACE:
            if start is not None:  # kept on the word before, where it breaks nothing
                add(start, end)
                start = None
            elif out and not space:
                out[-1] = Piece(out[-1].start, end, out[-1].space)
            glue = False
        elif is_cjk(cluster[0]) or cluster[0] in NO_BREAK_BEFORE and start is None and not space and out:
            if start is not None:
                add(start, pos)
                start = None
            add(pos, end)
        elif start is None:
            start = pos
        pos = end
    if start is not None:
        add(start, pos)
    return out


def break_lines(text: str, parts: list[Piece], first: int | None, rest: int | None = None) -> list[list[Piece]]:
    """``parts`` of ``text`` filled greedily into lines of at most ``first`` columns (the first line) and ``rest``
    (the others); None is no limit. A piece wider than its line gets a line of its own and is not split."""
    rest = first if rest is None else rest
    lines: list[list[Piece]] = [[]]
    used = 0
    for part in parts:
        size = display_width(text[part.start : part.end])
        room = first if len(lines) == 1 else rest
        gap = 1 if part.space and lines[-1] else 0
        if room is not None and lines[-1] and used + gap + size > room:
            lines.append([])
            used, gap = 0, 0
        used += gap + size
        lines[-1].append(part)
    return lines


def join(text: str, line: list[Piece], render: Callable[[int, int], str] | None = None) -> str:
    """One line's pieces as text: a space where the source had whitespace, nothing between CJK characters.
    ``render(start, end)`` gives a piece's shown form (default: its text)."""
    show = render or (lambda s, e: text[s:e])
    return "".join((" " if part.space and i else "") + show(part.start, part.end) for i, part in enumerate(line))


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """``text`` wrapped to ``width`` columns, the first line starting with ``first`` and the others with ``rest``;
    an empty text is one line, ``first``."""
    parts = pieces(text)
    lines = break_lines(text, parts, width - display_width(first), width - display_width(rest))
    return [(first if i == 0 else rest) + join(text, line) for i, line in enumerate(lines)]


def fit(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` columns, ending with an ellipsis where it was cut; never inside a
    grapheme cluster (a wide character that would cross the edge is left out whole)."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for cluster in wcwidth.iter_graphemes(text):
        size = display_width(cluster)
        if used + size > width - 1:
            break
        out.append(cluster)
        used += size
    return "".join(out) + "…"


def pad(text: str, width: int, align: str = "<") -> str:
    """``text`` padded with spaces to ``width`` columns (``<`` on the right, ``>`` on the left); a text already as
    wide is returned as it is."""
    room = " " * max(0, width - display_width(text))
    return room + text if align == ">" else text + room
