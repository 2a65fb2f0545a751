"""The cleaner runs once per text: a full build reuses the cleaned text of any source cleaned before.

Counted, never timed: calls of ``kb.clean.clean`` made through the cache.
The cache is data next to the index, so a damaged, swapped or foreign entry
must be ignored and rewritten, never trusted and never an error.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from kb import cleancache
from kb import index as kb_index
from kb.catalog import Catalog
from kb.clean import TooCostly, clean
from kb.cleancache import CACHE_DIR, CleanCache
from kb.search import KnowledgeBase

TEXT = "Notice on Rura\u2020l Net\u2663works\n\n1. Ge\u00a7neral\n\nEvery vil\u03bblage gets a \u2202fibre link.\n" * 3


@pytest.fixture()
def cleaner_calls(monkeypatch) -> list[str]:
    """Every text the real cleaner is run on (through the cache)."""
    calls: list[str] = []

    def counting(text: str) -> str:
        calls.append(text)
        return clean(text)

    monkeypatch.setattr(cleancache, "clean", counting)
    return calls


@pytest.fixture()
def corpus(seeds_dir: Path, tmp_path: Path) -> Path:
    directory = tmp_path / "corpus"
    shutil.copytree(seeds_dir, directory)
    return directory


def sources(corpus: Path) -> int:
    return sum(1 for p in corpus.iterdir() if p.suffix in (".txt", ".md"))


def test_a_forced_build_cleans_nothing_again(corpus, tmp_path, cleaner_calls):
    index_dir = tmp_path / "index"
    first = kb_index.build(corpus, index_dir).path
    assert len(cleaner_calls) == sources(corpus)
    cleaner_calls.clear()
    again = kb_index.build(corpus, index_dir, force=True).path
    assert cleaner_calls == []
    before, after = Catalog.load(first), Catalog.load(again)
    assert before.digests() == after.digests()  # every notice's facts, outlines and text, as the cleaner left them
    assert [before.markdown(n.id, t.name) for n in before.notices for t in n.translations] == [
        after.markdown(n.id, t.name) for n in after.notices for t in n.translations
    ]
    assert KnowledgeBase(again).search("satellite").hits


def test_only_a_changed_text_is_cleaned(corpus, tmp_path, cleaner_calls):
    index_dir = tmp_path / "index"
    kb_index.build(corpus, index_dir)
    path = next(p for p in sorted(corpus.iterdir()) if p.suffix == ".txt")
    path.write_text(path.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    cleaner_calls.clear()
    kb_index.build(corpus, index_dir, force=True)
    assert len(cleaner_calls) == 1 and cleaner_calls[0].endswith("One more sentence.\n")


def test_a_changed_cleaner_misses(tmp_path, cleaner_calls, monkeypatch):
    cache = CleanCache(tmp_path / "c")
    assert cache.clean(TEXT) == clean(TEXT)
    assert cache.clean(TEXT) == clean(TEXT) and len(cleaner_calls) == 1
    monkeypatch.setattr(cleancache, "cleaner_version", lambda: "another cleaner")
    cache.clean(TEXT)
    assert len(cleaner_calls) == 2


def test_the_version_covers_the_cleaner_and_its_model():
    cleancache.cleaner_version.cache_clear()
    try:
        from kb import clean as clean_module
        from kb import wordmodel

        before = cleancache.cleaner_version()
        original = Path.read_bytes

        def edited(self: Path) -> bytes:
            data = original(self)
            return data + b"# changed" if self == Path(wordmodel.__file__) else data

        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(Path, "read_bytes", edited)
            cleancache.cleaner_version.cache_clear()
            assert cleancache.cleaner_version() != before
        assert Path(clean_module.__file__).is_file()
    finally:
        cleancache.cleaner_version.cache_clear()


def test_a_refusal_is_remembered(tmp_path, monkeypatch):
    calls = []

    def refusing(text: str) -> str:
        calls.append(text)
        raise TooCostly("too costly to repair")

    monkeypatch.setattr(cleancache, "clean", refusing)
    cache = CleanCache(tmp_path / "c")
    for _ in range(2):
        with pytest.raises(TooCostly, match="too costly to repair"):
            cache.clean(TEXT)
    assert len(calls) == 1


def entry_path(cache: CleanCache, text: str) -> Path:
    return cache.directory / cleancache.key(text)


def _truncate(p: Path) -> None:
    data = p.read_bytes()
    p.chmod(0o644)
    p.write_bytes(data[: len(data) - 7])


def _garbage(p: Path) -> None:
    p.write_bytes(bytes(random.Random(2).randrange(256) for _ in range(500)))


def _forged_text(p: Path) -> None:
    data = p.read_bytes()
    p.write_bytes(data.replace(b"village", b"vi11age"))  # the digest no longer matches


def _other_entry(p: Path) -> None:
    other = CleanCache(p.parent)
    other.clean("Another text.")
    shutil.copy(p.parent / cleancache.key("Another text."), p)  # a whole entry, filed under the wrong key


def _symlink(p: Path) -> None:
    target = p.parent.parent / "elsewhere"
    shutil.copy(p, target)
    p.unlink()
    os.symlink(target, p)


def _writable_by_others(p: Path) -> None:
    p.chmod(0o666)


def _a_directory(p: Path) -> None:
    p.unlink()
    p.mkdir()


@pytest.mark.parametrize(
    "damage",
    [_truncate, _garbage, _forged_text, _other_entry, _symlink, _writable_by_others, _a_directory],
    ids=["truncated", "garbage", "forged", "other-entry", "symlink", "writable-by-others", "directory"],
)
def test_a_bad_entry_is_ignored_and_recomputed(tmp_path, cleaner_calls, damage):
    cache = CleanCache(tmp_path / "c")
    expected = cache.clean(TEXT)
    damage(entry_path(cache, TEXT))
    cleaner_calls.clear()
    assert CleanCache(tmp_path / "c").clean(TEXT) == expected
    assert len(cleaner_calls) == 1
    if damage is not _a_directory:  # rewritten whole, so the next build hits it again
        cleaner_calls.clear()
        assert CleanCache(tmp_path / "c").clean(TEXT) == expected and cleaner_calls == []
        assert not entry_path(cache, TEXT).is_symlink()
        assert (tmp_path / "elsewhere").exists() or damage is not _symlink  # the link's target is left alone


def test_an_entry_of_another_user_is_not_read(tmp_path, cleaner_calls):
    if os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    cache = CleanCache(tmp_path / "c")
    cache.clean(TEXT)
    os.chown(entry_path(cache, TEXT), 12345, -1)
    cleaner_calls.clear()
    CleanCache(tmp_path / "c").clean(TEXT)
    assert len(cleaner_calls) == 1


def test_a_cache_directory_others_can_write_is_not_used(tmp_path, cleaner_calls):
    directory = tmp_path / "c"
    directory.mkdir()
    directory.chmod(0o777)
    cache = CleanCache(directory)
    cache.clean(TEXT)
    cache.clean(TEXT)
    assert len(cleaner_calls) == 2 and os.listdir(directory) == []


def test_the_cache_is_pruned_least_recently_used_first(tmp_path):
    cache = CleanCache(tmp_path / "c")
    texts = [f"Text number {k}.\n" * 50 for k in range(6)]
    for k, text in enumerate(texts):
        cache.clean(text)
        os.utime(entry_path(cache, text), ns=(k * 10**9, k * 10**9))
    os.utime(entry_path(cache, texts[0]), ns=(10**12, 10**12))  # used last
    (cache.directory / f"{cleancache.TMP_PREFIX}dead").write_bytes(b"half")
    size = entry_path(cache, texts[0]).stat().st_size
    removed = cache.prune(max_bytes=3 * size, max_entries=100)
    kept = {t for t in texts if entry_path(cache, t).exists()}
    assert kept == {texts[0], texts[5], texts[4]} and removed == 4
    assert cache.prune(max_bytes=10**9, max_entries=1) == 2
    assert [t for t in texts if entry_path(cache, t).exists()] == [texts[0]]


def test_the_cache_lives_in_the_index_directory_and_a_build_prunes_it(corpus, tmp_path):
    index_dir = tmp_path / "index"
    cache_dir = index_dir / CACHE_DIR
    cache_dir.mkdir(parents=True)
    (cache_dir / f"{cleancache.TMP_PREFIX}left-by-a-crash").write_bytes(b"x")
    kb_index.build(corpus, index_dir)
    names = os.listdir(cache_dir)
    assert len(names) == sources(corpus) + 1 and not any(n.startswith(".") for n in names)  # + the English words


def test_the_english_word_list_is_made_once_for_all_builds(corpus, tmp_path, monkeypatch):
    calls = []
    original = kb_index.common_english_words

    def counting() -> list[str]:
        calls.append(1)
        return original()

    monkeypatch.setattr(kb_index, "common_english_words", counting)
    index_dir = tmp_path / "index"
    first = kb_index.build(corpus, index_dir).path
    again = kb_index.build(corpus, index_dir, force=True).path
    assert len(calls) == 1
    assert (again / kb_index.ENGLISH).read_text(encoding="utf-8") == "\n".join(original())
    assert (first / kb_index.ENGLISH).read_bytes() == (again / kb_index.ENGLISH).read_bytes()
