"""Loading a corpus directory: notices, translations, missing sections, chunks, odd files, rendering."""

from __future__ import annotations

import shutil
from pathlib import Path

import markdown
import pytest

from kb.corpus import MANIFEST, ManifestError, SourceError, load_corpus
from kb.models import SectionId
from kb.render import to_markdown

NUMBER = "MIIT Communications [2024] No. 165"


@pytest.fixture(scope="module")
def corpus(seeds_dir: Path):
    return load_corpus(seeds_dir)


@pytest.fixture
def seeds_copy(tmp_path: Path, seeds_dir: Path) -> Path:
    """A writable copy of the seed corpus, manifest included."""
    for p in seeds_dir.iterdir():
        if p.is_file():
            shutil.copy(p, tmp_path / p.name)
    return tmp_path


def test_seeds_are_one_notice_with_two_translations(corpus):
    assert corpus.skipped == []
    assert len(corpus.notices) == 1
    notice = corpus.notices[0]
    assert notice.id == "miit-2024-165"
    assert notice.number == NUMBER
    assert notice.date == "2024-09-04"
    assert notice.title == (
        "Notice on Matters Related to Promoting the Coordinated Development of New Information Infrastructure"
    )
    assert len(notice.issuers) == 11
    assert sorted(t.name for t in notice.translations) == ["full", "gmt"]
    assert notice.translation("gmt").label == "GMT Eight translation (sections 4-8)"
    assert notice.translation("full").path.name.startswith("001_")
    assert corpus.notice("miit-2024-165") is notice
    assert corpus.notice("nope") is None and notice.translation("nope") is None


