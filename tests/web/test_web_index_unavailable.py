"""The site without a usable index: 503 with what to run, never a 500, and no build at factory time."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb import index as kb_index
from web import create_app

PAGES = [
    "/",
    "/search?q=security",
    "/notices/miit-2024-165/",
    "/notices/miit-2024-165/full",
    "/notices/miit-2024-165/full/6.1",
    "/notices/miit-2024-165/compare/6.1",
    "/doc/english",
    "/compare/6.1",
    "/api/search?q=security",
    "/api/notices",
    "/api/notices/miit-2024-165",
    "/api/notices/miit-2024-165/full/sections/6.1",
]


def site(index_dir: Path, corpus: Path):
    return create_app({"TESTING": True, "KB_INDEX": index_dir, "KB_CORPUS": corpus}).test_client()


def assert_unavailable(client, path: str, *fragments: str) -> None:
    """503 saying what kind of problem and what fixes it, without the server's paths (those go to the log)."""
    response = client.get(path)
    assert response.status_code == 503, (path, response.status_code)
    assert "/tmp/" not in response.get_data(as_text=True) and "pytest" not in response.get_data(as_text=True)
    if path.startswith("/api/"):
        message = response.get_json()["error"]["message"]
    else:
        message = response.get_data(as_text=True)
        assert response.mimetype == "text/html"
    for fragment in fragments:
        assert fragment in message, (path, message)


def test_create_app_never_builds_the_index(corpus, tmp_path):
    create_app({"TESTING": True, "KB_INDEX": tmp_path / "index", "KB_CORPUS": corpus})
    assert not (tmp_path / "index").exists()


@pytest.mark.parametrize("path", PAGES)
def test_without_an_index_every_page_is_503_saying_what_to_run(corpus, tmp_path, path):
    assert_unavailable(site(tmp_path / "index", corpus), path, "No search index is available", "kb index")


@pytest.mark.parametrize("path", PAGES)
def test_a_damaged_index_is_503_not_500(corpus, tmp_path, path):
    index_dir = tmp_path / "index"
    kb_index.build(corpus, index_dir)
    (catalog,) = kb_index.current_build(index_dir).glob("catalog.sqlite")
    catalog.chmod(0o644)
    catalog.write_text("{", encoding="utf-8")
    assert_unavailable(site(index_dir, corpus), path, "The search index is damaged", "kb index")


def test_damage_under_a_running_site_turns_into_503_and_a_rebuild_heals_it(corpus, tmp_path):
    index_dir = tmp_path / "index"
    kb_index.build(corpus, index_dir)
    client = site(index_dir, corpus)
    assert client.get("/search?q=security").status_code == 200
    (seg,) = kb_index.current_build(index_dir).glob("*.seg")
    seg.chmod(0o644)
    seg.write_bytes(b"")
    assert_unavailable(client, "/", "damaged")
    assert kb_index.build(corpus, index_dir).repaired
    assert client.get("/search?q=security").status_code == 200


def test_the_operator_finds_the_whole_message_in_the_log(corpus, tmp_path, caplog):
    client = site(tmp_path / "index", corpus)
    with caplog.at_level("ERROR"):
        assert client.get("/").status_code == 503
    assert f"{tmp_path / 'index'}: no index here (run `kb index`)" in caplog.text


def test_an_untrusted_index_is_503_saying_so(corpus, tmp_path):
    index_dir = tmp_path / "index"
    kb_index.build(corpus, index_dir)
    kb_index.current_build(index_dir).chmod(0o777)
    assert_unavailable(site(index_dir, corpus), "/", "refused: other users could have changed it", "kb index")
