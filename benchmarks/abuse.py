"""Abuse benchmark: what hostile queries cost, alone and to the other users of a loaded server.

Usage (from the repository root)::

    python benchmarks/abuse.py [--before REF] [--clients 4,12] [--seconds 10] [--runs 15]

Two measurements of the code in this tree (and, with ``--before REF``, of
the code at that git commit, extracted to a temporary directory, in the same
run and on the same machine):

1. In-process CPU cost of ``KnowledgeBase.search`` per query (snippets
   included): ordinary queries, and attack queries (60 made-up 7-letter
   words, one made-up word 60 times, 60 prefixes, 45 fuzzy terms, four long
   fuzzy terms with three long unknown words, very long words, 80 known
   words, one 250-part hyphenated word), each built afresh
   from random letters for every run so that no cache helps. The figure is
   the ratio of an attack query's median CPU time to the ordinary queries'.

2. Real HTTP against ``kb serve`` on a free loopback port (waitress, its
   default 8 threads): the latency of ordinary queries from one client,
   alone, then while N attacking client processes send unknown-word floods,
   prefix floods and fuzzy floods back to back (and, as a reference, while
   N clients send ordinary queries back to back: the load any N busy users
   make). The figure is the ratio of the loaded median to the alone median.

At its end, if ``benchmarks/abuse_ingest.py`` exists, its ``report()``
prints the ingestion side of the same benchmark. Figures depend on the
machine; medians and ratios measured in one run are what to compare.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import multiprocessing
import os
import random
import statistics
import string
import subprocess
import sys
import tarfile
import tempfile
import time
from http.client import HTTPConnection
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

# benchmarks/ is on sys.path when this file is run as a script
from processes import free_port
from processes import stop as stop_process

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"

#: Ordinary queries: keywords, a question, a phrase of words, a hyphenated pair, one typo.
NORMAL = [
    "green data centers",
    "submarine cables",
    "who approves international submarine cables?",
    "data security early warning and emergency response",
    "computing-network convergence",
    "goverment funding",
]
#: Kinds of attack the HTTP clients cycle through.
HTTP_ATTACKS = ["unknown-word flood", "prefix flood", "fuzzy flood"]


def made_up(rnd: random.Random, n: int, length: int = 7) -> list[str]:
    return ["".join(rnd.choice(string.ascii_lowercase) for _ in range(length)) for _ in range(n)]


def attack(kind: str, rnd: random.Random, vocabulary: list[str] | None = None) -> str:
    """A fresh attack query of a kind (random letters every time, so no cache helps)."""
    if kind == "unknown-word flood":  # 60 made-up 7-letter words (479 characters)
        return " ".join(made_up(rnd, 60))
    if kind == "one word x60":
        return " ".join(made_up(rnd, 1) * 60)
    if kind == "prefix flood":  # 60 two-letter prefixes
        return " ".join(w[:2] + "*" for w in made_up(rnd, 60))
    if kind == "fuzzy flood":  # 45 fuzzy terms of 7 letters, 2 edits
        return " ".join(w + "~2" for w in made_up(rnd, 45))
    if kind == "long fuzzy words":  # 4 fuzzy terms and 3 unknown words of 20 letters: the longest spell-checked
        return " ".join([w + "~2" for w in made_up(rnd, 4, 20)] + made_up(rnd, 3, 20))
    if kind == "long words":  # 5 made-up words of 90 letters
        return " ".join(made_up(rnd, 5, 90))
    if kind == "80 known words":
        return " ".join(rnd.sample(vocabulary or [], 80))[:500].rsplit(" ", 1)[0]
    if kind == "hyphen chain":  # one word to the eye, 250 to the analyser
        return "-".join(rnd.choice(string.ascii_lowercase) for _ in range(250))[:499]
    raise ValueError(kind)


IN_PROCESS_ATTACKS = [
    "unknown-word flood",
    "one word x60",
    "prefix flood",
    "fuzzy flood",
    "long fuzzy words",
    "long words",
    "80 known words",
    "hyphen chain",
]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


# -- in-process (run in a child process whose sys.path starts with the code tree) -----------


def in_process(index_dir: Path, runs: int) -> dict:
    """Median CPU milliseconds per query: the ordinary queries, and each attack kind."""
    from kb import index as kb_index
    from kb import spelling
    from kb.search import KnowledgeBase

    kb = KnowledgeBase(kb_index.build(SEEDS, index_dir).path)
    words, _ = spelling.contents(kb.build_dir / spelling.SPELLING)
    vocabulary = sorted(w for w in words if w.isalpha() and len(w) > 3)
    for q in NORMAL:  # warm up: caches of the index, the English word list
        kb.search(q)
    rnd = random.Random(1)

    def cpu_ms(text: str) -> float:
        start = time.process_time()
        kb.search(text)
        return (time.process_time() - start) * 1000

    normal = [cpu_ms(q) for _ in range(runs) for q in NORMAL]
    out = {"normal": statistics.median(normal)}
    for kind in IN_PROCESS_ATTACKS:
        out[kind] = statistics.median(cpu_ms(attack(kind, rnd, vocabulary)) for _ in range(runs))
    return out


# -- over HTTP --------------------------------------------------------------------------------


def get(conn: HTTPConnection, query: str) -> int:
    conn.request("GET", "/api/search?q=" + quote(query))
    response = conn.getresponse()
    response.read()
    return response.status


def client_loop(port: int, kinds: list[str], seed: int, stop, done) -> None:
    """One attacking (or busy ordinary) client: queries back to back on one keep-alive connection."""
    rnd = random.Random(seed)
    conn = HTTPConnection("127.0.0.1", port, timeout=120)
    n = 0
    while not stop.is_set():
        kind = kinds[n % len(kinds)]
        query = rnd.choice(NORMAL) if kind == "normal" else attack(kind, rnd)
        try:
            get(conn, query)
        except OSError:  # the server closed the connection, or is gone: reconnect, without spinning
            conn.close()
            conn = HTTPConnection("127.0.0.1", port, timeout=120)
            time.sleep(0.1)
        n += 1
        with done.get_lock():
            done.value += 1


#: An ordinary query that has no answer after this long counts as this long (and the run says so).
PATIENCE = 60.0


def sample_latency(port: int, seconds: float, least: int, most: int) -> list[float]:
    """Wall milliseconds of ordinary queries from one client, one at a time, with a short pause between."""
    conn = HTTPConnection("127.0.0.1", port, timeout=PATIENCE)
    times: list[float] = []
    end = time.monotonic() + seconds
    n = 0
    while len(times) < most and (time.monotonic() < end or len(times) < least):
        start = time.perf_counter()
        try:
            status = get(conn, NORMAL[n % len(NORMAL)])
        except TimeoutError:
            print(f"  an ordinary query had no answer in {PATIENCE:g} s", file=sys.stderr)
            conn.close()
            conn, status = HTTPConnection("127.0.0.1", port, timeout=PATIENCE), 200
        times.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise RuntimeError(f"an ordinary query got HTTP {status}")
        n += 1
        time.sleep(0.02)
    conn.close()
    return times


def over_http(tree: Path, index_dir: Path, clients: list[int], seconds: float) -> dict:
    """Latency of ordinary queries alone and under load, against ``kb serve`` run from ``tree``."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cmd = [sys.executable, "-m", "kb.cli", "--index", str(index_dir), "--corpus", str(SEEDS), "serve"]
    # The server's log goes to a file: a pipe nobody reads fills up under load (waitress warns about its
    # queue depth) and then blocks every thread that logs, which would stall the server.
    log = tempfile.TemporaryFile()
    server = subprocess.Popen([*cmd, "--port", str(port)], env=env, stdout=log, stderr=log, cwd=tree)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(HTTPConnection("127.0.0.1", port, timeout=5), "warm up")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"kb serve did not start: {log.read().decode()[-500:]}") from None
                time.sleep(0.2)
        sample_latency(port, 0, 12, 12)  # warm-up
        out = {"alone": sample_latency(port, seconds / 2, 60, 60)}
        ctx = multiprocessing.get_context("spawn")
        for label, kinds in (("attack", HTTP_ATTACKS), ("normal load", ["normal"])):
            for n in clients:
                print(f"  {tree.name or tree}: {n} clients, {label}", file=sys.stderr)
                stop, done = ctx.Event(), ctx.Value("l", 0)
                procs = [
                    ctx.Process(target=client_loop, args=(port, kinds, i, stop, done), daemon=True) for i in range(n)
                ]
                try:
                    for p in procs:
                        p.start()
                    time.sleep(1.5)  # let the clients fill the server's queue
                    start, before = time.monotonic(), done.value
                    out[f"{label} {n}"] = sample_latency(port, seconds, 8, 200)
                    out[f"{label} {n} rate"] = (done.value - before) / (time.monotonic() - start)
                finally:
                    stop.set()
                    for p in procs:
                        p.join(timeout=PATIENCE * 2)
                        if p.is_alive():
                            p.terminate()
        return out
    finally:
        stop_process(server)
        log.close()


