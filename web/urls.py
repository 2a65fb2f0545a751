"""Absolute URLs for the links the site gives out to be kept: citations, the OpenSearch description.

They are built from the configured public base URL (``BASE_URL``: ``kb serve
--base-url`` or ``KB_BASE_URL``), so what a client puts in its Host header
cannot end up in them. Without one, the request's host is used only when it
is a plain ``host[:port]``; any other Host header gets a relative URL, which
is still correct on the site itself and names no host at all.
"""

from __future__ import annotations

from flask import current_app, request, url_for

from kb.settings import is_plain_host


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of ``endpoint`` (as :func:`flask.url_for` builds it), or a relative one (see above)."""
    path = url_for(endpoint, **values)
    base = current_app.config.get("BASE_URL")
    if base:
        # the base URL names the site's root: the path within the application follows it
        root = request.script_root
        return base.rstrip("/") + (path[len(root) :] if root and path.startswith(root) else path)
    if is_plain_host(request.host):
        return url_for(endpoint, _external=True, **values)
    return path
