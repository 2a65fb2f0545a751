"""The URL scheme of a section: one converter, ``<section:...>``, used by every route that takes a section.

A section in a part of a notice is named with its slash (``a1/2.5``), as
the library names it, so its URL reads as the citation does:
``/notices/<notice>/<translation>/a1/2.5``. The converter owns that shape: the
part prefix (``a`` and 1 to 999, then one slash) and one path segment after
it. The segment is not checked here: a section as typed ("6 (1)") still
reaches its route, which redirects it to the canonical URL, and text that
is no section is a 404 saying what ids look like (web.views.section_id), as
it was before parts. A path that is no section's shape (``a0/1``,
``a1//2``, ``a1/../2``) matches no route, and is a 404 too.
"""

from __future__ import annotations

from werkzeug.routing import BaseConverter

from kb.models import MAX_PARTS

#: The path of a section: an optional part ("a1/" to "a999/", no leading zero), then one path segment.
SECTION_PATH = rf"(?:a[1-9]\d{{0,{len(str(MAX_PARTS)) - 1}}}/)?[^/]+"


class SectionConverter(BaseConverter):
    """``<section:name>``: a section's id as its URL holds it, its part's slash kept as a slash both ways."""

    regex = SECTION_PATH
    part_isolating = False  # the part's slash is inside the value
    #: As specific as a plain segment: a route with a fixed word where the section would be still wins.
    weight = 100

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: object) -> str:
        return super().to_url(str(value))  # quotes the rest, keeps "/" (werkzeug's safe characters include it)
