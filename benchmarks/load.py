"""Load: `kb serve` under 32 concurrent clients over loopback, next to Datasette serving the same chunks with FTS5.

Usage (from the repository root)::

    python benchmarks/load.py [--sections 10000] [--seconds 30] [--clients 32]
                              [--queries PATH] [--work DIR]

The index and the FTS5 database of benchmarks/scale.py are used (and made
under the same ``--work`` directory when missing). ``kb serve`` is started on
a free loopback port over the index, and Datasette (``pip install
'.[bench]'``) on another over an SQLite database holding the same chunks
(``load_corpus(...).chunks()``) in an FTS5 table (porter stemmer). Each is
then driven for ``--seconds`` by ``--clients`` connections sending a fixed
mix of the public queries, every query once as a page and once as JSON:
``/search?q=`` and ``/api/search?q=`` for the engine; for Datasette its SQL
endpoint, ``/DB?sql=...`` and ``/DB.json?sql=...``, with a canned query of
the top 10 by ``bm25()`` with ``snippet()``. Both servers run with their
default settings (the engine: waitress, 8 threads, 0.5 s search limit;
Datasette: 3 SQL threads, 1 s SQL time limit), one after the other, each
warmed up by one sequential pass over the mix.

The load comes from ``wrk`` (``apt install wrk``) with a Lua script that
walks the mix and counts JSON answers saying ``"timed_out": true``; without
wrk, from Python threads with ``http.client`` (slower: it shares the CPUs
and the GIL, and is labelled so). Reported: requests/s, p50 and p99 latency,
errors (connection errors, timeouts and statuses other than 200), searches
cut short (of the JSON answers), and the server's resident memory after the
run (VmRSS) and at its peak (VmHWM), from ``/proc``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import quote_plus, urlencode

# benchmarks/ is on sys.path when this file is run as a script
from processes import free_port, memory_mb, stop
from relevance import DEFAULT_QUERIES, fts_query, load_queries
from scale import DEFAULT_WORK, FTS_TOP10, builds, corpus_for, kb_command

#: How long a server may take to answer its first request after starting (a cold start over a large index).
START_TIMEOUT = 180.0
#: Client-side timeout of one request: long enough that a slow answer counts as slow, not as an error.
REQUEST_TIMEOUT = 60
#: The scale issue's targets for `kb serve` at 10,000 sections under 32 clients.
P99_TARGET = 2.0
RSS_TARGET_MB = 250


@dataclass
class Load:
    """What one server did under load."""

    label: str
    client: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    error_detail: str
    json_answers: int
    cut: int
    rss_mb: float
    hwm_mb: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# -- servers -----------------------------------------------------------------------


def wait_ready(url: str, proc: subprocess.Popen, log: Path) -> None:
    """Poll ``url`` until it answers 200, or stop with the server's last words if it dies or never answers."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace").strip().splitlines()[-3:]
            raise SystemExit(f"load: the server exited ({proc.returncode}): {' / '.join(tail)}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"load: no answer from {url} after {START_TIMEOUT:g} s")


def datasette_command() -> list[str] | None:
    """Datasette beside this interpreter, or None when it is not installed."""
    beside = Path(sys.executable).parent / "datasette"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("datasette")
    return [found] if found else None


#: The stdlib stand-in for Datasette when it is not installed: FTS5 top 10 by bm25 as JSON, one connection a thread.
FALLBACK_SERVER = """
import json, sqlite3, sys, threading
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
from urllib.parse import urlsplit, parse_qs
local = threading.local()
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def do_GET(self):
        if not hasattr(local, "db"):
            local.db = sqlite3.connect(sys.argv[1])
        q = parse_qs(urlsplit(self.path).query).get("q", [""])[0]
        try:
            rows = local.db.execute(sys.argv[3], (q,)).fetchall() if q else []
            status = 200
        except sqlite3.Error:
            rows, status = [], 400
        body = json.dumps({"rows": rows}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), Handler).serve_forever()
"""


# -- the load ------------------------------------------------------------------------


WRK_SCRIPT = """
paths = {%(paths)s}
threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  n = id * 17
  cut = 0
  answers = 0
end
function request()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
function response(status, headers, body)
  if string.find(body, '"timed_out"', 1, true) then
    answers = answers + 1
    if string.find(body, '"timed_out":%%s*true') then
      cut = cut + 1
    end
  end
end
function done(summary, latency, requests)
  local c, a = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("cut")
    a = a + t:get("answers")
  end
  local e = summary.errors
  io.write(string.format(
    '\\nRESULT {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, "connect": %%d, ' ..
    '"read": %%d, "write": %%d, "status": %%d, "timeout": %%d, "cut": %%d, "answers": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout, c, a))
end
"""


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def drive_wrk(base: str, paths: list[str], clients: int, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT % {"paths": ", ".join(lua_string(p) for p in paths)})
        script = f.name
    try:
        cmd = ["wrk", "-t", str(min(clients, os.cpu_count() or 1)), "-c", str(clients), "-d", f"{seconds}s"]
        cmd += ["--timeout", f"{REQUEST_TIMEOUT}s", "-s", script, base]
        proc = subprocess.run(cmd, capture_output=True, text=True)
    finally:
        os.unlink(script)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"load: wrk gave no result: {proc.stderr.strip() or proc.stdout.strip()[-300:]}")
    r = json.loads(line[len("RESULT ") :])
    errors = {k: r[k] for k in ("connect", "read", "write", "status", "timeout") if r[k]}
    return {
        "client": "wrk",
        "requests": r["requests"],
        "seconds": r["duration_us"] / 1e6,
        "p50_ms": r["p50_us"] / 1000,
        "p99_ms": r["p99_us"] / 1000,
        "errors": sum(errors.values()),
        "error_detail": ", ".join(f"{k} {v}" for k, v in errors.items()),
        "json_answers": r["answers"],
        "cut": r["cut"],
    }


