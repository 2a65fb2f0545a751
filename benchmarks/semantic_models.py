"""Embedding models for search by meaning, side by side: cost, determinism, and what meaning alone finds.

Usage (from the repository root)::

    python benchmarks/semantic_models.py [--queries PATH] [--corpus DIR]
                                         [--onnx MODEL.onnx --tokenizer TOKENIZER.json]

Always measures the model kb.semantic uses (WordLlama's ``l2_supercat`` at 256 dimensions, from the
``semantic`` extra). With ``--onnx`` and ``--tokenizer`` (and ``onnxruntime`` installed), also a
MiniLM-class ONNX model, mean-pooled over its last hidden state, one thread, inputs cut at 256 tokens.
For each model, in one run:

- **load**: CPU time to load it in this process (imports included for the first);
- **per section**, **per query**: CPU time (``time.thread_time``) to embed each of the corpus's
  sections (title and body, as kb.semantic embeds them) and each public query;
- **same bytes**: a section's vector is the same bytes when embedded twice in this process and in a
  fresh one (its SHA-256 compared);
- **nDCG@10 by meaning alone**: the sections ranked by cosine to the query, per query kind; the
  engine's ranking blends this with BM25F (benchmarks/relevance.py);
- **installed**: the size of the model's package directory.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from relevance import DEFAULT_CORPUS, DEFAULT_QUERIES, dedupe, load_queries, ndcg

Embed = Callable[[str], "object"]


def wordllama() -> tuple[Embed, Embed, float, Path | None, str]:
    from kb import semantic

    start = time.thread_time()
    m = semantic.model()
    if m is None:
        raise SystemExit(f"search by meaning is off: {semantic.unavailable()}")
    return m.embed, m.embed_query, time.thread_time() - start, semantic.package_dir(), m.id


def onnx_model(model_path: Path, tokenizer_path: Path) -> tuple[Embed, Embed, float, Path | None, str]:
    import numpy as np
    import onnxruntime as ort
    from tokenizers import Tokenizer

    start = time.thread_time()
    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    tokenizer.enable_truncation(256)
    tokenizer.no_padding()
    names = {i.name for i in session.get_inputs()}

    def embed(text: str):
        encoded = tokenizer.encode(text)
        ids = np.array([encoded.ids], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.array([encoded.attention_mask], dtype=np.int64)}
        if "token_type_ids" in names:
            feeds["token_type_ids"] = np.zeros_like(ids)
        out = session.run(None, feeds)[0][0]
        vector = out.mean(axis=0) if out.ndim == 2 else out
        return (vector / np.linalg.norm(vector)).astype(np.float32)

    return embed, embed, time.thread_time() - start, model_path.parent, model_path.name


def directory_mb(path: Path | None) -> str:
    if path is None:
        return "n/a"
    return f"{sum(p.stat().st_size for p in path.rglob('*') if p.is_file()) / 1e6:.0f} MB"


def measure(name: str, loaded, chunks, queries, fresh_digest: Callable[[], str] | None) -> dict:
    import numpy as np

    from kb.semantic import chunk_text

    embed, embed_query, load_s, where, model_id = loaded
    texts = [chunk_text(c.title, c.body) for c in chunks]
    start = time.thread_time()
    matrix = np.stack([embed(t) for t in texts])
    per_chunk = (time.thread_time() - start) / len(texts)
    per_kind: dict[str, list[float]] = {}
    start = time.thread_time()
    vectors = [embed_query(q.text) for q in queries]
    per_query = (time.thread_time() - start) / len(queries)
    for q, v in zip(queries, vectors, strict=True):
        order = np.argsort(-(matrix @ v), kind="stable")
        ranked = dedupe(str(chunks[i].section) for i in order)
        per_kind.setdefault(q.kind, []).append(ndcg(ranked, q.judgments))
    digest = hashlib.sha256(embed(texts[-1]).tobytes()).hexdigest()
    same = digest == hashlib.sha256(embed(texts[-1]).tobytes()).hexdigest()
    if fresh_digest is not None:
        same = same and fresh_digest() == digest
    everything = [x for v in per_kind.values() for x in v]
    return {
        "name": f"{name} ({model_id})",
        "load": f"{load_s * 1000:.0f} ms",
        "chunk": f"{per_chunk * 1000:.2f} ms",
        "query": f"{per_query * 1000:.2f} ms",
        "same": "yes" if same else "**no**",
        "installed": directory_mb(where),
        "overall": sum(everything) / len(everything),
        "kinds": {k: sum(v) / len(v) for k, v in per_kind.items()},
    }


def wordllama_in_a_fresh_process(corpus: Path) -> str:
    script = (
        "import hashlib, sys; from pathlib import Path; from kb import semantic; from kb.corpus import load_corpus; "
        "c = load_corpus(Path(sys.argv[1])).chunks()[-1]; "
        "print(hashlib.sha256(semantic.model().embed(semantic.chunk_text(c.title, c.body)).tobytes()).hexdigest())"
    )
    return subprocess.run([sys.executable, "-c", script, str(corpus)], capture_output=True, text=True).stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--onnx", type=Path, help="a MiniLM-class ONNX model to compare")
    parser.add_argument("--tokenizer", type=Path, help="its tokenizer.json")
    args = parser.parse_args(argv)

    from kb.corpus import load_corpus

    chunks = load_corpus(args.corpus).chunks()
    queries = load_queries(args.queries)
    rows = [measure("WordLlama", wordllama(), chunks, queries, lambda: wordllama_in_a_fresh_process(args.corpus))]
    if args.onnx and args.tokenizer:
        rows.append(measure("ONNX", onnx_model(args.onnx, args.tokenizer), chunks, queries, None))
    kinds = list(rows[0]["kinds"])
    print(f"Embedding models: {len(chunks)} sections, {len(queries)} queries; CPU times per item.")
    print()
    header = ["model", "load", "per section", "per query", "same bytes", "installed", "nDCG@10 alone", *kinds]
    print("| " + " | ".join(header) + " |")
    print("| --- " + "| --: " * (len(header) - 1) + "|")
    for r in rows:
        cells = [r["name"], r["load"], r["chunk"], r["query"], r["same"], r["installed"], f"{r['overall']:.3f}"]
        cells += [f"{r['kinds'][k]:.2f}" for k in kinds]
        print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
