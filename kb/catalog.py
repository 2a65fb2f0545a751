"""The corpus as the index stores it beside the Whoosh files: notices, outlines, Markdown, in SQLite.

Readers (search, CLI, web) read this store instead of re-parsing and
re-cleaning the sources, so reading never depends on the cleaner and always
matches the index it sits beside.

A process must not pay for the whole corpus to answer one request, so
opening a catalog reads only what lists, filters and facets need of every
notice (its facts and its translations' names and labels: a few hundred
bytes each). The rest is read when it is asked for:

* a notice's outlines (sections with their bodies, front matter, metadata)
  when :meth:`Catalog.notice` asks for it or anything reads an outline, kept
  in a small LRU of full notices (:data:`OUTLINE_CACHE`);
* a translation's Markdown by :meth:`Catalog.markdown`, per request.

**One notice object, outlines on demand.** :attr:`Catalog.notices` holds
every notice as a real :class:`~kb.models.Notice` (a :class:`ListedNotice`),
the same object that :meth:`Catalog.notice` and search results give. Its
translations are :class:`StoredTranslation`: their ``outline`` is not held but
fetched, on each access, from the full notice in the LRU (read from the store
on a miss). So every piece of code that has a notice sees its true outline,
never an empty one, wherever it got the notice; a list costs nothing until
something reads an outline; and memory stays bounded, since outlines live in
the LRU, not on the listed notices. A separate light type for lists was the
alternative: code (and templates, where Jinja turns a missing attribute into
an empty string) that reached for an outline through it would have silently
seen nothing.

A published build never changes, so the store is opened read-only and
``immutable`` (no locks, no journal); one connection serves every thread,
one query at a time (queries take microseconds; see :class:`Catalog`).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

from kb import integrity
from kb.errors import IndexUnavailable, NotFound
from kb.models import FRONT, Metadata, Notice, Outline, Part, Section, SectionId, Translation

CATALOG = "catalog.sqlite"
#: The layout of the tables below. A reader refuses a store of another layout (as a damaged build, which
#: ``kb index`` rebuilds; kb.index.SCHEMA_VERSION changes with it, so that happens on its own).
#: 2: translations carry their translator, source and whether they were restored; ``received`` holds their texts.
#: 3: translations carry their language (kb.language).
#: 4: parts of a notice (``parts``: attachments, issued documents, forwarded reports, with ids ``a1/...``), a third
#: level of sections, and whether a section's title was derived from its text; sections are numbered by part, top,
#: sub and third (``translations.last_top`` is gone: the sections answer it, per part). 5: the closing lines of
#: the notice and of each part that are in no section (``outlines.closing``: signature, date, notes).
FORMAT = "5"
#: Notices whose outlines stay in memory between requests. A page needs one to a few at a time (a notice's
#: pages one; a results page up to 10, one per hit; /api/notices one after another), so 32 lets every page
#: read each outline once and keeps the notices in use warm, while a long-running site's memory stays bounded:
#: a notice of a long document holds megabytes of text.
OUTLINE_CACHE = 32

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE notices (
    id TEXT PRIMARY KEY, pos INTEGER NOT NULL, title TEXT NOT NULL, number TEXT, date TEXT,
    issuers TEXT NOT NULL, type TEXT, source TEXT, digest TEXT NOT NULL
);
CREATE TABLE translations (
    tid INTEGER PRIMARY KEY, notice TEXT NOT NULL, pos INTEGER NOT NULL, name TEXT NOT NULL,
    label TEXT NOT NULL, file TEXT NOT NULL, has_front INTEGER NOT NULL,
    translator TEXT, source TEXT, restored INTEGER NOT NULL, received_digest TEXT, language TEXT NOT NULL,
    UNIQUE (notice, name)
);
CREATE TABLE outlines (
    tid INTEGER PRIMARY KEY, metadata TEXT NOT NULL, front TEXT NOT NULL, stated TEXT NOT NULL, guide TEXT NOT NULL,
    closing TEXT NOT NULL
);
CREATE TABLE parts (
    tid INTEGER NOT NULL, number INTEGER NOT NULL, kind TEXT NOT NULL, title TEXT, label TEXT,
    PRIMARY KEY (tid, number)
);
CREATE TABLE sections (
    tid INTEGER NOT NULL, pos INTEGER NOT NULL, id TEXT NOT NULL, title TEXT, parent TEXT, body TEXT NOT NULL,
    label TEXT, title_derived INTEGER NOT NULL, part INTEGER NOT NULL, top INTEGER NOT NULL, sub INTEGER NOT NULL,
    third INTEGER NOT NULL, PRIMARY KEY (tid, pos)
);
CREATE INDEX sections_by_number ON sections (part, top, sub, third);
CREATE TABLE markdown (tid INTEGER PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE received (tid INTEGER PRIMARY KEY, text TEXT NOT NULL);
"""
#: The tables a reader needs, checked at open so that a store without one fails there, not on some later page.
_TABLES = frozenset(("meta", "notices", "translations", "outlines", "parts", "sections", "markdown", "received"))
#: How every SQLite database file begins (its header is 100 bytes).
_MAGIC = b"SQLite format 3\x00"


