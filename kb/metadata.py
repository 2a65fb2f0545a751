"""Read a notice's metadata from its text: title, document number, dateline, issuing bodies, date.

Only what the text states is read; facts it lacks come from the corpus
manifest (:mod:`kb.corpus`). A date is reported only when it is unambiguous.

Chinese notices follow the layout of official documents (党政机关公文格式):
a title (often over two or three lines), the document number
(``国办发〔2018〕123号``), the addressees, the text, and at the end the
issuing bodies (the signature) over the date. An English translation keeps
that order, so the same rules read both: the title from the opening lines,
the issuing bodies from the title or the signature, the date from the line
right after the signature (see :func:`detect`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from kb import models, numerals
from kb.language import CHINESE, HAN_CHARS, detect_language
from kb.models import Metadata

_NUMBER = re.compile(
    r"\b(?P<issuer>[A-Z][A-Za-z]*(?:-[A-Za-z]+)?(?:[ \t]+[A-Z][A-Za-z]*(?:-[A-Za-z]+)?){0,4})[ \t]*"
    r"[\[〔［(（]\s*(?P<year>(?:19|20)\d\d)\s*[\]〕］)）]"
    r"\s*(?:(?i:no)\.?\s*)?(?P<seq>\d{1,4})\b"
)
_DATELINE = re.compile(
    r"^(?P<source>[A-Z][A-Za-z&.'-]*(?:[ ][A-Z][A-Za-z&.'-]*){0,4})[ ]+"
    r"(?P<stamp>\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{5,8})[ ]*(?=[A-Z(（])"
)
_TITLE_WORDS = re.compile(
    r"\b(notice|circular|opinions?|measures|plan|decision|announcement|guidelines?|regulations?|provisions|rules)\b",
    re.IGNORECASE,
)
#: A date as Chinese writes it, in digits (2018年12月29日, full-width ２０１８年…) or numerals (一九九六年二月五日,
#: 二〇一八年十二月二十九日). Not after a digit, since Chinese puts no space or word boundary before a date.
_ZH_DATE = re.compile(
    r"(?<![0-9０-９])(?P<y>[0-9０-９]{4}|["
    + numerals.CHINESE_DIGIT_CHARS
    + r"]{4})[ \t\u3000]*年[ \t\u3000]*(?P<m>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,2})[ \t\u3000]*月"
    r"[ \t\u3000]*(?P<d>[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})[ \t\u3000]*[日号]"
)
_MONTHS = "january february march april may june july august september october november december".split()
_DATE_PATTERNS = (
    re.compile(r"\b(?P<y>(?:19|20)\d\d)[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?"),
    re.compile(r"\b(?P<month>[A-Z][a-z]+) (?P<d>\d{1,2}), (?P<y>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<d>\d{1,2}) (?P<month>[A-Z][a-z]+),? (?P<y>(?:19|20)\d\d)\b"),
)
#: "including the A, the B ... jointly issued": found as two plain searches (:func:`_issuer_list`), not as one
#: pattern with a lazy list between them, which rescans the rest of the line from every "including the".
_LIST_START = "including the "
_LIST_END = re.compile(r",? jointly (?:issued|released|published)")
#: "Notice of the General Office of the State Council on ...": the body a title names as the notice's author.
_TITLE_ISSUER = re.compile(
    r"\b(?i:notice|circular|opinions|decision|announcement|measures|plan)\s+of\s+the\s+"
    r"(?P<issuer>[A-Z][\w'-]*(?:\s+(?:of|and|for|the|[A-Z][\w'-]*)){0,12}?)\s+(?:on|regarding|concerning)\b"
)
_ISSUERS_LEAD = re.compile(
    r"^(?:The )?(?P<first>[A-Z][\w ,()-]+?) and (?:\w+ )?other (?:departments|ministries|agencies) jointly"
)


def document_number(text: str) -> str | None:
    """The notice's document number in a canonical form: "MIIT Communications [2024] No. 165", "国办发〔2018〕123号".

    An English number is the first in the text, as translations put it at the top; a Chinese one is a number
    standing on its own line (:func:`chinese_number`), since Chinese texts cite other documents' numbers in their
    sentences ("《…意见》（国发〔2023〕5号）").
    """
    m = _NUMBER.search(text)
    if m:
        return f"{m['issuer'].strip()} [{m['year']}] No. {m['seq']}"
    return own_chinese_number(text.split("\n"))


def split_dateline(paragraph: str) -> tuple[str | None, str | None, str]:
    """Split a news dateline ("GMT Eight 202094Promote ...") off a paragraph.

    Returns (source, date or None, the rest of the paragraph).
    """
    m = _DATELINE.match(paragraph)
    if not m:
        return None, None, paragraph
    return m["source"], parse_date(m["stamp"]), paragraph[m.end() :].lstrip()


def parse_date(text: str) -> str | None:
    """ISO date from a stamp, or None when the stamp has more than one reading.

    Digits run together are read only in the unambiguous 8-digit YYYYMMDD form:
    "202094" could be 2020-09-04 or a 2024 date that lost digits, so it is not guessed.
    """
    text = text.strip()
    if text.isdigit():
        if len(text) != 8:
            return None
        return _iso(int(text[:4]), int(text[4:6]), int(text[6:]))
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        month = int(m["m"]) if "m" in m.groupdict() else _month(m["month"])
        if month:
            return _iso(int(m["y"]), month, int(m["d"]))
    m = _ZH_DATE.search(text)
    return _chinese_date(m) if m else None


def _chinese_date(m: re.Match[str]) -> str | None:
    """ISO date of a :data:`_ZH_DATE` match: digits (ASCII or full-width) or Chinese numerals in each part."""
    year = numerals.arabic(m["y"]) or numerals.chinese_digits(m["y"])
    month = numerals.arabic(m["m"]) or numerals.chinese(m["m"])
    day = numerals.arabic(m["d"]) or numerals.chinese(m["d"])
    if not (year and month and day):
        return None
    return _iso(year, month, day)


def _month(name: str) -> int | None:
    try:
        return _MONTHS.index(name.lower()) + 1
    except ValueError:
        return None


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def issuers(text: str) -> list[str]:
    """Issuing bodies named in a lead sentence ("Eleven departments, including the A, the B, ... jointly issued")."""
    listed = _issuer_list(text)
    if listed:
        parts = re.split(r",\s*(?:and\s+)?(?=the\s)|\s+and\s+(?=the\s)", listed)
        return [re.sub(r"^the\s+", "", p.strip()).rstrip(",") for p in parts if p.strip()]
    m = _ISSUERS_LEAD.search(text)
    if m:
        return [m["first"].strip()]
    return []


def title_issuer(title: str | None) -> list[str]:
    """The issuing body a title names ("Notice of the General Office of the State Council on ..."), if any."""
    m = _TITLE_ISSUER.search(title or "")
    if not m:
        return []
    return [part for part in re.split(r",\s*(?:and\s+)?the\s+|\s+and\s+the\s+", m["issuer"]) if part]


def _issuer_list(text: str) -> str | None:
    """The list in "including the A, the B, ... jointly issued", in time linear in ``text``.

    What the pattern ``including (the .+?),? jointly issued`` would capture: the
    first "including the " of a line starts the list, and the nearest "jointly
    issued" at least one character after it ends it. When none follows the
    first "including the ", none follows a later one on that line either, so
    one search of each kind per line decides.
    """
    for line in text.split("\n"):
        start = line.find(_LIST_START)
        if start < 0:
            continue
        list_start = start + len("including ")
        end = _LIST_END.search(line, start + len(_LIST_START) + 1)
        if end:
            return line[list_start : end.start()]
    return None


def title(front_lines: list[str], number: str | None) -> str | None:
    """The title among the front matter's short lines: one that names a kind of document, else the first headline."""
    candidates = [
        line
        for line in front_lines
        if len(line) <= 250 and len(line.split()) >= 4 and not (number and document_number(line) == number)
    ]
    named = [line for line in candidates if _TITLE_WORDS.search(line)]
    chosen = (named or candidates or [None])[0]
    if chosen is None:
        return None
    k = front_lines.index(chosen)
    if k + 1 < len(front_lines) and _continues_title(chosen, front_lines[k + 1], number):
        chosen = f"{chosen} {front_lines[k + 1]}"
    return tidy_title(chosen)


