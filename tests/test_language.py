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


def test_versions_nobody_names_are_called_after_their_language(tmp_path):
    """A Chinese text is the notice's original, not "English translation"; two of a kind say which file they are."""
    body = ZH_MARKDOWN.split("---\n", 2)[2]
    (tmp_path / "zh.md").write_text(body, encoding="utf-8")
    (tmp_path / "hant.md").write_text(body.replace("国务院", "國務院"), encoding="utf-8")
    (tmp_path / "en-a.md").write_text("# Notice\n\n## 1. Share data\nAll departments share data.\n", encoding="utf-8")
    (tmp_path / "en-b.md").write_text("# Notice\n\n## 1. Share data\nEvery department shares.\n", encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(
        '[[notice]]\nid = "n"\n'
        + "".join(
            f'[[notice.translation]]\nname = "{n}"\nfile = "{n}.md"\n{extra}'
            for n, extra in (("zh", ""), ("hant", 'language = "zh-Hant"\n'), ("en-a", ""), ("en-b", ""))
        ),
        encoding="utf-8",
    )
    (notice,) = load_corpus(tmp_path).notices
    assert [t.label for t in notice.translations] == [
        "Chinese original",
        "Chinese original (traditional characters)",
        "English translation (en-a)",
        "English translation (en-b)",
    ]
