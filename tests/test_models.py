"""The domain model's derived lists: which sections a notice has, in order, and what each translation lacks."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from kb.cli import cli
from kb.models import FRONT, Metadata, Notice, Outline, Section, SectionId, Translation
from kb.numerals import to_roman
from kb.outline import MAX_GAP, parse


def _translation(name: str, ids: list[str], front: bool) -> Translation:
    sections = [Section(i, None, i.split(".")[0] if "." in i else None, "") for i in ids]
    return Translation(name, name, Path(f"{name}.txt"), "n", Outline(Metadata(), "front" if front else "", sections))


def _reference_section_ids(notice: Notice) -> list[str]:
    """The definition: every id some translation has, every section up to the last, and every subsection of a
    section up to its last from 1, or from its first where that continues the numbering of the last section
    before it with subsections, sorted (the straightforward version, quadratic in the subsections)."""
    ids: set[str] = set()
    for t in notice.translations:
        ids.update(t.section_ids)
    tops = {int(i.split(".")[0]) for i in ids if i != FRONT}
    ids.update(str(top) for top in range(1, max(tops, default=0) + 1))
    subs = {top: sorted(int(i.split(".")[1]) for i in ids if i.startswith(f"{top}.")) for top in tops}
    carried = 0
    for top in sorted(tops):
        if subs[top]:
            start = subs[top][0] if subs[top][0] == carried + 1 else 1
            ids.update(f"{top}.{n}" for n in range(start, subs[top][-1]))
            carried = subs[top][-1]
    return sorted(ids, key=lambda i: SectionId(i).sort_key)


_top = st.integers(1, 12).map(str)
_sub = st.tuples(st.integers(1, 12), st.integers(1, 30)).map("{0[0]}.{0[1]}".format)
_ids = st.lists(st.one_of(_top, _sub), unique=True, max_size=40)


@given(st.lists(st.tuples(_ids, st.booleans()), min_size=1, max_size=3))
def test_section_ids_follow_the_definition(translations):
    given_translations = [_translation(f"t{k}", ids, front) for k, (ids, front) in enumerate(translations)]
    notice = Notice("n", "T", None, None, [], given_translations)
    assert notice.section_ids == _reference_section_ids(notice)


def test_section_ids_of_a_very_long_section_are_all_there_in_order():
    long = _translation("long", ["1"] + [f"1.{n}" for n in range(1, 20_001)] + ["2", "2.3"], front=True)
    ids = Notice("n", "T", None, None, [], [long]).section_ids
    assert ids[:3] == [FRONT, "1", "1.1"] and ids[-5:] == ["1.20000", "2", "2.1", "2.2", "2.3"]
    assert len(ids) == 1 + 1 + 20_000 + 1 + 3


# -- no source implies many more sections than it has headings -------------------------------

#: The largest number a heading marker can carry ("CCCCCCC", seven Roman hundreds): the first section's
#: number is taken as written (a partial translation starts where it starts), so it may imply this many.
LARGEST_MARKER = 700


def _markdown_notice(text: str) -> Notice:
    return Notice("n", "T", None, None, [], [Translation("md", "md", Path("md.md"), "n", parse(text))])


def _bomb(parts: int) -> str:
    """Parts whose only subsection claims the number 700: each claimed 699 missing subsections before it."""
    return "# A notice\n\nFront.\n\n" + "## Part\n\nText.\n\n### (CCCCCCC) Sub\n\nText.\n\n" * parts


def test_a_markdown_bomb_implies_no_more_sections_than_it_has():
    parts = 700
    notice = _markdown_notice(_bomb(parts))
    headings = 2 * parts
    assert len(notice.section_ids) == 1 + headings  # the front matter and one id per heading: none inferred
    assert notice.missing_everywhere() == [] and notice.missing("md") == []


def _marker(level: int, n: int) -> str:
    numeral = str(n) if n < 100 else to_roman(n)
    return f"{numeral}. " if level == 2 else f"({numeral}) "


_md_heading = st.tuples(st.sampled_from([2, 3]), st.one_of(st.none(), st.integers(1, LARGEST_MARKER)))


@given(st.lists(_md_heading, min_size=1, max_size=30))
def test_section_ids_of_any_markdown_source_are_bounded_by_its_headings(headings):
    text = "# A notice\n\n" + "".join(
        f"{'#' * level} {_marker(level, n) if n else ''}Title\n\nText.\n\n" for level, n in headings
    )
    # The first section's number is free; after it every heading goes up by at most MAX_GAP.
    bound = 1 + LARGEST_MARKER + MAX_GAP * len(headings)
    assert len(_markdown_notice(text).section_ids) <= bound


def test_kb_sections_lists_a_markdown_bomb(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bomb.md").write_text(_bomb(700), encoding="utf-8")
    runner = (
        CliRunner(mix_stderr=False) if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters else CliRunner()
    )
    args = ["--corpus", str(corpus), "--index", str(tmp_path / "index")]
    assert runner.invoke(cli, [*args, "index"]).exit_code == 0
    result = runner.invoke(cli, [*args, "sections"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if re.match(r"\s*(front|\d+(\.\d+)?) ", line)]
    assert len(rows) == 1 + 1400
    assert "Missing" not in result.stdout


# -- section titles -------------------------------------------------------------------------


def _titled(name: str, sections: list[tuple[str, str | None]]) -> Translation:
    body = [Section(i, title, i.split(".")[0] if "." in i else None, "") for i, title in sections]
    return Translation(name, name, Path(f"{name}.txt"), "n", Outline(Metadata(), "", body))


def test_section_titles_are_the_first_any_translation_gives():
    a = _titled("a", [("1", None), ("1.1", "A one-one"), ("2", "A two"), ("2", "A two again")])
    b = _titled("b", [("1", "B one"), ("2", "B two"), ("3", "B three")])
    notice = Notice("n", "T", None, None, [], [a, b])
    assert notice.section_titles == {"1": "B one", "1.1": "A one-one", "2": "A two", "3": "B three"}
    assert [notice.section_title(i) for i in ["1", "2", "3", "4"]] == ["B one", "A two", "B three", None]


def test_section_titles_follow_translations_added_later():
    # A corpus adds a notice's translations one by one: titles asked for in between must not stay behind.
    notice = Notice("n", "T", None, None, [], [_titled("a", [("1", None)])])
    assert notice.section_title("1") is None
    notice.translations.append(_titled("b", [("1", "B one")]))
    assert notice.section_title("1") == "B one"
    assert notice.section_titles == {"1": "B one"}


@pytest.mark.parametrize(
    ("text", "part", "local", "parent", "anchor", "display"),
    [
        ("6.1.2", 0, "6.1.2", "6.1", "s6-1-2", "6 (1) 2"),
        ("a1/front", 1, "front", None, "a1-front", "attachment 1, front matter"),
        ("a1/2", 1, "2", None, "a1-s2", "attachment 1, 2"),
        ("a1/2.5", 1, "2.5", "a1/2", "a1-s2-5", "attachment 1, 2 (5)"),
        ("a12/2.5.3", 12, "2.5.3", "a12/2.5", "a12-s2-5-3", "attachment 12, 2 (5) 3"),
    ],
)
def test_section_ids_of_parts_and_third_levels_know_their_place(text, part, local, parent, anchor, display):
    sid = SectionId(text)
    assert (sid.part, sid.local, sid.parent, sid.anchor, sid.display) == (part, local, parent, anchor, display)


@pytest.mark.parametrize("text", ["a0/1", "a1/", "a1", "1.2.3.4", "a1/0", "b1/2", "a1000/1", "a1/front.1", "2..5"])
def test_malformed_part_and_third_level_ids_are_refused(text):
    with pytest.raises(ValueError):
        SectionId(text)


def test_parts_come_after_the_notices_own_text_and_third_levels_after_their_parent():
    ids = ["a1/2", "2.5.1", "front", "a1/front", "2", "10", "2.5", "1", "2.6", "a2/1", "a1/10.1.1"]
    assert sorted(map(SectionId, ids)) == ["front", "1", "2", "2.5", "2.5.1", "2.6", "10"] + [
        "a1/front",
        "a1/2",
        "a1/10.1.1",
        "a2/1",
    ]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("attachment 1, 2 (5)", "a1/2.5"),
        ("Annex 2 section 3", "a2/3"),
        ("a1/2.5", "a1/2.5"),
        ("2 (5) 1", "2.5.1"),
        ("2.5.1", "2.5.1"),
        ("attachment 1", "a1/front"),
        ("6 (1)", "6.1"),
    ],
)
def test_people_cite_parts_and_third_levels_as_they_write_them(typed, meant):
    assert SectionId.parse(typed) == meant


def test_items_numbered_straight_through_imply_no_sections_before_them(tmp_path):
    """（三）under 二、 is 2.3 because 一、 had （一）（二）: 2.1 and 2.2 are 1.1 and 1.2, not missing sections."""
    from chinese_documents import WITH_ATTACHMENTS

    from kb.corpus import load_corpus

    (tmp_path / "zh.txt").write_text(WITH_ATTACHMENTS, encoding="utf-8")
    (notice,) = load_corpus(tmp_path).notices
    assert notice.missing_everywhere() == []
    assert [i for i in notice.section_ids if not i.part] == [
        "front", "1", "1.1", "1.2", "1.2.1", "1.2.2", "2", "2.3", "2.4", "3", "3.5"
    ]  # fmt: skip
