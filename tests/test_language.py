"""A translation's language: stated in the manifest or front matter (the statement wins), else detected."""

from __future__ import annotations

import pytest

from kb.corpus import load_corpus
from kb.frontmatter import FrontMatterError, split_front_matter

ZH_MARKDOWN = """\
---
language: zh-Hans
---
# 国务院办公厅关于加强政务数据共享工作的通知

一、明确共享责任
各地区、各部门要加快推进政务信息系统整合共享。
"""


def test_front_matter_states_the_language_and_it_wins_over_detection(tmp_path):
    (tmp_path / "stated.md").write_text(ZH_MARKDOWN, encoding="utf-8")
    (tmp_path / "detected.md").write_text(ZH_MARKDOWN.split("---\n", 2)[2], encoding="utf-8")
    languages = {t.path.name: t.language for n in load_corpus(tmp_path).notices for t in n.translations}
    assert languages == {"stated.md": "zh-Hans", "detected.md": "zh"}


@pytest.mark.parametrize("value", ["Chinese", "zh_CN", "1", "[zh, en]"])
def test_front_matter_refuses_what_is_not_a_language_tag(value):
    with pytest.raises(FrontMatterError, match="must be a language tag"):
        split_front_matter(f"---\nlanguage: {value}\n---\nBody.\n", "notice.md")
