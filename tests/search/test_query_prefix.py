"""The word being typed, matched as a prefix (``search(prefix=True)``; live results), and only then.

A submitted query means what it says; while the reader types, the last word
also stands for the words of the build that begin with it, found in the
vocabulary before stemming, so that no stage of typing a word finds nothing
because the stemmer cut the whole word shorter than the part typed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import query as wq

from kb import query as kq
from kb.search import KnowledgeBase
from kb.spelling import MAX_COMPLETION_SCAN, SPELLING, Speller


def _sections(result) -> set[str]:
    return {str(h.section) for h in result.hits}


def test_a_word_being_typed_matches_the_words_it_begins(kb: KnowledgeBase):
    assert kb.search("submar").total == 0  # submitted, it means what it says
    typed = kb.search("submar", prefix=True)
    assert _sections(typed) == _sections(kb.search("submarine")) != set()
    assert typed.completed is not None and typed.completed.word == "submar"
    assert "submarine" in (typed.completed.words or [])
    assert "<mark>submarine</mark>" in typed.hits[0].snippet.html


@pytest.mark.parametrize("word", ["information", "security", "communications", "development", "computing"])
def test_every_stage_of_typing_a_word_finds_it(kb: KnowledgeBase, word: str):
    """The stemmer cuts "information" to "inform", which "informa" does not begin: a prefix of the index's stems
    would find nothing from "informa" to "informatio". The vocabulary holds the words as typed."""
    whole = _sections(kb.search(word, limit=100))
    assert whole
    for end in range(kq.MIN_PREFIX_LENGTH, len(word) + 1):
        typed = kb.search(word[:end], prefix=True, limit=100)
        assert whole <= _sections(typed), word[:end]


def test_the_typed_word_is_not_corrected_while_it_begins_words(kb: KnowledgeBase):
    assert kb.search("securit").corrected == "security"  # submitted: a typo, searched as corrected
    typed = kb.search("securit", prefix=True)
    assert typed.suggestion is None and typed.total == kb.search("security").total
    # the words before it still are, and the suggestion keeps the word being typed as it is
    assert kb.search("satelite communi", prefix=True).corrected == "satellite communi"


def test_only_the_last_word_and_only_without_a_space_after_it(kb: KnowledgeBase):
    assert kb.search("submar cables", prefix=True).completed is None  # "submar" is finished: a word follows
    assert kb.search("cables submar ", prefix=True).completed is None  # the space ends the word
    assert kb.search("cables submar", prefix=True).completed.word == "submar"


@pytest.mark.parametrize("text", ["co", "a", '"data cen"', "title:secur", "secur*", "satelite~", "cables AND"])
def test_short_words_and_syntax_are_not_prefixes(kb: KnowledgeBase, text: str):
    """Two letters begin too much of a vocabulary; a phrase, field, wildcard or operator says what it wants."""
    try:
        as_typed = kb.search(text)
    except Exception:  # noqa: BLE001 - some are refused alike either way
        pytest.skip("not searchable as written")
    typed = kb.search(text, prefix=True)
    assert typed.completed is None
    assert typed.total == as_typed.total


def test_an_unfinished_phrase_is_searched_as_words_with_the_last_typed(kb: KnowledgeBase):
    """A quote not yet closed falls back to the words (as any broken syntax): the word being typed completes."""
    typed = kb.search('"green data cen', prefix=True)
    assert typed.completed is not None and typed.completed.word == "cen"


def test_a_stop_word_being_typed_still_completes(kb: KnowledgeBase):
    """ "for" is a stop word with no term of its own; typed on, it begins "foreign"."""
    typed = kb.search("for", prefix=True)
    assert kb.search("for").total == 0
    assert typed.total > 0 and "foreign" in typed.completed.words


def test_completions_are_the_most_frequent_words_beginning_so(built_index: Path):
    speller = Speller(built_index)
    try:
        freq = dict(speller._connection().execute("SELECT word, freq FROM words"))
        beginning = {w: f for w, f in freq.items() if w.startswith("co")}
        assert len(beginning) > 5
        assert speller.completions("co", 1000) == sorted(beginning, key=lambda w: (-beginning[w], w))
        top = speller.completions("co", 5)
        assert top == sorted(beginning, key=lambda w: (-beginning[w], w))[:5]
        assert speller.completions("zzzq", 5) == []
    finally:
        speller.close()


def test_a_completion_reads_a_bounded_range_of_the_vocabulary(tmp_path: Path):
    """However many words begin with the prefix, at most MAX_COMPLETION_SCAN are read (then ranked)."""
    from collections import Counter

    from kb import spelling

    counts = Counter({f"con{i:05d}": 1 for i in range(MAX_COMPLETION_SCAN + 500)})
    counts["conzzz"] = 99  # the most frequent, but past the range read
    spelling.write(tmp_path / SPELLING, counts)
    speller = Speller(tmp_path)
    try:
        found = speller.completions("con", MAX_COMPLETION_SCAN * 2)
        assert len(found) == MAX_COMPLETION_SCAN and "conzzz" not in found
    finally:
        speller.close()


def test_the_query_grows_by_at_most_max_completions_terms_a_field(kb: KnowledgeBase):
    with kb.searcher() as searcher:
        prepared = kq.prepare("co", searcher, speller=kb.speller, prefix=True)
        assert prepared.completed is None
        prepared = kq.prepare("con", searcher, speller=kb.speller, prefix=True)
    completion = prepared.completed
    assert completion is not None and 0 < len(completion.words) <= kq.MAX_COMPLETIONS
    terms = [leaf for leaf in prepared.query.leaves() if isinstance(leaf, wq.Term)]
    for field in kq.TEXT_FIELDS:
        in_field = {t.text for t in terms if t.fieldname == field}
        assert len(in_field) <= kq.MAX_COMPLETIONS + 1


def test_without_a_vocabulary_the_stem_is_matched_as_a_bounded_prefix(kb: KnowledgeBase, tmp_path: Path):
    """A build without its spelling file (an old one, or the file unreadable) falls back to Whoosh's prefix,
    within the budget's caps on expansions."""
    with kb.searcher() as searcher:
        prepared = kq.prepare("submar", searcher, speller=Speller(tmp_path), prefix=True)
        assert prepared.completed is not None and prepared.completed.words is None
        prefixes = [leaf for leaf in prepared.query.leaves() if isinstance(leaf, kq.BoundedPrefix)]
        # every text field the seeds have (notices in one language align nothing: kb.alignment)
        assert {p.fieldname for p in prefixes} == set(kq.TEXT_FIELDS) - kq.ALIGNED_FIELDS
        assert all(p.text == "submar" for p in prefixes)
        assert searcher.search(prepared.query).scored_length() > 0
