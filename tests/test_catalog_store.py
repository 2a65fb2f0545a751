"""The catalog is a store read per request: opening it reads the listing only, outlines are read on demand into a
bounded cache, Markdown per request, damage is one line, and readers never write it."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from kb import catalog as kb_catalog
from kb import index as kb_index
from kb.catalog import CATALOG, FORMAT, Catalog, notice_dict
from kb.corpus import load_corpus
from kb.errors import IndexUnavailable
from kb.integrity import DamagedIndex
from kb.models import SectionId
from kb.render import to_markdown
from kb.search import KnowledgeBase

#: Tables holding what a page reads on demand: opening a catalog must not touch them.
ON_DEMAND = ("outlines", "sections", "markdown")


@pytest.fixture
def traced(monkeypatch) -> list[str]:
    """Every SQL statement run by connections opened from now on (SQLite's own trace callback)."""
    statements: list[str] = []
    real = sqlite3.connect

    def connect(*args, **kwargs):
        db = real(*args, **kwargs)
        db.set_trace_callback(statements.append)
        return db

    monkeypatch.setattr(sqlite3, "connect", connect)
    return statements


def _reads(statements: list[str], table: str) -> list[str]:
    """The statements that read ``table`` (a DELETE names it too, but reads nothing back)."""
    return [s for s in statements if s.startswith("SELECT") and f"FROM {table} " in s + " "]


def test_opening_reads_the_listing_only(library_index, traced):
    kb = KnowledgeBase(library_index)
    assert traced, "the trace callback saw nothing"
    for table in ON_DEMAND:
        assert not _reads(traced, table), table
    assert kb.catalog.outline_reads == 0 and kb.catalog.markdown_reads == 0
    # lists, filters, facets and a search's JSON need no outline either
    kb.list_notices(kb.filters(year="2024"))
    [n.summary() for n in kb.notices]
    result = kb.search("submarine cables", filters=kb.filters(issuer="Ministry of Industry and Information Technology"))
    assert result.hits and [h.to_json() for h in result.hits]
    for table in ON_DEMAND:
        assert not _reads(traced, table), table
    assert kb.catalog.outline_reads == 0


def test_a_notice_is_read_when_asked_for_and_markdown_per_request(library_index, library, traced):
    kb = KnowledgeBase(library_index)
    corpus = {n.id: n for n in load_corpus(library).notices}
    notice = kb.notice("miit-2024-165")
    assert kb.catalog.outline_reads == 1 and _reads(traced, "sections")
    # as the sources say, field by field; asking again (or through a listed notice) reads nothing more
    assert notice_dict(notice) == notice_dict(corpus[notice.id])
    assert kb.notices[[n.id for n in kb.notices].index(notice.id)] is notice
    assert kb.catalog.outline_reads == 1
    t = kb.translation(notice, "gmt")
    assert kb.markdown(notice, t) == to_markdown(corpus[notice.id], corpus[notice.id].translation("gmt"))
    kb.markdown(notice, t)
    assert kb.catalog.markdown_reads == 2  # not kept: a page renders it once


def test_every_notice_comes_back_as_indexed(library_index, library):
    kb = KnowledgeBase(library_index)
    corpus = load_corpus(library).notices
    assert [n.id for n in kb.catalog.notices] == [n.id for n in corpus]  # the corpus's order
    for n in corpus:
        assert notice_dict(kb.notice(n.id)) == notice_dict(n), n.id


def test_the_outline_cache_is_bounded(library_index, monkeypatch):
    monkeypatch.setattr(kb_catalog, "OUTLINE_CACHE", 2)
    catalog = Catalog.load(library_index)
    first, second, third = (n.id for n in catalog.notices[:3])
    for notice_id in (first, second, third):
        assert catalog.notice(notice_id).translations[0].outline.sections
    assert catalog.outline_reads == 3 and len(catalog._outlines) == 2
    catalog.notice(third)  # still held
    assert catalog.outline_reads == 3
    catalog.notice(first)  # let go of: read again
    assert catalog.outline_reads == 4 and len(catalog._outlines) == 2


def test_a_listed_notice_never_sees_an_empty_outline(library_index, monkeypatch):
    """Listed notices hold no outline; whatever asks for one gets the notice's own, even after it was let go of."""
    monkeypatch.setattr(kb_catalog, "OUTLINE_CACHE", 1)
    catalog = Catalog.load(library_index)
    a, b = catalog.notices[0], catalog.notices[1]
    expected = [s.id for s in catalog.notice(a.id).translations[0].outline.sections]
    catalog.notice(b.id)  # a is let go of
    assert expected and [s.id for s in a.translations[0].outline.sections] == expected
    assert a.section_ids and a.section_titles == catalog.notice(a.id).section_titles


def test_threads_share_the_store(library_index, monkeypatch):
    monkeypatch.setattr(kb_catalog, "OUTLINE_CACHE", 2)  # so that the threads keep reading, evicting each other
    catalog = Catalog.load(library_index)
    expected = {n.id: notice_dict(catalog.notice(n.id)) for n in catalog.notices}
    errors: list[BaseException] = []

    def read(k: int) -> None:
        try:
            for n in range(60):
                notice = catalog.notices[(k + n) % len(catalog.notices)]
                assert notice_dict(catalog.notice(notice.id)) == expected[notice.id]
                catalog.markdown(notice.id, notice.translations[0].name)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=read, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []


@pytest.mark.parametrize(
    "section", ["front", "1", "2", "6", "9", "40", "1.1", "2.1", "6.1", "6.3", "7.30", "3.2", "4.1", "8.9"]
)
def test_the_notices_with_a_section_are_found_without_reading_outlines(library_index, section):
    """The old /compare/<section> links: which notices have a section (the numbering's gaps included)."""
    catalog = Catalog.load(library_index)
    sid = SectionId(section)
    found = [n.id for n in catalog.with_section(sid)]
    assert catalog.outline_reads == 0
    assert found == [n.id for n in catalog.notices if sid in n.section_ids]


# -- damage ------------------------------------------------------------------------------------------------------


def _copy(build: Path, tmp_path: Path) -> Path:
    """A copy of a build's catalog alone, writable, in a directory of its own."""
    directory = tmp_path / "build"
    directory.mkdir()
    shutil.copyfile(build / CATALOG, directory / CATALOG)
    return directory


def _drop_table(path: Path, table: str) -> None:
    db = sqlite3.connect(path)
    db.execute(f"DROP TABLE {table}")
    db.commit()
    db.close()


def _set_format(path: Path, value: str) -> None:
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = ? WHERE key = 'format'", (value,))
    db.commit()
    db.close()


DAMAGE = {
    "missing": (lambda p: p.unlink(), "catalog.sqlite is missing"),
    "empty": (lambda p: p.write_bytes(b""), "is not a SQLite database"),
    "garbage": (lambda p: p.write_bytes(b"{" + bytes(range(256)) * 64), "is not a SQLite database"),
    "the old JSON": (lambda p: p.write_text('{"fingerprint": "x", "notices": []}'), "is not a SQLite database"),
    "truncated": (lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]), "bytes, its header says"),
    "cut by a page": (lambda p: p.write_bytes(p.read_bytes()[:-4096]), "bytes, its header says"),
    "no sections table": (lambda p: _drop_table(p, "sections"), "lacks the table sections"),
    "no notices table": (lambda p: _drop_table(p, "notices"), "lacks the table notices"),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_a_damaged_catalog_is_one_line_at_open(library_index, tmp_path, case):
    how, expected = DAMAGE[case]
    directory = _copy(library_index, tmp_path)
    how(directory / CATALOG)
    with pytest.raises(DamagedIndex) as info:
        Catalog.load(directory)
    message = str(info.value)
    assert expected in message and "damaged" in message and "run `kb index`" in message
    assert "\n" not in message