def drive_python(base: str, paths: list[str], clients: int, seconds: int) -> dict:
    """The same load from Python threads, one keep-alive connection each (when wrk is not installed)."""
    host, port = base.removeprefix("http://").rstrip("/").split(":")
    latencies: list[float] = []
    counts = {"errors": 0, "answers": 0, "cut": 0}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(k: int) -> None:
        conn = HTTPConnection(host, int(port), timeout=REQUEST_TIMEOUT)
        n = k * 17
        while time.monotonic() < deadline:
            n += 1
            start = time.perf_counter()
            try:
                conn.request("GET", paths[n % len(paths)])
                resp = conn.getresponse()
                body = resp.read()
                ok = resp.status == 200
            except OSError:
                conn.close()
                conn = HTTPConnection(host, int(port), timeout=REQUEST_TIMEOUT)
                body, ok = b"", False
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                counts["errors"] += not ok
                if b'"timed_out"' in body:
                    counts["answers"] += 1
                    counts["cut"] += b'"timed_out":true' in body.replace(b" ", b"")
        conn.close()

    start = time.monotonic()
    workers = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    ordered = sorted(latencies)
    return {
        "client": "Python threads (no wrk)",
        "requests": len(ordered),
        "seconds": time.monotonic() - start,
        "p50_ms": statistics.median(ordered) * 1000 if ordered else 0.0,
        "p99_ms": ordered[max(0, int(len(ordered) * 0.99) - 1)] * 1000 if ordered else 0.0,
        "errors": counts["errors"],
        "error_detail": "",
        "json_answers": counts["answers"],
        "cut": counts["cut"],
    }


def warm_up(base: str, paths: list[str]) -> None:
    """One sequential pass over the mix: the first searches of a server read what later ones reuse."""
    for path in paths:
        try:
            with urllib.request.urlopen(base + path, timeout=REQUEST_TIMEOUT) as r:
                r.read()
        except (urllib.error.URLError, OSError):
            pass


def run_server(label: str, cmd: list[str], ready: str, paths: list[str], args) -> Load:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [part.replace("{port}", str(port)) for part in cmd]
    with tempfile.NamedTemporaryFile(suffix=".log") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_ready(base + ready, proc, Path(log.name))
            warm_up(base, paths)
            drive = drive_wrk if shutil.which("wrk") else drive_python
            figures = drive(base, paths, args.clients, args.seconds)
            rss, hwm = memory_mb(proc.pid)
        finally:
            stop(proc)
    return Load(label, rss_mb=rss, hwm_mb=hwm, **figures)


# -- the report ------------------------------------------------------------------------


