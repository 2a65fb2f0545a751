"""Where the corpus and the index live, and how a user overrides it."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def default_corpus() -> Path:
    """``KB_CORPUS`` if set, else the project's ``seeds/``."""
    return Path(os.environ.get("KB_CORPUS") or PROJECT_SEEDS)


def default_index() -> Path:
    """``KB_INDEX`` if set, else a data directory outside the source tree (XDG convention)."""
    if os.environ.get("KB_INDEX"):
        return Path(os.environ["KB_INDEX"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "policy-kb" / "index"
