"""Parts of a notice and a third level on the site: URLs (one converter), reading pages, section pages, the
compare page, the notice's contents, the API; hostile ids; old URLs. Over the shared corpus
(tests/parts_corpus.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from parts_corpus import NOTICE, SECTION_IDS

from kb.models import Outline, Section, SectionId, Translation
from web import create_app
from web.html import DERIVED, document_html

FULL = f"/notices/{NOTICE}/full"
EXCERPT = f"/notices/{NOTICE}/excerpt"


@pytest.fixture(scope="module")
def parts_app(parts_dir, parts_build):
    return create_app({"TESTING": True, "KB_INDEX": parts_build.parent, "KB_CORPUS": parts_dir})


@pytest.fixture()
def pclient(parts_app):
    return parts_app.test_client()


@pytest.fixture()
def page_of(pclient, parse):
    def fetch(url: str, status: int = 200):
        response = pclient.get(url)
        assert response.status_code == status, f"{url}: {response.status_code}"
        return response, parse(response.get_data(as_text=True))

    return fetch


# -- URLs: one converter -----------------------------------------------------------------------------------


def test_every_section_has_its_page_at_its_id_with_the_parts_slash(parts_app, pclient):
    from flask import url_for

    with parts_app.test_request_context():
        assert url_for("pages.section", notice=NOTICE, translation="full", section="a1/2.2.1") == f"{FULL}/a1/2.2.1"
        assert url_for("pages.compare", notice=NOTICE, section="a1/2.2") == f"/notices/{NOTICE}/compare/a1/2.2"
        assert url_for("api.cite", notice=NOTICE, translation="full", section="a2/front").endswith(
            "/sections/a2/front/cite"
        )
    for sid in SECTION_IDS:
        assert pclient.get(f"{FULL}/{sid}").status_code == 200, sid
    assert pclient.get(f"/notices/{NOTICE}/full/a1%2F2.2").status_code == 200  # an encoded slash is the same


def test_a_missing_section_of_a_part_is_a_404_that_says_where_it_is(page_of):
    _, tree = page_of(f"{EXCERPT}/a2/1", 404)
    assert "attachment 2, 1 is not in the Excerpt; the Full translation has it" in tree.text
    page_of(f"{FULL}/a1/9", 404)
    page_of(f"{FULL}/a3/front", 404)
    page_of(f"/notices/{NOTICE}/compare/a1/2.9", 404)
    page_of(f"/api/notices/{NOTICE}/full/sections/a1/9", 404)


@pytest.mark.parametrize(
    "path",
    [
        "a0/1",
        "a1/../2",
        "a1/2.2/extra",
        "a1000/1",
        "a01/1",
        "b1/2",
        "a1/" + "9" * 300,
        "a1/2.2.1.1",
        "a1/front.1",
        "%00",
        "a1/%3Cscript%3E",
    ],
)
def test_hostile_section_paths_are_404s(pclient, path):
    for url in (f"{FULL}/{path}", f"/notices/{NOTICE}/compare/{path}", f"/api/notices/{NOTICE}/full/sections/{path}"):
        response = pclient.get(url)
        assert response.status_code == 404, (url, response.status_code)
        assert b"Traceback" not in response.data
        assert response.mimetype == "application/json" or b"<script>" not in response.data


def test_a_doubled_slash_is_the_sections_canonical_url_or_nothing(pclient):
    response = pclient.get(f"{FULL}/a1//2")
    assert response.status_code in (308, 404)
    if response.status_code == 308:  # werkzeug merges slashes: the canonical URL of a1/2
        assert response.headers["Location"].endswith(f"{FULL}/a1/2")


def test_old_and_typed_urls_of_a_section_in_a_part_lead_to_its_canonical_url(pclient):
    for typed in ("attachment 1, 2 (2)", "annex 1 2.2", "a1/2 (2)"):
        response = pclient.get(f"{FULL}/{typed}")
        assert (response.status_code, response.headers.get("Location")) == (301, f"{FULL}/a1/2.2"), typed
    assert pclient.get("/doc/full/a1/2.2").status_code in (301, 404)  # "full" is a name of many notices elsewhere
    assert pclient.get("/compare/a1/2.2").headers["Location"] == f"/notices/{NOTICE}/compare/a1/2.2"
    response = pclient.get(f"/notices/{NOTICE}/compare?section=attachment+1,+2+(2)+1")
    assert response.headers["Location"] == f"/notices/{NOTICE}/compare/a1/2.2.1"
    assert pclient.get("/api/documents/excerpt/sections/a1/2.2").headers["Location"] == (
        f"/api/notices/{NOTICE}/excerpt/sections/a1/2.2"
    )
    # the seeds' URLs are as they were
    assert pclient.get(f"{FULL}/1.1").status_code == 200


def test_an_anchor_finds_its_section_through_the_model(pclient):
    assert pclient.get(f"{FULL}?anchor=a1-s2-2-1").status_code == 200
    assert pclient.get(f"{EXCERPT}?anchor=a2-s1").status_code == 404  # the excerpt lacks it: said, not guessed
    assert pclient.get(f"{FULL}?anchor=top").status_code == 200  # no section's anchor: the first page


# -- the reading page -----------------------------------------------------------------------------------------


def test_the_reading_page_shows_each_part_after_the_notice_under_its_heading(page_of):
    _, tree = page_of(FULL)
    body = tree.one(cls="doc-body")
    ids = [h.attrs["id"] for h in body.iter() if h.tag in ("h2", "h3", "h4", "h5") and "id" in h.attrs]
    assert ids == [SectionId(i).anchor for i in SECTION_IDS]
    part = body.by_id("a1-front")
    assert part.tag == "h2" and part.text.strip() == "Attachment 1: Rules for Data Sharing"
    assert "part-head" in part.parent.classes
    assert "lang" not in part.attrs  # the part's heading is the text's, not the site's words
    assert body.by_id("a1-s2-2").tag == "h4" and body.by_id("a1-s2-2-1").tag == "h5"
    assert body.by_id("a1-s2-2").text.strip() == "2 (2) Compiling catalogues"
    links = [a.attrs["href"] for a in body.find_all("a", cls="section-link")]
    assert f"{FULL}/a1/2.2.1" in links and f"{FULL}/a2/front" in links
    labels = [a.attrs["aria-label"] for a in body.find_all("a", cls="permalink")]
    assert "Link to attachment 1, 2 (2) 1 on this page" in labels


def test_the_contents_nest_each_parts_sections_and_the_third_level(page_of):
    _, tree = page_of(FULL)
    toc = tree.one("nav", cls="toc")

    def item(anchor):
        return next(a for a in toc.find_all("a") if a.attrs["href"] == f"#{anchor}").parent

    def ancestors(anchor):
        found, node = [], item(anchor).parent
        while node is not None and node.tag in ("ol", "li"):
            if node.tag == "li":
                found.append(node.find("a").attrs["href"])
            node = node.parent
        return found

    assert ancestors("a1-s2-2-1") == ["#a1-s2-2", "#a1-s2", "#a1-front"]
    assert ancestors("s1-1-2") == ["#s1-1", "#s1"]
    assert ancestors("a2-s1") == ["#a2-front"]
    assert ancestors("a1-front") == []
    assert "toc-part" in item("a2-front").classes
    assert item("a1-s2-2-1").find("a").text.strip() == "2 (2) 1 Updating catalogues"


# -- section pages -------------------------------------------------------------------------------------------


def test_a_section_page_of_a_third_level_in_a_part(page_of):
    _, tree = page_of(f"{FULL}/a1/2.2.1")
    crumbs = [(a.attrs["href"], a.text.strip()) for a in tree.one("nav", cls="breadcrumb").find_all("a")]
    assert crumbs[2:] == [
        (f"{FULL}/a1/front", "Attachment 1: Rules for Data Sharing"),
        (f"{FULL}/a1/2", "2 Catalogues"),
        (f"{FULL}/a1/2.2", "2 (2) Compiling catalogues"),
    ]
    assert " ".join(tree.one("h1").text.split()) == "attachment 1, 2 (2) 1 Updating catalogues"
    related = tree.one("nav", cls="related")
    assert related.find("a", rel="prev").attrs["href"] == f"{FULL}/a1/2.2"
    assert related.find("a", rel="next").attrs["href"] == f"{FULL}/a1/2.2.2"
    assert "The Excerpt lacks this section" in related.text
    cite = tree.text
    assert 'attachment 1 "Rules for Data Sharing", section 2 (2) 1' in cite


def test_neighbours_run_across_the_parts(page_of):
    _, tree = page_of(f"{FULL}/2")
    assert tree.find("a", rel="next").attrs["href"] == f"{FULL}/a1/front"
    _, tree = page_of(f"{FULL}/a1/front")
    assert tree.find("a", rel="prev").attrs["href"] == f"{FULL}/2"
    assert [a.attrs["href"] for a in tree.find("ul", lang="en").find_all("a")] == [f"{FULL}/a1/1", f"{FULL}/a1/2"]
    assert " ".join(tree.one("h1").text.split()) == "Attachment 1: Rules for Data Sharing"
    _, tree = page_of(f"{FULL}/a1/2.3")
    assert tree.find("a", rel="next").attrs["href"] == f"{FULL}/a2/front"


# -- the notice, compare, API -------------------------------------------------------------------------------


def test_the_notices_contents_mark_parts_and_levels(page_of):
    _, tree = page_of(f"/notices/{NOTICE}/")
    rows = {}
    for tr in tree.one("table", cls="contents").find("tbody").find_all("tr"):
        number = tr.find("th").find("span", cls="sid")
        rows[number.text if number is not None else tr.find("th").text.strip()] = tr.classes
    assert rows["Attachment 1: Rules for Data Sharing"] == {"part"}
    assert rows["1 (1) 1"] == {"third"} and rows["1 (1)"] == {"sub"} and rows["2 (2)"] == {"sub", "in-part"}
    third = next(tr for tr in tree.find_all("tr") if "Updating catalogues" in tr.text)
    assert third.classes == {"third", "in-part"}
    assert third.find("a").attrs["href"] == f"{FULL}#a1-s2-2-1"
    lacks = " ".join(tree.one("ul", cls="versions-list").text.split())
    assert "Lacks sections 1 (1) 1, 1 (1) 2, attachment 1, 2 (2) 1, attachment 1, 2 (2) 2, " in lacks
    assert "attachment 2, attachment 2, 1." in lacks  # a part's opening is named as the part


def test_the_compare_page_of_a_section_in_a_part(page_of):
    _, tree = page_of(f"/notices/{NOTICE}/compare/a1/2.2")
    assert tree.one(cls="part-kicker").text.strip() == "Attachment 1: Rules for Data Sharing"
    assert " ".join(tree.one("h1").text.split()) == "Section 2 (2) Compiling catalogues"
    options = {o.attrs["value"]: " ".join(o.text.split()) for o in tree.find_all("option")}
    assert options["a1/2.2.1"] == "attachment 1, 2 (2) 1 Updating catalogues – not in the Excerpt"
    assert options["a2/front"] == "Annex 2: Forms for Data Requests – not in the Excerpt"
    assert tree.find("a", rel="next").attrs["href"] == f"/notices/{NOTICE}/compare/a1/2.2.1"
    _, tree = page_of(f"/notices/{NOTICE}/compare/a1/2.2.1")
    assert "does not include section attachment 1, 2 (2) 1" in tree.text


def test_the_api_names_parts_levels_and_derived_titles(pclient):
    data = pclient.get(f"/api/notices/{NOTICE}").get_json()
    assert [p["id"] for p in data["parts"]] == ["a1/front", "a2/front"]
    rows = {s["id"]: s for s in data["sections"]}
    assert list(rows) == SECTION_IDS
    assert (rows["a1/2.2.1"]["part"], rows["a1/2.2.1"]["level"], rows["a1/2.2.1"]["in"]) == (1, 3, ["full"])
    section = pclient.get(f"/api/notices/{NOTICE}/full/sections/a1/2.2.1").get_json()
    assert (section["part"], section["level"], section["title_derived"]) == (1, 3, False)
    assert section["part_heading"] == "Attachment 1: Rules for Data Sharing"
    assert section["permalink"] == f"{FULL}/a1/2.2.1" and section["link"] == f"{FULL}#a1-s2-2-1"
    response = pclient.get(f"/api/notices/{NOTICE}/full/sections/a1/2.2/cite?format=ris")
    assert response.headers["Content-Disposition"] == f'attachment; filename="{NOTICE}-full-a1-2.2.ris"'
    assert "SE  - attachment 1, 2 (2)" in response.get_data(as_text=True)


def test_search_results_link_to_a_section_in_a_part(pclient):
    data = pclient.get("/api/search?q=quarterly").get_json()
    hit = data["results"][0]
    assert (hit["section"], hit["permalink"]) == ("a1/2.2.1", f"{FULL}/a1/2.2.1")
    assert hit["links"]["read"] == f"{FULL}#a1-s2-2-1"


# -- derived titles --------------------------------------------------------------------------------------------


def test_a_derived_title_is_muted_and_said_to_be_derived_on_the_reading_page(parse):
    from kb.models import Metadata, Notice
    from kb.render import to_markdown

    outline = Outline(
        Metadata(), "", [Section("1", "Each region shall act", None, "Each region shall act now.", None, True)]
    )
    t = Translation("t", "T", Path("t.md"), "n", outline)
    html = document_html(to_markdown(Notice("n", "N", None, None, [], [t]), t), "/notices/n/t")
    heading = parse(html).by_id("s1")
    span = heading.find("span", cls="derived")
    assert span.attrs["title"] == DERIVED and span.text.startswith("Each region shall act")
    assert span.find("span", cls="visually-hidden").text == f" ({DERIVED})"
    assert heading.text.startswith("1 Each region")


def test_a_derived_title_is_marked_by_every_template_that_names_a_section(parts_app, parse):
    section = Section("a1/2.5", "Each region shall act", "a1/2", "", None, True)
    with parts_app.app_context():
        macros = parts_app.jinja_env.get_template("_sections.html").module
        full = parse(str(macros.heading(section)))
        local = parse(str(macros.heading(section, local=True)))
        plain = parse(str(macros.heading(Section("1", "Scope", None, ""))))
    assert full.text.startswith("attachment 1, 2 (5) Each region") and full.find("span", cls="derived")
    assert local.text.startswith("2 (5) Each region") and "title derived from the text" in local.text
    assert plain.text == "1 Scope" and plain.find("span", cls="derived") is None


def test_a_result_in_a_part_says_where_it_is(page_of):
    _, tree = page_of("/search?q=pseudonymised")
    assert " ".join(tree.one("p", cls="breadcrumb").text.split()) == "in Annex 2: Forms for Data Requests"
    _, tree = page_of("/search?q=quarterly")
    assert " ".join(tree.one("p", cls="breadcrumb").text.split()) == "in attachment 1, 2 (2) Compiling catalogues"
