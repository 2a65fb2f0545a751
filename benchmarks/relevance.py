"""Relevance benchmark: this engine against SQLite FTS5 and a naive substring count.

Usage (from the repository root)::

    python benchmarks/relevance.py [--queries PATH] [--index DIR] [--corpus DIR] [--per-query] [--json]

Every system ranks SECTION ids (translations of one section are merged, first
occurrence wins) for each query of a judged query set, and is scored with
MRR@10, nDCG@10 and Recall@5 against graded judgments (2 = best answer,
1 = also relevant). The three systems see the same chunks (``Corpus.chunks()``):

* ``engine``: ``KnowledgeBase.search`` over a Whoosh index built from the corpus, with every signal;
* ``engine`` variants (ENGINE_VARIANTS): the same engine with one signal switched off (``no-sem``: without
  search by meaning, which equals ``engine`` when the semantic extra is not installed; ``no-prox``: without
  proximity; ``no-cov``: without coverage);
* ``fts5``: an in-memory SQLite FTS5 table (porter tokenizer, ``bm25()`` ranking);
* ``naive``: chunks scored by how often the query's words occur as substrings.

See docs/benchmarks.md, Relevance for the current figures and how to read them.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_QUERIES = Path(__file__).resolve().parents[2] / "shared" / "queries" / "public.tsv"
DEFAULT_CORPUS = REPO / "seeds"

TOP_K = 10
RECALL_K = 5


def _without_semantic(kb) -> None:
    from kb import semantic

    semantic.disable(kb)


#: The engine with one signal switched off, each a function that switches it off on a KnowledgeBase: one more
#: entry adds a column to every table.
def _searching_with(module: str, name: str, value) -> Callable:
    """A variant whose searches run with ``module.name`` set to ``value`` (a ranking signal's switch)."""

    def switch(kb) -> None:
        import importlib

        target = importlib.import_module(module)
        search = kb.search

        def switched(*args, **kwargs):
            kept = getattr(target, name)
            setattr(target, name, value)
            try:
                return search(*args, **kwargs)
            finally:
                setattr(target, name, kept)

        kb.search = switched

    return switch


ENGINE_VARIANTS: dict[str, Callable] = {
    "no-sem": _without_semantic,
    # neighbouring words searched as near phrases (kb.query.proximity)
    "no-prox": _searching_with("kb.query", "MAX_PROXIMITY_PAIRS", 0),
    # all of a short query's words before some (kb.coverage)
    "no-cov": _searching_with("kb.coverage", "MAX_COORDINATED_WORDS", 0),
}
SYSTEMS = ("engine", *ENGINE_VARIANTS, "fts5", "naive")
SYSTEM_LABELS = {"engine": "engine", **{v: v for v in ENGINE_VARIANTS}, "fts5": "FTS5", "naive": "naive"}
METRICS = ("mrr", "ndcg", "recall")
METRIC_LABELS = {"mrr": "MRR@10", "ndcg": "nDCG@10", "recall": "R@5"}

_WORD = re.compile(r"[A-Za-z0-9]+")
_PHRASE = re.compile(r'"([^"]*)"')

Ranker = Callable[[str], list[str]]


# -- queries and judgments -----------------------------------------------------


@dataclass
class Query:
    qid: str
    kind: str
    text: str
    judgments: dict[str, int]


def load_queries(path: Path) -> list[Query]:
    """The judged queries of a TSV file (``qid kind query judgments``).

    Read with ``split("\\t")`` rather than the csv module, which would strip
    the double quotes that make a phrase query a phrase query.
    """
    queries = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for lineno, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 4:
            raise SystemExit(f"{path}:{lineno}: expected 4 tab-separated fields, got {len(parts)}")
        qid, kind, text, judged = parts
        judgments = {}
        for pair in judged.split():
            section, _, grade = pair.rpartition(":")
            judgments[section] = int(grade)
        queries.append(Query(qid, kind, text, judgments))
    return queries


# -- metrics -------------------------------------------------------------------


def mrr(ranked: list[str], judgments: dict[str, int], k: int = TOP_K) -> float:
    """Reciprocal rank of the first relevant (grade >= 1) section in the top k."""
    for rank, section in enumerate(ranked[:k], start=1):
        if judgments.get(section, 0) >= 1:
            return 1.0 / rank
    return 0.0


def ndcg(ranked: list[str], judgments: dict[str, int], k: int = TOP_K) -> float:
    """nDCG@k with gain = grade and a log2 discount; the ideal ranking comes from the judgments."""
    dcg = sum(judgments.get(s, 0) / math.log2(i + 2) for i, s in enumerate(ranked[:k]))
    ideal = sorted((g for g in judgments.values() if g > 0), reverse=True)[:k]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[str], judgments: dict[str, int], k: int = RECALL_K) -> float:
    """Share of the relevant (grade >= 1) sections found in the top k."""
    relevant = {s for s, g in judgments.items() if g >= 1}
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:k])) / len(relevant)


