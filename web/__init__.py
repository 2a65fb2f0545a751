"""The web site: search, reading, comparing and citing notices, plus a JSON API.

A thin layer over :mod:`kb.search`; it adds no search logic of its own.
``flask --app web run --debug`` serves it for development; ``kb serve`` is
the production entry point (waitress).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from kb import settings


def create_app(test_config: dict | None = None) -> Flask:
    """Wire the site to the index in ``KB_INDEX``; never builds it (``kb index`` or ``kb serve`` does).

    Pages answer 503 with what to run while there is no usable index.
    """
    app = Flask(__name__)
    app.config.from_mapping(
        KB_INDEX=settings.default_index(),
        KB_CORPUS=settings.default_corpus(),
    )
    if test_config:
        app.config.update(test_config)
    if "BASE_URL" not in app.config:  # the public address for absolute links (web.urls); None: the request's
        app.config["BASE_URL"] = settings.default_base_url()
    from web.converters import SectionConverter

    app.url_map.converters["section"] = SectionConverter  # before any route that takes a section is added
    app.json.sort_keys = False  # answers keep the order the library gives them (query, total, results, ...)
    app.config["KB_INDEX"] = Path(app.config["KB_INDEX"])
    app.config["KB_CORPUS"] = Path(app.config["KB_CORPUS"])

    from kb.language import detect_language
    from kb.search import Follower
    from web import api, errors, links, security, views

    # The app owns its handle on the index (opened on first use, re-opened after a rebuild).
    app.extensions["policy_kb"] = Follower(app.config["KB_INDEX"])

    security.init_app(app)
    links.init_app(app)
    # ``lang`` on a text whose language is not stated with it (a notice's title): read from its script
    app.add_template_filter(lambda text: detect_language(str(text or "")), "lang")
    errors.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    return app
