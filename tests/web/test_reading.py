"""Reading a notice: what a translation lacks and where else it is, how every page names a section, and the
words a reading page marks for the query a reader came with.

The seed notice is the case in point: its full translation lacks 1 (1) and
1 (2), which no translation has; its GMT Eight translation lacks sections
1-3 (which the full one has), 1 (1) and 1 (2) too, states no title for its
section 4, and opens with a news headline rather than the notice's title.
"""

from __future__ import annotations

import re

import pytest
from library import MOF, SEED_NOTICE
from openapi_schema import schema_errors

from kb.models import UNTITLED
from web.html import mark_terms

NUMBER = "MIIT Communications [2024] No. 165"
TITLE = "Notice on Matters Related to Promoting the Coordinated Development of New Information Infrastructure"
NOTICE = f"/notices/{SEED_NOTICE}/"
FULL = f"/notices/{SEED_NOTICE}/full"
GMT = f"/notices/{SEED_NOTICE}/gmt"
HEADLINE = "The Ministry of Industry and Information Technology and ten other departments jointly issued a document"


def _text(node) -> str:
    return re.sub(r"\s+", " ", node.text).strip()


# -- what is missing, and where else it is ------------------------------------------------


def test_a_section_one_translation_lacks_is_a_404_that_links_to_the_one_that_has_it(get_page):
    _, tree = get_page(GMT + "/2.1", 404)
    main = tree.one("main")
    assert "section 2 (1) is not in the GMT Eight translation" in _text(main)
    assert "the Full translation has it" in _text(main)
    alternatives = tree.one("ul", cls="alternatives")
    assert alternatives.links() == [FULL + "/2.1", FULL + "#s2-1"]
    assert "Full translation" in _text(alternatives)


def test_the_old_address_of_a_lacking_section_lands_on_the_same_helpful_404(client, parse):
    response = client.get("/doc/gmt/2.1", follow_redirects=True)
    assert response.status_code == 404
    assert FULL + "/2.1" in parse(response.get_data(as_text=True)).one("ul", cls="alternatives").links()


def test_a_section_no_translation_has_is_a_404_that_sends_nowhere(get_page):
    _, tree = get_page(FULL + "/1.1", 404)
    assert "section 1 (1) is not in any translation of this notice" in _text(tree.one("main"))
    assert tree.find("ul", cls="alternatives") is None
    assert tree.one("p", cls="alternatives-none").links() == [NOTICE + "#contents"]


def test_the_api_names_the_translations_that_have_a_lacking_section(client):
    response = client.get(f"/api/notices/{SEED_NOTICE}/gmt/sections/2.1")
    assert response.status_code == 404
    error = response.get_json()["error"]
    assert error["status"] == 404 and "the Full translation has it" in error["message"]
    assert error["alternatives"] == [
        {
            "translation": "full",
            "translation_label": "Full translation",
            "permalink": FULL + "/2.1",
            "link": FULL + "#s2-1",
        }
    ]
    spec = client.get("/api/openapi.json").get_json()
    assert schema_errors(response.get_json(), {"$ref": "#/components/schemas/Error"}, spec) == []

    nowhere = client.get(f"/api/notices/{SEED_NOTICE}/full/sections/1.1").get_json()["error"]
    assert nowhere["alternatives"] == [] and "is not in any translation" in nowhere["message"]
    # a 404 that is not about a section carries no alternatives at all
    assert "alternatives" not in client.get("/api/notices/no-such-notice").get_json()["error"]


def test_the_full_translation_says_what_every_translation_lacks_and_sends_no_one_elsewhere(get_page):
    _, tree = get_page(FULL)
    assert tree.find("p", cls="lacks-note") is None  # the GMT Eight translation lacks 1 (1) and 1 (2) too
    gone = tree.one("p", cls="gone-note")
    assert "Sections 1 (1), 1 (2) are missing from every version we hold" in _text(gone)
    assert gone.links() == [NOTICE + "#contents"]


