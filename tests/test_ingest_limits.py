"""Ingestion under hostile or unlucky input: no quadratic work, a work budget, unreadable files and links.

The adversarial inputs are sized so that the quadratic code this replaced took
many seconds to minutes on them (noted per test) while the current code takes
well under a second; the tests assert what comes out, never how long it took
(benchmarks/abuse_ingest.py prints the times).
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

import kb.corpus
import kb.sources
from kb.clean import WORK_FLOOR, TooCostly, clean
from kb.corpus import fingerprint, list_sources, load_corpus
from kb.noise import corrupt
from kb.outline import MAX_HEADING_CANDIDATES, TooManyHeadings, parse

# -- adversarial inputs finish, with the same outcome as before -------------------------------


def test_many_markers_far_into_a_long_text():
    """Each candidate used to copy the whole text before it (~10 s here)."""
    text = "x" * 2_000_000 + "\n1. Title\n" + "1. A " * 50_000
    outline = parse(text)
    assert [s.id for s in outline.sections] == ["1"]
    assert outline.sections[0].title == "Title"


def test_subsection_markers_run_together_on_one_line():
    """Each "(2)" used to search the rest of its line for a sentence end (~85 s here)."""
    outline = parse("Notice\n1. Title " + "(2)x" * 50_000)
    assert [s.id for s in outline.sections] == ["1"]
    assert outline.sections[0].title.startswith("Title (2)x(2)x")


def test_markdown_heading_with_a_long_tail_of_hashes():
    """A lazy title before ``[ \\t#]*$`` backtracked over the whole line at each step (~20 s here)."""
    outline = parse("## x" + " #" * 30_000 + "y\n## Second\nbody")
    assert [(s.id, s.title[:5]) for s in outline.sections] == [("1", "X # #"), ("2", "Secon")]
    assert outline.sections[0].title.endswith("# #y")


def test_front_matter_full_of_list_openings():
    """The issuer list pattern rescanned the rest of the line from every "including the" (~45 s here)."""
    outline = parse("including the " * 20_000 + "\n1. Section\nBody.")
    assert outline.metadata.issuers == []
    listed = parse("Eleven departments, including the A, the B and the C, jointly issued a notice.\n1. S\nBody.")
    assert listed.metadata.issuers == ["A", "B", "C"]


def test_noise_inside_one_endless_word():
    """Every repair used to score the whole text as one word (~8 s here)."""
    assert clean("Planning★<development" * 1000) == "Planningdevelopment" * 1000


def test_densely_corrupted_prose_is_still_cleaned(gmt_seed):
    """The budget leaves room for far denser corruption than the real noise (a cluster every 2 characters)."""
    text = gmt_seed.read_text(encoding="utf-8")
    cleaned = clean(corrupt(text, random.Random(0), mean_gap=2))
    assert "coordinated development" in cleaned


# -- the work budget -----------------------------------------------------------------


def ten_suspect_runs(n: int) -> str:
    """Runs of ten junk-alphabet ASCII characters between letters: 1,024 repairs to score per run."""
    rng = random.Random(0)
    return "".join("a★" + "".join(rng.choice("\"&<>$'") for _ in range(10)) for _ in range(n))


def test_a_text_built_to_be_expensive_to_clean_is_refused():
    with pytest.raises(TooCostly, match=r"^too costly to clean: dense runs of junk characters \(over the decoder"):
        clean(ten_suspect_runs(2_000))


def test_the_cleaning_budget_is_checked_as_the_text_is_read():
    """A costly text is refused once the part read has overspent, not after the whole of it."""
    import kb.clean as cleaning

    spent: list[int] = []
    original = cleaning._Decoder._spend

    def spend(self, work: int, reached: int) -> None:
        spent.append(work)
        original(self, work, reached)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cleaning._Decoder, "_spend", spend)
        with pytest.raises(TooCostly):
            clean(ten_suspect_runs(20_000))
    assert sum(spent) < 2 * WORK_FLOOR


