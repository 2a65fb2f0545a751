"""Links from before the knowledge base held many notices: ``/doc/<translation>...`` and ``/compare/<section>``.

They named a translation or a section without its notice. While exactly one
notice fits, they redirect permanently to the canonical URL; otherwise the
404 says where to look (the notices that fit, or the list of notices).
"""

from __future__ import annotations

from flask import redirect, request, url_for

from kb.errors import NotFound
from kb.models import Notice
from web import links
from web.views import bp, knowledge_base, section_id


def only_notice(candidates: list[Notice], what: str) -> Notice:
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise NotFound(f"no notice has {what}; the notices are listed at {url_for('pages.home')}")
    ids = ", ".join(links.notice_url(n) for n in candidates[:10])
    raise NotFound(f"{len(candidates)} notices have {what}: this old link cannot say which; see {ids}")


def _query() -> dict[str, str]:
    return {k: v for k, v in request.args.items() if k in ("q", "page", "section")}


@bp.get("/doc/<name>")
def legacy_document(name: str):
    notice = only_notice(knowledge_base().catalog.with_translation(name), f"a translation called {name!r}")
    return redirect(url_for("pages.document", notice=notice.id, translation=name, **_query()), code=301)


@bp.get("/doc/<name>/<section:section>")
def legacy_section(name: str, section: str):
    notice = only_notice(knowledge_base().catalog.with_translation(name), f"a translation called {name!r}")
    q = {"q": request.args["q"]} if request.args.get("q") else {}
    return redirect(links.section_url(notice.translation(name), section_id(section), **q), code=301)


@bp.get("/compare/<section:section>")
def legacy_compare(section: str):
    sid = section_id(section)
    kb = knowledge_base()
    wanted = request.args.get("notice")
    # found in the catalog's store: reading every notice's outline here made an old link cost the whole corpus
    candidates = [n for n in kb.catalog.with_section(sid) if wanted in (None, n.id)]
    notice = only_notice(candidates, f"a section {sid.display}")
    return redirect(links.compare_url(notice, sid), code=301)
