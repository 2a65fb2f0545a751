"""The JSON API: the same search and documents as the pages, for scripts.

Every error is JSON with a 4xx status (see :mod:`web.errors`). The OpenAPI
description at /api/openapi.json is checked against these routes by the tests.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from kb.models import FRONT, anchor_for
from kb.query import MAX_QUERY_LENGTH
from kb.search import MAX_LIMIT, MAX_OFFSET
from web.openapi import spec
from web.params import whole_number
from web.views import knowledge_base, section_or_404, translation_or_404

bp = Blueprint("api", __name__, url_prefix="/api")


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value = whole_number(raw, low, high)
    if value is None:
        abort(400, description=f"{name} must be a whole number from {low} to {high}.")
    return value


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
    translation = request.args.get("translation") or None
    if translation and translation not in kb.catalog.translation_names:
        abort(400, description=f"unknown translation {translation!r}.")
    top = request.args.get("section") or None
    if top and not (top.isdecimal() or top == "front"):
        abort(400, description="section must be a top-level section number such as 6, or front.")
    separate = request.args.get("separate", "") in ("1", "true", "yes")
    result = kb.search(q, limit=limit, offset=offset, translation=translation, top=top, group=not separate)
    data = result.to_json()
    data["has_more"] = offset + len(result.hits) < result.total
    return jsonify(data)


def _document_summary(notice, t) -> dict:
    meta = t.outline.metadata
    return {
        "translation": t.name,
        "label": t.label,
        "notice": notice.id,
        "title": meta.title or notice.title,
        "number": notice.number,
        "date": notice.date,
        "source": meta.source,
        "issuers": notice.issuers,
        "link": f"/doc/{t.name}",
    }


@bp.get("/documents")
def documents():
    kb = knowledge_base()
    return jsonify({"documents": [_document_summary(n, t) for n in kb.notices for t in n.translations]})


@bp.get("/documents/<name>")
def document(name: str):
    kb = knowledge_base()
    notice, t = translation_or_404(kb, name)
    data = _document_summary(notice, t)
    data["sections"] = [
        {"id": s.id, "title": s.title, "parent": s.parent, "link": f"/doc/{name}#{s.anchor}"}
        for s in t.outline.sections
    ]
    data["missing"] = notice.missing(name)
    return jsonify(data)


@bp.get("/documents/<name>/sections/<section>")
def section(name: str, section: str):
    notice, _, s = section_or_404(knowledge_base(), name, section)
    return jsonify(
        {
            "translation": name,
            "notice": notice.id,
            "number": notice.number,
            "id": s.id,
            "title": s.title,
            "parent": s.parent,
            "text": s.body,
            "link": f"/doc/{name}#{anchor_for(s.id)}",
            "permalink": f"/doc/{name}/{s.id}",
            "also_in": [o.name for o in notice.translations if o.name != name and s.id in o.section_ids],
            "front_matter": s.id == FRONT,
        }
    )


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec())
