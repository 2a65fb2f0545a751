"""A covering notice that issues two attachments, each with its own outline and a third level: one corpus for the
tests of parts (tests/test_parts.py, tests/web/test_web_parts.py).

Two translations in Markdown (a Markdown source marks an attachment with ``# Attachment k: Title`` and a third
level with ``####``): ``full`` has everything; ``excerpt`` lacks attachment 2 and attachment 1's 2 (2) 1,
2 (2) 2 and 2 (3), so pages and commands have something to say is missing. Attachment 1 numbers its items the
way a reader cites them, so its ids are ``a1/2.2`` and ``a1/2.2.1``; attachment 2 is labelled "Annex 2".
"""

from __future__ import annotations

from pathlib import Path

NOTICE = "guobanfa-2018-124"
NUMBER = "Guobanfa [2018] No. 124"
TITLE = "Notice of the General Office of the State Council on Issuing the Rules for Data Sharing"
#: Words found only in one place each: attachment 1's preamble, a third-level item of attachment 1, attachment 2.
PREAMBLE_WORD = "interoperability"
THIRD_WORD = "quarterly"
ANNEX_WORD = "pseudonymised"

FULL = f"""\
# {TITLE}

{NUMBER}

To the people's governments of all provinces and all ministries of the State Council:
The Rules for Data Sharing and the Forms for Data Requests are hereby issued; please implement them.

## 1. Implement the rules
Every region shall implement the attached rules.

### (1) Scope
The rules apply to every department.

#### 1. Departments
Every department of the State Council.

#### 2. Regions
Every region and municipality.

## 2. Report on progress
Report progress every year.

# Attachment 1: Rules for Data Sharing

These rules promote the {PREAMBLE_WORD} of government data.

## 1. General provisions
The purpose of these rules.

## 2. Catalogues

### (1) What catalogues hold
A catalogue lists the data a department holds.

### (2) Compiling catalogues
Departments compile catalogues of their data.

#### 1. Updating catalogues
Catalogues are updated {THIRD_WORD}.

#### 2. Publishing catalogues
Catalogues are published on the platform.

### (3) Using catalogues
Departments use the catalogues to request data.

# Annex 2: Forms for Data Requests

## 1. Request form
A request names the data and its purpose; personal data is {ANNEX_WORD} first.
"""

EXCERPT = f"""\
# {TITLE} (excerpt)

{NUMBER}

## 1. Implement the rules
Every region shall implement the rules attached to this notice.

### (1) Scope
The rules cover every department.

## 2. Report on progress
Report on progress each year.

# Attachment 1: Rules for Data Sharing

## 1. General provisions
What these rules are for.

## 2. Catalogues

### (1) What catalogues hold
What data a department holds.

### (2) Compiling catalogues
Each department compiles a catalogue of its data.
"""

MANIFEST = f"""\
[[notice]]
id = "{NOTICE}"
title = "{TITLE}"
number = "{NUMBER}"
date = 2018-12-20
issuers = ["General Office of the State Council"]
type = "notice"

[[notice.translation]]
name = "full"
file = "parts_full.md"
label = "Full translation"

[[notice.translation]]
name = "excerpt"
file = "parts_excerpt.md"
label = "Excerpt"
"""

#: Every section id of the notice in document order, as the two translations imply them.
SECTION_IDS = [
    "front",
    "1",
    "1.1",
    "1.1.1",
    "1.1.2",
    "2",
    "a1/front",
    "a1/1",
    "a1/2",
    "a1/2.1",
    "a1/2.2",
    "a1/2.2.1",
    "a1/2.2.2",
    "a1/2.3",
    "a2/front",
    "a2/1",
]
#: The sections the excerpt has.
EXCERPT_IDS = ["front", "1", "1.1", "2", "a1/front", "a1/1", "a1/2", "a1/2.1", "a1/2.2"]


def write_parts_corpus(directory: Path) -> Path:
    """Write the notice's two translations and their manifest into ``directory`` (created if need be)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "parts_full.md").write_text(FULL, encoding="utf-8")
    (directory / "parts_excerpt.md").write_text(EXCERPT, encoding="utf-8")
    (directory / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    return directory
