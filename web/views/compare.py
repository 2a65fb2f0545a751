"""Both translations of a section side by side; a translation that lacks it says so."""

from __future__ import annotations

from flask import abort, render_template, request

from kb.models import display_id
from web.html import paragraphs
from web.views import bp, knowledge_base, section_id_or_404


@bp.get("/compare/<section>")
def compare(section: str):
    kb = knowledge_base()
    section_id = section_id_or_404(section)
    columns = []
    wanted = request.args.get("notice")
    candidates = [n for n in kb.notices if section_id in n.section_ids and wanted in (None, n.id)]
    if not candidates:
        where = f"notice {wanted!r}" if wanted else "notice"
        abort(404, description=f"No {where} has a section {display_id(section_id)}.")
    notice = candidates[0]
    for t in notice.translations:
        s = kb.section(t.name, section_id)
        columns.append((t, s, paragraphs(s.body) if s else None))
    ids = notice.section_ids
    pos = ids.index(section_id)
    return render_template(
        "compare.html",
        notice=notice,
        section_id=section_id,
        title=notice.section_title(section_id),
        columns=columns,
        prev_id=ids[pos - 1] if pos > 0 else None,
        next_id=ids[pos + 1] if pos + 1 < len(ids) else None,
        display_id=display_id,
    )
