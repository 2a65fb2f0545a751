"""Render time of the pages that list a notice's sections, for a section with thousands of subsections.

Usage (from the repository root)::

    python benchmarks/long_lists.py [--sizes 1000,5000,20000] [--runs N] [--only home,document,section,sections]

For each size a corpus of one Markdown notice is generated (``## 1. Big
section`` followed by that many ``###`` subsections, each with a sentence of
body: Markdown numbers subsections without limit, whereas plain-text markers
stop at two digits), indexed, and served by the Flask test client. The home
page ``/`` and the reading page ``/notices/big/big`` are requested: the *first*
request of the reading page includes rendering its Markdown (cached after),
the median is of ``--runs`` further requests. A section's page (its list of
subsections) and ``kb sections`` (the contents on a terminal) are measured
too. The baseline, measured in the same run, is the same targets for the
project's seeds (a normal notice of about 30 sections); the ratio column is a
target's median over the baseline's. Sizes and ``<li>`` counts show whether a
page is bounded.
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

from kb import index  # noqa: E402
from web import create_app  # noqa: E402

SEEDS = ROOT / "seeds"
#: The sizes the issue reported (27-54 s per page at 20,000 before the fix).
DEFAULT_SIZES = (1000, 5000, 20000)


def big_notice(subsections: int) -> str:
    """One notice, one section, ``subsections`` subsections, in the corpus's Markdown form."""
    lines = ["# Big Test Notice on Long Lists", "", "## 1. Big section", "", "The section's own text.", ""]
    for i in range(1, subsections + 1):
        lines += [f"### Item {i}", "", f"Body of item {i} about networks.", ""]
    return "\n".join(lines)


#: What is measured: a name, and the page of the generated notice and of the seeds (the baseline) it is compared to.
TARGETS = {
    "home": ("/", "/"),
    "document": ("/notices/big/big", "/notices/miit-2024-165/full"),
    "section": ("/notices/big/big/1", "/notices/miit-2024-165/full/6"),
    "sections": ("kb sections", "kb sections"),
}


def timed(fn) -> tuple[float, bytes]:
    """Milliseconds ``fn`` takes, and the output it returns."""
    start = time.perf_counter()
    output = fn()
    return (time.perf_counter() - start) * 1000, output


def measure(corpus: Path, work: Path, targets: list[str], runs: int, seeds: bool) -> list[dict]:
    """First and median times, output size and list items of each target, on a fresh index of ``corpus``."""
    from click.testing import CliRunner

    from kb.cli import cli

    index_dir = work / "index"
    index.build(corpus, index_dir)
    app = create_app({"TESTING": True, "KB_INDEX": index_dir, "KB_CORPUS": corpus})
    client = app.test_client()
    client.get("/api/notices")  # opens the index and its catalog, outside the figures
    runner = CliRunner()

    def run(what: str) -> bytes:
        if what == "kb sections":
            result = runner.invoke(cli, ["--index", str(index_dir), "--corpus", str(corpus), "sections"])
            assert result.exit_code == 0, result.output
            return result.stdout_bytes
        response = client.get(what)
        assert response.status_code == 200, (what, response.status_code)
        return response.data

    rows = []
    for name in targets:
        what = TARGETS[name][1 if seeds else 0]
        first, output = timed(lambda: run(what))  # noqa: B023 - called at once
        times = [timed(lambda: run(what))[0] for _ in range(runs)]  # noqa: B023
        items = output.count(b"\n") if what == "kb sections" else output.count(b"<li")
        rows.append(
            {
                "name": name,
                "what": what,
                "first": first,
                "median": statistics.median(times),
                "kb": len(output) / 1024,
                "items": items,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="subsection counts, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="runs of each target after the first (median)")
    parser.add_argument("--only", default=",".join(TARGETS), help=f"targets, comma-separated: {', '.join(TARGETS)}")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    targets = [t for t in args.only.split(",") if t]

    def show(corpus: str, row: dict, ratio: float) -> None:
        print(
            f"{corpus:<22} {row['what']:<12} {row['first']:>9.1f} {row['median']:>9.1f} {ratio:>8.1f} "
            f"{row['kb']:>7.0f} {row['items']:>6}"
        )

    with tempfile.TemporaryDirectory() as tmp:
        base = {r["name"]: r for r in measure(SEEDS, Path(tmp) / "seeds", targets, args.runs, seeds=True)}
        print(f"Times in ms (median of {args.runs} after a first run), Flask test client and in-process CLI.")
        print("× seeds: median over the same target's median for the seeds. items: <li> in a page, lines of output.\n")
        print(f"{'corpus':<22} {'target':<12} {'first':>9} {'median':>9} {'× seeds':>8} {'KB':>7} {'items':>6}")
        print("-" * 79)
        for row in base.values():
            show("seeds (baseline)", row, 1.0)
        for n in sizes:
            corpus = Path(tmp) / f"corpus-{n}"
            corpus.mkdir()
            (corpus / "big.md").write_text(big_notice(n), encoding="utf-8")
            for row in measure(corpus, Path(tmp) / f"work-{n}", targets, args.runs, seeds=False):
                show(f"{n:,} subsections", row, row["median"] / base[row["name"]]["median"])


if __name__ == "__main__":
    main()
