"""The JSON API: its shapes, paging, filters, errors, and the OpenAPI description matching reality."""

from __future__ import annotations

import re

import pytest
from openapi_schema import schema_errors

SEARCH_KEYS = {"query", "total", "suggestion", "results", "facets", "limit", "offset", "has_more"}
HIT_KEYS = {"section", "translation", "title", "parent_title", "link", "snippet", "score", "also_in"}


def _json(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code} {response.get_data(as_text=True)[:300]}"
    assert response.mimetype == "application/json", f"{url}: {response.mimetype}"
    return response.get_json()


# -- a validator for the subset of JSON Schema the description uses ----------------------


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/openapi.json").get_json()


def _response_schema(spec: dict, path: str, status: str) -> dict:
    return spec["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]


def test_the_validator_rejects_what_it_should(spec):
    hit = {"$ref": "#/components/schemas/Hit"}
    good = {
        "section": "6.1",
        "translation": "full",
        "title": None,
        "parent_title": "x",
        "link": "/doc/full#s6-1",
        "snippet": "s",
        "score": 1,
        "also_in": [],
    }
    assert schema_errors(good, hit, spec) == []
    assert schema_errors({**good, "score": "1"}, hit, spec)
    assert schema_errors({**good, "also_in": [1]}, hit, spec)
    assert schema_errors({k: v for k, v in good.items() if k != "link"}, hit, spec)
    assert schema_errors({**good, "title": 3}, hit, spec)
    facets = {"$ref": "#/components/schemas/SearchResult"}
    assert any(
        "facets.translation.full" in e for e in schema_errors({"facets": {"translation": {"full": "x"}}}, facets, spec)
    )
    doc = {"$ref": "#/components/schemas/Document"}
    assert any("sections" in e for e in schema_errors({"translation": "x"}, doc, spec))  # allOf reaches both parts
    assert schema_errors(True, {"type": "integer"}, spec)


# -- /api/search --------------------------------------------------------------------------


def test_search_shape(client):
    data = _json(client, "/api/search?q=submarine+cables")
    assert SEARCH_KEYS <= set(data)
    assert data["query"] == "submarine cables"
    assert data["limit"] == 10 and data["offset"] == 0
    assert data["total"] == len(data["results"]) > 0
    assert data["has_more"] is False
    assert data["suggestion"] is None
    assert set(data["facets"]) == {"translation", "section"}
    first = data["results"][0]
    for hit in data["results"]:
        assert HIT_KEYS <= set(hit)
        assert isinstance(hit["score"], int | float) and hit["score"] > 0
        assert hit["link"] == f"/doc/{hit['translation']}#s{hit['section'].replace('.', '-')}"
    assert first["section"] == "7.1"
    assert first["parent_title"].startswith("Strengthen cross-")
    assert set(first["also_in"]) | {first["translation"]} == {"full", "gmt"}
    scores = [h["score"] for h in data["results"]]
    assert scores == sorted(scores, reverse=True)


def test_search_suggestion(client):
    assert _json(client, "/api/search?q=satelite")["suggestion"] == "satellite"


def test_search_paging_with_limit_and_offset(client):
    everything = _json(client, "/api/search?q=development&limit=100")
    total = everything["total"]
    assert total > 10 and len(everything["results"]) == total and not everything["has_more"]
    order = [h["section"] for h in everything["results"]]
    pages, offset = [], 0
    while True:
        page = _json(client, f"/api/search?q=development&limit=4&offset={offset}")
        assert page["limit"] == 4 and page["offset"] == offset and page["total"] == total
        pages += [h["section"] for h in page["results"]]
        assert page["has_more"] == (offset + 4 < total)
        if not page["has_more"]:
            break
        offset += 4
    assert pages == order
    beyond = _json(client, f"/api/search?q=development&offset={total + 5}")
    assert beyond["results"] == [] and beyond["total"] == total and beyond["has_more"] is False


def test_search_translation_filter(client):
    data = _json(client, "/api/search?q=security&translation=gmt&limit=100")
    assert data["results"] and all(h["translation"] == "gmt" for h in data["results"])
    unfiltered = _json(client, "/api/search?q=security&limit=100")
    assert data["total"] == unfiltered["facets"]["translation"]["gmt"]
    assert data["total"] <= unfiltered["total"]


def test_search_section_filter(client):
    data = _json(client, "/api/search?q=security&section=6&limit=100")
    assert data["results"] and all(h["section"].split(".")[0] == "6" for h in data["results"])


def test_search_separate_lists_translations_apart(client):
    grouped = _json(client, "/api/search?q=submarine+cables&limit=100")
    separate = _json(client, "/api/search?q=submarine+cables&limit=100&separate=1")
    pairs = [(h["section"], h["translation"]) for h in separate["results"]]
    assert len(pairs) == len(set(pairs)) == separate["total"] > grouped["total"]


ERRORS_400 = [
    "/api/search",
    "/api/search?q=",
    "/api/search?q=+++",
    "/api/search?q=" + "a" * 501,
    "/api/search?q=x&limit=0",
    "/api/search?q=x&limit=1000",
    "/api/search?q=x&limit=101",
    "/api/search?q=x&limit=abc",
    "/api/search?q=x&limit=1.5",
    "/api/search?q=x&offset=-1",
    "/api/search?q=x&offset=abc",
    "/api/search?q=x&offset=10001",
    "/api/search?q=x&translation=nope",
    "/api/search?q=x&section=abc",
    "/api/search?q=x&limit=%C2%B2",
    "/api/search?q=x&offset=%C2%B2",
]


@pytest.mark.parametrize("url", ERRORS_400)
def test_bad_search_requests_are_400_json(client, url):
    data = _json(client, url, 400)
    error = data["error"]
    assert error["status"] == 400 and error["title"] == "Bad Request" and error["message"]


def test_error_messages_say_what_is_wrong(client):
    assert "q is required" in _json(client, "/api/search", 400)["error"]["message"]
    assert "500" in _json(client, "/api/search?q=" + "a" * 501, 400)["error"]["message"]
    assert "limit" in _json(client, "/api/search?q=x&limit=0", 400)["error"]["message"]
    assert "nope" in _json(client, "/api/search?q=x&translation=nope", 400)["error"]["message"]


def test_query_of_exactly_the_maximum_length_is_accepted(client):
    assert _json(client, "/api/search?q=" + "a" * 500)["total"] == 0


# -- /api/documents -----------------------------------------------------------------------


def test_documents(client, hostile):
    docs = _json(client, "/api/documents")["documents"]
    by_name = {d["translation"]: d for d in docs}
    assert set(by_name) == {"full", "gmt", hostile}
    full = by_name["full"]
    assert full["number"] == "MIIT Communications [2024] No. 165"
    assert full["date"] == "2024-09-04"
    assert full["notice"] == by_name["gmt"]["notice"] == "miit-2024-165"
    assert full["link"] == "/doc/full" and full["label"] == "Full translation"
    assert "Ministry of Industry and Information Technology" in full["issuers"]
    assert by_name["gmt"]["source"] == "GMT Eight"


def test_document(client):
    doc = _json(client, "/api/documents/full")
    assert doc["translation"] == "full"
    sections = {s["id"]: s for s in doc["sections"]}
    assert sections["6.1"] == {
        "id": "6.1",
        "title": "Improve network and data security capabilities",
        "parent": "6",
        "link": "/doc/full#s6-1",
    }
    assert sections["6"]["parent"] is None
    assert doc["missing"] == ["1.1", "1.2"]
    gmt = _json(client, "/api/documents/gmt")
    assert "1.3" in gmt["missing"] and "4.1" not in gmt["missing"]
    assert {s["id"]: s for s in gmt["sections"]}["4"]["title"] is None


def test_section(client):
    s = _json(client, "/api/documents/full/sections/6.1")
    assert s["translation"] == "full" and s["id"] == "6.1" and s["parent"] == "6"
    assert s["title"] == "Improve network and data security capabilities"
    assert "network security capability maturity" in s["text"]
    assert s["link"] == "/doc/full#s6-1" and s["permalink"] == "/doc/full/6.1"
    assert s["also_in"] == ["gmt"]
    assert s["front_matter"] is False
    assert s["number"] == "MIIT Communications [2024] No. 165"
    front = _json(client, "/api/documents/full/sections/front")
    assert front["front_matter"] is True and "Reading guide" in front["text"]
    assert _json(client, "/api/documents/full/sections/1.3")["also_in"] == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/documents/nope",
        "/api/documents/nope/sections/6.1",
        "/api/documents/full/sections/9.9",
        "/api/documents/full/sections/1.1",  # missing from the full translation
        "/api/documents/gmt/sections/1.3",  # the partial translation starts at 4
        "/api/documents/full/sections/1.1.1",
        "/api/documents/full/sections/-1",
        "/api/documents/full/sections/abc",
        "/api/nope",
    ],
)
def test_unknown_things_are_404_json(client, url):
    error = _json(client, url, 404)["error"]
    assert error["status"] == 404 and error["title"] == "Not Found" and error["message"]


