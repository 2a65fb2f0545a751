"""Snippets: the stretch of a section's own text where the query's terms are densest.

Matching is done on stems, display is the original characters, so a reader
sees "approval" marked for a query about "approves". The HTML form escapes
the text first and only then inserts its own ``<mark>`` elements.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from kb.index import analyzer

WINDOW_TOKENS = 32
MAX_CHARS = 320


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
    """Character spans of the words of ``text`` whose stems are in ``terms``."""
    if not terms:
        return []
    return [(t.startchar, t.endchar) for t in analyzer()(text, chars=True) if t.text in terms]


def stem_tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, stem) of every word of ``text``; worth caching per document."""
    return [(t.startchar, t.endchar, t.text) for t in analyzer()(text, chars=True, removestops=False)]


def make_snippet(text: str, terms: set[str], tokens: list[tuple[int, int, str]] | None = None) -> Snippet:
    """The densest window of ``text`` for ``terms`` (stems), with the matches' offsets."""
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
