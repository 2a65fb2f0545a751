"""Pages of the site, one module per kind of page, all on one blueprint.

Every page of a notice lives under ``/notices/<notice>/``; the library's
errors (no such notice, translation or section) become 404 pages in
:mod:`web.errors`, so the views only look things up.
"""

from __future__ import annotations

from flask import Blueprint, current_app

from kb.errors import InvalidRequest, NotFound
from kb.models import Notice, Section, SectionId, Translation
from kb.search import KnowledgeBase

bp = Blueprint("pages", __name__)


def knowledge_base() -> KnowledgeBase:
    """The app's knowledge base (see ``create_app``): the build published now."""
    return current_app.extensions["policy_kb"].get()


def section_id(text: str) -> SectionId:
    """The section id in a URL (``6``, ``6.1``, ``front``); a 404 that says what ids look like otherwise."""
    try:
        return SectionId(text)
    except ValueError:
        raise NotFound(f"{text[:40]!r} is not a section id (they look like 6, 6.1, 6.1.2, front or a1/6.1)") from None


def find_section(kb: KnowledgeBase, n: Notice, t: Translation, text: str) -> Section:
    """The section a URL names ("6.1", or "6 (1)" as typed); a 404 otherwise.

    The library calls text that is no section id a bad request (right for a
    command's argument); in a URL's path it names no page, so it is a 404
    like any other unknown path (and like the compare page's).
    """
    try:
        return kb.section(n, t, text)
    except NotFound:
        raise
    except InvalidRequest as e:
        raise NotFound(str(e)) from None


from web.views import compare, document, home, legacy, notice, provenance, results  # noqa: E402,F401  (routes register on import)
