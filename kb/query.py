"""Turn what a user typed into a Whoosh query: syntax, citations, synonyms, typos, safety bounds.

Users type keywords, phrases, questions, citations ("6 (1)") and typos, and
sometimes broken syntax. Nothing typed may raise: a query the parser cannot
take as written is searched as plain words.

Nothing typed may cost much either. Each search carries a :class:`Budget`:
fixed caps on its costly steps (words kept, words looked up for spelling,
prefix and fuzzy terms expanded, index terms they expand to, the
edit-distance automata built for fuzzy terms) and
one wall-clock deadline over all of them, the search itself included. The
caps make a query's cost predictable, a small multiple of an ordinary one
however it is written; the deadline is the backstop. What a cap or the
deadline cut is recorded in the budget and reported with the results.
"""

from __future__ import annotations

import math
import re
import time
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import islice

from whoosh import matching, qparser
from whoosh import query as wq
from whoosh.automata.lev import levenshtein_automaton
from whoosh.codec.base import Automata

from kb import segment
from kb.index import STOP_WORDS, analyzer
from kb.language import HAN_CHARS
from kb.models import SectionId
from kb.spelling import Speller

MAX_QUERY_LENGTH = 500
MAX_FUZZY_EDITS = 2
#: Whitespace-separated words of a query that are searched; the rest are dropped (and the result says so).
#: A question fits (the longest of the judged public queries has 12 words), and so do the distinctive words
#: of a sentence pasted from a notice; parsing and matching cost grows with every word (about as much as
#: a short query per 3 to 4 words), so a flood of words must not buy more.
MAX_QUERY_WORDS = 20
#: Leaves (terms, and each word of a phrase) a parsed query may have. Every typed word may be searched in
#: each text field of its language (title, parent title, body and the aligned versions' text: FIELD_BOOSTS),
#: so this is what MAX_QUERY_WORDS plain words give; a query over it (a word like "a-b-c-...", which the
#: analyser splits into a long phrase) is searched as its first plain words.
MAX_CLAUSES = MAX_QUERY_WORDS * 4
#: Distinct unknown words per query looked up for spelling. Real typos come one or two at a time; a lookup
#: is cheap now (kb.spelling: a few dozen B-tree probes, well under a millisecond), but a flood of made-up
#: words must still not buy one lookup, and one suggestion, per word.
MAX_CORRECTED_WORDS = 3
#: Longest word that is spell-checked, or expanded as a fuzzy term (longer ones match as typed): a fuzzy
#: term's automaton, and a spelling lookup's deletes (about length squared over two), grow with the word,
#: and English words longer than this are rare (the seeds' longest, "telecommunications", has 18 letters).
MAX_FUZZY_WORD_LENGTH = 20
#: Edit-distance automata one search may build for fuzzy terms (one per term, for all its fields), counted
#: as letters times edits (``satelite~2``: 16); beyond it, fuzzy terms match as typed. Building one costs about
#: 0.16 ms a letter at 2 edits (0.02 ms at 1), and the cap on expanded words alone still allowed four
#: 20-letter terms. Spelling lookups no longer build automata (kb.spelling), so they do not draw on it.
MAX_AUTOMATON_WORK = 80
_AUTOMATA_SPENT = "the search's allowance for fuzzy matching was used up"
#: Corrections share the word's first letter (as fuzzy terms do): most typos keep it, and a suggestion that
#: changes it is more often another word than the one meant.
CORRECTION_PREFIX = 1
#: Distinct prefix or fuzzy terms (``secur*``, ``satelite~``) expanded per query; the rest match as typed.
#: One typed term is one expansion however many fields it is searched in.
MAX_EXPANDED_WORDS = 4
#: Index terms one typed prefix or fuzzy term may stand for in each field it is searched in (the first in
#: index order): each is a posting list to read and merge. The allowance is the typed word's own, drawn on by
#: each of its fields alike, so a word searched in three fields never uses up the allowance of the next word.
MAX_TERMS_PER_EXPANSION = 32
#: Hence the most index terms a query's expansions stand for, per field: MAX_EXPANDED_WORDS typed words,
#: each with its own MAX_TERMS_PER_EXPANSION (words times their allowance; fields do not count against it).
MAX_EXPANDED_TERMS = MAX_EXPANDED_WORDS * MAX_TERMS_PER_EXPANSION
#: Brackets nested deeper than this are not parsed (the words are searched): the parser's work grows with
#: the depth, and no one groups a search eight levels deep.
MAX_NESTING = 8
#: A boost typed with ``^`` is kept within this (``word^1e400`` would make scores infinite, and JSON invalid).
MAX_BOOST = 100.0
SYNONYM_BOOST = 0.6
TYPO_BOOST = 0.8
#: Words of a plain query that stand within this many positions of each other in a section (the second after
#: the first; stop words do not count) make it rank higher: 1 is side by side. Chosen with
#: benchmarks/relevance.py (docs/benchmarks.md, Proximity).
PROXIMITY_SLOP = 3
#: Weight of such a pair, times the field's weight; a pair scores the two words' BM25F again, so at 1 a section
#: with the words together counts them twice.
PROXIMITY_BOOST = 0.5
#: Pairs of neighbouring words searched for proximity, from the start of the query: each is a phrase clause
#: per field, whose two posting lists are read again, and a long question gains little from its later pairs.
MAX_PROXIMITY_PAIRS = 4
#: Fields where words standing together count: a title and the text (a parent title is shared by siblings).
PROXIMITY_FIELDS = ("title", "body")
#: The same for Chinese words (kb.index: Chinese text has fields of its own).
CHINESE_PROXIMITY_FIELDS = ("title_zh", "body_zh")
#: Field weights of the BM25F ranking: a title match beats a passing mention.
#: Chosen with benchmarks/relevance.py (see docs/benchmarks.md, Relevance).
#: Weight of the words a section's versions in the other language have (kb.alignment: "aligned", "aligned_zh")
#: against its own: the Chinese original is found by an English query through its translation, below the
#: translation itself, and found at all where only its version is asked for (a translation filter).
ALIGNED_BOOST = 0.3
FIELD_BOOSTS = {"title": 2.0, "parent_title": 0.5, "body": 1.0, "aligned": ALIGNED_BOOST}
#: The fields of a section's versions in the other language (kb.alignment), searched where an index has them.
ALIGNED_FIELDS = frozenset({"aligned", "aligned_zh"})
#: The Chinese fields weigh as their English counterparts do (a query is in one language or the other: the two
#: sets of fields never compete for one word).
CHINESE_FIELD_BOOSTS = {"title_zh": 2.0, "parent_title_zh": 0.5, "body_zh": 1.0, "aligned_zh": ALIGNED_BOOST}
#: The English text fields, and the Chinese ones.
TEXT_FIELDS = tuple(FIELD_BOOSTS)
CHINESE_FIELDS = tuple(CHINESE_FIELD_BOOSTS)
#: Where a query's words are looked for: English words in the English fields, Chinese words in the Chinese ones
#: (the Chinese analyser takes no Latin words from a query, kb.segment; :func:`_own_script` does the rest).
ALL_TEXT_FIELDS = (*TEXT_FIELDS, *CHINESE_FIELDS)
#: Weight of a sub-word of a Chinese query word (账号 and 密码 for 账号密码) against the word itself: a text
#: that has the parts apart ("账号和密码") matches, below one that has the word (which matches its parts too).
SUB_WORD_BOOST = 0.5

