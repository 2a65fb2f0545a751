"""The compare page and its JSON: marked differences, the toggle, the picker, next/previous, citations, bases."""

from __future__ import annotations

from pathlib import Path

import pytest
from library import SEED_NOTICE

from kb import index as kb_index
from kb.compare import Kind, compare
from kb.models import Metadata, Notice, Outline, Section, SectionId, Translation
from web import create_app

COMPARE = f"/notices/{SEED_NOTICE}/compare"
API = f"/api/notices/{SEED_NOTICE}/compare"
FULL_LABEL = "Full translation"
GMT_LABEL = "GMT Eight translation (sections 4-8)"


def _columns(tree):
    return tree.one("div", cls="compare").find_all("section", cls="column")


def _marks(column, cls: str) -> list[str]:
    return [m.text for m in column.find_all("mark", cls=cls)]


# -- the marks ------------------------------------------------------------------------------------------------


def test_both_sides_mark_what_they_do_not_share(get_page, client):
    _, tree = get_page(COMPARE + "/6.1")
    full, gmt = _columns(tree)
    # the seed's two translations of 6 (1): "basic telecommunications enterprises" / "Basic telecommunications
    # companies"; "capability maturity" only in the full translation
    assert _marks(full, "diff-changed")[0] == "enterprises" and _marks(gmt, "diff-changed")[0] == "companies"
    assert "capability" in _marks(full, "diff-only")
    # the marks are what the library found, side for side
    data = client.get(API + "/6.1").get_json()
    spans = data["comparisons"][0]["text"]["spans"]
    changed = [s for s in spans if s["kind"] == "changed"]
    assert len(_marks(full, "diff-changed")) >= len(changed) and len(_marks(gmt, "diff-changed")) >= len(changed)
    assert {s["left"] for s in spans if s["kind"] == "left-only"} <= set(_marks(full, "diff-only"))
    assert {s["right"] for s in spans if s["kind"] == "right-only"} <= set(_marks(gmt, "diff-only"))


def test_marking_leaves_each_text_as_it_is(get_page, client):
    """The marks wrap the text; read without them, each column holds its translation's paragraphs, whole."""
    _, tree = get_page(COMPARE + "/6.1")
    for column, name in zip(_columns(tree), ("full", "gmt"), strict=True):
        body = client.get(f"/api/notices/{SEED_NOTICE}/{name}/sections/6.1").get_json()["text"]
        paragraphs = [p.text for p in column.one("div", cls="column-body").find_all("p")]
        assert paragraphs == [line for line in body.split("\n") if line.strip()]


def test_each_column_says_what_it_is_compared_with(get_page):
    _, tree = get_page(COMPARE + "/6.1")
    full, gmt = _columns(tree)
    assert "base" in full.classes and "base" not in gmt.classes
    assert f"Compared with the {GMT_LABEL}" in full.one("p", cls="diff-summary").text
    summary = gmt.one("p", cls="diff-summary").text
    assert f"Compared with the {FULL_LABEL}" in summary and "% of words in common" in summary
    legend = tree.one("p", cls="diff-legend")
    assert [m.text for m in legend.find_all("mark")] == ["only in one translation", "worded differently"]


def test_differences_in_markup_are_text():
    """A translation's text that looks like markup is escaped inside and around the marks."""
    left, right = "Use <b>bold</b> & more", "Use <i>italics</i> & more"
    from web.views.compare import marked

    html = str(marked([(s.right, s.kind) for s in compare(left, right).spans if s.right]))
    assert html == '<p>Use &lt;<mark class="diff diff-changed">i&gt;italics&lt;/i</mark>&gt; &amp; more</p>'


def test_a_difference_over_a_line_break_is_marked_in_each_paragraph():
    from web.views.compare import marked

    html = str(marked([("Same. ", Kind.EQUAL), ("new words\nand more", Kind.RIGHT_ONLY), ("\n \nend", Kind.EQUAL)]))
    assert html == (
        '<p>Same. <mark class="diff diff-only">new words</mark></p>'
        '<p><mark class="diff diff-only">and more</mark></p><p>end</p>'
    )


