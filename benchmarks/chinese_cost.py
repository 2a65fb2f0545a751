"""What Chinese analysis costs: an English corpus's build and queries with and without it, and Chinese text's own.

Usage (from the repository root)::

    python benchmarks/chinese_cost.py [--sections 10000] [--runs 2] [--query-runs 5] [--work DIR]

English users pay for the Chinese fields (kb.index: ``title_zh``, ``parent_title_zh``, ``body_zh``) whether or
not they hold a Chinese notice, so the synthetic corpus (benchmarks/synthetic.py, English) is built twice in
this run: with the schema as it is, and with the three Chinese fields taken out of it (the same code
otherwise; the stored ``language`` of each chunk is kept in both, a few bytes a document). Each figure is the
median of ``--runs`` forced builds in one process (CPU time, ``time.process_time``; one indexing process,
after a build that fills the clean cache) and of every public query run ``--query-runs`` times
(``time.thread_time`` around ``KnowledgeBase.search``, ten hits with snippets, after a warm-up).

Then Chinese text itself (benchmarks/chinese/, with its queries): jieba's segmentation throughput, the CPU of
loading its dictionary and the conversion tables (once per process, on the first Chinese text), the Chinese
corpus's build CPU with Chinese analysis against the same texts indexed as English (one term per run between
marks: what the index did before), and its query CPU against the public English queries on the seeds, a corpus
of about the same size. The machine is shared and noisy: read the ratios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from relevance import DEFAULT_CHINESE_CORPUS, DEFAULT_CHINESE_QUERIES, DEFAULT_QUERIES, load_queries  # noqa: E402
from synthetic import REPO, generate  # noqa: E402

#: The Chinese fields, taken out of the schema for the baseline.
CHINESE_FIELDS = ("title_zh", "parent_title_zh", "body_zh")


@contextmanager
def without_chinese_fields():
    """kb.index builds without the Chinese fields (and kb.query then parses without them: make_parser keeps the
    fields the index has)."""
    from kb import index as kb_index

    schema = kb_index.schema

    def english_only():
        s = schema()
        for name in CHINESE_FIELDS:
            s.remove(name)
        return s

    kb_index.schema = english_only
    try:
        yield
    finally:
        kb_index.schema = schema


@contextmanager
def chinese_as_english():
    """Chinese texts indexed in the English fields, as before Chinese analysis."""
    from kb import index as kb_index

    is_chinese = kb_index.is_chinese
    kb_index.is_chinese = lambda language: False
    try:
        yield
    finally:
        kb_index.is_chinese = is_chinese


@contextmanager
def nothing():
    yield


def build_cpu(corpus: Path, index_dir: Path, runs: int) -> tuple[float, Path]:
    """Median CPU seconds of ``runs`` forced builds (after one that fills the clean cache), and the last build."""
    from kb import index as kb_index

    kb_index.build(corpus, index_dir, force=True)
    times = []
    path = None
    for _ in range(runs):
        start = time.process_time()
        path = kb_index.build(corpus, index_dir, force=True).path
        times.append(time.process_time() - start)
    return statistics.median(times), path


def query_ms(cases: dict[str, tuple[Path, list[str]]], runs: int) -> dict[str, float]:
    """Median CPU milliseconds of a search (ten hits with snippets) in each case's build over its queries, every
    query ``runs`` times after a warm-up; the cases take turns query by query, so that the machine's load falls
    on all alike."""
    from kb.errors import KnowledgeBaseError
    from kb.search import KnowledgeBase

    kbs = {name: KnowledgeBase(build) for name, (build, _) in cases.items()}
    queries = {name: qs for name, (_, qs) in cases.items()}
    longest = max(len(qs) for qs in queries.values())

    def search(kb: KnowledgeBase, q: str) -> None:
        try:
            kb.search(q, limit=10)
        except KnowledgeBaseError:
            pass

    for name, kb in kbs.items():
        for q in queries[name]:
            search(kb, q)
    times: dict[str, list[float]] = {name: [] for name in kbs}
    for n in range(runs):
        for i in range(longest):
            order = list(kbs.items()) if n % 2 == 0 else list(reversed(kbs.items()))
            for name, kb in order:
                if i < len(queries[name]):
                    start = time.thread_time()
                    search(kb, queries[name][i])
                    times[name].append((time.thread_time() - start) * 1000)
    for kb in kbs.values():
        kb.close()
    return {name: statistics.median(values) for name, values in times.items()}


def row(name: str, with_: float, without: float, unit: str) -> str:
    return f"| {name} | {with_:.2f} {unit} | {without:.2f} {unit} | {with_ / without:.2f}x |" if without else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", type=int, default=10_000, help="sections of the synthetic corpus")
    parser.add_argument("--runs", type=int, default=2, help="forced builds per variant (median)")
    parser.add_argument("--query-runs", type=int, default=5, help="runs of every query per variant")
    parser.add_argument("--work", type=Path, default=None, help="directory for corpora and indexes (default: temp)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kb-chinese-cost-") as tmp:
        work = args.work or Path(tmp)
        corpus = work / f"synthetic-{args.sections}"
        if not corpus.is_dir():
            corpus.mkdir(parents=True)
            generate(corpus, args.sections)
        english = [q.text for q in load_queries(DEFAULT_QUERIES)]
        figures = measure(
            corpus, work, "index", (("with", nothing), ("without", without_chinese_fields)), english, args
        )
        print(f"English: synthetic corpus of {args.sections} sections, {len(english)} public queries")
        print()
        print("| | with Chinese fields | without | ratio |")
        print("| --- | --: | --: | --: |")
        print(row("build CPU", figures["with"][0], figures["without"][0], "s"))
        print(row("query CPU p50", figures["with"][1], figures["without"][1], "ms"))

        chinese(work, args)
    return 0


def measure(corpus: Path, work: Path, prefix: str, variants, queries: list[str], args) -> dict[str, tuple]:
    """Each variant's (build CPU, query CPU p50): builds one after another (the median of ``args.runs``), then
    the queries of both in turns (a variant's schema lacks the Chinese fields, and the parser follows the
    build's schema)."""
    cpu, builds = {}, {}
    for name, variant in variants:
        with variant():
            cpu[name], builds[name] = build_cpu(corpus, work / f"{prefix}-{name}", args.runs)
    ms = query_ms({name: (build, queries) for name, build in builds.items()}, args.query_runs)
    return {name: (cpu[name], ms[name]) for name in cpu}


def chinese(work: Path, args) -> None:
    """The Chinese corpus's own figures: segmentation, dictionary load, build and queries."""
    import jieba

    from kb import segment
    from kb.corpus import load_corpus

    start = time.process_time()
    segment.load_for("中文")
    loaded = time.process_time() - start
    if loaded < 0.01:  # loaded already in this process (not here: nothing Chinese ran before)
        jieba.dt.initialized = False
        start = time.process_time()
        segment._segmenter().initialize()
        loaded = time.process_time() - start
    chunks = load_corpus(DEFAULT_CHINESE_CORPUS).chunks()
    text = "\n".join(c.body for c in chunks) * 20
    start = time.process_time()
    segment.words(text)
    cut = time.process_time() - start
    queries = [q.text for q in load_queries(DEFAULT_CHINESE_QUERIES)]
    cpu = {}
    builds = {}
    for name, variant in (("chinese", nothing), ("as-english", chinese_as_english)):
        with variant():
            cpu[name], builds[name] = build_cpu(DEFAULT_CHINESE_CORPUS, work / f"chinese-{name}", max(args.runs, 3))
    seeds = REPO / "seeds"
    _, builds["seeds"] = build_cpu(seeds, work / "seeds", 1)
    english = [q.text for q in load_queries(DEFAULT_QUERIES)]
    ms = query_ms({"chinese": (builds["chinese"], queries), "seeds": (builds["seeds"], english)}, args.query_runs)
    seed_chunks = len(load_corpus(seeds).chunks())
    print()
    print(f"Chinese: benchmarks/chinese/ ({len(chunks)} chunks), {len(queries)} queries")
    print()
    print(f"- jieba's segmentation: {len(text) / cut / 1000:.0f} thousand characters per CPU second")
    print(
        f"- loading its dictionary and the conversion tables, once per process on the first Chinese text: "
        f"{loaded:.2f} s CPU"
    )
    print()
    print("| | Chinese | baseline | ratio |")
    print("| --- | --: | --: | --: |")
    print(row("build CPU (baseline: the same texts indexed as English)", cpu["chinese"], cpu["as-english"], "s"))
    print(
        row(
            f"query CPU p50 (baseline: the public English queries on the seeds, {seed_chunks} chunks)",
            ms["chinese"],
            ms["seeds"],
            "ms",
        )
    )


if __name__ == "__main__":
    sys.exit(main())
