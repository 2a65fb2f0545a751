"""A notice's versions find each other: a query in English finds the Chinese original's section through its
translation, and a query in Chinese finds the translations' sections through the original (kb.alignment).

The corpus is tests/chinese_search_corpus.py's: tests/chinese_corpus.py's notice in its Chinese original, English
translation and Traditional text, beside five Chinese notices with no translation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from chinese_corpus import NOTICE
from click.testing import CliRunner

from kb.cli import cli
from kb.filters import Filters
from kb.search import KnowledgeBase, query_language


@pytest.fixture(scope="module")
def kb(chinese_search_index: Path) -> KnowledgeBase:
    return KnowledgeBase(chinese_search_index)


def test_an_english_query_finds_the_chinese_originals_section_through_its_translation(kb):
    result = kb.search("catalogue system", filters=Filters(translation="zh"))
    first = result.hits[0]
    assert (first.notice.id, first.chunk.translation, first.section) == (NOTICE, "zh", "2.1")
    assert first.through == ["en"] and "目录" in first.snippet.plain
    assert first.to_json()["through"] == ["en"] and first.to_json()["language"] == "zh"


def test_a_chinese_query_finds_the_translations_section_through_the_original(kb):
    result = kb.search("目录管理", filters=Filters(translation="en"))
    first = result.hits[0]
    assert (first.notice.id, first.chunk.translation, first.section) == (NOTICE, "en", "2.1")
    assert first.through == ["zh", "hant"] and "catalogue" in first.snippet.plain


def test_a_section_is_one_result_shown_in_the_querys_language_with_the_others_matched(kb):
    hits = [h for h in kb.search("catalogue system").hits if h.notice.id == NOTICE]
    assert [(h.chunk.translation, h.section) for h in hits][:1] == [("en", "2.1")]
    assert len({h.section for h in hits}) == len(hits)  # the versions of a section are one result
    assert hits[0].through == [] and {"zh", "hant"} <= set(hits[0].matched_in)
    chinese_first = kb.search("目录管理").hits[0]
    assert chinese_first.chunk.translation in {"zh", "hant"} and chinese_first.through == []


def test_the_versions_own_words_rank_above_those_found_through_another(kb):
    hits = kb.search("catalogue system", group=False, limit=50).hits
    ranks = {(h.chunk.translation, h.section): k for k, h in enumerate(hits)}
    assert ranks["en", "2.1"] < ranks["zh", "2.1"]


def test_a_notice_without_a_translation_is_not_found_in_english(kb):
    notices = {h.notice.id for h in kb.search("earthquake resistance of school buildings", limit=50).hits}
    assert notices <= {NOTICE}


@pytest.mark.parametrize(
    ("query", "language"),
    [("catalogue", "en"), ("目录管理", "zh"), ("目录 catalogue", None), ("2023", None), ('"数据共享"', "zh")],
)
def test_the_language_of_a_query_is_its_script(query, language):
    assert query_language(query) == language


def test_the_terminal_says_what_a_result_was_found_through(chinese_search_index: Path):
    out = (
        CliRunner()
        .invoke(cli, ["--index", str(chinese_search_index.parent), "search", "catalogue system", "-t", "zh"])
        .output
    )
    assert "found through: en" in out
