"""Reading: a whole translation, or one section on its own page (the permalink to cite)."""

from __future__ import annotations

from flask import render_template, request, url_for

from kb.models import display_id
from kb.query import MAX_QUERY_LENGTH
from web.html import document_html, mark_terms, paragraphs
from web.urls import external_url
from web.views import bp, knowledge_base, section_or_404, translation_or_404


def query_terms(q: str) -> set[str]:
    """Stems to mark for the query a reader arrived with (``?q=``); none if it is unusable."""
    if not q or len(q) > MAX_QUERY_LENGTH:
        return set()
    from kb.query import stems

    return set(stems(q))


@bp.get("/doc/<name>")
def document(name: str):
    kb = knowledge_base()
    notice, translation = translation_or_404(kb, name)
    q = request.args.get("q", "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        q = ""
    html = document_html(kb.markdown(name), url_for("pages.document", name=name))
    body = mark_terms(html, query_terms(q))
    return render_template(
        "document.html", notice=notice, translation=translation, body=body, q=q, missing=notice.missing(name)
    )


@bp.get("/doc/<name>/<section>")
def section(name: str, section: str):
    kb = knowledge_base()
    notice, translation, s = section_or_404(kb, name, section)
    section_id = s.id
    ids = translation.section_ids
    pos = ids.index(section_id)
    prev_id = ids[pos - 1] if pos > 0 else None
    next_id = ids[pos + 1] if pos + 1 < len(ids) else None
    parent = translation.outline.section(s.parent) if s.parent else None
    children = [c for c in translation.outline.sections if c.parent == section_id]
    others = [t for t in notice.translations if t.name != name]
    url = external_url("pages.section", name=name, section=section_id)
    citation = f"{notice.number or notice.title}, section {display_id(section_id)} ({translation.label}), {url}"
    q = request.args.get("q", "").strip()
    return render_template(
        "section.html",
        notice=notice,
        translation=translation,
        section=s,
        parent=parent,
        children=children,
        prev_id=prev_id,
        next_id=next_id,
        others=[(t, section_id in t.section_ids) for t in others],
        citation=citation,
        body=mark_terms(str(paragraphs(s.body)), query_terms(q)),
        display_id=display_id,
    )
