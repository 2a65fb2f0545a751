"""Chinese structure (kb/outline_zh.py): heading styles, numbering kept as printed, titles, parts, the tail."""

from __future__ import annotations

from pathlib import Path

import pytest
from chinese_documents import FORWARDED, ISSUING_TWO, LAW_WITH_CONTENTS, REGULATION, RUN_IN, WITH_ATTACHMENTS

from kb import outline_zh
from kb.outline import MAX_HEADING_CANDIDATES, NoHeadingsError, TooManyHeadings, parse


def sections_of(text: str) -> list[tuple[str, str | None, str | None, bool]]:
    return [(s.id, s.title, s.parent, s.title_derived) for s in parse(text).sections]


def parts_of(text: str) -> list[tuple[int, str, str | None, str | None]]:
    return [(p.number, p.kind, p.title, p.label) for p in parse(text).parts]


# -- a covering notice with attachments -----------------------------------------------------------------------


def test_attachments_are_parts_that_restart_their_numbering():
    assert parts_of(WITH_ATTACHMENTS) == [
        (1, "attachment", "政务数据共享管理办法", "附件1"),
        (2, "attachment", "政务数据目录编制指南", "附件2"),
    ]
    assert sections_of(WITH_ATTACHMENTS) == [
        ("1", "总体要求", None, False),
        ("1.1", "指导思想", "1", False),
        ("1.2", "基本原则", "1", False),
        ("1.2.1", "坚持统筹推进", "1.2", False),
        ("1.2.2", "坚持安全可控", "1.2", False),
        ("2", "重点任务", None, False),
        ("2.3", "各地区、各部门要加强组织领导", "2", True),
        ("2.4", "建立目录管理制度", "2", False),
        ("3", "保障措施", None, False),
        ("3.5", "强化督促检查", "3", False),
        ("a1/front", None, None, False),
        ("a1/1", "总则", None, False),
        ("a1/1.1", "适用范围", "a1/1", False),
        ("a1/2", "共享要求", None, False),
        ("a1/2.1", "无条件共享", "a1/2", False),
        ("a1/2.2", "有条件共享", "a1/2", False),
        ("a2/front", None, None, False),
        ("a2/1", "编制原则", None, False),
        ("a2/2", "编制流程", None, False),
    ]


def test_bodies_labels_and_front_matter_of_a_covering_notice():
    o = parse(WITH_ATTACHMENTS)
    assert o.front == (
        "国务院办公厅关于推进政务数据共享\n工作的通知\n国办发〔2023〕21号\n\n"
        "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n为加快推进政务数据共享，经国务院同意，现就有关事项通知如下。"
    )
    # references inside sentences stay text: 2023年12月31日, 1.5亿元, 第（一）项, 第五条
    assert o.section("1.2.2").body == "落实数据安全责任，2023年12月31日前完成评估，投入1.5亿元。"
    assert o.section("2.4").body == "各部门要编制政务数据目录，依照第五条规定及时更新。"
    assert [s.label for s in o.sections[:4]] == ["一、", "（一）", "（二）", "1."]
    # an untitled item keeps its whole text as its body; its title is its first clause, marked as derived
    assert o.section("2.3").body.startswith("各地区、各部门要加强组织领导，明确责任分工，按照本通知第（一）项")
    # the list of attachments, the signature, the date and the note are in no section
    assert o.section("3.5").body == "国务院办公厅将适时开展督查。"
    assert o.section("a1/front").body == "为规范政务数据共享，制定本办法。"
    assert o.section("a2/1").body == "各部门按照统一标准编制目录。"


def test_signature_and_date_end_the_notice_s_own_text():
    from chinese_corpus import ZH

    o = parse(ZH)
    assert o.section("3").body == "各地区要落实网络安全等级保护制度，加强数据安全防护，防止数据泄露。"
    assert o.parts == []


# -- issued and forwarded documents -----------------------------------------------------------------------------


