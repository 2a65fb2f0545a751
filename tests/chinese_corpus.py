"""A notice in Chinese for the tests of display: its original, an English translation and a Traditional text.

Written in the style of a State Council General Office notice (a title, a
document number, addressees, ``一、`` headings with ``（一）`` items, the
issuing body and a date at the end). The manifest names the three files as
versions of one notice with a Chinese title; it states no language for the
original and the translation (they are detected from their script) and
"zh-Hant" for the Traditional text (detection would say "zh": the
manifest's statement wins).
"""

from __future__ import annotations

from pathlib import Path

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


def write_chinese_corpus(directory: Path) -> Path:
    """The three texts and their manifest written into ``directory``; returns it."""
    for name, text in (("zh.txt", ZH), ("en.txt", EN), ("hant.txt", HANT), ("manifest.toml", MANIFEST)):
        (directory / name).write_text(text, encoding="utf-8")
    return directory
