"""Searches from many threads of one process (as ``kb serve``'s worker threads make them), next to FTS5.

Usage (from the repository root)::

    python benchmarks/concurrency.py --corpus DIR [--index DIR] [--threads 16] [--searches 8]

``--corpus`` is a corpus directory (``python benchmarks/synthetic.py DIR
--sections 10000`` writes one); the index is built in ``--index`` (or a
temporary directory) if it is not there yet. Every thread runs ``--searches``
broad queries through ``KnowledgeBase.search``; the figures are searches per
second, median and 99th-percentile latency, how many searches were cut short
by their budget, and the process's peak resident memory. The baseline runs
the same queries from as many threads, each with its own connection to an
FTS5 database of the same chunks (top 10 by bm25 and the per-notice counts).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import threading
import time
from pathlib import Path

# benchmarks/ is on sys.path when this file is run as a script
from processes import memory_mb
from relevance import fts_query

from kb import index
from kb.corpus import load_corpus
from kb.search import KnowledgeBase

QUERIES = [
    "grading sensitive data and protecting it by tier",
    "algorithm model platforms",
    "secur*",
    "green data centers",
    "coastal waters coverage",
]


def peak_rss_mb() -> int:
    return int(memory_mb(os.getpid())[1])


def hammer(search, threads: int, searches: int) -> dict:
    """Run ``search(query) -> cut_short`` from ``threads`` threads; latency figures and how many were cut."""
    latencies: list[float] = []
    cut = [0]
    lock = threading.Lock()

    def run() -> None:
        for i in range(searches):
            start = time.perf_counter()
            was_cut = search(QUERIES[i % len(QUERIES)])
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                cut[0] += was_cut

    workers = [threading.Thread(target=run) for _ in range(threads)]
    start = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    wall = time.perf_counter() - start
    latencies.sort()
    return {
        "rate": len(latencies) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000,
        "cut": cut[0],
        "n": len(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index", type=Path, default=None)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--searches", type=int, default=8, help="searches per thread")
    args = parser.parse_args()
    index_dir = args.index or Path(tempfile.mkdtemp()) / "index"
    kb = KnowledgeBase(index.build(args.corpus, index_dir).path)
    kb.search("warm up")

    engine = hammer(lambda q: kb.search(q).timed_out, args.threads, args.searches)
    engine_rss = peak_rss_mb()

    db = Path(tempfile.mkdtemp()) / "fts.db"
    setup = sqlite3.connect(db)
    setup.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, body, notice UNINDEXED, section UNINDEXED, tokenize='porter')"
    )
    setup.executemany(
        "INSERT INTO t VALUES (?, ?, ?, ?)",
        [(c.title or "", c.body, c.notice, c.section) for c in load_corpus(args.corpus).chunks()],
    )
    setup.commit()
    setup.close()
    local = threading.local()

    def fts(q: str) -> bool:
        if not hasattr(local, "db"):
            local.db = sqlite3.connect(db)
        match = fts_query(q)
        local.db.execute("SELECT notice, section FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 10", (match,)).fetchall()
        local.db.execute("SELECT notice, count(*) FROM t WHERE t MATCH ? GROUP BY notice", (match,)).fetchall()
        return False

    baseline = hammer(fts, args.threads, args.searches)
    print(f"{args.threads} threads x {args.searches} searches, {len(kb.notices)} notices\n")
    print("| system | searches/s | p50 ms | p99 ms | cut short | peak RSS MB |")
    print("| --- | --: | --: | --: | --: | --: |")
    e, b = engine, baseline
    print(f"| engine | {e['rate']:.1f} | {e['p50']:.0f} | {e['p99']:.0f} | {e['cut']}/{e['n']} | {engine_rss} |")
    print(f"| FTS5 | {b['rate']:.1f} | {b['p50']:.0f} | {b['p99']:.0f} | - | {peak_rss_mb()} (with the engine's) |")


if __name__ == "__main__":
    main()
