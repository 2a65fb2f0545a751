"""English translations of Chinese notices outline to the original's section ids (kb/outline.py, plain text).

A translation keeps the original's numbering: "1." for 一、, "(1)" for （一）, and
"1." again for the third level (1.坚持统筹推进。 under （二）). The third level
is told from the sections by where it stands and what it continues; the ids
then equal the original's, which is what lets the original and its
translations be compared section by section (issue 10, item 5).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from chinese_documents import (
    FORWARDED,
    FORWARDED_EN,
    ISSUING_TWO,
    ISSUING_TWO_EN,
    REGULATION,
    WITH_ATTACHMENTS,
    WITH_ATTACHMENTS_EN,
)

from kb.corpus import load_corpus
from kb.models import MAX_PARTS
from kb.outline import MAX_HEADING_CANDIDATES, NoHeadingsError, TooManyHeadings, parse

#: Each Chinese notice of the tests and its English translation.
PAIRS = [(WITH_ATTACHMENTS, WITH_ATTACHMENTS_EN), (ISSUING_TWO, ISSUING_TWO_EN), (FORWARDED, FORWARDED_EN)]
PAIR_IDS = ["with-attachments", "issuing-two", "forwarded"]


def ids_of(text: str) -> list[str]:
    return [s.id for s in parse(text).sections]


def outline_of(text: str) -> list[tuple[str, str | None, str | None]]:
    return [(s.id, s.title, s.parent) for s in parse(text).sections]


# -- a complete translation ---------------------------------------------------------------------------------------


def test_the_translation_of_a_notice_with_a_third_level_and_attachments_outlines_exactly():
    o = parse(WITH_ATTACHMENTS_EN)
    assert [(s.id, s.title, s.parent, s.label, s.title_derived) for s in o.sections] == [
        ("1", "Overall requirements", None, "1.", False),
        ("1.1", "Guiding thought", "1", "(1)", False),
        ("1.2", "Basic principles", "1", "(2)", False),
        ("1.2.1", "Coordinate the work", "1.2", "1.", False),
        ("1.2.2", "Ensure security and control", "1.2", "2.", False),
        ("2", "Key tasks", None, "2.", False),
        ("2.3", "All regions and departments shall strengthen organisational…", "2", "(3)", True),
        ("2.4", "Establish a catalogue management system", "2", "(4)", False),
        ("3", "Safeguards", None, "3.", False),
        ("3.5", "Strengthen supervision and inspection", "3", "(5)", False),
        ("a1/front", None, None, None, False),
        ("a1/1", "General provisions", None, "1.", False),
        ("a1/1.1", "Scope", "a1/1", "(1)", False),
        ("a1/2", "Requirements for sharing", None, "2.", False),
        ("a1/2.1", "Unconditional sharing", "a1/2", "(1)", False),
        ("a1/2.2", "Conditional sharing", "a1/2", "(2)", False),
        ("a2/front", None, None, None, False),
        ("a2/1", "Principles of compilation", None, "1.", False),
        ("a2/2", "Compilation procedure", None, "2.", False),
    ]
    assert [(p.number, p.kind, p.title, p.label) for p in o.parts] == [
        (1, "attachment", "Measures for the Sharing of Government Data", "Attachment 1"),
        (2, "attachment", "Guide to Compiling Government Data Catalogues", "Attachment 2"),
    ]
    assert o.section("1.2.1").body == "All regions shall plan as one and avoid duplicate construction."
    assert o.section("1.2.2").body.startswith("Fulfil the responsibility for data security, complete the assessment")
    assert o.section("1.2").body == ""  # the items are not the subsection's text
    assert o.section("2.3").body.startswith("All regions and departments shall strengthen organisational leadership,")
    assert o.section("a1/front").body == "These Measures are formulated to regulate the sharing of government data."
    m = o.metadata
    assert (m.number, m.date, m.issuers) == (
        "Guo Ban Fa [2023] No. 21",
        "2023-06-01",
        ["General Office of the State Council"],
    )


def test_the_translation_of_a_notice_issuing_two_documents_keeps_them_apart():
    o = parse(ISSUING_TWO_EN)
    assert [(p.number, p.kind, p.title, p.label) for p in o.parts] == [
        (1, "issued", "Measures for the Administration of Government Service Matters", None),
        (2, "issued", "Provisions on the Evaluation of Government Services", None),
    ]
    assert [(s.id, s.title, s.parent) for s in o.sections] == [
        ("a1/front", None, None),
        ("a1/1", "Catalogue of matters", None),
        ("a1/1.1", "Compiling the catalogue", "a1/1"),
        ("a1/1.2", "Dynamic adjustment", "a1/1"),
        ("a1/2", "Handling procedure", None),
        ("a1/2.3", "Unified acceptance", "a1/2"),
        ("a1/2.4", "Completion within time limits", "a1/2"),
        ("a1/3", "Supervision and administration", None),
        ("a1/3.5", "Strengthen supervision", "a1/3"),
        ("a2/front", None, None),
        ("a2/1", "Contents of evaluation", None),
        ("a2/1.1", "Service attitude", "a2/1"),
        ("a2/1.2", "Efficiency", "a2/1"),
        ("a2/2", "Methods of evaluation", None),
        ("a2/2.1", "On-site evaluation", "a2/2"),
    ]
    assert o.section("a1/front").body == (
        "These Measures are formulated to strengthen the administration of government service matters."
    )
    assert o.section("a1/3.5").body == "All regions shall establish a supervision system."  # not the next title
    assert (o.metadata.number, o.metadata.date) == ("Guo Ban Fa [2018] No. 124", "2018-12-30")


def test_a_covering_notice_dated_under_its_title_too_finds_its_documents_after_its_signature():
    text = ISSUING_TWO_EN.replace("No. 124\n", "No. 124\n30 December 2018\n", 1)
    assert [s.id for s in parse(text).sections] == [s.id for s in parse(ISSUING_TWO_EN).sections]
    assert [p.title for p in parse(text).parts] == [p.title for p in parse(ISSUING_TWO_EN).parts]


def test_the_translation_of_a_forwarded_report_is_a_part_with_its_issuer_and_date_as_its_front_matter():
    o = parse(FORWARDED_EN)
    assert [(p.number, p.kind, p.title) for p in o.parts] == [
        (1, "forwarded", "Opinions on Strengthening the Administration of Infrastructure Construction")
    ]
    assert [(s.id, s.title, s.parent, s.title_derived) for s in o.sections] == [
        ("a1/front", None, None, False),
        ("a1/1", "Strictly examine and approve projects", None, False),
        ("a1/2", "Strengthen the management of funds", None, False),
        ("a1/2.1", "Construction funds must be used only for their designated…", "a1/2", True),
        ("a1/2.2", "Strengthen audit supervision", "a1/2", False),
    ]
    assert o.section("a1/front").body == (
        "State Planning Commission\n(20 December 1995)\n\n"
        "To strengthen the administration of infrastructure construction, the following opinions are put forward:"
    )
    assert o.front.endswith("10 January 1996")
    assert (o.metadata.number, o.metadata.date) == ("Guo Ban Fa [1996] No. 2", "1996-01-10")


@pytest.mark.parametrize(("original", "translation"), PAIRS, ids=PAIR_IDS)
def test_the_translation_s_section_ids_equal_the_original_s(original, translation):
    zh, en = parse(original), parse(translation)
    assert [(s.id, s.parent) for s in en.sections] == [(s.id, s.parent) for s in zh.sections]
    assert [(p.number, p.kind) for p in en.parts] == [(p.number, p.kind) for p in zh.parts]
    # an untitled item is untitled in both, and both derive its title
    assert [s.id for s in en.sections if s.title_derived] == [s.id for s in zh.sections if s.title_derived]


@pytest.mark.parametrize(("original", "translation"), PAIRS, ids=PAIR_IDS)
def test_original_and_translation_in_a_directory_without_a_manifest_are_one_notice_with_no_section_missing(
    tmp_path: Path, original: str, translation: str
):
    (tmp_path / "notice-zh.txt").write_text(original, encoding="utf-8")
    (tmp_path / "notice-en.txt").write_text(translation, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert len(corpus.notices) == 1
    notice = corpus.notices[0]
    assert sorted(t.language for t in notice.translations) == ["en", "zh"]
    for t in notice.translations:
        assert notice.missing(t.name) == [], t.name
    zh, en = sorted(notice.translations, key=lambda t: t.language != "zh")
    assert [i for i in en.section_ids if i != "front"] == [i for i in zh.section_ids if i != "front"]
    assert len(notice.section_ids) > 5


# -- the rule ----------------------------------------------------------------------------------------------------

#: The issue's example: items that are run-in sentences, sections that are title lines.
NATURAL = (
    "Notice on Sharing Data\n"
    "1. Overall requirements\n(1) Guiding thought. Text.\n(2) Basic principles.\n"
    "1. Coordinate the work. All regions shall plan as one.\n2. Ensure security. Complete the assessment.\n"
    "2. Key tasks\n(3) Lead the work. Text.\n3. Safeguards\n(4) Supervise. Text.\n"
)
EXPECTED = ["1", "1.1", "1.2", "1.2.1", "1.2.2", "2", "2.3", "3", "3.4"]


def test_a_one_after_a_subsection_starts_a_third_level_and_a_marker_continuing_both_is_settled():
    assert outline_of(NATURAL) == [
        ("1", "Overall requirements", None),
        ("1.1", "Guiding thought", "1"),
        ("1.2", "Basic principles", "1"),
        ("1.2.1", "Coordinate the work", "1.2"),
        ("1.2.2", "Ensure security", "1.2"),
        ("2", "Key tasks", None),
        ("2.3", "Lead the work", "2"),
        ("3", "Safeguards", None),
        ("3.4", "Supervise", "3"),
    ]


@pytest.mark.parametrize(
    ("text", "items"),
    [
        # the section heading still to come settles it, though items and headings are alike title lines
        (
            "T\n1. Overall\n(1) Guide\nText.\n(2) Principles\n1. Coordinate\nText.\n2. Secure\nText.\n2. Key tasks\n"
            "(3) Lead\nText.\n3. Safeguards\n(4) Supervise\nText.\n",
            2,
        ),
        # so does it across more items
        (
            "T\n1. Overall\n(1) Guide\nText.\n(2) Principles\n1. Coordinate\n2. Secure\n3. Check\n2. Key tasks\n"
            "(3) Lead\n3. Safeguards\n(4) Supervise\n",
            3,
        ),
        # the shape: a title line ("2. Key tasks") as the sections are, not a run-in item as the items are
        (
            "T\n1. Overall\n(1) Guide. Text.\n(2) Principles.\n1. Coordinate. Text.\n2. Key tasks\n(3) Lead. Text.\n"
            "3. Safeguards\n(4) Supervise. Text.\n",
            1,
        ),
        # the blank line that sets the sections apart, where items and headings are alike title lines
        (
            "T\n\n1. Overall\n(1) Guide\nText.\n(2) Principles\n1. Coordinate\nText.\n\n2. Key tasks\n(3) Lead\n"
            "Text.\n\n3. Safeguards\n(4) Supervise\nText.\n",
            1,
        ),
        # nothing tells them apart: the section numbering, which skips none, wins
        (
            "T\n1. Overall\n(1) Guide\n(2) Principles\n1. Coordinate\n2. Key tasks\n(3) Lead\n3. Safeguards\n"
            "(4) Supervise\n",
            1,
        ),
    ],
    ids=["heading-to-come", "heading-after-more-items", "shape", "blank-line", "default"],
)
def test_how_a_marker_continuing_both_numberings_is_settled(text, items):
    o = parse(text)
    expected = ["1", "1.1", "1.2"] + [f"1.2.{k}" for k in range(1, items + 1)] + ["2", "2.3", "3", "3.4"]
    assert [s.id for s in o.sections] == expected
    assert o.section("2").title == "Key tasks" and o.section("3").title == "Safeguards"


def test_the_items_of_the_last_subsection_run_on_past_the_section_number_when_they_look_like_items():
    text = (
        "T\n1. Overall\n(1) Guide. Text.\n2. Key tasks\n(2) Principles.\n1. Plan. Text.\n2. Check. Text.\n3. Act. Go.\n"
    )
    assert ids_of(text) == ["1", "1.1", "2", "2.2", "2.2.1", "2.2.2", "2.2.3"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "3." follows the items exactly and skips section 2: an item
        (
            "T\n1. Overall\n(1) Guide\n1. Plan\n2. Check\n3. Act\n2. Key tasks\n(2) Lead\n",
            ["1", "1.1", "1.1.1", "1.1.2", "1.1.3", "2", "2.2"],
        ),
        # "3." follows section 2 exactly and skips item 2: a section
        (
            "T\n1. Overall\n2. Key tasks\n(1) Guide\n1. Plan. Text.\n3. Safeguards\n(2) Lead\n",
            ["1", "2", "2.1", "2.1.1", "3", "3.2"],
        ),
    ],
)
def test_a_number_that_follows_one_numbering_exactly_and_skips_in_the_other_goes_with_the_first(text, expected):
    assert ids_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "T\nI. Overall\n(I) Guide\n(II) Principles\n1. Coordinate\n2. Secure\nII. Key tasks\n(III) Lead\n",
        "T\nFirst, overall requirements\n(1) Guide\n(2) Principles\n1. Coordinate\n2. Secure\n"
        "Second, key tasks\n(3) Lead\n",
    ],
    ids=["roman", "words"],
)
def test_sections_not_numbered_in_arabic_leave_no_ambiguity(text):
    assert ids_of(text) == ["1", "1.1", "1.2", "1.2.1", "1.2.2", "2", "2.3"]


def test_each_subsection_has_its_own_items_and_a_one_elsewhere_is_text():
    text = (
        "T\n1. Overall\n1. Not an item: no subsection stands before it.\n(1) Guide\n1. Plan. Text.\n2. Check. Text.\n"
        "1. Again. Not an item.\n(2) Principles\n1. Coordinate. Text.\n2. Key tasks\n(3) Lead\n"
    )
    o = parse(text)
    assert [s.id for s in o.sections] == ["1", "1.1", "1.1.1", "1.1.2", "1.2", "1.2.1", "2", "2.3"]
    assert o.section("1").body == "1. Not an item: no subsection stands before it."
    assert o.section("1.1.2").body == "Text.\n1. Again. Not an item."


@pytest.mark.parametrize(("a", "b"), [("(a)", "(b)"), ("a.", "b."), ("（a）", "（b）")])
def test_lettered_items_are_the_third_level_and_leave_no_ambiguity(a, b):
    text = (
        f"T\n1. Overall\n(1) Guide. Text.\n(2) Principles.\n{a} Plan. Text.\n{b} Check. Text.\n2. Key tasks\n(3) Go.\n"
    )
    o = parse(text)
    assert [(s.id, s.title, s.label) for s in o.sections] == [
        ("1", "Overall", "1."),
        ("1.1", "Guide", "(1)"),
        ("1.2", "Principles", "(2)"),
        ("1.2.1", "Plan", a),
        ("1.2.2", "Check", b),
        ("2", "Key tasks", "2."),
        ("2.3", "Go", "(3)"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "T\n1. Overall\n(1) Guide. Text: (a) plan; (b) check.\n2. Key tasks\n",  # inside a sentence
        "T\n1. Overall\n(1) Guide. Text.\n(b) Check. Text.\n2. Key tasks\n",  # no (a) opens the run
        "T\n1. Overall\n(1) Guide. Text.\n1. Plan. Text:\n(a) one;\n(b) two.\n2. Key tasks\n",  # under an item
        "T\n(a) Plan. Text.\n(b) Check. Text.\n1. Overall\n",  # under no subsection
    ],
    ids=["in-a-sentence", "no-first-letter", "under-an-item", "under-no-subsection"],
)
def test_letters_elsewhere_are_text(text):
    assert not [s for s in parse(text).sections if s.label and s.label[-2:] in ("a)", "b)", "a.", "b.")]


def test_a_list_under_an_item_is_a_fourth_level_and_text():
    text = (
        "T\n1. Overall\n(1) Guide. Text.\n(2) Principles.\n1. Coordinate. Text:\n(1) plan;\n(2) build;\n(3) check.\n"
        "2. Secure. Text.\n(3) Lead. Text.\n2. Key tasks\n(4) Catalogue. Text.\n"
    )
    o = parse(text)
    assert [s.id for s in o.sections] == ["1", "1.1", "1.2", "1.2.1", "1.2.2", "1.3", "2", "2.4"]
    assert o.section("1.2.1").body == "Text:\n(1) plan;\n(2) build;\n(3) check."


def test_an_article_s_enumeration_and_a_list_of_attachments_are_no_items():
    regulation = (
        "Regulations\nChapter I General Provisions\nArticle 1 Organs shall set up systems, including:\n"
        "1. classifying data;\n2. managing access.\nArticle 2 Systems are public.\n"
    )
    assert ids_of(regulation) == ["1", "1.1", "1.2"]
    for entries in (
        "\n1. Measures for Sharing\n2. Guide to Catalogues",
        " 1. Measures for Sharing\n2. Guide to Catalogues",
    ):
        listed = f"T\n1. Overall\n2. Tasks\n(1) Guide. Text.\n\nAttachments:{entries}\n3. Forms\n4. Rules for Review\n"
        o = parse(listed)
        assert [s.id for s in o.sections] == ["1", "2", "2.1"]
        assert o.section("2.1").body.endswith(f"Attachments:{entries}\n3. Forms\n4. Rules for Review")
    assert [s.id for s in parse(REGULATION).sections] == ["1", "1.1", "1.2", "2", "2.3", "2.4", "3", "3.5"]


def test_a_notice_that_says_it_issued_nothing_to_anyone_has_no_issued_parts():
    text = (
        "Eleven departments jointly issued a document on infrastructure.\nGMT Eight 2024-09-04\n"
        "1. Strengthen planning\nText.\n\nMeasures for Reporting\n1. Scope\nText.\n"
    )
    o = parse(text)
    assert o.parts == [] and [s.id for s in o.sections] == ["1"]


def test_a_covering_notice_with_nothing_after_its_date_keeps_its_own_sections():
    text = (
        "Notice on Issuing the Reform Plan\nThe plan is hereby issued to you.\n1. General requirements\nText.\n"
        "2. Main content\nText.\n\nGeneral Office of the State Council\n29 December 2018\n"
    )
    o = parse(text)
    assert o.parts == [] and [s.id for s in o.sections] == ["1", "2"]


# -- hostile input -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "T\n1. A\n" + "(1) B\n1. C\n" * 45_000,
        "T\n1. A\n(1) B\n" + "1. E. Text.\n2. D\n" * 45_000,
        "T\n1. A\n" + "(1) B. 1. E. 2. D. 2. E " * 20_000,
        "T\n1. A\n(1) B\n" + "".join(f"{k % 99 + 1}. C\n" for k in range(90_000)),
        "T\n1. A\n(1) B\n" + " " * 1_000_000 + "\n1. C\n" + "\n" * 100_000 + "2. D\n",
        "T\n1. A\n" + "(1) B\n(a) C\n(b) D\n" * 30_000,
        "T\n1. A\n(1) B\n" + "".join(f"({chr(97 + k % 26)}) C\n" for k in range(90_000)),
        "T\n1. A\n(1) B\n" + (" " * 1000 + "\n") * 1000 + "(a) C\n",
    ],
    ids=["alternation", "ambiguous-pairs", "one-line", "long-runs", "blanks", "letters", "alphabets", "blank-lines"],
)
def test_hostile_texts_of_items_are_outlined_quickly(text):
    # linear: each takes a fraction of a second (a quadratic step would take minutes)
    try:
        assert parse(text).sections
    except (NoHeadingsError, TooManyHeadings):  # a clear refusal is an answer too
        pass


def test_a_bomb_of_issued_document_titles_is_capped_at_the_id_limit():
    text = "Notice on Issuing the Rules\nThey are issued to you.\n1 May 2020\n" + "Rules for X\n1. Scope\nText.\n" * (
        MAX_PARTS + 50
    )
    o = parse(text)
    assert len(o.parts) == MAX_PARTS and o.sections[-1].id == f"a{MAX_PARTS}/1"


def test_hostile_covering_notices_are_outlined_quickly():
    # linear: every line is read once, each a bounded question
    text = "Notice on Issuing the Rules\nThey are issued to you.\n1 May 2020\nRules\n" + "1. Rules for X\n" * 90_000
    assert parse(text).sections
    text = "Notice on Forwarding the Plan\nforwarded to you\n1 May 2020\nPlan\n" + "(" + "x" * 1_000_000 + "\n"
    with pytest.raises(NoHeadingsError):
        parse(text)


def test_more_item_markers_than_the_budget_are_refused():
    with pytest.raises(TooManyHeadings):
        parse("T\n1. A\n" + "(1) B\n1. C\n" * (MAX_HEADING_CANDIDATES // 2 + 1))
