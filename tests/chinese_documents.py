"""Chinese notices for the tests, written in the style of State Council General Office documents.

Each shows a way real notices are laid out: headings on their own lines
and run in, item numbering that runs straight through the top-level
headings, a third level, untitled items, a covering notice with attachments,
one that issues two regulations (the style of 国办发〔2018〕124号), one that
forwards a ministry's report (the style of 国办发〔1996〕2号, dated in Chinese
numerals), regulations in chapters and articles, and the signature and date
at the end. Colleagues' tests (metadata, search) may use them too.
"""

from __future__ import annotations

#: A covering notice with its own structure, continuous numbering, a third level, an untitled item, references
#: that are no headings, a list of attachments, the signature and date, then two attachments that restart at 一、.
WITH_ATTACHMENTS = """\
国务院办公厅关于推进政务数据共享
工作的通知
国办发〔2023〕21号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
为加快推进政务数据共享，经国务院同意，现就有关事项通知如下。

一、总体要求
（一）指导思想。以习近平新时代中国特色社会主义思想为指导，加快推进政务数据共享。
（二）基本原则。
1.坚持统筹推进。各地区要统一规划，避免重复建设。
2.坚持安全可控。落实数据安全责任，2023年12月31日前完成评估，投入1.5亿元。
二、重点任务
（三）各地区、各部门要加强组织领导，明确责任分工，按照本通知第（一）项的要求制定实施方案，确保各项任务落到实处。
（四）建立目录管理制度。各部门要编制政务数据目录，依照第五条规定及时更新。
三、保障措施
（五）强化督促检查。国务院办公厅将适时开展督查。

附件：1．政务数据共享管理办法
      2．政务数据目录编制指南

国务院办公厅
2023年6月1日
（此件公开发布）

附件1

政务数据共享管理办法

为规范政务数据共享，制定本办法。
一、总则
（一）适用范围。本办法适用于各级政务部门。
二、共享要求
（一）无条件共享。目录内数据应当无条件共享。
（二）有条件共享。按照有关规定申请。

附件2

政务数据目录编制指南

一、编制原则
各部门按照统一标准编制目录。
二、编制流程
"""

#: A covering notice that issues two regulations (124号 style): the first's items run through its 一、…三、,
#: the second restarts at 一、 and （一）; each ends with nothing after it but the next one's title.
ISSUING_TWO = """\
国务院办公厅关于印发《政务服务事项管理办法》和
《政务服务评价规定》的通知
国办发〔2018〕124号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
《政务服务事项管理办法》和《政务服务评价规定》已经国务院同意，现印发给你们，请认真贯彻执行。

国务院办公厅
2018年12月30日
（此件公开发布）

政务服务事项管理办法

为加强政务服务事项管理，制定本办法。
一、事项目录
（一）编制目录。各部门编制本部门政务服务事项目录。
（二）动态调整。目录实行动态调整。
二、办理流程
（三）统一受理。实行一窗受理。
（四）限时办结。按照承诺时限办结。
三、监督管理
（五）加强监督。各地区要建立监督制度。

政务服务评价规定

一、评价内容
（一）服务态度。
（二）办理效率。
二、评价方式
（一）现场评价。在服务窗口设置评价器。
"""

#: A forwarded report (1996〕2号 style): the covering text, its signature and a date in Chinese numerals, then the
#: report's title, its issuer and date (its front matter) and its own structure.
FORWARDED = """\
国务院办公厅转发国家计委关于加强基础设施建设管理意见的通知
国办发〔1996〕2号

各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
国家计委《关于加强基础设施建设管理的意见》已经国务院同意，现转发给你们，请认真贯彻执行。

国务院办公厅
一九九六年一月十日

关于加强基础设施建设管理的意见
国家计委
（一九九五年十二月二十日）

为了加强基础设施建设管理，现提出以下意见：
一、严格项目审批
各地区要严格执行基本建设程序。
二、加强资金管理
（一）建设资金必须专款专用，任何单位和个人不得挤占挪用，违者依法追究责任。
（二）加强审计监督。审计部门要定期审计。
"""

#: Regulations in chapters and articles: articles numbered straight through the chapters, items inside an article,
#: and a reference to an article inside a sentence.
REGULATION = """\
政务数据安全管理条例

第一章　总则
第一条　为了保障政务数据安全，制定本条例。
第二条　本条例适用于各级行政机关。
第二章　安全管理
第三条　行政机关应当建立数据安全管理制度，包括：
（一）数据分类分级；
（二）访问权限管理。
第四条　依照第三条规定建立的制度应当向社会公布。
第三章　附则
第五条　本条例自2024年1月1日起施行。
"""

#: Run-in text, as a page's paragraphs may come merged: headings after sentences and a title on one line.
RUN_IN = (
    "国务院关于加强安全生产工作的意见\n"
    "各省、自治区、直辖市人民政府：\n"
    "一、总体要求（一）指导思想。坚持安全发展。（二）目标任务。到2025年，事故总量明显下降。"
    "二、重点工作（三）加强监管。各地要加强执法检查。（四）落实责任。企业要落实主体责任。\n"
)

