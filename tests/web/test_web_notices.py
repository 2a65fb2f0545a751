"""The site as a knowledge base of many notices: home, notice, reading, section, compare and results pages,
legacy redirects and 404s, on the library corpus (tests/library.py) whose notices share section ids."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from library import CAC, GOV, MOF, NDRC, NOTICES, SEED_NOTICE, SHARED_SECTIONS, TOPICS, UNIQUE_WORD, UNIQUE_WORD_AT

from kb.models import SectionId

BY_ID = {n.id: n for n in NOTICES}


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _listed(tree) -> list[str]:
    """Notice ids listed on a home page, in order."""
    return [li.one("h3").one("a").attrs["href"].split("/")[2] for li in tree.find_all("li", cls="notice-item")]


def _hits(tree):
    return tree.find_all("li", cls="hit")


def _hit_notice(hit) -> str:
    return hit.one("p", cls="hit-notice").one("a").attrs["href"].split("/")[2]


def _total(tree) -> int:
    m = re.match(r"(\d+) sections?\b", tree.one("p", cls="total").text.strip())
    assert m, tree.one("p", cls="total").text
    return int(m[1])


#: Each facet's heading on the page.
FACET_HEADINGS = {
    "notice": "Notice",
    "issuer": "Issued by",
    "year": "Year",
    "type": "Type",
    "translation": "Version",  # an original or a translation
}


def _facet_links(tree, key: str) -> dict[str, tuple[str, int]]:
    """A facet's values -> (link, count), read from the facet under its own heading (links keep other filters)."""
    found = {}
    for facet in tree.one("aside", cls="facets").find_all("div", cls="facet"):
        if facet.one("h2").text != FACET_HEADINGS[key]:
            continue
        for a in facet.find_all("a"):
            args = _query(a.attrs["href"])
            if key in args and a.parent.find("span", cls="count") is not None:
                found[args[key][0]] = (a.attrs["href"], int(a.parent.one("span", cls="count").text))
    return found


# -- home ---------------------------------------------------------------------------------


def test_home_lists_notices_newest_first(get_page, hostile, client):
    _, tree = get_page("/")
    listed = _listed(tree)
    api = [n["id"] for n in client.get("/api/notices").get_json()["notices"]]
    assert listed == api
    assert set(listed) == {SEED_NOTICE, hostile, *BY_ID}
    dates = [BY_ID[i].date for i in listed if i in BY_ID]
    assert dates == sorted(dates, reverse=True)
    for li in tree.find_all("li", cls="notice-item"):
        nid = li.one("h3").one("a").attrs["href"].split("/")[2]
        if nid in BY_ID:
            n = BY_ID[nid]
            assert li.one("h3").text.strip() == n.title
            assert n.number in li.one("p", cls="meta-line").text and n.date in li.one("p", cls="meta-line").text
            assert li.one("p", cls="versions").links() == [f"/notices/{n.id}/{t}" for t in n.translations]
    assert not tree.find_all("table")  # no notice's contents on the home page


def test_home_is_paginated(get_page, monkeypatch):
    from web.views import home

    monkeypatch.setattr(home, "PAGE_SIZE", 2)
    _, everything_tree = get_page("/?year=2024")  # two notices: one page of two
    assert everything_tree.find("nav", cls="pager") is None
    seen, url = [], "/"
    for page in range(1, 4):
        _, tree = get_page(url)
        ids = _listed(tree)
        assert len(ids) == 2
        seen += ids
        pager = tree.one("nav", cls="pager")
        assert f"Page {page} of 3" in pager.text
        assert (pager.find("a", rel="prev") is None) == (page == 1)
        nxt = pager.find("a", rel="next")
        if page == 3:
            assert nxt is None
        else:
            url = nxt.attrs["href"]
            assert _query(url) == {"page": [str(page + 1)]}
    monkeypatch.setattr(home, "PAGE_SIZE", 20)
    _, whole = get_page("/")
    assert seen == _listed(whole)
    get_page("/?page=4", 404)


def test_home_paging_keeps_the_filters(get_page, monkeypatch):
    from web.views import home

    monkeypatch.setattr(home, "PAGE_SIZE", 1)
    _, tree = get_page("/?year=2024")
    href = tree.one("nav", cls="pager").one("a", rel="next").attrs["href"]
    assert _query(href) == {"year": ["2024"], "page": ["2"]}
    _, second = get_page(href)
    assert set(_listed(tree) + _listed(second)) == {SEED_NOTICE, MOF.id}


