"""`kb clean` and `kb outline` through click's test runner: output, and one-line errors for bad input."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_outline import FULL_OUTLINE, GMT_OUTLINE  # the expected outlines, written out once

from kb.clean import clean as clean_text
from kb.cli import cli
from kb.corpus import outline_file
from kb.outline import MAX_HEADING_CANDIDATES


def make_runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout (click < 8.2 needs mix_stderr=False; later always does)."""
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)
    return CliRunner()


@pytest.fixture
def runner() -> CliRunner:
    return make_runner()


def test_clean_file(runner, full_seed):
    result = runner.invoke(cli, ["clean", str(full_seed)])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout == clean_text(full_seed.read_text(encoding="utf-8")) + "\n"
    assert "Ministry of Housing and Urban-Rural Development" in result.stdout


def test_clean_stdin(runner):
    noisy = "the Minist✘♠ry of Housing and Urban-Rura ™ l Development, the People&apo∞•s;s Bank of China\n"
    result = runner.invoke(cli, ["clean", "-"], input=noisy.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "the Ministry of Housing and Urban-Rural Development, the People's Bank of China\n"


def test_clean_reads_stdin_by_default(runner):
    result = runner.invoke(cli, ["clean"], input="  clean   text\r\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "clean text\n"


def test_clean_strips_a_byte_order_mark(runner, tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffR&amp;D text".encode())
    result = runner.invoke(cli, ["clean", str(path)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "R&D text\n"


@pytest.mark.parametrize("seed", ["gmt_seed", "full_seed"])
def test_outline_json_of_the_seeds(runner, seed, request):
    path = request.getfixturevalue(seed)
    result = runner.invoke(cli, ["outline", str(path), "--json"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data == outline_file(path).to_json()
    expected_sections = GMT_OUTLINE if seed == "gmt_seed" else FULL_OUTLINE
    issuers = data.pop("issuers")  # the lead sentence names one body (gmt) or lists all eleven (full)
    assert issuers[0] == "Ministry of Industry and Information Technology"
    assert len(issuers) == (1 if seed == "gmt_seed" else 11)
    assert data.pop("type") is None  # a source states a type only in a manifest or front matter
    assert data == {
        "title": (
            "The Ministry of Industry and Information Technology and ten other departments jointly issued a document "
            "to promote the coordinated development of new information infrastructure"
            if seed == "gmt_seed"
            else "Notice on matters related to promoting the coordinated development of new information infrastructure"
        ),
        "number": "MIIT Communications [2024] No. 165",
        "source": "GMT Eight" if seed == "gmt_seed" else None,
        "date": "2024-09-04",
        "parts": [],
        "sections": [
            {"id": i, "title": t, "parent": p, "part": 0, "level": i.count(".") + 1, "title_derived": False}
            for i, t, p in expected_sections
        ],
    }


def test_outline_text_output(runner, full_seed):
    result = runner.invoke(cli, ["outline", str(full_seed)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == "Notice on matters related to promoting the coordinated development of new information infrastructure"
    )
    assert "Number: MIIT Communications [2024] No. 165" in lines
    assert "Date: 2024-09-04" in lines
    assert any(line.startswith("Issued by: Ministry of Industry and Information Technology; ") for line in lines)
    assert "1     Strengthen the overall planning and layout of the country" in lines
    assert "    1.3   Rational layout of new technology facilities" in lines


def test_outline_of_stdin_has_only_what_the_text_states(runner, gmt_seed):
    result = runner.invoke(cli, ["outline", "-", "--json"], input=gmt_seed.read_bytes())
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["number"], data["source"], data["date"]) == (None, "GMT Eight", None)
    assert [s["id"] for s in data["sections"]][:3] == ["4", "4.1", "4.2"]


# -- bad input ----------------------------------------------------------------------


def bad_inputs(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """name -> (argument, expected message after "kb: error: ")."""
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 au lait\n".encode("latin-1"))
    (tmp_path / "prose.txt").write_text("Just prose, with no headings at all.\n", encoding="utf-8")
    (tmp_path / "dir").mkdir()
    return {
        "missing": (str(tmp_path / "nope.txt"), f"{tmp_path / 'nope.txt'}: no such file"),
        "empty": (str(tmp_path / "empty.txt"), f"{tmp_path / 'empty.txt'}: is empty"),
        "blank": (str(tmp_path / "blank.txt"), f"{tmp_path / 'blank.txt'}: is empty"),
        "binary": (str(tmp_path / "binary.txt"), f"{tmp_path / 'binary.txt'}: looks like a binary file, not text"),
        "latin1": (str(tmp_path / "latin1.txt"), f"{tmp_path / 'latin1.txt'}: not UTF-8 text"),
        "prose": (str(tmp_path / "prose.txt"), f"{tmp_path / 'prose.txt'}: no section headings found"),
        "directory": (str(tmp_path / "dir"), f"{tmp_path / 'dir'}: is a directory, not a file"),
    }


def assert_one_line_error(result, message: str) -> None:
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"kb: error: {message}\n"
    assert "Traceback" not in result.stderr
    assert isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("case", ["missing", "empty", "blank", "binary", "latin1", "prose", "directory"])
def test_outline_bad_input(runner, tmp_path, case):
    argument, message = bad_inputs(tmp_path)[case]
    assert_one_line_error(runner.invoke(cli, ["outline", argument, "--json"]), message)


@pytest.mark.parametrize("case", ["missing", "empty", "blank", "binary", "latin1", "directory"])
def test_clean_bad_input(runner, tmp_path, case):
    argument, message = bad_inputs(tmp_path)[case]
    assert_one_line_error(runner.invoke(cli, ["clean", argument]), message)


def test_clean_accepts_text_without_headings(runner, tmp_path):
    argument, _ = bad_inputs(tmp_path)["prose"]
    result = runner.invoke(cli, ["clean", argument])
    assert result.exit_code == 0
    assert result.stdout == "Just prose, with no headings at all.\n"


@pytest.mark.parametrize(
    ("command", "data", "message"),
    [
        (["clean", "-"], b"", "<stdin>: is empty"),
        (["clean", "-"], b"\x00\x01\x02", "<stdin>: looks like a binary file, not text"),
        (["clean", "-"], b"\xff\xfe\xfa", "<stdin>: not UTF-8 text"),
        (["outline", "-"], b"Just prose.", "<stdin>: no section headings found"),
    ],
)
def test_bad_stdin(runner, command, data, message):
    assert_one_line_error(runner.invoke(cli, command, input=data), message)


# -- kb index over a corpus with mistakes -------------------------------------------------


@pytest.fixture
def corpus_copy(tmp_path: Path, seeds_dir: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in seeds_dir.iterdir():
        (corpus / p.name).write_bytes(p.read_bytes())
    return corpus


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('file = "000_8f55676a7008a0c6.txt"\n', "", "notice 1, translation 2: 'file' is missing"),
        ("[[notice]]", "[notice]", "write [[notice]] (a list of tables), not [notice]"),
        (
            'date = "2024-09-04"',
            'date = "2024-09-04"\ntitel = "x"',
            "notice 1: unknown key 'titel' (did you mean 'title'?)",
        ),
        (
            'name = "gmt"',
            'name = "../<script>x"',
            "notice 1, translation 2: 'name' must be a short name of lower-case letters, digits and hyphens, "
            'at most 64 long (like "full" or "gmt-2"), not \'../<script>x\'',
        ),
    ],
)
def test_index_with_a_broken_manifest_is_one_line_and_status_2(runner, corpus_copy, tmp_path, old, new, message):
    manifest = corpus_copy / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = runner.invoke(cli, ["--corpus", str(corpus_copy), "--index", str(tmp_path / "index"), "index"])
    assert_one_line_error(result, f"{manifest}: {message}")


def test_index_accepts_a_toml_date(runner, corpus_copy, tmp_path):
    manifest = corpus_copy / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"2024-09-04"', "2024-09-04"), encoding="utf-8")
    index = tmp_path / "index"
    result = runner.invoke(cli, ["--corpus", str(corpus_copy), "--index", str(index), "index"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    result = runner.invoke(cli, ["--corpus", str(corpus_copy), "--index", str(index), "sections"])
    assert result.exit_code == 0, result.stderr
    assert "MIIT Communications [2024] No. 165 · 2024-09-04" in result.stdout


def test_index_warns_about_files_it_does_not_read(runner, corpus_copy, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("Secret notice\n1. Secret plans\nSecret text.\n", encoding="utf-8")
    (corpus_copy / "secret.txt").symlink_to(outside)
    (corpus_copy / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    index = tmp_path / "index"
    result = runner.invoke(cli, ["--corpus", str(corpus_copy), "--index", str(index), "index"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"kb: warning: skipped {corpus_copy / 'gone.txt'}: is a broken link",
        f"kb: warning: skipped {corpus_copy / 'secret.txt'}: is a link outside the corpus, not followed",
    ]
    result = runner.invoke(cli, ["--corpus", str(corpus_copy), "--index", str(index), "sections"])
    assert result.exit_code == 0, result.stderr
    assert "Secret" not in result.stdout  # not indexed


def test_sources_over_a_work_budget_are_one_line_errors(runner):
    costly = "".join("a★" + "<>$&'\"<>$&" for _ in range(3_000))
    result = runner.invoke(cli, ["clean", "-"], input=costly.encode("utf-8"))
    assert_one_line_error(
        result,
        "too costly to clean: dense runs of junk characters "
        "(over the decoder's budget of 100 work units per character)",
    )
    markers = "1. A " * (MAX_HEADING_CANDIDATES + 1)
    result = runner.invoke(cli, ["outline", "-"], input=markers.encode("utf-8"))
    assert_one_line_error(
        result, "<stdin>: too many heading-like markers (over 100,000; no notice has that many sections)"
    )


def test_outline_of_a_markdown_file_reads_its_front_matter(tmp_path):
    from click.testing import CliRunner

    from kb.cli import cli

    source = tmp_path / "plan.md"
    source.write_text(
        "---\ntitle: Plan for Tidal Power\ndate: 2022-01-02\ntype: plan\n---\n# Other\n\n## 1. General\n\nText.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["outline", str(source), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["title"], data["date"], data["type"]) == ("Plan for Tidal Power", "2022-01-02", "plan")
    assert [s["id"] for s in data["sections"]] == ["1"]
