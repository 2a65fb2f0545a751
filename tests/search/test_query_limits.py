"""The work one query can cause is bounded, counted in the search's one deadline, and reported;
unusual queries and parameters are answered or refused cleanly, never with a crash.

Work is measured by counting the costly calls (spelling lookups, prefix
expansions, edit-distance automata), never by timing.
"""

from __future__ import annotations

import json
import math
import random
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh import qparser
from whoosh import query as wq
from whoosh.automata import lev
from whoosh.fields import TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.reading import SegmentReader

from kb import index as kb_index
from kb import query as kb_query
from kb import scoring as kb_scoring
from kb import search as kb_search
from kb.errors import InvalidRequest
from kb.query import (
    ALIGNED_FIELDS,
    MAX_AUTOMATON_WORK,
    MAX_CLAUSES,
    MAX_CORRECTED_WORDS,
    MAX_EXPANDED_TERMS,
    MAX_EXPANDED_WORDS,
    MAX_NESTING,
    MAX_QUERY_WORDS,
    MAX_TERMS_PER_EXPANSION,
    TEXT_FIELDS,
    Budget,
    prepare,
    stems,
)
from kb.search import KnowledgeBase
from kb.spelling import Speller
from web import create_app
from web.params import whole_number


def calls_to(monkeypatch, owner, name: str) -> list[tuple]:
    """Record the arguments of every call of ``owner.name`` (``self`` first, for a method), still calling it."""
    original = getattr(owner, name)
    calls: list[tuple] = []

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


def made_up_words(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(string.ascii_lowercase) for _ in range(7)) for _ in range(n)]


def text_field_prefix_expansions(calls: list[tuple]) -> list[tuple]:
    """Calls of ``reader.expand_prefix(fieldname, prefix)`` on the text fields."""
    return [c for c in calls if c[1] in TEXT_FIELDS]


def leaves(q: wq.Query) -> list[wq.Query]:
    return list(q.leaves()) if q is not None else []


# -- spelling lookups ------------------------------------------------------------------------


def test_a_flood_of_unknown_words_does_a_few_spelling_lookups(kb, monkeypatch):
    lookups = calls_to(monkeypatch, Speller, "suggest")
    flood = " ".join(made_up_words(60))
    result = kb.search(flood)
    assert 0 < len(lookups) <= MAX_CORRECTED_WORDS
    assert result.truncated and not result.timed_out
    assert f"only the first {MAX_CORRECTED_WORDS} unknown words were checked for spelling" in result.warnings


def test_a_repeated_unknown_word_is_looked_up_once(kb, monkeypatch):
    lookups = calls_to(monkeypatch, Speller, "suggest")
    kb.search(" ".join(["qzxwvut", "Qzxwvut"] * 30))
    assert len(lookups) == 1


def test_typos_within_the_cap_are_still_corrected(kb):
    result = kb.search("satelite earthqauke goverment")
    assert result.corrected == "satellite earthquake government"
    assert not result.truncated and result.warnings == []


def test_a_very_long_unknown_word_is_not_spell_checked(kb, monkeypatch):
    lookups = calls_to(monkeypatch, Speller, "suggest")
    result = kb.search("x" * 400)
    assert lookups == []
    assert result.truncated


# -- words and clauses -----------------------------------------------------------------------


def test_only_the_first_words_of_a_long_query_are_searched(kb):
    words = made_up_words(MAX_QUERY_WORDS + 20, seed=3)
    words[0], words[MAX_QUERY_WORDS + 5] = "satellite", "spectrum"
    with kb.ix.searcher() as searcher:
        prepared = prepare(" ".join(words), searcher)
    texts = {leaf.text for leaf in leaves(prepared.query) if isinstance(leaf, wq.Term)}
    assert stems("satellite")[0] in texts
    assert stems("spectrum")[0] not in texts
    assert prepared.budget.truncated
    assert f"only the first {MAX_QUERY_WORDS} words of the query were searched" in prepared.budget.notes


def test_a_word_that_splits_into_a_long_phrase_is_bounded(kb, monkeypatch):
    parsed = calls_to(monkeypatch, qparser.QueryParser, "parse")
    chain = "-".join(string.ascii_lowercase * 8)[:499]  # one word to the eye, 250 to the analyser
    with kb.ix.searcher() as searcher:
        prepared = prepare(chain, searcher)
    assert kb_query._weight(prepared.query) <= MAX_CLAUSES
    assert prepared.fallback and prepared.budget.truncated
    # the parser never sees the whole chain: parsing it was the costly part
    assert parsed and all(len(re.findall(r"[a-z]+", text)) <= 2 * MAX_QUERY_WORDS for _, text in parsed)
    kb.search(chain)


