"""What the browser tests share: Debian's Chromium through Playwright, the two widths, and pages watched for errors.

Each browser test module skips itself when Chromium or Playwright is missing
(:func:`require`); the fixtures that start a browser and the site are in
tests/web/conftest.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
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
#: The two widths every page is looked at: a desktop's and a phone's.
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
TIMEOUT_MS = 10_000


def require(what: str):
    """Playwright's sync API; without Chromium or Playwright, the calling module is skipped, saying why."""
    if CHROMIUM is None:
        pytest.skip(f"{what} need Chromium on PATH (/usr/bin/chromium: apt install chromium)", allow_module_level=True)
    return pytest.importorskip("playwright.sync_api", reason=f"{what} need Playwright for Python")


@contextmanager
def launched(extra_args: Sequence[str] = ()) -> Iterator:
    """A headless Chromium, closed after use (one at a time: Playwright's sync API does not nest)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[*LAUNCH_ARGS, *extra_args])
        try:
            yield browser
        finally:
            browser.close()


class Watched:
    """Opens browser contexts whose pages report console errors, page errors and dialogs."""

    def __init__(self, browser, base: str) -> None:
        self.browser, self.base = browser, base
        self.problems: list[str] = []
        self.contexts = []
        self.expected: list[str] = []

    def expect_error(self, text: str) -> None:
        """A console error containing ``text`` is expected (such as the 404 of a page the test asks for)."""
        self.expected.append(text)

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
        if message.type == "error" and not any(text in message.text for text in self.expected):
            self.problems.append(f"console error at {message.location.get('url')}: {message.text}")

    def _dialog(self, dialog) -> None:
        self.problems.append(f"dialog ({dialog.type}): {dialog.message}")
        dialog.dismiss()

    def close(self) -> None:
        for context in self.contexts:
            context.close()
