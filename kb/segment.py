"""Chinese word segmentation for the index and for queries (jieba), as a Whoosh analyser.

Chinese is written without spaces, so an analyser that splits at spaces and
punctuation (the English one) makes each run of text between two marks one
term: a query matched only when it equalled such a run. Here Chinese text is
cut into words by jieba's dictionary (precise mode), which is what its
readers type: ``对账号密码等安全信息要严格管理`` is 对 / 账号密码 / 等 / 安全 /
信息 / 要 / 严格管理.

Index and query are cut alike, with one difference (Whoosh passes the mode):

* indexing also files each long word's dictionary sub-words of two and three
  characters (jieba's search mode): 账号密码 is found by 账号 and by 密码 too,
  so that a query cut differently from the text still meets it;
* a query keeps the precise words only, so that a quoted phrase is the words
  in order (``"数据共享"``), and a plain query is a few words, not a word and
  all its parts (kb.query._expand_sub_words adds the parts back, weaker).

Positions count words, and a sub-word takes the position of the word it is
part of. jieba's own Whoosh analyser (``jieba.analyse.ChineseAnalyzer``) gives
each token its character offset as its position instead, so a phrase of two
words never has them one position apart and no phrase query matches; and it
files sub-words in queries too, so a phrase asks for the word and its parts
in a row. Latin words and digits in Chinese text are kept (lower-cased) when
indexing; in a query they are left to the English fields (see
:data:`HAN_ONLY_QUERIES`).

Traditional characters are read as their simplified forms (OpenCC's
traditional-to-simplified conversion, through opencc-purepy) before cutting,
in texts and queries alike: jieba's dictionary is of simplified Chinese (it
cut 國務院辦公廳關於 as 國務院 / 辦公廳關 / 於), and a reader of a Traditional
text finds it with a simplified query (政务数据 finds 政務數據) and the other
way round. The conversion keeps the text's length, so offsets are the
original text's and snippets show it as written.

jieba (and its 5 MB dictionary, about half a second to load from its cache)
and the conversion tables are loaded on the first Chinese text: an English
corpus and English queries never load them.
"""

from __future__ import annotations

import re
import threading

from whoosh.analysis import Token, Tokenizer

from kb.language import HAN_CHARS

#: A Han character (kb.language.HAN_CHARS: the unified ideographs, extension A, compatibility ideographs and the
#: supplementary planes).
HAN = re.compile(f"[{HAN_CHARS}]")
#: A run of Han characters: a stretch of Chinese between marks, spaces or Latin letters.
HAN_RUN = re.compile(f"[{HAN_CHARS}]+")
#: What makes a token a word: a letter, a digit or a Han character (jieba also yields punctuation and spaces).
_WORDLIKE = re.compile(r"[^\W_]")
#: Function words that carry no topic and occur in every section ("的" alone is about one word in twenty of a
#: notice): dropped like English stop words. Kept small on purpose: 要, 应当, 不得 carry obligation in a notice.
STOP_WORDS = frozenset("的 地 得 了 着 和 与 及 或 之 其 而 并 也 等 为 于 是 在 对 把 被 以 由 从 向".split())
#: Lengths of the sub-words filed beside a longer word when indexing: jieba's search mode (bigrams and trigrams
#: that are dictionary words).
SUB_WORD_LENGTHS = (2, 3)
#: jieba's hidden Markov model for words not in its dictionary: on, so that a term of policy language it lacks is
#: one word (放管服, 减隔震) instead of single characters each matching anywhere. A query is cut alone and a text in
#: context, which could cut such a word differently; on the Chinese check (benchmarks/relevance.py) on and off
#: scored alike (nDCG@10 0.989 and 0.987), and terms tried alone and in sentences were cut alike either way.
HMM = True
#: In a query, the Chinese fields take only Chinese words: Latin words and digits are the English fields'
#: (an English query then searches exactly as before, at the same cost, however many Chinese notices there are).
HAN_ONLY_QUERIES = True

_lock = threading.Lock()
_jieba = None
_t2s = None