def test_a_notice_issuing_two_regulations_keeps_them_apart():
    """The 124号 case: the first regulation's items run through its headings, the second's restart."""
    assert parts_of(ISSUING_TWO) == [
        (1, "issued", "政务服务事项管理办法", None),
        (2, "issued", "政务服务评价规定", None),
    ]
    assert sections_of(ISSUING_TWO) == [
        ("a1/front", None, None, False),
        ("a1/1", "事项目录", None, False),
        ("a1/1.1", "编制目录", "a1/1", False),
        ("a1/1.2", "动态调整", "a1/1", False),
        ("a1/2", "办理流程", None, False),
        ("a1/2.3", "统一受理", "a1/2", False),
        ("a1/2.4", "限时办结", "a1/2", False),
        ("a1/3", "监督管理", None, False),
        ("a1/3.5", "加强监督", "a1/3", False),
        ("a2/front", None, None, False),
        ("a2/1", "评价内容", None, False),
        ("a2/1.1", "服务态度", "a2/1", False),
        ("a2/1.2", "办理效率", "a2/1", False),
        ("a2/2", "评价方式", None, False),
        ("a2/2.1", "现场评价", "a2/2", False),
    ]
    o = parse(ISSUING_TWO)
    assert o.front.endswith("现印发给你们，请认真贯彻执行。")  # no signature, date or note
    assert o.section("a1/front").body == "为加强政务服务事项管理，制定本办法。"
    assert o.section("a1/3.5").body == "各地区要建立监督制度。"  # not the second regulation's title


def test_a_forwarded_report_is_a_part_with_its_issuer_and_date_as_its_front_matter():
    assert parts_of(FORWARDED) == [(1, "forwarded", "关于加强基础设施建设管理的意见", None)]
    assert sections_of(FORWARDED) == [
        ("a1/front", None, None, False),
        ("a1/1", "严格项目审批", None, False),
        ("a1/2", "加强资金管理", None, False),
        ("a1/2.1", "建设资金必须专款专用", "a1/2", True),
        ("a1/2.2", "加强审计监督", "a1/2", False),
    ]
    o = parse(FORWARDED)
    assert o.front.endswith("现转发给你们，请认真贯彻执行。")
    assert (
        o.section("a1/front").body
        == "国家计委\n（一九九五年十二月二十日）\n\n为了加强基础设施建设管理，现提出以下意见："
    )


def test_an_issued_document_under_a_title_the_opening_does_not_quote_follows_the_date():
    text = ISSUING_TWO.replace("\n政务服务事项管理办法\n", "\n政务服务事项管理暂行办法\n")
    text = text[: text.index("政务服务评价规定\n\n一、")]
    assert parts_of(text) == [(1, "issued", "政务服务事项管理暂行办法", None)]
    assert [s.id for s in parse(text).sections][:2] == ["a1/front", "a1/1"]


def test_an_issued_document_named_in_a_title_without_quotation_marks():
    text = ISSUING_TWO.replace(
        "关于印发《政务服务事项管理办法》和\n《政务服务评价规定》的通知", "关于印发政务服务事项管理办法的通知"
    )
    text = text.replace("《政务服务事项管理办法》和《政务服务评价规定》已经", "有关办法已经")
    text = text.replace("国务院办公厅\n2018年12月30日\n", "")  # undated: the title line alone starts the part
    assert parts_of(text)[:1] == [(1, "issued", "政务服务事项管理办法", None)]
    assert [s.id for s in parse(text).sections][:2] == ["a1/front", "a1/1"]


@pytest.mark.parametrize("covering_dated", [True, False])
def test_a_second_issued_document_the_opening_does_not_quote_is_not_merged_into_the_first(covering_dated):
    text = ISSUING_TWO.replace("《政务服务事项管理办法》和\n《政务服务评价规定》", "《政务服务事项管理办法》等文件")
    text = text.replace("《政务服务事项管理办法》和《政务服务评价规定》已经", "《政务服务事项管理办法》等文件已经")
    if not covering_dated:
        text = text.replace("国务院办公厅\n2018年12月30日\n", "")
    assert parts_of(text) == parts_of(ISSUING_TWO)
    assert sections_of(text) == sections_of(ISSUING_TWO)


def test_a_document_s_own_titled_lines_do_not_start_another_document():
    text = ISSUING_TWO.replace(
        "（五）加强监督。各地区要建立监督制度。", "（五）加强监督。\n监督管理办法\n（六）细则。正文。"
    )
    assert len(parse(text).parts) == 2  # "监督管理办法" is over an item, not over a first heading
    assert parse(text).section("a1/3.6").title == "细则"


def test_an_attachment_label_and_title_on_one_line():
    text = "关于做好统计工作的通知\n各部门：\n现将有关事项通知如下。\n一、加强统计\n做好统计。\n"
    text += "国务院办公厅\n2020年1月2日\n"
    text += "附件1：统计报表制度\n一、报表种类\n年报和月报。\n"
    assert parts_of(text) == [(1, "attachment", "统计报表制度", "附件1")]
    assert sections_of(text) == [
        ("1", "加强统计", None, False),
        ("a1/front", None, None, False),
        ("a1/1", "报表种类", None, False),
    ]
    assert parse(text).section("1").body == "做好统计。"


