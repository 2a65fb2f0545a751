"""Search across several notices (the library of tests/library.py): which notice each hit belongs to, facets
counted over every match, filters, date order, the query fields that name a notice's facts, sections of two
notices that share an id, and the list of notices.

Expectations come from the library's constants; counts are checked against a brute force over every page
of results.
"""

from __future__ import annotations

from collections import Counter

import pytest
from library import (
    ALL_NOTICE_IDS,
    CAC,
    GOV,
    MOF,
    NDRC,
    NOTICES,
    SEED_NOTICE,
    SHARED_SECTIONS,
    TOPICS,
    UNIQUE_WORD,
    UNIQUE_WORD_AT,
)

from kb.errors import InvalidRequest
from kb.filters import FACET_KEYS
from kb.search import MAX_LIMIT, KnowledgeBase

#: Queries whose matches span several notices (and one that matches a single section).
QUERIES = ("submarine cable", "data centre", "communications", "funds OR typhoon OR security", UNIQUE_WORD)
#: The Ministry that issued the seed notice and, jointly, the MOF measures.
MIIT = "Ministry of Industry and Information Technology"
#: Words found in every notice, to pair with a query field (a field alone is no search a person makes).
BROAD = "(shall OR development OR communications OR data OR funds)"


def every_hit(kb: KnowledgeBase, text: str, **kw) -> list:
    """Every result of a search, read page after page (what the facets and totals must agree with)."""
    hits: list = []
    offset = 0
    while True:
        page = kb.search(text, limit=MAX_LIMIT, offset=offset, **kw)
        hits += page.hits
        if not page.has_more:
            assert len(hits) == page.total
            return hits
        offset += MAX_LIMIT


def units(hits: list, group: bool = True) -> set[tuple[str, str, str]]:
    """The results as (notice, section, translation) with the translation left out when grouped."""
    return {(h.notice.id, str(h.section), "" if group else h.chunk.translation) for h in hits}


def brute_facets(hits: list) -> dict[str, dict[str, int]]:
    """Facet counts computed from the results themselves."""
    counts: dict[str, Counter] = {key: Counter() for key in FACET_KEYS}
    for h in hits:
        counts["notice"][h.notice.id] += 1
        for issuer in set(h.notice.issuers):
            counts["issuer"][issuer] += 1
        if h.notice.year:
            counts["year"][str(h.notice.year)] += 1
        if h.notice.doc_type:
            counts["type"][h.notice.doc_type] += 1
        for name in set(h.matched_in):
            counts["translation"][name] += 1
    return {key: dict(c) for key, c in counts.items()}


# -- each hit names its notice ------------------------------------------------------------


def test_each_hit_names_its_notice(library_kb):
    hits = every_hit(library_kb, "submarine cable")
    assert hits
    for h in hits:
        assert h.notice is library_kb.notice(h.chunk.notice)
        assert h.translation is h.notice.translation(h.chunk.translation)
        assert set(h.matched_in) <= {t.name for t in h.notice.translations}
        data = h.to_json()
        assert (data["notice"], data["notice_title"], data["number"], data["date"]) == (
            h.notice.id,
            h.notice.title,
            h.notice.number,
            h.notice.date,
        )


def test_a_word_of_one_section_finds_exactly_that_section(library_kb):
    result = library_kb.search(UNIQUE_WORD)
    assert result.total == 1
    assert [(h.notice.id, h.section) for h in result.hits] == [UNIQUE_WORD_AT]
    assert result.facets["notice"] == {UNIQUE_WORD_AT[0]: 1}


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_a_topic_is_found_in_every_notice_that_mentions_it(library_kb, topic):
    found = {h.notice.id for h in every_hit(library_kb, topic)}
    assert set(TOPICS[topic]) <= found


def test_a_phrase_finds_sections_in_every_notice_that_has_it(library_kb):
    hits = every_hit(library_kb, '"submarine cable"')
    assert {h.notice.id for h in hits} == set(TOPICS["submarine cable"])
    for h in hits:  # each section found says it (a plural or a line break aside)
        text = " ".join(f"{h.title or ''} {h.chunk.parent_title or ''} {h.chunk.body}".lower().split())
        assert "submarine cable" in text, (h.notice.id, h.section)


# -- facets over every match -----------------------------------------------------------------


@pytest.mark.parametrize("group", [True, False])
@pytest.mark.parametrize("query", QUERIES)
def test_facets_count_every_match(library_kb, query, group):
    first = library_kb.search(query, limit=3, group=group)
    hits = every_hit(library_kb, query, group=group)
    assert list(first.facets) == list(FACET_KEYS)
    assert first.total == len(hits) == len(units(hits, group)) == sum(first.facets["notice"].values())
    assert first.facets == brute_facets(hits)


