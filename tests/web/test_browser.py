"""End to end in a real headless browser: the real server (`kb serve`), Debian's Chromium, Playwright.

Every page visited is watched for console errors, uncaught exceptions and
dialogs (an alert would mean injected script ran); a test fails if any occur.
Screenshots of the main pages at desktop and phone widths go to tests/artifacts/.
"""

from __future__ import annotations

import http.client
import re
import tomllib
from urllib.parse import quote, quote_plus

import pytest
from browsing import ARTIFACTS, DESKTOP, PHONE, require
from library import (
    ALL_NOTICE_IDS,
    MOF,
    NDRC,
    NOTICES,
    SEED_NOTICE,
    SEED_TRANSLATIONS,
    SEEDS_DIR,
    TOPICS,
    UNIQUE_WORD,
    UNIQUE_WORD_AT,
    LibraryNotice,
)

from kb.models import SectionId

pytestmark = pytest.mark.browser

sync_api = require("end-to-end tests")
expect = sync_api.expect
# Note: page.wait_for_function("...") polls with eval(), which the site's CSP (rightly) forbids;
# expect() and locators poll without it.


def _type_query(page, text: str) -> None:
    page.click("#q")
    page.keyboard.type(text, delay=30)


def _in_viewport(page, element_id: str) -> bool:
    return page.evaluate(
        """id => { const r = document.getElementById(id).getBoundingClientRect();
                   return r.top >= 0 && r.top < window.innerHeight && r.bottom > 0; }""",
        element_id,
    )


def _search_url(q: str) -> re.Pattern[str]:
    """The address the live search gives the page for ``q`` (a form's encoding: spaces as +; %20 is accepted).

    Typed live, the last word is still being typed, so ``prefix=1`` follows (see tests/web/test_live_search.py).
    """
    words = r"(%20|\+)".join(re.escape(quote(w, safe="")) for w in q.split(" "))
    return re.compile(r"/search\?q=" + words + r"(&prefix=1)?$")


def _live_search(page, q: str) -> None:
    """Type ``q`` into the home page's search box and wait for the live results and their address."""
    page.goto("/")
    _type_query(page, q)
    page.wait_for_selector("#live-results .hit")
    page.wait_for_url(_search_url(q))


def _with_query(url: str, q: str) -> str:
    """``url`` with ``?q=`` before its #anchor, as results link to a reading page (encoded as url_for does)."""
    base, _, anchor = url.partition("#")
    return f"{base}?q={quote_plus(q, safe='')}" + (f"#{anchor}" if anchor else "")


def _notice(notice_id: str) -> LibraryNotice:
    return next(n for n in NOTICES if n.id == notice_id)


def _seed_notice_facts() -> dict:
    """The seed notice's manifest entry: the facts the library's constants leave to seeds/manifest.toml."""
    manifest = tomllib.loads((SEEDS_DIR / "manifest.toml").read_text(encoding="utf-8"))
    return next(n for n in manifest["notice"] if n["id"] == SEED_NOTICE)


SEED = _seed_notice_facts()
SEED_DATE = str(SEED["date"])  # a TOML date or a quoted ISO date: the same text
SEED_YEAR = int(SEED_DATE[:4])
#: The issuing body MOF shares with the seed notice (tests/library.py says so).
SHARED_ISSUER = "Ministry of Industry and Information Technology"
assert SHARED_ISSUER in MOF.issuers
#: The translation of the seed with every section the tests open.
SEED_FULL = SEED_TRANSLATIONS[0]
#: The topic whose results come from several notices.
CABLES = "submarine cables"


# -- searching ----------------------------------------------------------------------------


def test_results_appear_as_you_type(page):
    _live_search(page, CABLES)
    # no form submission: still the home page's document, with its list of notices
    assert page.locator("ol.notices .notice-item").count() >= 1
    hits = page.locator("#live-results .hit")
    assert hits.first.locator("mark").count() >= 1
    assert CABLES in page.locator("#live-results h1").inner_text()
    assert page.title().startswith(CABLES)
    assert page.input_value("#q") == CABLES
    # each hit names its notice; together they are every notice that speaks of the topic
    titles = {t.strip() for t in hits.locator(".hit-notice a").all_inner_texts()}
    expected = set(TOPICS["submarine cable"])
    assert titles == {_notice(i).title for i in expected - {SEED_NOTICE}} | {SEED["title"]}
    expect(page.locator("#live-results .total")).to_contain_text(f"in {len(expected)} notices")


