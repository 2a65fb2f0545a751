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

Then the same for Chinese (``--chinese-queries``, ``--chinese-corpus``; default benchmarks/chinese/: five
notices written in the style of State Council and ministry notices, and 27 natural Chinese queries (three of
them in Traditional characters) with
graded judgments), where results are ``notice/section`` (the corpus has several notices) and the systems are:

* ``engine`` and its variants as above, and ``no-sub``: without matching a Chinese query word's sub-words
  (kb.query._expand_sub_words; the index still files them). ``no-sem`` is left out: search by meaning is
  English-only and never blends into a Chinese query; ``jieba-stock``: the engine over an index whose Chinese
  fields use jieba's own Whoosh analyser (``jieba.analyse.ChineseAnalyzer``: search mode in index and query,
  each token's character offset as its position), the usual choice, against which kb.segment was measured
  (the rest of the query's handling is the engine's: proximity and coverage still read kb.segment's words);
* ``fts5-tri``: FTS5 with its ``trigram`` tokenizer, the usual way to search Chinese with SQLite, ranked by
  ``bm25()``. A query is used as an FTS5 user would: each whitespace-separated part of three characters or more
  is searched as its trigrams joined with OR (the part as one literal string would match only where the text
  has it verbatim, which a question never is), a quoted phrase as itself; a part of one or two characters
  cannot be matched by trigrams at all, so it is searched with ``LIKE '%part%'`` (what the tokenizer's
  documentation offers for short patterns), and those matches rank after the bm25 ones, by how many such
  parts they have;
* ``naive``: chunks scored by how often the query's character pairs occur in them.

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
DEFAULT_CHINESE_CORPUS = Path(__file__).resolve().parent / "chinese"
DEFAULT_CHINESE_QUERIES = DEFAULT_CHINESE_CORPUS / "queries.tsv"

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
#: The Chinese check's variants: a Chinese query word without its sub-words (the index keeps them).
CHINESE_VARIANTS: dict[str, Callable] = {
    "no-prox": ENGINE_VARIANTS["no-prox"],
    "no-cov": ENGINE_VARIANTS["no-cov"],
    "no-sub": _searching_with("kb.segment", "SUB_WORD_LENGTHS", ()),
}
CHINESE_SYSTEMS = ("engine", *CHINESE_VARIANTS, "jieba-stock", "fts5-tri", "naive")
SYSTEM_LABELS = {
    "engine": "engine",
    **{v: v for v in ENGINE_VARIANTS},
    **{v: v for v in CHINESE_VARIANTS},
    "fts5": "FTS5",
    "jieba-stock": "jieba-stock",
    "fts5-tri": "FTS5 trigram",
    "naive": "naive",
}
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


def engine_ranker(build_dir: Path, variant: Callable | None = None, by_notice: bool = False) -> Ranker:
    """The engine's ranking of section ids (``notice/section`` with ``by_notice``, for a corpus of several)."""
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
        return dedupe(f"{h.notice.id}/{h.section}" if by_notice else h.section for h in hits)

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


class Fts5Trigram:
    """An in-memory FTS5 table over Chinese chunks with the ``trigram`` tokenizer, ranked by bm25(); see the
    module docs for how a query is put to it (trigrams joined with OR, LIKE for parts under three characters)."""

    def __init__(self, chunks) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE VIRTUAL TABLE t USING fts5(title, parent_title, body, key UNINDEXED, tokenize='trigram')"
        )
        self.db.executemany(
            "INSERT INTO t (title, parent_title, body, key) VALUES (?, ?, ?, ?)",
            [(c.title or "", c.parent_title or "", c.body, f"{c.notice}/{c.section}") for c in chunks],
        )
        self.db.commit()

    def rank(self, text: str) -> list[str]:
        phrases = [p.strip() for p in _PHRASE.findall(text) if p.strip()]
        words = _PHRASE.sub(" ", text).split()
        match, short = [], []
        for phrase in phrases:
            (match if len(phrase) >= 3 else short).append(_fts_string(phrase))
        for word in words:
            if len(word) >= 3:
                match += [_fts_string(word[i : i + 3]) for i in range(len(word) - 2)]
            else:
                short.append(word)
        keys: list[str] = []
        if match:
            try:
                sql = "SELECT key FROM t WHERE t MATCH ? ORDER BY bm25(t)"
                keys += [r[0] for r in self.db.execute(sql, (" OR ".join(dict.fromkeys(match)),))]
            except sqlite3.Error:  # a query FTS5 refuses scores zero
                pass
        if short:  # trigrams cannot match one or two characters: a LIKE scan, as the tokenizer's users do
            parts = [p.strip('"') for p in short]
            having = " + ".join("((title || parent_title || body) LIKE ?)" for _ in parts)
            sql = f"SELECT key FROM (SELECT key, rowid, {having} AS n FROM t) WHERE n > 0 ORDER BY n DESC, rowid"
            keys += [r[0] for r in self.db.execute(sql, [f"%{p}%" for p in parts])]
        return dedupe(keys)


def _fts_string(text: str) -> str:
    """``text`` as an FTS5 string literal (so that its characters are never read as query syntax)."""
    return '"' + text.replace('"', '""') + '"'


class ChineseNaive:
    """Chunks scored by the occurrences of the query's character pairs (a character where a part has one)."""

    def __init__(self, chunks) -> None:
        self.chunks = [(f"{c.notice}/{c.section}", f"{c.title or ''} {c.body}") for c in chunks]

    def rank(self, text: str) -> list[str]:
        grams = []
        for part in _PHRASE.sub(lambda m: f" {m.group(1)} ", text).split():
            grams += [part] if len(part) < 2 else [part[i : i + 2] for i in range(len(part) - 1)]
        scored = [(sum(hay.count(g) for g in grams), n, key) for n, (key, hay) in enumerate(self.chunks)]
        scored = [s for s in scored if s[0] > 0]
        scored.sort(key=lambda s: (-s[0], s[1]))
        return dedupe(key for _, _, key in scored)


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


