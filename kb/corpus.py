"""Load a corpus directory: source files, the manifest beside them, notices and their chunks.

``manifest.toml`` records what the texts themselves lack: which files are
translations of one notice, a short name for each translation, the notice's
date. A file the manifest does not describe is still loaded, with metadata
detected from its text; files whose detected document numbers match are
grouped as translations of one notice.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kb.clean import clean
from kb.errors import KnowledgeBaseError
from kb.models import FRONT, Chunk, Notice, Outline, Translation, find_translation
from kb.outline import NoHeadingsError, parse

MANIFEST = "manifest.toml"
SOURCE_SUFFIXES = (".txt", ".md")
MAX_SOURCE_BYTES = 5_000_000


class SourceError(KnowledgeBaseError):
    """A source file that cannot be read as a notice; the message is meant for a person."""


def read_source(path: Path) -> str:
    """Text of a source file, refusing what is not a UTF-8 text document."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a directory, not a file") from None
    except OSError as e:
        raise SourceError(f"{path}: cannot read ({e.strerror})") from None
    return decode_source(data, str(path))


def decode_source(data: bytes, name: str) -> str:
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(f"{name}: too large ({len(data)} bytes; the limit is {MAX_SOURCE_BYTES})")
    if b"\x00" in data:
        raise SourceError(f"{name}: looks like a binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(f"{name}: not UTF-8 text") from None
    if not text.strip():
        raise SourceError(f"{name}: is empty")
    return text


def outline_text(text: str, name: str) -> Outline:
    try:
        return parse(clean(text))
    except NoHeadingsError:
        raise SourceError(f"{name}: no section headings found") from None


@dataclass
class ManifestEntry:
    notice_id: str
    name: str
    label: str
    notice: dict
    translation: dict


def read_manifest(directory: Path) -> dict[str, ManifestEntry]:
    """Manifest entries by file name; an absent manifest is an empty one."""
    path = directory / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise SourceError(f"{path}: invalid manifest ({e})") from None
    entries = {}
    for notice in data.get("notice", []):
        for tr in notice.get("translation", []):
            entries[tr["file"]] = ManifestEntry(notice["id"], tr["name"], tr.get("label", tr["name"]), notice, tr)
    return entries


def apply_manifest(outline: Outline, entry: ManifestEntry | None) -> Outline:
    """Fill what the text lacks from the manifest (the text's own statements win)."""
    if entry:
        meta = outline.metadata
        facts = {**entry.notice, **entry.translation}
        meta.title = meta.title or facts.get("title")
        meta.number = meta.number or facts.get("number")
        meta.source = meta.source or facts.get("source")
        meta.date = meta.date or facts.get("date")
        meta.issuers = meta.issuers or list(facts.get("issuers", []))
    return outline


def outline_file(path: Path) -> Outline:
    """Outline of one file, with the facts its directory's manifest records about it."""
    outline = outline_text(read_source(path), str(path))
    return apply_manifest(outline, read_manifest(path.parent).get(path.name))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "doc"


@dataclass
class Corpus:
    directory: Path
    notices: list[Notice]
    skipped: list[str] = field(default_factory=list)

    def translation(self, name: str) -> tuple[Notice, Translation] | None:
        return find_translation(self.notices, name)

    def chunks(self) -> list[Chunk]:
        return [c for notice in self.notices for c in notice_chunks(notice)]


def source_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in SOURCE_SUFFIXES)


def fingerprint(directory: Path) -> str:
    """Content hash of everything a build reads: the sources and the manifest."""
    h = hashlib.sha256()
    for p in [*source_files(directory), directory / MANIFEST]:
        if p.is_file():
            h.update(p.name.encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def load_corpus(directory: Path) -> Corpus:
    """Every readable notice in ``directory``; unreadable files are listed in ``skipped``, not fatal."""
    if not directory.is_dir():
        raise SourceError(f"{directory}: corpus directory not found")
    manifest = read_manifest(directory)
    notices: dict[str, Notice] = {}
    skipped: list[str] = []
    for path in source_files(directory):
        try:
            outline = outline_file(path)
        except SourceError as e:
            skipped.append(str(e))
            continue
        entry = manifest.get(path.name)
        meta = outline.metadata
        if entry:
            notice_id, name, label = entry.notice_id, entry.name, entry.label
        else:
            same = next((n for n in notices.values() if meta.number and n.number == meta.number), None)
            notice_id = same.id if same else slug(meta.number or path.stem)
            name, label = slug(path.stem), path.stem
        taken = {t.name for n in notices.values() for t in n.translations}
        base, k = name, 2
        while name in taken:
            name, k = f"{base}-{k}", k + 1
        notice = notices.get(notice_id)
        if notice is None:
            facts = entry.notice if entry else {}
            notice = Notice(
                id=notice_id,
                title=facts.get("title") or meta.title or path.stem,
                number=facts.get("number") or meta.number,
                date=facts.get("date") or meta.date,
                issuers=list(facts.get("issuers", [])),
                translations=[],
            )
            notices[notice_id] = notice
        notice.translations.append(Translation(name, label, path, notice_id, outline))
        notice.number = notice.number or meta.number
        notice.date = notice.date or meta.date
        if len(meta.issuers) > len(notice.issuers):
            notice.issuers = list(meta.issuers)
    order = {entry.name: k for k, entry in enumerate(manifest.values())}
    for notice in notices.values():
        notice.translations.sort(key=lambda t: order.get(t.name, len(order)))
    return Corpus(directory, list(notices.values()), skipped)


def notice_chunks(notice: Notice) -> list[Chunk]:
    """One chunk per subsection, plus front matter and any text directly under a section heading."""
    chunks = []
    by_translation = {t.name: set(t.section_ids) for t in notice.translations}
    for t in notice.translations:
        o = t.outline
        subs_of = {s.parent for s in o.sections if s.parent}
        units = []
        if o.front:
            units.append((FRONT, "Front matter", None, o.front))
        for s in o.sections:
            if s.parent:
                parent = o.section(s.parent)
                parent_title = (parent.title if parent else None) or notice.section_title(s.parent)
                units.append((s.id, s.title, parent_title, s.body))
            elif s.body or s.id not in subs_of:
                units.append((s.id, s.title, None, s.body))
        for section_id, title, parent_title, body in units:
            others = tuple(n for n, ids in by_translation.items() if n != t.name and section_id in ids)
            chunks.append(Chunk(notice.id, notice.number, t.name, section_id, title, parent_title, body, others))
    return chunks
