"""Load a corpus directory: source files, the manifest beside them, notices and their chunks.

``manifest.toml`` records what the texts themselves lack: which files are
translations of one notice, a short name for each translation, the notice's
date. A file the manifest does not describe is still loaded, with metadata
detected from its text; files whose detected document numbers match are
grouped as translations of one notice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kb.clean import TooCostly, clean, is_corrupted
from kb.cleancache import CleanCache
from kb.frontmatter import FrontMatterError, split_front_matter
from kb.language import ENGLISH, default_label, is_chinese
from kb.manifest import (
    MANIFEST,
    RESERVED_TRANSLATION_NAMES,
    SOURCE_SUFFIXES,
    ManifestEntry,
    ManifestError,
    parse_manifest,
)
from kb.metadata import document_type, number_key, romanized_number
from kb.models import FRONT, Chunk, Notice, Outline, Translation
from kb.outline import NoHeadingsError, TooManyHeadings, parse
from kb.sources import (
    MAX_MANIFEST_BYTES,
    MAX_SOURCE_BYTES,
    SourceError,
    decode_source,
    fingerprint,
    list_sources,
    read_beside,
    read_source,
    read_source_bytes,
)

__all__ = [
    "MANIFEST",
    "MAX_SOURCE_BYTES",
    "SOURCE_SUFFIXES",
    "Corpus",
    "ManifestEntry",
    "ManifestError",
    "SourceError",
    "apply_manifest",
    "decode_source",
    "fingerprint",
    "list_sources",
    "load_corpus",
    "notice_chunks",
    "outline_file",
    "outline_text",
    "read_manifest",
    "read_source",
    "read_text",
    "source_text",
]


def outline_text(text: str, name: str, cache: CleanCache | None = None) -> Outline:
    """Outline of a source's text, cleaned first; a text that cannot be outlined (or costs too much) is refused.

    With a ``cache`` (a build's, :mod:`kb.cleancache`), a text cleaned before is not cleaned again.
    """
    from kb.guide import split_guide

    try:
        outline = parse(cache.clean(text) if cache is not None else clean(text))
    except NoHeadingsError:
        raise SourceError(f"{name}: no section headings found") from None
    except (TooCostly, TooManyHeadings) as e:
        raise SourceError(f"{name}: {e}") from None
    # the publisher's introduction is not the notice's front matter (metadata may still come from it)
    outline.guide, outline.front = split_guide(outline.front, outline.metadata.number, outline.metadata.title)
    return outline


# -- the directory ------------------------------------------------------------------


# -- the manifest -------------------------------------------------------------------


def _manifest_bytes(directory: Path) -> bytes | None:
    """The manifest file's bytes, ``None`` when there is none; read under the same rules as a source."""
    return read_beside(directory, MANIFEST, MAX_MANIFEST_BYTES)


def read_manifest(directory: Path) -> dict[str, ManifestEntry]:
    """Manifest entries by file name; an absent manifest is an empty one.

    Raises :class:`ManifestError` (one line: file, entry, problem) for a
    manifest that cannot be read or does not fit its declared shape
    (:mod:`kb.manifest`).
    """
    path = directory / MANIFEST
    try:
        data = _manifest_bytes(directory)
    except SourceError as e:
        raise ManifestError(str(e)) from None
    if data is None:
        return {}
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ManifestError(f"{path}: not UTF-8 text") from None
    return parse_manifest(text, str(path))


def apply_manifest(outline: Outline, entry: ManifestEntry | None) -> Outline:
    """Fill what the text lacks from the manifest (the text's own statements win)."""
    if entry:
        meta = outline.metadata
        # a translation's own ``source`` is where that translation came from (Translation.source), not the notice's
        own = {k: v for k, v in entry.translation.items() if k != "source"}
        facts = {**entry.notice, **own}
        meta.title = meta.title or facts.get("title")
        meta.number = meta.number or facts.get("number")
        meta.source = meta.source or facts.get("source")
        meta.date = meta.date or facts.get("date")
        meta.issuers = meta.issuers or list(facts.get("issuers", []))
        meta.doc_type = meta.doc_type or facts.get("type")
    return outline


def source_text(data: bytes, name: str) -> tuple[str, dict[str, Any]]:
    """The text a source file gives to be cleaned and outlined, and the facts the file itself states.

    A saved web page (:mod:`kb.pages`) gives its article's text, a paragraph a
    line as a ``.txt`` source has it, and the facts of its metadata table;
    any other source is UTF-8 text, whose facts (a Markdown front matter) are
    read with its outline (:func:`read_outline`).
    """
    from kb.pages import PageError, is_page, read_page

    if not is_page(name):
        return decode_source(data, name), {}
    if len(data) > MAX_SOURCE_BYTES:
        raise SourceError(f"{name}: too large ({len(data)} bytes; the limit is {MAX_SOURCE_BYTES})")
    try:
        page = read_page(data, name)
    except PageError as e:
        raise SourceError(str(e)) from None
    return page.text, page.facts


def read_text(path: Path) -> tuple[str, dict[str, Any]]:
    """:func:`source_text` of a file, read under the limits of any source."""
    return source_text(read_source_bytes(path), str(path))


def read_outline(
    text: str,
    name: str,
    markdown: bool,
    cache: CleanCache | None = None,
    stated: dict[str, Any] | None = None,
) -> tuple[Outline, dict[str, Any]]:
    """A source's outline, with what the file states about itself, and those facts.

    A Markdown source's front matter, and a web page's metadata table
    (``stated``, from :func:`source_text`), are what the publisher says
    about the text, so their facts win over what the text seems to state; a
    manifest entry, written for the whole corpus, still wins over both
    (:func:`load_corpus`). A block that cannot be read makes the file a
    skipped one, as any unreadable source.
    """
    facts: dict[str, Any] = dict(stated or {})
    if markdown:
        try:
            own, text = split_front_matter(text, name)
            facts.update(own)
        except FrontMatterError as e:
            raise SourceError(str(e)) from None
    outline = outline_text(text, name, cache)
    meta = outline.metadata
    meta.title = facts.get("title") or meta.title
    meta.number = facts.get("number") or meta.number
    meta.source = facts.get("source") or meta.source
    meta.date = facts.get("date") or meta.date
    meta.issuers = list(facts.get("issuers") or meta.issuers)
    meta.doc_type = facts.get("type") or meta.doc_type
    return outline, facts


def outline_file(path: Path) -> Outline:
    """Outline of one file, with the facts its front matter and its directory's manifest record about it."""
    text, stated = read_text(path)
    outline, _ = read_outline(text, str(path), path.suffix.lower() == ".md", stated=stated)
    return apply_manifest(outline, read_manifest(path.parent).get(path.name))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64].strip("-") or "doc"


