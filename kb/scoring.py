"""How matches are gathered and scored: Whoosh's BM25F, with the per-match costs taken out of the loop.

A plain query here is a wide disjunction: every word in three fields, with
its synonyms and spelling variants, 20 to 50 clauses, and on a corpus of
thousands of similar notices it matches most sections. Totals and facets
count every match, so every match is visited and scored. Profiled at 10,000
and 50,000 sections, Whoosh spent most of a search walking its binary tree of
union matchers, asking the segment for a field length per clause and match,
and calling a scorer and its wrappers per posting; the formula itself was a
small part. What is done instead, each giving Whoosh's own scores:

- :func:`accumulate` scores such a disjunction term at a time: each clause's
  postings once, into one table (what Whoosh's ``ArrayUnionMatcher`` does a
  block of documents at a time), a term's postings a block at a time
  (:func:`_add_blocks`) with :func:`whoosh.scoring.bm25` written out;
- :class:`LengthCachedBM25F` keeps each document's field length, and the
  length part of the formula, once read (a build never changes);
- any other query shape goes through Whoosh's matchers and a collector, with
  a top-level disjunction matched by Whoosh's own
  :class:`~whoosh.query.compound.PreloadedOr` (:func:`preloaded`).

The tests (tests/search/test_scoring.py) check matches and scores against a
plain Whoosh search with plain BM25F.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable

from whoosh import query as wq
from whoosh import scoring

from kb.columns import field_lengths

#: Disjunctions with at least this many clauses are matched by preloading scores (:func:`preloaded`). Two or
#: three clauses walk a small tree cheaply, and within an ``And`` the tree's skipping is what makes it fast.
PRELOAD_MIN_CLAUSES = 4


def preloaded(q: wq.Query) -> wq.Query:
    """``q`` matched by :class:`~whoosh.query.compound.PreloadedOr` if it is a wide disjunction, else ``q``.

    Only a disjunction that ranks the whole query: one inside an ``And`` or a
    phrase keeps Whoosh's tree, which skips to the documents the other side
    allows instead of reading every document (and the preloading matcher
    does not follow such skips correctly). A query narrowed by ``issuer:``
    and the like (:class:`~whoosh.query.Require`) is split by the caller
    (:func:`split_requirement`), so that its words are scored as a query of
    their own. The usual query, a plain sum of clauses, does not come here:
    :func:`accumulate` scores it.
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
    """Whoosh's BM25F, with each document's field lengths, and the length part of the formula, kept per build.

    One instance serves one searcher (one build), whose segments never
    change. Per segment reader and field, the lengths are read whole where
    the segment's format allows (:func:`kb.columns.field_lengths`), else each
    when first asked for; the scorer also carries ``norms``, each document's
    ``K1 * ((1 - B) + B * length / average)`` once computed, which
    :func:`_add_blocks` uses. The scores are exactly BM25F's.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._lengths: dict[tuple[int, str], Callable[[int], int]] = {}
        self._norms: dict[tuple, array] = {}

    def scorer(self, searcher, fieldname: str, text, qf: float = 1):
        scorer = super().scorer(searcher, fieldname, text, qf=qf)
        if isinstance(scorer, scoring.BM25FScorer):  # an unscorable field gets a plain weight scorer
            scorer.dfl = self._length_reader(searcher, fieldname)
            key = (id(searcher.reader()), fieldname, scorer.B, scorer.K1, scorer.avgfl)
            norms = self._norms.get(key)
            if norms is None:
                norms = self._norms[key] = array("d", bytes(8 * (searcher.reader().doc_count_all() + 1)))
            #: Each document's length part of the formula, once computed (0.0: not yet): see _add_blocks.
            scorer.norms = norms
        return scorer

    def _length_reader(self, searcher, fieldname: str) -> Callable[[int], int]:
        reader = searcher.reader()
        key = (id(reader), fieldname)
        found = self._lengths.get(key)
        if found is None:
            found = self._lengths[key] = _kept_lengths(reader, fieldname)
        return found


def _kept_lengths(reader, fieldname: str) -> Callable[[int], int]:
    """``reader.doc_field_length(docnum, fieldname, 1)``: the segment's whole column read at once where its
    format allows (kb.columns), else each document's answer read once, when first asked for."""
    whole = field_lengths(reader, fieldname)
    if whole is not None:
        return whole.__getitem__
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


