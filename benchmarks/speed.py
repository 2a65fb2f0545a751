"""Speed benchmark: search latency in-process and as a fresh `kb search` process.

Usage (from the repository root)::

    python benchmarks/speed.py [--queries PATH] [--index DIR] [--runs N] [--cli-runs N]

In-process, every query of the public set plus a few syntax cases (a phrase,
a prefix, a fuzzy term, a citation, a malformed query) goes through
``KnowledgeBase.search`` (snippets included, as the engine always builds
them) after a warm-up; the SQLite FTS5 baseline of benchmarks/relevance.py
runs the same queries in the same process as a reference. Then
``kb --index DIR search QUERY --json`` is started afresh for a few queries,
next to a bare ``python -c pass`` so the interpreter's own start-up cost is
visible. Targets: in-process median < 5 ms, CLI median < 300 ms.

Search by meaning (kb.semantic, when the semantic extra is installed) is
measured in the same run: CPU time per query with and without it (the same
build, interleaved), a full scan of every section's vector (what a query
that adds sections by meaning alone costs), and full builds with and without
it (``--build-runs`` each, interleaved). Targets: at most 2 ms more per query,
at most 20% more build time.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

# benchmarks/ is on sys.path when this file is run as a script
from relevance import DEFAULT_CORPUS, DEFAULT_QUERIES, Fts5Baseline, load_queries, resolve_build

IN_PROCESS_TARGET_MS = 5.0
CLI_TARGET_MS = 300.0
EXTRA_QUERIES = ['"new information infrastructure"', "secur*", "satelite~2", "6 (1)", '"unbalanced (']
CLI_QUERIES = ["green data centers", '"dual gigabit"', "who approves international submarine cables?"]
SEMANTIC_QUERY_TARGET_MS = 2.0
SEMANTIC_BUILD_TARGET = 0.20


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def stats(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), percentile(values, 95)


def time_calls(fn, queries: list[str], runs: int) -> dict[str, list[float]]:
    """Milliseconds per call, per query; one warm-up call each, then queries interleaved ``runs`` times."""
    for q in queries:
        fn(q)
    times: dict[str, list[float]] = {q: [] for q in queries}
    for _ in range(runs):
        for q in queries:
            start = time.perf_counter()
            fn(q)
            times[q].append((time.perf_counter() - start) * 1000)
    return times


def kb_command() -> list[str]:
    """The `kb` entry point next to this interpreter, else on PATH, else ``python -m kb.cli``."""
    beside = Path(sys.executable).parent / "kb"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("kb")
    return [found] if found else [sys.executable, "-m", "kb.cli"]


def wall_ms(cmd: list[str], runs: int, ok=(0,)) -> tuple[list[float], str | None]:
    """Wall-clock milliseconds of ``runs`` fresh processes (after one untimed warm-up), or an error."""
    times = []
    for n in range(runs + 1):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        elapsed = (time.perf_counter() - start) * 1000
        if proc.returncode not in ok:
            detail = (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
            return times, detail
        if n:
            times.append(elapsed)
    return times, None


def table(header: list[str], rows: list[list[str]]) -> str:
    aligns = ["---"] + ["--:"] * (len(header) - 1)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def cell(query: str) -> str:
    return "`" + query.replace("|", "\\|") + "`"


def verdict(value: float, target: float) -> str:
    return "yes" if value < target else "**no**"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES, help=f"query set (default: {DEFAULT_QUERIES})")
    parser.add_argument("--index", type=Path, default=None, help="existing index directory (default: a temporary one)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus directory (default: seeds/)")
    parser.add_argument("--runs", type=int, default=50, help="in-process runs per query (default: 50)")
    parser.add_argument("--cli-runs", type=int, default=15, help="fresh processes per CLI query (default: 15)")
    parser.add_argument(
        "--build-runs", type=int, default=3, help="full builds with and without search by meaning (default: 3)"
    )
    args = parser.parse_args(argv)

    from kb.corpus import load_corpus
    from kb.search import KnowledgeBase

    queries = [q.text for q in load_queries(args.queries)] + EXTRA_QUERIES
    with ExitStack() as stack:
        start = time.perf_counter()
        build_dir = resolve_build(args.index, args.corpus, stack)
        build_s = time.perf_counter() - start
        index_dir = build_dir.parent

        # -- in-process ------------------------------------------------------
        kb = KnowledgeBase(build_dir)
        fts = Fts5Baseline(load_corpus(args.corpus).chunks())
        engine_t = time_calls(lambda q: kb.search(q, limit=10), queries, args.runs)
        fts_t = time_calls(fts.rank, queries, args.runs)

        built = "built" if args.index is None else "opened"
        print(f"Speed: index {built} in {build_s:.2f} s ({build_dir.name}); Python {sys.version.split()[0]}.")
        print()
        print(f"In-process search, {args.runs} runs per query after a warm-up (ms; engine with snippets, limit 10):")
        print()
        rows = []
        for q in queries:
            em, ep = stats(engine_t[q])
            fm, fp = stats(fts_t[q])
            rows.append([cell(q), f"{em:.2f}", f"{ep:.2f}", f"{fm:.2f}", f"{fp:.2f}"])
        all_e = [t for ts in engine_t.values() for t in ts]
        all_f = [t for ts in fts_t.values() for t in ts]
        em, ep = stats(all_e)
        fm, fp = stats(all_f)
        rows.append([f"**all {len(queries)} queries**", f"**{em:.2f}**", f"{ep:.2f}", f"{fm:.2f}", f"{fp:.2f}"])
        print(table(["query", "engine median", "engine p95", "FTS5 median", "FTS5 p95"], rows))
        print()
        print(
            f"Target: in-process median < {IN_PROCESS_TARGET_MS:g} ms. "
            f"Engine median {em:.2f} ms, p95 {ep:.2f} ms: met {verdict(em, IN_PROCESS_TARGET_MS)}."
        )

        semantic_report(kb, build_dir, queries, args)

        # -- fresh process ---------------------------------------------------
        kb_cmd = kb_command()
        print()
        shown = "kb" if len(kb_cmd) == 1 else "python -m kb.cli"
        print(
            f"Fresh process, {args.cli_runs} runs each after a warm-up (wall ms): "
            f"`{shown} --index DIR search QUERY --json`"
        )
        print()
        base, _ = wall_ms([sys.executable, "-c", "pass"], args.cli_runs)
        bm, bp = stats(base)
        rows = [["`python -c pass` (interpreter start-up)", f"{bm:.1f}", f"{bp:.1f}", ""]]
        cli_all: list[float] = []
        errors = []
        for q in CLI_QUERIES:
            # exit status 1 is "no results", still a completed search
            times, error = wall_ms([*kb_cmd, "--index", str(index_dir), "search", q, "--json"], args.cli_runs, (0, 1))
            if error:
                errors.append(f"`kb search {q}` failed: {error}")
                rows.append([f"`kb search` {cell(q)}", "n/a", "n/a", "error"])
                continue
            cli_all += times
            m, p = stats(times)
            rows.append([f"`kb search` {cell(q)}", f"{m:.1f}", f"{p:.1f}", verdict(m, CLI_TARGET_MS)])
        if cli_all:
            m, p = stats(cli_all)
            rows.append(["**all CLI runs**", f"**{m:.1f}**", f"{p:.1f}", verdict(m, CLI_TARGET_MS)])
        print(table(["command", "median", "p95", f"< {CLI_TARGET_MS:g} ms"], rows))
        print()
        if cli_all:
            m, _ = stats(cli_all)
            print(
                f"Target: CLI median < {CLI_TARGET_MS:g} ms. Median {m:.1f} ms "
                f"(of which ~{bm:.0f} ms is interpreter start-up): met {verdict(m, CLI_TARGET_MS)}."
            )
        for e in errors:
            print(f"Note: {e}")
    return 0


def cpu_ms(fn, queries: list[str], runs: int) -> dict[str, list[float]]:
    """CPU milliseconds of the calling thread per call (time.thread_time), per query, after a warm-up."""
    for q in queries:
        fn(q)
    times: dict[str, list[float]] = {q: [] for q in queries}
    for _ in range(runs):
        for q in queries:
            start = time.thread_time()
            fn(q)
            times[q].append((time.thread_time() - start) * 1000)
    return times


def semantic_report(kb, build_dir: Path, queries: list[str], args) -> None:
    """What search by meaning adds: CPU per query (with and without, interleaved), a full scan, a full build."""
    import tempfile

    from kb import index as kb_index
    from kb import semantic
    from kb.search import KnowledgeBase

    print()
    vectors = semantic.vectors_of(kb, kb.ix.reader())
    if vectors is None:
        print(f"Search by meaning: off in this run ({semantic.unavailable() or 'the build has no vectors'}).")
        return
    lexical = KnowledgeBase(build_dir)
    semantic.disable(lexical)
    both: dict[str, dict[str, list[float]]] = {"with": {q: [] for q in queries}, "without": {q: [] for q in queries}}
    for _ in range(max(1, args.runs // 10)):  # interleaved in blocks, so that both see the same machine
        for name, engine in (("with", kb), ("without", lexical)):
            for q, ts in cpu_ms(lambda q, e=engine: e.search(q, limit=10), queries, 10).items():
                both[name][q] += ts
    with_all = [t for ts in both["with"].values() for t in ts]
    without_all = [t for ts in both["without"].values() for t in ts]
    wm, wp = stats(with_all)
    om, op = stats(without_all)
    added = statistics.median(
        statistics.median(both["with"][q]) - statistics.median(both["without"][q]) for q in queries
    )
    inside: list[float] = []  # CPU of the blend itself, the same searches once more
    blend = semantic.blend

    def timed_blend(*args, **kwargs) -> None:
        start = time.thread_time()
        blend(*args, **kwargs)
        inside.append((time.thread_time() - start) * 1000)

    semantic.blend = timed_blend
    try:
        for _ in range(max(1, args.runs // 10)):
            for q in queries:
                kb.search(q, limit=10)
    finally:
        semantic.blend = blend
    load = subprocess.run(
        [
            sys.executable,
            "-c",
            "import time; t = time.process_time(); from kb import semantic; semantic.model(); "
            "print((time.process_time() - t) * 1000)",
        ],
        capture_output=True,
        text=True,
    )
    query = semantic.model().embed_query("cutting power consumption at cell sites")
    scan = []
    for _ in range(50):
        start = time.thread_time()
        vectors.matrix @ query
        scan.append((time.thread_time() - start) * 1000)
    rows = [
        ["search, with meaning (CPU ms)", f"{wm:.2f}", f"{wp:.2f}"],
        ["search, words only (CPU ms)", f"{om:.2f}", f"{op:.2f}"],
        ["added per query (median of per-query differences)", f"{added:.2f}", ""],
        ["in kb.semantic.blend per search (CPU ms)", f"**{stats(inside)[0]:.2f}**", f"{stats(inside)[1]:.2f}"],
        ["loading the model in a fresh process (CPU ms)", f"{float(load.stdout or 'nan'):.0f}", ""],
        [f"full scan of {vectors.matrix.shape[0]} vectors (CPU ms)", f"{statistics.median(scan):.2f}", ""],
    ]
    print(f"Search by meaning ({semantic.model_id()}), CPU time per search, same build, interleaved:")
    print()
    print(table(["", "median", "p95"], rows))
    print()
    spent = stats(inside)[0]
    print(
        f"Target: at most {SEMANTIC_QUERY_TARGET_MS:g} ms more per query. Blend median {spent:.2f} ms: "
        f"met {verdict(spent, SEMANTIC_QUERY_TARGET_MS + 1e-9)}."
    )

    def build_once(off: bool) -> tuple[float, float]:
        with tempfile.TemporaryDirectory(prefix="kb-speed-") as tmp:
            before, start = os.times(), time.perf_counter()
            if off:
                with semantic.switched_off():
                    kb_index.build(args.corpus, Path(tmp), force=True, procs=kb_index.build_processes())
            else:
                kb_index.build(args.corpus, Path(tmp), force=True, procs=kb_index.build_processes())
            after = os.times()
            cpu = sum(after[:4]) - sum(before[:4])  # this process and the writer's children
            return time.perf_counter() - start, cpu

    builds: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    for _ in range(args.build_runs):
        for off in (True, False):
            builds[off].append(build_once(off))
    on_wall, on_cpu = (statistics.median(x[i] for x in builds[False]) for i in (0, 1))
    off_wall, off_cpu = (statistics.median(x[i] for x in builds[True]) for i in (0, 1))
    print()
    print(f"Full build, {args.build_runs} each, interleaved (median s; CPU includes the writer's processes):")
    print()
    print(
        table(
            ["build", "wall s", "CPU s"],
            [
                ["with meaning", f"{on_wall:.2f}", f"{on_cpu:.2f}"],
                ["words only", f"{off_wall:.2f}", f"{off_cpu:.2f}"],
                ["added", f"**{on_wall / off_wall - 1:+.0%}**", f"{on_cpu / off_cpu - 1:+.0%}"],
            ],
        )
    )
    print()
    ratio = on_wall / off_wall - 1
    print(
        f"Target: at most {SEMANTIC_BUILD_TARGET:.0%} more build time. Added {ratio:+.0%} (wall): "
        f"met {verdict(ratio, SEMANTIC_BUILD_TARGET + 1e-9)}."
    )


if __name__ == "__main__":
    sys.exit(main())