# -- the toggle -----------------------------------------------------------------------------------------------


def test_differences_are_marked_by_default_and_the_link_hides_them(get_page):
    _, tree = get_page(COMPARE + "/6.1")
    assert "no-diff" not in tree.one("div", cls="compare").classes
    toggle = tree.one("a", cls="diff-toggle")
    assert toggle.attrs["href"] == COMPARE + "/6.1?diff=0" and toggle.text == "Hide the differences"
    assert toggle.attrs["data-diff-toggle"] == tree.one("div", cls="compare").attrs["id"]


def test_diff_0_shows_the_texts_unmarked_and_keeps_the_choice(get_page):
    _, tree = get_page(COMPARE + "/6.1?diff=0")
    columns = tree.one("div", cls="compare")
    assert "no-diff" in columns.classes and "no-diff" in tree.one("p", cls="diff-legend").classes
    assert columns.find("mark", cls="diff") is not None  # still there, for the script to show without a reload
    toggle = tree.one("a", cls="diff-toggle")
    assert toggle.attrs["href"] == COMPARE + "/6.1" and toggle.text == "Mark the differences"
    pager = tree.one("nav", cls="pager")
    assert pager.one("a", rel="prev").attrs["href"] == COMPARE + "/6?diff=0"
    assert pager.one("a", rel="next").attrs["href"] == COMPARE + "/6.2?diff=0"
    form = tree.one("form", cls="compare-pick")
    assert form.one("input", name="diff").attrs["value"] == "0"


@pytest.mark.parametrize("value", ["2", "yes", "0" * 5000, "１"])
def test_a_diff_value_that_is_neither_0_nor_1_is_a_400(client, value):
    response = client.get(COMPARE + f"/6.1?diff={value}")
    assert response.status_code == 400
    assert b"diff must be 1" in response.data


# -- the picker, next and previous ----------------------------------------------------------------------------


def test_the_picker_lists_every_section_and_says_what_each_translation_lacks(get_page, client):
    _, tree = get_page(COMPARE + "/6.1")
    form = tree.one("form", cls="compare-pick")
    assert form.attrs["action"] == COMPARE and form.attrs["method"] == "get"
    select = form.one("select", name="section")
    assert tree.one("label", for_=select.attrs["id"]).text == "Section"
    options = select.find_all("option")
    ids = [s["id"] for s in client.get(f"/api/notices/{SEED_NOTICE}").get_json()["sections"]]
    assert [o.attrs["value"] for o in options] == ids
    assert [o.attrs["value"] for o in options if "selected" in o.attrs] == ["6.1"]
    labels = {o.attrs["value"]: o.text for o in options}
    assert labels["6.1"] == "6 (1) Improve network and data security capabilities"
    assert labels["1.3"].endswith(f"– not in the {GMT_LABEL}")
    assert labels["1.1"] == "1 (1) – in no translation"
    assert tree.find("p", cls="picker-range") is None  # all of them are listed


@pytest.mark.parametrize(
    "query, location",
    [
        ("section=6.1", "/6.1"),
        ("section=6+(1)", "/6.1"),
        ("section=VI+(1)&diff=0", "/6.1?diff=0"),
        ("section=front", "/front"),
        ("", "/front"),
        ("section=5.2&base=gmt", "/5.2?base=gmt"),
    ],
)
def test_the_picker_goes_to_the_section_it_names(client, query, location):
    response = client.get(f"{COMPARE}?{query}")
    assert response.status_code == 303
    assert response.headers["Location"] == COMPARE + location


@pytest.mark.parametrize("section", ["9.9", "nonsense", "x" * 5000, "6.1&diff=7"])
def test_the_picker_refuses_what_names_no_section(client, section):
    assert client.get(f"{COMPARE}?section={section}").status_code in (400, 404)