def test_live_results_take_every_link_from_the_server(page):
    """Each link of a live result is the server's: the API's (links.notice, links.read, permalink, links.compare)
    for the same search, the last word matched as a prefix as it is while typed. The script builds none."""
    _live_search(page, CABLES)
    answer = page.request.get("/api/search", params={"q": CABLES, "limit": "10", "prefix": "1"}).json()
    hits = page.locator("#live-results .hit")
    expect(hits).to_have_count(len(answer["results"]))
    for i, result in enumerate(answer["results"]):
        hit = hits.nth(i)
        assert hit.locator(".hit-notice a").get_attribute("href") == result["links"]["notice"]
        assert hit.locator(".hit-notice a").inner_text() == result["notice_title"]
        assert hit.locator(".sid").inner_text() == result["section_label"]
        assert hit.locator("h2 a").get_attribute("href") == _with_query(result["links"]["read"], CABLES)
        assert hit.locator(".where a", has_text="permalink").get_attribute("href") == result["permalink"]
        compare = hit.locator(".where a", has_text="compare versions")
        if result["links"]["compare"]:
            assert compare.get_attribute("href") == result["links"]["compare"]
        else:
            expect(compare).to_have_count(0)


def test_live_result_links_lead_where_they_say(page):
    """Followed, every link of every live result opens the page it names: notice, reading page, section, compare."""
    _live_search(page, CABLES)
    hits = page.locator("#live-results .hit")
    found = []
    for i in range(hits.count()):
        hit = hits.nth(i)
        compare = hit.locator(".where a", has_text="compare versions")
        found.append(
            {
                "notice_title": hit.locator(".hit-notice a").inner_text(),
                "notice": hit.locator(".hit-notice a").get_attribute("href"),
                "sid": hit.locator(".sid").inner_text(),
                "title": hit.locator("h2 a").inner_text(),
                "read": hit.locator("h2 a").get_attribute("href"),
                "permalink": hit.locator(".where a", has_text="permalink").get_attribute("href"),
                "compare": compare.get_attribute("href") if compare.count() else None,
            }
        )
    assert len({f["notice"] for f in found}) > 1
    for f in found:
        assert page.goto(f["notice"]).status == 200
        assert page.locator("h1").inner_text() == f["notice_title"]

        assert page.goto(f["read"]).status == 200
        anchor = f["read"].rsplit("#", 1)[1]
        expect(page.locator(f"#{anchor}")).to_be_visible()
        assert _in_viewport(page, anchor)
        assert page.locator(".doc-body mark").count() >= 1
        assert page.locator("nav.breadcrumb a").nth(1).get_attribute("href") == f["notice"]

        assert page.goto(f["permalink"]).status == 200
        assert page.locator("h1").inner_text() == f"{f['sid']} {f['title']}"
        assert page.locator("nav.breadcrumb a").first.get_attribute("href") == f["notice"]
        assert page.locator("#citation").inner_text().endswith(f["permalink"])

        if f["compare"]:
            assert page.goto(f["compare"]).status == 200
            assert page.locator(".compare .column").count() >= 2
            assert f["sid"] in page.locator("h1").inner_text()


def test_following_a_result_opens_the_section(page):
    _live_search(page, CABLES)
    first = page.locator("#live-results .hit").first
    href = first.locator("h2 a").get_attribute("href")
    path, anchor = href.split("?", 1)[0], href.rsplit("#", 1)[1]
    assert re.fullmatch(r"/notices/[^/]+/[^/?#]+", path), href
    assert anchor == SectionId.parse(first.locator(".sid").inner_text()).anchor
    first.locator("h2 a").click()
    page.wait_for_url(re.compile(re.escape(path) + r"\?q=submarine(%20|\+)cables#" + anchor + "$"))
    page.wait_for_load_state("load")
    assert page.evaluate("location.hash") == f"#{anchor}"
    assert page.locator(f"#{anchor}").is_visible()
    assert _in_viewport(page, anchor)
    assert page.locator(".doc-body mark").count() >= 1


