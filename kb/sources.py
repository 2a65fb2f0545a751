"""The files of a corpus directory: which are sources, and reading one safely.

Apart from :mod:`kb.corpus` (which cleans and outlines what it reads) so that
checking whether an index is still fresh (:mod:`kb.freshness`, run by every
reading command) lists the sources without importing the cleaner, the
outliner and the front-matter parser.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from kb.errors import KnowledgeBaseError

#: The manifest's file name in a corpus directory.
MANIFEST = "manifest.toml"
#: Suffixes of the source files a corpus holds (a manifest entry can only describe one of those): plain text,
#: Markdown, and saved web pages (read by :mod:`kb.pages`).
SOURCE_SUFFIXES = (".txt", ".md", ".html", ".htm")
#: Largest manifest read (a manifest describing thousands of files is well under this).
MAX_MANIFEST_BYTES = 1_000_000
#: Largest source file read (a notice is tens of kilobytes; the limit keeps one file from filling memory).
MAX_SOURCE_BYTES = 5_000_000


class SourceError(KnowledgeBaseError):
    """A source file that cannot be read as a notice; the message is meant for a person."""


def read_source(path: Path) -> str:
    """Text of a source file, refusing what is not a UTF-8 text document."""
    return decode_source(read_source_bytes(path), str(path))


def read_source_bytes(path: Path) -> bytes:
    """The bytes of a source file, under the limits of any source (a saved page is decoded by its charset)."""
    return _read_bytes(path, MAX_SOURCE_BYTES)


def _read_bytes(path: Path, limit: int, identity: tuple[int, int] | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or a :class:`SourceError` saying why not.

    The file is judged on what was opened, not on its name: opened without
    blocking (a FIFO named like a source must not hang a build), never read
    past the limit (a huge file must not fill memory), and, given the
    ``identity`` (device, inode) a listing judged, refused if the name now
    leads elsewhere (a link swapped for one out of the corpus after it was checked).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except OSError as e:
        raise SourceError(f"{path}: cannot read ({e.strerror or e})") from None
    try:
        info = os.fstat(fd)
        if identity is not None and (info.st_dev, info.st_ino) != identity:
            raise SourceError(f"{path}: changed while the corpus was being read, not followed")
        if stat.S_ISDIR(info.st_mode):
            raise SourceError(f"{path}: is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise SourceError(f"{path}: not a regular file")
        if info.st_size > limit:
            raise SourceError(f"{path}: too large ({info.st_size} bytes; the limit is {limit})")
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
    except OSError as e:
        raise SourceError(f"{path}: cannot read ({e.strerror or e})") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise SourceError(f"{path}: too large (over the limit of {limit} bytes)")
    return data


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


@dataclass(frozen=True)
class Listing:
    """What a corpus directory offers: the source files to read, and why its other sources are not read."""

    files: list[Path]
    refused: dict[Path, str]  # a source not read, and why
    identity: dict[Path, tuple[int, int]]  # (device, inode) of each file as judged

    @property
    def problems(self) -> list[str]:
        """One line per source not read, as the skipped list shows it."""
        return [f"{path}: {reason}" for path, reason in self.refused.items()]

    @property
    def names(self) -> set[str]:
        """Names of every source in the directory, read or not."""
        return {p.name for p in [*self.files, *self.refused]}

    def read(self, path: Path) -> bytes:
        """The bytes of a listed file, provided it is still the file the listing judged."""
        return _read_bytes(path, MAX_SOURCE_BYTES, self.identity[path])


def list_sources(directory: Path) -> Listing:
    """The source files (:data:`SOURCE_SUFFIXES`) of ``directory``, in name order, that a build may read.

    A link is followed only when its target is inside the corpus directory: a
    link to a file elsewhere (``~/.ssh/id_rsa``, ``/etc/passwd``) would
    publish that file on the site. Such links, broken links and entries that
    are not regular files are listed in ``refused`` with a one-line reason.
    The fingerprint and the loader both read through this listing, so they
    agree on what the corpus holds.
    """
    root = _real_directory(directory)
    files: list[Path] = []
    refused: dict[Path, str] = {}
    identity: dict[Path, tuple[int, int]] = {}
    try:
        entries = sorted(directory.iterdir())
    except OSError as e:
        raise SourceError(f"{directory}: cannot list the corpus directory ({e.strerror or e})") from None
    for path in entries:
        if path.suffix.lower() not in SOURCE_SUFFIXES:
            continue
        try:
            identity[path] = _judge(path, root)
            files.append(path)
        except _Refused as e:
            refused[path] = str(e)
    return Listing(files, refused, identity)


def _real_directory(directory: Path) -> Path:
    try:
        return directory.resolve(strict=True)
    except (OSError, RuntimeError):
        raise SourceError(f"{directory}: corpus directory not found") from None


class _Refused(Exception):
    """A corpus entry that is not read; the message says why."""


def _judge(path: Path, root: Path) -> tuple[int, int]:
    """The (device, inode) of the regular file that ``path`` may be read as; :class:`_Refused` if none."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):  # missing target, or a loop of links
            raise _Refused("is a broken link") from None
        if not target.is_relative_to(root):
            raise _Refused("is a link outside the corpus, not followed")
    try:
        info = path.stat()
    except OSError as e:
        raise _Refused(f"cannot read ({e.strerror or e})") from None
    if stat.S_ISDIR(info.st_mode):
        raise _Refused("is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise _Refused("not a regular file")
    return info.st_dev, info.st_ino


def read_beside(directory: Path, name: str, limit: int) -> bytes | None:
    """A file of the corpus directory other than a source (the manifest), read under the same rules as a
    source; None when there is none."""
    path = directory / name
    if not os.path.lexists(path):
        return None
    try:
        identity = _judge(path, _real_directory(directory))
    except _Refused as e:
        raise SourceError(f"{path}: {e}") from None
    return _read_bytes(path, limit, identity)


def fingerprint(directory: Path) -> str:
    """Content hash of everything a build reads: the sources and the manifest.

    Never fails on a bad file: an unreadable or refused one is hashed by its
    name and the reason, so the fingerprint changes when it becomes readable
    (and the build that follows lists it in ``skipped`` or reads it).
    """
    h = hashlib.sha256()
    listing = list_sources(directory)
    for problem in listing.problems:
        h.update(b"refused\0" + _bytes(problem) + b"\0")
    for path in listing.files:
        h.update(b"source\0" + _bytes(path.name) + b"\0")
        try:
            h.update(b"read\0" + listing.read(path))
        except SourceError as e:
            h.update(b"unreadable\0" + _bytes(str(e)))
        h.update(b"\0")
    try:
        manifest = read_beside(directory, MANIFEST, MAX_MANIFEST_BYTES)
        h.update(b"manifest\0" + (manifest if manifest is not None else b"absent"))
    except SourceError as e:
        h.update(b"manifest unreadable\0" + _bytes(str(e)))
    return h.hexdigest()


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")
