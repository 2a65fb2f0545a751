"""The home page: the search box and the notices held, newest first, with filters and counts."""

from __future__ import annotations

from flask import Response, abort, redirect, render_template, request, url_for

from kb.search import MAX_OFFSET
from web.params import whole_number
from web.urls import external_url
from web.views import bp, knowledge_base

#: Notices listed per page of the home page.
PAGE_SIZE = 20
#: Filters of the notice list, by query parameter.
LIST_FILTERS = ("issuer", "year", "type")
LAST_PAGE = MAX_OFFSET // PAGE_SIZE + 1


@bp.get("/")
def home():
    kb = knowledge_base()
    filters = kb.filters(**{k: request.args.get(k) for k in LIST_FILTERS})
    page = whole_number(request.args.get("page", "1"), 1, LAST_PAGE)
    if page is None:
        abort(400, description=f"The page number must be a whole number from 1 to {LAST_PAGE}.")
    listing = kb.list_notices(filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    if page > listing.pages:
        abort(404, description=f"There is no page {page}: the list has {listing.pages}.")
    active = filters.active()
    return render_template(
        "home.html",
        listing=listing,
        filters=active,
        held=len(kb.notices),
        type_names=type_names(kb),
        search_keeps=active,  # a search from the home page looks in the notices listed
    )


def type_names(kb) -> dict[str, str]:
    """How a document type reads in a list of choices ("opinions" -> "Opinions")."""
    return {n.doc_type: n.doc_type.capitalize() for n in kb.notices if n.doc_type}


@bp.get("/favicon.ico")
def favicon():
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/opensearch.xml")
def opensearch():
    body = render_template("opensearch.xml", search_url=external_url("pages.results"))
    return Response(body, mimetype="application/opensearchdescription+xml")
