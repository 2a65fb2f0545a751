"""Live results in a real browser: filters kept, one history entry per typing burst, the word being typed
matched as a prefix, only the count announced, and the same results as the page at the same address.

The server, browser and watched pages are tests/web/test_browser.py's (a module of its own here, so a server
of its own): any console error, page error or dialog fails a test.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from browsing import ARTIFACTS, DESKTOP, PHONE
from library import MOF, NOTICES, SEED_NOTICE
from test_browser import CABLES, SEED, SHARED_ISSUER, _overflowing, _type_query, expect

pytestmark = pytest.mark.browser

#: More than one page of results among the shared issuer's notices, newest first.
FILTERED = f"/search?q=information&issuer={SHARED_ISSUER.replace(' ', '+')}&sort=date"


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _results_html(page) -> str:
    """The results part of the page as the browser holds it (the fragment's root element)."""
    return page.locator("#live-results > .results-body").evaluate("e => e.outerHTML")


def _wait_for_query(page, q: str) -> None:
    """Wait until the live results (and the address) are those of ``q``."""
    expect(page.locator("#live-results h1")).to_contain_text(q)
    page.wait_for_url(lambda url: _params(url).get("q") == [q])


def _retype(page, q: str) -> None:
    page.click("#q")
    page.keyboard.press("Control+A")
    page.keyboard.type(q, delay=30)
    _wait_for_query(page, q)


def test_live_results_keep_the_filters_and_order_and_start_at_page_one(page):
    page.goto(FILTERED + "&page=2")
    expect(page.locator(".pager")).to_contain_text("Page 2")
    _retype(page, "construction")
    params = _params(page.url)
    assert params == {"q": ["construction"], "issuer": [SHARED_ISSUER], "sort": ["date"], "prefix": ["1"]}
    results = page.locator("#live-results")
    # the filter is said, chosen in its facet, and holds for every result; the order is the one chosen
    expect(results.locator("p.filters")).to_contain_text(SHARED_ISSUER)
    expect(results.locator(".facets .facet")).to_have_count(5)
    issuer_facet = results.locator(".facet", has=page.locator("h2", has_text="Issued by"))
    expect(issuer_facet.locator("strong[aria-current]")).to_have_text(SHARED_ISSUER)
    expect(results.locator(".sort strong")).to_have_text("newest first")
    expect(results.locator(".pager")).to_contain_text("Page 1 of")
    notices = {t.strip() for t in results.locator(".hit .hit-notice a").all_inner_texts()}
    assert notices and notices <= {n.title for n in NOTICES if SHARED_ISSUER in n.issuers} | {SEED["title"]}


def test_a_filter_chosen_on_the_home_page_holds_for_live_results(page):
    page.goto(f"/?issuer={MOF.issuers[0].replace(' ', '+')}")
    _type_query(page, "cables")
    _wait_for_query(page, "cables")
    assert _params(page.url)["issuer"] == [MOF.issuers[0]]
    expect(page.locator("#live-results p.filters")).to_contain_text(MOF.issuers[0])


def test_one_history_entry_per_typing_burst(page):
    page.goto("/")
    before = page.evaluate("history.length")
    page.click("#q")
    for typed, q in (("subm", "subm"), ("arine", "submarine"), (" cab", "submarine cab")):
        page.keyboard.type(typed, delay=30)
        _wait_for_query(page, q)  # each pause settled: results shown, the address replaced
    assert page.evaluate("history.length") == before + 1
    expect(page.locator("ol.notices")).to_be_hidden()  # the results take the list's place (one h1, one set of facets)
    expect(page.locator("#live-results h1")).to_have_count(1)
    expect(page.locator("h1:visible")).to_have_count(1)
    shown = _results_html(page)

    page.go_back()  # one Back leaves the query: the home page as it was
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator("ol.notices")).to_be_visible()
    expect(page.locator("#live-results")).to_be_empty()
    expect(page.locator("#q")).to_have_value("")
    expect(page.locator("#live-status")).to_have_text("")

    page.go_forward()  # and Forward brings the query and its results back
    _wait_for_query(page, "submarine cab")
    expect(page.locator("#q")).to_have_value("submarine cab")
    expect(page.locator("ol.notices")).to_be_hidden()
    assert _results_html(page) == shown


def test_back_restores_a_submitted_query_and_its_results(page):
    page.goto(f"/search?q={CABLES.replace(' ', '+')}")
    submitted = _results_html(page)
    _retype(page, "tidal")
    page.go_back()
    page.wait_for_url(re.compile(r"/search\?q=submarine\+cables$"))
    expect(page.locator("#q")).to_have_value(CABLES)
    expect(page.locator("#live-results h1")).to_contain_text(CABLES)
    assert _results_html(page) == submitted


def test_the_word_being_typed_matches_as_a_prefix(page):
    page.goto("/")
    _type_query(page, "submar")
    _wait_for_query(page, "submar")
    assert _params(page.url)["prefix"] == ["1"]
    results = page.locator("#live-results")
    expect(results.locator(".hit").first).to_be_visible()
    assert "submarine" in {m.lower() for m in results.locator(".hit mark").all_inner_texts()}
    expect(results.locator(".prefix-note")).to_contain_text("submarine")
    # submitted, the query means what it says
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=submar$"))
    assert "submarine" not in {m.lower() for m in page.locator(".hit mark").all_inner_texts()}
    expect(page.locator(".prefix-note")).to_have_count(0)


def test_only_the_count_is_announced(page):
    page.goto("/")
    status = page.locator("#live-status")
    assert status.get_attribute("role") == "status"
    _type_query(page, CABLES)
    _wait_for_query(page, CABLES)
    total = page.locator("#live-results .total").inner_text()
    assert re.fullmatch(r"\d+ sections in 3 notices\.", total)
    expect(status).to_have_text(total)
    _retype(page, "tidal")
    expect(status).to_have_text("1 section in 1 notice.")
    # no live region holds the results: not the container, nor anything around or inside it
    live = page.evaluate(
        """() => Array.from(document.querySelectorAll('[aria-live], [role=status], [role=alert], [role=log]'))
                 .map(e => e.id || e.tagName)"""
    )
    assert live == ["live-status"]
    assert status.evaluate("e => e.children.length") == 0
    box = status.bounding_box()  # heard, not seen: the count is shown above the results
    assert box is not None and box["width"] <= 1 and box["height"] <= 1


@pytest.mark.parametrize(
    "start,q",
    [("/", CABLES), (FILTERED, "security"), (f"/search?q=x&notice={SEED_NOTICE}&translation=gmt", "network secur")],
)
def test_live_results_are_the_page_at_their_address(page, start, q):
    """A link copied from the address bar shows what live results showed: the same HTML, from one template."""
    page.goto(start)
    _retype(page, q)
    live = _results_html(page)
    title = page.title()
    page.goto(page.url)
    assert _results_html(page) == live
    assert page.title() == title


@pytest.mark.parametrize("device,viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_live_results_screenshots(watched, device, viewport):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = watched.page(viewport)
    page.goto(FILTERED)
    _retype(page, "netw")
    page.screenshot(path=str(ARTIFACTS / f"live-results-{device}.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / f"live-results-{device}-first-screen.png"))
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert _overflowing(page) == []
    expect(page.locator("#live-results .facets")).to_be_visible()
    expect(page.locator("#live-results .prefix-note")).to_be_visible()
    page.goto("/")
    _type_query(page, "submar")
    _wait_for_query(page, "submar")
    page.screenshot(path=str(ARTIFACTS / f"live-results-home-{device}.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / f"live-results-home-{device}-first-screen.png"))
    assert _overflowing(page) == []
