"""Misspelt words: matched to close words of the index and suggested ("did you mean")."""

from __future__ import annotations

import pytest
from search_hits import hit_text, sections

# -- typos ---------------------------------------------------------------------------


def test_typo_finds_the_word_and_suggests_it(kb):
    result = kb.search("satelite")
    assert sections(result)[0] == "3.1"
    assert result.corrected == "satellite" and result.suggestion is None


def test_typo_in_a_phrase_of_words(kb):
    result = kb.search("earthqauke resistance")
    assert sections(result)[0] == "6.3"
    assert result.corrected == "earthquake resistance"


def test_typo_suggestion(kb):
    result = kb.search("goverment")
    assert result.corrected == "government"
    assert result.hits and all("govern" in hit_text(kb, h) for h in result.hits)
    assert any("government" in hit_text(kb, h) for h in result.hits)


@pytest.mark.parametrize("query", ["security", "submarine cables", "6.1", '"dual gigabit"'])
def test_known_words_get_no_suggestion(kb, query):
    result = kb.search(query)
    assert result.suggestion is None and result.corrected is None
