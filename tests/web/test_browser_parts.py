"""Parts of a notice and a third level in a real browser (`kb serve`, Debian's Chromium): the contents follow
the reader into an attachment and down to the third level, anchors of sections in parts open and are
highlighted, and the pages fit a phone. Screenshots go to tests/artifacts/parts-*.png at desktop and phone
widths, to look at."""

from __future__ import annotations

import pytest
from browsing import ARTIFACTS, VIEWPORTS, require
from parts_corpus import NOTICE, THIRD_WORD
from serving import kb_serve

pytestmark = pytest.mark.browser

sync_api = require("end-to-end tests")
expect = sync_api.expect

FULL = f"/notices/{NOTICE}/full"


@pytest.fixture(scope="module")
def server(parts_dir, parts_build, tmp_path_factory: pytest.TempPathFactory):
    log_path = tmp_path_factory.mktemp("parts-server") / "server.log"
    with kb_serve(parts_build.parent, parts_dir, log_path) as port:
        yield f"http://127.0.0.1:{port}"


def _current(page) -> list[str]:
    return page.locator(".toc a[aria-current='location']").evaluate_all("links => links.map(a => a.hash)")


def _scroll_to(page, anchor: str) -> None:
    page.locator(f"#{anchor}").evaluate("h => window.scrollTo(0, window.scrollY + h.getBoundingClientRect().top - 5)")


#: A short screen: the test notice is short, and a heading is marked once it can be scrolled to the screen's top.
SHORT = {"width": 1280, "height": 360}


def test_the_contents_follow_the_reader_into_a_part_and_its_third_level(watched):
    page = watched.page(SHORT)
    page.goto(f"{FULL}#a1-s2-2-1")
    expect(page.locator(".toc a[href='#a1-s2-2-1']")).to_have_attribute("aria-current", "location")
    assert _current(page) == ["#a1-s2-2-1"]
    # the heading of the part is a place of its own, and the second part's only section is marked when reached
    page.locator(".toc a[href='#a2-front']").click()
    expect(page.locator(".toc a[href='#a2-front']")).to_have_attribute("aria-current", "location")
    _scroll_to(page, "s1-1-2")
    expect(page.locator(".toc a[href='#s1-1-2']")).to_have_attribute("aria-current", "location")
    assert _current(page) == ["#s1-1-2"]


def test_a_query_is_marked_in_a_part_and_its_heading_links_to_the_section_page(page):
    page.goto(f"{FULL}?q={THIRD_WORD}#a1-s2-2-1")
    expect(page.locator(".doc-body mark").first).to_have_text(THIRD_WORD)
    page.locator("#a1-s2-2-1 + .heading-links a.section-link").click()
    expect(page).to_have_url(f"{page.url.split('/notices/')[0]}{FULL}/a1/2.2.1")
    expect(page.locator("h1")).to_contain_text("Updating catalogues")


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_screenshots_of_parts_at_desktop_and_phone_widths(watched, device):
    page = watched.page(VIEWPORTS[device])
    for name, path in [
        ("reading", f"{FULL}#a1-front"),
        ("section", f"{FULL}/a1/2.2.1"),
        ("notice", f"/notices/{NOTICE}/"),
        ("compare", f"/notices/{NOTICE}/compare/a1/2.2"),
    ]:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} at {device} is {overflow}px wider than the screen"
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"parts-{name}-{device}.png"), full_page=name != "reading")


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_pages_of_parts_have_no_accessibility_violations(browser, server, device):
    """axe-core (as tests/web/test_accessibility.py runs it) on the pages of a notice with parts and a third level:
    the nested contents, the part's headings (h2 to h5 in order), the breadcrumbs and the compare page."""
    import json
    import os
    from pathlib import Path

    base = os.environ.get("KB_AXE_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    axe = Path(base) / ("" if os.environ.get("KB_AXE_DIR") else "policy-kb/axe") / "node_modules/axe-core/axe.min.js"
    if not axe.is_file():
        pytest.skip(f"accessibility checks need axe-core at {axe} (.ci/run installs it)")
    context = browser.new_context(viewport=VIEWPORTS[device], base_url=server, bypass_csp=True)
    try:
        page = context.new_page()
        found = {}
        for path in (
            FULL,
            f"{FULL}/a1/2.2.1",
            f"{FULL}/a1/front",
            f"/notices/{NOTICE}/",
            f"/notices/{NOTICE}/compare/a1/2.2",
        ):
            page.goto(path)
            page.add_script_tag(path=str(axe))
            violations = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")[
                "violations"
            ]
            if violations:
                found[path] = json.dumps(
                    [{"rule": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in violations]
                )
        assert not found, found
    finally:
        context.close()