@pytest.mark.parametrize("key", ["issuer", "year", "type"])
def test_home_filters_narrow_the_list_to_their_counts(get_page, key):
    _, tree = get_page("/")
    facet = _facet_links(tree, key)
    assert facet
    for value, (href, count) in facet.items():
        assert _query(href) == {key: [value]}
        _, narrowed = get_page(href)
        ids = _listed(narrowed)
        assert len(ids) == count, (key, value)
        for nid in ids:
            if nid in BY_ID:
                n = BY_ID[nid]
                assert {"issuer": value in n.issuers, "year": str(n.year) == value, "type": n.type == value}[key]
        # the other facets count what the filtered page shows; the chosen one still offers its other values,
        # each with what choosing it instead would list
        for other_key in ("issuer", "year", "type"):
            for v, (_, c) in _facet_links(narrowed, other_key).items():
                if other_key == key:
                    assert c == facet[v][1], (other_key, v)
                else:
                    assert c <= count, (other_key, v)
        chosen = narrowed.one("aside", cls="facets").find("strong", aria_current="true")
        assert chosen is not None and chosen.text == (value.capitalize() if key == "type" else value)
        shown = narrowed.one("p", cls="filters")
        assert value in shown.text
        show_all = next(a for a in shown.find_all("a") if a.text == "Show all")
        assert show_all.attrs["href"] == "/"


def test_home_filters_with_library_counts(get_page):
    _, tree = get_page("/")
    assert _facet_links(tree, "year")["2024"][1] == 2  # the seed and MOF
    assert _facet_links(tree, "type")["plan"][1] == 1
    assert _facet_links(tree, "issuer")["Ministry of Finance"][1] == 2
    _, both = get_page("/?issuer=Ministry+of+Finance&type=measures")
    assert _listed(both) == [MOF.id]
    assert "(1 of" in both.one("h2", id_="notices-h").text
    _, none = get_page("/?year=2021&type=plan")
    assert _listed(none) == []


# -- notice page ---------------------------------------------------------------------------


@pytest.mark.parametrize("n", NOTICES, ids=lambda n: n.id)
def test_notice_page(get_page, client, n):
    _, tree = get_page(f"/notices/{n.id}/")
    assert tree.one("h1").text == n.title
    meta = tree.one("dl", cls="meta")
    assert n.number in meta.text and n.date in meta.text and n.type.capitalize() in meta.text
    for issuer in n.issuers:
        assert issuer in meta.text
    assert [f"/?issuer={i.replace(' ', '+')}" for i in n.issuers] == meta.links()  # each narrows the home page
    versions = tree.one("ul", cls="versions-list").find_all("li")
    assert [li.one("a").text for li in versions] == list(n.labels)
    for li, t in zip(versions, n.translations, strict=True):
        lacking = [s for s in n.section_ids if s not in n.section_ids_of(t)]
        if lacking:
            assert f"Lacks sections {', '.join(SectionId(i).display for i in lacking)}." in li.text
        else:
            assert "Every section." in li.text
    rows = tree.one("table", cls="contents").one("tbody").find_all("tr")
    assert "Front matter" in rows[0].one("th").text  # each generated text opens with a preamble
    rows = rows[1:]
    assert len(rows) == len(n.section_ids)
    for row, sid in zip(rows, n.section_ids, strict=True):
        assert n.title_of(sid) in row.one("th").text
        cells = row.find_all("td")
        for cell, t in zip(cells, n.translations, strict=False):
            if sid in n.section_ids_of(t):
                assert cell.links() == [f"/notices/{n.id}/{t}#s{sid.replace('.', '-')}", f"/notices/{n.id}/{t}/{sid}"]
            else:
                assert cell.text == "lacks" and not cell.links()
        if len(n.translations) > 1:
            assert cells[-1].links() == [f"/notices/{n.id}/compare/{sid}"]
    for link in tree.one("table", cls="contents").links():
        assert client.get(link.split("#")[0]).status_code == 200, link
    form = tree.one("form", cls="within")
    assert form.one("input", type="hidden").attrs == {"type": "hidden", "name": "notice", "value": n.id}


