"""The corruption model of the noisy translation, measured from ``seeds/001_*.txt``.

``python benchmarks/clean_accuracy.py --measure`` prints the measurement:
46 non-ASCII junk symbols, each seen 14-36 times (median 25); the ASCII
characters ``< > $ & '`` about 28 times each as junk, like any symbol, and the
space about 3.6 times as often (102 junk spaces). Junk clusters start on
average every 33 characters and are 1-4 characters long in proportions
5/37/34/24 %.

Used by the property tests and the cleaning benchmark to corrupt clean text
the same way, never by the cleaner itself.
"""

from __future__ import annotations

import random

NON_ASCII_JUNK = "£¥§©®±¶×÷Ωαβγδελπσφ•₩€₹₽™←↑→↓↔↕∏∑∞≈≠≤≥★☆♠♣♥♦✔✘"
ASCII_JUNK = "\"&<>$' "
ALPHABET = NON_ASCII_JUNK + ASCII_JUNK
#: Relative weight of each junk character: the space is drawn about 3.6 times as often.
WEIGHTS = [3.6 if ch == " " else 1.0 for ch in ALPHABET]
MEAN_GAP = 33
CLUSTER_LENGTHS = (1, 2, 3, 4)
CLUSTER_LENGTH_WEIGHTS = (0.05, 0.37, 0.34, 0.24)


def corrupt(text: str, rng: random.Random, mean_gap: float = MEAN_GAP) -> str:
    """Insert junk clusters into ``text`` at random positions, about one per ``mean_gap`` characters.

    Newlines are left alone: the measured file has junk inside lines only.
    """
    out: list[str] = []
    for ch in text:
        if ch != "\n" and rng.random() < 1 / mean_gap:
            size = rng.choices(CLUSTER_LENGTHS, CLUSTER_LENGTH_WEIGHTS)[0]
            out.append("".join(rng.choices(ALPHABET, WEIGHTS, k=size)))
        out.append(ch)
    return "".join(out)
