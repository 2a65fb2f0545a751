"""Query syntax on the seed notice: phrases, AND/OR/NOT, prefixes, fuzzy terms, wildcards; expansions that
obey the query's constraints; malformed, empty and too long queries."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from search_hits import hit_text, marked_words, sections
from whoosh import query as wq

from kb.errors import KnowledgeBaseError
from kb.query import MAX_FUZZY_EDITS, MAX_QUERY_LENGTH, is_malformed, prepare
from kb.search import MAX_LIMIT

# -- phrases ----------------------------------------------------------------------


def test_phrase_puts_the_section_with_the_phrase_first(kb):
    result = kb.search('"dual gigabit"', group=False)
    assert sections(result)[0] == "3.1"
    assert all("dual gigabit" in hit_text(kb, h) for h in result.hits)
    # the words alone also match a section that has "gigabit" without "dual"
    assert kb.search("dual gigabit").total > result.total


def test_phrase_that_does_not_occur_finds_nothing(kb):
    assert kb.search('"gigabit satellite"').total == 0
    assert kb.search("gigabit OR satellite").total >= 2


# -- boolean operators --------------------------------------------------------------


def test_and_requires_every_word(kb):
    result = kb.search("data AND monitoring", group=False, limit=MAX_LIMIT)
    assert result.hits
    for h in result.hits:
        text = hit_text(kb, h)
        assert "data" in text and "monitor" in text, (h.section, h.chunk.translation)
    assert result.total < kb.search("data OR monitoring", group=False).total


def test_or_is_the_union(kb):
    either = set(sections(kb.search("satellite OR submarine", limit=MAX_LIMIT)))
    one = set(sections(kb.search("satellite", limit=MAX_LIMIT)))
    other = set(sections(kb.search("submarine", limit=MAX_LIMIT)))
    assert either == one | other == {"3.1", "7.1"}


@pytest.mark.parametrize("query", ["security AND NOT data", "security ANDNOT data"])
def test_and_not_excludes(kb, query):
    result = kb.search(query, group=False, limit=MAX_LIMIT)
    assert result.hits
    for h in result.hits:
        text = hit_text(kb, h)
        assert "data" not in text, (h.section, h.chunk.translation)
        assert "secur" in text or "safety" in text


def test_not_excludes(kb):
    result = kb.search("security NOT data", group=False, limit=MAX_LIMIT)
    offenders = [(h.section, h.chunk.translation) for h in result.hits if "data" in hit_text(kb, h)]
    unrelated = [(h.section, h.chunk.translation) for h in result.hits if "secur" not in hit_text(kb, h)]
    assert not offenders and not unrelated


# -- expansions must obey the query's constraints (phrases, NOT, fields) -------------


def _no_hit(kb, query, bad, **kw):
    result = kb.search(query, group=False, limit=MAX_LIMIT, **kw)
    return [(h.section, h.chunk.translation) for h in result.hits if bad(h)]


@pytest.mark.parametrize(
    ("query", "bad"),
    [
        # "safety" (synonym of security) brings back 6.3, although the phrase occurs nowhere
        ('"submarine security"', lambda kb, h: True),
        # 6.3 says "safety", and its title says "infrastructure"
        ("security AND NOT infrastructure", lambda kb, h: "infrastructure" in hit_text(kb, h)),
        # full/6.3's title has no "security"; it is found through "safety" in its body
        ("title:security", lambda kb, h: "secur" not in (h.title or "").lower()),
        # the correction "government" of an excluded word is searched as a wanted word
        ("security AND NOT goverment", lambda kb, h: "government" in hit_text(kb, h)),
    ],
    ids=["phrase", "and-not", "title-field", "not-typo"],
)
def test_expansions_obey_constraints(kb, query, bad):
    assert _no_hit(kb, query, lambda h: bad(kb, h)) == []


# -- prefixes, fuzzy terms, wildcards ----------------------------------------------------


def test_prefix(kb):
    result = kb.search("secur*", limit=MAX_LIMIT)
    assert {"6.1", "6.2", "6.3"} <= set(sections(result))
    for h in result.hits:
        assert re.search(r"\bsecur", hit_text(kb, h)), h.section


def test_one_letter_prefix_is_refused_without_error(kb):
    assert kb.search("s*").total == 0


def test_fuzzy(kb):
    result = kb.search("satelite~2")
    assert sections(result)[0] == "3.1"
    assert "satellite" in [w.lower() for w in marked_words(result.hits[0])]


def test_fuzzy_edits_are_capped(kb):
    assert sections(kb.search("satelite~5")) == sections(kb.search("satelite~2"))
    # "spectrum" is two edits from "spxxtrum" but three from "spxxxrum"
    assert sections(kb.search("spxxtrum~5")) == ["7.1"]
    assert kb.search("spxxxrum~5").total == 0
    with kb.ix.searcher() as searcher:
        q = prepare("satelite~5", searcher).query
    fuzzy = [leaf for leaf in q.leaves() if isinstance(leaf, wq.FuzzyTerm)]
    assert fuzzy and all(f.maxdist <= MAX_FUZZY_EDITS and f.prefixlength >= 1 for f in fuzzy)


@pytest.mark.parametrize("query", ["*able", "?ecurity", "*", "*ecurity*", "title:*", "?"])
def test_leading_wildcards_are_neutralised(kb, query):
    result = kb.search(query)
    assert result.fallback or result.total == 0
    with kb.ix.searcher() as searcher:
        q = prepare(query, searcher).query
    assert q is None or not any(isinstance(leaf, wq.Wildcard) for leaf in q.leaves())


# -- malformed, empty, too long ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ('"unbalanced', "unbalanced"),
        ("(security", "security"),
        ("security)", "security"),
        ("AND", None),
        ("OR security", "security"),
        ("title:", None),
        ("security AND", "security"),
        ("::", None),
        ("~", None),
        ("*", None),
        ('"', None),
        ("NOT", None),
        ("security NOT", "security"),
        ("((security data", "security data"),
        ("section:", None),
        ("[a TO", "a TO"),
        ("security^", "security"),
        ("title:(security", "security"),
    ],
)
def test_malformed_queries_fall_back_to_their_words(kb, query, words):
    result = kb.search(query)  # never raises
    if is_malformed(query):
        assert result.fallback
    if words is None:
        assert result.total == 0
    else:
        assert sections(result) == sections(kb.search(words))


@given(
    st.lists(
        st.sampled_from(
            [
                '"',
                "(",
                ")",
                "*",
                "?",
                "~",
                "~2",
                "^",
                ":",
                "title:",
                "section:",
                "AND",
                "OR",
                "NOT",
                "secur",
                "ity",
                "data",
                "6",
                "(1)",
                "VI",
                "[",
                "]",
                "{",
                "}",
                "\\",
                "-",
                "+",
                "/",
                " ",
                "satelite",
                "§",
            ]
        ),
        min_size=1,
        max_size=12,
    ).map("".join)
)
@settings(max_examples=150, deadline=None)
def test_no_query_raises_anything_but_a_knowledge_base_error(kb, text):
    try:
        result = kb.search(text)
    except KnowledgeBaseError as e:
        assert not text.strip(), e
    else:
        assert result.total >= len(result.hits)


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_empty_query_is_an_error(kb, query):
    with pytest.raises(KnowledgeBaseError, match="empty query"):
        kb.search(query)


def test_too_long_query_is_an_error(kb):
    kb.search("a" * MAX_QUERY_LENGTH)  # the limit itself is fine
    with pytest.raises(KnowledgeBaseError, match=r"too long \(501 characters; the limit is 500\)"):
        kb.search("a" * (MAX_QUERY_LENGTH + 1))
    with pytest.raises(KnowledgeBaseError, match="too long"):
        kb.search("security " * 100)
