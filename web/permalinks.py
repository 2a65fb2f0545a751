"""A section's permalink for callers outside a request (the CLI), built from the site's own URL map.

The web layer owns the URL scheme: routes are declared once, on the app, and
every link the site gives out is built from them. A link printed by ``kb
search`` must be the same one, so it is built here with the URL map of
:func:`web.create_app` (which has no side effects: it neither opens nor builds
an index), under the configured public base URL. Importing this module loads
nothing; Flask and the app are loaded on the first call.
"""

from __future__ import annotations

from functools import cache

#: The endpoint of a section's reading page: /notices/<notice>/<translation>/<section>.
SECTION_ENDPOINT = "pages.section"


def permalink(base_url: str, notice: str, translation: str, section: str) -> str:
    """The absolute URL of ``section`` of ``notice`` as ``translation`` has it, under ``base_url``.

    ``base_url`` is a checked public address (:func:`kb.settings.check_base_url`),
    possibly with a path (a site behind a proxy at ``/kb``); the path of the
    section within the application follows it, as :func:`web.urls.external_url`
    puts it in a request.
    """
    adapter = _url_map().bind("", script_name="/")
    path = adapter.build(SECTION_ENDPOINT, {"notice": notice, "translation": translation, "section": str(section)})
    return base_url.rstrip("/") + path


@cache
def _url_map():
    """The site's URL map (the app is created once per process, only for its routes)."""
    from web import create_app

    return create_app({"BASE_URL": None}).url_map