# -- driver -------------------------------------------------------------------------------------


def measure(tree: Path, args) -> dict:
    """Both measurements of the code in ``tree``: in-process in a child process, HTTP against its server."""
    with tempfile.TemporaryDirectory(prefix="kb-abuse-") as tmp:
        index_dir = Path(tmp) / "index"
        env = {**os.environ, "PYTHONPATH": str(tree)}
        child = [sys.executable, __file__, "--in-process", str(index_dir), "--runs", str(args.runs)]
        proc = subprocess.run(child, env=env, cwd=tree, capture_output=True, text=True)
        if proc.returncode:
            raise RuntimeError(proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed")
        cpu = json.loads(proc.stdout)
        http = over_http(tree, index_dir, args.clients, args.seconds)
    return {"cpu": cpu, "http": http}


def extract(ref: str, into: Path) -> Path:
    """The code at git commit ``ref``, as files under ``into``."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", ref], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def describe(ref: str = "HEAD") -> str:
    proc = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", ref], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain"], capture_output=True, text=True).stdout
    return (proc.stdout.strip() or "?") + ("+changes" if dirty.strip() and ref == "HEAD" else "")


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(["---"] + ["--:"] * (len(header) - 1)) + " |"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def report(results: dict[str, dict], args) -> None:
    labels = list(results)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs. Columns: {', '.join(labels)}.")
    print()
    print(f"In-process CPU time per query (ms, median of {args.runs} runs, each attack query made afresh),")
    print("and its ratio to an ordinary query:")
    print()
    rows = []
    for kind in ["normal", *IN_PROCESS_ATTACKS]:
        row = [f"ordinary queries ({len(NORMAL)})" if kind == "normal" else kind]
        for label in labels:
            cpu = results[label]["cpu"]
            row += [f"{cpu[kind]:.1f}", f"{cpu[kind] / cpu['normal']:.1f}x"]
        rows.append(row)
    print(table(["query", *[h for label in labels for h in (f"{label} ms", "ratio")]], rows))
    worst = {label: max(r["cpu"][k] / r["cpu"]["normal"] for k in IN_PROCESS_ATTACKS) for label, r in results.items()}
    print()
    print("Costliest attack query / ordinary query: " + ", ".join(f"{label} {v:.1f}x" for label, v in worst.items()))
    print()
    print("Latency of ordinary queries over HTTP from one client (ms), alone and while N other clients send")
    print(f"queries back to back ({', '.join(HTTP_ATTACKS)}; or, as a reference, ordinary queries):")
    print()
    rows = []
    keys = ["alone"] + [f"{label} {n}" for label in ("attack", "normal load") for n in args.clients]
    for key in keys:
        name = "alone" if key == "alone" else f"{key.split(' ')[-1]} clients, {key.rsplit(' ', 1)[0]}"
        row = [name]
        for label in labels:
            http = results[label]["http"]
            times, alone = http[key], statistics.median(http["alone"])
            rate = http.get(f"{key} rate")
            row += [
                f"{statistics.median(times):.0f}",
                f"{percentile(times, 95):.0f}",
                f"{statistics.median(times) / alone:.1f}x",
                f"{rate:.0f}" if rate is not None else "",
            ]
        rows.append(row)
    header = ["ordinary query"]
    for label in labels:
        header += [f"{label} median", "p95", "ratio", "their req/s"]
    print(table(header, rows))
    print()
    for label in labels:
        http = results[label]["http"]
        alone = statistics.median(http["alone"])
        ratios = ", ".join(
            f"{n} attackers {statistics.median(http[f'attack {n}']) / alone:.1f}x"
            f" (vs {statistics.median(http[f'normal load {n}']) / alone:.1f}x under ordinary load)"
            for n in args.clients
        )
        print(f"{label}: loaded/alone {ratios}.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", metavar="REF", default=None, help="also measure the code at this git commit")
    parser.add_argument("--clients", default="4,12", help="numbers of loading clients (default: 4,12)")
    parser.add_argument("--seconds", type=float, default=10.0, help="sampling time per load level (default: 10)")
    parser.add_argument("--runs", type=int, default=15, help="in-process runs per query kind (default: 15)")
    parser.add_argument("--in-process", metavar="INDEX_DIR", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.in_process:  # the child: print the in-process figures as JSON
        print(json.dumps(in_process(Path(args.in_process), args.runs)))
        return 0
    args.clients = [int(n) for n in args.clients.split(",")]

    print(f"Abuse benchmark over the seeds ({', '.join(str(n) for n in args.clients)} loading clients).")
    results: dict[str, dict] = {}
    results[f"now ({describe()})"] = measure(REPO, args)
    if args.before:
        with tempfile.TemporaryDirectory(prefix="kb-before-") as tmp:
            try:
                tree = extract(args.before, Path(tmp))
            except (subprocess.CalledProcessError, OSError) as e:
                print(f"Note: cannot extract {args.before}: {e}")
            else:
                results[f"before ({describe(args.before)})"] = measure(tree, args)
    report(results, args)

    print()
    if importlib.util.find_spec("abuse_ingest") is None:  # benchmarks/ is on sys.path when run as a script
        print("(benchmarks/abuse_ingest.py is not here: no ingestion figures.)")
    else:
        import abuse_ingest

        abuse_ingest.report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
