"""Copying a citation in a real browser, where the clipboard API works and where it does not.

Chromium gives ``navigator.clipboard`` only to a secure context: https, or a
loopback address such as 127.0.0.1. A reader on a LAN reaches the site by a
plain-http host name, where it is missing. Both are real here: the same
server is opened as http://127.0.0.1:PORT (secure) and as http://kb.lan:PORT,
a name Chromium resolves to 127.0.0.1 (``--host-resolver-rules``) and treats
as insecure, as it would a LAN host.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from browsing import ARTIFACTS, TIMEOUT_MS, VIEWPORTS, launched, require
from serving import kb_serve

pytestmark = pytest.mark.browser

sync_api = require("end-to-end tests")
expect = sync_api.expect

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
LAN_HOST = "kb.lan"
SECTION = "/notices/miit-2024-165/gmt/5.1"


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory):
    """`kb serve` over the seeds, with no public address configured (the case the fallback is for)."""
    index = tmp_path_factory.mktemp("cite-browser-index")
    log = tmp_path_factory.mktemp("cite-browser-server") / "server.log"
    with kb_serve(index, SEEDS, log) as p:
        yield p


@pytest.fixture(scope="module")
def browser():
    """This module's Chromium resolves LAN_HOST to the loopback address: the site reached by a LAN name."""
    with launched([f"--host-resolver-rules=MAP {LAN_HOST} 127.0.0.1"]) as chromium:
        yield chromium


@pytest.fixture()
def open_page(browser):
    """open_page(url, **context options) -> page; fails the test on any console error or page error."""
    contexts, problems = [], []

    def open_(url: str, **options):
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(url)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not problems, problems


def test_in_a_secure_context_the_copy_button_copies_the_citation(open_page, port):
    page = open_page(f"http://127.0.0.1:{port}{SECTION}", permissions=["clipboard-read", "clipboard-write"])
    assert page.evaluate("window.isSecureContext")
    button = page.locator("button[data-cite-copy]")
    expect(button).to_be_visible()
    button.click()
    expect(button).to_have_text("Copied")
    expect(page.locator(".cite-status")).to_have_text("Citation copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#citation").inner_text().strip()
    assert copied.endswith(f"http://127.0.0.1:{port}{SECTION}") and ", retrieved " in copied


def test_without_a_secure_context_a_click_selects_the_citation_for_ctrl_c(open_page, port):
    page = open_page(f"http://{LAN_HOST}:{port}{SECTION}")
    assert not page.evaluate("window.isSecureContext")
    assert page.evaluate("navigator.clipboard === undefined")  # the API really is missing here
    expect(page.locator("button[data-cite-copy]")).to_be_hidden()
    hint = page.locator("#cite-hint")
    expect(hint).to_be_visible()
    assert "Ctrl+C" in hint.inner_text()
    citation = page.locator("#citation")
    text = citation.inner_text().strip()
    assert text.endswith(f"http://{LAN_HOST}:{port}{SECTION}")
    # one click selects the whole citation ...
    citation.click(position={"x": 5, "y": 5})
    assert page.evaluate("window.getSelection().toString().trim()") == text
    # ... and Ctrl+C copies what is selected (the copy event carries exactly the citation)
    page.evaluate("document.addEventListener('copy', () => { window.copiedText = window.getSelection().toString(); })")
    page.keyboard.press("Control+C")
    assert page.evaluate("window.copiedText").strip() == text
    # the keyboard gets there too: focus selects it
    citation.blur()
    page.evaluate("window.getSelection().removeAllRanges()")
    citation.focus()
    assert page.evaluate("window.getSelection().toString().trim()") == text


def test_without_javascript_the_citation_is_still_selectable_and_the_formats_download(open_page, port):
    page = open_page(f"http://{LAN_HOST}:{port}{SECTION}", java_script_enabled=False)
    expect(page.locator("#cite-hint")).to_be_visible()
    expect(page.locator("button[data-cite-copy]")).to_be_hidden()
    with page.expect_download() as info:
        page.locator(".cite-formats a", has_text="RIS").click()
    assert info.value.suggested_filename == "miit-2024-165-gmt-5.1.ris"
    assert "TY  - GOVDOC" in Path(info.value.path()).read_text(encoding="utf-8")


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_screenshots_of_citing_and_provenance(open_page, port, device):
    """The section page's citation block and the restored translation's reading page, to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    for name, path in (
        ("cite-section", SECTION),
        ("cite-restored-section", "/notices/miit-2024-165/full/6.1"),
        ("cite-reading", "/notices/miit-2024-165/full"),
        ("cite-notice", "/notices/miit-2024-165/"),
    ):
        page = open_page(f"http://127.0.0.1:{port}{path}", viewport=VIEWPORTS[device])
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORTS[device]["width"], f"{path} scrolls sideways at {device} width ({width}px)"
        page.screenshot(path=str(ARTIFACTS / f"{name}-{device}.png"), full_page=name != "cite-reading")
