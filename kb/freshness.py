"""Whether the published index still holds the corpus: cheap enough to ask before every reading command.

A build records the size and modification time of every source it was built
from (``sources.json``, sealed with the build). Asking is then a listing and
a ``stat`` per file; only when those differ are the sources read and hashed
(:func:`kb.index.fingerprint`), so a file that was merely touched is not
reported. :class:`Watcher` asks the same question every few seconds for
``kb serve --watch`` and rebuilds when the answer is no; the site follows the
new build on its next request.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kb.errors import KnowledgeBaseError

#: The sources a build was made from, by name: [size, modification time in ns] (sealed with the build).
SOURCES = "sources.json"
#: Changed files named in a message; the rest are counted.
NAMED_CHANGES = 3
#: Seconds between two looks at the corpus under ``kb serve --watch``: a listing and a stat per file, so
#: a few milliseconds even for thousands of notices.
WATCH_INTERVAL = 2.0

#: A file modified this recently (ns) is "racy": file times are kept at the kernel's clock tick (a few ms), so
#: a second change within the tick keeps the time, and, at the same size, would look unchanged. Such a file
#: is recorded as unknown, which sends the next check to its content (git's "racy" rule).
RACY_NS = 2_000_000_000
_RACY = -2

Signature = dict[str, list[int]]


def signature(corpus_dir: Path) -> Signature:
    """Size and modification time of every source and of the manifest, by name (what a build would read)."""
    from kb.sources import MANIFEST, list_sources

    listing = list_sources(corpus_dir)
    racy_after = time.time_ns() - RACY_NS
    out: Signature = {}
    for path in [*listing.files, *listing.refused, corpus_dir / MANIFEST]:
        try:
            st = path.stat()
            out[path.name] = [st.st_size, _RACY if st.st_mtime_ns > racy_after else st.st_mtime_ns]
        except OSError:
            if path.name in listing.names:
                out[path.name] = [-1, -1]
    return out


def _racy(sources: Signature) -> bool:
    return any(entry[1] == _RACY for entry in sources.values())


def same_file(before: list[int] | None, now: list[int] | None) -> bool:
    """Whether one file's entries show it unchanged with certainty (both absent counts as unchanged)."""
    return before == now and (now is None or now[1] != _RACY)


def unchanged(before: Signature | None, now: Signature) -> bool:
    """Whether ``now`` shows the same files as ``before`` with certainty (no racy entry on either side)."""
    return before == now and not _racy(now)


def record(build_dir: Path, sources: Signature) -> None:
    (build_dir / SOURCES).write_text(json.dumps(sources, sort_keys=True), encoding="utf-8")


def recorded(build_dir: Path) -> Signature | None:
    try:
        data = json.loads((build_dir / SOURCES).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


@dataclass(frozen=True)
class Stale:
    """The corpus has changed since the published build: these files were added, changed or removed (as far as
    their sizes and times tell; none named when only files written moments ago could be the ones)."""

    changed: list[str]
    #: The index was made by an earlier version of kb, whose index a rebuild replaces.
    older_version: bool = False

    @property
    def message(self) -> str:
        if self.older_version:
            return "the index was made by an earlier version of kb; run `kb index`"
        if not self.changed:  # the files that changed cannot be told apart from ones only just written
            return "the index is older than the corpus; run `kb index`"
        names = ", ".join(self.changed[:NAMED_CHANGES])
        more = len(self.changed) - NAMED_CHANGES
        listed = f"{names} and {more} more" if more > 0 else names
        files = "file" if len(self.changed) == 1 else "files"
        return f"the index is older than the corpus ({len(self.changed)} {files} changed: {listed}); run `kb index`"


def check(index_dir: Path, corpus_dir: Path) -> Stale | None:
    """Whether the published build is older than the corpus; None when it holds it (or there is nothing to judge).

    Cheap when nothing changed (a listing and a stat per file); reads and
    hashes the sources only when a size or a time differs, so that a touched
    but unchanged file is not reported.
    """
    from kb import index
    from kb.integrity import read_seal

    build = index.current_build(index_dir)
    if build is None or not corpus_dir.is_dir():
        return None
    try:
        built_from = read_seal(build).fingerprint
        if not built_from.startswith(f"{index.SCHEMA_VERSION}:"):
            return Stale([], older_version=True)
        before = recorded(build)
        now = signature(corpus_dir)
        if before == now and not _racy(now):
            return None
        if built_from == index.fingerprint(corpus_dir):
            return None
    except (KnowledgeBaseError, OSError):
        return None  # an index or corpus that cannot be judged is reported by the command that reads it
    if before is None:  # a build from before sources were recorded: which files changed is not known
        return Stale([])
    # a file recorded as racy (see RACY_NS) may or may not have changed since: only files known to differ are
    # named (one written moments ago, after a build that recorded its time, did change)
    changed = sorted(
        name
        for name in before.keys() | now.keys()
        if before.get(name) != now.get(name) and before.get(name, [0, 0])[1] != _RACY
    )
    return Stale(changed)


class Watcher:
    """Rebuilds the index whenever the corpus changes, from a background thread (``kb serve --watch``).

    ``on_build`` receives each :class:`~kb.index.BuildResult`, ``on_error``
    each error a rebuild met (the site keeps serving the build it has).
    """

    def __init__(
        self,
        corpus_dir: Path,
        index_dir: Path,
        on_build: Callable[[object], None],
        on_error: Callable[[Exception], None],
        interval: float = WATCH_INTERVAL,
    ) -> None:
        self.corpus_dir = corpus_dir
        self.index_dir = index_dir
        self.on_build = on_build
        self.on_error = on_error
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kb-watch", daemon=True)
        self._seen: Signature | None = None

    def start(self) -> None:
        self._seen = self._look()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 1)

    def _look(self) -> Signature | None:
        try:
            return signature(self.corpus_dir)
        except (KnowledgeBaseError, OSError):
            return None

    def _run(self) -> None:
        from kb import index

        while not self._stop.wait(self.interval):
            now = self._look()
            if now == self._seen and not (now and _racy(now)):
                continue
            self._seen = now
            try:
                result = index.build(self.corpus_dir, self.index_dir)
            except (KnowledgeBaseError, OSError) as e:
                self.on_error(e)
                continue
            if result.built:
                self.on_build(result)