# -- reading, section and compare pages of a second notice -----------------------------------


def test_reading_pages_of_a_second_notice(get_page):
    _, full = get_page(f"/notices/{MOF.id}/full")
    _, excerpt = get_page(f"/notices/{MOF.id}/excerpt")
    assert MOF.number in full.one("nav", cls="breadcrumb").text
    assert full.one("p", cls="kicker").text == "Full translation"
    assert full.one("div", cls="doc-body").by_id("s4-1") is not None
    assert excerpt.one("div", cls="doc-body").by_id("s4-1") is None
    note = excerpt.one("p", cls="lacks-note")
    assert "lacks sections 4, 4 (1), 4 (2)" in note.text and f"/notices/{MOF.id}/full#s4" in note.links()
    assert "newly built international submarine cables" in full.one("div", cls="doc-body").text
    assert "newly built" not in excerpt.one("div", cls="doc-body").text


def test_section_page_of_a_second_notice(get_page):
    _, tree = get_page(f"/notices/{MOF.id}/excerpt/2.1")
    assert tree.one("h1").text.split() == ["2", "(1)", "Scope", "of", "support"]
    assert "new international submarine cables landing in China" in tree.one("div", cls="section-body").text
    citation = tree.one("output", id_="citation").text
    for part in (MOF.number, MOF.title, "section 2 (1)", "Excerpt (without section 4)", MOF.date):
        assert part in citation
    assert citation.endswith(f", http://localhost/notices/{MOF.id}/excerpt/2.1")
    related = tree.one("nav", cls="related").links()
    assert f"/notices/{MOF.id}/full/2.1" in related and f"/notices/{MOF.id}/compare/2.1" in related
    _, lacking = get_page(f"/notices/{MOF.id}/full/4.1")
    assert "The Excerpt (without section 4) lacks this section" in lacking.one("nav", cls="related").text


def test_compare_pages_of_a_shared_section_show_each_notices_own_text(get_page):
    _, seed = get_page(f"/notices/{SEED_NOTICE}/compare/2.1")
    _, mof = get_page(f"/notices/{MOF.id}/compare/2.1")
    mof_columns = mof.one("div", cls="compare").find_all("section", cls="column")
    assert [c.one("h2").text for c in mof_columns] == list(MOF.labels)
    assert "newly built international submarine cables" in mof_columns[0].text
    assert "new international submarine cables landing in China" in mof_columns[1].text
    assert MOF.title_of("2.1") in mof.one("h1").text
    seed_text = seed.one("div", cls="compare").text
    assert "submarine cables landing in China" not in seed_text and "Scope of support" not in seed_text
    _, missing = get_page(f"/notices/{MOF.id}/compare/4.1")
    assert "does not include section 4 (1)" in missing.one("p", cls="missing").text


@pytest.mark.parametrize("sid", SHARED_SECTIONS)
def test_two_notices_sections_never_mix(get_page, sid):
    """Every notice has 2 and 2.1: each page of a notice shows that notice's section, never another's."""
    for n in NOTICES:
        others = [o.title_of(sid) for o in NOTICES if o.id != n.id]
        pages = [f"/notices/{n.id}/{t}/{sid}" for t in n.translations] + [f"/notices/{n.id}/compare/{sid}"]
        for url in pages:
            _, tree = get_page(url)
            assert n.title_of(sid) in tree.one("h1").text, url
            text = tree.one("main").text
            for title in others:
                assert title not in text, (url, title)
        _, notice_page = get_page(f"/notices/{n.id}/")
        contents = notice_page.one("table", cls="contents").text
        assert not [title for title in others if title in contents and title not in n.title_of(sid)]


# -- results -------------------------------------------------------------------------------


def test_each_hit_names_its_notice(get_page):
    _, tree = get_page("/search?q=submarine+cables")
    hits = _hits(tree)
    assert {_hit_notice(h) for h in hits} == set(TOPICS["submarine cable"])
    for hit in hits:
        nid = _hit_notice(hit)
        if nid in BY_ID:
            n = BY_ID[nid]
            line = hit.one("p", cls="hit-notice").text
            assert n.title in line and n.number in line and n.date in line
    assert re.match(r"\d+ sections? in 3 notices\.", tree.one("p", cls="total").text)


