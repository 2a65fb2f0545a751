"""The manifest's declared shape: each mistake gives its one-line message; TOML dates; safe names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.corpus import MANIFEST, ManifestError, load_corpus, read_manifest
from kb.manifest import MANIFEST_SHAPE, NOTICE, TRANSLATION, parse_manifest

GOOD = """
[[notice]]
id = "miit-2024-165"
title = "Notice on new information infrastructure"
date = "2024-09-04"

[[notice.translation]]
name = "full"
file = "001_0188dcd56ab44d45.txt"
label = "Full translation"

[[notice.translation]]
name = "gmt"
file = "000_8f55676a7008a0c6.txt"
"""


def notice(body: str, translations: str = 'name = "full"\nfile = "a.txt"') -> str:
    """A manifest with one notice (``body`` after its id) and one translation table."""
    return f'[[notice]]\nid = "n1"\n{body}\n[[notice.translation]]\n{translations}\n'


def error_of(text: str) -> str:
    with pytest.raises(ManifestError) as caught:
        parse_manifest(text, "corpus/manifest.toml")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("corpus/manifest.toml: ")
    return message.removeprefix("corpus/manifest.toml: ")


# -- each mistake, its message ------------------------------------------------------------

MISTAKES = {
    "file missing": (
        GOOD + '\n[[notice]]\nid = "other"\n[[notice.translation]]\nname = "x"\n',
        "notice 2, translation 1: 'file' is missing",
    ),
    "id missing": (
        '[[notice]]\ntitle = "T"\n[[notice.translation]]\nname = "a"\nfile = "a.txt"\n',
        "notice 1: 'id' is missing",
    ),
    "name missing": (notice("", 'file = "a.txt"'), "notice 1, translation 1: 'name' is missing"),
    "translations missing": ('[[notice]]\nid = "n1"\n', "notice 1: 'translation' is missing"),
    "[notice] for [[notice]]": (
        '[notice]\nid = "n1"\n[[notice.translation]]\nname = "a"\nfile = "a.txt"\n',
        "write [[notice]] (a list of tables), not [notice]",
    ),
    "[[notice.translation]] alone": (
        '[[notice.translation]]\nname = "a"\nfile = "a.txt"\n',
        "[[notice.translation]] needs a [[notice]] above it",
    ),
    "[notice.translation] for [[...]]": (
        '[[notice]]\nid = "n1"\n[notice.translation]\nname = "a"\nfile = "a.txt"\n',
        "notice 1: write [[notice.translation]] (a list of tables), not [notice.translation]",
    ),
    "notice = a value": ('notice = "miit"\n', "'notice' must be [[notice]] tables, not text ('miit')"),
    "number for an id": (
        '[[notice]]\nid = 165\n[[notice.translation]]\nname = "a"\nfile = "a.txt"\n',
        "notice 1: 'id' must be a short name in quotes (like \"full\"), not a number (165)",
    ),
    "number for a name": (
        notice("", 'name = 2\nfile = "a.txt"'),
        "notice 1, translation 1: 'name' must be a short name in quotes (like \"full\"), not a number (2)",
    ),
    "number for a title": (notice("title = 7"), "notice 1: 'title' must be text in quotes, not a number (7)"),
    "empty title": (notice('title = "  "'), "notice 1: 'title' is empty"),
    "issuers not a list": (
        notice('issuers = "MIIT"'),
        "notice 1: 'issuers' must be a list of texts ([\"...\", \"...\"]), not text ('MIIT')",
    ),
    "issuer not text": (
        notice('issuers = ["MIIT", 3]'),
        "notice 1: 'issuers[2]' must be text in quotes, not a number (3)",
    ),
    "misspelt key": (notice('titel = "T"'), "notice 1: unknown key 'titel' (did you mean 'title'?)"),
    "misspelt translation key": (
        notice("", 'name = "a"\nflie = "a.txt"'),
        "notice 1, translation 1: unknown key 'flie' (did you mean 'file'?)",
    ),
    "unknown key": (
        notice('colour = "red"'),
        "notice 1: unknown key 'colour' (known keys: id, title, number, date, source, issuers, type, translation)",
    ),
    "misspelt top-level table": (
        '[[notices]]\nid = "n1"\n',
        "unknown key 'notices' (did you mean 'notice'?)",
    ),
    "date and time": (
        notice("date = 2024-09-04T10:00:00"),
        "notice 1: 'date' must be a date (like 2024-09-04), not a date and time",
    ),
    "date in another format": (
        notice('date = "4 September 2024"'),
        "notice 1: 'date' must be a date like 2024-09-04, not '4 September 2024'",
    ),
    "impossible date": (notice('date = "2024-02-30"'), "notice 1: 'date' is not a real date: '2024-02-30'"),
    "number for a date": (
        notice("date = 20240904"),
        "notice 1: 'date' must be a date like 2024-09-04, not a number (20240904)",
    ),
    "file in another directory": (
        notice("", 'name = "a"\nfile = "../secret.txt"'),
        "notice 1, translation 1: 'file' must be the name of a .txt, .md, .html or .htm file in the corpus directory, "
        "not '../secret.txt'",
    ),
    "file of another kind": (
        notice("", 'name = "a"\nfile = "a.pdf"'),
        "notice 1, translation 1: 'file' must be the name of a .txt, .md, .html or .htm file in the corpus directory, "
        "not 'a.pdf'",
    ),
    "translation name twice in a notice": (
        notice("", 'name = "a"\nfile = "a.txt"\n[[notice.translation]]\nname = "a"\nfile = "b.txt"'),
        "notice 1, translation 2: translation name 'a' is already used by notice 1, translation 1",
    ),
    "reserved translation name": (
        notice("", 'name = "compare"\nfile = "a.txt"'),
        "notice 1, translation 1: 'name' 'compare' is reserved (the compare page's address uses it): choose another",
    ),
    "number for a type": (
        notice("type = 3"),
        "notice 1: 'type' must be text in quotes (like \"notice\"), not a number (3)",
    ),
    "type with digits": (
        notice('type = "notice 2"'),
        "notice 1: 'type' must be a document type of at most 40 letters, spaces and hyphens "
        '(like "notice" or "opinions"), not \'notice 2\'',
    ),
    "type too long": (
        notice(f'type = "{"a" * 41}"'),
        "notice 1: 'type' must be a document type of at most 40 letters, spaces and hyphens "
        f'(like "notice" or "opinions"), not \'{"a" * 37}...\'',
    ),
    "empty type": (notice('type = " "'), "notice 1: 'type' is empty"),
    "translation type not a type": (
        notice("", 'name = "a"\nfile = "a.txt"\ntype = "<b>"'),
        "notice 1, translation 1: 'type' must be a document type of at most 40 letters, spaces and hyphens "
        '(like "notice" or "opinions"), not \'<b>\'',
    ),
    "file twice": (
        notice("", 'name = "a"\nfile = "a.txt"\n[[notice.translation]]\nname = "b"\nfile = "a.txt"'),
        "notice 1, translation 2: file 'a.txt' is already used by notice 1, translation 1",
    ),
    "notice id twice": (
        GOOD + '\n[[notice]]\nid = "miit-2024-165"\n[[notice.translation]]\nname = "x"\nfile = "x.txt"\n',
        "notice 2: notice id 'miit-2024-165' is already used by notice 1",
    ),
    "invalid TOML": (
        '[[notice]\nid = "n1"\n',
        "invalid TOML (Expected ']]' at the end of an array declaration (at line 1, column 9))",
    ),
}


@pytest.mark.parametrize("case", MISTAKES)
def test_each_mistake_gives_its_one_line_message(case):
    text, message = MISTAKES[case]
    assert error_of(text) == message


UNSAFE_NAMES = ["../<script>x", "Full", "full translation", "-full", "", "gmt/2", "a" * 65, "ａｂｃ", "full\n"]


def toml_string(value: str) -> str:
    """A TOML basic string holding ``value`` (backslashes, quotes and newlines escaped)."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@pytest.mark.parametrize("name", UNSAFE_NAMES)
