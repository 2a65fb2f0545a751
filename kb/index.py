"""Build the Whoosh index of section chunks, and swap it in atomically.

Layout of an index directory::

    current -> build-<hash>-<time>   (symlink, replaced atomically)
    build-<hash>-<time>/             Whoosh files, catalog.sqlite, english.txt, spelling.sqlite,
                                     build.json (sizes and digests, written last)
    .lock                            held by the one builder at work
    cache/clean/<sha256>             cleaned texts by content (kb.cleancache), shared by every build

A build is written to a hidden temporary directory, sealed (see
:mod:`kb.integrity`), renamed into place, and only then published by
replacing the ``current`` link with ``os.replace``. A reader therefore sees
the old build or the new one, never half of one, and a crash mid-build leaves
the old build serving; the next builder, holding the lock, removes what the
crashed one left. The previous build is kept so that a reader that opened it
just before the swap can finish.
"""

from __future__ import annotations

import fcntl
import math
import os
import re
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, STORED, TEXT, Schema

from kb import integrity, segment, semantic, spelling
from kb.alignment import counterpart_texts
from kb.catalog import CATALOG, Catalog
from kb.errors import IndexUnavailable, KnowledgeBaseError
from kb.language import is_chinese

#: Bump when the schema, the chunking or the catalog's layout changes, so existing indexes are rebuilt.
#: 11: the catalog is an SQLite store (catalog.sqlite); the ``words`` field is gone, spelling suggestions come
#: from the build's spelling file (kb.spelling). 12: the stored reading Markdown has no title line and names each
#: section by the model's heading (kb.render). 13: translations carry their translator, source, whether they
#: were restored, and their text as received. 14: translations carry their language (kb.language). 15: sections
#: in parts of a notice and at a third level (a1/2.5, 2.5.1; catalog format 4). 16: Chinese text is indexed in its
#: own fields (``title_zh``, ``parent_title_zh``, ``body_zh``) cut into words (kb.segment). 17: each section is
#: also indexed by its versions' text in the other language (``aligned``, ``aligned_zh``; kb.alignment). 18: the
#: catalog keeps the closing lines that are in no section (catalog format 5).
SCHEMA_VERSION = "18"
CURRENT = "current"
BUILD_PREFIX = "build-"
#: Hidden names of work in progress: a build being written, a link about to replace ``current``.
TMP_PREFIX = ".tmp-"
LINK_PREFIX = ".link-"
#: Held by the one builder at work (an flock, released by the kernel if the builder dies).
LOCK = ".lock"
#: Common English words, beside the index: a query word in this list is not a typo.
ENGLISH = "english.txt"
ENGLISH_MIN_ZIPF = 3.0
KEEP_BUILDS = 2
#: Most processes a full build indexes in. With 2 on this 2-core machine a 10,000-section build took 20.2 s
#: of wall time instead of 26.8 s (the same CPU, shared out; the same single segment, the same answers).
MAX_BUILD_PROCS = 4
#: Largest share of the notices an update of the previous build re-indexes; beyond it a full build is as quick,
#: and leaves no deleted documents behind in the segments.
MAX_UPDATED_SHARE = 0.25
#: Fewest chunks worth indexing in several processes: starting them and merging their runs costs more than
#: it saves on a small corpus (a 1,000-section build takes under 2 s of CPU in all).
PARALLEL_MIN_CHUNKS = 2000
#: Memory (MB) each indexing process buffers before it writes a run of postings to disk. Whoosh's default (128)
#: spilled a 50,000-section build's 3.4 million postings to disk and merged them back (pickled one by one): 60 s
#: of CPU with a 260 MB peak, against 40 s and 840 MB held in memory (512 still spilled; 1,024 and 2,048 did
#: not). A 10,000-section build (230 MB) does not reach either. Larger corpora spill again, bounded by this.
WRITER_LIMIT_MB = 1024

#: Whoosh's stop list plus the words that make a question a question.
STOP_WORDS = frozenset(
    "a an and are as at be by can for from have if in is it may not of on or tbd that the this to us we when "
    "will with yet you your who whom whose what which where why how does do did should would could shall must "
    "about their its there".split()
)

Progress = Callable[[int, int], None]


def analyzer():
    """Stemmed, stop-worded text: what ranking matches on in English text."""
    return StemmingAnalyzer(stoplist=STOP_WORDS, minsize=1)


