"""OpenAPI 3.1 description of the JSON API (served at /api/openapi.json)."""

from __future__ import annotations

from kb.query import MAX_QUERY_LENGTH
from kb.search import MAX_LIMIT, MAX_OFFSET


def _error() -> dict:
    return {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _ok(ref: str) -> dict:
    return {"description": "OK", "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}


_NAME = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}, "description": "Translation"}


def spec() -> dict:
    nullable_str = {"type": ["string", "null"]}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Policy knowledge base API",
            "version": "1",
            "description": "Full-text search over sections of policy notices, and their texts.",
        },
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "Search sections",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH},
                        },
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 10},
                        },
                        {
                            "name": "offset",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
                        },
                        {"name": "translation", "in": "query", "schema": {"type": "string"}},
                        {
                            "name": "section",
                            "in": "query",
                            "schema": {"type": "string", "pattern": "^([0-9]+|front)$"},
                            "description": "Only this top-level section (or front)",
                        },
                        {
                            "name": "separate",
                            "in": "query",
                            "schema": {"type": "string", "enum": ["0", "1"]},
                            "description": "1: list each translation of a section separately",
                        },
                    ],
                    "responses": {"200": _ok("SearchResult"), "400": _error()},
                }
            },
            "/api/documents": {"get": {"summary": "List translations", "responses": {"200": _ok("DocumentList")}}},
            "/api/documents/{name}": {
                "get": {
                    "summary": "One translation's metadata and sections",
                    "parameters": [_NAME],
                    "responses": {"200": _ok("Document"), "404": _error()},
                }
            },
            "/api/documents/{name}/sections/{section}": {
                "get": {
                    "summary": "One section's text",
                    "parameters": [
                        _NAME,
                        {
                            "name": "section",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string"},
                            "description": "Section id: 6, 6.1 or front",
                        },
                    ],
                    "responses": {"200": _ok("Section"), "404": _error()},
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
                        "section",
                        "translation",
                        "title",
                        "parent_title",
                        "link",
                        "snippet",
                        "score",
                        "also_in",
                    ],
                    "properties": {
                        "section": {"type": "string"},
                        "translation": {"type": "string"},
                        "title": nullable_str,
                        "parent_title": nullable_str,
                        "link": {"type": "string"},
                        "snippet": {"type": "string"},
                        "snippet_html": {"type": "string"},
                        "highlights": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
                        "score": {"type": "number"},
                        "also_in": {"type": "array", "items": {"type": "string"}},
                        "notice": {"type": "string"},
                        "number": nullable_str,
                        "translation_label": {"type": "string"},
                        "also_in_labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    },
                },
                "SearchResult": {
                    "type": "object",
                    "required": [
                        "query",
                        "total",
                        "suggestion",
                        "results",
                        "facets",
                        "limit",
                        "offset",
                        "has_more",
                        "fallback",
                        "timed_out",
                        "truncated",
                        "warnings",
                    ],
                    "properties": {
                        "query": {"type": "string"},
                        "total": {"type": "integer"},
                        "suggestion": nullable_str,
                        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                        "facets": {
                            "type": "object",
                            "properties": {
                                "translation": {"type": "object", "additionalProperties": {"type": "integer"}},
                                "section": {"type": "object", "additionalProperties": {"type": "integer"}},
                            },
                        },
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
                    },
                },
                "DocumentSummary": {
                    "type": "object",
                    "required": ["translation", "label", "notice", "title", "number", "date", "link"],
                    "properties": {
                        "translation": {"type": "string"},
                        "label": {"type": "string"},
                        "notice": {"type": "string"},
                        "title": {"type": "string"},
                        "number": nullable_str,
                        "date": nullable_str,
                        "source": nullable_str,
                        "issuers": {"type": "array", "items": {"type": "string"}},
                        "link": {"type": "string"},
                    },
                },
                "DocumentList": {
                    "type": "object",
                    "required": ["documents"],
                    "properties": {
                        "documents": {"type": "array", "items": {"$ref": "#/components/schemas/DocumentSummary"}}
                    },
                },
                "Document": {
                    "allOf": [
                        {"$ref": "#/components/schemas/DocumentSummary"},
                        {
                            "type": "object",
                            "required": ["sections", "missing"],
                            "properties": {
                                "sections": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "required": ["id", "title", "parent", "link"],
                                        "properties": {
                                            "id": {"type": "string"},
                                            "title": nullable_str,
                                            "parent": nullable_str,
                                            "link": {"type": "string"},
                                        },
                                    },
                                },
                                "missing": {"type": "array", "items": {"type": "string"}},
                            },
                        },
                    ]
                },
                "Section": {
                    "type": "object",
                    "required": ["translation", "id", "title", "parent", "text", "link", "permalink", "also_in"],
                    "properties": {
                        "translation": {"type": "string"},
                        "notice": {"type": "string"},
                        "number": nullable_str,
                        "id": {"type": "string"},
                        "title": nullable_str,
                        "parent": nullable_str,
                        "text": {"type": "string"},
                        "link": {"type": "string"},
                        "permalink": {"type": "string"},
                        "also_in": {"type": "array", "items": {"type": "string"}},
                        "front_matter": {"type": "boolean"},
                    },
                },
            }
        },
    }
