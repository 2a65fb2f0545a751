"""Chinese text in a real browser (`kb serve`, Debian's Chromium): the font stack it is drawn with, on screen
and in print, and pages that fit a phone's width.

The checks read the font stack the page declares for each text (its computed ``font-family``), which does
not depend on the fonts installed; screenshots of the reading and section pages of the Chinese original go
to tests/artifacts/ at desktop and phone widths, to look at (with fonts-noto-cjk installed the glyphs are
Noto Sans CJK SC).
"""

from __future__ import annotations

import pytest
from browsing import ARTIFACTS, VIEWPORTS, require
from chinese_corpus import NOTICE, write_chinese_corpus
from serving import kb_serve

pytestmark = pytest.mark.browser

sync_api = require("end-to-end tests")

#: The first Chinese family of the stacks (style.css): what a zh text asks for first, an English text after Latin.
SANS_CJK, SERIF_CJK = '"Noto Sans CJK SC"', '"Noto Serif CJK SC"'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    corpus = write_chinese_corpus(tmp_path_factory.mktemp("chinese-corpus"))
    log_path = tmp_path_factory.mktemp("chinese-server") / "server.log"
    with kb_serve(tmp_path_factory.mktemp("chinese-index"), corpus, log_path) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture()
def open_page(browser, server):
    contexts = []

    def open_(path: str, device: str = "desktop"):
        context = browser.new_context(viewport=VIEWPORTS[device], base_url=server)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(path)
        assert not errors, errors
        return page

    yield open_
    for context in contexts:
        context.close()


def _family(page, selector: str) -> str:
    return page.locator(selector).first.evaluate("e => getComputedStyle(e).fontFamily")


def test_chinese_text_asks_for_chinese_fonts_first_and_english_text_after_its_latin_ones(open_page):
    zh = open_page(f"/notices/{NOTICE}/zh")
    assert _family(zh, ".doc-body p:not([lang])").startswith(SANS_CJK)
    # the site's own words inside the Chinese text: "Front matter", "# section page"
    assert _family(zh, ".doc-body h2#front").startswith("system-ui")
    assert _family(zh, ".doc-body .heading-links").startswith("system-ui")
    en = open_page(f"/notices/{NOTICE}/en")
    family = _family(en, ".doc-body p:not([lang])")
    assert family.startswith("system-ui") and family.index("Roboto") < family.index(SANS_CJK)


def test_print_uses_the_serif_stacks_with_chinese_families(open_page):
    page = open_page(f"/notices/{NOTICE}/zh/1")
    page.emulate_media(media="print")
    assert _family(page, ".section-body").startswith(SERIF_CJK)
    assert _family(page, "footer.site").startswith("Georgia") and SERIF_CJK in _family(page, "footer.site")


@pytest.mark.parametrize("device", VIEWPORTS)
@pytest.mark.parametrize(
    ("name", "path"), [("reading", f"/notices/{NOTICE}/zh"), ("section", f"/notices/{NOTICE}/zh/1")]
)
def test_chinese_pages_fit_the_width_and_are_captured(open_page, name, path, device):
    page = open_page(path, device)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"chinese-{name}-{device}.png"), full_page=True)
    width = VIEWPORTS[device]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # Chinese lines wrap between characters
    box = page.locator("[lang=zh] p, [lang=zh]:is(p, h1)").first.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width