def test_server_rendered_results_link_to_the_section_too(page):
    page.goto("/search?q=submarine+cables")
    first = page.locator(".hit").first
    anchor = first.locator("h2 a").get_attribute("href").rsplit("#", 1)[1]
    first.locator("h2 a").click()
    page.wait_for_url(re.compile(f"#{anchor}$"))
    page.wait_for_load_state("load")
    assert _in_viewport(page, anchor)


def test_a_result_from_another_notice_followed_to_its_section(page):
    """The one hit for a word only the State Council notice has: its own section 2.1, heading, breadcrumb, citation."""
    notice_id, section = UNIQUE_WORD_AT
    notice = _notice(notice_id)
    translation = notice.translations[0]
    sid = SectionId(section)
    title = notice.title_of(section)
    parent_title = notice.title_of(sid.parent)

    _live_search(page, UNIQUE_WORD)
    hit = page.locator("#live-results .hit")
    expect(hit).to_have_count(1)
    expect(hit.locator(".hit-notice a")).to_have_text(notice.title)
    expect(hit.locator(".hit-notice .meta-line")).to_have_text(f"{notice.number} · {notice.date}")
    expect(hit.locator(".sid")).to_have_text(sid.display)
    expect(hit.locator("h2 a")).to_have_text(title)
    expect(hit.locator("mark")).to_have_text(UNIQUE_WORD)

    # its title opens the reading page of that notice's translation at the section
    hit.locator("h2 a").click()
    page.wait_for_url(re.compile(rf"/notices/{notice.id}/{translation}\?q={UNIQUE_WORD}#{sid.anchor}$"))
    page.wait_for_load_state("load")
    assert _in_viewport(page, sid.anchor)
    expect(page.locator(f"#{sid.anchor}")).to_contain_text(title)
    expect(page.locator(".doc-body mark").first).to_have_text(UNIQUE_WORD)
    expect(page.locator(".document .meta")).to_contain_text(notice.number)

    # its permalink opens the section's own page
    page.go_back()
    page.wait_for_url(_search_url(UNIQUE_WORD))
    page.locator("#live-results .hit .where a", has_text="permalink").click()
    page.wait_for_url(re.compile(rf"/notices/{notice.id}/{translation}/{re.escape(section)}$"))
    expect(page.locator("h1")).to_have_text(f"{sid.display} {title}")
    breadcrumb = page.locator("nav.breadcrumb")
    expect(breadcrumb.locator("a").first).to_have_text(notice.number)
    assert breadcrumb.locator("a").first.get_attribute("href") == f"/notices/{notice.id}/"
    expect(breadcrumb).to_contain_text(parent_title)
    expect(page.locator(".kicker")).to_have_text(notice.title)
    citation = page.locator("#citation").inner_text()
    assert citation.startswith(f"{notice.number}, {notice.title}, section {sid.display}, ")
    assert notice.date in citation and citation.endswith(page.url)
    assert SEED["number"] not in citation
    # and the notice in the breadcrumb is that notice's page
    breadcrumb.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/notices/{notice.id}/$"))
    expect(page.locator("h1")).to_have_text(notice.title)


def test_slash_focuses_the_search_box(page):
    page.goto(f"/notices/{SEED_NOTICE}/{SEED_FULL}/6.1")
    assert page.evaluate("document.activeElement === document.body")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    assert page.input_value("#q") == ""  # the "/" itself is not typed
    page.keyboard.press("/")  # in the box, it is just a character
    assert page.input_value("#q") == "/"


def test_back_button_restores_the_previous_query(page):
    _live_search(page, CABLES)
    page.keyboard.press("Control+A")
    page.keyboard.type(UNIQUE_WORD, delay=30)
    page.wait_for_url(_search_url(UNIQUE_WORD))
    expect(page.locator("#live-results h1")).to_contain_text(UNIQUE_WORD)
    page.go_back()
    page.wait_for_url(_search_url(CABLES))
    expect(page.locator("#q")).to_have_value(CABLES)
    expect(page.locator("#live-results h1")).to_contain_text(CABLES)
    page.go_forward()
    page.wait_for_url(_search_url(UNIQUE_WORD))
    expect(page.locator("#q")).to_have_value(UNIQUE_WORD)
    expect(page.locator("#live-results .hit")).to_have_count(1)


