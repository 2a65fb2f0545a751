"""Front matter of a Markdown source: YAML or TOML at the top, validated like the manifest, one-line errors."""

from __future__ import annotations

import pytest

from kb.errors import KnowledgeBaseError
from kb.frontmatter import FRONT_MATTER, MAX_FRONT_MATTER_CHARS, MAX_NESTING, FrontMatterError, split_front_matter

WHERE = "corpus/notice.md"

YAML_ALL = """---
id: miit-2024-165
title: Notice on new information infrastructure
number: MIIT Communications [2024] No. 165
date: 2024-09-04
source: https://www.miit.gov.cn/
issuers: [Ministry of Industry and Information Technology, Cyberspace Administration of China]
type: Notice
name: full
label: Full translation
language: en
---
# Notice on new information infrastructure

1. General requirements
"""

TOML_ALL = """---
id = "miit-2024-165"
title = "Notice on new information infrastructure"
number = "MIIT Communications [2024] No. 165"
date = 2024-09-04
source = "https://www.miit.gov.cn/"
issuers = ["Ministry of Industry and Information Technology", "Cyberspace Administration of China"]
type = "Notice"
name = "full"
label = "Full translation"
language = "en"
---
# Notice on new information infrastructure

1. General requirements
"""

ALL_FACTS = {
    "id": "miit-2024-165",
    "title": "Notice on new information infrastructure",
    "number": "MIIT Communications [2024] No. 165",
    "date": "2024-09-04",
    "source": "https://www.miit.gov.cn/",
    "issuers": ["Ministry of Industry and Information Technology", "Cyberspace Administration of China"],
    "type": "notice",
    "name": "full",
    "label": "Full translation",
    "language": "en",
}
BODY = "# Notice on new information infrastructure\n\n1. General requirements\n"


def block(lines: str, delimiter: str = "---", body: str = "Body.\n") -> str:
    return f"{delimiter}\n{lines}\n{delimiter}\n{body}"


def facts_of(lines: str, delimiter: str = "---") -> dict:
    facts, body = split_front_matter(block(lines, delimiter), WHERE)
    assert body == "Body.\n"
    return facts


def error_of(text: str) -> str:
    with pytest.raises(FrontMatterError) as caught:
        split_front_matter(text, WHERE)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{WHERE}: front matter: ")
    return message.removeprefix(f"{WHERE}: front matter: ")


# -- what is read ---------------------------------------------------------------------------


def test_every_key_in_yaml():
    assert split_front_matter(YAML_ALL, WHERE) == (ALL_FACTS, BODY)


def test_every_key_in_toml_between_dashes():
    assert split_front_matter(TOML_ALL, WHERE) == (ALL_FACTS, BODY)


def test_toml_between_plus_signs():
    text = TOML_ALL.replace("---\n", "+++\n")
    assert split_front_matter(text, WHERE) == (ALL_FACTS, BODY)


def test_the_keys_are_the_manifest_facts_and_the_translation_name_label_and_language():
    assert [f.key for f in FRONT_MATTER] == [
        "id",
        "title",
        "number",
        "date",
        "source",
        "issuers",
        "type",
        "name",
        "label",
        "language",
    ]
    assert not any(f.required for f in FRONT_MATTER)


@pytest.mark.parametrize(
    ("lines", "delimiter"),
    [
        ("date: 2024-09-04", "---"),  # YAML reads this as a date
        ("date: '2024-09-04'", "---"),  # ... and this as text
        ("date = 2024-09-04", "---"),  # a TOML date
        ('date = "2024-09-04"', "---"),  # an ISO date in a TOML string
        ("date = 2024-09-04", "+++"),
        ("date: ' 2024-09-04 '", "---"),
    ],
)
def test_dates_in_each_form_become_iso_text(lines, delimiter):
    assert facts_of(lines, delimiter) == {"date": "2024-09-04"}


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("date: 2024-09-04 10:00:00", "'date' must be a date (like 2024-09-04), not a date and time"),
        ("date = 2024-09-04T10:00:00", "'date' must be a date (like 2024-09-04), not a date and time"),
        ("date: 4 September 2024", "'date' must be a date like 2024-09-04, not '4 September 2024'"),
        ("date: 20240904", "'date' must be a date like 2024-09-04, not a number (20240904)"),
        ("date: '2024-02-30'", "'date' is not a real date: '2024-02-30'"),
        ("date: 2024-02-30", "invalid YAML (cannot read '2024-02-30' as a date (at line 2, column 7))"),
    ],
)
def test_dates_that_are_not_dates(lines, message):
    assert error_of(block(lines)) == message


