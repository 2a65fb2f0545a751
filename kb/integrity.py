"""Trust and integrity of an index build: who may have written it, and whether it is intact.

Whoosh unpickles its table of contents and stored fields, so opening an index
runs whatever code its files say. The threat model is therefore simple: an
index build is data that ``kb`` wrote itself, and nobody else may have been
able to change it. Before Whoosh opens a build we check that

* the index directory, the build and every file in it belong to the current
  user (or to root, who can change anything of ours anyway) and that no other
  user can write them (no group or world write bit), and that the build holds
  no symbolic links; and
* every file is the one written at build time: ``build.json`` (written last,
  under the same protection) records each file's size and SHA-256 digest.

Opening checks the sizes of every file and the digests of the files read
whole at open (the table of contents that is unpickled, the word list). The
segment and the catalog (SQLite, which runs no code from its file) are read
lazily, a request at a time, so their digests, which cost about a millisecond
per megabyte, are checked by ``kb index`` and whenever reading them fails
unexpectedly. Size checks catch truncation, the common kind of damage;
digests catch the rest.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from kb.errors import IndexUnavailable

#: The seal of a build: its fingerprint and each file's size and digest. Written last.
SEAL = "build.json"
SEAL_VERSION = 1
#: Files read lazily (Whoosh's segments, the catalog, the vectors of kb.semantic, mapped on first use): their
#: digests are checked by ``kb index`` and after a failure to read them, not at every open, which would cost a
#: read of the whole corpus per process (the vectors alone are 10 MB at 10,000 sections). None of them runs code.
LAZY_SUFFIXES = (".seg", ".sqlite", ".f32")
#: Published files are read-only: nothing is meant to change a build after it is sealed.
FILE_MODE = 0o444
_CHUNK = 1 << 20


class RefusedIndex(IndexUnavailable):
    """A build that must not be opened; ``reason`` says why in a few words (for "rebuilt because ...")."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class DamagedIndex(RefusedIndex):
    """A build whose files are not the ones written at build time (or whose seal is missing)."""

    def __init__(self, build_dir: Path, reason: str) -> None:
        super().__init__(
            f"{build_dir}: the index is damaged ({reason}); run `kb index` to rebuild it", f"damaged: {reason}"
        )


class UntrustedIndex(RefusedIndex):
    """An index directory or build that another user owns or could have written."""

    def __init__(self, path: Path, reason: str, advice: str) -> None:
        super().__init__(f"{path}: refusing to open the index: {reason}; {advice}", reason)


@dataclass(frozen=True)
class Seal:
    fingerprint: str
    files: dict[str, tuple[int, str]]

    def stamp(self, build_dir: Path) -> tuple:
        """Cheap identity of the files on disk now (size, modification time, inode): changes if any is touched."""
        return tuple(_stat_tuple(build_dir / name) for name in sorted(self.files))


def _stat_tuple(path: Path) -> tuple:
    try:
        st = os.lstat(path)
    except OSError:
        return (path.name, None)
    return (path.name, st.st_size, st.st_mtime_ns, st.st_ino)


def digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(_CHUNK):
            h.update(block)
    return h.hexdigest()


def seal(build_dir: Path, fingerprint: str) -> Seal:
    """Record every file's size and digest in ``build.json`` and make the files read-only."""
    files = {}
    for path in sorted(build_dir.iterdir()):
        if path.name == SEAL:
            continue
        path.chmod(FILE_MODE)
        files[path.name] = (path.stat().st_size, digest(path))
    data = {"version": SEAL_VERSION, "fingerprint": fingerprint, "files": {k: list(v) for k, v in files.items()}}
    target = build_dir / SEAL
    target.write_text(json.dumps(data, indent=1), encoding="utf-8")
    target.chmod(FILE_MODE)
    return Seal(fingerprint, files)


