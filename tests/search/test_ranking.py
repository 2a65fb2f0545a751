"""Ranking on the seed corpus: which sections come first, grouping of translations, filters, facets, paging.

The seed corpus holds one notice; what a search across several notices must
get right is in test_notices_search.py.
"""

from __future__ import annotations

import re

import pytest
from library import SEED_NOTICE, SEED_TRANSLATIONS
from search_hits import sections

from kb.errors import InvalidRequest, KnowledgeBaseError
from kb.filters import FACET_KEYS
from kb.models import SectionId
from kb.search import MAX_LIMIT, MAX_OFFSET, KnowledgeBase


def rank(result, section: str) -> int:
    return sections(result).index(section)


def section_of(kb: KnowledgeBase, translation: str, section: str):
    """A section of the seed notice's translation (the seed corpus holds one notice)."""
    notice = kb.notice()
    return kb.section(notice, kb.translation(notice, translation), section)


def text_of(kb: KnowledgeBase, translation: str, section: str) -> str:
    s = section_of(kb, translation, section)
    return f"{s.title or ''} {s.body}".lower()


def only(kb: KnowledgeBase, **filters: str):
    """Keyword arguments of a search narrowed by ``filters`` (given as text, as a person types them)."""
    return {"filters": kb.filters(**filters)}


# -- what comes first -----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("submarine cables", "7.1"),
        ("green data centers", "5.1"),
        ("who approves international submarine cables?", "7.1"),
        ("earthquake resistance", "6.3"),
        ("dual gigabit", "3.1"),
    ],
)
def test_best_section_first(kb, query, first):
    result = kb.search(query)
    assert result.hits, query
    assert result.hits[0].section == first, sections(result)


def test_question_words_do_not_change_the_winner(kb):
    plain = kb.search("approves international submarine cables")
    question = kb.search("who approves international submarine cables?")
    assert question.hits[0].section == plain.hits[0].section == "7.1"


def test_title_match_outranks_passing_mention(kb):
    result = kb.search("security")
    # 6.1-6.3 say "security"/"secure" in a title; 4.2 mentions it once in passing.
    for s in ("6.1", "6.2", "6.3"):
        assert any("secur" in (section_of(kb, t, s).title or "").lower() for t in ("full", "gmt")), s
    for s, t in (("4.2", "full"), ("4.2", "gmt")):
        assert text_of(kb, t, s).count("secur") == 1, (s, t)
    titled = [rank(result, s) for s in ("6.1", "6.2", "6.3")]
    mentions = [rank(result, "4.2")]
    assert max(titled) < min(mentions), sections(result)


def test_title_match_outranks_passing_mention_within_one_translation(kb):
    result = kb.search("security", **only(kb, translation="full"))
    assert "security" in section_of(kb, "full", "6.1").title.lower()
    assert "security" not in section_of(kb, "full", "4.2").title.lower()
    assert rank(result, "6.1") < rank(result, "4.2")


def test_documents_matching_more_terms_come_first(kb):
    result = kb.search("lightning earthquake spectrum")
    # 6.3 says "earthquake" and "lightning"; 7.1 only "spectrum".
    assert "earthquake" in text_of(kb, "gmt", "6.3") and "lightning" in text_of(kb, "gmt", "6.3")
    assert "spectrum" not in text_of(kb, "gmt", "6.3")
    assert "spectrum" in text_of(kb, "gmt", "7.1") and "earthquake" not in text_of(kb, "gmt", "7.1")
    assert sections(result)[:2] == ["6.3", "7.1"]


def test_first_hit_matches_every_word(kb):
    words = ["green", "data", "centers"]
    result = kb.search(" ".join(words), group=False)
    best = result.hits[0]
    text = text_of(kb, best.chunk.translation, best.section)
    assert all(re.search(rf"\b{w[:-1]}", text) for w in words), text

    # and no later hit matches more of the words than the first one
    def matched(h):
        t = text_of(kb, h.chunk.translation, h.section)
        return sum(bool(re.search(rf"\b{w[:-1]}", t)) for w in words)

    assert all(matched(h) <= matched(best) for h in result.hits)


