"""The vocabulary of a build and a symmetric-delete lookup over it, for "did you mean" at query time.

The index used to hold every chunk's text a fourth time, unstemmed, in a
``words`` field, only so that Whoosh's corrector could walk it with an
edit-distance automaton: a fourth analysed field at build time (4 in 10 of
all postings) and about half a second per unknown word at 10,000 sections.
Instead each build now carries ``spelling.sqlite``, written beside the
Whoosh files and sealed with them:

* ``words(word, freq)``: every word of every chunk's title, parent title and
  body as the old field saw it (Whoosh's default tokenizer, lower-cased),
  with its number of occurrences (what Whoosh's corrector ranked by);
* ``deletes(key, word)``: for every word, the strings made by deleting up to
  :data:`MAX_EDITS` of its letters (the word itself included), the
  symmetric-delete scheme of SymSpell. Two words within that many edits
  (insertions, deletions, substitutions, swaps of neighbours) share such a
  string, so a lookup generates the typed word's own deletes, fetches the
  words filed under them with one indexed query, and keeps those truly
  within the distance.

A lookup is a few dozen B-tree probes in SQLite (tens to hundreds of
microseconds), however large the corpus; the file is opened read-only on the
first query that needs a correction, so a search without typos never touches
it. SQLite reads no code from a file, so a damaged file can make a lookup
fail, never run anything: a lookup that fails suggests nothing.

An update of the index (:func:`kb.index._write_update`) copies the previous
build's file and applies the difference: the occurrences in the changed
notices' chunks as the previous build indexed them (re-derived from its
catalog) are taken away, those of their new chunks added, and a word whose
count falls to zero leaves with its deletes. The result is the file a full
build of the same corpus would write (the tests compare them).
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable
from itertools import combinations
from pathlib import Path

from kb.language import HAN_CHARS

#: The file in a build directory.
SPELLING = "spelling.sqlite"
#: Format of the file; a build whose file has another version (or none) offers no corrections.
FORMAT = "1"
#: Most edits a lookup can span: the deletes stored go this deep. Two edits is what query.MAX_FUZZY_EDITS allows
#: and what the corrector was asked for; deeper, suggestions turn into noise and the deletes grow as length^3.
MAX_EDITS = 2
#: Longest word whose deletes are stored: a query word is checked up to query.MAX_FUZZY_WORD_LENGTH (20) letters,
#: and a word more than MAX_EDITS longer than that cannot be within reach of one. Longer words are still known.
MAX_INDEXED_LENGTH = 22
#: Words read, in alphabetical order, when looking for completions of a prefix (Speller.completions): the most
#: frequent are picked among these. Enough for any English prefix of three letters in a large corpus ("con" has
#: a few hundred words), and a bound on what a prefix of made-up text can cost.
MAX_COMPLETION_SCAN = 2000
#: Rows inserted per executemany batch when writing (bounded memory for a large vocabulary).
_BATCH = 50_000

#: What the old ``words`` field made of a text: Whoosh's default tokenizer (``RegexTokenizer().expression``,
#: here with its group made non-capturing, so that ``findall`` returns whole words), then lower case.
_TOKEN = re.compile(r"[\w\*]+(?:\.?[\w\*]+)*", re.UNICODE)
#: Han characters (kb.segment.HAN): words holding them are Chinese, which is not spell-checked.
_HAN = re.compile(f"[{HAN_CHARS}]")


def chunk_words(chunk) -> Counter[str]:
    """Occurrences of each word in a chunk's title, parent title and body (the text a search matches).

    Words with Han characters are left out: the tokenizer makes a whole run
    of Chinese between two marks one "word" (up to a sentence), which no one
    types and nothing corrects (a Chinese query is never spell-checked:
    kb.query), and each run of up to 22 characters would file some 250
    deletes."""
    counts: Counter[str] = Counter()
    for text in (chunk.title, chunk.parent_title, chunk.body):
        if text:
            counts.update(w.lower() for w in _TOKEN.findall(text) if not _HAN.search(w))
    return counts


def vocabulary(chunks: Iterable) -> Counter[str]:
    """Occurrences of each word over the chunks."""
    total: Counter[str] = Counter()
    for chunk in chunks:
        total.update(chunk_words(chunk))
    return total


def deletes(word: str, edits: int = MAX_EDITS, keep: int = 0) -> set[str]:
    """The strings made by deleting at most ``edits`` letters of ``word`` (itself included), never its first
    ``keep`` letters."""
    out = {word}
    positions = range(keep, len(word))
    for k in range(1, min(edits, len(word) - keep) + 1):
        for drop in combinations(positions, k):
            skip = set(drop)
            out.add("".join(ch for i, ch in enumerate(word) if i not in skip))
    return out


def distance(a: str, b: str, limit: int = MAX_EDITS) -> int:
    """Edit distance counting a swap of neighbours as one edit (optimal string alignment); ``limit + 1`` as soon
    as it is known to exceed ``limit`` (the bound is what makes it cheap)."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], previous2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        previous2, previous = previous, row
    return min(previous[-1], limit + 1)


