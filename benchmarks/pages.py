"""Reading saved web pages: kb/pages.py next to the standard library's html.parser on the same pages.

    python benchmarks/pages.py [--runs 5]

Pages, all built here: a gov.cn-style notice page (navigation, facts table,
scripts, an article in ``UCAP-CONTENT``/``TRS_Editor``, footer) grown to
1 MB and to just under the 5 MB source limit with article paragraphs; the
5 MB page as GB18030 declared ``gb2312``; 10,000 nested ``<div>`` elements;
3,400 x 3 unclosed inline elements; 5,000 nested blocks that are mostly links;
3,000 nested tables each with a facts label.

*kb* is :func:`kb.pages.read_page` (decode, parse, find the article, read the
facts table, write a line a paragraph: everything an index build does with a
page before cleaning). *html.parser* is the baseline a project without an
HTML library would write: :class:`html.parser.HTMLParser` collecting the text
outside ``<script>``/``<style>`` (no body finding, no facts, so it does less).
*lxml*, when it is installed (it is not a dependency), is ``lxml.html``
parsing the same bytes and taking the whole text, with the number of
characters it kept: the alternative that was measured against Lexbor.
Times are CPU seconds (:func:`time.process_time`), the median of ``--runs``
runs, measured in the same process one after the other; the ratio is kb /
html.parser. The machine is shared and noisy: read the ratios, not the
absolute times.
"""

from __future__ import annotations

import argparse
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from timing import median_cpu  # noqa: E402

from kb.pages import Page, PageError, read_page  # noqa: E402
from kb.sources import MAX_SOURCE_BYTES  # noqa: E402

_HEAD = """<!DOCTYPE html><html lang="zh-CN"><head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>国务院办公厅关于印发政务信息系统整合共享实施方案的通知_国务院文件_中国政府网</title>
<script>var a = 1;</script><style>p {{ margin: 0 }}</style></head><body>
<div class="header">{links}</div><div class="BreadcrumbNav"><a href="/">首页</a> &gt; 国务院文件</div>
<table><tr><td>发文机关：</td><td>国务院办公厅</td><td>成文日期：</td><td>2018年12月5日</td></tr>
<tr><td>发文字号：</td><td>国办发〔2018〕123号</td><td>标题：</td><td>关于印发实施方案的通知</td></tr></table>
<div class="pages_content" id="UCAP-CONTENT"><div class="TRS_Editor">
<p>一、总体要求</p>
"""
_SENTENCE = "各地区各部门要按照统一部署，<b>加快</b>推进政务信息系统整合共享，"
_PARAGRAPH = "<p>　　（一）加快推进整合共享。" + _SENTENCE * 6 + "</p>\n"
_TAIL = '</div><div class="share"><a href="#">微信</a></div></div><div class="footer">版权所有</div></body></html>'


def gov_page(size: int, charset: str = "utf-8") -> bytes:
    """A gov.cn-style page of about ``size`` bytes (never more) in ``charset``."""
    links = "".join(f'<a href="/c{k}">栏目{k}</a>' for k in range(200))
    head, tail = _HEAD.format(charset=charset, links=links), _TAIL
    unit = len(_PARAGRAPH.encode(charset))
    count = (size - len((head + tail).encode(charset))) // unit
    return (head + _PARAGRAPH * count + tail).encode(charset)


def nested(depth: int) -> bytes:
    paragraph = "<p>一、总体要求。深层嵌套的段落也是文章的正文。</p>"
    return ("<html><body>" + "<div>" * depth + paragraph + "</div>" * depth).encode()


def link_heavy(count: int) -> bytes:
    block = "<div>some text here<a href='#'>a link text that is much longer than the text</a>"
    return ("<html><body>" + block * count + "</div>" * count).encode()


def label_tables(count: int) -> bytes:
    opening, closing = "<table><tr><td>发文字号：</td><td>", "</td></tr></table>"
    page = "<html><body>" + opening * count + "国发〔2020〕1号" + closing * count
    return (page + "<article><p>1. Scope. This notice applies to all regions.</p></article>").encode()


def unclosed(count: int) -> bytes:
    return ("<html><body><div class='content'>" + "<b><i><span>" * count + "1. General requirements.").encode()


class _Text(HTMLParser):
    """The baseline: every text outside script and style, with the standard library's parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def stdlib_text(data: bytes) -> str:
    parser = _Text()
    parser.feed(data.decode("utf-8", "replace") if b"gb2312" not in data[:500] else data.decode("gb18030"))
    parser.close()
    return "".join(parser.parts)


def lxml_text(data: bytes) -> str:
    import lxml.html

    try:
        return lxml.html.document_fromstring(data).text_content()
    except Exception:  # lxml raises ParserError for a document it reads as empty
        return ""


def _read(data: bytes, name: str) -> None:
    try:
        read_page(data, name)
    except PageError:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    pages = {
        "gov.cn page, 1 MB": gov_page(1_000_000),
        "gov.cn page, 5 MB": gov_page(MAX_SOURCE_BYTES),
        "gov.cn page, 5 MB, GB18030 (declared gb2312)": gov_page(MAX_SOURCE_BYTES, "gb2312"),
        "10,000 nested <div>": nested(10_000),
        "10,200 unclosed inline elements": unclosed(3_400),
        "5,000 nested link-heavy blocks": link_heavy(5_000),
        "3,000 nested tables of labels": label_tables(3_000),
    }
    try:
        import lxml.html  # noqa: F401

        has_lxml = True
    except ImportError:
        has_lxml = False
    print(
        f"{'page':<46} {'bytes':>10} {'kb (s)':>8} {'html.parser (s)':>16} {'ratio':>6} {'lxml (s)':>9} "
        f"{'lxml kept':>10}  kb's result"
    )
    for name, data in pages.items():
        try:
            page = read_page(data, name)
        except PageError as e:
            page = Page(f"refused: {str(e).split(': ', 1)[1]}")
        ours = median_cpu(lambda data=data, name=name: _read(data, name), runs)
        base = median_cpu(lambda data=data: stdlib_text(data), runs)
        lxml_time = f"{median_cpu(lambda data=data: lxml_text(data), runs):>9.3f}" if has_lxml else f"{'-':>9}"
        kept = f"{len(lxml_text(data).strip()):>10,}" if has_lxml else f"{'-':>10}"
        result = (
            page.text
            if page.text.startswith("refused")
            else (f"{page.text.count(chr(10)) + 1} lines, {len(page.text):,} characters, {len(page.facts)} facts")
        )
        times = f"{ours:>8.3f} {base:>16.3f} {ours / base:>6.2f} {lxml_time}"
        print(f"{name:<46} {len(data):>10,} {times} {kept}  {result}")


if __name__ == "__main__":
    main()
