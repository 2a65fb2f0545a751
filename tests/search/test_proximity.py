"""Words of a plain query standing together rank a section higher than the same words far apart."""

from __future__ import annotations

import random

import pytest
from whoosh import query as wq
from whoosh import scoring as whoosh_scoring
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

import kb.query as kb_query
from kb.query import MAX_PROXIMITY_PAIRS, Near, proximity, proximity_pairs
from kb.scoring import Kept, LengthCachedBM25F, accumulate, add_near
from kb.search import KnowledgeBase


def _order(kb: KnowledgeBase, query: str) -> list[str]:
    return [str(h.section) for h in kb.search(query, limit=30).hits]


def test_words_standing_together_rank_above_the_same_words_apart(kb: KnowledgeBase, monkeypatch):
    # 1 (3): "quantum computing cloud platform facilities"; 5 (2): "computer rooms ... other facilities"
    together = _order(kb, "computing facilities")
    assert together.index("1.3") < together.index("5.2")
    monkeypatch.setattr(kb_query, "MAX_PROXIMITY_PAIRS", 0)
    apart = _order(kb, "computing facilities")
    assert apart.index("1.3") > apart.index("5.2")  # the order proximity changed


def test_quantum_computing_puts_the_section_that_says_it_first(kb: KnowledgeBase):
    # 3 (2) says "computing" eight times and never "quantum"; 1 (3) says "quantum computing"
    assert _order(kb, "quantum computing")[0] == "1.3"


def test_proximity_only_reorders(kb: KnowledgeBase, monkeypatch):
    with_pairs = kb.search("computing facilities", limit=50)
    monkeypatch.setattr(kb_query, "MAX_PROXIMITY_PAIRS", 0)
    without = kb.search("computing facilities", limit=50)
    assert with_pairs.total == without.total
    assert {str(h.section) for h in with_pairs.hits} == {str(h.section) for h in without.hits}


def test_a_query_with_syntax_gets_no_proximity(kb: KnowledgeBase):
    with kb.searcher() as searcher:
        for text in ['"data centres" cables', "computing AND facilities", "title:computing facilities"]:
            q = kb_query.prepare(text, searcher).query
            assert not any(isinstance(leaf, Near) for leaf in q.leaves())


def test_pairs_are_neighbouring_index_words_each_once_and_capped():
    assert proximity_pairs("the security of the data") == [("secur", "data")]  # stop words do not count
    assert proximity_pairs("data data security") == [("data", "secur")]
    assert proximity_pairs("data security data security") == [("data", "secur"), ("secur", "data")]
    long = " ".join(f"w{i}x" for i in range(12))
    assert len(proximity_pairs(long)) == MAX_PROXIMITY_PAIRS
    clauses = proximity("quantum computing")
    assert {(c.fieldname, tuple(c.words)) for c in clauses} == {
        ("title", ("quantum", "comput")),
        ("body", ("quantum", "comput")),
    }


def _two_segment_index():
    rng = random.Random(5)
    words = ["alpha", "beta", "gamma", "delta", "beta", "epsilon"]
    index = RamStorage().create_index(Schema(key=ID(stored=True, unique=True), body=TEXT(phrase=True)))
    for segment in range(2):
        with index.writer() as writer:
            for k in range(700):
                text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 14)))
                writer.add_document(key=f"{segment}-{k}", body=text)
        index = index.refresh()
    with index.writer() as writer:
        for k in range(0, 700, 11):
            writer.delete_by_term("key", f"0-{k + 3}")
    return index.refresh()


@pytest.mark.parametrize("slop", [1, 2, 4])
@pytest.mark.parametrize("keep", [True, False], ids=["kept blocks", "read again"])
def test_near_pairs_score_the_best_matches_as_whoosh_phrase_would(slop, keep):
    """Over two segments with deletions: what add_near adds is Whoosh's own phrase score, for the candidates only."""
    index = _two_segment_index()
    terms = [wq.Term("body", "alpha"), wq.Term("body", "beta", boost=1.3), wq.Term("body", "gamma")]
    near = [Near("body", ["alpha", "beta"], slop=slop, boost=0.5), Near("body", ["beta", "gamma"], slop=slop)]
    with index.searcher(weighting=whoosh_scoring.BM25F()) as plain:
        phrase_scores = [
            {
                hit.docnum: hit.score
                for hit in plain.search(wq.Phrase(n.fieldname, n.words, slop=n.slop, boost=n.boost), limit=None)
            }
            for n in near
        ]
    with index.searcher(weighting=LengthCachedBM25F()) as searcher:
        kept = Kept({("body", w) for n in near for w in n.words}) if keep else None
        scores = accumulate(searcher, terms, lambda: False, kept=kept)
        candidates = dict(sorted(scores.items(), key=lambda kv: -kv[1])[:150])
        before = dict(candidates)
        assert add_near(searcher, near, candidates, lambda: False, kept)
    assert candidates.keys() == before.keys()  # nothing added beyond the candidates
    raised = 0
    for docnum, score in candidates.items():
        expected = before[docnum]
        for found in phrase_scores:  # summed in the order add_near adds them
            expected += found.get(docnum, 0.0)
        assert score == pytest.approx(expected, rel=1e-12)
        raised += score != before[docnum]
    assert raised > 10  # the pairs were found, in both segments' documents
