"""The JSON API: its shapes, paging, filters, facets, errors, and the OpenAPI description matching reality.

Expectations come from the library of notices (tests/library.py) and the
hostile document (tests/web/conftest.py).
"""

from __future__ import annotations

import re

import pytest
from library import ALL_NOTICE_IDS, CAC, MOF, NDRC, NOTICES, SEED_NOTICE, SHARED_SECTIONS, TOPICS
from openapi_schema import schema_errors

SEARCH_KEYS = {"query", "total", "suggestion", "results", "facets", "limit", "offset", "has_more"}
HIT_KEYS = {
    "notice",
    "notice_title",
    "number",
    "date",
    "section",
    "section_label",
    "translation",
    "translation_label",
    "title",
    "parent_title",
    "snippet",
    "score",
    "also_in",
    "permalink",
    "citation",
    "links",
}
FACETS = {"notice", "issuer", "year", "type", "translation"}
#: What the test client's requests are answered as (no base URL configured): the citations' absolute links.
ORIGIN = "http://localhost"


def _json(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code} {response.get_data(as_text=True)[:300]}"
    assert response.mimetype == "application/json", f"{url}: {response.mimetype}"
    return response.get_json()


def _all_hits(client, query: str) -> list[dict]:
    data = _json(client, f"/api/search?{query}&limit=100")
    assert data["total"] == len(data["results"]), "the test expects every hit on one page"
    return data["results"]


# -- a validator for the subset of JSON Schema the description uses ----------------------


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/openapi.json").get_json()


