"""A section in every translation of its notice, side by side, with the differences between them marked.

One translation is the *base* (the first that has the section, or the one
``?base=`` names): every other column in its language is compared with it,
word by word (:mod:`kb.compare`), and the base's own column with the first
of the others, so that with two translations (the usual case) each side
marks what it does not share with the other. A version in another language
(the Chinese original beside English translations) is shown as written
beside them, and compared only with versions in its own language. ``?diff=0`` shows the texts unmarked; the marks are
in the page either way, so that the page's script can show and hide them
without asking again.

The JSON API (``/api/notices/<notice>/compare/<section>``) answers from the
same :class:`SideBySide`, so that the page and the API cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort, redirect, render_template, request, url_for
from markupsafe import Markup, escape

from kb.compare import Comparison, Kind, compare
from kb.errors import NotFound
from kb.language import is_chinese, language_group
from kb.models import Notice, Section, SectionId, Translation
from kb.search import KnowledgeBase
from web import links
from web.views import bp, knowledge_base, section_id

#: Sections the picker lists, around the current one: every section of a notice with 20,000 would make the
#: page a megabyte of <option>s. Normal notices have 20-50, so they are all listed.
PICKER_LIMIT = 200
#: What the ``diff`` parameter may be: mark the differences (the default) or not.
DIFF_VALUES = {"1": True, "0": False}
#: The class that marks each kind of difference in a column. Colour is never the only sign: the classes also
#: underline (solid or dotted), the legend names them, and style.css gives each mark words for a screen reader
#: ("only in this translation", "worded differently", "end") as generated content, which is spoken but is not
#: part of the text a reader selects and copies.
MARKS = {Kind.LEFT_ONLY: "diff diff-only", Kind.RIGHT_ONLY: "diff diff-only", Kind.CHANGED: "diff diff-changed"}


def cite(notice: Notice, translation: Translation, sid: SectionId) -> str:
    """A side's citation: the one place this page and its JSON ask for one, so that it is changed in one place."""
    return links.citation(notice, translation, sid)


@dataclass
class Column:
    """One translation's side: its section (None where it lacks it) and how it compares with the base."""

    translation: Translation
    section: Section | None
    #: The translation this column's marks compare it with, and the comparisons of its text and title: the
    #: column is the left side of them when it is the base, the right side otherwise.
    against: Translation | None = None
    text: Comparison | None = None
    title: Comparison | None = None
    is_base: bool = False

    @property
    def units(self) -> str:
        """What the comparison counts in this column's language: Chinese is compared character by character."""
        return "characters" if is_chinese(self.translation.language) else "words"

    @property
    def side(self) -> str:
        return "left" if self.is_base else "right"

    def parts(self, comparison: Comparison | None, plain: str) -> list[tuple[str, Kind]]:
        """This side's text as (text, kind) pieces; all of it plain without a comparison."""
        if comparison is None:
            return [(plain, Kind.EQUAL)]
        return [(getattr(s, self.side), s.kind) for s in comparison.spans if getattr(s, self.side)]


@dataclass
class SideBySide:
    """Everything the compare page and its JSON show for one section of one notice."""

    notice: Notice
    section: SectionId
    title: str | None
    base: Translation | None
    columns: list[Column] = field(default_factory=list)
    #: Why the base is not the one asked for (it lacks the section), for the reader; None otherwise.
    base_note: str | None = None

    @property
    def missing_everywhere(self) -> bool:
        return self.base is None

    def to_json(self) -> dict:
        n, sid = self.notice, self.section
        return {
            "notice": n.id,
            "notice_title": n.title,
            "number": n.number,
            "date": n.date,
            "section": sid,
            "section_label": sid.display,
            "title": self.title,
            "base": self.base.name if self.base else None,
            "base_note": self.base_note,
            "translations": [
                {
                    "name": c.translation.name,
                    "label": c.translation.label,
                    "has_section": c.section is not None,
                    "title": c.section.title if c.section else None,
                    "text": c.section.body if c.section else None,
                    "permalink": links.section_url(c.translation, sid) if c.section else None,
                    "citation": cite(n, c.translation, sid) if c.section else None,
                }
                for c in self.columns
            ],
            "comparisons": [
                {
                    "left": self.base.name,
                    "right": c.translation.name,
                    "title": c.title.to_json(),
                    "text": c.text.to_json(),
                }
                for c in self.columns
                if self.base and not c.is_base and c.text is not None and c.title is not None
            ],
            "links": {
                "page": links.compare_url(n, sid),
                "previous": _api_neighbour(n, sid, -1),
                "next": _api_neighbour(n, sid, +1),
            },
        }


