"""Search across many notices: facets over every match, filters and the date order, next to SQLite FTS5.

Usage (from the repository root)::

    python benchmarks/notices.py [--sizes 1000,10000,50000] [--runs 7] [--queries PATH]

For each size, a synthetic corpus (benchmarks/synthetic.py: issuing bodies,
kinds and years vary) is indexed, and every query of the public set is run
three ways through ``KnowledgeBase.search``: plain (ranked, with the counts
by notice, issuing body, year, type and translation over every match), with
an issuing-body filter, and in date order. The baseline is an FTS5 table of
the same chunks (porter stemmer, bm25) answering the same question: the top
10 by bm25, plus the number of matching sections in each notice (GROUP BY)
and in all, which is what the engine's total and notice facet report.
Figures are medians in milliseconds of wall time per query (the machine is
shared and noisy: compare the ratio in the same run, not the absolute times),
and the CPU seconds of building the index (cleaning and outlining included)
next to those of filling the FTS5 table from the already outlined chunks.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

# benchmarks/ is on sys.path when this file is run as a script
from relevance import DEFAULT_QUERIES, fts_query, load_queries
from synthetic import generate

from kb import index
from kb.corpus import load_corpus
from kb.errors import KnowledgeBaseError
from kb.search import KnowledgeBase

DEFAULT_SIZES = (1000, 10_000, 50_000)


class Fts5Facets:
    """The chunks in an FTS5 table with their notice, answering top-10 and per-notice counts."""

    def __init__(self, chunks) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE t USING fts5(title, parent_title, body, notice UNINDEXED, "
            "translation UNINDEXED, section UNINDEXED, tokenize='porter')"
        )
        self.db.executemany(
            "INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)",
            [(c.title or "", c.parent_title or "", c.body, c.notice, c.translation, c.section) for c in chunks],
        )
        self.db.commit()

    def search(self, text: str) -> int:
        match = fts_query(text)
        if not match:
            return 0
        try:
            self.db.execute("SELECT notice, section FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 10", (match,))
            counts = self.db.execute(
                "SELECT notice, count(DISTINCT section) FROM t WHERE t MATCH ? GROUP BY notice", (match,)
            ).fetchall()
        except sqlite3.Error:
            return 0
        return sum(n for _, n in counts)


def median_ms(fn, queries: list[str], runs: int) -> float:
    per_query = []
    for q in queries:
        fn(q)  # warm-up
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - start) * 1000)
        per_query.append(statistics.median(times))
    return statistics.median(per_query)


def measure(size: int, queries: list[str], runs: int, work: Path) -> dict:
    corpus = work / f"corpus-{size}"
    generate(corpus, size)
    start = time.process_time()
    build = index.build(corpus, work / f"index-{size}").path
    build_cpu = time.process_time() - start
    kb = KnowledgeBase(build)
    chunks = load_corpus(corpus).chunks()
    start = time.process_time()
    fts = Fts5Facets(chunks)
    fts_cpu = time.process_time() - start
    issuer = next(iter(kb.list_notices().facets["issuer"]))
    by_issuer = kb.filters(issuer=issuer)

    def engine(filters=None, sort="relevance"):
        def run(q: str) -> int:
            try:
                return kb.search(q, filters=filters, sort=sort).total
            except KnowledgeBaseError:
                return 0

        return run

    return {
        "size": len(chunks),
        "notices": len(kb.notices),
        "engine": median_ms(engine(), queries, runs),
        "issuer": median_ms(engine(by_issuer), queries, runs),
        "date": median_ms(engine(sort="date"), queries, runs),
        "fts5": median_ms(fts.search, queries, runs),
        "build": build_cpu,
        "fts5 build": fts_cpu,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="sections, comma-separated")
    parser.add_argument("--runs", type=int, default=7, help="runs per query after a warm-up (median)")
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    args = parser.parse_args(argv)
    queries = [q.text for q in load_queries(args.queries)]
    print(f"{len(queries)} queries, median of per-query medians over {args.runs} runs (wall ms)\n")
    print(
        "| sections | notices | engine | + issuer filter | date order | FTS5 top 10 + counts | ratio "
        "| build CPU s | FTS5 insert CPU s |"
    )
    print("| --: | --: | --: | --: | --: | --: | --: | --: | --: |")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            r = measure(size, queries, args.runs, Path(tmp))
            print(
                f"| {r['size']:,} | {r['notices']:,} | {r['engine']:.1f} | {r['issuer']:.1f} | {r['date']:.1f} "
                f"| {r['fts5']:.1f} | {r['engine'] / max(r['fts5'], 1e-9):.1f}x "
                f"| {r['build']:.1f} | {r['fts5 build']:.1f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