_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_FIELD_PREFIX = re.compile(r"\b(\w+):")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")
#: A word typed as a prefix or fuzzy term, with its operator and arguments (``secur*``, ``satelite~2/1``).
_PREFIX_OR_FUZZY = re.compile(r"\S*[*~]\S*")
#: What makes a query more than plain words. A question mark ending a word ("Who approves submarine cables?") is
#: punctuation, not a wildcard (wildcards are not parsed): a question is plain words.
_SYNTAX = re.compile(r"[\"():*~^+]|\?(?=[^\s?])|(^|\s)-")
#: A word of a plain query: an English word, or a run of Han characters (cut into words by kb.segment).
_WORD_OR_HAN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*|" + segment.HAN_RUN.pattern)
#: Runs of letters and digits (any script): at most the words the analyser makes of a text.
_ALNUM = re.compile(r"[^\W_]+")


class QueryError(ValueError):
    """A query that cannot be searched at all (empty, too long, not text)."""


class Budget:
    """What one search may spend: fixed caps on its costly steps, and one deadline over all of them.

    Created before the query is parsed and handed to every costly step
    (corrections, prefix and fuzzy expansions, the collector, the snippets'
    term expansion), so the deadline is the whole search's, not one step's.
    The caps make the work deterministic; the deadline is the backstop for
    what they cannot foresee. Searches measure it in the CPU time of their own
    thread (:func:`time.thread_time`, see :mod:`kb.search`), so that other
    requests' load never cuts a search short. ``notes`` says, one line each,
    what was cut.

    Query leaves hold a reference to their budget, and Whoosh deep-copies
    queries, so a copy of a budget is the budget itself.
    """

    def __init__(self, seconds: float = math.inf, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.deadline = clock() + seconds
        self.corrections = 0  # spelling lookups made
        self.automaton_work = 0  # letters x edits of the fuzzy terms' automata built (MAX_AUTOMATON_WORK)
        self.expanded_words: set[tuple] = set()  # distinct prefix/fuzzy terms expanded
        self.expanded_terms = 0  # index terms they stand for, over all fields and segments (a count, not a cap)
        self.timed_out = False
        self.truncated = False
        self.notes: list[str] = []
        self.corrected: dict[str, list[str]] = {}  # word -> its corrections, looked up once per search
        self.expansions: dict[tuple, list] = {}  # (leaf, reader) -> its index terms, once per search
        self.automata: dict[tuple, object] = {}  # (text, maxdist, prefix) -> DFA shared by the fields

    def __deepcopy__(self, memo: dict) -> Budget:
        return self

    def expired(self) -> bool:
        """Whether the deadline has passed; the first time it has, the result is marked as timed out."""
        if self.clock() < self.deadline:
            return False
        if not self.timed_out:
            self.timed_out = True
            self.notes.append("the search ran out of time; results may be incomplete")
        return True

    def afford_automaton(self, word: str, maxdist: int, note: str) -> bool:
        """Whether the search may still build an edit-distance automaton for ``word``; if so, it is spent.

        Beyond MAX_AUTOMATON_WORK the caller does without the automaton (and
        ``note`` says what that meant); a later, shorter word may still fit.
        """
        cost = len(word) * maxdist
        if self.automaton_work + cost > MAX_AUTOMATON_WORK:
            self.cut(note)
            return False
        self.automaton_work += cost
        return True

    def cut(self, note: str) -> None:
        """Record that a cap left some work undone (``note`` says what, for a person)."""
        self.truncated = True
        if note not in self.notes:
            self.notes.append(note)


@dataclass(frozen=True)
class QueryWord:
    """One word of a plain query as searched: what a result is said to match, or to lack.

    ``stems`` are the index terms that count as the word being matched: its
    own stem, and those of its spelling corrections where it was corrected.
    """

    text: str
    stems: frozenset[str]


@dataclass(frozen=True)
class SynonymUse:
    """A synonym searched besides what was typed: ``other`` for ``typed`` (both as the synonym list spells them)."""

    typed: str
    other: str
    #: ``other`` as the index has it (stems, stop words dropped): what a query clause for it searches.
    stems: tuple[str, ...]
    #: The query words (indexes into :attr:`PreparedQuery.words`) that ``other`` stands in for.
    words: tuple[int, ...]


@dataclass
class PreparedQuery:
    text: str
    query: wq.Query | None
    citation: SectionId | None = None
    fallback: bool = False
    #: A correction of the query's spelling that was not applied (a search as typed): "did you mean".
    suggestion: str | None = None
    expansions: dict[str, list[str]] = field(default_factory=dict)
    budget: Budget = field(default_factory=Budget)
    #: The query as searched when misspelt words were searched as their corrections ("satellite" for "satelite").
    corrected: str | None = None
    #: The words of a plain query (no syntax), each once; empty for a query with syntax, which says what it wants.
    words: list[QueryWord] = field(default_factory=list)
    #: The synonyms a plain query was widened with.
    synonyms: list[SynonymUse] = field(default_factory=list)
    #: The word being typed that was matched as a prefix (see :func:`prefix_last`), and the words it stood for.
    completed: Completion | None = None


def citation(text: str) -> SectionId | None:
    """The section when the whole query is a citation: "6.1", "6 (1)", "section 6(1)", "VI (1)", "7"."""
    return SectionId.cited(text)


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Synonym groups from the packaged data file, each member as its sequence of stems."""
    return tuple(tuple(seq for _, seq in group) for group in _spelled_synonym_groups())


@lru_cache(maxsize=1)
def _spelled_synonym_groups() -> tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]:
    """Synonym groups, each member as written in the data file and as its sequence of stems."""
    data = tomllib.loads(resources.files("kb").joinpath("synonyms.toml").read_text(encoding="utf-8"))
    groups = []
    for group in data["groups"]:
        members = tuple((m, tuple(stems(m))) for m in group)
        groups.append(tuple((m, seq) for m, seq in members if seq))
    return tuple(groups)


def stems(text: str) -> list[str]:
    return [t.text for t in _plain_analyzer()(text)]


@lru_cache(maxsize=1)
def _plain_analyzer():
    from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter

    return RegexTokenizer() | LowercaseFilter() | StemFilter()


def synonyms_in(text: str) -> list[tuple[str, ...]]:
    """Alternatives (as stem sequences) for every synonym-group member found in the text."""
    return [alt for _, _, alt in _synonym_pairs(text)]


def _synonym_pairs(text: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """``(member found, other member, other's stems)`` for each alternative the text's synonyms add, each once."""
    seq = stems(text)
    found: list[tuple[str, str, tuple[str, ...]]] = []
    seen: set[tuple[str, ...]] = set()
    for group in _spelled_synonym_groups():
        hit = [(m, members) for m, members in group if _contains(seq, members)]
        if not hit:
            continue
        typed = hit[0][0]
        hit_stems = {members for _, members in hit}
        for other, members in group:
            if members not in hit_stems and members not in seen:
                seen.add(members)
                found.append((typed, other, members))
    return found


def query_words(text: str, fixes: dict[str, list[str]]) -> list[QueryWord]:
    """The searched words of a plain query, each once, with the terms that count as matching it.

    A word is an index term of the query (a typed "cross-industry" is the
    two words "cross" and "industry", as the index has them); stop words are
    not searched, so they are not words here either. A misspelt word counts
    as matched by its corrections (``fixes``, from the spelling step).
    """
    index_terms = analyzer()
    corrected = {word.lower(): [st for c in found for st in stems(c)[:1]] for word, found in fixes.items()}
    fixed = {word.lower(): found[0] for word, found in fixes.items() if found}
    words: dict[str, QueryWord] = {}
    for token in _WORD_OR_HAN.findall(text):
        if segment.has_han(token):  # Chinese: each word as cut (kb.segment), never corrected
            for word in segment.query_words(token):
                words.setdefault(word, QueryWord(word, frozenset([word])))
            continue
        single = len(stems(token)) == 1
        for term in index_terms(token):
            if term.text in words:
                continue
            alternatives = corrected.get(token.lower(), []) if single else []
            # a misspelt word is shown as what was searched for it; a word of several terms, term by term
            shown = (fixed.get(token.lower()) or token) if single else term.text
            words[term.text] = QueryWord(shown, frozenset([term.text, *alternatives]))
    return list(words.values())


def proximity_pairs(text: str) -> list[tuple[str, str]]:
    """Neighbouring words of a plain query, as the index has them (stems, stop words dropped), each pair once.

    English words pair with English words, Chinese with Chinese (:func:`chinese_pairs`): they are in different
    fields."""
    terms = [t.text for t in analyzer()(text) if not segment.has_han(t.text)]
    return _pairs(terms)[:MAX_PROXIMITY_PAIRS]


def chinese_pairs(text: str) -> list[tuple[str, str]]:
    """Neighbouring Chinese words of a plain query, as cut (kb.segment), each pair once."""
    return _pairs(segment.query_words(text)) if segment.has_han(text) else []


def _pairs(terms: list[str]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for pair in zip(terms, terms[1:], strict=False):
        if pair[0] != pair[1] and pair not in pairs:
            pairs.append(pair)
    return pairs


class Near(wq.Phrase):
    """Two words of a plain query standing close together: a phrase that only reorders what the words match.

    Scored as Whoosh scores the phrase, but (see :func:`kb.scoring.add_near`)
    only for the best matches of the query's words, so that its cost is
    bounded by theirs, not by how common the two words are.
    """


def proximity(text: str) -> list[wq.Query]:
    """Optional clauses that rank sections where a plain query's neighbouring words stand close together higher.

    A plain query matches any of its words, and BM25F scores each word on
    its own: "quantum computing" scores a section saying "quantum ... much
    later ... computing" as high as one saying "quantum computing". Each pair
    of neighbouring words is also searched as a near phrase (the second word
    within PROXIMITY_SLOP positions after the first) in the title and the
    text; it adds to a section's score only where the words stand together,
    and never adds a match of its own (a section with both words already
    matches each).
    """
    english = [(pair, f, FIELD_BOOSTS[f]) for pair in proximity_pairs(text) for f in PROXIMITY_FIELDS]
    chinese = [(pair, f, CHINESE_FIELD_BOOSTS[f]) for pair in chinese_pairs(text) for f in CHINESE_PROXIMITY_FIELDS]
    pairs = english[: MAX_PROXIMITY_PAIRS * len(PROXIMITY_FIELDS)]
    pairs += chinese[: (MAX_PROXIMITY_PAIRS - len(pairs) // len(PROXIMITY_FIELDS)) * len(CHINESE_PROXIMITY_FIELDS)]
    return [Near(f, list(pair), slop=PROXIMITY_SLOP, boost=boost * PROXIMITY_BOOST) for pair, f, boost in pairs]


def synonym_uses(text: str, words: list[QueryWord]) -> list[SynonymUse]:
    """The synonyms a plain query is widened with, and which of its words each stands in for."""
    uses = []
    for typed, other, alternative in _synonym_pairs(text):
        covered = set(stems(typed)) - STOP_WORDS
        indexes = tuple(i for i, w in enumerate(words) if w.stems & covered)
        searched = tuple(s for s in alternative if s not in STOP_WORDS)
        if searched:
            uses.append(SynonymUse(typed, other, searched, indexes))
    return uses


def _contains(seq: list[str], sub: tuple[str, ...]) -> bool:
    n = len(sub)
    return any(tuple(seq[i : i + n]) == sub for i in range(len(seq) - n + 1))


def is_malformed(text: str) -> bool:
    """Syntax the parser would misread: unbalanced quotes or brackets, dangling operators or fields."""
    if text.count('"') % 2:
        return True
    depth = 0
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if depth < 0:
            return True
    if depth:
        return True
    tokens = text.split()
    if tokens and (tokens[0] in _OPERATORS - {"NOT"} or tokens[-1] in _OPERATORS):
        return True
    if any(a in _OPERATORS and b in _OPERATORS - {"NOT"} for a, b in zip(tokens, tokens[1:], strict=False)):
        return True
    if re.search(r"\w:(\s|$)", text) or re.search(r"(^|\s)[*?~^]", text):
        return True
    return False


def plain_words(text: str) -> str:
    """The query's words alone, with syntax dropped (the fallback for malformed queries)."""
    text = _FIELD_PREFIX.sub(" ", text)
    words = [w for w in _WORD_OR_HAN.findall(text) if w not in _OPERATORS]
    return " ".join(words)


def make_parser(schema, fieldnames=ALL_TEXT_FIELDS) -> qparser.QueryParser:
    boosts = {**FIELD_BOOSTS, **CHINESE_FIELD_BOOSTS}
    fieldnames = [f for f in fieldnames if f in schema]  # an index of an older schema has no Chinese fields
    parser = qparser.MultifieldParser(fieldnames, schema, fieldboosts=boosts, group=qparser.OrGroup.factory(0.9))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.remove_plugin_class(qparser.WildcardPlugin)
    # Ranges ("[approval TO who]") over stemmed words mean nothing to a reader and expand to whole
    # stretches of the vocabulary; "*:*" (every document) is no search. Brackets are just text.
    parser.remove_plugin_class(qparser.RangePlugin)
    parser.remove_plugin_class(qparser.EveryPlugin)
    parser.add_plugin(qparser.PrefixPlugin())
    parser.add_plugin(qparser.FieldAliasPlugin({"title": ["heading"], "section": ["sec", "s"]}))
    return parser


def bound(q: wq.Query) -> wq.Query:
    """Cap what makes a query expensive or invalid: fuzzy edits at 2 with a fixed first letter that the word
    has (``ab~2/5`` asks for a 5-letter prefix of a 2-letter word); no empty prefixes; finite, positive boosts."""
    if isinstance(q, wq.FuzzyTerm):
        if not q.text:
            return wq.NullQuery
        q.maxdist = max(0, min(q.maxdist, MAX_FUZZY_EDITS))
        q.prefixlength = min(max(q.prefixlength, 1), len(q.text))
    if isinstance(q, wq.Prefix) and len(q.text) < 2:
        return wq.NullQuery
    if not math.isfinite(q.boost) or q.boost <= 0:  # "word^0" would silently drop what was typed
        q.boost = 1.0
    q.boost = min(q.boost, MAX_BOOST)
    if q.is_leaf():
        return q
    return q.apply(bound)


#: Fields that say where to look, not what to look for: typed next to words (``cables issuer:MIIT``), they
#: narrow the words' results rather than adding results of their own.
FILTER_FIELDS = frozenset({"notice", "issuer", "year", "type", "translation", "section", "top"})


def _fields(q: wq.Query) -> set[str]:
    return {leaf.field() for leaf in q.leaves() if leaf.field() is not None}


def require_filters(q: wq.Query) -> wq.Query:
    """Clauses on :data:`FILTER_FIELDS` in a query's top-level group become conditions every result meets.

    The parser joins what was typed with OR, so ``cables year:2024`` would
    also list every 2024 section that has nothing to do with cables. Here the
    words rank and the field clauses narrow: clauses on one field are
    alternatives (``year:2023 year:2024``), clauses on different fields must
    all hold. Only the words score (:class:`whoosh.query.Require`).
    """
    if not isinstance(q, wq.Or):
        return q
    wheres = [c for c in q.subqueries if _fields(c) and _fields(c) <= FILTER_FIELDS]
    rest = [c for c in q.subqueries if not any(c is w for w in wheres)]
    if not wheres or not rest:
        return q
    by_field: dict[frozenset[str], list[wq.Query]] = {}
    for clause in wheres:
        fields = frozenset(_fields(clause) - {"top"}) or frozenset({"top"})  # section:6 also looks at "top"
        by_field.setdefault(fields, []).append(clause)
    conditions = [group[0] if len(group) == 1 else wq.Or(group) for group in by_field.values()]
    words = rest[0] if len(rest) == 1 else wq.Or(rest, boost=q.boost, scale=getattr(q, "scale", None))
    return wq.Require(words, conditions[0] if len(conditions) == 1 else wq.And(conditions))


def _or_at_top(text: str) -> bool:
    """Whether ``text`` joins parts with an explicit OR outside brackets and quotes (``a OR b``, not ``(a OR b) c``)."""
    depth, quoted = 0, False
    for token in re.findall(r'"|\(|\)|[^\s"()]+', text):
        if token == '"':
            quoted = not quoted
        elif not quoted and token == "(":
            depth += 1
        elif not quoted and token == ")":
            depth = max(0, depth - 1)
        elif not quoted and depth == 0 and token == "OR":
            return True
    return False


def section_filter(q: wq.Query) -> wq.Query:
    """``section:6`` means section 6 and its subsections."""
    if isinstance(q, wq.Term) and q.fieldname == "section" and "." not in str(q.text):
        return wq.Or([q, wq.Term("top", q.text)])
    if q.is_leaf():
        return q
    return q.apply(section_filter)


def prepare(
    text: str,
    searcher,
    english: Callable[[], frozenset[str]] = frozenset,
    budget: Budget | None = None,
    plain: bool = False,
    speller: Speller | None = None,
    correct: bool = True,
    prefix: bool = False,
) -> PreparedQuery:
    """Parse, expand and bound a user's query against an open Whoosh searcher.

    ``budget`` is the search's (a fresh one, without a deadline, if none is
    given); ``plain`` searches the query's words alone, as for broken syntax;
    ``speller`` is the build's vocabulary (:mod:`kb.spelling`), without which
    no word is corrected; ``prefix`` says the query's last word is still being
    typed (see :func:`prefix_last`). A word the index does not know is
    searched as its corrections too (and the result says so: ``corrected``);
    with ``correct`` off it is searched as typed, and the corrections are
    only suggested.
    """
    budget = budget or Budget()
    prefix = prefix and not (text or " ")[-1].isspace()  # a space after the last word ends it
    text = (text or "").strip()
    if not text:
        raise QueryError("empty query")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"query too long ({len(text)} characters; the limit is {MAX_QUERY_LENGTH})")
    if not _is_text(text):
        raise QueryError("the query is not valid text (it holds bytes that are not UTF-8)")
    cited = citation(text)
    kept = _first_words(text, budget)
    fallback = plain or is_malformed(kept) or _too_deep(kept, budget)
    query_text = plain_words(kept) if fallback else kept
    if not query_text.strip():
        return PreparedQuery(text, None, cited, fallback, budget=budget)

    typing = _word_being_typed(query_text) if prefix else None
    completion = _completions(typing, speller) if typing else None
    # a word that begins words of the index is being typed, not misspelt: it is not corrected ("submar")
    unfinished = len(typing) if typing and completion and completion.words else 0
    corrected_text = query_text[: len(query_text) - unfinished]
    corrector_words, suggestion = _corrections(corrected_text, searcher, english, budget, speller)
    if suggestion is not None and unfinished:
        suggestion += query_text[len(corrected_text) :]
    corrected = None
    if correct:
        corrected, suggestion = suggestion, None
    else:
        corrector_words = {}
    # an English query is parsed over the English fields alone, as before there were Chinese ones: the Chinese
    # fields would take nothing from it (kb.segment), and parsing each word for them too is work for nothing
    fields = ALL_TEXT_FIELDS if segment.has_han(query_text) else TEXT_FIELDS
    parser = make_parser(searcher.schema, _with_text(fields, searcher.reader()))
    q = None
    if len(_ALNUM.findall(query_text)) <= 2 * MAX_QUERY_WORDS:  # else parsing it would be the costly part
        q = _parse(parser, _chinese_fields(query_text))
        if q is None or not _public_fields_only(q):
            fallback, q = True, _parse(parser, plain_words(kept)) or wq.NullQuery
        q = section_filter(_and_not(bound(_own_script(q))))
        if not _or_at_top(query_text):  # "cables OR year:2021" asks for either, as written
            q = require_filters(q)
    searched = corrected or query_text  # the words searched, as the index knows them
    if q is None or _weight(q) > MAX_CLAUSES:
        budget.cut(f"the query has too many terms; only its first {MAX_QUERY_WORDS} words were searched")
        words = [w for w in _searchable_words(_FIELD_PREFIX.sub(" ", kept)) if w not in _OPERATORS][:MAX_QUERY_WORDS]
        fallback, q = True, section_filter(bound(_parse(parser, " ".join(words)) or wq.NullQuery))
        query_text = searched = " ".join(words)
    q = _expand_typos(q, corrector_words)
    q = _expand_sub_words(q, query_text)
    words: list[QueryWord] = []
    uses: list[SynonymUse] = []
    if _is_bag_of_words(query_text):
        # Synonyms widen a plain keyword query; a query with phrases, fields or
        # operators says exactly what it wants, and a synonym could break that.
        words = query_words(query_text, corrector_words)
        if completion is not None and completion.words:  # the word being typed is matched by its completions
            widened = frozenset(completion.stems)
            words = [QueryWord(w.text, w.stems | widened) if completion.stem in w.stems else w for w in words]
        uses = synonym_uses(query_text, words)
        alternatives = [q] + [_stem_phrase(use.stems, SYNONYM_BOOST) for use in uses]
        alternatives += proximity(searched)
        if len(alternatives) > 1:
            q = wq.Or(alternatives)
    if completion is not None:
        q = prefix_last(q, completion, budget)
    q = _executable(q.normalize(), budget)
    return PreparedQuery(
        text,
        q,
        cited,
        fallback,
        suggestion,
        corrector_words,
        budget,
        completed=completion,
        corrected=corrected,
        words=words,
        synonyms=uses,
    )


def _searchable_words(text: str) -> list[str]:
    """The query's runs of letters and digits, a Chinese run as the words it is cut into (a pasted Chinese
    paragraph is one run of hundreds of words: cut at MAX_QUERY_WORDS of them, not of runs)."""
    out: list[str] = []
    for run in _ALNUM.findall(text):
        if segment.has_han(run):
            out += [w for w, _, _ in segment.words(run) if w not in segment.STOP_WORDS]
        else:
            out.append(run)
    return out


def _parse(parser: qparser.QueryParser, text: str) -> wq.Query | None:
    """The parsed query, or None: the parser's errors are not part of its API; any failure means "search the words"."""
    try:
        return parser.parse(text)
    except Exception:  # noqa: BLE001
        return None


def _is_text(text: str) -> bool:
    """False for text with lone surrogates: what Python makes of bytes that are not UTF-8 in a command line."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _first_words(text: str, budget: Budget) -> str:
    """The query up to its MAX_QUERY_WORDS-th whitespace-separated word (syntax cut in two falls back to words)."""
    spans = [m.end() for m in islice(re.finditer(r"\S+", text), MAX_QUERY_WORDS + 1)]
    if len(spans) <= MAX_QUERY_WORDS:
        return text
    budget.cut(f"only the first {MAX_QUERY_WORDS} words of the query were searched")
    return text[: spans[MAX_QUERY_WORDS - 1]]


def _too_deep(text: str, budget: Budget) -> bool:
    """Whether brackets nest deeper than MAX_NESTING (then the query's words are searched instead)."""
    depth = deepest = 0
    for ch in text:
        if ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth -= 1
    if deepest <= MAX_NESTING:
        return False
    budget.cut(f"brackets nested more than {MAX_NESTING} deep were ignored; the query's words were searched")
    return True


def _with_text(fields: tuple[str, ...], reader) -> list[str]:
    """``fields`` without the aligned ones where no section has any (every index of notices in one language):
    their terms would be looked up for nothing, and count against the query's budget of clauses."""
    return [f for f in fields if f not in ALIGNED_FIELDS or reader.field_length(f)]


def _weight(q: wq.Query) -> int:
    """How many postings a query reads: one per term, one per word of a phrase.

    A :class:`Near` pair reads none of its own: its words are terms of the
    query, whose postings are kept as they are read (kb.scoring.Kept).
    """
    if isinstance(q, Near):
        return 0
    if q.is_leaf():
        return len(q.words) if isinstance(q, wq.Phrase) else 1
    return sum(_weight(c) for c in q.children())


#: Fields a user may name; the rest of the schema (key, order, words) is internal.
PUBLIC_FIELDS = frozenset({*ALL_TEXT_FIELDS, "section", "top", "translation", "notice", "issuer", "year", "type"})


def _public_fields_only(q: wq.Query) -> bool:
    return all(leaf.field() in PUBLIC_FIELDS for leaf in q.leaves() if leaf.field() is not None)


def _is_bag_of_words(text: str) -> bool:
    """Only words, no syntax (phrases, fields, operators, wildcards): what most people type."""
    return not _SYNTAX.search(text) and not any(w in _OPERATORS for w in text.split())


#: A text field named before Chinese (``title:数据``, ``heading:"数据共享"``): it means that field of Chinese text.
_FIELD_BEFORE_HAN = re.compile(r"\b(title|heading|parent_title|body):(?=\"?[" + HAN_CHARS + "])")


def _chinese_fields(text: str) -> str:
    """``title:数据`` as ``title_zh:数据``: a reader names the field, the script says which of its two it is."""
    if not segment.has_han(text):
        return text
    return _FIELD_BEFORE_HAN.sub(lambda m: f"{'title' if m.group(1) == 'heading' else m.group(1)}_zh:", text)


def _own_script(q: wq.Query) -> wq.Query:
    """Each text leaf in the fields of its script: Chinese in the Chinese fields, the rest in the English ones.

    The English analyser makes a run of Chinese one term, which would match
    an English translation only where it quotes exactly that run (and
    "数据共享" not where it quotes "政务数据共享"): Chinese is searched in
    Chinese text only. Prefixes and fuzzy terms (``secur*``, ``数据*``) are
    not analysed at all: without this, ``secur*`` would also expand over the
    Latin words of Chinese texts, and ``数据*`` over the English fields.
    """
    if not q.is_leaf():
        return q.apply(_own_script)
    field = q.field()
    if field not in ALL_TEXT_FIELDS:
        return q
    chinese = field in CHINESE_FIELDS
    texts = q.words if isinstance(q, wq.Phrase) else [getattr(q, "text", None)]
    if any(isinstance(t, str) and segment.has_han(t) != chinese for t in texts):
        return wq.NullQuery
    return q


def _and_not(q: wq.Query) -> wq.Query:
    """ "a NOT b" excludes b: in an OR group, NOT clauses become an AND NOT of the rest."""
    if q.is_leaf():
        return q
    q = q.apply(_and_not)
    if isinstance(q, wq.Or):
        nots = [c for c in q.subqueries if isinstance(c, wq.Not)]
        rest = [c for c in q.subqueries if not isinstance(c, wq.Not)]
        if nots and rest:
            kept = rest[0] if len(rest) == 1 else wq.Or(rest, boost=q.boost, scale=getattr(q, "scale", None))
            excluded = nots[0].query if len(nots) == 1 else wq.Or([n.query for n in nots])
            return wq.AndNot(kept, excluded)
    return q


def _expand_typos(q: wq.Query, fixes: dict[str, list[str]]) -> wq.Query:
    """Each term of a misspelt word also matches its corrections, where it stands in the query."""
    replacements: dict[str, list[str]] = {}
    for word, candidates in fixes.items():
        original = stems(word)
        if len(original) == 1:
            replacements[original[0]] = [st for c in candidates for st in stems(c)[:1]]
    if not replacements:
        return q

    def expand(node: wq.Query) -> wq.Query:
        if type(node) is wq.Term and node.fieldname in TEXT_FIELDS and node.text in replacements:
            alts = [wq.Term(node.fieldname, st, boost=node.boost * TYPO_BOOST) for st in replacements[node.text]]
            return wq.Or([node, *alts])
        return node if node.is_leaf() else node.apply(expand)

    return expand(q)


def _expand_sub_words(q: wq.Query, text: str) -> wq.Query:
    """Each Chinese word typed outside quotes also matches its sub-words, at SUB_WORD_BOOST.

    The index files a long word's sub-words beside it (kb.segment), so a
    text cut differently from the query, or saying the parts apart, is still
    found: 账号密码 finds "账号和密码" through 账号 and 密码. A quoted word
    (``"数据共享"``, which the parser makes a term) asks for itself only.
    """
    unquoted = re.sub(r'"[^"]*"', " ", text)
    if not segment.has_han(unquoted):
        return q
    loose = set(segment.query_words(unquoted))

    def expand(node: wq.Query) -> wq.Query:
        if type(node) is wq.Term and node.fieldname in CHINESE_FIELD_BOOSTS and node.text in loose:
            parts = list(dict.fromkeys(w for w, _, _ in segment.sub_words(node.text)))
            if parts:
                alts = [wq.Term(node.fieldname, w, boost=node.boost * SUB_WORD_BOOST) for w in parts]
                return wq.Or([node, *alts])
            return node
        return node if node.is_leaf() else node.apply(expand)

    return expand(q)


def _stem_phrase(stem_seq: tuple[str, ...], boost: float) -> wq.Query:
    """A query for a sequence of stems in any text field (terms are indexed as these stems)."""
    words = [s for s in stem_seq if s not in STOP_WORDS]
    per_field = []
    for f, fb in FIELD_BOOSTS.items():
        if len(words) == 1:
            per_field.append(wq.Term(f, words[0], boost=fb))
        elif words:
            per_field.append(wq.Phrase(f, words, boost=fb))
    return wq.Or(per_field, boost=boost)


# -- the word being typed ------------------------------------------------------------------

#: Shortest word matched as a prefix while it is typed: "a" or "co" begin a large part of any vocabulary, so
#: their results would be the corpus's most frequent words, and costly to gather; three letters narrow it.
MIN_PREFIX_LENGTH = 3
#: Words of the index a word being typed may stand for: the most frequent that begin with it. Sixteen cover
#: what a reader means by any three letters of English (benchmarks/live_prefix.py measures the cost); each
#: is a posting list to read in each text field, so this bounds the extra work at 16 x 3 lists.
MAX_COMPLETIONS = 16
#: A word that merely begins with what was typed counts a little less than the typed word itself ("cable" typed
#: ranks sections about cables above those about cablevision), but more than a correction or a synonym would.
PREFIX_BOOST = 0.9
#: A word a reader may be typing: letters and digits only (a field, a quote, a "*" or "~" say what they want).
_TYPED_WORD = re.compile(r"[^\W_]+")


@dataclass
class Completion:
    """The last word of a query, being typed, and what it is matched as (see :func:`prefix_last`)."""

    #: The word as typed, in lower case.
    word: str
    #: Its analysed form (the stem the index holds); "" for a stop word.
    stem: str
    #: Words of the index that begin with it, most frequent first (None: the build has no vocabulary).
    words: list[str] | None
    #: The stems of ``words`` other than ``stem``: what the search adds for it.
    stems: list[str]

    @property
    def widens(self) -> bool:
        """Whether the search matches more for it than the word as typed."""
        if self.words is None:  # without a vocabulary: a prefix of the stem
            return len(self.stem) >= MIN_PREFIX_LENGTH
        return bool(self.stems)


def _word_being_typed(text: str) -> str | None:
    """The query's last word when it can be an unfinished word (plain letters, at least MIN_PREFIX_LENGTH)."""
    if text != text.rstrip() or text.count('"') % 2:  # a space ends the word; inside a phrase words are exact
        return None
    last = text.rsplit(None, 1)[-1] if text.strip() else ""
    if len(last) < MIN_PREFIX_LENGTH or last in _OPERATORS or not _TYPED_WORD.fullmatch(last):
        return None
    if segment.has_han(last):  # Chinese is entered a word at a time (an input method commits whole words)
        return None
    return last


def _completions(typed: str, speller: Speller | None) -> Completion:
    """What ``typed`` stands for while it is typed: the words of the build's vocabulary it begins, stemmed.

    The vocabulary holds words before stemming, which is what a reader types:
    "informa" begins "information", whose stem "inform" it does not begin,
    so a prefix over the index's stems would find nothing until the word was
    complete. Without a vocabulary, ``words`` is None and :func:`prefix_last`
    falls back to a prefix of the stem.
    """
    word = typed.lower()
    own = stems_for_index(word)
    stem = own[0] if len(own) == 1 else ""
    found = speller.completions(word, MAX_COMPLETIONS) if speller is not None else None
    added: list[str] = []
    for w in found or ():
        for st in stems_for_index(w):
            if st != stem and st not in added:
                added.append(st)
    return Completion(word, stem, found, added)


def stems_for_index(text: str) -> list[str]:
    """The terms the index holds for ``text`` in its text fields (stemmed, without stop words)."""
    return [t.text for t in analyzer()(text)]


def prefix_last(q: wq.Query, completion: Completion, budget: Budget) -> wq.Query:
    """``q`` with the word being typed also matching the words that begin with it, where it stands in the query.

    Live results search as the reader types ("submar" shows the sections on
    submarine cables); a submitted query is searched as written. Each text
    field's term of the typed word becomes an OR of it and the completions'
    terms (at most MAX_COMPLETIONS words, at PREFIX_BOOST), like a corrected
    word (:func:`_expand_typos`). Without a vocabulary, the stem is matched as
    a prefix within the budget's caps on expansions (:class:`BoundedPrefix`).
    A stop word ("for", typing "foreign") has no term of its own: its
    alternatives join the query's top-level OR.
    """
    if not completion.widens:
        return q

    def alternatives(fieldname: str, boost: float) -> list[wq.Query]:
        if completion.words is None:
            return [BoundedPrefix(fieldname, completion.stem, boost * PREFIX_BOOST, budget=budget)]
        return [wq.Term(fieldname, st, boost=boost * PREFIX_BOOST) for st in completion.stems]

    attached = False

    def expand(node: wq.Query) -> wq.Query:
        nonlocal attached
        if type(node) is wq.Term and node.fieldname in TEXT_FIELDS and node.text == completion.stem:
            attached = True
            return wq.Or([node, *alternatives(node.fieldname, node.boost)])
        return node if node.is_leaf() else node.apply(expand)

    expanded = expand(q)
    if attached:
        return expanded
    extra = wq.Or([a for f, fb in FIELD_BOOSTS.items() for a in alternatives(f, fb)])
    if isinstance(q, type(wq.NullQuery)):  # the query was the stop word alone
        return extra
    if type(q) is wq.Or:
        return wq.Or([*q.subqueries, extra], boost=q.boost, scale=getattr(q, "scale", None))
    return q


# -- executing within the budget ------------------------------------------------------------


class _SafeAndNotMatcher(matching.AndNotMatcher):
    """Whoosh's "a ANDNOT b" matcher, without its crash when skipping ahead exhausts ``a``.

    ``AndNotMatcher.skip_to_quality`` moves ``a`` and then reads ``a.id()``
    even when ``a`` has run out (nested ANDNOTs after a prefix:
    ``body:dual* ANDNOT x ANDNOT y`` raised IndexError).
    """

    def _find_next(self):
        if not self.a.is_active():
            return False
        return super()._find_next()


class SafeAndNot(wq.AndNot):
    """``a ANDNOT b`` executed by :class:`_SafeAndNotMatcher`."""

    def matcher(self, searcher, context=None) -> matching.Matcher:
        scored = self.a.matcher(searcher, context)
        excluded = self.b.matcher(searcher, searcher.boolean_context())
        return _SafeAndNotMatcher(scored, excluded)


class _Bounded:
    """Mixin for a prefix or fuzzy term whose index terms are found once per search, within its budget.

    Whoosh expands such a term (``_btexts``) every time it is asked: to
    estimate, to match, and again for the snippets; and as far as the index
    goes. Here the expansion is computed once, capped, cached in the budget,
    and shared by every use; a term the budget cannot afford matches as typed.
    """

    budget: Budget

    def _btexts(self, ixreader) -> list:
        return _expansion(self, ixreader)

    def _exact(self) -> list:
        raise NotImplementedError

    def _candidates(self, ixreader) -> Iterable:
        raise NotImplementedError

    def _word_key(self) -> tuple:
        raise NotImplementedError

    def _affordable(self) -> bool:
        """Whether the budget allows expanding this term at all (beyond the caps on words and terms)."""
        return True


class BoundedPrefix(_Bounded, wq.Prefix):
    """``secur*``: the first MAX_TERMS_PER_EXPANSION index terms starting with the prefix."""

    def __init__(self, fieldname: str, text: str, boost: float = 1.0, constantscore: bool = True, *, budget: Budget):
        super().__init__(fieldname, text, boost=boost, constantscore=constantscore)
        self.budget = budget

    def _exact(self) -> list:
        return [self.text.encode("utf-8")]

    def _candidates(self, ixreader) -> Iterable:
        return ixreader.expand_prefix(self.fieldname, self.text)

    def _word_key(self) -> tuple:
        return ("prefix", self.text)


class BoundedFuzzyTerm(_Bounded, wq.FuzzyTerm):
    """``satelite~2``: index terms within the edit distance, the automaton built once for all fields."""

    def __init__(
        self,
        fieldname: str,
        text: str,
        boost: float = 1.0,
        maxdist: int = 1,
        prefixlength: int = 1,
        constantscore: bool = True,
        *,
        budget: Budget,
    ):
        super().__init__(fieldname, text, boost, maxdist, prefixlength, constantscore)
        self.budget = budget

    def _exact(self) -> list:
        return [self.text]

    def _candidates(self, ixreader) -> Iterable:
        key = (self.text, self.maxdist, self.prefixlength)
        dfa = self.budget.automata.get(key)
        if dfa is None:
            dfa = self.budget.automata[key] = levenshtein_automaton(*key).to_dfa()
        return Automata.find_matches(dfa, ixreader.cursor(self.fieldname))

    def _affordable(self) -> bool:
        if (self.text, self.maxdist, self.prefixlength) in self.budget.automata:  # built for another field
            return True
        note = f"some fuzzy terms matched as typed: {_AUTOMATA_SPENT}"
        return self.budget.afford_automaton(self.text, self.maxdist, note)

    def _word_key(self) -> tuple:
        return ("fuzzy", self.text, self.maxdist, self.prefixlength)


def _expansion(leaf: _Bounded, ixreader) -> list:
    """The index terms a bounded leaf stands for: computed once, within the caps and the deadline.

    The cap on index terms belongs to the typed word, not to the query: each
    field (and segment) of an expanded word keeps its first
    MAX_TERMS_PER_EXPANSION terms, whatever other words or fields used
    before. A shared pool drawn on field by field let the first word's three
    fields use it up, so that ``co* in*`` searched ``in*`` in titles only and
    found fewer sections than ``in*`` alone.
    """
    budget = leaf.budget
    key = (*leaf._word_key(), leaf.fieldname, id(ixreader))  # per segment reader, as Whoosh matches
    found = budget.expansions.get(key)
    if found is not None:
        return found
    word = leaf._word_key()
    if word not in budget.expanded_words and len(budget.expanded_words) >= MAX_EXPANDED_WORDS:
        budget.cut(f"only the first {MAX_EXPANDED_WORDS} prefix or fuzzy terms were expanded; others matched as typed")
        found = leaf._exact()
    elif budget.expired() or not leaf._affordable():
        found = leaf._exact()
    else:
        budget.expanded_words.add(word)
        found = list(islice(leaf._candidates(ixreader), MAX_TERMS_PER_EXPANSION + 1))
        if len(found) > MAX_TERMS_PER_EXPANSION:
            budget.cut(f"a prefix or fuzzy term matched more index terms than are searched ({MAX_TERMS_PER_EXPANSION})")
            found = found[:MAX_TERMS_PER_EXPANSION]
        budget.expanded_terms += len(found)
    budget.expansions[key] = found
    return found


def _executable(q: wq.Query, budget: Budget) -> wq.Query:
    """The query as it will run: prefix and fuzzy terms bounded by the budget, ANDNOT by the safe matcher.

    A fuzzy term too long to expand matches as typed; any other term that
    expands (none is parsed now, but a query is data) matches nothing.
    """
    if isinstance(q, wq.FuzzyTerm) and not isinstance(q, _Bounded):
        if len(q.text) > MAX_FUZZY_WORD_LENGTH:
            budget.cut(f"fuzzy terms longer than {MAX_FUZZY_WORD_LENGTH} letters matched as typed")
            return wq.Term(q.fieldname, q.text, boost=q.boost)
        return BoundedFuzzyTerm(q.fieldname, q.text, q.boost, q.maxdist, q.prefixlength, q.constantscore, budget=budget)
    if isinstance(q, wq.Prefix) and not isinstance(q, _Bounded):
        return BoundedPrefix(q.fieldname, q.text, q.boost, q.constantscore, budget=budget)
    if isinstance(q, wq.MultiTerm) and not isinstance(q, _Bounded):
        return wq.NullQuery
    if q.is_leaf():
        return q
    if type(q) is wq.AndNot:
        return SafeAndNot(_executable(q.a, budget), _executable(q.b, budget))
    return q.apply(lambda child: _executable(child, budget))


def _corrections(
    text: str, searcher, english: Callable[[], frozenset[str]], budget: Budget, speller: Speller | None
) -> tuple[dict[str, list[str]], str | None]:
    """Close index words for each query word the index does not know ("satelite" -> "satellite").

    A word the index lacks but that is common English ("well", "independent")
    is not a typo: correcting it would only add noise (and cost time); nor is
    a word typed as a prefix or fuzzy term (``secur*``, ``satelite~``), which
    asks for its own matching. ``english`` is called only when such a word
    turns up. Words are looked up in the build's spelling file (``speller``).
    """
    if speller is None:
        return {}, None
    reader = searcher.reader()
    body_stem = analyzer()
    fixes: dict[str, list[str]] = {}
    by_lower: dict[str, list[str]] = {}
    suggestion_words = []
    changed = False
    outside_quotes = _PREFIX_OR_FUZZY.sub(" ", re.sub(r'"[^"]*"', " ", text))
    seen: set[str] = set()
    for word in _WORD.findall(_FIELD_PREFIX.sub(" ", outside_quotes)):
        lw = word.lower()
        if lw in seen:  # a repeated word is looked up once
            continue
        seen.add(lw)
        if lw in STOP_WORDS or word in _OPERATORS or len(lw) < 4 or not lw.isalpha():
            continue
        tokens = [t.text for t in body_stem(lw)]
        if tokens and all(reader.frequency("body", t) or reader.frequency("title", t) for t in tokens):
            continue  # asked first: the index is open already, the spelling file is opened only when needed
        if speller.known(lw):
            continue
        if lw in english():
            continue
        found = budget.corrected.get(lw)
        if found is None:
            if len(lw) > MAX_FUZZY_WORD_LENGTH:
                budget.cut(f"words longer than {MAX_FUZZY_WORD_LENGTH} letters were not checked for spelling")
                continue
            if budget.corrections >= MAX_CORRECTED_WORDS:
                budget.cut(f"only the first {MAX_CORRECTED_WORDS} unknown words were checked for spelling")
                continue
            if budget.expired():
                break
            budget.corrections += 1
            suggested = speller.suggest(lw, limit=3, maxdist=MAX_FUZZY_EDITS, prefix=CORRECTION_PREFIX)
            found = budget.corrected[lw] = [s for s in suggested if s != lw]
        if found:
            fixes[word] = by_lower[lw] = found
    for token in re.split(r"(\s+)", text):
        core = token.strip('"()?!.,;:')
        if core.lower() in by_lower:
            suggestion_words.append(token.replace(core, by_lower[core.lower()][0]))
            changed = True
        else:
            suggestion_words.append(token)
    return fixes, ("".join(suggestion_words) if changed else None)
