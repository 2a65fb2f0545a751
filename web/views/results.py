"""The results page: ranked sections, facets, paging, "did you mean"."""

from __future__ import annotations

from flask import abort, render_template, request

from kb.query import MAX_QUERY_LENGTH
from kb.search import MAX_OFFSET
from web.params import whole_number
from web.views import bp, knowledge_base

PAGE_SIZE = 10
LAST_PAGE = MAX_OFFSET // PAGE_SIZE


def _page() -> int:
    page = whole_number(request.args.get("page", "1"), 1, LAST_PAGE)
    if page is None:
        abort(400, description=f"The page number must be a whole number from 1 to {LAST_PAGE}.")
    return page


@bp.get("/search")
def results():
    kb = knowledge_base()
    q = request.args.get("q", "").strip()
    translation = request.args.get("translation") or None
    top = request.args.get("section") or None
    if len(q) > MAX_QUERY_LENGTH:
        abort(400, description=f"That query is too long: the limit is {MAX_QUERY_LENGTH} characters.")
    if translation and translation not in kb.catalog.translation_names:
        abort(400, description=f"There is no translation called {translation!r}.")
    if top and not (top.isdecimal() or top == "front"):
        abort(400, description="The section filter must be a section number such as 6, or front.")
    page = _page()
    result = None
    if q:
        result = kb.search(q, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, translation=translation, top=top)
        if page > 1 and not result.hits:
            abort(404, description=f"There is no page {page} of results for this query.")
    notice_titles = {n.id: n for n in kb.notices}
    return render_template(
        "results.html",
        q=q,
        result=result,
        page=page,
        page_size=PAGE_SIZE,
        translation=translation,
        top=top,
        notices=notice_titles,
        labels={t.name: t.label for n in kb.notices for t in n.translations},
    )
