"""The faster way matches are gathered and scored finds exactly what Whoosh's own search finds, scored the same.

:mod:`kb.scoring` preloads wide disjunctions, keeps field lengths, and splits
a query's requirement (``issuer:`` and the like) from its words; each is
checked here against a plain Whoosh search with plain BM25F, match for match
and score for score.
"""

from __future__ import annotations

import pytest
from whoosh import query as wq
from whoosh import scoring as whoosh_scoring
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from kb import search as kb_search
from kb.query import Budget, prepare
from kb.scoring import PRELOAD_MIN_CLAUSES, LengthCachedBM25F, preloaded, split_requirement

QUERIES = [
    "green data centers",
    "satellite communication",
    "satelite communcation",  # corrected words
    '"data centres" OR cables',
    "computing AND network",
    "title:security",
    "secur* network",
    "cables issuer:MIIT",
    "network year:2024 type:notice",
    "5G notice:miit-2024-165",
    "network -data",
    "6.1",
]


def whoosh_matches(index, q) -> dict[int, float]:
    """Every match of ``q`` and its score, as Whoosh's own search gives them with plain BM25F."""
    with index.searcher(weighting=whoosh_scoring.BM25F()) as searcher:
        return {hit.docnum: hit.score for hit in searcher.search(q, limit=None)}


@pytest.mark.parametrize("text", QUERIES)
def test_every_match_and_score_is_whoosh_own(library_kb, text):
    with library_kb.searcher() as searcher:
        q = prepare(text, searcher, library_kb.english_words, Budget()).query
        found = kb_search._collect(searcher, q, Budget(), None)
    expected = whoosh_matches(library_kb.ix, q)
    assert found.everything == set(expected)
    assert found.matched == set(expected)
    assert set(found.candidates) <= set(expected)
    for docnum, score in found.candidates.items():
        assert score == pytest.approx(expected[docnum], rel=1e-9)


def test_the_candidates_are_the_best_matches_in_whoosh_order(library_kb):
    """Higher score first, then the lower document number, as Whoosh's TopCollector keeps them."""
    with library_kb.searcher() as searcher:
        q = prepare("network infrastructure data", searcher, library_kb.english_words, Budget()).query
        best = kb_search._EveryMatch(Budget(), None)
        searcher.search_with_collector(preloaded(q), best)
    expected = sorted(whoosh_matches(library_kb.ix, q).items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    assert list(kb_search._best(best.scores, 5)) == [docnum for docnum, _ in expected]


def test_a_requirement_narrows_the_words_and_keeps_their_scores(library_kb):
    with library_kb.searcher() as searcher:
        q = prepare("network security issuer:MIIT", searcher, library_kb.english_words, Budget()).query
        words, required = split_requirement(q)
        assert isinstance(q, wq.Require) and required is not None
        found = kb_search._collect(searcher, q, Budget(), None)
    expected = whoosh_matches(library_kb.ix, q)
    assert expected and found.everything == set(expected)
    assert len(whoosh_matches(library_kb.ix, words)) > len(expected)  # the requirement did narrow
    for docnum, score in found.candidates.items():
        assert score == pytest.approx(expected[docnum], rel=1e-9)


def test_only_a_wide_disjunction_is_preloaded():
    wide = wq.Or([wq.Term("body", f"w{i}") for i in range(PRELOAD_MIN_CLAUSES)])
    narrow = wq.Or([wq.Term("body", "a"), wq.Term("body", "b")])
    assert preloaded(wide).matcher_type == wq.Or.ARRAY_MATCHER
    assert wide.matcher_type == wq.Or.AUTO_MATCHER  # the caller's query is not changed
    assert preloaded(narrow) is narrow
    inside = wq.And([wide, wq.Term("body", "c")])
    assert preloaded(inside) is inside  # within an And the tree's skipping is kept


def test_kept_field_lengths_score_as_bm25f_over_several_segments():
    """An updated index has several segments, each with its own document numbers and lengths."""
    schema = Schema(key=ID(stored=True, unique=True), body=TEXT)
    index = RamStorage().create_index(schema)
    texts = ["alpha beta", "alpha " * 7 + "gamma", "beta gamma delta alpha", "alpha"]
    for start in (0, 2):  # two commits: two segments
        with index.writer() as writer:
            for k, text in enumerate(texts[start : start + 2], start):
                writer.add_document(key=str(k), body=text)
        index = index.refresh()
    assert len(index._segments()) == 2
    q = wq.Or([wq.Term("body", "alpha"), wq.Term("body", "gamma")])
    with index.searcher(weighting=whoosh_scoring.BM25F()) as plain:
        expected = {h["key"]: h.score for h in plain.search(q, limit=None)}
    with index.searcher(weighting=LengthCachedBM25F()) as cached:
        for _ in range(2):  # the second search reads the kept lengths
            got = {h["key"]: h.score for h in cached.search(q, limit=None)}
            assert got == pytest.approx(expected, rel=1e-12)


def test_reading_postings_a_block_at_a_time_gives_the_same_scores_to_the_bit(library_kb, monkeypatch):
    from kb import scoring as kb_scoring

    with library_kb.searcher() as searcher:
        q = prepare("network security data centres", searcher, library_kb.english_words, Budget()).query
        clauses = kb_scoring.sum_clauses(q)
        assert clauses
        by_blocks = kb_scoring.accumulate(searcher, clauses, lambda: False)
        monkeypatch.setattr(kb_scoring, "_has_blocks", lambda matcher: False)  # a codec without whoosh3's blocks
        by_postings = kb_scoring.accumulate(searcher, clauses, lambda: False)
    assert by_blocks and by_blocks == by_postings


def _phrase_index():
    """Enough documents for several blocks of postings per word (whoosh3 blocks hold up to 128), in two segments,
    with deleted documents in both."""
    import random

    rng = random.Random(7)
    words = ["alpha", "beta", "gamma", "delta", "beta"]
    schema = Schema(key=ID(stored=True, unique=True), body=TEXT(phrase=True))
    index = RamStorage().create_index(schema)
    for segment in range(2):
        with index.writer() as writer:
            for k in range(700):
                text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 12)))
                if k % 97 == 0:
                    text += " alpha beta gamma alpha beta"
                writer.add_document(key=f"{segment}-{k}", body=text)
        index = index.refresh()
    with index.writer() as writer:  # an update deletes documents: they stay in the segments, marked
        for k in range(0, 700, 9):
            writer.delete_by_term("key", f"0-{k}")
            writer.delete_by_term("key", f"1-{k + 4}")
    return index.refresh()


