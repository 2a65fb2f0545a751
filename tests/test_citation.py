"""A section's citation (kb.citation): complete, one line, and read back whole by the parsers reference tools use."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from pylatexenc import latex2text

from kb.citation import FORMATS, NO_PERMALINK, Citation, check_format
from kb.errors import InvalidRequest
from kb.models import Metadata, Notice, Outline, Section, Translation

RETRIEVED = dt.date(2026, 11, 21)
LINK = "https://kb.example.org/notices/miit-2024-165/gmt/5.1"
#: Titles, labels and names built to break a format: BibTeX's specials and brace balance, quotes, newlines
#: (RIS is one value a line; a citation one line), a "%" (a comment in TeX), an RIS tag at a line start.
HOSTILE = [
    'Notice on "Quotes" and {Braces} }{ with 100% & $5 #1 under_score ^ ~ \\ backslash',
    "Two\nlines\r\nand\ttabs\nER  - \nTY  - JOUR",
    "}",
    "{",
    "@misc{evil, title={x}}",
    "Ünïcödé – “typographic” — 中文",
]


def notice(title: str = "Notice on Promoting New Information Infrastructure", **kwargs) -> Notice:
    """A notice with one translation ("gmt") that has sections 5 and 5.1."""
    translator = kwargs.pop("translator", None)
    source = kwargs.pop("source", "GMT Eight")
    label = kwargs.pop("label", "GMT Eight translation (sections 4-8)")
    sections = [Section("5", "Green", None, "Body."), Section("5.1", "Facilities", "5", "Text.")]
    outline = Outline(Metadata(), "Front.", sections)
    t = Translation("gmt", label, Path("gmt.txt"), "miit-2024-165", outline, translator=translator, source=source)
    facts = {
        "number": "MIIT Communications [2024] No. 165",
        "date": "2024-09-04",
        "issuers": ["Ministry of Industry and Information Technology", "Cyberspace Administration of China"],
        "doc_type": "notice",
        **kwargs,
    }
    return Notice("miit-2024-165", title, translations=[t], **facts)


def cite(n: Notice | None = None, section: str = "5.1", permalink: str | None = LINK) -> Citation:
    n = n or notice()
    return Citation.of(n, n.translations[0], section, permalink, RETRIEVED)


def _decoder() -> latex2text.LatexNodes2Text:
    """pylatexenc's LaTeX-to-text, knowing the commands for a literal brace and caret (textcomp's, which
    LaTeX has and pylatexenc's table lacks or maps to a modifier letter)."""
    db = latex2text.get_default_latex_context_db().filter_context()
    specs = [("textbraceleft", "{"), ("textbraceright", "}"), ("textasciicircum", "^")]
    db.add_context_category("literal", prepend=True, macros=[latex2text.MacroTextSpec(n, r) for n, r in specs])
    return latex2text.LatexNodes2Text(latex_context=db)


def read_bibtex(text: str, decode: bool = True):
    """The one entry of ``text``, its values decoded from LaTeX to text (as a reference manager shows them)."""
    middleware = [LatexDecodingMiddleware(decoder=_decoder())] if decode else []
    library = bibtexparser.parse_string(text, append_middleware=middleware)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    (entry,) = library.entries
    return entry


def read_ris(text: str) -> dict:
    (record,) = rispy.loads(text)
    return record


# -- the text ---------------------------------------------------------------------------------------------


def test_the_text_is_complete_and_in_order():
    text = cite().text()
    assert text == (
        "MIIT Communications [2024] No. 165, Notice on Promoting New Information Infrastructure, section 5 (1), "
        "GMT Eight translation (sections 4-8), 2024-09-04, retrieved 2026-11-21, " + LINK
    )


def test_a_label_with_parentheses_is_never_nested():
    """The old citation put the label in parentheses after the section: "(GMT Eight translation (sections 4-8))"."""
    text = cite().text()
    depth = deepest = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        deepest = max(deepest, depth)
    assert deepest == 1 and depth == 0


def test_the_translator_is_named_unless_the_label_already_does():
    assert "translated by Li Wei" in cite(notice(translator="Li Wei")).text()
    assert "translated by" not in cite(notice(translator="GMT Eight")).text()  # "GMT Eight translation (...)"