def chinese_analyzer():
    """Chinese text cut into words by jieba, with sub-words when indexing (kb.segment)."""
    return segment.ChineseTokenizer()


def word_analyzer():
    """Plain lower-cased words: what ``issuer:`` and ``type:`` match (and what spelling counts, kb.spelling)."""
    return RegexTokenizer() | LowercaseFilter()


def schema() -> Schema:
    """One document per section of a translation of a notice (a chunk).

    ``notice``, ``translation`` and ``section`` are also columns (sortable),
    so that a search counts its matches by notice and translation from the
    columns, without reading any document's stored fields. ``issuer``,
    ``year`` and ``type`` are the notice's facts, there for queries that name
    them (``issuer:MIIT``, ``year:2024``); filtering by them goes through the
    catalog and the ``notice`` field.

    Each text has two fields, one per analyser, as Whoosh intends (a field has
    one analyser): an English translation's words are in ``title``,
    ``parent_title`` and ``body``, a Chinese text's in ``title_zh``,
    ``parent_title_zh`` and ``body_zh``, chosen by the translation's language.
    The text itself is stored in the English fields for both (a result reads
    one place); only the Chinese fields index Chinese text.

    ``aligned`` and ``aligned_zh`` hold, unstored, what the notice's versions
    in the other language say in the same section (:mod:`kb.alignment`): a
    Chinese original's section is found by an English query through its
    translation's words, and a translation's by a Chinese query, ranked below
    a version's own words (``kb.query.ALIGNED_BOOST``).
    """
    return Schema(
        key=ID(unique=True, stored=True),
        notice=ID(stored=True, sortable=True),
        number=STORED(),
        translation=ID(stored=True, sortable=True),
        section=ID(stored=True, sortable=True),
        top=ID(stored=True),
        issuer=TEXT(analyzer=word_analyzer()),
        year=ID(),
        type=TEXT(analyzer=word_analyzer()),
        # insertion order as a column only: nothing searches it, and NUMERIC indexed 8 terms per document for it
        order=COLUMN(NumericColumn("I")),
        title=TEXT(analyzer=analyzer(), stored=True, multitoken_query="phrase"),
        parent_title=TEXT(analyzer=analyzer(), stored=True, multitoken_query="phrase"),
        body=TEXT(analyzer=analyzer(), stored=True, multitoken_query="phrase"),
        # A plain Chinese query of several words without spaces ("划拨用地") searches each word, as English words
        # typed with spaces are; a quoted phrase is a phrase whatever this says.
        title_zh=TEXT(analyzer=chinese_analyzer(), multitoken_query="or"),
        parent_title_zh=TEXT(analyzer=chinese_analyzer(), multitoken_query="or"),
        body_zh=TEXT(analyzer=chinese_analyzer(), multitoken_query="or"),
        # the same section in the notice's versions of the other language, as each analyser reads it
        aligned=TEXT(analyzer=analyzer(), multitoken_query="phrase"),
        aligned_zh=TEXT(analyzer=chinese_analyzer(), multitoken_query="or"),
        #: the translation's language (kb.language), for its snippet
        language=STORED(),
        counterparts=STORED(),
    )


@dataclass
class BuildResult:
    path: Path
    built: bool
    chunks: int
    skipped_files: list[str]
    #: Why the previous build could not be kept (damaged, untrusted), when a build replaced it for that reason.
    repaired: str | None = None
    #: For an update of the previous build: the ids of the notices added, changed or removed (None: a full build).
    changed: list[str] | None = None
    #: Whether search by meaning is on for this build, in one line (None: nothing was built).
    semantic: str | None = None


def current_build(index_dir: Path) -> Path | None:
    """The build ``current`` names, if it is complete (sealed).

    ``current`` is normally a relative link to a build; a copy made with
    ``cp -rL`` or ``rsync -L`` turns it into a real directory, which is still
    a whole build: readers use it as it is, and the next ``kb index`` turns
    it back into a link.
    """
    link = index_dir / CURRENT
    if link.is_symlink():
        try:
            target = index_dir / os.readlink(link)
        except OSError:
            return None
    elif link.is_dir():
        target = link
    else:
        return None
    return target if (target / integrity.SEAL).is_file() else None


def fingerprint(corpus_dir: Path) -> str:
    from kb import sources

    return f"{SCHEMA_VERSION}:{sources.fingerprint(corpus_dir)}"