def test_scores_are_descending(kb):
    for q in ("security", "information infrastructure", "green data centers"):
        for group in (True, False):
            scores = [h.score for h in kb.search(q, limit=MAX_LIMIT, group=group).hits]
            assert scores == sorted(scores, reverse=True), (q, group)


# -- grouping of translations -----------------------------------------------------


def test_grouped_each_section_once_with_the_other_translation_in_also_in(kb):
    result = kb.search("security", limit=MAX_LIMIT)
    secs = sections(result)
    assert len(secs) == len(set(secs))
    by_section = {h.section: h for h in result.hits}
    for s in ("6.1", "6.2", "6.3", "4.2"):
        h = by_section[s]
        name = h.chunk.translation
        assert name in SEED_TRANSLATIONS and h.translation.name == name
        assert h.also_in == [{"full": "gmt", "gmt": "full"}[name]]
        assert name not in h.also_in


def test_grouped_also_in_is_empty_for_a_section_only_one_translation_has(kb):
    hit = kb.search("satellite").hits[0]
    assert (hit.section, hit.chunk.translation, hit.also_in) == ("3.1", "full", [])


def test_ungrouped_lists_each_translation_separately(kb):
    grouped = kb.search("security", limit=MAX_LIMIT)
    separate = kb.search("security", limit=MAX_LIMIT, group=False)
    pairs = [(h.section, h.chunk.translation) for h in separate.hits]
    assert len(pairs) == len(set(pairs))
    assert ("6.1", "full") in pairs and ("6.1", "gmt") in pairs
    assert sections(separate).count("6.1") == 2
    assert separate.total > grouped.total
    assert set(sections(separate)) == set(sections(grouped))


# -- filters ------------------------------------------------------------------------


def test_translation_filter(kb):
    gmt = kb.search("security", **only(kb, translation="gmt"), limit=MAX_LIMIT)
    assert gmt.hits and {h.chunk.translation for h in gmt.hits} == {"gmt"}
    assert {h.translation.name for h in gmt.hits} == {"gmt"}
    full = kb.search("satellite", **only(kb, translation="full"))
    assert full.hits[0].section == "3.1"
    # "satellite" is only in sections the gmt translation lacks
    assert kb.search("satellite", **only(kb, translation="gmt")).hits == []


def test_unknown_translation_is_an_error(kb):
    with pytest.raises(InvalidRequest, match="there is no translation called 'nope'"):
        kb.filters(translation="nope")


def test_section_field_narrows_to_a_top_level_section(kb):
    # the ``section:`` query field does what the section facet's filter did: a top-level section and its subsections
    result = kb.search("security AND section:6", limit=MAX_LIMIT)
    assert sections(result) and all(SectionId(s).top == 6 for s in sections(result))
    assert result.total == 3
    assert kb.search("security AND section:3").total == 0


def test_filters_combine(kb):
    result = kb.search("security AND section:6", **only(kb, translation="full"), group=False, limit=MAX_LIMIT)
    pairs = {(h.section, h.chunk.translation) for h in result.hits}
    assert pairs == {("6.1", "full"), ("6.2", "full"), ("6.3", "full")}


# -- facets -------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["security", "green data centers", "information infrastructure"])
def test_facets_add_up(kb, query):
    grouped = kb.search(query, limit=MAX_LIMIT)
    separate = kb.search(query, limit=MAX_LIMIT, group=False)
    by_tr = grouped.facets["translation"]
    notice = kb.notice()
    # one notice: the notice, year and type facets count every result under it, each issuing body too
    for r in (grouped, separate):
        assert list(r.facets) == list(FACET_KEYS)
        assert r.facets["notice"] == {SEED_NOTICE: r.total}
        assert r.facets["year"] == {str(notice.year): r.total}
        assert r.facets["type"] == {notice.doc_type: r.total}
        assert r.facets["issuer"] == dict.fromkeys(sorted(notice.issuers), r.total)
        # results are sections of that notice, each once (as many as the facet counts)
        keys = [(h.notice.id, h.section, h.chunk.translation if r is separate else "") for h in r.hits]
        assert len(keys) == len(set(keys)) == r.total
    # the translation facet counts matching chunks of each translation
    assert set(by_tr) <= set(SEED_TRANSLATIONS)
    assert sum(separate.facets["translation"].values()) == separate.total
    assert max(by_tr.values()) <= grouped.total <= sum(by_tr.values())
    for name, n in by_tr.items():
        assert kb.search(query, **only(kb, translation=name), limit=MAX_LIMIT).total == n
        assert sum(h.chunk.translation == name for h in separate.hits) == n