def test_without_a_number_the_issuing_bodies_lead():
    text = cite(notice(number=None)).text()
    assert text.startswith("Ministry of Industry and Information Technology and Cyberspace Administration of China, ")
    many = notice(number=None, issuers=[f"Body {k}" for k in range(1, 12)])
    assert cite(many).text().startswith("Body 1, Body 2, Body 3 and 8 others, Notice on")


def test_without_a_public_address_the_text_says_so():
    text = cite(permalink=None).text()
    assert text.endswith(NO_PERMALINK) and "http" not in text


def test_front_matter_is_cited_as_front_matter():
    n = notice()
    c = Citation.of(n, n.translations[0], "front", LINK, RETRIEVED)
    assert ", front matter, " in c.text() and "section 5" not in c.text()


@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_hostile_title_keeps_the_text_one_line(hostile):
    text = cite(notice(hostile, label=hostile, translator=hostile)).text()
    assert "\n" not in text and "\r" not in text and "\t" not in text
    assert " ".join(hostile.split()) in text


# -- BibTeX -------------------------------------------------------------------------------------------------


def test_bibtex_reads_back_whole():
    entry = read_bibtex(cite().bibtex())
    assert entry.entry_type == "misc" and entry.key == "miit-2024-165:gmt:5.1"
    fields = {f.key: f.value for f in entry.fields}
    assert fields["title"] == "Notice on Promoting New Information Infrastructure"
    # corporate authors, each braced: "and" inside a ministry's name does not split it
    raw = {f.key: f.value for f in read_bibtex(cite().bibtex(), decode=False).fields}
    assert raw["author"] == "{Ministry of Industry and Information Technology} and {Cyberspace Administration of China}"
    assert raw["title"] == "{Notice on Promoting New Information Infrastructure}"  # braced again: its capitals kept
    assert fields["number"] == "MIIT Communications [2024] No. 165"
    assert (fields["date"], fields["year"]) == ("2024-09-04", "2024")
    assert fields["url"] == LINK and fields["urldate"] == "2026-11-21"
    assert fields["note"] == "Section 5 (1), GMT Eight translation (sections 4-8), published by GMT Eight"


@pytest.mark.parametrize("hostile", HOSTILE)
def test_bibtex_survives_a_hostile_title(hostile):
    entry = read_bibtex(cite(notice(hostile, label=hostile, translator="A}B{C")).bibtex())
    fields = {f.key: f.value for f in entry.fields}
    # one entry, its key intact, and the title decoded back to what it was (one line)
    assert entry.key == "miit-2024-165:gmt:5.1"
    assert fields["title"] == " ".join(hostile.split())
    assert fields["translator"] == "A}B{C"
    assert set(fields) >= {"title", "url", "note", "translator"}


def test_bibtex_keys_differ_per_section_and_translation_and_do_not_run_together():
    keys = {cite(section=s).key for s in ("5", "5.1", "front")}
    assert len(keys) == 3
    # notice ids and translation names are slugs (no colons): "a-b" + "c" is not "a" + "b-c"
    assert "miit-2024-165:gmt:5.1".count(":") == 2


# -- RIS ----------------------------------------------------------------------------------------------------


def test_ris_reads_back_whole():
    text = cite().ris()
    assert text.startswith("TY  - GOVDOC\r\n") and text.endswith("ER  -\r\n")
    record = read_ris(text)
    assert record["type_of_reference"] == "GOVDOC"
    assert record["title"] == "Notice on Promoting New Information Infrastructure"
    assert record["authors"] == [
        "Ministry of Industry and Information Technology",
        "Cyberspace Administration of China",
    ]
    assert record["date"] == "2024/09/04/" and record["year"] == "2024"
    assert record["section"] == "5 (1)" and record["urls"] == [LINK] and record["access_date"] == "2026/11/21/"
    assert record["publisher"] == "GMT Eight" and record["id"] == "miit-2024-165:gmt:5.1"