@pytest.mark.parametrize("query", QUERIES)
def test_each_facet_value_narrows_to_its_count(library_kb, query):
    unfiltered = library_kb.search(query)
    hits = every_hit(library_kb, query)
    for key in FACET_KEYS:
        for value, count in unfiltered.facets[key].items():
            narrowing = library_kb.filters(**{key: value})
            narrowed = every_hit(library_kb, query, filters=narrowing)
            assert len(narrowed) == count, (key, value)
            assert all(narrowing.admits(h.notice) for h in narrowed), (key, value)
            if key == "translation":
                assert {h.chunk.translation for h in narrowed} == {value}
                expected = {u for h in hits if value in h.matched_in for u in units([h])}
            else:
                expected = {u for h in hits if narrowing.admits(h.notice) for u in units([h])}
            assert units(narrowed) == expected, (key, value)


@pytest.mark.parametrize(
    ("filters", "notices"),
    [
        ({"issuer": MIIT}, {SEED_NOTICE, MOF.id}),
        ({"issuer": MIIT, "year": "2024"}, {SEED_NOTICE, MOF.id}),
        ({"issuer": MIIT.upper(), "type": "measures"}, {MOF.id}),
        ({"issuer": "Cyberspace Administration of China", "year": "2025"}, {"cac-cybersecurity-2025-9"}),
        ({"issuer": MIIT, "translation": "excerpt"}, {MOF.id}),
        ({"year": "2023", "type": "notice"}, set()),
    ],
)
def test_filters_combine(library_kb, filters, notices):
    chosen = library_kb.filters(**filters)
    assert {n.id for n in library_kb.notices if chosen.admits(n)} == notices
    query = "funds OR cables OR data OR communications"
    everything = every_hit(library_kb, query, group=False)
    narrowed = every_hit(library_kb, query, group=False, filters=chosen)
    expected = {
        u
        for h in everything
        if chosen.admits(h.notice) and chosen.translation in (None, h.chunk.translation)
        for u in units([h], group=False)
    }
    assert units(narrowed, group=False) == expected
    assert {h.notice.id for h in narrowed} == notices


# -- order by date -----------------------------------------------------------------------------


@pytest.mark.parametrize("group", [True, False])
@pytest.mark.parametrize("query", ["submarine cable", "data centre", "communications"])
def test_date_order_puts_newer_notices_first_and_covers_every_match(library_kb, query, group):
    by_date = every_hit(library_kb, query, sort="date", group=group)
    by_relevance = every_hit(library_kb, query, group=group)
    assert units(by_date, group) == units(by_relevance, group)
    assert len(by_date) == len(by_relevance)
    dates = [h.notice.date for h in by_date]
    assert dates == sorted(dates, reverse=True)
    assert len(set(dates)) > 1  # the order is shown across notices
    for a, b in zip(by_date, by_date[1:], strict=False):  # one notice's sections in document order
        if a.notice is b.notice:
            assert a.section.sort_key <= b.section.sort_key


# -- query fields name what the filters name ------------------------------------------------------


def _field_cases() -> list[tuple[str, str, str]]:
    cases = [("notice", n, n) for n in ALL_NOTICE_IDS]
    cases += [("issuer", f'"{i}"', i) for i in (MIIT, "Ministry of Finance", "General Office of the State Council")]
    cases += [("issuer", '"Cyberspace Administration of China"', "Cyberspace Administration of China")]
    cases += [("year", y, y) for y in sorted({str(n.year) for n in NOTICES})]
    cases += [("type", t, t) for t in sorted({n.type for n in NOTICES})]
    return cases


@pytest.mark.parametrize(("key", "field_value", "filter_value"), _field_cases())
def test_query_fields_match_what_the_filters_match(library_kb, key, field_value, filter_value):
    by_field = every_hit(library_kb, f"{BROAD} AND {key}:{field_value}", group=False)
    by_filter = every_hit(library_kb, BROAD, group=False, filters=library_kb.filters(**{key: filter_value}))
    assert by_filter
    assert units(by_field, group=False) == units(by_filter, group=False)


