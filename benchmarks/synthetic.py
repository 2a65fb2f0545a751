"""A synthetic corpus of notices in the style of the cleaned seed, of any size, for measuring at scale.

Usage (from the repository root)::

    python benchmarks/synthetic.py DIR --sections 10000 [--seed 1]

Each notice is a plain-text file: a title line naming its kind and issuing
body ("Opinions of the Ministry of Finance on ..."), a document number, an
introduction, eight numbered sections with three to five parenthesised
subsections each, and a dateline, which is what :mod:`kb.outline` reads in
real notices. Words are drawn, with a fixed seed, from the seed notice's own
vocabulary weighted by frequency, so term statistics look like real text.
The same arguments always write the same files.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED_TEXT = REPO / "seeds" / "000_8f55676a7008a0c6.txt"
#: Sections per notice (8 top-level headings, 3-5 subsections each, about 32 chunks in all).
TOPS = 8
#: Issuing bodies, each with the abbreviation its document numbers start with.
ISSUERS = [
    ("Ministry of Industry and Information Technology", "MIIT Communications"),
    ("National Development and Reform Commission", "NDRC High-Tech"),
    ("Ministry of Finance", "MOF Construction"),
    ("General Office of the State Council", "Guo Ban Fa"),
    ("Cyberspace Administration of China", "CAC Cybersecurity"),
]
#: Kinds of document, as their titles name them (the loader reads the type from the title).
KINDS = ["Notice", "Opinions", "Measures", "Plan"]


def vocabulary() -> tuple[list[str], list[int]]:
    words = Counter(w.lower() for w in re.findall(r"[A-Za-z]{3,}", SEED_TEXT.read_text(encoding="utf-8")))
    ranked = words.most_common()
    return [w for w, _ in ranked], [c for _, c in ranked]


def sentence(rng: random.Random, words: list[str], weights: list[int], n: int) -> str:
    text = " ".join(rng.choices(words, weights, k=n))
    return text[0].upper() + text[1:] + "."


def notice_text(rng: random.Random, k: int, words: list[str], weights: list[int]) -> tuple[str, int]:
    """One notice and its number of chunks."""
    year = 2015 + k % 10
    issuer, prefix = ISSUERS[k % len(ISSUERS)]
    kind = KINDS[k % len(KINDS) if k % 3 else 0]
    lines = [
        f"{kind} of the {issuer} on {sentence(rng, words, weights, 6)[:-1].lower()} (synthetic {k})",
        f"{prefix} [{year}] No. {k}",
        f"{year}-{1 + k % 12:02d}-{1 + k % 28:02d}",
        sentence(rng, words, weights, 40),
        "",
    ]
    chunks = 1
    for top in range(1, TOPS + 1):
        lines.append(f"{top}. {sentence(rng, words, weights, 4)[:-1].title()}")
        for sub in range(1, rng.randint(3, 5) + 1):
            title = sentence(rng, words, weights, 3)[:-1].title()
            body = " ".join(sentence(rng, words, weights, rng.randint(12, 30)) for _ in range(rng.randint(2, 5)))
            lines.append(f"({sub}) {title}. {body}")
            chunks += 1
        lines.append("")
    lines.append(issuer)
    lines.append(f"{['January', 'March', 'June', 'September'][k % 4]} {1 + k % 28}, {year}")
    return "\n".join(lines) + "\n", chunks


def generate(directory: Path, sections: int, seed: int = 1) -> int:
    """Write notices into ``directory`` until they hold at least ``sections`` chunks; return the count."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    words, weights = vocabulary()
    total, k = 0, 0
    while total < sections:
        k += 1
        text, chunks = notice_text(rng, k, words, weights)
        (directory / f"notice-{k:05d}.txt").write_text(text, encoding="utf-8")
        total += chunks
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--sections", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"{generate(args.directory, args.sections, args.seed)} sections in {args.directory}")


if __name__ == "__main__":
    main()