def test_unsafe_names_and_ids_are_refused(name):
    message = error_of(notice("", f'name = {toml_string(name)}\nfile = "a.txt"'))
    assert message.startswith("notice 1, translation 1: 'name' must be a short name of lower-case letters, digits")
    assert message.endswith(f"not {(name if len(name) <= 40 else name[:37] + '...')!r}")
    id_message = error_of(notice("").replace('id = "n1"', f"id = {toml_string(name)}"))
    assert id_message.startswith("notice 1: 'id' must be a short name")


@pytest.mark.parametrize("name", ["full", "gmt", "gmt-2", "a", "2024", "x" * 64])
def test_safe_names_are_accepted(name):
    entries = parse_manifest(notice("", f'name = "{name}"\nfile = "a.txt"'))
    assert entries["a.txt"].name == name


@pytest.mark.parametrize("file", ["a.md", "A.TXT", "001_0188dcd56ab44d45.txt", "notice (draft).txt"])
def test_file_names_of_sources_are_accepted(file):
    assert list(parse_manifest(notice("", f'name = "a"\nfile = "{file}"'))) == [file]


@pytest.mark.parametrize("file", [".txt", "..", "sub/a.txt", "a\\\\b.txt", "/etc/passwd", "a.txt.bak", "a"])
def test_file_names_that_are_not_sources_here_are_refused(file):
    message = error_of(notice("", f'name = "a"\nfile = {toml_string(file)}'))
    assert message.startswith("notice 1, translation 1: 'file' must be the name of a .txt, .md, .html or .htm file")