def has_han(text: str) -> bool:
    """Whether ``text`` holds any Han character."""
    return HAN.search(text) is not None


def _segmenter():
    """jieba's default tokenizer, its dictionary loaded once per process (quietly: it logs to stderr)."""
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import logging

                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.dt.initialize()
                _jieba = jieba.dt
    return _jieba


def load_for(text: str) -> None:
    """Load jieba's dictionary now if ``text`` is Chinese: about half a second of CPU the first time in a process,
    which a search must not count against its own time allowance (kb.search.TIME_LIMIT)."""
    if has_han(text):
        _segmenter()
        _converter()


def _converter():
    """OpenCC's traditional-to-simplified converter, loaded once per process (about 60 ms)."""
    global _t2s
    if _t2s is None:
        with _lock:
            if _t2s is None:
                from opencc_purepy import OpenCC

                _t2s = OpenCC("t2s")
    return _t2s


def simplified(text: str) -> str:
    """``text`` with traditional characters as their simplified forms, of the same length (so that offsets into
    it are offsets into ``text``). A conversion that would change the length (a phrase rule mapping to a
    shorter or longer phrase) is made run by run, and a run it would change in length is kept as it was."""
    if not has_han(text):
        return text
    converter = _converter()
    out = converter.convert(text)
    if len(out) == len(text):
        return out

    def run(m: re.Match) -> str:
        converted = converter.convert(m.group())
        return converted if len(converted) == len(m.group()) else m.group()

    return HAN_RUN.sub(run, text)


def words(text: str) -> list[tuple[str, int, int]]:
    """The words of ``text`` as jieba's precise mode cuts them: ``(word, start, end)`` character offsets, with
    spaces and punctuation left out (Latin words lower-cased, Chinese in simplified characters; stop words
    kept)."""
    if not text:
        return []
    seg = _segmenter()
    out = []
    for word, start, end in seg.tokenize(simplified(text), HMM=HMM):
        if _WORDLIKE.search(word):
            out.append((word.lower(), start, end))
    return out


def sub_words(word: str) -> list[tuple[str, int, int]]:
    """The dictionary words of two and three characters inside a longer Chinese word, with their offsets within
    it (jieba's search mode): 账号 and 密码 in 账号密码."""
    if not SUB_WORD_LENGTHS or len(word) <= min(SUB_WORD_LENGTHS) or not has_han(word):
        return []
    freq = _segmenter().FREQ
    found = []
    for n in SUB_WORD_LENGTHS:
        if len(word) <= n:
            continue
        for i in range(len(word) - n + 1):
            gram = word[i : i + n]
            if freq.get(gram):
                found.append((gram, i, i + n))
    return found


def query_words(text: str) -> list[str]:
    """The Chinese words of a query, in order, stop words dropped: what the Chinese fields are searched for."""
    return [w for w, _, _ in words(text) if has_han(w) and w not in STOP_WORDS]


class ChineseTokenizer(Tokenizer):
    """Chinese words (and, when indexing, their sub-words), positions counting words; see the module docs."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ):
        querying = mode == "query"
        if not tokenize:  # a prefix or fuzzy term, taken whole (as Whoosh's tokenizers do); see kb.query._own_script
            token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
            token.text, token.boost, token.stopped = simplified(value).lower(), 1.0, False
            if keeporiginal:
                token.original = value
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        if not value or (querying and HAN_ONLY_QUERIES and not has_han(value)):
            return  # an English query word: nothing to search here, and jieba is not loaded for it
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for word, start, end in words(value):
            stopped = word in STOP_WORDS
            if querying and HAN_ONLY_QUERIES and not has_han(word):
                continue
            if stopped and removestops:
                continue
            parts = [] if querying else sub_words(word)
            for text, s, e in [(word, start, end), *((t, start + a, start + b) for t, a, b in parts)]:
                token.text = text
                token.boost = 1.0
                token.stopped = stopped
                if keeporiginal:
                    token.original = text
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar = start_char + s
                    token.endchar = start_char + e
                yield token
            pos += 1