def test_issuer_field_reads_abbreviations(library_kb):
    # readers name ministries MIIT and MOF: a notice MIIT issued jointly is found as MIIT's too
    assert {h.notice.id for h in every_hit(library_kb, "issuer:MIIT")} == {SEED_NOTICE, MOF.id}
    assert {h.notice.id for h in every_hit(library_kb, "issuer:MOF")} == {MOF.id, SEED_NOTICE}  # MOF co-issued it
    assert {h.notice.id for h in every_hit(library_kb, "issuer:NDRC")} == {NDRC.id}


@pytest.mark.parametrize(("key", "field_value", "filter_value"), _field_cases())
def test_a_query_field_next_to_words_narrows_them_as_the_filter_does(library_kb, key, field_value, filter_value):
    """``cables year:2024`` means cables in 2024 notices, not cables or anything from 2024."""
    by_field = every_hit(library_kb, f"{BROAD} {key}:{field_value}", group=False)
    by_filter = every_hit(library_kb, BROAD, group=False, filters=library_kb.filters(**{key: filter_value}))
    assert units(by_field, group=False) == units(by_filter, group=False)


def test_query_fields_on_one_field_are_alternatives_and_on_two_must_all_hold(library_kb):
    years = {h.notice.year for h in every_hit(library_kb, f"{BROAD} year:2023 year:2025")}
    assert years == {2023, 2025}
    both = every_hit(library_kb, f"{BROAD} year:2024 issuer:MOF", group=False)
    assert {h.notice.id for h in both} == {MOF.id, SEED_NOTICE} and all(h.notice.year == 2024 for h in both)
    either = every_hit(library_kb, "tidal OR year:2025", group=False)  # an explicit OR keeps both sides
    assert {h.notice.id for h in either} == {UNIQUE_WORD_AT[0], CAC.id}


# -- sections of two notices never mix --------------------------------------------------------


@pytest.mark.parametrize("section", SHARED_SECTIONS)
def test_a_shared_section_id_keeps_each_notices_own_text(library_kb, section):
    hits = every_hit(library_kb, f"section:{section}", group=False)
    by_notice: dict[str, list] = {}
    for h in hits:
        by_notice.setdefault(h.notice.id, []).append(h)
        own = library_kb.section(h.notice, h.translation, h.section)
        assert h.section == section or h.section.parent == section
        assert (h.chunk.body, h.title) == (own.body, own.title), (h.notice.id, h.chunk.translation, h.section)
    assert set(by_notice) == set(ALL_NOTICE_IDS)
    for notice in NOTICES:
        if section in notice.section_ids:
            # a section's own title, and the parent title of its subsections (a heading without text of its own
            # has no chunk), are this notice's
            titles = {h.title for h in by_notice[notice.id] if h.section == section}
            titles |= {h.chunk.parent_title for h in by_notice[notice.id] if h.section.parent == section}
            assert titles == {notice.title_of(section)}, notice.id


def test_grouping_never_merges_two_notices_sections(library_kb):
    hits = every_hit(library_kb, "section:2.1")
    assert sorted(h.notice.id for h in hits) == sorted(ALL_NOTICE_IDS)  # one result per notice, none merged
    for h in hits:
        assert set(h.matched_in) <= {t.name for t in h.notice.translations}
    mof = next(h for h in hits if h.notice.id == MOF.id)
    assert sorted(mof.matched_in) == sorted(MOF.translations)  # its own two translations, grouped
    seed = next(h for h in hits if h.notice.id == SEED_NOTICE)
    assert seed.matched_in == ["full"]  # the seed's gmt lacks section 2; MOF's "full" is not the seed's


def test_two_notices_translations_called_full_stay_apart(library_kb):
    full = library_kb.filters(translation="full")
    hits = every_hit(library_kb, "section:2.1", filters=full, group=False)
    assert sorted(h.notice.id for h in hits) == sorted([SEED_NOTICE, MOF.id])
    for h in hits:
        assert h.chunk.translation == "full"
        assert h.translation is h.notice.translation("full")
        assert h.translation.notice_id == h.notice.id
        assert h.to_json()["translation_label"] == h.translation.label
    seed, mof = sorted(hits, key=lambda h: h.notice.id != SEED_NOTICE)
    assert seed.chunk.body != mof.chunk.body and seed.translation is not mof.translation
    assert mof.title == MOF.title_of("2.1")


# -- bad filters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"notice": "no-such-notice"}, "there is no notice 'no-such-notice'"),
        ({"issuer": "Ministry of Magic"}, "no notice was issued by 'Ministry of Magic'"),
        ({"type": "edict"}, "no notice is of type 'edict'"),
        ({"year": "20x4"}, "year must be a year such as 2024, not '20x4'"),
        ({"translation": "klingon"}, "there is no translation called 'klingon'"),
        ({"notice": "x" * 1000}, "notice is too long"),
    ],
)
def test_bad_filters_are_invalid_requests_in_one_line(library_kb, filters, message):
    with pytest.raises(InvalidRequest) as caught:
        library_kb.filters(**filters)
    text = str(caught.value)
    assert text.startswith(message) and "\n" not in text and len(text) < 300