#: "No." in a document number says nothing an id needs: "MIIT Communications [2024] No. 165" is
#: ``miit-communications-2024-165``.
_NUMBER_WORD = re.compile(r"\bNo\.?(?=\s*\d)", re.IGNORECASE)
#: What an English translation is called when neither the manifest nor its front matter gives it a label
#: (a text in another language is named after it: :func:`kb.language.default_label`).
DEFAULT_LABEL = default_label(ENGLISH)
#: Translation names a notice's URLs reserve (``/notices/<notice>/compare/<section>``).
RESERVED_NAMES = RESERVED_TRANSLATION_NAMES


def notice_slug(number: str | None, file_stem: str) -> str:
    """A notice's id when the manifest gives none: from its document number, else from its file's name.

    A Chinese number is read in pinyin (国办发〔2018〕123号 is ``guo-ban-fa-2018-123``), as its translation
    writes it, so the notice's id does not depend on which of the two is read first.
    """
    return slug(_NUMBER_WORD.sub(" ", romanized_number(number))) if number else slug(file_stem)


def _number_group(number: str | None) -> str:
    """What files of one notice share: their numbers' :func:`~kb.metadata.number_key` (the same in Chinese and in
    the translations' pinyin), else the number as written; "" for none."""
    return (number_key(number) or number) if number else ""


