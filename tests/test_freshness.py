"""An index older than its corpus is noticed cheaply, said in one line, and rebuilt by ``kb serve --watch``."""

from __future__ import annotations

import json
import os
import shutil
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from serving import kb_serve

from kb import freshness
from kb import index as kb_index
from kb.cli import cli
from kb.search import Follower

#: A time well before any build of the tests (file times set to it are never "racy").
LONG_AGO = time.time() - 3600


@pytest.fixture()
def corpus(library: Path, tmp_path: Path) -> Path:
    directory = tmp_path / "corpus"
    shutil.copytree(library, directory)
    for path in directory.iterdir():
        os.utime(path, (LONG_AGO, LONG_AGO))
    return directory


@pytest.fixture()
def index_dir(corpus: Path, tmp_path: Path) -> Path:
    directory = tmp_path / "index"
    kb_index.build(corpus, directory)
    return directory


def _ndrc(corpus: Path) -> Path:
    return corpus / "ndrc-2023-green-data-centres.txt"


def test_a_fresh_build_is_fresh(corpus, index_dir):
    assert freshness.check(index_dir, corpus) is None
    assert json.loads((kb_index.current_build(index_dir) / freshness.SOURCES).read_text())  # sealed with the build


def test_a_changed_file_makes_the_index_stale_and_is_named(corpus, index_dir):
    with _ndrc(corpus).open("a", encoding="utf-8") as f:
        f.write("\nAn added sentence about wind farms.\n")
    stale = freshness.check(index_dir, corpus)
    assert stale is not None and stale.changed == [_ndrc(corpus).name]
    assert "\n" not in stale.message and "run `kb index`" in stale.message


def test_added_and_removed_files_are_named(corpus, index_dir):
    (corpus / "new.txt").write_text("Notice on New Things\nXYZ [2022] No. 9\n1. General\nText.\n", encoding="utf-8")
    _ndrc(corpus).unlink()
    assert freshness.check(index_dir, corpus).changed == sorted(["new.txt", _ndrc(corpus).name])


def test_a_touched_but_unchanged_file_is_not_reported(corpus, index_dir):
    later = LONG_AGO + 60
    os.utime(_ndrc(corpus), (later, later))
    assert freshness.check(index_dir, corpus) is None


def test_a_change_within_the_file_clock_tick_is_still_seen(corpus, tmp_path):
    """File times move in ticks of a few ms: a same-size rewrite inside one keeps the time, so a file written just
    before a build is recorded as unknown and its content decides."""
    path = _ndrc(corpus)
    path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")  # written just now: racy
    index_dir = tmp_path / "racy-index"
    kb_index.build(corpus, index_dir)
    stamp = path.stat().st_mtime_ns
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("data centres", "data centers", 1), encoding="utf-8")  # same size
    os.utime(path, ns=(stamp, stamp))  # and the same time, as within one tick
    assert freshness.check(index_dir, corpus) is not None
    assert kb_index.build(corpus, index_dir).built


def test_an_unchanged_corpus_is_not_read_again_by_kb_index(corpus, index_dir, monkeypatch):
    import kb.sources

    def forbidden(directory):
        raise AssertionError("the sources were read and hashed")

    monkeypatch.setattr(kb.sources, "fingerprint", forbidden)
    result = kb_index.build(corpus, index_dir)
    assert not result.built


def test_reading_commands_warn_in_one_line_and_still_answer(corpus, index_dir):
    runner = CliRunner()
    args = ["--index", str(index_dir), "--corpus", str(corpus)]
    fresh = runner.invoke(cli, [*args, "search", "data centres"])
    assert fresh.exit_code == 0 and "warning" not in fresh.stderr
    with _ndrc(corpus).open("a", encoding="utf-8") as f:
        f.write("\nAn added sentence.\n")
    for command in (["search", "data centres"], ["notices"], ["show", "ndrc-2023-1127", "2.1"]):
        result = runner.invoke(cli, [*args, *command])
        assert result.exit_code == 0, result.output
        (line,) = result.stderr.splitlines()
        assert line == (
            f"kb: warning: the index is older than the corpus (1 file changed: {_ndrc(corpus).name}); "
            "run `kb index` to update it"
        )


def test_the_watcher_rebuilds_after_a_change_and_readers_follow(corpus, index_dir):
    follower = Follower(index_dir)
    assert follower.get().search("anemometer").total == 0
    built, errors = [], []
    watcher = freshness.Watcher(corpus, index_dir, on_build=built.append, on_error=errors.append, interval=0.1)
    watcher.start()
    try:
        with _ndrc(corpus).open("a", encoding="utf-8") as f:
            f.write("\nEvery site keeps an anemometer.\n")
        deadline = time.monotonic() + 60
        while not built and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        watcher.stop()
    assert built and not errors
    assert follower.get().search("anemometer").total == 1


def test_kb_serve_watch_serves_a_change_without_a_restart(corpus, index_dir, tmp_path):
    with kb_serve(index_dir, corpus, tmp_path / "serve.log", "--watch") as port:
        url = f"http://127.0.0.1:{port}/api/search?q=anemometer"
        with urllib.request.urlopen(url) as response:
            assert json.load(response)["total"] == 0
        with _ndrc(corpus).open("a", encoding="utf-8") as f:
            f.write("\nEvery site keeps an anemometer.\n")
        deadline, total = time.monotonic() + 60, 0
        while total == 0 and time.monotonic() < deadline:
            time.sleep(0.5)
            with urllib.request.urlopen(url) as response:
                total = json.load(response)["total"]
    assert total == 1
    assert "rebuilt the index after a change to the corpus" in (tmp_path / "serve.log").read_text()


def test_an_index_of_an_earlier_version_says_so(corpus, index_dir, monkeypatch):
    monkeypatch.setattr(kb_index, "SCHEMA_VERSION", "999")
    stale = freshness.check(index_dir, corpus)
    assert stale is not None and stale.message == "the index was made by an earlier version of kb; run `kb index`"


def test_a_build_without_recorded_sources_names_no_files(corpus, index_dir):
    build = kb_index.current_build(index_dir)
    with (corpus / "ndrc-2023-green-data-centres.txt").open("a", encoding="utf-8") as f:
        f.write("\nAn added sentence.\n")
    original = freshness.recorded
    try:
        freshness.recorded = lambda b: None if b == build else original(b)
        stale = freshness.check(index_dir, corpus)
    finally:
        freshness.recorded = original
    assert (
        stale is not None
        and stale.changed == []
        and stale.message == ("the index is older than the corpus; run `kb index`")
    )
