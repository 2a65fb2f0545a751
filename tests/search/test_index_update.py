"""One changed notice re-indexes that notice only, on top of the previous build, which stays intact for its readers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb import index as kb_index
from kb import integrity
from kb.search import KnowledgeBase

NDRC_FILE = "ndrc-2023-green-data-centres.txt"


@pytest.fixture()
def corpus(library: Path, tmp_path: Path) -> Path:
    directory = tmp_path / "corpus"
    shutil.copytree(library, directory)
    return directory


def _hits(kb: KnowledgeBase, query: str) -> tuple[int, dict, set]:
    result = kb.search(query, limit=100)
    return result.total, result.facets, {(h.notice.id, h.section, h.chunk.translation) for h in result.hits}


QUERIES = ["anemometers", "tidal", "submarine cables", "data centres", "issuer:MIIT", "6 (1)", "section:2.1"]


def _answers_as_a_full_build(updated: Path, corpus: Path, tmp_path: Path) -> None:
    full = KnowledgeBase(kb_index.build(corpus, tmp_path / "full", force=True).path)
    kb = KnowledgeBase(updated)
    assert [n.id for n in kb.notices] == [n.id for n in full.notices]
    for query in QUERIES:  # the same sections and counts (an order may differ: deleted documents weigh in BM25)
        assert _hits(kb, query) == _hits(full, query), query


def test_a_changed_notice_is_reindexed_alone_and_the_result_answers_as_a_full_build(corpus, tmp_path):
    index_dir = tmp_path / "index"
    before = kb_index.build(corpus, index_dir).path
    old_reader = KnowledgeBase(before)
    path = corpus / NDRC_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("data centres", "data centres and anemometers", 1))
    result = kb_index.build(corpus, index_dir)
    assert result.built and result.changed == ["ndrc-2023-1127"]
    assert result.chunks == sum(1 for _ in KnowledgeBase(result.path).search("notice:ndrc-2023-1127", limit=100).hits)
    _answers_as_a_full_build(result.path, corpus, tmp_path)
    # the previous build is untouched (its files are shared, never rewritten) and its readers go on
    integrity.verify(before, full=True)
    assert old_reader.search("anemometers").total == 0
    assert not kb_index.build(corpus, index_dir).built  # and then it is up to date


def test_added_and_removed_notices_are_an_update_too(corpus, tmp_path):
    index_dir = tmp_path / "index"
    kb_index.build(corpus, index_dir)
    (corpus / "wind.txt").write_text(
        "Notice on Anemometers at Coastal Stations\nXYZ [2022] No. 9\n2022-05-01\n1. General\nEvery station.\n",
        encoding="utf-8",
    )
    added = kb_index.build(corpus, index_dir)
    assert added.changed == ["xyz-2022-9"]
    assert KnowledgeBase(added.path).search("anemometers").total > 0
    (corpus / NDRC_FILE).unlink()
    removed = kb_index.build(corpus, index_dir)
    assert removed.changed == ["ndrc-2023-1127"]
    kb = KnowledgeBase(removed.path)
    assert kb.search("notice:ndrc-2023-1127").total == 0 and "ndrc-2023-1127" not in {n.id for n in kb.notices}
    _answers_as_a_full_build(removed.path, corpus, tmp_path)


def test_many_changes_or_force_make_a_full_build(corpus, tmp_path):
    index_dir = tmp_path / "index"
    kb_index.build(corpus, index_dir)
    for name in (NDRC_FILE, "gov-2021-coastal-emergency-communications.txt"):  # 2 of 5 notices: over the share
        path = corpus / name
        path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    assert kb_index.build(corpus, index_dir).changed is None
    path = corpus / NDRC_FILE
    path.write_text(path.read_text(encoding="utf-8") + "\nAnd another.\n", encoding="utf-8")
    assert kb_index.build(corpus, index_dir, force=True).changed is None


def test_a_damaged_previous_build_is_rebuilt_not_updated(corpus, tmp_path):
    index_dir = tmp_path / "index"
    build = kb_index.build(corpus, index_dir).path
    toc = next(build.glob("*.toc"))
    toc.chmod(0o644)
    with toc.open("r+b") as f:
        f.seek(10)
        f.write(b"\xff\xff")
    path = corpus / NDRC_FILE
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    result = kb_index.build(corpus, index_dir)
    assert result.built and result.changed is None
    integrity.verify(result.path, full=True)


def _age(corpus: Path) -> None:
    """Give every source an old modification time (files written just now are "racy": always read again)."""
    import os
    import time

    old = time.time() - 3600
    for path in corpus.iterdir():
        os.utime(path, (old, old))


def _built_then_reads(corpus: Path, index_dir: Path, monkeypatch) -> list[str]:
    """Build ``corpus`` (its files aged), then record the name of every file a build reads from now on."""
    import kb.corpus

    _age(corpus)
    kb_index.build(corpus, index_dir)
    read: list[str] = []
    original = kb.corpus.read_outline

    def counting(text, name, markdown, *rest):
        read.append(Path(name).name)
        return original(text, name, markdown, *rest)

    monkeypatch.setattr(kb.corpus, "read_outline", counting)
    return read


def test_an_update_reads_only_the_files_that_changed(corpus, tmp_path, monkeypatch):
    index_dir = tmp_path / "index"
    read = _built_then_reads(corpus, index_dir, monkeypatch)
    path = corpus / NDRC_FILE
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence about anemometers.\n", encoding="utf-8")
    result = kb_index.build(corpus, index_dir)
    assert result.changed == ["ndrc-2023-1127"] and read == [NDRC_FILE]
    assert KnowledgeBase(result.path).search("anemometers").total == 1
    _answers_as_a_full_build(result.path, corpus, tmp_path)


def test_a_changed_manifest_reads_every_file_again(corpus, tmp_path, monkeypatch):
    index_dir = tmp_path / "index"
    read = _built_then_reads(corpus, index_dir, monkeypatch)
    manifest = corpus / "manifest.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('type = "opinions"', 'type = "guidelines"'))
    result = kb_index.build(corpus, index_dir)
    assert len(read) == len(list(corpus.glob("*.txt"))) + len(list(corpus.glob("*.md")))
    assert result.changed == ["ndrc-2023-1127"]
    kb = KnowledgeBase(result.path)
    assert kb.notice("ndrc-2023-1127").doc_type == "guidelines"