def test_a_text_with_too_many_heading_markers_is_refused():
    with pytest.raises(TooManyHeadings, match=r"^too many heading-like markers \(over 100,000;"):
        parse("1. A " * (MAX_HEADING_CANDIDATES + 1))
    with pytest.raises(TooManyHeadings):
        parse("## A\n" * (MAX_HEADING_CANDIDATES + 1))
    assert len(parse("## A\n" * 1000).sections) == 1000


@pytest.fixture
def corpus(tmp_path: Path, seeds_dir: Path) -> Path:
    """A writable copy of the seed corpus, in its own directory (links can point beside it)."""
    directory = tmp_path / "corpus"
    directory.mkdir()
    for p in seeds_dir.iterdir():
        shutil.copy(p, directory / p.name)
    return directory


def test_over_budget_sources_are_skipped_with_their_reason(corpus):
    (corpus / "costly.txt").write_text("Notice\n1. Title\n" + ten_suspect_runs(2_000), encoding="utf-8")
    (corpus / "markers.txt").write_text("1. A " * (MAX_HEADING_CANDIDATES + 1), encoding="utf-8")
    loaded = load_corpus(corpus)
    assert sorted(t.name for n in loaded.notices for t in n.translations) == ["full", "gmt"]
    assert loaded.skipped == [
        f"{corpus / 'costly.txt'}: too costly to clean: dense runs of junk characters "
        "(over the decoder's budget of 100 work units per character)",
        f"{corpus / 'markers.txt'}: too many heading-like markers (over 100,000; no notice has that many sections)",
    ]


# -- unreadable files are skipped, never fatal -------------------------------------------------


def readable_names(corpus: Path) -> list[str]:
    return sorted(t.path.name for n in load_corpus(corpus).notices for t in n.translations)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_without_read_permission_is_skipped(corpus):
    locked = corpus / "locked.txt"
    shutil.copy(next(corpus.glob("000_*.txt")), locked)
    before = fingerprint(corpus)
    locked.chmod(0)
    try:
        assert fingerprint(corpus) != before
        loaded = load_corpus(corpus)
        assert loaded.skipped == [f"{locked}: cannot read (Permission denied)"]
    finally:
        locked.chmod(0o644)
    assert fingerprint(corpus) == before


def test_a_file_that_cannot_be_read_is_skipped(corpus, monkeypatch):
    """The same, as root sees it too: opening the file fails with "Permission denied"."""
    locked = corpus / "locked.txt"
    shutil.copy(next(corpus.glob("000_*.txt")), locked)
    readable = fingerprint(corpus)
    real_open = os.open

    def refusing_open(path, flags, *args, **kwargs):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(kb.sources.os, "open", refusing_open)
    unreadable = fingerprint(corpus)  # does not raise
    loaded = load_corpus(corpus)
    assert loaded.skipped == [f"{locked}: cannot read (Permission denied)"]
    assert sorted(t.name for n in loaded.notices for t in n.translations) == ["full", "gmt"]
    monkeypatch.undo()
    assert unreadable != readable  # becoming readable changes the fingerprint: the next build reads it
    assert fingerprint(corpus) == readable


def test_odd_entries_named_like_sources_are_skipped(corpus):
    (corpus / "folder.txt").mkdir()
    (corpus / "dangling.txt").symlink_to(corpus / "nowhere.txt")
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    os.mkfifo(corpus / "pipe.txt")  # reading it would wait for a writer forever
    with open(corpus / "huge.txt", "wb") as f:  # sparse: never read whole
        f.truncate(kb.corpus.MAX_SOURCE_BYTES * 4)
    fingerprint(corpus)  # does not raise (or hang)
    loaded = load_corpus(corpus)
    assert readable_names(corpus) == ["000_8f55676a7008a0c6.txt", "001_0188dcd56ab44d45.txt"]
    assert loaded.skipped == [
        f"{corpus / 'dangling.txt'}: is a broken link",
        f"{corpus / 'folder.txt'}: is a directory, not a file",
        f"{corpus / 'huge.txt'}: too large (20000000 bytes; the limit is 5000000)",
        f"{corpus / 'loop.txt'}: is a broken link",
        f"{corpus / 'pipe.txt'}: not a regular file",
    ]