def read_seal(build_dir: Path) -> Seal:
    """The seal of a build; a build without a readable one is damaged (or was written by an older version)."""
    path = build_dir / SEAL
    if not os.path.lexists(path):
        raise DamagedIndex(build_dir, f"{SEAL} is missing")
    try:
        check_trusted(path, "file")
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != SEAL_VERSION:
            raise ValueError("unknown version")
        files = {str(k): (int(v[0]), str(v[1])) for k, v in data["files"].items()}
        if any(not _plain_name(name) for name in files):
            raise ValueError("a file name that is not a plain name")
        return Seal(str(data["fingerprint"]), files)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as e:
        reason = e.strerror if isinstance(e, OSError) and e.strerror else "unreadable"
        raise DamagedIndex(build_dir, f"{SEAL} is {reason}") from None


def verify(build_dir: Path, full: bool = False) -> Seal:
    """Check that a build may be opened: trusted, complete, and (``full``: every file's) digests intact."""
    check_trusted(build_dir.parent, "directory")  # whoever can write it can swap builds
    check_trusted(build_dir, "build")
    the_seal = read_seal(build_dir)
    # Whoosh opens what it finds (the highest-numbered table of contents wins), so nothing unsealed may be there.
    unsealed = sorted(set(os.listdir(build_dir)) - set(the_seal.files) - {SEAL})
    if unsealed:
        raise DamagedIndex(build_dir, f"{unsealed[0]} was not written by the build")
    for name, (size, expected) in the_seal.files.items():
        path = build_dir / name
        try:
            st = os.lstat(path)
        except OSError:
            raise DamagedIndex(build_dir, f"{name} is missing") from None
        if not stat.S_ISREG(st.st_mode):
            raise UntrustedIndex(path, "not a regular file", "run `kb index` to replace the build")
        _check_owner_and_mode(path, st, "file")
        if st.st_size != size:
            raise DamagedIndex(build_dir, f"{name} has {st.st_size} bytes, {size} were written")
        if full or not name.endswith(LAZY_SUFFIXES):
            try:
                actual = digest(path)
            except OSError as e:
                raise DamagedIndex(build_dir, f"{name} cannot be read ({e.strerror})") from None
            if actual != expected:
                raise DamagedIndex(build_dir, f"{name} is not the file that was written")
    return the_seal


def _plain_name(name: str) -> bool:
    return bool(name) and "/" not in name and "\0" not in name and name not in (".", "..")


def check_trusted(path: Path, what: str) -> None:
    """Refuse a path that another user owns or may write (see the module docs for why).

    The index directory may be a symbolic link to where the data lives (its
    target is what is checked); a build or a file in it may not.
    """
    try:
        st = os.stat(path) if what == "directory" else os.lstat(path)
    except FileNotFoundError:
        raise IndexUnavailable(f"{path}: the index {what} is missing; run `kb index`") from None
    except OSError as e:
        raise IndexUnavailable(f"{path}: cannot read the index {what} ({e.strerror})") from None
    if what != "file" and not stat.S_ISDIR(st.st_mode):
        raise UntrustedIndex(path, f"the {what} is not a directory", _advice(path, what))
    _check_owner_and_mode(path, st, what)


def _check_owner_and_mode(path: Path, st: os.stat_result, what: str) -> None:
    if st.st_uid not in (os.geteuid(), 0):
        raise UntrustedIndex(path, f"the {what} belongs to another user (uid {st.st_uid})", _advice(path, what))
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        mode = f"{stat.S_IMODE(st.st_mode):o}"
        raise UntrustedIndex(path, f"other users can write the {what} (mode {mode})", _advice(path, what, mode))


def _advice(path: Path, what: str, mode: str | None = None) -> str:
    """What the user can do: a build is replaced by ``kb index``; the directory itself is theirs to fix."""
    if what != "directory":
        return "run `kb index` to replace the build"
    if mode:
        return f"run `chmod go-w {path}` if only you should write it, or use another --index"
    return "use an index directory of your own (--index or KB_INDEX)"
