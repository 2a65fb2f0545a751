"""Snippets: the stretch of a section's own text where the query's terms are densest.

Matching is done on stems, display is the original characters, so a reader
sees "approval" marked for a query about "approves". The HTML form escapes
the text first and only then inserts its own ``<mark>`` elements.

Chinese text has no spaces to cut at: its snippet is a window of characters
(CHINESE_WINDOW_CHARS) around the densest matches, begun after a punctuation
mark where one is near, and never cut between a character and the marks that
combine with it (a variation selector of a Han character, an accent).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from html import escape

from kb import segment
from kb.index import analyzer

WINDOW_TOKENS = 32
MAX_CHARS = 320
#: Characters of a Chinese snippet. A Chinese character is about a word and takes two columns, so a hundred
#: fill about the width of an English snippet's 32 words (200 columns, two or three lines of a result).
CHINESE_WINDOW_CHARS = 100
#: At most this many characters of context before the first match; the snippet starts after the last mark
#: that ends a clause among them, when there is one (a reader starts at a clause, as with a word).
CHINESE_LEAD_CHARS = 16
#: Marks after which a Chinese clause begins.
_CLAUSE_END = re.compile(r"[。！？；，、：\n]")


@dataclass(frozen=True)
class Snippet:
    plain: str
    spans: tuple[tuple[int, int], ...]  # character offsets of matches in ``plain``

    @property
    def html(self) -> str:
        out, pos = [], 0
        for s, e in self.spans:
            out.append(escape(self.plain[pos:s]))
            out.append(f"<mark>{escape(self.plain[s:e])}</mark>")
            pos = e
        out.append(escape(self.plain[pos:]))
        return "".join(out)

    def marked(self, before: str, after: str) -> str:
        """The plain text with each match wrapped (for terminals: colour codes)."""
        out, pos = [], 0
        for s, e in self.spans:
            out += [self.plain[pos:s], before, self.plain[s:e], after]
            pos = e
        out.append(self.plain[pos:])
        return "".join(out)


def match_spans(text: str, terms: set[str]) -> list[tuple[int, int]]:
    """Character spans of the words of ``text`` whose stems are in ``terms`` (Chinese words as cut, where both
    the text and the terms have Han characters), in order and not overlapping."""
    if not terms:
        return []
    spans = [(t.startchar, t.endchar) for t in analyzer()(text, chars=True) if t.text in terms]
    if segment.has_han(text) and any(segment.has_han(t) for t in terms):
        spans = [s for s in spans if not segment.has_han(text[s[0] : s[1]])]  # a Han run is not a word
        spans += [(s, e) for s, e, word in chinese_tokens(text) if word in terms]
    return _merged(spans)


def _merged(spans) -> list[tuple[int, int]]:
    """Spans sorted, overlapping or touching ones joined: a word and its sub-words (账号密码, 账号, 密码), and words
    side by side in Chinese, which has no space between them (弱 and 口令 are marked 弱口令, as typed)."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def stem_tokens(text: str, chinese: bool = False) -> list[tuple[int, int, str]]:
    """(start, end, stem) of every word of ``text``; worth caching per document. ``chinese``: the text is
    indexed as Chinese (kb.language.is_chinese), and its tokens are its words and sub-words as cut."""
    if chinese:
        return chinese_tokens(text)
    return [(t.startchar, t.endchar, t.text) for t in analyzer()(text, chars=True, removestops=False)]