def is_fresh(index_dir: Path, corpus_dir: Path) -> bool:
    """Whether ``kb index`` would have nothing to do: the current build is intact and holds these sources."""
    return _usable(index_dir, fingerprint(corpus_dir))[0] is not None


def _usable(index_dir: Path, fp: str | None) -> tuple[Path | None, str | None]:
    """(the current build if it is intact and holds exactly these sources, why it cannot be kept)."""
    build = current_build(index_dir)
    if build is None:
        return None, None
    try:
        if not fp or integrity.read_seal(build).fingerprint != fp:
            return None, None  # to be rebuilt anyway: no need to read every file first
        integrity.verify(build, full=True)
    except integrity.RefusedIndex as e:
        return None, e.reason
    except IndexUnavailable as e:
        return None, str(e)
    return build, None


def build(
    corpus_dir: Path,
    index_dir: Path,
    force: bool = False,
    progress: Progress | None = None,
    procs: int = 1,
) -> BuildResult:
    """Index the corpus unless the current build is intact and already holds exactly these sources.

    ``procs`` > 1 lets Whoosh's writer index in that many processes (see
    :func:`build_processes`); only a single-threaded caller may ask for it,
    since the writer forks.

    Every file of the current build is checked against its digest first, so a
    damaged build is rebuilt (``repaired`` says why) rather than reported as
    up to date. Builders take a lock on the index directory: one builds at a
    time, a second one waits and then finds the work done, and whatever a
    crashed builder left behind is removed.
    """
    sources = _sources(corpus_dir)  # before reading anything: a change made while building shows as stale
    fp = _unchanged_fingerprint(index_dir, sources) or (fingerprint(corpus_dir) if corpus_dir.is_dir() else None)
    if not force:
        existing, _ = _usable(index_dir, fp)
        if existing and semantic.current(existing):
            _tidy_if_idle(index_dir)
            return BuildResult(current_build(index_dir) or existing, False, 0, [])
        force = bool(existing)  # built before the model was installed (or with another): every vector is new

    # Only now, with work to do: an unchanged corpus is checked without importing the cleaner or the outliner.
    from kb.cleancache import CleanCache
    from kb.corpus import load_corpus

    if fp is None:
        load_corpus(corpus_dir)  # says, in one line, why there is no corpus there
    _make_index_dir(index_dir)
    with _builder_lock(index_dir):
        _remove_debris(index_dir)
        existing, problem = _usable(index_dir, fp)
        if existing and not force and semantic.current(existing):  # another builder published these while we waited
            _heal_current(index_dir)
            return BuildResult(existing, False, 0, [])
        previous = None if force or problem else _previous(index_dir)
        # Loaded under the lock: a builder that waited for another finds the work done without redoing it.
        cache = CleanCache.of_index(index_dir)
        corpus = load_corpus(corpus_dir, reuse=_reuse(previous, sources) if previous else None, cache=cache)
        if not corpus.notices:
            detail = f" ({'; '.join(corpus.skipped)})" if corpus.skipped else ""
            raise KnowledgeBaseError(f"{corpus_dir}: no readable notices to index{detail}")
        update = _update_plan(previous, corpus) if previous else None
        if previous:
            previous.catalog.close()  # an update copies its file; nothing else is read from it
        if update is not None:
            final, chunks = _write_update(update, corpus, index_dir, fp or "", sources)
        else:
            final, chunks = _write_build(corpus, index_dir, fp or "", progress, sources, procs, cache)
        try:
            _publish(index_dir, final)
        except IndexUnavailable:
            _remove_tree(final)
            raise
        cache.prune()
    changed = update.notices if update is not None else None
    mode = semantic.built(final)
    return BuildResult(final, True, chunks, corpus.skipped, repaired=problem, changed=changed, semantic=mode)


def _make_index_dir(index_dir: Path) -> None:
    try:
        index_dir.parent.mkdir(parents=True, exist_ok=True)
        index_dir.mkdir(mode=0o755, exist_ok=True)
    except OSError as e:
        raise IndexUnavailable(f"{index_dir}: cannot create index directory ({e.strerror})") from None
    if not index_dir.is_dir():
        raise IndexUnavailable(f"{index_dir}: cannot create index directory (a file is in the way)")
    integrity.check_trusted(index_dir, "directory")


