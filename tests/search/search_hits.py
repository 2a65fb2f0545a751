"""Small readers of search results shared by the query-feature tests (one file per feature)."""

from __future__ import annotations

import re

from kb.query import stems
from kb.search import KnowledgeBase


def sections(result) -> list[str]:
    return [h.section for h in result.hits]


def hit_text(kb: KnowledgeBase, hit) -> str:
    """What a hit's section says (titles and body), read from the catalog, in lower case."""
    body = kb.section(hit.notice, hit.translation, hit.section).body
    return f"{hit.title or ''}\n{hit.chunk.parent_title or ''}\n{body}".lower()


def marked_words(hit) -> list[str]:
    return [hit.snippet.plain[s:e] for s, e in hit.snippet.spans]


def has_word(text: str, stem: str) -> bool:
    return any(stems(w) == [stem] for w in re.findall(r"[A-Za-z]+", text))