def _response_schema(spec: dict, path: str, status: str) -> dict:
    return spec["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]


def test_the_validator_rejects_what_it_should(client, spec):
    hit = {"$ref": "#/components/schemas/Hit"}
    good = _json(client, "/api/search?q=submarine+cables")["results"][0]
    assert schema_errors(good, hit, spec) == []
    assert schema_errors({**good, "score": "1"}, hit, spec)
    assert schema_errors({**good, "also_in": [1]}, hit, spec)
    assert schema_errors({k: v for k, v in good.items() if k != "permalink"}, hit, spec)
    assert schema_errors({**good, "title": 3}, hit, spec)
    assert schema_errors({**good, "links": {"notice": "/x", "read": "/y"}}, hit, spec)  # compare is required
    result = {"$ref": "#/components/schemas/SearchResult"}
    assert any(
        "facets.translation.full" in e for e in schema_errors({"facets": {"translation": {"full": "x"}}}, result, spec)
    )
    detail = {"$ref": "#/components/schemas/NoticeDetail"}
    assert any("sections" in e for e in schema_errors({"id": "x"}, detail, spec))  # allOf reaches both parts
    assert any("title" in e for e in schema_errors({"sections": []}, detail, spec))
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
    assert set(data["facets"]) == FACETS
    assert set(data["facets"]["notice"]) == set(TOPICS["submarine cable"])
    for hit in data["results"]:
        assert HIT_KEYS <= set(hit)
        assert isinstance(hit["score"], int | float) and hit["score"] > 0
        path = f"/notices/{hit['notice']}/{hit['translation']}"
        assert hit["permalink"] == f"{path}/{hit['section']}"
        assert hit["links"]["read"] == f"{path}#s{hit['section'].replace('.', '-')}"
        assert hit["links"]["notice"] == f"/notices/{hit['notice']}/"
    scores = [h["score"] for h in data["results"]]
    assert scores == sorted(scores, reverse=True)
    seed = _json(client, f"/api/search?q=submarine+cables&notice={SEED_NOTICE}")["results"][0]
    assert seed["section"] == "7.1" and seed["section_label"] == "7 (1)"
    assert seed["parent_title"].startswith("Strengthen cross-")
    assert set(seed["also_in"]) | {seed["translation"]} == {"full", "gmt"}
    assert seed["links"]["compare"] == f"/notices/{SEED_NOTICE}/compare/7.1"


def test_each_hit_names_its_notice(client):
    by_id = {n.id: n for n in NOTICES}
    hits = _all_hits(client, "q=submarine+cables")
    assert {h["notice"] for h in hits} == set(TOPICS["submarine cable"])
    for hit in hits:
        if hit["notice"] in by_id:
            n = by_id[hit["notice"]]
            assert (hit["notice_title"], hit["number"], hit["date"]) == (n.title, n.number, n.date)
            label = dict(zip(n.translations, n.labels, strict=True))[hit["translation"]]
            assert hit["translation_label"] == label
            assert hit["title"] == n.title_of(hit["section"])


def test_every_permalink_resolves_and_every_citation_is_complete(client):
    hits = _all_hits(client, "q=submarine+cables") + _all_hits(client, "q=data+centre+tidal")
    assert {h["notice"] for h in hits} >= {SEED_NOTICE, MOF.id, CAC.id, NDRC.id}
    for hit in hits:
        response = client.get(hit["permalink"])
        assert response.status_code == 200, hit["permalink"]
        assert client.get(hit["links"]["notice"]).status_code == 200
        assert client.get(hit["links"]["read"].split("#")[0]).status_code == 200
        if hit["links"]["compare"]:
            assert client.get(hit["links"]["compare"]).status_code == 200
        citation = hit["citation"]
        where = "front matter" if hit["section"] == "front" else f"section {hit['section_label']}"
        for part in (hit["number"], hit["notice_title"], where, hit["translation_label"]):
            assert part in citation, (part, citation)
        assert hit["date"] in citation
        assert citation.endswith(", " + ORIGIN + hit["permalink"])
        assert "\n" not in citation


def test_search_suggestion(client):
    data = _json(client, "/api/search?q=satelite")
    assert data["corrected"] == "satellite" and data["suggestion"] is None


def test_search_paging_with_limit_and_offset(client):
    everything = _json(client, "/api/search?q=development&limit=100")
    total = everything["total"]
    assert total > 10 and len(everything["results"]) == total and not everything["has_more"]
    order = [(h["notice"], h["section"], h["translation"]) for h in everything["results"]]
    pages, offset = [], 0
    while True:
        page = _json(client, f"/api/search?q=development&limit=4&offset={offset}")
        assert page["limit"] == 4 and page["offset"] == offset and page["total"] == total
        assert page["facets"] == everything["facets"]  # counted over all matches, whatever the page
        pages += [(h["notice"], h["section"], h["translation"]) for h in page["results"]]
        assert page["has_more"] == (offset + 4 < total)
        if not page["has_more"]:
            break
        offset += 4
    assert pages == order
    beyond = _json(client, f"/api/search?q=development&offset={total + 5}")
    assert beyond["results"] == [] and beyond["total"] == total and beyond["has_more"] is False


@pytest.mark.parametrize(
    "key, value, fits",
    [
        ("notice", MOF.id, lambda h: h["notice"] == MOF.id),
        ("issuer", "Ministry of Finance", lambda h: h["notice"] in (SEED_NOTICE, MOF.id)),
        ("issuer", "Cyberspace Administration of China", lambda h: h["notice"] in (SEED_NOTICE, CAC.id)),
        ("year", "2024", lambda h: h["date"].startswith("2024")),
        ("year", "2025", lambda h: h["notice"] == CAC.id),
        ("type", "measures", lambda h: h["notice"] == MOF.id),
        ("type", "plan", lambda h: h["notice"] == CAC.id),
        ("translation", "full", lambda h: h["translation"] == "full"),
        ("translation", "excerpt", lambda h: h["notice"] == MOF.id and h["translation"] == "excerpt"),
    ],
)
def test_each_search_filter_narrows_to_its_facet_count(client, key, value, fits):
    unfiltered = _json(client, "/api/search?q=submarine+cables&limit=100")
    filtered = _json(client, f"/api/search?q=submarine+cables&limit=100&{key}={value}")
    assert filtered["results"] and all(fits(h) for h in filtered["results"]), [h["notice"] for h in filtered["results"]]
    assert filtered["total"] == unfiltered["facets"][key][value] < unfiltered["total"]
    everything_fitting = [h for h in _all_hits(client, "q=submarine+cables&separate=1") if fits(h)]
    assert {h["notice"] for h in filtered["results"]} == {h["notice"] for h in everything_fitting}


def test_search_filters_combine(client):
    both = _json(client, "/api/search?q=submarine+cables&limit=100&issuer=Ministry+of+Finance&year=2024")
    assert {h["notice"] for h in both["results"]} == {SEED_NOTICE, MOF.id}
    narrower = _json(client, "/api/search?q=submarine+cables&limit=100&year=2024&translation=excerpt")
    assert narrower["results"] and all(
        (h["notice"], h["translation"]) == (MOF.id, "excerpt") for h in narrower["results"]
    )
    assert narrower["total"] == both["facets"]["translation"]["excerpt"]
    nothing = _json(client, "/api/search?q=submarine+cables&type=plan&year=2024")
    assert nothing["total"] == 0 and nothing["results"] == []


def test_search_query_fields_match_the_filters(client):
    """``notice:``, ``year:`` and ``issuer:`` in the query select what the filters select."""
    for field, value, expected in [
        ("notice", MOF.id, {MOF.id}),
        ("year", "2025", {CAC.id}),
        ("issuer", "NDRC", {NDRC.id}),  # an abbreviation of an issuing body's name
        ("issuer", "MIIT", {SEED_NOTICE, MOF.id}),  # MIIT co-issued MOF's measures
        ("issuer", '"Ministry+of+Industry+and+Information+Technology"', {SEED_NOTICE, MOF.id}),
    ]:
        alone = {h["notice"] for h in _all_hits(client, f"q={field}:{value}")}
        assert alone == expected, field
        both = {h["notice"] for h in _all_hits(client, f'q="submarine+cables"+AND+{field}:{value}')}
        assert both == expected & set(TOPICS["submarine cable"]), field
    filtered = {h["notice"] for h in _all_hits(client, f'q="submarine+cables"&notice={MOF.id}')}
    assert filtered == {MOF.id}


def test_sort_by_date_puts_newest_notices_first(client):
    by_date = _all_hits(client, "q=submarine+cables&sort=date")
    dates = [h["date"] for h in by_date]
    assert dates == sorted(dates, reverse=True) and len(set(dates)) > 1
    by_relevance = _all_hits(client, "q=submarine+cables")
    assert sorted(map(str, by_date)) == sorted(map(str, by_relevance))  # the same hits, another order
    explicit = _all_hits(client, "q=submarine+cables&sort=relevance")
    assert explicit == by_relevance


def test_search_separate_lists_translations_apart(client):
    grouped = _json(client, "/api/search?q=submarine+cables&limit=100")
    separate = _json(client, "/api/search?q=submarine+cables&limit=100&separate=1")
    keys = [(h["notice"], h["section"], h["translation"]) for h in separate["results"]]
    assert len(keys) == len(set(keys)) == separate["total"] > grouped["total"]


def test_two_notices_sections_never_mix_in_search(client):
    """Every notice has a 2.1: a hit's text and title are its own notice's, never another's."""
    by_id = {n.id: n for n in NOTICES}
    for n in NOTICES:
        for sid in SHARED_SECTIONS:
            for t in n.translations:
                section = _json(client, f"/api/notices/{n.id}/{t}/sections/{sid}")
                assert section["notice"] == n.id and section["title"] == n.title_of(sid)
                for other in NOTICES:
                    if other.id != n.id:
                        assert section["title"] != other.title_of(sid)
    for hit in _all_hits(client, "q=section:2.1&separate=1"):
        if hit["notice"] in by_id:
            assert hit["title"] == by_id[hit["notice"]].title_of("2.1"), hit["notice"]


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
    "/api/search?q=x&notice=nope",
    "/api/search?q=x&issuer=nope",
    "/api/search?q=x&year=abc",
    "/api/search?q=x&type=nope",
    "/api/search?q=x&sort=nope",
    "/api/search?q=x&limit=%C2%B2",
    "/api/search?q=x&offset=%C2%B2",
    "/api/notices?limit=0",
    "/api/notices?limit=101",
    "/api/notices?offset=-1",
    "/api/notices?year=abc",
    "/api/notices?issuer=nope",
    "/api/notices?type=nope",
]


