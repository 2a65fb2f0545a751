"""Remove inserted junk from a corrupted translation and normalise its text.

The corruption this undoes: clusters of one to four characters inserted at
random positions, drawn from an alphabet of non-ASCII symbols (Greek letters,
arrows, currency signs, suits, maths operators...) and a few ASCII characters
(``" & < > $ '`` and the space). See :mod:`kb.noise` for the measured model.

The repair is a small noisy-channel decoder:

1. Every non-ASCII *symbol* is noise and is dropped, leaving a "scar" where it
   was. Letters of the Latin and CJK scripts, dashes, brackets and typographic
   quotes are kept, so real accented words and Chinese numerals survive.
2. HTML entities broken by the noise (``&apo∞•s;``, ``& apos;``) are repaired.
3. The ASCII characters that the noise can also produce are *suspects*. For
   each group of nearby suspects every keep/delete combination is scored:
   a channel cost (a suspect touching a scar is junk about half the time; a
   lone one rarely is) plus the unigram log-probability of the words that
   result (:class:`kb.wordmodel.WordModel`). The best combination wins, so
   "Rura l" becomes "Rural" while "in to" stays two words.
4. Double quotes that are left without a partner in their paragraph are junk.

A text with no noise symbols at all is *not* corrupted and is only normalised:
clean text passes through unchanged, and cleaning is idempotent.

The work is linear in the text: words are read at most ``MAX_TOKEN_REACH``
characters around a group of suspects, and at most ``MAX_JOINT`` suspects are
decided jointly. A text built to make even that expensive (every group ten
suspects long) is refused with :class:`TooCostly` once it overspends a work
budget, counted in characters scored, so it can never hang a build.
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache

from kb.errors import KnowledgeBaseError
from kb.wordmodel import WordModel

#: ASCII characters the noise alphabet shares with real text.
SUSPECT_ASCII = frozenset("\"&<>$' ")

#: A text is treated as corrupted when at least this share of its characters are noise symbols.
NOISE_DENSITY = 1 / 400
MIN_DISTINCT_SYMBOLS = 3

_LOG_HALF = math.log(0.5)
#: A space touched by noise is usually the real gap between two words: a cluster lands
#: beside one of the ~1 in 6 characters that are spaces far more often than it brings one.
SCARRED_SPACE_DELETE = math.log(1 / 8)
SCARRED_SPACE_KEEP = math.log(7 / 8)
#: Log-odds cost of deleting a suspect that no noise symbol touches (a pure-ASCII cluster is rare).
UNSCARRED_DELETE = -9.0
#: Cost of keeping a character that real prose (almost) never has in that position.
IMPLAUSIBLE = -20.0
#: Runs with more suspects than this are decided one suspect at a time.
MAX_JOINT = 10
MAX_SWEEPS = 4
#: How far, in characters, the words around a run are read on each side when scoring its repairs.
#: Reading a junk "word" as long as the text whole for every run in it made cleaning quadratic. Real
#: words are far shorter: 64 changes no decision on the seeds or the accuracy corpora, even corrupted
#: at eight times the real density (32 does).
MAX_TOKEN_REACH = 64
#: Work budget of the decoder, in characters of candidate text scored (each combination of a run's
#: suspects costs its window plus ``WORK_PER_COMBINATION``), per character of input read so far, plus a
#: floor (about a tenth of a second) for local bursts. Corrupted prose costs 3-6 per character, text with
#: a junk cluster before every character ~90; text built so that every run is ten suspects long, or one
#: endless word, costs hundreds to thousands and is refused as soon as it has overspent, not at its end.
WORK_PER_CHAR = 100
WORK_FLOOR = 500_000
#: The cost of one combination beyond the characters of its window, in the same units.
WORK_PER_COMBINATION = 16
#: Token scores remembered while decoding; the memo is emptied when it grows past this (bounded memory).
TOKEN_MEMO_SIZE = 200_000
#: Longest quoted phrase, in characters, that the quote pairing accepts.
MAX_QUOTE_SPAN = 160

_LEAD = "\"'(["
_TRAIL = "\"').,;:!?]"
#: Symbols that stand between spaces in real prose ("5G + industry", "R & D").
_LONE_SYMBOLS = frozenset({"+", "&", "-", "–", "—", "/", "%", "=", "*"})
_GLUED = re.compile(r"[a-z][A-Z]")
_LONE_AMPERSAND = re.compile(r"(?<![A-Z])&|&(?![A-Z])")  # "R&D" and "AT&T" keep theirs
#: Entities that English text really carries. HTML knows ~2000 names ("&it;", "&image;"),
#: and junk "&" glued to a word and a ";" would otherwise decode into stray symbols.
_ENTITY_NAMES = "amp lt gt quot apos nbsp ndash mdash hellip lsquo rsquo ldquo rdquo laquo raquo".split()
_ENTITY = re.compile(rf"&(#\d{{1,7}}|#[xX][0-9a-fA-F]{{1,6}}|{'|'.join(_ENTITY_NAMES)});")
_KNOWN_ENTITY_NAMES = frozenset(f"{name};" for name in _ENTITY_NAMES)


@lru_cache(maxsize=4096)
def is_noise_symbol(ch: str) -> bool:
    """True for a non-ASCII character that cannot belong to English (or Chinese) prose."""
    if ch < "\x80":
        return False
    cat = unicodedata.category(ch)
    if cat[0] in "ZM" or cat in ("Pd", "Pi", "Pf", "Ps", "Pe"):
        return False
    name = unicodedata.name(ch, "")
    if name.startswith(("LATIN", "CJK", "IDEOGRAPHIC", "FULLWIDTH", "HALFWIDTH")):
        return False
    return True


_INSIDE_WORD = re.compile(r"[A-Za-z]\x00+[A-Za-z]")
_JUNK_AROUND_SYMBOL = re.compile(r"[\"&<>$']*\x00[\"&<>$']*")


def noise_density(text: str) -> float:
    if not text:
        return 0.0
    # Each distinct character judged once (a text has a few hundred), its occurrences counted in C.
    return sum(n for ch, n in Counter(text).items() if is_noise_symbol(ch)) / len(text)


def is_corrupted(text: str) -> bool:
    """Dense noise symbols that look inserted: varied (the noise draws from dozens of symbols)
    or inside words. A clean text's real symbols are few and beside words ("5°C", "€5")."""
    if noise_density(text) < NOISE_DENSITY:
        return False
    if sum(1 for c in set(text) if is_noise_symbol(c)) >= MIN_DISTINCT_SYMBOLS:
        return True
    marked = _JUNK_AROUND_SYMBOL.sub("\x00", "".join("\x00" if is_noise_symbol(c) else c for c in text))
    return _INSIDE_WORD.search(marked) is not None