#: Words an English title line cannot end with when the title is complete: "... on Issuing the Plan for" goes on
#: to the next line.
_OPEN_ENDINGS = frozenset(
    "a an and the of on for to in with by from at about regarding concerning its their as into under".split()
)


def _continues_title(line: str, following: str, number: str | None) -> bool:
    """``following`` is the second line of a title broken after ``line``: unambiguous cases only.

    It is when ``line`` ends where no title ends (a preposition, an article, "and") or the next line starts in
    lower case, provided ``line`` does not end a sentence and the next line is short and neither the document
    number, the addressees ("To ...:") nor a sentence.
    """
    if line.rstrip().endswith((".", ":", ";", "!", "?", "。", "：")) or len(line) + len(following) > 250:
        return False
    if (number and document_number(following) == number) or following.rstrip().endswith((":", "：", ".", "。")):
        return False
    if not following[:1].isalpha() or not following[:1].isascii():
        return False
    last = line.rsplit(None, 1)[-1].lower() if line.strip() else ""
    return following[0].islower() or last in _OPEN_ENDINGS


def tidy_title(text: str) -> str:
    """A heading as a reader expects it: no trailing full stop, first letter capitalised."""
    text = text.strip().rstrip("。.;；:：,，").strip()
    return text[:1].upper() + text[1:]


