"""The results fragment (/search/results): the results page's own results part, for live results.

Live results used to be rendered by the page's script from the JSON API, a
second rendering that drifted from the template (no filters, no facets). Now
the script swaps in what the server renders with the page's own template, so
these tests hold the fragment to the page, and the search form to the
filters it must keep.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from library import MOF, SEED_NOTICE, TOPICS

CABLES = "submarine+cables"

SAME_AS_THE_PAGE = [
    f"q={CABLES}",
    f"q={CABLES}&translation=gmt",
    f"q={CABLES}&notice={MOF.id}&sort=date",
    f"q={CABLES}&issuer=Ministry+of+Finance",
    "q=data&page=2",
    "q=satelite",  # a correction offered
    "q=submar&prefix=1",  # the word being typed
    "q=zzzqqq",  # nothing found
    "q=cables&year=1999",  # nothing found with a filter
    "",  # no query: how to search
]


def _fragment(client, query: str, status: int = 200) -> str:
    response = client.get(f"/search/results?{query}")
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


@pytest.mark.parametrize("query", SAME_AS_THE_PAGE)
def test_the_fragment_is_the_pages_results_part(client, query):
    fragment = _fragment(client, query)
    page = client.get(f"/search?{query}").get_data(as_text=True)
    container = page.split('<div id="live-results">', 1)[1]
    assert fragment.strip() and fragment.strip() in container
    assert "<html" not in fragment and "<script" not in fragment and "<form" not in fragment


@pytest.mark.parametrize("query", SAME_AS_THE_PAGE)
def test_the_fragments_links_lead_to_pages_not_to_fragments(client, parse, query):
    links = parse(_fragment(client, query)).links()
    assert not [href for href in links if "/search/results" in href]
    for href in links:
        if href.startswith("/search"):
            assert urlsplit(href).path == "/search", href


def test_the_fragment_is_not_indexed_and_says_its_title_and_count(client, parse):
    response = client.get(f"/search/results?q={CABLES}")
    assert response.headers["X-Robots-Tag"] == "noindex"
    root = parse(response.get_data(as_text=True)).one(cls="results-body")
    assert root.attrs["data-title"] == "submarine cables – Search – Policy knowledge base"
    notices = len(TOPICS["submarine cable"])
    assert re.fullmatch(rf"\d+ sections in {notices} notices\.", root.attrs["data-status"])
    assert root.one("p", cls="total").text == root.attrs["data-status"]


def test_the_count_names_one_notice_when_one_is_chosen(client, parse):
    """The notice facet still lists the other notices once one is chosen: they are not the results' notices."""
    tree = parse(_fragment(client, f"q={CABLES}&notice={MOF.id}"))
    assert tree.one("p", cls="total").text.endswith(" in 1 notice.")
    assert len(tree.one(cls="facets").find_all("div", cls="facet")[0].find_all("li")) > 2


def test_a_bad_filter_is_a_clear_400(client, parse):
    response = client.get(f"/search/results?q={CABLES}&issuer=Nobody+at+all")
    assert response.status_code == 400
    assert "Nobody at all" in parse(response.get_data(as_text=True)).one("main").text


def test_the_word_being_typed_is_said_and_kept_by_the_pages_links(client, parse):
    tree = parse(_fragment(client, "q=submar&prefix=1"))
    note = tree.one("p", cls="prefix-note")
    assert "submar" in note.text and "submarine" in note.text
    only = note.one("a")
    assert parse_qs(urlsplit(only.attrs["href"]).query) == {"q": ["submar"]}
    facet_links = tree.one(cls="facets").links()
    assert facet_links and all("prefix=1" in href for href in facet_links)
    marked = {m.text.lower() for m in tree.find_all("mark")}
    assert "submarine" in marked and len(tree.find_all("li", cls="hit")) >= len(TOPICS["submarine cable"])
    # submitted, the same words mean what they say (here a typo of "submit", as the corrector sees it)
    submitted = parse(_fragment(client, "q=submar"))
    assert "submarine" not in {m.text.lower() for m in submitted.find_all("mark")}
    assert submitted.find("p", cls="prefix-note") is None


@pytest.mark.parametrize(
    "url,kept",
    [
        (f"/search?q={CABLES}&translation=gmt&sort=date&page=1", {"translation": "gmt", "sort": "date"}),
        (f"/search?q={CABLES}&notice={SEED_NOTICE}&prefix=1", {"notice": SEED_NOTICE}),
        (f"/search?q={CABLES}&sort=relevance", {}),
        ("/?issuer=Ministry+of+Finance", {"issuer": "Ministry of Finance"}),
        ("/?year=2024&page=1", {"year": "2024"}),
        (f"/notices/{SEED_NOTICE}/", {}),
    ],
)
def test_the_search_form_keeps_the_filters_and_order_shown(get_page, url, kept):
    """A new query (typed live or submitted) looks where the list shown looks: the form's hidden fields.
    Not the page (a new query starts at its first) nor the prefix (a submitted query means what it says)."""
    _, tree = get_page(url)
    form = tree.one("form", cls="search")
    hidden = {i.attrs["name"]: i.attrs["value"] for i in form.find_all("input", type="hidden")}
    assert hidden == kept


@pytest.mark.parametrize("url", ["/", f"/search?q={CABLES}"])
def test_only_a_status_line_is_live(get_page, url):
    """Screen readers hear the count (role=status) when live results change, not the whole list again."""
    _, tree = get_page(url)
    assert tree.one("p", id="live-status").attrs["role"] == "status"
    container = tree.by_id("live-results")
    assert container is not None
    node = container
    while node is not None:
        assert "aria-live" not in node.attrs, node
        node = node.parent
    assert not [n for n in container.iter() if "aria-live" in n.attrs or n.attrs.get("role") in ("status", "alert")]


def test_the_api_matches_the_word_being_typed_when_asked(client):
    typed = client.get("/api/search?q=submar&prefix=1").get_json()
    assert typed["prefix"]["word"] == "submar" and "submarine" in typed["prefix"]["words"]
    assert {h["notice"] for h in typed["results"]} >= set(TOPICS["submarine cable"])
    as_written = client.get("/api/search?q=submar").get_json()
    assert as_written["prefix"] is None
    assert not {h["notice"] for h in as_written["results"]} >= set(TOPICS["submarine cable"])
    # a space after the last word ends it, in the API as in the library
    assert client.get("/api/search?q=cables+submar+&prefix=1").get_json()["prefix"] is None
    assert client.get("/api/search?q=cables+submar&prefix=1").get_json()["prefix"]["word"] == "submar"


def test_the_prefix_note_names_a_few_words_and_counts_the_rest(client, parse):
    note = parse(_fragment(client, "q=con&prefix=1")).one("p", cls="prefix-note")
    listed, _, rest = note.text.partition(": ")[2].partition(" and ")
    assert len(listed.split(", ")) == 5
    assert re.match(r"\d+ more\. Search only “con”$", rest)
