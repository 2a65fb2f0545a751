"""Synonyms and abbreviations (kb/synonyms.toml) bridge the two seed translations' wording, ranked below the
words typed."""

from __future__ import annotations

from search_hits import has_word, hit_text, marked_words, sections

from kb.search import MAX_LIMIT

# -- synonyms ------------------------------------------------------------------------


def test_internet_of_vehicles_finds_car_networking(kb):
    result = kb.search("Internet of Vehicles", filters=kb.filters(translation="gmt"), limit=MAX_LIMIT)
    found = [h for h in result.hits if "car networking" in hit_text(kb, h)]
    assert found
    assert all("internet of vehicles" not in hit_text(kb, h) for h in found)
    assert "car networking" in [" ".join(marked_words(h)).lower() for h in found][0]
    separate = kb.search("Internet of Vehicles", group=False, limit=MAX_LIMIT)
    assert ("6.2", "gmt") in {(h.section, h.chunk.translation) for h in separate.hits}


def test_iot_finds_internet_of_things(kb):
    result = kb.search("IoT", group=False, limit=MAX_LIMIT)
    only_long_form = [
        h for h in result.hits if "internet of things" in hit_text(kb, h) and not has_word(hit_text(kb, h), "iot")
    ]
    assert only_long_form


def test_miit_finds_the_ministry(kb):
    result = kb.search("MIIT", group=False, limit=MAX_LIMIT)
    full_name = "ministry of industry and information technology"
    only_long_form = [h for h in result.hits if full_name in hit_text(kb, h) and "miit" not in hit_text(kb, h)]
    assert only_long_form
    assert {("8.1", "gmt"), ("8.3", "gmt")} <= {(h.section, h.chunk.translation) for h in only_long_form}


def test_computer_rooms_finds_communication_and_machine_rooms(kb):
    result = kb.search("computer rooms", filters=kb.filters(translation="gmt"), limit=MAX_LIMIT)
    texts = {h.section: hit_text(kb, h) for h in result.hits}
    assert all("computer room" not in t for t in texts.values())
    assert "communication rooms" in texts["5.1"]
    assert "machine rooms" in texts["5.2"]
    assert sections(result)[:2] == ["5.2", "5.1"] or sections(result)[:2] == ["5.1", "5.2"]


def test_synonym_matches_score_below_the_typed_words(kb):
    # "undersea" finds "submarine" sections, but lower than typing "submarine" does
    typed = kb.search("submarine").hits[0]
    synonym = kb.search("undersea").hits[0]
    assert typed.section == synonym.section == "7.1"
    assert synonym.score < typed.score