def test_the_partial_translation_sends_the_reader_where_its_missing_sections_are(get_page):
    _, tree = get_page(GMT)
    lacks = tree.one("p", cls="lacks-note")
    # only what another translation has is listed as to be read elsewhere, and the link opens the first of it
    assert "lacks sections 1, 1 (3), 2, 2 (1), 2 (2), 2 (3), 3, 3 (1), 3 (2)." in _text(lacks)
    assert lacks.links() == [FULL + "#s1"]
    assert "Sections 1 (1), 1 (2) are missing from every version we hold" in _text(tree.one("p", cls="gone-note"))


def test_a_translation_is_sent_only_to_translations_that_have_what_it_lacks(get_page):
    _, excerpt = get_page(f"/notices/{MOF.id}/excerpt")
    assert excerpt.one("p", cls="lacks-note").links() == [f"/notices/{MOF.id}/full#s4"]
    _, full = get_page(f"/notices/{MOF.id}/full")
    assert full.find("p", cls="lacks-note") is None and full.find("p", cls="gone-note") is None


def test_citing_a_section_no_translation_has_says_so_instead_of_blaming_the_spelling(get_page):
    _, tree = get_page(f"/search?q=1.1&notice={SEED_NOTICE}")
    note = tree.one("div", cls="missing-citation")
    assert f"No translation of {NUMBER} has section 1 (1)" in _text(note)
    assert NOTICE + "#contents" in note.links()
    assert "Check the spelling" not in _text(tree.one("main"))


def test_a_citation_missing_from_one_notice_is_named_beside_other_notices_results(get_page):
    _, tree = get_page("/search?q=1.1")  # other notices have a 1 (1)
    assert tree.find_all("li", cls="hit")
    assert f"No translation of {NUMBER} has section 1 (1)" in _text(tree.one("div", cls="missing-citation"))


def test_citing_a_section_no_notice_has(get_page):
    _, tree = get_page("/search?q=section+99.9")
    assert "No notice has a section 99 (9)" in _text(tree.one("div", cls="missing-citation"))
    assert "Check the spelling" not in _text(tree.one("main"))


def test_words_that_match_nothing_still_suggest_checking_the_spelling(get_page):
    _, tree = get_page("/search?q=zzxqvw")
    assert tree.find("div", cls="missing-citation") is None
    assert "Check the spelling" in _text(tree.one("main"))


def test_the_search_result_carries_the_missing_citation(app):
    from web.views import knowledge_base

    with app.app_context():
        kb = knowledge_base()
        cited = kb.search("1.1", filters=kb.filters(notice=SEED_NOTICE))
        assert cited.total == 0
        assert cited.missing_citation.section == "1.1"
        assert [n.id for n in cited.missing_citation.notices] == [SEED_NOTICE]
        assert cited.to_json()["missing_citation"] == {
            "section": "1.1",
            "section_label": "1 (1)",
            "notices": [SEED_NOTICE],
        }
        assert kb.search("6.1").missing_citation is None  # every notice that numbers a 6 (1) has one
        assert kb.search("submarine cables").missing_citation is None  # not a citation


# -- one name for each section, from the model ---------------------------------------------


def test_the_front_matter_is_named_once_everywhere(get_page):
    _, section = get_page(FULL + "/front")
    assert section.one("title").text.startswith("Front matter – ")
    assert _text(section.one("h1")) == "Front matter"
    _, compare = get_page(f"/notices/{SEED_NOTICE}/compare/front")
    assert _text(compare.one("h1")) == "Front matter"
    assert compare.one("title").text.startswith("Compare front matter – ")
    _, reading = get_page(FULL)
    assert _text(reading.one("nav", cls="toc").find_all("a")[0]) == "Front matter"
    assert _text(reading.by_id("front")) == "Front matter"
    _, notice = get_page(NOTICE)
    assert _text(notice.one("table", cls="contents").one("tbody").one("th")) == "Front matter"


