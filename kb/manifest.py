"""The corpus manifest: its declared shape, and its validation into entries by file name.

``manifest.toml`` records what the source texts do not state: which files are
translations of one notice, a short name for each translation, the notice's
date. It is written by hand, so every mistake in it (a missing ``file``, a
misspelt key, ``[notice]`` for ``[[notice]]``, a number where a name belongs)
is reported in one line that says where it is::

    seeds/manifest.toml: notice 2, translation 1: 'file' is missing

The shape is declared once, as tables of :class:`Field` (``NOTICE``,
``TRANSLATION``, ``MANIFEST_SHAPE``), and one checker walks it; a new key is a
new line in a table. TOML dates (``date = 2024-09-04``, the natural way to
write one) and ISO date strings are both accepted and normalised to
``"YYYY-MM-DD"``. Names and ids end up in URLs and HTML ids, so they must be
short slugs. Reading the file is :mod:`kb.corpus`'s job; this module only
judges its text.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from kb.errors import KnowledgeBaseError

MANIFEST = "manifest.toml"
#: Suffixes of the source files a corpus holds (a manifest entry can only describe one of those).
SOURCE_SUFFIXES = (".txt", ".md")
#: A translation name or notice id: it becomes part of URLs (/doc/<name>) and HTML ids, so only
#: lower-case letters, digits and inner hyphens, and short enough to read in a link.
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Longest value quoted back in an error message (the message stays one readable line).
SHOWN_CHARS = 40


class ManifestError(KnowledgeBaseError):
    """The manifest cannot be used as written; the message names the file, the entry and the problem."""


class _Invalid(Exception):
    """A value that does not fit its field; the message completes "'key' must be ..." style sentences."""


# -- kinds of values ------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """What a field holds: a description for messages, and a check that returns the normalised value."""

    description: str
    check: Callable[[str, Any], Any]


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"'{key}' must be text in quotes, not {_describe(value)}")
    if not value.strip():
        raise _Invalid(f"'{key}' is empty")
    return value.strip()


def _text_list(key: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise _Invalid(f'\'{key}\' must be a list of texts (["...", "..."]), not {_describe(value)}')
    return [_text(f"{key}[{k}]", item) for k, item in enumerate(value, 1)]


def _slug(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"'{key}' must be a short name in quotes (like \"full\"), not {_describe(value)}")
    if not SLUG.fullmatch(value):
        raise _Invalid(
            f"'{key}' must be a short name of lower-case letters, digits and hyphens, at most 64 long "
            f'(like "full" or "gmt-2"), not {_show(value)}'
        )
    return value


def _file_name(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"'{key}' must be a file name in quotes, not {_describe(value)}")
    plain = not re.search(r"[/\\\x00]", value)  # a name, not a path: no directory, no way out
    if not (plain and PurePath(value).suffix.lower() in SOURCE_SUFFIXES):
        raise _Invalid(
            f"'{key}' must be the name of a {' or '.join(SOURCE_SUFFIXES)} file in the corpus directory, "
            f"not {_show(value)}"
        )
    return value


def _date(key: str, value: Any) -> str:
    """A TOML date or an ISO date string, as ``YYYY-MM-DD``."""
    if isinstance(value, dt.datetime):  # a subclass of date: test it first
        raise _Invalid(f"'{key}' must be a date (like 2024-09-04), not a date and time")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise _Invalid(f"'{key}' is not a real date: {_show(value)}") from None
    shown = _show(value) if isinstance(value, str) else _describe(value)
    raise _Invalid(f"'{key}' must be a date like 2024-09-04, not {shown}")


TEXT = Kind("text", _text)
TEXT_LIST = Kind("a list of texts", _text_list)
NAME = Kind("a short name", _slug)
FILE_NAME = Kind("a file name", _file_name)
DATE = Kind("a date", _date)


# -- the shape ------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One key of a manifest table: the kind of value it holds, and whether it must be there."""

    key: str
    kind: Kind | Table
    required: bool = False


@dataclass(frozen=True)
class Table:
    """A list of TOML tables (``[[header]]``), each with these fields; ``label`` names one in messages."""

    header: str
    label: str
    fields: tuple[Field, ...]

    def field(self, key: str) -> Field | None:
        return next((f for f in self.fields if f.key == key), None)


#: Facts about a notice that a translation's entry may also state (the translation's own statement wins).
_FACTS = (
    Field("title", TEXT),
    Field("number", TEXT),
    Field("date", DATE),
    Field("source", TEXT),
    Field("issuers", TEXT_LIST),
)
TRANSLATION = Table(
    "notice.translation",
    "translation",
    (Field("name", NAME, required=True), Field("file", FILE_NAME, required=True), Field("label", TEXT), *_FACTS),
)
NOTICE = Table(
    "notice",
    "notice",
    (Field("id", NAME, required=True), *_FACTS, Field("translation", TRANSLATION, required=True)),
)
#: The whole file: nothing but ``[[notice]]`` tables.
MANIFEST_SHAPE = (Field("notice", NOTICE),)


