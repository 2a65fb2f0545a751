"""Word accuracy of the noise cleaner on re-corrupted clean text, against a naive baseline.

    python benchmarks/clean_accuracy.py              # accuracy table over 20 seeds
    python benchmarks/clean_accuracy.py --seeds 5    # quicker
    python benchmarks/clean_accuracy.py --measure    # the noise statistics of seeds/001_*.txt

Clean English text is corrupted with :func:`kb.noise.corrupt` (the noise model
measured from the noisy seed) and then repaired, by the cleaner and by a naive
baseline that strips every non-ASCII character and collapses whitespace. Word
accuracy is the share of the clean text's whitespace tokens that come back
exactly, aligned with :mod:`difflib`. Two corpora: the clean translation
``seeds/000_*.txt`` and, as general English that is not about the notice, the
GNU GPL v3 text that Debian-like systems ship (skipped where it is absent).

Only the standard library and the project are imported. Exit status 0 when the
cleaner meets the aim on the notice text, 1 when it does not.
"""

from __future__ import annotations

import argparse
import difflib
import random
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kb.clean import clean, is_noise_symbol, normalize_whitespace  # noqa: E402
from kb.noise import ALPHABET, CLUSTER_LENGTHS, MEAN_GAP, NON_ASCII_JUNK, corrupt  # noqa: E402

SEEDS = ROOT / "seeds"
GENERAL_ENGLISH = Path("/usr/share/common-licenses/GPL-3")
#: Word accuracy the cleaner aims at on the notice text.
AIM = 0.995
SUSPECT_ASCII = "<>$&\"'"


def word_accuracy(reference: str, output: str) -> tuple[int, int]:
    """(reference tokens restored exactly, reference tokens), tokens aligned with difflib."""
    ref, out = reference.split(), output.split()
    matcher = difflib.SequenceMatcher(None, ref, out, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()), len(ref)


def baseline(text: str) -> str:
    """The naive repair: drop every non-ASCII character, then collapse whitespace."""
    return re.sub(r"[ \t]+", " ", "".join(ch for ch in text if ch < "\x80")).strip()


def benchmark(name: str, text: str, seeds: int) -> dict:
    reference = normalize_whitespace(text)
    cleaner_ok = baseline_ok = total = 0
    cleaner_seconds = 0.0
    for seed in range(seeds):
        noisy = corrupt(text, random.Random(seed))
        start = time.perf_counter()
        repaired = clean(noisy)
        cleaner_seconds += time.perf_counter() - start
        ok, n = word_accuracy(reference, repaired)
        cleaner_ok += ok
        baseline_ok += word_accuracy(reference, baseline(noisy))[0]
        total += n
    return {
        "corpus": name,
        "words": len(reference.split()),
        "cleaner": cleaner_ok / total,
        "baseline": baseline_ok / total,
        "seconds": cleaner_seconds,
    }


def print_table(rows: list[dict], seeds: int) -> None:
    print(f"Word accuracy over {seeds} corruption seeds (kb.noise.corrupt); seconds = cleaner time, all seeds")
    print()
    header = f"{'corpus':<26} {'words':>6} {'cleaner':>9} {'baseline':>9} {'seconds':>8}"
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['corpus']:<26} {r['words']:>6} {r['cleaner']:>9.2%} {r['baseline']:>9.2%} {r['seconds']:>8.2f}")
    print()


def run_accuracy(seeds: int) -> int:
    notice_path = next(SEEDS.glob("000_*.txt"))
    rows = [benchmark(f"notice ({notice_path.name[:3]})", notice_path.read_text(encoding="utf-8"), seeds)]
    if GENERAL_ENGLISH.is_file():
        rows.append(benchmark("general English (GPL-3)", GENERAL_ENGLISH.read_text(encoding="utf-8"), seeds))
    else:
        print(f"{GENERAL_ENGLISH} not found: skipping the general-English corpus\n")
    print_table(rows, seeds)
    accuracy = rows[0]["cleaner"]
    verdict = "PASS" if accuracy >= AIM else "FAIL"
    print(f"{verdict}: cleaner word accuracy on the notice text {accuracy:.2%} (aim >= {AIM:.1%})")
    return 0 if accuracy >= AIM else 1


# -- --measure ---------------------------------------------------------------------


def junk_mask(noisy: str, cleaned: str) -> list[bool]:
    """Which characters of ``noisy`` are junk: its noise symbols, and the ASCII characters the cleaner removed.

    The noise symbols are taken out first, so that what difflib has to align is
    only the cleaner's few ASCII deletions; line by line when the lines map one
    to one (fast), else as one text. Newlines and spaces at a line's edge that
    the whitespace normalisation removed are not counted as junk.
    """
    mask = [is_noise_symbol(ch) for ch in noisy]
    kept = [i for i, junk in enumerate(mask) if not junk]
    stripped = "".join(noisy[i] for i in kept)
    raw_lines, clean_lines = stripped.split("\n"), cleaned.split("\n")
    if len(raw_lines) != len(clean_lines):
        raw_lines, clean_lines = [stripped], [cleaned]
    removed: list[bool] = []
    for raw, fixed in zip(raw_lines, clean_lines, strict=True):
        line_removed = [True] * len(raw)
        for block in difflib.SequenceMatcher(None, raw, fixed, autojunk=False).get_matching_blocks():
            line_removed[block.a : block.a + block.size] = [False] * block.size
        removed += line_removed + [False]
    for k, ch in enumerate(stripped):
        mask[kept[k]] = removed[k] and ch != "\n" and not (ch == " " and _at_line_edge(stripped, k))
    return mask


