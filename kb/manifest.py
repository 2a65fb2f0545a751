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
``"YYYY-MM-DD"``; a document type (``type = "Opinions"``) is kept in lower
case. Names and ids end up in URLs and HTML ids, so they must be short slugs,
and a translation name may not be a word the URLs reserve (``compare``). A
translation name is unique within its notice only: two notices may each have
a ``full`` translation. Reading the file is :mod:`kb.corpus`'s job; this
module only judges its text. The same fields and checker also judge a
Markdown source's front matter (:mod:`kb.frontmatter`).
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
from kb.sources import MANIFEST, SOURCE_SUFFIXES

#: A translation name or notice id: it becomes part of links and HTML ids, so only
#: lower-case letters, digits and inner hyphens, and short enough to read in a link.
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
#: Translation names that would clash with a fixed word of the web's URLs: a translation is read at
#: /notices/<notice>/<translation>, and /notices/<notice>/compare/<section> is the compare page.
RESERVED_TRANSLATION_NAMES = frozenset({"compare"})
#: A document type ("notice", "opinions", "implementation plan"): a facet value shown and typed by
#: people, so plain letters with single spaces or hyphens between words, short enough for a filter list.
DOC_TYPE = re.compile(r"[a-z]+(?:[ -][a-z]+)*")
#: Longest document type, in characters ("guiding opinions" is 16; anything far longer is a title).
DOC_TYPE_CHARS = 40
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Longest value quoted back in an error message (the message stays one readable line).
SHOWN_CHARS = 40


class ManifestError(KnowledgeBaseError):
    """The manifest cannot be used as written; the message names the file, the entry and the problem."""


class InvalidValue(Exception):
    """A value that does not fit its field; the message completes "'key' must be ..." style sentences.

    Public so that other readers of hand-written metadata (:mod:`kb.frontmatter`) can check their
    own tables of :class:`Field` with :func:`check_fields` and report mistakes in the same words.
    """


# -- kinds of values ------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """What a field holds: a description for messages, and a check that returns the normalised value."""

    description: str
    check: Callable[[str, Any], Any]


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidValue(f"'{key}' must be text in quotes, not {describe(value)}")
    if not value.strip():
        raise InvalidValue(f"'{key}' is empty")
    return value.strip()