def test_wrong_method_is_405_json(client):
    response = client.post("/api/search?q=x")
    assert response.status_code == 405 and response.mimetype == "application/json"
    assert response.get_json()["error"]["status"] == 405


# -- the OpenAPI description matches reality ----------------------------------------------

_EXAMPLES = {"name": "full", "section": "6.1", "q": "security"}


def _example_url(path: str, operation: dict, **overrides: str) -> str:
    values = {**_EXAMPLES, **overrides}
    url = re.sub(r"\{(\w+)\}", lambda m: values[m[1]], path)
    required = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query" and p.get("required")]
    if required:
        url += "?" + "&".join(f"{name}={values[name]}" for name in required)
    return url


def test_openapi_document(spec):
    assert spec["openapi"].startswith("3.1")
    assert spec["info"]["title"] and spec["info"]["version"]
    assert spec["paths"]


def test_every_api_route_is_described(app, spec):
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/") and rule.endpoint != "api.openapi"
    }
    assert routes == set(spec["paths"])


def test_every_described_path_answers_and_matches_its_schema(client, spec):
    for path, methods in spec["paths"].items():
        assert set(methods) == {"get"}, path
        operation = methods["get"]
        url = _example_url(path, operation)
        data = _json(client, url)
        errors = schema_errors(data, _response_schema(spec, path, "200"), spec)
        assert not errors, (url, errors[:5])


