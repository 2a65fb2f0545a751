"""What a ranking signal costs a search: the same searches with and without it, in one run.

Usage (from the repository root)::

    python benchmarks/ranking_cost.py [--signal coverage|proximity] [--index DIR] [--queries PATH] [--runs N]

Signals: ``coverage`` (kb/coverage.py: which words of the query each match
has) and ``proximity`` (kb/query.py: neighbouring words searched as near
phrases).

``--index`` is a built index directory (``kb index``, or one that
``benchmarks/scale.py`` keeps under its work directory, e.g.
``/tmp/policy-kb-scale/index-50000``); without it the seeds are indexed into a
temporary directory. Every query of the judged set is searched ``--runs``
times in each mode, the modes interleaved query by query so that the
machine's load falls on both alike; the figure is the median over queries of
each query's median thread CPU time. The baseline is the same engine with
the signal switched off, measured in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import kb.query as kb_query  # noqa: E402
import kb.search as kb_search  # noqa: E402
from kb import index as kb_index  # noqa: E402


def _switches(signal: str) -> dict:
    """Per mode, a function that sets the engine up for it."""
    if signal == "coverage":
        kept = kb_search._coverage

        def coverage(on: bool) -> None:
            kb_search._coverage = kept if on else (lambda searcher, prepared: None)

        return {f"with {signal}": lambda: coverage(True), "without (baseline)": lambda: coverage(False)}
    kept_pairs = kb_query.MAX_PROXIMITY_PAIRS

    def proximity(on: bool) -> None:
        kb_query.MAX_PROXIMITY_PAIRS = kept_pairs if on else 0

    return {f"with {signal}": lambda: proximity(True), "without (baseline)": lambda: proximity(False)}


DEFAULT_QUERIES = ROOT.parent / "shared" / "queries" / "public.tsv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", type=Path, default=None, help="a built index directory (default: the seeds)")
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--signal", choices=("coverage", "proximity"), default="coverage")
    args = parser.parse_args()
    rows = [line.split("\t") for line in args.queries.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    queries = [row[2] for row in rows]
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = args.index or kb_index.build(ROOT / "seeds", Path(tmp) / "index").path.parent
        kb = kb_search.open_kb(index_dir)
        modes = _switches(args.signal)
        times: dict[str, dict[str, list[float]]] = {mode: {q: [] for q in queries} for mode in modes}
        for q in queries:  # warm: postings, lengths and columns read once
            kb.search(q)
        for _ in range(args.runs):
            for q in queries:
                for mode, switch in modes.items():
                    switch()
                    start = time.thread_time()
                    kb.search(q)
                    times[mode][q].append(time.thread_time() - start)
        next(iter(modes.values()))()  # as it was
        with kb.searcher() as searcher:
            sections = searcher.doc_count()
    print(f"{len(queries)} queries, {args.runs} runs each, {sections:,} sections ({index_dir})\n")
    print("| mode | median ms | mean ms |\n| --- | --: | --: |")
    medians = {}
    for mode, per_query in times.items():
        each = [statistics.median(v) for v in per_query.values()]
        medians[mode] = statistics.median(each)
        print(f"| {mode} | {1000 * medians[mode]:.1f} | {1000 * statistics.mean(each):.1f} |")
    with_, without = medians.values()
    print(f"\nratio with/without: {with_ / without:.2f}")


if __name__ == "__main__":
    main()
