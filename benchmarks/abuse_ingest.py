"""Ingestion of sources built to be expensive, next to a normal source of the same size.

    python benchmarks/abuse_ingest.py

Each adversarial input (all under the 5 MB source limit) goes through the
stage it attacks: *outline* is :func:`kb.corpus.outline_text` (clean, then
find the sections: what ``kb outline`` and an index build do), *clean* is
:func:`kb.clean.clean` (what ``kb clean`` does). The normal input of the same
size is the seed text repeated to that size: the clean translation
(``seeds/000_*.txt``) for the outline stage, the noisy one (``seeds/001_*.txt``,
which the decoder really works on) for the clean stage. Times are CPU seconds
(:func:`time.process_time`), the median of a few runs; the ratio is
adversarial / normal, and the aim is at most 3. An input that exceeds a work
budget is refused ("refused: ..."), which is what an index build then lists
among its skipped files.

:func:`report` prints the table; ``benchmarks/abuse.py`` calls it.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kb.clean import clean  # noqa: E402
from kb.corpus import SourceError, outline_text  # noqa: E402
from kb.errors import KnowledgeBaseError  # noqa: E402
from kb.noise import ALPHABET, corrupt  # noqa: E402
from kb.outline import MAX_HEADING_CANDIDATES  # noqa: E402

SEEDS = ROOT / "seeds"
#: Runs per input; the median is reported (the machine is shared and noisy).
RUNS = 3
#: Largest ratio adversarial / normal that the ingestion aims at.
AIM = 3.0
KB, MB = 1_000, 1_000_000


@dataclass(frozen=True)
class Case:
    name: str
    stage: str  # "outline" or "clean"
    size: int  # bytes
    make: Callable[[int], str]  # text of about ``size`` bytes


def repeat_to(unit: str, size: int) -> str:
    """``unit`` repeated to at most ``size`` bytes of UTF-8 (cut at a character boundary)."""
    data = unit.encode("utf-8")
    return (data * (size // len(data) + 1))[:size].decode("utf-8", "ignore")


def seeded(make: Callable[[random.Random, int], str]) -> Callable[[int], str]:
    return lambda size: make(random.Random(0), size)


def _dense_symbols(rng: random.Random, size: int) -> str:
    """Noise symbols, junk ASCII and letters with no blank: one endless word full of repairs."""
    return repeat_to("".join(rng.choice("★☆♠€→≈\"&<>$'abcdefgh") for _ in range(20_000)), size)


def _ten_suspect_runs(rng: random.Random, size: int) -> str:
    """Every run of junk ASCII ten long: 1,024 combinations to score per run."""
    unit = "".join("a★" + "".join(rng.choice("\"&<>$'") for _ in range(10)) for _ in range(2_000))
    return repeat_to(unit, size)


def _noise_alphabet_and_letters(rng: random.Random, size: int) -> str:
    return repeat_to("".join(rng.choice(ALPHABET + "abcdefghijklmnop") for _ in range(50_000)), size)


def _dense_corruption(rng: random.Random, size: int) -> str:
    """Real prose with a junk cluster every 2 characters (the real noise has one every 33): hard but legitimate."""
    return repeat_to(corrupt(_seed("000"), rng, mean_gap=2), size)


#: Markers in the "spread out" inputs: just fewer than the outline accepts, the most work it does not refuse.
SPREAD = MAX_HEADING_CANDIDATES - 1_000


def _markers_spread_out(size: int) -> str:
    """ "1. A" markers spread over many lines: each used to copy the whole text before it."""
    return "1. A " + ("1. A " + "b" * max(size // SPREAD - 6, 0) + " ") * (SPREAD - 1)


def _run_in_markers_spread_out(size: int) -> str:
    """ "(2)" markers on one endless line after a title: each used to search the rest of the line."""
    return "1. Title " + ("(2)" + "x" * max(size // SPREAD - 3, 0)) * SPREAD


CASES = [
    Case('"1. A " repeated', "outline", 2 * MB, lambda n: repeat_to("1. A ", n)),
    Case('"1. A " repeated', "outline", 4_900 * KB, lambda n: repeat_to("1. A ", n)),
    Case(f'{SPREAD:,} "1. A" spread out', "outline", 4_900 * KB, _markers_spread_out),
    Case('"(2)x" run on after a title', "outline", 2 * MB, lambda n: "1. Title " + repeat_to("(2)x", n - 9)),
    Case(f'{SPREAD:,} "(2)" on one line', "outline", 4_900 * KB, _run_in_markers_spread_out),
    Case("heading ending in 1M hashes", "outline", 2 * MB, lambda n: "## x" + repeat_to(" #", n - 20) + "y\n## B\nb"),
    Case('front matter of "including the"', "outline", 2 * MB, lambda n: repeat_to("including the ", n) + "\n1. A\nb"),
    Case("dense noise symbols, no blanks", "clean", 45 * KB, seeded(_dense_symbols)),
    Case("dense noise symbols, no blanks", "clean", 680 * KB, seeded(_dense_symbols)),
    Case("noise inside one endless word", "clean", 680 * KB, lambda n: repeat_to("Planning★<development", n)),
    Case("runs of ten junk characters", "clean", 680 * KB, seeded(_ten_suspect_runs)),
    Case("noise alphabet and letters", "clean", 680 * KB, seeded(_noise_alphabet_and_letters)),
    Case("prose, junk every 2 characters", "clean", 680 * KB, seeded(_dense_corruption)),
]


def _seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _normal_text(stage: str, size: int) -> str:
    return repeat_to(_seed("000" if stage == "outline" else "001") + "\n", size)


def _run(stage: str, text: str) -> str:
    """Put ``text`` through ``stage``; what came of it, in a few words."""
    try:
        if stage == "outline":
            sections = len(outline_text(text, "input").sections)
            return f"{sections} section{'s' if sections != 1 else ''}"
        clean(text)
        return "cleaned"
    except SourceError as e:
        return "refused: " + str(e).removeprefix("input: ").split(" (")[0]
    except KnowledgeBaseError as e:
        return "refused: " + str(e).split(" (")[0]


def _median_cpu(stage: str, text: str) -> tuple[float, str]:
    times, outcome = [], ""
    for _ in range(RUNS):
        start = time.process_time()
        outcome = _run(stage, text)
        times.append(time.process_time() - start)
    return statistics.median(times), outcome


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n / KB:.0f} KB"


def report() -> None:
    """Print each adversarial input's CPU time next to a normal input of the same size, and the ratio."""
    clean("warm up the word model ★☆♠ <$&")
    print(
        "Ingestion of adversarial sources next to normal ones of the same size "
        f"(CPU seconds, median of {RUNS} runs; aim: ratio <= {AIM:g})"
    )
    print()
    print("| input | size | stage | outcome | seconds | normal seconds | ratio |")
    print("| --- | --: | --- | --- | --: | --: | --: |")
    normal: dict[tuple[str, int], float] = {}
    worst = 0.0
    for case in CASES:
        key = (case.stage, case.size)
        if key not in normal:
            normal[key] = _median_cpu(case.stage, _normal_text(*key))[0]
        seconds, outcome = _median_cpu(case.stage, case.make(case.size))
        ratio = seconds / max(normal[key], 1e-3)
        worst = max(worst, ratio)
        print(
            f"| {case.name} | {_size(case.size)} | {case.stage} | {outcome} | {seconds:.2f} | "
            f"{normal[key]:.2f} | {ratio:.1f}x |"
        )
    print()
    verdict = "met" if worst <= AIM else "not met"
    print(f"Largest ratio {worst:.1f}x (aim <= {AIM:g}x): {verdict}")


if __name__ == "__main__":
    report()