def test_translation_facet_still_shows_the_other_translation_when_filtered(kb):
    unfiltered = kb.search("security")
    filtered = kb.search("security", **only(kb, translation="gmt"))
    assert filtered.facets["translation"] == unfiltered.facets["translation"]
    assert filtered.facets["notice"] == {SEED_NOTICE: filtered.total}
    assert filtered.total == unfiltered.facets["translation"]["gmt"]


@pytest.mark.parametrize("group", [True, False])
def test_date_order_within_one_notice_is_document_order(kb, group):
    # the section facet listed top-level sections in document order; sorting by date does so for the results
    query = "information infrastructure"
    result = kb.search(query, sort="date", limit=MAX_LIMIT, group=group)
    assert result.total == kb.search(query, group=group).total == len(result.hits)
    order = [h.section.sort_key for h in result.hits]
    assert result.hits[0].section == "front"
    assert order == sorted(order)


# -- pagination ---------------------------------------------------------------------


@pytest.mark.parametrize("group", [True, False])
def test_pages_do_not_overlap_and_add_up_to_one_big_page(kb, group):
    query = "information infrastructure"
    big = kb.search(query, limit=MAX_LIMIT, group=group)
    assert big.total == len(big.hits) > 10
    key = (lambda h: h.section) if group else (lambda h: (h.section, h.chunk.translation))
    seen = []
    for offset in range(0, big.total + 5, 4):
        page = kb.search(query, limit=4, offset=offset, group=group)
        assert page.total == big.total
        assert (page.limit, page.offset) == (4, offset)
        assert len(page.hits) == max(0, min(4, big.total - offset))
        seen += [key(h) for h in page.hits]
    assert len(seen) == len(set(seen))
    assert seen == [key(h) for h in big.hits]


def test_offset_past_the_end_is_an_empty_page_with_the_same_total(kb):
    total = kb.search("security").total
    page = kb.search("security", offset=total)
    assert page.hits == [] and page.total == total
    assert kb.search("security", offset=MAX_OFFSET).hits == []


@pytest.mark.parametrize(
    ("limit", "offset"),
    [(0, 0), (MAX_LIMIT + 1, 0), (-1, 0), (10, -1), (10, MAX_OFFSET + 1)],
)
def test_limit_and_offset_bounds(kb, limit, offset):
    with pytest.raises(KnowledgeBaseError, match="limit|offset"):
        kb.search("security", limit=limit, offset=offset)


def test_hit_fields(kb):
    hit = kb.search("submarine cables").hits[0]
    assert hit.section == "7.1"
    name = hit.chunk.translation
    assert hit.title == section_of(kb, name, "7.1").title
    assert hit.chunk.parent_title == section_of(kb, name, "7").title
    assert not hasattr(hit, "link") and not hasattr(hit.chunk, "link")  # links are the interfaces' to build
    assert hit.notice is kb.notice(SEED_NOTICE)
    assert hit.chunk.notice == SEED_NOTICE
    assert hit.notice.number == hit.chunk.number == "MIIT Communications [2024] No. 165"
    assert hit.translation is hit.notice.translation(name)
    assert hit.score > 0
    assert set(hit.matched_in) == set(SEED_TRANSLATIONS)
    assert hit.matched_in[0] == name  # the translation shown is the one that matched best
    data = hit.to_json()
    assert (data["notice"], data["section"], data["section_label"], data["translation"]) == (
        SEED_NOTICE,
        "7.1",
        "7 (1)",
        name,
    )
    assert data["translation_label"] == hit.translation.label
