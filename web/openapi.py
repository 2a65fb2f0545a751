"""OpenAPI 3.1 description of the JSON API (served at /api/openapi.json)."""

from __future__ import annotations

from kb.citation import FORMATS
from kb.query import MAX_QUERY_LENGTH
from kb.search import MAX_LIMIT, MAX_OFFSET


def _error() -> dict:
    return {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _ok(ref: str) -> dict:
    return {"description": "OK", "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def _path(name: str, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}, "description": description}


#: How a section is named in a path: a part's slash is part of the id (``a1/2.5``), as it is or as ``%2F``.
_SECTION_DESCRIPTION = (
    "Section id: 6, 6.1, 6.1.2 (a third level) or front; in part k of the notice (an attachment, an issued "
    "document, a forwarded report) the same prefixed with ak/: a1/front, a1/2.5, a1/2.5.1 (the slash as it is, "
    "or %2F)"
)
#: A part of a notice, as the API describes it (kb.models.Part.to_json).
_PART = {
    "type": "object",
    "required": ["number", "id", "kind", "label", "title", "heading"],
    "properties": {
        "number": {"type": "integer", "minimum": 1},
        "id": {"type": "string", "description": "The id of the part's opening: a1/front"},
        "kind": {"type": "string", "enum": ["attachment", "issued", "forwarded"]},
        "label": {"type": ["string", "null"], "description": "How the source marks it: Annex 2, 附件1"},
        "title": {"type": ["string", "null"]},
        "heading": {"type": "string", "description": "How pages head it: Attachment 1: Rules for Data Sharing"},
    },
}
#: Where a section is in its notice: its part (0: the notice's own text), its level, whether its title is derived.
_PLACE = {
    "part": {"type": "integer", "minimum": 0, "description": "0 for the notice's own text, k for part ak"},
    "level": {"type": "integer", "minimum": 0, "maximum": 3, "description": "0 front matter, 1 to 3 its depth"},
    "title_derived": {
        "type": "boolean",
        "description": "The title is made from the text's first clause, not given by it (show it as such)",
    },
}


def _query(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "schema": schema or {"type": "string"}, "description": description}


_PAGING = [
    _query("limit", "Results per page", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT}),
    _query("offset", "Results to skip", {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0}),
]
_NOTICE_FILTERS = [
    _query("issuer", "Only notices issued by this body (its full name, any case)"),
    _query("year", "Only notices of this year", {"type": "string", "pattern": "^(19|20)[0-9]{2}$"}),
    _query("type", "Only notices of this type (notice, opinions, plan, measures, ...)"),
]
_COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}
#: A CSL-JSON document, as far as this API writes one (the CSL schema's required fields of an item).
_CSL = {
    "type": "array",
    "items": {"type": "object", "required": ["id", "type"], "properties": {"id": {"type": "string"}}},
}
_STRINGS = {"type": "array", "items": {"type": "string"}}


