"""What parts and a third level cost: the work that lists, chunks, renders and looks up a notice's sections, on a
notice of parts with three levels, next to a notice of as many sections in one part and two levels (the shape
every notice had before parts), measured in the same run.

Usage (from the repository root)::

    python benchmarks/parts.py [--sections 20000] [--runs 5]

The parted notice has 4 parts besides its own text, each with sections, subsections and a third level (about
``--sections`` ids in all); the baseline has as many, as 100 sections of subsections. Each line is the median
CPU time of ``--runs`` runs (the machine is shared and noisy) and the ratio of parted to flat: near 1 means a
notice of parts costs what a flat notice of its size does (every step is linear in its sections).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import median_cpu  # noqa: E402

from kb import catalog  # noqa: E402
from kb.corpus import notice_chunks  # noqa: E402
from kb.models import Metadata, Notice, Outline, Part, Section, SectionId, Translation  # noqa: E402
from kb.render import to_markdown  # noqa: E402

#: Parts besides the notice's own text, and the subsections and third-level items under each section.
PARTS, SUBS, THIRDS = 4, 10, 10


def parted(total: int) -> Notice:
    """A notice of ``PARTS`` attachments and its own text, each part sections > subsections > third level."""
    per_part = total // (PARTS + 1)
    tops = max(1, per_part // (1 + SUBS * (1 + THIRDS)))
    sections, parts = [], []
    for part in range(PARTS + 1):
        if part:
            parts.append(Part(part, "attachment", f"Rules {part}", f"Attachment {part}"))
            sections.append(Section(SectionId.front_of(part), None, None, f"Preamble of part {part}."))
        for top in range(1, tops + 1):
            top_id = SectionId.of(top, part=part)
            sections.append(Section(top_id, f"Section {top}", None, "The section's text."))
            for sub in range(1, SUBS + 1):
                sub_id = SectionId.of(top, sub, part=part)
                sections.append(Section(sub_id, f"Item {sub}", top_id, ""))
                for third in range(1, THIRDS + 1):
                    third_id = SectionId.of(top, sub, third, part=part)
                    sections.append(Section(third_id, f"Point {third}", sub_id, f"Text of {third_id} on networks."))
    return _notice(Outline(Metadata(), "Front matter.", sections, parts=parts))


def flat(total: int) -> Notice:
    """As many sections in the notice's own text, two levels: 100 sections of subsections."""
    subs = max(1, total // 100 - 1)
    sections = []
    for top in range(1, 101):
        sections.append(Section(str(top), f"Section {top}", None, "The section's text."))
        sections += [
            Section(f"{top}.{s}", f"Item {s}", str(top), f"Text of {top}.{s} on networks.") for s in range(1, subs + 1)
        ]
    return _notice(Outline(Metadata(), "Front matter.", sections))


def _notice(outline: Outline) -> Notice:
    t = Translation("full", "Full", Path("full.md"), "bench", outline, language="en")
    return Notice("bench", "Bench", None, None, [], [t])


def steps(notice: Notice, store: Path) -> dict[str, object]:
    """The steps measured, each a function of nothing (the notice is made once per step's runs)."""
    t = notice.translations[0]
    last = notice.section_ids[-1]

    def lookup() -> None:
        opened = catalog.Catalog.load(store)
        opened.with_section(last)
        opened.close()

    return {
        "Notice.section_ids": lambda: _fresh(notice).section_ids,
        "notice_chunks": lambda: notice_chunks(notice),
        "to_markdown": lambda: to_markdown(notice, t),
        "contents titles": lambda: _fresh(notice).section_titles,
        "catalog with_section": lookup,
    }


def _fresh(notice: Notice) -> Notice:
    """The notice without its cached titles, so that each run computes them."""
    return Notice(notice.id, notice.title, None, None, [], notice.translations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sections", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    notices = {"parted": parted(args.sections), "flat": flat(args.sections)}
    with tempfile.TemporaryDirectory() as tmp:
        measured: dict[str, dict[str, float]] = {}
        for name, n in notices.items():
            store = Path(tmp) / name
            store.mkdir()
            catalog.write(store / catalog.CATALOG, [n], "bench")
            measured[name] = {step: median_cpu(fn, args.runs) for step, fn in steps(n, store).items()}
    sizes = {name: len(n.section_ids) for name, n in notices.items()}
    print(f"sections: parted {sizes['parted']:,} (4 parts, 3 levels), flat {sizes['flat']:,} (1 part, 2 levels)")
    print(f"median CPU of {args.runs} runs")
    print(f"{'step':24} {'parted ms':>10} {'flat ms':>10} {'ratio':>7}")
    for step in measured["parted"]:
        a, b = measured["parted"][step] * 1000, measured["flat"][step] * 1000
        print(f"{step:24} {a:10.1f} {b:10.1f} {a / b if b else float('nan'):7.2f}")


if __name__ == "__main__":
    main()
