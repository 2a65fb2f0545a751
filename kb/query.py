"""Turn what a user typed into a Whoosh query: syntax, citations, synonyms, typos, safety bounds.

Users type keywords, phrases, questions, citations ("6 (1)") and typos, and
sometimes broken syntax. Nothing typed may raise: a query the parser cannot
take as written is searched as plain words.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from whoosh import qparser
from whoosh import query as wq

from kb import numerals
from kb.index import STOP_WORDS, analyzer

MAX_QUERY_LENGTH = 500
MAX_FUZZY_EDITS = 2
SYNONYM_BOOST = 0.6
TYPO_BOOST = 0.8
#: Field weights of the BM25F ranking: a title match beats a passing mention.
#: Chosen with benchmarks/relevance.py (see docs/relevance.md).
FIELD_BOOSTS = {"title": 2.0, "parent_title": 0.5, "body": 1.0}
TEXT_FIELDS = tuple(FIELD_BOOSTS)

_CITATION = re.compile(
    r"^\s*(?:(?:section|sec\.?|§|article|art\.?)\s*)?"
    r"(?P<top>\d{1,2}|[ivxlc]{1,7})"
    r"(?:\s*(?:\.\s*|\(\s*|\s+)(?P<sub>\d{1,2}|[ivxlc]{1,7})\s*\)?)?\s*$",
    re.IGNORECASE,
)
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
_FIELD_PREFIX = re.compile(r"\b(\w+):")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")
_SYNTAX = re.compile(r"[\"():*?~^+]|(^|\s)-")


class QueryError(ValueError):
    """A query that cannot be searched at all (empty, or too long)."""


@dataclass
class PreparedQuery:
    text: str
    query: wq.Query | None
    citation: str | None = None
    fallback: bool = False
    suggestion: str | None = None
    expansions: dict[str, list[str]] = field(default_factory=dict)


def citation(text: str) -> str | None:
    """Section id when the whole query is a citation: "6.1", "6 (1)", "section 6(1)", "VI (1)", "7"."""
    m = _CITATION.match(text)
    if not m:
        return None
    top = numerals.value(m["top"].upper()) if not m["top"].isdigit() else int(m["top"])
    if not top:
        return None
    if m["sub"] is None:
        # a bare Roman numeral like "I" or "v" is more likely a word than a citation
        return str(top) if m["top"].isdigit() or len(m["top"]) > 1 else None
    sub = int(m["sub"]) if m["sub"].isdigit() else numerals.value(m["sub"].upper())
    return f"{top}.{sub}" if sub else None


@lru_cache(maxsize=1)
def synonym_groups() -> tuple[tuple[tuple[str, ...], ...], ...]:
    """Synonym groups from the packaged data file, each member as its sequence of stems."""
    data = tomllib.loads(resources.files("kb").joinpath("synonyms.toml").read_text(encoding="utf-8"))
    groups = []
    for group in data["groups"]:
        members = tuple(tuple(stems(m)) for m in group)
        groups.append(tuple(m for m in members if m))
    return tuple(groups)


def stems(text: str) -> list[str]:
    return [t.text for t in _plain_analyzer()(text)]


@lru_cache(maxsize=1)
def _plain_analyzer():
    from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter

    return RegexTokenizer() | LowercaseFilter() | StemFilter()


def synonyms_in(text: str) -> list[tuple[str, ...]]:
    """Alternatives (as stem sequences) for every synonym-group member found in the text."""
    seq = stems(text)
    found: list[tuple[str, ...]] = []
    for group in synonym_groups():
        hit = [m for m in group if _contains(seq, m)]
        if hit:
            found.extend(m for m in group if m not in hit and m not in found)
    return found


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
    words = [w for w in _WORD.findall(text) if w not in _OPERATORS]
    return " ".join(words)


def make_parser(schema, fieldnames=TEXT_FIELDS) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(
        list(fieldnames), schema, fieldboosts=FIELD_BOOSTS, group=qparser.OrGroup.factory(0.9)
    )
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.add_plugin(qparser.PrefixPlugin())
    parser.add_plugin(qparser.FieldAliasPlugin({"title": ["heading"], "section": ["sec", "s"]}))
    return parser


def bound(q: wq.Query) -> wq.Query:
    """Cap what makes a query expensive: fuzzy edits at 2 with a fixed first letter; no empty prefixes."""
    if isinstance(q, wq.FuzzyTerm):
        q.maxdist = min(q.maxdist, MAX_FUZZY_EDITS)
        q.prefixlength = max(q.prefixlength, 1)
        return q
    if isinstance(q, wq.Prefix) and len(q.text) < 2:
        return wq.NullQuery
    if q.boost <= 0:  # "word^0" would silently drop what was typed
        q.boost = 1.0
    if q.is_leaf():
        return q
    return q.apply(bound)


def section_filter(q: wq.Query) -> wq.Query:
    """``section:6`` means section 6 and its subsections."""
    if isinstance(q, wq.Term) and q.fieldname == "section" and "." not in str(q.text):
        return wq.Or([q, wq.Term("top", q.text)])
    if q.is_leaf():
        return q
    return q.apply(section_filter)


def prepare(text: str, searcher, english: Callable[[], frozenset[str]] = frozenset) -> PreparedQuery:
    """Parse, expand and bound a user's query against an open Whoosh searcher."""
    text = (text or "").strip()
    if not text:
        raise QueryError("empty query")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"query too long ({len(text)} characters; the limit is {MAX_QUERY_LENGTH})")
    cited = citation(text)
    fallback = is_malformed(text)
    query_text = plain_words(text) if fallback else text
    if not query_text.strip():
        return PreparedQuery(text, None, cited, fallback)

    corrector_words, suggestion = _corrections(query_text, searcher, english)
    parser = make_parser(searcher.schema)
    try:
        q = parser.parse(query_text)
    except Exception:  # the parser's errors are not part of its API; any failure means "search the words"
        q = None
    if q is None or not _public_fields_only(q):
        fallback, q = True, parser.parse(plain_words(text))
    q = section_filter(_and_not(bound(q)))
    q = _expand_typos(q, corrector_words)
    if _is_bag_of_words(query_text):
        # Synonyms widen a plain keyword query; a query with phrases, fields or
        # operators says exactly what it wants, and a synonym could break that.
        alternatives = [q] + [_stem_phrase(alt, SYNONYM_BOOST) for alt in synonyms_in(query_text)]
        if len(alternatives) > 1:
            q = wq.Or(alternatives)
    return PreparedQuery(text, q.normalize(), cited, fallback, suggestion, corrector_words)


