"""How matches are scored and gathered: Whoosh's BM25F, with the per-match costs taken out of the loop.

A plain query here is a wide disjunction: every word in three fields, with
its synonyms and spelling variants, 20 to 50 clauses, and on a corpus of
thousands of similar notices it matches most sections. Totals and facets
count every match, so every match is visited and scored. Profiled at 10,000
sections, two Whoosh costs dominated, and both have a remedy that keeps
Whoosh's own scores to the last bit:

- the default matcher of an ``Or`` is a binary tree of union matchers, and
  each step to the next match walks the tree. Whoosh's own
  :class:`~whoosh.query.compound.PreloadedOr` (``Or.ARRAY_MATCHER``) instead
  adds each clause's scores into an array a block of documents at a time:
  about 40% less CPU for the same matches and scores (:func:`preloaded`);
- BM25F asks the segment for a document's field length once per matching
  clause, and each answer is a column read and a decode (2.8 µs). The
  lengths never change within a build, so :class:`LengthCachedBM25F` keeps
  each one once it has been read.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable

from whoosh import query as wq
from whoosh import scoring

#: Disjunctions with at least this many clauses are matched by preloading scores (:func:`preloaded`). Two or
#: three clauses walk a small tree cheaply, and within an ``And`` the tree's skipping is what makes it fast.
PRELOAD_MIN_CLAUSES = 4


def preloaded(q: wq.Query) -> wq.Query:
    """``q`` matched by :class:`~whoosh.query.compound.PreloadedOr` if it is a wide disjunction, else ``q``.

    Only a disjunction that ranks the whole query: one inside an ``And`` or a
    phrase keeps Whoosh's tree, which skips to the documents the other side
    allows instead of reading every document (and the preloading matcher
    does not follow such skips correctly). A query narrowed by ``issuer:``
    and the like (:class:`~whoosh.query.Require`) is split by the caller,
    :func:`split_requirement`, so that its words can be preloaded too.
    """
    if isinstance(q, wq.Or) and len(q.subqueries) >= PRELOAD_MIN_CLAUSES:
        faster = q.copy()
        faster.matcher_type = wq.Or.ARRAY_MATCHER
        return faster
    return q


def split_requirement(q: wq.Query) -> tuple[wq.Query, wq.Query | None]:
    """A query's scoring part and what every match must also match (None: nothing more).

    ``Require(words, fields)`` matches the documents of ``words`` that also
    match ``fields``, scored by ``words`` alone; searching ``words`` among the
    documents of ``fields`` gives the same matches and scores.
    """
    if isinstance(q, wq.Require) and q.boost == 1.0:
        return q.a, q.b
    return q, None


class LengthCachedBM25F(scoring.BM25F):
    """Whoosh's BM25F, with each document's field lengths kept after their first read.

    One instance serves one searcher (one build), whose segments never
    change; lengths are kept per segment reader and field, in an array of
    ``length + 1`` (0: not read yet), so the scores are exactly BM25F's.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._lengths: dict[tuple[int, str], Callable[[int], int]] = {}

    def scorer(self, searcher, fieldname: str, text, qf: float = 1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(scorer, scoring.BM25FScorer):  # an unscorable field gets a plain weight scorer
            scorer.dfl = self._length_reader(searcher, fieldname)
        return scorer

    def _length_reader(self, searcher, fieldname: str) -> Callable[[int], int]:
        reader = searcher.reader()
        key = (id(reader), fieldname)
        found = self._lengths.get(key)
        if found is None:
            found = self._lengths[key] = _kept_lengths(reader, fieldname)
        return found


def _kept_lengths(reader, fieldname: str) -> Callable[[int], int]:
    """``reader.doc_field_length(docnum, fieldname, 1)``, each document's answer read once."""
    kept = array("I", bytes(4 * (reader.doc_count_all() + 1)))
    read = reader.doc_field_length

    def length(docnum: int) -> int:
        known = kept[docnum]
        if known:
            return known - 1
        found = read(docnum, fieldname, 1)
        if found is not None:  # Whoosh answers None for a field the document lacks (never a match's field)
            kept[docnum] = found + 1
        return found

    return length


def sum_clauses(q: wq.Query) -> list[wq.Query] | None:
    """The clauses of ``q`` if it is a disjunction scored as the plain sum of its clauses' scores, else None."""
    if type(q) is wq.Or and q.boost == 1.0 and not q.scale and not q.minmatch and q.subqueries:
        return list(q.subqueries)
    return None


#: Postings read between two looks at the search's budget (a clock read costs about as much as a posting).
BUDGET_CHECK_POSTINGS = 512


def accumulate(searcher, clauses: list[wq.Query], expired: Callable[[], bool]) -> dict[int, float]:
    """Every document matching any clause, with the sum of its clauses' scores: what ``Or(clauses)`` scores.

    Term at a time: each clause's postings are read once, in order, and
    added into one table, as Whoosh's own
    :class:`~whoosh.matching.ArrayUnionMatcher` does a block of documents at
    a time. A term's postings are scored with Whoosh's own :func:`whoosh.scoring.bm25`
    straight from the leaf matcher (its weight and the document's kept field
    length), without the scorer and wrapper calls around each posting, which
    cost more than the formula; any other clause (a phrase, a prefix) is
    scored by its matcher. Stops with what it has when ``expired()`` says the
    budget is spent (checked every BUDGET_CHECK_POSTINGS postings).
    """
    from whoosh.matching import WrappingMatcher

    scores: dict[int, float] = {}
    get = scores.get
    bm25 = scoring.bm25
    context = searcher.context()
    countdown = BUDGET_CHECK_POSTINGS
    for subsearcher, offset in searcher.leaf_searchers():
        for clause in clauses:
            matcher = clause.matcher(subsearcher, context)
            boost = 1.0
            while type(matcher) is WrappingMatcher:  # a boosted term: the boost times the term's score
                boost *= matcher.boost
                matcher = matcher.child
            scorer = getattr(matcher, "scorer", None)
            length = getattr(scorer, "dfl", None)
            if matcher.is_leaf() and type(scorer) is scoring.BM25FScorer and length is not None:
                idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
                is_active, ident, weight, step = matcher.is_active, matcher.id, matcher.weight, matcher.next
                while is_active():
                    countdown -= 1
                    if not countdown:
                        if expired():
                            return scores
                        countdown = BUDGET_CHECK_POSTINGS
                    docnum = ident()
                    top = offset + docnum
                    scores[top] = get(top, 0.0) + bm25(idf, weight(), length(docnum), avgfl, b, k1) * boost
                    step()
                continue
            while matcher.is_active():
                countdown -= 1
                if not countdown:
                    if expired():
                        return scores
                    countdown = BUDGET_CHECK_POSTINGS
                top = offset + matcher.id()
                scores[top] = get(top, 0.0) + matcher.score() * boost
                matcher.next()
    return scores