def _at_line_edge(text: str, k: int) -> bool:
    """True when only spaces stand between position ``k`` and the start or the end of its line."""
    start = text.rfind("\n", 0, k) + 1
    end = text.find("\n", k)
    end = len(text) if end < 0 else end
    return not text[start:k].strip(" ") or not text[k + 1 : end].strip(" ")


def runs(flags: list[bool]) -> list[tuple[int, int]]:
    """(start, length) of every maximal run of True."""
    out, i = [], 0
    while i < len(flags):
        if flags[i]:
            j = i
            while j < len(flags) and flags[j]:
                j += 1
            out.append((i, j - i))
            i = j
        else:
            i += 1
    return out


def distribution(lengths: list[int]) -> str:
    counts = Counter(lengths)
    total = len(lengths)
    return ", ".join(f"{n}: {counts[n]} ({counts[n] / total:.0%})" for n in sorted(counts))


def junk_runs(noisy: str) -> dict:
    """Statistics of the junk in a noisy text, with the cleaner's output telling ASCII junk from text."""
    mask = junk_mask(noisy, clean(noisy))
    visible = runs([is_noise_symbol(ch) for ch in noisy])
    every = runs(mask)
    junk_chars = [ch for ch, junk in zip(noisy, mask, strict=True) if junk]
    return {
        "visible": visible,
        "all": every,
        "removed_ascii": Counter(ch for ch in junk_chars if not is_noise_symbol(ch)),
        "junk_chars": len(junk_chars),
    }


def print_runs(label: str, stats: dict) -> None:
    visible, every = stats["visible"], stats["all"]
    print(label)
    print(f"   visible (non-ASCII) junk runs: {len(visible)}, mean gap between starts {mean_gap(visible):.1f}")
    print(f"      lengths: {distribution([n for _, n in visible])}")
    print(
        f"   all junk runs (adding the ASCII the cleaner removed): {len(every)}, mean gap between starts "
        f"{mean_gap(every):.1f}, mean length {stats['junk_chars'] / max(len(every), 1):.2f}"
    )
    print(f"      lengths: {distribution([n for _, n in every])}")


def mean_gap(spans: list[tuple[int, int]]) -> float:
    if len(spans) < 2:
        return float("nan")
    return statistics.mean(b[0] - a[0] for a, b in zip(spans, spans[1:], strict=False))


def measure() -> int:
    path = next(SEEDS.glob("001_*.txt"))
    noisy = path.read_text(encoding="utf-8")
    print(f"Noise statistics of {path.relative_to(ROOT)} ({len(noisy)} characters, {len(noisy.splitlines())} lines)")
    print()

    symbols = Counter(ch for ch in noisy if is_noise_symbol(ch))
    print(f"Non-ASCII junk symbols: {len(symbols)} distinct, {sum(symbols.values())} in all")
    items = sorted(symbols.items(), key=lambda kv: (-kv[1], kv[0]))
    for k in range(0, len(items), 8):
        print("   " + "  ".join(f"{ch} {n:>2}" for ch, n in items[k : k + 8]))
    counts = list(symbols.values())
    print(f"   per symbol: min {min(counts)}, median {statistics.median(counts):g}, max {max(counts)}")
    rare = [f"{ch} U+{ord(ch):04X} {unicodedata.name(ch, '?')}" for ch, n in items if n < 5]
    if rare:
        print(f"   seen fewer than 5 times: {'; '.join(rare)}")
    model_extra = sorted(set(symbols) - set(NON_ASCII_JUNK))
    model_unseen = sorted(set(NON_ASCII_JUNK) - set(symbols))
    print(f"   not in kb.noise's alphabet: {' '.join(model_extra) or '-'}")
    print(f"   in kb.noise's alphabet but not seen: {' '.join(model_unseen) or '-'}")
    print()

    real = junk_runs(noisy)
    print("ASCII characters the noise shares with text")
    print("(in the noisy file / removed by the cleaner, entity repair included):")
    for ch in SUSPECT_ASCII + " ":
        shown = "space" if ch == " " else ch
        print(f"   {shown:<5} {noisy.count(ch):>5} / {real['removed_ascii'][ch]:>4}")
    print()

    print_runs(f"Junk runs in {path.name}:", real)
    print()
    model_text = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")
    model = junk_runs(corrupt(model_text, random.Random(0)))
    print_runs(
        f"For comparison, kb.noise.corrupt (alphabet {len(ALPHABET)}, "
        f"clusters {CLUSTER_LENGTHS[0]}..{CLUSTER_LENGTHS[-1]}, "
        f"mean gap {MEAN_GAP}) on {len(model_text)} characters of seeds/000, seed 0:",
        model,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--measure", action="store_true", help="print the noise statistics of seeds/001_*.txt")
    parser.add_argument("--seeds", type=int, default=20, metavar="N", help="corruption seeds per corpus (default 20)")
    args = parser.parse_args(argv)
    if args.measure:
        return measure()
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    return run_accuracy(args.seeds)


if __name__ == "__main__":
    sys.exit(main())