@dataclass
class Corpus:
    directory: Path
    notices: list[Notice]
    skipped: list[str] = field(default_factory=list)

    def notice(self, notice_id: str) -> Notice | None:
        return next((n for n in self.notices if n.id == notice_id), None)

    def chunks(self) -> list[Chunk]:
        return [c for notice in self.notices for c in notice_chunks(notice)]


#: Given a source file, what an earlier build read of it (its outline, front-matter facts, whether it was restored
#: and its text as received), or None to read it.
Reuse = Callable[[Path], "tuple[Outline, dict, bool, str | None] | None"]


def load_corpus(directory: Path, reuse: Reuse | None = None, cache: CleanCache | None = None) -> Corpus:
    """Every readable notice in ``directory``; unreadable files are listed in ``skipped`` (in name order), not fatal.

    ``reuse`` (an update of the index) gives, for a file unchanged since the
    previous build, the outline and front-matter facts that build read, so the
    file is not read and cleaned again; ``cache`` (a build's clean cache)
    gives the cleaned text of any text cleaned before.

    A file's notice is the one its manifest entry names; without an entry,
    files whose document numbers match are translations of one notice. A
    notice's facts come from the manifest first, then from what its texts
    state; its type, when no one states it, from the kind of document its
    title names.
    """
    if not directory.is_dir():
        raise SourceError(f"{directory}: corpus directory not found")
    manifest = read_manifest(directory)
    listing = list_sources(directory)
    notices: dict[str, Notice] = {}
    #: notice id by document number (:func:`_number_group`), for files without a manifest entry
    by_number: dict[str, str] = {}
    #: what the manifest states of each notice: the facts no text may override
    stated_facts: dict[str, dict] = {}
    skipped = listing.problems
    for file_name, entry in manifest.items():
        if file_name not in listing.names:
            skipped.append(f"{directory / MANIFEST}: {entry.place}: file {file_name!r} is not in the corpus")
    for path in listing.files:
        entry = manifest.get(path.name)
        earlier = reuse(path) if reuse else None
        try:
            if earlier is not None:  # unchanged since a build read it: no need to read and clean it again
                outline, stated, restored, received = earlier
            else:
                text, stated = source_text(listing.read(path), str(path))
                outline, stated = read_outline(text, str(path), path.suffix.lower() == ".md", cache, stated)
                # the cleaner repairs exactly the texts it finds corrupted: its own test says whether it did
                restored, received = is_corrupted(text), text
            outline = apply_manifest(outline, entry)
        except SourceError as e:
            skipped.append(str(e))
            continue
        meta = outline.metadata
        if entry:
            notice_id, name, label = entry.notice_id, entry.name, entry.label
        else:
            notice_id = (
                stated.get("id")
                or by_number.get(_number_group(meta.number))
                or _unused(notice_slug(meta.number, path.stem), notices)
            )
            name, label = stated.get("name") or slug(path.stem), stated.get("label") or ""
        notice = notices.get(notice_id)
        if notice is None:
            facts = entry.notice if entry else {}
            stated_facts[notice_id] = facts
            notice = Notice(
                id=notice_id,
                title=facts.get("title") or meta.title or path.stem,
                number=facts.get("number") or meta.number,
                date=facts.get("date") or meta.date,
                issuers=list(facts.get("issuers", [])),
                translations=[],
                doc_type=facts.get("type"),
                source=facts.get("source"),
            )
            notices[notice_id] = notice
        taken = RESERVED_NAMES | {t.name for t in notice.translations}
        base, k = name, 2
        while name in taken:
            name, k = f"{base}-{k}", k + 1
        own = entry.translation if entry else {}
        notice.translations.append(
            Translation(
                name,
                label,
                path,
                notice_id,
                outline,
                stated,
                translator=own.get("translator"),
                # None: detected from the text (kb.language)
                language=own.get("language") or stated.get("language"),
                source=own.get("source") or stated.get("source"),
                restored=restored,
                received=received,
            )
        )
        notice.number = notice.number or meta.number
        notice.date = notice.date or meta.date
        notice.doc_type = notice.doc_type or meta.doc_type
        notice.source = notice.source or meta.source
        if len(meta.issuers) > len(notice.issuers):
            notice.issuers = list(meta.issuers)
        if notice.number:
            by_number.setdefault(_number_group(notice.number), notice_id)
    order = {(entry.notice_id, entry.name): k for k, entry in enumerate(manifest.values())}
    for notice in notices.values():
        # the manifest's order; else the Chinese original first, as the notice's own text
        notice.translations.sort(
            key=lambda t: (order.get((t.notice_id, t.name), len(order)), not is_chinese(t.language))
        )
        _original_facts_first(notice, stated_facts.get(notice.id, {}))
        notice.doc_type = notice.doc_type or document_type(notice.title)
        unnamed = [t for t in notice.translations if not t.label]
        for t in unnamed:  # nobody named it: say what it is, and which file when another version is called so
            named = default_label(t.language)
            alone = sum(default_label(o.language) == named for o in unnamed) == 1
            t.label = named if alone else f"{named} ({t.path.stem})"
    return Corpus(directory, list(notices.values()), sorted(skipped))