def test_a_unique_word_leads_to_its_notice_section(get_page):
    nid, sid = UNIQUE_WORD_AT
    _, tree = get_page(f"/search?q={UNIQUE_WORD}")
    (hit,) = _hits(tree)
    assert _hit_notice(hit) == nid == GOV.id
    permalink = next(a for a in hit.find_all("a") if a.text == "permalink").attrs["href"]
    assert permalink == f"/notices/{nid}/{GOV.translations[0]}/{sid}"
    _, section = get_page(permalink)
    assert UNIQUE_WORD in section.one("div", cls="section-body").text


@pytest.mark.parametrize("key", ["notice", "issuer", "year", "type", "translation"])
def test_result_facets_narrow_to_their_counts(get_page, key):
    _, tree = get_page("/search?q=submarine+cables")
    total = _total(tree)
    facet = _facet_links(tree, key)
    assert len(facet) >= 2, key
    for value, (href, count) in facet.items():
        assert _query(href) == {"q": ["submarine cables"], key: [value]}
        _, narrowed = get_page(href)
        assert _total(narrowed) == count <= total, (key, value)
        for hit in _hits(narrowed):
            nid = _hit_notice(hit)
            if key == "notice":
                assert nid == value
            elif nid in BY_ID and key != "translation":
                n = BY_ID[nid]
                assert {"issuer": value in n.issuers, "year": str(n.year) == value, "type": n.type == value}[key]
        filters = narrowed.one("p", cls="filters")
        remove = filters.one("a", cls="remove")
        assert _query(remove.attrs["href"]) == {"q": ["submarine cables"]}
        _, back = get_page(remove.attrs["href"])
        assert _total(back) == total


def test_result_filters_combine_and_one_can_be_removed(get_page):
    _, both = get_page("/search?q=submarine+cables&year=2024&translation=full")
    assert {_hit_notice(h) for h in _hits(both)} == {SEED_NOTICE, MOF.id}
    removes = {a.attrs["href"] for a in both.one("p", cls="filters").find_all("a", cls="remove")}
    assert {frozenset(_query(r)) for r in removes} == {frozenset({"q", "translation"}), frozenset({"q", "year"})}
    _, narrower = get_page("/search?q=submarine+cables&year=2024&translation=excerpt")
    assert {_hit_notice(h) for h in _hits(narrower)} == {MOF.id}
    assert _total(narrower) == _facet_links(both, "translation").get("excerpt", (None, _total(narrower)))[1]
    _, none = get_page("/search?q=submarine+cables&type=plan&year=2024")
    assert "with these filters" in none.one("div", cls="empty").text


def test_results_sorted_by_date(get_page):
    _, relevance = get_page("/search?q=submarine+cables")
    sort = relevance.one("p", cls="sort")
    href = next(a for a in sort.find_all("a") if "newest" in a.text).attrs["href"]
    assert _query(href) == {"q": ["submarine cables"], "sort": ["date"]}
    _, by_date = get_page(href)
    dates = [BY_ID[n].date if n in BY_ID else "2024-09-04" for n in map(_hit_notice, _hits(by_date))]
    assert dates == sorted(dates, reverse=True)
    assert by_date.one("p", cls="sort").one("strong").text == "newest first"
    facet_href = _facet_links(by_date, "year")["2024"][0]
    assert _query(facet_href)["sort"] == ["date"]  # choosing a facet keeps the order


# -- legacy links ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new",
    [
        ("/doc/english", f"/notices/{NDRC.id}/english"),
        ("/doc/english?q=data&page=1", f"/notices/{NDRC.id}/english?q=data&page=1"),
        ("/doc/english/2.1", f"/notices/{NDRC.id}/english/2.1"),
        ("/doc/gmt/6.1", f"/notices/{SEED_NOTICE}/gmt/6.1"),
        ("/compare/2.1?notice=mof-2024-58", f"/notices/{MOF.id}/compare/2.1"),
        ("/compare/4.1?notice=mof-2024-58", f"/notices/{MOF.id}/compare/4.1"),
        ("/compare/7.1", f"/notices/{SEED_NOTICE}/compare/7.1"),  # only the seed has a 7.1
    ],
)
def test_old_links_redirect_permanently_while_one_notice_fits(client, old, new):
    response = client.get(old)
    assert response.status_code == 301, old
    assert response.headers["Location"] == new
    assert client.get(new).status_code == 200