def decode_entities(text: str) -> str:
    """Decode HTML entities (only the ``&name;`` form) until nothing changes."""
    for _ in range(5):
        decoded = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
        if decoded == text:
            break
        text = decoded
    return text


#: The space separators (Unicode category Zs: the space, no-break spaces, the typographic spaces, the ideographic
#: space) and the tab, each to one plain space. Written out, since asking ``unicodedata`` character by character
#: cost about 0.1 s per 1,000 sections of a build; tests/test_clean.py checks it against the Unicode tables.
SPACES = {
    ord(c): " "
    for c in "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
}


def normalize_whitespace(text: str) -> str:
    """One space between words, no trailing spaces, at most one blank line between paragraphs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(SPACES)
    lines = [re.sub(r" {2,}", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


class TooCostly(KnowledgeBaseError):
    """A text whose repair would cost more than the decoder's work budget (built to be expensive)."""


def clean(text: str) -> str:
    """Return ``text`` with inserted noise removed, entities decoded and whitespace normalised.

    Raises :class:`TooCostly` for a text whose repair would exceed the work budget.
    """
    if is_corrupted(text):
        text = _Decoder(text).run()
    return normalize_whitespace(decode_entities(text))


#: Least advantage of keeping a space over deleting it for :func:`_space_groups` to tie it to its neighbours
#: (every space has at least log(7/8) - log(1/8) = 1.95); a combination losing by this much cannot win.
SPACE_KEEP_MARGIN = 1.0


def _space_groups(chars: list[str], unit: list[tuple[int, float, float]], between: tuple[str, ...]) -> list[int]:
    """Sizes of the groups of a unit's suspects that are kept or deleted together, in order.

    ``chars`` are the unit's characters and ``between[k]`` the text kept just
    before the k-th of them. Words are scored on the text split at whitespace,
    so of adjacent spaces it only matters whether any is kept; and each space
    is cheaper kept than deleted, so keeping only some of them always scores
    below keeping all of them, by at least ``SPACE_KEEP_MARGIN``. Scoring
    adjacent spaces as one choice therefore finds the same best combination
    (ties broken in the same order) with far fewer combinations on runs of blanks.
    """
    sizes: list[int] = []
    joinable = False
    for k, (ch, (_, delete_cost, keep_cost)) in enumerate(zip(chars, unit, strict=True)):
        space = ch == " " and keep_cost - delete_cost >= SPACE_KEEP_MARGIN
        if space and joinable and between[k] == "":
            sizes[-1] += 1
        else:
            sizes.append(1)
        joinable = space
    return sizes