# -- the notice as the catalog compares it -------------------------------------------------------------


def _closing(outline: Outline) -> str:
    """An outline's closing lines as stored: JSON keyed by part number (JSON keys are text)."""
    return json.dumps({str(k): v for k, v in sorted(outline.closing.items())}, ensure_ascii=False)


def notice_dict(n: Notice, markdown: dict[tuple[str, str], str] | None = None) -> dict:
    """One notice as plain data (with each translation's Markdown when ``markdown`` is given).

    What an update compares (through :func:`notice_digest`): a notice counts
    as changed when anything here differs.
    """
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
                "translator": t.translator,
                "source": t.source,
                "restored": t.restored,
                # the text as received is stored too: a changed text that cleans the same is still a change
                "received": t.received_digest,
                "language": t.language,
                "metadata": _metadata_dict(t.outline.metadata),
                "front": t.outline.front,
                "guide": t.outline.guide,
                "closing": _closing(t.outline),
                "parts": [[p.number, p.kind, p.title, p.label] for p in t.outline.parts],
                "sections": [
                    {
                        "id": s.id,
                        "title": s.title,
                        "parent": s.parent,
                        "body": s.body,
                        "label": s.label,
                        # only where set: the digests of notices without derived titles stay as they were
                        **({"title_derived": True} if s.title_derived else {}),
                    }
                    for s in t.outline.sections
                ],
                **({"markdown": markdown[n.id, t.name]} if markdown is not None else {}),
            }
            for t in n.translations
        ],
    }


