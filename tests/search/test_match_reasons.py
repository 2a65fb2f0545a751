"""Why a result matched: corrections said and undoable, synonyms marked, all words ranked above some."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.search import KnowledgeBase

# -- corrections: applied and said, or searched as typed and suggested -------------------


def test_a_corrected_query_says_what_was_searched(kb: KnowledgeBase):
    result = kb.search("satelite communication")
    assert result.corrected == "satellite communication"
    assert result.suggestion is None  # the correction was applied: nothing left to suggest
    assert result.hits[0].section == "3.1"
    assert result.hits[0].match.words == ("satellite", "communication")


def test_a_query_searched_as_typed_only_suggests_the_correction(kb: KnowledgeBase):
    result = kb.search("satelite communication", correct=False)
    assert result.corrected is None
    assert result.suggestion == "satellite communication"
    # "satelite" is in no section: every result matched "communication" alone, and says what it lacks
    assert result.hits and all(h.match.missing == ("satelite",) for h in result.hits)


def test_known_words_are_neither_corrected_nor_suggested(kb: KnowledgeBase):
    for correct in (True, False):
        result = kb.search("satellite communication", correct=correct)
        assert result.corrected is None and result.suggestion is None


# -- synonyms marked ----------------------------------------------------------------------


def test_a_section_matched_only_through_a_synonym_says_so(kb: KnowledgeBase):
    result = kb.search("IDC")  # no section says "IDC"; four say "data centers"
    assert result.hits
    for hit in result.hits:
        assert hit.match.synonyms == (("data centers", "IDC"),)
        assert hit.match.missing == () and hit.match.words == ()


def test_a_section_with_the_typed_word_is_not_marked_as_a_synonym_match(kb: KnowledgeBase):
    result = kb.search("IoT devices")
    direct = [h for h in result.hits if "IoT" in h.match.words]
    through = [h for h in result.hits if h.match.synonyms]
    assert direct and through
    assert all(not h.match.synonyms for h in direct)
    assert all(h.match.synonyms == (("Internet of Things", "IoT"),) for h in through)


def test_a_query_with_syntax_gets_no_match_reasons(kb: KnowledgeBase):
    result = kb.search('"information infrastructure" OR cables')
    assert result.hits and all(h.match is None for h in result.hits)


# -- ranking: the whole query before one of its words ------------------------------------


@pytest.mark.parametrize(
    "query", ["quantum computing", "industrial internet", "satellite communication", "edge computing", "data security"]
)
def test_sections_with_every_word_rank_above_those_with_some(kb: KnowledgeBase, query: str):
    hits = kb.search(query, limit=30).hits
    complete = [not h.match.missing for h in hits]
    assert any(complete) and not all(complete)
    assert complete == sorted(complete, reverse=True), [(h.section, h.match.missing) for h in hits]


def test_a_word_said_often_does_not_outrank_both_words(kb: KnowledgeBase):
    # 3 (2) says "computing" eight times; 1 (3) says "quantum computing" once
    hits = kb.search("quantum computing").hits
    assert hits[0].section == "1.3"
    assert hits[1].section == "3.2"


def test_a_long_question_is_not_ranked_by_how_many_of_its_words_a_section_has(kb: KnowledgeBase):
    from kb.coverage import MAX_COORDINATED_WORDS, Coverage
    from kb.query import QueryWord

    words = [QueryWord(f"w{i}", frozenset({f"w{i}"})) for i in range(MAX_COORDINATED_WORDS + 1)]
    assert not Coverage(words, []).ranks
    assert Coverage(words[:2], []).ranks and not Coverage(words[:1], []).ranks


# -- shown in the terminal ----------------------------------------------------------------


@pytest.fixture(scope="module")
def kb_cli(seed_index: Path, seeds: Path):
    def run(*args: str):
        return CliRunner().invoke(cli, ["--index", str(seed_index.parent), "--corpus", str(seeds), *args])

    return run


def test_the_terminal_says_what_was_searched_and_what_results_lack(kb_cli):
    corrected = kb_cli("search", "satelite communication")
    assert "Showing results for: satellite communication" in corrected.stderr
    assert "(missing: satellite)" in corrected.stdout
    typed = kb_cli("search", "satelite communication", "--as-typed", "--json")
    data = json.loads(typed.stdout)
    assert data["suggestion"] == "satellite communication" and data["corrected"] is None


# -- the record of which words each document has ----------------------------------------


def test_coverage_records_exactly_the_documents_each_word_and_synonym_matched():
    """Over two segments with deleted documents and postings of several blocks, as an updated build has them."""
    import random

    from whoosh import query as wq
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.filedb.filestore import RamStorage

    from kb.coverage import Coverage
    from kb.query import QueryWord, SynonymUse
    from kb.scoring import LengthCachedBM25F, accumulate

    rng = random.Random(11)
    vocabulary = ["alpha", "beta", "gamma", "delta", "omega"]
    index = RamStorage().create_index(Schema(key=ID(stored=True, unique=True), body=TEXT(phrase=True)))
    for segment in range(2):
        with index.writer() as writer:
            for k in range(600):
                words = [rng.choice(vocabulary) for _ in range(rng.randint(1, 6))]
                writer.add_document(key=f"{segment}-{k}", body=" ".join(words))
        index = index.refresh()
    with index.writer() as writer:
        for k in range(0, 600, 7):
            writer.delete_by_term("key", f"1-{k}")
    index = index.refresh()
    words = [QueryWord("alpha", frozenset({"alpha"})), QueryWord("gamma", frozenset({"gamma"}))]
    synonym = SynonymUse("gamma", "delta omega", ("delta", "omega"), (1,))
    clauses = [wq.Term("body", "alpha"), wq.Term("body", "gamma"), wq.Phrase("body", ["delta", "omega"])]
    coverage = Coverage(words, [synonym])
    with index.searcher(weighting=LengthCachedBM25F()) as searcher:
        assert len(searcher.leaf_searchers()) == 2
        scores = accumulate(searcher, clauses, lambda: False, coverage.recorders(clauses))
        names = ("alpha", "gamma", "syn")
        has = {name: set(searcher.docs_for_query(q)) for name, q in zip(names, clauses, strict=True)}
        coverage.look_up(set(scores))
        for docnum in scores:
            why = coverage.why(docnum)
            assert why.words == tuple(w for w in ("alpha", "gamma") if docnum in has[w])
            stood_in = docnum in has["syn"] and docnum not in has["gamma"]
            assert why.synonyms == ((("delta omega", "gamma"),) if stood_in else ())
            assert ("gamma" in why.missing) == (docnum not in has["gamma"] and docnum not in has["syn"])


def test_a_question_is_plain_words(kb: KnowledgeBase):
    """A question mark ending a word is punctuation: the question gets what plain words get (synonyms, reasons)."""
    asked = kb.search("Which sections mention IDC?")
    assert asked.hits and all(h.match is not None for h in asked.hits)
    assert any(h.match.synonyms == (("data centers", "IDC"),) for h in asked.hits)
    assert all(h.match is None for h in kb.search("secur?ty").hits)  # inside a word it is still syntax
