"""A notice's versions side by side: its Chinese original beside its translations, each compared only with texts
in its own language (a Chinese text beside an English one differs in every word, which tells a reader nothing).

The corpus is tests/chinese_corpus.py's: a Chinese original, an English translation and a Traditional text.
"""

from __future__ import annotations

import pytest
from chinese_corpus import NOTICE

from web import create_app

COMPARE = f"/notices/{NOTICE}/compare"
API = f"/api/notices/{NOTICE}/compare"


def test_the_original_stands_beside_the_translation_unmarked_and_the_chinese_texts_are_compared(chinese_client):
    data = chinese_client.get(f"{API}/2.1").get_json()
    assert [t["name"] for t in data["translations"]] == ["zh", "en", "hant"]
    assert all(t["has_section"] for t in data["translations"])
    # the two Chinese texts are compared with each other, character by character; the English one with nothing
    assert [(c["left"], c["right"]) for c in data["comparisons"]] == [("zh", "hant")]
    changed = [s for s in data["comparisons"][0]["text"]["spans"] if s["kind"] != "equal"]
    assert changed and all(len(s["left"]) <= 4 for s in changed)  # 录 → 錄, not the whole sentence


def test_the_page_says_the_english_column_is_shown_as_written(chinese_client, parse):
    tree = parse(chinese_client.get(f"{COMPARE}/2.1").get_data(as_text=True))
    columns = tree.find_all("section", "column")
    assert [c.one("h2").text.strip() for c in columns] == [
        "Chinese original",
        "English translation",
        "Traditional Chinese text",
    ]
    english = columns[1]
    assert "Shown as written" in english.text and not english.find_all("mark")
    assert columns[2].find_all("mark") and "Compared with the Chinese original" in columns[2].text
    assert "of characters in common" in columns[2].text and "of words" not in columns[2].text


def test_the_original_names_no_translator_and_every_version_says_its_language(chinese_client, parse):
    tree = parse(chinese_client.get(f"/notices/{NOTICE}/zh").get_data(as_text=True))
    line = tree.one("p", "provenance").text
    assert "Chinese original" in line and "Translator" not in line and "Source: not stated" in line
    english = parse(chinese_client.get(f"/notices/{NOTICE}/en").get_data(as_text=True)).one("p", "provenance").text
    assert "Translator: not stated" in english
    versions = {t["name"]: t for t in chinese_client.get(f"/api/notices/{NOTICE}").get_json()["translations"]}
    assert {n: (t["language"], t["original"]) for n, t in versions.items()} == {
        "zh": ("zh", True),
        "en": ("en", False),
        "hant": ("zh-Hant", True),
    }


# -- a Chinese notice and its English translation, one notice by their numbers ------------------------------------

BILINGUAL = "guo-ban-fa-2023-21"


@pytest.fixture(scope="module")
def bilingual_client(bilingual_corpus, bilingual_build):
    return create_app(
        {"TESTING": True, "KB_INDEX": bilingual_build.parent, "KB_CORPUS": bilingual_corpus}
    ).test_client()


def test_two_versions_in_two_languages_stand_side_by_side_with_one_note(bilingual_client, parse):
    tree = parse(bilingual_client.get(f"/notices/{BILINGUAL}/compare/a1/2.1").get_data(as_text=True))
    columns = tree.find_all("section", "column")
    assert [c.one("h2").text.strip() for c in columns] == ["Chinese original", "English translation"]
    assert "无条件共享" in columns[0].text and "Unconditional sharing" in columns[1].text
    assert "different languages" in tree.one("main").text
    assert not any("Shown as written" in c.text or c.find_all("mark") for c in columns)


def test_every_section_of_the_original_is_in_the_translation_and_found_from_either_language(bilingual_client):
    notice = bilingual_client.get(f"/api/notices/{BILINGUAL}").get_json()
    assert [t["name"] for t in notice["translations"]] == ["notice-zh", "notice-en"]
    assert all(not t["missing"] for t in notice["translations"])
    english_query = bilingual_client.get("/api/search?q=unconditional+sharing&translation=notice-zh").get_json()
    first = english_query["results"][0]
    assert (first["section"], first["translation"], first["through"]) == ("a1/2.1", "notice-zh", ["notice-en"])
    chinese_query = bilingual_client.get("/api/search?q=无条件共享&translation=notice-en").get_json()
    first = chinese_query["results"][0]
    assert (first["section"], first["translation"], first["through"]) == ("a1/2.1", "notice-en", ["notice-zh"])


def test_the_originals_signature_and_date_are_shown_after_its_text_not_in_its_last_item(bilingual_client, parse):
    tree = parse(bilingual_client.get(f"/notices/{BILINGUAL}/notice-zh").get_data(as_text=True))
    closing = [p.text for p in tree.find_all("p", "closing")]
    assert closing[-3:] == ["国务院办公厅", "2023年6月1日", "（此件公开发布）"]
    section = parse(bilingual_client.get(f"/notices/{BILINGUAL}/notice-zh/3.5").get_data(as_text=True))
    assert "2023年6月1日" not in section.one("main").text.split("Cite")[0]
