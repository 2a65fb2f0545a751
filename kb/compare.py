"""Word-level differences between two translations of a section, as values (no markup).

Two translations of one notice say the same things in different words; a
reader comparing them wants to see where the wording parts. :func:`compare`
splits both texts into words (each with the spaces and punctuation after it),
aligns the words with :class:`difflib.SequenceMatcher` (``autojunk`` off, so
that common words are not thrown away as noise), and returns the texts cut
into :class:`Span` values: equal, only in the left text, only in the right
text, or changed. Words are matched without regard to case, punctuation or
spacing ("Security," and "security" are the same word), while every span
keeps each side's original text, so joining the spans gives back both texts
exactly.

Why difflib: it is in the standard library, its answer depends only on its
input, and for sections of normal length it is fast enough. diff-match-patch
(the maintained diff library with a word mode), timed in the same run by
``benchmarks/compare.py``, was 4 to 6 times slower on 1,000 to 5,000 words a
side, and on longer texts it stops at a wall-clock deadline, so that its
answer depends on how busy the machine is.

Its cost is what needs bounding: :class:`~difflib.SequenceMatcher` looks at
every pair of equal words, and a section can hold a megabyte of text, where
"the" alone pairs with itself millions of times. The pairs are counted before
each alignment (:func:`_pairs`), and every comparison has a budget of them
(:data:`WORK_BUDGET`). Common beginnings and endings are set aside first, for
nothing. A text whose words would cost more is aligned sentence by sentence,
and word by word only within the sentences that differ (a run of differing
sentences all at once, or else each with the one at its place on the other
side), while the budget lasts; what is left is marked changed as a whole, and
:attr:`Comparison.note` says so. The pairs examined never pass the budget,
and the rest of the work is linear in the length of the texts, whatever they
hold.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, lru_cache

from kb.language import HAN_CHARS


class Kind(StrEnum):
    """What a span is: the same in both texts, only in one, or worded differently."""

    EQUAL = "equal"
    LEFT_ONLY = "left-only"
    RIGHT_ONLY = "right-only"
    CHANGED = "changed"


class Level(StrEnum):
    """How finely the texts were aligned: word by word throughout, or coarser where the budget ran out."""

    WORD = "word"
    #: Sentences were aligned first, then words within each pair of differing sentences.
    SENTENCE = "sentence"
    #: Some passage was too costly to align at all and is marked changed as a whole.
    PASSAGE = "passage"


#: Pairs of equal words (or sentences) one comparison may examine. difflib spends about 0.3-0.8 µs a pair
#: (benchmarks/compare.py), so this bounds a comparison to well under a second; sections of a few thousand
#: words, far longer than a notice's sections, stay within it and are compared word by word.
WORK_BUDGET = 1_000_000
#: Most words (or sentences) on either side that one alignment takes, whatever their pairs cost: the recursion
#: of SequenceMatcher multiplies its work by the depth of its matches, which grows with the length.
MAX_WORDS = 20_000
#: Comparisons kept (by both texts): a compare page and its JSON ask for the same ones, and a section's
#: neighbours are visited in turn. Small, since each holds both texts.
CACHE_SIZE = 32

#: A word: one CJK ideograph, or a run of letters and digits (a hyphen, an apostrophe or a full stop separates
#: words, so "cross-department" and "cross department" are the same words).
_CJK = HAN_CHARS
_WORD = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
#: Where a sentence ends: its closing punctuation and the spaces after it, or a line break. A match starts
#: only where a run of punctuation starts (the lookbehind), so a long run is read once, not once a character.
_SENTENCE_END = re.compile(r"(?<![.!?;。；！？])[.!?;。；！？]+(?:\s+|\Z)|\n\s*")
#: Spaces and punctuation at the start of a text (and, of the text reversed, at its end: a pattern anchored
#: at the end would be tried at every position of a long run of punctuation).
_NOT_WORDS = re.compile(r"[\W_]*")


@dataclass(frozen=True)
class Span:
    """A stretch of both texts: ``left`` and ``right`` are each side's original text (one is empty when the
    span is only in the other)."""

    kind: Kind
    left: str
    right: str

    def to_json(self) -> dict:
        return {"kind": str(self.kind), "left": self.left, "right": self.right}


@dataclass(frozen=True)
class Comparison:
    """Two texts cut into spans, in order; joining each side's parts gives that text back."""

    spans: tuple[Span, ...]
    level: Level
    #: Pairs examined, at most the budget: what the alignment cost.
    work: int

    @property
    def note(self) -> str | None:
        """Why some differences are marked more coarsely than word by word, for a reader; None when they are not."""
        if self.level is Level.SENTENCE:
            return "These texts are long, so they were aligned sentence by sentence first, then word by word."
        if self.level is Level.PASSAGE:
            return (
                "These texts are too long or too repetitive to compare word by word throughout: "
                "some passages are marked as changed as a whole."
            )
        return None

    @property
    def differences(self) -> int:
        """Passages that differ (spans that are not equal)."""
        return sum(1 for s in self.spans if s.kind is not Kind.EQUAL)

    @cached_property
    def similarity(self) -> float:
        """The share of the two texts' words that they have in common (1.0 for two texts without words)."""
        same = total = 0
        for s in self.spans:
            left, right = _word_count(s.left), _word_count(s.right)
            total += left + right
            if s.kind is Kind.EQUAL:
                same += left + right
        return same / total if total else 1.0

    def to_json(self) -> dict:
        return {
            "level": str(self.level),
            "note": self.note,
            "differences": self.differences,
            "similarity": round(self.similarity, 3),
            "spans": [s.to_json() for s in self.spans],
        }


