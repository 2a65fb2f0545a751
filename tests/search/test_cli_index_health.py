"""What the `kb` commands do with a damaged, untrusted or missing index, and with a corpus that cannot be indexed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_assertions import assert_one_line_error
from click.testing import CliRunner

from kb import index as kb_index
from kb.cli import cli


@pytest.fixture
def index_dir(seeds: Path, tmp_path: Path) -> Path:
    directory = tmp_path / "index"
    kb_index.build(seeds, directory)
    return directory


def run(index_dir: Path, corpus: Path, *args: str):
    return CliRunner().invoke(cli, ["--index", str(index_dir), "--corpus", str(corpus), *args])


def truncate_segment(index_dir: Path) -> None:
    (seg,) = kb_index.current_build(index_dir).glob("*.seg")
    seg.chmod(0o644)
    seg.write_bytes(seg.read_bytes()[:1000])


def test_search_on_a_damaged_index_says_what_to_run(seeds, index_dir):
    truncate_segment(index_dir)
    for command in (["search", "security"], ["show", "6.1"], ["sections"]):
        assert_one_line_error(run(index_dir, seeds, *command), "damaged", "run `kb index`")


def test_kb_index_repairs_a_damaged_index_without_force(seeds, index_dir):
    truncate_segment(index_dir)
    result = run(index_dir, seeds, "index")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Indexed 34 sections")
    assert "rebuilt the index" in result.stderr and "damaged" in result.stderr
    assert run(index_dir, seeds, "search", "security").exit_code == 0


def test_an_untrusted_index_is_refused_in_one_line(seeds, index_dir):
    kb_index.current_build(index_dir).chmod(0o777)
    assert_one_line_error(run(index_dir, seeds, "search", "security"), "other users can write")


@pytest.fixture
def serve_calls(monkeypatch) -> Iterator[list[dict]]:
    """``kb serve`` up to the point where waitress would start serving (on a free port, closed afterwards)."""
    import waitress

    calls: list[dict] = []
    servers = []
    real_create = waitress.create_server

    def create(app, **kwargs):
        server = real_create(app, **{**kwargs, "port": 0})
        server.run = lambda: calls.append({"app": app, **kwargs})
        servers.append(server)
        return server

    monkeypatch.setattr(waitress, "create_server", create)
    yield calls
    for server in servers:
        server.close()


@pytest.mark.parametrize(
    "breakage",
    [
        lambda c: shutil.rmtree(c),
        lambda c: (c / "manifest.toml").write_text("[[notice]\nbroken", encoding="utf-8"),
        lambda c: [p.unlink() for p in c.glob("*.txt")],
    ],
    ids=["corpus-gone", "manifest-broken", "no-notices-left"],
)
def test_serve_starts_on_a_good_index_whatever_the_corpus_holds(seeds, index_dir, tmp_path, serve_calls, breakage):
    corpus = Path(shutil.copytree(seeds, tmp_path / "corpus"))
    assert run(index_dir, corpus, "index").exit_code == 0
    breakage(corpus)
    result = run(index_dir, corpus, "serve", "--port", "5999")
    assert result.exit_code == 0, result.output
    assert len(serve_calls) == 1
    assert "kb: warning: serving the existing index" in result.stderr
    client = serve_calls[0]["app"].test_client()
    assert client.get("/search?q=submarine+cables").status_code == 200


def test_serve_with_neither_corpus_nor_index_is_one_error(tmp_path, serve_calls):
    result = run(tmp_path / "no-index", tmp_path / "no-corpus", "serve")
    assert_one_line_error(result, "no index here")
    assert serve_calls == []