def test_a_published_law_is_a_part_and_its_table_of_contents_is_its_front_matter():
    assert parts_of(LAW_WITH_CONTENTS) == [(1, "issued", "中华人民共和国数据登记法", None)]
    assert sections_of(LAW_WITH_CONTENTS) == [
        ("a1/front", None, None, False),
        ("a1/1", "总则", None, False),  # "总　　则": the blanks that space a title out are layout
        ("a1/1.1", "为了规范数据登记", "a1/1", True),
        ("a1/1.2", "本法所称数据登记是指依法记载数据权属的行…", "a1/1", True),
        ("a1/2", "登记管理", None, False),
        ("a1/2.3", "登记机关应当依法登记", "a1/2", True),
    ]
    o = parse(LAW_WITH_CONTENTS)
    assert o.section("a1/front").body.endswith("目\u3000\u3000录\n第一章\u3000总\u3000\u3000则\n第二章\u3000登记管理")
    assert "某某" not in o.front  # the signature ("中华人民共和国主席　某某") and the date end the order's text


@pytest.mark.parametrize(
    "after",
    [
        "（此件公开发布）",
        "（联系人：王某，电话：010-12345678）",
        "抄送：全国人大常委会办公厅，全国政协办公厅。\n国务院办公厅秘书局　2020年1月3日印发",
    ],
)
def test_notes_under_the_date_are_in_the_tail(after):
    text = "关于做好统计工作的通知\n各部门：\n现将有关事项通知如下。\n一、加强统计\n做好统计。\n"
    text += f"市长：某某\n2020年1月2日\n{after}\n"
    o = parse(text)
    assert o.section("1").body == "做好统计。"


def test_an_attachment_title_wrapped_over_lines_is_read_as_the_list_of_attachments_names_it():
    text = WITH_ATTACHMENTS.replace("附件1\n\n政务数据共享管理办法\n", "附件1\n\n政务数据共享\n管理办法\n")
    o = parse(text)
    assert o.parts[0].title == "政务数据共享管理办法"
    assert o.section("a1/front").body == "为规范政务数据共享，制定本办法。"


def test_an_undated_notice_s_attachments_are_found_though_an_attachment_is_dated():
    text = WITH_ATTACHMENTS.replace("国务院办公厅\n2023年6月1日\n（此件公开发布）\n", "")
    text = text.replace("二、共享要求", "财政部\n2023年5月1日\n二、共享要求")
    assert [p.label for p in parse(text).parts] == ["附件1", "附件2"]
    assert parse(text).section("3.5").body == "国务院办公厅将适时开展督查。"  # the list of attachments is tail


# -- heading styles ----------------------------------------------------------------------------------------------


def test_chapters_and_articles_numbered_straight_through():
    assert sections_of(REGULATION) == [
        ("1", "总则", None, False),
        ("1.1", "为了保障政务数据安全", "1", True),
        ("1.2", "本条例适用于各级行政机关", "1", True),
        ("2", "安全管理", None, False),
        ("2.3", "行政机关应当建立数据安全管理制度", "2", True),
        ("2.4", "依照第三条规定建立的制度应当向社会公布", "2", True),
        ("3", "附则", None, False),
        ("3.5", "本条例自2024年1月1日起施行", "3", True),
    ]
    o = parse(REGULATION)
    assert (
        o.section("2.3").body == "行政机关应当建立数据安全管理制度，包括：\n（一）数据分类分级；\n（二）访问权限管理。"
    )
    assert [o.section(i).label for i in ("1", "1.1", "3.5")] == ["第一章", "第一条", "第五条"]


def test_articles_without_chapters_are_the_top_level_and_run_past_ninety_nine():
    text = "条例\n" + "".join(
        f"第{n}条　本条规定第{n}项事务，依照有关规定办理。\n" for n in ("九十九", "一百", "一百零一")
    )
    assert [(s.id, s.label) for s in parse(text).sections] == [
        ("99", "第九十九条"),
        ("100", "第一百条"),
        ("101", "第一百零一条"),
    ]


