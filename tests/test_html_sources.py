"""Saved government web pages as sources: the article's paragraphs, the page's facts, charsets, hostile pages."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli import cli
from kb.corpus import MAX_SOURCE_BYTES, SourceError, load_corpus, outline_file, read_text, source_text
from kb.pages import PageError, decode_page, read_page

#: A State Council General Office notice as gov.cn publishes it: header, navigation, breadcrumb, the facts table,
#: the article in UCAP-CONTENT / TRS_Editor with a share bar and editor line inside it, related links, footer.
GOV_CN = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>国务院办公厅关于印发政务信息系统整合共享实施方案的通知_国务院文件_中国政府网</title>
<style>.pages_content { font-size: 16px; }</style>
<script type="text/javascript">var id = "UCAP-CONTENT"; document.write("<p>脚本写的段落</p>");</script>
</head>
<body>
<div class="header"><a href="/">首页</a> | <a href="/zhengce/">政策</a> | <a href="/hudong/">互动</a></div>
<nav class="mainNav"><ul><li><a href="/">首页</a></li><li><a href="/zhengce/">政策</a></li></ul></nav>
<div class="BreadcrumbNav">当前位置：<a href="/">首页</a> &gt; <a href="/zhengce/">政策</a> &gt; 国务院文件</div>
<div class="policyLibraryOverview_header">
<table class="bd1" cellpadding="0" cellspacing="1"><tbody>
<tr><td class="b12c"><b>索&nbsp;&nbsp;引&nbsp;&nbsp;号：</b></td><td>000014349/2018-00195</td>
<td class="b12c"><b>主题分类：</b></td><td>科技、教育\\科技</td></tr>
<tr><td class="b12c"><b>发文机关：</b></td><td>国务院办公厅</td>
<td class="b12c"><b>成文日期：</b></td><td>2018年12月5日</td></tr>
<tr><td class="b12c"><b>标　　题：</b></td>
<td colspan="3">国务院办公厅关于印发政务信息系统整合共享实施方案的通知</td></tr>
<tr><td class="b12c"><b>发文字号：</b></td><td>国办发〔2018〕123号</td>
<td class="b12c"><b>发布日期：</b></td><td>2018年12月10日</td></tr>
</tbody></table>
</div>
<div class="article oneColumn pub_border">
<h1>国务院办公厅关于印发政务信息系统整合共享实施方案的通知</h1>
<div class="pages-date">2018-12-10 17:04 <span class="font">来源： 中国政府网</span></div>
<div class="pages_content" id="UCAP-CONTENT">
<div class="TRS_Editor">
<p style="text-align: center;">国办发〔2018〕123号</p>
<p>各省、自治区、直辖市人民政府，国务院各部委、各直属机构：</p>
<p>　　《政务信息系统整合共享实施方案》已经国务院同意，
现印发给你们，请认真贯彻执行。</p>
<p>　　一、总体要求</p>
<p>　　（一）指导思想。全面贯彻党的十九大精神，<a href="/x">加快推进</a>政务信息系统整合共享。</p>
<p>　　二、工作任务</p>
<p>　　（二）消除“僵尸”信息系统。<br>各部门要开展自查。</p>
<p style="text-align: right;">国务院办公厅<br>2018年12月5日</p>
<p>（此件公开发布）</p>
</div>
<div class="share"><span>分享到：</span><a class="weixin" href="#">微信</a><a class="weibo" href="#">微博</a></div>
<div class="editor">责任编辑：王某</div>
</div>
<div class="pages_print"><a href="javascript:window.print()">【打印】</a> <a href="#">【关闭窗口】</a></div>
</div>
<div class="related"><h3>相关稿件</h3><ul><li><a href="/a">解读：整合共享</a></li></ul></div>
<div class="footer"><p>主办单位：国务院办公厅　运行维护单位：中国政府网运行中心</p><p>版权所有：中国政府网</p>
<script>var _hmt = _hmt || [];</script></div>
</body>
</html>
"""

GOV_CN_PARAGRAPHS = [
    "国办发〔2018〕123号",
    "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
    "《政务信息系统整合共享实施方案》已经国务院同意，现印发给你们，请认真贯彻执行。",
    "一、总体要求",
    "（一）指导思想。全面贯彻党的十九大精神，加快推进政务信息系统整合共享。",
    "二、工作任务",
    "（二）消除“僵尸”信息系统。",
    "各部门要开展自查。",
    "国务院办公厅",
    "2018年12月5日",
    "（此件公开发布）",
]