def spec() -> dict:
    nullable_str = {"type": ["string", "null"]}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Policy knowledge base API",
            "version": "2",
            "description": "Full-text search over the sections of policy notices, and the notices' texts. "
            "x-search-mode says whether ranking also uses search by meaning (semantic) or words alone (lexical).",
        },
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "Search sections of every notice",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH},
                        },
                        *_PAGING,
                        _query("notice", "Only this notice (its id)"),
                        *_NOTICE_FILTERS,
                        _query("translation", "Only this translation (a name such as full)"),
                        _query("sort", "Order of results", {"type": "string", "enum": ["relevance", "date"]}),
                        _query(
                            "separate",
                            "1: list each translation of a section separately",
                            {"type": "string", "enum": ["0", "1"]},
                        ),
                        _query(
                            "explain",
                            "1: each result's score signal by signal (explain): BM25F, proximity, coverage, the "
                            "lexical and semantic parts, citation, other translations",
                            {"type": "string", "enum": ["0", "1"]},
                        ),
                        _query(
                            "as_typed",
                            "1: search misspelt words as typed (by default they are searched as corrected, "
                            "and corrected says so); a correction is then only suggested",
                            {"type": "string", "enum": ["0", "1"]},
                        ),
                        _query(
                            "prefix",
                            "1: the query's last word is still being typed; it also matches the words that begin "
                            "with it (at least 3 letters; the most frequent 16 such words)",
                            {"type": "string", "enum": ["0", "1"]},
                        ),
                    ],
                    "responses": {"200": _ok("SearchResult"), "400": _error()},
                }
            },
            "/api/notices": {
                "get": {
                    "summary": "The notices, newest first",
                    "parameters": [*_PAGING, *_NOTICE_FILTERS],
                    "responses": {"200": _ok("NoticeList"), "400": _error()},
                }
            },
            "/api/notices/{notice}": {
                "get": {
                    "summary": "One notice's facts and contents",
                    "parameters": [_path("notice", "Notice id")],
                    "responses": {"200": _ok("NoticeDetail"), "404": _error()},
                }
            },
            "/api/notices/{notice}/{translation}/sections/{section}": {
                "get": {
                    "summary": "One section's text in one translation",
                    "parameters": [
                        _path("notice", "Notice id"),
                        _path("translation", "Translation name, unique within the notice"),
                        _path("section", _SECTION_DESCRIPTION),
                    ],
                    "responses": {"200": _ok("Section"), "404": _error()},
                }
            },
            "/api/notices/{notice}/compare/{section}": {
                "get": {
                    "summary": "One section in every translation, with the word-level differences between them",
                    "description": "Each translation that has the section is compared with the base (the first "
                    "that has it, or the one `base` names): `comparisons` cut both texts (and both titles) into "
                    "spans that are equal, only in the base (`left-only`), only in the other (`right-only`) or "
                    "worded differently (`changed`). Words are matched without regard to case, punctuation or "
                    "spacing; each span keeps both sides' original text, so joining a side's spans gives that "
                    "text back. A long or repetitive text is compared more coarsely (`level`, `note`), never at "
                    "unbounded cost.",
                    "parameters": [
                        _path("notice", "Notice id"),
                        _path("section", _SECTION_DESCRIPTION),
                        _query(
                            "base",
                            "The translation the others are compared with (a name such as full); when it lacks "
                            "the section, the first translation that has it (base_note says so)",
                        ),
                    ],
                    "responses": {"200": _ok("SideBySide"), "404": _error()},
                }
            },
            "/api/notices/{notice}/{translation}/sections/{section}/cite": {
                "get": {
                    "summary": "One section's citation: a line of text, BibTeX, RIS or CSL-JSON",
                    "description": "The file formats come as downloads (Content-Disposition: attachment). The "
                    "permalink is on the site's configured public address.",
                    "parameters": [
                        _path("notice", "Notice id"),
                        _path("translation", "Translation name, unique within the notice"),
                        _path("section", _SECTION_DESCRIPTION),
                        _query("format", "The citation's format", {"type": "string", "enum": list(FORMATS)}),
                    ],
                    "responses": {
                        "200": {
                            "description": "The citation",
                            "content": {
                                media.split(";")[0]: {"schema": {"type": "string"} if name != "csl-json" else _CSL}
                                for name, (media, _) in FORMATS.items()
                            },
                        },
                        "400": _error(),
                        "404": _error(),
                    },
                }
            },
            "/api/documents/{name}/sections/{section}": {
                "get": {
                    "summary": "The section API from before notices had ids",
                    "deprecated": True,
                    "parameters": [_path("name", "Translation name"), _path("section", "Section id")],
                    "responses": {
                        "301": {
                            "description": "Moved to /api/notices/{notice}/{name}/sections/{section}, "
                            "while exactly one notice has a translation of this name",
                            "headers": {"Location": {"schema": {"type": "string"}}},
                        },
                        "404": _error(),
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["status", "title", "message"],
                            "properties": {
                                "status": {"type": "integer"},
                                "title": {"type": "string"},
                                "message": {"type": "string"},
                                "alternatives": {
                                    "type": "array",
                                    "description": "For a section this translation lacks: the notice's "
                                    "translations that have it (empty: none has it).",
                                    "items": {
                                        "type": "object",
                                        "required": ["translation", "translation_label", "permalink", "link"],
                                        "properties": {
                                            "translation": {"type": "string"},
                                            "translation_label": {"type": "string"},
                                            "permalink": {"type": "string"},
                                            "link": {"type": "string"},
                                        },
                                    },
                                },
                            },
                        }
                    },
                },
                "Hit": {
                    "type": "object",
                    "required": [
                        "notice",
                        "notice_title",
                        "number",
                        "date",
                        "section",
                        "section_label",
                        "translation",
                        "translation_label",
                        "title",
                        "parent_title",
                        "snippet",
                        "score",
                        "also_in",
                        "permalink",
                        "citation",
                        "match",
                        "links",
                    ],
                    "properties": {
                        "notice": {"type": "string"},
                        "notice_title": {"type": "string"},
                        "number": nullable_str,
                        "date": nullable_str,
                        "section": {"type": "string"},
                        "section_label": {"type": "string", "description": "How a citation names it: 6 (1)"},
                        "translation": {"type": "string"},
                        "translation_label": {"type": "string"},
                        "title": nullable_str,
                        "parent_title": nullable_str,
                        "snippet": {"type": "string"},
                        "snippet_html": {"type": "string"},
                        "highlights": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
                        "score": {"type": "number"},
                        "also_in": _STRINGS,
                        "also_in_labels": {"type": "object", "additionalProperties": {"type": "string"}},
                        "through": {
                            **_STRINGS,
                            "description": "The versions in the query's language whose text of this section matched, "
                            "when the result is in another language (an English query finding a Chinese original)",
                        },
                        "language": {"type": "string", "description": "The result's version's language: zh, en"},
                        "permalink": {"type": "string", "description": "The section's page, root-relative"},
                        "citation": {
                            "type": "string",
                            "description": "Number, title, section, translation, date and absolute permalink",
                        },
                        "explain": {
                            "type": "object",
                            "description": "With explain=1: score = lexical + semantic + citation + translations; "
                            "lexical is (bm25f + proximity) times coverage, times the lexical share of a blend",
                            "required": [
                                "bm25f",
                                "proximity",
                                "coverage",
                                "lexical",
                                "semantic",
                                "citation",
                                "translations",
                                "score",
                            ],
                            "properties": {
                                k: {"type": "number"}
                                for k in (
                                    "bm25f",
                                    "proximity",
                                    "coverage",
                                    "lexical",
                                    "semantic",
                                    "citation",
                                    "translations",
                                    "score",
                                )
                            },
                        },
                        "match": {
                            "type": ["object", "null"],
                            "description": "For a query of plain words: the words the section has and lacks, and "
                            "synonyms found where it lacks a word (null for a query with syntax)",
                            "required": ["words", "missing", "synonyms"],
                            "properties": {
                                "words": _STRINGS,
                                "missing": _STRINGS,
                                "synonyms": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["matched", "for"],
                                        "properties": {"matched": {"type": "string"}, "for": {"type": "string"}},
                                    },
                                },
                            },
                        },
                        "links": {
                            "type": "object",
                            "required": ["notice", "read", "compare"],
                            "properties": {
                                "notice": {"type": "string"},
                                "read": {"type": "string"},
                                "compare": nullable_str,
                            },
                        },
                    },
                },
                "SearchResult": {
                    "type": "object",
                    "required": [
                        "query",
                        "total",
                        "corrected",
                        "suggestion",
                        "results",
                        "facets",
                        "filters",
                        "sort",
                        "limit",
                        "offset",
                        "has_more",
                        "fallback",
                        "timed_out",
                        "truncated",
                        "warnings",
                        "prefix",
                        "mode",
                    ],
                    "properties": {
                        "query": {"type": "string"},
                        "total": {"type": "integer", "description": "Sections matched, in every page"},
                        "corrected": {
                            **nullable_str,
                            "description": "The query as searched, when misspelt words were searched as corrected",
                        },
                        "suggestion": {
                            **nullable_str,
                            "description": "A spelling correction not applied (as_typed=1): did you mean",
                        },
                        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                        "facets": {
                            "type": "object",
                            "description": "Counts of sections over every match, by facet and value",
                            "required": ["notice", "issuer", "year", "type", "translation"],
                            "properties": {k: _COUNTS for k in ("notice", "issuer", "year", "type", "translation")},
                        },
                        "filters": {"type": "object", "additionalProperties": {"type": "string"}},
                        "sort": {"type": "string", "enum": ["relevance", "date"]},
                        "limit": {"type": "integer"},
                        "offset": {"type": "integer"},
                        "has_more": {"type": "boolean"},
                        "fallback": {
                            "type": "boolean",
                            "description": "The query's syntax was not understood; its words were searched.",
                        },
                        "timed_out": {
                            "type": "boolean",
                            "description": "The search ran out of time; results may be incomplete.",
                        },
                        "truncated": {
                            "type": "boolean",
                            "description": "Part of the query was not searched as written (a cap on words, "
                            "spelling lookups or prefix and fuzzy expansions); see warnings.",
                        },
                        "warnings": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "What was cut, one sentence each; empty when nothing was.",
                        },
                        "missing_citation": {
                            "type": ["object", "null"],
                            "description": "The query cites a section no translation has: the notices whose "
                            "numbering implies it though none of their translations has it (none: no notice has "
                            "such a section).",
                            "required": ["section", "section_label", "notices"],
                            "properties": {
                                "section": {"type": "string"},
                                "section_label": {"type": "string"},
                                "notices": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                        "prefix": {
                            "type": ["object", "null"],
                            "description": "With prefix=1: the last word, matched as a prefix, and the words of "
                            "the index it stood for (null: matched as a prefix of its stem, the build having no "
                            "vocabulary); null when nothing was added.",
                            "required": ["word", "words"],
                            "properties": {
                                "word": {"type": "string"},
                                "words": {"type": ["array", "null"], "items": {"type": "string"}},
                            },
                        },
                        "mode": {
                            "type": "string",
                            "enum": ["semantic", "lexical"],
                            "description": "How this server ranks: BM25F blended with search by meaning (semantic), "
                            "or BM25F alone (lexical: the semantic extra is not installed, or the index was built "
                            "without it). Also in info.x-search-mode.",
                        },
                    },
                },
                "NoticeSummary": {
                    "type": "object",
                    "required": ["id", "title", "number", "date", "year", "issuers", "type", "translations", "link"],
                    "properties": {
                        "id": {"type": "string"},
                        "title": {"type": "string"},
                        "number": nullable_str,
                        "date": nullable_str,
                        "year": {"type": ["integer", "null"]},
                        "issuers": _STRINGS,
                        "type": nullable_str,
                        "source": nullable_str,
                        "link": {"type": "string"},
                        "translations": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": [
                                    "name",
                                    "label",
                                    "translator",
                                    "source",
                                    "restored",
                                    "language",
                                    "original",
                                    "link",
                                    "received",
                                    "missing",
                                ],
                                "properties": {
                                    "name": {"type": "string"},
                                    "label": {"type": "string"},
                                    "translator": nullable_str,
                                    "source": nullable_str,
                                    "restored": {"type": "boolean"},
                                    "language": {"type": "string", "description": "BCP 47 tag: zh, zh-Hant, en"},
                                    "original": {
                                        "type": "boolean",
                                        "description": "the notice's original text (Chinese), not a translation",
                                    },
                                    "link": {"type": "string"},
                                    "received": {"type": "string"},
                                    "missing": _STRINGS,
                                },
                            },
                        },
                    },
                },
                "NoticeList": {
                    "type": "object",
                    "required": ["notices", "total", "limit", "offset", "has_more", "facets", "filters"],
                    "properties": {
                        "notices": {"type": "array", "items": {"$ref": "#/components/schemas/NoticeSummary"}},
                        "total": {"type": "integer"},
                        "limit": {"type": "integer"},
                        "offset": {"type": "integer"},
                        "has_more": {"type": "boolean"},
                        "facets": {
                            "type": "object",
                            "required": ["issuer", "year", "type"],
                            "properties": {k: _COUNTS for k in ("issuer", "year", "type")},
                        },
                        "filters": {"type": "object", "additionalProperties": {"type": "string"}},
                    },
                },
                "NoticeDetail": {
                    "allOf": [
                        {"$ref": "#/components/schemas/NoticeSummary"},
                        {
                            "type": "object",
                            "required": ["parts", "sections", "missing_everywhere"],
                            "properties": {
                                "parts": {"type": "array", "items": _PART},
                                "sections": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["id", "label", "title", "parent", "in", *_PLACE],
                                        "properties": {
                                            "id": {"type": "string"},
                                            "label": {"type": "string"},
                                            "title": nullable_str,
                                            "parent": nullable_str,
                                            **_PLACE,
                                            "in": _STRINGS,
                                        },
                                    },
                                },
                                "missing_everywhere": _STRINGS,
                            },
                        },
                    ]
                },
                "Comparison": {
                    "type": "object",
                    "required": ["level", "note", "differences", "similarity", "spans"],
                    "properties": {
                        "level": {
                            "type": "string",
                            "enum": ["word", "sentence", "passage"],
                            "description": "word: aligned word by word; sentence: sentences first, then words "
                            "within those that differ; passage: some passage too costly to align is marked "
                            "changed as a whole",
                        },
                        "note": nullable_str,
                        "differences": {"type": "integer", "description": "Spans that are not equal"},
                        "similarity": {
                            "type": "number",
                            "minimum": 0,
                            "maximum": 1,
                            "description": "Share of the two texts' words in equal spans",
                        },
                        "spans": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["kind", "left", "right"],
                                "properties": {
                                    "kind": {"type": "string", "enum": ["equal", "left-only", "right-only", "changed"]},
                                    "left": {"type": "string"},
                                    "right": {"type": "string"},
                                },
                            },
                        },
                    },
                },
                "SideBySide": {
                    "type": "object",
                    "required": [
                        "notice",
                        "notice_title",
                        "number",
                        "date",
                        "section",
                        "section_label",
                        "title",
                        "base",
                        "base_note",
                        "translations",
                        "comparisons",
                        "links",
                    ],
                    "properties": {
                        "notice": {"type": "string"},
                        "notice_title": {"type": "string"},
                        "number": nullable_str,
                        "date": nullable_str,
                        "section": {"type": "string"},
                        "section_label": {"type": "string"},
                        "title": nullable_str,
                        "base": {
                            "type": ["string", "null"],
                            "description": "The translation the others are compared with; null when none has "
                            "the section",
                        },
                        "base_note": nullable_str,
                        "translations": {
                            "type": "array",
                            "description": "The base first, then the others in the notice's order",
                            "items": {
                                "type": "object",
                                "required": ["name", "label", "has_section", "title", "text", "permalink", "citation"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "label": {"type": "string"},
                                    "has_section": {"type": "boolean"},
                                    "title": nullable_str,
                                    "text": nullable_str,
                                    "permalink": nullable_str,
                                    "citation": nullable_str,
                                },
                            },
                        },
                        "comparisons": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["left", "right", "title", "text"],
                                "properties": {
                                    "left": {"type": "string", "description": "The base's name"},
                                    "right": {"type": "string"},
                                    "title": {"$ref": "#/components/schemas/Comparison"},
                                    "text": {"$ref": "#/components/schemas/Comparison"},
                                },
                            },
                        },
                        "links": {
                            "type": "object",
                            "required": ["page", "previous", "next"],
                            "properties": {
                                "page": {"type": "string"},
                                "previous": nullable_str,
                                "next": nullable_str,
                            },
                        },
                    },
                },
                "Section": {
                    "type": "object",
                    "required": [
                        "notice",
                        "translation",
                        "id",
                        "label",
                        "title",
                        "parent",
                        *_PLACE,
                        "part_heading",
                        "text",
                        "permalink",
                        "link",
                        "citation",
                        "also_in",
                    ],
                    "properties": {
                        "notice": {"type": "string"},
                        "notice_title": {"type": "string"},
                        "number": nullable_str,
                        "date": nullable_str,
                        "translation": {"type": "string"},
                        "translation_label": {"type": "string"},
                        "id": {"type": "string"},
                        "label": {"type": "string"},
                        "title": nullable_str,
                        "parent": nullable_str,
                        **_PLACE,
                        "part_heading": {**nullable_str, "description": "The heading of the part it is in, if any"},
                        "text": {"type": "string"},
                        "front_matter": {"type": "boolean"},
                        "also_in": _STRINGS,
                        "permalink": {"type": "string"},
                        "link": {"type": "string"},
                        "citation": {"type": "string"},
                        "cite": {"type": "object", "additionalProperties": {"type": "string"}},
                    },
                },
            }
        },
    }
