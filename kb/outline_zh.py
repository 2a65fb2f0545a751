"""Find the structure of a Chinese notice: its headings, its parts and where its own text ends.

Chinese notices number their headings in a fixed order of styles: ``第一章``
(chapter), ``第一节`` (section of a chapter), ``第一条`` (article), ``一、``,
``（一）``, ``1.`` and ``（1）``. A heading nests under the nearest heading of a
shallower style before it, so a document's levels are the styles it uses, in
that order: ``一、`` > ``（一）`` > ``1.`` gives three levels, and ``（1）`` is a
third level only where no ``1.`` level stands between it and its ``（一）``
(deeper than three levels, a marker is text). Articles (``第一条``) are level 2
under chapters and level 1 without them; a ``第一节`` in a text that has both
chapters and articles is left as text, so that an article keeps the id a reader
cites (``第十二条`` in ``第三章`` is ``3.12``), and so are the items an article
lists (``（一）……；``), which are the article's text.

A marker is a heading only where a heading can stand (a line start, after a
sentence ending in ``。！？``, or, for a parenthesised item, right after a
heading's title on its line: ``一、总体要求（一）指导思想。``) and only where it
continues the numbering: one more than the previous sibling (a few more, see
:data:`kb.outline.MAX_GAP`), or 1 under a new parent, or one more than the same
style's last number under the previous parent (numbering that runs straight
through the top-level headings). The printed number is kept as the id:
``（五）`` under ``二、`` is ``2.5``, as a reader cites it.

A notice may carry parts, each outlined on its own from ``一、`` again and
named in the part (``a1/2.5``): attachments (a line ``附件1`` / ``附件`` and the
title line under it), the documents a covering notice issues (``关于印发《X》的
通知``: a line reading X after the notice's date) and the report it forwards
(``转发…关于…的意见的通知``). The signature and date at the end of the notice
and of each part, and the notice's list of its attachments, are not text of
the last section: they end the notice's own text (see :func:`parse`).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from kb import metadata
from kb.language import CHINESE, detect_language
from kb.models import MAX_PARTS, Metadata, Outline, Part, Section, SectionId

#: Blanks that may indent a line or follow a marker (the cleaner makes most of them plain spaces).
_BLANKS = " \t\u3000"
_CN = "一二三四五六七八九十百零〇"
#: Every numbering marker, one alternative per style; each piece is bounded, so one pass is linear in the text.
_MARKER = re.compile(
    rf"(?P<chapter>第[{_CN}]{{1,5}}章)"
    rf"|(?P<part_section>第[{_CN}]{{1,5}}节)"
    rf"|(?P<article>第[{_CN}]{{1,6}}条)"
    r"|(?P<one>[一二三四五六七八九十百]{1,4})、"
    r"|[（(][ \t]{0,2}(?P<paren_one>[一二三四五六七八九十百]{1,4})[ \t]{0,2}[）)]"
    r"|(?P<arabic>[0-9０-９]{1,2})[.．、](?![0-9０-９])"
    r"|[（(][ \t]{0,2}(?P<paren_arabic>[0-9０-９]{1,2})[ \t]{0,2}[）)]"
)
#: The styles from the outermost in: a heading nests under the nearest earlier heading of a style before its own.
_RANK = {"chapter": 0, "part_section": 1, "article": 2, "one": 3, "paren_one": 4, "arabic": 5, "paren_arabic": 6}
#: Styles that may follow a heading's title on its line ("一、总体要求（一）指导思想。"): a parenthesised item.
_RUN_IN = frozenset({"paren_one", "paren_arabic"})
#: Styles that stand only at a line start, or after a sentence when a blank follows them ("。第五条　..."):
#: "依照第五条规定" is a reference, not an article.
_BLOCK = frozenset({"chapter", "part_section", "article"})
#: Where a sentence ends, for headings that run in after it and for titles ("（一）建立目录管理制度。各部门要……").
#: "；" and "：" are not: items after them ("包括：（一）……；（二）……") are an enumeration inside a sentence.
_STOPS = "。！？"
_CLOSERS = "”’」』"
_STOP = re.compile(f"[{_STOPS}]")
_NEWLINE = re.compile("\n")
#: Where a clause ends: a derived title is the item's first clause.
_CLAUSE = re.compile(r"[，,；;。：:！？\n]")
#: A title is short and names a subject; it does not instruct. A first sentence longer than this, or broken by more
#: than :data:`MAX_TITLE_BREAKS` commas or semicolons, is the item's text and the item is untitled
#: ("（三）各地区、各部门要加强组织领导，……，确保各项任务落到实处。"). 30 characters hold every titled item of the
#: State Council General Office's notices we have seen (most are 6 to 16), with room to spare.
MAX_TITLE_CHARS = 30
#: Commas a title may hold: one pairs two phrases ("坚持问题导向，聚焦重点领域"); two or more make a sentence.
MAX_TITLE_BREAKS = 1
#: Length of each of a title's two phrases: parallel phrases are short; "优先安排国有商业项目，以发挥国有企业在市场
#: 调控中的主渠道作用" is a sentence with a purpose clause.
MAX_TITLE_CLAUSE = 12
_BREAK = re.compile(r"[，,；;]")
#: Length of a derived title (an untitled item's first clause), cut with "…" beyond it: enough to tell items apart.
DERIVED_TITLE_CHARS = 20
#: Lines under the date that belong to the tail, not to any section: a note in brackets ("（此件公开发布）",
#: "（联系人：王某，电话：……）"), the distribution ("抄送：……") and the printing line ("……2018年12月31日印发").
_NOTE_LINE = re.compile(r"[（(][^（）()\n]{1,60}[）)]|(?:抄送|抄报|主送|分送)[ \t]*[：:][^\n]*|[^\n]{0,40}日[ \t]*印发")
#: A line that starts an attachment: "附件", "附件1", "附件 2：", "附件三" and nothing else on the line.
_ATTACHMENT_LABEL = re.compile(r"附件[ \t]*(?P<num>[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3})?[ \t]*[：:]?[ \t]*")
#: An attachment's label and title on one line: "附件1：政务数据共享管理办法" (after the notice's date only: above it,
#: "附件：1．……" lists the attachments).
_ATTACHMENT_TITLED = re.compile(
    r"(?P<label>附件[ \t]*(?:[0-9０-９]{1,3}|[一二三四五六七八九十]{1,3}))[ \t]*[：:][ \t]*(?P<title>[^\n]{1,100})"
)
#: The first line of a notice's list of its attachments ("附件：1．国务院部门权责清单管理办法").
_ATTACHMENT_LIST = re.compile(r"附件[ \t]*[：:]")
#: A later line of that list ("2．政务信息资源目录编制指南").
_LIST_ITEM = re.compile(r"[ \t]*[0-9０-９]{1,2}[.．、]")
#: A signature line is short and is no sentence: an issuing body's name ("国务院办公厅", "国家发展改革委 财政部").
MAX_SIGNATURE_CHARS = 40
_SENTENCE_MARKS = re.compile(r"[。；，,：:！？]")
#: What a signature line may not hold: a sentence's marks ("市长：董伟" signs with a colon inside, not at its end).
_UNSIGNED = re.compile(r"[。；，,！？]|[：:][ \t]*$")
#: Signature lines above a date that are read as the signature (joint issuers may sign on a few lines).
MAX_SIGNATURE_LINES = 4
#: A title a covering notice names in its title or opening ("关于印发《X》的通知", "现将《X》印发给你们").
_QUOTED_TITLE = re.compile(r"《([^《》\n]{2,100})》")
#: What the covering notice forwards, from its title: "国务院办公厅转发国家计委关于……的意见的通知".
_FORWARDED = re.compile(r"转发([^\n]{2,150}?)的(?:通知|函)")
#: What a covering notice issues, from a title that does not quote it: "国务院办公厅关于印发政务信息系统整合共享
#: 实施方案的通知".
_ISSUED = re.compile(r"印发([^\n《》]{2,100}?)的(?:通知|函)")
#: How a covering notice or order says it issues a document: "现印发给你们", "现予公布", "现予发布施行".
_ISSUING = re.compile(r"印发给你们|现予(?:以)?(?:公布|发布|印发)")
#: How far into a text the covering notice's cues (its title, "现将……印发给你们") are looked for.
CUE_CHARS = 3000
#: Title lines of an issued or forwarded document that may be split over lines (a long title wraps).
MAX_TITLE_LINES = 3
_WHITE = re.compile(r"[ \t\u3000]+")


def is_chinese(text: str) -> bool:
    """The text is Chinese (kb.language: Han characters are most of its letters), so its structure is read here."""
    return detect_language(text) == CHINESE


# -- numerals ---------------------------------------------------------------------------------------------------

_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_WELL_FORMED = re.compile(
    r"(?:(?P<h>[一二三四五六七八九])百)?(?P<zero>[零〇])?(?:(?P<t>[一二三四五六七八九])?(?P<ten>十))?(?P<o>[一二三四五六七八九])?"
)


def chinese_number(token: str) -> int | None:
    """Value of a Chinese numeral up to 999 ("三", "十二", "三十一", "一百零五"), or None when it is not one.

    Articles run past 99 (``第一百二十条``), further than the heading numerals of :mod:`kb.numerals`.
    """
    m = _WELL_FORMED.fullmatch(token)
    if not m or not token:
        return None
    if m["zero"] and not (m["h"] and m["o"] and not m["ten"]):
        return None  # "零" only between hundreds and ones: 一百零五
    value = (_DIGITS[m["h"]] * 100 if m["h"] else 0) + (((_DIGITS[m["t"]] if m["t"] else 1) * 10) if m["ten"] else 0)
    value += _DIGITS[m["o"]] if m["o"] else 0
    return value or None


def _number(token: str) -> int | None:
    if token[0] in "0123456789０１２３４５６７８９":
        return int(token) or None
    return chinese_number(token)


# -- lines ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    text: str  # without its indentation and trailing blanks


def _lines(text: str) -> list[_Line]:
    found, start = [], 0
    for piece in text.split("\n"):
        end = start + len(piece)
        found.append(_Line(start, end, piece.strip(_BLANKS)))
        start = end + 1
    return found


def _is_date_line(line: str) -> bool:
    """A line that is a date, or a signature and its date on one line ("国家发展改革委　2024年3月5日"): where
    :mod:`kb.metadata` reads the notice's date, so that the text and the metadata end the notice at one line."""
    return bool(line) and (metadata.date_line(line) is not None or bool(metadata.signed_line(line, True)[0]))