@pytest.mark.parametrize(
    "phrase",
    [
        wq.Phrase("body", ["alpha", "beta"]),
        wq.Phrase("body", ["beta", "beta"]),  # a word after itself
        wq.Phrase("body", ["alpha", "beta", "gamma"]),
        wq.Phrase("body", ["gamma", "alpha", "beta", "gamma"]),
        wq.Phrase("body", ["alpha", "beta"], boost=2.5),
        wq.Phrase("body", ["alpha", "omega"]),  # a word the index lacks
        wq.Phrase("body", ["alpha", "beta"], slop=2),  # two words near each other: read in blocks too
        wq.Phrase("body", ["beta", "alpha"], slop=3),
        wq.Phrase("body", ["beta", "beta"], slop=3),
        wq.Phrase("body", ["alpha", "beta", "gamma"], slop=2),  # not read in blocks: Whoosh's matcher
    ],
    ids=str,
)
def test_a_phrase_read_in_blocks_matches_and_scores_as_whoosh_phrase(phrase):
    index = _phrase_index()
    q = wq.Or([phrase, wq.Term("body", "delta"), wq.Term("body", "gamma", boost=1.7)])
    with index.searcher(weighting=whoosh_scoring.BM25F()) as plain:
        expected = {hit.docnum: hit.score for hit in plain.search(q, limit=None)}
    with index.searcher(weighting=LengthCachedBM25F()) as cached:
        from kb.scoring import _has_blocks, _phrase_postings, _unwrap, accumulate

        for segment, _ in cached.leaf_searchers():
            assert segment.reader().has_deletions()
            read_in_blocks = _phrase_postings(segment, phrase, cached.weighting) is not None
            assert read_in_blocks == (phrase.slop == 1 or len(phrase.words) == 2)
            leaf, boost, excluded = _unwrap(wq.Term("body", "gamma", boost=1.7).matcher(segment), segment.reader())
            assert _has_blocks(leaf) and boost == 1.7 and excluded  # read in blocks, deleted documents left out
        got = accumulate(cached, list(q.subqueries), lambda: False)
    assert got.keys() == expected.keys()
    assert got == pytest.approx(expected, rel=1e-12)


def test_a_phrase_read_in_blocks_looks_at_the_budget_as_it_reads():
    """A phrase of common words reads many postings: the budget is looked at block by block, not once a word."""
    from kb.scoring import accumulate

    index = _phrase_index()  # 1,400 documents in two segments: each common word spans several blocks
    phrase = wq.Phrase("body", ["alpha", "beta"])
    looks = []

    def never() -> bool:
        looks.append(1)
        return False

    with index.searcher(weighting=LengthCachedBM25F()) as searcher:
        everything = accumulate(searcher, [phrase], never)
        words_times_segments = len(phrase.words) * len(searcher.leaf_searchers())
        assert len(looks) > 2 * words_times_segments
        spent = accumulate(searcher, [phrase], lambda: True)
    assert everything and not spent  # a spent budget stops it before any phrase is scored
