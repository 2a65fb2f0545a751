"""Fixtures for the search tests: knowledge bases on the seed index and on the library of several notices.

The corpora and their indexes are the session's shared ones (tests/conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.search import KnowledgeBase


@pytest.fixture(scope="session")
def seeds(seeds_dir: Path) -> Path:
    """The project's seed corpus: two translations ("full", "gmt") of one notice."""
    return seeds_dir


@pytest.fixture(scope="session")
def built_index(seed_index: Path) -> Path:
    """The build directory of the seeds' index."""
    return seed_index


@pytest.fixture(scope="session")
def kb(seed_index: Path) -> KnowledgeBase:
    """The seed notice alone: ranking and query features are judged on it."""
    return KnowledgeBase(seed_index)


@pytest.fixture(scope="session")
def library_kb(library_index: Path) -> KnowledgeBase:
    """Several notices: what a search across notices must get right is judged on it."""
    return KnowledgeBase(library_index)
