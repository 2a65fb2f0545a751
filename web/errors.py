"""Errors as a person (HTML) or a script (JSON under /api/) expects them, never a bare 500.

The library's error kinds are mapped to HTTP statuses here, once.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException, InternalServerError

from kb.errors import IndexUnavailable, InvalidRequest, KnowledgeBaseError, NotFound, SectionMissing
from kb.integrity import DamagedIndex, UntrustedIndex

#: HTTP status of each library error kind (most specific first); other library errors are the caller's (400).
STATUS = (
    (NotFound, 404, "Not Found"),
    (IndexUnavailable, 503, "Service Unavailable"),
    (InvalidRequest, 400, "Bad Request"),
)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _render(
    status: int, title: str, message: str, alternatives: list[dict] | None = None, notice: str | None = None
) -> Response:
    """The error as JSON under /api/, else as a page; ``alternatives`` and ``notice`` (a link to the notice's
    page) come with a missing section."""
    if _wants_json():
        error: dict = {"status": status, "title": title, "message": message}
        if alternatives is not None:
            error["alternatives"] = alternatives
        body = jsonify({"error": error})
    elif request_ctx.url_adapter is None:
        # The request could not even be routed (a Host header Werkzeug refuses): no page can link anywhere.
        return Response(f"{status} {title}: {message}\n", status, mimetype="text/plain")
    else:
        body = render_template(
            "error.html", status=status, title=title, message=message, alternatives=alternatives, notice=notice
        )
    return make_response(body, status)


def alternatives(e: SectionMissing) -> list[dict]:
    """Where a missing section can be read instead: each translation of the notice that has it, with its
    permalink and its place in the reading page (the 404 page links them; the API's error lists them)."""
    from web import links
    from web.views import knowledge_base

    notice = knowledge_base().notice(e.notice)
    found = []
    for name in e.elsewhere:
        t = notice.translation(name)
        if t is not None:
            found.append(
                {
                    "translation": t.name,
                    "translation_label": t.label,
                    "permalink": links.section_url(t, e.section),
                    "link": links.reading_url(t, e.section),
                }
            )
    return found


def unavailable_message(e: IndexUnavailable) -> str:
    """What a visitor is told when there is no usable index: the kind of problem and what fixes it."""
    if isinstance(e, DamagedIndex):
        problem = "The search index is damaged."
    elif isinstance(e, UntrustedIndex):
        problem = "The search index was refused: other users could have changed it."
    else:
        problem = "No search index is available."
    return f"{problem} The site's operator can rebuild it by running kb index; the details are in the server's log."


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
        if isinstance(e, IndexUnavailable):
            # The full message names server paths: it is for the operator's log, not for every visitor.
            app.logger.error("%s", e)
            return _render(status, title, unavailable_message(e))
        if isinstance(e, SectionMissing):
            from web.links import notice_url

            return _render(status, title, str(e), alternatives(e), notice_url(e.notice))
        return _render(status, title, str(e))

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        app.logger.exception("unhandled error")
        err = InternalServerError()
        return _render(500, err.name, "Something went wrong on our side; the error has been logged.")