# -- Chinese ------------------------------------------------------------------------------

#: Han characters (the unified ideographs, extension A and the compatibility ideographs).
_HAN = HAN_CHARS
#: Blanks Chinese text uses, the ideographic space among them.
_BLANK = " \t\u3000"
#: Brackets around a document number's year as published: 〔〕 (the standard's), and what pages and typists use
#: instead: ［］, [], （）, ()、【】 and 〖〗. Any opening bracket may meet any closing one.
_OPEN_YEAR = "〔［\\[（(【〖"
_CLOSE_YEAR = "〕］\\]）)】〗"
#: A document number in the 机关代字〔年份〕序号号 form (国办发〔2018〕123号, 工信部通信〔2024〕165号), in ASCII or
#: full-width digits (the text is matched after :data:`numerals.FULLWIDTH_DIGITS`). An agency code is a few
#: characters (国发, 发改高技); 12 leaves room for the longest without taking in the sentence before a citation.
_ZH_NUMBER = re.compile(
    rf"(?P<agency>[{_HAN}]{{1,12}})[{_BLANK}]*[{_OPEN_YEAR}][{_BLANK}]*(?P<year>(?:19|20)\d\d)[{_BLANK}]*"
    rf"[{_CLOSE_YEAR}][{_BLANK}]*(?:第[{_BLANK}]*)?(?P<seq>\d{{1,5}})[{_BLANK}]*(?P<mark>[号號])"
)
#: What may stand around a notice's own number on its line: blanks, brackets ("（国办发〔1996〕2号）") and the label
#: of a page's facts ("发文字号：").
_NUMBER_LABEL = re.compile(rf"^[{_BLANK}（(【\[]*(?:(?:发文字号|發文字號|文号|文號)[{_BLANK}]*[：:][{_BLANK}]*)?$")
_NUMBER_CLOSE = f"{_BLANK}）)】]"
#: Characters of a front matter or title whose script decides whether it is read as Chinese.
CHINESE_SAMPLE = 2000
#: Kinds of document by the word a Chinese title ends with (a title names its kind last: "…的通知", "…实施意见"),
#: as :data:`kb.models.DOCUMENT_TYPES` names them, so that a Chinese original and its English translation are of
#: one type ("Guiding Opinions" is "opinions", so 指导意见 is too). Longer words are looked at first (办法 before 法);
#: Traditional forms are listed beside the Simplified ones.
CHINESE_TYPES = {
    "通知": "notice",
    "通报": "circular",
    "通報": "circular",
    "意见": "opinions",
    "意見": "opinions",
    "办法": "measures",
    "辦法": "measures",
    "措施": "measures",
    "方案": "plan",
    "规划": "plan",
    "規劃": "plan",
    "计划": "plan",
    "計劃": "plan",
    "决定": "decision",
    "決定": "decision",
    "公告": "announcement",
    "通告": "announcement",
    "指南": "guidelines",
    "指引": "guidelines",
    "条例": "regulations",
    "條例": "regulations",
    "规定": "provisions",
    "規定": "provisions",
    "规则": "rules",
    "規則": "rules",
    "细则": "rules",
    "細則": "rules",
    "法": "law",
}
_CHINESE_TYPE_WORDS = sorted(CHINESE_TYPES, key=len, reverse=True)
#: Characters before a final 法 that make it no law: 办法 (measures, looked at first), 方法, 做法, 想法, 说法.
_NOT_LAW = frozenset("办辦方做想说說手")
#: Qualifiers after a title's kind: "…管理办法（试行）", "…条例（草案）", "…方案（2024—2027年）".
_TITLE_QUALIFIER = re.compile(r"[（(][^（）()]{1,20}[）)]$")
#: 关于 ("on"): a Chinese title's issuers stand before it (国务院办公厅关于…).
_ABOUT = re.compile("关于|關於")
#: Verbs between a covering notice's issuer and what it issues (国务院办公厅转发国家发展改革委关于…): the issuer is
#: before them.
_ISSUING_VERB = re.compile("印发|印發|转发|轉發|批转|批轉|发布|發布")
#: "教育部等十部门关于…": the title names the first issuers and says there are more (等 and a count).
_AND_OTHERS = re.compile(r"等[一二三四五六七八九十两兩\d]*(?:个|個)?(?:部门|部門|单位|單位|部委)?$")
#: Separators between the names of joint issuers in a title or a signature: 、 and blanks (Chinese names hold none).
_NAME_SEPARATORS = re.compile(rf"[、，,{_BLANK}]+")
#: An issuing body's name in a signature: Han characters only (a line with digits or punctuation is text).
_BODY_NAME = re.compile(rf"[{_HAN}]{{2,30}}")
#: Closing formulas (结束语) that may stand alone on the line before a signature: text, not a body.
_CLOSING_FORMULAS = ("特此", "此复", "此復", "此函", "此令")
#: A Chinese title line ends no sentence and is at most this long (the longest real titles are about 80).
MAX_TITLE_LINE = 100
#: A Chinese title is at most this many lines (three is common on paper) and characters.
MAX_TITLE_LINES, MAX_TITLE_CHARS = 4, 160
#: The masthead of a document on paper ("国务院办公厅文件"): above the title, not part of it.
_MASTHEAD = re.compile(rf"^[{_HAN}{_BLANK}]{{2,30}}文件$")
#: A line in brackets under a title that says when it was adopted or issued ("（2019年4月3日中华人民共和国国务院令第
#: 711号修订）") or is too long for a qualifier of the title ("（试行）", "（2024—2027年）" belong to it).
_ADOPTION_NOTE = re.compile(r"[（(](?:[^（）()]{21,}|[^（）()]*\d+\s*年\s*\d+\s*月[^（）()]*)[）)]")
#: Labels a date line may carry on a saved page or in a translation.
_DATE_LABEL = re.compile(
    r"^(?:成文日期|发布日期|發布日期|印发日期|印發日期|日期|Date(?: of issue)?)[ \t\u3000]*[：:][ \t\u3000]*"
)
#: How much of the end of a notice's text :func:`detect` is given: the signature and date, with room for a notice
#: of many ministries signing one a line and the notes after the date ("（此件公开发布）").
TAIL_CHARS = 500
#: A line that is a date is at most this long, label and brackets included, and has a digit or 年.
MAX_DATE_LINE = 60
_MAYBE_DATE = re.compile(r"[0-9０-９年]")
#: Signature lines looked at above a date: a notice of many ministries signs with one a line.
MAX_SIGNATURE_LINES = 30
#: An English signature line names a body: one of these words (and is short, without a full stop).
_ENGLISH_BODY = re.compile(
    r"\b(?:Office|Ministry|Council|Commission|Administration|Bureau|Committee|Department|Bank|Government|"
    r"Agency|Authority|Court|Procuratorate|Group|Leading|Congress|Federation|Academy|Association)\b"
)
MAX_ENGLISH_SIGNATURE_WORDS = 14