# -- writing -----------------------------------------------------------------------


def write(path: Path, counts: Counter[str]) -> None:
    """Write a new spelling file holding ``counts`` (the vocabulary of a whole build)."""
    db = _create(path)
    try:
        _add_words(db, counts)
        db.commit()
    finally:
        db.close()


def update(source: Path, target: Path, removed: Counter[str], added: Counter[str]) -> None:
    """Write at ``target`` the previous build's file at ``source`` with ``removed`` occurrences taken away and
    ``added`` ones added. The previous file is copied, never changed in place (its build may still be read)."""
    data = source.read_bytes()
    target.write_bytes(data)
    os.chmod(target, 0o644)
    db = sqlite3.connect(target, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = OFF")  # nothing beside the file: a build holds only sealed files
        db.execute("BEGIN")
        if db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() != (FORMAT,):
            raise sqlite3.DatabaseError("not a spelling file of this format")
        delta = Counter(added)
        delta.subtract(removed)
        changed = [w for w, n in delta.items() if n]
        before = dict(_counts(db, changed))
        new_words: Counter[str] = Counter()
        gone = []
        for word in changed:
            old = before.get(word, 0)
            now = old + delta[word]
            if now <= 0:
                if old:
                    gone.append(word)
            elif old:
                db.execute("UPDATE words SET freq = ? WHERE word = ?", (now, word))
            else:
                new_words[word] = now
        for word in gone:
            db.execute("DELETE FROM words WHERE word = ?", (word,))
            if len(word) <= MAX_INDEXED_LENGTH:
                db.executemany("DELETE FROM deletes WHERE key = ? AND word = ?", [(k, word) for k in deletes(word)])
        _add_words(db, new_words)
        db.execute("COMMIT")
    finally:
        db.close()


def _create(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.executescript(
        """
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE deletes (key TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY (key, word)) WITHOUT ROWID;
        """
    )
    db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
    return db


def _add_words(db: sqlite3.Connection, counts: Counter[str]) -> None:
    words = sorted(counts)
    for start in range(0, len(words), _BATCH):
        batch = words[start : start + _BATCH]
        db.executemany("INSERT INTO words VALUES (?, ?)", [(w, counts[w]) for w in batch])
        rows = sorted((k, w) for w in batch if len(w) <= MAX_INDEXED_LENGTH for k in deletes(w))
        db.executemany("INSERT OR IGNORE INTO deletes VALUES (?, ?)", rows)


def _counts(db: sqlite3.Connection, words: list[str]) -> Iterable[tuple[str, int]]:
    for start in range(0, len(words), 500):
        batch = words[start : start + 500]
        yield from db.execute(f"SELECT word, freq FROM words WHERE word IN ({','.join('?' * len(batch))})", batch)


def contents(path: Path) -> tuple[dict[str, int], set[tuple[str, str]]]:
    """Everything a spelling file holds (words with counts, and the deletes), for comparing two files."""
    db = sqlite3.connect(_uri(path, "mode=ro"), uri=True)
    try:
        return dict(db.execute("SELECT word, freq FROM words")), set(db.execute("SELECT key, word FROM deletes"))
    finally:
        db.close()


# -- reading -----------------------------------------------------------------------


def _uri(path: Path, options: str) -> str:
    """A read-only SQLite URI for ``path`` (quoted: a directory name may hold "?" or "#")."""
    return f"{Path(os.path.abspath(path)).as_uri()}?{options}"


class Speller:
    """A build's spelling file, opened on first use and shared by the threads of one process.

    Every failure to read it (missing, damaged, another format) leaves the
    speller empty: no word is known from it and nothing is suggested, and the
    search goes on without corrections rather than failing.
    """

    def __init__(self, build_dir: Path) -> None:
        self.path = build_dir / SPELLING
        self._db: sqlite3.Connection | None = None
        self._opened = False
        self._lock = threading.Lock()
        self.lookups = 0  # suggest() calls that reached the file: what the query caps count

    def _connection(self) -> sqlite3.Connection | None:
        if not self._opened:
            self._opened = True
            try:
                # immutable: the build is sealed and read-only, so no locks and no journal are looked for
                db = sqlite3.connect(_uri(self.path, "mode=ro&immutable=1"), uri=True, check_same_thread=False)
                if db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone() != (FORMAT,):
                    db.close()
                    return None
                self._db = db
            except sqlite3.Error:
                self._db = None
        return self._db

    def known(self, word: str) -> bool:
        """Whether ``word`` (lower case) occurs in the build's text."""
        with self._lock:
            db = self._connection()
            if db is None:
                return False
            try:
                return db.execute("SELECT 1 FROM words WHERE word = ?", (word,)).fetchone() is not None
            except sqlite3.Error:
                return False

    def suggest(self, word: str, limit: int = 3, maxdist: int = MAX_EDITS, prefix: int = 0) -> list[str]:
        """Up to ``limit`` words of the build within ``maxdist`` edits of ``word`` that share its first ``prefix``
        letters, nearest first, then most frequent first (then alphabetical); never ``word`` itself."""
        maxdist = min(maxdist, MAX_EDITS)
        if len(word) > MAX_INDEXED_LENGTH + maxdist:
            return []
        keys = sorted(deletes(word, maxdist, keep=prefix))
        with self._lock:
            db = self._connection()
            if db is None:
                return []
            self.lookups += 1
            try:
                rows = db.execute(
                    "SELECT DISTINCT w.word, w.freq FROM deletes d JOIN words w ON w.word = d.word "
                    f"WHERE d.key IN ({','.join('?' * len(keys))})",
                    keys,
                ).fetchall()
            except sqlite3.Error:
                return []
        ranked = []
        for candidate, freq in rows:
            if candidate == word or candidate[:prefix] != word[:prefix]:
                continue
            d = distance(word, candidate, maxdist)
            if d <= maxdist:
                ranked.append((d, -freq, candidate))
        return [w for _, _, w in sorted(ranked)[:limit]]

    def completions(self, start: str, limit: int) -> list[str] | None:
        """Up to ``limit`` words of the build that begin with ``start`` (lower case), most frequent first.

        For a word still being typed (:func:`kb.query.prefix_last`): the
        words are the text's own, before stemming, so "informa" finds
        "information" although the index holds its stem "inform", which
        "informa" does not begin. At most :data:`MAX_COMPLETION_SCAN` words
        in alphabetical order are read (a range of the primary key), so a
        short prefix costs no more than a long one. None when the file
        cannot be read (the caller then does without the vocabulary).
        """
        with self._lock:
            db = self._connection()
            if db is None:
                return None
            try:
                rows = db.execute(
                    "SELECT word FROM (SELECT word, freq FROM words WHERE word >= ? AND word < ? LIMIT ?) "
                    "ORDER BY freq DESC, word LIMIT ?",
                    (start, start + "\U0010ffff", MAX_COMPLETION_SCAN, limit),
                ).fetchall()
            except sqlite3.Error:
                return None
        return [w for (w,) in rows]

    def close(self) -> None:
        """Close the file (a later lookup opens it again, if the build is still there)."""
        with self._lock:
            if self._db is not None:
                self._db.close()
            self._db = None
            self._opened = False
