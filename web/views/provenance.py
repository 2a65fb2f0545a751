"""Where a translation's text came from: its source file as received, before the cleaner restored it.

The text is the one the build indexed (kept in its catalog, :meth:`kb.catalog.Catalog.received`), not the file
in the corpus now, which may have changed since. It is served as plain text, never as HTML: it is untrusted.
"""

from __future__ import annotations

import re

from flask import Response

from web.views import bp, knowledge_base

#: Characters a file name keeps in a Content-Disposition header; others (quotes, spaces, non-ASCII) become "_".
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


@bp.get("/notices/<notice>/<translation>/received.txt")
def received(notice: str, translation: str):
    kb = knowledge_base()
    n = kb.notice(notice)
    t = kb.translation(n, translation)
    response = Response(kb.catalog.received(n.id, t.name), content_type="text/plain; charset=utf-8")
    # the file's name as a browser would save it; a name from the corpus is not trusted to be a header's token
    response.headers["Content-Disposition"] = f'inline; filename="{_SAFE_NAME.sub("_", t.path.name)}"'
    return response
