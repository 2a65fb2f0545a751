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