def is_chinese(text: str) -> bool:
    """The text is written in Chinese, as :mod:`kb.language` tells (its opening is enough for metadata)."""
    return detect_language(text[:CHINESE_SAMPLE]) == CHINESE


def chinese_number(text: str) -> str | None:
    """The first number in the 机关代字〔年份〕序号号 form in ``text``, canonical: 〔〕 brackets, ASCII digits, no
    blanks, no leading zeros ("国办发［２０１８］０１２３号" is "国办发〔2018〕123号"); the agency code and 号/號 as
    written."""
    m = _ZH_NUMBER.search(text.translate(numerals.FULLWIDTH_DIGITS))
    return _canonical(m) if m else None


def _canonical(m: re.Match[str]) -> str:
    return f"{m['agency']}〔{m['year']}〕{int(m['seq'])}{m['mark']}"


def own_chinese_number(lines: list[str]) -> str | None:
    """The notice's own number in the 机关代字〔年份〕序号号 form: the first that stands on its own line.

    Alone, in brackets or after a "发文字号：" label; or after a blank at the end of a line, where a title and its
    number were run together. A number inside a sentence cites another document.
    """
    for line in lines:
        text = line.translate(numerals.FULLWIDTH_DIGITS)
        for m in _ZH_NUMBER.finditer(text):
            before, after = text[: m.start()], text[m.end() :]
            if after.strip(_NUMBER_CLOSE) and after[:1] not in _BLANK:
                continue
            if _NUMBER_LABEL.match(before) or before[-1:] in _BLANK:
                return _canonical(m)
    return None


