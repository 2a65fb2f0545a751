"""Saved government web pages as sources: the article's text, one paragraph a line, and the page's own facts.

A notice published on gov.cn or a ministry's site is a page of navigation,
breadcrumbs, share bars, scripts and footers around one article, often with a
table of the notice's facts (索引号, 发文机关, 成文日期, 发文字号 ...) above it.
What the rest of the pipeline wants is what a ``.txt`` source holds: the
article alone, a paragraph a line. The page is parsed by Lexbor (through
``selectolax``), an HTML5 parser that reads malformed markup as a browser
does, keeps text after 10,000 nested elements (libxml2, behind lxml, drops the
whole document past its depth limit of 256), and parses a 5 MB page in tens of
milliseconds (docs/benchmarks.md, "Saved web pages"). Every walk over the tree
here is iterative, so nesting depth costs no recursion.

The body is the first known article container that holds text (the ids and
classes gov.cn and ministry sites use), else the block with the most
paragraph text outside links; never the whole page. The facts table is read
into front-matter facts (title, number, date, issuers, type), which win over
what the text seems to state, as a Markdown source's front matter does, and is
never part of the text.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from kb.errors import KnowledgeBaseError
from kb.metadata import parse_date
from kb.models import DOCUMENT_TYPES

#: Suffixes of saved web pages among a corpus's sources.
PAGE_SUFFIXES = (".html", ".htm")
#: Bytes at the top of a page searched for a declared charset: browsers look at the first 1024; a little more
#: tolerates long ``<head>`` preambles of comments and scripts that some CMS templates put first.
CHARSET_PRESCAN_BYTES = 8192
#: Labels pages use for encodings that a larger one supersedes: pages labelled GB2312 or GBK routinely hold
#: characters only GB18030 (their superset) has, and WHATWG decodes latin-1 and ASCII labels as windows-1252.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "latin_1": "cp1252", "ascii": "cp1252"}
#: Python codecs a page may name that are no web charset: escapes, domain-name encodings (punycode is
#: quadratic in the text's length) and UTF-7 (which browsers refuse as a page charset).
_NOT_CHARSETS = frozenset({"punycode", "idna", "unicode_escape", "raw_unicode_escape", "utf_7", "undefined"})
#: Elements whose content is never text of the article (code, styling, embedded objects, forms, page chrome).
_NEVER_TEXT = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "embed",
    "svg",
    "canvas",
    "form",
    "button",
    "select",
    "textarea",
    "input",
    "nav",
    "header",
    "footer",
    "aside",
    "head",
)
#: Known article containers, most specific first: gov.cn's ``UCAP-CONTENT`` / ``pages_content`` and the TRS
#: content manager's ``TRS_Editor`` (used by most ministries), then the generic names other sites use.
CONTAINERS = (
    "#UCAP-CONTENT",
    ".TRS_Editor",
    ".pages_content",
    "#pages_content",
    ".article-content",
    ".article_content",
    "#zoom",
    "article",
    ".article",
    "#article",
    "#content",
    ".content",
    "main",
    "[role=main]",
)
#: Least text (characters outside links) for a container to be the article; less is an empty shell or a teaser.
MIN_BODY_CHARS = 20
#: Largest share of a block's text that may be link text for it to be an article rather than a menu.
MAX_LINK_DENSITY = 0.5
#: Words in a class or id that mark page chrome inside an article container (share bars, print links,
#: breadcrumbs, related links, editor lines); matched as whole names or their parts split at ``-``, never as
#: substrings or at ``_``, so ``TRS_Editor`` (the article itself) is not taken for ``editor`` chrome.
_CHROME_WORDS = frozenset(
    "share bdshare breadcrumb breadcrumbnav crumb crumbs print toolbar related comment comments footer header "
    "nav navbar menu sidebar editor pages_print pages-print bdsharebuttonbox position location fontsize qrcode "
    "ewm".split()
)
#: Elements that start a new line of text (paragraphs, blocks, list items, table rows and line breaks).
_BLOCKS = frozenset(
    "address article blockquote br center dd div dl dt figcaption figure h1 h2 h3 h4 h5 h6 hr li main ol p pre "
    "section table tbody thead tfoot tr ul caption".split()
)
#: Labels of the facts table gov.cn pages carry, and the fact each gives (None: read, but not a fact we keep).
FACT_LABELS = {
    "标题": "title",
    "发文字号": "number",
    "发文机关": "issuers",
    "成文日期": "date",
    "公文种类": "type",
    "索引号": None,
    "主题分类": None,
    "发布日期": None,
}
#: First characters of the labels: a text starting with none of them is no label, without a closer look.
_LABEL_STARTS = frozenset(label[0] for label in FACT_LABELS)
#: A facts table names at least this many of the labels (one label alone is a word in a sentence).
MIN_FACT_LABELS = 2
#: Labels looked at in a page: a facts table has eight; a page with thousands is built to cost (each label
#: reads its cell's text, and nested cells would make that quadratic).
MAX_LABELS = 64
#: How far above a label's text its cell may be (``<td><b><span>发文字号：``), and its table above the cell
#: (``<table><tbody><tr><td>``).
LABEL_DEPTH = 4
#: Chinese names of document kinds (公文种类) and the kind they are (:data:`kb.models.DOCUMENT_TYPES`).
#: 主题分类 is a subject classification (国民经济管理, 城乡建设 ...), never a document kind, so it gives none.
CHINESE_TYPES = {
    "通知": "notice",
    "通报": "circular",
    "意见": "opinions",
    "办法": "measures",
    "规划": "plan",
    "方案": "plan",
    "决定": "decision",
    "公告": "announcement",
    "通告": "announcement",
    "指南": "guidelines",
    "条例": "regulations",
    "规定": "provisions",
    "规则": "rules",
    "法": "law",
}
#: ``<meta name=...>`` holding the article's title on gov.cn and many CMS pages.
_TITLE_METAS = ("ArticleTitle", "og:title", "dc.title")
#: Separators between a page title and the site's name ("关于…的通知_国务院文件_中国政府网").
_TITLE_SEPARATORS = ("_", " - ", " | ", " – ", "|")


class PageError(KnowledgeBaseError):
    """A page that gives no article text; the message (one line) says why."""


@dataclass
class Page:
    """What a saved page gives: the article's text, a paragraph a line, and the facts the page states."""

    text: str
    facts: dict[str, Any] = field(default_factory=dict)