def _squeeze(text: str) -> str:
    return _WHITE.sub("", text)


# -- parts ------------------------------------------------------------------------------------------------------


@dataclass
class _Segment:
    """The notice's own text (number 0) or part ``number``: its lines ``first`` to ``stop`` (exclusive)."""

    number: int
    kind: str | None
    first: int  # index of the line the part's text starts on (after its label and title lines)
    stop: int
    title: str | None = None
    label: str | None = None
    head: int = 0  # index of the part's first line (its label or title)


def _cues(text: str, lines: list[_Line]) -> tuple[str | None, list[str]]:
    """The kind of part the covering notice announces ("issued", "forwarded" or None) and the titles it names.

    The cues are in the notice's title and opening (the first :data:`CUE_CHARS` characters): "关于印发《X》和《Y》的
    通知", "现将《X》印发给你们", "转发国家计委关于……的意见的通知", "《关于……的意见》……现转发给你们".
    """
    opening = text[:CUE_CHARS]
    lead = "".join(line.text for line in _lead(lines))[:CUE_CHARS]
    kind = None
    if "转发" in lead or "转发给你们" in opening:
        kind = "forwarded"
    elif "印发" in lead or _ISSUING.search(opening):
        kind = "issued"
    titles = [_squeeze(m[1]) for m in _QUOTED_TITLE.finditer(opening)]
    issued = _ISSUED.search(lead)
    if issued:
        titles.append(_squeeze(issued[1]))
    forwarded = _FORWARDED.search(lead)
    if forwarded:
        whole = _squeeze(forwarded[1])
        titles.append(whole)
        about = whole.find("关于")
        if about > 0:
            titles.append(whole[about:])  # the report's own title line names no issuer: "关于……的意见"
    return kind, list(dict.fromkeys(t for t in titles if t))


