"""Section parsing: every heading style, inline and on its own line, inference, metadata of the seeds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb import metadata
from kb import outline as outlining
from kb.corpus import outline_file, outline_text, read_source
from kb.outline import NoHeadingsError, parse

TITLE = "Notice on promoting the coordinated development of new infrastructure"


def outline_of(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(s.id, s.title, s.parent) for s in parse(text).sections]


# -- heading styles -------------------------------------------------------------


def test_arabic_numbered_lines():
    text = f"{TITLE}\n1. Strengthen planning\nBody one.\n2. Deepen reform\nBody two.\n3. Build capacity\nBody three."
    o = parse(text)
    assert [(s.id, s.title, s.parent, s.body, s.label) for s in o.sections] == [
        ("1", "Strengthen planning", None, "Body one.", "1."),
        ("2", "Deepen reform", None, "Body two.", "2."),
        ("3", "Build capacity", None, "Body three.", "3."),
    ]
    assert o.front == TITLE
    assert o.metadata.title == TITLE


def test_ordinal_word_lines():
    text = (
        f"{TITLE}\nFirst, strengthen planning\nBody one.\nSecond, deepen reform\nBody two.\n"
        "Third, build capacity\nBody three.\nFourth, enhance security\nBody four."
    )
    o = parse(text)
    assert [(s.id, s.title, s.parent, s.label) for s in o.sections] == [
        ("1", "Strengthen planning", None, "First,"),
        ("2", "Deepen reform", None, "Second,"),
        ("3", "Build capacity", None, "Third,"),
        ("4", "Enhance security", None, "Fourth,"),
    ]
    assert o.section("4").body == "Body four."


def test_roman_inline_in_one_paragraph():
    text = (
        "Intro text here. I. Strengthen planning (I) Promote A. Text a. (II) Promote B. Text b. "
        "II. Deepen reform (I) Promote C. Text c."
    )
    o = parse(text)
    assert [(s.id, s.title, s.parent, s.body, s.label) for s in o.sections] == [
        ("1", "Strengthen planning", None, "", "I."),
        ("1.1", "Promote A", "1", "Text a.", "(I)"),
        ("1.2", "Promote B", "1", "Text b.", "(II)"),
        ("2", "Deepen reform", None, "", "II."),
        ("2.1", "Promote C", "2", "Text c.", "(I)"),
    ]
    assert o.front == "Intro text here."


def test_chinese_sections_and_subsections():
    lines = [TITLE, "一、加强统筹", "（一）推进融合", "正文一。", "（二）深化共享", "正文二。"]
    lines += ["二、绿色发展", "（一）推进绿色", "正文三。"]
    text = "\n".join(lines)
    o = parse(text)
    assert [(s.id, s.title, s.parent, s.body, s.label) for s in o.sections] == [
        ("1", "加强统筹", None, "", "一、"),
        ("1.1", "推进融合", "1", "正文一。", "（一）"),
        ("1.2", "深化共享", "1", "正文二。", "（二）"),
        ("2", "绿色发展", None, "", "二、"),
        ("2.1", "推进绿色", "2", "正文三。", "（一）"),
    ]


def test_chinese_headings_run_together():
    text = f"{TITLE}\n一、加强统筹（一）推进融合\n正文一。二、绿色发展（一）推进绿色\n正文二。"
    assert outline_of(text) == [
        ("1", "加强统筹", None),
        ("1.1", "推进融合", "1"),
        ("2", "绿色发展", None),
        ("2.1", "推进绿色", "2"),
    ]


def test_chinese_subsection_title_ends_at_the_first_full_stop():
    text = f"{TITLE}\n一、加强统筹\n（一）推进融合。正文一。\n（二）深化共享。正文二。"
    o = parse(text)
    assert [(s.id, s.title, s.body) for s in o.sections] == [
        ("1", "加强统筹", ""),
        ("1.1", "推进融合", "正文一。"),
        ("1.2", "深化共享", "正文二。"),
    ]


@pytest.mark.parametrize("marker", ["arabic", "roman"])
def test_parenthesised_markers_alone_are_sections(marker):
    one, two, three = ("(1)", "(2)", "(3)") if marker == "arabic" else ("(I)", "(II)", "(III)")
    text = f"{TITLE}\n{one} Promote A. Text a.\n{two} Promote B. Text b.\n{three} Promote C. Text c."
    o = parse(text)
    assert [(s.id, s.title, s.parent, s.body, s.label) for s in o.sections] == [
        ("1", "Promote A", None, "Text a.", one),
        ("2", "Promote B", None, "Text b.", two),
        ("3", "Promote C", None, "Text c.", three),
    ]


EXPECTED_NESTED = [
    ("1", "Strengthen planning", None),
    ("1.1", "Promote A", "1"),
    ("1.2", "Promote B", "1"),
    ("2", "Deepen reform", None),
    ("2.1", "Promote C", "2"),
]


@pytest.mark.parametrize(
    "text",
    [
        f"{TITLE}\n1. Strengthen planning\n(1) Promote A. Text a.\n(2) Promote B. Text b.\n2. Deepen reform\n"
        "(1) Promote C. Text c.",
        f"{TITLE}\n1. Strengthen planning\n(1) Promote A. Text a. (2) Promote B. Text b.\n2. Deepen reform\n"
        "(1) Promote C. Text c.",
        f"{TITLE}. 1. Strengthen planning (1) Promote A. Text a. (2) Promote B. Text b. 2. Deepen reform "
        "(1) Promote C. Text c.",
        f"{TITLE}\nI. Strengthen planning\n(I) Promote A. Text a.\n(II) Promote B. Text b.\nII. Deepen reform\n"
        "(I) Promote C. Text c.",
        f"{TITLE}. I. Strengthen planning (I) Promote A. Text a. (II) Promote B. Text b. II. Deepen reform "
        "(I) Promote C. Text c.",
        f"{TITLE}\nFirst, strengthen planning\n(1) Promote A. Text a.\n(2) Promote B. Text b.\n"
        "Second, deepen reform\n(1) Promote C. Text c.",
        f"{TITLE}. First, strengthen planning. (1) Promote A. Text a. (2) Promote B. Text b. "
        "Second, deepen reform. (1) Promote C. Text c.",
    ],
    ids=[
        "arabic-own-lines",
        "arabic-subsections-inline",
        "arabic-all-inline",
        "roman-own-lines",
        "roman-all-inline",
        "ordinal-own-lines",
        "ordinal-all-inline",
    ],
)
def test_inline_and_own_line_headings_give_the_same_outline(text):
    o = parse(text)
    assert [(s.id, s.title, s.parent) for s in o.sections] == EXPECTED_NESTED
    assert o.section("1.2").body == "Text b."
    assert o.section("2.1").body == "Text c."
    assert o.metadata.title == TITLE


def test_text_starting_mid_section_infers_the_missing_numbers():
    o = parse("Some intro. Promote X. Text.(II) Deepen Y. Text. V. Build Z (I) Promote W. Text.")
    assert [s.id for s in o.sections] == ["4", "4.1", "4.2", "5", "5.1"]
    assert o.section("4").title is None
    assert o.section("4").label is None and o.section("4.1").label is None
    assert [(s.title, s.parent) for s in o.sections[2:]] == [
        ("Deepen Y", "4"),
        ("Build Z", None),
        ("Promote W", "5"),
    ]
    assert o.section("4.1").parent == "4"


def test_inferred_subsection_starts_after_the_front_matter():
    o = parse(
        "Headline of the article here\nPromote X. Text x.(II) Deepen Y. Text y. V. Build Z (I) Promote W. Text w."
    )
    assert o.front == "Headline of the article here"
    assert [(s.id, s.title, s.parent, s.body) for s in o.sections] == [
        ("4", None, None, ""),
        ("4.1", "Promote X", "4", "Text x."),
        ("4.2", "Deepen Y", "4", "Text y."),
        ("5", "Build Z", None, ""),
        ("5.1", "Promote W", "5", "Text w."),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The rules in item (2) apply to all towers. More text.",
        "Build (1) towers, (2) cables and (3) rooms. More text.",
        "Measures (2) and (3) of the plan apply. More text.",
    ],
)
def test_numbers_in_parentheses_mid_sentence_are_not_headings(sentence):
    text = (
        f"{TITLE}\n1. Strengthen planning\n(1) Promote A. {sentence}\n(2) Promote B. Text b.\n2. Deepen reform\nText."
    )
    o = parse(text)
    assert [(s.id, s.title) for s in o.sections] == [
        ("1", "Strengthen planning"),
        ("1.1", "Promote A"),
        ("1.2", "Promote B"),
        ("2", "Deepen reform"),
    ]
    assert o.section("1.1").body == sentence


def test_numbers_mid_sentence_in_a_section_body_are_not_headings():
    body = "The target is 5. Build more by (2) and see part II. Here."
    text = f"{TITLE}\n1. Strengthen planning\n{body}\n2. Deepen reform\nText."
    assert outline_of(text) == [("1", "Strengthen planning", None), ("2", "Deepen reform", None)]


def test_number_in_parentheses_inside_a_title_is_not_a_heading():
    text = f"{TITLE}\n1. Implement Article 5 (2) of the Law\nBody text.\n2. Deepen reform\nText."
    assert outline_of(text) == [("1", "Implement Article 5 (2) of the Law", None), ("2", "Deepen reform", None)]


def test_markdown_headings():
    text = (
        "# Notice on things to do\n\nFront text.\n\n## 1. Strengthen planning\n\n### (1) Promote A\n\nText a.\n\n"
        "### (2) Promote B\n\nText b.\n\n## 2. Deepen reform\n\n### Promote C\n\nText c.\n"
    )
    o = parse(text)
    assert o.metadata.title == "Notice on things to do"
    assert o.front == "Front text."
    assert [(s.id, s.title, s.parent, s.body) for s in o.sections] == [
        ("1", "Strengthen planning", None, ""),
        ("1.1", "Promote A", "1", "Text a."),
        ("1.2", "Promote B", "1", "Text b."),
        ("2", "Deepen reform", None, ""),
        ("2.1", "Promote C", "2", "Text c."),
    ]


def test_markdown_headings_without_numbers_are_numbered_in_order():
    text = "# A notice on things\n\n## Strengthen planning\n\nBody.\n\n## Deepen reform\n\n### Promote A\n\nText a.\n"
    assert outline_of(text) == [
        ("1", "Strengthen planning", None),
        ("2", "Deepen reform", None),
        ("2.1", "Promote A", "2"),
    ]


def test_markdown_numbers_follow_the_gap_rule_of_plain_text():
    # A skip of up to MAX_GAP is a translation leaving sections out; a bigger jump, or a number that goes
    # back, is not numbering: the heading stays, its marker is part of its title, its number is the next.
    text = (
        "# A notice\n\n## IV. Start late\n\n### (1) First\n\nA.\n\n### (3) Third\n\nB.\n\n"
        "### (CCCCCCC) Far\n\nC.\n\n### (2) Back\n\nD.\n\n## 7. Skip two\n\nE.\n\n## 99. Far\n\nF.\n"
    )
    assert outlining.MAX_GAP == 3
    sections = parse(text).sections
    assert [(s.id, s.title, s.label) for s in sections] == [
        ("4", "Start late", "IV."),  # the first section may have any number: a partial translation
        ("4.1", "First", "(1)"),
        ("4.3", "Third", "(3)"),
        ("4.4", "(CCCCCCC) Far", None),
        ("4.5", "(2) Back", None),
        ("7", "Skip two", "7."),
        ("8", "99. Far", None),
    ]


def test_markdown_bomb_of_far_numbers_implies_no_sections_beyond_its_headings():
    parts = 700  # "(CCCCCCC)" is 700: every part's only subsection claimed 699 missing ones before it
    text = "# A notice\n\nFront.\n\n" + "## Part\n\nText.\n\n### (CCCCCCC) Sub\n\nText.\n\n" * parts
    sections = parse(text).sections
    assert len(sections) == 2 * parts
    assert [s.id for s in sections[:4]] == ["1", "1.1", "2", "2.1"]
    assert max(int(s.id.partition(".")[2] or 0) for s in sections) == 1


def test_plain_text_with_a_hash_line_keeps_its_headings():
    text = f"{TITLE}\n# of towers per city is counted below\n1. Strengthen planning\nText.\n2. Deepen reform\nText."
    assert outline_of(text) == [("1", "Strengthen planning", None), ("2", "Deepen reform", None)]


@pytest.mark.parametrize("text", ["Just a paragraph of prose.", "# Title only\n\nSome text.", "See item (2) here."])
def test_text_without_headings_is_refused(text):
    with pytest.raises(NoHeadingsError):
        parse(text)


# -- the seeds ------------------------------------------------------------------

GMT_OUTLINE = [
    ("4", None, None),
    ("4.1", "Promote integrated development", "4"),
    ("4.2", "Deepen the cross-industry co-construction and sharing of infrastructure", "4"),
    ("5", "Build a green and low-carbon development mode", None),
    ("5.1", "Promote the green and low-carbon development of key facilities", "5"),
    ("5.2", "Promote the coordinated development of facilities and the environment", "5"),
    ("6", "Enhance all-round security capabilities", None),
    ("6.1", "Enhance network and data security capabilities", "6"),
    ("6.2", "Enhance cross-industry security service empowerment", "6"),
    ("6.3", "Enhance the stable and secure operation capabilities of information infrastructure", "6"),
    ("7", "Strengthen cross-departmental policy coordination", None),
    ("7.1", "Play a leading role in factor allocation", "7"),
    ("7.2", "Promote cross-domain standardization work in a coordinated manner", "7"),
    ("7.3", "Increase investment and financing support", "7"),
    ("8", "Strengthen organization and implementation", None),
    ("8.1", "Strengthen organizational leadership", "8"),
    ("8.2", "Strengthen coordinated implementation", "8"),
    ("8.3", "Strengthen evaluation and effectiveness", "8"),
]

FULL_OUTLINE = [
    ("1", "Strengthen the overall planning and layout of the country", None),
    ("1.3", "Rational layout of new technology facilities", "1"),
    ("2", "Strengthen cross-regional balanced and inclusive development", None),
    ("2.1", "Promote the integrated development of facilities in major strategic areas", "2"),
    ("2.2", "Deepen balanced and coordinated development among regions", "2"),
    ("2.3", "Promote the integration and inclusive development of urban and rural areas", "2"),
    ("3", "Strengthen cross-network coordination and linkage development", None),
    ("3.1", "Promote end-to-end collaborative upgrades of multiple networks", "3"),
    ("3.2", "Encourage the coordinated development of networks and computing facilities", "3"),
    ("4", "Strengthen cross-industry integration and shared development", None),
    ("4.1", "Promote the integrated development of information facilities and traditional facilities", "4"),
    ("4.2", "Deepen cross-industry co-construction and sharing of infrastructure", "4"),
    ("5", "Build a green and low-carbon development mode", None),
    ("5.1", "Promote the green and low-carbon development of key facilities", "5"),
    ("5.2", "Promote the coordinated development of facilities and the environment", "5"),
    ("6", "Enhance all-round security capabilities", None),
    ("6.1", "Improve network and data security capabilities", "6"),
    ("6.2", "Enhance the empowerment of cross-industry security services", "6"),
    ("6.3", "Enhance the ability of information infrastructure to operate in a stable and safe manner", "6"),
    ("7", "Strengthen cross-sectoral policy coordination", None),
    ("7.1", "Play a leading role in factor allocation", "7"),
    ("7.2", "Coordinate the promotion of cross-field standardization work", "7"),
    ("7.3", "Increase investment and financing support", "7"),
    ("8", "Strengthen organization and implementation", None),
    ("8.1", "Strengthen organizational leadership", "8"),
    ("8.2", "Strengthen coordinated implementation", "8"),
    ("8.3", "Strengthen the effectiveness of assessments", "8"),
]

NUMBER = "MIIT Communications [2024] No. 165"
ELEVEN_ISSUERS = [
    "Ministry of Industry and Information Technology",
    "Cyberspace Administration of China",
    "Ministry of Education",
    "Ministry of Finance",
    "Ministry of Natural Resources",
    "Ministry of Housing and Urban-Rural Development",
    "Ministry of Agriculture and Rural Affairs",
    "National Health Commission",
    "People's Bank of China",
    "State-owned Assets Supervision and Administration Commission of the State Council",
    "China State Railway Group Co., Ltd.",
]


def sections_of(outline) -> list[tuple[str, str | None, str | None]]:
    return [(s.id, s.title, s.parent) for s in outline.sections]


def test_gmt_seed_outline(gmt_seed):
    o = outline_file(gmt_seed)
    assert sections_of(o) == GMT_OUTLINE
    assert [s.label for s in o.sections[:6]] == [None, None, "(II)", "V.", "(I)", "(II)"]
    assert o.front == (
        "The Ministry of Industry and Information Technology and ten other departments jointly issued a document "
        "to promote the coordinated development of new information infrastructure."
    )
    # The dateline "GMT Eight 202094" is split off the inferred subsection 4.1.
    assert o.section("4.1").body.startswith('Various regions should organize and carry out special actions for "signal')
    assert o.section("8.3").body.endswith(
        "regularly conduct third-party analysis and evaluation, and evaluate important links."
    )


def test_full_seed_outline(full_seed):
    o = outline_file(full_seed)
    assert sections_of(o) == FULL_OUTLINE
    labels = {s.id: s.label for s in o.sections}
    assert (labels["1"], labels["1.3"], labels["4"], labels["5"], labels["6"]) == (
        "1.",
        "(3)",
        "Fourth,",
        "Fifth,",
        "6.",
    )
    # the publisher's reading guide is kept apart from the notice's own front matter (kb.guide)
    assert o.guide.startswith("Eleven departments, including the Ministry of Industry")
    assert o.front.startswith("MIIT Communications[2024] No. 165\nnotice on matters related to promoting")
    assert o.section("1.3").body.startswith("Regions with the capacity should support enterprises")


def test_gmt_seed_metadata(gmt_seed):
    m = outline_file(gmt_seed).metadata
    assert m.title == (
        "The Ministry of Industry and Information Technology and ten other departments jointly issued a document "
        "to promote the coordinated development of new information infrastructure"
    )
    assert m.number == NUMBER  # from the manifest: the text does not state it
    assert m.source == "GMT Eight"
    assert m.date == "2024-09-04"  # from the manifest: the dateline's "202094" is ambiguous
    assert m.issuers == ["Ministry of Industry and Information Technology"]


def test_full_seed_metadata(full_seed):
    m = outline_file(full_seed).metadata
    assert (
        m.title
        == "Notice on matters related to promoting the coordinated development of new information infrastructure"
    )
    assert m.number == NUMBER
    assert m.source is None
    assert m.date == "2024-09-04"
    assert m.issuers == ELEVEN_ISSUERS


def test_seed_metadata_from_the_text_alone(gmt_seed, full_seed):
    gmt = outline_text(read_source(gmt_seed), gmt_seed.name).metadata
    assert (gmt.number, gmt.source, gmt.date) == (None, "GMT Eight", None)
    full = outline_text(read_source(full_seed), full_seed.name).metadata
    assert (full.number, full.source, full.date) == (NUMBER, None, None)  # "Communications[2024]" respaced


@pytest.mark.parametrize("seed", ["gmt_seed", "full_seed"])
def test_to_json_shape(seed, request):
    data = outline_file(request.getfixturevalue(seed)).to_json()
    assert list(data) == ["title", "number", "source", "date", "issuers", "type", "parts", "sections"]
    assert data["parts"] == []
    assert data["number"] == NUMBER and data["date"] == "2024-09-04"
    assert data["sections"] == [
        {"id": i, "title": t, "parent": p, "part": 0, "level": i.count(".") + 1, "title_derived": False}
        for i, t, p in (GMT_OUTLINE if seed == "gmt_seed" else FULL_OUTLINE)
    ]
    for s in data["sections"]:
        assert list(s) == ["id", "title", "parent", "part", "level", "title_derived"]
        assert s["title"] is None or not s["title"].endswith((".", "。", ";", ":", ",", " "))
    assert not data["title"].endswith(".")


# -- the linear-time helpers answer as the plain searches they replace ----------------------

#: Pieces that make sentence ends, quotes, brackets, line breaks and heading markers meet.
PIECES = [".", ";", "!", "?", "。", "；", '"', "'", "”", "’", "」", ")", "(", "（", " ", "\n", "a", "A", "1.", "(2)"]
SLICE_SETTINGS = settings(max_examples=300, deadline=None)


@SLICE_SETTINGS
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), st.data())
def test_marks_answer_as_searching_the_span_would(text, data):
    marks = outlining._Marks(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    line_end = text.find("\n", start)
    assert marks.line_end(start) == (line_end if line_end >= 0 else len(text))
    assert marks.newline_between(start, end) == ("\n" in text[start:end])
    # Spans as _accept asks about them: up to a line end, or up to a subsection marker.
    if end == len(text) or text[end] in "\n(（":
        assert marks.sentence_end_between(start, end) == bool(outlining._SENTENCE_END.search(text[start:end]))


@SLICE_SETTINGS
@given(st.lists(st.sampled_from(["#", "##", " ", "\t", "x", "\n", "#x", "\r"]), max_size=20).map("".join))
def test_markdown_headings_as_the_lazy_pattern_finds_them(text):
    lazy = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
    expected = [(m.start(), m.end(), len(m[1]), m[2]) for m in lazy.finditer(text)]
    assert [(h.start, h.end, h.level, h.title) for h in outlining._md_headings(text)] == expected


@SLICE_SETTINGS
@given(
    st.lists(
        st.sampled_from(
            ["including ", "the ", "including the ", ",", " jointly ", " jointly issued", "A", " and ", "\n"]
        ),
        max_size=12,
    ).map("".join)
)
def test_issuer_list_as_the_lazy_pattern_finds_it(text):
    lazy = re.compile(r"including (?P<list>the .+?),? jointly (?:issued|released|published)")
    m = lazy.search(text)
    assert metadata._issuer_list(text) == (m["list"] if m else None)


@pytest.mark.parametrize(
    ("title", "issuers"),
    [
        (
            "Notice of the General Office of the State Council on Coastal Communications",
            ["General Office of the State Council"],
        ),
        (
            "Opinions of the Ministry of Finance and the Ministry of Industry and Information Technology on Cables",
            ["Ministry of Finance", "Ministry of Industry and Information Technology"],
        ),
        ("Notice on Matters Related to Promoting the Coordinated Development", []),
        ("Notice of the " + "Aa " * 5000 + "on", []),
    ],
)
def test_a_title_that_names_its_issuer_gives_the_issuer(title, issuers):
    from kb.metadata import title_issuer

    assert title_issuer(title) == issuers


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("NDRC High-Tech [2023] No. 12", "NDRC High-Tech [2023] No. 12"),
        ("MIIT Communications[2024]No.165", "MIIT Communications [2024] No. 165"),
    ],
)
def test_document_numbers_with_hyphenated_words(text, number):
    from kb.metadata import document_number

    assert document_number(text) == number


PARTED_MARKDOWN = """\
# Notice on Issuing the Rules for Data Sharing