def compare(left: str, right: str, budget: int = WORK_BUDGET) -> Comparison:
    """The differences between ``left`` and ``right``, word by word where ``budget`` allows (see the module)."""
    return _compare(left, right, budget)


@lru_cache(maxsize=CACHE_SIZE)
def _compare(left: str, right: str, budget: int) -> Comparison:
    work = _Work(budget)
    spans = _by_words(left, right, work)
    return Comparison(tuple(_tidy(spans)), work.level, work.used)


class _Work:
    """What a comparison may still spend, and the coarsest level it had to fall back to."""

    def __init__(self, budget: int) -> None:
        self.left = budget
        self.used = 0
        self.level = Level.WORD

    def take(self, cost: int) -> bool:
        if cost > self.left:
            return False
        self.left -= cost
        self.used += cost
        return True

    def coarser(self, level: Level) -> None:
        order = list(Level)
        if order.index(level) > order.index(self.level):
            self.level = level


class _Units:
    """What is aligned, in order: words (or sentences) by their keys, each with its original text.

    Two parallel lists rather than an object a unit: a megabyte of text is 200,000 words.
    """

    __slots__ = ("keys", "texts")

    def __init__(self, keys: list[str], texts: list[str]) -> None:
        self.keys, self.texts = keys, texts

    def __len__(self) -> int:
        return len(self.keys)

    def part(self, start: int, stop: int) -> _Units:
        return _Units(self.keys[start:stop], self.texts[start:stop])

    def text(self, start: int = 0, stop: int | None = None) -> str:
        return "".join(self.texts[start:stop])


def _key(word: str) -> str:
    return word.lower() if word.isascii() else unicodedata.normalize("NFKC", word).casefold()