def score(ranked: list[str], judgments: dict[str, int]) -> dict[str, float]:
    return {"mrr": mrr(ranked, judgments), "ndcg": ndcg(ranked, judgments), "recall": recall(ranked, judgments)}


def dedupe(sections, k: int = TOP_K) -> list[str]:
    """Section ids in rank order, each once (first occurrence wins), at most k."""
    out: list[str] = []
    for s in sections:
        if s not in out:
            out.append(s)
            if len(out) == k:
                break
    return out


# -- the three systems ---------------------------------------------------------


def engine_ranker(build_dir: Path, variant: Callable | None = None) -> Ranker:
    from kb.errors import KnowledgeBaseError
    from kb.search import KnowledgeBase

    kb = KnowledgeBase(build_dir)
    if variant is not None:
        variant(kb)

    def rank(text: str) -> list[str]:
        try:
            hits = kb.search(text, limit=TOP_K).hits
        except KnowledgeBaseError:  # a query the engine refuses scores zero
            return []
        return dedupe(h.section for h in hits)

    return rank


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression for what a user typed.

    Double-quoted phrases stay phrases; every other word is quoted on its own
    (so FTS5 syntax characters and keywords such as NOT in the text are inert),
    and the parts are joined with OR. FTS5's implicit operator is AND, which
    would return nothing for most natural-language queries (questions,
    paraphrases, typos: one unmatched word empties the result), and that would
    measure the query syntax rather than the ranking; OR lets bm25() rank
    partial matches, as the engine does.
    """
    parts = []
    for phrase in _PHRASE.findall(text):
        words = _WORD.findall(phrase)
        if words:
            parts.append('"' + " ".join(words) + '"')
    for word in _WORD.findall(_PHRASE.sub(" ", text)):
        parts.append(f'"{word}"')
    return " OR ".join(parts)


class Fts5Baseline:
    """An in-memory FTS5 table over the chunks, ranked by bm25()."""

    def __init__(self, chunks) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE t USING fts5("
            "title, parent_title, body, translation UNINDEXED, section UNINDEXED, tokenize='porter')"
        )
        self.db.executemany(
            "INSERT INTO t (title, parent_title, body, translation, section) VALUES (?, ?, ?, ?, ?)",
            [(c.title or "", c.parent_title or "", c.body, c.translation, c.section) for c in chunks],
        )
        self.db.commit()

    def rank(self, text: str) -> list[str]:
        match = fts_query(text)
        if not match:
            return []
        try:
            rows = self.db.execute("SELECT section FROM t WHERE t MATCH ? ORDER BY bm25(t)", (match,)).fetchall()
        except sqlite3.Error:  # a query FTS5 refuses scores zero
            return []
        return dedupe(r[0] for r in rows)


class NaiveBaseline:
    """Chunks scored by the number of substring occurrences of the query's words (3+ letters)."""

    def __init__(self, chunks) -> None:
        self.chunks = [(c.section, f"{c.title or ''} {c.body}".lower()) for c in chunks]

    def rank(self, text: str) -> list[str]:
        words = [w for w in _WORD.findall(text.lower()) if len(w) >= 3]
        scored = [(sum(hay.count(w) for w in words), n, section) for n, (section, hay) in enumerate(self.chunks)]
        scored = [s for s in scored if s[0] > 0]
        scored.sort(key=lambda s: (-s[0], s[1]))
        return dedupe(section for _, _, section in scored)


# -- running -------------------------------------------------------------------


@dataclass
class QueryResult:
    query: Query
    rankings: dict[str, list[str]] = field(default_factory=dict)
    scores: dict[str, dict[str, float]] = field(default_factory=dict)


def run(queries: list[Query], rankers: dict[str, Ranker]) -> list[QueryResult]:
    results = []
    for q in queries:
        r = QueryResult(q)
        for name, rank in rankers.items():
            r.rankings[name] = rank(q.text)
            r.scores[name] = score(r.rankings[name], q.judgments)
        results.append(r)
    return results


def summarize(results: list[QueryResult]) -> dict[str, dict]:
    """Mean of each metric per system, overall and per query kind (kinds in file order)."""
    groups: dict[str, list[QueryResult]] = {"overall": results}
    for r in results:
        groups.setdefault(r.query.kind, []).append(r)
    summary = {}
    for name, members in groups.items():
        summary[name] = {"n": len(members)}
        for system in SYSTEMS:
            summary[name][system] = {
                m: sum(r.scores[system][m] for r in members) / len(members) if members else 0.0 for m in METRICS
            }
    return summary


