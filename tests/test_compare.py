"""kb.compare: word-level differences between two texts, their spans, and the bound on their cost."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.compare import MAX_WORDS, WORK_BUDGET, Comparison, Kind, Level, _pairs, _words, compare


def _kinds(c: Comparison) -> list[tuple[str, str, str]]:
    return [(str(s.kind), s.left, s.right) for s in c.spans]


def _rebuilds(c: Comparison, left: str, right: str) -> None:
    """Joining each side's parts gives that text back, exactly."""
    assert "".join(s.left for s in c.spans) == left
    assert "".join(s.right for s in c.spans) == right


def test_equal_texts_are_one_equal_span():
    text = "Basic telecommunications enterprises should build green data centres."
    c = compare(text, text)
    assert _kinds(c) == [("equal", text, text)]
    assert c.level is Level.WORD and c.differences == 0 and c.similarity == 1.0 and c.note is None


def test_words_only_in_the_right_text():
    c = compare("build data centres", "build green data centres")
    assert _kinds(c) == [
        ("equal", "build ", "build "),
        ("right-only", "", "green"),
        ("equal", "data centres", " data centres"),
    ]
    assert c.differences == 1


def test_words_only_in_the_left_text():
    c = compare("the big old dog", "the dog")
    assert _kinds(c) == [("equal", "the ", "the "), ("left-only", "big old", ""), ("equal", " dog", "dog")]


def test_a_replaced_word_is_changed():
    left = "(1) Improve network and data security capabilities."
    right = "(1) Enhance network and data security capabilities."
    c = compare(left, right)
    assert _kinds(c) == [
        ("equal", "(1) ", "(1) "),
        ("changed", "Improve", "Enhance"),
        ("equal", " network and data security capabilities.", " network and data security capabilities."),
    ]
    assert c.similarity == pytest.approx(12 / 14)


@pytest.mark.parametrize(
    "left, right",
    [
        ("Security, first.", "security first"),
        ("cross-department working mechanism", "cross department working  mechanism"),
        ("GREEN data\ncentres", "green Data centres!"),
        ("Ministry’s plan", "ministry's plan"),
        ("ﬁbre networks", "fibre networks"),  # a ligature is the letters it joins
    ],
)
def test_case_punctuation_and_spacing_alone_are_no_difference(left, right):
    c = compare(left, right)
    assert _kinds(c) == [("equal", left, right)]  # each side keeps its own text


def test_a_difference_is_marked_from_word_to_word():
    """The spaces and punctuation around a differing passage are not part of it (they belong to both texts)."""
    c = compare("networks, (a) satellites; and cables.", "networks, (b) drones; and cables.")
    changed = [s for s in c.spans if s.kind is Kind.CHANGED]
    assert [(s.left, s.right) for s in changed] == [("a) satellites", "b) drones")]


def test_texts_without_words_or_without_text():
    assert _kinds(compare("", "")) == []
    assert _kinds(compare("", "New text.")) == [("right-only", "", "New text"), ("equal", "", ".")]
    assert _kinds(compare("Old text", "")) == [("left-only", "Old text", "")]
    assert _kinds(compare("...", "!?")) == [("equal", "...", "!?")]
    assert compare("", "").similarity == 1.0


def test_ideographs_are_words_each():
    c = compare("数据中心建设", "数据中心规划")
    assert _kinds(c) == [("equal", "数据中心", "数据中心"), ("changed", "建设", "规划")]


def test_json_names_the_kinds_and_keeps_both_texts():
    data = compare("build data centres", "build green data centres").to_json()
    assert data["level"] == "word" and data["note"] is None and data["differences"] == 1
    assert data["spans"][1] == {"kind": "right-only", "left": "", "right": "green"}
    assert 0 < data["similarity"] < 1


#: Text a hostile or broken source could hold: markup, entities, control characters, ideographs, long runs.
_HOSTILE = st.lists(
    st.sampled_from([*"ab Ab.!?;,\n\t-_'’<>&\"/\\\x00\u200b数据ﬁ\U0001f600é", "<script>", "&amp;", "a. ", "\n\n"]),
    max_size=60,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_HOSTILE, _HOSTILE, st.sampled_from([WORK_BUDGET, 40, 0]))