def test_empty_filters_mean_any(library_kb):
    assert not library_kb.filters(notice="", issuer="  ", year=None)
    assert library_kb.search("cables").total == library_kb.search("cables", filters=library_kb.filters()).total


# -- the list of notices ----------------------------------------------------------------------


def test_list_notices_newest_first_with_facets(library_kb):
    listing = library_kb.list_notices(limit=MAX_LIMIT)
    dates = {n.id: n.date for n in NOTICES} | {SEED_NOTICE: library_kb.notice(SEED_NOTICE).date}
    assert [n.id for n in listing.notices] == sorted(ALL_NOTICE_IDS, key=lambda i: dates[i], reverse=True)
    assert listing.total == len(ALL_NOTICE_IDS) and not listing.has_more
    notices = listing.notices
    assert listing.facets == {
        "issuer": dict(Counter(i for n in notices for i in set(n.issuers))),
        "year": dict(Counter(str(n.year) for n in notices)),
        "type": dict(Counter(n.doc_type for n in notices)),
    }
    assert list(listing.facets["year"]) == sorted(listing.facets["year"], reverse=True)


def test_list_notices_pages(library_kb):
    every = [n.id for n in library_kb.list_notices(limit=MAX_LIMIT).notices]
    seen = []
    for page_number in range(1, 4):
        page = library_kb.list_notices(limit=2, offset=(page_number - 1) * 2)
        assert (page.page, page.pages, page.total) == (page_number, 3, len(every))
        assert page.has_more == (page_number < 3)
        assert (page.first, page.last) == ((page_number - 1) * 2 + 1, min(page_number * 2, len(every)))
        seen += [n.id for n in page.notices]
    assert seen == every


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"issuer": MIIT}, [SEED_NOTICE, MOF.id]),
        ({"year": "2024"}, [SEED_NOTICE, MOF.id]),
        ({"type": "notice"}, [SEED_NOTICE, GOV.id]),
        ({"issuer": MIIT, "type": "measures"}, [MOF.id]),
    ],
)
def test_list_notices_filters(library_kb, filters, expected):
    unfiltered = library_kb.list_notices()
    listing = library_kb.list_notices(library_kb.filters(**filters))
    assert [n.id for n in listing.notices] == expected
    for key, value in filters.items():
        if len(filters) == 1:
            assert unfiltered.facets[key][value] == listing.total


# -- citations -------------------------------------------------------------------------------


def test_citations_name_number_title_section_translation_and_date(library_kb):
    for h in every_hit(library_kb, "submarine cable OR data centre"):
        cited = h.citation
        for part in (h.notice.number, h.notice.title, h.section.display, h.translation.label, h.notice.date):
            assert part and part in cited, (part, cited)
        assert "\n" not in cited and h.to_json()["citation"] == cited


def test_the_citation_of_a_known_section(library_kb):
    hit = library_kb.search(UNIQUE_WORD).hits[0]
    assert hit.citation == f"{GOV.number}, {GOV.title}, section 2 (1), {GOV.labels[0]}, {GOV.date}"


@pytest.mark.parametrize(
    "chosen",
    [{"issuer": MIIT}, {"year": "2024", "translation": "full"}, {"notice": MOF.id}, {"type": "measures"}],
)
def test_under_filters_each_facet_counts_what_choosing_its_value_instead_gives(library_kb, chosen):
    # a facet leaves out its own filter, so it keeps offering the values not chosen
    query = "funds OR cables OR data OR communications"
    result = library_kb.search(query, filters=library_kb.filters(**chosen))
    assert result.total == len(every_hit(library_kb, query, filters=library_kb.filters(**chosen)))
    for key in FACET_KEYS:
        for value, count in result.facets[key].items():
            instead = library_kb.filters(**(chosen | {key: value}))
            assert library_kb.search(query, filters=instead).total == count, (key, value)
        if key in chosen:  # the other values stay on offer: the facet is the one without its own filter
            without = {k: v for k, v in chosen.items() if k != key}
            assert result.facets[key] == library_kb.search(query, filters=library_kb.filters(**without)).facets[key]
    assert any(len(result.facets[key]) > 1 for key in chosen)
