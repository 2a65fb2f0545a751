"""`kb` output in a terminal: snippets wrapped to the width between words, colour by --color and NO_COLOR,
titles cut with an ellipsis; in a pipe, one line a snippet and no colour codes unless asked for."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kb import cli as kb_cli
from kb.cli import cli, use_color, wrap_snippet
from kb.snippets import Snippet

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def index_dir(seeds: Path, tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("terminal-index")


def run(index_dir: Path, seeds: Path, *args: str, env: dict | None = None, global_args: tuple = ()):
    result = CliRunner().invoke(
        cli, ["--index", str(index_dir), "--corpus", str(seeds), *global_args, *args], env=env or {}
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def result_blocks(out: str) -> list[list[str]]:
    """Each result's lines (results are separated by a blank line; the first block is the count)."""
    blocks = [block.splitlines() for block in out.strip().split("\n\n")[1:]]
    return [lines for lines in blocks if not lines[0].startswith("Next page")]


def test_results_wrap_to_the_width_between_words_with_a_hanging_indent(index_dir, seeds):
    query = "security protection data"
    hits = json.loads(run(index_dir, seeds, "search", query, "--json"))["results"]
    piped = result_blocks(run(index_dir, seeds, "search", query))
    wrapped = result_blocks(run(index_dir, seeds, "search", query, env={"COLUMNS": "50"}))
    assert len(piped) == len(wrapped) == len(hits)
    for hit, before, after in zip(hits, piped, wrapped, strict=True):
        snippet = " ".join(hit["snippet"].split())
        assert f"   {snippet}" in before  # a pipe: the snippet on one line, for grep
        assert len(after) > len(before)
        body, command = after[:-1], after[-1]
        assert command.lstrip().startswith("kb ") and command.startswith("   ")  # a command is never cut
        assert all(len(line) <= 50 for line in body)
        assert body[0][0].isdigit() and all(line.startswith("   ") for line in body[1:])  # a hanging indent
        words = " ".join(line.strip() for line in body).split()
        assert " ".join(words).find(snippet) >= 0  # no word of the snippet split, lost or reordered


def test_colour_codes_take_no_room_when_wrapping():
    plain = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda"
    snippet = Snippet(plain=plain, spans=((6, 10), (23, 30)))
    lines = wrap_snippet(snippet, 24, "   ", ("\x1b[1;33m", "\x1b[0m"))
    assert len(lines) > 1
    assert all(len(ANSI.sub("", line)) <= 24 for line in lines)
    assert "\x1b[1;33mbeta\x1b[0m" in "".join(lines) and "\x1b[1;33mepsilon\x1b[0m" in "".join(lines)


def test_color_always_styles_even_in_a_pipe_and_never_does_not(index_dir, seeds):
    always = run(index_dir, seeds, "search", "security", global_args=("--color", "always"))
    never = run(index_dir, seeds, "search", "security", global_args=("--color", "never"))
    auto = run(index_dir, seeds, "search", "security")
    assert "\x1b[1m" in always and "\x1b[1;33m" in always  # bold titles, highlighted matches
    assert not ANSI.search(never) and not ANSI.search(auto)  # a pipe: plain text
    assert ANSI.sub("", always) == never


class _Terminal:
    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize(
    ("choice", "no_color", "expected"),
    [("auto", None, True), ("auto", "1", False), ("auto", "", True), ("never", None, False), ("always", "1", True)],
)
def test_no_color_turns_colour_off_where_auto_would_turn_it_on(monkeypatch, choice, no_color, expected):
    monkeypatch.setattr(sys, "stdout", _Terminal())
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    with click.Context(cli, obj={"color": choice}):
        assert use_color() is expected


def test_long_titles_in_kb_sections_end_with_an_ellipsis():
    assert kb_cli._fit("x" * 61, 60) == "x" * 59 + "…"
    assert kb_cli._fit("x" * 60, 60) == "x" * 60


@pytest.mark.parametrize(("width", "expected"), [(None, 60), (200, 60), (80, 80 - 8 - 13), (40, 20)])
def test_kb_sections_title_column_fits_the_terminal(width, expected):
    assert kb_cli.sections_title_width(width, 13) == expected  # two translations' marks: "   full    gmt"


def test_kb_sections_rows_fit_an_80_column_terminal(seed_index, seeds_dir, monkeypatch):
    from click.testing import CliRunner

    monkeypatch.setenv("COLUMNS", "80")
    args = ["--index", str(seed_index.parent), "--corpus", str(seeds_dir), "sections"]
    shown = CliRunner().invoke(kb_cli.cli, args)
    assert shown.exit_code == 0, shown.output
    rows = shown.stdout.splitlines()
    assert all(kb_cli.textwidth.display_width(row) <= 80 for row in rows), max(rows, key=len)
    assert any(row.rstrip().endswith("✓") for row in rows)