#: Fields a user may name; the rest of the schema (key, order, words) is internal.
PUBLIC_FIELDS = frozenset({*TEXT_FIELDS, "section", "top", "translation"})


def _public_fields_only(q: wq.Query) -> bool:
    return all(leaf.field() in PUBLIC_FIELDS for leaf in q.leaves() if leaf.field() is not None)


def _is_bag_of_words(text: str) -> bool:
    """Only words, no syntax (phrases, fields, operators, wildcards): what most people type."""
    return not _SYNTAX.search(text) and not any(w in _OPERATORS for w in text.split())


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


def _corrections(text: str, searcher, english: Callable[[], frozenset[str]]) -> tuple[dict[str, list[str]], str | None]:
    """Close index words for each query word the index does not know ("satelite" -> "satellite").

    A word the index lacks but that is common English ("well", "independent")
    is not a typo: correcting it would only add noise (and cost time).
    ``english`` is called only when such a word turns up.
    """
    reader = searcher.reader()
    corrector = searcher.corrector("words")
    body_stem = analyzer()
    fixes: dict[str, list[str]] = {}
    suggestion_words = []
    changed = False
    outside_quotes = re.sub(r'"[^"]*"', " ", text)
    unknown = set()
    for word in _WORD.findall(_FIELD_PREFIX.sub(" ", outside_quotes)):
        lw = word.lower()
        if lw in STOP_WORDS or word in _OPERATORS or len(lw) < 4 or not lw.isalpha():
            continue
        if reader.frequency("words", lw) > 0:
            continue
        tokens = [t.text for t in body_stem(lw)]
        if tokens and all(reader.frequency("body", t) or reader.frequency("title", t) for t in tokens):
            continue
        if lw in english():
            continue
        found = [s for s in corrector.suggest(lw, limit=3, maxdist=MAX_FUZZY_EDITS) if s != lw]
        if found:
            fixes[word] = found
            unknown.add(word)
    for token in re.split(r"(\s+)", text):
        core = token.strip('"()?!.,;:')
        if core in unknown:
            suggestion_words.append(token.replace(core, fixes[core][0]))
            changed = True
        else:
            suggestion_words.append(token)
    return fixes, ("".join(suggestion_words) if changed else None)
