"""Building the index: skipped when nothing changed, atomic publication, crashes, concurrent readers, errors."""

from __future__ import annotations

import gc
import os
import shutil
import threading
from pathlib import Path

import pytest
from whoosh import writing

from kb import index as kb_index
from kb import render
from kb.catalog import CATALOG, Catalog
from kb.errors import KnowledgeBaseError
from kb.search import KnowledgeBase, open_kb


@pytest.fixture
def corpus(seeds: Path, tmp_path: Path) -> Path:
    """A copy of the seeds that a test may change."""
    return Path(shutil.copytree(seeds, tmp_path / "corpus"))


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


def builds(index_dir: Path) -> list[Path]:
    return sorted(p for p in index_dir.glob("build-*") if p.is_dir())


def leftovers(index_dir: Path) -> list[Path]:
    return [p for p in index_dir.iterdir() if p.name.startswith((".tmp-", ".link-"))]


def assert_complete(build: Path) -> None:
    assert (build / CATALOG).is_file()
    assert any(build.glob("*.toc")), "no Whoosh table of contents"
    assert KnowledgeBase(build).search("submarine cables").hits


# -- skipping and rebuilding ------------------------------------------------------------


def test_first_build_then_skipped_while_sources_are_unchanged(corpus, index_dir):
    first = kb_index.build(corpus, index_dir)
    assert first.built and first.chunks == 34 and first.skipped_files == []
    assert kb_index.current_build(index_dir) == first.path
    again = kb_index.build(corpus, index_dir)
    assert (again.built, again.path, again.chunks) == (False, first.path, 0)
    assert kb_index.is_fresh(index_dir, corpus)
    assert Catalog.load(first.path).fingerprint == kb_index.fingerprint(corpus)


def test_force_rebuilds(corpus, index_dir):
    first = kb_index.build(corpus, index_dir)
    forced = kb_index.build(corpus, index_dir, force=True)
    assert forced.built and forced.path != first.path
    assert kb_index.current_build(index_dir) == forced.path
    assert_complete(forced.path)


@pytest.mark.parametrize(
    "change",
    [
        lambda c: (c / "000_8f55676a7008a0c6.txt").write_text(
            (c / "000_8f55676a7008a0c6.txt").read_text(encoding="utf-8") + " Zanzibar quokka.\n", encoding="utf-8"
        ),
        lambda c: (c / "manifest.toml").write_text(
            (c / "manifest.toml").read_text(encoding="utf-8").replace('date = "2024-09-04"', 'date = "2024-09-05"'),
            encoding="utf-8",
        ),
        lambda c: (c / "extra.txt").write_text(
            "Extra\n\n1. Strengthen quokka welfare\nQuokka text.\n", encoding="utf-8"
        ),
    ],
    ids=["source-edited", "manifest-edited", "source-added"],
)
def test_a_change_to_the_sources_triggers_a_rebuild(corpus, index_dir, change):
    first = kb_index.build(corpus, index_dir)
    change(corpus)
    assert not kb_index.is_fresh(index_dir, corpus)
    second = kb_index.build(corpus, index_dir)
    assert second.built and second.path != first.path
    assert kb_index.is_fresh(index_dir, corpus)


def test_the_rebuilt_index_serves_the_new_text(corpus, index_dir):
    kb_index.build(corpus, index_dir)
    assert open_kb(index_dir).search("quokka").total == 0
    path = corpus / "000_8f55676a7008a0c6.txt"
    path.write_text(path.read_text(encoding="utf-8") + " Quokka.\n", encoding="utf-8")
    kb_index.build(corpus, index_dir)
    assert open_kb(index_dir).search("quokka").total == 1  # open_kb follows the rebuild


def test_unrelated_files_do_not_trigger_a_rebuild(corpus, index_dir):
    first = kb_index.build(corpus, index_dir)
    (corpus / "notes.pdf").write_bytes(b"%PDF-1.4")
    assert not kb_index.build(corpus, index_dir).built
    assert kb_index.current_build(index_dir) == first.path