def _lead(lines: list[_Line]) -> list[_Line]:
    """The title block: the lines before the first sentence or the addressees ("各省、自治区……：")."""
    lead = []
    for line in lines:
        if _SENTENCE_MARKS.search(line.text[-1:] or "") or any(c in line.text for c in _STOPS):
            break
        lead.append(line)
    return lead


def _opening_end(lines: list[_Line]) -> int:
    """Index of the first line after the title block: parts and the notice's date are looked for from there."""
    return len(_lead(lines))


def _segments(text: str, lines: list[_Line]) -> list[_Segment]:
    """The notice's own text and its parts, in order, each as a range of lines."""
    kind, titles = _cues(text, lines)
    opening = _opening_end(lines)
    # The notice's date: its first date line, unless an attachment starts before any (then the notice is undated
    # and the first date is the attachment's).
    labelled = next((i for i in range(opening, len(lines)) if _is_part_label(lines, i)), len(lines))
    dated = next((i for i in range(opening, labelled) if _is_date_line(lines[i].text)), None)
    search_from = dated + 1 if dated is not None else opening
    wanted = {t: t for t in titles}
    listed = {t: t for t in _listed_titles(lines, opening)} | wanted
    starts: list[_Segment] = []
    i = search_from
    while i < len(lines) and len(starts) < MAX_PARTS:  # beyond, a label is text of the last part
        line = lines[i].text
        if _is_part_label(lines, i):
            title_at = _next_text(lines, i + 1)
            title = lines[title_at].text if title_at is not None else None
            if title is not None and (_MARKER.match(title) or _SENTENCE_MARKS.search(title)):
                title, title_at = None, i  # the attachment starts with its text: it has no title line
            label = _squeeze(line).rstrip("：:")
            first = (title_at if title_at is not None else i) + 1
            wrapped = _title_at(lines, title_at, listed) if title is not None and title_at is not None else None
            if wrapped:  # a long title wrapped over lines, as the notice's list of attachments names it
                title, first = wrapped
            starts.append(_Segment(0, "attachment", first, 0, title, label, head=i))
            i = first
            continue
        titled = _ATTACHMENT_TITLED.fullmatch(line) if dated is not None and i > dated else None
        if titled and not _LIST_ITEM.match(titled["title"]):
            label = _squeeze(titled["label"])
            starts.append(_Segment(0, "attachment", i + 1, 0, titled["title"].strip(_BLANKS), label, head=i))
            i += 1
            continue
        if kind and line and not _SENTENCE_MARKS.search(line):
            matched = _title_at(lines, i, wanted)
            if matched:
                title, after = matched
                starts.append(_Segment(0, kind, after, 0, title, None, head=i))
                i = after
                continue
        i += 1
    if kind and dated is not None and not any(s.kind == kind for s in starts):
        # The announced document follows the date under a title the opening does not quote exactly.
        head = _next_text(lines, dated + 1, skip_notes=True)
        limit = starts[0].head if starts else len(lines)
        if head is not None and head < limit and not _SENTENCE_MARKS.search(lines[head].text):
            starts.insert(0, _Segment(0, kind, head + 1, 0, lines[head].text, None, head=head))
    if kind:
        starts = _unannounced(lines, opening, kind, starts)
    segments = [_Segment(0, None, 0, starts[0].head if starts else len(lines))]
    for k, part in enumerate(starts, start=1):
        part.number = k
        part.stop = starts[k].head if k < len(starts) else len(lines)
        segments.append(part)
    return segments


