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


def to_markdown(notice: Notice, translation: Translation) -> str:
    """Markdown for the ``markdown`` package with the ``attr_list`` extension (for ``{#anchor}``).

    Only the sections: the page around it names the notice (by the model's
    title, not by the translation's own first line, which may be a news
    headline), and each heading is the section's :attr:`~kb.models.Section.heading`,
    as every other page names it ("6 (1) Title", "Front matter").
    """
    o = translation.outline
    lines: list[str] = []
    front = translation.section(FRONT)
    if front is not None:
        lines += [f"## {escape(front.heading)} {{#{SectionId(FRONT).anchor}}}", ""]
        lines += [escape(p) + "\n" for p in o.front.split("\n") if p.strip()]
    for s in o.sections:
        level = "###" if s.parent else "##"
        lines += [f"{level} {escape(s.heading)} {{#{s.anchor}}}", ""]
        if s.body:
            lines += [escape(p) + "\n" for p in s.body.split("\n") if p.strip()]
    return "\n".join(lines).rstrip() + "\n"
