"""End to end in a real headless browser: the real server (`kb serve`), Debian's Chromium, Playwright.

Every page visited is watched for console errors, uncaught exceptions and
dialogs (an alert would mean injected script ran); a test fails if any occur.
Screenshots of the main pages at desktop and phone widths go to tests/artifacts/.
"""

from __future__ import annotations

import http.client
import re
import shutil
from pathlib import Path

import pytest
from serving import kb_serve

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium")
if CHROMIUM is None:
    pytest.skip(
        "end-to-end tests need Chromium on PATH (/usr/bin/chromium: apt install chromium)", allow_module_level=True
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="end-to-end tests need Playwright for Python")
expect = sync_api.expect
# Note: page.wait_for_function("...") polls with eval(), which the site's CSP (rightly) forbids;
# expect() and locators poll without it.

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def server(corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    """`kb serve` on a free port over the test corpus, with its own index (built by the command)."""
    index = tmp_path_factory.mktemp("browser-index")
    log_path = tmp_path_factory.mktemp("browser-server") / "server.log"
    with kb_serve(index, corpus, log_path) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class Watched:
    """Opens browser contexts whose pages report console errors, page errors and dialogs."""

    def __init__(self, browser, base: str) -> None:
        self.browser, self.base = browser, base
        self.problems: list[str] = []
        self.contexts = []

    def page(self, viewport: dict | None = None, **options):
        context = self.browser.new_context(viewport=viewport or DESKTOP, base_url=self.base, **options)
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.problems.append(f"page error on {page.url}: {e}"))
        page.on("dialog", self._dialog)
        return page

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error at {message.location.get('url')}: {message.text}")

    def _dialog(self, dialog) -> None:
        self.problems.append(f"dialog ({dialog.type}): {dialog.message}")
        dialog.dismiss()

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture()
def watched(browser, server):
    w = Watched(browser, server)
    yield w
    w.close()
    if w.problems:
        pytest.fail("the browser reported problems:\n" + "\n".join(w.problems), pytrace=False)


@pytest.fixture()
def page(watched):
    return watched.page()


def _type_query(page, text: str) -> None:
    page.click("#q")
    page.keyboard.type(text, delay=30)


def _in_viewport(page, element_id: str) -> bool:
    return page.evaluate(
        """id => { const r = document.getElementById(id).getBoundingClientRect();
                   return r.top >= 0 && r.top < window.innerHeight && r.bottom > 0; }""",
        element_id,
    )


SEARCH_URL = re.compile(r"/search\?q=submarine(%20|\+)cables$")


# -- searching ----------------------------------------------------------------------------


def test_results_appear_as_you_type(page):
    page.goto("/")
    _type_query(page, "submarine cables")
    page.wait_for_selector("#live-results .hit")
    page.wait_for_url(SEARCH_URL)
    # no form submission: still the home page's document, with its contents lists
    assert page.locator("article.notice").count() >= 1
    hits = page.locator("#live-results .hit")
    assert hits.first.locator(".sid").inner_text() == "7.1"
    assert hits.first.locator("mark").count() >= 1
    assert "submarine cables" in page.locator("#live-results h1").inner_text()
    assert page.title().startswith("submarine cables")
    assert page.input_value("#q") == "submarine cables"


def test_following_a_result_opens_the_section(page):
    page.goto("/")
    _type_query(page, "submarine cables")
    page.wait_for_selector("#live-results .hit")
    page.locator("#live-results .hit h2 a").first.click()
    page.wait_for_url(re.compile(r"/doc/(full|gmt)\?q=submarine(%20|\+)cables#s7-1$"))
    page.wait_for_load_state("load")
    assert page.evaluate("location.hash") == "#s7-1"
    assert page.locator("#s7-1").is_visible()
    assert _in_viewport(page, "s7-1")
    assert page.locator(".doc-body mark").count() >= 1


def test_server_rendered_results_link_to_the_section_too(page):
    page.goto("/search?q=submarine+cables")
    page.locator(".hit h2 a").first.click()
    page.wait_for_url(re.compile(r"#s7-1$"))
    page.wait_for_load_state("load")
    assert _in_viewport(page, "s7-1")