#: How a document's title ends: with the kind of document it is, perhaps marked as provisional ("办法（试行）").
_DOCUMENT_TITLE = re.compile(
    r"[^\n]{2,60}(?:办法|规定|条例|细则|方案|意见|通知|规划|计划|指南|指引|标准|规则|制度|清单|决定|纲要|要点|报告|请示"
    r"|通告|公告|章程|准则|措施|名录|名单)(?:[（(][^（）()\n]{1,10}[）)])?"
)
#: A line that starts a document's own numbering: "一、", "第一章", "第一条".
_FIRST_HEADING = re.compile(r"(?:一、|第一章|第一条)")


def _unannounced(lines: list[_Line], opening: int, kind: str, starts: list[_Segment]) -> list[_Segment]:
    """``starts`` with the documents a covering notice issues or forwards that no title it quotes announced.

    A document's title line (a line that ends with a kind of document: "……管理办法", "……规定（试行）") over a
    line that starts the numbering again ("一、", "第一章", "第一条"), where the text before it already had its
    own "一、", starts another document: two regulations issued together must not merge into one outline.
    Attachments (``附件``) are left as they are.
    """
    heads = {s.head: s.kind for s in starts}
    found: list[_Segment] = []
    numbered = False  # the current document has had its own first heading
    current_kind: str | None = kind
    for i in range(opening, len(lines)):
        if i in heads:
            numbered = False
            current_kind = heads[i]
            continue
        text = lines[i].text
        if not text:
            continue
        if _FIRST_HEADING.match(text):
            numbered = True
            continue
        if not numbered or current_kind == "attachment" or len(starts) + len(found) >= MAX_PARTS:
            continue
        if _DOCUMENT_TITLE.fullmatch(text) and not _SENTENCE_MARKS.search(text) and not _MARKER.match(text):
            nxt = _next_text(lines, i + 1)
            if nxt is not None and _FIRST_HEADING.match(lines[nxt].text):
                found.append(_Segment(0, kind, i + 1, 0, text, None, head=i))
                numbered = False
    return sorted(starts + found, key=lambda s: s.head) if found else starts


