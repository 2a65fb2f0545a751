"""Reading: a whole translation, or one section on its own page (the permalink to cite).

A translation is read page by page once it has more than :data:`PAGE_SECTIONS`
sections, and every list of sections a page shows is bounded, so that the
work and the size of a page never grow with the size of the document (a
section with 20,000 subsections took tens of seconds to list). A normal
notice (a few dozen sections) is one page, as it always was.
"""

from __future__ import annotations

from flask import abort, g, render_template, request, url_for

from kb.models import FRONT, Outline, Section, Translation, anchor_for, display_id
from kb.query import MAX_QUERY_LENGTH
from web.html import document_html, mark_terms, markdown_page, paragraphs
from web.urls import external_url
from web.views import bp, knowledge_base, section_id_or_404, section_or_404, translation_or_404

#: Sections (front matter included) on one reading page. Normal notices have 20-50, so they stay one page.
PAGE_SECTIONS = 200
#: Entries of a translation's contents on the home page; the rest are listed on the reading pages.
CONTENTS_LIMIT = 100
#: Subsections listed on a section's own page; the rest are in the reading pages' contents.
SUBSECTIONS_LIMIT = 100
#: Section ids listed in a note ("lacks sections ..."); beyond it the note gives a count.
ID_LIST_LIMIT = 50
#: Longest ``page`` parameter read: far beyond any real document's page count.
MAX_PAGE_DIGITS = 6


def query_terms(q: str) -> set[str]:
    """Stems to mark for the query a reader arrived with (``?q=``); none if it is unusable."""
    if not q or len(q) > MAX_QUERY_LENGTH:
        return set()
    from kb.query import stems

    return set(stems(q))


# -- pages of a translation ---------------------------------------------------------------


def positions(translation: Translation) -> dict[str, int]:
    """Reading-order position of each section id (front matter first), built once per request and translation."""
    cache = g.setdefault("section_positions", {})
    if translation.name not in cache:
        cache[translation.name] = {sid: i for i, sid in enumerate(translation.section_ids)}
    return cache[translation.name]


def page_count(translation: Translation) -> int:
    return max(1, -(-len(positions(translation)) // PAGE_SECTIONS))


def page_of(translation: Translation, section_id: str) -> int:
    """The reading page that shows ``section_id`` (1 for an unknown id: the page a plain link opens)."""
    return positions(translation).get(section_id, 0) // PAGE_SECTIONS + 1


@bp.app_template_global()
def document_url(name: str, section_id: str | None = None, **params) -> str:
    """The reading page of translation ``name`` that shows ``section_id``, with its ``#anchor``.

    Every link into a reading page goes through here, so that it opens the
    right page of a long translation; for a one-page translation it is the
    plain ``/doc/<name>#anchor`` it always was.
    """
    found = knowledge_base().catalog.translation(name)
    page = page_of(found[1], section_id) if found and section_id else 1
    url = url_for("pages.document", name=name, page=page if page > 1 else None, **params)
    if section_id:
        url += "#" + anchor_for(section_id)
    return url


def contents(outline: Outline, sections: list[Section]) -> list[tuple[Section, list[Section]]]:
    """``sections`` (a run of the outline, in order) grouped as (top section, its subsections in the run).

    A run that starts inside a section opens with that section as its group's
    head. Linear: the subsections of a section follow it in the outline.
    """
    groups: list[tuple[Section, list[Section]]] = []
    for s in sections:
        if s.parent is None:
            groups.append((s, []))
            continue
        if not groups or groups[-1][0].id != s.parent:
            parent = outline.section(s.parent)
            if parent is None:  # a subsection without its section: not listed, as before
                continue
            groups.append((parent, []))
        groups[-1][1].append(s)
    return groups


@bp.app_template_filter()
def id_list(ids: list[str], limit: int = ID_LIST_LIMIT) -> str:
    """``ids`` joined with commas, at most ``limit`` of them and then how many more."""
    if len(ids) <= limit:
        return ", ".join(ids)
    return f"{', '.join(ids[:limit])} and {len(ids) - limit} more"


def home_contents(translation: Translation) -> dict:
    """The home page's contents of a translation: its first :data:`CONTENTS_LIMIT` sections and what follows."""
    sections = translation.outline.sections
    shown = sections[:CONTENTS_LIMIT]
    rest = sections[CONTENTS_LIMIT:]
    return {"groups": contents(translation.outline, shown), "more": len(rest), "next": rest[0].id if rest else None}


def _page_number(pages: int) -> int:
    raw = request.args.get("page")
    if raw is None:
        return 1
    if not raw.isdecimal() or len(raw) > MAX_PAGE_DIGITS or int(raw) < 1:
        abort(400, description="The page number must be a whole number from 1.")
    if int(raw) > pages:
        abort(404, description=f"There is no page {int(raw)}: this translation has {pages}.")
    return int(raw)


@bp.get("/doc/<name>")
def document(name: str):
    kb = knowledge_base()
    notice, translation = translation_or_404(kb, name)
    q = request.args.get("q", "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        q = ""
    ids = translation.section_ids
    pages = page_count(translation)
    wanted = request.args.get("section")
    if wanted is not None:  # "the page that shows this section": how a #anchor link finds its page (app.js)
        section_id = section_id_or_404(wanted)
        if section_id not in positions(translation):
            abort(404, description=f"Section {display_id(section_id)} is not in the {translation.label}.")
        page = page_of(translation, section_id)
    else:
        page = _page_number(pages)
    start, end = (page - 1) * PAGE_SECTIONS, min(page * PAGE_SECTIONS, len(ids))
    on_page = ids[start:end]
    offset = 1 if translation.outline.front else 0  # section_ids has the front matter before the outline's sections
    sections = translation.outline.sections[max(0, start - offset) : max(0, end - offset)]
    source = markdown_page(kb.markdown(name), [anchor_for(i) for i in on_page])
    html = document_html(source, url_for("pages.document", name=name))
    body = mark_terms(html, query_terms(q))
    return render_template(
        "document.html",
        notice=notice,
        translation=translation,
        body=body,
        q=q,
        missing=notice.missing(name),
        groups=contents(translation.outline, sections),
        show_front=FRONT in on_page,
        on_page=set(on_page),
        page=page,
        pages=pages,
        first=display_id(on_page[0]) if on_page else None,
        last=display_id(on_page[-1]) if on_page else None,
    )


@bp.get("/doc/<name>/<section>")
def section(name: str, section: str):
    kb = knowledge_base()
    notice, translation, s = section_or_404(kb, name, section)
    section_id = s.id
    ids = translation.section_ids
    pos = positions(translation)[section_id]
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
        children=children[:SUBSECTIONS_LIMIT],
        more_children=children[SUBSECTIONS_LIMIT:],
        prev_id=prev_id,
        next_id=next_id,
        others=[(t, section_id in t.section_ids) for t in others],
        citation=citation,
        body=mark_terms(str(paragraphs(s.body)), query_terms(q)),
        display_id=display_id,
    )
