"""A notice's own page: its facts, the versions of its text (and what each lacks), its contents."""

from __future__ import annotations

from flask import render_template

from web.views import bp, knowledge_base

#: Entries of the contents listed on a notice's page; the rest are on the reading pages.
CONTENTS_LIMIT = 100


@bp.get("/notices/<notice>/")
def notice(notice: str):
    kb = knowledge_base()
    n = kb.notice(notice)
    ids = n.section_ids
    have = [set(t.section_ids) for t in n.translations]
    rows = [(sid, n.section_name(sid), [sid in h for h in have]) for sid in ids[:CONTENTS_LIMIT]]
    return render_template(
        "notice.html",
        notice=n,
        rows=rows,
        more=len(ids) - len(rows),
        next_id=ids[CONTENTS_LIMIT] if len(ids) > CONTENTS_LIMIT else None,
        missing={t.name: n.missing(t.name) for t in n.translations},
        gone=n.missing_everywhere(),
    )