@lru_cache(maxsize=256)
def _pinyin(han: str) -> tuple[str, ...]:
    """The syllables of Han characters in pinyin without tones (国办发: guo, ban, fa); pypinyin reads words in
    context (银行 is yin hang) and Traditional characters as Simplified ones (國辦發 too)."""
    from pypinyin import lazy_pinyin  # a 20 MB dictionary, loaded the first time a Chinese number is read

    return tuple(lazy_pinyin(han))


def _without_marks(text: str) -> str:
    """Text without accents: pinyin's tone marks and ü (Guó Bàn Fā is Guo Ban Fa, Lǜ is Lu)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _letters(text: str) -> str:
    """Latin letters only, lower case, without tone marks or the umlaut (Guó Bàn Fā, Lü and lv all read alike)."""
    plain = _without_marks(text).lower().replace("v", "u")
    return "".join(c for c in plain if "a" <= c <= "z")


def number_key(number: str) -> str | None:
    """One key for a document number in either script: "guobanfa 2018 123" for 国办发〔2018〕123号, "Guo Ban Fa
    [2018] No. 123", "Guobanfa [2018] No.123" and 國辦發〔2018〕123號; None when ``number`` is in neither form.

    Translations write a Chinese agency code in pinyin, spaced or not, with or without tones, so the key is the
    code's pinyin letters (without tones, blanks or case) with the year and the serial number. Pinyin is the
    direction that has one answer: a Chinese code has one reading (pypinyin reads the polyphonic characters by
    their word), while pinyin read back has many Chinese spellings. Codes an English translation renders by
    meaning ("MIIT Communications") keep their English letters, so they match the same rendering only.
    """
    text = number.translate(numerals.FULLWIDTH_DIGITS)
    m = _ZH_NUMBER.search(text)
    if m:
        letters = "".join(_pinyin(m["agency"]))
    else:
        plain = _without_marks(text)
        m = _NUMBER.search(plain) or _NUMBER.search(plain.title())  # "guo ban fa [2018] no. 123" too
        if not m:
            return None
        letters = m["issuer"]
    code = _letters(letters)
    return f"{code} {m['year']} {int(m['seq'])}" if code else None


def romanized_number(number: str) -> str:
    """A Chinese document number as translations write it ("Guo Ban Fa [2018] No. 123"), others unchanged.

    Notice ids come from it (:func:`kb.corpus.notice_slug`), so a Chinese original and its translation name the
    same id whichever is read first.
    """
    m = _ZH_NUMBER.search(number.translate(numerals.FULLWIDTH_DIGITS))
    if not m:
        return number
    agency = " ".join(syllable.capitalize() for syllable in _pinyin(m["agency"]))
    return f"{agency} [{m['year']}] No. {int(m['seq'])}"


def document_type(title: str | None) -> str | None:
    """The kind of document a title names: a Chinese title's last word (…的通知: notice; a covering notice that
    印发 a plan is a notice), an English title's first kind word (:func:`kb.models.document_type`)."""
    if not title:
        return None
    if not is_chinese(title):
        return models.document_type(title)
    text = title.strip().rstrip('。.;；:：,，》」”"')
    while (m := _TITLE_QUALIFIER.search(text)) and m.start() > 0:
        text = text[: m.start()].rstrip()
    for word in _CHINESE_TYPE_WORDS:
        if text.endswith(word):
            if word == "法" and text[-2:-1] in _NOT_LAW:
                return None
            return CHINESE_TYPES[word]
    return None


