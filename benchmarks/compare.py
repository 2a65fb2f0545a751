"""Cost of the word-level differences of the compare page (kb/compare.py), from a section to a megabyte.

Usage (from the repository root)::

    python benchmarks/compare.py [--runs N] [--sizes 1,4,16,128]

The pairs compared are real: the seed notice's two translations of sections
4 to 8 (the sections both have), joined, and repeated ``size`` times with each
copy's numbers changed so that no two copies are alike (``1`` is about 2,000
words a side; ``128`` about 1.2 MB a side). The first row is one section (6.1).

For each pair the table gives the median CPU time of :func:`kb.compare.compare`
(its cache cleared before each run), the level it reached, the pairs of equal
words it examined (at most ``WORK_BUDGET``), and the share of words found in
common. The baseline, measured in the same run, is plain
``difflib.SequenceMatcher(autojunk=False)`` on the same words with no bound;
it is run only where its pairs of equal words stay under ``BASELINE_PAIRS``,
and otherwise its time is estimated from its rate on the largest pair it ran
(the ratio column is ours over the baseline's). When the optional
``diff-match-patch`` package is installed, its word mode (with its default
one-second deadline) is timed too, for comparison.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import median_cpu  # noqa: E402

from kb import compare as kb_compare  # noqa: E402
from kb.corpus import load_corpus  # noqa: E402

#: The most pairs of equal words the unbounded baseline is run on (about 10-30 s of CPU).
BASELINE_PAIRS = 40_000_000
DEFAULT_SIZES = (1, 4, 16, 128)


def seed_texts() -> tuple[str, str, str, str]:
    """The two translations' section 6.1, and their sections 4-8 joined (both translations have those)."""
    from kb.models import SectionId

    notice = load_corpus(ROOT / "seeds").notice("miit-2024-165")
    full, gmt = notice.translation("full"), notice.translation("gmt")
    shared = [i for i in gmt.section_ids if full.section(i) and i.top >= 4]
    join = lambda t: "\n".join(f"({i.display}) {t.section(i).title or ''}. {t.section(i).body}" for i in shared)  # noqa: E731
    six = SectionId("6.1")
    return full.section(six).body, gmt.section(six).body, join(full), join(gmt)


def numbered(text: str, copy: int) -> str:
    """``text`` with every number replaced by one of this copy's, so that copies differ."""
    return re.sub(r"\d+", lambda m: f"{m.group()}{copy}", text)


def words(text: str) -> list[str]:
    return [m.group().lower() for m in kb_compare._WORD.finditer(text)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    try:
        import diff_match_patch
    except ImportError:
        diff_match_patch = None

    six_left, six_right, left, right = seed_texts()
    cases = [("section 6.1", six_left, six_right)]
    for size in sizes:
        cases.append(
            (
                f"sections 4-8 x{size}",
                "\n".join(numbered(left, i) for i in range(size)),
                "\n".join(numbered(right, i) for i in range(size)),
            )
        )

    print(
        f"WORK_BUDGET={kb_compare.WORK_BUDGET:,} pairs, MAX_WORDS={kb_compare.MAX_WORDS:,}; median of {args.runs} runs"
    )
    head = f"{'pair':<22} {'KB a side':>9} {'words':>8} {'level':>9} {'work':>10} {'same':>5} {'ours s':>7}"
    head += f" {'difflib s':>10} {'ratio':>6}" + (f" {'dmp s':>7}" if diff_match_patch else "")
    print(head)
    rate = None  # baseline seconds per pair of equal words, from the largest pair it ran
    for name, a, b in cases:

        def ours(a=a, b=b):
            kb_compare._compare.cache_clear()
            return kb_compare.compare(a, b)

        result = ours()
        ours_s = median_cpu(ours, args.runs)
        wa, wb = words(a), words(b)
        counts = Counter(wb)
        pairs = sum(counts[w] for w in wa)
        if pairs <= BASELINE_PAIRS:
            base_s = median_cpu(
                lambda wa=wa, wb=wb: difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes(), 1
            )
            rate = base_s / max(pairs, 1)
            base = f"{base_s:10.3f}"
        else:
            base_s = rate * pairs if rate else float("nan")
            base = f"~{base_s:9.0f}"
        line = (
            f"{name:<22} {len(a) / 1024:9.0f} {len(wa):8,} {result.level:>9} {result.work:10,} "
            f"{result.similarity:5.2f} {ours_s:7.3f} {base} {ours_s / base_s:6.2f}"
        )
        if diff_match_patch:
            dmp = diff_match_patch.diff_match_patch()

            def with_dmp(a=a, b=b, dmp=dmp):
                # word mode: each distinct word becomes one character (the library's "lines to chars" trick)
                table: dict[str, str] = {}
                code = lambda ws: "".join(table.setdefault(w, chr(0x100000 + len(table))) for w in ws)  # noqa: E731
                return dmp.diff_main(code(words(a)), code(words(b)), False)

            line += f" {median_cpu(with_dmp, args.runs):7.3f}"
        print(line)
    print("'~': estimated from the baseline's rate on the largest pair it ran (too slow to run).")


if __name__ == "__main__":
    main()
