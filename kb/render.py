"""The canonical Markdown of a translation: one heading per section, each with a stable anchor.

Source text is escaped on the way in (HTML-significant characters become
entities, Markdown syntax is backslash-escaped), so that whatever a source
contains is shown as text once rendered, never interpreted.
"""

from __future__ import annotations

import re

from kb.models import FRONT, Notice, SectionId, Translation

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!])")
_LINE_START = re.compile(r"^(\s*)([-+>]|\d+[.)])(?=\s)", re.MULTILINE)


def escape(text: str) -> str:
    """Make source text inert in Markdown: no HTML, no emphasis, links, lists or headings."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _LINE_START.sub(_escape_list_marker, text)


def _escape_list_marker(m: re.Match) -> str:
    """ "- x" and "1. x" at a line start would become lists: escape the marker's last character."""
    indent, marker = m[1], m[2]
    return f"{indent}{marker[:-1]}\\{marker[-1]}"


#: The Markdown heading level of a section of the notice's own text, by its level (1 section, 2 subsection, 3 the
#: third level); a part's heading is at the sections' level and its sections one level deeper, so that a reader
#: moving by headings finds each part's sections inside it.
_PAGE_LEVEL = {0: 2, 1: 2, 2: 3, 3: 4}


def to_markdown(notice: Notice, translation: Translation) -> str:
    """Markdown for the ``markdown`` package with the ``attr_list`` extension (for ``{#anchor}``).

    Only the sections: the page around it names the notice (by the model's
    title, not by the translation's own first line, which may be a news
    headline), and each heading is the section's :attr:`~kb.models.Section.heading`,
    as every other page names it ("6 (1) Title", "Front matter"). Each part
    follows the notice's own text under its heading ("Attachment 1: Rules
    for Data Sharing", the heading of its opening ``a1/front``), its sections
    a level deeper than the notice's and numbered as the part numbers them
    (:attr:`~kb.models.Section.local_heading`: "2 (5) Catalogues").
    """
    o = translation.outline
    lines: list[str] = []
    front = translation.section(FRONT)
    if front is not None:
        lines += [f"## {escape(front.heading)} {{#{SectionId(FRONT).anchor}}}", ""]
        lines += [escape(p) + "\n" for p in o.front.split("\n") if p.strip()]
    part = 0
    for s in o.sections_headed():
        if s.id.part != part:  # the end of the notice's own text, or of a part: its closing lines
            lines += _closing(o.closing.get(part, ""))
            part = s.id.part
        depth = _PAGE_LEVEL[s.id.level] + (1 if s.id.part and not s.id.is_front else 0)
        derived = " .derived" if s.title_derived and s.title else ""  # pages mark a title the text did not give
        lines += [f"{'#' * depth} {escape(s.local_heading)} {{#{s.anchor}{derived}}}", ""]
        if s.body:
            lines += [escape(p) + "\n" for p in s.body.split("\n") if p.strip()]
    lines += _closing(o.closing.get(part, ""))
    return "\n".join(lines).rstrip() + "\n"


def _closing(text: str) -> list[str]:
    """Closing lines (signature, date, notes: kb.models.Outline.closing) as paragraphs the page sets apart."""
    return [f"{escape(p.strip())}\n{{: .closing }}\n" for p in text.split("\n") if p.strip()]


#: Markers a Markdown source gives each level of its headings, as kb.outline reads them back ("2.", "(5)", "1.").
_SOURCE_MARKERS = {1: "{}.", 2: "({})", 3: "{}."}


def to_source(notice: Notice, translation: Translation) -> str:
    """The translation as a Markdown source that :func:`kb.outline.parse` reads back to the same outline.

    ``#`` the title, then the front matter; ``##`` a section, ``###`` a
    subsection, ``####`` the third level, each with the number it has as its
    marker ("2.", "(5)", "1."); each part after the notice's own text under
    ``# Attachment k: Title`` (or its source's label: "# Annex 2: Forms"),
    numbered from 1 again. Text is written as it is (this is a source, not a
    page), but for a line that would read as a heading, whose ``#`` is
    escaped.
    """
    o = translation.outline
    title = o.metadata.title or notice.title
    lines = [f"# {title}", ""]
    if o.front:
        lines += [_source_text(o.front), ""]
    for s in o.sections:
        if s.id.is_front:  # a part's opening: its heading, then its preamble
            part = o.part(s.id.part)
            label = part.label if part and part.label else f"Attachment {s.id.part}"
            heading = f"{label}: {part.title}" if part and part.title else label
            lines += [f"# {heading}", ""]
        else:
            marker = _SOURCE_MARKERS[s.id.level].format(s.id.numbers[-1])
            lines += [f"{'#' * (s.id.level + 1)} {marker} {s.title or ''}".rstrip(), ""]
        if s.body:
            lines += [_source_text(s.body), ""]
    return "\n".join(lines).rstrip() + "\n"


_HEADING_LIKE = re.compile(r"^(\s*)#", re.MULTILINE)


def _source_text(text: str) -> str:
    """Text for a Markdown source: as it is, with a line's leading ``#`` escaped so that it stays text."""
    return _HEADING_LIKE.sub(r"\1\\#", text)
