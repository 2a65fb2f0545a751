"""Terminal output measured in columns: Chinese characters are two wide, Chinese text wraps between characters
(never before closing punctuation), Latin text between words, grapheme clusters are never split, and
`kb sections` keeps its columns aligned under Chinese titles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from chinese_corpus import NOTICE, write_chinese_corpus
from click.testing import CliRunner

from kb import cli as kb_cli
from kb import index as kb_index
from kb.cli import cli
from kb.snippets import Snippet
from kb.textwidth import display_width, fit, pad, pieces, wrap

ANSI = re.compile(r"\x1b\[[0-9;]*m")
TITLE = "国务院办公厅关于印发《政务信息系统整合共享实施方案》的通知，各省、自治区、直辖市人民政府。"


def test_chinese_wraps_between_characters_at_the_width_in_columns():
    assert wrap(TITLE, 20) == [
        "国务院办公厅关于印发",
        "《政务信息系统整合共",
        "享实施方案》的通知，",
        "各省、自治区、直辖市",
        "人民政府。",
    ]
    assert all(display_width(line) <= 20 for line in wrap(TITLE, 20))


def test_closing_punctuation_stays_on_the_line_before_and_opening_on_the_line_after():
    # 16 columns: "，" would start the second line, so the character before it goes with it.
    assert wrap("国务院办公厅关于，印发", 16) == ["国务院办公厅关", "于，印发"]
    # 14 columns: "《" would end the first line, so it goes to the next with the character after it.
    assert wrap("国务院办公厅《关于》", 14) == ["国务院办公厅", "《关于》"]


def test_mixed_latin_and_chinese_breaks_latin_between_words_and_chinese_between_characters():
    text = "The 数据安全法 applies to data processing, 包括收集、存储、使用。 See Article 3."
    assert wrap(text, 16, "", "  ") == [
        "The 数据安全法",
        "  applies to",
        "  data",
        "  processing, 包",
        "  括收集、存储、",
        "  使用。 See",
        "  Article 3.",
    ]


def test_a_line_keeps_an_odd_column_free_rather_than_cut_a_wide_character():
    assert wrap("数据安全", 7) == ["数据安", "全"]


def test_grapheme_clusters_are_never_split_and_zero_width_characters_take_no_room():
    accents = "cafe\u0301 "  # e and a combining acute accent: one cluster, one column
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji of three people: two columns
    assert display_width(accents.strip()) == 4 and display_width(family) == 2
    assert display_width("数据\u200b安全") == 8
    text = (accents + family + " ") * 3
    lines = wrap(text, 8)
    assert lines == [accents + family] * 3
    assert "".join(text[p.start : p.end] for p in pieces(text)) == text.replace(" ", "")


def test_a_zero_width_space_is_a_place_to_break_that_shows_no_space():
    text = "Datensicherheits\u200bverordnung"
    assert wrap(text, 20) == ["Datensicherheits\u200b", "verordnung"]
    assert wrap(text, 40) == [text]


def test_an_emoji_inside_latin_text_is_part_of_its_word_and_counted_two_wide():
    assert wrap("ok👍 fine", 4) == ["ok👍", "fine"]


def test_cut_and_padded_to_columns_with_the_ellipsis_inside_the_width():
    assert fit("国务院办公厅关于印发", 9) == "国务院办…"  # 8 columns + 1: the next character would cross the edge
    assert fit("国务院办公厅", 12) == "国务院办公厅"
    assert fit("cafe\u0301 society", 5) == "cafe\u0301…"  # the accent stays with its letter
    assert pad("中文", 6) + "|" == "中文  |"
    assert pad("中文", 6, ">") == "  中文"
    assert kb_cli._fit(TITLE, 60) == TITLE[:29] + "…"  # 29 characters are 58 columns
    assert display_width(kb_cli._fit(TITLE, 60)) == 59


def test_a_chinese_snippet_wraps_between_characters_with_its_match_marked_once_a_line():
    plain = "各地区、各部门要加快推进政务信息系统整合共享，打通信息壁垒，实现数据共享。"
    start = plain.index("政务信息系统")
    snippet = Snippet(plain=plain, spans=((start, start + 6),))
    mark = ("\x1b[1;33m", "\x1b[0m")
    lines = kb_cli.wrap_snippet(snippet, 27, "   ", mark)
    assert [ANSI.sub("", line) for line in lines] == [
        "   各地区、各部门要加快推进",
        "   政务信息系统整合共享，打",
        "   通信息壁垒，实现数据共",  # "享。" stays together: "。" never starts a line
        "   享。",
    ]
    assert lines[1] == "   " + mark[0] + "政务信息系统" + mark[1] + "整合共享，打"
    assert all(display_width(ANSI.sub("", line)) <= 27 for line in lines)


def test_a_match_cut_by_a_line_break_is_marked_on_both_lines():
    plain = "一二三四五六七八九十甲乙丙"
    snippet = Snippet(plain=plain, spans=((8, 11),))
    lines = kb_cli.wrap_snippet(snippet, 30, "", ("[", "]"))
    assert lines == ["一二三四五六七八[九十甲]乙丙"]
    lines = kb_cli.wrap_snippet(snippet, 22, "  ", ("[", "]"))  # 20 columns: ten characters a line
    assert lines == ["  一二三四五六七八[九十]", "  [甲]乙丙"]


def test_latin_wrapping_is_unchanged():
    text = "The State Council shall coordinate the protection of critical information infrastructure."
    assert kb_cli.wrap_text(text, 30, "", "   ") == [
        "The State Council shall",
        "   coordinate the protection",
        "   of critical information",
        "   infrastructure.",
    ]


@pytest.fixture(scope="module")
def chinese(tmp_path_factory) -> tuple[Path, Path]:
    corpus = write_chinese_corpus(tmp_path_factory.mktemp("chinese-corpus"))
    index_dir = tmp_path_factory.mktemp("chinese-index")
    kb_index.build(corpus, index_dir)
    return corpus, index_dir


def run(chinese, *args: str, env: dict | None = None) -> str:
    corpus, index_dir = chinese
    result = CliRunner().invoke(cli, ["--index", str(index_dir), "--corpus", str(corpus), *args], env=env or {})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_kb_sections_aligns_its_columns_under_chinese_titles(chinese):
    out = run(chinese, "sections", NOTICE)
    rows = [line for line in out.splitlines() if line.rstrip().endswith(("✓", "—"))]
    assert len(rows) == 6  # front matter, 1, 2, 2.1, 2.2, 3
    header = next(line for line in out.splitlines() if line.rstrip().endswith("hant"))
    # every row is as wide as the header, so each mark sits under its translation's name
    assert {display_width(row) for row in rows} == {display_width(header)}
    assert any("明确共享责任" in row for row in rows)


def test_chinese_search_results_wrap_to_the_terminal_between_characters(chinese):
    out = run(chinese, "search", "打通信息壁垒", "--translation", "zh", env={"COLUMNS": "30"})
    block = out.strip().split("\n\n")[1].splitlines()
    assert block[:-1] == [
        "1. [1] 明确共享责任",
        "   国办发〔2023〕15号 ·",
        "   2023-05-10",
        "   zh (also in: en, hant)",
        "   各地区、各部门要加快推进政",  # 29 columns: a fourteenth character would make 31
        "   务信息系统整合共享，打通信",
        "   息壁垒，实现数据共享。对账",
        "   号密码等安全信息要严格管",  # "理。" goes on together: "。" never starts a line
        "   理。",
    ]
    assert block[-1].startswith("   kb ")  # the command that prints it, never cut
