"""The JSON API: the same notices, search and sections as the pages, for scripts.

Every error is JSON with a 4xx status (see :mod:`web.errors`). The OpenAPI
description at /api/openapi.json is checked against these routes by the
tests. Links in answers are root-relative, built by :mod:`web.links`; a
citation carries the absolute permalink.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, redirect, request, url_for

from kb import semantic
from kb.citation import FORMATS
from kb.errors import KnowledgeBaseError
from kb.filters import FACET_KEYS
from kb.models import Notice, Translation
from kb.query import MAX_QUERY_LENGTH
from kb.search import MAX_LIMIT, MAX_OFFSET, SORTS, Hit
from web import links
from web.params import flag, search_switches, whole_number
from web.views import find_section, knowledge_base, section_id
from web.views.legacy import only_notice

bp = Blueprint("api", __name__, url_prefix="/api")

#: Notices per page of /api/notices unless ``limit`` says otherwise.
NOTICES_PER_PAGE = 50


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value = whole_number(raw, low, high)
    if value is None:
        abort(400, description=f"{name} must be a whole number from {low} to {high}.")
    return value


def _hit(hit: Hit) -> dict:
    data = hit.to_json()
    t = hit.translation
    data["permalink"] = links.section_url(t, hit.section)
    data["citation"] = links.citation(hit.notice, t, hit.section)
    data["links"] = {
        "notice": links.notice_url(hit.notice),
        "read": links.reading_url(t, hit.section),
        "compare": links.compare_url(hit.notice, hit.section) if len(hit.notice.translations) > 1 else None,
    }
    return data


@bp.get("/search")
def search():
    kb = knowledge_base()
    q = request.args.get("q", "").strip()
    if not q:
        abort(400, description="q is required: the words to search for.")
    if len(q) > MAX_QUERY_LENGTH:
        abort(400, description=f"q is too long: the limit is {MAX_QUERY_LENGTH} characters.")
    limit = _int_arg("limit", 10, 1, MAX_LIMIT)
    offset = _int_arg("offset", 0, 0, MAX_OFFSET)
    filters = kb.filters(**{k: request.args.get(k) for k in FACET_KEYS})
    sort = request.args.get("sort") or "relevance"
    if sort not in SORTS:
        abort(400, description=f"sort must be one of: {', '.join(SORTS)}.")
    separate = flag(request.args.get("separate"))
    result = kb.search(
        q,
        limit=limit,
        offset=offset,
        filters=filters,
        sort=sort,
        group=not separate,
        explain=flag(request.args.get("explain")),
        **search_switches(request.args),
    )
    data = result.to_json()
    data["results"] = [_hit(h) for h in result.hits]
    data["mode"] = semantic.build_mode(kb)
    return jsonify(data)


def _notice_summary(notice: Notice) -> dict:
    data = notice.summary()
    data["link"] = links.notice_url(notice)
    for t, entry in zip(notice.translations, data["translations"], strict=True):
        entry["link"] = links.reading_url(t)
        entry["received"] = links.received_url(t)
        entry["missing"] = notice.missing(t.name)
    return data


@bp.get("/notices")
def notices():
    kb = knowledge_base()
    filters = kb.filters(**{k: request.args.get(k) for k in ("issuer", "year", "type")})
    limit = _int_arg("limit", NOTICES_PER_PAGE, 1, MAX_LIMIT)
    offset = _int_arg("offset", 0, 0, MAX_OFFSET)
    listing = kb.list_notices(filters, limit=limit, offset=offset)
    data = listing.to_json()
    data["notices"] = [_notice_summary(n) for n in listing.notices]
    return jsonify(data)


@bp.get("/notices/<notice>")
def notice(notice: str):
    n = knowledge_base().notice(notice)
    data = _notice_summary(n)
    titles = n.section_titles
    derived = n.derived_titles
    have = [(t.name, set(t.section_ids)) for t in n.translations]  # once, not a lookup per row and translation
    data["parts"] = [p.to_json() for p in n.parts]
    data["sections"] = [
        {
            "id": sid,
            "label": sid.display,
            "title": titles.get(sid) or ("Front matter" if sid.is_front else None),
            "parent": sid.parent,
            "part": sid.part,
            "level": sid.level,
            "title_derived": sid in derived,
            "in": [name for name, ids in have if sid in ids],
        }
        for sid in n.section_ids
    ]
    data["missing_everywhere"] = n.missing_everywhere()
    return jsonify(data)


def _section(n: Notice, t: Translation, section: str) -> dict:
    kb = knowledge_base()
    s = find_section(kb, n, t, section)
    part = n.part(s.id.part, t)
    return {
        "notice": n.id,
        "notice_title": n.title,
        "number": n.number,
        "date": n.date,
        "translation": t.name,
        "translation_label": t.label,
        "id": s.id,
        "label": s.id.display,
        "title": s.title,
        "parent": s.parent,
        "part": s.id.part,
        "level": s.id.level,
        "title_derived": s.title_derived,
        "part_heading": part.heading if part else None,
        "text": s.body,
        "front_matter": s.id.is_front,
        "also_in": [o.name for o in n.translations if o.name != t.name and s.id in o.section_ids],
        "permalink": links.section_url(t, s.id),
        "link": links.reading_url(t, s.id),
        "citation": links.citation(n, t, s.id),
        "cite": {name: links.cite_url(t, s.id, name) for name in FORMATS},
    }


@bp.get("/notices/<notice>/<translation>/sections/<section:section>")
def section(notice: str, translation: str, section: str):
    kb = knowledge_base()
    n = kb.notice(notice)
    return jsonify(_section(n, kb.translation(n, translation), section))


@bp.get("/notices/<notice>/compare/<section:section>")
def compare(notice: str, section: str):
    """A section in every translation, with the word-level differences from the base (``?base=``): the compare
    page's data (web/views/compare.py builds both)."""
    from web.views.compare import side_by_side

    kb = knowledge_base()
    n = kb.notice(notice)
    return jsonify(side_by_side(kb, n, section_id(section), request.args.get("base") or None).to_json())


@bp.get("/notices/<notice>/<translation>/sections/<section:section>/cite")
def cite(notice: str, translation: str, section: str):
    """A section's citation as text, BibTeX, RIS or CSL-JSON (``format=``); the file formats as downloads."""
    from kb.citation import check_format

    name = check_format(request.args.get("format"))  # a 400 naming the formats, before any lookup
    kb = knowledge_base()
    n = kb.notice(notice)
    t = kb.translation(n, translation)
    s = find_section(kb, n, t, section)
    c = links.citation_of(n, t, s.id)
    media_type, extension = FORMATS[name]
    response = Response(c.render(name), content_type=media_type)
    if extension:
        response.headers["Content-Disposition"] = f'attachment; filename="{c.file_name}.{extension}"'
    return response


@bp.get("/documents/<name>/sections/<section:section>")
def legacy_section(name: str, section: str):
    """The section API from before notices had ids: redirects while one notice has a translation ``name``."""
    n = only_notice(knowledge_base().catalog.with_translation(name), f"a translation called {name!r}")
    return redirect(url_for("api.section", notice=n.id, translation=name, section=section), code=301)


@bp.get("/openapi.json")
def openapi():
    from web.openapi import spec

    data = spec()
    try:  # how this server ranks: said here too, without making the description depend on having an index
        data["info"]["x-search-mode"] = semantic.build_mode(knowledge_base())
    except KnowledgeBaseError:
        data["info"]["x-search-mode"] = "lexical"
    return jsonify(data)
