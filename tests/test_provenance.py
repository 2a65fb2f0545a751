"""Where each translation came from: translator and source from the manifest, whether the cleaner restored it, its
text as received (kept with the build), and a publisher's reading guide kept apart from the notice's text."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from kb import corpus as kb_corpus
from kb import index as kb_index
from kb.catalog import Catalog
from kb.corpus import load_corpus
from kb.errors import NotFound
from kb.guide import split_guide
from kb.manifest import ManifestError, parse_manifest
from kb.search import KnowledgeBase

FULL_FILE = "001_0188dcd56ab44d45.txt"
GMT_FILE = "000_8f55676a7008a0c6.txt"


@pytest.fixture()
def corpus(library: Path, tmp_path: Path) -> Path:
    directory = tmp_path / "corpus"
    shutil.copytree(library, directory)
    return directory


def test_the_seeds_provenance_is_what_their_texts_say(seeds_dir):
    full, gmt = load_corpus(seeds_dir).notices[0].translations
    # the full text names no translator or publisher; the gmt text's byline names GMT Eight, not a translator
    assert (full.translator, full.source, full.restored) == (None, None, True)
    assert (gmt.translator, gmt.source, gmt.restored) == (None, "GMT Eight", False)
    assert full.received == (seeds_dir / FULL_FILE).read_text(encoding="utf-8")


def test_the_manifest_states_a_translator_and_a_translations_own_source(tmp_path):
    entries = parse_manifest(
        '[[notice]]\nid = "n"\nsource = "https://www.miit.gov.cn/"\n'
        '[[notice.translation]]\nname = "en"\nfile = "a.txt"\ntranslator = "Li Wei"\nsource = "Example Press"\n'
    )
    assert entries["a.txt"].translation == {
        "name": "en",
        "file": "a.txt",
        "translator": "Li Wei",
        "source": "Example Press",
    }
    with pytest.raises(ManifestError, match="'translator' must be text in quotes"):
        parse_manifest('[[notice]]\nid = "n"\n[[notice.translation]]\nname = "en"\nfile = "a.txt"\ntranslator = 3\n')
    (tmp_path / "a.txt").write_text("Notice on Things\n1. General\nText.\n", encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(
        '[[notice]]\nid = "n"\nsource = "https://www.miit.gov.cn/"\n'
        '[[notice.translation]]\nname = "en"\nfile = "a.txt"\ntranslator = "Li Wei"\nsource = "Example Press"\n',
        encoding="utf-8",
    )
    (notice,) = load_corpus(tmp_path).notices
    (t,) = notice.translations
    assert (t.translator, t.source, t.restored) == ("Li Wei", "Example Press", False)
    assert notice.source == "https://www.miit.gov.cn/"  # the translation's publisher is not the notice's source


def test_the_build_keeps_provenance_and_the_received_text(seed_index, seeds_dir):
    catalog = Catalog.load(seed_index)
    full, gmt = catalog.notices[0].translations  # the listing: no outline read
    assert (full.restored, gmt.restored, gmt.source) == (True, False, "GMT Eight")
    assert catalog.outline_reads == 0
    assert catalog.received("miit-2024-165", "full") == (seeds_dir / FULL_FILE).read_text(encoding="utf-8")
    with pytest.raises(NotFound):
        catalog.received("miit-2024-165", "nope")


def test_an_update_keeps_the_received_text_of_a_reused_file_and_replaces_a_changed_one(corpus, tmp_path, monkeypatch):
    decode = kb_corpus.decode_source
    index_dir = tmp_path / "index"
    for path in corpus.iterdir():  # older than the build: an update trusts their sizes and times (kb.freshness)
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    kb_index.build(corpus, index_dir)
    # a new copy of the gmt text that cleans to the same text (trailing blanks): still a change of what was received
    gmt = corpus / GMT_FILE
    changed = gmt.read_text(encoding="utf-8") + "   \n\n"
    gmt.write_text(changed, encoding="utf-8")
    read = []
    monkeypatch.setattr(
        kb_corpus, "decode_source", lambda data, name: read.append(Path(name).name) or decode(data, name)
    )
    result = kb_index.build(corpus, index_dir)
    assert result.built and result.changed == ["miit-2024-165"]
    assert read == [GMT_FILE]  # an update: the full text was reused from the previous build, not read again
    catalog = KnowledgeBase(result.path).catalog
    assert catalog.received("miit-2024-165", "gmt") == changed
    assert catalog.received("miit-2024-165", "full") == (corpus / FULL_FILE).read_text(encoding="utf-8")
    assert catalog.by_id["miit-2024-165"].translation("full").restored


# -- the reading guide ----------------------------------------------------------------------------------------


def test_a_reading_guide_runs_to_the_document_number():
    front = "Reading guide\nThe publisher's summary.\nSecond paragraph.\nMIIT Communications[2024] No. 165\nPreamble."
    guide, rest = split_guide(front, "MIIT Communications [2024] No. 165", "Notice on X")
    assert guide == "The publisher's summary.\nSecond paragraph."
    assert rest == "MIIT Communications[2024] No. 165\nPreamble."


def test_a_reading_guide_runs_to_the_title_or_else_to_the_end_of_its_paragraph():
    guide, rest = split_guide("Editor's note:\nSummary.\nnotice on x\nText.", None, "Notice on X")
    assert (guide, rest) == ("Summary.", "notice on x\nText.")
    guide, rest = split_guide("Reading guide\nSummary one.\nSummary two.\n\nThe preamble.", None, None)
    assert (guide, rest) == ("Summary one.\nSummary two.", "The preamble.")


@pytest.mark.parametrize(
    "front",
    ["The preamble says reading guide.", "Guide\nText.", "", "Notice\nReading guide\nText."],
)
def test_without_a_guide_heading_first_the_front_matter_is_untouched(front):
    assert split_guide(front, None, "Notice") == ("", front)
