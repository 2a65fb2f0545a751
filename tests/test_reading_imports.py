"""Reading commands load what reading needs: not the cleaner, the outliner or the front-matter parser.

A cold ``kb search`` pays for every module it imports; checking that the
index is fresh lists the corpus's files (kb.sources) without the modules that
turn them into notices (kb.corpus and what it imports), which only a build needs.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Modules only building an index needs.
BUILD_ONLY = ("kb.corpus", "kb.clean", "kb.outline", "kb.frontmatter", "yaml", "kb.cleancache", "importlib.metadata")

PROBE = """
import atexit, json, sys
atexit.register(lambda: sys.stderr.write(json.dumps(sorted(sys.modules))))
sys.argv[0] = "kb"
from kb.cli import main
main()
"""


def test_a_search_in_a_fresh_process_imports_nothing_only_a_build_needs(seed_index, seeds_dir):
    args = ["--index", str(seed_index.parent), "--corpus", str(seeds_dir), "search", "green data centers", "--json"]
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["results"]  # it answered
    loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert "kb.search" in loaded and "kb.freshness" in loaded  # it did search, and check freshness
    assert not loaded & set(BUILD_ONLY)


#: Modules only embedding text needs (kb.semantic's model): saying which mode a build searches in needs none.
EMBEDDING_ONLY = ("numpy", "tokenizers")


@pytest.mark.parametrize("output", ["--json", "text"])
def test_kb_index_with_nothing_to_do_imports_nothing_only_a_build_needs(seed_index, seeds_dir, output):
    flags = [output] if output == "--json" else []
    args = ["--index", str(seed_index.parent), "--corpus", str(seeds_dir), "index", *flags]
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)["built"] is False if output == "--json" else "up to date" in done.stdout
    assert said  # nothing to do
    loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert "kb.index" in loaded
    assert not loaded & set(BUILD_ONLY)
    assert not loaded & set(EMBEDDING_ONLY)
