"""Live results: what matching the word being typed as a prefix costs, and what it finds, at scale.

Usage (from the repository root)::

    python benchmarks/live_prefix.py [--size 10000] [--runs 5] [--queries PATH] [--work DIR]

The synthetic corpus of ``--size`` sections (benchmarks/synthetic.py, as
benchmarks/scale.py generates and keeps it under ``--work``) is indexed once.
Every public query is then typed as live results see it: each stage at which
the last word has at least three letters and no space after it ("gre",
"gree", "green", "green d", ... is "green" then "green dat", ...). Each stage
is searched as the results page asks (10 hits with snippets) three ways, one
after another, ``--runs`` times after a warm-up:

- **as typed**: ``search(stage)``, what live results did before;
- **completions**: ``search(stage, prefix=True)``, the last word also standing
  for the most frequent words of the build's vocabulary that begin with it
  (kb.query.prefix_last, what live results do now);
- **prefix of the stem**: the same with the vocabulary hidden, so that the
  last word's stem is matched as a Whoosh prefix within the budget's caps
  (the fallback for a build without a spelling file).

Printed: CPU ms per search (``time.thread_time``) at the median and the 95th
percentile, each with its ratio to "as typed" from the same run, and the
share of stages that find nothing, which is what a reader sees flicker while
typing. The machine is shared and noisy: compare within one run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from relevance import DEFAULT_QUERIES, load_queries
from scale import DEFAULT_WORK, PAGE, corpus_for, percentile

from kb import query as kq

#: The three ways of searching a stage, in the order printed.
WAYS = ("as typed", "completions", "prefix of the stem")


def stages(text: str) -> list[str]:
    """What live results search while ``text`` is typed: each point where the last word is unfinished."""
    out = []
    for end in range(1, len(text) + 1):
        part = text[:end]
        if part.strip() and kq._word_being_typed(part) is not None:
            out.append(part)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="sections of the synthetic corpus (default 10000)")
    parser.add_argument("--runs", type=int, default=5, help="times each stage is searched each way (default 5)")
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES, help="public queries (TSV)")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where corpora and indexes are kept")
    args = parser.parse_args(argv)
    if not args.queries.is_file():
        parser.error(f"no query file at {args.queries}")

    from kb import index
    from kb.errors import KnowledgeBaseError
    from kb.index import current_build
    from kb.search import KnowledgeBase

    args.work.mkdir(parents=True, exist_ok=True)
    corpus = corpus_for(args.work, args.size)
    index_dir = args.work / f"index-{args.size}"  # as benchmarks/scale.py names it: one build serves both
    if current_build(index_dir) is None:
        index.build(corpus, index_dir, force=True)
    kb = KnowledgeBase(current_build(index_dir))
    vocabulary = kb.speller.completions

    typed = [s for q in load_queries(args.queries) for s in stages(q.text)]

    def search(stage: str, way: str) -> int | None:
        kb.speller.completions = (lambda start, limit: None) if way == WAYS[2] else vocabulary
        try:
            return kb.search(stage, limit=PAGE, prefix=way != WAYS[0]).total
        except KnowledgeBaseError:
            return None

    for stage in typed:  # warm-up: columns, postings and the spelling file read once
        for way in WAYS:
            search(stage, way)
    cpu: dict[str, list[float]] = {w: [] for w in WAYS}
    empty: dict[str, int] = dict.fromkeys(WAYS, 0)
    for run in range(args.runs):
        for stage in typed:
            for way in WAYS:
                start = time.thread_time()
                total = search(stage, way)
                cpu[way].append((time.thread_time() - start) * 1000)
                if run == 0 and not total:
                    empty[way] += 1
    kb.speller.completions = vocabulary

    base50, base95 = statistics.median(cpu[WAYS[0]]), percentile(cpu[WAYS[0]], 95)
    print(
        f"Live prefix at {args.size} sections: {len(typed)} typing stages of {args.queries.name}, "
        f"{args.runs} runs; Python {sys.version.split()[0]}; "
        f"at most {kq.MAX_COMPLETIONS} completions, {kq.MIN_PREFIX_LENGTH}+ letters\n"
    )
    print("| way | CPU ms p50 | ratio | CPU ms p95 | ratio | stages finding nothing |")
    print("|---|---|---|---|---|---|")
    for way in WAYS:
        p50, p95 = statistics.median(cpu[way]), percentile(cpu[way], 95)
        print(
            f"| {way} | {p50:.2f} | {p50 / base50:.2f}x | {p95:.2f} | {p95 / base95:.2f}x "
            f"| {empty[way]} of {len(typed)} ({empty[way] / len(typed):.0%}) |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
