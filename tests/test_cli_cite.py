"""`kb cite` and the reading commands' JSON: what a script gets, and one line with status 2 for bad input."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest
import rispy
from cli_assertions import assert_one_line_error

KB = Path(sys.executable).parent / "kb"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def today() -> str:
    """The date a citation made just now says it was retrieved: asked when a test checks it, not when the module
    was imported, so that a run across midnight does not fail."""
    return dt.date.today().isoformat()


BASE = "https://kb.example.org"


def run(*args: str, base_url: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("KB_BASE_URL", "NO_COLOR")}
    if base_url:
        env["KB_BASE_URL"] = base_url
    return subprocess.run(
        [str(KB), *args], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL, env=env
    )


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory):
    """kb(*args, base_url=None): the console script over the seeds and their own index."""
    index = tmp_path_factory.mktemp("cite-index") / "index"
    built = run("--index", str(index), "--corpus", str(SEEDS), "index")
    assert built.returncode == 0, built.stderr
    return lambda *args, base_url=None: run("--index", str(index), "--corpus", str(SEEDS), *args, base_url=base_url)


# -- kb cite ------------------------------------------------------------------------------------------------


def test_cite_prints_the_complete_citation_with_the_configured_permalink(kb):
    result = kb("cite", "miit-2024-165", "gmt", "5.1", base_url=BASE)
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == (
        "MIIT Communications [2024] No. 165, Notice on Matters Related to Promoting the Coordinated Development of "
        "New Information Infrastructure, section 5 (1), GMT Eight translation (sections 4-8), 2024-09-04, "
        f"retrieved {today()}, {BASE}/notices/miit-2024-165/gmt/5.1\n"
    )


def test_without_a_public_address_the_citation_says_so_and_names_no_host(kb):
    result = kb("cite", "miit-2024-165", "full", "6 (1)")
    assert result.returncode == 0
    assert result.stdout.rstrip().endswith("no permalink: the site's public address is not configured")
    assert "http" not in result.stdout
    assert result.stderr.startswith("kb: note: ") and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "permalink",
    [
        f"{BASE}/notices/miit-2024-165/gmt/5.1",
        "http://127.0.0.1:5000/notices/miit-2024-165/gmt/5.1",
        "/notices/miit-2024-165/gmt/5.1",
        "miit-2024-165/gmt/5.1",
    ],
)
def test_cite_takes_one_permalink_as_well(kb, permalink):
    result = kb("cite", permalink, "--format", "ris", base_url=BASE)
    assert result.returncode == 0, result.stderr
    (record,) = rispy.loads(result.stdout)
    assert record["urls"] == [f"{BASE}/notices/miit-2024-165/gmt/5.1"]  # the configured address, not the one given
    assert record["section"] == "5 (1)"


def test_cite_formats_read_back(kb):
    bib = kb("cite", "miit-2024-165", "full", "front", "-f", "bibtex", "--base-url", BASE)
    assert bib.returncode == 0, bib.stderr
    (entry,) = bibtexparser.parse_string(bib.stdout).entries
    assert entry.key == "miit-2024-165:full:front" and entry.fields_dict["url"].value.startswith(BASE)
    csl = kb("cite", "miit-2024-165", "gmt", "7", "-f", "csl-json", base_url=BASE)
    (item,) = json.loads(csl.stdout)
    assert (item["id"], item["type"], item["section"], item["publisher"]) == (
        "miit-2024-165:gmt:7",
        "report",
        "7",
        "GMT Eight",
    )


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["cite", "miit-2024-165", "gmt", "5.1", "--format", "xml"], ["unknown citation format 'xml'"]),
        (["cite", "miit-2024-165", "gmt"], ["expected NOTICE TRANSLATION SECTION or one permalink, got 2"]),
        (["cite"], ["got 0 arguments"]),
        (["cite", "not a link"], ["is not a section's permalink"]),
        (["cite", "miit-2024-165", "gmt", "1.1"], ["1 (1)"]),
        (["cite", "miit-2024-165", "nope", "5.1"], ["nope"]),
        (["cite", "nope", "gmt", "5.1"], ["nope"]),
        (["cite", "miit-2024-165", "gmt", "zz"], ["is not a section"]),
        (["cite", "miit-2024-165", "gmt", "5.1", "--base-url", "ftp://x"], ["base URL"]),
    ],
)
def test_bad_input_is_one_line_and_status_2(kb, args, fragments):
    assert_one_line_error(kb(*args), *fragments)


# -- --json on the reading commands: a stable shape ------------------------------------------------------------

#: What each translation says of itself in `kb notices --json` and `kb sections --json`.
TRANSLATION_KEYS = {"name", "label", "translator", "source", "restored", "language", "original"}
NOTICE_KEYS = {"id", "title", "number", "date", "year", "issuers", "type", "source", "translations"}


def test_notices_json_shape(kb):
    data = json.loads(kb("notices", "--json").stdout)
    (notice,) = data["notices"]
    assert set(notice) == NOTICE_KEYS
    full, gmt = notice["translations"]
    assert set(full) == TRANSLATION_KEYS
    assert (full["restored"], gmt["restored"], gmt["source"], gmt["translator"]) == (True, False, "GMT Eight", None)


def test_sections_json_shape(kb):
    data = json.loads(kb("sections", "--json").stdout)
    assert set(data) == {"notice", "parts", "sections", "missing_everywhere", "missing"}
    assert set(data["notice"]) == NOTICE_KEYS
    assert all(set(t) == TRANSLATION_KEYS for t in data["notice"]["translations"])
    assert set(data["sections"][0]) == {
        "id",
        "label",
        "title",
        "title_derived",
        "parent",
        "part",
        "level",
        "translations",
    }
    assert data["parts"] == []
    assert data["missing_everywhere"] == ["1.1", "1.2"]


def test_show_json_carries_provenance_and_the_complete_citation(kb):
    (full, gmt) = json.loads(kb("show", "6.1", "--json", base_url=BASE).stdout)
    assert (full["restored"], full["translator"], full["source"]) == (True, None, None)
    assert (gmt["restored"], gmt["source"]) == (False, "GMT Eight")
    assert gmt["permalink"] == f"{BASE}/notices/miit-2024-165/gmt/6.1"
    assert gmt["citation"].endswith(f", retrieved {today()}, {gmt['permalink']}")
    (alone,) = json.loads(kb("show", "6.1", "-t", "gmt", "--json").stdout)
    assert alone["permalink"] is None and alone["citation"].endswith("public address is not configured")


def test_search_json_citations_are_complete(kb):
    data = json.loads(kb("search", "green data centres", "--json", base_url=BASE).stdout)
    for hit in data["results"]:
        link = f"{BASE}/notices/{hit['notice']}/{hit['translation']}/{hit['section']}"
        assert hit["citation"].endswith(f", retrieved {today()}, {link}")
