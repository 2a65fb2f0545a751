"""One Whoosh searcher per published build, shared by every search, and a budget that counts a search's own work.

Opening a searcher loads the segment into memory, so one per request made
memory grow with the requests in flight; the budget counted wall time from
before the searcher was taken, so a search that waited for others could be cut
short by their load.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

from kb import index as kb_index
from kb import search as kb_search
from kb.search import Follower, KnowledgeBase

QUERIES = ["submarine cables", "data centres", "issuer:MIIT security", "tidal", "6 (1)", "secur*", "funds year:2024"]


def _answers(kb: KnowledgeBase) -> list[tuple]:
    out = []
    for q in QUERIES:
        result = kb.search(q, limit=20)
        out.append((result.total, [(h.notice.id, h.section, h.chunk.translation) for h in result.hits], result.facets))
    return out


def test_searches_share_one_searcher_per_build(library_index: Path):
    kb = KnowledgeBase(library_index)
    with kb.searcher() as first:
        pass
    kb.search("submarine cables")
    with kb.searcher() as again:
        assert again is first
    kb.close()


def test_concurrent_searches_answer_as_sequential_ones(library_index: Path):
    kb = KnowledgeBase(library_index)
    expected = _answers(kb)
    results: list[list[tuple]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            for _ in range(5):
                results.append(_answers(kb))
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 40 and all(r == expected for r in results)


def test_waiting_for_the_searcher_does_not_count_against_a_search(library_index: Path):
    """A search that waits longer than its whole budget for another search is still searched in full."""
    kb = KnowledgeBase(library_index)
    done: list = []
    with kb.searcher():  # another search holds the searcher for longer than TIME_LIMIT
        worker = threading.Thread(target=lambda: done.append(kb.search("submarine cables OR data centres")))
        worker.start()
        time.sleep(kb_search.TIME_LIMIT + 0.2)
    worker.join()
    (result,) = done
    assert not result.timed_out and result.total > 0


def test_the_budget_counts_the_searching_threads_cpu_time():
    assert kb_search.SEARCH_CLOCK is time.thread_time


def test_a_rebuild_closes_the_old_searcher_and_a_late_search_on_the_old_build_still_works(
    library: Path, tmp_path: Path
):
    corpus = tmp_path / "corpus"
    shutil.copytree(library, corpus)
    index_dir = tmp_path / "index"
    kb_index.build(corpus, index_dir)
    follower = Follower(index_dir)
    old = follower.get()
    before = old.search("tidal").total
    (corpus / "extra.txt").write_text("Notice on Tidal Power\nXYZ [2022] No. 9\n1. General\nTidal power.\n")
    kb_index.build(corpus, index_dir)
    new = follower.get()
    assert new is not old and "xyz-2022-9" in new.search("tidal").facets["notice"]
    assert old.search("tidal").total == before  # a request that took the old build just before the swap
