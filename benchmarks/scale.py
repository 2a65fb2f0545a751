"""Scale: what building, updating, searching and starting cost at 1k-50k sections, next to SQLite FTS5.

Usage (from the repository root)::

    python benchmarks/scale.py [--sizes seeds,1000,10000,50000] [--runs 5] [--cli-runs 5]
                               [--queries PATH] [--work DIR] [--rebuild]

For each size a synthetic corpus (benchmarks/synthetic.py) is generated (the
size ``seeds`` is the seed corpus itself, whose files are never changed), the
engine's index is built from it and an FTS5 table (porter stemmer, bm25) is
filled with the same chunks (``load_corpus(...).chunks()``). One Markdown
table per size then sets each figure next to its FTS5 baseline from the same
run, with the ratio and the target of the scale issue:

- **build CPU**: ``time.process_time()`` around ``index.build(force=True)``
  (which includes cleaning and outlining the sources) against filling the
  FTS5 table from already outlined chunks; and, so that the comparison is
  fair both ways, against FTS5 plus the CPU time of loading and outlining
  the corpus (``load_corpus(...).chunks()``).
- **one changed notice**: one source file is changed and ``kb index`` run as
  a fresh process (CPU of the child; the engine rebuilds everything today),
  against FTS5 deleting that notice's rows and inserting its re-outlined
  chunks; and ``kb index`` over an unchanged corpus (the freshness check).
- **query CPU** per search, p50 and p95 over every public query and run
  (``time.thread_time()`` around ``KnowledgeBase.search`` as the results page
  calls it: 10 hits with snippets), against FTS5's top 10 by bm25 with
  ``snippet()``; and the share of those searches the engine cut short
  (``result.timed_out``), all run one after another.
- **cold ``kb search``**: wall time of a fresh ``kb --index DIR --corpus DIR
  search QUERY --json`` (median of ``--cli-runs`` after a warm-up), against
  a bare ``python -c "import whoosh.index, whoosh.qparser, whoosh.highlight"``.
- **start-up and memory**: wall time and peak RSS of a fresh process that
  opens the knowledge base (and of one that opens it and runs one search),
  against a fresh process that opens the FTS5 database and runs the same
  query. Peak RSS is the child's ``ru_maxrss`` from ``os.wait4``, the child
  started from a small launcher (see :data:`LAUNCHER`).

The machine is shared and noisy: compare ratios within one run. Corpora,
indexes and FTS5 databases are kept under ``--work`` (default: a directory
in the system's temporary directory), so a rerun generates nothing; the
build figures of a size are measured again whenever the engine's source
(``kb/``) differs from the one they were measured with, or with ``--rebuild``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# benchmarks/ is on sys.path when this file is run as a script
from relevance import DEFAULT_QUERIES, fts_query, load_queries
from synthetic import generate

REPO = Path(__file__).resolve().parents[1]
#: The size that names the seeds themselves (the cold-search target is stated on them).
SEEDS = "seeds"
DEFAULT_SIZES = (SEEDS, 1000, 10_000, 50_000)
DEFAULT_WORK = Path(tempfile.gettempdir()) / "policy-kb-scale"
#: Hits per search, as the results page asks for them (web/views/results.py PAGE_SIZE).
PAGE = 10
#: The query of the fresh-process measurements: ordinary words that match broadly in the synthetic corpora.
CLI_QUERY = "green data centers"
#: The bare import the cold `kb search` is compared with (issue 9's baseline).
BARE_IMPORT = "import whoosh.index, whoosh.qparser, whoosh.highlight"
#: The sentence added to (or removed from) one notice to measure the update of one changed notice.
AMENDMENT = "This sentence was added to measure the update of one changed notice.\n"
#: The scale issue's targets, as (label, limit); a ratio at or under the limit meets it.
TARGETS = {
    "build": ("<= 6x FTS5", 6.0),
    "update": ("<= 5% of the full build", 0.05),
    "check": ("<= 0.2 s", 0.2),
    "query": ("<= 4x FTS5 (10k, 50k)", 4.0),
    "cut": ("0%", 0.0),
    "cold": ("<= 2x seeds, <= 3x at 50k", None),
}


# -- fresh processes -------------------------------------------------------------


@dataclass
class Run:
    """One fresh process: wall seconds, CPU seconds (user + system) and peak RSS in MB."""

    wall: float
    cpu: float
    rss_mb: float
    status: int
    stdout: str
    stderr: str


#: Runs a command and writes its wall time, CPU time and peak RSS to a file. A child's ``ru_maxrss`` starts
#: from its parent's peak (the memory it was forked from), so measured commands are started from this small
#: fresh interpreter rather than from the benchmark, which holds a whole index.
LAUNCHER = """
import json, os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, ru = os.wait4(pid, 0)
wall = time.perf_counter() - start
with open(sys.argv[1], "w") as f:
    json.dump({"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_kib": ru.ru_maxrss}, f)
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_measured(cmd: list[str]) -> Run:
    """Run ``cmd`` to completion: its wall time, and its own CPU time and peak RSS (``os.wait4``)."""
    with tempfile.TemporaryDirectory() as tmp:
        usage_file = Path(tmp) / "usage.json"
        proc = subprocess.run([sys.executable, "-c", LAUNCHER, str(usage_file), *cmd], capture_output=True)
        usage = json.loads(usage_file.read_text())
    return Run(
        usage["wall"],
        usage["cpu"],
        usage["rss_kib"] / 1024,  # KiB on Linux
        proc.returncode,
        proc.stdout.decode(errors="replace"),
        proc.stderr.decode(errors="replace"),
    )