def is_page(name: str) -> bool:
    """Whether a file name is a saved web page's."""
    return name.lower().endswith(PAGE_SUFFIXES)


def read_page(data: bytes, name: str) -> Page:
    """The article of a saved page, and its facts; :class:`PageError` for a page without article text."""
    if b"\x00" in data:
        raise PageError(f"{name}: looks like a binary file, not a web page")
    tree = LexborHTMLParser(decode_page(data))
    facts = _title_facts(tree)
    facts.update(_facts_table(tree))
    tree.strip_tags(list(_NEVER_TEXT))
    sizes = text_sizes(tree.root) if tree.root is not None else {}
    body = find_body(tree, sizes)
    if body is None:
        raise PageError(f"{name}: no article text found in the page")
    _drop_chrome(body, sizes)
    text = "\n".join(_lines(body))
    if not text.strip():
        raise PageError(f"{name}: no article text found in the page")
    return Page(text, facts)


# -- charset -------------------------------------------------------------------------


def decode_page(data: bytes) -> str:
    """A page's text: by its byte order mark, else its declared charset, else UTF-8, else GB18030.

    A declared charset is decoded with replacement characters for stray bytes
    (as a browser would show the page); without one, UTF-8 is tried strictly
    and GB18030 (Chinese government pages' other encoding) after it.
    """
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, "replace").lstrip("\ufeff")
    declared = declared_charset(data[:CHARSET_PRESCAN_BYTES])
    if declared:
        try:
            return data.decode(declared, "replace")
        except (UnicodeError, LookupError):  # a codec that cannot replace what it cannot read
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace")


