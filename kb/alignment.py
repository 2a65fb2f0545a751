"""What the other versions of a notice say in each section: the text a search in another language finds it by.

A notice's Chinese original and its English translations share section ids
(the outline keeps the printed numbers: 二、（五） and 2 (5) are both
``2.5``), so a section in one version has a counterpart in every other
version that has that id. An analyst who searches in English wants the
Chinese original's section as well as the translations', and one who
searches in Chinese wants the translations' sections too; neither text holds
the other language's words. So each chunk is also indexed by its
counterparts' text in the other languages (:func:`counterpart_texts`), in
fields of their own that rank below a version's own words: the section is
found "through" its aligned translation, and says so.

Only sections whose ids match are aligned: a translation that numbers
differently, or leaves a section out, aligns nothing there, rather than
something wrong.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from kb.language import language_group
from kb.models import Chunk
from kb.semantic import chunk_text

#: Texts a chunk is aligned with, per language group, at most: a notice with a dozen English translations
#: would otherwise index each section's English words a dozen times in its Chinese chunk. Two translations
#: still bring both translators' wording.
MAX_COUNTERPARTS = 2


def counterpart_texts(chunks: Iterable[Chunk], language_of: Callable[[Chunk], str]) -> dict[int, dict[str, str]]:
    """For each chunk (by its position in ``chunks``), the text of the same section in versions of other languages.

    ``language_of`` gives a chunk's language ("zh", "zh-Hant", "en"); versions
    are grouped by language (:func:`kb.language.language_group`), so the
    Traditional text is not a counterpart of the simplified original. The
    answer maps a position to ``{group: text}``, leaving out chunks with no
    counterpart in another language (every chunk of an English-only corpus).
    """
    chunks = list(chunks)
    by_section: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    groups = [language_group(language_of(c)) for c in chunks]
    for k, c in enumerate(chunks):
        by_section[c.notice, c.section][groups[k]].append(k)
    aligned: dict[int, dict[str, str]] = {}
    for versions in by_section.values():
        if len(versions) < 2:
            continue
        for group, positions in versions.items():
            others = {
                other: "\n".join(chunk_text(chunks[j].title, chunks[j].body) for j in found[:MAX_COUNTERPARTS])
                for other, found in versions.items()
                if other != group
            }
            for k in positions:
                aligned[k] = others
    return aligned
