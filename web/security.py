"""Response headers that keep the site's pages from being turned against their readers.

One set of headers, :data:`HEADERS`, goes on every response: Flask's own
(``after_request``) and the ones waitress writes without asking the
application (431 for oversized headers, 400 for a malformed request, 500
when the application fails before starting its response), through
:func:`secure_server`.
"""

from __future__ import annotations

from flask import Flask, Response
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
#: The security headers of every response. A view may set its own Content-Security-Policy or
#: X-Frame-Options (see :data:`OVERRIDABLE`); the others are always these values.
HEADERS: dict[str, str] = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
#: Headers a view may set for itself; the rest of :data:`HEADERS` is not negotiable.
OVERRIDABLE = frozenset({"Content-Security-Policy", "X-Frame-Options"})


def _headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        if name in OVERRIDABLE:
            response.headers.setdefault(name, value)
        else:
            response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    app.after_request(_headers)


class SecureErrorTask(ErrorTask):
    """waitress's error response (its plain-text 4xx/5xx) with :data:`HEADERS` added."""

    def build_response_header(self) -> bytes:
        present = {name.lower() for name, _ in self.response_headers}
        self.response_headers.extend((k, v) for k, v in HEADERS.items() if k.lower() not in present)
        return super().build_response_header()


class SecureChannel(HTTPChannel):
    """An HTTP connection whose server-made error responses carry :data:`HEADERS`."""

    error_task_class = SecureErrorTask


def secure_server(server) -> None:
    """Make every listening socket of a ``waitress.create_server`` result use :class:`SecureChannel`.

    ``channel_class`` is waitress's own extension point (a class attribute of
    its servers); ``create_server`` picks the server class itself, so it is
    set on the servers it made: the one returned, or each of a multi-socket
    server's (``localhost`` may listen on both IPv4 and IPv6).
    """
    candidates = [server] if isinstance(server, BaseWSGIServer) else list(getattr(server, "map", {}).values())
    servers = [s for s in candidates if isinstance(s, BaseWSGIServer)]
    if not servers:  # a waitress that no longer works this way: refuse rather than serve without the headers
        raise RuntimeError(f"cannot install the security headers on {type(server).__name__}")
    for s in servers:
        s.channel_class = SecureChannel
