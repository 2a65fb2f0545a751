"""axe-core, the accessibility checker, on every kind of page at desktop and phone widths: zero violations.

axe-core is an npm package: ``.ci/run`` installs it into a cache outside the
clone (``KB_AXE_DIR``, by default ``~/.cache/policy-kb/axe``); where it is not
installed these tests are skipped with a reason. It is injected into each page
of a browser context that bypasses the site's Content Security Policy (the
policy rightly refuses any script that is not the site's own).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from browsing import VIEWPORTS, require
from library import MOF, SEED_NOTICE

pytestmark = pytest.mark.browser

#: Where .ci/run installs axe-core (npm install --prefix DIR axe-core).
AXE_DIR = Path(
    os.environ.get("KB_AXE_DIR")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "policy-kb" / "axe"
)
AXE = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
sync_api = require("accessibility tests")
if not AXE.is_file():
    pytest.skip(
        f"accessibility tests need axe-core at {AXE} (npm install --prefix {AXE_DIR} axe-core@4; .ci/run does it)",
        allow_module_level=True,
    )
#: Every kind of page, by name: (address, HTTP status).
PAGES = {
    "home": ("/", 200),
    "home-filtered": (f"/?issuer=Ministry+of+Finance&year={MOF.year}", 200),
    "results-with-facets": ("/search?q=submarine+cables", 200),
    "results-filtered": ("/search?q=data+centres&translation=gmt", 200),
    "no-results": ("/search?q=zzxqvw", 200),
    "missing-citation": (f"/search?q=1.1&notice={SEED_NOTICE}", 200),
    "notice": (f"/notices/{SEED_NOTICE}/", 200),
    "reading": (f"/notices/{SEED_NOTICE}/full", 200),
    "reading-from-a-result": (f"/notices/{SEED_NOTICE}/gmt?q=submarine+cables#s7-1", 200),
    "section": (f"/notices/{SEED_NOTICE}/full/6.1", 200),
    "section-front-matter": (f"/notices/{SEED_NOTICE}/gmt/front", 200),
    "compare": (f"/notices/{SEED_NOTICE}/compare/6.1", 200),
    "compare-lacking": (f"/notices/{SEED_NOTICE}/compare/2.1", 200),
    "not-found": ("/notices/no-such-notice/", 404),
    "missing-section": (f"/notices/{SEED_NOTICE}/gmt/2.1", 404),
    "error": ("/search?q=cables&page=0", 400),
}


def _violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now (every rule axe runs by default, best practices too)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


def _describe(violations: list[dict]) -> str:
    return json.dumps(
        [{"rule": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in violations],
        indent=1,
    )


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_every_kind_of_page_has_no_accessibility_violations(browser, server, device):
    context = browser.new_context(viewport=VIEWPORTS[device], base_url=server, bypass_csp=True)
    try:
        page = context.new_page()
        found = {}
        for name, (url, status) in PAGES.items():
            response = page.goto(url)
            assert response is not None and response.status == status, (name, url)
            page.wait_for_load_state("load")
            violations = _violations(page)
            if violations:
                found[name] = _describe(violations)
        assert not found, "\n".join(f"{name} at {device} width:\n{text}" for name, text in found.items())
    finally:
        context.close()


def test_phone_pages_with_their_folds_open_have_no_violations(browser, server):
    """What a phone hides behind a fold (the contents of a reading page, the facets' "more") is checked open."""
    context = browser.new_context(viewport=VIEWPORTS["phone"], base_url=server, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(f"/notices/{SEED_NOTICE}/full")
        page.locator("details.toc-fold > summary").click()
        page.locator(".more-issuers > summary").click()
        assert _violations(page) == [], _describe(_violations(page))
    finally:
        context.close()


def test_a_violation_is_reported(browser, server):
    """The check can fail: a page given two unnamed navigation landmarks of one label is caught."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"], base_url=server, bypass_csp=True)
    try:
        page = context.new_page()
        page.goto("/")
        page.evaluate(
            """() => { for (let i = 0; i < 2; i++) {
                 const nav = document.createElement('nav'); nav.setAttribute('aria-label', 'Same');
                 nav.textContent = 'x'; document.querySelector('main').appendChild(nav); } }"""
        )
        assert "landmark-unique" in {v["id"] for v in _violations(page)}
    finally:
        context.close()