def _text_list(key: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise InvalidValue(f'\'{key}\' must be a list of texts (["...", "..."]), not {describe(value)}')
    return [_text(f"{key}[{k}]", item) for k, item in enumerate(value, 1)]


def _slug(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidValue(f"'{key}' must be a short name in quotes (like \"full\"), not {describe(value)}")
    if not SLUG.fullmatch(value):
        raise InvalidValue(
            f"'{key}' must be a short name of lower-case letters, digits and hyphens, at most 64 long "
            f'(like "full" or "gmt-2"), not {show(value)}'
        )
    return value


def _translation_name(key: str, value: Any) -> str:
    """A slug that is not one of the words the web's URLs reserve."""
    name = _slug(key, value)
    if name in RESERVED_TRANSLATION_NAMES:
        raise InvalidValue(f"'{key}' {show(name)} is reserved (the compare page's address uses it): choose another")
    return name


def _doc_type(key: str, value: Any) -> str:
    """A document type, lower case with single spaces, so that "Notice" and "notice " are one facet value."""
    if not isinstance(value, str):
        raise InvalidValue(f"'{key}' must be text in quotes (like \"notice\"), not {describe(value)}")
    normal = " ".join(value.split()).lower()
    if not normal:
        raise InvalidValue(f"'{key}' is empty")
    if len(normal) > DOC_TYPE_CHARS or not DOC_TYPE.fullmatch(normal):
        raise InvalidValue(
            f"'{key}' must be a document type of at most {DOC_TYPE_CHARS} letters, spaces and hyphens "
            f'(like "notice" or "opinions"), not {show(value)}'
        )
    return normal


def _file_name(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidValue(f"'{key}' must be a file name in quotes, not {describe(value)}")
    plain = not re.search(r"[/\\\x00]", value)  # a name, not a path: no directory, no way out
    if not (plain and PurePath(value).suffix.lower() in SOURCE_SUFFIXES):
        raise InvalidValue(
            f"'{key}' must be the name of a {', '.join(SOURCE_SUFFIXES[:-1])} or {SOURCE_SUFFIXES[-1]} file in the "
            "corpus directory, "
            f"not {show(value)}"
        )
    return value


def _date(key: str, value: Any) -> str:
    """A TOML date or an ISO date string, as ``YYYY-MM-DD``."""
    if isinstance(value, dt.datetime):  # a subclass of date: test it first
        raise InvalidValue(f"'{key}' must be a date (like 2024-09-04), not a date and time")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            raise InvalidValue(f"'{key}' is not a real date: {show(value)}") from None
    shown = show(value) if isinstance(value, str) else describe(value)
    raise InvalidValue(f"'{key}' must be a date like 2024-09-04, not {shown}")


def _language(key: str, value: Any) -> str:
    """A language tag such as "zh" or "en" (BCP 47, as an HTML ``lang`` attribute takes it)."""
    from kb.language import LANGUAGE_TAG

    if not isinstance(value, str) or not LANGUAGE_TAG.fullmatch(value.strip()):
        shown = show(value) if isinstance(value, str) else describe(value)
        raise InvalidValue(f'\'{key}\' must be a language tag like "zh" or "en", not {shown}')
    return value.strip()


TEXT = Kind("text", _text)
TEXT_LIST = Kind("a list of texts", _text_list)
NAME = Kind("a short name", _slug)
TRANSLATION_NAME = Kind("a translation name", _translation_name)
DOC_TYPE_KIND = Kind("a document type", _doc_type)
FILE_NAME = Kind("a file name", _file_name)
DATE = Kind("a date", _date)
LANGUAGE = Kind("a language tag", _language)


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
FACTS = (
    Field("title", TEXT),
    Field("number", TEXT),
    Field("date", DATE),
    Field("source", TEXT),
    Field("issuers", TEXT_LIST),
    Field("type", DOC_TYPE_KIND),
)
TRANSLATION = Table(
    "notice.translation",
    "translation",
    (
        Field("name", TRANSLATION_NAME, required=True),
        Field("file", FILE_NAME, required=True),
        Field("label", TEXT),
        # who translated the text; its own ``source`` (in FACTS) says where this translation was published
        Field("translator", TEXT),
        # the language of the text ("zh", "en"); detected from its script when not stated (kb.language)
        Field("language", LANGUAGE),
        *FACTS,
    ),
)
NOTICE = Table(
    "notice",
    "notice",
    (Field("id", NAME, required=True), *FACTS, Field("translation", TRANSLATION, required=True)),
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
    notice: dict[str, Any]  # the notice's facts (title, number, date, source, issuers, type), validated
    translation: dict[str, Any]  # the translation's own keys, validated
    place: str = ""  # where the manifest says it: "notice 1, translation 2"


def parse_manifest(text: str, where: str = MANIFEST) -> dict[str, ManifestEntry]:
    """Manifest entries by file name, from the manifest's text; ``where`` names the file in messages.

    Raises :class:`ManifestError` with a one-line message for the first
    mistake found: invalid TOML, a key the shape does not know, a missing or
    ill-typed value, an unsafe or reserved name, a notice id or file used
    twice, a translation name used twice within one notice.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ManifestError(f"{where}: invalid TOML ({e})") from None
    try:
        top = check_fields(data, MANIFEST_SHAPE, "")
    except InvalidValue as e:
        raise ManifestError(f"{where}: {e}") from None
    return _entries(top.get("notice", []), where)


def check_fields(table: dict[str, Any], fields: tuple[Field, ...], context: str) -> dict[str, Any]:
    """The table's values, checked and normalised against ``fields``; ``context`` prefixes messages.

    Raises :class:`InvalidValue` for the first mistake. Keys need not be text (YAML makes ``1:`` a
    number and ``yes:`` true/false), so a key that is not is reported, never compared as text.
    """
    known = [f.key for f in fields]
    for key in table:
        if not isinstance(key, str):
            raise InvalidValue(f"{context}keys are names (known keys: {', '.join(known)}), not {describe(key)}")
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}"
            raise InvalidValue(f"{context}unknown key {show(key)} ({hint})")
    checked: dict[str, Any] = {}
    for f in fields:
        if f.key not in table:
            if f.required:
                raise InvalidValue(f"{context}'{f.key}' is missing")
            continue
        value = table[f.key]
        if isinstance(f.kind, Table):
            checked[f.key] = _check_tables(f.kind, value, context)
            continue
        try:
            checked[f.key] = f.kind.check(f.key, value)
        except InvalidValue as e:
            raise InvalidValue(f"{context}{e}") from None
    return checked


def _check_tables(shape: Table, value: Any, context: str) -> list[dict[str, Any]]:
    """A list of tables of ``shape``; messages about an item name it ("notice 2, translation 1: ...")."""
    if isinstance(value, dict):
        # [[notice.translation]] with no [[notice]] above it also makes ``notice`` one table, not a list
        nested = [k for k, v in value.items() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        if nested and set(nested) == set(value):
            raise InvalidValue(f"{context}[[{shape.header}.{nested[0]}]] needs a [[{shape.header}]] above it")
        raise InvalidValue(f"{context}write [[{shape.header}]] (a list of tables), not [{shape.header}]")
    if not isinstance(value, list):
        raise InvalidValue(f"{context}'{shape.label}' must be [[{shape.header}]] tables, not {describe(value)}")
    if not value:
        raise InvalidValue(f"{context}'{shape.label}' is empty (give at least one [[{shape.header}]])")
    checked = []
    for k, item in enumerate(value, 1):
        here = f"{context.removesuffix(': ')}, {shape.label} {k}: " if context else f"{shape.label} {k}: "
        if not isinstance(item, dict):
            raise InvalidValue(f"{here}must be a [[{shape.header}]] table, not {describe(item)}")
        checked.append(check_fields(item, shape.fields, here))
    return checked


def _entries(notices: list[dict[str, Any]], where: str) -> dict[str, ManifestEntry]:
    """Entries by file name; a notice id or file described twice is an error, and so is a translation
    name used twice within one notice (two notices may each have a "full": URLs name the notice first).
    """
    entries: dict[str, ManifestEntry] = {}
    first: dict[tuple[str, ...], str] = {}

    def once(kind: str, value: str, place: str, scope: str = "") -> None:
        earlier = first.setdefault((kind, scope, value), place)
        if earlier != place:
            raise ManifestError(f"{where}: {place}: {kind} {show(value)} is already used by {earlier}")

    for n, notice in enumerate(notices, 1):
        once("notice id", notice["id"], f"notice {n}")
        facts = {key: value for key, value in notice.items() if key not in ("id", "translation")}
        for t, tr in enumerate(notice["translation"], 1):
            place = f"notice {n}, translation {t}"
            once("translation name", tr["name"], place, scope=notice["id"])
            once("file", tr["file"], place)
            label = tr.get("label", "")  # none: named after its language (kb.corpus)
            entries[tr["file"]] = ManifestEntry(notice["id"], tr["name"], label, facts, tr, place)
    return entries


def describe(value: Any) -> str:
    """How a TOML or YAML value's type reads in a message ("a number", "a table")."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        number = repr(value)
        return f"a number ({number if len(number) <= SHOWN_CHARS else number[: SHOWN_CHARS - 3] + '...'})"
    if isinstance(value, str):
        return f"text ({show(value)})"
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


def show(value: str) -> str:
    """A value quoted for a one-line message: escaped, and shortened when long."""
    shown = value if len(value) <= SHOWN_CHARS else value[: SHOWN_CHARS - 3] + "..."
    return repr(shown)
