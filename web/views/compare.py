"""Every translation of a notice's section side by side; a translation that lacks it says so."""

from __future__ import annotations

from flask import render_template

from kb.errors import NotFound
from web.html import paragraphs
from web.views import bp, knowledge_base, section_id


@bp.get("/notices/<notice>/compare/<section>")
def compare(notice: str, section: str):
    kb = knowledge_base()
    n = kb.notice(notice)
    sid = section_id(section)
    ids = n.section_ids
    if sid not in ids:
        raise NotFound(f"{n.number or n.title} has no section {sid.display}")
    columns = []
    for t in n.translations:
        s = t.section(sid)
        columns.append((t, s, paragraphs(s.body) if s else None))
    pos = ids.index(sid)
    return render_template(
        "compare.html",
        notice=n,
        section_id=sid,
        title=n.section_title(sid),
        columns=columns,
        prev_id=ids[pos - 1] if pos > 0 else None,
        next_id=ids[pos + 1] if pos + 1 < len(ids) else None,
    )
