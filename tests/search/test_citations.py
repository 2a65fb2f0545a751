"""Citations in a query ("6.1", "6 (1)", "VI (1)", "article 7"): read, put first, never spell-corrected."""

from __future__ import annotations

import pytest

from kb.query import citation

# -- citations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "section"),
    [
        ("6.1", "6.1"),
        ("6 (1)", "6.1"),
        ("section 6(1)", "6.1"),
        ("VI (1)", "6.1"),
        ("vi.1", "6.1"),
        ("§ 6 (2)", "6.2"),
        ("art 7(3)", "7.3"),
    ],
)
def test_citation_puts_the_section_first(kb, query, section):
    result = kb.search(query)
    assert result.hits[0].section == section
    assert result.hits[0].cited
    assert not any(h.cited for h in result.hits[1:])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6.1", "6.1"),
        ("6 (1)", "6.1"),
        ("section 6(1)", "6.1"),
        ("VI (1)", "6.1"),
        ("7", "7"),
        ("VII", "7"),
        ("I", None),
        ("v", None),
        ("security", None),
        ("6.1 security", None),
    ],
)
def test_citation_parsing(text, expected):
    assert citation(text) == expected


@pytest.mark.parametrize("query", ["7", "VII", "section 7"])
def test_citation_of_a_top_level_section_puts_it_first(kb, query):
    result = kb.search(query)
    assert result.hits and (result.hits[0].section == "7" or result.hits[0].section.startswith("7."))


@pytest.mark.parametrize("query", ["section 6(1)", "section 6.1", "article 7"])
def test_citation_is_not_spell_corrected(kb, query):
    # "section" is not in the index, but it is common English, not a typo of "action"
    result = kb.search(query)
    assert result.suggestion is None
    assert "4.1" not in [h.section for h in result.hits]  # 4.1 says "special action"