def test_deeply_nested_brackets_are_searched_as_words(kb):
    nested = "(" * (MAX_NESTING + 1) + "data security" + ")" * (MAX_NESTING + 1)
    result = kb.search(nested)
    assert result.fallback and result.truncated
    assert [h.section for h in result.hits] == [h.section for h in kb.search("data security").hits]
    shallow = kb.search("(" * MAX_NESTING + "data security" + ")" * MAX_NESTING)
    assert not shallow.fallback and not shallow.truncated


# -- prefix and fuzzy expansions -------------------------------------------------------------


def test_prefix_expansions_are_capped_and_done_once(kb, monkeypatch):
    expansions = calls_to(monkeypatch, SegmentReader, "expand_prefix")
    prefixes = "co* de* in* pr* se* ne* da* st* re* ma*"
    result = kb.search(prefixes)
    # each expanded prefix is read once per text field: not again to match, estimate or mark snippets
    assert len(text_field_prefix_expansions(expansions)) <= MAX_EXPANDED_WORDS * len(TEXT_FIELDS)
    assert result.truncated
    assert any("prefix or fuzzy terms were expanded" in w for w in result.warnings)


#: The text fields an index of notices in one language searches: the aligned ones are empty there (kb.alignment).
OWN_FIELDS = [f for f in TEXT_FIELDS if f not in ALIGNED_FIELDS]


def test_one_prefix_is_expanded_once_per_field(kb, monkeypatch):
    expansions = calls_to(monkeypatch, SegmentReader, "expand_prefix")
    result = kb.search("secur*")
    assert len(text_field_prefix_expansions(expansions)) == len(OWN_FIELDS)
    assert result.hits and not result.truncated


#: Words of a corpus in which ``co*`` and ``in*`` each stand for more than MAX_TERMS_PER_EXPANSION stems.
CO_WORDS = (
    "coal coast code coffee coin collar colleague collect college colony column combat combine comfort command "
    "comment commerce commit common community company compare compass compete compile complain complete complex "
    "comply compose compound compute conceal concept concern concert conclude concrete condition conduct"
).split()
IN_WORDS = (
    "inbound incense inch incident income increase index indicate indigo industry infant infer inflate influence "
    "inform infrared ingest inhabit inherit initial inject injure ink inland inlet inmate innovate input inquire "
    "insect insert inside insight insist inspect install instant instinct institute instruct"
).split()


def prefix_notice(number: int, words: list[str], tops: int, subs: int, everywhere: bool) -> str:
    """A notice in the seeds' shape whose headings, titles and bodies (or its bodies alone) run through ``words``."""

    def run(start: int, n: int) -> str:
        return " ".join(words[(start + j) % len(words)] for j in range(n))

    lines = [f"Notice on matters related to safety (test {number})", f"MIIT Communications [2024] No. {number}", ""]
    n = 0
    for top in range(1, tops + 1):
        lines.append(f"{top}. " + (run(top * 10, 10).title() if everywhere else "General Provisions"))
        for sub in range(1, subs + 1):
            title = run(n * 10 + 5, 10).title() if everywhere else "Matters Related to Safety"
            lines.append(f"({sub}) {title}. Matters related to safety and {run(n * 10, 12)}.")
            n += 1
        lines.append("")
    return "\n".join([*lines, "Ministry of Industry and Information Technology", "September 4, 2024", ""])


@pytest.fixture(scope="module")
def prefix_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """A small corpus where two prefixes each match more stems than are searched, in every text field.

    A few sections hold ``co`` words, a few ``in`` words in every field, and
    twenty ``in`` words in their bodies alone: those are found by ``in*`` only
    through the body.
    """
    corpus = tmp_path_factory.mktemp("prefix-corpus")
    (corpus / "co.txt").write_text(prefix_notice(1, CO_WORDS, 4, 1, everywhere=True), encoding="utf-8")
    (corpus / "in.txt").write_text(prefix_notice(2, IN_WORDS, 4, 1, everywhere=True), encoding="utf-8")
    (corpus / "in-body.txt").write_text(prefix_notice(3, IN_WORDS, 4, 5, everywhere=False), encoding="utf-8")
    return KnowledgeBase(kb_index.build(corpus, tmp_path_factory.mktemp("prefix-index"), force=True).path)


