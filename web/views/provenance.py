"""Where a translation's text came from: its source file as received, before the cleaner restored it.

The text is the one the build indexed (kept in its catalog, :meth:`kb.catalog.Catalog.received`), not the file
in the corpus now, which may have changed since. It is served as plain text, never as HTML: it is untrusted.
"""

from __future__ import annotations

from flask import Response

from web.views import bp, knowledge_base


@bp.get("/notices/<notice>/<translation>/received.txt")
def received(notice: str, translation: str):
    kb = knowledge_base()
    n = kb.notice(notice)
    t = kb.translation(n, translation)
    response = Response(kb.catalog.received(n.id, t.name), content_type="text/plain; charset=utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="{t.path.name}"'
    return response