def test_next_and_previous_run_through_every_section(get_page):
    _, tree = get_page(COMPARE + "/front")
    pager = tree.one("nav", cls="pager")
    assert pager.find("a", rel="prev") is None
    assert pager.one("a", rel="next").attrs["href"] == COMPARE + "/1"
    _, tree = get_page(COMPARE + "/8.3")
    pager = tree.one("nav", cls="pager")
    assert pager.one("a", rel="prev").attrs["href"] == COMPARE + "/8.2" and pager.find("a", rel="next") is None
    assert "Strengthen coordinated implementation" in pager.one("a", rel="prev").text


@pytest.mark.parametrize("section", ["9", "6.9", "front.1", "6.1.1", "<script>", "0"])
def test_a_section_the_notice_does_not_have_is_a_404(get_page, client, section):
    get_page(f"{COMPARE}/{section}", 404)
    assert client.get(f"{API}/{section}").status_code == 404


def test_an_unknown_notice_or_base_is_a_404(get_page, client):
    get_page("/notices/nope/compare/6.1", 404)
    _, tree = get_page(COMPARE + "/6.1?base=nope", 404)
    assert "has no translation 'nope'" in tree.one("main").text
    assert client.get(API + "/6.1?base=nope").status_code == 404


# -- citations and missing sections ---------------------------------------------------------------------------


def test_each_side_has_its_citation_and_permalink(get_page, client):
    _, tree = get_page(COMPARE + "/6.1")
    for column, name, label in zip(_columns(tree), ("full", "gmt"), (FULL_LABEL, GMT_LABEL), strict=True):
        cite = column.one("div", cls="column-cite")
        expected = client.get(f"/api/notices/{SEED_NOTICE}/{name}/sections/6.1").get_json()["citation"]
        assert cite.one("output").text == expected and label in expected
        assert cite.one("a").attrs["href"] == f"/notices/{SEED_NOTICE}/{name}/6.1"
        button = cite.one("button", cls="copy")
        assert tree.by_id(button.attrs["data-copy"][1:]) is cite.one("output")


def test_a_translation_that_lacks_the_section_links_to_one_that_has_it(get_page):
    _, tree = get_page(COMPARE + "/1.3")
    full, gmt = _columns(tree)
    missing = gmt.one("p", cls="missing")
    assert "does not include section 1 (3)" in missing.text
    assert missing.one("a").attrs["href"] == f"/notices/{SEED_NOTICE}/full/1.3"
    assert f"Read it in the {FULL_LABEL}" in missing.text
    assert full.find("mark") is None and full.find("p", cls="diff-summary") is None  # nothing to compare with
    assert tree.find("p", cls="diff-legend") is None


def test_a_section_no_translation_has_is_said_to_be_missing_everywhere(get_page, client):
    _, tree = get_page(COMPARE + "/1.1")
    assert "No translation of this notice includes section 1 (1)" in tree.one("main").text
    for column in _columns(tree):
        assert column.one("p", cls="missing").find("a") is None
    data = client.get(API + "/1.1").get_json()
    assert data["base"] is None and data["comparisons"] == []
    assert [t["has_section"] for t in data["translations"]] == [False, False]


# -- the JSON -------------------------------------------------------------------------------------------------


def test_the_api_gives_the_spans_of_both_texts_and_titles(client):
    data = client.get(API + "/6.1").get_json()
    assert data["base"] == "full" and [t["name"] for t in data["translations"]] == ["full", "gmt"]
    (pair,) = data["comparisons"]
    assert (pair["left"], pair["right"]) == ("full", "gmt")
    texts = {t["name"]: t["text"] for t in data["translations"]}
    assert "".join(s["left"] for s in pair["text"]["spans"]) == texts["full"]
    assert "".join(s["right"] for s in pair["text"]["spans"]) == texts["gmt"]
    assert pair["title"]["spans"][0] == {"kind": "changed", "left": "Improve", "right": "Enhance"}
    assert pair["text"]["level"] == "word" and pair["text"]["note"] is None
    assert data["links"] == {
        "page": COMPARE + "/6.1",
        "previous": API + "/6",
        "next": API + "/6.2",
    }
    assert client.get(API + "/6.1?base=gmt").get_json()["comparisons"][0]["left"] == "gmt"


