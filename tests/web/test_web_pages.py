"""Every page of the site answers 200 with what a reader came for."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from library import SEED_NOTICE

from kb.models import SectionId

NUMBER = "MIIT Communications [2024] No. 165"
TITLE = "Notice on Matters Related to Promoting the Coordinated Development of New Information Infrastructure"
DATE = "2024-09-04"
FULL_LABEL = "Full translation"
GMT_LABEL = "GMT Eight translation (sections 4-8)"
#: The seed notice's pages (the other notices' pages are tested in test_web_notices.py).
NOTICE = f"/notices/{SEED_NOTICE}/"
FULL = f"/notices/{SEED_NOTICE}/full"
GMT = f"/notices/{SEED_NOTICE}/gmt"
COMPARE = f"/notices/{SEED_NOTICE}/compare"
#: Results of the seed notice only (the library's other notices also mention submarine cables).
SEED_CABLES = f"/search?q=submarine+cables&notice={SEED_NOTICE}"


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _hits(tree):
    return tree.find_all("li", cls="hit")


def _sid(hit) -> str:
    return hit.one("span", cls="sid").text.strip()


def _total(tree) -> int:
    m = re.match(r"(\d+) sections?\b", tree.one("p", cls="total").text.strip())
    assert m, tree.one("p", cls="total").text
    return int(m[1])


# -- home ---------------------------------------------------------------------------------


def test_home_has_a_labelled_search_box(get_page):
    _, tree = get_page("/")
    form = tree.one("form", cls="search", role="search")
    assert form.attrs["action"] == "/search" and form.attrs.get("method", "get").lower() == "get"
    box = form.one("input", id_="q")
    assert box.attrs["name"] == "q"
    label = form.one("label", for_="q")
    assert label.text.strip(), "the label must say what the box is for"
    assert form.one("button", type="submit").text.strip() == "Search"


def test_home_lists_the_notice_with_its_metadata(get_page):
    _, tree = get_page("/")
    item = next(li for li in tree.find_all("li", cls="notice-item") if NUMBER in li.text)
    title = item.one("h3").one("a")
    assert "Coordinated Development of New Information Infrastructure" in title.text
    assert title.attrs["href"] == NOTICE
    assert item.one("time").attrs["datetime"] == DATE and item.one("time").text == DATE
    assert "Ministry of Industry and Information Technology" in item.one("p", cls="issuers").text
    assert "and 8 more" in item.one("p", cls="issuers").text  # 11 issuing bodies: three named
    assert item.one("p", cls="versions").links() == [FULL, GMT]


def test_notice_page_shows_the_metadata_and_each_translations_contents(get_page):
    _, tree = get_page(NOTICE)
    meta = tree.one("dl", cls="meta")
    assert NUMBER in meta.text
    assert meta.one("time").attrs["datetime"] == DATE and meta.one("time").text == DATE
    for issuer in ("Ministry of Industry and Information Technology", "People's Bank of China", "China State Railway"):
        assert issuer in meta.text
    assert "Sections 1 (1), 1 (2) are missing from every version we hold" in tree.one("p", cls="note").text
    versions = tree.one("ul", cls="versions-list")
    assert versions.links() == [FULL, GMT]
    assert "Lacks sections 1 (1), 1 (2)." in versions.find_all("li")[0].text
    assert "GMT Eight" in versions.find_all("li")[1].text  # its source
    table = tree.one("table", cls="contents")
    links = table.links()
    for anchor in ("s1", "s1-3", "s2-1", "s6-1", "s7-1", "s8-3"):
        assert f"{FULL}#{anchor}" in links
    assert f"{FULL}#s1-1" not in links  # no translation has 1.1
    assert f"{GMT}#s4-1" in links and f"{GMT}#s6-1" in links
    assert not any(link.startswith(f"{GMT}#s1") for link in links)
    assert f"{COMPARE}/6.1" in links and f"{FULL}/6.1" in links and f"{GMT}/6.1" in links
    assert "6 Enhance all-round security capabilities" in " ".join(table.text.split())


def test_favicon_redirects_to_the_svg(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    with client.get(response.headers["Location"]) as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


# -- results ------------------------------------------------------------------------------


def test_results_keep_the_query_in_the_box(get_page):
    _, tree = get_page("/search?q=submarine+cables")
    assert tree.one("input", id_="q").attrs["value"] == "submarine cables"
    assert "submarine cables" in tree.one("h1").text
    assert tree.one("title").text.startswith("submarine cables")


def test_results_total_matches_the_api(get_page, client):
    for url in ("/search?q=submarine+cables", SEED_CABLES):
        _, tree = get_page(url)
        api = client.get("/api" + url).get_json()
        assert _total(tree) == api["total"] > 0
        assert len(_hits(tree)) == min(api["total"], 10)
        assert [_sid(h) for h in _hits(tree)] == [r["section_label"] for r in api["results"]]


def test_results_put_7_1_first_with_breadcrumb_snippet_and_translations(get_page):
    _, tree = get_page(SEED_CABLES)
    first = _hits(tree)[0]
    assert _sid(first) == "7 (1)"
    assert NUMBER in first.one("p", cls="hit-notice").text
    assert "7. Strengthen cross-" in first.one("p", cls="breadcrumb").text
    snippet = first.one("p", cls="snippet")
    marks = [m.text.lower() for m in snippet.find_all("mark")]
    assert marks and all(m.startswith(("submarine", "cable")) for m in marks)
    assert "submarine" in marks
    link = first.one("h2").one("a").attrs["href"]
    assert re.fullmatch(FULL[:-4] + r"(full|gmt)\?q=submarine\+cables#s7-1", link), link
    where = first.one("p", cls="where")
    assert "In the " in where.text and "also in the" in where.text
    assert FULL_LABEL in where.text and GMT_LABEL in where.text
    links = where.links()
    other = "full" if link.startswith(GMT) else "gmt"
    assert f"{NOTICE}{other}?q=submarine+cables#s7-1" in links
    assert f"{COMPARE}/7.1" in links
    assert any(re.fullmatch(FULL[:-4] + r"(full|gmt)/7\.1", x) for x in links)


def test_result_link_leads_to_the_marked_section(get_page, client, parse):
    _, tree = get_page(SEED_CABLES)
    link = _hits(tree)[0].one("h2").one("a").attrs["href"]
    path, _, anchor = link.partition("#")
    _, doc = get_page(path)
    heading = doc.by_id(anchor)
    assert heading is not None and heading.tag == "h3"
    assert "factor allocation" in heading.text
    assert doc.one("div", cls="doc-body").find("mark") is not None


def test_translation_facets_narrow_the_results(get_page):
    _, tree = get_page(SEED_CABLES)
    total = _total(tree)
    facets = tree.one("aside", cls="facets")
    translation_links = [a for a in facets.find_all("a") if "translation=" in a.attrs["href"]]
    assert {_query(a.attrs["href"])["translation"][0] for a in translation_links} == {"full", "gmt"}
    for a in translation_links:
        href = a.attrs["href"]
        assert _query(href)["q"] == ["submarine cables"] and _query(href)["notice"] == [SEED_NOTICE], href
        count = int(a.parent.one("span", cls="count").text)
        _, narrowed = get_page(href)
        assert _total(narrowed) == count <= total
        assert narrowed.one("input", id_="q").attrs["value"] == "submarine cables"
        name = _query(href)["translation"][0]
        label = FULL_LABEL if name == "full" else GMT_LABEL
        for hit in _hits(narrowed):
            assert hit.one("p", cls="where").text.strip().startswith(f"In the {label}")
        chosen = narrowed.one("aside", cls="facets").find_all("strong")
        assert label in [s.text for s in chosen]
        # the narrowed page offers the way back to "Any"
        assert any(x.text == "Any" for x in narrowed.one("aside", cls="facets").find_all("a"))


def test_did_you_mean(get_page):
    # searched as typed, a misspelt word is only suggested (by default it is corrected: test_match_reasons_pages)
    _, tree = get_page("/search?q=satelite&as_typed=1")
    suggestion = tree.one("p", cls="suggestion")
    assert "Did you mean" in suggestion.text
    link = suggestion.one("a")
    assert link.text == "satellite" and link.attrs["href"] == "/search?q=satellite"
    _, followed = get_page(link.attrs["href"])
    assert _total(followed) >= 1 and followed.find("p", cls="suggestion") is None


def test_no_results_says_so_and_suggests_what_to_try(get_page):
    _, tree = get_page("/search?q=xyzzyqqq")
    empty = tree.one("div", cls="empty")
    assert "No section matches" in empty.text and "xyzzyqqq" in empty.text
    tips = [li.text for li in empty.find_all("li")]
    assert any("spelling" in t for t in tips) and any("fewer" in t for t in tips)
    assert "/" in empty.links()
    assert not _hits(tree) and tree.find("p", cls="total") is None


def test_empty_query_shows_how_to_search(get_page):
    _, tree = get_page("/search")
    assert tree.one("h1").text == "Search"
    assert "6 (1)" in tree.one("main").text
    assert not _hits(tree)


def test_pagination(get_page):
    _, first = get_page("/search?q=development")
    total = _total(first)
    assert total > 10
    assert len(_hits(first)) == 10
    pager = first.one("nav", cls="pager")
    assert pager.find("a", rel="prev") is None
    next_href = pager.one("a", rel="next").attrs["href"]
    assert _query(next_href) == {"q": ["development"], "page": ["2"]}
    pages = (total + 9) // 10
    assert f"Page 1 of {pages}" in pager.text

    _, second = get_page(next_href)
    assert second.one("ol", cls="results").attrs["start"] == "11"
    hits2 = _hits(second)
    assert 1 <= len(hits2) <= 10
    pager2 = second.one("nav", cls="pager")
    assert _query(pager2.one("a", rel="prev").attrs["href"]) == {"q": ["development"]}  # page 1 is the plain URL
    assert f"Page 2 of {pages}" in pager2.text
    if pages == 2:
        assert pager2.find("a", rel="next") is None
        assert len(hits2) == total - 10

    def keys(tree):
        return {(h.one("p", cls="hit-notice").one("a").attrs["href"], _sid(h)) for h in _hits(tree)}

    assert not keys(first) & keys(second)


def test_page_beyond_the_last_is_not_found(get_page):
    _, tree = get_page("/search?q=development&page=50", 404)
    assert "no page 50" in tree.one("main").text


# -- documents ----------------------------------------------------------------------------


def test_document_is_rendered_markdown_with_contents_and_metadata(get_page):
    _, tree = get_page(FULL)
    body = tree.one("div", cls="doc-body")
    assert body.find_all("h2") and body.find_all("h3") and body.find_all("p")
    assert "{#" not in body.text and "## " not in body.text  # no Markdown left over
    # the page's one h1 is the notice's title, from the model (not the translation's first line)
    assert [h.text for h in tree.find_all("h1")] == [TITLE]
    meta = tree.one("dl", cls="meta")
    assert NUMBER in meta.text and DATE in meta.text and "Ministry of Finance" in meta.text
    assert FULL_LABEL in tree.one("p", cls="kicker").text
    toc = tree.one("nav", cls="toc")
    toc_targets = [h[1:] for h in toc.links()]
    assert {"front", "s1", "s1-3", "s6", "s6-1", "s8-3"} <= set(toc_targets)
    for target in toc_targets:
        assert body.by_id(target) is not None, f"contents link #{target} has no target"
    # what this translation lacks is missing from every translation: it says so, and sends no one elsewhere
    assert tree.find("p", cls="lacks-note") is None
    gone = tree.one("p", cls="gone-note")
    assert "Sections 1 (1), 1 (2) are missing from every version we hold" in gone.text
    assert not any(GMT in link for link in gone.links())


def test_every_heading_has_an_id_and_a_visible_permalink(get_page):
    _, tree = get_page(FULL)
    headings = [h for h in tree.one("div", cls="doc-body").iter() if h.tag in ("h2", "h3")]
    assert len(headings) > 20
    for h in headings:
        anchor = h.attrs.get("id")
        assert anchor, f"heading without id: {h.text!r}"
        # the links follow the heading, outside it: a heading's accessible name is its own text
        assert not h.find_all("a"), f"links inside the heading {h.text!r}"
        links = h.parent.one("p", cls="heading-links")
        section = SectionId("front" if anchor == "front" else anchor[1:].replace("-", "."))
        permalink = links.one("a", cls="permalink")
        assert permalink.attrs["href"] == f"#{anchor}" and permalink.text == "#"
        assert section.display in permalink.attrs["aria-label"]  # names the section it links to
        page_link = links.one("a", cls="section-link")
        assert page_link.attrs["href"] == f"{FULL}/{section}"
        assert page_link.attrs["aria-label"].startswith(page_link.text)  # the visible words are in its name
        assert section.display in page_link.attrs["aria-label"]
    ids = [h.attrs["id"] for h in headings]
    assert len(ids) == len(set(ids))


def test_document_marks_the_query_terms(get_page):
    _, tree = get_page(GMT + "?q=security")
    body = tree.one("div", cls="doc-body")
    marks = body.find_all("mark")
    assert len(marks) >= 5
    assert all(m.text.lower().startswith(("secur", "safe")) for m in marks)  # and its synonym, as snippets mark
    # marking touches text only: headings keep their ids and permalinks
    for h in (h for h in body.iter() if h.tag in ("h2", "h3")):
        assert h.parent.one("a", cls="permalink").attrs["href"] == "#" + h.attrs["id"]
    note = next(p for p in tree.find_all("div", cls="note") if "Marked" in p.text)
    assert "security" in note.text and GMT in note.links()

    _, plain = get_page(GMT)
    assert plain.one("div", cls="doc-body").find("mark") is None


def test_document_of_the_partial_translation(get_page):
    _, tree = get_page(GMT)
    assert "Source" in tree.one("dl", cls="meta").text and "GMT Eight" in tree.one("dl", cls="meta").text
    body = tree.one("div", cls="doc-body")
    assert body.by_id("s4-1") is not None and body.by_id("s1") is None


# -- section pages ------------------------------------------------------------------------


def test_section_page_shows_the_section_alone(get_page):
    _, tree = get_page(FULL + "/6.1")
    page = tree.one("article", cls="section-page")
    h1 = page.one("h1")
    assert h1.one("span", cls="sid").text == "6 (1)"
    assert "Improve network and data security capabilities" in h1.text
    body = page.one("div", cls="section-body").text
    assert "network security capability maturity" in body
    assert "cross-industry security services" not in body  # 6.2's title: not on 6.1's page
    assert tree.one("title").text.startswith("6 (1)")


def test_section_page_links_to_its_neighbourhood(get_page):
    _, tree = get_page(FULL + "/6.1")
    crumb = tree.one("nav", cls="breadcrumb")
    assert FULL in crumb.links() and FULL + "/6" in crumb.links()  # document, parent
    related = tree.one("nav", cls="related")
    assert related.one("a", rel="prev").attrs["href"] == FULL + "/6"
    assert related.one("a", rel="next").attrs["href"] == FULL + "/6.2"
    links = related.links()
    assert GMT + "/6.1" in links  # the same section in the other translation
    assert COMPARE + "/6.1" in links
    assert FULL + "#s6-1" in links  # read in context
    for href in [FULL, FULL + "/6", FULL + "/6.2", GMT + "/6.1", COMPARE + "/6.1"]:
        get_page(href)


def test_section_page_has_a_citation_and_a_copy_button(get_page):
    _, tree = get_page(FULL + "/6.1")
    cite = tree.one("section", cls="cite")
    assert cite.one("h2").text == "Cite this section"
    citation = cite.one("output", id_="citation").text
    assert NUMBER in citation
    assert "section 6 (1)" in citation
    assert "http://localhost" + FULL + "/6.1" in citation
    assert FULL_LABEL in citation
    button = cite.one("button", cls="copy")
    assert button.attrs["data-cite-copy"] == "#citation" and button.attrs["type"] == "button"
    # hidden until the script finds a clipboard; the citation is selectable text meanwhile
    assert "hidden" in button.attrs


def test_section_page_says_when_the_other_translation_lacks_it(get_page):
    _, tree = get_page(FULL + "/1.3")
    related = tree.one("nav", cls="related")
    assert f"The {GMT_LABEL} lacks this section" in related.text
    assert GMT + "/1.3" not in related.links()


def test_top_section_page_lists_its_subsections(get_page):
    _, tree = get_page(GMT + "/4")
    assert "(untitled in this translation)" in tree.one("h1").text
    links = tree.one("article", cls="section-page").links()
    assert GMT + "/4.1" in links and GMT + "/4.2" in links


def test_front_matter_section_page(get_page):
    _, tree = get_page(FULL + "/front")
    # the notice's own front matter: the publisher's reading guide before it is kept apart (kb.guide)
    assert tree.one("div", cls="section-body").text.startswith("MIIT Communications[2024] No. 165")
    assert "Reading guide" not in tree.one("div", cls="section-body").text
    assert "front matter" in tree.one("output", id_="citation").text


# -- compare ------------------------------------------------------------------------------


def test_compare_shows_both_translations_side_by_side(get_page):
    _, tree = get_page(COMPARE + "/6.1")
    assert "6 (1)" in tree.one("h1").text
    columns = tree.one("div", cls="compare").find_all("section", cls="column")
    assert [c.one("h2").text for c in columns] == [FULL_LABEL, GMT_LABEL]
    full, gmt = columns
    assert full.one("h3").text == "Improve network and data security capabilities"
    assert gmt.one("h3").text == "Enhance network and data security capabilities"
    assert "maturity assessments" in full.text and "network security maturity" in gmt.text
    assert full.find("p", cls="missing") is None and gmt.find("p", cls="missing") is None
    assert FULL + "/6.1" in full.links() and GMT + "/6.1" in gmt.links()
    pager = tree.one("nav", cls="pager")
    assert pager.one("a", rel="prev").attrs["href"] == COMPARE + "/6"
    assert pager.one("a", rel="next").attrs["href"] == COMPARE + "/6.2"


def test_compare_marks_the_missing_translation(get_page):
    _, tree = get_page(COMPARE + "/1.3")
    full, gmt = tree.one("div", cls="compare").find_all("section", cls="column")
    assert "Rational layout of new technology facilities" in full.text and full.find("p", cls="missing") is None
    missing = gmt.one("p", cls="missing")
    assert "Missing" in missing.text and "does not include section 1 (3)" in missing.text
    assert GMT + "/1.3" not in gmt.links()


# -- OpenSearch ---------------------------------------------------------------------------


def test_opensearch_description(client, get_page):
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/opensearchdescription+xml"
    root = ET.fromstring(response.data)
    ns = "{http://a9.com/-/spec/opensearch/1.1/}"
    assert root.tag == f"{ns}OpenSearchDescription"
    assert root.find(f"{ns}ShortName").text
    url = root.find(f"{ns}Url")
    assert url.get("type") == "text/html"
    template = url.get("template")
    assert template == "http://localhost/search?q={searchTerms}"
    _, tree = get_page(template.replace("http://localhost", "").replace("{searchTerms}", "security"))
    assert _hits(tree)
    # every page advertises it
    _, home = get_page("/")
    link = home.one("link", rel="search")
    assert link.attrs["href"] == "/opensearch.xml" and link.attrs["type"] == "application/opensearchdescription+xml"


# -- the whole site -----------------------------------------------------------------------


def test_every_internal_link_resolves(client, parse):
    """Crawl from the main pages: every internal link answers 200 and every #fragment has its target."""
    start = ["/", "/search?q=development", "/search?q=submarine+cables", NOTICE, FULL, GMT, "/notices/zz-hostile/"]
    seen: dict[str, object] = {}
    queue = [(url, 0) for url in start]
    broken, missing_targets = [], []
    fragments: list[tuple[str, str, str]] = []
    while queue:
        url, depth = queue.pop(0)
        if url in seen:
            continue
        with client.get(url) as response:
            response.get_data()
        if response.status_code != 200:
            broken.append((url, response.status_code))
            seen[url] = None
            continue
        tree = parse(response.get_data(as_text=True)) if response.mimetype == "text/html" else None
        seen[url] = tree
        if tree is None or depth >= 2:
            continue
        for node in tree.iter():
            href = node.attrs.get("href") or node.attrs.get("src")
            if not href or href.startswith(("http:", "https:", "mailto:")):
                continue
            target, _, fragment = href.partition("#")
            target = target or url
            if not target.startswith("/"):
                continue
            if fragment:
                fragments.append((url, target, fragment))
            # results pages link to documents with ?q=: follow a few, not every query
            queue.append((target, depth + 1))
    for source, target, fragment in fragments:
        tree = seen.get(target)
        if tree is None and target not in seen:
            with client.get(target) as response:
                response.get_data()
            tree = parse(response.get_data(as_text=True)) if response.status_code == 200 else None
            seen[target] = tree
        if tree is not None and tree.by_id(fragment) is None:
            missing_targets.append((source, f"{target}#{fragment}"))
    assert len(seen) > 100
    assert not broken, broken
    assert not missing_targets, missing_targets[:10]