def _listed_titles(lines: list[_Line], start: int) -> list[str]:
    """The titles in a notice's list of its attachments ("附件：1．X" and the "2．Y" lines under it)."""
    titles = []
    for i in range(start, len(lines)):
        m = _ATTACHMENT_LIST.match(lines[i].text)
        if not m:
            continue
        first = lines[i].text[m.end() :]
        item = _LIST_ITEM.match(first)
        titles.append(_squeeze(first[item.end() :] if item else first))
        j = i + 1
        while j < len(lines) and (item := _LIST_ITEM.match(lines[j].text)):
            titles.append(_squeeze(lines[j].text[item.end() :]))
            j += 1
    return [t for t in titles if t]


def _is_part_label(lines: list[_Line], i: int) -> bool:
    """Line ``i`` is an attachment's label ("附件1", "附件"): alone on its line, and not over a numbered list
    ("附件：" over "1．……" lines is the notice's list of its attachments)."""
    m = _ATTACHMENT_LABEL.fullmatch(lines[i].text) if lines[i].text else None
    if not m:
        return False
    if m["num"]:
        return True
    nxt = _next_text(lines, i + 1)
    return nxt is None or not _LIST_ITEM.match(lines[nxt].text)


def _next_text(lines: list[_Line], i: int, skip_notes: bool = False) -> int | None:
    """Index of the first non-blank line from ``i`` (past notes such as "（此件公开发布）" when asked), or None."""
    while i < len(lines) and (not lines[i].text or skip_notes and _NOTE_LINE.fullmatch(lines[i].text)):
        i += 1
    return i if i < len(lines) else None


def _title_at(lines: list[_Line], i: int, wanted: dict[str, str]) -> tuple[str, int] | None:
    """The announced title that line ``i`` (with up to :data:`MAX_TITLE_LINES` - 1 more) reads, and the next line."""
    joined = ""
    for j in range(i, min(i + MAX_TITLE_LINES, len(lines))):
        if not lines[j].text:
            break
        joined += _squeeze(lines[j].text)
        if joined in wanted:
            return "".join(lines[k].text for k in range(i, j + 1)), j + 1
    return None


