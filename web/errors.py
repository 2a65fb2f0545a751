"""Errors as a person (HTML) or a script (JSON under /api/) expects them, never a bare 500.

The library's error kinds are mapped to HTTP statuses here, once.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from kb.errors import IndexUnavailable, InvalidRequest, KnowledgeBaseError, NotFound

#: HTTP status of each library error kind (most specific first); other library errors are the caller's (400).
STATUS = (
    (NotFound, 404, "Not Found"),
    (IndexUnavailable, 503, "Service Unavailable"),
    (InvalidRequest, 400, "Bad Request"),
)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(status: int, title: str, message: str) -> Response:
    if _wants_json():
        body = jsonify({"error": {"status": status, "title": title, "message": message}})
    else:
        body = render_template("error.html", status=status, title=title, message=message)
    return make_response(body, status)


def status_of(e: KnowledgeBaseError) -> tuple[int, str]:
    for kind, status, title in STATUS:
        if isinstance(e, kind):
            return status, title
    return 400, "Bad Request"


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        return _render(e.code or 500, e.name, e.description or "")

    @app.errorhandler(KnowledgeBaseError)
    def kb_error(e: KnowledgeBaseError):
        status, title = status_of(e)
        response = _render(status, title, str(e))
        if status == 503:  # a rebuild usually fixes it; tell clients when to come back
            response.headers["Retry-After"] = "30"
        return response

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        app.logger.exception("unhandled error")
        err = InternalServerError()
        return _render(500, err.name, "Something went wrong on our side; the error has been logged.")