def test_without_javascript_the_form_still_works(watched):
    page = watched.page(java_script_enabled=False)
    page.goto("/")
    page.fill("#q", CABLES)
    page.press("#q", "Enter")
    page.wait_for_url(_search_url(CABLES))
    assert page.locator(".hit").count() >= 1
    assert page.locator(".facets").is_visible()
    page.locator(".facet", has=page.locator("h2", has_text="Notice")).get_by_role("link", name=MOF.number).click()
    page.wait_for_url(re.compile(rf"notice={MOF.id}"))
    notices = {t.strip() for t in page.locator(".hit .hit-notice a").all_inner_texts()}
    assert notices == {MOF.title}
    page.goto(f"/notices/{SEED_NOTICE}/{SEED_FULL}/6.1")
    assert page.locator("#citation").is_visible()
    assert not page.locator("button.copy").is_visible()  # needs the script


def test_old_links_land_on_the_new_addresses(watched):
    """/doc/<translation>/<section> redirects while one notice has that translation, else says which notices do."""
    page = watched.page()
    page.goto("/doc/gmt/6.1")
    page.wait_for_url(re.compile(rf"/notices/{SEED_NOTICE}/gmt/6\.1$"))
    expect(page.locator("h1 .sid")).to_have_text("6 (1)")
    watched.expect_error("status of 404")
    response = page.goto(f"/doc/{SEED_FULL}/6.1")  # MOF's full translation has the same name
    assert response.status == 404
    expect(page.locator("main")).to_contain_text(f"/notices/{SEED_NOTICE}/")
    expect(page.locator("main")).to_contain_text(f"/notices/{MOF.id}/")


# -- the home page's filters --------------------------------------------------------------