def report(loads: list[Load], sections: int, args) -> str:
    lines = [
        f"{args.clients} clients for {args.seconds} s per server over loopback, {sections:,} sections; "
        f"load from {loads[0].client}",
        "",
        "| server | requests/s | p50 ms | p99 ms | errors | searches cut short (JSON answers) "
        "| RSS after MB | peak RSS MB |",
        "| --- | --: | --: | --: | --: | --: | --: | --: |",
    ]
    for x in loads:
        cut = f"{x.cut}/{x.json_answers} ({x.cut / x.json_answers:.0%})" if x.json_answers else "n/a"
        errors = f"{x.errors} ({x.error_detail})" if x.errors else "0"
        lines.append(
            f"| {x.label} | {x.rate:.1f} | {x.p50_ms:.0f} | {x.p99_ms:.0f} | {errors} | {cut} "
            f"| {x.rss_mb:.0f} | {x.hwm_mb:.0f} |"
        )
    kb, base = loads[0], loads[1]

    def met(ok: bool) -> str:
        return "met" if ok else "**not met**"

    p99 = kb.p99_ms / base.p99_ms if base.p99_ms else float("inf")
    lines += [
        "",
        f"Ratios kb / baseline: requests/s {kb.rate / base.rate if base.rate else float('nan'):.2f}x, "
        f"p50 {kb.p50_ms / base.p50_ms if base.p50_ms else float('nan'):.1f}x, p99 {p99:.1f}x, "
        f"RSS after {kb.rss_mb / base.rss_mb if base.rss_mb else float('nan'):.1f}x.",
        "",
        f"Targets (kb serve, 10,000 sections, 32 clients): p99 <= {P99_TARGET:g}x the baseline: "
        f"{p99:.1f}x, {met(p99 <= P99_TARGET)}; 0 errors: {kb.errors}, {met(kb.errors == 0)}; "
        f"0 searches cut short: {kb.cut}, {met(kb.cut == 0)}; RSS after the run <= {RSS_TARGET_MB} MB: "
        f"{kb.rss_mb:.0f} MB, {met(kb.rss_mb <= RSS_TARGET_MB)}.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", type=int, default=10_000, help="size of the synthetic corpus")
    parser.add_argument("--seconds", type=int, default=30, help="load time per server")
    parser.add_argument("--clients", type=int, default=32, help="concurrent connections")
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help=f"cache directory (default: {DEFAULT_WORK})")
    args = parser.parse_args(argv)
    if not args.queries.is_file():
        parser.error(f"no query file at {args.queries}")
    if args.sections < 1 or args.seconds < 1 or args.clients < 1:
        parser.error("--sections, --seconds and --clients must be at least 1")
    if not sys.platform.startswith("linux"):
        parser.error("server memory is read from /proc: Linux only")
    args.work.mkdir(parents=True, exist_ok=True)
    queries = [q.text for q in load_queries(args.queries)]
    figures = builds(args.sections, args.work, rebuild=False)
    index_dir = args.work / f"index-{args.sections}"
    corpus = corpus_for(args.work, args.sections)
    db = args.work / f"fts-{args.sections}.sqlite"

    engine_paths = []
    for q in queries:
        engine_paths += [f"/search?q={quote_plus(q)}", f"/api/search?q={quote_plus(q)}"]
    kb = [*kb_command(), "--index", str(index_dir), "--corpus", str(corpus), "serve", "--port", "{port}"]
    loads = [run_server("`kb serve`", kb, "/api/openapi.json", engine_paths, args)]

    datasette = datasette_command()
    matches = [m for m in (fts_query(q) for q in queries) if m]
    if datasette:
        name = db.stem
        sql_paths = []
        for m in matches:
            params = urlencode({"sql": FTS_TOP10.replace("?", ":q"), "q": m})
            sql_paths += [f"/{name}?{params}", f"/{name}.json?{params}"]
        cmd = [*datasette, "serve", str(db), "--host", "127.0.0.1", "--port", "{port}"]
        label = "Datasette, FTS5 `bm25()` SQL"
        loads.append(run_server(label, cmd, f"/{name}.json", sql_paths, args))
    else:
        print("Datasette is not installed (pip install '.[bench]'): the baseline is a stdlib http.server over FTS5.")
        paths = [f"/?{urlencode({'q': m})}" for m in matches]
        cmd = [sys.executable, "-c", FALLBACK_SERVER, str(db), "{port}", FTS_TOP10]
        loads.append(run_server("stdlib http.server + FTS5 (Datasette not installed)", cmd, "/", paths, args))
    print(report(loads, figures["sections"], args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
