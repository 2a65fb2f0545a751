"""Explain: each result's score signal by signal (lexical, proximity, coverage, semantic, citation)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import kb.query as kb_query
from kb.cli import cli
from kb.search import KnowledgeBase

QUERIES = ["quantum computing", "computing facilities", "satelite communication", "6.1", "IDC", "security"]


def _parts(kb: KnowledgeBase, query: str, **options) -> dict[str, dict[str, float]]:
    return {f"{h.section}/{h.chunk.translation}": h.explanation for h in kb.search(query, explain=True, **options).hits}


@pytest.mark.parametrize("query", QUERIES)
def test_the_parts_add_up_to_the_score(kb: KnowledgeBase, query: str):
    result = kb.search(query, explain=True, limit=20)
    assert result.hits
    for hit in result.hits:
        e = hit.explanation
        assert e["score"] == pytest.approx(hit.score)
        assert e["lexical"] + e["semantic"] + e["citation"] + e["translations"] == pytest.approx(e["score"])
        words = (e["bm25f"] + e["proximity"]) * e["coverage"]
        assert e["lexical"] <= words + 1e-9  # the words' part, at most all of it (a blend takes a share)
        assert e["proximity"] >= 0 and 0 <= e["coverage"] <= 1


def test_results_are_explained_only_when_asked(kb: KnowledgeBase):
    assert all(h.explanation is None for h in kb.search("quantum computing").hits)
    assert "explain" not in kb.search("quantum computing").hits[0].to_json()


def test_words_standing_together_show_as_proximity(kb: KnowledgeBase, monkeypatch):
    parts = {key.split("/")[0]: e for key, e in _parts(kb, "computing facilities", limit=30).items()}
    assert parts["1.3"]["proximity"] > 0  # "computing cloud platform facilities"
    assert parts["5.2"]["proximity"] == 0  # "computer rooms ... other facilities"
    monkeypatch.setattr(kb_query, "MAX_PROXIMITY_PAIRS", 0)
    assert all(e["proximity"] == 0 for e in _parts(kb, "computing facilities", limit=30).values())


def test_a_result_lacking_a_word_shows_its_coverage(kb: KnowledgeBase):
    result = kb.search("quantum computing", explain=True, limit=20)
    for hit in result.hits:
        complete = not hit.match.missing
        assert (hit.explanation["coverage"] == 1.0) == complete


def test_a_cited_section_shows_its_citation(kb: KnowledgeBase):
    first = kb.search("6 (1)", explain=True).hits[0]
    assert first.section == "6.1" and first.explanation["citation"] > 0
    assert all(h.explanation["citation"] == 0 for h in kb.search("security", explain=True).hits)


def test_the_terminal_explains(seed_index: Path, seeds: Path):
    args = ["--index", str(seed_index.parent), "--corpus", str(seeds), "search", "quantum computing", "--explain"]
    printed = CliRunner().invoke(cli, args)
    assert printed.exit_code == 0 and "score " in printed.stdout and "lexical from BM25F" in printed.stdout
    as_json = json.loads(CliRunner().invoke(cli, [*args, "--json"]).stdout)
    assert as_json["results"][0]["explain"]["score"] == pytest.approx(as_json["results"][0]["score"], abs=1e-3)
