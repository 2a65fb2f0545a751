"""Pages of the site, one module per kind of page, all on one blueprint."""

from __future__ import annotations

import re

from flask import Blueprint, abort, current_app

from kb.models import display_id
from kb.search import KnowledgeBase

bp = Blueprint("pages", __name__)

#: A section id in a URL; Markdown sources number subsections without limit ("1.20000").
_SECTION_ID = re.compile(r"^(front|\d{1,6}(\.\d{1,6})?)$")


def knowledge_base() -> KnowledgeBase:
    """The app's knowledge base (see ``create_app``): the build published now."""
    return current_app.extensions["policy_kb"].get()


def translation_or_404(kb: KnowledgeBase, name: str):
    found = kb.catalog.translation(name)
    if not found:
        abort(404, description=f"There is no translation called {name!r}.")
    return found


def section_id_or_404(section: str) -> str:
    if not _SECTION_ID.match(section):
        abort(404, description=f"{section!r} is not a section id (they look like 6, 6.1 or front).")
    return section


def section_or_404(kb: KnowledgeBase, name: str, section: str):
    """(notice, translation, section) for a section URL; a 404 that says why when there is none."""
    notice, translation = translation_or_404(kb, name)
    section_id = section_id_or_404(section)
    s = kb.section(name, section_id)
    if s is None:
        if section_id in notice.missing_everywhere():
            where = "is missing from every translation"
        else:
            where = f"is not in the {translation.label}"
        abort(404, description=f"Section {display_id(section_id)} {where}.")
    return notice, translation, s


from web.views import compare, document, home, results  # noqa: E402,F401  (routes register on import)