def declared_charset(head: bytes) -> str | None:
    """The Python codec of the charset a page's ``<meta>`` declares, or None when none is declared or known.

    The head is parsed as windows-1252 (every byte is a character, and the
    markup is ASCII in every encoding a page may declare but UTF-16, which a
    ``<meta>`` cannot declare).
    """
    tree = LexborHTMLParser(head.decode("cp1252", "replace"))
    for meta in tree.css("meta"):
        attrs = {k.lower(): (v or "") for k, v in meta.attributes.items()}
        label = attrs.get("charset")
        if not label and attrs.get("http-equiv", "").lower() == "content-type":
            content = attrs.get("content", "")
            _, _, rest = content.lower().partition("charset=")
            label = rest.split(";")[0].strip().strip("'\"")
        if label:
            return _codec(label)
    return None


def _codec(label: str) -> str | None:
    """The Python codec for a charset label; None for an unknown label, or a codec that is no page charset
    (``base64`` is not a text encoding; ``punycode`` decodes in quadratic time; escapes are not charsets)."""
    try:
        name = codecs.lookup(label.strip()).name
        b"".decode(name)  # LookupError for the codecs of bytes to bytes (base64, zlib, hex)
    except (LookupError, ValueError):
        return None
    name = name.replace("-", "_")
    if name in _NOT_CHARSETS:
        return None
    if name.startswith("utf_16"):  # a page read as ASCII cannot be UTF-16: the label is wrong (WHATWG: UTF-8)
        return "utf-8"
    return _SUPERSETS.get(name, name)


# -- facts -----------------------------------------------------------------------------


def _title_facts(tree: LexborHTMLParser) -> dict[str, Any]:
    """The title a page's ``<meta>`` or ``<title>`` gives, without the site's name after it."""
    for meta in tree.css("meta"):
        attrs = {k.lower(): (v or "") for k, v in meta.attributes.items()}
        key = attrs.get("name") or attrs.get("property") or ""
        if key.lower() in {m.lower() for m in _TITLE_METAS} and attrs.get("content", "").strip():
            return {"title": _squeeze(attrs["content"])}
    node = tree.css_first("title")
    if node is not None:
        title = _squeeze(node.text())
        for separator in _TITLE_SEPARATORS:
            title = title.split(separator)[0].strip()
        if title:
            return {"title": title}
    return {}


def _facts_table(tree: LexborHTMLParser) -> dict[str, Any]:
    """The facts of the first table naming at least :data:`MIN_FACT_LABELS` labels, which is then removed.

    A label is the start of a text in a table cell: "发文字号：" alone (the
    value is the next cell's text) or "发文字号：国办发〔2018〕123号" (label and
    value in one cell). The labels are found in one walk over the page's
    texts and only the first :data:`MAX_LABELS` are looked at, so a page of
    nested tables full of labels costs no more than a page's walk; the table
    a label belongs to is its nearest, so a layout table around the whole
    page is never taken for the facts table.
    """
    tables: dict[int, tuple[LexborNode, dict[str, str]]] = {}
    seen = 0
    for text_node in _text_nodes(tree.body):
        if seen >= MAX_LABELS:
            break
        text = (text_node.text_content or "").lstrip()
        if text[:1] not in _LABEL_STARTS or _split_label(text)[0] is None:  # the first test rejects most texts
            continue
        cell = _ancestor(text_node, {"td", "th"})
        table = _ancestor(cell, {"table"}) if cell is not None else None
        if cell is None or table is None:
            continue
        seen += 1
        label, sep, value = _split_label(_spaced(cell.text()))
        if label is None:
            continue
        if not sep or not value:
            following = cell.next
            while following is not None and following.tag not in {"td", "th"}:
                following = following.next
            value = _spaced(following.text()) if following is not None else ""
            if _split_label(value)[0] is not None:  # an empty value, then the next label
                value = ""
        tables.setdefault(table.mem_id, (table, {}))[1].setdefault(label, value)
    for table, found in tables.values():
        if len(found) >= MIN_FACT_LABELS:
            table.decompose()
            return _facts(found)
    return {}


