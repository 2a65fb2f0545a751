"""Sweep the BM25F field weights (title, parent title) and the synonym table on the relevance queries.

    python benchmarks/field_boosts.py [--queries PATH]

Prints mean MRR@10, nDCG@10 and Recall@5 of the engine for each weighting, and
once with synonyms switched off, so the choice in kb/query.py (FIELD_BOOSTS)
can be checked against the alternatives.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import relevance  # noqa: E402

import kb.query  # noqa: E402
from kb import index  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def evaluate(queries, build: Path) -> dict[str, float]:
    results = relevance.run(queries, {"engine": relevance.engine_ranker(build)})
    return {m: statistics.mean(r.scores["engine"][m] for r in results) for m in relevance.METRICS}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=Path, default=ROOT.parent / "shared" / "queries" / "public.tsv")
    args = parser.parse_args()
    queries = relevance.load_queries(args.queries)
    chosen = dict(kb.query.FIELD_BOOSTS)
    with tempfile.TemporaryDirectory() as tmp:
        build = index.build(ROOT / "seeds", Path(tmp), force=True).path
        print("| title | parent_title | MRR@10 | nDCG@10 | R@5 |\n| --: | --: | --: | --: | --: |")
        for title in (1.0, 2.0, 3.0, 5.0):
            for parent in (0.0, 0.5, 1.0):
                kb.query.FIELD_BOOSTS.update({"title": title, "parent_title": parent or 0.001})
                s = evaluate(queries, build)
                mark = " (chosen)" if (title, parent) == (chosen["title"], chosen["parent_title"]) else ""
                print(f"| {title}{mark} | {parent} | {s['mrr']:.3f} | {s['ndcg']:.3f} | {s['recall']:.3f} |")
        kb.query.FIELD_BOOSTS.update(chosen)
        kb.query.synonyms_in = lambda text: []
        s = evaluate(queries, build)
        print(f"\nWithout synonyms: MRR@10 {s['mrr']:.3f}, nDCG@10 {s['ndcg']:.3f}, R@5 {s['recall']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