def test_slash_focuses_the_search_box(page):
    page.goto("/doc/full/6.1")
    assert page.evaluate("document.activeElement === document.body")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    assert page.input_value("#q") == ""  # the "/" itself is not typed
    page.keyboard.press("/")  # in the box, it is just a character
    assert page.input_value("#q") == "/"


def test_back_button_restores_the_previous_query(page):
    page.goto("/")
    _type_query(page, "submarine cables")
    page.wait_for_url(SEARCH_URL)
    page.wait_for_selector("#live-results .hit")
    page.keyboard.press("Control+A")
    page.keyboard.type("satellite", delay=30)
    page.wait_for_url(re.compile(r"/search\?q=satellite$"))
    expect(page.locator("#live-results h1")).to_contain_text("satellite")
    page.go_back()
    page.wait_for_url(SEARCH_URL)
    expect(page.locator("#q")).to_have_value("submarine cables")
    expect(page.locator("#live-results h1")).to_contain_text("submarine cables")


def test_without_javascript_the_form_still_works(watched):
    page = watched.page(java_script_enabled=False)
    page.goto("/")
    page.fill("#q", "submarine cables")
    page.press("#q", "Enter")
    page.wait_for_url(SEARCH_URL)
    assert page.locator(".hit").count() >= 1
    assert page.locator(".hit .sid").first.inner_text() == "7.1"
    page.goto("/doc/full/6.1")
    assert page.locator("#citation").is_visible()
    assert not page.locator("button.copy").is_visible()  # needs the script


# -- reading ------------------------------------------------------------------------------


def test_compare_shows_both_columns(page):
    page.goto("/compare/6.1")
    columns = page.locator(".compare .column")
    assert columns.count() == 2
    assert columns.nth(0).locator("h2").inner_text() == "Full translation"
    assert columns.nth(1).locator("h2").inner_text().startswith("GMT Eight translation")
    assert "maturity assessments" in columns.nth(0).inner_text()
    assert "network security maturity" in columns.nth(1).inner_text()
    left, right = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert abs(left["y"] - right["y"]) < 2 and right["x"] >= left["x"] + left["width"]  # side by side


def test_compare_stacks_on_a_phone(watched):
    page = watched.page(PHONE)
    page.goto("/compare/6.1")
    columns = page.locator(".compare .column")
    top, bottom = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert bottom["y"] >= top["y"] + top["height"]


def test_copy_citation(watched):
    page = watched.page(permissions=["clipboard-read", "clipboard-write"])
    page.goto("/doc/full/6.1")
    button = page.locator("button.copy")
    assert button.is_visible()
    button.click()
    expect(button).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#citation").inner_text().strip()
    assert "MIIT Communications [2024] No. 165, section 6 (1)" in copied and copied.endswith("/doc/full/6.1")


def test_hostile_document_runs_nothing(page):
    for url in ["/doc/zz-hostile", "/doc/zz-hostile/1.1", "/search?q=script", "/doc/zz-hostile?q=img+onerror"]:
        page.goto(url)
        assert page.locator("main img, main b").count() == 0
        assert page.locator("script").count() == 1
        assert "<script>alert(1)</script>" in page.locator("main").inner_text() or "img" in url
    page.goto("/")
    _type_query(page, "<img src=x onerror=alert(1)>")
    page.wait_for_selector("#live-results .hit")
    assert "<img src=x onerror=alert(1)>" in page.locator("#live-results h1").inner_text()
    assert page.locator("main img").count() == 0


# -- screenshots --------------------------------------------------------------------------

SCREENS = [
    ("home", "/"),
    ("results", "/search?q=submarine+cables"),
    ("document", "/doc/full#s6-1"),
    ("section", "/doc/full/6.1"),
    ("compare", "/compare/6.1"),
]


@pytest.mark.parametrize("device,viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots_and_layout(watched, device, viewport):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = watched.page(viewport)
    for name, url in SCREENS:
        page.goto(url)
        page.wait_for_load_state("load")
        # nothing wider than the screen: no sideways scrolling
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} at {device} width scrolls sideways by {overflow}px"
        path = ARTIFACTS / f"{name}-{device}.png"
        page.screenshot(path=str(path), full_page=name != "document")
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
