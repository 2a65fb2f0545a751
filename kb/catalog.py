"""The corpus as the index stores it beside the Whoosh files: notices, outlines, Markdown.

Readers (search, CLI, web) load this JSON instead of re-parsing and
re-cleaning the sources, so reading never depends on the cleaner and always
matches the index it sits beside.
"""

from __future__ import annotations

import json
from pathlib import Path

from kb.models import Metadata, Notice, Outline, Section, Translation

CATALOG = "catalog.json"


def to_dict(notices: list[Notice], fingerprint: str, markdown: dict[tuple[str, str], str]) -> dict:
    """``markdown`` maps (notice id, translation name) to the translation's canonical Markdown."""
    return {"fingerprint": fingerprint, "notices": [notice_dict(n, markdown) for n in notices]}


def notice_dict(n: Notice, markdown: dict[tuple[str, str], str] | None = None) -> dict:
    """One notice as the catalog stores it (without its Markdown when ``markdown`` is None: for comparing)."""
    return {
        "id": n.id,
        "title": n.title,
        "number": n.number,
        "date": n.date,
        "issuers": n.issuers,
        "type": n.doc_type,
        "source": n.source,
        "translations": [
            {
                "name": t.name,
                "label": t.label,
                "file": t.path.name,
                "stated": t.stated,
                "metadata": _metadata_dict(t.outline.metadata),
                "front": t.outline.front,
                "sections": [
                    {"id": s.id, "title": s.title, "parent": s.parent, "body": s.body, "label": s.label}
                    for s in t.outline.sections
                ],
                **({"markdown": markdown[n.id, t.name]} if markdown is not None else {}),
            }
            for t in n.translations
        ],
    }


def _metadata_dict(m: Metadata) -> dict:
    """``dataclasses.asdict`` of the metadata, written out: asdict deep-copies field by field, and comparing a
    corpus with the previous build's catalog (an update, :mod:`kb.index`) turns every notice into a dict."""
    return {
        "title": m.title,
        "number": m.number,
        "source": m.source,
        "date": m.date,
        "issuers": list(m.issuers),
        "doc_type": m.doc_type,
    }


class Catalog:
    """Notices and their translations as indexed, with each translation's canonical Markdown."""

    def __init__(self, data: dict) -> None:
        self.fingerprint: str = data["fingerprint"]
        self.notices: list[Notice] = []
        self.markdown: dict[tuple[str, str], str] = {}
        for n in data["notices"]:
            translations = []
            for t in n["translations"]:
                outline = Outline(Metadata(**t["metadata"]), t["front"], [Section(**s) for s in t["sections"]])
                translations.append(
                    Translation(t["name"], t["label"], Path(t["file"]), n["id"], outline, t.get("stated", {}))
                )
                self.markdown[n["id"], t["name"]] = t["markdown"]
            self.notices.append(
                Notice(
                    n["id"],
                    n["title"],
                    n["number"],
                    n["date"],
                    n["issuers"],
                    translations,
                    doc_type=n["type"],
                    source=n["source"],
                )
            )
        #: Notices by id, for lookups and facet counts.
        self.by_id: dict[str, Notice] = {n.id: n for n in self.notices}

    @classmethod
    def load(cls, build_dir: Path) -> Catalog:
        return cls(json.loads((build_dir / CATALOG).read_text(encoding="utf-8")))

    def notice(self, notice_id: str) -> Notice | None:
        return self.by_id.get(notice_id)

    def with_translation(self, name: str) -> list[Notice]:
        """The notices that have a translation called ``name`` (names are unique only within a notice)."""
        return [n for n in self.notices if n.translation(name)]

    @property
    def translation_names(self) -> list[str]:
        """Every translation name in use, each once, in the order notices list them."""
        return list(dict.fromkeys(t.name for n in self.notices for t in n.translations))
