"""Front matter: the metadata a Markdown source states about itself, in a block at its top.

A user adding a notice as a ``.md`` file can say what it is without editing
the manifest, the way static site generators (Jekyll, Hugo) read a page::

    ---
    title: Notice on new information infrastructure
    number: MIIT Communications [2024] No. 165
    date: 2024-09-04
    issuers: [Ministry of Industry and Information Technology]
    type: notice
    ---
    # Notice on ...

The block lies between a line ``---`` and the next line ``---`` and is TOML
or YAML (TOML is tried first: a TOML block is rarely valid YAML mapping and
vice versa); between ``+++`` lines it is TOML only, as in Hugo.

Where a block may be: only at the top of the file, after an optional byte
order mark and blank lines. A ``---`` anywhere later is a Markdown horizontal
rule and is never read as metadata. A document that *begins* with a rule is
therefore read as front matter, and fails with a message saying so (the same
rule Jekyll and Hugo apply); a blank line or text before the rule avoids it.

The keys are declared as :class:`kb.manifest.Field` tables and checked by the
manifest's own checker, so a mistake reads the same in both places
(``unknown key 'titel' (did you mean 'title'?)``). The block is hand-written,
and may be hostile: it is limited in size (:data:`MAX_FRONT_MATTER_CHARS`) and
nesting (:data:`MAX_NESTING`), YAML tags for Python objects are refused (the
safe loader), and YAML aliases are refused outright, since merge keys over
aliases take time exponential in the block's length even in the safe loader.
Every failure is one :class:`FrontMatterError` line.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from typing import Any

import yaml

from kb.errors import KnowledgeBaseError
from kb.manifest import (
    FACTS,
    LANGUAGE,
    NAME,
    TEXT,
    TEXT_LIST,
    TRANSLATION_NAME,
    Field,
    InvalidValue,
    Kind,
    check_fields,
    describe,
    show,
)

#: Longest front matter, in characters between its delimiter lines: a dozen facts take a few
#: hundred, so anything longer is a missing closing line (or an attack), and parsing stays cheap.
MAX_FRONT_MATTER_CHARS = 20_000
#: Deepest nesting of lists and mappings in a YAML block: the keys need two levels (a mapping of
#: lists), and a bound far below Python's recursion limit keeps ``[[[[...`` from costing seconds.
MAX_NESTING = 10
#: Longest parser message quoted back (a YAML message can quote a tag of any length).
SHOWN_DETAIL = 200

#: Delimiter lines: ``---`` opens TOML or YAML, ``+++`` opens TOML only (Hugo's convention).
_OPENING = re.compile(r"\ufeff?(?:[ \t]*\r?\n)*(---|\+\+\+)[ \t]*(?:\r?\n|\Z)")
_CLOSING = {d: re.compile(rf"^{re.escape(d)}[ \t]*(?:\r?\n|\Z)", re.M) for d in ("---", "+++")}
#: A block whose first statement is ``key =`` or ``[table]`` was meant as TOML: its TOML error is the useful one.
_LOOKS_LIKE_TOML = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*(?:\[|[A-Za-z0-9_.\"'-]+[ \t]*=)")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


class FrontMatterError(KnowledgeBaseError):
    """A Markdown source's front matter cannot be used; the message names the file and the problem."""


def _texts(key: str, value: Any) -> list[str]:
    """A list of texts; one text is a list of one (``issuers: MIIT`` is the natural way to write it)."""
    return TEXT_LIST.check(key, [value] if isinstance(value, str) else value)


TEXTS = Kind("a text or a list of texts", _texts)

#: The keys a front-matter block may hold: the notice's id and facts (as in the manifest, except that
#: one issuer may be written as plain text), and the translation's name, label and language.
FRONT_MATTER: tuple[Field, ...] = (
    Field("id", NAME),
    *(replace(f, kind=TEXTS) if f.key == "issuers" else f for f in FACTS),
    Field("name", TRANSLATION_NAME),
    Field("label", TEXT),
    Field("language", LANGUAGE),
)