def _own_text_end(lines: list[_Line], first: int, stop: int, own: bool) -> int:
    """Index of the line where a segment's own text ends: its signature, date, notes and list of attachments.

    Read from the end up: notes under the date, the date line, up to :data:`MAX_SIGNATURE_LINES` short lines
    that are no sentence above it (the signature), and above them (in the notice's own text) the list of its
    attachments. A segment that does not end with a date keeps its text, save a trailing list of attachments.
    """
    end = stop
    while end > first and (not lines[end - 1].text or _NOTE_LINE.fullmatch(lines[end - 1].text)):
        end -= 1
    if end > first and _is_date_line(lines[end - 1].text):
        end -= 1
        signed = 0
        while end > first and signed < MAX_SIGNATURE_LINES:
            line = lines[end - 1].text
            if line and (
                len(line) > MAX_SIGNATURE_CHARS
                or _UNSIGNED.search(line)
                or _MARKER.match(line)
                or _ATTACHMENT_LIST.match(line)
            ):
                break
            end -= 1
            signed += bool(line)
    else:
        end = stop
        while end > first and not lines[end - 1].text:
            end -= 1
    if own:
        j = end
        while j > first and (not lines[j - 1].text or _LIST_ITEM.match(lines[j - 1].text)):
            j -= 1
        if j > first and _ATTACHMENT_LIST.match(lines[j - 1].text):
            end = j - 1
    return end


# -- headings ---------------------------------------------------------------------------------------------------


@dataclass
class _Heading:
    start: int
    end: int  # after the marker and the blanks that follow it
    style: str
    number: int
    label: str
    strong: bool  # at a line start or after a sentence; else a run-in item, judged against its parent's title
    numbers: tuple[int, ...] = ()


class _Breaks:
    """Where a part's sentences end and its lines break, found once, so each question about a span is a bisection.

    Asking whether a run-in item's parent title holds a sentence end by searching the span would cost the span's
    length for every candidate: quadratic on a long line of markers.
    """

    def __init__(self, text: str, start: int, end: int) -> None:
        self.stops = [m.start() for m in _STOP.finditer(text, start, end)]
        self.newlines = [m.start() for m in _NEWLINE.finditer(text, start, end)]

    @staticmethod
    def _any_in(positions: list[int], start: int, end: int) -> bool:
        k = bisect_left(positions, start)
        return k < len(positions) and positions[k] < end

    def between(self, start: int, end: int) -> bool:
        """A sentence ends or a line breaks in ``[start, end)``."""
        return self._any_in(self.stops, start, end) or self._any_in(self.newlines, start, end)


def _context(text: str, pos: int, start: int) -> str | None:
    """What stands before ``pos``: "line" (a line start), "sentence" (a sentence end) or None (mid-sentence)."""
    i = pos
    while i > start and text[i - 1] in _BLANKS:
        i -= 1
    if i == start or text[i - 1] == "\n":
        return "line"
    while i > start and text[i - 1] in _CLOSERS:
        i -= 1
    return "sentence" if i > start and text[i - 1] in _STOPS else None


def _candidates(text: str, start: int, end: int, budget: list[int]) -> list[_Heading]:
    """Markers standing where a heading can stand, in order (run-in items are judged in :func:`_headings`)."""
    from kb.outline import MAX_HEADING_CANDIDATES, TooManyHeadings, _too_many

    found = []
    for m in _MARKER.finditer(text, start, end):
        budget[0] += 1
        if budget[0] > MAX_HEADING_CANDIDATES:
            raise TooManyHeadings(_too_many())
        style = m.lastgroup or ""
        token = m[style]
        if style in _BLOCK:
            token = token[1:-1]
        number = _number(token)
        if not number:
            continue
        after = m.end()
        while after < end and text[after] in _BLANKS:
            after += 1
        context = _context(text, m.start(), start)
        if style in _BLOCK and context == "sentence" and after == m.end():
            context = None  # "。第五条规定的……" is a sentence about an article
        if context is None and style not in _RUN_IN:
            continue
        found.append(_Heading(m.start(), after, style, number, m[0].strip(_BLANKS), context is not None))
    return found


#: A table of contents' heading line ("目录", "目　录").
_CONTENTS = re.compile(r"^[ \t\u3000]*目[ \t\u3000]*录[ \t\u3000]*$", re.MULTILINE)