@pytest.mark.parametrize("tables", ["as they were", "one missing"])
def test_a_catalog_of_another_version_says_so_rather_than_damaged(library_index, tmp_path, tables):
    """A store written by an earlier version (another format, and without this version's tables) is not damaged."""
    directory = _copy(library_index, tmp_path)
    _set_format(directory / CATALOG, "0")
    if tables == "one missing":
        _drop_table(directory / CATALOG, "received")
    with pytest.raises(IndexUnavailable) as info:
        Catalog.load(directory)
    message = str(info.value)
    assert not isinstance(info.value, DamagedIndex) and "damaged" not in message
    assert f"format 0, this version reads format {FORMAT}" in message and "run `kb index`" in message
    assert "\n" not in message


def test_a_catalog_that_fails_after_opening_is_one_line_and_stays_failed(library_index, tmp_path):
    """Pages SQLite reads only later (a notice's sections) are damaged: that request, and the next, say so."""
    directory = _copy(library_index, tmp_path)
    path = directory / CATALOG
    catalog = Catalog.load(directory)
    db = sqlite3.connect(path)
    (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'sections'").fetchone()
    (page_size,) = db.execute("PRAGMA page_size").fetchone()
    db.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size : root * page_size] = b"\xa5" * page_size  # the table's root page, overwritten
    path.write_bytes(bytes(data))
    for _ in range(2):
        with pytest.raises(DamagedIndex, match=r"catalog.sqlite cannot be read \(.*\); run `kb index`"):
            catalog.notice(catalog.notices[0].id)


