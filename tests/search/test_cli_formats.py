"""`kb search` and `kb notices` for scripts: --format json|jsonl|tsv, and --page beside --offset."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_assertions import assert_one_line_error
from click.testing import CliRunner

from kb.cli import NOTICE_COLUMNS, RESULT_COLUMNS, cli


@pytest.fixture(scope="module")
def kb_cli(library: Path, library_index: Path):
    def run(*args: str):
        return CliRunner().invoke(cli, ["--index", str(library_index.parent), "--corpus", str(library), *args])

    return run


def test_search_as_json_lines_is_the_json_results_one_a_line(kb_cli):
    whole = json.loads(kb_cli("search", "network security", "--json").stdout)["results"]
    lines = kb_cli("search", "network security", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == len(whole) > 1
    assert [json.loads(line) for line in lines] == whole


def test_search_as_tsv_has_a_header_and_a_row_a_result_with_no_tab_or_break_inside_a_cell(kb_cli):
    whole = json.loads(kb_cli("search", "network security", "--json").stdout)["results"]
    out = kb_cli("search", "network security", "--format", "tsv").stdout
    header, *rows = out.splitlines()
    assert header.split("\t") == RESULT_COLUMNS
    assert len(rows) == len(whole)
    for row, hit in zip(rows, whole, strict=True):
        cells = row.split("\t")
        assert len(cells) == len(RESULT_COLUMNS)
        by_name = dict(zip(RESULT_COLUMNS, cells, strict=True))
        assert (by_name["notice"], by_name["section"], by_name["translation"]) == (
            hit["notice"],
            hit["section"],
            hit["translation"],
        )
        assert by_name["snippet"] == " ".join(hit["snippet"].split())


@pytest.mark.parametrize("how", ["jsonl", "tsv"])
def test_notices_for_scripts(kb_cli, how):
    whole = json.loads(kb_cli("notices", "--json").stdout)["notices"]
    out = kb_cli("notices", "--format", how).stdout.splitlines()
    if how == "tsv":
        assert out[0].split("\t") == NOTICE_COLUMNS
        ids = [line.split("\t")[0] for line in out[1:]]
    else:
        ids = [json.loads(line)["id"] for line in out]
    assert ids == [n["id"] for n in whole]


def test_page_is_the_offset_of_that_page(kb_cli):
    by_page = json.loads(kb_cli("search", "network", "--limit", "2", "--page", "2", "--json").stdout)
    by_offset = json.loads(kb_cli("search", "network", "--limit", "2", "--offset", "2", "--json").stdout)
    assert by_page["results"] == by_offset["results"] and by_page["offset"] == 2
    notices = json.loads(kb_cli("notices", "--limit", "2", "--page", "2", "--json").stdout)
    assert notices["offset"] == 2


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["search", "network", "--page", "2", "--offset", "4"], "--page or --offset"),
        (["search", "network", "--json", "--format", "tsv"], "--json or --format tsv"),
        (["notices", "--page", "1", "--offset", "0"], "--page or --offset"),
    ],
)
def test_contradictory_paging_or_format_is_one_line(kb_cli, args, fragment):
    assert_one_line_error(kb_cli(*args), fragment)