# -- what is accepted ----------------------------------------------------------------------


def test_toml_dates_are_accepted_and_normalised():
    bare = parse_manifest(notice("date = 2024-09-04"))["a.txt"]
    quoted = parse_manifest(notice('date = "2024-09-04"'))["a.txt"]
    assert bare.notice["date"] == quoted.notice["date"] == "2024-09-04"
    translation_date = parse_manifest(notice("", 'name = "a"\nfile = "a.txt"\ndate = 2023-01-31'))["a.txt"]
    assert translation_date.translation["date"] == "2023-01-31"


def test_two_notices_may_each_have_a_translation_of_the_same_name():
    """A translation name is unique within its notice: URLs name the notice first."""
    text = notice("") + '\n[[notice]]\nid = "n2"\n[[notice.translation]]\nname = "full"\nfile = "b.txt"\n'
    entries = parse_manifest(text)
    assert [(e.notice_id, e.name) for e in entries.values()] == [("n1", "full"), ("n2", "full")]


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("notice", "notice"),
        ("Opinions", "opinions"),
        ("  Implementation   Plan ", "implementation plan"),
        ("work-plan", "work-plan"),
        ("a" * 40, "a" * 40),
    ],
)
def test_the_document_type_is_normalised(written, kept):
    entries = parse_manifest(notice(f'type = "{written}"', f'name = "a"\nfile = "a.txt"\ntype = "{written}"'))
    assert entries["a.txt"].notice["type"] == entries["a.txt"].translation["type"] == kept


def test_entries_of_a_good_manifest():
    entries = parse_manifest(GOOD)
    full, gmt = entries["001_0188dcd56ab44d45.txt"], entries["000_8f55676a7008a0c6.txt"]
    assert (full.notice_id, full.name, full.label, full.place) == (
        "miit-2024-165",
        "full",
        "Full translation",
        "notice 1, translation 1",
    )
    assert (gmt.name, gmt.label) == ("gmt", "")  # no label: the corpus names it after its language
    assert full.notice == {"title": "Notice on new information infrastructure", "date": "2024-09-04"}
    assert list(entries) == ["001_0188dcd56ab44d45.txt", "000_8f55676a7008a0c6.txt"]  # manifest order


