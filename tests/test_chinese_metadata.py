"""Metadata of Chinese notices: document numbers, titles over several lines, issuing bodies, dates, types.

The notices are written in the style of State Council General Office documents: a title (often over two or
three lines), the document number, the addressees, the text, and at the end the issuing bodies over the date.
Each is outlined as a source file is (:func:`kb.corpus.outline_text`) and its metadata compared whole.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb import metadata
from kb.corpus import load_corpus, outline_text
from kb.metadata import chinese_number, document_number, document_type, number_key, parse_date

#: A covering notice that issues a plan (国办发〔2018〕123号-like): a title over three lines, the signature and
#: date before the plan, a date in the plan's text that is not the notice's.
ISSUING_NOTICE = """\
国务院办公厅关于印发
科技领域中央与地方财政事权和支出责任
划分改革方案的通知
国办发〔2018〕123号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
《科技领域中央与地方财政事权和支出责任划分改革方案》已经国务院同意，现印发给你们，请认真贯彻执行。

国务院办公厅
2018年12月29日
（此件公开发布）

科技领域中央与地方财政事权和支出责任划分改革方案

一、总体要求
以习近平新时代中国特色社会主义思想为指导，合理划分科技领域财政事权和支出责任。
二、主要内容
（一）科技研发。主要包括基础研究、应用研究和技术开发等。
（二）科技创新基地建设发展。主要包括国家实验室建设等。
三、配套措施
本方案自2019年1月1日起实施。
"""

#: A forwarding notice (国办发〔1996〕2号-like): the covering notice's signature and its date in Chinese numerals,
#: then the forwarded report with its own author and date.
FORWARDING_NOTICE = """\
国务院办公厅转发国家体改委关于一九九六年
经济体制改革要点的通知
国办发〔1996〕2号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
国家体改委《关于一九九六年经济体制改革要点》已经国务院同意，现转发给你们，请认真贯彻执行。

国务院办公厅
一九九六年二月五日

关于一九九六年经济体制改革要点
国家体改委
（一九九六年一月二十日）

一、深化国有企业改革
选择一批国有大中型企业进行现代企业制度试点。
二、加快培育市场体系
发展和规范要素市场。
"""

#: Joint issuers named in the title with a blank between them, signed on one line, a number in ［］.
JOINT_BLANK = """\
工业和信息化部 国家发展改革委关于推进新型信息基础设施协调发展的指导意见
工信部联通信［2024］165号

各省、自治区、直辖市工业和信息化主管部门、发展改革委：
为推进新型信息基础设施协调发展，现提出以下意见。

一、总体要求
统筹推进网络基础设施建设。
二、重点任务
（一）加强5G网络建设。到2025年底，5G基站数量达到400万个。

工业和信息化部　国家发展改革委
2024年3月5日
"""

#: Joint issuers named with 、, signed one a line, dated in Chinese numerals with 〇, a number in （）.
JOINT_ENUMERATED = """\
国务院办公厅、中央军委办公厅关于加强
退役军人服务保障工作的意见
国办发（2018）125号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构，各战区、各军兵种：
经国务院、中央军委同意，现就加强退役军人服务保障工作提出如下意见。

一、健全服务保障体系
建立退役军人服务中心。
二、落实保障措施
各地区要在2019年6月30日前完成机构组建。

国务院办公厅
中央军委办公厅
二〇一八年十二月三十日
"""

#: "教育部等十部门": the title names one issuer and says there are more; the signature lists them, one a line.
AND_OTHERS = """\
教育部等三部门关于加强中小学科学教育工作的通知
教基〔2023〕2号

各省、自治区、直辖市教育厅（教委）、科技厅（委、局）、财政厅（局）：
为加强中小学科学教育工作，现就有关事项通知如下。

一、提高认识
科学教育是提升国民素质的重要内容。
二、加强保障
各地要加大经费投入。

教育部
科技部
财政部
2023年5月17日
"""

#: An English translation whose title is broken over two lines and whose signature and date close it.
ENGLISH_TWO_LINE_TITLE = """\
Notice of the General Office of the State Council on Issuing the
Reform Plan for the Division of Fiscal Authority in Science and Technology
Guo Ban Fa [2018] No. 123

To the people's governments of all provinces, autonomous regions and municipalities:
The Reform Plan has been approved by the State Council and is hereby issued to you.

