"""A section's citation: one value, written as a line of text, BibTeX, RIS or CSL-JSON.

The library knows the notice, the translation and the section; it does not
know the site's address. So a :class:`Citation` is given its permalink by
the caller (the web layer builds it with ``url_for`` on the configured public
base URL, the CLI with :mod:`web.permalinks`), or ``None`` when there is no
public address to give, and then says so instead of naming one.

**Entry types.** A notice of a Chinese ministry is a government document: it
is cited by its document number (which names the issuing body:
"MIIT Communications [2024] No. 165"), its title and its date, and it is
neither a statute of a legislature nor a book. Each format's type is the one
that keeps those fields and that reference managers import alike:

* BibTeX ``@misc``: classic BibTeX has no type for government documents, and
  biblatex's ``@legislation``/``@legal`` are "unsupported" types that styles
  print as ``@misc`` anyway; ``@misc`` has no required fields (a notice whose
  issuing bodies nobody states gives no warning), and biblatex reads the
  ``number``, ``type``, ``translator``, ``url`` and ``urldate`` fields of it.
* RIS ``TY  - GOVDOC`` (government document): what RIS has for exactly this,
  imported by Zotero, EndNote and Mendeley as a government report.
* CSL-JSON ``report``: CSL's ``legislation`` and ``regulation`` are rendered by
  most styles as statutes (a code, a section, no authors), which drops the
  issuing bodies and the document number; a ``report`` keeps ``author``
  (the bodies), ``number``, ``genre``, ``publisher``, ``translator`` and
  ``section``, and is what Zotero makes of the RIS and BibTeX entries too.

Every format is written from the same fields, each value made safe for its
syntax: BibTeX's special characters escaped, RIS and the text kept to one line
per value, CSL-JSON written by :mod:`json`. Keys are stable and unique per
notice, translation and section (``miit-2024-165:gmt:5.1``): notice ids and
translation names are slugs without colons, so the parts cannot run together.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from kb.errors import InvalidRequest
from kb.models import FRONT, Notice, SectionId, Translation, cited_section

#: The formats a citation is written in, with their media types and file name extensions (None: shown, not a
#: file). The media types are the ones reference managers register: BibTeX's and RIS's customary ``x-`` types,
#: and CSL-JSON's registered one.
FORMATS: dict[str, tuple[str, str | None]] = {
    "text": ("text/plain; charset=utf-8", None),
    "bibtex": ("application/x-bibtex; charset=utf-8", "bib"),
    "ris": ("application/x-research-info-systems; charset=utf-8", "ris"),
    "csl-json": ("application/vnd.citationstyles.csl+json; charset=utf-8", "json"),
}
#: Issuing bodies named in the one-line text before "and N others": a joint notice of eleven ministries
#: would otherwise be a paragraph (the full list is in the file formats).
TEXT_ISSUERS = 3
#: What the text says in place of a permalink when the site has no public address configured.
NO_PERMALINK = "no permalink: the site's public address is not configured"

#: BibTeX's special characters and how a value writes them. A brace is written as a command, not as ``\{``:
#: BibTeX counts every brace of a value, escaped or not, so a title with one ``}`` would end its field early.
_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_BIBTEX_SPECIAL = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIALS))
#: Characters a URL in a BibTeX ``url`` field may not carry as they are (the field is brace-delimited).
_URL_UNSAFE = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}


def one_line(text: str | None) -> str:
    """``text`` with every run of whitespace (newlines and tabs included) made one space: a citation is one line."""
    return " ".join((text or "").split())


def bibtex_escape(text: str) -> str:
    """``text`` safe inside a brace-delimited BibTeX value: one line, its special characters escaped."""
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_SPECIALS[m[0]], one_line(text))


def check_format(name: str | None) -> str:
    """The format called ``name`` (``text`` when none is given), or :class:`InvalidRequest` naming the choices."""
    name = (name or "text").strip().lower()
    if name not in FORMATS:
        raise InvalidRequest(f"unknown citation format {name[:40]!r}: choose one of {', '.join(FORMATS)}")
    return name


@dataclass(frozen=True)
class Citation:
    """What a citation of one section of one translation says, built from the model.

    ``permalink`` is the section's absolute URL on the site's public address,
    or None where none is configured; ``retrieved`` is the day the reader got
    the text (today, unless a caller says otherwise).
    """

    notice: Notice
    translation: Translation
    section: SectionId
    permalink: str | None
    retrieved: dt.date

    @classmethod
    def of(
        cls,
        notice: Notice,
        translation: Translation,
        section: str,
        permalink: str | None,
        retrieved: dt.date | None = None,
    ) -> Citation:
        return cls(notice, translation, SectionId(section), permalink, retrieved or dt.date.today())

    # -- the facts, once ---------------------------------------------------------------------------

    @property
    def key(self) -> str:
        """A key unique per notice, translation and section, stable across builds (``miit-2024-165:gmt:5.1``)."""
        return f"{self.notice.id}:{self.translation.name}:{self.section}"

    @property
    def file_name(self) -> str:
        """The stem of a downloaded file: the key with hyphens (a colon is not allowed in every file system, and the
        slash of a section in a part, ``a1/2.5``, is a directory in all of them)."""
        return self.key.replace(":", "-").replace("/", "-")

    @property
    def title(self) -> str:
        return one_line(self.notice.title)

    @property
    def issuers(self) -> list[str]:
        return [one_line(i) for i in self.notice.issuers if one_line(i)]

    @property
    def section_text(self) -> str:
        """The section as the notice numbers it: "section 5 (1)", "front matter", or in a part of the notice
        'attachment 1 "Rules for Data Sharing", section 2 (5)' (:func:`kb.models.cited_section`)."""
        return cited_section(self.section, self.notice.part(self.section.part, self.translation))

    @property
    def section_label(self) -> str:
        """The section's number alone, for a file format's section field: "5 (1)", "attachment 1, 2 (5)",
        "attachment 1" (a part's opening), "front matter"."""
        if self.section.is_front:
            return f"attachment {self.section.part}" if self.section.part else "front matter"
        return self.section.display

    @property
    def translator(self) -> str | None:
        return one_line(self.translation.translator) or None

    @property
    def publisher(self) -> str | None:
        """Where the translation was published or obtained (its source), when someone stated it."""
        return one_line(self.translation.source) or None

    @property
    def date_parts(self) -> list[int] | None:
        """The notice's date as [year, month, day] (None when unknown or not a full date)."""
        try:
            d = dt.date.fromisoformat(self.notice.date or "")
        except ValueError:
            return None
        return [d.year, d.month, d.day]

    def _lead(self) -> str:
        """Who and what: the document number (it names the issuing body), else the issuing bodies."""
        if self.notice.number:
            return one_line(self.notice.number)
        bodies = self.issuers
        if len(bodies) > TEXT_ISSUERS:
            return f"{', '.join(bodies[:TEXT_ISSUERS])} and {len(bodies) - TEXT_ISSUERS} others"
        return " and ".join([", ".join(bodies[:-1]), bodies[-1]] if len(bodies) > 1 else bodies)

    def _translation_text(self) -> str:
        """The translation's label, and its translator unless the label already names them."""
        label = one_line(self.translation.label)
        translator = self.translator
        if translator and translator.lower() not in label.lower():
            return f"{label}, translated by {translator}" if label else f"translated by {translator}"
        return label

    # -- the formats ---------------------------------------------------------------------------------

    def text(self) -> str:
        """The complete citation on one line, its parts separated by commas.

        Issuing bodies or document number, title, section, translation and
        translator, date, the day retrieved, and the permalink last (so that
        it is whole at the end of a copied line). Nothing is put in
        parentheses here, so a label that has its own ("GMT Eight translation
        (sections 4-8)") never ends up nested.
        """
        parts = [
            self._lead(),
            self.title,
            self.section_text,
            self._translation_text(),
            one_line(self.notice.date),
            f"retrieved {self.retrieved.isoformat()}",
            self.permalink or NO_PERMALINK,
        ]
        return ", ".join(p for p in parts if p)

    def note(self) -> str:
        """The section and the translation, for the file formats' note field."""
        parts = [self.section_text[0].upper() + self.section_text[1:], self._translation_text()]
        if self.publisher:
            parts.append(f"published by {self.publisher}")
        return ", ".join(p for p in parts if p)

    def bibtex(self) -> str:
        """A BibTeX ``@misc`` entry (see the module docs), every value escaped."""
        fields: list[tuple[str, str]] = []
        if self.issuers:  # corporate authors: each in braces, so that "Ministry of X and Y" stays one name
            fields.append(("author", " and ".join("{" + bibtex_escape(i) + "}" for i in self.issuers)))
        fields.append(("title", "{" + bibtex_escape(self.title) + "}"))  # inner braces keep its capitals
        if self.notice.number:
            fields.append(("number", bibtex_escape(self.notice.number)))
        if self.notice.doc_type:
            fields.append(("type", bibtex_escape(self.notice.doc_type.capitalize())))
        parts = self.date_parts
        if parts:
            fields += [("date", self.notice.date or ""), ("year", str(parts[0]))]
        if self.translator:
            fields.append(("translator", "{" + bibtex_escape(self.translator) + "}"))
        if self.publisher:
            fields.append(("howpublished", bibtex_escape(self.publisher)))
        fields.append(("note", bibtex_escape(self.note())))
        if self.permalink:
            url = "".join(_URL_UNSAFE.get(c, c) for c in self.permalink)
            fields += [("url", url), ("urldate", self.retrieved.isoformat())]
        fields.append(("language", "english"))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@misc{{{self.key},\n{body}\n}}\n"

    def ris(self) -> str:
        """An RIS record (``TY  - GOVDOC``), one tag a line, ended by ``ER``; CRLF line ends, as the format says."""
        lines: list[tuple[str, str]] = [("TY", "GOVDOC"), ("ID", self.key), ("TI", self.title)]
        lines += [("AU", i) for i in self.issuers]
        parts = self.date_parts
        if parts:
            lines += [("PY", str(parts[0])), ("DA", f"{parts[0]:04d}/{parts[1]:02d}/{parts[2]:02d}/")]
        if self.notice.number:
            lines.append(("M1", one_line(self.notice.number)))
        if self.notice.doc_type:
            lines.append(("M3", self.notice.doc_type.capitalize()))
        lines.append(("SE", "Front matter" if self.section == FRONT else self.section_label))
        if self.translator:
            lines.append(("A4", self.translator))  # A4: the translator, in the RIS specification's table
        if self.publisher:
            lines.append(("PB", self.publisher))
        lines.append(("N1", self.note()))
        if self.permalink:
            lines += [("UR", self.permalink), ("Y2", self.retrieved.strftime("%Y/%m/%d/"))]
        lines += [("LA", "English"), ("ER", "")]
        return "".join(f"{tag}  - {one_line(value)}".rstrip() + "\r\n" for tag, value in lines)

    def csl(self) -> dict:
        """One CSL-JSON item (a ``report``: see the module docs)."""
        item: dict = {"id": self.key, "type": "report", "title": self.title}
        if self.issuers:
            item["author"] = [{"literal": i} for i in self.issuers]
        parts = self.date_parts
        if parts:
            item["issued"] = {"date-parts": [parts]}
        if self.notice.number:
            item["number"] = one_line(self.notice.number)
        if self.notice.doc_type:
            item["genre"] = self.notice.doc_type.capitalize()
        item["section"] = self.section_label
        if self.translator:
            item["translator"] = [{"literal": self.translator}]
        if self.publisher:
            item["publisher"] = self.publisher
        item["note"] = self.note()
        if self.permalink:
            item["URL"] = self.permalink
            d = self.retrieved
            item["accessed"] = {"date-parts": [[d.year, d.month, d.day]]}
        item["language"] = "en"
        return item

    def csl_json(self) -> str:
        """A CSL-JSON document: an array holding this one item, as reference managers import them."""
        return json.dumps([self.csl()], ensure_ascii=False, indent=2) + "\n"

    def render(self, format_name: str) -> str:
        """The citation in ``format_name`` (one of :data:`FORMATS`; anything else is :class:`InvalidRequest`)."""
        name = check_format(format_name)
        if name == "text":
            return self.text() + "\n"
        return {"bibtex": self.bibtex, "ris": self.ris, "csl-json": self.csl_json}[name]()