def _text_nodes(root: LexborNode | None) -> Iterator[LexborNode]:
    """The text nodes under ``root`` in document order, without recursion."""
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if node.tag == "-text":
            yield node
        else:
            stack.extend(reversed(_children(node)))


def _ancestor(node: LexborNode, tags: set[str]) -> LexborNode | None:
    """The nearest of ``node``'s first :data:`LABEL_DEPTH` ancestors that is one of ``tags``."""
    current = node.parent
    for _ in range(LABEL_DEPTH):
        if current is None:
            return None
        if current.tag in tags:
            return current
        current = current.parent
    return None


def _split_label(text: str) -> tuple[str | None, str, str]:
    """(label, separator, value) when ``text`` starts with a known label, else (None, "", "").

    Spaces inside the label are ignored ("索  引  号", "标　　题" are spaced
    out to align the table), and the value is returned as written.
    """
    for label in FACT_LABELS:
        k = 0
        for i, char in enumerate(text):
            if char.isspace():
                continue
            if char != label[k]:
                break
            k += 1
            if k == len(label):
                rest = text[i + 1 :].lstrip()
                if not rest:
                    return label, "", ""
                if rest[0] in "：:":
                    return label, rest[0], rest[1:].strip()
                break
    return None, "", ""


def _facts(found: dict[str, str]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for label, value in found.items():
        key = FACT_LABELS[label]
        if key is None or not value:
            continue
        if key == "date":
            date = parse_date(value)
            if date:
                facts["date"] = date
        elif key == "issuers":
            parts = value.replace("，", "、").replace(",", "、").replace(";", "、").replace("；", "、").split("、")
            if not any(char.isascii() and char.isalpha() for char in value):  # Chinese names hold no spaces
                parts = [name for part in parts for name in part.split()]
            facts["issuers"] = [name.strip() for name in parts if name.strip()]
        elif key == "type":
            kind = CHINESE_TYPES.get(value) or (value.lower() if value.lower() in DOCUMENT_TYPES else None)
            if kind:
                facts["type"] = kind
        else:
            facts[key] = value
    return facts


# -- the body ------------------------------------------------------------------------------


#: (characters of text outside links, characters inside links) of each element, by its ``mem_id``.
Sizes = dict[int, tuple[int, int]]


def find_body(tree: LexborHTMLParser, sizes: Sizes | None = None) -> LexborNode | None:
    """The article: the first known container with text, else the densest block of paragraphs; None if none.

    Every element's text sizes are counted once, bottom up (:func:`text_sizes`), so judging a candidate costs
    a look-up: judging each by walking its subtree costs the square of the depth (40 s for 5,000 nested
    link-heavy blocks).
    """
    if sizes is None:
        sizes = text_sizes(tree.root) if tree.root is not None else {}
    for selector in CONTAINERS:
        for node in tree.css(selector):
            if _is_article(sizes.get(node.mem_id, (0, 0))):
                return node
    return _densest(tree, sizes)


def _is_article(size: tuple[int, int]) -> bool:
    own, linked = size
    return own >= MIN_BODY_CHARS and linked <= MAX_LINK_DENSITY * (own + linked)


def _densest(tree: LexborHTMLParser, sizes: Sizes) -> LexborNode | None:
    """The block whose paragraphs hold the most text outside links, as readability-style extractors score it.

    Each paragraph-like element (``p``, or a ``div``/``td``/``li`` holding
    text of its own) gives its text length to its parent and half to its
    grandparent; the best-scored block wins if its link density is low. The
    ``body`` is a block like any other (a plain page's paragraphs lie directly
    in it), so it wins only when its paragraphs outweigh every block's and
    links are a minority of its text: navigation, headers and footers are gone by then.
    """
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    for para in tree.css("p, div, td, li"):
        own = sizes.get(para.mem_id, (0, 0))[0] if para.tag == "p" else _own_text_size(para)
        if own < MIN_BODY_CHARS // 2:
            continue
        parent = para.parent
        for share in (1.0, 0.5):
            if parent is None or parent.tag == "html":
                break
            key = parent.mem_id
            nodes[key] = parent
            scores[key] = scores.get(key, 0.0) + share * own
            parent = parent.parent
    for key in sorted(scores, key=scores.__getitem__, reverse=True):
        if _is_article(sizes.get(key, (0, 0))):
            return nodes[key]
    return None


def _own_text_size(node: LexborNode) -> int:
    """Characters of the text directly in ``node`` (not in its child elements), whitespace not counted."""
    return sum(_size(child.text_content) for child in _children(node) if child.tag == "-text")


def _size(text: str | None) -> int:
    return len("".join((text or "").split()))


def text_sizes(root: LexborNode) -> Sizes:
    """(characters outside links, characters inside links) of every element under ``root``, whitespace not
    counted, in one pass after the children (iterative: nesting depth costs no recursion)."""
    sizes: Sizes = {}
    #: (element, whether it is inside a link, its children once they are being counted)
    stack: list[tuple[LexborNode, bool, list[LexborNode] | None]] = [(root, root.tag == "a", None)]
    while stack:
        node, in_link, children = stack.pop()
        if children is None:
            children = _children(node)
            stack.append((node, in_link, children))
            stack.extend((c, in_link or c.tag == "a", None) for c in children if c.tag != "-text")
            continue
        own = linked = 0
        for child in children:
            if child.tag == "-text":
                n = _size(child.text_content)
                own, linked = (own, linked + n) if in_link else (own + n, linked)
            else:
                child_own, child_linked = sizes.get(child.mem_id, (0, 0))
                own, linked = own + child_own, linked + child_linked
        sizes[node.mem_id] = (own, linked)
    return sizes


def _children(node: LexborNode) -> list[LexborNode]:
    return list(node.iter(include_text=True))


def _drop_chrome(body: LexborNode, sizes: Sizes) -> None:
    """Remove share bars, print links, breadcrumbs and such from inside the article, by their class or id.

    A block named like chrome that holds half the article's text or more is
    kept: it is the article under an unlucky name (``<div class="main nav-content">``).
    """
    total = sum(sizes.get(body.mem_id, (0, 0)))
    doomed = []
    stack = _children(body)
    while stack:
        node = stack.pop()
        if node.tag == "-text":
            continue
        if _is_chrome(node) and 2 * sum(sizes.get(node.mem_id, (0, 0))) < total:
            doomed.append(node)
            continue
        stack.extend(_children(node))
    for node in doomed:
        node.decompose()


def _is_chrome(node: LexborNode) -> bool:
    names = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}".lower()
    parts = set(names.split())
    parts |= {p for name in list(parts) for p in name.split("-")}
    return bool(parts & _CHROME_WORDS)