def _word_count(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def _words(text: str) -> _Units:
    """The text as units: first what comes before its first word (key ""), then each word and what follows it."""
    matches = list(_WORD.finditer(text))
    starts = [0, *(m.start() for m in matches), len(text)]
    keys = ["", *(_key(m.group()) for m in matches)]
    return _Units(keys, [text[starts[i] : starts[i + 1]] for i in range(len(keys))])


def _sentences(text: str) -> _Units:
    """The text as sentences, each keyed by its words (so punctuation and case do not part two sentences)."""
    cuts = [0, *(m.end() for m in _SENTENCE_END.finditer(text)), len(text)]
    texts = [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
    return _Units([" ".join(map(_key, _WORD.findall(t))) for t in texts], texts)


def _pairs(a: _Units, b: _Units) -> int:
    """What aligning ``a`` with ``b`` costs: the pairs of equal keys SequenceMatcher visits, plus their lengths."""
    counts = Counter(b.keys)
    return len(a) + len(b) + sum(counts[k] for k in a.keys)


def _common_ends(a: _Units, b: _Units) -> tuple[int, int]:
    """How many units ``a`` and ``b`` share at their start, and at their end (not overlapping)."""
    n = min(len(a), len(b))
    head = 0
    while head < n and a.keys[head] == b.keys[head]:
        head += 1
    tail = 0
    while tail < n - head and a.keys[-1 - tail] == b.keys[-1 - tail]:
        tail += 1
    return head, tail


def _one_sided(left: str, right: str) -> list[Span]:
    if left and right:
        return [Span(Kind.CHANGED, left, right)]
    if left:
        return [Span(Kind.LEFT_ONLY, left, "")]
    return [Span(Kind.RIGHT_ONLY, "", right)] if right else []


def _align(a: _Units, b: _Units, work: _Work, refine) -> list[Span] | None:
    """Spans of ``a`` against ``b`` (``refine`` turns a differing stretch of each into spans); None when the
    alignment would cost more than ``work`` has left."""
    head, tail = _common_ends(a, b)
    spans = [Span(Kind.EQUAL, a.text(0, head), b.text(0, head))]
    mid_a, mid_b = a.part(head, len(a) - tail), b.part(head, len(b) - tail)
    if len(mid_a) and len(mid_b):
        if max(len(mid_a), len(mid_b)) > MAX_WORDS or not work.take(_pairs(mid_a, mid_b)):
            return None
        matcher = difflib.SequenceMatcher(None, mid_a.keys, mid_b.keys, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                spans.append(Span(Kind.EQUAL, mid_a.text(i1, i2), mid_b.text(j1, j2)))
            else:
                spans += refine(mid_a.part(i1, i2), mid_b.part(j1, j2))
    else:
        spans += _one_sided(mid_a.text(), mid_b.text())
    spans.append(Span(Kind.EQUAL, a.text(len(a) - tail), b.text(len(b) - tail)))
    return spans


def _by_words(left: str, right: str, work: _Work) -> list[Span]:
    """Word by word; else sentence by sentence, then word by word within the sentences that differ."""
    words = _words(left), _words(right)
    spans = _align(*words, work, _unrefined)
    if spans is not None:
        return spans
    work.coarser(Level.SENTENCE)
    spans = _align(_sentences(left), _sentences(right), work, lambda a, b: _within_sentences(a, b, work))
    return spans if spans is not None else _whole(left, right, work, words)


def _unrefined(a: _Units, b: _Units) -> list[Span]:
    return _one_sided(a.text(), b.text())


def _within_sentences(a: _Units, b: _Units, work: _Work) -> list[Span]:
    """Differing sentences, word by word: all of them at once, else each with the one at its place on the
    other side (translations keep the order of what they translate), while the budget lasts."""
    spans = _align(_words(a.text()), _words(b.text()), work, _unrefined)
    if spans is not None:
        return spans
    spans = []
    for i in range(max(len(a), len(b))):
        left, right = a.texts[i] if i < len(a) else "", b.texts[i] if i < len(b) else ""
        spans += _align(_words(left), _words(right), work, _unrefined) or _whole(left, right, work)
    return spans


def _whole(left: str, right: str, work: _Work, words: tuple[_Units, _Units] | None = None) -> list[Span]:
    """Two texts too costly to align, as one changed span between what they share at their start and end
    (``words``: the texts' words, where they are known already)."""
    work.coarser(Level.PASSAGE)
    a, b = words or (_words(left), _words(right))
    head, tail = _common_ends(a, b)
    return [
        Span(Kind.EQUAL, a.text(0, head), b.text(0, head)),
        *_one_sided(a.text(head, len(a) - tail), b.text(head, len(b) - tail)),
        Span(Kind.EQUAL, a.text(len(a) - tail), b.text(len(b) - tail)),
    ]


def _tidy(spans: list[Span]) -> list[Span]:
    """Spans as a reader sees them: a differing span starts and ends with a word (the spaces and punctuation
    around it belong to its equal neighbours), neighbours of one kind are one span, and none is empty."""
    out: list[Span] = []

    def add(kind: Kind, left: str, right: str) -> None:
        if not left and not right:
            return
        if kind is not Kind.EQUAL:
            kind = Kind.CHANGED if left and right else Kind.LEFT_ONLY if left else Kind.RIGHT_ONLY
        if out and (out[-1].kind is Kind.EQUAL) == (kind is Kind.EQUAL):
            last = out.pop()
            left, right = last.left + left, last.right + right
            if kind is not Kind.EQUAL:
                kind = Kind.CHANGED if left and right else Kind.LEFT_ONLY if left else Kind.RIGHT_ONLY
        out.append(Span(kind, left, right))

    for s in spans:
        if s.kind is Kind.EQUAL:
            add(Kind.EQUAL, s.left, s.right)
            continue
        (lead_l, core_l, tail_l), (lead_r, core_r, tail_r) = _trim(s.left), _trim(s.right)
        add(Kind.EQUAL, lead_l, lead_r)
        add(s.kind, core_l, core_r)
        add(Kind.EQUAL, tail_l, tail_r)
    return out


def _trim(text: str) -> tuple[str, str, str]:
    """``text`` as (spaces and punctuation before its first word, the rest, spaces and punctuation after its
    last word); text without words is all lead."""
    lead = _NOT_WORDS.match(text).end()  # type: ignore[union-attr]
    if lead == len(text):
        return text, "", ""
    tail = len(text) - _NOT_WORDS.match(text[::-1]).end()  # type: ignore[union-attr]
    return text[:lead], text[lead:tail], text[tail:]