#: A law as published with its order: the order's signature and date, then the law with a table of contents.
LAW_WITH_CONTENTS = """\
中华人民共和国主席令
第三十七号

《中华人民共和国数据登记法》已由全国人民代表大会常务委员会第十八次会议于2000年10月31日通过，现予公布，自2001年1月1日起施行。

中华人民共和国主席　某某
2000年10月31日

中华人民共和国数据登记法

（2000年10月31日第九届全国人民代表大会常务委员会第十八次会议通过）

目　　录
第一章　总　　则
第二章　登记管理
第一章　总　　则
第一条　为了规范数据登记，根据宪法，制定本法。
第二条　本法所称数据登记是指依法记载数据权属的行为。
第二章　登记管理
第三条　登记机关应当依法登记。
"""

#: WITH_ATTACHMENTS in English, as a translator would write it: "1." for 一、, "(1)" for （一）, and "1." again for the
#: third level, so that "2. Ensure security" (an item) comes right before "2. Key tasks" (a section); the untitled
#: item, the list of attachments, the signature, the date and both attachments, each under its label and title.
WITH_ATTACHMENTS_EN = """\
Notice of the General Office of the State Council on Promoting the Sharing of Government Data
Guo Ban Fa [2023] No. 21

To the people's governments of all provinces, autonomous regions and municipalities directly under the Central \
Government, and all ministries, commissions and agencies directly under the State Council:
To speed up the sharing of government data, with the approval of the State Council, the relevant matters are hereby \
notified as follows.

1. Overall requirements
(1) Guiding thought. Guided by Xi Jinping Thought on Socialism with Chinese Characteristics for a New Era, speed up \
the sharing of government data.
(2) Basic principles.
1. Coordinate the work. All regions shall plan as one and avoid duplicate construction.
2. Ensure security and control. Fulfil the responsibility for data security, complete the assessment before \
31 December 2023 and invest 150 million yuan.
2. Key tasks
(3) All regions and departments shall strengthen organisational leadership, make clear the division of \
responsibilities, draw up implementation plans as item (1) of this notice requires, and ensure that every task is \
carried out.
(4) Establish a catalogue management system. All departments shall compile catalogues of government data and update \
them in time as Article 5 provides.
3. Safeguards
(5) Strengthen supervision and inspection. The General Office of the State Council will carry out inspections in \
due course.

Attachments: 1. Measures for the Sharing of Government Data
             2. Guide to Compiling Government Data Catalogues

General Office of the State Council
1 June 2023
(This document is released to the public.)

Attachment 1

Measures for the Sharing of Government Data

These Measures are formulated to regulate the sharing of government data.
1. General provisions
(1) Scope. These Measures apply to government departments at all levels.
2. Requirements for sharing
(1) Unconditional sharing. Data in the catalogue shall be shared unconditionally.
(2) Conditional sharing. Sharing is applied for under the relevant provisions.

Attachment 2

Guide to Compiling Government Data Catalogues

1. Principles of compilation
All departments compile their catalogues to a unified standard.
2. Compilation procedure
"""

#: ISSUING_TWO in English: the covering notice names both documents and issues them "to you"; each document follows
#: under its title, the first after the notice's date, the second where the numbering starts again.
ISSUING_TWO_EN = """\
Notice of the General Office of the State Council on Issuing the Measures for the Administration of Government \
Service Matters and the Provisions on the Evaluation of Government Services
Guo Ban Fa [2018] No. 124

To the people's governments of all provinces, autonomous regions and municipalities directly under the Central \
Government, and all ministries, commissions and agencies directly under the State Council:
The Measures for the Administration of Government Service Matters and the Provisions on the Evaluation of \
Government Services, approved by the State Council, are hereby issued to you; please implement them conscientiously.

General Office of the State Council
30 December 2018
(This document is released to the public.)

Measures for the Administration of Government Service Matters

These Measures are formulated to strengthen the administration of government service matters.
1. Catalogue of matters
(1) Compiling the catalogue. Each department compiles the catalogue of its government service matters.
(2) Dynamic adjustment. The catalogue is adjusted as matters change.
2. Handling procedure
(3) Unified acceptance. Applications are accepted at a single window.
(4) Completion within time limits. Matters are completed within the promised time.
3. Supervision and administration
(5) Strengthen supervision. All regions shall establish a supervision system.

Provisions on the Evaluation of Government Services

1. Contents of evaluation
(1) Service attitude.
(2) Efficiency.
2. Methods of evaluation
(1) On-site evaluation. Evaluation devices are installed at service windows.
"""

#: FORWARDED in English: the covering notice forwards a commission's opinions; the report follows its date under its
#: own title, with its issuer and date as its front matter, and an untitled item.
FORWARDED_EN = """\
Notice of the General Office of the State Council on Forwarding the Opinions of the State Planning Commission on \
Strengthening the Administration of Infrastructure Construction
Guo Ban Fa [1996] No. 2

To the people's governments of all provinces, autonomous regions and municipalities directly under the Central \
Government, and all ministries, commissions and agencies directly under the State Council:
The Opinions of the State Planning Commission on Strengthening the Administration of Infrastructure Construction \
have been approved by the State Council and are hereby forwarded to you; please implement them conscientiously.

General Office of the State Council
10 January 1996

Opinions on Strengthening the Administration of Infrastructure Construction
State Planning Commission
(20 December 1995)

To strengthen the administration of infrastructure construction, the following opinions are put forward:
1. Strictly examine and approve projects
All regions shall strictly follow the procedures for capital construction.
2. Strengthen the management of funds
(1) Construction funds must be used only for their designated purposes, no unit or individual may take or divert \
them, and those who do shall be held liable according to law.
(2) Strengthen audit supervision. Audit departments shall audit regularly.
"""
