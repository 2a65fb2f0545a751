"""Shared pytest fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Ingestion fixtures

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"


@pytest.fixture(scope="session")
def project_root() -> Path:
    """The repository root (the directory holding pyproject.toml)."""
    return PROJECT_ROOT


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The project's seed corpus: two translations of one notice and their manifest."""
    return SEEDS_DIR


@pytest.fixture(scope="session")
def gmt_seed(seeds_dir: Path) -> Path:
    """The clean partial translation (sections 4-8), named "gmt" in the manifest."""
    return next(seeds_dir.glob("000_*.txt"))


@pytest.fixture(scope="session")
def full_seed(seeds_dir: Path) -> Path:
    """The noisy full translation, named "full" in the manifest."""
    return next(seeds_dir.glob("001_*.txt"))


# Corpora and their indexes: one fixture each, built once per session


@pytest.fixture(scope="session")
def seed_index(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build directory of an index of the seeds (its parent is the index directory)."""
    from kb import index as kb_index

    return kb_index.build(seeds_dir, tmp_path_factory.mktemp("seed-index"), force=True).path


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A corpus of several notices (the seeds plus four generated ones): see tests/library.py."""
    from library import write_library

    directory = tmp_path_factory.mktemp("library")
    write_library(directory)
    return directory


@pytest.fixture(scope="session")
def library_index(library: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build directory of an index of the library (its parent is the index directory)."""
    from kb import index as kb_index

    return kb_index.build(library, tmp_path_factory.mktemp("library-index"), force=True).path


@pytest.fixture(scope="session")
def chinese_search_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Chinese notices (one with an English translation and a Traditional text): see tests/chinese_search_corpus.py."""
    from chinese_search_corpus import write_chinese_search_corpus

    return write_chinese_search_corpus(tmp_path_factory.mktemp("chinese-search"))


@pytest.fixture(scope="session")
def chinese_search_index(chinese_search_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build directory of an index of the Chinese search corpus (its parent is the index directory)."""
    from kb import index as kb_index

    return kb_index.build(chinese_search_corpus, tmp_path_factory.mktemp("chinese-search-index"), force=True).path


@pytest.fixture(scope="session")
def chinese_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/chinese_corpus.py's notice: a Chinese original, an English translation and a Traditional text."""
    from chinese_corpus import write_chinese_corpus

    return write_chinese_corpus(tmp_path_factory.mktemp("chinese-corpus"))


@pytest.fixture(scope="session")
def chinese_build(chinese_corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    """An index of tests/chinese_corpus.py's notice (``.path`` is the build, its parent the index directory)."""
    from kb import index as kb_index

    return kb_index.build(chinese_corpus, tmp_path_factory.mktemp("chinese-index"))


@pytest.fixture(scope="session")
def parts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/parts_corpus.py's notice: a covering notice in two translations with two attachments and a third level."""
    from parts_corpus import write_parts_corpus

    return write_parts_corpus(tmp_path_factory.mktemp("parts"))


@pytest.fixture(scope="session")
def parts_build(parts_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build directory of an index of the parts corpus (its parent is the index directory)."""
    from kb import index as kb_index

    return kb_index.build(parts_dir, tmp_path_factory.mktemp("parts-index"), force=True).path


@pytest.fixture(scope="session")
def bilingual_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Chinese notice with attachments and its English translation (tests/chinese_documents.py), with no manifest:
    they are one notice by their document numbers, with the same section ids."""
    from chinese_documents import WITH_ATTACHMENTS, WITH_ATTACHMENTS_EN

    directory = tmp_path_factory.mktemp("bilingual")
    (directory / "notice-zh.txt").write_text(WITH_ATTACHMENTS, encoding="utf-8")
    (directory / "notice-en.txt").write_text(WITH_ATTACHMENTS_EN, encoding="utf-8")
    return directory


@pytest.fixture(scope="session")
def bilingual_build(bilingual_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build directory of an index of the bilingual corpus (its parent is the index directory)."""
    from kb import index as kb_index

    return kb_index.build(bilingual_corpus, tmp_path_factory.mktemp("bilingual-index"), force=True).path


# Options

#: Examples per property-based fuzz test under ``--slow`` (tests/test_fuzz_queries.py): thousands, for minutes.
SLOW_FUZZ_EXAMPLES = "5000"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--slow",
        action="store_true",
        default=False,
        help=f"run the query fuzz tests with {SLOW_FUZZ_EXAMPLES} examples each (or set KB_FUZZ_EXAMPLES)",
    )


def pytest_configure(config: pytest.Config) -> None:
    # The fuzz tests read their example count when they are imported, after this hook runs;
    # an explicit KB_FUZZ_EXAMPLES wins.
    if config.getoption("--slow"):
        os.environ.setdefault("KB_FUZZ_EXAMPLES", SLOW_FUZZ_EXAMPLES)
