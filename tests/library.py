"""A small corpus of several notices for the tests: the seeds plus four short generated notices.

The seed corpus holds one notice (``miit-2024-165``, two translations), which
cannot show what a knowledge base of many notices must get right: which notice
a hit belongs to, filters and facet counts by issuing body, year and document
type, the same section id in two notices, a translation name used by two
notices. :func:`write_library` writes the seeds and four generated notices into
a directory; the constants below say what was written, so tests assert against
them instead of repeating facts (they describe the corpus; they tune nothing).

The generated texts are hand-written, short and realistic, in the style of an
English translation of a Chinese policy notice. Each notice's role:

- **NDRC opinions, 2023** (``ndrc-2023-1127``): a manifest entry with one
  translation, named ``english`` (a name no other notice uses). The only notice
  of the National Development and Reform Commission. Mentions "data centres".
- **Ministry of Finance and MIIT measures, 2024** (``mof-2024-58``): two
  issuers, one of them (MIIT) shared with the seed notice; the second 2024
  notice. Two translations: ``full`` (the name the seed notice also gives its
  full translation, so translation names are unique only within a notice) and
  ``excerpt``, which lacks section 4, as the seed's ``gmt`` lacks sections 1-3
  (its own title line ends "(excerpt)"; the manifest's title is the notice's).
  Section 2's title names "submarine cables".
- **CAC plan, 2025** (``cac-cybersecurity-2025-9``): a Markdown file whose
  metadata comes from a YAML front-matter block (title, number, date, issuers,
  type); no manifest entry. Mentions both "submarine cables" and "data centres".
  The Cyberspace Administration of China is also among the seed's issuers.
- **State Council General Office notice, 2021** (``guo-ban-fa-2021-37``): plain
  text with no manifest entry and no front matter; number, date and title are
  detected from its text. Its issuing body is named only in its title ("Notice
  of the General Office of the State Council on ...") and its closing
  signature. The only notice holding the word "tidal".

Every notice has sections ``2`` and ``2.1`` (as does the seed's full
translation), each with its own text, so tests can check that two notices'
sections never mix.

A notice without a manifest entry gets its id from its document number
("Guo Ban Fa [2021] No. 37" -> ``guo-ban-fa-2021-37``: lower case, words joined
by hyphens, "No." dropped) and its one translation is named after its file
(the file names are already slugs, so the name is the file's stem).

Until the manifest accepts ``type`` and a translation name repeated across
notices, today's manifest parser refuses the written manifest; the files
themselves outline today (``tests/test_library_corpus.py``).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

#: The project's seed corpus, copied into every library.
SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
#: The seed notice's id (from seeds/manifest.toml) and its translations' names.
SEED_NOTICE = "miit-2024-165"
SEED_TRANSLATIONS = ("full", "gmt")
#: Where each kind of metadata comes from (:attr:`LibraryNotice.metadata_from`).
FROM_MANIFEST, FROM_FRONT_MATTER, FROM_TEXT = "manifest", "front matter", "text"


@dataclass(frozen=True)
class LibraryNotice:
    """What one generated notice is: the facts a loaded corpus should report about it.

    ``translations``, ``files`` and ``labels`` are parallel (one entry per
    translation, in manifest order). ``sections`` lists the notice's sections
    as ``(id, title)`` across all its translations, in order; ``lacks`` names
    ``(translation, top-level section)`` pairs a translation leaves out (with
    that section's subsections).
    """

    id: str
    title: str
    number: str
    date: str  # ISO, YYYY-MM-DD
    issuers: tuple[str, ...]
    type: str
    translations: tuple[str, ...]
    files: tuple[str, ...]
    labels: tuple[str, ...]
    sections: tuple[tuple[str, str], ...]
    lacks: tuple[tuple[str, str], ...] = ()
    metadata_from: str = FROM_MANIFEST

    @property
    def year(self) -> int:
        return int(self.date[:4])

    @property
    def section_ids(self) -> tuple[str, ...]:
        return tuple(section_id for section_id, _ in self.sections)

    def section_ids_of(self, translation: str) -> tuple[str, ...]:
        """The section ids one translation holds: the notice's, less what it lacks."""
        lacking = {top for name, top in self.lacks if name == translation}
        return tuple(s for s in self.section_ids if s.split(".")[0] not in lacking)

    def title_of(self, section_id: str) -> str:
        return dict(self.sections)[section_id]


NDRC = LibraryNotice(
    id="ndrc-2023-1127",
    title=(
        "Opinions of the National Development and Reform Commission on Promoting "
        "the Green and Intensive Development of Data Centres"
    ),
    number="NDRC High Technology [2023] No. 1127",
    date="2023-06-12",
    issuers=("National Development and Reform Commission",),
    type="opinions",
    translations=("english",),
    files=("ndrc-2023-green-data-centres.txt",),
    labels=("English translation",),
    sections=(
        ("1", "General requirements"),
        ("1.1", "Guiding ideology"),
        ("1.2", "Main goals"),
        ("2", "Optimise the layout of data centres"),
        ("2.1", "Concentrate new capacity in the national computing hub nodes"),
        ("2.2", "Guide the orderly upgrading of existing facilities"),
        ("3", "Improve energy efficiency and the use of renewable energy"),
        ("3.1", "Promote energy-saving technologies"),
        ("3.2", "Raise the share of green electricity"),
        ("4", "Strengthen safeguards"),
        ("4.1", "Improve the standards system"),
        ("4.2", "Strengthen supervision and evaluation"),
    ),
)

MOF = LibraryNotice(
    id="mof-2024-58",
    title="Measures for the Administration of Special Funds for International Communications Infrastructure",
    number="MOF Construction [2024] No. 58",
    date="2024-05-20",
    issuers=("Ministry of Finance", "Ministry of Industry and Information Technology"),
    type="measures",
    translations=("full", "excerpt"),
    files=("mof-2024-cable-funds-full.txt", "mof-2024-cable-funds-excerpt.txt"),
    labels=("Full translation", "Excerpt (without section 4)"),
    sections=(
        ("1", "General provisions"),
        ("1.1", "Purpose"),
        ("1.2", "Definition"),
        ("2", "Supporting the construction of international submarine cables"),
        ("2.1", "Scope of support"),
        ("2.2", "Conditions for application"),
        ("2.3", "Priorities"),
        ("3", "Allocation of funds"),
        ("3.1", "Method of allocation"),
        ("3.2", "Application procedure"),
        ("4", "Performance management and supervision"),
        ("4.1", "Performance targets"),
        ("4.2", "Supervision and inspection"),
        ("5", "Supplementary provisions"),
        ("5.1", "Interpretation"),
        ("5.2", "Entry into force"),
    ),
    lacks=(("excerpt", "4"),),
)

CAC = LibraryNotice(
    id="cac-cybersecurity-2025-9",
    title="Work Plan for Enhancing the Security and Resilience of Critical Network Facilities (2025-2027)",
    number="CAC Cybersecurity [2025] No. 9",
    date="2025-03-18",
    issuers=("Cyberspace Administration of China",),
    type="plan",
    translations=("cac-2025-network-resilience-plan",),
    files=("cac-2025-network-resilience-plan.md",),
    labels=("English translation",),  # no label stated: the default
    sections=(
        ("1", "Overall objectives"),
        ("2", "Protecting data centres and cloud platforms"),
        ("2.1", "Classify data centres by importance"),
        ("2.2", "Strengthen disaster recovery"),
        ("3", "Securing international communication channels"),
        ("3.1", "Protect submarine cables and landing stations"),
        ("3.2", "Monitor the operation of cross-border links"),
        ("4", "Organisation and implementation"),
        ("4.1", "Division of responsibilities"),
        ("4.2", "Evaluation"),
    ),
    metadata_from=FROM_FRONT_MATTER,
)

GOV = LibraryNotice(
    id="guo-ban-fa-2021-37",
    title=(
        "Notice of the General Office of the State Council on Strengthening Emergency Communications "
        "Support in Coastal Areas during the Flood and Typhoon Season"
    ),
    number="Guo Ban Fa [2021] No. 37",
    date="2021-07-28",
    issuers=("General Office of the State Council",),
    type="notice",
    translations=("gov-2021-coastal-emergency-communications",),
    files=("gov-2021-coastal-emergency-communications.txt",),
    labels=("English translation",),  # no label stated: the default
    sections=(
        ("1", "Improve the emergency communications network"),
        ("1.1", "Harden base stations in coastal areas"),
        ("1.2", "Build backup communication routes"),
        ("2", "Strengthen monitoring and early warning"),
        ("2.1", "Share warnings in time"),
        ("2.2", "Reach every person at risk"),
        ("3", "Prepare emergency response forces"),
        ("3.1", "Preposition equipment"),
        ("3.2", "Organise drills"),
        ("4", "Strengthen organisation and leadership"),
    ),
    metadata_from=FROM_TEXT,
)

#: The generated notices, oldest first (the seed notice, ``SEED_NOTICE``, is not among them).
NOTICES: tuple[LibraryNotice, ...] = (GOV, NDRC, MOF, CAC)
#: Every notice id in a written library, the seed's included.
ALL_NOTICE_IDS: tuple[str, ...] = (SEED_NOTICE, *(n.id for n in NOTICES))
#: Section ids every generated notice (and the seed's full translation) has, each with its own text.
SHARED_SECTIONS = ("2", "2.1")
#: Words for search across notices -> the notices whose text holds them (case-insensitive substring of the
#: cleaned text, seed included). The seed says "data center", which the synonyms join with "data centre".
TOPICS: dict[str, tuple[str, ...]] = {
    "submarine cable": (SEED_NOTICE, MOF.id, CAC.id),
    "data centre": (NDRC.id, CAC.id),
    "tidal": (GOV.id,),
}
#: A word in one section of one notice only, for tests that need exactly one hit.
UNIQUE_WORD = "tidal"
UNIQUE_WORD_AT = (GOV.id, "2.1")
#: The section whose title names a shared topic ("submarine cables").
CABLE_TITLE_AT = (MOF.id, "2")


# -- the texts ------------------------------------------------------------------------

_NDRC_TEXT = """\
Opinions of the National Development and Reform Commission on Promoting the Green and Intensive \
Development of Data Centres
NDRC High Technology [2023] No. 1127
June 12, 2023

The development and reform commissions of all provinces, autonomous regions, municipalities directly \
under the Central Government and the Xinjiang Production and Construction Corps:

Data centres are the physical carriers of the digital economy and important new infrastructure. \
In recent years the scale of data centres in China has grown rapidly, while problems such as scattered \
layout, low utilisation and high energy consumption remain prominent. In order to implement the \
decisions of the Central Committee and the State Council on carbon peaking and carbon neutrality, \
and to promote the green and intensive development of data centres, the following opinions are \
hereby put forward.

1. General requirements
(1) Guiding ideology. Guided by the new development philosophy, take the national integrated computing \
network as the framework, coordinate the development of computing power and energy, and build a green, \
intensive, secure and efficient system of data centres.
(2) Main goals. By 2025, the average power usage effectiveness of newly built large and super-large \
data centres shall be reduced to below 1.3, and the average utilisation rate of racks shall reach \
more than 60 percent.

2. Optimise the layout of data centres
(1) Concentrate new capacity in the national computing hub nodes. New large and super-large data \
centres shall in principle be built within the eight national computing hub nodes, and regions with \
abundant renewable energy and a cool climate shall undertake non-real-time computing tasks from the \
eastern regions.
(2) Guide the orderly upgrading of existing facilities. Small and scattered facilities with high \
energy consumption shall be integrated, renovated or closed in an orderly manner, and idle racks \
shall be brought into use through market mechanisms.

3. Improve energy efficiency and the use of renewable energy
(1) Promote energy-saving technologies. Encourage the use of liquid cooling, free cooling, efficient \
power supply and waste heat recovery, and publish a catalogue of advanced energy-saving technologies \
every year.
(2) Raise the share of green electricity. Support operators in purchasing wind and solar power through \
green electricity trading, and in building distributed photovoltaic facilities on their premises.

4. Strengthen safeguards
(1) Improve the standards system. Revise the standards for energy consumption and energy efficiency \
classification, and include carbon emissions in the evaluation of new projects.
(2) Strengthen supervision and evaluation. Development and reform departments at all levels shall \
monitor the energy use of major projects, and projects that fail to meet the standards shall be \
ordered to make rectifications within a time limit.
"""

_MOF_FULL_TEXT = """\
Measures for the Administration of Special Funds for International Communications Infrastructure
MOF Construction [2024] No. 58
Issued by the Ministry of Finance and the Ministry of Industry and Information Technology on May 20, 2024

1. General provisions
(1) Purpose. These Measures are formulated in accordance with the Budget Law of the People's Republic \
of China and the relevant provisions on the management of central fiscal transfer payments, in order \
to regulate the management of special funds and improve the efficiency of their use.
(2) Definition. The term "special funds" as used in these Measures refers to funds arranged in the \
central budget to support the construction and upgrading of international communications \
infrastructure.

2. Supporting the construction of international submarine cables
(1) Scope of support. The special funds support newly built international submarine cables that \
land in China, the expansion of cable landing stations, and backhaul links that connect landing \
stations to the national backbone network.
(2) Conditions for application. An applicant shall be a basic telecommunications enterprise or an \
enterprise jointly established by such enterprises, and the project shall have completed the \
approval procedures for the use of sea areas.
(3) Priorities. Priority is given to projects that open new routes, increase the redundancy of \
existing routes, or serve regions where international capacity is insufficient.

3. Allocation of funds
(1) Method of allocation. The special funds are allocated as awards in lieu of subsidies, in \
proportion to the investment actually completed and the results of performance evaluation.
(2) Application procedure. Enterprises shall submit applications to the provincial departments \
of finance and of industry and information technology, which shall examine them and report to \
the Ministry of Finance and the Ministry of Industry and Information Technology before the end \
of March each year.

4. Performance management and supervision
(1) Performance targets. Each project shall set clear targets for capacity, completion time and \
availability, which serve as the basis for the evaluation of the use of the funds.
(2) Supervision and inspection. Where funds are obtained by fraud, withheld or misappropriated, \
they shall be recovered, and the units and persons responsible shall be held accountable in \
accordance with the law.

5. Supplementary provisions
(1) Interpretation. These Measures shall be interpreted by the Ministry of Finance in conjunction \
with the Ministry of Industry and Information Technology.
(2) Entry into force. These Measures shall come into force on the date of issuance and remain \
valid until December 31, 2028.
"""

_MOF_EXCERPT_TEXT = """\
Measures for the Administration of Special Funds for International Communications Infrastructure (excerpt)
MOF Construction [2024] No. 58
20 May 2024

1. General provisions
(1) Purpose. These Measures are formulated under the Budget Law and the rules on central transfer \
payments, so as to standardise the management of the special funds and make better use of them.
(2) Definition. "Special funds" means money from the central budget set aside for building and \
upgrading international communications infrastructure.

2. Supporting the construction of international submarine cables
(1) Scope of support. The funds go to new international submarine cables landing in China, to larger \
cable landing stations, and to backhaul links between landing stations and the backbone network.
(2) Conditions for application. Applicants must be basic telecommunications operators or joint \
ventures among them, and must already hold approval to use the sea areas concerned.
(3) Priorities. New routes, more redundancy on existing routes and regions short of international \
capacity come first.

3. Allocation of funds
(1) Method of allocation. Funds are granted as awards instead of subsidies, according to the \
investment completed and the outcome of performance evaluation.
(2) Application procedure. Operators apply through the provincial finance and industry departments, \
which review the applications and forward them to the two ministries by the end of March.

5. Supplementary provisions
(1) Interpretation. The Ministry of Finance, together with the Ministry of Industry and Information \
Technology, is responsible for interpreting these Measures.
(2) Entry into force. The Measures take effect on the day they are issued and expire at the end of 2028.
"""

_CAC_TEXT = """\
---
title: "Work Plan for Enhancing the Security and Resilience of Critical Network Facilities (2025-2027)"
number: "CAC Cybersecurity [2025] No. 9"
date: 2025-03-18
issuers:
  - "Cyberspace Administration of China"
type: "plan"
---

# Work Plan for Enhancing the Security and Resilience of Critical Network Facilities (2025-2027)

CAC Cybersecurity [2025] No. 9

Issued by the Cyberspace Administration of China on 18 March 2025.

To implement the Cybersecurity Law and the Data Security Law, and to raise the capacity of critical \
network facilities to withstand attacks, failures and natural disasters, this plan is formulated.

## 1. Overall objectives

By 2027, a protection system covering the planning, construction, operation and recovery of critical \
network facilities shall be basically established, and the ability to detect and handle major risks \
shall be markedly improved.

## 2. Protecting data centres and cloud platforms

### (1) Classify data centres by importance

Operators shall grade their data centres and cloud platforms by the importance of the services and \
data they carry, and apply stricter protection measures to those at the higher grades.

### (2) Strengthen disaster recovery

Operators of critical information infrastructure shall keep backup facilities in a different region \
and test their recovery plans at least once a year.

## 3. Securing international communication channels

### (1) Protect submarine cables and landing stations

Operators shall strengthen the monitoring of submarine cables and their landing stations, report \
faults without delay and keep repair ships and spare parts ready.

### (2) Monitor the operation of cross-border links

Monitoring of the capacity and availability of cross-border terrestrial and satellite links shall \
be improved, and alternative routes shall be prepared for the main directions.

## 4. Organisation and implementation

### (1) Division of responsibilities

The cyberspace administrations at all levels shall lead the work together with the departments in \
charge of industry and information technology and public security.

### (2) Evaluation

The implementation of this plan shall be evaluated at the end of each year, and the results shall be \
reported to the Cyberspace Administration of China.
"""

_GOV_TEXT = """\
Notice of the General Office of the State Council on Strengthening Emergency Communications Support in \
Coastal Areas during the Flood and Typhoon Season
Guo Ban Fa [2021] No. 37
July 28, 2021

The people's governments of all provinces, autonomous regions and municipalities directly under the \
Central Government, all ministries and commissions of the State Council, and all institutions directly \
under the State Council:

Since the beginning of the flood season, several typhoons have made landfall along the coast, and \
interruptions of public communications networks have hindered rescue work in some places. With the \
approval of the State Council, the relevant matters are hereby notified as follows.

1. Improve the emergency communications network
(1) Harden base stations in coastal areas. Base stations in areas prone to typhoons shall be fitted \
with reinforced towers and backup power for at least 12 hours.
(2) Build backup communication routes. Key towns shall be served by at least two independent \
transmission routes, and satellite terminals shall be provided to township governments.

2. Strengthen monitoring and early warning
(1) Share warnings in time. Meteorological, marine and water resources departments shall share \
forecasts of typhoons, storm surges and tidal flooding with communications operators at least 24 hours \
before landfall.
(2) Reach every person at risk. Warning messages shall be sent to every mobile phone in the affected \
areas, and broadcasting stations shall repeat them at regular intervals.

3. Prepare emergency response forces
(1) Preposition equipment. Emergency communication vehicles, portable base stations and generators \
shall be stationed in the counties most at risk before the typhoon season.
(2) Organise drills. Local governments shall organise joint drills with communications operators at \
least once a year.

4. Strengthen organisation and leadership
Local people's governments at all levels shall take overall responsibility for emergency \
communications support within their administrative areas, and the Ministry of Industry and \
Information Technology shall strengthen guidance and supervision.

General Office of the State Council
"""

#: The text of each generated file, by file name.
TEXTS: dict[str, str] = {
    NDRC.files[0]: _NDRC_TEXT,
    MOF.files[0]: _MOF_FULL_TEXT,
    MOF.files[1]: _MOF_EXCERPT_TEXT,
    CAC.files[0]: _CAC_TEXT,
    GOV.files[0]: _GOV_TEXT,
}


# -- writing --------------------------------------------------------------------------


def _toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's for the plain text used here)."""
    return json.dumps(value, ensure_ascii=False)


def manifest_entry(notice: LibraryNotice) -> str:
    """The ``[[notice]]`` entry (with one ``[[notice.translation]]`` per file) describing ``notice``."""
    lines = [
        "[[notice]]",
        f"id = {_toml_string(notice.id)}",
        f"title = {_toml_string(notice.title)}",
        f"number = {_toml_string(notice.number)}",
        f"date = {notice.date}",
        f"issuers = [{', '.join(_toml_string(i) for i in notice.issuers)}]",
        f"type = {_toml_string(notice.type)}",
    ]
    for name, file, label in zip(notice.translations, notice.files, notice.labels, strict=True):
        lines += [
            "",
            "[[notice.translation]]",
            f"name = {_toml_string(name)}",
            f"file = {_toml_string(file)}",
            f"label = {_toml_string(label)}",
        ]
    return "\n".join(lines) + "\n"


def write_library(directory: Path) -> None:
    """Write the seeds and the generated notices into ``directory`` (created if need be).

    The seeds' manifest is copied and the generated notices that have a
    manifest entry are appended to it; the others state their metadata in
    their own text (front matter or the text itself).
    """
    directory.mkdir(parents=True, exist_ok=True)
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        shutil.copyfile(path, directory / path.name)
    manifest = (SEEDS_DIR / "manifest.toml").read_text(encoding="utf-8").rstrip("\n")
    entries = [manifest_entry(n) for n in NOTICES if n.metadata_from == FROM_MANIFEST]
    manifest += "\n\n# Generated notices (tests/library.py).\n\n" + "\n".join(entries)
    (directory / "manifest.toml").write_text(manifest, encoding="utf-8")
    for name, text in TEXTS.items():
        (directory / name).write_text(text, encoding="utf-8")


def strip_front_matter(text: str) -> str:
    """``text`` without a leading front-matter block (between ``---`` lines).

    For checks of the text alone, made before (and independently of) the loader's own reading of the block.
    """
    if not text.startswith("---\n"):
        return text
    end = text.find("\n---\n", 3)
    return text if end < 0 else text[end + len("\n---\n") :]