def test_a_later_prefix_is_not_starved_by_an_earlier_ones_fields(prefix_kb):
    with prefix_kb.ix.searcher() as searcher:
        reader = searcher.reader()
        for prefix in ("co", "in"):  # the corpus does what it is for
            assert all(len(list(reader.expand_prefix(f, prefix))) > MAX_TERMS_PER_EXPANSION for f in OWN_FIELDS)
        prepared = prepare("co* in*", searcher)
        sizes = [len(leaf._btexts(reader)) for leaf in leaves(prepared.query) if isinstance(leaf, wq.Prefix)]
    assert sizes == [MAX_TERMS_PER_EXPANSION] * 2 * len(OWN_FIELDS)  # every field of both words
    alone = {q: prefix_kb.search(q).total for q in ("co*", "in*")}
    for both in ("co* in*", "in* co*"):
        result = prefix_kb.search(both)
        assert result.total >= max(alone.values()), (both, result.total, alone)  # an OR finds what its parts do
        assert result.warnings == [
            f"a prefix or fuzzy term matched more index terms than are searched ({MAX_TERMS_PER_EXPANSION})"
        ]


def test_fuzzy_automata_are_built_once_per_word_and_capped(kb, monkeypatch):
    # the words are in the index, so the spelling corrector (which builds automata too) is not involved
    built = calls_to(monkeypatch, lev, "levenshtein_automaton")
    monkeypatch.setattr(kb_query, "levenshtein_automaton", lev.levenshtein_automaton)
    kb.search("security~2")
    assert len(built) == 1  # one automaton for the three fields, reused for the snippets
    built.clear()
    result = kb.search("security~2 network~2 satellite~2 computing~2 infrastructure~2 cables~2 spectrum~2")
    assert len(built) <= MAX_EXPANDED_WORDS
    assert result.truncated


def automaton_work(built: list[tuple]) -> int:
    """Letters times edits of the automata built, from the recorded ``levenshtein_automaton(term, k, prefix)`` calls."""
    return sum(len(term) * k for term, k, *_ in built)


@pytest.fixture
def built_automata(monkeypatch) -> list[tuple]:
    """Every edit-distance automaton built: by fuzzy terms (kb.query's import) and by the spelling corrector."""
    built = calls_to(monkeypatch, lev, "levenshtein_automaton")
    monkeypatch.setattr(kb_query, "levenshtein_automaton", lev.levenshtein_automaton)
    return built


def test_long_fuzzy_and_unknown_words_build_automata_within_the_allowance(kb, built_automata):
    rnd = random.Random(5)
    fuzzy = ["".join(rnd.choice(string.ascii_lowercase) for _ in range(20)) + "~2" for _ in range(4)]
    unknown = ["".join(rnd.choice(string.ascii_lowercase) for _ in range(20)) for _ in range(3)]
    result = kb.search(" ".join(fuzzy + unknown))
    # seven automata of 20 letters at 2 edits (280) were built before; now what the allowance pays for, and the
    # unknown words build none (spelling lookups use the build's spelling file)
    assert 0 < automaton_work(built_automata) <= MAX_AUTOMATON_WORK
    assert all(f"{term}~2" in fuzzy for term, *_ in built_automata)
    assert result.truncated and not result.timed_out
    assert any(w.endswith("allowance for fuzzy matching was used up") for w in result.warnings)


def test_spelling_lookups_do_not_draw_on_the_automaton_allowance(kb, built_automata):
    rnd = random.Random(6)
    fuzzy = ["".join(rnd.choice(string.ascii_lowercase) for _ in range(20)) + "~2" for _ in range(2)]
    result = kb.search(" ".join([*fuzzy, "satelite"]))  # the two fuzzy terms spend the whole allowance (80)
    assert [f"{term}~2" for term, *_ in built_automata] == fuzzy
    assert result.corrected and "satellite" in result.corrected
    assert not any("not checked for spelling" in w for w in result.warnings)


def test_words_typed_as_fuzzy_or_prefix_terms_are_not_spell_checked(kb, monkeypatch):
    lookups = calls_to(monkeypatch, Speller, "suggest")
    result = kb.search("satelite~2 qzxwvutsr* qzxwvutab~1")
    assert lookups == []  # the fuzzy term does its own matching; a correction of it was never used
    assert result.hits


def test_ordinary_typos_fit_the_automaton_allowance(kb, built_automata):
    result = kb.search("satelite~2 earthqauke goverment")
    assert result.corrected == "satelite~2 earthquake government"
    assert not result.truncated
    assert automaton_work(built_automata) <= MAX_AUTOMATON_WORK