def test_missing_sections(corpus):
    notice = corpus.notices[0]
    assert notice.section_ids == [
        "front",
        "1", "1.1", "1.2", "1.3",
        "2", "2.1", "2.2", "2.3",
        "3", "3.1", "3.2",
        "4", "4.1", "4.2",
        "5", "5.1", "5.2",
        "6", "6.1", "6.2", "6.3",
        "7", "7.1", "7.2", "7.3",
        "8", "8.1", "8.2", "8.3",
    ]  # fmt: skip
    assert notice.missing("full") == ["1.1", "1.2"]
    assert notice.missing("gmt") == ["1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "2.3", "3", "3.1", "3.2"]
    assert notice.missing_everywhere() == ["1.1", "1.2"]


def test_section_titles_fall_back_to_another_translation(corpus):
    notice = corpus.notices[0]
    assert notice.translation("gmt").outline.section("4").title is None
    assert notice.section_title("4") == "Strengthen cross-industry integration and shared development"
    assert notice.section_title("1.1") is None


def translation_named(corpus, name: str):
    """(notice, translation) for the one translation called ``name`` in a corpus of one notice's files."""
    found = [(n, t) for n in corpus.notices for t in n.translations if t.name == name]
    assert len(found) == 1, (name, found)
    return found[0]


def chunk(corpus, translation: str, section: str):
    found = [c for c in corpus.chunks() if c.translation == translation and c.section == section]
    assert len(found) == 1, (translation, section, found)
    return found[0]


def test_chunks_and_their_counterparts(corpus):
    chunks = corpus.chunks()
    keys = [(c.translation, c.section) for c in chunks]
    assert len(keys) == len(set(keys))
    assert {c.notice for c in chunks} == {"miit-2024-165"}
    assert {c.number for c in chunks} == {NUMBER}

    assert chunk(corpus, "gmt", "5.1").counterparts == ("full",)
    assert chunk(corpus, "full", "5.1").counterparts == ("gmt",)
    assert chunk(corpus, "full", "1.3").counterparts == ()
    assert chunk(corpus, "gmt", "front").counterparts == ("full",)

    gmt_sections = [c.section for c in chunks if c.translation == "gmt"]
    assert gmt_sections == [
        "front",
        "4.1",
        "4.2",
        "5.1",
        "5.2",
        "6.1",
        "6.2",
        "6.3",
        "7.1",
        "7.2",
        "7.3",
        "8.1",
        "8.2",
        "8.3",
    ]
    full_sections = [c.section for c in chunks if c.translation == "full"]
    # Front matter and the 19 subsections.
    assert full_sections[:3] == ["front", "1.3", "2.1"] and len(full_sections) == 20
    # Section headings with no text of their own are not chunks.
    assert not any(c.section in {"4", "5", "1"} for c in chunks)


def test_chunk_titles_and_parent_titles(corpus):
    c = chunk(corpus, "gmt", "4.1")
    assert c.title == "Promote integrated development"
    # gmt never titles section 4: the parent title comes from the full translation.
    assert c.parent_title == "Strengthen cross-industry integration and shared development"
    assert c.parent == "4"
    assert c.body.startswith("Various regions should organize")
    front = chunk(corpus, "gmt", "front")
    assert (front.title, front.parent_title, front.parent) == ("Front matter", None, None)


def test_anchors_are_stable(corpus):
    assert chunk(corpus, "gmt", "5.1").anchor == "s5-1"
    assert chunk(corpus, "full", "front").anchor == "front"
    assert chunk(corpus, "full", "1.3").anchor == "s1-3"
    assert [SectionId(i).anchor for i in ("front", "4", "4.2", "12.10")] == ["front", "s4", "s4-2", "s12-10"]
    # Loading again gives the same chunks, in the same order.
    assert load_corpus(corpus.directory).chunks() == corpus.chunks()


def test_without_manifest_files_are_grouped_only_by_a_stated_document_number(seeds_copy):
    (seeds_copy / MANIFEST).unlink()
    corpus = load_corpus(seeds_copy)
    assert corpus.skipped == []
    # The GMT text never states the document number, so nothing ties it to the full translation.
    by_file = {t.path.name[:3]: (n, t) for n in corpus.notices for t in n.translations}
    assert len(corpus.notices) == 2
    gmt_notice, gmt = by_file["000"]
    full_notice, full = by_file["001"]
    assert full_notice.number == NUMBER and full_notice.id == "miit-communications-2024-165"
    assert gmt_notice.number is None
    assert gmt_notice.date is None  # the dateline "202094" is ambiguous, and no manifest says otherwise
    assert full.name == "001-0188dcd56ab44d45" and full.label == "English translation"  # nobody labelled it
    assert [s.id for s in gmt.outline.sections][:2] == ["4", "4.1"]


def test_without_manifest_translations_stating_the_same_number_are_one_notice(seeds_copy):
    (seeds_copy / MANIFEST).unlink()
    full = next(seeds_copy.glob("001_*.txt"))
    shutil.copy(full, seeds_copy / "002_other.txt")
    corpus = load_corpus(seeds_copy)
    grouped = [n for n in corpus.notices if n.number == NUMBER]
    assert len(grouped) == 1
    assert [t.name for t in grouped[0].translations] == ["001-0188dcd56ab44d45", "002-other"]
    assert len(grouped[0].issuers) == 11


def test_odd_files_are_skipped_not_fatal(seeds_copy):
    (seeds_copy / "empty.txt").write_bytes(b"")
    (seeds_copy / "blank.txt").write_text(" \n\n\t\n", encoding="utf-8")
    (seeds_copy / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (seeds_copy / "latin1.txt").write_bytes("Caf\xe9 notice\n1. Strengthen planning\nText.\n".encode("latin-1"))
    (seeds_copy / "prose.txt").write_text("Just a paragraph of prose, with no headings at all.\n", encoding="utf-8")
    (seeds_copy / "ignored.pdf").write_bytes(b"%PDF-1.4")
    (seeds_copy / "subdir.txt").mkdir()
    corpus = load_corpus(seeds_copy)
    assert [n.id for n in corpus.notices] == ["miit-2024-165"]
    assert len(corpus.notices[0].translations) == 2
    reasons = {Path(msg.split(":")[0]).name: msg.split(": ", 1)[1] for msg in corpus.skipped}
    assert reasons == {
        "binary.txt": "looks like a binary file, not text",
        "blank.txt": "is empty",
        "empty.txt": "is empty",
        "latin1.txt": "not UTF-8 text",
        "prose.txt": "no section headings found",
        "subdir.txt": "is a directory, not a file",
    }
    assert all("\n" not in msg for msg in corpus.skipped)


def test_missing_corpus_directory_is_an_error(tmp_path):
    with pytest.raises(SourceError, match="corpus directory not found"):
        load_corpus(tmp_path / "nope")


def test_invalid_manifest_is_an_error(seeds_copy):
    (seeds_copy / MANIFEST).write_text("[[notice]\nid = ", encoding="utf-8")
    with pytest.raises(ManifestError, match=r"manifest\.toml: invalid TOML \(.*line 1"):
        load_corpus(seeds_copy)


# -- Markdown rendering -----------------------------------------------------------


def render_html(md: str) -> str:
    return markdown.markdown(md, extensions=["attr_list"])


@pytest.mark.parametrize("name", ["gmt", "full"])
def test_markdown_headings_carry_anchors(corpus, name):
    notice, translation = translation_named(corpus, name)
    md = to_markdown(notice, translation)
    headings = [line for line in md.splitlines() if line.startswith("#")]
    # sections only: the page names the notice by the model's title, not by the translation's first line
    assert not [h for h in headings if h.startswith("# ")]
    expected = ["front"] + [s.anchor for s in translation.outline.sections]
    assert [h.rsplit("{#", 1)[1].rstrip("}") for h in headings] == expected
    html = render_html(md)
    for anchor in expected:
        assert f'id="{anchor}"' in html
    assert "{#" not in html


def test_markdown_of_the_gmt_translation(corpus):
    md = to_markdown(*translation_named(corpus, "gmt"))
    # headings are the model's Section.heading: numbered as citations number them, an untitled part said so
    assert "## 4 (untitled in this translation) {#s4}" in md
    assert "### 4 (1) Promote integrated development {#s4-1}" in md
    assert "## 5 Build a green and low-carbon development mode {#s5}" in md
    html = render_html(md)
    assert '<h3 id="s4-1">4 (1) Promote integrated development</h3>' in html
    assert '<h2 id="s5">5 Build a green and low-carbon development mode</h2>' in html


HOSTILE = (
    "Notice on testing hostile source text\n"
    "Front <script>alert(1)</script> matter &lt;script&gt;alert(4)&lt;/script&gt;.\n"
    "1. Strengthen <b>planning</b>\n"
    "(1) Promote <img src=x onerror=alert(1)>. Body <script>alert(2)</script> & more [link](javascript:alert(3)) "
    "{#evil} *emph* `code`\n"
    "- a list item\n"
    "> a quote\n"
)


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_raw_html_in_a_source_is_escaped(tmp_path, suffix):
    text = (
        HOSTILE if suffix == ".txt" else "# " + HOSTILE.replace("\n1. ", "\n\n## 1. ").replace("\n(1) ", "\n\n### (1) ")
    )
    (tmp_path / f"hostile{suffix}").write_text(text, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert corpus.skipped == []
    html = render_html(to_markdown(*translation_named(corpus, "hostile")))
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript' not in html and "<a " not in html
    assert 'id="evil"' not in html and "<em>" not in html and "<code>" not in html
    assert "<ul>" not in html and "<li>" not in html and "<blockquote>" not in html
    assert html.count("<h1>") == 0  # the page around it has the one h1, the notice's title from the model


# -- many notices -----------------------------------------------------------------


def test_the_library_loads_as_its_notices(library):
    from library import ALL_NOTICE_IDS, NOTICES

    corpus = load_corpus(library)
    assert corpus.skipped == []
    assert sorted(n.id for n in corpus.notices) == sorted(ALL_NOTICE_IDS)
    for expected in NOTICES:
        notice = corpus.notice(expected.id)
        assert (notice.title, notice.number, notice.date) == (expected.title, expected.number, expected.date)
        assert (tuple(notice.issuers), notice.doc_type) == (expected.issuers, expected.type)
        assert tuple(t.name for t in notice.translations) == expected.translations


def test_two_notices_may_each_have_a_translation_called_full(library):
    corpus = load_corpus(library)
    with_full = sorted(n.id for n in corpus.notices if n.translation("full"))
    assert with_full == ["miit-2024-165", "mof-2024-58"]
    keys = [(c.notice, c.translation, c.section) for c in corpus.chunks()]
    assert len(keys) == len(set(keys))


def test_front_matter_states_a_markdown_notice_s_facts(tmp_path):
    (tmp_path / "plan.md").write_text(
        "---\nid: my-plan\ntitle: Plan for Tidal Power\nnumber: XYZ [2022] No. 3\ndate: 2022-02-03\n"
        "issuers: [Ministry of Water Resources]\ntype: plan\nname: en\nlabel: English\n---\n"
        "# Something else\n\n## 1. General\n\nText.\n",
        encoding="utf-8",
    )
    corpus = load_corpus(tmp_path)
    notice = corpus.notices[0]
    assert (notice.id, notice.title, notice.number, notice.date) == (
        "my-plan",
        "Plan for Tidal Power",
        "XYZ [2022] No. 3",
        "2022-02-03",
    )
    assert (notice.issuers, notice.doc_type) == (["Ministry of Water Resources"], "plan")
    assert [(t.name, t.label) for t in notice.translations] == [("en", "English")]


def test_a_file_with_broken_front_matter_is_skipped_with_one_line(tmp_path):
    (tmp_path / "good.txt").write_text("Notice on Good Things\n1. General\nText.\n", encoding="utf-8")
    (tmp_path / "bad.md").write_text("---\ntitle: [unclosed\n---\n## 1. General\n\nText.\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [n.id for n in corpus.notices] == ["good"]
    assert len(corpus.skipped) == 1 and "\n" not in corpus.skipped[0]
    assert corpus.skipped[0].startswith(f"{tmp_path / 'bad.md'}: front matter:")


def test_a_notice_without_a_stated_type_takes_the_kind_its_title_names(tmp_path):
    (tmp_path / "a.txt").write_text("Guiding Opinions on Cable Safety\n1. General\nText.\n", encoding="utf-8")
    assert load_corpus(tmp_path).notices[0].doc_type == "opinions"


def test_unlabelled_translations_of_one_notice_are_told_apart_by_their_files(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Notice on Things\nXYZ [2020] No. 1\n1. General\nText.\n", encoding="utf-8")
    (notice,) = load_corpus(tmp_path).notices
    assert [t.label for t in notice.translations] == ["English translation (a)", "English translation (b)"]