@pytest.mark.parametrize(
    ("lines", "issuers"),
    [
        ("issuers: MIIT", ["MIIT"]),
        ('issuers = "MIIT"', ["MIIT"]),
        ("issuers: [MIIT, CAC]", ["MIIT", "CAC"]),
        ("issuers:\n  - MIIT\n  - ' CAC '", ["MIIT", "CAC"]),
        ('issuers = ["MIIT", "CAC"]', ["MIIT", "CAC"]),
    ],
)
def test_issuers_as_one_text_or_a_list(lines, issuers):
    assert facts_of(lines) == {"issuers": issuers}


@pytest.mark.parametrize(
    ("written", "kept"),
    [("Notice", "notice"), ("  Guiding   Opinions ", "guiding opinions"), ("work-plan", "work-plan")],
)
def test_the_document_type_is_kept_in_lower_case(written, kept):
    assert facts_of(f"type: '{written}'") == {"type": kept}


# -- where a block is, and where it is not ------------------------------------------------------


def test_text_without_a_block_is_returned_unchanged():
    text = "# A notice\n\nTitle: not metadata\n"
    assert split_front_matter(text, WHERE) == ({}, text)
    assert split_front_matter("", WHERE) == ({}, "")


def test_a_horizontal_rule_later_in_the_document_is_not_front_matter():
    text = "# A notice\n\nSome words.\n\n---\n\ntitle: not metadata\n\n---\n\nMore.\n"
    assert split_front_matter(text, WHERE) == ({}, text)


def test_a_horizontal_rule_in_the_body_stays_in_the_body():
    body = "Words.\n\n---\n\nMore words.\n\n---\n"
    assert split_front_matter(block("title: T", body=body), WHERE) == ({"title": "T"}, body)


def test_four_dashes_open_no_block():
    text = "----\ntitle: x\n----\nBody.\n"
    assert split_front_matter(text, WHERE) == ({}, text)


def test_a_byte_order_mark_and_blank_lines_may_come_first():
    assert split_front_matter("\ufeff---\ntitle: T\n---\nBody.\n", WHERE) == ({"title": "T"}, "Body.\n")
    assert split_front_matter("\n \n---\ntitle: T\n---\nBody.\n", WHERE) == ({"title": "T"}, "Body.\n")


def test_a_byte_order_mark_without_a_block_is_left_alone():
    text = "\ufeff# A notice\n"
    assert split_front_matter(text, WHERE) == ({}, text)


def test_windows_line_endings_and_trailing_spaces_on_delimiters():
    text = "--- \r\ntitle: T\r\ndate: 2024-09-04\r\n---\t\r\nBody.\r\n"
    assert split_front_matter(text, WHERE) == ({"title": "T", "date": "2024-09-04"}, "Body.\r\n")


def test_an_empty_block_states_nothing():
    assert split_front_matter("---\n---\nBody.\n", WHERE) == ({}, "Body.\n")
    assert split_front_matter("---\n# only a comment\n---\nBody.\n", WHERE) == ({}, "Body.\n")


def test_a_block_at_the_end_of_the_file():
    assert split_front_matter("---\ntitle: T\n---", WHERE) == ({"title": "T"}, "")


def test_the_body_is_a_suffix_so_the_block_line_count_is_known():
    text = "\ufeff\n" + block("title: T\nnumber: '165'", body="Line 6.\n")
    facts, body = split_front_matter(text, WHERE)
    assert text.endswith(body)
    assert text[: len(text) - len(body)].count("\n") == 5