def _lines(body: LexborNode) -> list[str]:
    """The text under ``body``, a line per block (paragraph, heading, list item, table row), blank lines dropped."""
    lines: list[str] = []
    current: list[str] = []

    def close() -> None:
        line = _squeeze("".join(current))
        if line:
            lines.append(line)
        current.clear()

    #: (node, entering) pairs: a block closes the line before it and after it
    stack: list[tuple[LexborNode, bool]] = [(child, True) for child in reversed(_children(body))]
    while stack:
        node, entering = stack.pop()
        if node.tag == "-text":
            current.append(node.text_content or "")
            continue
        block = node.tag in _BLOCKS
        if not entering:
            close()
            continue
        if block:
            close()
            stack.append((node, False))
        elif node.tag in {"td", "th"}:
            current.append(" ")
        stack.extend((child, True) for child in reversed(_children(node)))
    close()
    return lines


def _squeeze(text: str) -> str:
    """Whitespace runs as one space, none beside a CJK character (a line break inside Chinese text is not a
    word space), and none at the ends (including the ideographic spaces that indent Chinese paragraphs)."""
    words = text.split()
    if not words:
        return ""
    out = [words[0]]
    for word in words[1:]:
        if not (_is_cjk(out[-1][-1]) or _is_cjk(word[0])):
            out.append(" ")
        out.append(word)
    return "".join(out)


def _spaced(text: str) -> str:
    """Whitespace runs as one space: a table's value keeps the spaces between names ("财政部 自然资源部")."""
    return " ".join(text.split())


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code