def markdown_table(summary: dict[str, dict]) -> str:
    header = ["queries", "n"] + [f"{METRIC_LABELS[m]} {SYSTEM_LABELS[s]}" for m in METRICS for s in SYSTEMS]
    aligns = ["---", "--:"] + ["--:"] * (len(header) - 2)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"]
    for name, row in summary.items():
        label = f"**{name}**" if name == "overall" else name
        cells = [label, str(row["n"])] + [f"{row[s][m]:.2f}" for m in METRICS for s in SYSTEMS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def judgments_text(judgments: dict[str, int]) -> str:
    return " ".join(f"{s}:{g}" for s, g in judgments.items())


def per_query_report(results: list[QueryResult]) -> str:
    lines = []
    for r in results:
        q = r.query
        flag = "  <-- engine nDCG@10 < 0.9" if r.scores["engine"]["ndcg"] < 0.9 else ""
        lines.append(f"{q.qid} [{q.kind}] {q.text}{flag}")
        lines.append(f"    judged:  {judgments_text(q.judgments)}")
        for system in SYSTEMS:
            top = " ".join(r.rankings[system][:RECALL_K]) or "(nothing)"
            s = r.scores[system]
            label = SYSTEM_LABELS[system] + ":"
            lines.append(f"    {label:<8} {top:<28} nDCG {s['ndcg']:.2f}  MRR {s['mrr']:.2f}  R@5 {s['recall']:.2f}")
    return "\n".join(lines)


def resolve_build(index_dir: Path | None, corpus_dir: Path, stack: ExitStack) -> Path:
    """The build to search: the current one in ``index_dir``, or a fresh one in a temporary directory."""
    from kb import index as kb_index

    if index_dir is not None:
        existing = kb_index.current_build(index_dir)
        return existing or kb_index.build(corpus_dir, index_dir).path
    tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kb-bench-")))
    return kb_index.build(corpus_dir, tmp, force=True).path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--queries", type=Path, default=DEFAULT_QUERIES, help=f"judged queries (default: {DEFAULT_QUERIES})"
    )
    parser.add_argument(
        "--index", type=Path, default=None, help="existing index directory (default: build a temporary one)"
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus directory (default: seeds/)")
    parser.add_argument("--per-query", action="store_true", help="also print each query's top 5 and judgments")
    parser.add_argument("--json", action="store_true", help="print machine-readable results instead of tables")
    parser.add_argument(
        "--sweep", action="store_true", help="also print nDCG@10 per kind for a range of semantic weights"
    )
    args = parser.parse_args(argv)

    from kb.corpus import load_corpus

    queries = load_queries(args.queries)
    chunks = load_corpus(args.corpus).chunks()
    with ExitStack() as stack:
        build_dir = resolve_build(args.index, args.corpus, stack)
        rankers = {
            "engine": engine_ranker(build_dir),
            **{name: engine_ranker(build_dir, switch) for name, switch in ENGINE_VARIANTS.items()},
            "fts5": Fts5Baseline(chunks).rank,
            "naive": NaiveBaseline(chunks).rank,
        }
        results = run(queries, rankers)
        sweep = semantic_sweep(queries, rankers["engine"]) if args.sweep else None
    summary = summarize(results)

    if args.json:
        data = {
            "queries_file": str(args.queries),
            "summary": summary,
            "queries": [
                {
                    "qid": r.query.qid,
                    "kind": r.query.kind,
                    "query": r.query.text,
                    "judgments": r.query.judgments,
                    "rankings": r.rankings,
                    "scores": r.scores,
                }
                for r in results
            ],
        }
        print(json.dumps(data, indent=2))
        return 0

    print(f"Relevance: {len(queries)} queries from {args.queries.name}, {len(chunks)} chunks; means per query kind.")
    print()
    print(markdown_table(summary))
    if args.per_query:
        print()
        print(per_query_report(results))
    if sweep:
        print()
        print(sweep)
    return 0


#: Weights of the semantic score that --sweep tries.
SWEEP_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)


def semantic_sweep(queries: list[Query], rank: Ranker) -> str:
    """nDCG@10 overall and per kind for each weight of the semantic score (kb.semantic.WEIGHT), as a table."""
    from kb import semantic

    if semantic.model() is None:
        return f"(no sweep: {semantic.unavailable()})"
    kinds = list(dict.fromkeys(q.kind for q in queries))
    lines = ["| weight | overall | " + " | ".join(kinds) + " |", "| --: " * (len(kinds) + 2) + "|"]
    chosen = semantic.WEIGHT
    try:
        for weight in SWEEP_WEIGHTS:
            semantic.WEIGHT = weight
            per: dict[str, list[float]] = {}
            for q in queries:
                per.setdefault(q.kind, []).append(ndcg(rank(q.text), q.judgments))
            overall = sum(sum(v) for v in per.values()) / len(queries)
            mark = " (chosen)" if weight == chosen else ""
            cells = [f"{sum(per[k]) / len(per[k]):.3f}" for k in kinds]
            lines.append(f"| {weight:.1f}{mark} | {overall:.3f} | " + " | ".join(cells) + " |")
    finally:
        semantic.WEIGHT = chosen
    return "nDCG@10 by weight of the semantic score:\n\n" + "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
