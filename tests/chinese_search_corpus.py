"""A corpus of Chinese notices for the tests of Chinese search: tests/chinese_corpus.py's notice (a Chinese
original, its English translation and a Traditional text) and the five notices of the Chinese relevance check
(benchmarks/chinese/: earthquake resistance, allocated land, account passwords, one-stop government services,
old residential areas), all Chinese originals with overlapping subjects.

The benchmark's texts are read from where they live rather than copied, so that the notices the tests judge
search on are the ones the relevance figures are measured on.
"""

from __future__ import annotations

from pathlib import Path

from chinese_corpus import write_chinese_corpus

BENCHMARK = Path(__file__).resolve().parents[1] / "benchmarks" / "chinese"
#: The benchmark notices' ids, by subject.
EARTHQUAKE, LAND, ACCOUNTS, SERVICES, OLD_AREAS = (
    "guo-ban-fa-2024-8",
    "zi-ran-zi-fa-2023-52",
    "gong-xin-bu-2024-30",
    "guo-ban-fa-2023-21",
    "jian-cheng-2024-15",
)


def write_chinese_search_corpus(directory: Path) -> Path:
    """Both corpora's files in ``directory``, under one manifest; returns it."""
    write_chinese_corpus(directory)
    manifest = (directory / "manifest.toml").read_text(encoding="utf-8")
    for path in sorted(BENCHMARK.glob("*.txt")):
        (directory / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    extra = (BENCHMARK / "manifest.toml").read_text(encoding="utf-8")
    (directory / "manifest.toml").write_text(manifest + "\n" + extra, encoding="utf-8")
    return directory
