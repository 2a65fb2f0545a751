"""Spelling suggestions come from a structure built with the index (kb.spelling), not from a fourth analysed field.

The structure must find every word a typo is within reach of (checked against
brute force), rank them as the corrector did, live in the sealed build, stay
exact through incremental updates (a removed notice's words go), and fail
soft: a damaged file suggests nothing, it never crashes a search.
"""

from __future__ import annotations

import random
import shutil
import string
from collections import Counter
from pathlib import Path

import pytest

from kb import index as kb_index
from kb import integrity, spelling
from kb.search import KnowledgeBase
from kb.spelling import SPELLING, Speller, distance

NDRC_FILE = "ndrc-2023-green-data-centres.txt"


def reference_distance(a: str, b: str) -> int:
    """Optimal string alignment distance, unbounded, written the plain way."""
    d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        d[i][0] = i
    for j in range(len(b) + 1):
        d[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def speller_of(tmp_path: Path, counts: Counter) -> Speller:
    spelling.write(tmp_path / SPELLING, counts)
    return Speller(tmp_path)


def test_the_bounded_distance_agrees_with_the_plain_one():
    rnd = random.Random(3)
    for _ in range(3000):
        a = "".join(rnd.choice("abcd") for _ in range(rnd.randint(0, 7)))
        b = "".join(rnd.choice("abcd") for _ in range(rnd.randint(0, 7)))
        assert distance(a, b, 2) == min(reference_distance(a, b), 3), (a, b)


def test_a_lookup_finds_exactly_the_words_within_two_edits(tmp_path):
    rnd = random.Random(11)
    words = {"".join(rnd.choice("abcde") for _ in range(rnd.randint(2, 8))) for _ in range(400)}
    speller = speller_of(tmp_path, Counter({w: 1 for w in words}))
    for _ in range(300):
        typed = "".join(rnd.choice("abcde") for _ in range(rnd.randint(4, 8)))
        for prefix in (0, 1):
            expected = {
                w for w in words if w != typed and w[:prefix] == typed[:prefix] and reference_distance(typed, w) <= 2
            }
            assert set(speller.suggest(typed, limit=10_000, prefix=prefix)) == expected, typed


def test_nearest_first_then_most_frequent(tmp_path):
    counts = Counter({"satellite": 5, "satellites": 50, "stellite": 1000, "government": 3, "governments": 9})
    speller = speller_of(tmp_path, counts)
    # distance 1 first; then, at distance 2, the more frequent first
    assert speller.suggest("satelite", prefix=1) == ["satellite", "stellite", "satellites"]
    assert speller.suggest("goverment", prefix=1) == ["government", "governments"]
    assert speller.suggest("satellite", prefix=1) == ["stellite", "satellites"]  # never the word itself
    assert speller.suggest("xatelite", prefix=1) == []  # the first letter is kept
    assert speller.suggest("earthqauke") == []
    assert speller.known("satellites") and not speller.known("satelite")


def test_a_swap_of_neighbours_is_one_edit(tmp_path):
    speller = speller_of(tmp_path, Counter({"earthquake": 1}))
    assert speller.suggest("earthqauke", maxdist=1) == ["earthquake"]


def test_the_build_holds_the_file_sealed_and_no_words_field(seeds_dir, tmp_path):
    build = kb_index.build(seeds_dir, tmp_path / "index").path
    assert "words" not in kb_index.schema().names()
    assert SPELLING in integrity.read_seal(build).files
    vocabulary, _ = spelling.contents(build / SPELLING)
    assert vocabulary["satellite"] > 0 and "satelite" not in vocabulary


def test_the_file_is_opened_only_for_a_query_with_an_unknown_word(seeds_dir, tmp_path):
    kb = KnowledgeBase(kb_index.build(seeds_dir, tmp_path / "index").path)
    kb.search("submarine cables")
    assert kb.speller._db is None and not kb.speller._opened
    assert kb.search("satelite").corrected == "satellite"
    assert kb.speller._db is not None


@pytest.fixture()
def corpus(library: Path, tmp_path: Path) -> Path:
    directory = tmp_path / "corpus"
    shutil.copytree(library, directory)
    return directory


def test_updates_leave_the_file_a_full_build_would_write(corpus, tmp_path):
    index_dir = tmp_path / "index"
    kb_index.build(corpus, index_dir)
    path = corpus / NDRC_FILE
    text = path.read_text(encoding="utf-8")
    assert "anemometers" not in text.lower()
    path.write_text(text.replace("data centres", "data centres and anemometers", 1), encoding="utf-8")
    changed = kb_index.build(corpus, index_dir)
    assert changed.changed == ["ndrc-2023-1127"]
    full = kb_index.build(corpus, tmp_path / "full", force=True).path
    assert spelling.contents(changed.path / SPELLING) == spelling.contents(full / SPELLING)
    assert Speller(changed.path).known("anemometers")

    # the notice goes: the words only it had go with it, and their deletes
    only_ndrc = set(spelling.vocabulary(_chunks_of(corpus, "ndrc-2023-1127"))) - set(
        spelling.vocabulary(c for c in _all_chunks(corpus) if c.notice != "ndrc-2023-1127")
    )
    assert "anemometers" in only_ndrc
    path.unlink()
    removed = kb_index.build(corpus, index_dir)
    assert removed.changed == ["ndrc-2023-1127"]
    full = kb_index.build(corpus, tmp_path / "full2", force=True).path
    assert spelling.contents(removed.path / SPELLING) == spelling.contents(full / SPELLING)
    words, kept_deletes = spelling.contents(removed.path / SPELLING)
    assert not only_ndrc & set(words)
    assert not only_ndrc & {w for _, w in kept_deletes}
    assert KnowledgeBase(removed.path).search("anemometer").corrected is None
    # and the previous build's file was copied, not changed under its readers
    assert Speller(changed.path).known("anemometers")
    integrity.verify(changed.path, full=True)


def _all_chunks(corpus: Path) -> list:
    from kb.corpus import load_corpus

    return load_corpus(corpus).chunks()


def _chunks_of(corpus: Path, notice: str) -> list:
    return [c for c in _all_chunks(corpus) if c.notice == notice]


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b""),
        lambda p: p.write_bytes(b"SQLite format 3\x00" + bytes(200)),
        lambda p: p.write_bytes(p.read_bytes()[:1000]),
        lambda p: p.write_bytes(bytes(random.Random(1).randrange(256) for _ in range(8192))),
        lambda p: p.unlink(),
    ],
    ids=["empty", "header-only", "truncated", "garbage", "missing"],
)
def test_a_damaged_file_suggests_nothing_and_never_raises(tmp_path, damage):
    path = tmp_path / SPELLING
    spelling.write(path, Counter({"satellite": 3, "security": 2} | {c * 5: 1 for c in string.ascii_lowercase}))
    damage(path)
    speller = Speller(tmp_path)
    assert speller.suggest("satelite") in ([], ["satellite"])  # whatever is still readable, and no exception
    assert speller.known("security") in (True, False)