def test_ensure_builds_only_when_missing(corpus, index_dir):
    path = kb_index.ensure(corpus, index_dir)
    assert path == kb_index.current_build(index_dir)
    assert kb_index.ensure(corpus, index_dir) == path
    assert len(builds(index_dir)) == 1


# -- atomic publication -------------------------------------------------------------------


def test_current_is_a_relative_link_to_a_complete_build(corpus, index_dir):
    for _ in range(3):
        result = kb_index.build(corpus, index_dir, force=True)
        link = index_dir / kb_index.CURRENT
        assert link.is_symlink()
        target = os.readlink(link)
        assert not os.path.isabs(target) and index_dir / target == result.path
        assert_complete(result.path)
        assert leftovers(index_dir) == []
    assert len(builds(index_dir)) <= kb_index.KEEP_BUILDS


def test_current_build_ignores_an_incomplete_target(index_dir):
    index_dir.mkdir()
    (index_dir / "build-half").mkdir()
    os.symlink("build-half", index_dir / kb_index.CURRENT)
    assert kb_index.current_build(index_dir) is None
    assert kb_index.current_build(index_dir / "nowhere") is None


def _crash_after(monkeypatch, target, name, calls: int):
    original = getattr(target, name)
    count = {"n": 0}

    def failing(*args, **kwargs):
        count["n"] += 1
        if count["n"] > calls:
            raise RuntimeError("simulated crash mid-build")
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, failing)
    return count


@pytest.mark.parametrize(
    ("target", "name", "calls"),
    [(render, "to_markdown", 0), (writing.SegmentWriter, "add_document", 10)],
    ids=["after-the-documents", "mid-documents"],
)
def test_a_crash_mid_build_leaves_the_old_build_serving(corpus, index_dir, monkeypatch, target, name, calls):
    old = kb_index.build(corpus, index_dir).path
    before = set(index_dir.iterdir())
    reader = open_kb(index_dir)
    count = _crash_after(monkeypatch, target, name, calls)
    with pytest.raises(RuntimeError, match="simulated crash") as info:
        kb_index.build(corpus, index_dir, force=True)
    del info
    gc.collect()
    assert count["n"] > calls  # the build really got that far
    monkeypatch.undo()
    assert kb_index.current_build(index_dir) == old
    assert set(index_dir.iterdir()) == before  # no half-built directory, published or not
    assert leftovers(index_dir) == []
    assert open_kb(index_dir) is reader
    assert reader.search("submarine cables").hits[0].section == "7.1"
    # and the next build works
    assert kb_index.build(corpus, index_dir, force=True).built


def _open_files_under(directory: Path) -> list[str]:
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(directory)):
            found.append(target)
    return found


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_a_failed_build_closes_its_files(corpus, index_dir, monkeypatch):
    kb_index.build(corpus, index_dir)
    _crash_after(monkeypatch, writing.SegmentWriter, "add_document", 10)
    try:
        kb_index.build(corpus, index_dir, force=True)
    except RuntimeError as e:
        still_open = _open_files_under(index_dir)  # while the exception (and its frames) is alive
        del e
    gc.collect()
    assert still_open == []


def test_concurrent_readers_never_fail_during_rebuilds(seeds, index_dir):
    kb_index.build(seeds, index_dir, force=True)
    errors: list[BaseException] = []
    empty: list[str] = []
    done = threading.Event()
    searches = {"n": 0}
    seen: set[Path] = set()
    queries = ["submarine cables", "security", "green data centers", "6 (1)", "satelite"]

    def read() -> None:
        try:
            while searches["n"] < 200 or not done.is_set():
                q = queries[searches["n"] % len(queries)]
                reader = open_kb(index_dir)
                seen.add(reader.build_dir)
                result = reader.search(q)
                if not result.hits:
                    empty.append(q)
                build = kb_index.current_build(index_dir)
                if build is None or not (build / CATALOG).is_file():
                    empty.append(f"current is incomplete: {build}")
                searches["n"] += 1
                if searches["n"] > 5000:
                    break
        except BaseException as e:  # reported below
            errors.append(e)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    try:
        for _ in range(5):
            assert kb_index.build(seeds, index_dir, force=True).built
        during = searches["n"]
    finally:
        done.set()
        thread.join(timeout=60)
    assert not thread.is_alive()
    assert errors == []
    assert empty == []
    assert searches["n"] >= 200
    assert during > 0 and len(seen) >= 2  # the reader really ran during the rebuilds and followed them
    assert len(builds(index_dir)) <= kb_index.KEEP_BUILDS