@pytest.mark.parametrize("url", ERRORS_400)
def test_bad_requests_are_400_json(client, url):
    data = _json(client, url, 400)
    error = data["error"]
    assert error["status"] == 400 and error["title"] == "Bad Request" and error["message"]


def test_error_messages_say_what_is_wrong(client):
    assert "q is required" in _json(client, "/api/search", 400)["error"]["message"]
    assert "500" in _json(client, "/api/search?q=" + "a" * 501, 400)["error"]["message"]
    assert "limit" in _json(client, "/api/search?q=x&limit=0", 400)["error"]["message"]
    assert "nope" in _json(client, "/api/search?q=x&translation=nope", 400)["error"]["message"]
    assert "relevance, date" in _json(client, "/api/search?q=x&sort=nope", 400)["error"]["message"]
    assert "year must be a year" in _json(client, "/api/notices?year=abc", 400)["error"]["message"]
    assert "nope" in _json(client, "/api/search?q=x&notice=nope", 400)["error"]["message"]


def test_query_of_exactly_the_maximum_length_is_accepted(client):
    assert _json(client, "/api/search?q=" + "a" * 500)["total"] == 0


# -- /api/notices -------------------------------------------------------------------------


def test_notices_newest_first_with_their_facts(client, hostile):
    data = _json(client, "/api/notices")
    ids = [n["id"] for n in data["notices"]]
    assert set(ids) == {*ALL_NOTICE_IDS, hostile} and data["total"] == len(ids) and not data["has_more"]
    dated = [n["date"] for n in data["notices"] if n["date"]]
    assert dated == sorted(dated, reverse=True)
    assert ids[-1] == hostile  # undated: after every dated notice
    by_id = {n["id"]: n for n in data["notices"]}
    for n in NOTICES:
        got = by_id[n.id]
        assert (got["title"], got["number"], got["date"], got["type"]) == (n.title, n.number, n.date, n.type)
        assert got["year"] == n.year and got["issuers"] == list(n.issuers)
        assert [t["name"] for t in got["translations"]] == list(n.translations)
        assert [t["label"] for t in got["translations"]] == list(n.labels)
        assert got["link"] == f"/notices/{n.id}/"
        for t in got["translations"]:
            assert t["link"] == f"/notices/{n.id}/{t['name']}"
            lacking = [s for s in n.section_ids if s not in n.section_ids_of(t["name"])]
            assert t["missing"] == lacking
    seed = by_id[SEED_NOTICE]
    assert seed["number"] == "MIIT Communications [2024] No. 165" and seed["source"] == "GMT Eight"
    assert "Ministry of Industry and Information Technology" in seed["issuers"]