def test_expanded_terms_are_capped_per_term_and_per_query(kb, monkeypatch):
    monkeypatch.setattr(kb_query, "MAX_TERMS_PER_EXPANSION", 2)
    with kb.ix.searcher() as searcher:
        prepared = prepare("co* pr* se*", searcher)
        reader = searcher.reader()
        sizes = [len(leaf._btexts(reader)) for leaf in leaves(prepared.query) if isinstance(leaf, wq.Prefix)]
    assert sizes and max(sizes) <= 2
    assert sum(sizes) <= MAX_EXPANDED_TERMS
    assert any("matched more index terms than are searched" in n for n in prepared.budget.notes)


def test_expansions_are_per_segment():
    # Whoosh matches segment by segment, each with its own reader and its own terms
    ix = RamStorage().create_index(Schema(body=TEXT(stored=True)))
    for text in ["secure first", "secured second", "secures third"]:
        writer = ix.writer()
        writer.add_document(body=text)
        writer.commit(merge=False)
    with ix.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) == 3
        prefix = kb_query.BoundedPrefix("body", "secur", budget=Budget())
        fuzzy = kb_query.BoundedFuzzyTerm("body", "secure", maxdist=1, prefixlength=1, budget=Budget())
        assert len(searcher.search(prefix)) == 3
        assert len(searcher.search(fuzzy)) == 3


def test_fuzzy_prefix_longer_than_the_word_is_cut_to_the_word(kb):
    with kb.ix.searcher() as searcher:
        q = prepare("ab~2/5", searcher).query
    fuzzy = [leaf for leaf in leaves(q) if isinstance(leaf, wq.FuzzyTerm)]
    assert fuzzy and all(f.prefixlength <= len(f.text) for f in fuzzy)
    kb.search("ab~2/5")
    kb.search("satellite~2/40")


# -- one deadline for the whole search -------------------------------------------------------


def test_the_deadline_covers_spelling_lookups_and_expansions(kb, monkeypatch):
    monkeypatch.setattr(kb_search, "TIME_LIMIT", 0.0)
    lookups = calls_to(monkeypatch, Speller, "suggest")
    expansions = calls_to(monkeypatch, SegmentReader, "expand_prefix")
    result = kb.search("satelite secur*")
    assert lookups == []
    assert text_field_prefix_expansions(expansions) == []
    assert result.timed_out
    assert "the search ran out of time; results may be incomplete" in result.warnings


@pytest.mark.parametrize("text", ["data OR security OR network OR information", "(data OR network) AND development"])
def test_the_deadline_covers_the_collector(kb, monkeypatch, text):
    # the seeds have too few matches for the usual spacing of the budget's checks
    monkeypatch.setattr(kb_search._EveryMatch, "BUDGET_CHECK_EVERY", 1)
    monkeypatch.setattr(kb_scoring, "BUDGET_CHECK_POSTINGS", 1)
    ticks = iter([0.0] * 10 + [10.0] * 1000)  # time stands still for 10 readings, then the deadline is long past
    budget = Budget(1.0, clock=lambda: next(ticks))
    with kb.ix.searcher() as searcher:
        q = prepare(text, searcher, budget=budget).query
        everything = kb_search._collect(searcher, q, Budget(), None)
        cut = kb_search._collect(searcher, q, budget, None)
    assert len(cut.matched) < len(everything.matched)
    assert set(cut.candidates) <= cut.matched
    assert budget.timed_out


def test_a_budget_is_shared_by_copies_of_a_query(kb):
    budget = Budget()
    with kb.ix.searcher() as searcher:
        q = prepare("secur*", searcher, budget=budget).query
    copied = q.copy()
    assert all(leaf.budget is budget for leaf in leaves(copied) if isinstance(leaf, wq.Prefix))


# -- reporting ---------------------------------------------------------------------------------


def test_the_json_says_what_was_cut(kb):
    data = kb.search(" ".join(made_up_words(60))).to_json()
    assert data["truncated"] is True and data["timed_out"] is False and data["warnings"]
    clean = kb.search("security").to_json()
    assert (clean["truncated"], clean["timed_out"], clean["warnings"]) == (False, False, [])


# -- crashes on unusual queries ----------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "ab~2/5",
        "body:dual* ANDNOT [approval TO who] ANDNOT optical",
        "dual* ANDNOT approval ANDNOT optical",
        "x~0",
        "(*:*)",
        "security^" + "9" * 400,
        "security^0",
        "((((((((((((((((((((((((((((((data))))))))))))))))))))))))))))))",
    ],
)
def test_unusual_queries_are_searched_without_error(kb, query):
    result = kb.search(query)
    assert all(math.isfinite(h.score) for h in result.hits)
    json.dumps(result.to_json(), allow_nan=False)