def test_an_empty_manifest_describes_nothing():
    assert parse_manifest("# only a comment\n") == {}


def test_the_shape_is_declared_once():
    """Every key is a Field of a declared table; the top level holds only [[notice]]."""
    assert [f.key for f in MANIFEST_SHAPE] == ["notice"]
    assert MANIFEST_SHAPE[0].kind is NOTICE and NOTICE.field("translation").kind is TRANSLATION
    assert {f.key for f in NOTICE.fields if f.required} == {"id", "translation"}
    assert {f.key for f in TRANSLATION.fields if f.required} == {"name", "file"}


def test_the_seed_manifest_fits_the_shape(seeds_dir):
    entries = read_manifest(seeds_dir)
    assert sorted(e.name for e in entries.values()) == ["full", "gmt"]
    assert {e.notice["date"] for e in entries.values()} == {"2024-09-04"}


# -- through the corpus -----------------------------------------------------------------------


@pytest.fixture
def corpus_dir(tmp_path: Path, seeds_dir: Path) -> Path:
    for p in seeds_dir.glob("*.txt"):
        shutil.copy(p, tmp_path / p.name)
    return tmp_path


def test_a_toml_date_reaches_the_notice(corpus_dir):
    (corpus_dir / MANIFEST).write_text(GOOD.replace('date = "2024-09-04"', "date = 2024-09-05"), encoding="utf-8")
    corpus = load_corpus(corpus_dir)
    assert corpus.skipped == []
    assert corpus.notices[0].date == "2024-09-05"
    assert [t.name for t in corpus.notices[0].translations] == ["full", "gmt"]


def test_a_broken_manifest_stops_the_load_with_its_message(corpus_dir):
    (corpus_dir / MANIFEST).write_text(GOOD.replace('name = "full"', 'name = "../<script>x"'), encoding="utf-8")
    with pytest.raises(ManifestError, match=r"manifest\.toml: notice 1, translation 1: 'name' must be a short name"):
        load_corpus(corpus_dir)


def test_a_manifest_entry_for_an_absent_file_is_a_warning(corpus_dir):
    extra = '\n[[notice]]\nid = "gone"\n[[notice.translation]]\nname = "gone"\nfile = "gone.txt"\n'
    (corpus_dir / MANIFEST).write_text(GOOD + extra, encoding="utf-8")
    corpus = load_corpus(corpus_dir)
    assert corpus.skipped == [f"{corpus_dir / MANIFEST}: notice 2, translation 1: file 'gone.txt' is not in the corpus"]
    assert [n.id for n in corpus.notices] == ["miit-2024-165"]


def test_an_unreadable_manifest_is_an_error(corpus_dir):
    (corpus_dir / MANIFEST).mkdir()
    with pytest.raises(ManifestError, match=r"manifest\.toml: is a directory, not a file$"):
        load_corpus(corpus_dir)


def test_a_manifest_that_is_not_utf8_is_an_error(corpus_dir):
    (corpus_dir / MANIFEST).write_bytes(GOOD.encode("utf-16"))
    with pytest.raises(ManifestError, match=r"manifest\.toml: not UTF-8 text$"):
        load_corpus(corpus_dir)


def test_a_manifest_linking_out_of_the_corpus_is_not_followed(corpus_dir, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / MANIFEST
    elsewhere.write_text(GOOD, encoding="utf-8")
    (corpus_dir / MANIFEST).symlink_to(elsewhere)
    with pytest.raises(ManifestError, match=r"manifest\.toml: is a link outside the corpus, not followed$"):
        load_corpus(corpus_dir)