def median_run(cmd: list[str], runs: int, ok=(0,)) -> tuple[float, float, float]:
    """Median wall s, CPU s and peak RSS MB of ``runs`` fresh processes after one untimed warm-up."""
    results = []
    for n in range(runs + 1):
        r = run_measured(cmd)
        if r.status not in ok:
            detail = (r.stderr.strip().splitlines() or [f"exit status {r.status}"])[-1]
            raise SystemExit(f"scale: {' '.join(cmd[:4])}... failed: {detail}")
        if n:
            results.append(r)
    return (
        statistics.median(r.wall for r in results),
        statistics.median(r.cpu for r in results),
        statistics.median(r.rss_mb for r in results),
    )


def kb_command() -> list[str]:
    """The `kb` entry point next to this interpreter, else ``python -m kb.cli``."""
    beside = Path(sys.executable).parent / "kb"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    return [sys.executable, "-m", "kb.cli"]


# -- corpora, builds and the FTS5 table ------------------------------------------


def source_digest() -> str:
    """Hash of the engine's source: build figures measured with other code are measured again."""
    h = hashlib.sha256()
    for path in sorted((REPO / "kb").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(path.relative_to(REPO).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:16]


def corpus_for(work: Path, size: int | str) -> Path:
    """The synthetic corpus of ``size`` sections under ``work``, generated once; ``"seeds"``: the seeds, as they are."""
    if size == SEEDS:
        return REPO / "seeds"
    corpus = work / f"corpus-{size}"
    done = work / f"corpus-{size}.json"
    if not done.is_file():
        if corpus.exists():
            shutil.rmtree(corpus)
        sections = generate(corpus, size)
        done.write_text(json.dumps({"sections": sections, "seed": 1}))
    return corpus


def fill_fts5(db_path: Path, chunks) -> None:
    """An FTS5 table ``t`` of the chunks in a database file (what Datasette serves in benchmarks/load.py)."""
    if db_path.exists():
        db_path.unlink()
    db = sqlite3.connect(db_path)
    db.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, parent_title, body, notice UNINDEXED, "
        "translation UNINDEXED, section UNINDEXED, tokenize='porter')"
    )
    db.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", [fts_row(c) for c in chunks])
    db.commit()
    db.close()


def fts_row(c) -> tuple:
    return (c.title or "", c.parent_title or "", c.body, c.notice, c.translation, str(c.section))