def test_notices_paging(client):
    everything = [n["id"] for n in _json(client, "/api/notices")["notices"]]
    pages, offset = [], 0
    while True:
        page = _json(client, f"/api/notices?limit=2&offset={offset}")
        assert page["limit"] == 2 and page["offset"] == offset and page["total"] == len(everything)
        pages += [n["id"] for n in page["notices"]]
        assert page["has_more"] == (offset + 2 < len(everything))
        if not page["has_more"]:
            break
        offset += 2
    assert pages == everything
    assert _json(client, "/api/notices?offset=100")["notices"] == []


@pytest.mark.parametrize(
    "key, value, expected",
    [
        ("issuer", "Ministry of Finance", {SEED_NOTICE, MOF.id}),
        ("issuer", "National Development and Reform Commission", {NDRC.id}),
        ("year", "2024", {SEED_NOTICE, MOF.id}),
        ("year", "2021", {n.id for n in NOTICES if n.year == 2021}),
        ("type", "plan", {CAC.id}),
        ("type", "opinions", {NDRC.id}),
    ],
)
def test_notices_filters_narrow_to_their_facet_count(client, key, value, expected):
    everything = _json(client, "/api/notices")
    filtered = _json(client, f"/api/notices?{key}={value}")
    assert {n["id"] for n in filtered["notices"]} == expected
    assert filtered["total"] == everything["facets"][key][value] == len(expected)
    assert filtered["filters"] == {key: value}
    # the other facets of a filtered list count what it shows; its own facet counts what each of its values
    # would list instead (it leaves out its own filter)
    assert filtered["facets"][key] == everything["facets"][key]
    for facet_key, counts in filtered["facets"].items():
        shown = filtered["notices"]
        if facet_key == key:
            continue
        for facet_value, count in counts.items():
            if facet_key == "issuer":
                assert count == sum(facet_value in n["issuers"] for n in shown)
            elif facet_key == "year":
                assert count == sum(str(n["year"]) == facet_value for n in shown)
            else:
                assert count == sum(n["type"] == facet_value for n in shown)