# -- errors -----------------------------------------------------------------------------


def test_a_corpus_without_readable_files_is_an_error(tmp_path, index_dir):
    corpus = tmp_path / "junk"
    corpus.mkdir()
    (corpus / "blank.txt").write_text("  \n", encoding="utf-8")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02")
    (corpus / "prose.md").write_text("Just prose, no headings.\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="no readable notices") as info:
        kb_index.build(corpus, index_dir)
    assert "blank.txt" in str(info.value) and "\n" not in str(info.value)
    assert not index_dir.exists() or kb_index.current_build(index_dir) is None


def test_an_empty_corpus_is_an_error(tmp_path, index_dir):
    (tmp_path / "empty").mkdir()
    with pytest.raises(KnowledgeBaseError, match="no readable notices"):
        kb_index.build(tmp_path / "empty", index_dir)


def test_a_missing_corpus_is_an_error(tmp_path, index_dir):
    with pytest.raises(KnowledgeBaseError, match="not found"):
        kb_index.build(tmp_path / "nowhere", index_dir)


def test_an_index_dir_that_cannot_be_created_is_an_error(seeds, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match="cannot create index directory"):
        kb_index.build(seeds, blocker / "index")
    with pytest.raises(KnowledgeBaseError, match="cannot create index directory"):
        kb_index.build(seeds, blocker)


def test_opening_a_missing_index_is_an_error(tmp_path):
    with pytest.raises(KnowledgeBaseError, match="no index here"):
        open_kb(tmp_path / "never-built")


def test_a_build_in_several_processes_answers_as_one_in_a_single_process(library, tmp_path, monkeypatch):
    """Whoosh's multiprocessing writer (``kb index`` on a large corpus) makes the same index."""
    from kb.search import KnowledgeBase

    monkeypatch.setattr(kb_index, "PARALLEL_MIN_CHUNKS", 1)
    single = KnowledgeBase(kb_index.build(library, tmp_path / "one", procs=1).path)
    several = KnowledgeBase(kb_index.build(library, tmp_path / "two", procs=2).path)
    assert several.ix.doc_count() == single.ix.doc_count()
    for query in ("submarine cables", "data centres", "issuer:MIIT", "tidal", "6 (1)", "funds year:2024"):
        a, b = single.search(query, limit=50), several.search(query, limit=50)
        assert b.total == a.total and b.facets == a.facets, query
        # The same hits with the same scores, but for rounding: Whoosh's multiprocess writer copies each document's
        # field lengths as stored (one byte, lossy), so its length totals and the BM25 average drift by about 2%;
        # hits whose scores are that close may swap places.
        scores_a = {(h.notice.id, h.section, h.chunk.translation): h.score for h in a.hits}
        scores_b = {(h.notice.id, h.section, h.chunk.translation): h.score for h in b.hits}
        assert scores_b.keys() == scores_a.keys(), query
        for key, score in scores_a.items():
            assert scores_b[key] == pytest.approx(score, rel=0.03), (query, key)


def test_the_catalogs_dicts_hold_every_field_of_the_model():
    """The catalog writes metadata and sections field by field (for speed); a new field must not be left out."""
    from dataclasses import asdict, fields

    from kb.catalog import _metadata_dict
    from kb.models import Metadata, Section

    meta = Metadata("t", "n", "s", "2024-01-02", ["a"], "plan")
    assert _metadata_dict(meta) == asdict(meta)
    assert [f.name for f in fields(Section)] == ["id", "title", "parent", "body", "label", "title_derived"]
