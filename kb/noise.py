"""The corruption model of the noisy translation, measured from ``seeds/001_*.txt``.

Measured there (``python benchmarks/clean_accuracy.py --measure`` prints it):
46 distinct non-ASCII junk symbols, each seen 14-36 times, and the ASCII
characters ``< > $`` about 28 times each although real text of that kind has
none, so the ASCII members are drawn about as often as any symbol: the
alphabet is uniform over 53 characters. Runs of junk start on average every
31 characters, and runs of visible (non-ASCII) junk have lengths 1-4 in
proportions 31/38/20/10 %, consistent with cluster lengths uniform on 1..4
once ASCII members split some runs.

Used by the property tests and the cleaning benchmark to corrupt clean text
the same way, never by the cleaner itself.
"""

from __future__ import annotations

import random

NON_ASCII_JUNK = "£¥§©®±¶×÷Ωαβγδελπσφ•₩€₹₽™←↑→↓↔↕∏∑∞≈≠≤≥★☆♠♣♥♦✔✘"
ASCII_JUNK = "\"&<>$' "
ALPHABET = NON_ASCII_JUNK + ASCII_JUNK
MEAN_GAP = 31
MAX_CLUSTER = 4


def corrupt(text: str, rng: random.Random, mean_gap: float = MEAN_GAP) -> str:
    """Insert junk clusters into ``text`` at random positions, about one per ``mean_gap`` characters.

    Newlines are left alone: the measured file has junk inside lines only.
    """
    out: list[str] = []
    for ch in text:
        if ch != "\n" and rng.random() < 1 / mean_gap:
            out.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, MAX_CLUSTER))))
        out.append(ch)
    return "".join(out)