def test_notices_filters_combine(client):
    data = _json(client, "/api/notices?issuer=Ministry+of+Finance&type=measures&year=2024")
    assert [n["id"] for n in data["notices"]] == [MOF.id]
    assert _json(client, "/api/notices?issuer=Ministry+of+Finance&type=plan")["total"] == 0


def test_notice_with_its_contents(client):
    for n in NOTICES:
        data = _json(client, f"/api/notices/{n.id}")
        assert data["id"] == n.id and data["title"] == n.title
        sections = {s["id"]: s for s in data["sections"] if s["id"] != "front"}
        assert list(sections) == list(n.section_ids)
        for sid, s in sections.items():
            assert s["title"] == n.title_of(sid)
            assert s["parent"] == (sid.split(".")[0] if "." in sid else None)
            assert s["in"] == [t for t in n.translations if sid in n.section_ids_of(t)]
        assert data["missing_everywhere"] == []
    excerpt = {s["id"]: s for s in _json(client, f"/api/notices/{MOF.id}")["sections"]}
    assert excerpt["4.1"]["in"] == ["full"] and excerpt["2.1"]["in"] == ["full", "excerpt"]
    seed = _json(client, f"/api/notices/{SEED_NOTICE}")
    assert seed["missing_everywhere"] == ["1.1", "1.2"]
    sections = {s["id"]: s for s in seed["sections"]}
    assert sections["6.1"] == {
        "id": "6.1",
        "label": "6 (1)",
        "title": "Improve network and data security capabilities",
        "parent": "6",
        "part": 0,
        "level": 2,
        "title_derived": False,
        "in": ["full", "gmt"],
    }
    assert sections["1.3"]["in"] == ["full"]
    assert {t["name"]: t["missing"] for t in seed["translations"]}["full"] == ["1.1", "1.2"]


def test_section(client):
    s = _json(client, f"/api/notices/{SEED_NOTICE}/full/sections/6.1")
    assert s["notice"] == SEED_NOTICE and s["translation"] == "full" and s["id"] == "6.1" and s["parent"] == "6"
    assert s["label"] == "6 (1)" and s["translation_label"] == "Full translation"
    assert s["title"] == "Improve network and data security capabilities"
    assert "network security capability maturity" in s["text"]
    assert s["link"] == f"/notices/{SEED_NOTICE}/full#s6-1"
    assert s["permalink"] == f"/notices/{SEED_NOTICE}/full/6.1"
    assert s["citation"].endswith(", " + ORIGIN + s["permalink"])
    assert s["also_in"] == ["gmt"]
    assert s["front_matter"] is False
    assert s["number"] == "MIIT Communications [2024] No. 165"
    front = _json(client, f"/api/notices/{SEED_NOTICE}/full/sections/front")
    assert front["front_matter"] is True and front["text"].startswith("MIIT Communications[2024] No. 165")
    assert "Reading guide" not in front["text"]  # the publisher's, kept apart from the notice's text
    assert _json(client, f"/api/notices/{SEED_NOTICE}/full/sections/1.3")["also_in"] == []
    as_cited = _json(client, f"/api/notices/{SEED_NOTICE}/full/sections/6%20(1)")
    assert as_cited["id"] == "6.1"