Covering text of the notice.

## 1. Issue the rules
The rules are issued with this notice.

### (1) Scope
Who the rules apply to.

#### 1. Departments
Every department.

#### 2. Regions
Every region.

# Attachment 1: Rules for Data Sharing

Preamble of the rules.

## 1. General provisions
## 2. Catalogues
### (1) Compiling catalogues

# Annex 2 Forms
## Form A
"""


def test_markdown_parts_are_outlined_on_their_own_and_named_in_the_part():
    outline = parse(PARTED_MARKDOWN)
    assert [(s.id, s.title, s.parent) for s in outline.sections] == [
        ("1", "Issue the rules", None),
        ("1.1", "Scope", "1"),
        ("1.1.1", "Departments", "1.1"),
        ("1.1.2", "Regions", "1.1"),
        ("a1/front", None, None),
        ("a1/1", "General provisions", None),
        ("a1/2", "Catalogues", None),
        ("a1/2.1", "Compiling catalogues", "a1/2"),
        ("a2/front", None, None),
        ("a2/1", "Form A", None),
    ]
    assert [(p.number, p.kind, p.title, p.label) for p in outline.parts] == [
        (1, "attachment", "Rules for Data Sharing", "Attachment 1"),
        (2, "attachment", "Forms", "Annex 2"),
    ]
    assert outline.section("a1/front").body == "Preamble of the rules."
    assert outline.section("1.1.2").body == "Every region."
    assert outline.metadata.title == "Notice on Issuing the Rules for Data Sharing"


def test_a_markdown_third_level_without_a_subsection_above_it_hangs_under_an_inferred_one():
    outline = parse("# T\n\n## 1. A\n\n#### 1. Deep\ntext\n\n### (2) Sub\n")
    assert [(s.id, s.parent) for s in outline.sections] == [("1", None), ("1.1", "1"), ("1.1.1", "1.1"), ("1.2", "1")]


def test_markdown_top_headings_that_name_no_attachment_stay_sections():
    outline = parse("# Title\n\n# Scope\ntext\n\n## (1) Who\n\n# Duties\n")
    assert [s.id for s in outline.sections] == ["1", "1.1", "2"] and outline.parts == []