def test_a_file_of_another_format_is_not_read(tmp_path):
    path = tmp_path / SPELLING
    spelling.write(path, Counter({"satellite": 3}))
    import sqlite3

    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '0' WHERE key = 'format'")
    db.commit()
    db.close()
    assert Speller(tmp_path).suggest("satelite") == []


def test_the_schema_analyses_each_text_once_and_order_is_a_column_only(seeds_dir, tmp_path):
    build = kb_index.build(seeds_dir, tmp_path / "index").path
    kb = KnowledgeBase(build)
    with kb.ix.searcher() as searcher:
        reader = searcher.reader()
        analysed = {name for name, field in kb_index.schema().items() if field.scorable}
        chinese = {"title_zh", "parent_title_zh", "body_zh"}  # Chinese texts' fields (kb.segment)
        aligned = {"aligned", "aligned_zh"}  # a section's versions in the other language (kb.alignment)
        assert analysed == {"title", "parent_title", "body", "issuer", "type", *chinese, *aligned}
        # an English text goes to one set, and notices in one language align nothing
        assert not any(field in chinese | aligned for field, _ in reader.all_terms())
        assert not any(field == "order" for field, _ in reader.all_terms())  # NUMERIC indexed 8 terms a document
        assert list(reader.column_reader("order")) == list(range(reader.doc_count_all()))


def test_the_common_english_words_are_those_zipf_frequency_names():
    from wordfreq import top_n_list, zipf_frequency

    expected = [w for w in top_n_list("en", 60_000) if w.isalpha() and zipf_frequency(w, "en") >= 3.0]
    assert kb_index.common_english_words() == expected


def test_words_are_whoosh_default_tokens_lower_cased():
    """The vocabulary's words are what Whoosh's default tokenizer makes of a text, lower-cased."""
    from whoosh.analysis import RegexTokenizer

    from kb.models import Chunk
    from kb.spelling import chunk_words

    text = "Data-centres in the U.S. and 5G.x networks; café Über v1.2.3 a*b ŞEHİR 数据 x..y"
    # but Chinese, which is never spell-checked (a run of it between marks is one "word")
    expected = Counter(t.text.lower() for t in RegexTokenizer()(text) if t.text != "数据")
    chunk = Chunk(notice="n", number=None, translation="t", section="1", title=None, parent_title=None, body=text)
    assert chunk_words(chunk) == expected
