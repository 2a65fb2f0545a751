"""What keeping each translation's text as received costs a build's catalog, and what it does not cost its readers.

Usage (from the repository root)::

    python benchmarks/provenance.py [--sections 10000] [--runs 15]

The received texts sit in their own table of ``catalog.sqlite``, read only by
the ``received.txt`` route. This builds an index of a synthetic corpus
(:mod:`benchmarks.synthetic`), then, in the same run, copies its catalog with
that table emptied (the baseline: a catalog without received texts) and
prints, for both: the file's size, the median and CPU time of opening it
(``Catalog.load``: what every process and every new build pays), and of
reading one notice's outlines; and the time of one ``received`` read.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import generate  # noqa: E402

from kb import index as kb_index  # noqa: E402
from kb.catalog import CATALOG, Catalog  # noqa: E402


def timed(fn, runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time of ``runs`` calls, in milliseconds."""
    walls, cpus = [], []
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append((time.perf_counter() - w) * 1000)
        cpus.append((time.process_time() - c) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def measure(build: Path, runs: int) -> dict:
    def open_catalog() -> None:
        Catalog.load(build).close()

    catalog = Catalog.load(build)
    first = catalog.notices[0]
    name = first.translations[0].name

    def read_outline() -> None:
        c = Catalog.load(build)
        c.notice(first.id)
        c.close()

    def read_received() -> None:
        try:
            catalog.received(first.id, name)
        except Exception:  # noqa: BLE001 - the baseline has none: the cost of asking is still measured
            pass

    return {
        "size": (build / CATALOG).stat().st_size,
        "open": timed(open_catalog, runs),
        "outline": timed(read_outline, runs),
        "received": timed(read_received, runs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        generate(work / "corpus", args.sections)
        build = kb_index.build(work / "corpus", work / "index", force=True).path
        baseline = work / "baseline"
        baseline.mkdir()
        shutil.copyfile(build / CATALOG, baseline / CATALOG)
        db = sqlite3.connect(baseline / CATALOG)
        db.execute("DELETE FROM received")
        db.commit()
        db.execute("VACUUM")
        db.close()
        rows = [
            ("without received texts (baseline)", measure(baseline, args.runs)),
            ("with them", measure(build, args.runs)),
        ]
    print(f"catalog of {args.sections} sections, medians of {args.runs} runs (wall ms / CPU ms)")
    print(f"{'':36} {'size MB':>8} {'open':>15} {'open + 1 notice':>17} {'1 received text':>17}")
    for label, m in rows:
        cells = [f"{m[k][0]:7.2f} /{m[k][1]:6.2f}" for k in ("open", "outline", "received")]
        print(f"{label:36} {m['size'] / 1e6:8.2f} {cells[0]:>15} {cells[1]:>17} {cells[2]:>17}")
    (_, base), (_, new) = rows
    size, opening = new["size"] / base["size"], new["open"][1] / max(base["open"][1], 1e-9)
    print(f"ratio with/without: size {size:.2f}, opening {opening:.2f} (CPU)")


if __name__ == "__main__":
    main()