def _join_title(lines: list[str]) -> str:
    """Lines of a title broken over several: Chinese joined without blanks, a blank kept between Latin words."""
    out = ""
    for line in lines:
        if out and out[-1].isascii() and out[-1].isalnum() and line[:1].isascii() and line[:1].isalnum():
            out += " "
        out += line
    return out


@lru_cache(maxsize=4096)
def date_line(line: str) -> str | None:
    """The date a line is (and holds nothing else): "2018年12月29日", "一九九六年二月五日", "（2018年12月29日）",
    "成文日期：2018-12-29", "10 May 2023"; a date in a sentence is not one."""
    if len(line) > MAX_DATE_LINE or not _MAYBE_DATE.search(line):
        return None
    text = _DATE_LABEL.sub("", line.strip(f"{_BLANK}（）()")).strip(_BLANK)
    if not text or len(text) > 40:
        return None
    m = _ZH_DATE.fullmatch(text.translate(numerals.FULLWIDTH_DIGITS))
    if m:
        return _chinese_date(m)
    if text.isdigit():
        return None
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            month = int(m["m"]) if "m" in m.groupdict() else _month(m["month"])
            return _iso(int(m["y"]), month, int(m["d"])) if month else None
    return None


def _is_title_line(line: str, number: str | None) -> bool:
    """A line that may be (part of) a Chinese title: short, no sentence, not the number, addressees or a date."""
    text = line.strip(_BLANK)
    return (
        0 < len(text) <= MAX_TITLE_LINE
        and not text.endswith(("；", ";", "！", "？"))
        and not any(mark in text for mark in "。：:")  # a sentence, addressees, or "来源：…" and "17:04"
        and not _MASTHEAD.match(text)
        and not _ADOPTION_NOTE.fullmatch(text)
        and not (number and own_chinese_number([text]) == number)
        and date_line(text) is None
    )


def _looks_like_title(text: str) -> bool:
    return bool(_ABOUT.search(text)) or document_type(text) is not None


def chinese_title(lines: list[str], number: str | None) -> str | None:
    """A Chinese title: the opening lines before the number, the addressees or the text, joined.

    The front's lines are cut into runs of title-like lines (:func:`_is_title_line`); the title is the first
    run that reads as one (names 关于 or ends with a kind of document), else the first run. A run is at most
    :data:`MAX_TITLE_LINES` lines, so text that happens to have no punctuation is not taken whole.
    """
    runs: list[list[str]] = []
    run: list[str] = []
    for line in lines:
        if _is_title_line(line, number):
            run.append(line.strip(_BLANK))
            continue
        if run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    runs = [r for r in runs if len(r) <= MAX_TITLE_LINES and len("".join(r)) <= MAX_TITLE_CHARS]
    titles = [_join_title(r) for r in runs]
    chosen = next((t for t in titles if _looks_like_title(t)), titles[0] if titles else None)
    return tidy_title(chosen) if chosen else None


def chinese_title_issuers(title: str | None) -> tuple[list[str], bool]:
    """The issuing bodies a Chinese title names before 关于 (国务院办公厅关于…; 国务院办公厅、中央军委办公厅关于…;
    工业和信息化部 国家发展改革委关于…), or before the verb of a covering notice (国务院办公厅转发…关于…), and
    whether the title says there are more (教育部等十部门关于…)."""
    m = _ABOUT.search(title or "")
    if not m:
        return [], False
    lead = title[: m.start()] if title else ""
    verb = _ISSUING_VERB.search(lead)
    if verb:
        lead = lead[: verb.start()]
    more = _AND_OTHERS.search(lead)
    if more:
        lead = lead[: more.start()]
    names = [name for name in _NAME_SEPARATORS.split(lead) if name]
    if not names or not all(_BODY_NAME.fullmatch(name) for name in names):
        return [], False
    return names, bool(more)


