"""Cleaned text cached by content, so the noisy-channel cleaner never runs twice on the same text.

Cleaning (:mod:`kb.clean`) is the costly part of reading a source. An update
of the index reuses the outlines of unchanged files, but a full build
(``kb index --force``, a new schema, a corpus that changed too much) used to
clean every file again. The cache keeps each cleaned text under
``<index dir>/cache/clean/<key>``, where the key is the SHA-256 of the
cleaner's version (:func:`cleaner_version`) and the text: a changed text, or
a changed cleaner, simply misses. A text the cleaner refused (too costly to
repair) is remembered as refused, with the reason.

It lives beside the builds, not in a per-user directory: it serves the
corpus of that index, goes away with it, and a build writes nowhere else.

An entry is data, never code, but it is still not trusted blindly (see
:mod:`kb.integrity` for the threat model). It is used only if it is a
regular file (a symbolic link is not followed), owned by the current user
(or root) and writable by no one else, in a directory that is the same, and
if it holds the key it is filed under and a digest of its text that matches.
Anything else (truncated, garbage, swapped, foreign) is a miss: the text is
cleaned again and the entry rewritten, never an error. Writes go to a
temporary file renamed into place, so a reader sees a whole entry or none.

The same checks guard :meth:`CleanCache.computed`, which keeps what every
build derives from no source (the common English word list).

The cache is bounded: after each build the least recently used entries
(hits refresh an entry's time) are removed until it holds at most
:data:`MAX_CACHE_BYTES` and :data:`MAX_CACHE_ENTRIES`.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
import unicodedata
import uuid
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from kb.clean import TooCostly, clean

#: Where the cache lives inside an index directory.
CACHE_DIR = Path("cache") / "clean"
#: First line of every entry; bump when the entry format changes.
MAGIC = b"kb-clean-cache 1"
#: Total size of the entries kept. A 50,000-section corpus is about 35 MB of text, so this holds the cleaned
#: text of several such corpora (or versions of one) before the least recently used go.
MAX_CACHE_BYTES = 512 * 1024 * 1024
#: Number of entries kept: one directory of files, listed and stat'ed once per build to prune it.
MAX_CACHE_ENTRIES = 100_000
#: Largest entry read: a cleaned text is at most the source (kb.corpus.MAX_SOURCE_BYTES, 5 MB) plus a header.
MAX_ENTRY_BYTES = 5_000_000 + 4096
TMP_PREFIX = ".tmp-"
_OK, _REFUSED = b"ok", b"refused"


@lru_cache(maxsize=1)
def cleaner_version() -> str:
    """A digest of everything that decides what the cleaner makes of a text: its code and its word model's.

    Derived, not a number to bump by hand, so that no change to the cleaner
    can be forgotten: the source of :mod:`kb.clean` and :mod:`kb.wordmodel`,
    the ``wordfreq`` release (the model's data), and the Unicode tables that
    decide which characters are noise.
    """
    from kb import clean as clean_module
    from kb import wordmodel

    h = hashlib.sha256(MAGIC)
    for module in (clean_module, wordmodel):
        h.update(b"\0" + Path(module.__file__ or "").read_bytes())
    try:
        wordfreq = metadata.version("wordfreq")
    except metadata.PackageNotFoundError:
        wordfreq = "unknown"
    h.update(f"\0{wordfreq}\0{unicodedata.unidata_version}\0{sys.version_info[:2]}".encode())
    return h.hexdigest()


def key(text: str) -> str:
    """The entry name of a text: its digest together with the cleaner's version."""
    return hashlib.sha256(cleaner_version().encode() + b"\0" + text.encode("utf-8", "surrogatepass")).hexdigest()


class CleanCache:
    """The clean cache of one index directory; its methods never raise for a problem with the cache itself."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._usable: bool | None = None
        self.hits = 0
        self.misses = 0

    @classmethod
    def of_index(cls, index_dir: Path) -> CleanCache:
        return cls(index_dir / CACHE_DIR)

    def clean(self, text: str) -> str:
        """``kb.clean.clean(text)``, from the cache when it holds it; :class:`TooCostly` as the cleaner would."""
        name = key(text)
        found = self._read(name)
        if found is not None:
            self.hits += 1
            kind, payload = found
            if kind == _REFUSED:
                raise TooCostly(payload)
            return payload
        self.misses += 1
        try:
            cleaned = clean(text)
        except TooCostly as e:
            self._write(name, _REFUSED, str(e))
            raise
        self._write(name, _OK, cleaned)
        return cleaned

    def computed(self, label: str, compute: Callable[[], str]) -> str:
        """``compute()``, run once for all builds: ``label`` names everything its result depends on.

        For what every full build needs and no source changes (the common
        English word list: a function of the ``wordfreq`` release alone).
        """
        name = hashlib.sha256(b"computed\0" + label.encode()).hexdigest()
        found = self._read(name)
        if found is not None and found[0] == _OK:
            self.hits += 1
            return found[1]
        self.misses += 1
        value = compute()
        self._write(name, _OK, value)
        return value

    # -- entries ---------------------------------------------------------------------

    def _ready(self) -> bool:
        """Whether the cache directory exists (it is made if not) and only we can write it."""
        if self._usable is None:
            self._usable = False
            try:
                for directory in (self.directory.parent, self.directory):
                    if not os.path.lexists(directory):
                        os.mkdir(directory, 0o755)
                    if not _trusted(os.lstat(directory), stat.S_ISDIR):
                        return False
                self._usable = True
            except OSError:
                return False
        return self._usable

    def _read(self, name: str) -> tuple[bytes, str] | None:
        if not self._ready():
            return None
        try:
            fd = os.open(self.directory / name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            return None  # missing, or a symbolic link (O_NOFOLLOW), or unreadable
        try:
            st = os.fstat(fd)
            if not _trusted(st, stat.S_ISREG) or st.st_size > MAX_ENTRY_BYTES:
                return None
            with os.fdopen(fd, "rb", closefd=False) as f:
                data = f.read(MAX_ENTRY_BYTES + 1)
            entry = _parse(data, name)
            if entry is not None:
                os.utime(fd)  # recently used: pruning removes the least recently used first
            return entry
        except OSError:
            return None
        finally:
            os.close(fd)

    def _write(self, name: str, kind: bytes, text: str) -> None:
        if not self._ready():
            return
        payload = text.encode("utf-8", "surrogatepass")
        data = b"\n".join([MAGIC, name.encode(), hashlib.sha256(payload).hexdigest().encode(), kind, payload])
        tmp = self.directory / f"{TMP_PREFIX}{uuid.uuid4().hex}"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, self.directory / name)  # replaces a link or a bad entry itself, never what it points at
        except OSError:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass

    def prune(self, max_bytes: int = MAX_CACHE_BYTES, max_entries: int = MAX_CACHE_ENTRIES) -> int:
        """Remove what a crashed writer left, entries that are not regular files, and the least recently used
        entries beyond the bounds; return how many were removed. Call with the index's builder lock held."""
        if not self._ready():
            return 0
        entries = []
        removed = 0
        try:
            names = os.listdir(self.directory)
        except OSError:
            return 0
        for name in names:
            path = self.directory / name
            try:
                st = os.lstat(path)
                if name.startswith(TMP_PREFIX) or not stat.S_ISREG(st.st_mode):
                    if stat.S_ISDIR(st.st_mode):
                        continue  # nothing of ours; left alone
                    path.unlink()
                    removed += 1
                    continue
            except OSError:
                continue
            entries.append((st.st_mtime_ns, st.st_size, path))
        entries.sort(reverse=True)  # most recently used first
        total = 0
        for k, (_, size, path) in enumerate(entries):
            total += size
            if total > max_bytes or k >= max_entries:
                try:
                    path.unlink()
                    removed += 1
                except OSError:
                    pass
        return removed


def _trusted(st: os.stat_result, kind) -> bool:
    """Of the right kind, ours (or root's), and writable by no one else: see kb.integrity's threat model."""
    return kind(st.st_mode) and st.st_uid in (os.geteuid(), 0) and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _parse(data: bytes, name: str) -> tuple[bytes, str] | None:
    """(kind, text) of an entry, or None unless it is whole: the right magic, its own key, a matching digest."""
    parts = data.split(b"\n", 4)
    if len(parts) != 5:
        return None
    magic, stored_name, digest, kind, payload = parts
    if magic != MAGIC or stored_name != name.encode() or kind not in (_OK, _REFUSED):
        return None
    if hashlib.sha256(payload).hexdigest().encode() != digest:
        return None
    try:
        return kind, payload.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None
