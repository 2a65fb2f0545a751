"""Text in each language is marked with it: a Chinese original's text containers get lang="zh", an English
translation's lang="en", a manifest's stated language wins over detection; the page itself stays English.

The corpus is one notice in the style of a State Council General Office notice: its Chinese original (no
language stated: detected), an English translation (detected) and a Traditional Chinese text whose manifest
entry states "zh-Hant" (detection would say "zh").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kb import index as kb_index
from kb.catalog import Catalog
from kb.cli import cli
from kb.language import detect_language
from kb.manifest import ManifestError, parse_manifest
from kb.textwidth import display_width
from web import create_app

NOTICE = "guo-ban-fa-2023-15"
TITLE = "国务院办公厅关于加强政务数据共享工作的通知"
ZH = """\
国务院办公厅关于加强政务数据共享工作的通知
国办发〔2023〕15号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
为进一步推进政务数据共享，提升政府治理能力，经国务院同意，现就有关事项通知如下。

一、明确共享责任
各地区、各部门要加快推进政务信息系统整合共享，打通信息壁垒，实现数据共享。对账号密码等安全信息要严格管理。

二、完善共享机制
（一）建立目录管理制度。各部门要按照统一标准编制政务数据目录，及时更新。
（二）规范共享流程。数据提供部门应当在规定时限内答复共享申请。

三、强化安全保障
各地区要落实网络安全等级保护制度，加强数据安全防护，防止数据泄露。

国务院办公厅
2023年5月10日
"""
EN = """\
Notice of the General Office of the State Council on Strengthening the Sharing of Government Data
Guo Ban Fa [2023] No. 15

To the people's governments of all provinces, autonomous regions and municipalities, and all ministries and \
agencies of the State Council:
To further promote the sharing of government data (政务数据共享) and improve the capacity of government, with the \
approval of the State Council, the relevant matters are hereby notified as follows.

1. Clarify the responsibility for sharing
All regions and departments shall speed up the integration and sharing of government information systems, break \
down information barriers and share data. Account passwords and other security information shall be strictly managed.

2. Improve the sharing mechanism
(1) Establish a catalogue system. All departments shall compile catalogues of government data to unified \
standards and update them in time.
(2) Standardise the sharing procedure. A department providing data shall answer a request for sharing within the \
prescribed time.

3. Strengthen security
All regions shall implement the graded protection of network security, strengthen the protection of data security \
and prevent data leaks.

General Office of the State Council
10 May 2023
"""
HANT = """\
國務院辦公廳關於加強政務數據共享工作的通知
國辦發〔2023〕15號

一、明確共享責任
各地區、各部門要加快推進政務信息系統整合共享，打通信息壁壘，實現數據共享。

二、完善共享機制
（一）建立目錄管理制度。各部門要按照統一標準編製政務數據目錄，及時更新。
（二）規範共享流程。數據提供部門應當在規定時限內答覆共享申請。

三、強化安全保障
各地區要落實網絡安全等級保護制度，加強數據安全防護，防止數據洩露。
"""
MANIFEST = f"""\
[[notice]]
id = "{NOTICE}"
title = "{TITLE}"
number = "国办发〔2023〕15号"
date = "2023-05-10"

[[notice.translation]]
name = "zh"
file = "zh.txt"
label = "Chinese original"

[[notice.translation]]
name = "en"
file = "en.txt"
label = "English translation"

[[notice.translation]]
name = "hant"
file = "hant.txt"
label = "Traditional Chinese text"
language = "zh-Hant"
"""
#: Each translation's language as the pages must mark it.
LANGUAGES = {"zh": "zh", "en": "en", "hant": "zh-Hant"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("chinese-corpus")
    for name, text in (("zh.txt", ZH), ("en.txt", EN), ("hant.txt", HANT), ("manifest.toml", MANIFEST)):
        (directory / name).write_text(text, encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def build(corpus, tmp_path_factory):
    return kb_index.build(corpus, tmp_path_factory.mktemp("chinese-index"))


@pytest.fixture(scope="module")
def index_dir(build) -> Path:
    return build.path.parent


@pytest.fixture(scope="module")
def client(corpus, index_dir):
    return create_app({"TESTING": True, "KB_INDEX": index_dir, "KB_CORPUS": corpus}).test_client()


@pytest.fixture()
def page(client, parse):
    def fetch(url: str):
        response = client.get(url)
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


def test_the_catalog_keeps_each_translations_language_the_manifests_winning(build):
    catalog = Catalog.load(build.path)
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


def test_result_snippets_are_marked_with_their_translations_language(page):
    tree = page("/search?q=catalogue")
    hits = tree.find_all("li", "hit")
    assert hits
    assert {h.one("p", "snippet").attrs["lang"] for h in hits} == {"en"}
    tree = page("/search?q=打通信息壁垒&separate=1")
    snippets = [h.one("p", "snippet").attrs["lang"] for h in tree.find_all("li", "hit")]
    assert snippets and set(snippets) <= {"zh", "zh-Hant"}
    assert all(h.one("p", "hit-notice").one("a").attrs["lang"] == "zh" for h in tree.find_all("li", "hit"))


def test_the_home_and_notice_pages_mark_a_chinese_title(page):
    assert page(f"/notices/{NOTICE}/").one("h1").attrs["lang"] == "zh"
    home = page("/")
    assert any(a.attrs.get("lang") == "zh" and a.text == TITLE for a in home.find_all("a"))


def test_kb_sections_aligns_its_columns_under_chinese_titles(corpus, index_dir):
    result = CliRunner().invoke(cli, ["--index", str(index_dir), "--corpus", str(corpus), "sections", NOTICE])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.rstrip().endswith(("✓", "—"))]
    assert len(rows) == 6  # front matter, 1, 2, 2.1, 2.2, 3
    header = next(line for line in result.stdout.splitlines() if line.rstrip().endswith("hant"))
    # every row is as wide as the header, so each mark sits under its translation's name
    assert {display_width(row) for row in rows} == {display_width(header)}
    assert any("明确共享责任" in row for row in rows)


def test_the_sites_own_words_inside_a_chinese_text_stay_english(page):
    tree = page(f"/notices/{NOTICE}/zh")
    body = tree.one("div", "doc-body")
    links = body.find_all("p", "heading-links")
    assert links and all(p.attrs["lang"] == "en" for p in links)  # "# section page" beside each heading
    assert body.one("h2", id="front").attrs["lang"] == "en"  # "Front matter" is the site's name for it
    assert tree.one("nav", "toc").one("a", href="#front").attrs["lang"] == "en"
    assert page(f"/notices/{NOTICE}/zh/front").one("h1").attrs["lang"] == "en"
