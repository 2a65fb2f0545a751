"""Why a result matched, on the results page and in the API: corrections said and undoable, what a result lacks."""

from __future__ import annotations


def test_the_page_says_what_was_searched_and_offers_the_query_as_typed(get_page):
    _, tree = get_page("/search?q=satelite+communication")
    said = tree.one("p", cls="suggestion")
    assert "Showing results for satellite communication" in " ".join(said.text.split())
    link = said.one("a")
    assert link.text == "satelite communication"
    assert link.attrs["href"] == "/search?q=satelite+communication&as_typed=1"
    _, as_typed = get_page(link.attrs["href"])
    offer = as_typed.one("p", cls="suggestion")
    assert "Did you mean" in offer.text
    assert offer.one("a").attrs["href"] == "/search?q=satellite+communication"


def test_the_page_marks_what_a_result_lacks_and_synonyms(get_page):
    _, tree = get_page("/search?q=IoT+devices")
    reasons = [p.text for p in tree.find_all("p", cls="why")]
    assert any("Missing: devices" in r for r in reasons)
    assert any("Matched Internet of Things, a synonym of IoT." in " ".join(r.split()) for r in reasons)


def test_the_api_gives_each_result_its_match(client):
    data = client.get("/api/search?q=satelite+communication").get_json()
    assert data["corrected"] == "satellite communication"
    first = data["results"][0]
    assert first["match"] == {"words": ["satellite", "communication"], "missing": [], "synonyms": []}
    as_typed = client.get("/api/search?q=satelite+communication&as_typed=1").get_json()
    assert as_typed["corrected"] is None and as_typed["suggestion"] == "satellite communication"
