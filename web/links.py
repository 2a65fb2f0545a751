"""Every link the site gives out to a notice, a translation, a section or a comparison: built here, once.

The library returns ids (notice, translation, section); this module turns
them into URLs with :func:`flask.url_for`, so that the URL scheme lives in
the routes and nowhere else. Templates call these as globals; the JSON API
puts them in its answers.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, current_app, g, url_for

from kb.citation import Citation
from kb.models import FRONT, Notice, SectionId, Translation
from web.urls import external_url

#: Sections (front matter included) on one reading page. Normal notices have 20-50, so they stay one page.
PAGE_SECTIONS = 200


def positions(translation: Translation) -> dict[str, int]:
    """Reading-order position of each section id (front matter first), built once per request and translation."""
    cache = g.setdefault("section_positions", {})
    key = (translation.notice_id, translation.name)
    if key not in cache:
        cache[key] = {sid: i for i, sid in enumerate(translation.section_ids)}
    return cache[key]


def page_count(translation: Translation) -> int:
    return max(1, -(-len(positions(translation)) // PAGE_SECTIONS))


def page_of(translation: Translation, section_id: str) -> int:
    """The reading page that shows ``section_id`` (1 for an unknown id: the page a plain link opens)."""
    return positions(translation).get(section_id, 0) // PAGE_SECTIONS + 1


def notice_url(notice: Notice | str) -> str:
    return url_for("pages.notice", notice=_id(notice))


def reading_url(translation: Translation, section_id: str | None = None, **params) -> str:
    """The reading page of ``translation`` that shows ``section_id``, with its ``#anchor``.

    Every link into a reading page goes through here, so that it opens the
    right page of a long translation.
    """
    page = page_of(translation, section_id) if section_id else 1
    url = url_for(
        "pages.document",
        notice=translation.notice_id,
        translation=translation.name,
        page=page if page > 1 else None,
        **params,
    )
    return url + "#" + SectionId(section_id).anchor if section_id else url


def section_url(translation: Translation, section_id: str, **params) -> str:
    """A section's own page: the permalink to cite (root-relative)."""
    return url_for(
        "pages.section", notice=translation.notice_id, translation=translation.name, section=section_id, **params
    )


def section_url_prefix(translation: Translation) -> str:
    """What a section's id is appended to (after a "/") to make its page's URL: for links in rendered HTML,
    which is built once per translation and cached (see :func:`web.html.document_html`)."""
    return section_url(translation, FRONT).rsplit("/", 1)[0]


def permalink(translation: Translation, section_id: str) -> str:
    """The absolute permalink of a section, for citations that leave the site (see :mod:`web.urls`)."""
    return external_url("pages.section", notice=translation.notice_id, translation=translation.name, section=section_id)


def compare_url(notice: Notice | str, section_id: str) -> str:
    return url_for("pages.compare", notice=_id(notice), section=section_id)


def public_address() -> bool:
    """Whether the site's public address is configured (``--base-url``), so that permalinks do not depend on
    the address a reader used; pages say so when it is not."""
    return bool(current_app.config.get("BASE_URL"))


def citation_of(notice: Notice, translation: Translation, section_id: str) -> Citation:
    """The citation of a section (kb.citation), with its permalink: on the configured public address, else as
    :func:`web.urls.external_url` builds it for this request (the reader's plain host, or a relative link), and
    retrieved today. Every page and answer that cites a section (section pages, compare pages, JSON) uses this."""
    return Citation.of(notice, translation, section_id, permalink(translation, section_id))


def citation(notice: Notice, translation: Translation, section_id: SectionId) -> str:
    """The complete one-line citation of a section (see :func:`citation_of`)."""
    return citation_of(notice, translation, section_id).text()


def cite_url(translation: Translation, section_id: str, format_name: str) -> str:
    """The API address of a section's citation in ``format_name`` (kb.citation.FORMATS)."""
    return url_for(
        "api.cite",
        notice=translation.notice_id,
        translation=translation.name,
        section=section_id,
        format=format_name,
    )


def received_url(translation: Translation) -> str:
    """The text of a translation as its source was received, before cleaning (plain text)."""
    return url_for("pages.received", notice=translation.notice_id, translation=translation.name)


#: Query parameters a list page keeps when one of them changes (a facet chosen, the order, the page). ``prefix``
#: (live results: the last word matched as a prefix) is kept so that a facet narrows the results shown.
LIST_PARAMS = ("q", "notice", "issuer", "year", "type", "translation", "sort", "prefix", "as_typed")
#: Endpoints that render a part of another list page: their links lead to that page (the results fragment's
#: facets, order and pages are the results page's).
PART_OF = {"pages.results_fragment": "pages.results"}


def this_page(**changes: str | int | None) -> str:
    """This list page (home or results) with ``changes`` to its parameters; None removes one.

    Choosing a filter or an order starts again at page 1, unless ``page`` is
    among the changes. A results page has a link like this for every facet
    value, so the page's own address and parameters are worked out once per
    request; each link is then that address with its parameters encoded as
    ``url_for`` encodes them.
    """
    from flask import request

    here = g.get("list_page")
    if here is None:
        endpoint = request.endpoint or "pages.home"
        path = url_for(PART_OF.get(endpoint, endpoint))
        here = g.list_page = (path, {k: v for k, v in request.args.items() if k in LIST_PARAMS and v})
    path, current = here
    params: dict[str, str | int] = dict(current)
    for k, v in changes.items():
        if v is None or v == "":
            params.pop(k, None)
        else:
            params[k] = v
    if params.get("page") == 1:
        del params["page"]
    return f"{path}?{_encode_query(params.items())}" if params else path


def _encode_query(items) -> str:
    """A query string as url_for encodes one (werkzeug's ``_urlencode``: the same characters left as they are)."""
    return urlencode([(k, str(v)) for k, v in items], safe="!$'()*,/:;?@")


def _id(notice: Notice | str) -> str:
    return notice if isinstance(notice, str) else notice.id


def init_app(app: Flask) -> None:
    for fn in (
        notice_url,
        reading_url,
        section_url,
        compare_url,
        permalink,
        this_page,
        citation_of,
        cite_url,
        received_url,
        public_address,
    ):
        app.add_template_global(fn)
