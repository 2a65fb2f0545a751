"""Errors as a person (HTML) or a script (JSON under /api/) expects them, never a bare 500."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from kb.errors import KnowledgeBaseError


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(status: int, title: str, message: str):
    if _wants_json():
        return jsonify({"error": {"status": status, "title": title, "message": message}}), status
    return render_template("error.html", status=status, title=title, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        return _render(e.code or 500, e.name, e.description or "")

    @app.errorhandler(KnowledgeBaseError)
    def kb_error(e: KnowledgeBaseError):
        return _render(400, "Bad Request", str(e))

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        app.logger.exception("unhandled error")
        err = InternalServerError()
        return _render(500, err.name, "Something went wrong on our side; the error has been logged.")