def _unchanged_fingerprint(index_dir: Path, sources: dict) -> str | None:
    """The current build's fingerprint when its sources have the sizes and times they had when it was built.

    Then the corpus need not be read and hashed to know that nothing changed
    (make and rsync decide the same way); the build's own files are still
    checked against their digests before it is kept.
    """
    from kb import freshness

    build = current_build(index_dir)
    if build is None or not sources or not freshness.unchanged(freshness.recorded(build), sources):
        return None
    try:
        fp = integrity.read_seal(build).fingerprint
    except integrity.RefusedIndex:
        return None
    return fp if fp.startswith(f"{SCHEMA_VERSION}:") else None


@dataclass
class _Update:
    """How the previous build becomes the new one: these notices' chunks and catalog rows are replaced (or
    removed)."""

    previous: Path
    notices: list[str]
    #: The changed notices as the previous build indexed them (from its catalog): whose words its spelling counts.
    before: dict


@dataclass
class _Previous:
    """The published build, checked whole, and its catalog: what an update starts from."""

    build: Path
    catalog: Catalog


def _previous(index_dir: Path) -> _Previous | None:
    """The current build if an update may start from it: intact (every digest), of this schema, a real build.

    Its catalog is opened, which reads the listing only: outlines are read per unchanged file (:func:`_reuse`)
    and notices are compared by digest (:func:`_update_plan`)."""
    build = current_build(index_dir)
    if build is None or not build.name.startswith(BUILD_PREFIX):
        return None
    try:
        seal = integrity.verify(build, full=True)
        if not seal.fingerprint.startswith(f"{SCHEMA_VERSION}:"):
            return None
        return _Previous(build, Catalog.load(build))
    except (KnowledgeBaseError, OSError, ValueError, KeyError, TypeError):
        return None


def _reuse(previous: _Previous, sources: dict):
    """For a source file whose size and time are those the previous build recorded (and when the manifest is
    unchanged too), the outline and front-matter facts that build read from it; None for any other file."""
    from kb import freshness
    from kb.corpus import MANIFEST

    before = freshness.recorded(previous.build) or {}
    if not freshness.same_file(before.get(MANIFEST), sources.get(MANIFEST)):
        return None  # the manifest's facts are part of every outline it describes
    same = {name for name, entry in sources.items() if freshness.same_file(before.get(name), entry)}
    catalog = previous.catalog
    files = {t.path.name: (n.id, t.name) for n in catalog.notices for t in n.translations}

    def reuse(path: Path):
        where = files.get(path.name) if path.name in same else None
        return catalog.outline_of(*where) if where else None

    return reuse


def _update_plan(previous: _Previous, corpus) -> _Update | None:
    """The notices to re-index on top of the previous build, or None when a full build is the better way.

    An update is made when the corpus changed in at most MAX_UPDATED_SHARE of
    its notices; a notice counts as changed when anything the catalog holds
    of it (facts, outlines, texts) differs, which also covers a changed
    manifest entry. The previous notices are not read back: the catalog
    keeps a digest of each (:func:`kb.catalog.notice_digest`).
    """
    from kb.catalog import notice_digest

    before = previous.catalog.digests()
    after = {n.id: n for n in corpus.notices}
    changed = sorted(i for i, n in after.items() if before.get(i) != notice_digest(n))
    changed += sorted(set(before) - set(after))
    if len(changed) > MAX_UPDATED_SHARE * max(len(before), 1):
        return None
    return _Update(previous.build, changed, {i: previous.catalog.notice(i) for i in changed if i in before})


def _write_update(update: _Update, corpus, index_dir: Path, fp: str, sources: dict) -> tuple[Path, int]:
    """A new build: the previous one's files (hard links: Whoosh never rewrites a segment), with the changed
    notices' documents deleted and written again in one Whoosh commit, and a new catalog; sealed and renamed
    into place like a full build. Returns it and the number of chunks written."""
    from kb import freshness
    from kb.corpus import notice_chunks

    notices = {n.id: n for n in corpus.notices}
    chunks = [c for i in update.notices if i in notices for c in notice_chunks(notices[i])]
    with _new_build(index_dir) as tmp:
        for path in update.previous.iterdir():
            if path.name not in (integrity.SEAL, CATALOG, freshness.SOURCES, spelling.SPELLING, semantic.VECTORS):
                os.link(path, tmp / path.name)
        _update_spelling(update, tmp, chunks, corpus)
        ix = whoosh_index.open_dir(str(tmp))
        writer = ix.writer()
        try:
            for notice_id in update.notices:
                writer.delete_by_term("notice", notice_id)
            _add_chunks(writer, chunks, notices, None, start=ix.doc_count_all())
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        ix.close()
        semantic.write_vectors(tmp, _by_key(chunks), previous=update.previous)
        final = _place(tmp, index_dir, corpus, fp, sources, update)
    return final, len(chunks)