def chinese_tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of every word and sub-word of Chinese text, as the index files them (kb.segment)."""
    tokens = segment.ChineseTokenizer()(text, chars=True, removestops=False, mode="index")
    return [(t.startchar, t.endchar, t.text) for t in tokens]


def make_snippet(
    text: str, terms: set[str], tokens: list[tuple[int, int, str]] | None = None, chinese: bool = False
) -> Snippet:
    """The densest window of ``text`` for ``terms`` (stems), with the matches' offsets (``chinese``: a window of
    characters, see :func:`chinese_snippet`)."""
    if chinese:
        return chinese_snippet(text, terms, tokens)
    if tokens is None:
        tokens = stem_tokens(text)
    if not tokens:
        return Snippet(text[:MAX_CHARS], ())
    # Slide a window of WINDOW_TOKENS words; keep the one with most distinct terms, then most matches.
    stems = [tok[2] if tok[2] in terms else None for tok in tokens]
    counts: dict[str, int] = {}
    matches = 0
    for stem in stems[:WINDOW_TOKENS]:
        if stem:
            counts[stem] = counts.get(stem, 0) + 1
            matches += 1
    best_start, best_score = 0, (len(counts), matches)
    for i in range(1, max(1, len(tokens) - WINDOW_TOKENS + 1)):
        gone, new = stems[i - 1], stems[i + WINDOW_TOKENS - 1]
        if gone:
            counts[gone] -= 1
            matches -= 1
            if not counts[gone]:
                del counts[gone]
        if new:
            counts[new] = counts.get(new, 0) + 1
            matches += 1
        if (len(counts), matches) > best_score:
            best_start, best_score = i, (len(counts), matches)
    # start a little before the first match, at a word boundary
    window = tokens[best_start : best_start + WINDOW_TOKENS]
    first = next((k for k, tok in enumerate(window) if tok[2] in terms), 0)
    shift = max(0, first - 4)
    # never end with a short tail: a match near the end gets the words before it instead
    start_tok = max(0, min(best_start + shift, len(tokens) - WINDOW_TOKENS))
    end_tok = min(len(tokens), start_tok + WINDOW_TOKENS)
    start = tokens[start_tok][0] if start_tok > 0 else 0
    end = tokens[end_tok - 1][1] if end_tok < len(tokens) else len(text)
    if end - start > MAX_CHARS:
        end = start + MAX_CHARS
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    body = text[start:end]
    spans = tuple(
        (s - start + len(prefix), e - start + len(prefix))
        for s, e, stem in tokens[start_tok:end_tok]
        if stem in terms and e <= end
    )
    return Snippet(prefix + body + suffix, spans)


def chinese_snippet(text: str, terms: set[str], tokens: list[tuple[int, int, str]] | None = None) -> Snippet:
    """A window of CHINESE_WINDOW_CHARS characters of Chinese text holding the most distinct matched terms (then
    the most matches), starting a little before the first, with the matches' offsets.

    Chinese has no word boundaries to cut at, so the window is cut at
    characters; it never separates a character from the combining marks
    after it (a Han character's variation selector), and it moves back from
    the end of the text rather than ending with a short tail.
    """
    if tokens is None:
        tokens = chinese_tokens(text)
    matches = [(s, e, word) for s, e, word in tokens if word in terms]
    start = 0
    if matches:
        matches.sort()
        best, best_score = 0, (-1, -1)
        j = 0
        counts: dict[str, int] = {}
        for i, (s, _, _) in enumerate(matches):  # the window starting at each match, two pointers
            while j < len(matches) and matches[j][1] <= s + CHINESE_WINDOW_CHARS:
                counts[matches[j][2]] = counts.get(matches[j][2], 0) + 1
                j += 1
            score = (len(counts), j - i)
            if score > best_score:
                best, best_score = i, score
            word = matches[i][2]
            counts[word] -= 1
            if not counts[word]:
                del counts[word]
        first = matches[best][0]
        start = max(0, first - CHINESE_LEAD_CHARS)
        clause = None
        for m in _CLAUSE_END.finditer(text, start, first):
            clause = m.end()
        if clause is not None:
            start = clause
    start = max(0, min(start, len(text) - CHINESE_WINDOW_CHARS))
    while 0 < start and _combines(text[start]):
        start -= 1
    end = min(len(text), start + CHINESE_WINDOW_CHARS)
    while end < len(text) and _combines(text[end]):
        end += 1
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    spans = tuple(
        (s - start + len(prefix), e - start + len(prefix))
        for s, e in _merged((s, e) for s, e, _ in matches)
        if s >= start and e <= end
    )
    return Snippet(prefix + text[start:end] + suffix, spans)


def _combines(ch: str) -> bool:
    """Whether ``ch`` belongs with the character before it: a combining mark, a variation selector, a joiner."""
    return (
        unicodedata.category(ch) in ("Mn", "Me", "Mc")
        or ch in "\u200d"
        or 0xFE00 <= ord(ch) <= 0xFE0F
        or (0xE0100 <= ord(ch) <= 0xE01EF)
    )