def test_every_section_of_every_notice_compares_within_its_schema(client):
    from openapi_schema import schema_errors

    spec = client.get("/api/openapi.json").get_json()
    schema = spec["paths"]["/api/notices/{notice}/compare/{section}"]["get"]["responses"]["200"]["content"]
    schema = schema["application/json"]["schema"]
    checked = 0
    for summary in client.get("/api/notices").get_json()["notices"]:
        for s in client.get(f"/api/notices/{summary['id']}").get_json()["sections"]:
            data = client.get(f"/api/notices/{summary['id']}/compare/{s['id']}").get_json()
            assert not schema_errors(data, schema, spec), (summary["id"], s["id"])
            assert client.get(f"/notices/{summary['id']}/compare/{s['id']}").status_code == 200
            checked += 1
    assert checked > 50


# -- three translations ---------------------------------------------------------------------------------------

_MANIFEST = """\
[[notice]]
id = "tri-2024-1"
title = "Notice on Testing Three Translations"
number = "Test [2024] No. 1"
date = "2024-05-01"
{translations}
"""
_TRANSLATION = '\n[[notice.translation]]\nname = "{name}"\nfile = "{name}.txt"\nlabel = "{label}"\n'
_TEXTS = {
    ("one", "First translation"): (
        "1. Build networks\n"
        "(1) Build green data centres. All localities should build green data centres and deploy 5G networks.\n"
        "(2) Protect security. Enterprises should protect <script>alert(1)</script> data security.\n"
        "2. Organise the work\n(1) Lead the work. The ministry leads the work.\n"
    ),
    ("two", "Second translation"): (
        "1. Construct networks\n"
        "(1) Construct green data centers. All localities should construct green data centers and deploy 5G "
        "networks quickly.\n"
        "(2) Safeguard security. Companies should protect <script>alert(2)</script> data security.\n"
    ),
    ("three", "Third translation"): (
        "1. Build networks\n"
        "(1) Build green data centres. Every locality should build green data centres and roll out 5G networks.\n"
        "2. Organise the work\n(1) Lead the work. The ministry leads all of the work.\n"
    ),
}
TRI = "/notices/tri-2024-1/compare"


@pytest.fixture(scope="module")
def tri_page(tmp_path_factory: pytest.TempPathFactory, parse):
    """get(url, status) -> tree, over a corpus of one notice in three translations."""
    corpus = tmp_path_factory.mktemp("tri-corpus")
    entries = "".join(_TRANSLATION.format(name=name, label=label) for name, label in _TEXTS)
    (corpus / "manifest.toml").write_text(_MANIFEST.format(translations=entries), encoding="utf-8")
    for (name, _), text in _TEXTS.items():
        (corpus / f"{name}.txt").write_text("Notice on Testing Three Translations\n\n" + text, encoding="utf-8")
    index = tmp_path_factory.mktemp("tri-index")
    kb_index.build(corpus, index)
    client = create_app({"TESTING": True, "KB_INDEX": index, "KB_CORPUS": corpus}).test_client()

    def get(url: str, status: int = 200):
        response = client.get(url)
        assert response.status_code == status, url
        return parse(response.get_data(as_text=True)) if response.mimetype == "text/html" else response.get_json()

    return get


def test_with_three_translations_each_is_compared_with_the_base(tri_page):
    tree = tri_page(TRI + "/1.1")
    one, two, three = _columns(tree)
    assert [c.one("h2").text for c in (one, two, three)] == [
        "First translation",
        "Second translation",
        "Third translation",
    ]
    assert "Compared with the First translation" in two.one("p", cls="diff-summary").text
    assert "Compared with the First translation" in three.one("p", cls="diff-summary").text
    assert "Compared with the Second translation" in one.one("p", cls="diff-summary").text
    assert _marks(two, "diff-changed") == ["construct", "centers"]
    assert _marks(two, "diff-only") == ["quickly"]
    assert _marks(three, "diff-changed") == ["Every locality", "roll out"]
    # the base is chosen in the picker's form
    base = tree.one("form", cls="compare-pick").one("select", name="base")
    assert [o.attrs["value"] for o in base.find_all("option")] == ["one", "two", "three"]