# -- mistakes, each in one line ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("titel: T", "unknown key 'titel' (did you mean 'title'?)"),
        (
            "colour: red",
            "unknown key 'colour' (known keys: id, title, number, date, source, issuers, type, name, label, language)",
        ),
        (
            'translation = "full"',
            "unknown key 'translation' (known keys: id, title, number, date, source, issuers, type, name, label, "
            "language)",
        ),
        ("file: a.md", "unknown key 'file' (did you mean 'title'?)"),
        (
            "1: T",
            "keys are names (known keys: id, title, number, date, source, issuers, type, name, label, language), "
            "not a number (1)",
        ),
        (
            "yes: T",
            "keys are names (known keys: id, title, number, date, source, issuers, type, name, label, language), "
            "not true/false",
        ),
    ],
)
def test_unknown_keys(lines, message):
    assert error_of(block(lines)) == message


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("title: 7", "'title' must be text in quotes, not a number (7)"),
        ("title:", "'title' must be text in quotes, not nothing (an empty value)"),
        ("title: ' '", "'title' is empty"),
        ("number: 165", "'number' must be text in quotes, not a number (165)"),
        ("issuers: 3", '\'issuers\' must be a list of texts (["...", "..."]), not a number (3)'),
        ("issuers: [MIIT, 3]", "'issuers[2]' must be text in quotes, not a number (3)"),
        ("issuers: {a: b}", '\'issuers\' must be a list of texts (["...", "..."]), not a table'),
        (
            "id: Not A Slug",
            "'id' must be a short name of lower-case letters, digits and hyphens, at most 64 long "
            '(like "full" or "gmt-2"), not \'Not A Slug\'',
        ),
        (
            "name: ../x",
            "'name' must be a short name of lower-case letters, digits and hyphens, at most 64 long "
            '(like "full" or "gmt-2"), not \'../x\'',
        ),
        ("name: compare", "'name' 'compare' is reserved (the compare page's address uses it): choose another"),
        (
            "type: notice 2",
            "'type' must be a document type of at most 40 letters, spaces and hyphens "
            '(like "notice" or "opinions"), not \'notice 2\'',
        ),
        ("label: [a]", "'label' must be text in quotes, not a list"),
        ("source = 3", "'source' must be text in quotes, not a number (3)"),
    ],
)
def test_values_of_the_wrong_kind(lines, message):
    assert error_of(block(lines)) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "- a\n- b",
            "must be keys and values (like 'title: ...'), not a list; a document cannot begin with a '---' rule",
        ),
        (
            "Just words",
            "must be keys and values (like 'title: ...'), not text ('Just words'); "
            "a document cannot begin with a '---' rule",
        ),
    ],
)
def test_a_block_that_is_not_a_mapping(text, message):
    assert error_of(block(text)) == message


def test_a_document_that_begins_with_a_rule_is_told_why():
    text = "---\n\nSome words.\n\n---\n\nMore.\n"
    assert error_of(text).endswith("a document cannot begin with a '---' rule")


def test_invalid_yaml_is_one_line_with_the_line_of_the_file():
    # line 1 is the byte order mark and a blank line, line 2 the opening dashes
    assert error_of("\ufeff\n---\ntitle: a\n  b: c\n---\n") == (
        "invalid YAML (mapping values are not allowed here (at line 4, column 4))"
    )
    assert error_of(block('title: "unclosed')).startswith("invalid YAML (while scanning a quoted scalar found")


def test_invalid_toml_is_one_line_with_the_line_of_the_file():
    assert error_of(block('title = "T"\nnumber = "unclosed')) == (
        "invalid TOML (Illegal character '\\n' (at line 3, column 19))"
    )


def test_plus_signs_mean_toml_only():
    assert error_of(block("title: T", "+++")) == (
        "invalid TOML (Expected '=' after a key in a key/value pair (at line 2, column 6))"
    )


def test_a_key_written_twice():
    assert error_of(block("title: a\ntitle: b")) == "invalid YAML (key 'title' is written twice (at line 3, column 1))"
    assert error_of(block('title = "a"\ntitle = "b"')).startswith("invalid TOML (Cannot overwrite a value")