1. General requirements
Divide the fiscal authority reasonably.
2. Main content
Basic research and applied research. The plan takes effect on 1 January 2019.

General Office of the State Council
29 December 2018
"""


def meta(text: str) -> tuple:
    m = outline_text(text, "notice.txt").metadata
    return m.title, m.number, m.issuers, m.date, document_type(m.title)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            ISSUING_NOTICE,
            (
                "国务院办公厅关于印发科技领域中央与地方财政事权和支出责任划分改革方案的通知",
                "国办发〔2018〕123号",
                ["国务院办公厅"],
                "2018-12-29",
                "notice",
            ),
        ),
        (
            FORWARDING_NOTICE,
            (
                "国务院办公厅转发国家体改委关于一九九六年经济体制改革要点的通知",
                "国办发〔1996〕2号",
                ["国务院办公厅"],
                "1996-02-05",
                "notice",
            ),
        ),
        (
            JOINT_BLANK,
            (
                "工业和信息化部 国家发展改革委关于推进新型信息基础设施协调发展的指导意见",
                "工信部联通信〔2024〕165号",
                ["工业和信息化部", "国家发展改革委"],
                "2024-03-05",
                "opinions",
            ),
        ),
        (
            JOINT_ENUMERATED,
            (
                "国务院办公厅、中央军委办公厅关于加强退役军人服务保障工作的意见",
                "国办发〔2018〕125号",
                ["国务院办公厅", "中央军委办公厅"],
                "2018-12-30",
                "opinions",
            ),
        ),
        (
            AND_OTHERS,
            (
                "教育部等三部门关于加强中小学科学教育工作的通知",
                "教基〔2023〕2号",
                ["教育部", "科技部", "财政部"],
                "2023-05-17",
                "notice",
            ),
        ),
        (
            ENGLISH_TWO_LINE_TITLE,
            (
                "Notice of the General Office of the State Council on Issuing the Reform Plan for the Division of "
                "Fiscal Authority in Science and Technology",
                "Guo Ban Fa [2018] No. 123",
                ["General Office of the State Council"],
                "2018-12-29",
                "notice",
            ),
        ),
    ],
    ids=["issuing", "forwarding", "joint-blank", "joint-enumerated", "and-others", "english-two-lines"],
)
def test_a_notice_s_metadata(text, expected):
    assert meta(text) == expected


def test_the_signature_gives_the_issuers_when_the_title_names_none():
    text = ISSUING_NOTICE.replace("国务院办公厅关于印发", "关于印发", 1)
    assert meta(text)[2] == ["国务院办公厅"]


def test_a_date_in_the_text_is_not_the_notice_s_date():
    # no signature and no date line: "自2019年1月1日起实施" and "2019年6月30日前" are dates of other things
    unsigned = ISSUING_NOTICE.replace("国务院办公厅\n2018年12月29日\n", "")
    assert meta(unsigned)[3] is None
    assert meta(JOINT_ENUMERATED.replace("国务院办公厅\n中央军委办公厅\n二〇一八年十二月三十日\n", ""))[3] is None


def test_the_date_under_the_signature_wins_over_a_date_line_at_the_top():
    text = JOINT_BLANK.replace("工信部联通信［2024］165号\n", "工信部联通信［2024］165号\n（2024年2月1日）\n")
    assert meta(text)[3] == "2024-03-05"
    assert meta(text.replace("2024年3月5日\n", ""))[3] == "2024-02-01"


@pytest.mark.parametrize(
    "line",
    [
        "国办发〔2018〕123号",
        "国办发［2018］123号",
        "国办发[2018]123号",
        "国办发（2018）123号",
        "国办发(2018)123号",
        "国办发【2018】123号",
        "国办发〔２０１８〕１２３号",
        "国办发 〔2018〕 123 号",
        "（国办发〔2018〕123号）",
        "发文字号：国办发〔2018〕0123号",
    ],
)
def test_document_number_bracket_variants(line):
    text = ISSUING_NOTICE.replace("国办发〔2018〕123号", line)
    assert meta(text)[1] == "国办发〔2018〕123号"
    assert chinese_number(line) == "国办发〔2018〕123号"


def test_a_number_cited_in_a_sentence_is_not_the_notice_s():
    text = ISSUING_NOTICE.replace(
        "国办发〔2018〕123号\n", "根据《国务院关于优化科研管理的若干意见》（国发〔2018〕25号），现予印发。\n"
    )
    assert meta(text)[1] is None
    assert document_number("根据《若干意见》（国发〔2018〕25号）精神") is None


def test_traditional_characters():
    text = (
        "國務院辦公廳關於加強政務數據共享工作的通知\n國辦發〔2023〕15號\n"
        "一、明確共享責任\n實現數據共享。\n國務院辦公廳\n二〇二三年五月十日\n"
    )
    assert meta(text) == (
        "國務院辦公廳關於加強政務數據共享工作的通知",
        "國辦發〔2023〕15號",
        ["國務院辦公廳"],
        "2023-05-10",
        "notice",
    )


@pytest.mark.parametrize(
    ("stamp", "iso"),
    [
        ("一九九六年二月五日", "1996-02-05"),
        ("二〇一八年十二月二十九日", "2018-12-29"),
        ("二○一八年十二月三十一日", "2018-12-31"),
        ("二零一九年一月十日", "2019-01-10"),
        ("2018年12月29日", "2018-12-29"),
        ("２０１８年１２月２９日", "2018-12-29"),
        ("二〇一八年二月三十日", None),  # no such day
        ("二〇一八年十三月一日", None),
    ],
)
def test_dates_in_arabic_or_chinese_numerals(stamp, iso):
    assert parse_date(stamp) == iso
    text = ISSUING_NOTICE.replace("2018年12月29日", stamp)
    assert meta(text)[3] == iso


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("国务院关于加强数字政府建设的指导意见", "opinions"),
        ("国务院办公厅关于推进养老服务发展的实施意见", "opinions"),
        ("政府信息公开管理办法（试行）", "measures"),
        ("国务院关于修改部分行政法规的决定", "decision"),
        ("国家知识产权局公告", "announcement"),
        ("政务数据共享管理规定", "provisions"),
        ("中华人民共和国政府信息公开条例", "regulations"),
        ("中华人民共和国数据安全法", "law"),
        ("国务院办公厅关于印发全国一体化政务大数据体系建设指南的通知", "notice"),
        ("科技领域中央与地方财政事权和支出责任划分改革方案", "plan"),
        ("科研项目经费评价方法", None),  # 方法 is a method, not a law
        ("国务院关于同意设立某某新区的批复", None),
        ("Guiding Opinions on Cables", "opinions"),
    ],
)
def test_document_type_of_a_title(title, kind):
    assert document_type(title) == kind


# -- one notice in two scripts -------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "国办发〔2018〕123号",
        "國辦發〔2018〕123號",
        "国办发［２０１８］０１２３号",
        "Guo Ban Fa [2018] No. 123",
        "Guobanfa [2018] No.123",
        "GUO BAN FA [2018] NO. 123",
        "guo ban fa [2018] no. 123",
        "Guó Bàn Fā〔2018〕123",
    ],
)
def test_number_key_is_one_for_a_number_in_either_script(written):
    assert number_key(written) == number_key("国办发〔2018〕123号") == "guobanfa 2018 123"


@pytest.mark.parametrize(
    "other", ["国办发〔2018〕124号", "国办发〔2019〕123号", "国发〔2018〕123号", "Guo Fa [2018] No. 123"]
)
def test_number_key_differs_for_different_numbers(other):
    assert number_key(other) != number_key("国办发〔2018〕123号")


def test_the_seed_number_reads_as_before():
    assert document_number("MIIT Communications[2024]No.165") == "MIIT Communications [2024] No. 165"
    assert number_key("MIIT Communications [2024] No. 165") == "miitcommunications 2024 165"
    assert number_key("Order No. 5") is None


ENGLISH_123 = ENGLISH_TWO_LINE_TITLE


@pytest.mark.parametrize("names", [("a-zh.txt", "b-en.txt"), ("b-zh.txt", "a-en.txt")])
def test_load_corpus_groups_a_chinese_file_and_its_translation_without_a_manifest(tmp_path, names):
    zh_name, en_name = names
    (tmp_path / zh_name).write_text(ISSUING_NOTICE, encoding="utf-8")
    (tmp_path / en_name).write_text(ENGLISH_123, encoding="utf-8")
    (tmp_path / "other.txt").write_text(ISSUING_NOTICE.replace("123号", "124号"), encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert sorted(n.id for n in corpus.notices) == ["guo-ban-fa-2018-123", "guo-ban-fa-2018-124"]
    notice = corpus.notice("guo-ban-fa-2018-123")
    # the original first and naming the notice, whichever file is read first
    assert [t.path.name for t in notice.translations] == [zh_name, en_name]
    assert (notice.title, notice.number) == (
        "国务院办公厅关于印发科技领域中央与地方财政事权和支出责任划分改革方案的通知",
        "国办发〔2018〕123号",
    )
    assert notice.date == "2018-12-29"
    assert notice.doc_type == "notice"
    assert [t.path.name for t in corpus.notice("guo-ban-fa-2018-124").translations] == ["other.txt"]


def test_a_notice_id_from_a_chinese_number_is_its_pinyin():
    from kb.corpus import notice_slug

    assert notice_slug("国办发〔2018〕123号", "x") == notice_slug("Guo Ban Fa [2018] No. 123", "y")
    assert notice_slug("MIIT Communications [2024] No. 165", "x") == "miit-communications-2024-165"


def test_the_end_of_a_notice_is_read_from_its_last_section():
    # the tail outline.py passes is the last section's body: a signature beyond TAIL_CHARS of text is not read
    long_end = ISSUING_NOTICE + "各地区要认真落实。" * (metadata.TAIL_CHARS // 5) + "\n国务院办公厅\n2019年1月2日\n"
    assert meta(long_end)[3] == "2018-12-29"  # the covering notice's own signature, in the front matter


def test_a_signature_and_its_date_on_one_line():
    text = JOINT_BLANK.replace(
        "工业和信息化部　国家发展改革委\n2024年3月5日", "工业和信息化部　国家发展改革委　2024年3月5日"
    )
    assert meta(text)[2:4] == (["工业和信息化部", "国家发展改革委"], "2024-03-05")
    text = AND_OTHERS.replace("财政部\n2023年5月17日", "财政部 2023年5月17日")
    assert meta(text)[2:4] == (["教育部", "科技部", "财政部"], "2023-05-17")


def test_lines_copied_from_a_page_under_the_title_are_not_part_of_it():
    text = ISSUING_NOTICE.replace(
        "划分改革方案的通知\n", "划分改革方案的通知\n2018-12-29 17:04 来源：中国政府网\n【字体：大 中 小】\n", 1
    )
    assert meta(text)[0] == "国务院办公厅关于印发科技领域中央与地方财政事权和支出责任划分改革方案的通知"


#: Pieces that make numbers, dates, titles and signatures meet in every way, well formed or not.
PIECES = [
    "国办发", "〔", "［", "(", "2018", "２０１８", "〕", "］", ")", "123", "号", "\n", " ", "\u3000", "国务院办公厅",
    "、", "年", "月", "日", "一九九六", "〇", "十二", "二十九", "三十二", "关于", "转发", "等十部门", "的通知", "：",
    "。", "（", "）", "Guo Ban Fa", "[", "]", "No.", "December 29, 2018", "Ministry of Finance", "特此通知",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join), st.lists(st.sampled_from(PIECES), max_size=20))
def test_any_text_gives_metadata_without_error(front, tail):
    m = metadata.detect(front, tail="".join(tail))
    assert m.date is None or dt.date.fromisoformat(m.date)
    assert all(name.strip() for name in m.issuers)
    if m.number:
        assert number_key(m.number) is not None


def test_a_note_of_adoption_under_a_title_is_not_part_of_it_but_a_qualifier_is():
    regulation = (
        "中华人民共和国政府信息公开条例\n（2007年4月5日中华人民共和国国务院令第492号公布　"
        "2019年4月3日中华人民共和国国务院令第711号修订）\n"
        "第一章　总则\n第一条　为了保障公民依法获取政府信息，制定本条例。\n一、总则\n正文。\n"
    )
    assert meta(regulation)[0] == "中华人民共和国政府信息公开条例"
    measures = "政务数据共享管理办法\n（试行）\n一、总则\n各部门应当共享数据。\n"
    assert meta(measures)[0] == "政务数据共享管理办法（试行）"
    assert meta(measures)[4] == "measures"


def test_a_signature_and_date_on_one_line_is_not_the_last_items_text():
    text = JOINT_BLANK.replace(
        "工业和信息化部　国家发展改革委\n2024年3月5日", "工业和信息化部　国家发展改革委　2024年3月5日"
    )
    last = outline_text(text, "notice.txt").sections[-1]
    assert "2024年3月5日" not in last.body and "国家发展改革委" not in last.body
