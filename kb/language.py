"""The language a text is written in, for pages to mark it (``lang``): Chinese or English.

Pages mark each text with its language so that browsers pick Chinese glyph
forms and fonts for Chinese text (Han characters shared with Japanese are
drawn differently) and screen readers read it with a Chinese voice. The
knowledge base holds Chinese originals and English translations, so a
text's script tells them apart: a manifest may state a translation's
language (``language = "zh"``), which wins; otherwise it is detected here.
"""

from __future__ import annotations

import re

#: The languages detection tells apart; a manifest may state any other (a BCP 47 tag such as "zh-Hant").
CHINESE, ENGLISH = "zh", "en"
#: Han characters (the unified ideographs, extension A, compatibility ideographs, and the supplementary planes).
#: The Han characters, for a character class (``[{HAN_CHARS}]``): the one definition every module uses.
HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN = re.compile(f"[{HAN_CHARS}]")
#: Latin letters, counted against the Han characters.
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
#: Share of Han characters among Han characters and Latin letters from which a text is Chinese. A Chinese
#: character is about a word and an English word about five letters, so a Chinese notice quoting English names
#: and acronyms is well above 0.8, and an English translation quoting Chinese titles or document numbers well
#: below 0.1; 0.3 is far from both.
HAN_SHARE = 0.3
#: Characters a detection reads: the opening of a long text says its language as well as the whole does.
SAMPLE_CHARS = 20_000
#: A language as a manifest may state it: a BCP 47 tag of a language and optional script or region subtags.
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}")


def detect_language(text: str) -> str:
    """``"zh"`` when Han characters are at least :data:`HAN_SHARE` of the text's letters, else ``"en"``
    (a text with no letters at all, such as a number, is English: the site's own language)."""
    sample = text[:SAMPLE_CHARS]
    han = len(_HAN.findall(sample))
    if not han:
        return ENGLISH
    latin = len(_LATIN.findall(sample))
    return CHINESE if han / (han + latin) >= HAN_SHARE else ENGLISH


def is_chinese(language: str | None) -> bool:
    """Whether a language tag names Chinese in any script or region ("zh", "zh-Hant", "zh-CN")."""
    return bool(language) and language_group(language) == CHINESE


def default_label(language: str | None) -> str:
    """What a version of a notice is called when nobody names it: the notices are Chinese government documents,
    so a Chinese text is the original and any other a translation ("Chinese original", "English translation")."""
    if is_chinese(language):
        traditional = "hant" in (language or "").lower().split("-")
        return "Chinese original (traditional characters)" if traditional else "Chinese original"
    if not language or language.split("-")[0].lower() == ENGLISH:
        return "English translation"
    return f"Translation ({language})"


def language_group(language: str | None) -> str:
    """The language a tag names, without script or region ("zh" for "zh-Hant"): versions in one group can be
    compared word by word, and searched with one analysis."""
    return (language or ENGLISH).split("-")[0].lower()
