"""explain=1 on the search API: each result's score signal by signal."""

from __future__ import annotations

PARTS = {"bm25f", "proximity", "coverage", "lexical", "semantic", "citation", "translations", "score"}


def test_the_api_explains_when_asked(client):
    data = client.get("/api/search?q=quantum+computing&explain=1").get_json()
    for hit in data["results"]:
        assert set(hit["explain"]) == PARTS
        assert abs(hit["explain"]["score"] - hit["score"]) < 1e-3
    assert "explain" not in client.get("/api/search?q=quantum+computing").get_json()["results"][0]