def _original_facts_first(notice: Notice, stated: dict) -> None:
    """A notice held in its Chinese original and in translation is named as the original names itself.

    Its versions are read in file-name order and the first one read gave the
    notice its title and number, so without this an English file named
    before the Chinese one would name the notice, and renaming a file would
    rename it. The manifest's facts still win.
    """
    original = next((t for t in notice.translations if is_chinese(t.language)), None)
    if original is None or len(notice.translations) < 2:
        return
    meta = original.outline.metadata
    if meta.title and not stated.get("title"):
        notice.title = meta.title
    if meta.number and not stated.get("number"):
        notice.number = meta.number


def _unused(notice_id: str, notices: dict[str, Notice]) -> str:
    """``notice_id``, or it with a number added if another notice has it already."""
    base, k = notice_id, 2
    while notice_id in notices:
        notice_id, k = f"{base}-{k}", k + 1
    return notice_id


def notice_chunks(notice: Notice) -> list[Chunk]:
    """One chunk per deepest section (a section with no sections under it), plus the front matter, each part's
    opening and any text directly under a section that has sections under it.

    A chunk carries its parent's title (a third-level item its subsection's),
    so that a result can say where it is; a part's opening is titled by the
    part's heading ("Attachment 1: Rules for Data Sharing"), so that a hit on
    it names the part, and it is a chunk even without a preamble of its own,
    so that the part's title is found.
    """
    chunks = []
    by_translation = {t.name: set(t.section_ids) for t in notice.translations}
    for t in notice.translations:
        o = t.outline
        sections = o.sections_headed()
        by_id = {}
        for s in sections:
            by_id.setdefault(s.id, s)  # a translation's section for an id is its first (Outline.section)
        has_children = {s.parent for s in sections if s.parent}
        units = []
        if o.front:
            units.append((FRONT, "Front matter", None, o.front))
        for s in sections:
            if not (s.body or s.id not in has_children):
                continue  # a heading whose text is all in its sections: they are the chunks
            parent_title = None
            if s.parent:
                parent = by_id.get(s.parent)
                parent_title = (parent.title if parent else None) or notice.section_title(s.parent)
            elif s.id.part and not s.id.is_front:  # a part's section: what it is in is the part
                part = o.part(s.id.part) or notice.part(s.id.part)
                parent_title = part.heading if part else None
            units.append((s.id, s.title, parent_title, s.body))
        for section_id, title, parent_title, body in units:
            others = tuple(n for n, ids in by_translation.items() if n != t.name and section_id in ids)
            chunks.append(Chunk(notice.id, notice.number, t.name, section_id, title, parent_title, body, others))
    return chunks