def _listed(page) -> list[str]:
    """Ids of the notices the home page lists, in order."""
    hrefs = page.locator("ol.notices .notice-item h3 a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    ids = [re.fullmatch(r"/notices/([^/]+)/", h) for h in hrefs]
    assert all(ids), hrefs
    return [m.group(1) for m in ids]


def _facet(page, heading: str):
    return page.locator(".facets .facet", has=page.locator("h2", has_text=heading))


def _shown(heading: str, value: str) -> str:
    """How a facet shows a value: a type is capitalised ("opinions" reads "Opinions")."""
    return value.capitalize() if heading == "Type" else value


def _choose(page, heading: str, value: str) -> int:
    """Click ``value`` in the home page's ``heading`` facet; returns the count the facet showed next to it."""
    name = _shown(heading, value)
    choice = _facet(page, heading).locator("li", has=page.get_by_role("link", name=name, exact=True))
    shown = int(choice.locator(".count").inner_text())
    choice.get_by_role("link").click()
    page.wait_for_load_state("load")
    return shown


def _dates() -> dict[str, str]:
    return {SEED_NOTICE: SEED_DATE, **{n.id: n.date for n in NOTICES}}


def test_home_lists_the_notices_newest_first(page, hostile):
    page.goto("/")
    listed = _listed(page)
    assert set(listed) == {*ALL_NOTICE_IDS, hostile}
    dates = _dates()
    dated = [i for i in listed if i in dates]
    assert dated == sorted(dates, key=dates.get, reverse=True)
    expect(page.locator("h1")).to_have_text("Search the notices")
    expect(page.locator(".intro")).to_contain_text(f"{len(listed)} notices")


FILTERS = [
    ("Issued by", "issuer", SHARED_ISSUER, {n.id for n in NOTICES if SHARED_ISSUER in n.issuers} | {SEED_NOTICE}),
    (
        "Year",
        "year",
        str(MOF.year),
        {n.id for n in NOTICES if n.year == MOF.year} | ({SEED_NOTICE} if SEED_YEAR == MOF.year else set()),
    ),
    ("Type", "type", NDRC.type, {n.id for n in NOTICES if n.type == NDRC.type}),  # the seed is a notice
]


@pytest.mark.parametrize("heading,key,value,expected", FILTERS, ids=[f[1] for f in FILTERS])
def test_a_home_page_filter_narrows_the_list_and_show_all_restores_it(page, heading, key, value, expected):
    page.goto("/")
    everything = _listed(page)
    shown = _choose(page, heading, value)
    page.wait_for_url(re.compile(rf"/\?{key}="))
    listed = _listed(page)
    assert set(listed) == expected
    assert shown == len(listed)  # the count next to the choice was the truth
    expect(page.locator("#notices-h")).to_contain_text(f"({len(expected)} of {len(everything)})")
    expect(_facet(page, heading).locator("strong[aria-current]")).to_have_text(_shown(heading, value))
    expect(page.locator("p.filters")).to_contain_text(value)
    dates = _dates()
    assert listed == sorted(listed, key=dates.get, reverse=True)  # still newest first

    page.get_by_role("link", name="Show all").click()
    page.wait_for_url(re.compile(r"/$"))
    assert _listed(page) == everything
    expect(page.locator("p.filters")).to_have_count(0)


def test_home_page_filters_combine(page):
    page.goto("/")
    everything = _listed(page)
    _choose(page, "Issued by", SHARED_ISSUER)
    _choose(page, "Year", str(MOF.year))
    _choose(page, "Type", MOF.type)
    assert _listed(page) == [MOF.id]
    assert set(re.findall(r"[?&](\w+)=", page.url)) == {"issuer", "year", "type"}
    expect(page.locator("#notices-h")).to_contain_text(f"(1 of {len(everything)})")
    # "Any" drops one filter and keeps the others
    _facet(page, "Type").get_by_role("link", name="Any", exact=True).click()
    page.wait_for_load_state("load")
    assert "type=" not in page.url
    assert set(_listed(page)) == set(FILTERS[0][3]) & set(FILTERS[1][3])
    page.get_by_role("link", name="Show all").click()
    page.wait_for_url(re.compile(r"/$"))
    assert _listed(page) == everything


# -- reading ------------------------------------------------------------------------------


def test_compare_shows_both_columns(page):
    page.goto(f"/notices/{SEED_NOTICE}/compare/6.1")
    columns = page.locator(".compare .column")
    assert columns.count() == 2
    assert columns.nth(0).locator("h2").inner_text() == "Full translation"
    assert columns.nth(1).locator("h2").inner_text().startswith("GMT Eight translation")
    assert "maturity assessments" in columns.nth(0).inner_text()
    assert "network security maturity" in columns.nth(1).inner_text()
    left, right = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert abs(left["y"] - right["y"]) < 2 and right["x"] >= left["x"] + left["width"]  # side by side
    expect(page.locator("nav.breadcrumb a").nth(1)).to_have_text(SEED["number"])  # after "Notices"


def test_compare_of_another_notice_shows_what_a_translation_lacks(page):
    translation, top = MOF.lacks[0]
    section = f"{top}.1"
    page.goto(f"/notices/{MOF.id}/compare/{section}")
    columns = page.locator(".compare .column")
    assert columns.count() == len(MOF.translations)
    lacking = columns.nth(MOF.translations.index(translation))
    expect(lacking.locator(".missing")).to_contain_text(SectionId(section).display)
    having = columns.nth(1 - MOF.translations.index(translation))
    expect(having.locator("h3")).to_have_text(MOF.title_of(section))
    expect(page.locator("nav.breadcrumb a").nth(1)).to_have_text(MOF.number)


def test_compare_stacks_on_a_phone(watched):
    page = watched.page(PHONE)
    page.goto(f"/notices/{SEED_NOTICE}/compare/6.1")
    columns = page.locator(".compare .column")
    top, bottom = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert bottom["y"] >= top["y"] + top["height"]


def test_copy_citation(watched):
    page = watched.page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(f"/notices/{SEED_NOTICE}/{SEED_FULL}/6.1")
    button = page.locator("button.copy")
    assert button.is_visible()
    button.click()
    expect(button).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#citation").inner_text().strip()
    assert copied.startswith(f"{SEED['number']}, {SEED['title']}, section 6 (1), Full translation")
    assert copied.endswith(f"/notices/{SEED_NOTICE}/{SEED_FULL}/6.1") and copied.endswith(page.url)


def test_hostile_document_runs_nothing(page, hostile):
    shown = {  # page -> markup of the document that must appear as text
        f"/notices/{hostile}/": "<b>bold</b>",
        f"/notices/{hostile}/{hostile}": "<script>alert(1)</script>",
        f"/notices/{hostile}/{hostile}/1.1": "<script>alert(1)</script>",
        f"/notices/{hostile}/{hostile}/1": "<b>bold</b>",
        "/search?q=script": "<script>alert(1)</script>",
        f"/notices/{hostile}/{hostile}?q=img+onerror": "<img src=x onerror=alert(1)>",
    }
    for url, text in shown.items():
        assert page.goto(url).status == 200, url
        assert page.locator("main img, main b").count() == 0, url
        # the only scripts are the site's own files (app.js, and a page's own such as cite.js)
        assert page.locator("script").count() >= 1, url
        assert page.locator("script:not([src^='/static/'])").count() == 0, url
        assert text in page.locator("main").inner_text(), url
    page.goto("/")
    _type_query(page, "<img src=x onerror=alert(1)>")
    page.wait_for_selector("#live-results .hit")
    assert "<img src=x onerror=alert(1)>" in page.locator("#live-results h1").inner_text()
    assert page.locator("main img").count() == 0


# -- reading: the current section, the query's matches, phones ------------------------------


def _current(page) -> list[str]:
    """The contents entries marked as the section being read."""
    return page.locator(".toc a[aria-current='location']").evaluate_all("links => links.map(a => a.hash)")


def test_the_contents_mark_the_section_being_read(page):
    page.goto(f"/notices/{SEED_NOTICE}/{SEED_FULL}#s2-1")
    expect(page.locator(".toc a[aria-current='location']")).to_have_count(1)
    assert _current(page) == ["#s2-1"]
    # scrolling on: the mark follows the heading that has passed the top of the screen (6 (1) has a long text,
    # so the next heading is still further down)
    page.locator("#s6-1").evaluate("h => window.scrollTo(0, window.scrollY + h.getBoundingClientRect().top - 5)")
    expect(page.locator(".toc a[href='#s6-1']")).to_have_attribute("aria-current", "location")
    assert _current(page) == ["#s6-1"]
    # following an entry of the contents marks it
    page.locator(".toc a[href='#s2-1']").click()
    expect(page.locator(".toc a[href='#s2-1']")).to_have_attribute("aria-current", "location")
    assert _current(page) == ["#s2-1"]


def test_headings_are_named_by_their_text_alone(page):
    page.goto(f"/notices/{SEED_NOTICE}/{SEED_FULL}")
    heading = page.get_by_role("heading", name="6 (1) Improve network and data security capabilities", exact=True)
    expect(heading).to_have_count(1)
    expect(page.get_by_role("link", name="section page of 6 (1)", exact=True)).to_have_attribute(
        "href", f"/notices/{SEED_NOTICE}/{SEED_FULL}/6.1"
    )
    names = page.locator(".doc-body h2, .doc-body h3").all_inner_texts()
    assert names and not [n for n in names if "section page" in n or "#" in n]


def test_arriving_from_a_result_steps_through_the_matches(page):
    page.goto("/search?q=submarine+cables")
    page.locator(".hit h2 a").first.click()
    page.wait_for_load_state("load")
    marks = page.locator(".doc-body mark")
    total = marks.count()
    assert total >= 2
    status = page.locator(".match-nav [role=status]")
    expect(status).to_have_text(f"{total} matches")
    nav = page.locator(".match-nav")
    # the bar stays on screen while reading, so the buttons are always at hand
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(nav).to_be_in_viewport()
    # the first step goes to the first match at or below the top of the screen: here the section's own
    page.goto(page.url)
    page.wait_for_load_state("load")
    first_below = page.evaluate(
        "() => [...document.querySelectorAll('.doc-body mark')].findIndex(m => m.getBoundingClientRect().top >= 0)"
    )
    page.get_by_role("button", name="Next match →").click()
    current = page.locator(".doc-body mark.current-match")
    expect(current).to_have_count(1)
    expect(current).to_be_in_viewport()
    expect(status).to_have_text(f"Match {first_below + 1} of {total}")
    assert current.evaluate("m => [...document.querySelectorAll('.doc-body mark')].indexOf(m)") == first_below
    page.get_by_role("button", name="← Previous match").click()
    expected = first_below if first_below > 0 else total
    expect(status).to_have_text(f"Match {expected} of {total}")
    expect(page.locator(".doc-body mark.current-match")).to_be_in_viewport()


def test_without_marked_words_there_is_no_match_control(page):
    page.goto(f"/notices/{SEED_NOTICE}/{SEED_FULL}")
    page.wait_for_load_state("load")
    expect(page.locator(".match-nav")).to_have_count(0)


def test_on_a_phone_the_first_result_starts_high(watched):
    page = watched.page(PHONE)
    for url in ("/search?q=submarine+cables", f"/search?q=data+centres&translation={SEED_TRANSLATIONS[1]}"):
        page.goto(url)
        top = _box(page, ".hit")["y"]
        assert top < PHONE["height"] * 0.4, f"{url}: the first result starts {top:.0f}px down"


def test_on_a_phone_the_contents_fold_and_the_text_comes_first(watched):
    page = watched.page(PHONE)
    page.goto(f"/notices/{SEED_NOTICE}/{SEED_FULL}")
    page.wait_for_load_state("load")
    fold = page.locator("details.toc-fold")
    expect(fold).not_to_have_attribute("open", "")
    assert _box(page, "details.toc-fold")["height"] < 60  # one line: "Contents"
    assert _box(page, ".doc-body p:not(.heading-links)")["y"] < PHONE["height"]  # text on the first screen
    # opened, an entry leads to its section and folds the contents away again
    fold.locator("summary").click()
    expect(page.locator(".toc a[href='#s6-1']")).to_be_visible()
    page.locator(".toc a[href='#s6-1']").click()
    expect(fold).not_to_have_attribute("open", "")
    assert _in_viewport(page, "s6-1")


def test_on_a_wide_screen_the_contents_stay_beside_the_text(page):
    page.goto(f"/notices/{SEED_NOTICE}/{SEED_FULL}")
    expect(page.locator(".toc a[href='#s6-1']")).to_be_visible()
    expect(page.locator("details.toc-fold > summary")).to_be_hidden()
    toc, body = _box(page, ".toc.side"), _box(page, ".document")
    assert toc["x"] + toc["width"] <= body["x"]


@pytest.mark.parametrize("width", [390, 830, 1280])
def test_the_issuers_never_become_a_long_column(watched, width):
    page = watched.page({"width": width, "height": 900})
    page.goto(f"/notices/{SEED_NOTICE}/{SEED_FULL}")
    issuers = page.locator(".meta dd.issuers-list")
    line = float(issuers.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    assert issuers.bounding_box()["height"] <= 5 * line, "eleven issuing bodies fold after the first two"


# -- screenshots --------------------------------------------------------------------------


def _overflowing(page) -> list[str]:
    """Elements whose right edge passes the viewport's (what makes a page scroll sideways), or that scroll inside."""
    return page.evaluate(
        """() => {
             const width = document.documentElement.clientWidth, out = [];
             for (const e of document.querySelectorAll('main *, header *')) {
               const r = e.getBoundingClientRect();
               if (r.width && r.right > width + 1) out.push(e.tagName + '.' + e.className + ' right=' + r.right);
               const s = getComputedStyle(e);
               if (['auto', 'scroll'].includes(s.overflowX) && e.scrollWidth > e.clientWidth + 1)
                 out.push(e.tagName + '.' + e.className + ' scrolls by ' + (e.scrollWidth - e.clientWidth));
             }
             return out; }"""
    )


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box


def _check_home(page, device: str) -> None:
    expect(page.locator(".facets")).to_be_visible()
    expect(page.locator(".facets .facet")).to_have_count(3)
    if device == "desktop":  # beside the list, on the first screen
        facets, notices = _box(page, ".facets"), _box(page, "ol.notices")
        assert facets["x"] + facets["width"] <= notices["x"] and facets["y"] < DESKTOP["height"]
    else:  # below the list, with a link to them at the top
        expect(page.locator(".to-facets")).to_be_visible()
        assert _box(page, ".facets")["y"] > _box(page, "ol.notices")["y"]


def _check_results(page, device: str) -> None:
    facets = page.locator(".facets .facet")
    expect(facets.first).to_be_visible()
    assert facets.count() == 5
    notice_facet = _facet(page, "Notice").locator("li a")
    assert notice_facet.count() == len(TOPICS["submarine cable"])  # facets from several notices
    if device == "desktop":
        box, hits = _box(page, ".facets"), _box(page, "ol.results")
        assert box["x"] + box["width"] <= hits["x"] and box["y"] < DESKTOP["height"]
    else:
        expect(page.locator(".to-facets")).to_be_visible()
    assert len({t for t in page.locator(".hit .hit-notice a").all_inner_texts()}) > 1


def _check_notice(page, device: str) -> None:
    expect(page.locator("h1")).to_have_text(SEED["title"])
    expect(page.locator("table.contents")).to_be_visible()
    table, main = _box(page, "table.contents"), _box(page, "main")
    assert table["x"] + table["width"] <= main["x"] + main["width"] + 1


def _check_section(page, device: str) -> None:
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("#citation")).to_be_visible()


def _check_compare(page, device: str) -> None:
    columns = page.locator(".compare .column")
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    if device == "desktop":
        assert abs(first["y"] - second["y"]) < 2
    else:
        assert second["y"] >= first["y"] + first["height"]


def _check_reading(page, device: str) -> None:
    assert _in_viewport(page, "s6-1")
    if device == "desktop":
        toc, body = _box(page, ".toc.side"), _box(page, ".document")
        assert toc["x"] + toc["width"] <= body["x"]


def _check_partial(page, device: str) -> None:
    assert _in_viewport(page, "s7-1")
    expect(page.locator(".lacks-note a")).to_be_visible()
    expect(page.locator(".match-nav")).to_be_visible()


def _check_no_results(page, device: str) -> None:
    expect(page.locator(".empty")).to_contain_text("Check the spelling")


def _check_missing_citation(page, device: str) -> None:
    expect(page.locator(".missing-citation")).to_contain_text("No translation of")


def _check_missing_section(page, device: str) -> None:
    expect(page.locator("ul.alternatives a").first).to_be_visible()


def _check_error(page, device: str) -> None:
    expect(page.locator("h1")).to_have_text("Bad Request")


SCREENS = [
    ("home", "/", _check_home),
    ("notice", f"/notices/{SEED_NOTICE}/", _check_notice),
    ("results", "/search?q=submarine+cables", _check_results),
    ("section", f"/notices/{SEED_NOTICE}/{SEED_FULL}/6.1", _check_section),
    (
        "section-other-notice",
        f"/notices/{UNIQUE_WORD_AT[0]}/{_notice(UNIQUE_WORD_AT[0]).translations[0]}/2.1",
        _check_section,
    ),
    ("compare", f"/notices/{SEED_NOTICE}/compare/6.1", _check_compare),
    ("reading", f"/notices/{SEED_NOTICE}/{SEED_FULL}#s6-1", _check_reading),
    ("reading-partial", f"/notices/{SEED_NOTICE}/{SEED_TRANSLATIONS[1]}?q=submarine+cables#s7-1", _check_partial),
    ("no-results", "/search?q=zzxqvw", _check_no_results),
    ("missing-citation", f"/search?q=1.1&notice={SEED_NOTICE}", _check_missing_citation),
    ("missing-section", f"/notices/{SEED_NOTICE}/{SEED_TRANSLATIONS[1]}/2.1", _check_missing_section),
    ("error", "/search?q=cables&page=0", _check_error),
]


@pytest.mark.parametrize("device,viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots_and_layout(watched, device, viewport):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    watched.expect_error("status of 40")  # the 404 and 400 pages are among the screens
    page = watched.page(viewport)
    for name, url, check in SCREENS:
        page.goto(url)
        page.wait_for_load_state("load")
        path = ARTIFACTS / f"{name}-{device}.png"  # taken first, so that a failure below can be looked at
        page.screenshot(path=str(path), full_page=not name.startswith("reading"))
        # nothing wider than the screen: no sideways scrolling, of the page or of a part of it
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} at {device} width scrolls sideways by {overflow}px"
        assert _overflowing(page) == [], f"{name} at {device} width"
        check(page, device)
        assert path.stat().st_size > 1000


# -- the real server ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw_path",
    [
        "/static/../pyproject.toml",
        "/static/../../../../etc/passwd",
        "/doc/../pyproject.toml",
        "/static/%2e%2e/pyproject.toml",
    ],
)
def test_real_server_does_not_serve_files_outside_static(server, raw_path):
    """Sent as written (http.client does not normalise dots), to waitress itself."""
    host, port = server.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        connection.request("GET", raw_path)
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
    finally:
        connection.close()
    assert response.status == 404, (raw_path, response.status)
    assert "[project]" not in body and "root:" not in body
