"""Snippets: the words marked are the original ones, cut around the densest matches, escaped for HTML."""

from __future__ import annotations

import re

import pytest
from search_hits import marked_words

from kb import index as kb_index
from kb import search as kb_search
from kb.search import MAX_LIMIT, KnowledgeBase
from kb.snippets import MAX_CHARS, WINDOW_TOKENS

# -- snippets ------------------------------------------------------------------------


def test_snippet_marks_the_original_words_not_stems(kb):
    hit = kb.search("approves").hits[0]
    assert hit.section == "7.1"
    words = marked_words(hit)
    assert "approval" in words
    for s, e in hit.snippet.spans:
        word = hit.snippet.plain[s:e]
        assert re.fullmatch(r"[A-Za-z]+", word), word  # a whole word, not a stem or a piece
        assert s == 0 or not hit.snippet.plain[s - 1].isalnum()
        assert e == len(hit.snippet.plain) or not hit.snippet.plain[e].isalnum()
    assert "<mark>approval</mark>" in hit.snippet.html


def test_approves_does_not_match_authorities(kb):
    result = kb.search("approves", limit=MAX_LIMIT)
    marked = [w.lower() for h in result.hits for w in marked_words(h)]
    assert not any(w.startswith("authorit") for w in marked), marked


def test_snippet_spans_mark_matches_for_every_hit(kb):
    for q in ("submarine cables", "green data centers", "security"):
        for h in kb.search(q, limit=MAX_LIMIT).hits:
            assert len(h.snippet.plain) <= MAX_CHARS + 4
            for s, e in h.snippet.spans:
                assert 0 <= s < e <= len(h.snippet.plain)
            assert list(h.snippet.spans) == sorted(h.snippet.spans)


@pytest.fixture(scope="module")
def tiny_kb(tmp_path_factory) -> KnowledgeBase:
    """A one-file corpus: markup in a section, and a long section with one dense cluster of matches."""
    corpus = tmp_path_factory.mktemp("tiny-corpus")
    filler = "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma. "
    long_body = (
        "A lone zebra appears here. "
        + filler * 4
        + "Here the zebra quagga okapi cluster sits, zebra next to quagga and okapi. "
        + filler * 4
        + "The end."
    )
    (corpus / "doc.txt").write_text(
        "Notice on Testing Things\n\n"
        "1. Strengthen markup handling\n"
        "(1) Treat tags as text. The <b>bold</b> tag & the <script>alert(1)</script> tag must stay text.\n"
        f"(2) A long section. {long_body}\n",
        encoding="utf-8",
    )
    return KnowledgeBase(kb_index.build(corpus, tmp_path_factory.mktemp("tiny-index"), force=True).path)


def test_snippet_html_escapes_the_text(tiny_kb):
    hit = tiny_kb.search("bold").hits[0]
    assert hit.section == "1.1"
    assert "<b>bold</b>" in hit.snippet.plain
    html = hit.snippet.html
    assert "&lt;b&gt;<mark>bold</mark>&lt;/b&gt;" in html
    assert "&lt;script&gt;" in html and "&amp;" in html
    assert set(re.findall(r"<[^>]*>", html)) == {"<mark>", "</mark>"}
    assert hit.to_json()["snippet_html"] == html


def test_snippet_is_cut_around_the_densest_match(tiny_kb):
    notice = tiny_kb.notice()
    body = tiny_kb.section(notice, notice.translations[0], "1.2").body
    assert len(body) > 2 * MAX_CHARS
    hit = tiny_kb.search("zebra quagga okapi").hits[0]
    plain = hit.snippet.plain
    assert "zebra quagga okapi cluster" in plain  # the cluster, not the lone "zebra" at the start
    assert "lone zebra" not in plain
    assert plain.startswith("… ") and plain.endswith(" …")
    assert len(plain) <= MAX_CHARS + 4
    assert {w.lower() for w in marked_words(hit)} == {"zebra", "quagga", "okapi"}
    assert plain[2:-2] in body


def test_snippet_of_a_match_at_the_end_of_a_section_has_context(kb):
    hit = kb.search("accidents", filters=kb.filters(translation="gmt")).hits[0]
    assert hit.section == "6.3"
    # actual: '… resolutely curb major safety accidents.'
    assert len(hit.snippet.plain.split()) >= WINDOW_TOKENS // 2, hit.snippet.plain


def test_the_tokens_kept_for_snippets_are_bounded(seed_index, monkeypatch):
    """A long-running site keeps the stemmed text of the sections it showed last, not of every section."""
    monkeypatch.setattr(kb_search, "MAX_KEPT_TOKENS", 3)
    fresh = kb_search.KnowledgeBase(seed_index)
    shown = fresh.search("network", limit=10)
    assert len(shown.hits) > 3
    assert len(fresh._tokens) == 3
    again = fresh.search("network", limit=10)  # tokens recomputed for the ones dropped: same snippets
    assert [h.snippet for h in again.hits] == [h.snippet for h in shown.hits]