def test_an_unclosed_block_is_an_error_not_text():
    message = error_of("---\ntitle: T\n\n# A notice\n\nWords.\n")
    assert message == (
        "the opening '---' has no closing '---' line within 20,000 characters "
        "(front matter is a short block at the top of the file)"
    )
    assert error_of("+++\ntitle = 'T'\n---\n").startswith("the opening '+++' has no closing '+++' line")
    assert error_of("---").startswith("the opening '---' has no closing '---' line")


def test_a_block_up_to_the_limit_is_read_and_a_longer_one_is_not():
    def text_of_block(size: int) -> str:
        lines = "title = '" + "x" * (size - len("title = ''\n")) + "'\n"
        assert len(lines) == size
        return "---\n" + lines + "---\nBody.\n"

    facts, body = split_front_matter(text_of_block(MAX_FRONT_MATTER_CHARS), WHERE)
    assert len(facts["title"]) == MAX_FRONT_MATTER_CHARS - len("title = ''\n") and body == "Body.\n"
    assert "has no closing '---' line within 20,000 characters" in error_of(text_of_block(MAX_FRONT_MATTER_CHARS + 1))


def test_the_error_is_a_knowledge_base_error():
    """The CLI and the web report any KnowledgeBaseError as one line; front matter errors are among them."""
    assert issubclass(FrontMatterError, KnowledgeBaseError)


# -- hostile blocks ---------------------------------------------------------------------------


def test_yaml_tags_for_python_objects_are_refused():
    message = error_of(block("title: !!python/object/apply:os.system ['echo owned']"))
    assert message.startswith("invalid YAML (could not determine a constructor for the tag")
    assert "python/object/apply:os.system" in message


def test_an_alias_bomb_is_refused_before_it_grows():
    laughs = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10)
    )
    assert error_of(block(laughs)) == "invalid YAML (aliases (*name) are not accepted (at line 3, column 10))"


def test_merge_keys_over_aliases_are_refused():
    """Each level doubles the safe loader's merge work (30 levels, 600 characters, take hours); refused at the
    first alias. Fourteen levels keep this test quick even if the refusal were lost."""
    bomb = "m0: &m0 {k: 1}\n" + "".join(f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}]}}\n" for i in range(1, 14))
    assert error_of(block(bomb)) == "invalid YAML (aliases (*name) are not accepted (at line 3, column 15))"


def test_any_alias_is_refused_even_a_harmless_one():
    assert error_of(block("title: &t T\nlabel: *t")) == (
        "invalid YAML (aliases (*name) are not accepted (at line 3, column 8))"
    )


@pytest.mark.parametrize(
    ("opening", "closing", "column"),
    [
        ("[", "]", len("issuers: ") + MAX_NESTING),  # the root mapping, nine lists, then the tenth "["
        ("{a: ", "}", len("issuers: ") + 4 * (MAX_NESTING - 2) + 2),  # ... eight mappings, then the ninth's key
    ],
)
def test_deep_nesting_is_refused_where_it_starts(opening, closing, column):
    """The loader stops at MAX_NESTING levels with a position, instead of recursing thousands deep."""
    text = block("issuers: " + opening * 3000 + "x" + closing * 3000)
    assert error_of(text) == f"invalid YAML (nested more than {MAX_NESTING} deep (at line 2, column {column}))"


def test_deep_toml_nesting_is_one_line():
    assert error_of(block("issuers = " + "[" * 5000 + "]" * 5000)) == "invalid TOML (nested too deeply)"


def test_nested_lists_within_the_limit_are_refused_by_their_kind():
    assert error_of(block("issuers: " + "[" * 8 + "]" * 8)) == "'issuers[1]' must be text in quotes, not a list"


@pytest.mark.parametrize("lines", ["number: " + "1" * 5000, "number = " + "1" * 5000])
def test_a_number_too_long_to_read_is_one_line(lines):
    message = error_of(block(lines))
    assert message.startswith(("invalid YAML (cannot read '111", "invalid TOML ("))
    assert len(message) < 300


def test_a_long_value_is_shortened_in_messages():
    message = error_of(block("type: " + "x" * 5000 + "1"))
    assert message.endswith(f"not '{'x' * 37}...'")