def side_by_side(kb: KnowledgeBase, notice: Notice, sid: SectionId, base_name: str | None = None) -> SideBySide:
    """The section ``sid`` of ``notice`` in each translation, the others compared with the base (see the module).

    A section no translation has, but the numbering implies (1 (1) where
    translations start at 1 (3)), is shown as missing everywhere; a section
    beyond the numbering is a 404. ``base_name`` naming no translation is a
    404 too; naming one that lacks the section, the first that has it is the
    base instead, and :attr:`SideBySide.base_note` says so.
    """
    if sid not in notice.section_ids:
        raise NotFound(f"{notice.number or notice.title} has no section {sid.display}")
    wanted = kb.translation(notice, base_name) if base_name else None
    sections = {t.name: t.section(sid) for t in notice.translations}
    having = [t for t in notice.translations if sections[t.name] is not None]
    base = wanted if wanted is not None and sections[wanted.name] is not None else (having[0] if having else None)
    view = SideBySide(notice, sid, notice.section_title(sid), base)
    if wanted is not None and base is not wanted:
        view.base_note = f"The {wanted.label} lacks this section, so the others are compared with the {base.label}."
    if base is None:
        view.columns = [Column(t, None) for t in notice.translations]
        return view
    ordered = [base, *(t for t in notice.translations if t is not base)]
    columns = {t.name: Column(t, sections[t.name], is_base=t is base) for t in ordered}
    view.columns = list(columns.values())
    # Words are compared within a language only: a Chinese original beside an English translation differs in
    # every word, so each column is compared with the first of its language to have the section (the base,
    # where it is in that language), and that first one with the next, so both sides of a pair are marked.
    by_language: dict[str, list[Column]] = {}
    for c in view.columns:
        if c.section is not None:
            by_language.setdefault(language_group(c.translation.language), []).append(c)
    for group in by_language.values():
        first = group[0]
        for c in group[1:]:
            c.against = first.translation
            c.text = compare(first.section.body, c.section.body)
            c.title = compare(first.section.title or "", c.section.title or "")
        if len(group) > 1:
            first.against, first.text, first.title = group[1].translation, group[1].text, group[1].title
    return view


def _api_neighbour(notice: Notice, sid: SectionId, step: int) -> str | None:
    ids = notice.section_ids
    pos = ids.index(sid) + step
    return url_for("api.compare", notice=notice.id, section=ids[pos]) if 0 <= pos < len(ids) else None


def marked(parts: list[tuple[str, Kind]], paragraphs: bool = True) -> Markup:
    """Text pieces as escaped HTML, each difference in a <mark> (see :data:`MARKS`).

    ``paragraphs``: each line a <p> (a difference that runs over a line break
    is marked on both lines); lines without text are left out, as
    :func:`web.html.paragraphs` leaves them.
    """
    lines: list[list[str]] = [[]]
    has_text = [False]
    for text, kind in parts:
        for i, line in enumerate(text.split("\n") if paragraphs else [text]):
            if i:
                lines.append([])
                has_text.append(False)
            if not line:
                continue
            has_text[-1] = has_text[-1] or bool(line.strip())
            if kind is Kind.EQUAL or not line.strip():
                lines[-1].append(str(escape(line)))
            else:
                lines[-1].append(f'<mark class="{MARKS[kind]}">{escape(line)}</mark>')
    if not paragraphs:
        return Markup("".join(lines[0]))
    return Markup("".join(f"<p>{''.join(line)}</p>" for line, text in zip(lines, has_text, strict=True) if text))


