"""Shared pytest fixtures."""

from __future__ import annotations

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
