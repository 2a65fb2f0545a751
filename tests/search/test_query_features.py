"""Query syntax and what a query is expanded to: phrases, operators, fields, prefixes, fuzzy terms,
citations, malformed input, typos, synonyms; and the snippets shown for the matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from kb import index as kb_index
from kb.errors import KnowledgeBaseError
from kb.query import MAX_FUZZY_EDITS, MAX_QUERY_LENGTH, citation, is_malformed, prepare, stems
from kb.search import MAX_LIMIT, KnowledgeBase
from kb.snippets import MAX_CHARS, WINDOW_TOKENS


def sections(result) -> list[str]:
    return [h.section for h in result.hits]


def hit_text(kb: KnowledgeBase, hit) -> str:
    return f"{hit.title or ''}\n{hit.parent_title or ''}\n{kb.section(hit.translation, hit.section).body}".lower()


def marked_words(hit) -> list[str]:
    return [hit.snippet.plain[s:e] for s, e in hit.snippet.spans]


def has_word(text: str, stem: str) -> bool:
    return any(stems(w) == [stem] for w in re.findall(r"[A-Za-z]+", text))


# -- phrases ----------------------------------------------------------------------


def test_phrase_puts_the_section_with_the_phrase_first(kb):
    result = kb.search('"dual gigabit"', group=False)
    assert sections(result)[0] == "3.1"
    assert all("dual gigabit" in hit_text(kb, h) for h in result.hits)
    # the words alone also match a section that has "gigabit" without "dual"
    assert kb.search("dual gigabit").total > result.total


def test_phrase_that_does_not_occur_finds_nothing(kb):
    assert kb.search('"gigabit satellite"').total == 0
    assert kb.search("gigabit OR satellite").total >= 2


# -- boolean operators --------------------------------------------------------------


def test_and_requires_every_word(kb):
    result = kb.search("data AND monitoring", group=False, limit=MAX_LIMIT)
    assert result.hits
    for h in result.hits:
        text = hit_text(kb, h)
        assert "data" in text and "monitor" in text, (h.section, h.translation)
    assert result.total < kb.search("data OR monitoring", group=False).total


def test_or_is_the_union(kb):
    either = set(sections(kb.search("satellite OR submarine", limit=MAX_LIMIT)))
    one = set(sections(kb.search("satellite", limit=MAX_LIMIT)))
    other = set(sections(kb.search("submarine", limit=MAX_LIMIT)))
    assert either == one | other == {"3.1", "7.1"}


@pytest.mark.parametrize("query", ["security AND NOT data", "security ANDNOT data"])
def test_and_not_excludes(kb, query):
    result = kb.search(query, group=False, limit=MAX_LIMIT)
    assert result.hits
    for h in result.hits:
        text = hit_text(kb, h)
        assert "data" not in text, (h.section, h.translation)
        assert "secur" in text or "safety" in text


def test_not_excludes(kb):
    result = kb.search("security NOT data", group=False, limit=MAX_LIMIT)
    offenders = [(h.section, h.translation) for h in result.hits if "data" in hit_text(kb, h)]
    unrelated = [(h.section, h.translation) for h in result.hits if "secur" not in hit_text(kb, h)]
    assert not offenders and not unrelated


# -- expansions must obey the query's constraints (phrases, NOT, fields) -------------


def _no_hit(kb, query, bad, **kw):
    result = kb.search(query, group=False, limit=MAX_LIMIT, **kw)
    return [(h.section, h.translation) for h in result.hits if bad(h)]


@pytest.mark.parametrize(
    ("query", "bad"),
    [
        # "safety" (synonym of security) brings back 6.3, although the phrase occurs nowhere
        ('"submarine security"', lambda kb, h: True),
        # 6.3 says "safety", and its title says "infrastructure"
        ("security AND NOT infrastructure", lambda kb, h: "infrastructure" in hit_text(kb, h)),
        # full/6.3's title has no "security"; it is found through "safety" in its body
        ("title:security", lambda kb, h: "secur" not in (h.title or "").lower()),
        # the correction "government" of an excluded word is searched as a wanted word
        ("security AND NOT goverment", lambda kb, h: "government" in hit_text(kb, h)),
    ],
    ids=["phrase", "and-not", "title-field", "not-typo"],
)
def test_expansions_obey_constraints(kb, query, bad):
    assert _no_hit(kb, query, lambda h: bad(kb, h)) == []


# -- field filters -------------------------------------------------------------------


def test_section_field_exact(kb):
    result = kb.search("section:6.1", group=False)
    assert {(h.section, h.translation) for h in result.hits} == {("6.1", "full"), ("6.1", "gmt")}


def test_section_field_top_level_means_its_subsections(kb):
    result = kb.search("section:6", limit=MAX_LIMIT)
    assert sections(result) == ["6.1", "6.2", "6.3"]
    assert kb.search("sec:6", limit=MAX_LIMIT).total == 3  # alias


def test_translation_field(kb):
    result = kb.search("translation:gmt", group=False, limit=MAX_LIMIT)
    assert result.hits and {h.translation for h in result.hits} == {"gmt"}
    assert "3.1" not in sections(result)
    combined = kb.search("translation:gmt satellite", group=False)
    assert combined.total >= 0  # a field term next to a word still parses


def test_title_field(kb):
    result = kb.search("title:security", limit=MAX_LIMIT)
    assert set(sections(result)) == {"6.1", "6.2", "6.3"}
    for h in result.hits:
        assert "secur" in (h.title or "").lower(), h.title
    # the words of 4.2 and the front matter mention security, their titles do not
    assert {"4.2", "front"} <= set(sections(kb.search("security", limit=MAX_LIMIT)))


# -- prefixes, fuzzy terms, wildcards ----------------------------------------------------


def test_prefix(kb):
    result = kb.search("secur*", limit=MAX_LIMIT)
    assert {"6.1", "6.2", "6.3"} <= set(sections(result))
    for h in result.hits:
        assert re.search(r"\bsecur", hit_text(kb, h)), h.section


def test_one_letter_prefix_is_refused_without_error(kb):
    assert kb.search("s*").total == 0


def test_fuzzy(kb):
    result = kb.search("satelite~2")
    assert sections(result)[0] == "3.1"
    assert "satellite" in [w.lower() for w in marked_words(result.hits[0])]


def test_fuzzy_edits_are_capped(kb):
    assert sections(kb.search("satelite~5")) == sections(kb.search("satelite~2"))
    # "spectrum" is two edits from "spxxtrum" but three from "spxxxrum"
    assert sections(kb.search("spxxtrum~5")) == ["7.1"]
    assert kb.search("spxxxrum~5").total == 0
    with kb.ix.searcher() as searcher:
        q = prepare("satelite~5", searcher).query
    fuzzy = [leaf for leaf in q.leaves() if isinstance(leaf, wq.FuzzyTerm)]
    assert fuzzy and all(f.maxdist <= MAX_FUZZY_EDITS and f.prefixlength >= 1 for f in fuzzy)


@pytest.mark.parametrize("query", ["*able", "?ecurity", "*", "*ecurity*", "title:*", "?"])
def test_leading_wildcards_are_neutralised(kb, query):
    result = kb.search(query)
    assert result.fallback or result.total == 0
    with kb.ix.searcher() as searcher:
        q = prepare(query, searcher).query
    assert q is None or not any(isinstance(leaf, wq.Wildcard) for leaf in q.leaves())


# -- citations -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "section"),
    [
        ("6.1", "6.1"),
        ("6 (1)", "6.1"),
        ("section 6(1)", "6.1"),
        ("VI (1)", "6.1"),
        ("vi.1", "6.1"),
        ("§ 6 (2)", "6.2"),
        ("art 7(3)", "7.3"),
    ],
)
def test_citation_puts_the_section_first(kb, query, section):
    result = kb.search(query)
    assert result.hits[0].section == section
    assert result.hits[0].cited
    assert not any(h.cited for h in result.hits[1:])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6.1", "6.1"),
        ("6 (1)", "6.1"),
        ("section 6(1)", "6.1"),
        ("VI (1)", "6.1"),
        ("7", "7"),
        ("VII", "7"),
        ("I", None),
        ("v", None),
        ("security", None),
        ("6.1 security", None),
    ],
)
def test_citation_parsing(text, expected):
    assert citation(text) == expected


@pytest.mark.parametrize("query", ["7", "VII", "section 7"])
def test_citation_of_a_top_level_section_puts_it_first(kb, query):
    result = kb.search(query)
    assert result.hits and (result.hits[0].section == "7" or result.hits[0].section.startswith("7."))


@pytest.mark.parametrize("query", ["section 6(1)", "section 6.1", "article 7"])
def test_citation_is_not_spell_corrected(kb, query):
    # "section" is not in the index, but it is common English, not a typo of "action"
    result = kb.search(query)
    assert result.suggestion is None
    assert "4.1" not in [h.section for h in result.hits]  # 4.1 says "special action"


# -- malformed, empty, too long ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ('"unbalanced', "unbalanced"),
        ("(security", "security"),
        ("security)", "security"),
        ("AND", None),
        ("OR security", "security"),
        ("title:", None),
        ("security AND", "security"),
        ("::", None),
        ("~", None),
        ("*", None),
        ('"', None),
        ("NOT", None),
        ("security NOT", "security"),
        ("((security data", "security data"),
        ("section:", None),
        ("[a TO", "a TO"),
        ("security^", "security"),
        ("title:(security", "security"),
    ],
)
def test_malformed_queries_fall_back_to_their_words(kb, query, words):
    result = kb.search(query)  # never raises
    if is_malformed(query):
        assert result.fallback
    if words is None:
        assert result.total == 0
    else:
        assert sections(result) == sections(kb.search(words))


@given(
    st.lists(
        st.sampled_from(
            [
                '"',
                "(",
                ")",
                "*",
                "?",
                "~",
                "~2",
                "^",
                ":",
                "title:",
                "section:",
                "AND",
                "OR",
                "NOT",
                "secur",
                "ity",
                "data",
                "6",
                "(1)",
                "VI",
                "[",
                "]",
                "{",
                "}",
                "\\",
                "-",
                "+",
                "/",
                " ",
                "satelite",
                "§",
            ]
        ),
        min_size=1,
        max_size=12,
    ).map("".join)
)
@settings(max_examples=150, deadline=None)
def test_no_query_raises_anything_but_a_knowledge_base_error(kb, text):
    try:
        result = kb.search(text)
    except KnowledgeBaseError as e:
        assert not text.strip(), e
    else:
        assert result.total >= len(result.hits)


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_empty_query_is_an_error(kb, query):
    with pytest.raises(KnowledgeBaseError, match="empty query"):
        kb.search(query)


def test_too_long_query_is_an_error(kb):
    kb.search("a" * MAX_QUERY_LENGTH)  # the limit itself is fine
    with pytest.raises(KnowledgeBaseError, match=r"too long \(501 characters; the limit is 500\)"):
        kb.search("a" * (MAX_QUERY_LENGTH + 1))
    with pytest.raises(KnowledgeBaseError, match="too long"):
        kb.search("security " * 100)


# -- typos ---------------------------------------------------------------------------


def test_typo_finds_the_word_and_suggests_it(kb):
    result = kb.search("satelite")
    assert sections(result)[0] == "3.1"
    assert result.suggestion == "satellite"


def test_typo_in_a_phrase_of_words(kb):
    result = kb.search("earthqauke resistance")
    assert sections(result)[0] == "6.3"
    assert result.suggestion == "earthquake resistance"


def test_typo_suggestion(kb):
    result = kb.search("goverment")
    assert result.suggestion == "government"
    assert result.hits and all("govern" in hit_text(kb, h) for h in result.hits)
    assert any("government" in hit_text(kb, h) for h in result.hits)


@pytest.mark.parametrize("query", ["security", "submarine cables", "6.1", '"dual gigabit"'])
def test_known_words_get_no_suggestion(kb, query):
    assert kb.search(query).suggestion is None


# -- synonyms ------------------------------------------------------------------------


def test_internet_of_vehicles_finds_car_networking(kb):
    result = kb.search("Internet of Vehicles", translation="gmt", limit=MAX_LIMIT)
    found = [h for h in result.hits if "car networking" in hit_text(kb, h)]
    assert found
    assert all("internet of vehicles" not in hit_text(kb, h) for h in found)
    assert "car networking" in [" ".join(marked_words(h)).lower() for h in found][0]
    separate = kb.search("Internet of Vehicles", group=False, limit=MAX_LIMIT)
    assert ("6.2", "gmt") in {(h.section, h.translation) for h in separate.hits}


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
    assert {("8.1", "gmt"), ("8.3", "gmt")} <= {(h.section, h.translation) for h in only_long_form}


def test_computer_rooms_finds_communication_and_machine_rooms(kb):
    result = kb.search("computer rooms", translation="gmt", limit=MAX_LIMIT)
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
    body = tiny_kb.section("doc", "1.2").body
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
    hit = kb.search("accidents", translation="gmt").hits[0]
    assert hit.section == "6.3"
    # actual: '… resolutely curb major safety accidents.'
    assert len(hit.snippet.plain.split()) >= WINDOW_TOKENS // 2, hit.snippet.plain