def test_every_document_and_section_matches_its_schema(client, spec):
    """Not just one example: every translation and every section, the hostile document included."""
    doc_schema = _response_schema(spec, "/api/documents/{name}", "200")
    section_schema = _response_schema(spec, "/api/documents/{name}/sections/{section}", "200")
    checked = 0
    for summary in _json(client, "/api/documents")["documents"]:
        name = summary["translation"]
        doc = _json(client, f"/api/documents/{name}")
        assert not schema_errors(doc, doc_schema, spec)
        for s in [{"id": "front"}] + doc["sections"]:
            response = client.get(f"/api/documents/{name}/sections/{s['id']}")
            if s["id"] == "front" and response.status_code == 404:
                continue
            assert response.status_code == 200
            assert not schema_errors(response.get_json(), section_schema, spec), (name, s["id"])
            checked += 1
    assert checked > 30


@pytest.mark.parametrize("q", ["submarine cables", "satelite", "6 (1)", "xyzzyqqq", '"dual gigabit"', "front", "NOT ("])
def test_search_results_match_the_schema(client, spec, q):
    data = _json(client, "/api/search?" + f"q={q}&limit=100".replace(" ", "+"))
    assert not schema_errors(data, _response_schema(spec, "/api/search", "200"), spec)


def test_documented_errors_match_the_error_schema(client, spec):
    failing = {"400": {"q": ""}, "404": {"name": "nope", "section": "9.9"}}
    for path, methods in spec["paths"].items():
        operation = methods["get"]
        for status in operation["responses"]:
            if status == "200":
                continue
            url = _example_url(path, operation, **failing[status])
            data = _json(client, url, int(status))
            assert not schema_errors(data, _response_schema(spec, path, status), spec), url


def test_described_parameter_bounds_hold(client, spec):
    params = {p["name"]: p["schema"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    longest = params["q"]["maxLength"]
    _json(client, "/api/search?q=" + "a" * longest)
    _json(client, "/api/search?q=" + "a" * (longest + 1), 400)
    for name in ("limit", "offset"):
        low, high = params[name]["minimum"], params[name]["maximum"]
        assert _json(client, f"/api/search?q=x&{name}={low}")[name] == low
        assert _json(client, f"/api/search?q=x&{name}={high}")[name] == high
        _json(client, f"/api/search?q=x&{name}={low - 1}", 400)
        _json(client, f"/api/search?q=x&{name}={high + 1}", 400)
    assert _json(client, "/api/search?q=x")["limit"] == params["limit"]["default"]
    assert _json(client, "/api/search?q=x")["offset"] == params["offset"]["default"]
    for value in params["separate"]["enum"]:
        _json(client, f"/api/search?q=x&separate={value}")