def _without_contents(text: str, start: int, end: int, candidates: list[_Heading]) -> list[_Heading]:
    """The candidates without those of a table of contents: after a "目录" line, up to the heading it lists first.

    A law printed with its contents lists "第一章 总则 … 第四章 附则" and then starts again at "第一章 总则";
    read as headings, the list would take the chapters' numbers and file every article under the last one.
    """
    m = _CONTENTS.search(text, start, end)
    if not m:
        return candidates
    k = bisect_left([c.start for c in candidates], m.end())
    if k >= len(candidates):
        return candidates
    first = candidates[k]
    again = next(
        (
            j
            for j in range(k + 1, len(candidates))
            if (candidates[j].style, candidates[j].number) == (first.style, first.number)
        ),
        None,
    )
    return candidates if again is None else candidates[:k] + candidates[again:]


def _headings(text: str, start: int, end: int, budget: list[int]) -> list[_Heading]:
    """The markers of one part that are headings, each with its numbers (``(2, 5)`` for ``（五）`` under ``二、``)."""
    from kb.outline import MAX_GAP

    candidates = _without_contents(text, start, end, _candidates(text, start, end, budget))
    styles = {c.style for c in candidates if c.strong}
    if {"chapter", "article"} <= styles:
        candidates = [c for c in candidates if c.style != "part_section"]
    if "article" in styles:  # an article's items ("（一）……；") are its text, as its translation's "(1)" are
        candidates = [c for c in candidates if _RANK[c.style] <= _RANK["article"]]
    breaks = _Breaks(text, start, end)
    accepted: list[_Heading] = []
    stack: list[_Heading] = []
    last_child: dict[tuple[int, ...], int] = {}
    last_of_style: dict[str, int] = {}
    for c in candidates:
        rank = _RANK[c.style]
        depth = len(stack)
        while depth and _RANK[stack[depth - 1].style] >= rank:
            depth -= 1
        if depth >= 3:
            continue  # a fourth level is text
        parent = stack[depth - 1] if depth else None
        if not c.strong:  # a run-in item: only right after its parent's title, on the same line
            if parent is None or parent is not (accepted[-1] if accepted else None):
                continue
            if breaks.between(parent.end, c.start):
                continue
        key = parent.numbers if parent else ()
        previous = last_child.get(key)
        if previous is not None:
            ok = previous < c.number <= previous + MAX_GAP
        else:
            same = last_of_style.get(c.style)
            ok = (
                c.number == 1
                or (parent is None and same is None)  # the first heading may have any number, as in English
                or (same is not None and same < c.number <= same + MAX_GAP)  # numbering that runs on
            )
        if not ok:
            continue
        c.numbers = (*key, c.number)
        del stack[depth:]
        stack.append(c)
        last_child[key] = c.number
        last_of_style[c.style] = c.number
        accepted.append(c)
    return accepted


# -- titles -----------------------------------------------------------------------------------------------------


def title_and_body(content: str, *, untitled: bool = False) -> tuple[str | None, str, bool]:
    """A heading's title, its body and whether the title is derived (the item states none).

    The title is the text up to the first sentence end, or the line when it has none ("一、明确共享责任"),
    if it reads as a title (at most :data:`MAX_TITLE_CHARS` characters, and at most two phrases of
    :data:`MAX_TITLE_CLAUSE` characters each when a comma parts it); otherwise, and always for an
    article (``untitled``: an article is a provision, not a title), the item is untitled: its title is its
    first clause, cut to :data:`DERIVED_TITLE_CHARS`, and its body keeps the whole text.
    """
    content = content.strip(_BLANKS + "\n")
    if not content:
        return None, "", False
    first_line, _, rest = content.partition("\n")
    cut = next((i for i, c in enumerate(first_line) if c in _STOPS), None)
    if cut is None:
        candidate, after = first_line.strip(_BLANKS), rest
    else:
        candidate, after = first_line[:cut].strip(_BLANKS), first_line[cut + 1 :].lstrip(_CLOSERS) + "\n" + rest
    if not untitled and _reads_as_title(candidate):
        return _tidy(candidate) or None, after.strip(_BLANKS + "\n"), False
    return derived_title(content), content, True


