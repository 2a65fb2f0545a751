"""The home page: the search box, the notices held, and each translation's contents."""

from __future__ import annotations

from flask import Response, redirect, render_template, url_for

from web.urls import external_url
from web.views import bp, knowledge_base
from web.views.document import home_contents


@bp.get("/")
def home():
    kb = knowledge_base()
    tocs = {t.name: home_contents(t) for n in kb.notices for t in n.translations}
    return render_template("home.html", notices=kb.notices, contents=tocs)


@bp.get("/favicon.ico")
def favicon():
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/opensearch.xml")
def opensearch():
    body = render_template("opensearch.xml", search_url=external_url("pages.results"))
    return Response(body, mimetype="application/opensearchdescription+xml")
