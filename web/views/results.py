"""The results page: ranked sections from every notice, facets with counts, sort, paging, "did you mean".

Its results part (``_results.html``) is also served alone at
``/search/results`` with the same parameters: the page's script fetches it
as the reader types and swaps it in, so results are rendered by one template
whether they come with the page or live. The fragment has its own address
rather than being another representation of ``/search`` (chosen by a request
header): a browser's cache and its back-forward history key on the address,
and a fragment stored under the page's address could be shown as the page.
"""

from __future__ import annotations

from flask import abort, make_response, render_template, request

from kb.filters import FACET_KEYS
from kb.query import MAX_QUERY_LENGTH
from kb.search import MAX_OFFSET, SORTS, SearchResult
from web.params import search_switches, whole_number
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


def _context() -> dict:
    """What the results page and its fragment render: one search, as the request's parameters ask for it."""
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
        offset = (page - 1) * PAGE_SIZE
        result = kb.search(
            q, limit=PAGE_SIZE, offset=offset, filters=filters, sort=sort, **search_switches(request.args)
        )
        if page > 1 and not result.hits:
            abort(404, description=f"There is no page {page} of results for this query.")
    active = filters.active()
    return dict(
        q=q,
        result=result,
        filters=active,
        sort=sort,
        # what a new query from the search box keeps (its hidden fields): the filters and the order shown
        search_keeps={**active, **({"sort": sort} if sort != "relevance" else {})},
        page_title=f"{q} – Search – Policy knowledge base" if q else "Search – Policy knowledge base",
        status=summary(result),
        notices={n.id: n for n in kb.notices},
        notice_names={n.id: n.number or n.title for n in kb.notices},
        labels={t.name: t.label for n in reversed(kb.notices) for t in n.translations},
        shown=FACET_VALUES_SHOWN,
        listed=FACET_VALUES_LISTED,
        type_names=type_names(kb),
    )


def summary(result: SearchResult | None) -> str:
    """What the results come to, in one line: shown above them, and announced to screen readers as they change.

    The notice facet counts the notices of the matches when no notice is
    chosen; once one is, it lists the others too (what choosing them instead
    would give), and the results are that one notice's.
    """
    if result is None:
        return ""
    if result.total == 0:
        return "No section matches" + (" with these filters." if result.filters.active() else ".")
    notices = 1 if result.filters.notice else len(result.facets["notice"])
    return f"{result.total} section{'s' if result.total != 1 else ''} in {notices} notice{'s' if notices != 1 else ''}."


@bp.get("/search")
def results():
    return render_template("results.html", **_context())


@bp.get("/search/results")
def results_fragment():
    """The results part of ``/search`` with the same parameters (a fragment of HTML, for the page's script)."""
    response = make_response(render_template("_results.html", **_context()))
    response.headers["X-Robots-Tag"] = "noindex"  # the page at /search is the one to index
    return response
