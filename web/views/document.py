"""Reading: a whole translation, or one section on its own page (the permalink to cite).

A translation is read page by page once it has more than
:data:`~web.links.PAGE_SECTIONS` sections, and every list of sections a page
shows is bounded, so that the work and the size of a page never grow with
the size of the document (a section with 20,000 subsections took tens of
seconds to list). A normal notice (a few dozen sections) is one page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
#: Longest ``anchor`` parameter read: "a999-s999999-999999-999999" is 26 characters.
MAX_ANCHOR = 40
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


@dataclass
class Entry:
    """One line of a reading page's contents and the lines nested under it."""

    section: Section
    children: list[Entry] = field(default_factory=list)


def contents(outline: Outline, sections: list[Section]) -> list[Entry]:
    """``sections`` (a run of the outline, in order) nested as the contents lists them.

    A section's subsections are under it, a subsection's third level under
    that, and each part's sections under the part's heading (its opening,
    ``a1/front``). A run that starts inside a section or a part opens with
    its ancestors as heads (the rest of them is on another page). Linear:
    sections follow their parents in the outline.
    """
    roots: list[Entry] = []
    entries: dict[SectionId, Entry] = {}

    def head_of(sid: SectionId) -> Entry | None:
        """The entry a section hangs under, made from the outline where the run started below it."""
        if sid.parent is not None:
            up = sid.parent
        elif sid.part and not sid.is_front:
            up = SectionId.front_of(sid.part)
        else:
            return None
        if up not in entries:
            found = outline.section(up)
            if found is None:  # a section without its parent (or a part without its opening): listed at the top
                return head_of(up) if up.parent is not None or (up.part and not up.is_front) else None
            place(found)
        return entries[up]

    def place(s: Section) -> None:
        entry = entries[s.id] = Entry(outline.headed(s))
        head = head_of(s.id)
        (head.children if head is not None else roots).append(entry)

    for s in sections:
        if s.id not in entries:
            place(s)
    return roots


@bp.app_template_filter()
def id_list(ids: list[SectionId], limit: int = ID_LIST_LIMIT) -> str:
    """Sections as a citation names them ("1 (1), 1 (2)"), at most ``limit`` of them and then how many more."""
    shown = ", ".join(_listed(SectionId(i)) for i in ids[:limit])
    return shown if len(ids) <= limit else f"{shown} and {len(ids) - limit} more"


def _listed(sid: SectionId) -> str:
    """A section in a list of them: as a citation names it, a part's opening as the part ("attachment 2")."""
    return f"attachment {sid.part}" if sid.part and sid.is_front else sid.display


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
    # "the page that shows this #anchor": how a link to a section's anchor finds its page (app.js); the model
    # reads the anchor (SectionId.from_anchor), and one that names no section opens the first page
    anchored = SectionId.from_anchor(request.args.get("anchor", "")[:MAX_ANCHOR])
    if wanted is None and anchored is not None:
        wanted = anchored
    if wanted is not None:  # "the page that shows this section"
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
        entries=contents(t.outline, sections),
        show_front=FRONT in on_page,
        on_page=set(on_page),
        page=page,
        pages=pages,
        first=on_page[0].display if on_page else None,
        last=on_page[-1].display if on_page else None,
    )


def ancestors(translation: Translation, sid: SectionId) -> list[Section]:
    """The sections a section is in, outermost first, as its breadcrumb names them: its part's opening (for a
    section in a part), its top-level section, its subsection. Those the translation lacks are left out."""
    ids: list[SectionId] = []
    if sid.part and not sid.is_front:
        ids.append(SectionId.front_of(sid.part))
    up = sid.parent
    chain = []
    while up is not None:
        chain.append(up)
        up = up.parent
    ids += reversed(chain)
    found = (translation.section(i) for i in ids)
    return [s for s in found if s is not None]


@bp.get("/notices/<notice>/<translation>/<section:section>")
def section(notice: str, translation: str, section: str):
    kb = knowledge_base()
    n = kb.notice(notice)
    t = kb.translation(n, translation)
    s = find_section(kb, n, t, section)
    if section != s.id:  # "6 (1)" typed into the address bar: the canonical URL is /6.1
        return redirect(links.section_url(t, s.id), code=301)
    prev_id, next_id = n.neighbours(t, s.id)
    if s.id.part and s.id.is_front:  # a part's opening: its sections are the part's top level
        children = [t.outline.headed(c) for c in t.outline.sections if c.id.part == s.id.part and c.id.level == 1]
    else:
        children = [c for c in t.outline.sections if c.parent == s.id]
    others = [o for o in n.translations if o.name != t.name]
    q = request.args.get("q", "").strip()
    return render_template(
        "section.html",
        notice=n,
        translation=t,
        section=s,
        ancestors=ancestors(t, s.id),
        children=children[:SUBSECTIONS_LIMIT],
        more_children=children[SUBSECTIONS_LIMIT:],
        prev_id=prev_id,
        next_id=next_id,
        others=[(o, s.id in o.section_ids) for o in others],
        body=mark_terms(str(paragraphs(s.body)), query_terms(kb, q)),
    )
