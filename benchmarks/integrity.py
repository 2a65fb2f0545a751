"""What the index's seal costs: sealing at build time, checking at open, the per-request check.

Usage (from the repository root)::

    python benchmarks/integrity.py [--sizes 1000,10000] [--runs 7]

For each size a synthetic corpus (benchmarks/synthetic.py) is indexed once.
Then, in this process and on the same build:

* build: CPU seconds of the whole ``kb index`` build, of the sealing step
  within it (digests of every file), and of an SQLite FTS5 table over the
  same chunks, for scale;
* open: median milliseconds to open the knowledge base with the checks
  (``KnowledgeBase(build)``: sizes of every file, digests of those read whole)
  and without them (the same with the checks switched off), and a full check
  of every digest (what ``kb index`` does);
* request: microseconds of the check a running site makes per request
  (``Seal.stamp``: one ``lstat`` per file).

Figures are medians of ``--runs`` runs, CPU time where it says so.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from relevance import Fts5Baseline
from synthetic import generate

from kb import index as kb_index
from kb import integrity
from kb import search as kb_search
from kb.corpus import load_corpus


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cpu(fn) -> tuple[float, object]:
    start = time.process_time()
    value = fn()
    return time.process_time() - start, value


def measure(sections: int, runs: int, work: Path) -> dict:
    corpus = work / f"corpus-{sections}"
    generate(corpus, sections)
    index_dir = work / f"index-{sections}"

    sealing = []
    real_seal = integrity.seal

    def timed_seal(*args, **kwargs):
        start = time.process_time()
        try:
            return real_seal(*args, **kwargs)
        finally:
            sealing.append(time.process_time() - start)

    integrity.seal = timed_seal
    try:
        build_cpu, result = cpu(lambda: kb_index.build(corpus, index_dir, force=True))
    finally:
        integrity.seal = real_seal
    build = result.path
    fts_cpu, _ = cpu(lambda: Fts5Baseline(load_corpus(corpus).chunks()))
    size = sum(p.stat().st_size for p in build.iterdir())

    checked = median_ms(lambda: kb_search.KnowledgeBase(build), runs)
    real_verify = integrity.verify
    integrity.verify = lambda build_dir, full=False: integrity.read_seal(build_dir)
    try:
        unchecked = median_ms(lambda: kb_search.KnowledgeBase(build), runs)
    finally:
        integrity.verify = real_verify
    full = median_ms(lambda: integrity.verify(build, full=True), runs)
    seal = integrity.read_seal(build)
    stamp_us = median_ms(lambda: [seal.stamp(build) for _ in range(100)], runs) * 10
    return {
        "sections": result.chunks,
        "mb": size / 1e6,
        "build_cpu": build_cpu,
        "seal_cpu": sealing[0],
        "fts_cpu": fts_cpu,
        "open_checked": checked,
        "open_unchecked": unchecked,
        "full": full,
        "stamp_us": stamp_us,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated section counts")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="kb-integrity-") as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            rows.append(measure(n, args.runs, Path(tmp)))
            print(f"measured {n} sections", file=sys.stderr)
    print(
        "| sections | build MB | build CPU s | sealing CPU s (share) | FTS5 build CPU s "
        "| open ms, checked | open ms, unchecked | ratio | full check ms | per-request check µs |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['sections']:,} | {r['mb']:.1f} | {r['build_cpu']:.2f} | {r['seal_cpu']:.3f} "
            f"({r['seal_cpu'] / r['build_cpu']:.1%}) | {r['fts_cpu']:.2f} | {r['open_checked']:.1f} "
            f"| {r['open_unchecked']:.1f} | {r['open_checked'] / r['open_unchecked']:.2f}× | {r['full']:.1f} "
            f"| {r['stamp_us']:.0f} |"
        )


if __name__ == "__main__":
    main()