def test_headings_run_in_after_sentences_and_titles():
    assert sections_of(RUN_IN) == [
        ("1", "总体要求", None, False),
        ("1.1", "指导思想", "1", False),
        ("1.2", "目标任务", "1", False),
        ("2", "重点工作", None, False),
        ("2.3", "加强监管", "2", False),
        ("2.4", "落实责任", "2", False),
    ]
    assert parse(RUN_IN).section("1.2").body == "到2025年，事故总量明显下降。"


def test_numbering_that_restarts_under_each_heading_is_read_too():
    text = "通知\n一、甲\n（一）子甲。正文。\n（二）子乙。正文。\n"
    text += "二、乙\n（一）子丙。正文。\n1.细则一。正文。\n2.细则二。正文。"
    assert [s.id for s in parse(text).sections] == ["1", "1.1", "1.2", "2", "2.1", "2.1.1", "2.1.2"]


def test_parenthesised_arabic_items_are_a_third_level_only_without_an_arabic_level():
    without = "通知\n一、甲\n（一）子甲。正文。\n（1）细则一。正文。\n（2）细则二。正文。"
    assert [s.id for s in parse(without).sections] == ["1", "1.1", "1.1.1", "1.1.2"]
    within = "通知\n一、甲\n（一）子甲。正文。\n1.细则一。正文。\n（1）要点一。\n（2）要点二。\n2.细则二。正文。"
    o = parse(within)
    assert [s.id for s in o.sections] == ["1", "1.1", "1.1.1", "1.1.2"]
    assert o.section("1.1.1").body == "正文。\n（1）要点一。\n（2）要点二。"


@pytest.mark.parametrize(
    "sentence",
    [
        "按照本通知第（三）项要求执行。",
        "依照第五条规定办理。",
        "总投资1.5亿元，2.3万人受益。",
        "2023年12月31日前完成。",
        "包括：（二）甲；（三）乙。",
    ],
)
def test_markers_inside_sentences_are_not_headings(sentence):
    text = f"通知\n一、甲\n（一）子甲。正文。\n（二）子乙。{sentence}\n二、乙\n正文。"
    o = parse(text)
    assert [s.id for s in o.sections] == ["1", "1.1", "1.2", "2"]
    assert o.section("1.2").body == sentence


# -- titles ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("建立目录管理制度。各部门要编制目录。", ("建立目录管理制度", "各部门要编制目录。", False)),
        ("明确共享责任\n各地区要加快推进。", ("明确共享责任", "各地区要加快推进。", False)),
        ("坚持问题导向，聚焦重点领域。正文。", ("坚持问题导向，聚焦重点领域", "正文。", False)),
        (
            "优先安排国有商业项目，以发挥国有企业在市场调控中的主渠道作用。",
            ("优先安排国有商业项目", "优先安排国有商业项目，以发挥国有企业在市场调控中的主渠道作用。", True),
        ),
        (
            "各地区、各部门要加强组织领导，明确责任分工，确保落实。",
            ("各地区、各部门要加强组织领导", "各地区、各部门要加强组织领导，明确责任分工，确保落实。", True),
        ),
        (
            "各地区要把政务数据共享工作摆上重要议事日程并纳入年度绩效考核体系。",
            (
                "各地区要把政务数据共享工作摆上重要议事日…",
                "各地区要把政务数据共享工作摆上重要议事日程并纳入年度绩效考核体系。",
                True,
            ),
        ),
    ],
)
def test_titles_and_derived_titles(content, expected):
    assert outline_zh.title_and_body(content) == expected


def test_the_untitled_threshold():
    """A first sentence of MAX_TITLE_CHARS characters is a title; one more and it is the item's text."""
    longest = "甲" * outline_zh.MAX_TITLE_CHARS
    assert outline_zh.title_and_body(longest + "。正文。")[::2] == (longest, False)
    assert outline_zh.title_and_body(longest + "乙。正文。")[2] is True


# -- what reads a text as Chinese, and hostile input --------------------------------------------------------------


def test_english_text_with_chinese_quotes_is_read_by_the_english_rules():
    text = "Notice on data sharing (政务数据共享)\n1. Strengthen planning\nBody.\n2. Deepen reform\nBody."
    assert not outline_zh.is_chinese(text)
    assert [s.id for s in parse(text).sections] == ["1", "2"]


def test_chinese_text_without_headings_is_refused():
    with pytest.raises(NoHeadingsError):
        parse("关于做好统计工作的通知\n各部门：\n请做好统计工作。\n国务院办公厅\n2020年1月2日")