def test_a_build_whose_catalog_changed_is_refused_by_its_seal_on_failure(seeds_dir, tmp_path):
    """In a sealed build, a failure to read the catalog checks its digest, which names the cause."""
    index_dir = tmp_path / "index"
    build = kb_index.build(seeds_dir, index_dir).path
    kb = KnowledgeBase(build)
    path = build / CATALOG
    path.chmod(0o644)
    db = sqlite3.connect(path)
    (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'sections'").fetchone()
    (page_size,) = db.execute("PRAGMA page_size").fetchone()
    db.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size : root * page_size] = b"\xa5" * page_size
    path.write_bytes(bytes(data))
    with pytest.raises(IndexUnavailable, match="catalog.sqlite is not the file that was written"):
        kb.notice()
    assert kb_index.build(seeds_dir, index_dir).repaired  # and kb index rebuilds it


# -- readers never write -----------------------------------------------------------------------------------------


def _state(build: Path) -> dict[str, tuple]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns, p.stat().st_ino) for p in build.iterdir()}


def test_the_web_never_writes_the_build(library, tmp_path):
    from web import create_app

    index_dir = tmp_path / "index"
    build = kb_index.build(library, index_dir).path
    before = _state(build)
    client = create_app({"TESTING": True, "KB_INDEX": index_dir, "KB_CORPUS": library}).test_client()
    for url in (
        "/",
        "/search?q=data+centres",
        "/notices/miit-2024-165/",
        "/notices/miit-2024-165/full",
        "/notices/miit-2024-165/full/6.1",
        "/notices/miit-2024-165/compare/6.1",
        "/api/notices",
        "/api/search?q=cables",
        "/compare/7.1",
    ):
        assert client.get(url).status_code in (200, 301, 404), url
    assert _state(build) == before  # no file changed, none added (no journal, no -wal or -shm beside it)
    kb = client.application.extensions["policy_kb"].get()
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        kb.catalog._db.execute("CREATE TABLE t (x)")


# -- updates -----------------------------------------------------------------------------------------------------


def test_an_updated_catalog_holds_what_a_full_build_would(library, tmp_path, traced, monkeypatch):
    monkeypatch.setattr(kb_index, "MAX_UPDATED_SHARE", 0.5)  # two notices of the library's five, one of them new
    corpus = tmp_path / "corpus"
    shutil.copytree(library, corpus)
    index_dir = tmp_path / "index"
    kb_index.build(corpus, index_dir)
    path = corpus / "ndrc-2023-green-data-centres.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("data centres", "data centres and anemometers", 1))
    (corpus / "wind.txt").write_text(
        "Notice on Anemometers at Coastal Stations\nXYZ [2022] No. 9\n2022-05-01\n1. General\nEvery station.\n",
        encoding="utf-8",
    )
    traced.clear()
    result = kb_index.build(corpus, index_dir)
    assert result.changed and len(result.changed) == 2
    # the unchanged notices' Markdown was neither read back nor rendered again: the rows were copied
    assert not _reads(traced, "markdown")
    updated = Catalog.load(result.path)
    full = Catalog.load(kb_index.build(corpus, tmp_path / "full", force=True).path)
    assert [n.id for n in updated.notices] == [n.id for n in full.notices]
    assert updated.digests() == full.digests()
    for n in full.notices:
        assert notice_dict(updated.notice(n.id)) == notice_dict(full.notice(n.id)), n.id
        for t in n.translations:
            assert updated.markdown(n.id, t.name) == full.markdown(n.id, t.name), (n.id, t.name)
