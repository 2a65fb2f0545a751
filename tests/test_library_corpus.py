"""The test library of several notices (tests/library.py) is what its constants say it is.

Checked with what reads single files (the outline of each text), so the
constants other tests assert against are known to describe the files.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from library import (
    ALL_NOTICE_IDS,
    CABLE_TITLE_AT,
    FROM_FRONT_MATTER,
    FROM_MANIFEST,
    NOTICES,
    SEED_NOTICE,
    SEED_TRANSLATIONS,
    SEEDS_DIR,
    SHARED_SECTIONS,
    TEXTS,
    TOPICS,
    UNIQUE_WORD,
    UNIQUE_WORD_AT,
    LibraryNotice,
    strip_front_matter,
)

from kb.clean import clean
from kb.corpus import outline_text
from kb.models import Outline

BY_ID = {n.id: n for n in NOTICES}


def _outline(directory: Path, file: str) -> Outline:
    return outline_text(strip_front_matter((directory / file).read_text(encoding="utf-8")), file)


def _files(notice: LibraryNotice) -> list[tuple[str, str]]:
    return list(zip(notice.translations, notice.files, strict=True))


def test_library_holds_the_seeds_and_every_generated_file(library: Path):
    seeds = {p.name for p in SEEDS_DIR.glob("*.txt")}
    assert {p.name for p in library.iterdir()} == {*seeds, *TEXTS, "manifest.toml"}
    assert {f for n in NOTICES for f in n.files} == set(TEXTS)
    for name in seeds:
        assert (library / name).read_bytes() == (SEEDS_DIR / name).read_bytes()


def test_manifest_keeps_the_seed_entry_and_describes_only_the_notices_meant_to_have_one(library: Path):
    notices = tomllib.loads((library / "manifest.toml").read_text(encoding="utf-8"))["notice"]
    by_id = {entry["id"]: entry for entry in notices}
    assert [t["name"] for t in by_id[SEED_NOTICE]["translation"]] == list(SEED_TRANSLATIONS)
    expected = {n.id for n in NOTICES if n.metadata_from == FROM_MANIFEST}
    assert set(by_id) == {SEED_NOTICE, *expected}
    for notice_id in expected:
        notice, entry = BY_ID[notice_id], by_id[notice_id]
        assert (entry["title"], entry["number"], entry["date"].isoformat()) == (
            notice.title,
            notice.number,
            notice.date,
        )
        assert (tuple(entry["issuers"]), entry["type"]) == (notice.issuers, notice.type)
        assert [(t["name"], t["file"]) for t in entry["translation"]] == _files(notice)
    # a translation name is unique only within a notice: the seed's "full" is used again
    assert sum(t["name"] == "full" for entry in notices for t in entry["translation"]) == 2


@pytest.mark.parametrize("notice", NOTICES, ids=lambda n: n.id)
def test_every_file_outlines_to_the_sections_and_facts_stated(library: Path, notice: LibraryNotice):
    for name, file in _files(notice):
        outline = _outline(library, file)
        assert [(s.id, s.title) for s in outline.sections] == [
            (s, notice.title_of(s)) for s in notice.section_ids_of(name)
        ]
        # each text states its number and date; a text without a manifest entry states its title too
        assert (outline.metadata.number, outline.metadata.date) == (notice.number, notice.date)
        if notice.metadata_from != FROM_MANIFEST:
            assert outline.metadata.title == notice.title


def test_front_matter_states_the_notices_facts():
    (notice,) = [n for n in NOTICES if n.metadata_from == FROM_FRONT_MATTER]
    text = TEXTS[notice.files[0]]
    block = text[: len(text) - len(strip_front_matter(text))]
    assert notice.files[0].endswith(".md") and block.startswith("---\n") and block.endswith("\n---\n")
    for line in (f'title: "{notice.title}"', f'number: "{notice.number}"', f"date: {notice.date}"):
        assert line in block.splitlines()
    assert f'type: "{notice.type}"' in block and all(f'- "{i}"' in block for i in notice.issuers)


def test_ids_without_a_manifest_entry_are_slugs_of_the_document_number():
    for notice in NOTICES:
        if notice.metadata_from != FROM_MANIFEST:
            words = re.findall(r"[a-z0-9]+", notice.number.lower().replace("no.", ""))
            assert notice.id == "-".join(words)
    assert len(set(ALL_NOTICE_IDS)) == len(ALL_NOTICE_IDS)


def test_the_variety_the_tests_rely_on():
    assert len({n.year for n in NOTICES}) == len(NOTICES) and any(n.year == 2024 for n in NOTICES)
    assert len({n.type for n in NOTICES}) == len(NOTICES)
    assert len({n.issuers for n in NOTICES}) == len(NOTICES)
    assert any("Ministry of Industry and Information Technology" in n.issuers and len(n.issuers) == 2 for n in NOTICES)
    assert [n.date for n in NOTICES] == sorted(n.date for n in NOTICES)  # oldest first, as documented
    assert any(n.lacks for n in NOTICES)


def test_shared_section_ids_hold_different_text_in_each_notice(library: Path, seeds_dir: Path):
    bodies = {}
    for notice in NOTICES:
        outline = _outline(library, notice.files[0])
        for section_id in SHARED_SECTIONS:
            section = outline.section(section_id)
            assert section is not None, (notice.id, section_id)
            bodies.setdefault(section_id, []).append((section.title, section.body))
    seed = outline_text((seeds_dir / "001_0188dcd56ab44d45.txt").read_text(encoding="utf-8"), "seed")
    assert seed.section("2.1") is not None
    bodies["2.1"].append((seed.section("2.1").title, seed.section("2.1").body))
    for section_id, texts in bodies.items():
        assert len(set(texts)) == len(texts), section_id


def test_topic_words_are_in_the_notices_listed_and_no_others(library: Path):
    texts: dict[str, str] = {
        SEED_NOTICE: " ".join(clean(p.read_text(encoding="utf-8")) for p in SEEDS_DIR.glob("*.txt"))
    }
    for notice in NOTICES:
        texts[notice.id] = " ".join(TEXTS[f] for f in notice.files)
    for word, holders in TOPICS.items():
        assert tuple(i for i in ALL_NOTICE_IDS if word in texts[i].lower()) == tuple(
            sorted(holders, key=ALL_NOTICE_IDS.index)
        )


def test_unique_word_and_cable_title_are_where_stated(library: Path):
    notice_id, section_id = UNIQUE_WORD_AT
    notice = BY_ID[notice_id]
    outline = _outline(library, notice.files[0])
    assert [s.id for s in outline.sections if UNIQUE_WORD in f"{s.title} {s.body}".lower()] == [section_id]
    assert TOPICS[UNIQUE_WORD] == (notice_id,)
    notice_id, section_id = CABLE_TITLE_AT
    assert "submarine cables" in BY_ID[notice_id].title_of(section_id)