def test_nested_andnot_excludes_what_it_says(kb):
    def found(q: str) -> set[tuple[str, str]]:
        return {(h.chunk.translation, h.section) for h in kb.search(q, group=False, limit=100).hits}

    expected = found("secur*") - found("data") - found("network")
    assert expected
    assert found("secur* ANDNOT data ANDNOT network") == expected


@pytest.mark.parametrize("query", ["[approval TO who]", "title:[a TO z]", "section:[1 TO 3]", "{a TO b]", "*:*"])
def test_ranges_and_every_are_not_query_syntax(kb, query):
    with kb.ix.searcher() as searcher:
        q = prepare(query, searcher).query
    assert not any(isinstance(leaf, (wq.TermRange, wq.Every)) for leaf in leaves(q))
    kb.search(query)


def test_a_query_whoosh_cannot_execute_falls_back_to_its_words(kb, monkeypatch):
    def broken(self, searcher, context=None):
        raise IndexError("tuple index out of range")

    monkeypatch.setattr(kb_query.SafeAndNot, "matcher", broken)
    result = kb.search("security ANDNOT data")
    assert result.fallback
    assert [h.section for h in result.hits] == [h.section for h in kb.search("security data").hits]


def test_a_query_whose_words_cannot_be_executed_is_refused(kb, monkeypatch):
    def broken(self, searcher, context=None):
        raise IndexError("tuple index out of range")

    monkeypatch.setattr(wq.Term, "matcher", broken)
    with pytest.raises(InvalidRequest, match="could not be searched"):
        kb.search("security")


@pytest.mark.parametrize("query", ["caf\udcc3", "\ud800", "security \udcff\udcfe"])
def test_text_that_is_not_utf8_is_an_invalid_request(kb, query):
    with pytest.raises(InvalidRequest, match="not valid text"):
        kb.search(query)


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_cli_refuses_invalid_utf8_in_one_line(built_index: Path, seeds: Path, extra: list[str]):
    # bytes in argv, as a shell passes them: Python decodes them with surrogateescape
    args = [sys.executable, "-m", "kb.cli", "--index", str(built_index.parent), "--corpus", str(seeds)]
    proc = subprocess.run([*args, "search", b"caf\xc3", *extra], capture_output=True)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kb: error: ") and "not valid text" in lines[0], lines
    assert proc.stdout == b""


def test_cli_huge_limit_is_a_usage_error_not_a_traceback(built_index: Path, seeds: Path):
    args = [sys.executable, "-m", "kb.cli", "--index", str(built_index.parent), "--corpus", str(seeds)]
    for option in ("--limit", "--offset"):
        proc = subprocess.run([*args, "search", "data", option, "9" * 5000], capture_output=True, text=True)
        assert proc.returncode == 2
        assert "Traceback" not in proc.stderr and "is not a valid integer" in proc.stderr


# -- numbers in URLs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [("5", 5), ("0" * 5000 + "5", 5), ("٣", 3), ("9" * 5000, None), ("", None), ("-1", None), ("1e3", None)],
)
def test_whole_number_reads_digits_without_converting_huge_strings(raw, value):
    assert whole_number(raw, 1, 100) == value


@pytest.fixture(scope="module")
def client(built_index: Path, seeds: Path):
    app = create_app({"TESTING": True, "KB_INDEX": built_index.parent, "KB_CORPUS": seeds})
    return app.test_client()


@pytest.mark.parametrize(
    "url",
    [
        "/api/search?q=data&limit=" + "9" * 5000,
        "/api/search?q=data&offset=" + "9" * 5000,
        "/search?q=data&page=" + "9" * 5000,
    ],
)
def test_huge_numbers_in_urls_are_a_400(client, url):
    response = client.get(url)
    assert response.status_code == 400


def test_zero_padded_numbers_in_urls_are_read(client):
    response = client.get("/api/search?q=data&limit=" + "0" * 5000 + "2")
    assert response.status_code == 200
    assert response.get_json()["limit"] == 2


def test_api_reports_cut_work(client):
    data = client.get("/api/search", query_string={"q": " ".join(made_up_words(60))}).get_json()
    assert data["truncated"] is True and data["timed_out"] is False and data["warnings"]


def test_the_results_page_says_what_was_cut(client):
    page = client.get("/search", query_string={"q": " ".join(made_up_words(60))}).get_data(as_text=True)
    assert "Only the first 20 words of the query were searched." in page


def test_the_cli_says_what_was_cut(built_index: Path, seeds: Path):
    args = [sys.executable, "-m", "kb.cli", "--index", str(built_index.parent), "--corpus", str(seeds)]
    proc = subprocess.run([*args, "search", " ".join(["security", *made_up_words(60)])], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "(only the first 20 words of the query were searched)" in proc.stderr.splitlines()