def test_any_two_texts_are_cut_into_spans_that_give_them_back(left, right, budget):
    c = compare(left, right, budget)
    _rebuilds(c, left, right)
    assert c.work <= budget
    for a, b in zip(c.spans, c.spans[1:], strict=False):
        assert not (a.kind is Kind.EQUAL and b.kind is Kind.EQUAL)  # neighbours of one kind are one span
    for s in c.spans:
        assert s.left or s.right
        left_words, right_words = _words(s.left).keys[1:], _words(s.right).keys[1:]
        if s.kind is Kind.EQUAL:
            assert left_words == right_words
        else:
            assert (s.kind is Kind.RIGHT_ONLY) == (not left_words)
            assert (s.kind is Kind.LEFT_ONLY) == (not right_words)
            for side in (s.left, s.right):  # starts and ends with a word
                assert not side or (_words(side).texts[0] == "" and _words(side[-1]).keys[1:])


# -- the bound on the cost -----------------------------------------------------------------------------------


def _paragraphs(n: int, seed: int) -> str:
    """``n`` sentences of policy-like English, each a little different (as two translations are)."""
    verbs = ["promote", "strengthen", "improve", "coordinate", "build", "deploy", "optimise"]
    things = ["networks", "data centres", "computing power", "submarine cables", "the Internet of Things", "5G"]
    return "\n".join(
        f"({i}) All localities should {verbs[(i * seed) % 7]} {things[(i + seed) % 6]} and "
        f"{verbs[(i + 3 * seed) % 7]} the {things[(i * 5 + seed) % 6]} of region {i % 97}."
        for i in range(n)
    )


def test_a_long_section_is_compared_sentence_by_sentence_within_the_budget():
    left, right = _paragraphs(3000, 1), _paragraphs(3000, 2)
    assert _pairs(_words(left), _words(right)) > WORK_BUDGET  # too costly word by word
    c = compare(left, right)
    _rebuilds(c, left, right)
    assert c.level in (Level.SENTENCE, Level.PASSAGE) and c.note
    assert c.work <= WORK_BUDGET
    # the sentences that differ are still marked word by word, while the budget lasts
    assert any(s.kind is Kind.CHANGED and len(s.left) < 30 for s in c.spans)


def test_a_small_budget_falls_back_to_sentences_and_marks_words_within_them():
    left = "Build networks. Deploy 5G widely. Improve security."
    right = "Build networks. Deploy 6G widely. Improve security."
    # the common start and end cost nothing; the middle costs 27 word by word, 18 sentence by sentence
    c = compare(left + " x " + left, right + " y " + right, budget=20)
    assert c.level is Level.SENTENCE
    assert [(s.left, s.right) for s in c.spans if s.kind is not Kind.EQUAL] == [("5G", "6G"), ("x", "y"), ("5G", "6G")]


def test_megabyte_sections_that_differ_throughout_are_bounded():
    """A repetitive megabyte: every word pairs with half the other text's (5e10 pairs unbounded: hours)."""
    left, right = "net data " * 60_000, "data net " * 60_000
    c = compare(left, right)
    _rebuilds(c, left, right)
    assert c.level is Level.PASSAGE and c.work <= WORK_BUDGET
    assert "as a whole" in c.note


def test_megabyte_sections_that_differ_in_one_place_are_compared_at_once():
    text = _paragraphs(20_000, 3)
    assert len(text) > 1_000_000
    edited = text.replace("region 42.", "region forty-two.", 1)
    c = compare(text, edited)
    _rebuilds(c, text, edited)
    assert c.level is Level.WORD and c.work < 100  # the common start and end were set aside for nothing
    assert [(s.left, s.right) for s in c.spans if s.kind is not Kind.EQUAL] == [("42", "forty-two")]


def test_more_words_than_one_alignment_takes_are_not_aligned_word_by_word():
    left = " ".join(f"w{i}" for i in range(MAX_WORDS + 10))  # every word unique: few pairs, many words
    right = " ".join(f"v{i}" for i in range(MAX_WORDS + 10))
    c = compare(left, right)
    assert c.level is Level.PASSAGE
    _rebuilds(c, left, right)


def test_long_runs_of_punctuation_are_read_once():
    """A sentence end or a span's edges found by trying every position of a long run took quadratic time."""
    left = "x " + "!" * 300_000 + " y. " + "?" * 300_000
    right = "z " + "!" * 300_000 + " y. " + "." * 300_000
    c = compare(left, right, budget=0)
    _rebuilds(c, left, right)
    assert [(s.left, s.right) for s in c.spans if s.kind is not Kind.EQUAL] == [("x", "z")]