def notice_digest(n: Notice) -> str:
    """A digest of everything the catalog holds of a notice (but its Markdown, which follows from the rest).

    Stored with each notice, so that an update finds the changed notices by
    comparing digests, without reading the previous build's notices back.
    """
    text = json.dumps(notice_dict(n), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _metadata_dict(m: Metadata) -> dict:
    """``dataclasses.asdict`` of the metadata, written out: asdict deep-copies field by field, and an update
    turns every notice of the corpus into a dict (:func:`notice_digest`)."""
    return {
        "title": m.title,
        "number": m.number,
        "source": m.source,
        "date": m.date,
        "issuers": list(m.issuers),
        "doc_type": m.doc_type,
    }


# -- writing ------------------------------------------------------------------------------------------


def write(path: Path, notices: list[Notice], fingerprint: str) -> None:
    """Write a new store at ``path`` holding ``notices`` and each translation's Markdown.

    A failure to write (a full disk) is an :class:`OSError` naming the file,
    as any other file of a build is.
    """
    with _writing(path, schema=_SCHEMA) as db:
        db.executemany("INSERT INTO meta VALUES (?, ?)", [("format", FORMAT), ("fingerprint", fingerprint)])
        _insert(db, notices, next_tid=1)
        _set_order(db, notices)


def update(previous: Path, path: Path, notices: list[Notice], changed: Iterable[str], fingerprint: str) -> None:
    """Write at ``path`` the store of ``notices`` from the previous build's store: a copy, with the ``changed``
    notices' rows (those added, changed or removed) replaced, so that the unchanged ones are neither read nor
    rendered again."""
    changed = set(changed)
    try:
        shutil.copyfile(previous, path)
        os.chmod(path, 0o644)  # the published file is read-only; this one is written, then sealed
    except OSError as e:
        raise OSError(e.errno, e.strerror, str(path)) from None
    with _writing(path) as db:
        tids = [
            (tid,)
            for (notice_id, tid) in db.execute("SELECT notice, tid FROM translations").fetchall()
            if notice_id in changed
        ]
        for table in ("sections", "parts", "outlines", "markdown", "received", "translations"):
            db.executemany(f"DELETE FROM {table} WHERE tid = ?", tids)  # noqa: S608 - names from the list above
        db.executemany("DELETE FROM notices WHERE id = ?", [(i,) for i in changed])
        (last,) = db.execute("SELECT coalesce(max(tid), 0) FROM translations").fetchone()
        _insert(db, [n for n in notices if n.id in changed], next_tid=last + 1)
        _set_order(db, notices)
        db.execute("UPDATE meta SET value = ? WHERE key = 'fingerprint'", (fingerprint,))


class _writing:
    """A connection that writes a new store: no journal and no syncing (a build that fails is thrown away
    whole, and the seal is written after the store is closed); SQLite's errors become OSErrors naming it."""

    def __init__(self, path: Path, schema: str | None = None) -> None:
        self.path = path
        self.schema = schema

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.db = _connect_for_writing(self.path)
            self.db.execute("PRAGMA journal_mode = OFF")
            self.db.execute("PRAGMA synchronous = OFF")
            if self.schema:
                self.db.executescript(self.schema)  # before BEGIN: executescript commits what is pending
            self.db.execute("BEGIN")
        except sqlite3.Error as e:
            raise _os_error(e, self.path) from None
        return self.db

    def __exit__(self, kind, error, tb) -> None:
        try:
            if kind is None:
                self.db.commit()
        except sqlite3.Error as e:
            raise _os_error(e, self.path) from None
        finally:
            self.db.close()
        if isinstance(error, sqlite3.Error):
            raise _os_error(error, self.path) from None


def _connect_for_writing(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def _os_error(e: sqlite3.Error, path: Path) -> OSError:
    """How a build reports a store it could not write: a full disk as ENOSPC, anything else as EIO."""
    if getattr(e, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
    return OSError(errno.EIO, f"{e}", str(path))


def _insert(db: sqlite3.Connection, notices: list[Notice], next_tid: int) -> None:
    """Rows of ``notices`` (positions are set apart, by :func:`_set_order`); translations numbered from
    ``next_tid``. Each translation's Markdown is rendered here, one at a time, not held for the corpus."""
    from kb.render import to_markdown

    tid = next_tid
    for n in notices:
        db.execute(
            "INSERT INTO notices VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?)",
            (n.id, n.title, n.number, n.date, json.dumps(n.issuers), n.doc_type, n.source, notice_digest(n)),
        )
        for pos, t in enumerate(n.translations):
            o = t.outline
            db.execute(
                "INSERT INTO translations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    tid,
                    n.id,
                    pos,
                    t.name,
                    t.label,
                    t.path.name,
                    int(bool(o.front)),
                    t.translator,
                    t.source,
                    int(t.restored),
                    t.received_digest,
                    t.language,
                ),
            )
            if t.received is not None:
                db.execute("INSERT INTO received VALUES (?, ?)", (tid, t.received))
            db.execute(
                "INSERT INTO outlines VALUES (?, ?, ?, ?, ?, ?)",
                (tid, json.dumps(_metadata_dict(o.metadata)), o.front, json.dumps(t.stated), o.guide, _closing(o)),
            )
            db.executemany(
                "INSERT INTO parts VALUES (?, ?, ?, ?, ?)", [(tid, p.number, p.kind, p.title, p.label) for p in o.parts]
            )
            db.executemany(
                "INSERT INTO sections VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        tid,
                        k,
                        str(s.id),
                        s.title,
                        s.parent,
                        s.body,
                        s.label,
                        int(s.title_derived),
                        s.id.part,
                        s.id.top,
                        s.id.sub or 0,
                        s.id.third or 0,
                    )
                    for k, s in enumerate(o.sections)
                ],
            )
            db.execute("INSERT INTO markdown VALUES (?, ?)", (tid, to_markdown(n, t)))
            tid += 1