def _reads_as_title(candidate: str) -> bool:
    clauses = _BREAK.split(candidate)
    if not candidate or len(candidate) > MAX_TITLE_CHARS or len(clauses) > MAX_TITLE_BREAKS + 1:
        return False
    return len(clauses) == 1 or all(len(c) <= MAX_TITLE_CLAUSE for c in clauses)


def derived_title(content: str) -> str:
    """A short title for an untitled item: its first clause, cut to :data:`DERIVED_TITLE_CHARS` characters."""
    m = _CLAUSE.search(content, 0, DERIVED_TITLE_CHARS + 1)
    clause = content[: m.start()] if m else content[: DERIVED_TITLE_CHARS + 1]
    clause = clause.strip(_BLANKS)
    if len(clause) > DERIVED_TITLE_CHARS:
        clause = clause[:DERIVED_TITLE_CHARS] + "…"
    return clause


# -- the outline ------------------------------------------------------------------------------------------------


def parse(text: str) -> Outline:
    """Outline of a cleaned Chinese notice: its own sections, then each part's (``a1/front``, ``a1/1``, ...).

    The notice's own text ends before its list of attachments, its signature and its date (``own_text_end``
    below): those lines are in no section, so they are not read as the last item's text; they are the tail
    that metadata reads for the signature and the date.
    """
    from kb.outline import NoHeadingsError

    text = text.strip()
    lines = _lines(text)
    budget = [0]
    sections: list[Section] = []
    parts: list[Part] = []
    front = ""
    tail = ""
    closing: dict[int, str] = {}
    for segment in _segments(text, lines):
        own = segment.number == 0
        first_line = segment.first if segment.first < len(lines) else len(lines)
        start = lines[first_line].start if first_line < len(lines) else len(text)
        end_line = _own_text_end(lines, first_line, segment.stop, own)
        # own_text_end: where the text of the notice (or of a part) ends and its tail begins.
        own_text_end = lines[end_line - 1].end if end_line > first_line else start
        heads = _headings(text, start, own_text_end, budget)
        opening = text[start : heads[0].start if heads else own_text_end].strip()
        tail_end = lines[segment.stop - 1].end if segment.stop else 0
        if text[own_text_end:tail_end].strip():
            closing[segment.number] = text[own_text_end:tail_end].strip()
        if own:
            front = opening
            tail = closing.get(0, "")
        else:
            parts.append(Part(segment.number, segment.kind or "attachment", _part_title(segment.title), segment.label))
            sections.append(Section(SectionId.front_of(segment.number), None, None, opening))
        for i, h in enumerate(heads):
            stop = heads[i + 1].start if i + 1 < len(heads) else own_text_end
            title, body, derived = title_and_body(text[h.end : stop], untitled=h.style == "article")
            sid = SectionId.of(*h.numbers, part=segment.number)
            sections.append(Section(sid, title, sid.parent, body, h.label, derived))
    if not any(s.id.level for s in sections):
        raise NoHeadingsError("no section headings found")
    return Outline(_metadata(front, tail), front, sections, parts=parts, closing=closing)


def _part_title(title: str | None) -> str | None:
    return (_tidy(title) or None) if title else None


#: A blank between two Han characters of a title is layout ("第一章　总　则" spaces a short title out to width).
_SPACED = re.compile(r"(?<=[\u3400-\u9fff])[ \t\u3000]+(?=[\u3400-\u9fff])")


def _tidy(title: str) -> str:
    return metadata.tidy_title(_SPACED.sub("", title))


def _metadata(front: str, tail: str) -> Metadata:
    """The notice's metadata: from its front matter, and from ``tail``, the end of its own text after
    ``own_text_end`` (signature, date, list of attachments), where a Chinese notice signs and dates itself.

    The single place the tail is handed on to :func:`kb.metadata.detect`.
    """
    return metadata.detect(front, (None, None), tail=tail)
