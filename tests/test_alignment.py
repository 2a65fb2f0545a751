"""A section's counterparts in the notice's other languages: what a search in another language finds it by."""

from __future__ import annotations

from kb.alignment import MAX_COUNTERPARTS, counterpart_texts
from kb.models import Chunk

LANGUAGES = {"zh": "zh", "hant": "zh-Hant", "en": "en", "gmt": "en", "x3": "en"}


def chunk(translation: str, section: str, body: str, notice: str = "n") -> Chunk:
    return Chunk(notice, None, translation, section, f"{translation} title", None, body)


def aligned(chunks: list[Chunk]) -> dict[int, dict[str, str]]:
    return counterpart_texts(chunks, lambda c: LANGUAGES[c.translation])


def test_each_version_is_aligned_with_the_same_section_in_the_other_language():
    chunks = [chunk("zh", "2.5", "数据共享"), chunk("en", "2.5", "data sharing"), chunk("en", "3", "security")]
    assert aligned(chunks) == {
        0: {"en": "en title\ndata sharing"},
        1: {"zh": "zh title\n数据共享"},
    }  # section 3 has no Chinese counterpart, so nothing is aligned with it


def test_the_traditional_text_is_chinese_too_and_not_a_counterpart_of_the_original():
    chunks = [chunk("zh", "1", "共享"), chunk("hant", "1", "共享"), chunk("en", "1", "sharing")]
    result = aligned(chunks)
    assert result[0] == result[1] == {"en": "en title\nsharing"}
    assert result[2] == {"zh": "zh title\n共享\nhant title\n共享"}


def test_sections_of_other_notices_are_never_counterparts():
    assert aligned([chunk("zh", "1", "共享", notice="a"), chunk("en", "1", "sharing", notice="b")]) == {}


def test_a_notice_with_many_translations_aligns_a_few_of_them():
    chunks = [chunk("zh", "1", "共享"), *(chunk(t, "1", f"{t} words") for t in ("en", "gmt", "x3"))]
    assert aligned(chunks)[0]["en"].count("words") == MAX_COUNTERPARTS


def test_an_english_only_corpus_aligns_nothing():
    assert aligned([chunk("en", "1", "a"), chunk("gmt", "1", "b")]) == {}