def summarize(results: list[QueryResult], systems: tuple[str, ...] = SYSTEMS) -> dict[str, dict]:
    """Mean of each metric per system, overall and per query kind (kinds in file order)."""
    groups: dict[str, list[QueryResult]] = {"overall": results}
    for r in results:
        groups.setdefault(r.query.kind, []).append(r)
    summary = {}
    for name, members in groups.items():
        summary[name] = {"n": len(members)}
        for system in systems:
            summary[name][system] = {
                m: sum(r.scores[system][m] for r in members) / len(members) if members else 0.0 for m in METRICS
            }
    return summary


def markdown_table(summary: dict[str, dict], systems: tuple[str, ...] = SYSTEMS) -> str:
    header = ["queries", "n"] + [f"{METRIC_LABELS[m]} {SYSTEM_LABELS[s]}" for m in METRICS for s in systems]
    aligns = ["---", "--:"] + ["--:"] * (len(header) - 2)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(aligns) + " |"]
    for name, row in summary.items():
        label = f"**{name}**" if name == "overall" else name
        cells = [label, str(row["n"])] + [f"{row[s][m]:.2f}" for m in METRICS for s in systems]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def judgments_text(judgments: dict[str, int]) -> str:
    return " ".join(f"{s}:{g}" for s, g in judgments.items())


def per_query_report(results: list[QueryResult], systems: tuple[str, ...] = SYSTEMS) -> str:
    lines = []
    for r in results:
        q = r.query
        flag = "  <-- engine nDCG@10 < 0.9" if r.scores["engine"]["ndcg"] < 0.9 else ""
        lines.append(f"{q.qid} [{q.kind}] {q.text}{flag}")
        lines.append(f"    judged:  {judgments_text(q.judgments)}")
        for system in systems:
            top = " ".join(r.rankings[system][:RECALL_K]) or "(nothing)"
            s = r.scores[system]
            label = SYSTEM_LABELS[system] + ":"
            lines.append(f"    {label:<13} {top:<28} nDCG {s['ndcg']:.2f}  MRR {s['mrr']:.2f}  R@5 {s['recall']:.2f}")
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
    parser.add_argument(
        "--chinese-queries",
        type=Path,
        default=DEFAULT_CHINESE_QUERIES,
        help=f"judged Chinese queries (default: {DEFAULT_CHINESE_QUERIES.relative_to(REPO)})",
    )
    parser.add_argument(
        "--chinese-corpus",
        type=Path,
        default=DEFAULT_CHINESE_CORPUS,
        help=f"Chinese corpus (default: {DEFAULT_CHINESE_CORPUS.relative_to(REPO)}/)",
    )
    parser.add_argument("--no-chinese", action="store_true", help="leave out the Chinese check")
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
    chinese = None if args.no_chinese else chinese_check(args.chinese_queries, args.chinese_corpus)

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
        if chinese is not None:
            c_queries, c_chunks, c_results = chinese
            data["chinese"] = {
                "queries_file": str(args.chinese_queries),
                "summary": summarize(c_results, CHINESE_SYSTEMS),
                "queries": [
                    {"qid": r.query.qid, "query": r.query.text, "rankings": r.rankings, "scores": r.scores}
                    for r in c_results
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
    if chinese is not None:
        c_queries, c_chunks, c_results = chinese
        print()
        print(
            f"Chinese: {len(c_queries)} queries from {args.chinese_queries.name}, {len(c_chunks)} chunks "
            f"of {args.chinese_corpus.name}/; means per query kind."
        )
        print()
        print(markdown_table(summarize(c_results, CHINESE_SYSTEMS), CHINESE_SYSTEMS))
        if args.per_query:
            print()
            print(per_query_report(c_results, CHINESE_SYSTEMS))
    return 0


def _stock_jieba_build(corpus_dir: Path, stack: ExitStack) -> Path:
    """A build of the corpus whose Chinese fields are analysed by jieba's own Whoosh analyser."""
    from jieba.analyse import ChineseAnalyzer

    from kb import index as kb_index

    ours = kb_index.chinese_analyzer
    kb_index.chinese_analyzer = ChineseAnalyzer
    try:
        return resolve_build(None, corpus_dir, stack)
    finally:
        kb_index.chinese_analyzer = ours


def chinese_check(queries_path: Path, corpus_dir: Path) -> tuple[list[Query], list, list[QueryResult]]:
    """The Chinese queries run by the engine (and its variants) and the FTS5 trigram and naive baselines."""
    from kb.corpus import load_corpus

    queries = load_queries(queries_path)
    chunks = load_corpus(corpus_dir).chunks()
    with ExitStack() as stack:
        build_dir = resolve_build(None, corpus_dir, stack)
        rankers = {
            "engine": engine_ranker(build_dir, by_notice=True),
            **{name: engine_ranker(build_dir, switch, by_notice=True) for name, switch in CHINESE_VARIANTS.items()},
            "jieba-stock": engine_ranker(_stock_jieba_build(corpus_dir, stack), by_notice=True),
            "fts5-tri": Fts5Trigram(chunks).rank,
            "naive": ChineseNaive(chunks).rank,
        }
        results = run(queries, rankers)
    return queries, chunks, results


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
