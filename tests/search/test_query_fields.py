"""Query fields on the seed notice: ``section:``, ``translation:``, ``title:``.

The fields that name a notice's facts (``notice:``, ``issuer:``, ``year:``, ``type:``) need several notices:
see test_notices_search.py."""

from __future__ import annotations

from search_hits import sections

from kb.search import MAX_LIMIT

# -- field filters -------------------------------------------------------------------


def test_section_field_exact(kb):
    result = kb.search("section:6.1", group=False)
    assert {(h.section, h.chunk.translation) for h in result.hits} == {("6.1", "full"), ("6.1", "gmt")}


def test_section_field_top_level_means_its_subsections(kb):
    result = kb.search("section:6", limit=MAX_LIMIT)
    assert sections(result) == ["6.1", "6.2", "6.3"]
    assert kb.search("sec:6", limit=MAX_LIMIT).total == 3  # alias


def test_translation_field(kb):
    result = kb.search("translation:gmt", group=False, limit=MAX_LIMIT)
    assert result.hits and {h.chunk.translation for h in result.hits} == {"gmt"}
    assert "3.1" not in sections(result)
    combined = kb.search("translation:gmt satellite", group=False)
    assert combined.total >= 0  # a field term next to a word still parses


def test_title_field(kb):
    result = kb.search("title:security", limit=MAX_LIMIT)
    assert set(sections(result)) == {"6.1", "6.2", "6.3"}
    for h in result.hits:
        assert "secur" in (h.title or "").lower(), h.title
    # the words of 4.2 mention security, its title does not
    assert "4.2" in set(sections(kb.search("security", limit=MAX_LIMIT)))


def test_translation_field_matches_what_the_translation_filter_admits(kb):
    def found(result) -> set[tuple[str, str]]:
        return {(h.section, h.chunk.translation) for h in result.hits}

    for name in ("full", "gmt"):
        field = kb.search(f"security AND translation:{name}", group=False, limit=MAX_LIMIT)
        narrowed = kb.search("security", group=False, limit=MAX_LIMIT, filters=kb.filters(translation=name))
        assert field.hits and found(field) == found(narrowed)
