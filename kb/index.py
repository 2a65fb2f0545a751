"""Build the Whoosh index of section chunks, and swap it in atomically.

Layout of an index directory::

    current -> build-<hash>-<time>   (symlink, replaced atomically)
    build-<hash>-<time>/             Whoosh files + catalog.json

A build is written to a hidden temporary directory, renamed into place, and
only then published by replacing the ``current`` link with ``os.replace``.
A reader therefore sees the old build or the new one, never half of one, and
a crash mid-build leaves the old build serving. The previous build is kept
so that a reader that opened it just before the swap can finish.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from kb.catalog import CATALOG, Catalog
from kb.errors import IndexUnavailable, KnowledgeBaseError

#: Bump when the schema or the chunking changes, so existing indexes are rebuilt.
SCHEMA_VERSION = "4"
CURRENT = "current"
#: Common English words, beside the index: a query word in this list is not a typo.
ENGLISH = "english.txt"
ENGLISH_MIN_ZIPF = 3.0
KEEP_BUILDS = 2

#: Whoosh's stop list plus the words that make a question a question.
STOP_WORDS = frozenset(
    "a an and are as at be by can for from have if in is it may not of on or tbd that the this to us we when "
    "will with yet you your who whom whose what which where why how does do did should would could shall must "
    "about their its there".split()
)

Progress = Callable[[int, int], None]


def analyzer():
    """Stemmed, stop-worded text: what ranking matches on."""
    return StemmingAnalyzer(stoplist=STOP_WORDS, minsize=1)


def word_analyzer():
    """Plain lower-cased words: the vocabulary for spelling suggestions."""
    return RegexTokenizer() | LowercaseFilter()


def schema() -> Schema:
    return Schema(
        key=ID(unique=True, stored=True),
        notice=ID(stored=True),
        number=STORED(),
        translation=ID(stored=True),
        section=ID(stored=True),
        top=ID(stored=True),
        order=NUMERIC(stored=True, sortable=True),
        title=TEXT(analyzer=analyzer(), stored=True, multitoken_query="phrase"),
        parent_title=TEXT(analyzer=analyzer(), stored=True, multitoken_query="phrase"),
        body=TEXT(analyzer=analyzer(), stored=True, multitoken_query="phrase"),
        words=TEXT(analyzer=word_analyzer(), spelling=True),
        counterparts=STORED(),
    )


@dataclass
class BuildResult:
    path: Path
    built: bool
    chunks: int
    skipped_files: list[str]


def current_build(index_dir: Path) -> Path | None:
    """The build ``current`` points at, if it is complete."""
    link = index_dir / CURRENT
    try:
        target = index_dir / os.readlink(link)
    except OSError:
        return None
    return target if (target / CATALOG).is_file() else None


def fingerprint(corpus_dir: Path) -> str:
    from kb.corpus import fingerprint as corpus_fingerprint

    return f"{SCHEMA_VERSION}:{corpus_fingerprint(corpus_dir)}"


def is_fresh(index_dir: Path, corpus_dir: Path) -> bool:
    build = current_build(index_dir)
    return build is not None and Catalog.load(build).fingerprint == fingerprint(corpus_dir)


def build(corpus_dir: Path, index_dir: Path, force: bool = False, progress: Progress | None = None) -> BuildResult:
    """Index the corpus unless the current build already holds exactly these sources."""
    from kb import catalog
    from kb.corpus import load_corpus
    from kb.render import to_markdown

    fp = fingerprint(corpus_dir) if corpus_dir.is_dir() else None
    existing = current_build(index_dir)
    if existing and not force and fp and Catalog.load(existing).fingerprint == fp:
        return BuildResult(existing, False, 0, [])

    corpus = load_corpus(corpus_dir)
    if not corpus.notices:
        detail = f" ({'; '.join(corpus.skipped)})" if corpus.skipped else ""
        raise KnowledgeBaseError(f"{corpus_dir}: no readable notices to index{detail}")
    chunks = corpus.chunks()

    try:
        index_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise IndexUnavailable(f"{index_dir}: cannot create index directory ({e.strerror})") from None
    tmp = index_dir / f".tmp-{uuid.uuid4().hex}"
    tmp.mkdir()
    try:
        ix = whoosh_index.create_in(str(tmp), schema())
        writer = ix.writer()
        try:
            _add_chunks(writer, chunks, progress)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        markdown = {t.name: to_markdown(nt, t) for nt in corpus.notices for t in nt.translations}
        data = catalog.to_dict(corpus.notices, fp or "", markdown)
        (tmp / CATALOG).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        (tmp / ENGLISH).write_text("\n".join(common_english_words()), encoding="utf-8")
        final = index_dir / f"build-{(fp or 'x').split(':')[-1][:12]}-{time.time_ns()}"
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _publish(index_dir, final)
    return BuildResult(final, True, len(chunks), corpus.skipped)


def _add_chunks(writer, chunks, progress: Progress | None) -> None:
    for n, c in enumerate(chunks):
        writer.add_document(
            key=f"{c.translation}/{c.section}",
            notice=c.notice,
            number=c.number,
            translation=c.translation,
            section=c.section,
            top=c.section.split(".")[0],
            order=n,
            title=c.title or "",
            parent_title=c.parent_title or "",
            body=c.body,
            words=" ".join(filter(None, (c.title, c.parent_title, c.body))),
            counterparts=list(c.counterparts),
        )
        if progress:
            progress(n + 1, len(chunks))


def _publish(index_dir: Path, build_dir: Path) -> None:
    link_tmp = index_dir / f".link-{uuid.uuid4().hex}"
    os.symlink(build_dir.name, link_tmp)
    os.replace(link_tmp, index_dir / CURRENT)
    builds = sorted((p for p in index_dir.glob("build-*") if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in builds[KEEP_BUILDS:]:
        if old != build_dir:
            shutil.rmtree(old, ignore_errors=True)
    for stale in index_dir.glob(".tmp-*"):
        if time.time() - stale.stat().st_mtime > 3600:
            shutil.rmtree(stale, ignore_errors=True)


def common_english_words() -> list[str]:
    """Alphabetic English words at least as frequent as ``ENGLISH_MIN_ZIPF`` (about one per million words)."""
    from wordfreq import top_n_list, zipf_frequency

    return [w for w in top_n_list("en", 60_000) if w.isalpha() and zipf_frequency(w, "en") >= ENGLISH_MIN_ZIPF]


def ensure(corpus_dir: Path, index_dir: Path, progress: Progress | None = None) -> Path:
    """The current build, building it first if there is none."""
    existing = current_build(index_dir)
    if existing:
        return existing
    return build(corpus_dir, index_dir, progress=progress).path