class Kept:
    """Posting blocks of some terms, kept as they are read while scoring, for a second look (:func:`add_near`).

    whoosh3 reads a block's document numbers, weights and positions in one
    go; keeping the block (a reference, not a copy) lets words standing
    together be found later without reading the postings again.
    """

    def __init__(self, terms: set[tuple[str, str]]) -> None:
        #: The (field, term) pairs whose blocks are kept.
        self.terms = terms
        #: Per (field, term): (segment offset, document numbers, weights, values, first posting, scorer) a block.
        self.blocks: dict[tuple[str, str], list[tuple]] = {}

    def list_for(self, clause: wq.Query) -> list | None:
        """Where a clause's blocks go, if they are wanted (a plain term of a wanted field and word)."""
        if type(clause) is not wq.Term or (clause.fieldname, clause.text) not in self.terms:
            return None
        return self.blocks.setdefault((clause.fieldname, clause.text), [])


def accumulate(
    searcher,
    clauses: list[wq.Query],
    expired: Callable[[], bool],
    recorders: list | None = None,
    kept: Kept | None = None,
) -> dict[int, float]:
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

    ``recorders``, if given, has a :class:`kb.coverage.Record` (or None) per
    clause, which is told the documents the clause matched; a deleted
    document may be recorded too, but it is never scored. ``kept`` keeps the
    blocks of the terms it names (:class:`Kept`).
    """
    scores: dict[int, float] = {}
    get = scores.get
    context = searcher.context()
    countdown = BUDGET_CHECK_POSTINGS
    for subsearcher, offset in searcher.leaf_searchers():
        for n, clause in enumerate(clauses):
            record = recorders[n] if recorders is not None else None
            if type(clause) is wq.Phrase:
                added = _add_phrase(subsearcher, clause, context.weighting, offset, scores, expired, record)
                if added is False:
                    return scores
                if added:
                    continue
            wrapped = clause.matcher(subsearcher, context)
            matcher, boost, excluded = _unwrap(wrapped, subsearcher.reader())
            scorer = getattr(matcher, "scorer", None)
            length = getattr(scorer, "dfl", None)
            if matcher.is_leaf() and type(scorer) is scoring.BM25FScorer and length is not None:
                if _has_blocks(matcher) and getattr(scorer, "norms", None) is not None:
                    keep = kept.list_for(clause) if kept is not None else None
                    if keep is not None and not hasattr(matcher, "_read_values"):
                        keep = None
                    args = (offset, boost, scores, expired, excluded, record, keep)
                    if not _add_blocks(matcher, scorer, length, *args):
                        return scores
                    continue
            matcher, boost = wrapped, 1.0  # any other shape: its own matcher, deletions and all
            while matcher.is_active():
                countdown -= 1
                if not countdown:
                    if expired():
                        return scores
                    countdown = BUDGET_CHECK_POSTINGS
                top = offset + matcher.id()
                scores[top] = get(top, 0.0) + matcher.score() * boost
                if record is not None:
                    record.add(top)
                matcher.next()
    return scores


def _unwrap(matcher, reader) -> tuple:
    """A term's leaf matcher under Whoosh's wrappers, the boost they apply, and the deleted documents they
    leave out (None: none): ``(leaf, boost, excluded)``.

    A boosted term is a ``WrappingMatcher``; in a segment with deleted
    documents (an updated build), ``reader.postings`` wraps the leaf in a
    ``FilterMatcher`` excluding them. Anything else is returned as it is.
    """
    from whoosh.matching import FilterMatcher, WrappingMatcher

    boost, excluded = 1.0, None
    deleted = reader.deleted_docs_set if reader.has_deletions() else None
    while True:
        if type(matcher) is WrappingMatcher:
            boost *= matcher.boost
        elif type(matcher) is FilterMatcher and deleted is not None and excluded is None:
            boost *= matcher.boost
            excluded = deleted
        else:
            return matcher, boost, excluded
        matcher = matcher.child


#: What a whoosh3 leaf matcher keeps of its current block (kb.scoring reads blocks whole where it has them).
_BLOCK_ATTRIBUTES = ("_ids", "_weights", "_i", "_atend", "_lastblock", "_read_ids", "_read_weights", "_next_block")


def _has_blocks(matcher) -> bool:
    return all(hasattr(matcher, name) for name in _BLOCK_ATTRIBUTES)


def _add_blocks(
    matcher,
    scorer,
    length,
    offset: int,
    boost: float,
    scores: dict[int, float],
    expired,
    excluded=None,
    record=None,
    keep=None,
) -> bool:
    """Add a term's BM25F scores into ``scores`` a block of postings at a time; False if the budget ran out.

    whoosh3's leaf matcher holds its postings in blocks of up to 128, each
    read and decoded whole into an array of document numbers and one of
    weights; stepping through them with ``id()``/``weight()``/``next()``
    costs three method calls a posting. Here each block's arrays are read
    once and scored in one loop, with Whoosh's own formula written out in
    its own order of operations (:func:`whoosh.scoring.bm25`), so the scores
    are the same to the last bit. Documents in ``excluded`` (deleted) are skipped.
    ``record`` (a :class:`kb.coverage.Record`, or None) is given each block read;
    ``keep`` (a list, or None) gets each block whole (see :class:`Kept`).
    """
    idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
    norms = scorer.norms
    k1_plus_1 = k1 + 1
    get = scores.get
    while matcher.is_active():
        if expired():
            return False
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        start = matcher._i
        for docnum, tf in zip(matcher._ids[start:], matcher._weights[start:], strict=True):
            if excluded is not None and docnum in excluded:
                continue
            norm = norms[docnum]
            if not norm:
                norm = norms[docnum] = k1 * ((1 - b) + b * length(docnum) / avgfl)
            top = offset + docnum
            scores[top] = get(top, 0.0) + idf * ((tf * k1_plus_1) / (tf + norm)) * boost
        if record is not None:
            record.add_block(offset, matcher._ids, start)
        if keep is not None:
            if matcher._values is None:
                matcher._read_values()
            keep.append((offset, matcher._ids, matcher._weights, matcher._values, start, scorer))
        if matcher._lastblock:
            break
        matcher._next_block()
    return True


def _phrase_postings(subsearcher, phrase: wq.Phrase, weighting) -> list | None:
    """The leaf matchers of a phrase's words (rarest first: the order they narrow in), [] if a word is absent,
    or None if this phrase is not one :func:`_add_phrase` reads (a slop over 1 beyond two words, a field
    without positions, no blocks)."""
    field = subsearcher.schema[phrase.fieldname] if phrase.fieldname in subsearcher.schema else None
    if phrase.slop < 1 or (phrase.slop > 1 and len(phrase.words) != 2) or len(phrase.words) < 2:
        return None
    if field is None or not field.format.supports("positions"):
        return None
    reader = subsearcher.reader()
    matchers = []
    for position, word in enumerate(phrase.words):
        try:
            text = field.to_bytes(word)
        except ValueError:
            return []
        if (phrase.fieldname, text) not in reader:
            return []
        matcher, boost, _ = _unwrap(subsearcher.postings(phrase.fieldname, text, weighting=weighting), reader)
        if boost != 1.0:
            return None
        scorer = getattr(matcher, "scorer", None)
        if not (_has_blocks(matcher) and hasattr(matcher, "_read_values") and type(scorer) is scoring.BM25FScorer):
            return None
        matchers.append((reader.doc_frequency(phrase.fieldname, text), position, matcher))
    matchers.sort(key=lambda item: (item[0], item[1]))
    return matchers


def add_near(
    searcher, clauses: list[wq.Phrase], scores: dict[int, float], expired: Callable[[], bool], kept: Kept | None = None
) -> bool:
    """Add two-word near phrases' scores to the documents of ``scores`` only (the best matches of a query's words).

    Scored as :func:`_add_phrase` scores them (Whoosh's phrase: the sum of
    the two words' BM25F, times the phrase's boost, where the second word
    follows the first within the slop). Where both words' blocks were kept
    while scoring (``kept``), positions are read from them and nothing is
    read again; otherwise the phrase is read in blocks, limited to these
    documents. Returns False if the budget ran out.
    """
    wanted = sorted(scores)
    weighting = searcher.context().weighting
    for clause in clauses:
        if expired():
            return False
        first, second = (kept.blocks.get((clause.fieldname, w)) if kept is not None else None for w in clause.words)
        if len(clause.words) == 2 and first is not None and second is not None:
            _add_kept_near(searcher, clause, first, second, wanted, scores)
            continue
        for subsearcher, offset in searcher.leaf_searchers():
            end = offset + subsearcher.reader().doc_count_all()
            local = [d - offset for d in wanted if offset <= d < end]
            if local and _add_phrase(subsearcher, clause, weighting, offset, scores, expired, within=local) is False:
                return False
    return True


def _kept_postings(blocks: list[tuple], wanted: list[int]) -> dict[int, tuple]:
    """``{document: (weight, value, scorer, offset)}`` for the ``wanted`` documents (sorted) in kept blocks."""
    found: dict[int, tuple] = {}
    for offset, ids, weights, values, start, scorer in blocks:
        lo = bisect_left(wanted, offset + ids[start])
        hi = bisect_right(wanted, offset + ids[-1], lo)
        for docnum in wanted[lo:hi]:
            i = bisect_left(ids, docnum - offset, start)
            if i < len(ids) and ids[i] == docnum - offset:
                found[docnum] = (weights[i], values[i], scorer, offset)
    return found


def _add_kept_near(searcher, phrase: wq.Phrase, first: list, second: list, wanted: list[int], scores: dict) -> None:
    """:func:`add_near` for one phrase of two words whose blocks were kept."""
    a = _kept_postings(first, wanted)
    if not a:
        return
    b = _kept_postings(second, wanted)
    decode = searcher.schema[phrase.fieldname].format.decoder("positions")
    slop, boost = phrase.slop, phrase.boost
    for docnum in sorted(a.keys() & b.keys()):
        tf_a, value_a, scorer_a, offset = a[docnum]
        tf_b, value_b, scorer_b, _ = b[docnum]
        seconds = decode(value_b)
        if not any(0 < q - p <= slop for p in decode(value_a) for q in seconds):
            continue
        local = docnum - offset
        parts = [scorer_a._score(tf_a, scorer_a.dfl(local)), scorer_b._score(tf_b, scorer_b.dfl(local))]
        scores[docnum] = scores[docnum] + _binary_sum(parts) * boost


def _add_phrase(
    subsearcher, phrase: wq.Phrase, weighting, offset: int, scores: dict, expired, record=None, within=None
) -> bool | None:
    """Add a phrase's scores into ``scores`` as Whoosh's phrase matcher scores it; None if it cannot here.

    Whoosh intersects the words' postings one ``skip_to`` at a time and then
    compares their positions; for two common words (``"cross industry"``) that
    walk cost more than scoring every term of the query. Here each word's
    postings are read a block at a time, rarest word first, keeping only the
    documents every word so far has (a block with none of them is skipped
    without being decoded); positions are decoded only for documents that
    have every word. A document matches when the words stand at consecutive
    positions (Whoosh's phrase at slop 1), or, for two words, when the second
    follows the first within ``slop`` positions (Whoosh's ordered ``SpanNear2``,
    which its phrase uses), and scores, as there, the sum of
    the words' BM25F scores in it, in Whoosh's order of summing. A deleted
    document (an updated build) never matches. Returns False if the budget ran out.
    ``record`` (a :class:`kb.coverage.Record`, or None) is given the documents the phrase matched;
    ``within`` (sorted document numbers of the segment), if given, limits the matches to those.
    """
    found = _phrase_postings(subsearcher, phrase, weighting)
    if found is None:
        return None
    if not found:
        return True
    count = len(phrase.words)
    postings: list[dict[int, tuple[float, bytes]] | None] = [None] * count
    candidates: list[int] | None = within  # sorted document numbers every word so far has
    for _, position, matcher in found:
        if expired():
            return False
        kept: dict[int, tuple[float, bytes]] = {}
        wanted = None if candidates is None else set(candidates)
        k, done = 0, -1  # candidates[:k] are at or below ``done``, the last document of the blocks read
        while matcher.is_active():
            if expired():  # once a block: a phrase of many common words reads many postings
                return False
            if candidates is not None:
                while k < len(candidates) and candidates[k] <= done:
                    k += 1
                if k == len(candidates):
                    break
                done = matcher.block_max_id()  # from the block's header: nothing decoded yet
                if candidates[k] > done:  # no candidate in this block: skip it undecoded
                    if matcher._lastblock:
                        break
                    matcher._next_block()
                    continue
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            if matcher._values is None:
                matcher._read_values()
            start = matcher._i
            for docnum, tf, value in zip(
                matcher._ids[start:], matcher._weights[start:], matcher._values[start:], strict=True
            ):
                if wanted is None or docnum in wanted:
                    kept[docnum] = (tf, value)
            if matcher._lastblock:
                break
            matcher._next_block()
        postings[position] = kept
        candidates = sorted(kept if candidates is None else (d for d in candidates if d in kept))
        if not candidates:
            return True
    decoders: list = [None] * count
    scorers: list = [None] * count
    for _, position, matcher in found:
        decoders[position] = matcher.format.decoder("positions")
        scorers[position] = matcher.scorer
    decode = decoders[0]
    slop = phrase.slop
    boost = phrase.boost
    get = scores.get
    reader = subsearcher.reader()
    deleted = reader.deleted_docs_set if reader.has_deletions() else frozenset()
    for k, docnum in enumerate(candidates or ()):
        if not k % BUDGET_CHECK_POSTINGS and expired():
            return False
        if docnum in deleted:
            continue
        starts = decode(postings[0][docnum][1])
        if slop == 1:
            for i in range(1, count):
                here = set(decoders[i](postings[i][docnum][1]))
                starts = [p for p in starts if p + i in here]
                if not starts:
                    break
        else:  # two words: the second within ``slop`` positions after the first
            seconds = decoders[1](postings[1][docnum][1])
            starts = [p for p in starts if any(0 < q - p <= slop for q in seconds)]
        if not starts:
            continue
        parts = [scorers[i]._score(postings[i][docnum][0], scorers[i].dfl(docnum)) for i in range(count)]
        top = offset + docnum
        scores[top] = get(top, 0.0) + _binary_sum(parts) * boost
        if record is not None:
            record.add(top)
    return True


def _binary_sum(parts: list[float]) -> float:
    """The sum of ``parts`` grouped as Whoosh's ``make_binary_tree`` groups the matchers that add them."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    return _binary_sum(parts[:half]) + _binary_sum(parts[half:])