def changed_notice(corpus: Path) -> Path:
    """The one source file changed to measure an update: the middle one, so nothing special."""
    files = sorted(corpus.glob("notice-*.txt"))
    return files[len(files) // 2]


def amend(path: Path) -> None:
    """Change one notice: add a sentence after its title, or take it away if an earlier run added it."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if AMENDMENT in lines:
        lines.remove(AMENDMENT)
    else:
        lines.insert(3, AMENDMENT)
    path.write_text("".join(lines), encoding="utf-8")


def measure_builds(size: int | str, work: Path) -> dict:
    """Build CPU of the engine and of FTS5, and the cost of one changed notice, on a fresh build."""
    from kb import index
    from kb.corpus import load_corpus

    corpus = corpus_for(work, size)
    index_dir = work / f"index-{size}"
    start = time.process_time()
    index.build(corpus, index_dir, force=True)
    build_cpu = time.process_time() - start

    start = time.process_time()
    chunks = load_corpus(corpus).chunks()
    load_cpu = time.process_time() - start
    db_path = work / f"fts-{size}.sqlite"
    start = time.process_time()
    fill_fts5(db_path, chunks)
    fts_cpu = time.process_time() - start

    figures = {
        "sections": len(chunks),
        "notices": len({c.notice for c in chunks}),
        "build_cpu": build_cpu,
        "load_cpu": load_cpu,
        "fts_cpu": fts_cpu,
    }
    if size == SEEDS:  # the seeds are never changed: they are the project's own sources
        return figures
    # One changed notice: `kb index` as a person runs it (a fresh process), then once more with nothing to do.
    kb = kb_command()
    before = index.current_build(index_dir)
    changed = changed_notice(corpus)
    amend(changed)
    update = run_measured([*kb, "--index", str(index_dir), "--corpus", str(corpus), "index", "--json"])
    if update.status != 0:
        raise SystemExit(f"scale: kb index failed: {update.stderr.strip()}")
    after = json.loads(update.stdout)
    # An update names the notices it re-indexed (its build is a new directory too: builds are never changed).
    rebuilt = not after.get("updated_notices")
    if not after.get("built") or Path(after["path"]).resolve() == before.resolve():
        raise SystemExit("scale: kb index did not publish a new build after a change")
    check = run_measured([*kb, "--index", str(index_dir), "--corpus", str(corpus), "index", "--json"])

    # FTS5's update of the same notice: outline that one file again, delete its rows, insert its chunks.
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(changed, tmp)
        start = time.process_time()
        new_chunks = load_corpus(Path(tmp)).chunks()
        db = sqlite3.connect(db_path)
        ids = {c.notice for c in new_chunks}
        db.executemany("DELETE FROM t WHERE notice = ?", [(i,) for i in ids])
        db.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", [fts_row(c) for c in new_chunks])
        db.commit()
        fts_update_cpu = time.process_time() - start
        rows = db.execute("SELECT count(*) FROM t").fetchone()[0]
        db.close()
    if rows != len(chunks):  # the notice's rows were replaced, not added beside the old ones
        raise SystemExit(f"scale: FTS5 update left {rows} rows where {len(chunks)} were expected")
    return figures | {
        "update_cpu": update.cpu,
        "update_wall": update.wall,
        "update_rebuilt": rebuilt,
        "fts_update_cpu": fts_update_cpu,
        "check_cpu": check.cpu,
        "check_wall": check.wall,
        "check_status": check.status,
    }


def builds(size: int | str, work: Path, rebuild: bool) -> dict:
    """The build figures of ``size``: measured now, or kept from a run with the same engine source."""
    record = work / f"builds-{size}.json"
    digest = source_digest()
    if not rebuild and record.is_file():
        kept = json.loads(record.read_text())
        if kept.get("source") == digest and (work / f"fts-{size}.sqlite").is_file():
            kept["kept"] = True
            return kept
    figures = measure_builds(size, work)
    figures.update(source=digest, measured=time.strftime("%Y-%m-%d %H:%M"), kept=False)
    record.write_text(json.dumps(figures, indent=1))
    return figures


# -- queries ---------------------------------------------------------------------


FTS_TOP10 = (
    "SELECT notice, section, translation, snippet(t, 2, '<b>', '</b>', '…', 24) "
    "FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 10"
)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def measure_queries(size: int | str, work: Path, queries: list[str], runs: int) -> dict:
    """CPU ms per search, engine and FTS5, every query ``runs`` times after a warm-up, one after another."""
    from kb.errors import KnowledgeBaseError
    from kb.index import current_build
    from kb.search import KnowledgeBase

    kb = KnowledgeBase(current_build(work / f"index-{size}"))
    db = sqlite3.connect(work / f"fts-{size}.sqlite")

    def engine(q: str) -> bool | None:
        try:
            return kb.search(q, limit=PAGE).timed_out
        except KnowledgeBaseError:
            return None

    def fts(q: str) -> None:
        match = fts_query(q)
        if match:
            try:
                db.execute(FTS_TOP10, (match,)).fetchall()
            except sqlite3.Error:
                pass

    for q in queries:  # warm-up: the first search of a build reads its columns, the first FTS5 query its pages
        engine(q)
        fts(q)
    engine_ms, fts_ms, cut, searched = [], [], 0, 0
    for _ in range(runs):
        for q in queries:
            start = time.thread_time()
            timed_out = engine(q)
            engine_ms.append((time.thread_time() - start) * 1000)
            if timed_out is not None:
                searched += 1
                cut += bool(timed_out)
            start = time.thread_time()
            fts(q)
            fts_ms.append((time.thread_time() - start) * 1000)
    db.close()
    return {
        "engine_p50": statistics.median(engine_ms),
        "engine_p95": percentile(engine_ms, 95),
        "fts_p50": statistics.median(fts_ms),
        "fts_p95": percentile(fts_ms, 95),
        "cut": cut,
        "searched": searched,
    }


# -- fresh processes: cold search, start-up, memory --------------------------------


OPEN_KB = "import sys; from kb.search import open_kb; open_kb(__import__('pathlib').Path(sys.argv[1]))"
OPEN_FTS = (
    f"import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute({FTS_TOP10!r}, (sys.argv[2],)).fetchall()"
)


def compile_sources() -> None:
    """Write the bytecode of kb/ and web/, as installing a package does (Whoosh's is, by pip).

    Installed in editable mode, the project's modules are compiled on import
    and, where PYTHONDONTWRITEBYTECODE is set, compiled again by every
    process: a cost the bare import of Whoosh does not pay, and no installed
    copy pays.
    """
    import compileall

    for package in ("kb", "web"):
        compileall.compile_dir(REPO / package, quiet=1)


def measure_processes(size: int | str, work: Path, runs: int) -> dict:
    compile_sources()
    index_dir = work / f"index-{size}"
    corpus = corpus_for(work, size)
    kb = kb_command()
    py = sys.executable
    search = median_run([*kb, "--index", str(index_dir), "--corpus", str(corpus), "search", CLI_QUERY, "--json"], runs)
    bare = median_run([py, "-c", BARE_IMPORT], runs)
    opened = median_run([py, "-c", OPEN_KB, str(index_dir)], runs)
    fts = median_run([py, "-c", OPEN_FTS, str(work / f"fts-{size}.sqlite"), fts_query(CLI_QUERY)], runs)
    python = median_run([py, "-c", "pass"], runs)
    return {"search": search, "bare": bare, "open": opened, "fts": fts, "python": python}


# -- the report --------------------------------------------------------------------


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b > 0 else "n/a"


def met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def report(size: int | str, b: dict, q: dict, p: dict, queries: int, runs: int) -> str:
    name = "the seeds" if size == SEEDS else "synthetic"
    kept = f" (build figures kept from {b['measured']}, same engine source)" if b.get("kept") else ""
    lines = [
        f"### {b['sections']:,} sections, {b['notices']:,} notice{'s' if b['notices'] != 1 else ''} ({name}){kept}",
        "",
        "| measure | kb | FTS5 baseline | ratio | target |",
        "| --- | --: | --: | --: | --- |",
    ]
    build_ratio = b["build_cpu"] / b["fts_cpu"]
    lines.append(
        f"| build CPU s (kb: `index.build(force=True)`, cleaning and outlining included; FTS5: insert) "
        f"| {b['build_cpu']:.1f} | {b['fts_cpu']:.2f} | {build_ratio:.0f}x "
        f"| {TARGETS['build'][0]}: {met(build_ratio <= TARGETS['build'][1])} |"
    )
    fair = b["fts_cpu"] + b["load_cpu"]
    fair_ratio = b["build_cpu"] / fair
    lines.append(
        f"| build CPU s, FTS5 + loading and outlining the corpus ({b['load_cpu']:.1f} s) "
        f"| {b['build_cpu']:.1f} | {fair:.1f} | {fair_ratio:.1f}x | {TARGETS['build'][0]}: {met(fair_ratio <= 6)} |"
    )
    if "update_cpu" in b:
        what = "a full rebuild" if b["update_rebuilt"] else "an incremental update of that notice"
        share = b["update_cpu"] / b["build_cpu"]
        lines.append(
            f"| one changed notice: `kb index` CPU s ({what}; wall {b['update_wall']:.1f} s); "
            f"FTS5: re-outline, delete + insert its rows | {b['update_cpu']:.1f} | {b['fts_update_cpu'] * 1000:.0f} ms "
            f"| {ratio(b['update_cpu'], b['fts_update_cpu'])} "
            f"| {TARGETS['update'][0]}: {share:.0%}, {met(share <= TARGETS['update'][1])} |"
        )
        lines.append(
            f"| unchanged corpus: `kb index` wall s (CPU {b['check_cpu']:.2f} s) | {b['check_wall']:.2f} | | "
            f"| {TARGETS['check'][0]}: {met(b['check_wall'] <= TARGETS['check'][1])} |"
        )
    lines.append(
        f"| query CPU p50 ms ({queries} queries x {runs} runs; kb: 10 hits with snippets; "
        f"FTS5: top 10 by bm25 with `snippet()`) | {q['engine_p50']:.1f} | {q['fts_p50']:.2f} "
        f"| {ratio(q['engine_p50'], q['fts_p50'])} "
        f"| {TARGETS['query'][0]}: {met(q['engine_p50'] <= 4 * q['fts_p50'])} |"
    )
    lines.append(
        f"| query CPU p95 ms | {q['engine_p95']:.1f} | {q['fts_p95']:.2f} | {ratio(q['engine_p95'], q['fts_p95'])} | |"
    )
    cut_share = q["cut"] / max(q["searched"], 1)
    lines.append(
        f"| searches cut short (`timed_out`), sequential | {q['cut']}/{q['searched']} ({cut_share:.0%}) | 0 | "
        f"| {TARGETS['cut'][0]}: {met(q['cut'] == 0)} |"
    )
    s, bare = p["search"], p["bare"]
    # The target names the seeds (2x) and 50,000 sections (3x); other sizes are shown without one.
    limit = 2.0 if size == SEEDS else 3.0 if size >= 50_000 else None
    cold_target = f"<= {limit:g}x: {met(s[0] <= limit * bare[0])}" if limit else TARGETS["cold"][0]
    lines.append(
        f"| cold `kb search` wall ms (fresh process, median; baseline: bare `{BARE_IMPORT}`) "
        f"| {s[0] * 1000:.0f} | {bare[0] * 1000:.0f} | {ratio(s[0], bare[0])} | {cold_target} |"
    )
    o, f, py = p["open"], p["fts"], p["python"]
    lines.append(
        f"| start-up wall ms: open the knowledge base (FTS5: open the database and run the query) "
        f"| {o[0] * 1000:.0f} | {f[0] * 1000:.0f} | {ratio(o[0], f[0])} | |"
    )
    lines.append(f"| start-up CPU ms, same processes | {o[1] * 1000:.0f} | {f[1] * 1000:.0f} | {ratio(o[1], f[1])} | |")
    lines.append(
        f"| peak RSS MB: open the knowledge base | {o[2]:.0f} | {f[2]:.0f} (FTS5 query) | {ratio(o[2], f[2])} | |"
    )
    lines.append(
        f"| peak RSS MB: `kb search` (opens and runs one search) | {s[2]:.0f} | {f[2]:.0f} (FTS5 query) "
        f"| {ratio(s[2], f[2])} | |"
    )
    lines.append(
        f"| for reference: `python -c pass` wall ms, peak RSS MB | {py[0] * 1000:.0f}, {py[2]:.0f} | "
        f"bare import: {bare[0] * 1000:.0f}, {bare[2]:.0f} | | |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="sections, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="in-process runs of every query after a warm-up")
    parser.add_argument("--cli-runs", type=int, default=5, help="fresh processes per measurement after a warm-up")
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help=f"cache directory (default: {DEFAULT_WORK})")
    parser.add_argument("--rebuild", action="store_true", help="measure the builds again even if kept")
    args = parser.parse_args(argv)
    try:
        sizes = [s if s == SEEDS else int(s) for s in args.sizes.split(",")]
    except ValueError:
        parser.error(f"--sizes must be numbers (or {SEEDS}) separated by commas, not {args.sizes!r}")
    if not args.queries.is_file():
        parser.error(f"no query file at {args.queries}")
    if args.runs < 1 or args.cli_runs < 1:
        parser.error("--runs and --cli-runs must be at least 1")
    queries = [q.text for q in load_queries(args.queries)]
    args.work.mkdir(parents=True, exist_ok=True)
    python = sys.version.split()[0]
    print(f"Scale: {len(queries)} queries from {args.queries.name}; Python {python}, {os.cpu_count()} CPUs")
    print(f"Work directory: {args.work}\n", flush=True)
    for size in sizes:
        b = builds(size, args.work, args.rebuild)
        q = measure_queries(size, args.work, queries, args.runs)
        p = measure_processes(size, args.work, args.cli_runs)
        print(report(size, b, q, p, len(queries), args.runs) + "\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
