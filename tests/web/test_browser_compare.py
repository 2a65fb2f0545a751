"""The compare page in a real headless browser: the differences toggle (with and without the script), the
section picker, what a screen reader is given, and the layout at desktop and phone widths (screenshots go to
tests/artifacts/compare-*.png)."""

from __future__ import annotations

import re

import pytest
from browsing import ARTIFACTS, DESKTOP, PHONE, require
from library import SEED_NOTICE

pytestmark = pytest.mark.browser
expect = require("end-to-end tests").expect

COMPARE = f"/notices/{SEED_NOTICE}/compare"


def _background(page, selector: str) -> str:
    return page.locator(selector).first.evaluate("e => getComputedStyle(e).backgroundColor")


def _spoken_before(page, selector: str) -> str:
    """The words a screen reader is given before a mark: its ::before content."""
    return page.locator(selector).first.evaluate("e => getComputedStyle(e, '::before').content")


def test_the_toggle_hides_and_shows_the_differences_without_a_reload(watched):
    page = watched.page()
    page.goto(COMPARE + "/6.1")
    columns = page.locator("#compare-columns")
    button = page.locator("button.diff-toggle")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator("a.diff-toggle")).to_have_count(0)  # the script made the link a button
    changed = "#compare-columns mark.diff-changed"
    marked_colour = _background(page, changed)
    assert marked_colour not in ("rgba(0, 0, 0, 0)", "transparent")
    assert _spoken_before(page, changed) == '" [worded differently: "'
    assert _spoken_before(page, "#compare-columns mark.diff-only") == '" [only in this translation: "'
    page.evaluate("window.loadedOnce = true")
    history = page.evaluate("history.length")

    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(columns).to_have_class(re.compile(r"\bno-diff\b"))
    assert _background(page, changed) == "rgba(0, 0, 0, 0)"
    assert _spoken_before(page, changed) == "none"  # nothing said about differences that are not shown
    expect(page.locator(".diff-legend .diff-off")).to_be_visible()
    assert page.url.endswith(COMPARE + "/6.1?diff=0")
    assert page.evaluate("window.loadedOnce") is True and page.evaluate("history.length") == history
    assert page.locator(".pager a[rel=next]").get_attribute("href").endswith("/6.2?diff=0")

    # the choice follows the reader to the next section
    page.locator(".pager a[rel=next]").click()
    page.wait_for_url(re.compile(r"/compare/6\.2\?diff=0$"))
    expect(page.locator("button.diff-toggle")).to_have_attribute("aria-pressed", "false")
    page.locator("button.diff-toggle").click()
    expect(page.locator("#compare-columns")).not_to_have_class(re.compile(r"\bno-diff\b"))
    assert page.url.endswith(COMPARE + "/6.2")
    assert page.locator(".pager a[rel=prev]").get_attribute("href").endswith("/compare/6.1")


def test_without_the_script_the_toggle_is_a_link(watched):
    page = watched.page(java_script_enabled=False)
    page.goto(COMPARE + "/6.1")
    changed = "#compare-columns mark.diff-changed"
    assert _background(page, changed) != "rgba(0, 0, 0, 0)"
    page.get_by_role("link", name="Hide the differences").click()
    page.wait_for_url(re.compile(r"/compare/6\.1\?diff=0$"))
    assert _background(page, changed) == "rgba(0, 0, 0, 0)"
    page.get_by_role("link", name="Mark the differences").click()
    page.wait_for_url(re.compile(r"/compare/6\.1$"))
    assert _background(page, changed) != "rgba(0, 0, 0, 0)"


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_the_picker_opens_the_section_chosen(watched, script):
    page = watched.page(java_script_enabled=script)
    page.goto(COMPARE + "/6.1?diff=0")
    page.get_by_label("Section", exact=True).select_option("7.1")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url(re.compile(r"/compare/7\.1\?diff=0$"))
    expect(page.locator("h1")).to_contain_text("7 (1)")
    expect(page.get_by_label("Section", exact=True)).to_have_value("7.1")
    # a section one translation lacks: the column says so and links to where it is
    page.get_by_label("Section", exact=True).select_option("2.1")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url(re.compile(r"/compare/2\.1\?diff=0$"))
    missing = page.locator(".column .missing")
    expect(missing).to_contain_text("does not include section 2 (1)")
    missing.get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/notices/{SEED_NOTICE}/full/2\.1$"))


@pytest.mark.parametrize("device,viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_the_columns_and_their_marks_fit_the_screen(watched, device, viewport):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = watched.page(viewport)
    page.goto(COMPARE + "/6.1")
    page.screenshot(path=str(ARTIFACTS / f"compare-diff-{device}.png"), full_page=True)
    first, second = (page.locator(".compare .column").nth(i).bounding_box() for i in (0, 1))
    if device == "desktop":
        assert abs(first["y"] - second["y"]) < 2  # side by side
    else:
        assert second["y"] >= first["y"] + first["height"]  # stacked
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    width = page.evaluate("document.documentElement.clientWidth")
    for box in page.locator(".compare mark.diff, .compare-tools select, .compare-tools button").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().right)"
    ):
        assert box <= width + 1
    page.locator("button.diff-toggle").click()
    page.screenshot(path=str(ARTIFACTS / f"compare-plain-{device}.png"), full_page=True)
