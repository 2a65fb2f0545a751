"""The `kb` commands that build and read the index: index, notices, search, show, sections."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_assertions import assert_one_line_error
from click.testing import CliRunner

from kb.cli import cli


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    # click >= 8.2 keeps stderr apart: result.stdout, result.stderr (result.output is both, as on a terminal)
    return CliRunner()


@pytest.fixture(scope="module")
def index_dir(seeds: Path, tmp_path_factory) -> Path:
    """An index directory the read-only commands share (built by the first command that needs it)."""
    return tmp_path_factory.mktemp("cli-index")


@pytest.fixture
def kb_cli(runner, index_dir, seeds):
    def run(*args: str):
        return runner.invoke(cli, ["--index", str(index_dir), "--corpus", str(seeds), *args])

    return run


# -- kb index ---------------------------------------------------------------------------


def test_index_builds_then_is_up_to_date_then_force_rebuilds(runner, seeds, tmp_path):
    args = ["--index", str(tmp_path / "idx"), "--corpus", str(seeds), "index"]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith("Indexed 34 sections into ")
    assert str(tmp_path / "idx") in first.stdout
    assert first.stderr == ""

    second = runner.invoke(cli, args)
    assert second.exit_code == 0
    assert "up to date" in second.stdout and "--force" in second.stdout

    forced = runner.invoke(cli, [*args, "--force"])
    assert forced.exit_code == 0
    assert forced.stdout.startswith("Indexed 34 sections into ")
    assert forced.stdout != first.stdout  # a new build directory


def test_index_through_environment_variables(runner, seeds, tmp_path):
    env = {"KB_INDEX": str(tmp_path / "env-idx"), "KB_CORPUS": str(seeds)}
    first = runner.invoke(cli, ["index"], env=env)
    assert first.exit_code == 0, first.output
    assert "Indexed 34 sections" in first.stdout and str(tmp_path / "env-idx") in first.stdout
    assert (tmp_path / "env-idx" / "current").is_symlink()
    result = runner.invoke(cli, ["search", "submarine cables"], env=env)
    assert result.exit_code == 0 and "[7 (1)]" in result.stdout


def test_index_errors_are_one_line(runner, tmp_path):
    (tmp_path / "empty").mkdir()
    result = runner.invoke(cli, ["--index", str(tmp_path / "idx"), "--corpus", str(tmp_path / "empty"), "index"])
    assert_one_line_error(result, "no readable notices")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = runner.invoke(cli, ["--index", str(blocker / "idx"), "--corpus", str(tmp_path / "empty"), "index"])
    assert result.exit_code == 2 and "Traceback" not in result.output


# -- kb search ----------------------------------------------------------------------------


def test_search_prints_ranked_results(kb_cli):
    result = kb_cli("search", "submarine cables")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("4 results (showing 1-4)")
    first = out.split("\n\n")[1].splitlines()
    assert first[0] == "1. [7 (1)] Play a leading role in factor allocation"  # the section as a citation names it
    assert first[1] == "   MIIT Communications [2024] No. 165 · 2024-09-04"  # its notice
    assert first[2] == "   gmt (also in: full) · 7. Strengthen cross-departmental policy coordination"
    assert "submarine cable" in first[3]
    # no web link without a base URL: the command that prints the section, reading the same index and corpus
    assert first[4].startswith("   kb --index ") and first[4].endswith(" show miit-2024-165 7.1 -t gmt")
    assert "2. [" in out and "/doc/" not in out


def test_search_has_no_colour_codes_when_not_a_terminal(kb_cli):
    result = kb_cli("search", "security")
    assert result.exit_code == 0
    assert "\x1b[" not in result.output


def test_search_separate_and_translation(kb_cli):
    separate = kb_cli("search", "security", "--separate", "--limit", "100")
    assert separate.exit_code == 0
    assert separate.stdout.count("[6 (1)]") == 2
    gmt = kb_cli("search", "satellite OR security", "-t", "gmt")
    assert gmt.exit_code == 0
    assert "[3 (1)]" not in gmt.stdout
    lines = gmt.stdout.splitlines()
    where = [lines[i + 2] for i, line in enumerate(lines) if re.match(r"\d+\. \[", line)]
    assert where and all(w.startswith("   gmt") for w in where)


def test_search_paging(kb_cli):
    page = kb_cli("search", "security", "--limit", "2", "--offset", "2")
    assert page.exit_code == 0
    assert page.stdout.startswith("5 results (showing 3-4, page 2 of 3)\n")
    assert "3. [" in page.stdout and "1. [" not in page.stdout
    assert page.stdout.endswith("\nNext page: --offset 4\n")
    between = kb_cli("search", "security", "--limit", "2", "--offset", "1")
    assert "(showing 2-3)" in between.stdout  # an offset between pages is on no page
    last = kb_cli("search", "security", "--limit", "2", "--offset", "4")
    assert "(showing 5-5, page 3 of 3)" in last.stdout and "Next page" not in last.stdout
    past = kb_cli("search", "security", "--offset", "50")
    assert past.exit_code == 1
    assert "No more results." in past.stderr


def test_search_with_no_results_exits_1(kb_cli):
    result = kb_cli("search", "zzzzqq")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "No results." in result.stderr


def test_search_tells_about_suggestions_and_fallbacks(kb_cli):
    typo = kb_cli("search", "satelite")
    assert typo.exit_code == 0
    assert "Did you mean: satellite" in typo.stderr
    broken = kb_cli("search", "(security")
    assert broken.exit_code == 0
    assert "searched for its words" in broken.stderr
    assert "[6 (1)]" in broken.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--limit", "0"], "limit must be between 1 and 100"),
        (["--limit", "101"], "limit must be between 1 and 100"),
        (["--offset", "-1"], "offset must be between 0"),
        (["--translation", "nope"], "there is no translation called 'nope'"),
        (["--notice", "nope"], "there is no notice 'nope'"),
        (["--issuer", "Nobody"], "no notice was issued by 'Nobody'"),
        (["--year", "24"], "year must be a year such as 2024"),
        (["--type", "poem"], "no notice is of type 'poem'"),
    ],
)
def test_search_bad_options_are_one_line_errors(kb_cli, args, fragment):
    assert_one_line_error(kb_cli("search", "security", *args), fragment)


@pytest.mark.parametrize(
    ("query", "fragment"),
    [("", "empty query"), ("   ", "empty query"), ("x" * 600, "query too long (600 characters")],
)
def test_search_bad_queries_are_one_line_errors(kb_cli, query, fragment):
    assert_one_line_error(kb_cli("search", query), fragment)


def test_search_json(kb_cli):
    result = kb_cli("search", "submarine cables", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {"query", "total", "suggestion", "results", "facets", "filters", "sort", "has_more"} <= set(data)
    assert data["query"] == "submarine cables"
    assert data["total"] == len(data["results"]) == 4
    assert data["suggestion"] is None and data["sort"] == "relevance" and data["filters"] == {}
    assert set(data["facets"]) == {"notice", "issuer", "year", "type", "translation"}
    assert data["facets"]["notice"] == {"miit-2024-165": 4}
    assert all(isinstance(v, int) for facet in data["facets"].values() for v in facet.values())
    types = {
        "notice": str,
        "notice_title": str,
        "number": str,
        "date": str,
        "section": str,
        "section_label": str,
        "translation": str,
        "title": (str, type(None)),
        "parent_title": (str, type(None)),
        "snippet": str,
        "score": (int, float),
        "also_in": list,
        "citation": str,
    }
    for r in data["results"]:
        for key, kind in types.items():
            assert isinstance(r[key], kind), (key, r[key])
        assert all(isinstance(t, str) for t in r["also_in"])
        assert "link" not in r  # the library builds no links
        assert "\x1b[" not in r["snippet"] and "<mark>" not in r["snippet"]
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)
    first = data["results"][0]
    assert (first["section"], first["section_label"], first["translation"], first["also_in"]) == (
        "7.1",
        "7 (1)",
        "gmt",
        ["full"],
    )
    assert first["citation"].startswith("MIIT Communications [2024] No. 165, Notice on Matters")


def test_search_json_with_no_results(kb_cli):
    result = kb_cli("search", "zzzzqq", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["total"] == 0 and data["results"] == []


def test_search_json_suggestion(kb_cli):
    data = json.loads(kb_cli("search", "satelite", "--json").stdout)
    assert data["suggestion"] == "satellite"


# -- kb show ----------------------------------------------------------------------------


def test_show_a_section_in_every_translation(kb_cli):
    result = kb_cli("show", "6.1")
    assert result.exit_code == 0, result.output
    out = result.stdout
    number_and_title = (
        "MIIT Communications [2024] No. 165, Notice on Matters Related to Promoting the Coordinated Development "
        "of New Information Infrastructure"
    )
    assert f"{number_and_title}, section 6 (1), Full translation, 2024-09-04 [full]\n" in out
    assert "6 (1) Improve network and data security capabilities\n" in out
    assert f"{number_and_title}, section 6 (1), GMT Eight translation (sections 4-8), 2024-09-04 [gmt]\n" in out
    assert "6 (1) Enhance network and data security capabilities\n" in out
    assert "data security management systems" in out


def test_show_a_citation_in_one_translation(kb_cli):
    result = kb_cli("show", "6 (1)", "--translation", "gmt")
    assert result.exit_code == 0
    assert "[gmt]" in result.stdout and "[full]" not in result.stdout
    assert result.stdout.splitlines()[0].startswith("MIIT Communications [2024] No. 165, Notice on")


def test_show_names_the_notice_when_asked(kb_cli):
    named = kb_cli("show", "miit-2024-165", "6 (1)", "-t", "gmt")
    assert named.exit_code == 0
    assert named.stdout == kb_cli("show", "6 (1)", "-t", "gmt").stdout


def test_show_front_matter(kb_cli):
    result = kb_cli("show", "front")
    assert result.exit_code == 0
    assert "front matter" in result.stdout.lower()
    assert "[full]" in result.stdout and "[gmt]" in result.stdout


def test_show_json(kb_cli):
    result = kb_cli("show", "6 (1)", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["translation"] for d in data] == ["full", "gmt"]
    first = data[0]
    assert set(first) == {
        "notice",
        "translation",
        "translation_label",
        "section",
        "section_label",
        "title",
        "parent",
        "text",
        "citation",
    }
    assert (first["notice"], first["section"], first["section_label"], first["parent"]) == (
        "miit-2024-165",
        "6.1",
        "6 (1)",
        "6",
    )
    assert first["translation_label"] == "Full translation"
    assert first["title"] == "Improve network and data security capabilities"
    assert "data security management systems" in first["text"]
    assert first["citation"].endswith(", section 6 (1), Full translation, 2024-09-04")
    one = json.loads(kb_cli("show", "6.1", "-t", "gmt", "--json").stdout)
    assert [d["translation"] for d in one] == ["gmt"]


def test_show_a_section_only_one_translation_has(kb_cli):
    assert kb_cli("show", "3.1").exit_code == 0
    assert_one_line_error(kb_cli("show", "3.1", "-t", "gmt"), "section 3 (1) is not in the GMT Eight translation")


def test_show_a_section_no_translation_has(kb_cli):
    assert_one_line_error(kb_cli("show", "1.1"), "section 1 (1) is not in any translation")


@pytest.mark.parametrize("section", ["xyz", "", "6.1.1"])
def test_show_something_that_is_not_a_section(kb_cli, section):
    assert_one_line_error(kb_cli("show", section), "not a section")


def test_show_in_an_unknown_translation(kb_cli):
    assert_one_line_error(kb_cli("show", "6.1", "-t", "nope"), "has no translation 'nope' (it has: full, gmt)")


def test_show_a_notice_without_a_section_says_what_is_missing(kb_cli):
    assert_one_line_error(kb_cli("show", "miit-2024-165"), "say which section of notice 'miit-2024-165'")


@pytest.mark.parametrize(
    ("args", "fragment"), [((), "missing SECTION"), (("a", "b", "c"), "expected [NOTICE] SECTION, got 3")]
)
def test_show_takes_one_or_two_arguments(runner, tmp_path, seeds, args, fragment):
    index_dir = tmp_path / "never-built"
    result = runner.invoke(cli, ["--index", str(index_dir), "--corpus", str(seeds), "show", *args])
    assert result.exit_code == 2 and fragment in result.output
    assert not index_dir.exists()  # a usage mistake is reported before any work


# -- kb sections --------------------------------------------------------------------------


def test_sections(kb_cli):
    result = kb_cli("sections")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("Notice on Matters Related to Promoting the Coordinated Development")
    assert "miit-2024-165 · MIIT Communications [2024] No. 165 · 2024-09-04" in out
    assert "6.1  Improve network and data security capabilities" in out
    assert "Missing from every translation: 1.1, 1.2" in out
    assert "Missing from gmt: 1, 1.3, 2, 2.1, 2.2, 2.3, 3, 3.1, 3.2" in out
    assert "Missing from full" not in out


# -- the index is built on first use ---------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["search", "submarine cables"], "[7 (1)]"),
        (["show", "7.1"], "factor allocation"),
        (["sections"], "Missing from every translation"),
    ],
)
def test_commands_build_a_missing_index_first(runner, seeds, tmp_path, args, expect):
    index_dir = tmp_path / "empty-index"
    index_dir.mkdir()
    result = runner.invoke(cli, ["--index", str(index_dir), "--corpus", str(seeds), *args])
    assert result.exit_code == 0, result.output
    assert expect in result.stdout
    assert (index_dir / "current").is_symlink()