#: A unit's last decision, by its first suspect's position: the text around and between its suspects
#: when it was taken, and the choice (True = delete) per suspect.
_Decisions = dict[int, tuple[tuple[str, ...], tuple[bool, ...]]]


class _Decoder:
    def __init__(self, text: str) -> None:
        chars: list[str] = []
        scar = [False]
        for ch in text:
            if is_noise_symbol(ch):
                scar[-1] = True
            else:
                chars.append(ch)
                scar.append(False)
        self.chars = chars
        self.scar = scar  # scar[i]: a noise symbol stood just before chars[i]
        self.protected = [False] * len(chars)
        self.deleted = [False] * len(chars)
        self._repair_entities()
        self.model = WordModel(self._document_words())
        self._token_memo: dict[str, float] = {}
        self.spent = 0  # work done so far, against the budget of the text read so far
        self.reached = 0  # end of the furthest window scored

    # -- step 2 ---------------------------------------------------------------
    def _repair_entities(self) -> None:
        chars = self.chars
        n = len(chars)
        for i, ch in enumerate(chars):
            if ch != "&" or self.protected[i]:
                continue
            for j in range(i + 2, min(n, i + 16)):
                if chars[j] == ";":
                    inner = [k for k in range(i + 1, j) if chars[k] not in SUSPECT_ASCII]
                    name = "".join(chars[k] for k in inner) + ";"
                    if name in _KNOWN_ENTITY_NAMES or re.fullmatch(r"#\d{1,7};|#[xX][0-9a-fA-F]{1,6};", name):
                        for k in range(i, j + 1):
                            if k in inner or k in (i, j):
                                self.protected[k] = True
                            else:
                                self.deleted[k] = True
                    break
                if chars[j] == "\n":
                    break

    def _document_words(self) -> Counter[str]:
        """Words that stand intact in the document: no scar or suspect inside or beside them."""
        words: Counter[str] = Counter()
        for m in re.finditer(r"[A-Za-z0-9][A-Za-z0-9'-]*[A-Za-z0-9]", "".join(self.chars)):
            s, e = m.span()
            if any(self.scar[s : e + 1]):
                continue
            if s > 0 and self.chars[s - 1] not in " \n(":
                continue
            if e < len(self.chars) and self.chars[e] not in " \n,.;:)":
                continue
            for part in re.split(r"[-/]", m.group(0).lower()):
                words[re.sub(r"\d", "0", part)] += 1
        return words

    # -- step 3 ---------------------------------------------------------------
    def _is_suspect(self, i: int) -> bool:
        return self.chars[i] in SUSPECT_ASCII and not self.protected[i] and not self.deleted[i]

    def _runs(self) -> list[tuple[int, int, bool]]:
        """Maximal runs of consecutive suspects, and whether a noise symbol touches each."""
        runs = []
        i, n = 0, len(self.chars)
        while i < n:
            if not self._is_suspect(i):
                i += 1
                continue
            j = i
            while j + 1 < n and self._is_suspect(j + 1):
                j += 1
            runs.append((i, j, any(self.scar[i : j + 2])))
            i = j + 1
        return runs

    def _token_bounds(self, start: int, end: int) -> tuple[int, int]:
        """Extend [start, end] to whole tokens on both sides, as the text stands now (at most ``MAX_TOKEN_REACH``).

        A token ends at a space or line break that is not deleted.
        """
        chars, deleted = self.chars, self.deleted
        lo, floor = start, max(0, start - MAX_TOKEN_REACH)
        while lo > floor and (chars[lo - 1] not in " \n" or deleted[lo - 1]):
            lo -= 1
        hi, ceiling = end + 1, min(len(chars), end + 1 + MAX_TOKEN_REACH)
        while hi < ceiling and (chars[hi] not in " \n" or deleted[hi]):
            hi += 1
        return lo, hi

    def _neighbour_is_rare(self, i: int) -> bool:
        lo, hi = self._token_bounds(i, i)
        left = "".join(self.chars[lo:i]).strip(_LEAD + _TRAIL)
        right = "".join(self.chars[i + 1 : hi]).strip(_LEAD + _TRAIL)
        return any(
            w and (self.model.logp(w) < math.log(1e-6) or (len(w) == 1 and w not in "aAI" and not w.isdigit()))
            for w in (left, right)
        )

    def _char_penalty(self, i: int) -> float:
        """Cost of keeping suspect i, from what real prose puts in that position."""
        ch = self.chars[i]
        prev = self.chars[i - 1] if i > 0 else " "
        nxt = self.chars[i + 1] if i + 1 < len(self.chars) else " "
        if ch == " ":
            return 0.0
        if ch in "<>":
            return IMPLAUSIBLE
        if ch == "$":
            return 0.0 if nxt.isdigit() else IMPLAUSIBLE
        if ch == "&":
            return 0.0 if prev.isupper() and nxt.isupper() else IMPLAUSIBLE
        word_before, word_after = prev.isalnum(), nxt.isalnum()
        if ch == '"':
            if word_before and word_after:
                return IMPLAUSIBLE
            if prev in " \n(" and nxt in " \n":
                return IMPLAUSIBLE
            return 0.0
        # apostrophe
        if word_before and word_after:
            return 0.0
        if prev in " \n" and nxt in " \n":
            return IMPLAUSIBLE
        if word_before and prev in "sS":
            return -2.0  # a possessive plural ("farmers' lives") is real, but junk is likelier
        return -12.0

    def _token_score(self, tok: str) -> float:
        score = self._token_memo.get(tok)
        if score is None:
            if len(self._token_memo) >= TOKEN_MEMO_SIZE:
                self._token_memo.clear()
            score = self._token_memo[tok] = self._score_token(tok)
        return score

    def _score_token(self, tok: str) -> float:
        core = tok.lstrip(_LEAD).rstrip(_TRAIL)
        if not any(c.isalnum() for c in tok):
            return -3.0 if tok in _LONE_SYMBOLS else -8.0
        if not core:
            return -8.0
        score = -30.0 * (sum(1 for c in core if c in '"<>$') + len(_LONE_AMPERSAND.findall(core)))
        if not (core[0].isalnum() and core[-1].isalnum()):
            score -= 6.0
        if _GLUED.search(core) and not self.model.known(core):
            score -= 6.0  # "ofIPv6", "3rdPlenary": a word glued to the next one
        if len(core) == 1 and core not in "aAI" and not core.isdigit():
            score -= 4.0
        return score + self.model.logp(core)

    def _kept_text(self, lo: int, hi: int) -> str:
        return "".join(c for c, d in zip(self.chars[lo:hi], self.deleted[lo:hi], strict=True) if not d)

    def _best_choice(
        self, unit: list[tuple[int, float, float]], chars: list[str], between: tuple[str, ...], groups: list[int]
    ) -> tuple[bool, ...]:
        """The best-scoring combination (True = delete) of a unit's suspects; the first of equals wins.

        A depth-first walk over the combinations in :func:`itertools.product`
        order (keep before delete): the text and score built for a prefix of
        choices are shared by every combination that starts with it, and a word
        is scored as soon as a blank ends it. The sums are added in the same
        order as scoring each combination's whole window would add them, so
        the result is the same.
        """
        best_score = -math.inf
        best: tuple[bool, ...] = ()

        def visit(group: int, k: int, channel: float, done: float, pending: str, choice: tuple[bool, ...]) -> None:
            nonlocal best_score, best
            if group == len(groups):
                score = channel + (done + self._token_score(pending) if pending else done)
                if score > best_score + 1e-9:
                    best_score, best = score, choice
                return
            size = groups[group]
            for d in (False, True):
                c, w, p = channel, done, pending
                for j in range(k, k + size):
                    _, delete_cost, keep_cost = unit[j]
                    c += delete_cost if d else keep_cost
                    if not d:
                        w, p = self._extend(w, p, chars[j])
                    w, p = self._extend(w, p, between[j + 1])
                visit(group + 1, k + size, c, w, p, choice + (d,) * size)

        done, pending = self._extend(0, "", between[0])
        visit(0, 0, 0, done, pending, ())
        return best

    def _extend(self, done: float, pending: str, more: str) -> tuple[float, str]:
        """Append ``more`` to the word being built; add the score of each word a blank completes."""
        if not more:
            return done, pending
        text = pending + more
        words = text.split()
        if len(words) == 1 and len(words[0]) == len(text):
            return done, text
        last = "" if text[-1].isspace() else words.pop()
        for word in words:
            done += self._token_score(word)
        return done, last

    def _spend(self, work: int, reached: int) -> None:
        """Count work done on the text up to ``reached``; refuse the text once that part has overspent."""
        self.spent += work
        self.reached = max(self.reached, reached)
        if self.spent > WORK_PER_CHAR * self.reached + WORK_FLOOR:
            raise TooCostly(
                f"too costly to clean: dense runs of junk characters (over the decoder's budget of {WORK_PER_CHAR} "
                "work units per character)"
            )

    def _decide_runs(self) -> None:
        """Decide each run of suspects given the current state of its neighbours, until stable.

        Deciding a run alone, with the rest of the text as it stands, keeps the
        search small; repeating the sweep lets a decision see its neighbours'
        repairs (a split word two tokens away is mended by the time it matters).
        """
        units: list[list[tuple[int, float, float]]] = []
        for start, end, scarred in self._runs():
            # A character that prose never has there is evidence of a cluster, like a scar.
            scarred = scarred or any(self._char_penalty(i) <= IMPLAUSIBLE for i in range(start, end + 1))
            active = []
            for i in range(start, end + 1):
                keep = self._char_penalty(i)
                if scarred and self.chars[i] == " ":
                    active.append((i, SCARRED_SPACE_DELETE, SCARRED_SPACE_KEEP))
                elif scarred:
                    active.append((i, _LOG_HALF, _LOG_HALF + keep))
                elif self.chars[i] != " " or self._neighbour_is_rare(i):
                    active.append((i, UNSCARRED_DELETE, keep))
            if active:
                units.append(active)
        for unit in units:
            for i, delete_cost, keep_cost in unit:
                self.deleted[i] = delete_cost > keep_cost
        decided: _Decisions = {}
        for _ in range(MAX_SWEEPS):
            changed = False
            for unit in units:
                changed |= self._decide(unit, decided)
            if not changed:
                break

    def _decide(self, unit: list[tuple[int, float, float]], decided: _Decisions) -> bool:
        """Keep or delete each suspect of ``unit``: the combination scoring best with the words around it.

        Only characters outside the unit bound its window, so the window and
        the text between the unit's suspects are the same for every
        combination; they are read once. When they are what they were at the
        unit's last decision (its neighbours' repairs did not reach it), that
        decision stands without being scored again. Adjacent spaces are kept or
        deleted together (:func:`_space_groups`), which leaves out only
        combinations that cannot win.
        """
        if len(unit) > MAX_JOINT:
            return any([self._decide([item], decided) for item in unit])
        positions = [i for i, _, _ in unit]
        before = tuple(self.deleted[i] for i in positions)
        lo, hi = self._token_bounds(positions[0], positions[-1])
        edges = [lo - 1, *positions, hi]
        between = tuple(self._kept_text(a + 1, b) for a, b in zip(edges, edges[1:], strict=False))
        memo = decided.get(positions[0])
        if memo is not None and memo[0] == between:
            best_choice = memo[1]
        else:
            chars = [self.chars[i] for i in positions]
            groups = _space_groups(chars, unit, between)
            self._spend(((hi - lo) + WORK_PER_COMBINATION) << len(groups), hi)
            best_choice = self._best_choice(unit, chars, between, groups)
            decided[positions[0]] = (between, best_choice)
        for i, d in zip(positions, best_choice, strict=True):
            self.deleted[i] = d
        return best_choice != before

    # -- step 4 ---------------------------------------------------------------
    def _drop_unpaired_quotes(self) -> None:
        """Pair double quotes within each paragraph; a quote without a partner is junk.

        Quoted phrases in prose are short, so an opening quote whose closing
        partner is more than ``MAX_QUOTE_SPAN`` characters away (or that is
        followed by another opening quote first) was inserted by the noise.
        """
        kept = [i for i in range(len(self.chars)) if not self.deleted[i]]
        open_at: int | None = None
        for pos, i in enumerate(kept):
            ch = self.chars[i]
            if ch == "\n" and (open_at is None or i - open_at > MAX_QUOTE_SPAN):
                if open_at is not None:
                    self.deleted[open_at] = True
                open_at = None
                continue
            if ch != '"' or self.protected[i]:
                continue
            prev = self.chars[kept[pos - 1]] if pos > 0 else " "
            opening = not prev.isalnum() and prev not in ".,;:!?)]"
            if opening:
                if open_at is not None:
                    self.deleted[open_at] = True
                open_at = i
            elif open_at is not None and i - open_at <= MAX_QUOTE_SPAN:
                open_at = None
            else:
                self.deleted[i] = True
                if open_at is not None:
                    self.deleted[open_at] = True
                open_at = None
        if open_at is not None:
            self.deleted[open_at] = True

    def run(self) -> str:
        self._decide_runs()
        self._drop_unpaired_quotes()
        return "".join(c for c, d in zip(self.chars, self.deleted, strict=True) if not d)