def test_a_file_that_vanishes_between_listing_and_reading_is_skipped(corpus, monkeypatch):
    gone = corpus / "gone.txt"
    gone.write_text("Notice\n1. Title\nText.\n", encoding="utf-8")
    listing = list_sources(corpus)
    gone.unlink()
    monkeypatch.setattr(kb.corpus, "list_sources", lambda directory: listing)
    loaded = load_corpus(corpus)
    assert loaded.skipped == [f"{gone}: no such file"]
    fingerprint(corpus)


# -- links -------------------------------------------------------------------------------------


SECRET = "Secret notice\n1. Secret plans\nThe secret text.\n"


def test_a_link_out_of_the_corpus_is_not_followed(corpus, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text(SECRET, encoding="utf-8")
    (corpus / "secret.txt").symlink_to(outside)
    (corpus / "relative.txt").symlink_to(Path("..") / "secret.txt")
    (corpus / "home.md").symlink_to(tmp_path)  # a directory outside, named like a source
    loaded = load_corpus(corpus)
    assert loaded.skipped == [
        f"{corpus / name}: is a link outside the corpus, not followed"
        for name in ("home.md", "relative.txt", "secret.txt")
    ]
    assert readable_names(corpus) == ["000_8f55676a7008a0c6.txt", "001_0188dcd56ab44d45.txt"]
    assert not any("secret" in c.body.lower() for c in loaded.chunks())
    # The fingerprint does not read it either: changing the target does not change it.
    before = fingerprint(corpus)
    outside.write_text(SECRET + "More secrets.\n", encoding="utf-8")
    assert fingerprint(corpus) == before


def test_a_link_inside_the_corpus_is_followed(corpus):
    (corpus / "archive").mkdir()
    target = corpus / "archive" / "notice.txt"
    target.write_text("Other notice\n1. Planning\nThe inside text.\n", encoding="utf-8")
    (corpus / "inside.txt").symlink_to(Path("archive") / "notice.txt")
    loaded = load_corpus(corpus)
    assert loaded.skipped == []
    found = [t for n in loaded.notices for t in n.translations if t.name == "inside"]
    assert len(found) == 1 and found[0].outline.sections[0].body == "The inside text."
    # The fingerprint reads what the loader reads: changing the target changes it.
    before = fingerprint(corpus)
    target.write_text("Other notice\n1. Planning\nChanged text.\n", encoding="utf-8")
    assert fingerprint(corpus) != before


def test_a_link_swapped_after_it_was_checked_is_not_followed(corpus, tmp_path, monkeypatch):
    """What is read must be the file the listing judged, not whatever the name leads to by then."""
    outside = tmp_path / "secret.txt"
    outside.write_text(SECRET, encoding="utf-8")
    link = corpus / "swapped.txt"
    link.symlink_to(next(corpus.glob("000_*.txt")))
    listing = list_sources(corpus)
    link.unlink()
    link.symlink_to(outside)
    monkeypatch.setattr(kb.corpus, "list_sources", lambda directory: listing)
    loaded = load_corpus(corpus)
    assert loaded.skipped == [f"{link}: changed while the corpus was being read, not followed"]
    assert not any("secret" in c.body.lower() for c in loaded.chunks())


def test_links_are_judged_against_the_real_corpus_directory(corpus, tmp_path):
    """A corpus reached through a link of its own still follows the links inside it."""
    (corpus / "again.txt").symlink_to(next(corpus.glob("000_*.txt")))
    via = tmp_path / "via"
    via.symlink_to(corpus)
    loaded = load_corpus(via)
    assert loaded.skipped == []
    assert len([t for n in loaded.notices for t in n.translations]) == 3


def test_fingerprint_and_loader_agree_on_the_files(corpus, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text(SECRET, encoding="utf-8")
    (corpus / "secret.txt").symlink_to(outside)
    (corpus / "folder.txt").mkdir()
    listing = list_sources(corpus)
    loaded = load_corpus(corpus)
    read = {t.path for n in loaded.notices for t in n.translations}
    assert read == set(listing.files)
    assert loaded.skipped == listing.problems