@pytest.mark.parametrize(
    "text",
    [
        "标题\n" + "一、" * 90_000,
        "标题\n一、总体要求" + "（五）" * 90_000,
        "标题\n" + "（一）甲。\n" * 90_000,
        "标题\n" + "第一条" * 90_000,
        "标题\n一、甲" + "。”" * 200_000 + "（一）",
        "标题\n一、" + " " * 1_000_000 + "（一）" + "\u3000" * 100_000 + "二、",
        "关于印发《甲乙》的通知\n现将《甲乙》印发给你们。\n2018年1月1日\n" + "甲乙\n一、乙\n" * 20_000,
        "关于印发甲办法的通知\n现印发给你们。\n" + "一、甲\n乙管理办法\n" * 20_000,
        "标题\n通知如下。\n" + "附件：\n" + "1．甲\n" * 50_000,
        "标题\n目录\n" + "第一章 总则\n" * 50_000,
    ],
)
def test_hostile_texts_of_markers_are_outlined_quickly(text):
    # linear: each of these takes a fraction of a second (a quadratic step would take minutes)
    try:
        assert parse(text).sections
    except NoHeadingsError:  # a clear refusal is an answer too (a list of attachments and nothing else)
        pass


def test_more_markers_than_the_budget_are_refused():
    with pytest.raises(TooManyHeadings):
        parse("标题\n" + "（一）" * (MAX_HEADING_CANDIDATES + 1))


def test_parts_beyond_the_id_limit_stay_text_of_the_last_part():
    from kb.models import MAX_PARTS

    text = "标题\n通知如下。\n2018年1月1日\n" + "附件1\n甲\n一、乙\n" * (MAX_PARTS + 5)
    o = parse(text)
    assert len(o.parts) == MAX_PARTS and o.sections[-1].id == f"a{MAX_PARTS}/1"


@pytest.mark.parametrize(("token", "value"), [("三", 3), ("十", 10), ("三十一", 31), ("一百零五", 105), ("二一", None)])
def test_chinese_numbers(token, value):
    assert outline_zh.chinese_number(token) == value


# -- English translations of such notices -------------------------------------------------------------------------

TRANSLATION_WITH_ATTACHMENTS = """\
Notice of the General Office of the State Council on Promoting the Sharing of Government Data
Guo Ban Fa [2023] No. 21

To all ministries and agencies of the State Council:
The relevant matters are notified as follows.
1. Overall requirements
All regions shall act.
2. Key tasks
Text two.

Attachments: 1. Measures for Sharing Government Data
2. Guide to Compiling Catalogues

General Office of the State Council
1 June 2023

Attachment 1
Measures for Sharing Government Data
These measures are made to regulate sharing.
1. General provisions
(1) Scope. They apply to all departments.
2. Requirements
(1) Unconditional sharing. Data in the catalogue shall be shared.

Annex 2: Guide to Compiling Catalogues
1. Principles
Catalogues follow one standard.
"""


def test_an_english_translation_s_attachments_are_parts_as_in_the_original():
    o = parse(TRANSLATION_WITH_ATTACHMENTS)
    assert [(p.number, p.kind, p.title, p.label) for p in o.parts] == [
        (1, "attachment", "Measures for Sharing Government Data", "Attachment 1"),
        (2, "attachment", "Guide to Compiling Catalogues", "Annex 2"),
    ]
    assert [(s.id, s.title, s.parent) for s in o.sections] == [
        ("1", "Overall requirements", None),
        ("2", "Key tasks", None),
        ("a1/front", None, None),
        ("a1/1", "General provisions", None),
        ("a1/1.1", "Scope", "a1/1"),
        ("a1/2", "Requirements", None),
        ("a1/2.1", "Unconditional sharing", "a1/2"),
        ("a2/front", None, None),
        ("a2/1", "Principles", None),
    ]
    assert o.section("a1/front").body == "These measures are made to regulate sharing."
    assert o.metadata.title.startswith("Notice of the General Office")
    # the ids align with the original's: the same attachments, the same numbering within each
    original = {s.id for s in parse(WITH_ATTACHMENTS).sections}
    assert {"a1/front", "a1/1", "a1/1.1", "a1/2", "a1/2.1", "a2/front", "a2/1"} <= original


