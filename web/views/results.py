"""The results page: ranked sections from every notice, facets with counts, sort, paging, "did you mean"."""

from __future__ import annotations

from flask import abort, render_template, request

from kb.filters import FACET_KEYS
from kb.query import MAX_QUERY_LENGTH
from kb.search import MAX_OFFSET, SORTS
from web.params import flag, whole_number
from web.views import bp, knowledge_base
from web.views.home import type_names

PAGE_SIZE = 10
LAST_PAGE = MAX_OFFSET // PAGE_SIZE
#: Facet values listed before the rest fold under "more" (a facet of issuing bodies can be long).
FACET_VALUES_SHOWN = 8
#: Values a facet lists at most (the rest counted, not linked): each is a link to build and to read past, and a
#: search over thousands of notices can match a thousand of them.
FACET_VALUES_LISTED = 40


def _page() -> int:
    page = whole_number(request.args.get("page", "1"), 1, LAST_PAGE)
    if page is None:
        abort(400, description=f"The page number must be a whole number from 1 to {LAST_PAGE}.")
    return page


@bp.get("/search")
def results():
    kb = knowledge_base()
    q = request.args.get("q", "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        abort(400, description=f"That query is too long: the limit is {MAX_QUERY_LENGTH} characters.")
    filters = kb.filters(**{k: request.args.get(k) for k in FACET_KEYS})
    sort = request.args.get("sort") or "relevance"
    if sort not in SORTS:
        abort(400, description=f"The order must be one of: {', '.join(SORTS)}.")
    page = _page()
    result = None
    if q:
        as_typed = flag(request.args.get("as_typed"))
        offset = (page - 1) * PAGE_SIZE
        result = kb.search(q, limit=PAGE_SIZE, offset=offset, filters=filters, sort=sort, correct=not as_typed)
        if page > 1 and not result.hits:
            abort(404, description=f"There is no page {page} of results for this query.")
    return render_template(
        "results.html",
        q=q,
        result=result,
        filters=filters.active(),
        sort=sort,
        notices={n.id: n for n in kb.notices},
        notice_names={n.id: n.number or n.title for n in kb.notices},
        labels={t.name: t.label for n in reversed(kb.notices) for t in n.translations},
        shown=FACET_VALUES_SHOWN,
        listed=FACET_VALUES_LISTED,
        type_names=type_names(kb),
    )
