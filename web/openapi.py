"""OpenAPI 3.1 description of the JSON API (served at /api/openapi.json)."""

from __future__ import annotations

from kb.query import MAX_QUERY_LENGTH
from kb.search import MAX_LIMIT, MAX_OFFSET


def _error() -> dict:
    return {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _ok(ref: str) -> dict:
    return {"description": "OK", "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


def _path(name: str, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}, "description": description}


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
                            "as_typed",
                            "1: search misspelt words as typed (by default they are searched as corrected, "
                            "and corrected says so); a correction is then only suggested",
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
                        _path("section", "Section id: 6, 6.1 or front"),
                    ],
                    "responses": {"200": _ok("Section"), "404": _error()},
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
                        "permalink": {"type": "string", "description": "The section's page, root-relative"},
                        "citation": {
                            "type": "string",
                            "description": "Number, title, section, translation, date and absolute permalink",
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
                                "required": ["name", "label", "link", "missing"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "label": {"type": "string"},
                                    "link": {"type": "string"},
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
                            "required": ["sections", "missing_everywhere"],
                            "properties": {
                                "sections": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["id", "label", "title", "parent", "in"],
                                        "properties": {
                                            "id": {"type": "string"},
                                            "label": {"type": "string"},
                                            "title": nullable_str,
                                            "parent": nullable_str,
                                            "in": _STRINGS,
                                        },
                                    },
                                },
                                "missing_everywhere": _STRINGS,
                            },
                        },
                    ]
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
                        "text": {"type": "string"},
                        "front_matter": {"type": "boolean"},
                        "also_in": _STRINGS,
                        "permalink": {"type": "string"},
                        "link": {"type": "string"},
                        "citation": {"type": "string"},
                    },
                },
            }
        },
    }