def _set_order(db: sqlite3.Connection, notices: list[Notice]) -> None:
    """Number the notices in the corpus's order, which the listing keeps (a filter's spelling is the first
    notice's, an ambiguous old link lists its candidates in this order)."""
    db.executemany("UPDATE notices SET pos = ? WHERE id = ?", [(k, n.id) for k, n in enumerate(notices)])


# -- reading ------------------------------------------------------------------------------------------


class StoredTranslation(Translation):
    """A translation of a listed notice: its name, label and file at hand, its outline read on use.

    ``outline`` and ``stated`` come from the full notice (:meth:`Catalog.notice`)
    on every access, never kept here: see the module docs.
    """

    def __init__(
        self,
        catalog: Catalog,
        tid: int,
        name: str,
        label: str,
        file: str,
        notice_id: str,
        provenance: tuple[str | None, str | None, int, str | None, str] = (None, None, 0, None, "en"),
    ) -> None:
        # Translation's own __init__ would assign the outline, which a stored translation does not hold.
        self.name = name
        self.label = label
        self.path = Path(file)
        self.notice_id = notice_id
        self.translator, self.source, restored, self.received_digest, self.language = provenance
        self.restored = bool(restored)
        self.received = None  # read on demand: Catalog.received
        self._catalog = catalog
        self._tid = tid

    def _full(self) -> Translation:
        listed = self._catalog.by_id.get(self.notice_id)
        full = self._catalog._full(listed).translation(self.name) if listed is not None else None
        if full is None:
            raise self._catalog.damaged(f"lacks the outline of {self.notice_id}/{self.name}")
        return full

    @property  # type: ignore[override]
    def outline(self) -> Outline:
        return self._full().outline

    @property  # type: ignore[override]
    def stated(self) -> dict:
        return self._full().stated

    def __repr__(self) -> str:
        return f"StoredTranslation({self.notice_id!r}, {self.name!r})"