@pytest.mark.parametrize("hostile", HOSTILE)
def test_ris_survives_a_hostile_title(hostile):
    text = cite(notice(hostile, label=hostile, source=hostile)).ris()
    record = read_ris(text)  # exactly one record: a "ER  - " inside a value did not end it
    assert record["title"] == " ".join(hostile.split())
    assert record["publisher"] == " ".join(hostile.split())
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  -( .*)?", line) for line in text.split("\r\n")[:-1])


# -- CSL-JSON -----------------------------------------------------------------------------------------------

#: The item types of the CSL 1.0.2 data schema (csl-data.json).
CSL_TYPES = set(
    "article article-journal article-magazine article-newspaper bill book broadcast chapter classic collection "
    "dataset document entry entry-dictionary entry-encyclopedia figure graphic hearing interview legal_case "
    "legislation manuscript map motion_picture musical_score pamphlet paper-conference patent performance "
    "periodical personal_communication post post-weblog regulation report review review-book software song "
    "speech standard thesis treaty webpage".split()
)
CSL_NAMES = {"author", "translator", "editor", "contributor"}
CSL_DATES = {"issued", "accessed"}
CSL_STRINGS = {"id", "title", "number", "genre", "section", "publisher", "note", "URL", "language"}


def csl_problems(document: object) -> list[str]:
    """What the CSL-JSON data schema would reject: an array of items, each with ``id`` and a known ``type``,
    name variables as objects of name parts, dates as one or two ``date-parts`` of 1-3 numbers, text as strings."""
    if not isinstance(document, list):
        return ["not an array"]
    problems = []
    for item in document:
        if not isinstance(item.get("id"), str | int) or item.get("type") not in CSL_TYPES:
            problems.append(f"id or type: {item.get('id')!r} {item.get('type')!r}")
        for key, value in item.items():
            if key in CSL_NAMES:
                if not all(isinstance(n, dict) and set(n) <= {"literal", "family", "given"} for n in value):
                    problems.append(key)
            elif key in CSL_DATES:
                parts = value.get("date-parts")
                if not (isinstance(parts, list) and 1 <= len(parts) <= 2):
                    problems.append(key)
                elif not all(1 <= len(p) <= 3 and all(isinstance(x, int) for x in p) for p in parts):
                    problems.append(key)
            elif key in CSL_STRINGS:
                if not isinstance(value, str):
                    problems.append(key)
            elif key != "type":
                problems.append(f"unknown variable {key}")
    return problems


def test_csl_json_has_its_required_fields_and_only_csl_variables():
    document = json.loads(cite(notice(translator="Li Wei")).csl_json())
    assert csl_problems(document) == []
    (item,) = document
    assert item["type"] == "report" and item["id"] == "miit-2024-165:gmt:5.1"
    assert item["issued"] == {"date-parts": [[2024, 9, 4]]} and item["accessed"] == {"date-parts": [[2026, 11, 21]]}
    assert item["author"][0] == {"literal": "Ministry of Industry and Information Technology"}
    assert item["translator"] == [{"literal": "Li Wei"}] and item["URL"] == LINK


@pytest.mark.parametrize("hostile", HOSTILE)
def test_csl_json_survives_a_hostile_title(hostile):
    (item,) = json.loads(cite(notice(hostile, label=hostile)).csl_json())
    assert item["title"] == " ".join(hostile.split())


def test_a_notice_without_facts_still_cites():
    bare = notice("Untitled", number=None, date=None, issuers=[], doc_type=None)
    c = cite(bare, permalink=None)
    assert c.text() == (
        f"Untitled, section 5 (1), GMT Eight translation (sections 4-8), retrieved 2026-11-21, {NO_PERMALINK}"
    )
    assert csl_problems(json.loads(c.csl_json())) == []
    assert read_bibtex(c.bibtex()).key == c.key
    assert read_ris(c.ris())["title"] == "Untitled"


# -- formats ------------------------------------------------------------------------------------------------


def test_every_format_renders_and_an_unknown_one_is_a_bad_request():
    c = cite()
    for name in FORMATS:
        assert c.render(name)
    assert check_format(None) == "text" and check_format(" BibTeX ") == "bibtex"
    with pytest.raises(InvalidRequest, match="unknown citation format 'xml': choose one of text, bibtex"):
        c.render("xml")