def _update_spelling(update: _Update, tmp: Path, chunks: list, corpus) -> None:
    """The previous build's spelling file with the changed notices' words taken out and their new words put in.

    Their old words are those of the chunks the previous build made of them,
    re-derived from its catalog (the chunking is the same: the schema version
    says so). Should the previous file be unusable after all, the new one is
    counted from the whole corpus.
    """
    from kb.corpus import notice_chunks

    old_chunks = [c for n in update.before.values() for c in notice_chunks(n)]
    target = tmp / spelling.SPELLING
    try:
        spelling.update(
            update.previous / spelling.SPELLING,
            target,
            removed=spelling.vocabulary(old_chunks),
            added=spelling.vocabulary(chunks),
        )
    except (sqlite3.Error, FileNotFoundError):
        target.unlink(missing_ok=True)
        spelling.write(target, spelling.vocabulary(corpus.chunks()))


@contextmanager
def _new_build(index_dir: Path) -> Iterator[Path]:
    """A hidden directory to write a build in, removed again if anything fails (a full disk said in one line)."""
    tmp = index_dir / f"{TMP_PREFIX}{uuid.uuid4().hex}"
    try:
        tmp.mkdir(mode=0o755)
        yield tmp
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        what = f" writing {Path(e.filename).name}" if e.filename else ""
        kept = "the current one is unchanged" if current_build(index_dir) else "there is no index yet"
        raise IndexUnavailable(f"{index_dir}: cannot write the new index ({e.strerror or e}{what}); {kept}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _place(tmp: Path, index_dir: Path, corpus, fp: str, sources: dict, update: _Update | None = None) -> Path:
    """Finish a written build: its catalog and sources, the seal (last), and its final name; return that.

    The catalog of an update is the previous build's, with the changed notices' rows replaced.
    """
    from kb import catalog, freshness

    if update is None:
        catalog.write(tmp / CATALOG, corpus.notices, fp)
    else:
        catalog.update(update.previous / CATALOG, tmp / CATALOG, corpus.notices, update.notices, fp)
    freshness.record(tmp, sources)
    integrity.seal(tmp, fp)
    final = index_dir / f"{BUILD_PREFIX}{fp.split(':')[-1][:12] or 'x'}-{time.time_ns()}"
    os.rename(tmp, final)
    return final


def _sources(corpus_dir: Path) -> dict:
    """The corpus's files as :mod:`kb.freshness` records them (empty when there is no corpus to list)."""
    from kb import freshness

    try:
        return freshness.signature(corpus_dir) if corpus_dir.is_dir() else {}
    except KnowledgeBaseError:
        return {}


def build_processes() -> int:
    """Processes a full build may index in: the machine's cores, up to MAX_BUILD_PROCS."""
    return max(1, min(os.cpu_count() or 1, MAX_BUILD_PROCS))


def _write_build(
    corpus, index_dir: Path, fp: str, progress: Progress | None, sources: dict, procs: int = 1, cache=None
) -> tuple[Path, int]:
    """Write a complete, sealed build in a hidden directory and rename it into place; return it."""
    chunks = corpus.chunks()
    with _new_build(index_dir) as tmp:
        ix = whoosh_index.create_in(str(tmp), schema())
        # Whoosh's multiprocessing writer indexes batches in subprocesses and merges them into one segment
        procs = procs if len(chunks) >= PARALLEL_MIN_CHUNKS else 1
        writer = ix.writer(procs=procs, limitmb=WRITER_LIMIT_MB) if procs > 1 else ix.writer(limitmb=WRITER_LIMIT_MB)
        try:
            _add_chunks(writer, chunks, {n.id: n for n in corpus.notices}, progress)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        semantic.write_vectors(tmp, _by_key(chunks))
        (tmp / ENGLISH).write_text(_english_text(cache), encoding="utf-8")
        spelling.write(tmp / spelling.SPELLING, spelling.vocabulary(chunks))
        final = _place(tmp, index_dir, corpus, fp, sources)
    return final, len(chunks)


def _by_key(chunks) -> dict[tuple[str, str, str], object]:
    """Chunks by the key their documents have in the build's columns (notice, section, translation)."""
    return {(c.notice, str(c.section), c.translation): c for c in chunks}


def issuer_words(notice) -> str:
    """What ``issuer:`` matches for a notice: its issuing bodies' names, their abbreviations, and the abbreviation
    its number starts with ("MIIT" in "MIIT Communications [2024] No. 165"): readers name ministries so."""
    names = list(notice.issuers)
    names += [a for name in notice.issuers for a in abbreviations(name)]
    if notice.number:
        names.append(notice.number.split()[0])
    return " ; ".join(names)


def abbreviations(name: str) -> list[str]:
    """How a body's name is abbreviated: initials of its capitalised words ("Ministry of Industry and Information
    Technology": MIIT), and of every word but "and" and "the" ("Ministry of Finance": MOF, "People's Bank of
    China": PBOC). Both are indexed, since usage varies and a wrong one matches nothing."""
    words = [w for w in re.split(r"[\s,]+", name) if w[:1].isalpha()]
    capitals = "".join(w[0] for w in words if w[0].isupper())
    spoken = "".join(w[0] for w in words if w.lower() not in ("and", "the")).upper()
    return sorted({a for a in (capitals, spoken) if len(a) >= 2})


def _facts(notice) -> dict[str, str]:
    """The notice's year and type as index fields, left out where unknown (an empty term would match nothing)."""
    facts = {"year": str(notice.year) if notice.year else None, "type": notice.doc_type}
    return {k: v for k, v in facts.items() if v}


def _add_chunks(writer, chunks, notices: dict, progress: Progress | None, start: int = 0) -> None:
    """Index ``chunks`` (every chunk of each of their notices: a section's versions are aligned with each other)."""
    facts: dict[str, dict[str, str]] = {}  # per notice, not per chunk: a notice has dozens of chunks
    languages = {(n.id, t.name): t.language or "en" for n in notices.values() for t in n.translations}
    chunks = list(chunks)
    aligned = counterpart_texts(chunks, lambda c: languages.get((c.notice, c.translation), "en"))
    for k, c in enumerate(chunks):
        n = start + k
        if c.notice not in facts:
            notice = notices[c.notice]
            facts[c.notice] = {"issuer": issuer_words(notice), **_facts(notice)}
        language = languages.get((c.notice, c.translation), "en")
        writer.add_document(
            key=f"{c.notice}/{c.translation}/{c.section}",
            notice=c.notice,
            number=c.number,
            translation=c.translation,
            section=str(c.section),
            top=str(c.section.top_id),
            **facts[c.notice],
            order=n,
            **_texts(c, language),
            **_aligned(aligned.get(k, {})),
            language=language,
            counterparts=list(c.counterparts),
        )
        if progress:
            progress(n + 1 - start, len(chunks))


def _aligned(texts: dict[str, str]) -> dict[str, str]:
    """A chunk's counterparts' text (kb.alignment, by language) in the aligned field of each one's analysis."""
    fields: dict[str, str] = {}
    for group, text in texts.items():
        name = "aligned_zh" if is_chinese(group) else "aligned"
        fields[name] = f"{fields[name]}\n{text}" if name in fields else text
    return fields


def _texts(chunk, language: str) -> dict[str, str]:
    """The chunk's title, parent title and body as the fields of its language index them, stored in the English
    fields either way (``_stored_<field>``: Whoosh stores that value and indexes the field's own, here none)."""
    texts = {"title": chunk.title or "", "parent_title": chunk.parent_title or "", "body": chunk.body}
    if not is_chinese(language):
        return texts
    fields = {f"{name}_zh": text for name, text in texts.items()}
    fields.update({name: "" for name in texts})
    fields.update({f"_stored_{name}": text for name, text in texts.items()})
    return fields


@contextmanager
def _builder_lock(index_dir: Path, wait: bool = True) -> Iterator[bool]:
    """Hold the index directory's builder lock (yields False if ``wait`` is off and another builder holds it).

    The lock is an ``flock`` on ``.lock``: the kernel releases it when its
    holder dies, so holding it proves that no live builder owns any
    ``.tmp-*`` or ``.link-*`` entry.
    """
    try:
        fd = os.open(index_dir / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as e:
        raise IndexUnavailable(f"{index_dir / LOCK}: cannot lock the index directory ({e.strerror})") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _tidy_if_idle(index_dir: Path) -> None:
    """Heal a copied ``current`` and remove a dead builder's debris, unless a builder is at work right now."""
    link = index_dir / CURRENT
    debris = any(p.name.startswith((TMP_PREFIX, LINK_PREFIX)) for p in index_dir.iterdir())
    if not debris and (link.is_symlink() or not link.is_dir()):
        return
    try:
        with _builder_lock(index_dir, wait=False) as locked:
            if locked:
                _remove_debris(index_dir)
                _heal_current(index_dir)
    except (IndexUnavailable, OSError):
        pass  # a read-only index directory is still a usable one; tidying can wait


def _remove_debris(index_dir: Path) -> None:
    """Remove what a builder that died left behind (call with the builder lock held)."""
    for p in index_dir.iterdir():
        if p.name.startswith(TMP_PREFIX):
            _remove_tree(p)
        elif p.name.startswith(LINK_PREFIX):
            p.unlink(missing_ok=True)


def _heal_current(index_dir: Path) -> None:
    """Turn a ``current`` that a copy made into a real directory back into a build and a link to it."""
    restored = _restore_copied_current(index_dir)
    if restored:
        _publish(index_dir, restored)


def _restore_copied_current(index_dir: Path) -> Path | None:
    """Rename a real-directory ``current`` to a build name (``os.replace`` cannot put a link over a directory)."""
    link = index_dir / CURRENT
    if not link.is_dir() or link.is_symlink():
        return None
    restored = index_dir / f"{BUILD_PREFIX}copied-{time.time_ns()}"
    os.rename(link, restored)
    return restored


def _publish(index_dir: Path, build_dir: Path) -> None:
    """Point ``current`` at ``build_dir`` atomically, then drop builds beyond the newest ``KEEP_BUILDS``."""
    link_tmp = index_dir / f"{LINK_PREFIX}{uuid.uuid4().hex}"
    try:
        os.symlink(build_dir.name, link_tmp)
        _restore_copied_current(index_dir)
        os.replace(link_tmp, index_dir / CURRENT)
    except OSError as e:
        link_tmp.unlink(missing_ok=True)
        raise IndexUnavailable(f"{index_dir}: cannot publish the new index ({e.strerror or e})") from None
    builds = sorted(
        (p for p in index_dir.glob(f"{BUILD_PREFIX}*") if p.is_dir() and not p.is_symlink()),
        key=lambda p: p.stat().st_mtime_ns,
        reverse=True,
    )
    for old in builds[KEEP_BUILDS:]:
        if old != build_dir:
            _remove_tree(old)


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _english_text(cache) -> str:
    """The common English words, one a line: from the clean cache when a build made them with this wordfreq release
    (importing wordfreq and reading its table is about 0.35 s, a quarter of a 1,000-section build)."""

    def compute() -> str:
        return "\n".join(common_english_words())

    if cache is None:
        return compute()
    from importlib import metadata  # here: reading an index never needs it, and it takes 20 ms to import

    try:
        release = metadata.version("wordfreq")
    except metadata.PackageNotFoundError:
        return compute()
    return cache.computed(f"english words: wordfreq {release}, top 60000, zipf >= {ENGLISH_MIN_ZIPF}", compute)


def common_english_words() -> list[str]:
    """Alphabetic English words at least as frequent as ``ENGLISH_MIN_ZIPF`` (about one per million words).

    The Zipf value is computed from the frequency table directly, as
    ``wordfreq.zipf_frequency`` defines it (log10 of the frequency per billion
    words, to two decimals): asking ``zipf_frequency`` word by word tokenised
    each of the 60,000 words again and cost 0.7 s of every full build.
    """
    from wordfreq import get_frequency_dict, top_n_list

    freq = get_frequency_dict("en")
    return [
        w
        for w in top_n_list("en", 60_000)
        if w.isalpha() and freq.get(w, 0) > 0 and round(math.log10(freq[w]) + 9, 2) >= ENGLISH_MIN_ZIPF
    ]


def ensure(corpus_dir: Path, index_dir: Path, progress: Progress | None = None) -> Path:
    """The current build, building it first if there is none."""
    existing = current_build(index_dir)
    if existing:
        return existing
    return build(corpus_dir, index_dir, progress=progress).path
