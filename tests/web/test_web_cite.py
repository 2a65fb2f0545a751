"""Citing a section on the site, and where each translation's text came from (its provenance)."""

from __future__ import annotations

import datetime as dt
import json

import bibtexparser
import pytest
import rispy
from library import SEED_NOTICE

from web import create_app

FULL = f"/notices/{SEED_NOTICE}/full"
GMT = f"/notices/{SEED_NOTICE}/gmt"
CITE = f"/api/notices/{SEED_NOTICE}/gmt/sections/5.1/cite"
BASE = "https://kb.example.org/policy"


def today() -> str:
    """The date a citation made just now says it was retrieved: asked when a test checks it, not when the module
    was imported, so that a run across midnight does not fail."""
    return dt.date.today().isoformat()


@pytest.fixture(scope="module")
def public(app):
    """The same site with its public address configured (kb serve --base-url)."""
    return create_app({**app.config, "BASE_URL": BASE}).test_client()


# -- the API ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "media_type", "file_name"),
    [
        ("bibtex", "application/x-bibtex", "miit-2024-165-gmt-5.1.bib"),
        ("ris", "application/x-research-info-systems", "miit-2024-165-gmt-5.1.ris"),
        ("csl-json", "application/vnd.citationstyles.csl+json", "miit-2024-165-gmt-5.1.json"),
    ],
)
def test_file_formats_are_downloads_of_their_media_type(public, fmt, media_type, file_name):
    response = public.get(f"{CITE}?format={fmt}")
    assert response.status_code == 200 and response.mimetype == media_type
    assert response.mimetype_params["charset"] == "utf-8"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{file_name}"'
    body = response.get_data(as_text=True)
    link = f"{BASE}/notices/{SEED_NOTICE}/gmt/5.1"
    if fmt == "bibtex":
        (entry,) = bibtexparser.parse_string(body).entries
        assert entry.key == "miit-2024-165:gmt:5.1" and entry.fields_dict["url"].value == link
    elif fmt == "ris":
        (record,) = rispy.loads(body)
        assert record["urls"] == [link] and record["publisher"] == "GMT Eight"
    else:
        (item,) = json.loads(body)
        assert item["URL"] == link and item["type"] == "report"


def test_text_is_shown_not_downloaded_and_is_the_complete_citation(public):
    response = public.get(CITE)  # text unless asked otherwise
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert "Content-Disposition" not in response.headers
    assert response.get_data(as_text=True) == (
        "MIIT Communications [2024] No. 165, Notice on Matters Related to Promoting the Coordinated Development of "
        "New Information Infrastructure, section 5 (1), GMT Eight translation (sections 4-8), 2024-09-04, "
        f"retrieved {today()}, {BASE}/notices/{SEED_NOTICE}/gmt/5.1\n"
    )


@pytest.mark.parametrize(
    ("url", "status", "fragment"),
    [
        (f"{CITE}?format=xml", 400, "unknown citation format 'xml': choose one of text, bibtex, ris, csl-json"),
        (f"{CITE}?format=", 200, None),  # empty: the default
        (f"/api/notices/{SEED_NOTICE}/gmt/sections/1.1/cite", 404, "1 (1)"),
        (f"/api/notices/{SEED_NOTICE}/gmt/sections/zz/cite?format=ris", 404, "is not a section"),
        (f"/api/notices/{SEED_NOTICE}/nope/sections/5.1/cite", 404, "nope"),
        ("/api/notices/nope/gmt/sections/5.1/cite", 404, "nope"),
        # a bad format is reported first, whatever else is wrong
        ("/api/notices/nope/gmt/sections/5.1/cite?format=doc", 400, "unknown citation format"),
    ],
)
def test_bad_requests_are_json_errors_with_their_status(client, url, status, fragment):
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    if fragment:
        assert response.mimetype == "application/json"
        assert fragment in response.get_json()["error"]["message"]


def test_json_sections_and_hits_carry_the_complete_citation(public):
    section = public.get(f"/api/notices/{SEED_NOTICE}/gmt/sections/5.1").get_json()
    assert section["citation"].endswith(f", retrieved {today()}, {BASE}/notices/{SEED_NOTICE}/gmt/5.1")
    assert "GMT Eight translation (sections 4-8)" in section["citation"]
    assert section["cite"]["bibtex"] == f"{CITE}?format=bibtex"
    hits = public.get(f"/api/search?q=green+data+centres&notice={SEED_NOTICE}").get_json()["results"]
    assert hits and all(h["citation"].endswith(BASE + h["permalink"]) for h in hits)
    assert all(f"retrieved {today()}" in h["citation"] and h["title"] is not None for h in hits)


def test_notices_in_json_name_each_translations_provenance(client):
    summary = client.get(f"/api/notices/{SEED_NOTICE}").get_json()
    full, gmt = summary["translations"]
    assert (full["translator"], full["source"], full["restored"]) == (None, None, True)
    assert (gmt["translator"], gmt["source"], gmt["restored"]) == (None, "GMT Eight", False)
    assert full["received"] == f"{FULL}/received.txt"