def test_section_of_a_second_notice(client):
    full = _json(client, f"/api/notices/{MOF.id}/full/sections/2.1")
    excerpt = _json(client, f"/api/notices/{MOF.id}/excerpt/sections/2.1")
    assert full["notice"] == excerpt["notice"] == MOF.id
    assert full["also_in"] == ["excerpt"] and excerpt["also_in"] == ["full"]
    assert "newly built international submarine cables" in full["text"]
    assert "new international submarine cables landing in China" in excerpt["text"]
    assert _json(client, f"/api/notices/{MOF.id}/full/sections/4.1")["also_in"] == []
    seed = _json(client, f"/api/notices/{SEED_NOTICE}/full/sections/2.1")
    assert seed["text"] != full["text"] and seed["notice"] == SEED_NOTICE


@pytest.mark.parametrize(
    "url",
    [
        "/api/notices/nope",
        "/api/notices/nope/full/sections/6.1",
        f"/api/notices/{SEED_NOTICE}/nope/sections/6.1",
        f"/api/notices/{NDRC.id}/full/sections/1",  # "full" is another notice's translation
        f"/api/notices/{SEED_NOTICE}/full/sections/9.9",
        f"/api/notices/{SEED_NOTICE}/full/sections/1.1",  # missing from every translation
        f"/api/notices/{SEED_NOTICE}/gmt/sections/1.3",  # the partial translation starts at 4
        f"/api/notices/{MOF.id}/excerpt/sections/4",
        f"/api/notices/{SEED_NOTICE}/full/sections/1.1.1",
        f"/api/notices/{SEED_NOTICE}/full/sections/-1",
        f"/api/notices/{SEED_NOTICE}/full/sections/abc",
        "/api/documents/nope/sections/6.1",
        "/api/documents/full/sections/6.1",  # two notices have a translation "full"
        "/api/documents",
        "/api/documents/full",
        "/api/nope",
    ],
)
def test_unknown_things_are_404_json(client, url):
    error = _json(client, url, 404)["error"]
    assert error["status"] == 404 and error["title"] == "Not Found" and error["message"]


def test_404_messages_say_what_is_missing(client):
    assert _json(client, "/api/notices/nope", 404)["error"]["message"] == "there is no notice 'nope'"
    message = _json(client, f"/api/notices/{SEED_NOTICE}/nope/sections/6.1", 404)["error"]["message"]
    assert "has no translation 'nope' (it has: full, gmt)" in message
    message = _json(client, "/api/documents/full/sections/6.1", 404)["error"]["message"]
    assert f"/notices/{SEED_NOTICE}/" in message and f"/notices/{MOF.id}/" in message


def test_the_old_section_api_redirects_while_one_notice_fits(client):
    response = client.get("/api/documents/english/sections/2.1?x=1")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/api/notices/{NDRC.id}/english/sections/2.1"
    assert _json(client, response.headers["Location"])["title"] == NDRC.title_of("2.1")


def test_wrong_method_is_405_json(client):
    for url in ("/api/search?q=x", "/api/notices", f"/api/notices/{SEED_NOTICE}"):
        response = client.post(url)
        assert response.status_code == 405 and response.mimetype == "application/json"
        assert response.get_json()["error"]["status"] == 405


# -- the OpenAPI description matches reality ----------------------------------------------

