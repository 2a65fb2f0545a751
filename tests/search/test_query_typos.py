"""Misspelt words: matched to close words of the index and suggested ("did you mean")."""

from __future__ import annotations

import pytest

from kb.search import KnowledgeBase


def sections(result) -> list[str]:
    return [h.section for h in result.hits]


def hit_text(kb: KnowledgeBase, hit) -> str:
    """What a hit's section says (titles and body), read from the catalog, in lower case."""
    body = kb.section(hit.notice, hit.translation, hit.section).body
    return f"{hit.title or ''}\n{hit.chunk.parent_title or ''}\n{body}".lower()


# -- typos ---------------------------------------------------------------------------


def test_typo_finds_the_word_and_suggests_it(kb):
    result = kb.search("satelite")
    assert sections(result)[0] == "3.1"
    assert result.suggestion == "satellite"


def test_typo_in_a_phrase_of_words(kb):
    result = kb.search("earthqauke resistance")
    assert sections(result)[0] == "6.3"
    assert result.suggestion == "earthquake resistance"


def test_typo_suggestion(kb):
    result = kb.search("goverment")
    assert result.suggestion == "government"
    assert result.hits and all("govern" in hit_text(kb, h) for h in result.hits)
    assert any("government" in hit_text(kb, h) for h in result.hits)


@pytest.mark.parametrize("query", ["security", "submarine cables", "6.1", '"dual gigabit"'])
def test_known_words_get_no_suggestion(kb, query):
    assert kb.search(query).suggestion is None