def _is_body_name(name: str) -> bool:
    """A body's name in a signature: Han characters only, and no title (关于…, …的意见) above a forwarded report."""
    return bool(_BODY_NAME.fullmatch(name)) and not _ABOUT.search(name) and document_type(name) is None


def _signature_names(line: str, chinese: bool) -> list[str]:
    """The issuing bodies a signature line names, or [] when the line is text."""
    text = line.strip(_BLANK)
    if chinese:
        if text.startswith(_CLOSING_FORMULAS):
            return []
        names = [name for name in _NAME_SEPARATORS.split(text) if name]
        return names if names and all(_is_body_name(name) for name in names) else []
    words = text.split()
    if (
        not words
        or len(words) > MAX_ENGLISH_SIGNATURE_WORDS
        or not text[0].isupper()
        or text.endswith((".", ":", ";", ","))
        or not _ENGLISH_BODY.search(text)
    ):
        return []
    return [text]


def signatures(lines: list[str], chinese: bool) -> Iterator[tuple[list[str], str]]:
    """Every signature in ``lines``, in order, as they are asked for: the issuing bodies over a date line, and
    that date.

    Bodies are one a line or several on one line (:func:`_signature_names`), right above the date line. Dates
    in the sentences of the text are never read (:func:`date_line`).
    """
    for i, line in enumerate(lines):
        date = date_line(line)
        bodies: list[str] = []
        if date is None:
            bodies, date = signed_line(line, chinese)
            if date is None:
                continue
        for above in reversed(lines[max(0, i - MAX_SIGNATURE_LINES) : i]):
            names = _signature_names(above, chinese)
            if not names:
                break
            bodies[:0] = names
        if bodies:
            yield bodies, date


def signed_line(line: str, chinese: bool) -> tuple[list[str], str | None]:
    """A signature and its date run together on one line ("国务院办公厅　2018年12月29日"), else ([], None)."""
    if not chinese or len(line) > MAX_TITLE_LINE:
        return [], None
    text = line.strip(_BLANK).translate(numerals.FULLWIDTH_DIGITS)
    m = _ZH_DATE.search(text)
    if not m or text[m.end() :].strip(f"{_BLANK}（）()") or not text[: m.start()].strip(_BLANK):
        return [], None
    names = _signature_names(text[: m.start()], chinese)
    return (names, _chinese_date(m)) if names else ([], None)


def _last_date_line(lines: list[str]) -> str | None:
    return next((d for line in reversed(lines) if (d := date_line(line))), None)


def detect(
    front: str,
    dateline: tuple[str | None, str | None] = (None, None),
    tail: str = "",
) -> Metadata:
    """A notice's metadata from its front matter (before the first heading) and ``tail``, the end of its own text.

    The date is, first, a news dateline's; then the one under a signature (in the front matter, where a
    covering notice ends before the report it forwards, else at the end), since a Chinese notice is dated
    there and dates in its text are of other things; then a date line at the top; then a date line at the
    end without a signature. The issuing bodies are those an English lead sentence lists, else those the
    title names (unless it says there are more: 教育部等十部门), else the signature's.
    """
    lines = [line.strip() for line in front.split("\n") if line.strip()]
    tail_lines = [line.strip() for line in tail.split("\n") if line.strip()]
    chinese = is_chinese(front or tail)
    if chinese:
        number = own_chinese_number(lines) or document_number(front)
        heading = chinese_title(lines, number)
        named, more = chinese_title_issuers(heading)
    else:
        number = document_number(front)
        heading = title(lines, number)
        named, more = title_issuer(heading), False
    source, date = dateline
    # the front matter's first signature is a covering notice's own (a forwarded report's follows it); the
    # text's last is the notice's
    signed, signed_date = next(signatures(lines, chinese), None) or ([], None)
    if not signed:
        signed, signed_date = ([([], None)] + list(signatures(tail_lines, chinese)))[-1]
    if date is None:
        date = signed_date
    if date is None:
        if chinese:
            date = next((d for line in lines if (d := date_line(line))), None)
        else:
            date = next((d for line in lines if len(line) <= 120 and (d := parse_date(line))), None)
        date = date or _last_date_line(tail_lines)
    listed = [] if chinese else issuers(" ".join(lines))
    return Metadata(
        title=heading,
        number=number,
        source=source,
        date=date,
        issuers=listed or (signed if more and signed else named) or signed,
    )
