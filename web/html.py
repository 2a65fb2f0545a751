"""HTML fragments built from documents: rendered Markdown, permalinks, and marked query terms.

Markdown from :mod:`kb.render` already escapes source text; the rendered HTML
is also passed through nh3 (a maintained sanitiser) with a small allow-list,
so nothing in a source document can become markup that runs.
"""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup, escape

from kb.models import FRONT, SectionId
from kb.snippets import match_spans

_ALLOWED_TAGS = {"h1", "h2", "h3", "h4", "h5", "p", "a", "em", "strong", "code", "ul", "ol", "li", "blockquote", "br"}
#: A heading keeps its id and the class kb.render gives a derived title ("derived"): source text cannot set
#: either, since kb.render escapes the braces of an attribute list in it.
_ALLOWED_ATTRS = {
    **{h: {"id", "class"} for h in ("h1", "h2", "h3", "h4", "h5")},
    "a": {"href", "class", "aria-label"},
    #: kb.render's closing lines (signature, date); source text cannot set a class (kb.render escapes ``{``)
    "p": {"class"},
}
#: A heading as the sanitiser writes it: its id and class (a derived title's), in the order it puts them.
_HEADING = re.compile(r'<(h[2-5])((?: (?:id|class)="[A-Za-z0-9_ -]+")+)>(.*?)</\1>', re.DOTALL)
_HEADING_ID = re.compile(r' id="([A-Za-z0-9_-]+)"')
#: What a derived title says to a reader who cannot see its muted style (and, in a tooltip, to one who can).
DERIVED = "title derived from the text"
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
#: Marks a paragraph of the site's own words inside rendered documents (the links after a heading): query terms
#: are not marked in it. Source text cannot carry it: the sanitiser drops every ``data-`` attribute.
NO_MARK = "data-nomark"
#: A section's heading line in the canonical Markdown (kb.render): source text there is escaped, so no other
#: line can start with "#" or end with an unescaped "{#anchor}".
_MD_SECTION_HEADING = re.compile(r"^#{2,5} .*\{#((?:a[0-9]+-)?(?:front|s[0-9-]+))(?: \.derived)?\}$", re.MULTILINE)


@lru_cache(maxsize=8)
def _markdown_sections(source: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """The Markdown before the first section (the title), and the span of each section's heading and text."""
    matches = list(_MD_SECTION_HEADING.finditer(source))
    head = source[: matches[0].start()] if matches else source
    spans = {}
    for i, m in enumerate(matches):
        spans[m[1]] = (m.start(), matches[i + 1].start() if i + 1 < len(matches) else len(source))
    return head, spans


def markdown_page(source: str, anchors: list[str]) -> str:
    """The part of a translation's Markdown that holds the sections ``anchors`` (consecutive), after its title.

    Pages of a long translation are rendered from their own part only; when
    ``anchors`` are all the sections, this is ``source`` itself.
    """
    head, spans = _markdown_sections(source)
    found = [spans[a] for a in anchors if a in spans]
    return head + source[found[0][0] : found[-1][1]] if found else head


@lru_cache(maxsize=32)
def document_html(source: str, base: str) -> str:
    """Sanitised HTML of a translation's canonical Markdown, each heading with a visible permalink.

    ``base`` is the document's URL path; headings also link to their own section page.
    """
    raw = markdown.markdown(source, extensions=["attr_list"], output_format="html")
    clean = nh3.clean(raw, tags=_ALLOWED_TAGS, attributes=_ALLOWED_ATTRS, link_rel=None)

    def permalink(m: re.Match) -> str:
        tag, attributes, inner = m.groups()
        found = _HEADING_ID.search(attributes)
        anchor = found[1] if found else ""
        derived = ' class="derived"' in attributes
        section = SectionId.from_anchor(anchor)
        if section is None:  # not a section's anchor (kb.render writes no other): left as it is
            return m[0]
        name = section.display  # "6 (1)", "attachment 1, 2 (5)", "front matter": the links' names say which
        # The links follow the heading instead of sitting in it, so that a heading's name is its text alone.
        # They, and the front matter's heading, are the site's English words inside a text of any language.
        own = ' lang="en"' if section == FRONT else ""
        kind = " part-head" if section.part and section.is_front else ""
        if derived:  # the number as it is; the title muted, and said to be ours, not the notice's words
            number = escape(section.local.display)
            title = inner[len(number) + 1 :] if inner.startswith(number + " ") else inner
            inner = (
                f'{inner[: len(inner) - len(title)]}<span class="derived" title="{DERIVED}">{title}'
                f'<span class="visually-hidden" lang="en"> ({DERIVED})</span></span>'
            )
        return (
            f'<div class="section-head {tag}{kind}"><{tag} id="{anchor}"{own}>{inner}</{tag}>'
            f'<p class="heading-links" lang="en" {NO_MARK}>'
            f'<a class="permalink" href="#{anchor}" aria-label="Link to {name} on this page">#</a> '
            f'<a class="section-link" href="{base}/{section}" aria-label="section page of {name}">section page</a>'
            "</p></div>"
        )

    return _HEADING.sub(permalink, clean)


def mark_terms(html: str, terms: set[str]) -> Markup:
    """Wrap words whose stems are in ``terms`` in <mark>, touching text only, never tags.

    The site's own words beside a heading (a paragraph marked :data:`NO_MARK`:
    "section page") are not the document's and are left alone.
    """
    if not terms:
        return Markup(html)
    out = []
    skipping = False
    for part in _TAG_OR_TEXT.split(html):
        if part.startswith("<"):
            if NO_MARK in part:
                skipping = True
            elif skipping and part == "</p>":
                skipping = False
        if not part or part.startswith("<") or skipping:
            out.append(part)
            continue
        pos, pieces = 0, []
        for s, e in match_spans(part, terms):
            # an entity such as &amp; is not a word of the text
            if part.rfind("&", 0, s) > part.rfind(";", 0, s) and part.rfind("&", 0, s) >= 0:
                continue
            pieces += [part[pos:s], "<mark>", part[s:e], "</mark>"]
            pos = e
        pieces.append(part[pos:])
        out.append("".join(pieces))
    return Markup("".join(out))


def paragraphs(text: str) -> Markup:
    """Plain text as escaped paragraphs."""
    return Markup("".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p.strip()))