def test_another_base_comes_first_and_the_others_are_compared_with_it(tri_page):
    tree = tri_page(TRI + "/1.1?base=three")
    assert [c.one("h2").text for c in _columns(tree)][0] == "Third translation"
    two = _columns(tree)[2]
    assert "Compared with the Third translation" in two.one("p", cls="diff-summary").text
    assert tree.one("nav", cls="pager").one("a", rel="next").attrs["href"] == TRI + "/1.2?base=three"
    data = tri_page("/api/notices/tri-2024-1/compare/1.1?base=three")
    assert [(c["left"], c["right"]) for c in data["comparisons"]] == [("three", "one"), ("three", "two")]


def test_a_base_that_lacks_the_section_gives_way_and_says_so(tri_page):
    tree = tri_page(TRI + "/2.1?base=two")
    assert "The Second translation lacks this section, so the others are compared with the First translation" in (
        tree.one("p", cls="note").text
    )
    one, two, three = _columns(tree)
    assert two.one("p", cls="missing") and _marks(three, "diff-only") == ["all of"]


def test_markup_in_a_translation_stays_text_in_the_marks(tri_page):
    tree = tri_page(TRI + "/1.2")
    one, two, three = _columns(tree)
    assert all(s.attrs.get("src", "").startswith("/static/") for s in tree.find_all("script"))  # the site's own
    assert "<script>alert(2)</script>" in two.text
    assert _marks(two, "diff-changed") == ["Companies", "2"]  # alert(1) against alert(2): the digit
    assert three.one("p", cls="missing")


# -- long notices and long sections ---------------------------------------------------------------------------


def _notice(sections: list[Section], *more: list[Section]) -> Notice:
    translations = [
        Translation(f"t{i}", f"Translation {i}", Path(f"t{i}.txt"), "big", Outline(Metadata(), "", s))
        for i, s in enumerate((sections, *more))
    ]
    return Notice("big", "Big notice", None, None, [], translations)


def test_the_picker_of_a_notice_with_thousands_of_sections_lists_those_around_the_section():
    from web.views.compare import PICKER_LIMIT, _picker

    n = _notice(
        [Section(SectionId.of(1), "One", None, "")]
        + [Section(SectionId.of(1, i), f"Item {i}", "1", "x") for i in range(1, 20_001)]
    )
    options, before, after = _picker(n, SectionId("1.15000"))
    assert len(options) == PICKER_LIMIT and before + len(options) + after == 20_001
    assert SectionId("1.15000") in [i for i, _ in options]
    options, before, _ = _picker(n, SectionId("1"))
    assert before == 0 and options[0] == (SectionId("1"), "1 One")
    options, _, after = _picker(n, SectionId("1.20000"))
    assert after == 0 and options[-1][0] == "1.20000" and len(options) == PICKER_LIMIT


def test_a_megabyte_section_is_compared_within_the_budget_and_says_how():
    from kb.compare import WORK_BUDGET
    from web.views.compare import side_by_side

    text = "\n".join(
        f"({i}) All localities should build networks and data centres in region {i}." for i in range(15_000)
    )
    other = "\n".join(
        f"({i}) Every locality shall construct networks and data centers of region {i}." for i in range(15_000)
    )
    assert len(text) > 1_000_000
    sid = SectionId.of(1)
    n = _notice([Section(sid, "Long", None, text)], [Section(sid, "Long", None, other)])
    view = side_by_side(None, n, sid)  # type: ignore[arg-type]  (no base asked for: the library is not needed)
    comparison = view.columns[1].text
    assert comparison.work <= WORK_BUDGET and comparison.note
    assert "".join(s.right for s in comparison.spans) == other