def split_front_matter(text: str, where: str) -> tuple[dict[str, Any], str]:
    """The facts a Markdown source's front matter states, validated, and the text after the block.

    ``where`` names the source in messages. Text without a block is returned
    unchanged with no facts. The returned body is always a suffix of
    ``text``, so the block's line count is
    ``text[: len(text) - len(body)].count("\\n")``.

    Raises :class:`FrontMatterError`, one line ``<where>: front matter:
    <problem>``, for a block that is not closed within
    :data:`MAX_FRONT_MATTER_CHARS`, is neither TOML nor YAML, is not a
    mapping, or holds a key or value that does not fit :data:`FRONT_MATTER`.
    """
    opening = _OPENING.match(text)
    if opening is None:
        return {}, text
    delimiter, start = opening.group(1), opening.end()
    closing = _CLOSING[delimiter].search(text, start)
    if closing is None or closing.start() - start > MAX_FRONT_MATTER_CHARS:
        raise FrontMatterError(
            f"{where}: front matter: the opening '{delimiter}' has no closing '{delimiter}' line within "
            f"{MAX_FRONT_MATTER_CHARS:,} characters (front matter is a short block at the top of the file)"
        )
    first_line = text.count("\n", 0, start) + 1
    try:
        data = _parse(text[start : closing.start()], delimiter, first_line)
        if not isinstance(data, dict):
            rule = "; a document cannot begin with a '---' rule" if delimiter == "---" else ""
            raise InvalidValue(f"must be keys and values (like 'title: ...'), not {describe(data)}{rule}")
        facts = check_fields(data, FRONT_MATTER, "")
    except InvalidValue as e:
        raise FrontMatterError(f"{where}: front matter: {e}") from None
    return facts, text[closing.end() :]


def _parse(block: str, delimiter: str, first_line: int) -> Any:
    """The block's value: TOML if it parses as TOML, else YAML (``---`` only); line numbers are the file's."""
    try:
        return tomllib.loads(block)
    except (ValueError, RecursionError) as e:  # TOMLDecodeError is a ValueError; so is an over-long integer
        toml_error = _toml_message(e, first_line)
    if delimiter == "+++" or _LOOKS_LIKE_TOML.match(block):
        raise InvalidValue(toml_error)
    try:
        return yaml.load(block, Loader=_SafeLoader)  # a SafeLoader, stricter still
    except yaml.MarkedYAMLError as e:
        raise InvalidValue(_yaml_message(e, first_line)) from None
    except yaml.YAMLError as e:
        raise InvalidValue(f"invalid YAML ({_fold(str(e))})") from None
    except RecursionError:
        raise InvalidValue(f"invalid YAML (nested more than {MAX_NESTING} deep)") from None


def _toml_message(error: Exception, first_line: int) -> str:
    if isinstance(error, RecursionError):
        return "invalid TOML (nested too deeply)"
    detail = _TOML_POSITION.sub(lambda m: f"(at line {int(m[1]) + first_line - 1}, column {m[2]})", str(error))
    return f"invalid TOML ({_fold(detail)})"


def _yaml_message(error: yaml.MarkedYAMLError, first_line: int) -> str:
    """A YAML error in one line: PyYAML's spans several (the context, the problem, the quoted source)."""
    detail = " ".join(part for part in (error.context, error.problem) if part)
    mark = error.problem_mark or error.context_mark
    if mark is not None:
        detail += f" (at line {mark.line + first_line}, column {mark.column + 1})"
    return f"invalid YAML ({_fold(detail)})"


def _fold(message: str) -> str:
    """A parser's message on one line, shortened when long."""
    folded = " ".join(message.split())
    return folded if len(folded) <= SHOWN_DETAIL else folded[: SHOWN_DETAIL - 3] + "..."


class _SafeLoader(yaml.SafeLoader):
    """``yaml.safe_load``'s loader (no Python objects), refusing what metadata never needs and an attack does.

    Aliases go: with merge keys (``<<: [*a, *a]``) each level doubles the work, so a few hundred
    characters take minutes. Nesting is bounded by :data:`MAX_NESTING`. A key written twice is a
    mistake (the safe loader would keep the last silently; TOML refuses it too).
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not accepted", event.start_mark)
        if self._depth >= MAX_NESTING:
            raise yaml.composer.ComposerError(None, None, f"nested more than {MAX_NESTING} deep", event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key {show(key_node.value)} is written twice", key_node.start_mark
                    )
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value as the safe loader reads it; one it cannot (a date 2024-02-30, a number of 5,000 digits,
        ``!!int x``) is reported with its place, instead of Python's bare ``ValueError``."""
        try:
            return super().construct_object(node, deep=deep)
        except ValueError:
            kind = {"timestamp": "date", "int": "number", "float": "number"}.get(node.tag.rsplit(":", 1)[-1], "value")
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {show(str(node.value))} as a {kind}", node.start_mark
            ) from None
