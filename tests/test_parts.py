"""Parts of a notice (attachments) and a third level of sections, through the model, the catalog, the chunks,
the Markdown, the citations and the commands: over one shared corpus (tests/parts_corpus.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from parts_corpus import (
    ANNEX_WORD,
    EXCERPT_IDS,
    FULL,
    NOTICE,
    NUMBER,
    PREAMBLE_WORD,
    SECTION_IDS,
    THIRD_WORD,
)

from kb.catalog import Catalog
from kb.citation import Citation
from kb.cli import cli
from kb.corpus import load_corpus, notice_chunks
from kb.models import Notice, Outline, Part, Section, SectionId, Translation
from kb.outline import parse
from kb.render import to_markdown, to_source
from kb.search import KnowledgeBase

RETRIEVED = dt.date(2026, 1, 2)


@pytest.fixture(scope="module")
def notice(parts_dir: Path) -> Notice:
    return load_corpus(parts_dir).notice(NOTICE)


@pytest.fixture(scope="module")
def stored(parts_build: Path) -> Notice:
    """The notice as the catalog reads it back."""
    found = Catalog.load(parts_build).notice(NOTICE)
    assert found is not None
    return found


def ids(sections) -> list[str]:
    return [str(s) for s in sections]


# -- the model -------------------------------------------------------------------------------------------


def test_the_notice_lists_every_part_and_level_in_document_order(notice):
    assert ids(notice.section_ids) == SECTION_IDS
    assert ids(notice.translation("excerpt").section_ids) == EXCERPT_IDS
    assert ids(notice.missing("excerpt")) == ["1.1.1", "1.1.2", "a1/2.2.1", "a1/2.2.2", "a1/2.3", "a2/front", "a2/1"]
    assert notice.missing_everywhere() == []
    assert [p.heading for p in notice.parts] == [
        "Attachment 1: Rules for Data Sharing",
        "Annex 2: Forms for Data Requests",
    ]


def test_a_parts_opening_is_named_by_the_parts_heading_everywhere(notice):
    full = notice.translation("full")
    opening = full.section("a1/front")
    assert opening.title == "Attachment 1: Rules for Data Sharing" and opening.heading == opening.title
    assert opening.body == f"These rules promote the {PREAMBLE_WORD} of government data."
    assert notice.section_title("a2/front") == "Annex 2: Forms for Data Requests"
    assert full.section("a1/2.2").heading == "attachment 1, 2 (2) Compiling catalogues"
    assert full.section("a1/2.2").local_heading == "2 (2) Compiling catalogues"
    assert Part(3, "forwarded", None).heading == "Forwarded report 3"


def test_anchors_turn_back_into_their_sections():
    for text in SECTION_IDS:
        sid = SectionId(text)
        assert SectionId.from_anchor(sid.anchor) == sid
    assert SectionId("a1/2.2.1").anchor == "a1-s2-2-1"
    for anchor in ("", "s", "s0", "a0-s1", "a1-", "a1-s1-2-3-4", "s1--2", "top", "a1-s2-2 ", "x" * 500):
        assert SectionId.from_anchor(anchor) is None


def test_an_outline_as_json_carries_its_parts_levels_and_derived_titles(notice):
    data = notice.translation("full").outline.to_json()
    assert data["parts"][0] == {
        "number": 1,
        "id": "a1/front",
        "kind": "attachment",
        "label": "Attachment 1",
        "title": "Rules for Data Sharing",
        "heading": "Attachment 1: Rules for Data Sharing",
    }
    third = next(s for s in data["sections"] if s["id"] == "a1/2.2.1")
    assert third == {
        "id": "a1/2.2.1",
        "title": "Updating catalogues",
        "parent": "a1/2.2",
        "part": 1,
        "level": 3,
        "title_derived": False,
    }


# -- the catalog -------------------------------------------------------------------------------------


def test_the_catalog_keeps_parts_third_levels_and_derived_titles(notice, stored):
    for name in ("full", "excerpt"):
        here, there = notice.translation(name).outline, stored.translation(name).outline
        assert there.parts == here.parts
        assert [(s.id, s.title, s.parent, s.body, s.title_derived) for s in there.sections] == [
            (s.id, s.title, s.parent, s.body, s.title_derived) for s in here.sections
        ]
    assert ids(stored.section_ids) == SECTION_IDS


def test_a_derived_title_survives_the_catalog(tmp_path: Path):
    from kb import catalog

    outline = Outline(parse(FULL).metadata, "", [Section("1", "Each region shall act", None, "text", None, True)])
    t = Translation("t", "T", tmp_path / "t.md", "n", outline)
    catalog.write(tmp_path / "catalog.sqlite", [Notice("n", "N", None, None, [], [t])], "fp")
    back = Catalog.load(tmp_path).notice("n")
    assert back.translation("t").outline.sections[0].title_derived is True
    assert back.derived_titles == frozenset({"1"})


@pytest.mark.parametrize(
    "section, found",
    [
        ("a1/2.2.1", [NOTICE]),
        ("a1/2.2.2", [NOTICE]),
        ("a1/2.2.3", []),
        ("a1/2.3", [NOTICE]),
        ("a1/2.4", []),
        ("a2/front", [NOTICE]),
        ("a3/front", []),
        ("a2/1", [NOTICE]),
        ("a2/2", []),
        ("1.1.2", [NOTICE]),
        ("1.2", []),
        ("3", []),
        ("front", [NOTICE]),
    ],
)
def test_the_catalog_finds_the_notices_with_a_section_in_a_part_or_third_level(parts_build, section, found):
    catalog = Catalog.load(parts_build)
    assert [n.id for n in catalog.with_section(SectionId(section))] == found


# -- chunks and search -----------------------------------------------------------------------------------


def test_chunks_are_the_deepest_sections_with_their_parents_titles(notice):
    chunks = {(c.translation, c.section): c for c in notice_chunks(notice)}
    full = [str(s) for (t, s) in chunks if t == "full"]
    # a1/2 has sections under it and no text of its own: its sections are its chunks (1.1 and a1/2.2 have text)
    assert full == [
        "front",
        "1",
        "1.1",
        "1.1.1",
        "1.1.2",
        "2",
        "a1/front",
        "a1/1",
        "a1/2.1",
        "a1/2.2",
        "a1/2.2.1",
        "a1/2.2.2",
        "a1/2.3",
        "a2/front",
        "a2/1",
    ]
    third = chunks["full", "a1/2.2.1"]
    assert (third.title, third.parent_title) == ("Updating catalogues", "Compiling catalogues")
    opening = chunks["full", "a1/front"]
    assert opening.title == "Attachment 1: Rules for Data Sharing" and opening.counterparts == ("excerpt",)
    assert chunks["full", "a2/front"].title == "Annex 2: Forms for Data Requests"


def test_search_finds_a_parts_opening_and_a_third_level_and_names_them(parts_build):
    kb = KnowledgeBase(parts_build)
    hit = kb.search(PREAMBLE_WORD).hits[0]
    assert (hit.section, hit.title) == ("a1/front", "Attachment 1: Rules for Data Sharing")
    hit = kb.search(THIRD_WORD).hits[0]
    assert (hit.section, hit.chunk.parent_title) == ("a1/2.2.1", "Compiling catalogues")
    assert hit.citation == (
        f"{NUMBER}, {hit.notice.title}, "
        'attachment 1 "Rules for Data Sharing", section 2 (2) 1, Full translation, 2018-12-20'
    )
    assert kb.search("Forms for Data Requests").hits[0].section == "a2/front"  # the part's title is found


# -- Markdown -------------------------------------------------------------------------------------------


def test_the_markdown_source_reads_back_to_the_same_outline(notice):
    for t in notice.translations:
        again = parse(to_source(notice, t))
        o = t.outline
        assert again.parts == o.parts
        assert again.front == o.front and again.metadata.title == o.metadata.title
        assert [(s.id, s.title, s.parent, s.body) for s in again.sections] == [
            (s.id, s.title, s.parent, s.body) for s in o.sections
        ]
    source = to_source(notice, notice.translation("full"))
    assert "\n# Attachment 1: Rules for Data Sharing\n" in source and "\n# Annex 2: Forms for Data Requests\n" in source
    assert "\n#### 1. Updating catalogues\n" in source


def test_the_page_markdown_heads_each_part_and_nests_its_sections(notice):
    md = to_markdown(notice, notice.translation("full"))
    assert "\n## Attachment 1: Rules for Data Sharing {#a1-front}\n" in md
    assert "\n### 2 Catalogues {#a1-s2}\n" in md
    assert "\n#### 2 (2) Compiling catalogues {#a1-s2-2}\n" in md
    assert "\n##### 2 (2) 1 Updating catalogues {#a1-s2-2-1}\n" in md
    assert "\n#### 1 (1) 1 Departments {#s1-1-1}\n" in md


def test_a_derived_title_is_marked_in_the_page_markdown(notice):
    outline = Outline(notice.translation("full").outline.metadata, "", [Section("1", "Act", None, "x", None, True)])
    t = Translation("t", "T", Path("t.md"), "n", outline)
    assert "## 1 Act {#s1 .derived}" in to_markdown(notice, t)


# -- citations -------------------------------------------------------------------------------------------


def test_a_citation_names_the_part_its_title_and_the_section(notice):
    full = notice.translation("full")
    c = Citation.of(notice, full, "a1/2.2", "https://kb.example.org/notices/x/full/a1/2.2", RETRIEVED)
    assert c.text() == (
        f'{NUMBER}, {notice.title}, attachment 1 "Rules for Data Sharing", section 2 (2), Full translation, '
        "2018-12-20, retrieved 2026-01-02, https://kb.example.org/notices/x/full/a1/2.2"
    )
    assert c.file_name == f"{NOTICE}-full-a1-2.2" and "/" not in c.file_name
    assert c.csl()["section"] == "attachment 1, 2 (2)"
    assert "SE  - attachment 1, 2 (2)\r\n" in c.ris()
    assert 'note = {Attachment 1 "Rules for Data Sharing", section 2 (2), Full translation}' in c.bibtex()
    opening = Citation.of(notice, full, "a2/front", None, RETRIEVED)
    assert 'attachment 2 "Forms for Data Requests", Full translation' in opening.text()
    assert opening.csl()["section"] == "attachment 2"
    assert Citation.of(notice, full, "front", None, RETRIEVED).csl()["section"] == "front matter"


# -- the commands ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kb_cmd(parts_dir: Path, parts_build: Path):
    def run(*args: str):
        env = {"KB_BASE_URL": "", "NO_COLOR": "1", "COLUMNS": "100"}
        index = str(parts_build.parent)
        return CliRunner().invoke(cli, ["--index", index, "--corpus", str(parts_dir), *args], env=env)

    return run


def test_kb_sections_heads_each_part_and_indents_by_level(kb_cmd):
    result = kb_cmd("sections")
    assert result.exit_code == 0, result.output
    rows = [line.rstrip() for line in result.stdout.splitlines()]
    first = next(i for i, line in enumerate(rows) if line.startswith("front"))
    table = [" ".join(line.split()) for line in rows[first:] if line.strip()]
    assert table[:7] == [
        "front Front matter ✓ ✓",
        "1 Implement the rules ✓ ✓",
        "1.1 Scope ✓ ✓",
        "1.1.1 Departments ✓ —",
        "1.1.2 Regions ✓ —",
        "2 Report on progress ✓ ✓",
        "a1/front Attachment 1: Rules for Data Sharing ✓ ✓",
    ]
    # the id column: a level's two spaces, and two more inside a part
    assert any(line.startswith("      a1/2.2.1 Updating catalogues") for line in rows)
    assert any(line.startswith("    1.1.1") for line in rows)
    assert "Missing from excerpt: 1.1.1, 1.1.2, a1/2.2.1, a1/2.2.2, a1/2.3, a2/front, a2/1" in result.stdout


def test_kb_sections_json_carries_parts_levels_and_derived_titles(kb_cmd):
    data = json.loads(kb_cmd("sections", "--json").stdout)
    assert [p["heading"] for p in data["parts"]] == [
        "Attachment 1: Rules for Data Sharing",
        "Annex 2: Forms for Data Requests",
    ]
    row = next(s for s in data["sections"] if s["id"] == "a1/2.2.1")
    assert row == {
        "id": "a1/2.2.1",
        "label": "attachment 1, 2 (2) 1",
        "title": "Updating catalogues",
        "title_derived": False,
        "parent": "a1/2.2",
        "part": 1,
        "level": 3,
        "translations": ["full"],
    }


@pytest.mark.parametrize("typed", ["a1/2.2", "attachment 1, 2 (2)", "attachment 1 2.2", "annex 1, 2 (2)"])
def test_kb_show_and_kb_cite_read_a_section_in_a_part_as_people_write_it(kb_cmd, typed):
    shown = kb_cmd("show", typed, "-t", "full")
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.splitlines()[1:] == [
        "attachment 1, 2 (2) Compiling catalogues",
        "Departments compile catalogues of their data.",
    ]
    assert 'attachment 1 "Rules for Data Sharing", section 2 (2)' in shown.stdout.splitlines()[0]
    cited = kb_cmd("cite", NOTICE, "full", typed, "--base-url", "https://kb.example.org")
    assert cited.exit_code == 0, cited.output
    assert cited.stdout.strip().endswith(f"https://kb.example.org/notices/{NOTICE}/full/a1/2.2")


def test_kb_cite_takes_a_permalink_of_a_section_in_a_part(kb_cmd):
    cited = kb_cmd("cite", f"https://kb.example.org/notices/{NOTICE}/full/a1/2.2.1", "-f", "csl-json")
    assert cited.exit_code == 0, cited.output
    assert json.loads(cited.stdout)[0]["section"] == "attachment 1, 2 (2) 1"


def test_kb_show_json_carries_the_part_and_level(kb_cmd):
    data = json.loads(kb_cmd("show", "a1/2.2.1", "--json").stdout)
    assert [(d["translation"], d["part"], d["level"], d["title_derived"]) for d in data] == [("full", 1, 3, False)]
    assert data[0]["section_label"] == "attachment 1, 2 (2) 1"


@pytest.mark.parametrize("typed", ["a1/9", "a3/1", "attachment 1, 2 (9)", "a0/1", "a1//2", "a1/" + "9" * 300])
def test_a_missing_or_malformed_section_in_a_part_is_one_line_and_status_2(kb_cmd, typed):
    result = kb_cmd("show", typed)
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kb: error: ") and "Traceback" not in result.stderr


def test_kb_outline_shows_part_headings_indented_sections_and_json(parts_dir, kb_cmd):
    result = kb_cmd("outline", str(parts_dir / "parts_full.md"))
    lines = result.stdout.splitlines()
    assert "a1/front  Attachment 1: Rules for Data Sharing" in lines
    assert "            a1/2.2.1 Updating catalogues" in lines
    assert "        1.1.1 Departments" in lines
    data = json.loads(kb_cmd("outline", str(parts_dir / "parts_full.md"), "--json").stdout)
    assert [p["number"] for p in data["parts"]] == [1, 2]
    assert {s["id"]: s["level"] for s in data["sections"]}["a1/2.2.1"] == 3


def test_a_word_only_in_the_second_attachment_is_found_there(parts_build):
    hit = KnowledgeBase(parts_build).search(ANNEX_WORD).hits[0]
    assert (hit.section, hit.translation.name) == ("a2/1", "full")


def test_kb_search_says_which_section_of_which_part_a_hit_is_in(kb_cmd):
    result = kb_cmd("search", THIRD_WORD)
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert "1. [attachment 1, 2 (2) 1] Updating catalogues" in lines
    assert "full · attachment 1, 2 (2) Compiling catalogues" in lines
    assert lines[lines.index("Catalogues are updated quarterly.") + 1].endswith(f" show {NOTICE} a1/2.2.1 -t full")


def test_a_hit_in_a_parts_top_level_section_names_the_part(kb_cmd, notice):
    chunk = next(c for c in notice_chunks(notice) if (c.translation, c.section) == ("full", "a2/1"))
    assert (chunk.parent_label, chunk.parent_title) == ("", "Annex 2: Forms for Data Requests")
    lines = [line.strip() for line in kb_cmd("search", ANNEX_WORD).stdout.splitlines()]
    assert "full · Annex 2: Forms for Data Requests" in lines


def test_kb_outline_says_a_title_is_derived(tmp_path, monkeypatch):
    """A title the parser made from an item's first clause (Section.title_derived) is said to be derived."""
    import kb.corpus
    from kb.models import Metadata

    derived = Outline(Metadata(title="T"), "", [Section("1", "Each region shall act", None, "Each region shall act.")])
    derived.sections[0] = Section("1", "Each region shall act", None, "Each region shall act.", None, True)
    monkeypatch.setattr(kb.corpus, "read_outline", lambda *args, **kwargs: (derived, {}))
    source = tmp_path / "n.txt"
    source.write_text("anything", encoding="utf-8")
    result = CliRunner().invoke(cli, ["outline", str(source)])
    assert "1     Each region shall act (title derived from the text)" in result.stdout.splitlines()
    data = json.loads(CliRunner().invoke(cli, ["outline", str(source), "--json"]).stdout)
    assert data["sections"][0]["title_derived"] is True