# -- regressions ---------------------------------------------------------------------------


def test_a_front_matter_hit_links_to_the_front_matter(get_page):
    _, tree = get_page(f"/search?q=hereby+given&notice={SEED_NOTICE}&translation=full")
    hit = next(h for h in _hits(tree) if "Front matter" in h.one("h2").text)
    assert hit.one("h2").one("a").attrs["href"] == FULL + "?q=hereby+given#front"
    assert FULL + "/front" in hit.links()


def test_compare_link_from_a_second_notice_shows_that_notice(get_page):
    from library import MOF

    _, section = get_page(f"/notices/{MOF.id}/full/2.1")
    compare = next(a for a in section.one("nav", cls="related").find_all("a") if "Compare" in a.text)
    assert compare.attrs["href"] == f"/notices/{MOF.id}/compare/2.1"
    _, tree = get_page(compare.attrs["href"])
    assert "newly built international submarine cables" in tree.one("main").text
    assert MOF.number in tree.one("nav", cls="breadcrumb").text


# -- long lists: a section with 20,000 subsections -------------------------------------------

LONG = 20_000


@pytest.fixture(scope="module")
def long_client(tmp_path_factory: pytest.TempPathFactory):
    """The site over one Markdown notice whose section 1 has 20,000 subsections (then a short section 2)."""
    from kb import index
    from web import create_app

    corpus = tmp_path_factory.mktemp("long-corpus")
    lines = ["# Long Test Notice on Many Items", "", "## 1. Big section", "", "The section's own text.", ""]
    lines += [f"### Item {i}" for i in range(1, LONG + 1)]
    lines += ["", "## 2. After the list", "", "Closing words.", "", "### (1) Last item", "", "The last body."]
    (corpus / "big.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("long-index")
    index.build(corpus, index_dir)
    app = create_app({"TESTING": True, "KB_INDEX": index_dir, "KB_CORPUS": corpus})
    return app.test_client()


@pytest.fixture()
def long_page(long_client, parse):
    def fetch(url: str, status: int = 200):
        response = long_client.get(url)
        assert response.status_code == status, f"{url}: {response.status_code}"
        return response, parse(response.get_data(as_text=True))

    return fetch


def test_notice_page_lists_the_first_sections_of_a_long_translation_and_links_to_the_rest(long_page):
    from web.views.notice import CONTENTS_LIMIT

    response, tree = long_page("/notices/big/")
    assert len(response.data) < 100_000
    rows = tree.one("table", cls="contents").one("tbody").find_all("tr")
    assert len(rows) == CONTENTS_LIMIT
    more = tree.one("p", cls="more")
    assert f"{LONG + 3 - CONTENTS_LIMIT} more sections" in more.text
    href = more.one("a").attrs["href"]
    assert href == f"/notices/big/big#s1-{CONTENTS_LIMIT}"  # the first one not listed, on the first reading page
    _, page = long_page(href.split("#")[0])
    assert page.by_id(f"s1-{CONTENTS_LIMIT}") is not None
    _, home = long_page("/")
    assert len(home.find_all("li", cls="notice-item")) == 1 and not home.find_all("table")


def _headings(tree) -> list[str]:
    return [h.attrs["id"] for h in tree.one("div", cls="doc-body").iter() if h.tag in ("h2", "h3")]


def test_long_translation_is_read_page_by_page(long_page):
    from web.links import PAGE_SECTIONS

    pages = -(-(LONG + 3) // PAGE_SECTIONS)
    response, first = long_page("/notices/big/big")
    assert len(response.data) < 200_000
    assert len(_headings(first)) == PAGE_SECTIONS
    toc = first.one("nav", cls="toc")
    assert len(toc.find_all("li")) <= PAGE_SECTIONS + 1
    for link in toc.links():
        if link.startswith("#"):
            assert first.by_id(link[1:]) is not None, link
    assert f"Page 1 of {pages}" in first.one("nav", cls="pager").text
    next_link = first.one("a", rel="next").attrs["href"]
    assert next_link == "/notices/big/big?page=2"
    assert first.find("a", rel="prev") is None

    _, second = long_page(next_link)
    ids = _headings(second)
    assert ids[0] == f"s1-{PAGE_SECTIONS}" and len(ids) == PAGE_SECTIONS
    assert second.one("a", rel="prev").attrs["href"] == "/notices/big/big"
    assert second.one("a", rel="next").attrs["href"] == "/notices/big/big?page=3"
    # the page's contents start with the section it continues, linked to where that section is
    assert second.one("nav", cls="toc").one("ol").one("a").attrs["href"] == "/notices/big/big#s1"

    _, last = long_page(f"/notices/big/big?page={pages}")
    assert _headings(last)[-2:] == ["s2", "s2-1"]
    assert last.find("a", rel="next") is None and last.one("a", rel="prev")
    # the marked-words link keeps the page
    _, marked = long_page(f"/notices/big/big?page={pages}&q=closing")
    assert marked.one("div", cls="doc-body").find("mark") is not None


@pytest.mark.parametrize(
    "query, status", [("page=102", 404), ("page=0", 400), ("page=abc", 400), ("page=" + "9" * 5000, 400)]
)
def test_a_page_that_does_not_exist(long_page, query, status):
    long_page(f"/notices/big/big?{query}", status)


def test_a_section_finds_its_page(long_page):
    """How a #anchor link from elsewhere (a live result, the API) reaches its page: app.js asks with ?section=."""
    _, tree = long_page("/notices/big/big?section=1.15000")
    assert tree.by_id("s1-15000") is not None
    assert "Page 76 of" in tree.one("nav", cls="pager").text
    long_page("/notices/big/big?section=9.9", 404)
    long_page("/notices/big/big?section=nonsense", 404)


def test_links_into_a_long_translation_open_the_right_page(long_page):
    _, section = long_page("/notices/big/big/1.15000")
    context = next(a for a in section.one("nav", cls="related").find_all("a") if a.text == "Read in context")
    assert context.attrs["href"] == "/notices/big/big?page=76#s1-15000"
    _, results = long_page("/search?q=item+15000")
    hit = next(h for h in _hits(results) if _sid(h) == "1 (15000)")
    href = hit.one("h2").one("a").attrs["href"]
    assert _query(href)["page"] == ["76"] and href.endswith("#s1-15000")
    _, page = long_page(href.split("#")[0])
    assert page.by_id("s1-15000") is not None
    long_page("/notices/big/compare/1.15000")


def test_section_page_lists_a_bounded_number_of_subsections(long_page):
    from web.views.document import SUBSECTIONS_LIMIT

    response, tree = long_page("/notices/big/big/1")
    assert len(response.data) < 50_000
    main = tree.one("article", cls="section-page")
    subsections = main.find_all("ul")[0]  # the list under "Subsections", before the related links
    assert len(subsections.find_all("li")) == SUBSECTIONS_LIMIT
    more = main.one("p", cls="more")
    assert f"{LONG - SUBSECTIONS_LIMIT} more subsections" in more.text
    assert more.one("a").attrs["href"] == f"/notices/big/big#s1-{SUBSECTIONS_LIMIT + 1}"


def test_a_normal_translation_is_one_page(get_page):
    response, tree = get_page(FULL)
    assert tree.find("nav", cls="pager") is None and b"data-paged" not in response.data
    assert not any("page=" in link for link in tree.links())


def test_long_lists_of_section_ids_are_cut_with_a_count():
    from web.views.document import id_list

    assert id_list(["1.1", "1.2", "3"]) == "1 (1), 1 (2), 3"  # as a citation names them
    ids = [f"1.{i}" for i in range(1, 61)]
    assert id_list(ids, limit=50) == ", ".join(f"1 ({i})" for i in range(1, 51)) + " and 10 more"