@pytest.mark.parametrize(
    "line",
    ["Attachment 1 lists the members of the group.", "Annexes: 1. Rules", "Attachment: 1. Rules for Data Sharing"],
)
def test_english_lines_that_name_attachments_without_starting_one_are_text(line):
    text = f"Notice on things\n1. Strengthen planning\n{line}\n2. Deepen reform\nText."
    o = parse(text)
    assert o.parts == [] and [s.id for s in o.sections] == ["1", "2"]
    assert o.section("1").body == line


def test_english_bomb_of_part_labels_is_capped_at_the_id_limit():
    from kb.models import MAX_PARTS

    o = parse("Notice\n1. Plan\nText.\n" + "Annex 1: Rules\n1. Scope\nText.\n" * (MAX_PARTS + 50))
    assert len(o.parts) == MAX_PARTS and o.sections[-1].id == f"a{MAX_PARTS}/1"


def test_an_english_translation_numbering_items_straight_through_keeps_the_printed_numbers():
    text = (
        "Notice on Promoting the Sharing of Government Data\n"
        "1. Overall requirements\n(1) Guiding thought. Text.\n(2) Basic principles. Text.\n"
        "2. Key tasks\n(3) Strengthen leadership. Text.\n(4) Build a catalogue system. Text.\n"
        "3. Safeguards\n(5) Strengthen supervision. Text.\n(6) Report progress. Text.\n"
    )
    ids = [s.id for s in parse(text).sections]
    assert ids == ["1", "1.1", "1.2", "2", "2.3", "2.4", "3", "3.5", "3.6"]
    original = [s.id for s in parse(WITH_ATTACHMENTS).sections if not s.id.part and s.id.level < 3]
    assert ids[:8] == original


REGULATION_TRANSLATION = """\
Regulations on the Security of Government Data

Chapter I General Provisions
Article 1 These Regulations are formulated to safeguard the security of government data.
Article 2 These Regulations apply to administrative organs at all levels.
Chapter II Security Management
Article 3 Administrative organs shall establish a system for the security of data, including:
(1) classifying data;
(2) managing access.
Article 4 A system established under Article 3 shall be made public.
Chapter III Supplementary Provisions
Article 5 These Regulations shall come into force on 1 January 2024.
"""


def test_an_english_regulation_s_chapters_and_articles_align_with_the_original():
    o = parse(REGULATION_TRANSLATION)
    assert [(s.id, s.parent, s.label, s.title_derived) for s in o.sections] == [
        ("1", None, "Chapter I", False),
        ("1.1", "1", "Article 1", True),
        ("1.2", "1", "Article 2", True),
        ("2", None, "Chapter II", False),
        ("2.3", "2", "Article 3", True),
        ("2.4", "2", "Article 4", True),
        ("3", None, "Chapter III", False),
        ("3.5", "3", "Article 5", True),
    ]
    assert [s.id for s in o.sections] == [s.id for s in parse(REGULATION).sections]
    assert o.section("1").title == "General Provisions"
    assert o.section("1.1").title == "These Regulations are formulated to safeguard the security…"
    assert o.section("2.3").body.endswith("including:\n(1) classifying data;\n(2) managing access.")
    assert o.section("2.4").body == "A system established under Article 3 shall be made public."


def test_english_articles_without_chapters_are_sections_and_references_are_text():
    text = "Measures\nArticle 1 To regulate sharing, these Measures are made.\nArticle 2 They apply. See Article 1.\n"
    o = parse(text)
    assert [(s.id, s.title, s.title_derived) for s in o.sections] == [
        ("1", "To regulate sharing", True),
        ("2", "They apply", True),
    ]
    assert o.section("2").body == "They apply. See Article 1."


def test_the_closing_lines_are_kept_apart_from_every_section_and_shown_after_the_notices_text():
    from kb.models import Notice, Translation
    from kb.render import to_markdown

    o = parse(WITH_ATTACHMENTS)
    listed = "附件：1．政务数据共享管理办法\n      2．政务数据目录编制指南"
    assert o.closing == {0: f"{listed}\n\n国务院办公厅\n2023年6月1日\n（此件公开发布）"}
    assert not any("国务院办公厅\n2023年6月1日" in s.body for s in o.sections)
    translation = Translation("zh", "Chinese original", Path("zh.txt"), "n", o)
    page = to_markdown(Notice("n", "T", None, None, [], [translation]), translation)
    own_end, first_part = page.index("国务院办公厅将适时开展督查"), page.index("{#a1-front}")
    assert own_end < page.index("2023年6月1日\n{: .closing }") < first_part
