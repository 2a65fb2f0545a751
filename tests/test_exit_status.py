"""Exit statuses of the real `kb` console script: 0 results, 1 no results, 2 any error in one line.

Scripts branch on the status, so it is an interface: 1 must only ever mean
"nothing matched", and every error, whether the caller's (a bad option, an
unknown translation), the environment's (a missing corpus, a damaged index)
or a bug, is status 2 with exactly one line on standard error and no
traceback.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_assertions import assert_one_line_error

KB = Path(sys.executable).parent / "kb"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(KB), *args], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL, cwd=cwd
    )


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("exit-index") / "index"
    built = run("--index", str(directory), "--corpus", str(SEEDS), "index")
    assert built.returncode == 0, built.stderr
    return directory


@pytest.fixture()
def kb(index: Path):
    """kb(*args): the console script over the seeds and their index."""
    return lambda *args: run("--index", str(index), "--corpus", str(SEEDS), *args)


# -- 0 and 1 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["search", "submarine cables"],
        ["search", '"dual gigabit"', "--json"],
        ["search", "security", "--translation", "gmt", "--limit", "1"],
        ["show", "6 (1)"],
        ["show", "miit-2024-165", "6 (1)", "--json"],
        ["sections"],
        ["sections", "miit-2024-165", "--json"],
        ["notices"],
        ["notices", "--json"],
        ["index", "--json"],
        ["--help"],
        ["search", "--help"],
    ],
)
def test_success_is_0(kb, args):
    result = kb(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_bare_kb_shows_the_help():
    result = run()
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: kb") and result.stderr == ""


@pytest.mark.parametrize(
    "args",
    [
        ["search", "qqqqzzzz"],
        ["search", "qqqqzzzz", "--json"],
        ["search", "section:2.1", "--translation", "gmt"],  # gmt lacks sections 1-3
        ["search", "security", "--year", "2023"],  # a year in which no notice was issued
        ["notices", "--year", "2023"],
    ],
)
def test_no_results_is_1(kb, args):
    result = kb(*args)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "kb: error" not in result.stderr


def test_past_the_last_result_is_1(kb):
    result = kb("search", "submarine cables", "--offset", "500")
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == "No more results."


# -- 2: the caller's mistakes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, expected",
    [
        (["search", "x", "--limit", "abc"], "'--limit'"),
        (["search", "x", "--limit", "0"], "limit"),
        (["search", "x", "--limit", "101"], "limit"),
        (["search", "x", "--offset", "-1"], "offset"),
        (["search", "x", "--offset", "9" * 30], "offset"),
        (["search", "x", "--nope"], "--nope"),
        (["search"], "QUERY"),
        (["frobnicate"], "frobnicate"),
        (["serve", "--port", "0"], "--port"),
        (["serve", "--port", "abc"], "--port"),
        (["serve", "--threads", "1000"], "--threads"),
        (["serve", "--base-url", "ftp://kb.example.org"], "base URL"),
        (["--index"], "--index"),
        ([], "Missing command"),
        (["show"], "SECTION"),
    ],
)
def test_bad_option_values_are_2(kb, args, expected):
    assert_one_line_error(kb(*args), expected)


def test_usage_errors_name_the_help_to_read(kb):
    assert_one_line_error(kb("search", "x", "--limit", "abc"), "kb search --help")


@pytest.mark.parametrize(
    "args, expected",
    [
        (["search", "x", "--translation", "nope"], "no translation called 'nope'"),
        (["show", "6.1", "--translation", "nope"], "no translation 'nope' (it has: full, gmt)"),
    ],
)
def test_unknown_translation_is_2(kb, args, expected):
    assert_one_line_error(kb(*args), expected)


@pytest.mark.parametrize(
    "args, expected",
    [
        (["search", "x", "--notice", "nope"], "there is no notice 'nope'"),
        (["search", "x", "--issuer", "nobody"], "no notice was issued by 'nobody'"),
        (["search", "x", "--year", "soon"], "year must be a year"),
        (["search", "x", "--type", "poem"], "no notice is of type 'poem'"),
        (["search", "x", "--sort", "size"], "'--sort'"),
        (["notices", "--issuer", "nobody"], "no notice was issued by 'nobody'"),
        (["notices", "--limit", "0"], "limit must be between 1 and 100"),
        (["show", "nope", "6.1"], "there is no notice 'nope'"),
        (["show", "miit-2024-165", "6.1", "extra"], "expected [NOTICE] SECTION, got 3 arguments"),
        (["sections", "nope"], "there is no notice 'nope'"),
    ],
)
def test_filters_and_notices_that_name_nothing_are_2(kb, args, expected):
    assert_one_line_error(kb(*args), expected)


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_empty_query_is_2(kb, query):
    assert_one_line_error(kb("search", query), "empty query")


@pytest.mark.parametrize(
    "section, expected", [("zzz", "not a section"), ("99.9", "section 99 (9) is not in any translation")]
)
def test_unknown_section_is_2(kb, section, expected):
    assert_one_line_error(kb("show", section), expected)


def test_query_too_long_is_2(kb):
    assert_one_line_error(kb("search", "word " * 200))


# -- 2: the environment's ----------------------------------------------------------------------


def test_missing_corpus_is_2(tmp_path):
    missing = tmp_path / "no-such-corpus"
    assert_one_line_error(
        run("--index", str(tmp_path / "index"), "--corpus", str(missing), "search", "x"), str(missing)
    )


def test_corpus_without_notices_is_2(tmp_path):
    (tmp_path / "corpus").mkdir()
    assert_one_line_error(run("--index", str(tmp_path / "index"), "--corpus", str(tmp_path / "corpus"), "sections"))


@pytest.mark.parametrize("args", [["clean", "no-such-file.txt"], ["outline", "no-such-file.txt"]])
def test_missing_input_file_is_2(tmp_path, args):
    assert_one_line_error(run(*args, cwd=tmp_path), "no-such-file.txt")


def _damaged_copy(index: Path, tmp_path: Path, name: str) -> Path:
    """A copy of the index (its link kept) whose file ``name`` is cut short."""
    copy = tmp_path / "index"
    shutil.copytree(index, copy, symlinks=True)
    target = next(p for p in (copy / "current").iterdir() if p.name == name or p.suffix == name)
    target.write_bytes(target.read_bytes()[:100])
    return copy


@pytest.mark.parametrize("damaged", ["catalog.sqlite", ".toc", ".seg"])
def test_damaged_index_is_2(index, tmp_path, damaged):
    """A damaged build that cannot be rebuilt here (no corpus): an error in one line, never a traceback."""
    copy = _damaged_copy(index, tmp_path, damaged)
    assert_one_line_error(run("--index", str(copy), "--corpus", str(tmp_path / "no-corpus"), "search", "network"))


def test_unexpected_failure_is_2_in_one_line(index):
    """A bug (here a failure planted in the library) is still status 2 and one line, never 1."""
    plant = (
        "import sys, kb.search\n"
        "def boom(*args, **kwargs):\n"
        "    raise RuntimeError('planted failure')\n"
        "kb.search.KnowledgeBase.search = boom\n"
        "from kb.cli import main\n"
        "sys.argv[0] = 'kb'\n"
        "main()\n"
    )
    args = ["--index", str(index), "--corpus", str(SEEDS), "search", "network"]
    result = subprocess.run(
        [sys.executable, "-c", plant, *args], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )
    assert_one_line_error(result, "internal error", "planted failure")


def test_interrupted_outside_a_command_is_2(index):
    """Click turns an interrupt or end of input during parsing into "Aborted!" and status 1; kb says so in its form."""
    plant = (
        "import sys, kb.settings\n"
        "def interrupted():\n"
        "    raise KeyboardInterrupt\n"
        "kb.settings.default_corpus = interrupted\n"
        "from kb.cli import main\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", plant, "--index", str(index), "sections"],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == ["kb: error: interrupted"]


def test_readme_documents_the_statuses_and_the_base_url():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    command_line = readme.split("## The command line", 1)[1].split("\n## ", 1)[0]
    for status in ("| 0 |", "| 1 |", "| 2 |"):
        assert status in command_line
    assert "--base-url" in command_line and "KB_BASE_URL" in command_line
    assert "--base-url" in run("serve", "--help").stdout


def test_an_error_echoing_a_huge_value_stays_readable(kb):
    result = kb("search", "data", "--limit", "9" * 5000)
    assert_one_line_error(result, "--limit", "is not a valid integer")
    assert len(result.stderr) < 500
