"""Text in each language is marked with it: a Chinese original's text containers get lang="zh", an English
translation's lang="en", a manifest's stated language wins over detection; the page itself stays English.

The corpus is tests/chinese_corpus.py's: a Chinese original (no language stated: detected), an English
translation (detected) and a Traditional Chinese text whose manifest entry states "zh-Hant".
"""

from __future__ import annotations

import pytest
from chinese_corpus import EN, HANT, MANIFEST, NOTICE, TITLE, ZH

from kb.catalog import Catalog
from kb.language import detect_language
from kb.manifest import ManifestError, parse_manifest

#: Each translation's language as the pages must mark it.
LANGUAGES = {"zh": "zh", "en": "en", "hant": "zh-Hant"}


@pytest.fixture()
def page(chinese_client, parse):
    def fetch(url: str):
        response = chinese_client.get(url)
        assert response.status_code == 200, url
        tree = parse(response.get_data(as_text=True))
        assert tree.one("html").attrs["lang"] == "en"  # the interface is English whatever the text
        return tree

    return fetch


def test_detection_reads_the_script_and_tolerates_quotations_of_the_other():
    assert detect_language(ZH) == "zh" and detect_language(HANT) == "zh"
    assert detect_language(EN) == "en"  # though it quotes 政务数据共享
    assert detect_language("关于印发《Data Security Law》实施方案的通知") == "zh"
    assert detect_language("") == "en" and detect_language("2023") == "en"


def test_the_manifest_states_a_language_tag_and_refuses_anything_else():
    entries = parse_manifest(MANIFEST)
    assert entries["hant.txt"].translation["language"] == "zh-Hant"
    assert "language" not in entries["zh.txt"].translation
    bad = MANIFEST.replace('language = "zh-Hant"', 'language = "Chinese (traditional)"')
    with pytest.raises(ManifestError, match='must be a language tag like "zh" or "en"'):
        parse_manifest(bad)


def test_the_catalog_keeps_each_translations_language_the_manifests_winning(chinese_build):
    catalog = Catalog.load(chinese_build.path)
    notice = catalog.notice(NOTICE)
    assert {t.name: t.language for t in notice.translations} == LANGUAGES  # listed, without reading outlines
    full = catalog._full(notice)
    assert {t.name: t.language for t in full.translations} == LANGUAGES


@pytest.mark.parametrize("name", LANGUAGES)
def test_a_reading_page_marks_its_text_and_contents_with_the_translations_language(page, name):
    tree = page(f"/notices/{NOTICE}/{name}")
    assert tree.one("div", "doc-body").attrs["lang"] == LANGUAGES[name]
    assert tree.one("nav", "toc").one("ol").attrs["lang"] == LANGUAGES[name]
    assert tree.one("h1", "doc-title").attrs["lang"] == "zh"  # the notice's title is Chinese


@pytest.mark.parametrize("name", LANGUAGES)
def test_a_section_page_marks_its_heading_and_text(page, name):
    tree = page(f"/notices/{NOTICE}/{name}/2")
    assert tree.one("h1").attrs["lang"] == LANGUAGES[name]
    assert tree.one("div", "section-body").attrs["lang"] == LANGUAGES[name]
    assert tree.one("p", "kicker").attrs["lang"] == "zh"


def test_compare_columns_are_marked_each_with_its_own_language(page):
    tree = page(f"/notices/{NOTICE}/compare/2.1")
    bodies = tree.find_all("div", "column-body")
    assert [b.attrs["lang"] for b in bodies] == list(LANGUAGES.values())
    assert [h.attrs["lang"] for h in tree.find_all("h3")] == list(LANGUAGES.values())
    assert [t.attrs["lang"] for t in tree.find_all("span", "pager-title")] == ["zh", "zh"]  # 2 and 2.2


def test_result_snippets_are_marked_with_their_translations_language(page):
    tree = page("/search?q=catalogue")
    hits = tree.find_all("li", "hit")
    assert hits
    assert {h.one("p", "snippet").attrs["lang"] for h in hits} == {"en"}
    tree = page("/search?q=打通信息壁垒&separate=1")
    snippets = [h.one("p", "snippet").attrs["lang"] for h in tree.find_all("li", "hit")]
    assert snippets and set(snippets) <= {"zh", "zh-Hant"}
    assert all(h.one("p", "hit-notice").one("a").attrs["lang"] == "zh" for h in tree.find_all("li", "hit"))
    assert tree.one("h1", "results-heading").one("q").attrs["lang"] == "zh"  # the query as typed


def test_the_home_and_notice_pages_mark_a_chinese_title(page):
    notice = page(f"/notices/{NOTICE}/")
    assert notice.one("h1").attrs["lang"] == "zh"
    rows = notice.one("table", "contents").find_all("th", scope="row")
    assert [r.one("span", lang="zh").text for r in rows[1:]] == [
        "明确共享责任",
        "完善共享机制",
        "建立目录管理制度",
        "规范共享流程",
        "强化安全保障",
    ]
    assert rows[0].one("span").attrs["lang"] == "en"  # "Front matter"
    home = page("/")
    assert any(a.attrs.get("lang") == "zh" and a.text == TITLE for a in home.find_all("a"))


def test_the_sites_own_words_inside_a_chinese_text_stay_english(page):
    tree = page(f"/notices/{NOTICE}/zh")
    body = tree.one("div", "doc-body")
    links = body.find_all("p", "heading-links")
    assert links and all(p.attrs["lang"] == "en" for p in links)  # "# section page" beside each heading
    assert body.one("h2", id="front").attrs["lang"] == "en"  # "Front matter" is the site's name for it
    assert tree.one("nav", "toc").one("a", href="#front").attrs["lang"] == "en"
    assert page(f"/notices/{NOTICE}/zh/front").one("h1").attrs["lang"] == "en"