@pytest.mark.parametrize(
    "old, pointers",
    [
        ("/doc/full", [f"/notices/{SEED_NOTICE}/", f"/notices/{MOF.id}/"]),
        ("/doc/full/6.1", [f"/notices/{SEED_NOTICE}/", f"/notices/{MOF.id}/"]),
        ("/compare/2.1", [f"/notices/{n}/" for n in (SEED_NOTICE, *BY_ID)]),
        ("/doc/nope", ["/"]),
        ("/compare/2.1?notice=nope", ["/"]),
    ],
)
def test_old_links_that_fit_several_notices_or_none_are_404_with_a_pointer(get_page, old, pointers):
    _, tree = get_page(old, 404)
    message = tree.one("main").find("p").text
    for pointer in pointers:
        assert pointer in message, (old, message)


# -- 404s and 400s -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, message",
    [
        ("/notices/nope/", "there is no notice 'nope'"),
        (f"/notices/{NDRC.id}/full", f"notice '{NDRC.id}' has no translation 'full' (it has: english)"),
        (f"/notices/{NDRC.id}/full/2.1", "has no translation 'full'"),
        (f"/notices/{MOF.id}/excerpt/4.1", "section 4 (1) is not in the Excerpt (without section 4)"),
        (f"/notices/{CAC.id}/{CAC.translations[0]}/5", "section 5 is not in any translation of this notice"),
        (f"/notices/{CAC.id}/compare/5", "has no section 5"),
        (f"/notices/{CAC.id}/{CAC.translations[0]}?section=5.1", "not in any translation"),
    ],
)
def test_unknown_notice_translation_or_section_is_404(get_page, url, message):
    _, tree = get_page(url, 404)
    assert message in tree.one("main").text


@pytest.mark.parametrize(
    "url",
    [
        "/?year=abc",
        "/?year=20245",
        "/?issuer=Nobody",
        "/?type=decree",
        "/?page=0",
        "/search?q=cables&notice=nope",
        "/search?q=cables&issuer=Nobody",
        "/search?q=cables&year=abc",
        "/search?q=cables&type=decree",
        "/search?q=cables&translation=nope",
        "/search?q=cables&sort=oldest",
    ],
)
def test_bad_filters_and_sort_are_400(get_page, url):
    _, tree = get_page(url, 400)
    assert tree.one("h1").text == "Bad Request" and tree.one("main").find("p").text.strip()


@pytest.mark.parametrize("url", ["/", "/?year=2024"])
def test_home_heading_markup_is_balanced(client, url):
    """The list's heading closed a <span> it had not opened when no filter was chosen."""
    body = client.get(url).get_data(as_text=True)
    heading = re.search(r'<h2 id="notices-h".*?</h2>', body, re.S)[0]
    assert heading.count("<span") == heading.count("</span>"), heading


def test_a_facet_lists_its_largest_values_and_counts_the_rest(get_page, monkeypatch):
    """A search over thousands of notices does not list a link per notice: the rest are counted."""
    from web.views import results

    _, tree = get_page("/search?q=network")
    every = _facet_links(tree, "notice")
    assert len(every) >= 4
    monkeypatch.setattr(results, "FACET_VALUES_LISTED", 2)
    _, tree = get_page("/search?q=network")
    listed = _facet_links(tree, "notice")
    assert list(listed) == list(every)[:2]  # the largest counts first, as before
    assert tree.one("p", cls="unlisted").text.startswith(f"{len(every) - 2} more not listed")
    chosen = list(every)[-1]  # chosen although not among the listed: still shown, as the chosen one
    _, narrowed = get_page(f"/search?q=network&notice={chosen}")
    facet = next(f for f in narrowed.find_all("div", cls="facet") if f.one("h2").text == "Notice")
    assert facet.find("strong", aria_current="true") is not None


@pytest.mark.parametrize("q", ["data & security", "a/b network?d=e", "network 数据", "5G+ 100%"])
def test_list_links_are_encoded_as_url_for_encodes_them(app, get_page, q):
    from flask import url_for

    _, tree = get_page("/search?" + urlencode({"q": q, "sort": "date"}))
    relevance = next(a.attrs["href"] for a in tree.find_all("a") if a.text == "relevance")
    with app.test_request_context():
        assert relevance == url_for("pages.results", q=q)
