"""Chinese search: Chinese text cut into words (kb.segment) in fields of its own, queries in either script.

The corpus is tests/chinese_search_corpus.py's: a notice in Chinese with its English translation (which quotes
政务数据共享) and a Traditional text, and five Chinese notices on overlapping subjects. The issue's failing
queries (账号密码, 划拨用地, 抗震设防) matched nothing before, because the English analyser made each run of
Chinese between two marks one term.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from chinese_corpus import NOTICE
from chinese_search_corpus import ACCOUNTS, BENCHMARK, EARTHQUAKE, LAND
from click.testing import CliRunner

from kb import segment, semantic, spelling
from kb.cli import cli
from kb.index import chinese_analyzer
from kb.models import Chunk
from kb.query import CHINESE_FIELDS, MAX_QUERY_WORDS, TEXT_FIELDS, prepare
from kb.search import KnowledgeBase
from kb.snippets import CHINESE_WINDOW_CHARS, chinese_snippet, match_spans
from kb.spelling import Speller
from web import create_app

CHINESE = {"zh", "hant"}


@pytest.fixture(scope="module")
def kb(chinese_search_index: Path) -> KnowledgeBase:
    return KnowledgeBase(chinese_search_index)


def where(result) -> list[tuple[str, str, str]]:
    return [(h.notice.id, h.chunk.translation, str(h.section)) for h in result.hits]


def marked(hit) -> list[str]:
    return [hit.snippet.plain[s:e] for s, e in hit.snippet.spans]


# -- the issue's queries ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "notice", "section"),
    [("账号密码", ACCOUNTS, "2.1"), ("划拨用地", LAND, "1.1"), ("抗震设防", EARTHQUAKE, "1.1")],
)
def test_the_issues_failing_queries_find_their_sections_first(kb, query, notice, section):
    result = kb.search(query)
    assert result.total > 0
    assert where(result)[0] == (notice, "zh", section)
    assert all(segment.has_han("".join(marked(h))) for h in result.hits if h.snippet.spans)


def test_a_query_word_finds_text_that_says_its_parts_apart(kb):
    # "对账号密码等" in the first notice; the one-stop services notice says "用户账号和密码"
    found = {(n, s) for n, _, s in where(kb.search("账号密码"))}
    assert ("guo-ban-fa-2023-21", "3") in found
    assert (NOTICE, "1") in found


def test_a_query_of_several_words_without_spaces_ranks_sections_with_all_of_them_first(kb):
    result = kb.search("划拨土地使用权转让")
    assert where(result)[0] == (LAND, "zh", "3")
    assert [w for w in result.hits[0].match.words] == segment.query_words("划拨土地使用权转让")
    assert not result.hits[0].match.missing
    assert all(h.match.missing for h in result.hits[1:])


# -- phrases -----------------------------------------------------------------------------------


def test_a_quoted_chinese_phrase_matches_only_where_the_text_says_it(kb):
    phrase = kb.search('"数据共享"', limit=50)
    words = kb.search("数据共享", limit=50)
    assert phrase.total > 0
    for hit in phrase.hits:  # in either script
        assert "数据共享" in segment.simplified((hit.chunk.title or "") + hit.chunk.body)
    assert words.total > phrase.total  # unquoted, its parts count too
    # beside other words too: the quoted word is not widened to its parts (数据, 共享)
    for hit in kb.search('"数据共享" 泄露', limit=50).hits:
        text = segment.simplified((hit.chunk.title or "") + hit.chunk.body)
        assert "数据共享" in text or "泄露" in text


def test_a_phrase_may_start_inside_a_word_of_the_text(kb):
    # the text is cut 政务 / 数据共享 / 工作: the phrase's 共享 is a sub-word, at its word's position
    result = kb.search('"共享工作"')
    assert (NOTICE, "front") in {(n, s) for n, _, s in where(result)}
    assert kb.search('"工作共享"').total == 0


def test_positions_count_words_and_a_sub_word_stands_where_its_word_does():
    tokens = [(t.text, t.pos) for t in chinese_analyzer()("加强政务数据共享工作", positions=True, mode="index")]
    assert ("数据共享", 2) in tokens and ("数据", 2) in tokens and ("共享", 2) in tokens and ("工作", 3) in tokens
    query = [t.text for t in chinese_analyzer()("数据共享工作", mode="query")]
    assert query == ["数据共享", "工作"]  # a query keeps the words it was cut into, not their parts


# -- the two languages -------------------------------------------------------------------------


def test_a_chinese_query_does_not_match_english_text(kb):
    # the English translation quotes "政务数据共享" verbatim; the English fields take no Chinese from a query, so an
    # English section is found only through its Chinese original's words (kb.alignment), and says so
    result = kb.search("政务数据共享", limit=50, group=False)
    assert result.total > 0
    english = [h for h in result.hits if h.chunk.translation not in CHINESE]
    assert all(h.through and set(h.through) <= CHINESE for h in english)
    with kb.searcher() as searcher:
        assert {leaf.field() for leaf in prepare("政务数据共享", searcher).query.leaves()} <= set(CHINESE_FIELDS)


def test_prefixes_and_fuzzy_terms_are_searched_in_the_fields_of_their_script(kb):
    with kb.searcher() as searcher:
        for text, fields in (("secur* satelite~1", set(TEXT_FIELDS)), ("数据* 账号~1", set(CHINESE_FIELDS))):
            leaves = [leaf for leaf in prepare(text, searcher).query.leaves() if leaf.field()]
            assert leaves and {leaf.field() for leaf in leaves} == fields


def test_a_field_named_before_chinese_is_that_field_of_chinese_text(kb):
    titled = kb.search("title:弱口令")
    assert titled.total > 0 and all("弱口令" in (h.chunk.title or "") for h in titled.hits)
    assert kb.search('heading:"不动产登记"').total > 0
    assert kb.search("title:数据 title:security").total > 0


def test_an_english_query_finds_english_text_only(kb):
    result = kb.search("catalogue of government data", limit=50)
    assert result.total > 0
    assert {t for _, t, _ in where(result)} == {"en"}


def test_search_by_meaning_brings_no_chinese_section_to_an_english_query(kb):
    # three words or more that few sections have: the sections nearest in meaning are added (kb.semantic)
    if semantic.model() is None:
        pytest.skip(f"search by meaning is off: {semantic.unavailable()}")
    # the model's vectors of Chinese text put a Chinese section nearest to each of these before
    # (a Chinese section is found only through the English translation of its own notice, by that one's words)
    for query in ("earthquake resistance of school buildings", "passwords stored in encrypted form"):
        hits = kb.search(query, limit=50, group=False).hits
        chinese = [h for h in hits if h.chunk.translation in CHINESE]
        assert all(h.notice.id == NOTICE and h.through == ["en"] for h in chinese), query


def test_a_query_mixing_chinese_and_english_finds_both(kb):
    translations = {t for h in kb.search("数据泄露 security", limit=50).hits for t in h.matched_in}
    assert "en" in translations and translations & CHINESE


def test_traditional_and_simplified_queries_find_both_scripts(kb):
    for query in ("政务数据", "政務數據"):
        result = kb.search(query, limit=50, group=False)
        assert {"zh", "hant"} <= {t for _, t, _ in where(result)}, query
    hit = next(h for h in kb.search("安全防护", group=False).hits if h.chunk.translation == "hant")
    assert "防護" in [hit.snippet.plain[s:e] for s, e in hit.snippet.spans] or "安全防護" in marked(hit)


def test_traditional_text_is_cut_as_its_simplified_form_is():
    assert [w for w, _, _ in segment.words("國務院辦公廳關於")] == ["国务院办公厅", "关于"]
    assert segment.simplified("政務數據共享") == "政务数据共享"


def test_a_chinese_query_is_not_blended_with_the_english_only_model_of_meaning(kb):
    for hit in kb.search("抗震设防 学校").hits:
        assert not (hit.contributions or {}).get("semantic")


def test_loading_the_segmenter_does_not_count_against_the_searchs_time(kb, monkeypatch):
    # the first Chinese query of a process loads jieba's dictionary (about half a second of CPU)
    import jieba

    monkeypatch.setattr(segment, "_jieba", None)
    monkeypatch.setattr(jieba.dt, "initialized", False)
    monkeypatch.setattr("kb.search.TIME_LIMIT", 0.1)
    result = kb.search("数据泄露 security")
    assert not result.timed_out and result.total > 0


def test_a_pasted_chinese_paragraph_is_searched_as_its_first_words(kb):
    paragraph = (Path(BENCHMARK) / "kangzhen.txt").read_text(encoding="utf-8").replace("\n", "")[:480]
    result = kb.search(paragraph)
    assert result.total > 0 and result.truncated and not result.timed_out
    with kb.searcher() as searcher:
        prepared = prepare(paragraph, searcher)
    terms = {leaf.text for leaf in prepared.query.leaves() if leaf.field() == "body_zh" and hasattr(leaf, "text")}
    assert len(terms - {w for t in terms for w, _, _ in segment.sub_words(t)}) <= MAX_QUERY_WORDS


# -- snippets ----------------------------------------------------------------------------------


def test_a_chinese_snippet_marks_the_match_and_is_cut_at_characters(kb):
    hit = kb.search("弱口令").hits[0]
    assert marked(hit) == ["弱口令"]
    assert "<mark>弱口令</mark>" in hit.snippet.html
    assert len(hit.snippet.plain) <= CHINESE_WINDOW_CHARS + 2
    assert " " not in hit.snippet.plain.strip("…")  # no word spacing put into Chinese


def test_a_word_and_its_sub_words_are_marked_as_one_span(kb):
    hit = next(h for h in kb.search("账号密码").hits if h.notice.id == NOTICE)
    assert "账号密码" in marked(hit)


def test_a_long_chinese_snippet_starts_at_a_clause_before_the_match_and_keeps_whole_characters():
    text = "各地区要加强管理。" * 20 + "对账号密码等安全信息要严格管理。" + "各部门要及时更新\U000e0100目录。" * 20
    tokens = [(s, e, w) for s, e, w in _tokens(text)]
    snippet = chinese_snippet(text, {"账号密码"}, tokens)
    assert snippet.plain.startswith("…对账号密码")  # after the 。 that ends the clause before it
    assert [snippet.plain[s:e] for s, e in snippet.spans] == ["账号密码"]
    assert snippet.plain.endswith("…") and len(snippet.plain) <= CHINESE_WINDOW_CHARS + 3
    # a variation selector is never separated from its character
    for cut in range(len(text) - 60, len(text) - 30):
        body = chinese_snippet(text, set(), _tokens(text[:cut] + "x" * 0)).plain
        assert not body.rstrip("…").startswith("\U000e0100")


def _tokens(text: str) -> list[tuple[int, int, str]]:
    from kb.snippets import chinese_tokens

    return chinese_tokens(text)


def test_a_snippet_window_never_ends_between_a_character_and_its_variation_selector():
    text = "管" * (CHINESE_WINDOW_CHARS - 1) + "理\U000e0100" + "后文" * 10
    snippet = chinese_snippet(text, set(), [])
    assert snippet.plain.rstrip("…").endswith("理\U000e0100")


def test_a_reading_page_marks_chinese_words_as_the_snippet_does():
    assert match_spans("对账号密码等安全信息要严格管理。", {"账号密码", "账号", "密码", "管理"}) == [(1, 5), (13, 15)]
    assert match_spans("Account passwords shall be managed", {"password"}) == [(8, 17)]


# -- did you mean --------------------------------------------------------------------------------


def test_did_you_mean_leaves_chinese_alone(kb):
    for query in ("账号密码", "划拨用地", "抗震设访", "國務院"):
        result = kb.search(query, correct=False)
        assert result.suggestion is None
        assert kb.search(query).corrected is None


def test_a_misspelt_english_word_is_corrected_and_the_chinese_beside_it_kept(kb):
    result = kb.search("departmnets 数据共享", correct=False)
    assert result.suggestion == "departments 数据共享"


def test_a_chinese_word_being_typed_is_not_completed(kb, tmp_path):
    assert kb.search("抗震设", prefix=True).completed is None
    with kb.searcher() as searcher:  # nor matched as a prefix where the build has no vocabulary to complete from
        assert prepare("抗震设", searcher, speller=Speller(tmp_path), prefix=True).completed is None


def test_the_spelling_vocabulary_holds_no_chinese():
    chunk = Chunk("n", None, "zh", "1", "加强账号密码安全", None, "对账号密码等安全信息要严格管理。IPv6 networks")
    assert set(spelling.chunk_words(chunk)) == {"ipv6", "networks"}


# -- the command line and the API ---------------------------------------------------------------


def test_kb_search_prints_chinese_hits(chinese_search_index, chinese_search_corpus):
    args = ["--index", str(chinese_search_index.parent), "--corpus", str(chinese_search_corpus)]
    result = CliRunner().invoke(cli, [*args, "search", "划拨用地", "--json"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout)["results"][0]
    assert (first["notice"], first["section"], first["translation"]) == (LAND, "1.1", "zh")
    marks = {first["snippet"][s:e] for s, e in first["highlights"]}
    assert marks and marks <= {"划拨", "用地", "划拨用地"}


def test_the_json_api_returns_chinese_hits(chinese_search_index, chinese_search_corpus):
    app = create_app({"TESTING": True, "KB_INDEX": chinese_search_index.parent, "KB_CORPUS": chinese_search_corpus})
    response = app.test_client().get("/api/search?q=抗震设防")
    assert response.status_code == 200
    first = response.get_json()["results"][0]
    assert (first["notice"], first["section"]) == (EARTHQUAKE, "1.1")
    assert "<mark>抗震设防</mark>" in first["snippet_html"]


def test_an_english_corpus_and_english_queries_never_load_the_segmenter(seed_index):
    script = (
        "import json, sys; from pathlib import Path; from kb.search import KnowledgeBase; "
        "kb = KnowledgeBase(Path(sys.argv[1])); [kb.search(q) for q in json.loads(sys.argv[2])]; "
        "print('jieba' in sys.modules)"
    )
    queries = json.dumps(["submarine cables", "secur*", '"dual gigabit"', "satelite", "title:security"])
    run = subprocess.run([sys.executable, "-c", script, str(seed_index), queries], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"
