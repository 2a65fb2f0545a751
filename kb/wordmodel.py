"""A unigram model of English words, used to judge candidate repairs of noisy text.

The general vocabulary comes from ``wordfreq`` (a maintained, multi-source
frequency list); a document's own intact words are mixed in so that domain
terms ("IPv6", "spatio-temporal") that a general list undervalues are not
mistaken for fragments.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

_DIGIT = re.compile(r"\d")
_WORD_SPLIT = re.compile(r"[^A-Za-z0-9']+")

#: Log-probability floor for a word no list knows; longer unknown words cost more,
#: so that gluing two fragments into one long unknown string is never "free".
OOV_BASE = -19.0
OOV_PER_CHAR = -0.6
#: A word seen intact elsewhere in the same document is at least this likely.
DOC_WORD_LOGP = math.log(2e-5)
#: ...when seen intact at least this often: a word split by noise leaves one-off fragments.
DOC_WORD_MIN_COUNT = 2


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return get_frequency_dict("en", wordlist="large")


class WordModel:
    """Scores words by log-probability: wordfreq's English list plus document words."""

    def __init__(self, document_words: Counter[str] | None = None) -> None:
        self.freq = _frequencies()
        self.doc = document_words or Counter()
        self._cache: dict[str, float] = {}

    def logp(self, word: str) -> float:
        """Log-probability of one word (no spaces); hyphenated compounds score by part."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        parts = [p for p in _WORD_SPLIT.split(word) if p]
        score = sum(self._part(p) for p in parts) if parts else 0.0
        self._cache[word] = score
        return score

    def _part(self, part: str) -> float:
        key = _DIGIT.sub("0", part.lower())
        f = self.freq.get(key)
        if f is None and key.endswith("'s"):
            base = self.freq.get(key[:-2])
            f = base * 0.05 if base else None
        elif f is None and key.endswith("'") and key[:-1].endswith("s"):
            base = self.freq.get(key[:-1])
            f = base * 0.05 if base else None
        best = math.log(f) if f else OOV_BASE + OOV_PER_CHAR * len(part)
        if self.doc.get(key, 0) >= DOC_WORD_MIN_COUNT:
            best = max(best, DOC_WORD_LOGP)
        return best

    def known(self, word: str) -> bool:
        key = _DIGIT.sub("0", word.lower())
        return key in self.freq or self.doc.get(key, 0) >= DOC_WORD_MIN_COUNT
