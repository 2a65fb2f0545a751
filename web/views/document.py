"""Reading: a whole translation, or one section on its own page (the permalink to cite).

A translation is read page by page once it has more than
:data:`~web.links.PAGE_SECTIONS` sections, and every list of sections a page
shows is bounded, so that the work and the size of a page never grow with
the size of the document (a section with 20,000 subsections took tens of
seconds to list). A normal notice (a few dozen sections) is one page.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request

from kb.models import FRONT, Notice, Outline, Section, SectionId, Translation
from kb.query import MAX_QUERY_LENGTH
from kb.search import KnowledgeBase
from web import links
from web.html import document_html, mark_terms, markdown_page, paragraphs
from web.views import bp, find_section, knowledge_base, section_id

#: Subsections listed on a section's own page; the rest are in the reading pages' contents.
SUBSECTIONS_LIMIT = 100
#: Section ids listed in a note ("lacks sections ..."); beyond it the note gives a count.
ID_LIST_LIMIT = 50
#: Longest ``page`` parameter read: far beyond any real document's page count.
MAX_PAGE_DIGITS = 6


def query_terms(kb: KnowledgeBase, q: str) -> set[str]:
    """Stems to mark for the query a reader arrived with (``?q=``); none if it is unusable.

    The same terms a result's snippet marked (:meth:`KnowledgeBase.match_terms`: corrections, synonyms and
    prefixes included), so that the words shown in the result are the words found on the page.
    """
    if not q or len(q) > MAX_QUERY_LENGTH:
        return set()
    return kb.match_terms(q)


def own_headline(notice: Notice, translation: Translation) -> str | None:
    """The translation's own first line where it is not the notice's title (a news headline, an excerpt's
    title): shown as what it is, never as the notice's title."""
    headline = (translation.outline.metadata.title or "").strip()
    return headline if headline and headline.casefold().rstrip(".") != notice.title.casefold() else None


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
            if parent is None:  # a subsection without its section: not listed
                continue
            groups.append((parent, []))
        groups[-1][1].append(s)
    return groups


@bp.app_template_filter()
def id_list(ids: list[SectionId], limit: int = ID_LIST_LIMIT) -> str:
    """Sections as a citation names them ("1 (1), 1 (2)"), at most ``limit`` of them and then how many more."""
    shown = ", ".join(SectionId(i).display for i in ids[:limit])
    return shown if len(ids) <= limit else f"{shown} and {len(ids) - limit} more"


def _page_number(pages: int) -> int:
    raw = request.args.get("page")
    if raw is None:
        return 1
    if not raw.isdecimal() or len(raw) > MAX_PAGE_DIGITS or int(raw) < 1:
        abort(400, description="The page number must be a whole number from 1.")
    if int(raw) > pages:
        abort(404, description=f"There is no page {int(raw)}: this translation has {pages}.")
    return int(raw)


@bp.get("/notices/<notice>/<translation>")
def document(notice: str, translation: str):
    kb = knowledge_base()
    n = kb.notice(notice)
    t = kb.translation(n, translation)
    q = request.args.get("q", "").strip()
    if len(q) > MAX_QUERY_LENGTH:
        q = ""
    ids = t.section_ids
    pages = links.page_count(t)
    wanted = request.args.get("section")
    if wanted is not None:  # "the page that shows this section": how a #anchor link finds its page (app.js)
        sid = section_id(wanted)
        kb.section(n, t, sid)  # a 404 saying why when the translation lacks it
        page = links.page_of(t, sid)
    else:
        page = _page_number(pages)
    start, end = (page - 1) * links.PAGE_SECTIONS, min(page * links.PAGE_SECTIONS, len(ids))
    on_page = ids[start:end]
    offset = 1 if t.outline.front else 0  # section_ids has the front matter before the outline's sections
    sections = t.outline.sections[max(0, start - offset) : max(0, end - offset)]
    source = markdown_page(kb.markdown(n, t), [i.anchor for i in on_page])
    html = document_html(source, links.section_url_prefix(t))
    elsewhere, gone = n.lacking(t.name)
    return render_template(
        "document.html",
        notice=n,
        translation=t,
        headline=own_headline(n, t),
        body=mark_terms(html, query_terms(kb, q)),
        q=q,
        lacks=elsewhere,
        # the translations a reader can be sent to for what this one lacks: only those that have some of it
        has_lacking=[o for o in n.translations if o is not t and not set(elsewhere).isdisjoint(o.section_ids)],
        gone=gone,
        groups=contents(t.outline, sections),
        show_front=FRONT in on_page,
        on_page=set(on_page),
        page=page,
        pages=pages,
        first=on_page[0].display if on_page else None,
        last=on_page[-1].display if on_page else None,
    )


@bp.get("/notices/<notice>/<translation>/<section>")
def section(notice: str, translation: str, section: str):
    kb = knowledge_base()
    n = kb.notice(notice)
    t = kb.translation(n, translation)
    s = find_section(kb, n, t, section)
    if section != s.id:  # "6 (1)" typed into the address bar: the canonical URL is /6.1
        return redirect(links.section_url(t, s.id), code=301)
    prev_id, next_id = n.neighbours(t, s.id)
    parent = t.outline.section(s.parent) if s.parent else None
    children = [c for c in t.outline.sections if c.parent == s.id]
    others = [o for o in n.translations if o.name != t.name]
    q = request.args.get("q", "").strip()
    return render_template(
        "section.html",
        notice=n,
        translation=t,
        section=s,
        parent=parent,
        children=children[:SUBSECTIONS_LIMIT],
        more_children=children[SUBSECTIONS_LIMIT:],
        prev_id=prev_id,
        next_id=next_id,
        others=[(o, s.id in o.section_ids) for o in others],
        body=mark_terms(str(paragraphs(s.body)), query_terms(kb, q)),
    )