# -- checking -------------------------------------------------------------------------


@dataclass
class ManifestEntry:
    """What the manifest says about one source file."""

    notice_id: str
    name: str
    label: str
    notice: dict[str, Any]  # the notice's facts (title, number, date, source, issuers), validated
    translation: dict[str, Any]  # the translation's own keys, validated
    place: str = ""  # where the manifest says it: "notice 1, translation 2"


def parse_manifest(text: str, where: str = MANIFEST) -> dict[str, ManifestEntry]:
    """Manifest entries by file name, from the manifest's text; ``where`` names the file in messages.

    Raises :class:`ManifestError` with a one-line message for the first
    mistake found: invalid TOML, a key the shape does not know, a missing or
    ill-typed value, an unsafe name, a name, id or file used twice.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ManifestError(f"{where}: invalid TOML ({e})") from None
    try:
        top = _check_fields(data, MANIFEST_SHAPE, "")
    except _Invalid as e:
        raise ManifestError(f"{where}: {e}") from None
    return _entries(top.get("notice", []), where)


def _check_fields(table: dict[str, Any], fields: tuple[Field, ...], context: str) -> dict[str, Any]:
    """The table's values, checked and normalised against ``fields``; ``context`` prefixes messages."""
    known = [f.key for f in fields]
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}"
            raise _Invalid(f"{context}unknown key {_show(key)} ({hint})")
    checked: dict[str, Any] = {}
    for f in fields:
        if f.key not in table:
            if f.required:
                raise _Invalid(f"{context}'{f.key}' is missing")
            continue
        value = table[f.key]
        if isinstance(f.kind, Table):
            checked[f.key] = _check_tables(f.kind, value, context)
            continue
        try:
            checked[f.key] = f.kind.check(f.key, value)
        except _Invalid as e:
            raise _Invalid(f"{context}{e}") from None
    return checked


def _check_tables(shape: Table, value: Any, context: str) -> list[dict[str, Any]]:
    """A list of tables of ``shape``; messages about an item name it ("notice 2, translation 1: ...")."""
    if isinstance(value, dict):
        # [[notice.translation]] with no [[notice]] above it also makes ``notice`` one table, not a list
        nested = [k for k, v in value.items() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        if nested and set(nested) == set(value):
            raise _Invalid(f"{context}[[{shape.header}.{nested[0]}]] needs a [[{shape.header}]] above it")
        raise _Invalid(f"{context}write [[{shape.header}]] (a list of tables), not [{shape.header}]")
    if not isinstance(value, list):
        raise _Invalid(f"{context}'{shape.label}' must be [[{shape.header}]] tables, not {_describe(value)}")
    if not value:
        raise _Invalid(f"{context}'{shape.label}' is empty (give at least one [[{shape.header}]])")
    checked = []
    for k, item in enumerate(value, 1):
        here = f"{context.removesuffix(': ')}, {shape.label} {k}: " if context else f"{shape.label} {k}: "
        if not isinstance(item, dict):
            raise _Invalid(f"{here}must be a [[{shape.header}]] table, not {_describe(item)}")
        checked.append(_check_fields(item, shape.fields, here))
    return checked


def _entries(notices: list[dict[str, Any]], where: str) -> dict[str, ManifestEntry]:
    """Entries by file name; a notice id, translation name or file described twice is an error."""
    entries: dict[str, ManifestEntry] = {}
    first: dict[tuple[str, str], str] = {}

    def once(kind: str, value: str, place: str) -> None:
        earlier = first.setdefault((kind, value), place)
        if earlier != place:
            raise ManifestError(f"{where}: {place}: {kind} {_show(value)} is already used by {earlier}")

    for n, notice in enumerate(notices, 1):
        once("notice id", notice["id"], f"notice {n}")
        facts = {key: value for key, value in notice.items() if key not in ("id", "translation")}
        for t, tr in enumerate(notice["translation"], 1):
            place = f"notice {n}, translation {t}"
            once("translation name", tr["name"], place)
            once("file", tr["file"], place)
            label = tr.get("label", tr["name"])
            entries[tr["file"]] = ManifestEntry(notice["id"], tr["name"], label, facts, tr, place)
    return entries


def _describe(value: Any) -> str:
    """How a TOML value's type reads in a message ("a number", "a table")."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({_show(value)})"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, dt.time):
        return "a time"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _show(value: str) -> str:
    """A value quoted for a one-line message: escaped, and shortened when long."""
    shown = value if len(value) <= SHOWN_CHARS else value[: SHOWN_CHARS - 3] + "..."
    return repr(shown)