#: A ministry's English page: header, menu, breadcrumb, the article in <article> with a share bar, footer.
ENGLISH = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="ArticleTitle" content="Notice on Promoting Submarine Cable Protection">
<title>Notice on Promoting Submarine Cable Protection - Ministry of Industry and Information Technology</title>
<script src="/js/jquery.js"></script><script>trackPage();</script>
</head><body>
<header><div class="logo">MIIT</div><ul class="menu"><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/policies">Policies</a></li></ul></header>
<div class="crumbs"><a href="/">Home</a> &gt; <a href="/policies">Policies</a></div>
<article>
<h2>Notice on Promoting Submarine Cable Protection</h2>
<p>MIIT Communications [2024] No. 201</p>
<p>To the communications administrations of all provinces:</p>
<p>1. Strengthen the protection of submarine cables</p>
<p>(1) Improve the routing survey. Operators shall survey cable routes
   before laying <b>submarine cables</b> and share the results.</p>
<p>(2) Patrol the landing stations. Landing stations are patrolled every month.</p>
<p>2. Strengthen coordination</p>
<p>(1) Share information. Departments share fault reports within one day.</p>
<div class="share-bar"><a href="#">Share</a> <a href="#">Print</a></div>
</article>
<footer><p>Copyright Ministry of Industry and Information Technology</p></footer>
</body></html>
"""

ENGLISH_PARAGRAPHS = [
    "Notice on Promoting Submarine Cable Protection",
    "MIIT Communications [2024] No. 201",
    "To the communications administrations of all provinces:",
    "1. Strengthen the protection of submarine cables",
    "(1) Improve the routing survey. Operators shall survey cable routes before laying submarine cables and share "
    "the results.",
    "(2) Patrol the landing stations. Landing stations are patrolled every month.",
    "2. Strengthen coordination",
    "(1) Share information. Departments share fault reports within one day.",
]


def lines(page_html: str | bytes) -> list[str]:
    data = page_html.encode("utf-8") if isinstance(page_html, str) else page_html
    return read_page(data, "page.html").text.split("\n")


# -- the article and the facts ------------------------------------------------------------------------------------


def test_a_gov_cn_page_gives_its_article_a_paragraph_a_line_without_the_page_around_it():
    assert lines(GOV_CN) == GOV_CN_PARAGRAPHS


def test_a_gov_cn_page_gives_the_facts_of_its_table():
    assert read_page(GOV_CN.encode(), "page.html").facts == {
        "title": "国务院办公厅关于印发政务信息系统整合共享实施方案的通知",
        "number": "国办发〔2018〕123号",
        "issuers": ["国务院办公厅"],
        "date": "2018-12-05",  # 成文日期, not the later 发布日期
    }


def test_an_english_ministry_page_gives_its_article_and_its_title():
    page = read_page(ENGLISH.encode(), "page.html")
    assert page.text.split("\n") == ENGLISH_PARAGRAPHS
    assert page.facts == {"title": "Notice on Promoting Submarine Cable Protection"}


def test_the_title_element_loses_the_site_name_after_it():
    page = "<html><head><title>关于做好抗震设防工作的通知_部门政务_中国政府网</title></head><body>"
    page += "<div class='content'><p>一、抗震设防要求。各地要按照标准做好新建工程的抗震设防。</p></div></body></html>"
    assert read_page(page.encode(), "p.html").facts == {"title": "关于做好抗震设防工作的通知"}


@pytest.mark.parametrize(
    ("cells", "facts"),
    [
        # label and value in one cell, a date in ISO form, joint issuers, a document kind
        (
            "<td>发文字号：工信部联通信〔2024〕165号</td><td>成文日期：2024-09-04</td>"
            "<td>发文机关：工业和信息化部、国家发展改革委，财政部 自然资源部</td><td>公文种类：通知</td>",
            {
                "number": "工信部联通信〔2024〕165号",
                "date": "2024-09-04",
                "issuers": ["工业和信息化部", "国家发展改革委", "财政部", "自然资源部"],
                "type": "notice",
            },
        ),
        # 主题分类 is a subject, not a kind of document; a date that is not one is left out
        ("<td>主题分类：</td><td>城乡建设、环境保护</td><td>成文日期：</td><td>不详</td>", {}),
        # an English value keeps its spaces; labels may be spaced out to align the table
        (
            "<td>标　　题：</td><td>Notice on Cables</td><td>发 文 机 关</td><td>Ministry of Transport</td>",
            {"title": "Notice on Cables", "issuers": ["Ministry of Transport"]},
        ),
        # labels whose value cells are empty give nothing, and never the next label as a value
        ("<th>发文字号</th><th>成文日期</th><td>意见</td>", {}),
    ],
)
def test_facts_table_forms(cells, facts):
    page = f"<html><body><table><tr>{cells}</tr></table>"
    page += "<div class='TRS_Editor'><p>一、总体要求。各地区各部门要做好工作，确保取得实效。</p></div></body></html>"
    result = read_page(page.encode(), "p.html")
    assert result.facts == facts
    assert result.text == "一、总体要求。各地区各部门要做好工作，确保取得实效。"  # the table is never text


def test_the_innermost_facts_table_is_removed_not_a_layout_table_around_the_article():
    page = (
        "<html><body><table><tr><td><table><tr><td>发文字号：</td><td>国发〔2020〕1号</td>"
        "<td>成文日期：</td><td>2020年1月2日</td></tr></table></td></tr>"
        "<tr><td><p>一、总体要求。各地区各部门要认真贯彻落实。</p><p>二、保障措施。加强组织领导。</p></td></tr>"
        "</table></body></html>"
    )
    result = read_page(page.encode(), "p.html")
    assert result.facts == {"number": "国发〔2020〕1号", "date": "2020-01-02"}
    assert result.text.split("\n") == ["一、总体要求。各地区各部门要认真贯彻落实。", "二、保障措施。加强组织领导。"]


def test_without_a_known_container_the_densest_block_is_the_article():
    menu = "".join(f"<li><a href='/c{k}'>栏目名称第{k}个很长的链接文字</a></li>" for k in range(40))
    page = (
        f"<html><body><div id='top'><ul>{menu}</ul></div>"
        "<div id='side'><p>热点</p><p>专题</p></div>"
        "<div id='main-text'><div class='wrap'>"
        "<p>一、提高认识。各地要充分认识做好这项工作的重要意义，加强组织领导。</p>"
        "<p>二、明确任务。按照统一部署，分解落实各项任务，确保按期完成。</p>"
        "<p>三、加强督查。对工作不力的地区<a href='/x'>予以通报</a>，限期整改。</p>"
        "</div></div><div id='bottom'><p>网站标识码 bm00000001 备案号 京ICP备00000000号</p></div></body></html>"
    )
    assert lines(page) == [
        "一、提高认识。各地要充分认识做好这项工作的重要意义，加强组织领导。",
        "二、明确任务。按照统一部署，分解落实各项任务，确保按期完成。",
        "三、加强督查。对工作不力的地区予以通报，限期整改。",
    ]


def test_a_known_container_holding_only_links_is_passed_over():
    links = "".join(f"<a href='/n{k}'>Related notice number {k}</a> " for k in range(20))
    page = (
        f"<html><body><div class='content'>{links}</div>"
        "<div id='zoom'><p>1. General requirements. All regions shall report progress each quarter.</p></div>"
        "</body></html>"
    )
    assert lines(page) == ["1. General requirements. All regions shall report progress each quarter."]


# -- charsets -----------------------------------------------------------------------------------------------------


def test_a_gbk_page_declared_gb2312_is_read_as_gb18030():
    # 镕 is in GBK (and GB18030) but not in GB2312: pages labelled GB2312 hold such characters
    page = GOV_CN.replace("charset=utf-8", "charset=gb2312").replace("王某", "朱镕基").encode("gb18030")
    assert lines(page) == GOV_CN_PARAGRAPHS
    assert read_page(page, "p.html").facts["number"] == "国办发〔2018〕123号"


def test_meta_charset_is_honoured():
    page = "<html><head><meta charset='GBK'></head><body>"
    page += "<article><p>一、划拨用地管理。严格控制划拨用地范围。</p></article>"
    assert lines(page.encode("gbk")) == ["一、划拨用地管理。严格控制划拨用地范围。"]


def test_an_undeclared_page_is_utf8_else_gb18030():
    text = "<p>一、账号密码管理。各单位要定期更换账号密码。</p>"
    assert decode_page(text.encode("utf-8")) == text
    assert decode_page(text.encode("gb18030")) == text


def test_an_unknown_declared_charset_falls_back_to_detection():
    page = "<meta charset='x-no-such-charset'><article><p>二、工作要求。各地区各部门要认真组织实施。</p></article>"
    assert lines(page.encode("gb18030")) == ["二、工作要求。各地区各部门要认真组织实施。"]


@pytest.mark.parametrize("label", ["base64", "punycode", "unicode_escape", "rot13", "utf-16", "utf-7", "zlib"])
def test_a_codec_that_is_no_page_charset_is_ignored(label):
    page = f"<meta charset='{label}'><article><p>二、工作要求。各地区各部门要认真组织实施。</p></article>"
    assert lines(page.encode("utf-8")) == ["二、工作要求。各地区各部门要认真组织实施。"]


# -- the corpus -------------------------------------------------------------------------------------------------


def test_a_page_in_a_corpus_is_a_notice_with_the_facts_of_its_table(tmp_path: Path):
    (tmp_path / "123.html").write_text(GOV_CN, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.skipped == []
    [notice] = corpus.notices
    assert (notice.title, notice.number, notice.date, notice.issuers) == (
        "国务院办公厅关于印发政务信息系统整合共享实施方案的通知",
        "国办发〔2018〕123号",
        "2018-12-05",
        ["国务院办公厅"],
    )
    [translation] = notice.translations
    assert translation.received == "\n".join(GOV_CN_PARAGRAPHS)  # the text as received is the article's
    assert [s.id for s in translation.outline.sections] == ["1", "1.1", "2", "2.2"]
    assert outline_file(tmp_path / "123.html").metadata.number == "国办发〔2018〕123号"


def test_the_table_s_facts_win_over_what_the_text_seems_to_state(tmp_path: Path):
    page = GOV_CN.replace(
        '<p style="text-align: center;">国办发〔2018〕123号</p>', "<p>MIIT Communications [2024] No. 9</p>"
    )
    text, stated = source_text(page.encode(), "p.html")
    assert "MIIT Communications [2024] No. 9" in text
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    assert outline_file(tmp_path / "p.html").metadata.number == "国办发〔2018〕123号"


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        (
            "<html><head><script>var a = '一、总体要求。各地区各部门要认真落实。';</script></head><body></body></html>",
            "no article text",
        ),
        (
            "<html><body><nav>" + "<a href='/x'>a long navigation link</a>" * 50 + "</nav></body></html>",
            "no article text",
        ),
        (
            "<html><body><ul>" + "<li><a href='/x'>a long navigation link</a></li>" * 50 + "</ul></body></html>",
            "no article text",
        ),
        ("<html>\x00\x01binary", "binary"),
    ],
)
def test_a_page_without_article_text_is_a_skipped_source_with_a_one_line_reason(tmp_path: Path, page, reason):
    (tmp_path / "empty.html").write_bytes(page.encode("utf-8"))
    corpus = load_corpus(tmp_path)
    assert corpus.notices == []
    [line] = corpus.skipped
    assert line.startswith(f"{tmp_path / 'empty.html'}: ") and reason in line and "\n" not in line


def test_a_page_over_the_size_limit_is_refused_before_it_is_parsed():
    with pytest.raises(SourceError, match="too large"):
        source_text(b" " * (MAX_SOURCE_BYTES + 1), "big.html")


# -- hostile pages ------------------------------------------------------------------------------------------------


def test_ten_thousand_nested_elements_neither_crash_nor_lose_the_text():
    page = "<html><body>" + "<div>" * 10_000 + "<p>一、总体要求。深层嵌套的段落。</p>" + "</div>" * 10_000
    page += "<p>二、工作任务。嵌套之后的段落也要保留下来。</p></body></html>"
    assert lines(page) == ["一、总体要求。深层嵌套的段落。", "二、工作任务。嵌套之后的段落也要保留下来。"]


def test_ten_thousand_unclosed_inline_elements_are_read():
    page = "<html><body><div class='content'>" + "<b><i><span>" * 3_400 + "1. General requirements. Text."
    assert lines(page) == ["1. General requirements. Text."]


def test_thousands_of_nested_link_heavy_blocks_are_judged_in_one_pass():
    # judging each block by walking its subtree cost the square of the depth: 40 s of CPU for this page
    block = "<div>some text here<a href='#'>a link text that is much longer than the text</a>"
    page = "<html><body>" + block * 5_000 + "</div>" * 5_000 + "<p>一、总体要求。最后的段落仍然是正文。</p>"
    with pytest.raises(PageError, match="no article text"):  # links are most of every block's text
        read_page(page.encode(), "p.html")


def test_thousands_of_nested_tables_full_of_labels_are_read_once():
    # each label read its cell's text, which for nested tables is the rest of the page: quadratic without a bound
    page = "<html><body>" + "<table><tr><td>发文字号：</td><td>" * 3_000 + "国发〔2020〕1号"
    page += "</td></tr></table>" * 3_000 + "<article><p>1. Scope. This notice applies to all regions.</p></article>"
    assert lines(page) == ["1. Scope. This notice applies to all regions."]


def test_malformed_markup_is_read_as_a_browser_reads_it():
    page = (
        "<html><body><div class=TRS_Editor><p>一、总体要求<p>（一）指导思想。坚持<b>稳中求进</i>。"
        "</table></td><p>二、工作任务<!-- 未闭合的注释 --><p>（二）完善制度。</div></span>"
    )
    assert lines(page) == ["一、总体要求", "（一）指导思想。坚持稳中求进。", "二、工作任务", "（二）完善制度。"]


def test_a_page_at_the_size_limit_is_read():
    paragraph = "<p>（一）推进整合共享。" + "加快推进政务信息系统整合共享，" * 20 + "</p>\n"
    head = "<html><body><div id='UCAP-CONTENT'><p>一、总体要求</p>\n"
    count = (MAX_SOURCE_BYTES - len(head.encode()) - 100) // len(paragraph.encode())
    page = (head + paragraph * count + "</div></body></html>").encode()
    assert len(page) <= MAX_SOURCE_BYTES
    text, _ = source_text(page, "big.html")
    assert text.count("\n") == count


def test_script_text_is_never_kept_even_inside_the_article():
    page = "<article><p>1. Scope. Applies to all.</p><script>alert('1. Scope')</script><style>p{}</style></article>"
    assert lines(page) == ["1. Scope. Applies to all."]


def test_read_page_raises_its_own_error_kind():
    with pytest.raises(PageError):
        read_page(b"<html></html>", "empty.html")


# -- end to end -------------------------------------------------------------------------------------------------


def _runner() -> CliRunner:
    if "mix_stderr" in inspect.signature(CliRunner.__init__).parameters:
        return CliRunner(mix_stderr=False)
    return CliRunner()


def test_a_page_is_indexed_by_kb_index_and_found_by_kb_search(tmp_path: Path):
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    (corpus / "cables.html").write_text(ENGLISH, encoding="utf-8")
    (corpus / "empty.htm").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    runner = _runner()
    built = runner.invoke(cli, ["--index", str(index), "--corpus", str(corpus), "index", "--json"])
    assert built.exit_code == 0, built.stderr
    report = json.loads(built.stdout)
    assert any("empty.htm" in line and "no article text" in line for line in report["skipped"])
    found = runner.invoke(cli, ["--index", str(index), "--corpus", str(corpus), "search", "landing stations", "--json"])
    assert found.exit_code == 0, found.stderr
    results = json.loads(found.stdout)["results"]
    assert results[0]["section_label"] == "1 (2)"
    assert results[0]["notice_title"] == "Notice on Promoting Submarine Cable Protection"
    # the navigation, the share bar and the footer are not in the index
    for words in ("Copyright", "Policies"):
        missed = runner.invoke(cli, ["--index", str(index), "--corpus", str(corpus), "search", words, "--json"])
        assert json.loads(missed.stdout)["results"] == [], words


def test_kb_outline_and_kb_clean_read_a_page_as_indexing_does(tmp_path: Path):
    path = tmp_path / "123.html"
    path.write_text(GOV_CN, encoding="utf-8")
    runner = _runner()
    outlined = runner.invoke(cli, ["outline", str(path), "--json"])
    assert outlined.exit_code == 0, outlined.stderr
    assert json.loads(outlined.stdout)["number"] == "国办发〔2018〕123号"
    cleaned = runner.invoke(cli, ["clean", str(path)])
    assert cleaned.stdout.split("\n")[:2] == GOV_CN_PARAGRAPHS[:2]
    assert read_text(path)[0] == "\n".join(GOV_CN_PARAGRAPHS)
