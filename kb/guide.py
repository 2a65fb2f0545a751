"""A publisher's reading guide before a notice's own text, told apart from it.

Some translations are published with the publisher's own introduction first
(the seed full translation opens with a "Reading guide" that summarises the
notice, then gives the document number, the title and the notice's text).
That introduction is the publisher's words, not the notice's: it must not be
read, searched or cited as the notice's front matter. So it is split off the
front matter into :attr:`kb.models.Outline.guide`, shown apart and labelled as
the publisher's, and left out of the index.

A guide is recognised only by a heading line that says what it is
(:data:`GUIDE_HEADINGS`), at the very start of the front matter; it runs to the
line that starts the notice itself (its document number or its title), or,
when neither is found, to the end of the paragraph after the heading. Text
without such a heading is left as it is.
"""

from __future__ import annotations

import re

#: Headings publishers put above their own introduction to a document (compared in lower case, without a
#: trailing colon). Only these: a guess at "an introduction-like paragraph" would take the notice's preamble.
GUIDE_HEADINGS = frozenset(("reading guide", "guide to reading", "editor's note", "editor’s note", "editors' note"))


def _plain(text: str) -> str:
    """A line as compared with the number or title: lower case, letters and digits only."""
    return re.sub(r"[\W_]+", "", text.lower())


def split_guide(front: str, number: str | None, title: str | None) -> tuple[str, str]:
    """``(guide, rest)``: the publisher's reading guide at the start of ``front``, and the notice's own front matter.

    ``number`` and ``title`` are the notice's (as its outline reads them): the
    line that is one of them is where the notice's own text starts. Without a
    guide heading the guide is empty and ``front`` is returned whole.
    """
    lines = front.split("\n")
    first = next((k for k, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip().rstrip(":").strip().lower() not in GUIDE_HEADINGS:
        return "", front
    starts = {_plain(x) for x in (number, title) if x and _plain(x)}
    end = next((k for k in range(first + 1, len(lines)) if _plain(lines[k]) in starts), None)
    if end is None:  # the notice's start is not recognised: the guide is the paragraph after its heading
        end = first + 1
        while end < len(lines) and not lines[end].strip():
            end += 1
        while end < len(lines) and lines[end].strip():
            end += 1
    guide = "\n".join(lines[first + 1 : end]).strip("\n")
    return guide, "\n".join(lines[end:]).strip("\n")
