"""Fixtures for the search tests: the seed corpus, one index built from it, and a knowledge base on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb import index as kb_index
from kb.search import KnowledgeBase

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="session")
def seeds() -> Path:
    """The project's seed corpus: two translations ("full", "gmt") of one notice."""
    assert (SEEDS / "manifest.toml").is_file(), SEEDS
    return SEEDS


@pytest.fixture(scope="session")
def built_index(seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The build directory of a fresh index of the seeds (its parent is the index directory)."""
    index_dir = tmp_path_factory.mktemp("search-index")
    return kb_index.build(seeds, index_dir, force=True).path


@pytest.fixture(scope="session")
def kb(built_index: Path) -> KnowledgeBase:
    return KnowledgeBase(built_index)