#: Path and query values for an example request of each described path ("english": one notice's name).
_EXAMPLES = {"notice": SEED_NOTICE, "translation": "full", "name": "english", "section": "2.1", "q": "security"}


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
        if "301" in operation["responses"]:  # a moved route: its answer is where it went
            response = client.get(url)
            assert response.status_code == 301, url
            assert operation.get("deprecated") is True
            url = response.headers["Location"]
            path = next(p for p in spec["paths"] if re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", p), url))
        described = spec["paths"][path]["get"]["responses"]["200"]["content"]
        if "application/json" not in described:  # a file (a citation): one of the described media types
            response = client.get(url)
            assert response.status_code == 200 and response.mimetype in described, (url, response.mimetype)
            continue
        data = _json(client, url)
        errors = schema_errors(data, _response_schema(spec, path, "200"), spec)
        assert not errors, (url, errors[:5])


def test_every_notice_and_section_matches_its_schema(client, spec):
    """Not just one example: every notice, translation and section, the hostile document included."""
    list_schema = _response_schema(spec, "/api/notices", "200")
    detail_schema = _response_schema(spec, "/api/notices/{notice}", "200")
    section_schema = _response_schema(spec, "/api/notices/{notice}/{translation}/sections/{section}", "200")
    listing = _json(client, "/api/notices")
    assert not schema_errors(listing, list_schema, spec)
    checked = 0
    for summary in listing["notices"]:
        detail = _json(client, f"/api/notices/{summary['id']}")
        assert not schema_errors(detail, detail_schema, spec), summary["id"]
        for s in detail["sections"]:
            for name in s["in"]:
                data = _json(client, f"/api/notices/{summary['id']}/{name}/sections/{s['id']}")
                assert not schema_errors(data, section_schema, spec), (summary["id"], name, s["id"])
                checked += 1
    assert checked > 100


@pytest.mark.parametrize(
    "query",
    [
        "q=submarine+cables",
        "q=satelite",
        "q=6+(1)",
        "q=xyzzyqqq",
        'q="dual+gigabit"',
        "q=front",
        "q=NOT+(",
        "q=submarine+cables&sort=date&year=2024",
        "q=data+centre&issuer=Cyberspace+Administration+of+China&separate=1",
    ],
)
def test_search_results_match_the_schema(client, spec, query):
    data = _json(client, f"/api/search?{query}&limit=100")
    assert not schema_errors(data, _response_schema(spec, "/api/search", "200"), spec)


def test_documented_errors_match_the_error_schema(client, spec):
    failing = {"404": {"notice": "nope", "name": "nope", "section": "9.9"}}
    for path, methods in spec["paths"].items():
        operation = methods["get"]
        for status in operation["responses"]:
            if status in ("200", "301"):
                continue
            url = _example_url(path, operation, **failing.get(status, {}))
            if status == "400":  # a filter every list takes, with a value that is no year; or a format that is none
                formats = [p for p in operation.get("parameters", []) if p["name"] == "format"]
                url += ("&" if "?" in url else "?") + ("format=nope" if formats else "year=abc")
            data = _json(client, url, int(status))
            assert not schema_errors(data, _response_schema(spec, path, status), spec), url


@pytest.mark.parametrize("path, query", [("/api/search", "q=x&"), ("/api/notices", "")])
def test_described_parameter_bounds_hold(client, spec, path, query):
    params = {p["name"]: p["schema"] for p in spec["paths"][path]["get"]["parameters"]}
    if "q" in params:
        longest = params["q"]["maxLength"]
        _json(client, f"{path}?q=" + "a" * longest)
        _json(client, f"{path}?q=" + "a" * (longest + 1), 400)
    for name in ("limit", "offset"):
        low, high = params[name]["minimum"], params[name]["maximum"]
        assert _json(client, f"{path}?{query}{name}={low}")[name] == low
        assert _json(client, f"{path}?{query}{name}={high}")[name] == high
        _json(client, f"{path}?{query}{name}={low - 1}", 400)
        _json(client, f"{path}?{query}{name}={high + 1}", 400)
    assert _json(client, f"{path}?{query}")["offset"] == params["offset"]["default"]
    for value in params.get("sort", {}).get("enum", []):
        _json(client, f"{path}?{query}sort={value}")
    for value in params.get("separate", {}).get("enum", []):
        _json(client, f"{path}?{query}separate={value}")
    year = params["year"]["pattern"]
    assert re.fullmatch(year, "2024") and not re.fullmatch(year, "abc")
    _json(client, f"{path}?{query}year=1999")  # a year no notice has: an empty answer, not an error