def test_an_untitled_part_is_named_the_same_way_on_every_page(get_page):
    """The GMT Eight translation states no title for its section 4: contents, heading, section page and compare
    column all say so in the same words (and none borrows the other translation's title as its own)."""
    label = f"4 {UNTITLED}"
    _, reading = get_page(GMT)
    toc = reading.one("nav", cls="toc")
    assert _text(next(a for a in toc.find_all("a") if a.attrs["href"] == "#s4")) == label
    assert _text(reading.by_id("s4")) == label
    _, section = get_page(GMT + "/4")
    assert _text(section.one("h1")) == label
    assert section.one("title").text.startswith(label + " – ")
    _, sub = get_page(GMT + "/4.1")
    assert label in _text(sub.one("nav", cls="breadcrumb"))
    _, compare = get_page(f"/notices/{SEED_NOTICE}/compare/4")
    assert [_text(h) for h in compare.find_all("h3")][1] == UNTITLED


def test_subsections_are_numbered_as_citations_number_them(get_page):
    _, reading = get_page(FULL)
    entry = next(a for a in reading.one("nav", cls="toc").find_all("a") if a.attrs["href"] == "#s6-1")
    assert _text(entry).startswith("6 (1) ")
    assert _text(reading.by_id("s6-1")) == _text(entry)  # the heading and its contents entry say the same
    _, section = get_page(FULL + "/6.1")
    assert _text(section.one("h1")) == _text(entry)


def test_the_reading_page_is_titled_by_the_notice_and_shows_a_headline_as_what_it_is(get_page):
    _, gmt = get_page(GMT)
    assert [_text(h) for h in gmt.find_all("h1")] == [TITLE]
    assert gmt.one("title").text.startswith(TITLE + " – ")
    meta = gmt.one("dl", cls="meta")
    assert "Headline of this version" in _text(meta) and HEADLINE in _text(meta)
    assert HEADLINE not in _text(gmt.one("div", cls="doc-body").find("h2") or gmt.one("div", cls="doc-body"))
    _, full = get_page(FULL)  # its first line is the notice's title in other letters: no headline is shown
    assert "Headline" not in _text(full.one("dl", cls="meta"))


def test_a_long_list_of_issuers_is_folded_on_the_reading_page(get_page):
    _, tree = get_page(FULL)
    issuers = tree.one("dd", cls="issuers-list")
    shown = _text(issuers).split(" and 9 more")[0]
    assert shown == "Ministry of Industry and Information Technology; Cyberspace Administration of China"
    assert "China State Railway Group Co., Ltd." in _text(issuers.one("details"))


# -- marking the words of the query a reader came with -------------------------------------


@pytest.mark.parametrize(
    "q, word",
    [
        ("satelite communication", "satellite"),  # the correction the search made
        ("IoT cards", "Internet"),  # a synonym the search widened to
    ],
)
def test_a_reading_page_marks_the_words_the_results_snippet_marked(client, get_page, q, word):
    hit = next(h for h in client.get("/api/search", query_string={"q": q, "limit": 20}).get_json()["results"])
    marked = {hit["snippet"][s:e].lower() for s, e in hit["highlights"]}
    assert word.lower() in marked
    _, tree = get_page(hit["links"]["read"].split("#")[0] + "?q=" + q.replace(" ", "+"))
    on_page = {_text(m).lower() for m in tree.one("div", cls="doc-body").find_all("mark")}
    assert marked <= on_page, f"snippet marked {marked - on_page} that the page does not"


def test_the_site_s_own_words_beside_a_heading_are_not_marked(get_page):
    _, tree = get_page(FULL + "?q=section+page")
    for links in tree.find_all("p", cls="heading-links"):
        assert not links.find_all("mark")
    assert mark_terms('<p data-nomark=""><a>section page</a></p><p>page</p>', {"page"}) == (
        '<p data-nomark=""><a>section page</a></p><p><mark>page</mark></p>'
    )


def test_the_command_line_names_a_section_as_the_pages_do(app, corpus, index_dir):
    from click.testing import CliRunner

    from kb.cli import cli

    def show(section: str) -> list[str]:
        args = ["--index", str(index_dir), "--corpus", str(corpus), "show", SEED_NOTICE, section, "-t", "gmt"]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        return result.output.splitlines()

    assert show("4")[1] == f"4 {UNTITLED}"
    assert show("4.1")[1] == "4 (1) Promote integrated development"