# -- the section page -------------------------------------------------------------------------------------


def test_section_page_offers_the_citation_its_formats_and_a_copy_fallback(get_page):
    _, tree = get_page(GMT + "/5.1")
    cite = tree.one("section", cls="cite")
    citation = cite.one("output", id_="citation")
    assert citation.text.endswith(f"retrieved {today()}, http://localhost{GMT}/5.1")
    # the fallback is on the page itself: a hint to select and press Ctrl+C, which needs no clipboard API
    assert "Ctrl+C" in cite.one("p", id_="cite-hint").text and citation.attrs["aria-describedby"] == "cite-hint"
    formats = {a.text: a.attrs["href"] for a in cite.one("p", cls="cite-formats").find_all("a")}
    assert formats == {
        "BibTeX": f"{CITE}?format=bibtex",
        "RIS": f"{CITE}?format=ris",
        "CSL-JSON": f"{CITE}?format=csl-json",
    }
    assert all("download" in a.attrs for a in cite.find_all("a"))
    assert tree.find("script", src="/static/cite.js") is not None
    # no public address configured: the page says so
    assert "public address is not configured" in cite.one("p", cls="note").text


def test_with_a_public_address_the_page_cites_it_and_says_nothing(public, parse):
    tree = parse(public.get(GMT + "/5.1").get_data(as_text=True))
    cite = tree.one("section", cls="cite")
    assert cite.one("output", id_="citation").text.endswith(f", {BASE}/notices/{SEED_NOTICE}/gmt/5.1")
    assert cite.find("p", cls="note") is None


# -- provenance -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", [FULL, FULL + "/6.1", FULL + "/front", FULL + "/1"])
def test_every_page_of_the_restored_translation_says_so_and_links_the_source(get_page, page):
    _, tree = get_page(page)
    note = tree.one("p", cls="restored-note")
    assert "corrupted" in note.text and "removed by automatic cleaning" in note.text
    assert note.links() == [f"{FULL}/received.txt"]
    assert "Translator: not stated · Source: not stated" in tree.one("p", cls="provenance").text


@pytest.mark.parametrize("page", [GMT, GMT + "/5.1"])
def test_pages_of_a_clean_translation_name_its_source_and_say_nothing_of_cleaning(get_page, page):
    _, tree = get_page(page)
    assert tree.find("p", cls="restored-note") is None
    assert "Translator: not stated · Source: GMT Eight" in tree.one("p", cls="provenance").text


def test_the_notice_page_names_each_translations_translator_and_source(get_page):
    _, tree = get_page(f"/notices/{SEED_NOTICE}/")
    full, gmt = tree.one("ul", cls="versions-list").find_all("li")
    assert "Translator: not stated · Source: not stated · Text restored from a corrupted copy" in full.text
    assert "Translator: not stated · Source: GMT Eight" in gmt.text and "restored" not in gmt.text


def test_the_source_as_received_is_plain_text_as_indexed(client, corpus):
    response = client.get(f"{FULL}/received.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert response.headers["Content-Disposition"] == 'inline; filename="001_0188dcd56ab44d45.txt"'
    text = response.get_data(as_text=True)
    assert text == (corpus / "001_0188dcd56ab44d45.txt").read_text(encoding="utf-8")
    assert "Mini™&βφstry" in text  # the junk is there: this is the copy before cleaning
    assert client.get(f"/notices/{SEED_NOTICE}/nope/received.txt").status_code == 404


def test_the_publishers_reading_guide_is_apart_and_labelled(get_page):
    _, tree = get_page(FULL)
    guide = tree.one("details", cls="guide")
    assert "Reading guide by the publisher" in guide.one("summary").text
    assert "not part of the notice" in guide.one("summary").text
    assert guide.text.count("Eleven departments, including the Ministry of Industry") == 1
    # the notice's own front matter no longer opens with it
    front = tree.one("div", cls="doc-body").by_id("front")
    assert front is not None and "Eleven departments" not in tree.one("div", cls="doc-body").text
    _, gmt = get_page(GMT)
    assert gmt.find("details", cls="guide") is None


def test_the_reading_guide_is_not_searched_as_the_notice(client):
    hits = client.get(f"/api/search?q=%22reading+guide%22&notice={SEED_NOTICE}").get_json()["results"]
    assert hits == []


def test_a_file_name_from_the_corpus_cannot_break_the_received_texts_header(tmp_path):
    from kb import index as kb_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / 'odd "name"; x=1 ü.txt').write_text("Notice on Odd Names\n1. General\nText.\n", encoding="utf-8")
    kb_index.build(corpus, tmp_path / "index")
    client = create_app({"TESTING": True, "KB_INDEX": tmp_path / "index", "KB_CORPUS": corpus}).test_client()
    summary = client.get("/api/notices").get_json()["notices"][0]
    response = client.get(summary["translations"][0]["received"])
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'inline; filename="odd__name___x_1__.txt"'