def _show_differences() -> bool:
    raw = request.args.get("diff")
    if raw is None or raw == "":
        return True
    if raw not in DIFF_VALUES:
        abort(400, description="diff must be 1 (mark the differences) or 0 (show the texts unmarked).")
    return DIFF_VALUES[raw]


def _page_url(notice: Notice, sid: str, show: bool, base: str | None) -> str:
    """The compare page of ``sid`` in the reader's current state (differences shown or not, the chosen base)."""
    return url_for("pages.compare", notice=notice.id, section=sid, diff=None if show else "0", base=base or None)


def _picker(notice: Notice, sid: SectionId) -> tuple[list[tuple[SectionId, str]], int, int]:
    """The sections the picker lists (id, label), and how many it leaves out before and after them."""
    ids = notice.section_ids
    pos = ids.index(sid)
    start = max(0, min(pos - PICKER_LIMIT // 2, len(ids) - PICKER_LIMIT))
    shown = ids[start : start + PICKER_LIMIT]
    titles = notice.section_titles
    derived = notice.derived_titles
    has = [(t.label, set(t.section_ids)) for t in notice.translations]
    options = []
    for i in shown:
        lacking = [label for label, ids_of in has if i not in ids_of]
        parts = [titles.get(i) or "Front matter"] if i.is_front else [i.display, titles.get(i, "")]
        if i in derived:
            parts.append("(title derived from the text)")
        if len(has) > 1 and len(lacking) == len(has):
            parts.append("– in no translation")
        elif len(has) > 1 and lacking:
            parts.append(f"– not in the {', '.join(lacking)}")
        options.append((i, " ".join(p for p in parts if p)))
    return options, start, len(ids) - start - len(shown)


@bp.get("/notices/<notice>/compare/<section:section>", endpoint="compare")
def compare_page(notice: str, section: str):
    kb = knowledge_base()
    n = kb.notice(notice)
    sid = section_id(section)
    show = _show_differences()
    base_name = request.args.get("base") or None
    view = side_by_side(kb, n, sid, base_name)
    ids = n.section_ids
    pos = ids.index(sid)
    prev_id = ids[pos - 1] if pos > 0 else None
    next_id = ids[pos + 1] if pos + 1 < len(ids) else None
    options, before, after = _picker(n, sid)
    return render_template(
        "compare.html",
        notice=n,
        view=view,
        section_id=sid,
        part=n.part(sid.part),
        title=view.title,
        show=show,
        base_name=base_name,
        toggle_url=_page_url(n, sid, not show, base_name),
        prev=(prev_id, _page_url(n, prev_id, show, base_name)) if prev_id else None,
        next=(next_id, _page_url(n, next_id, show, base_name)) if next_id else None,
        options=options,
        before=before,
        after=after,
        titles=n.section_titles,
        marked=marked,
        cite=cite,
    )


@bp.get("/notices/<notice>/compare")
def compare_pick(notice: str):
    """Where the section picker's form goes (it works without a script): the compare page of the section it
    names ("6.1", or "6 (1)" as typed), keeping the reader's choices; the first section without one."""
    kb = knowledge_base()
    n = kb.notice(notice)
    raw = request.args.get("section", "").strip()
    if raw:
        sid = SectionId.parse(raw[:40])
        if sid is None or sid not in n.section_ids:
            raise NotFound(f"{n.number or n.title} has no section {raw[:40]!r}")
    elif n.section_ids:
        sid = n.section_ids[0]
    else:
        raise NotFound(f"{n.number or n.title} has no sections")
    show = _show_differences()
    return redirect(_page_url(n, sid, show, request.args.get("base") or None), code=303)