class ListedNotice(Notice):
    """A notice as lists hold it: its section titles are the full notice's, cached there (in the LRU), not here,
    where they would stay for the life of the process."""

    def __init__(self, catalog: Catalog, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._catalog = catalog

    @property
    def section_titles(self) -> dict[str, str]:  # type: ignore[override]
        return self._catalog._full(self).section_titles

    @property
    def derived_titles(self) -> frozenset[str]:  # type: ignore[override]
        return self._catalog._full(self).derived_titles


class Catalog:
    """Notices and their translations as indexed: the listing in memory, outlines and Markdown on demand.

    One read-only connection, shared by the threads of a site under a lock.
    A connection per thread was the alternative; the queries are point
    lookups of microseconds to a millisecond, so they gain nothing from
    running side by side, while each connection would keep its own page cache.

    A store that SQLite cannot read (truncated, not a database, a table
    missing, another layout) is a :class:`~kb.integrity.DamagedIndex`: one
    line, which the web answers with 503 and the CLI with status 2.
    """

    def __init__(self, build_dir: Path, db: sqlite3.Connection) -> None:
        self.build_dir = build_dir
        self._db = db
        self._lock = threading.Lock()
        self._outlines: OrderedDict[str, Notice] = OrderedDict()
        #: Why the store could not be read, once it could not: later requests are told at once.
        self._broken: str | None = None
        #: How many notices' outlines and translations' Markdown were read from the store (for tests).
        self.outline_reads = 0
        self.markdown_reads = 0
        tables = {name for (name,) in self._query("SELECT name FROM sqlite_master WHERE type = 'table'")}
        # the format first: a store written by another version lacks this version's tables, and is not damaged
        fmt = self._query("SELECT value FROM meta WHERE key = 'format'") if "meta" in tables else []
        if fmt and fmt[0][0] != FORMAT:
            raise IndexUnavailable(
                f"{self.build_dir}: the index was built by another version of kb ({CATALOG} format {fmt[0][0]}, "
                f"this version reads format {FORMAT}); run `kb index` to rebuild it"
            )
        if not _TABLES <= tables:
            raise self.damaged(f"lacks the table {min(_TABLES - tables)}")
        if not fmt:
            raise self.damaged(f"has no format, this version reads format {FORMAT}")
        ((fp,),) = self._query("SELECT value FROM meta WHERE key = 'fingerprint'") or [(None,)]
        if fp is None:
            raise self.damaged("has no fingerprint")
        self.fingerprint: str = fp
        translations: dict[str, list[Translation]] = {}
        for tid, notice_id, name, label, file, *provenance in self._query(
            "SELECT tid, notice, name, label, file, translator, source, restored, received_digest, language "
            "FROM translations "
            "ORDER BY notice, pos"
        ):
            translations.setdefault(notice_id, []).append(
                StoredTranslation(self, tid, name, label, file, notice_id, tuple(provenance))  # type: ignore[arg-type]
            )
        #: Every notice, in the corpus's order, with its facts; outlines are read on use (see the module docs).
        self.notices: list[Notice] = [
            ListedNotice(self, i, title, number, date, json.loads(issuers), translations.get(i, []), kind, source)
            for i, title, number, date, issuers, kind, source in self._query(
                "SELECT id, title, number, date, issuers, type, source FROM notices ORDER BY pos"
            )
        ]
        #: Listed notices by id, for lookups and facet counts.
        self.by_id: dict[str, Notice] = {n.id: n for n in self.notices}

    @classmethod
    def load(cls, build_dir: Path) -> Catalog:
        """Open the store of a build, read-only, and read its listing (not its outlines or Markdown)."""
        path = build_dir / CATALOG
        try:
            with open(path, "rb") as f:
                problem = _header_problem(f.read(100), os.fstat(f.fileno()).st_size)
        except FileNotFoundError:  # SQLite would say only "unable to open database file"
            raise _damaged(build_dir, f"{CATALOG} is missing") from None
        except OSError as e:
            raise _damaged(build_dir, f"{CATALOG} cannot be read ({e.strerror})") from None
        if problem:
            raise _damaged(build_dir, f"{CATALOG} {problem}")
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            # A published build is data kb wrote itself (kb.integrity), read defensively all the same: no
            # schema-defined functions run, and malformed pages are found before they are used.
            db.execute("PRAGMA trusted_schema = OFF")
            db.execute("PRAGMA cell_size_check = ON")
        except sqlite3.Error as e:
            raise _damaged(build_dir, f"{CATALOG} cannot be opened ({e})") from None
        return cls(build_dir, db)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def damaged(self, reason: str) -> IndexUnavailable:
        """The error for a store that cannot be read as written (``reason`` is about the store)."""
        return _damaged(self.build_dir, f"{CATALOG} {reason}")

    def _query(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Rows of one query, under the connection's lock; SQLite's errors as a damaged index."""
        with self._lock:
            return self._query_locked(sql, params)

    def _query_locked(self, sql: str, params: tuple = ()) -> list[tuple]:
        if self._broken is not None:
            raise self.damaged(self._broken)
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as e:
            self._broken = self._diagnose(e)
            raise self.damaged(self._broken) from None

    def _diagnose(self, e: sqlite3.Error) -> str:
        """Why the store cannot be read: its digest is checked now (not at open: see kb.integrity)."""
        try:
            sealed = integrity.read_seal(self.build_dir).files.get(CATALOG)
            if sealed is not None and integrity.digest(self.build_dir / CATALOG) != sealed[1]:
                return "is not the file that was written"
        except (IndexUnavailable, OSError):
            pass
        return f"cannot be read ({e})"

    # -- lookups ---------------------------------------------------------------------------------------

    def notice(self, notice_id: str) -> Notice | None:
        """The notice called ``notice_id``, its outlines read now (unless among the last OUTLINE_CACHE read).

        The notice returned is the listed one (one object per notice, as
        lists and search results hold it); what it says of its outlines comes
        from the full notice this reads, while that stays in the LRU.
        """
        listed = self.by_id.get(notice_id)
        if listed is not None:
            self._full(listed)
        return listed

    def _full(self, listed: Notice) -> Notice:
        """The notice with its outlines loaded: from the LRU, else read from the store into it."""
        notice_id = listed.id
        with self._lock:
            full = self._outlines.get(notice_id)
            if full is not None:
                self._outlines.move_to_end(notice_id)
                return full
            full = self._read_notice(listed)
            self._outlines[notice_id] = full
            if len(self._outlines) > OUTLINE_CACHE:
                self._outlines.popitem(last=False)
            return full

    def _read_notice(self, listed: Notice) -> Notice:
        self.outline_reads += 1
        translations = []
        for t in listed.translations:
            outline, stated = self._read_outline(t._tid)  # type: ignore[attr-defined]
            translations.append(
                Translation(
                    t.name,
                    t.label,
                    t.path,
                    listed.id,
                    outline,
                    stated,
                    translator=t.translator,
                    source=t.source,
                    restored=t.restored,
                    received_digest=t.received_digest,
                    language=t.language,
                )
            )
        return Notice(
            listed.id,
            listed.title,
            listed.number,
            listed.date,
            listed.issuers,
            translations,
            doc_type=listed.doc_type,
            source=listed.source,
        )

    def _read_outline(self, tid: int) -> tuple[Outline, dict]:
        rows = self._query_locked("SELECT metadata, front, stated, guide, closing FROM outlines WHERE tid = ?", (tid,))
        if not rows:
            raise self.damaged(f"lacks the outline of translation {tid}")
        metadata, front, stated, guide, closing = rows[0]
        sections = [
            Section(SectionId(i), title, parent, body, label, bool(derived))
            for i, title, parent, body, label, derived in self._query_locked(
                "SELECT id, title, parent, body, label, title_derived FROM sections WHERE tid = ? ORDER BY pos", (tid,)
            )
        ]
        parts = [
            Part(*row)
            for row in self._query_locked(
                "SELECT number, kind, title, label FROM parts WHERE tid = ? ORDER BY number", (tid,)
            )
        ]
        try:
            closed = {int(k): v for k, v in json.loads(closing).items()}
            outline = Outline(Metadata(**json.loads(metadata)), front, sections, guide, parts, closed)
            return outline, json.loads(stated)
        except (ValueError, TypeError) as e:
            raise self.damaged(f"holds an unreadable outline ({type(e).__name__})") from None

    def _listed(self, notice_id: str, name: str) -> Translation | None:
        """A translation as the listing has it (its row id with it), or None for a notice or name not held."""
        listed = self.by_id.get(notice_id)
        return listed.translation(name) if listed is not None else None

    def outline_of(self, notice_id: str, name: str) -> tuple[Outline, dict, bool, str | None] | None:
        """A translation's outline, what its file stated, whether it was restored and its text as received,
        read from the store (not kept): for an update of the index, which reuses them for every unchanged file
        once."""
        t = self._listed(notice_id, name)
        if t is None:
            return None
        with self._lock:
            self.outline_reads += 1
            outline, stated = self._read_outline(t._tid)  # type: ignore[attr-defined]
            rows = self._query_locked("SELECT text FROM received WHERE tid = ?", (t._tid,))  # type: ignore[attr-defined]
        return outline, stated, t.restored, rows[0][0] if rows else None

    def received(self, notice_id: str, name: str) -> str:
        """A translation's text as its source file was received (before cleaning), as the build indexed it.

        Kept in its own table and read only here, so that opening the store
        and reading outlines never pay for it.
        """
        t = self._listed(notice_id, name)
        if t is None:
            raise NotFound(f"notice {notice_id!r} has no translation {name!r}")
        rows = self._query("SELECT text FROM received WHERE tid = ?", (t._tid,))  # type: ignore[attr-defined]
        if not rows:
            raise NotFound(f"the text of {notice_id}/{name} as received is not stored")
        return rows[0][0]

    def markdown(self, notice_id: str, name: str) -> str:
        """A translation's canonical Markdown, read from the store on every call (a page renders it once)."""
        t = self._listed(notice_id, name)
        if t is None:
            raise NotFound(f"notice {notice_id!r} has no translation {name!r}")
        rows = self._query("SELECT text FROM markdown WHERE tid = ?", (t._tid,))  # type: ignore[attr-defined]
        if not rows:
            raise self.damaged(f"lacks the text of {notice_id}/{name}")
        self.markdown_reads += 1
        return rows[0][0]

    def digests(self) -> dict[str, str]:
        """Every notice's :func:`notice_digest`, by id: what an update compares the corpus with."""
        return dict(self._query("SELECT id, digest FROM notices"))

    def with_translation(self, name: str) -> list[Notice]:
        """The notices that have a translation called ``name`` (names are unique only within a notice)."""
        return [n for n in self.notices if n.translation(name)]

    def with_section(self, section_id: SectionId) -> list[Notice]:
        """The notices whose :attr:`~kb.models.Notice.section_ids` include ``section_id``, found in the store.

        A notice's sections run, in each part, from 1 to the last any
        translation has, each one's subsections from 1 to its last, and each
        subsection's third level likewise (the numbering implies the gaps), so
        the store answers from the highest numbers under the section's parent,
        without reading any outline: 6.1.2 is there where some section 6 (1)
        has a third level numbered 2 or more. A part's opening is there where
        a translation has it (its row has no numbers).
        """
        section_id = SectionId(section_id)
        joined = "SELECT DISTINCT t.notice FROM sections s JOIN translations t ON t.tid = s.tid WHERE s.part = ? AND "
        part, numbers = section_id.part, section_id.numbers
        if section_id == FRONT:
            sql, params = "SELECT DISTINCT notice FROM translations WHERE has_front", ()
        elif section_id.is_front:
            sql, params = joined + "s.top = 0", (part,)
        elif len(numbers) == 1:
            sql, params = joined + "s.top >= ?", (part, *numbers)
        elif len(numbers) == 2:
            sql, params = joined + "s.top = ? AND s.sub >= ?", (part, *numbers)
        else:
            sql, params = joined + "s.top = ? AND s.sub = ? AND s.third >= ?", (part, *numbers)
        found = {i for (i,) in self._query(sql, params)}
        return [n for n in self.notices if n.id in found]

    @property
    def translation_names(self) -> list[str]:
        """Every translation name in use, each once, in the order notices list them."""
        return list(dict.fromkeys(t.name for n in self.notices for t in n.translations))


def _header_problem(header: bytes, size: int) -> str | None:
    """What is wrong with a store, as its header and size tell (None: nothing they can tell).

    SQLite finds a file cut short only when it reads past the end, perhaps
    on a page long after opening; the header records the database's size in
    pages, so a truncated file is known at once.
    """
    if len(header) < 100 or not header.startswith(_MAGIC):
        return "is not a SQLite database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if header[24:28] == header[92:96] and pages and size != pages * page_size:  # the size field is valid
        return f"has {size} bytes, its header says {pages * page_size}"
    return None


def _damaged(build_dir: Path, reason: str) -> IndexUnavailable:
    return integrity.DamagedIndex(build_dir, reason)
