"""Ranked full-text search over section chunks, and the lists of notices: what the CLI and the web share.

Knows nothing of terminals or HTTP, and builds no links: results carry ids
(notice, translation, section), and each interface turns them into what it
shows. A :class:`KnowledgeBase` wraps one published index build;
:func:`open_kb` returns one that follows rebuilds.
"""

from __future__ import annotations

import heapq
import re
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import islice
from operator import itemgetter, neg
from pathlib import Path

from whoosh import collectors
from whoosh import index as whoosh_index
from whoosh import query as wq

from kb import index as kb_index
from kb import integrity, segment, semantic
from kb.catalog import Catalog
from kb.columns import column_values
from kb.coverage import COORD_POWER, Coverage, Match, word_weights
from kb.errors import IndexUnavailable, InvalidRequest, KnowledgeBaseError, NotFound, SectionMissing
from kb.filters import FACET_KEYS, Filters, Paged, notice_facets
from kb.language import CHINESE, ENGLISH, is_chinese, language_group
from kb.models import Chunk, Notice, Section, SectionId, Translation
from kb.query import ALL_TEXT_FIELDS, Budget, Completion, Near, PreparedQuery, QueryError, prepare
from kb.scoring import Kept, LengthCachedBM25F, accumulate, add_near, preloaded, split_requirement, sum_clauses
from kb.snippets import Snippet, make_snippet, stem_tokens
from kb.spelling import Speller

MAX_LIMIT = 100
MAX_OFFSET = 10_000
#: CPU budget of one whole search: corrections, expansions, collecting, snippet terms. The work caps of
#: kb.query keep an ordinary search far below it (milliseconds); it is the backstop for the work they cannot
#: foresee. Counted in the searching thread's own CPU time (time.thread_time), not wall time, so a search
#: waiting for the one searcher, or for the interpreter while other requests run, is never cut short by their
#: load. Checked between steps and between matches, so it works in any thread (no signals, no timer thread).
TIME_LIMIT = 0.5
#: The clock of a search's budget: the CPU time of the thread that runs it.
SEARCH_CLOCK = time.thread_time
#: How many chunk hits are ranked and grouped into section results (the relevance order reaches this far;
#: totals, facets and the date order count every match).
MAX_CANDIDATES = 1000
#: A section matched in a second translation gains this share of that translation's score.
SECOND_TRANSLATION_WEIGHT = 0.3
CITED_BOOST = 1000.0
#: Chunks whose stemmed tokens are kept for their next snippet. Stemming a section's text costs about a
#: millisecond and popular sections come back often; without a bound a long-running site would keep the
#: tokens of every section it ever showed (the whole corpus, in time).
MAX_KEPT_TOKENS = 2048
#: A Latin letter: what makes a query (or part of it) English for :func:`query_language`.
_LATIN = re.compile(r"[A-Za-z]")
#: Orders of results: by relevance (the default), or newest notice first.
SORTS = ("relevance", "date")


@dataclass
class Hit:
    """One result: a section of a notice, as the translation that matched it best has it."""

    chunk: Chunk
    notice: Notice
    score: float
    snippet: Snippet
    #: Every translation in which the query matched this section, best first.
    matched_in: list[str] = field(default_factory=list)
    cited: bool = False
    #: Which words of a plain query the section has and lacks, and synonyms that stood in (None: not a plain query).
    match: Match | None = None
    #: The parts of its score by signal, e.g. {"lexical": 0.6, "semantic": 0.2} (None: lexical ranking only).
    contributions: dict[str, float] | None = None
    #: Why it ranked where it did, signal by signal (``search(explain=True)``; see :func:`_explain`).
    explanation: dict[str, float] | None = None
    #: The notice's versions in the query's language whose words found this one, when it is in another language
    #: (an English query finds a Chinese original's section through its translation: kb.alignment); else empty.
    through: list[str] = field(default_factory=list)

    @property
    def section(self) -> SectionId:
        return self.chunk.section

    @property
    def translation(self) -> Translation:
        found = self.notice.translation(self.chunk.translation)
        assert found is not None  # the catalog and the index are one build
        return found

    @property
    def title(self) -> str | None:
        return self.chunk.title

    @property
    def also_in(self) -> list[str]:
        """The notice's other translations that have this section."""
        return sorted(self.chunk.counterparts)

    @property
    def citation(self) -> str:
        return self.notice.citation(self.section, self.translation)

    def to_json(self) -> dict:
        labels = {t.name: t.label for t in self.notice.translations}
        return {
            "notice": self.notice.id,
            "notice_title": self.notice.title,
            "number": self.notice.number,
            "date": self.notice.date,
            "section": self.section,
            "section_label": self.section.display,
            "translation": self.chunk.translation,
            "translation_label": labels.get(self.chunk.translation, self.chunk.translation),
            "title": self.chunk.title,
            "parent_title": self.chunk.parent_title,
            "snippet": self.snippet.plain,
            "snippet_html": self.snippet.html,
            "highlights": [list(span) for span in self.snippet.spans],
            "score": round(self.score, 4),
            "also_in": self.also_in,
            "also_in_labels": {name: labels.get(name, name) for name in self.also_in},
            "through": self.through,
            "language": self.translation.language,
            "citation": self.citation,
            "match": self.match.to_json() if self.match else None,
            **({"explain": {k: round(v, 4) for k, v in self.explanation.items()}} if self.explanation else {}),
        }


@dataclass
class SearchResult(Paged):
    query: str
    total: int
    hits: list[Hit]
    #: A spelling correction not applied (the query was searched as typed): "did you mean".
    suggestion: str | None
    #: Counts over every match (not only this page), by facet key (kb.filters.FACET_KEYS) and value.
    facets: dict[str, dict[str, int]]
    limit: int
    offset: int
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    fallback: bool = False
    #: The search's deadline passed: results (or corrections, expansions) may be incomplete.
    timed_out: bool = False
    #: A work cap left part of the query undone (words dropped, not spell-checked, or not expanded).
    truncated: bool = False
    #: What was cut, one line each for a person ("only the first 3 unknown words were checked for spelling").
    warnings: list[str] = field(default_factory=list)
    #: The query as searched, when misspelt words were searched as their corrections ("showing results for").
    corrected: str | None = None
    #: The query cites a section that some notice (within the filters) lacks in every translation, or that no
    #: notice has at all: what to say instead of "check the spelling".
    missing_citation: MissingCitation | None = None
    #: The last word, being typed, matched as a prefix (``search(prefix=True)``); None when nothing was added.
    completed: Completion | None = None

    @property
    def shown(self) -> int:
        return len(self.hits)

    def to_json(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "corrected": self.corrected,
            "suggestion": self.suggestion,
            "results": [h.to_json() for h in self.hits],
            "facets": self.facets,
            "filters": self.filters.active(),
            "sort": self.sort,
            "limit": self.limit,
            "offset": self.offset,
            "has_more": self.has_more,
            "fallback": self.fallback,
            "timed_out": self.timed_out,
            "truncated": self.truncated,
            "warnings": self.warnings,
            "missing_citation": self.missing_citation.to_json() if self.missing_citation else None,
            "prefix": self.prefix_json(),
        }

    def prefix_json(self) -> dict | None:
        """The word matched as a prefix and the words of the index it stood for, or None."""
        c = self.completed
        if c is None:
            return None
        return {"word": c.word, "words": [w for w in c.words or () if w != c.word] if c.words is not None else None}


@dataclass(frozen=True)
class MissingCitation:
    """A cited section that is not there: which notices' numbering implies it though none of their translations
    has it (none listed: no notice numbers a section so)."""

    section: SectionId
    notices: tuple[Notice, ...] = ()

    def to_json(self) -> dict:
        return {"section": self.section, "section_label": self.section.display, "notices": [n.id for n in self.notices]}


@dataclass
class NoticeList(Paged):
    """One page of the notices held, newest first, with counts by issuing body, year and type."""

    notices: list[Notice]
    total: int
    limit: int
    offset: int
    facets: dict[str, dict[str, int]]
    filters: Filters = field(default_factory=Filters)

    @property
    def shown(self) -> int:
        return len(self.notices)

    def to_json(self) -> dict:
        return {
            "notices": [n.summary() for n in self.notices],
            "total": self.total,
            "limit": self.limit,
            "offset": self.offset,
            "has_more": self.has_more,
            "facets": self.facets,
            "filters": self.filters.active(),
        }


def newest_first(notice: Notice) -> tuple:
    """Sort key: dated notices newest first, then undated ones; ties by id."""
    return (notice.date is None, "" if notice.date is None else _descending(notice.date), notice.id)


def _descending(date: str) -> str:
    """A key that orders ISO dates newest first under an ascending sort."""
    return "".join(chr(0x10FFFF - ord(c)) for c in date)


class KnowledgeBase:
    """One index build: the Whoosh index and the catalog of notices beside it."""

    def __init__(self, build_dir: Path) -> None:
        # Checked before Whoosh unpickles anything: see kb.integrity for the threat model.
        self.seal = integrity.verify(build_dir)
        self.build_dir = build_dir
        try:
            self.ix = whoosh_index.open_dir(str(build_dir))
            # the listing only: outlines and texts are read per request (kb.catalog)
            self.catalog = Catalog.load(build_dir)
        except IndexUnavailable:
            raise
        except Exception as e:  # files that passed the checks but still cannot be read
            raise integrity.DamagedIndex(build_dir, f"unreadable: {type(e).__name__}") from None
        self.stamp = self.seal.stamp(build_dir)
        self._intact_stamp: tuple | None = None
        self._english: frozenset[str] | None = None
        self.speller = Speller(build_dir)  # opened on the first query with an unknown word
        self._tokens: OrderedDict[str, list[tuple[int, int, str]]] = OrderedDict()
        self._by_date = sorted(self.catalog.notices, key=newest_first)
        self._date_rank = {n.id: k for k, n in enumerate(self._by_date)}  # the date order of results
        self._layout: _Layout | None = None
        self._chinese_docs: frozenset[int] | None = None  # see _english_texts
        self._columns_lock = threading.Lock()
        self._searcher = None
        self._searcher_lock = threading.Lock()
        self._closed = False

    @contextmanager
    def searcher(self) -> Iterator:
        """The build's one Whoosh searcher, held by one search at a time.

        Opening a searcher loads the segment into memory (about 34 MB at
        10,000 sections, and several milliseconds), so one per search made
        memory grow with the requests in flight. Whoosh's readers seek and
        read shared files, so a searcher is not used by two threads at once;
        with the interpreter's lock, searches would not run in parallel
        anyway. A search's budget counts its own CPU time, so waiting here
        costs it nothing.
        """
        with self._searcher_lock:
            if self._closed:  # a request that took this build just before a newer one replaced it
                with self.ix.searcher(weighting=LengthCachedBM25F()) as own:
                    yield own
                return
            if self._searcher is None:
                self._searcher = self.ix.searcher(weighting=LengthCachedBM25F())
            yield self._searcher

    def close(self) -> None:
        """Close the searcher (after the search using it, if any); called when a newer build replaces this one."""
        with self._searcher_lock:
            self._closed = True
            self.speller.close()
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    def layout(self, reader) -> _Layout:
        """Notice, section and translation of every document, by document number: read once per build.

        A search needs three columns for every match and one for each hit
        shown, so they are read whole into lists (kb.columns) the first time.
        """
        with self._columns_lock:
            if self._layout is None:
                self._layout = _Layout(*(column_values(reader, name) for name in ("notice", "section", "translation")))
            return self._layout

    def english_words(self) -> frozenset[str]:
        """Common English words (loaded on first use: only queries with unknown words need them)."""
        if self._english is None:
            path = self.build_dir / kb_index.ENGLISH
            words = path.read_text(encoding="utf-8").split() if path.is_file() else []
            self._english = frozenset(words)
        return self._english

    # -- reading ---------------------------------------------------------------
    @property
    def notices(self) -> list[Notice]:
        """Every notice, newest first, as the catalog lists them (outlines read on use: see kb.catalog)."""
        return self._by_date

    def notice(self, notice_id: str | None = None) -> Notice:
        """The notice called ``notice_id`` with its outlines; without an id, the only notice (an error when there
        are several)."""
        if notice_id is None:
            if len(self.notices) != 1:
                raise InvalidRequest(f"say which notice: the knowledge base holds {len(self.notices)}")
            notice_id = self.notices[0].id
        found = self.catalog.notice(notice_id)
        if found is None:
            raise NotFound(f"there is no notice {notice_id!r}")
        return found

    def translation(self, notice: Notice, name: str) -> Translation:
        found = notice.translation(name)
        if found is None:
            known = ", ".join(t.name for t in notice.translations)
            raise NotFound(f"notice {notice.id!r} has no translation {name!r} (it has: {known})")
        return found

    def section(self, notice: Notice, translation: Translation, section: str) -> Section:
        """A section of a translation; :class:`NotFound` saying why when it lacks it."""
        section_id = parse_section(section)
        found = translation.section(section_id)
        if found is None:
            elsewhere = notice.having(section_id)
            if not elsewhere:
                where = "is not in any translation of this notice"
            else:
                verb = "has" if len(elsewhere) == 1 else "have"
                where = (
                    f"is not in the {translation.label}; the {' and the '.join(t.label for t in elsewhere)} {verb} it"
                )
            names = tuple(t.name for t in elsewhere)
            raise SectionMissing(f"section {section_id.display} {where}", notice.id, section_id, names)
        return found

    def markdown(self, notice: Notice, translation: Translation) -> str:
        """The translation's canonical Markdown, read from the catalog for each call (it is not kept)."""
        return self.catalog.markdown(notice.id, translation.name)

    def filters(self, **values: str | None) -> Filters:
        """Filters from text, checked against the notices held (see :meth:`kb.filters.Filters.parse`)."""
        return Filters.parse(values, self.catalog.notices)

    def list_notices(self, filters: Filters | None = None, limit: int = 20, offset: int = 0) -> NoticeList:
        """The notices that meet ``filters``, newest first, one page of them, with facet counts over all.

        As in a search, each facet counts the notices that meet every *other*
        filter: a chosen issuing body still lists the others, each with the
        number of notices choosing it instead would list.
        """
        _check_paging(limit, offset)
        filters = filters or Filters()
        chosen = [n for n in self.notices if filters.admits(n)]
        by_id = self.catalog.by_id
        facets = {}
        for key in ("issuer", "year", "type"):
            others = replace(filters, **{key: None})
            counts = Counter(n.id for n in self.notices if others.admits(n))
            facets[key] = notice_facets(counts, by_id)[key]
        return NoticeList(chosen[offset : offset + limit], len(chosen), limit, offset, facets, filters)

    # -- searching -------------------------------------------------------------
    def search(
        self,
        text: str,
        limit: int = 10,
        offset: int = 0,
        filters: Filters | None = None,
        sort: str = "relevance",
        group: bool = True,
        correct: bool = True,
        prefix: bool = False,
        explain: bool = False,
    ) -> SearchResult:
        """Ranked sections for a query; see the module docs of :mod:`kb.query` for the syntax.

        Misspelt words are searched as their corrections (``corrected`` says
        so); with ``correct`` off the query is searched as typed, and a
        correction is only suggested (``suggestion``). ``prefix``: the query's
        last word is still being typed (live results), so it also matches the
        words that begin with it (:func:`kb.query.prefix_last`). ``explain``
        gives each result its score signal by signal (``Hit.explanation``).
        """
        try:
            return self._search(text, limit, offset, filters or Filters(), sort, group, correct, prefix, explain)
        except KnowledgeBaseError:
            raise
        except Exception:
            self.check_intact()  # damage found only now (inside the lazily read segment) is a 503, not a bug
            raise

    def match_terms(self, text: str) -> set[str]:
        """The stems a result's snippet marks for the query ``text``: corrections, synonyms and prefixes included.

        A reading page opened from a result marks these, so that it shows the
        words the snippet showed (the query's own stems miss "satellite" for
        "satelite", "internet of things" for "IoT"). Unsearchable text marks
        nothing.
        """
        segment.load_for(text)
        with self.searcher() as searcher:
            budget = Budget(TIME_LIMIT, clock=SEARCH_CLOCK)
            try:
                prepared = prepare(text, searcher, self.english_words, budget, speller=self.speller)
            except (QueryError, KnowledgeBaseError):
                return set()
            return _match_terms(prepared.query, searcher)

    def check_intact(self) -> None:
        """Raise :class:`~kb.integrity.DamagedIndex` if any file of this build is not the one sealed.

        Called when a search fails unexpectedly. Reading every file costs about
        a millisecond per megabyte, so a build found intact is not read again
        until its files change (a query that keeps failing is then a bug).
        """
        stamp = self.seal.stamp(self.build_dir)
        if stamp != self._intact_stamp:
            integrity.verify(self.build_dir, full=True)
            self._intact_stamp = stamp

    def _english_texts(self, searcher, allowed: set[int] | None) -> set[int] | None:
        """``allowed`` without the build's Chinese texts: those search by meaning may add for an English query.

        The model of search by meaning is English only; what it makes of
        Chinese text is noise, and would bring Chinese sections that share no
        word with the query into its results. Their documents are found once
        per build, from the layout and the catalog's languages."""
        if self._chinese_docs is None:
            layout = self.layout(searcher.reader())
            chinese = {(n.id, t.name) for n in self.catalog.notices for t in n.translations if is_chinese(t.language)}
            pairs = zip(layout.notice, layout.translation, strict=True)
            self._chinese_docs = frozenset(d for d, pair in enumerate(pairs) if pair in chinese)
        if not self._chinese_docs:
            return allowed
        if allowed is None:
            return set(range(searcher.doc_count_all())) - self._chinese_docs
        return allowed - self._chinese_docs

    def _allowed(self, searcher, filters: Filters) -> set[int] | None:
        """The documents the filters allow (None: no filter), gathered from the build's layout.

        Asking the index (an ``Or`` of a ``notice`` term per admitted notice)
        walked a union of hundreds of posting lists per search: 60 ms at
        10,000 sections for an issuing body's 150 notices. The layout has
        every document's notice and translation already.
        """
        if not filters.on_notices and filters.translation is None:
            return None
        layout = self.layout(searcher.reader())
        allowed: set[int] | None = None
        if filters.on_notices:
            by_notice = layout.documents_by("notice")
            allowed = set().union(*(by_notice.get(n.id, ()) for n in self.catalog.notices if filters.admits(n)))
        if filters.translation is not None:
            named = set(layout.documents_by("translation").get(filters.translation, ()))
            allowed = named if allowed is None else allowed & named
        return allowed

    def _search(
        self,
        text: str,
        limit: int,
        offset: int,
        filters: Filters,
        sort: str,
        group: bool,
        correct: bool = True,
        prefix: bool = False,
        explain: bool = False,
    ) -> SearchResult:
        _check_paging(limit, offset)
        if sort not in SORTS:
            raise InvalidRequest(f"sort must be one of: {', '.join(SORTS)}")
        segment.load_for(text)  # once per process, before the search's time allowance starts
        with self.searcher() as searcher:
            budget = Budget(TIME_LIMIT, clock=SEARCH_CLOCK)  # one deadline for the whole search, before parsing
            allowed = self._allowed(searcher, filters)
            try:
                prepared = prepare(
                    text, searcher, self.english_words, budget, speller=self.speller, correct=correct, prefix=prefix
                )
                prepared, found = self._run(searcher, prepared, allowed)
                if not any(segment.has_han(w.text) for w in prepared.words):  # the model reads English only
                    semantic.blend(self, searcher, prepared, found, self._english_texts(searcher, allowed))
            except QueryError as e:
                raise InvalidRequest(str(e)) from None
            missing = None
            if prepared.citation:
                self._put_first(searcher, prepared.citation, found, allowed)
                missing = self._missing_citation(searcher, prepared.citation, filters)
            terms = _match_terms(prepared.query, searcher)
            layout = self.layout(searcher.reader())
            units = _Units(layout, found.matched, group)
            if sort == "date":
                order = self._date_rank
                keys = units.ordered(lambda key: (order[key[0]], _section_key(key[1]), key[2]))
                page = units.groups(keys[offset : offset + limit], found.candidates)
            else:
                page = _group(found.candidates, units)[offset : offset + limit]
            if found.coverage is not None:  # the results shown say which words they have: looked up together
                found.coverage.look_up({docs[0][1] for _, docs in page})
            script = query_language(prepared.text)
            hits = [self._hit(searcher, docs, terms, prepared.citation, found.coverage, script) for _, docs in page]
            for hit, (_, docs) in zip(hits, page, strict=True):
                hit.contributions = found.contributions.get(docs[0][1])
                if explain:
                    hit.explanation = _explain(found, docs, hit.score)
            if allowed is None:
                facets = notice_facets(units.per_notice(), self.catalog.by_id)
                facets["translation"] = units.per_translation()
            else:
                facets = self._facets(_Units(layout, found.everything, group), filters)
        return SearchResult(
            query=text,
            total=units.total,
            hits=hits,
            suggestion=prepared.suggestion,
            corrected=prepared.corrected,
            facets=facets,
            limit=limit,
            offset=offset,
            filters=filters,
            sort=sort,
            fallback=prepared.fallback,
            timed_out=budget.timed_out,
            truncated=budget.truncated,
            warnings=list(budget.notes),
            missing_citation=missing,
            completed=_widened(prepared.completed),
        )

    def _facets(self, units: _Units, filters: Filters) -> dict[str, dict[str, int]]:
        """Facet counts when filters are set: each facet over the matches that meet every *other* filter.

        So a facet keeps showing its other values once one is chosen (the
        translation facet still offers the other translation), and each count
        is the total that choosing that value instead would give. The matches
        are counted once per notice and translation; each facet then works
        over notices, not over matches.
        """
        notices = self.catalog.by_id
        per_notice = units.per_notice()
        per_translation = units.per_notice_and_translation()
        facets: dict[str, dict[str, int]] = {}
        for key in FACET_KEYS:
            others = replace(filters, **{key: None})
            admitted = {i for i in per_notice if others.admits(notices[i])}
            if key == "translation":
                counts: Counter[str] = Counter()
                for (i, name), n in per_translation.items():
                    if i in admitted:
                        counts[name] += n
                facets[key] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
                continue
            if others.translation is None:
                kept = Counter({i: per_notice[i] for i in admitted})
            else:
                kept = Counter({i: per_translation.get((i, others.translation), 0) for i in admitted})
            facets[key] = notice_facets(+kept, notices)[key]
        return facets

    def _put_first(self, searcher, cited: SectionId, found: _Found, allowed: set[int] | None) -> None:
        """A cited section goes first; citing "7" brings 7's own text and its subsections, in order."""
        docs = set(searcher.document_numbers(section=cited))
        if cited.sub is None:
            docs.update(searcher.document_numbers(top=cited))
        found.everything.update(docs)
        if allowed is not None:
            docs &= allowed
        sections = self.layout(searcher.reader()).section
        ranked = sorted(docs, key=lambda d: (_section_key(sections[d]), d))
        for rank, docnum in enumerate(ranked):
            found.candidates[docnum] = found.candidates.get(docnum, 0.0) + CITED_BOOST - rank
            found.cited[docnum] = CITED_BOOST - rank
        found.matched.update(ranked)

    def _missing_citation(self, searcher, cited: SectionId, filters: Filters) -> MissingCitation | None:
        """The notices the filters admit whose numbering has ``cited`` but none of whose translations do.

        Both sides come from stores already at hand (the catalog's highest
        numbers, the index's documents of that section), so no outline is read.
        """
        implied = [n for n in self.catalog.with_section(cited) if filters.admits(n)]
        notice_of = self.layout(searcher.reader()).notice
        have = {notice_of[d] for d in searcher.document_numbers(section=cited)}
        lacking = tuple(n for n in implied if n.id not in have)
        if lacking or not any(filters.admits(self.catalog.by_id[i]) for i in have if i in self.catalog.by_id):
            return MissingCitation(cited, lacking)
        return None

    def _run(self, searcher, prepared: PreparedQuery, allowed: set[int] | None) -> tuple[PreparedQuery, _Found]:
        """Collect the query's hits; a query Whoosh fails to execute is searched as its plain words instead.

        Whoosh's parser accepts combinations its matchers then trip over (an
        IndexError deep in a matcher); for the user that is broken syntax, so
        the answer is the same as for a query that does not parse. If even the
        words cannot be searched, the query is refused as an invalid request.
        """
        try:
            return prepared, _collect(searcher, prepared.query, prepared.budget, allowed, _coverage(searcher, prepared))
        except (OSError, KnowledgeBaseError):
            raise
        except Exception:  # noqa: BLE001 - Whoosh's execution errors are not part of its API
            self.check_intact()  # a damaged segment is not a query problem
            if prepared.fallback:
                raise QueryError("this query could not be searched; try fewer operators") from None
        plain = prepare(
            prepared.text,
            searcher,
            self.english_words,
            prepared.budget,
            plain=True,
            speller=self.speller,
            correct=prepared.suggestion is None,
            prefix=prepared.completed is not None,
        )
        try:
            return plain, _collect(searcher, plain.query, plain.budget, allowed, _coverage(searcher, plain))
        except (OSError, KnowledgeBaseError):
            raise
        except Exception:  # noqa: BLE001
            raise QueryError("this query could not be searched; try fewer operators") from None

    def _snippet_tokens(self, key: str, text: str, chinese: bool = False) -> list[tuple[int, int, str]]:
        """A chunk's stemmed tokens for its snippet, kept for the chunks shown most recently (MAX_KEPT_TOKENS)."""
        tokens = self._tokens.get(key)
        if tokens is None:
            tokens = self._tokens[key] = stem_tokens(text, chinese)
            if len(self._tokens) > MAX_KEPT_TOKENS:
                self._tokens.popitem(last=False)
        else:
            self._tokens.move_to_end(key)
        return tokens

    def _hit(
        self,
        searcher,
        docs: list[tuple[float, int]],
        terms: set[str],
        cited: str | None,
        coverage: Coverage | None,
        script: str | None = None,
    ) -> Hit:
        score, best = docs[0]
        fields = searcher.stored_fields(best)
        chunk = Chunk(
            notice=fields["notice"],
            number=fields.get("number"),
            translation=fields["translation"],
            section=fields["section"],
            title=fields["title"] or None,
            parent_title=fields["parent_title"] or None,
            body=fields["body"],
            counterparts=tuple(fields.get("counterparts") or ()),
        )
        text = chunk.body or chunk.title or ""
        chinese = is_chinese(fields.get("language"))
        tokens = self._snippet_tokens(fields["key"], text, chinese)
        names = self.layout(searcher.reader()).translation
        notice = self.catalog.by_id.get(chunk.notice)  # as listed: a result's JSON needs no outline
        assert notice is not None  # the catalog and the index are one build
        return Hit(
            chunk=chunk,
            notice=notice,
            score=_group_score(docs),
            snippet=make_snippet(text, terms, tokens, chinese),
            matched_in=[names[d] for _, d in docs],
            cited=chunk.section == cited,
            match=coverage.why(best) if coverage is not None else None,
            through=_through(notice, chunk, fields.get("language"), script),
        )


def query_language(text: str) -> str | None:
    """The language a query is written in, as kb.language groups them: "zh" for Han characters alone, "en" for
    Latin letters alone, None for a query mixing them (or with neither), which may have matched in either."""
    han, latin = segment.has_han(text), bool(_LATIN.search(segment.HAN_RUN.sub(" ", text)))
    if han == latin:
        return None
    return CHINESE if han else ENGLISH


def _through(notice, chunk: Chunk, language: str | None, script: str | None) -> list[str]:
    """The versions in the query's language a hit in another language was found through (see :attr:`Hit.through`)."""
    if script is None or language_group(language) == script:
        return []
    return [
        t.name for t in notice.translations if t.name in chunk.counterparts and language_group(t.language) == script
    ]


def _widened(completion: Completion | None) -> Completion | None:
    """A completion that added something to the search (other words, or a prefix without a vocabulary), or None."""
    return completion if completion is not None and completion.widens else None


def parse_section(text: str) -> SectionId:
    """A section id as typed in a URL or a command ("6.1", "6 (1)", "front"); :class:`InvalidRequest` if none."""
    section_id = SectionId.parse(text) if len(text) <= 40 else None
    if section_id is None:
        try:
            return SectionId(text)
        except ValueError:
            raise InvalidRequest(f"{text[:40]!r} is not a section (they look like 6, 6.1, '6 (1)' or front)") from None
    return section_id


def _check_paging(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidRequest(f"limit must be between 1 and {MAX_LIMIT}")
    if not 0 <= offset <= MAX_OFFSET:
        raise InvalidRequest(f"offset must be between 0 and {MAX_OFFSET}")


@dataclass
class _Found:
    """What one search found: every match, those the filters allow, and the scores of the best of them."""

    #: Document numbers of every match that the filters allow.
    matched: set[int]
    #: Score of each of the MAX_CANDIDATES best matches the filters allow (what the relevance order ranks).
    candidates: dict[int, float]
    #: Every match, allowed or not (the facets count what choosing another value would give).
    everything: set[int]
    #: Which of a plain query's words each match has (None: not a plain query, or not scored term at a time).
    coverage: Coverage | None = None
    #: Each candidate's score by signal, when more than one was blended (kb.semantic.blend).
    contributions: Mapping[int, dict[str, float]] = field(default_factory=dict)
    #: The candidates' BM25F scores with proximity, before coverage and blending (see :func:`_explain`).
    unscaled: dict[int, float] = field(default_factory=dict)
    #: The best candidates' scores before proximity added to them.
    before_near: dict[int, float] = field(default_factory=dict)
    #: What citing a section added to its score and its subsections'.
    cited: dict[int, float] = field(default_factory=dict)


class _Layout:
    """Notice, section and translation of every document of a build, and the result each belongs to.

    A result ("unit") is a section of a notice, whichever translations
    matched it; each document's unit is numbered here once per build, so
    grouping a search's matches is set and counter work on integers.
    """

    def __init__(self, notice: list[str], section: list[str], translation: list[str]) -> None:
        self.notice, self.section, self.translation = notice, section, translation
        #: Each unit's (notice, section), by unit number (in the order of their first documents).
        self.units: list[tuple[str, str]] = list(dict.fromkeys(zip(notice, section, strict=True)))
        numbers = {key: k for k, key in enumerate(self.units)}
        #: The unit of each document, by document number.
        self.unit_of: list[int] = list(map(numbers.__getitem__, zip(notice, section, strict=True)))
        #: Each unit's notice, by unit number.
        self.unit_notice: list[str] = [notice for notice, _ in self.units]
        self._by: dict[str, dict[str, list[int]]] = {}

    def documents_by(self, column: str) -> dict[str, list[int]]:
        """The documents of each value of ``column`` ("notice" or "translation"), worked out once per build."""
        found = self._by.get(column)
        if found is None:
            found = {}
            for docnum, value in enumerate(getattr(self, column)):
                found.setdefault(value, []).append(docnum)
            self._by[column] = found
        return found


def _pick(values: list, positions) -> tuple:
    """``values`` at each of ``positions`` (a set is read once, in its own order), gathered in C."""
    positions = tuple(positions)
    if not positions:
        return ()
    if len(positions) == 1:
        return (values[positions[0]],)
    return itemgetter(*positions)(values)


class _Units:
    """The matches grouped into results: a section of a notice (``group``), or each translation's section apart.

    Reads the build's :class:`_Layout` of the matches, never their stored
    fields, so counting every match stays cheap. A result's key is (notice,
    section, translation), the translation "" when a section's translations
    are grouped.
    """

    def __init__(self, layout: _Layout, matched: set[int], group: bool) -> None:
        self.layout = layout
        self.matched = matched
        self.grouped = group
        self._units: set[int] = set(_pick(layout.unit_of, matched)) if group else matched

    def key_of(self, docnum: int) -> tuple[str, str, str]:
        layout = self.layout
        name = "" if self.grouped else layout.translation[docnum]
        return layout.notice[docnum], layout.section[docnum], name

    def _key(self, unit: int) -> tuple[str, str, str]:
        """The key of a unit: a unit number when grouped, else a document number."""
        if self.grouped:
            notice, section = self.layout.units[unit]
            return notice, section, ""
        return self.key_of(unit)

    @property
    def total(self) -> int:
        return len(self._units)

    def per_notice(self) -> Counter[str]:
        if self.grouped:
            return Counter(_pick(self.layout.unit_notice, self._units))
        return Counter(_pick(self.layout.notice, self.matched))

    def per_translation(self) -> dict[str, int]:
        # A document is one translation's section, so each matched document is one (unit, translation) pair.
        counts = Counter(_pick(self.layout.translation, self.matched))
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def per_notice_and_translation(self) -> Counter[tuple[str, str]]:
        """How many units of each notice matched in each translation."""
        layout, matched = self.layout, tuple(self.matched)
        return Counter(zip(_pick(layout.notice, matched), _pick(layout.translation, matched), strict=True))

    def ordered(self, order) -> list[tuple[str, str, str]]:
        """Every unit's key, in the order ``order(key)`` gives."""
        return sorted((self._key(u) for u in self._units), key=order)

    def groups(
        self, keys: list[tuple[str, str, str]], scores: dict[int, float]
    ) -> list[tuple[float, list[tuple[float, int]]]]:
        """The units with these keys as results, in the keys' order: each its score and its members, best first."""
        wanted = set(keys)
        members: dict[tuple[str, str, str], list[int]] = {key: [] for key in keys}
        for docnum in self.matched:
            key = self.key_of(docnum)
            if key in wanted:
                members[key].append(docnum)
        return [_result([(scores.get(d, 0.0), d) for d in members[key]]) for key in keys]


@lru_cache(maxsize=4096)
def _section_key(section: str) -> tuple[int, int]:
    """Document order of a section id as stored (a corpus has few distinct ids, so parsing each once is enough)."""
    return SectionId(section).sort_key


def _explain(found: _Found, docs: list[tuple[float, int]], score: float) -> dict[str, float]:
    """A result's score, signal by signal: what ``kb search --explain`` and ``explain=1`` show.

    The best translation's BM25F sum (``bm25f``), what its query words
    standing together added (``proximity``), the share of a short query's
    words it has, as the factor applied to both (``coverage``), the lexical
    part that makes and the part search by meaning added (``lexical``,
    ``semantic``: their sum is the translation's score), what citing the
    section added (``citation``), and what the section's other translations
    added (``translations``); ``score`` is the result's.
    """
    own, docnum = docs[0]
    cited = found.cited.get(docnum, 0.0)
    bm25f = found.before_near.get(docnum, found.unscaled.get(docnum, 0.0))
    proximity = found.unscaled.get(docnum, bm25f) - bm25f
    coverage = found.coverage
    factor = coverage.share(docnum) ** COORD_POWER if coverage is not None and coverage.ranks else 1.0
    blended = found.contributions.get(docnum)
    if blended is not None:
        lexical, semantic = blended["lexical"], blended["semantic"]
    else:
        lexical, semantic = own - cited, 0.0
    return {
        "bm25f": bm25f,
        "proximity": proximity,
        "coverage": factor,
        "lexical": lexical,
        "semantic": semantic,
        "citation": cited,
        "translations": score - own,
        "score": score,
    }


def _group_score(docs: list[tuple[float, int]]) -> float:
    return docs[0][0] + SECOND_TRANSLATION_WEIGHT * sum(s for s, _ in docs[1:])


def _result(docs: list[tuple[float, int]]) -> tuple[float, list[tuple[float, int]]]:
    """A unit's matching documents as one result: its score, and the documents best first."""
    docs.sort(key=lambda sd: (-sd[0], sd[1]))
    return _group_score(docs), docs


def _group(candidates: dict[int, float], units: _Units) -> list[tuple[float, list[tuple[float, int]]]]:
    """The best candidates as results, best first: a section's translations merged into one (unless kept apart)."""
    buckets: dict[tuple[str, str, str], list[tuple[float, int]]] = {}
    for docnum, score in candidates.items():
        buckets.setdefault(units.key_of(docnum), []).append((score, docnum))
    out = [(*_result(docs), key) for key, docs in buckets.items()]
    out.sort(key=lambda item: (-item[0], item[2][0], _section_key(item[2][1]), item[2][2]))
    return [(score, docs) for score, docs, _ in out]


def _best(scores: dict[int, float], limit: int) -> dict[int, float]:
    """The ``limit`` best of ``scores`` (by document number): higher score first, then the lower document number,
    as Whoosh's TopCollector orders them; picked once with ``heapq.nlargest``, compared as tuples in C."""
    best = heapq.nlargest(limit, zip(scores.values(), map(neg, scores), strict=True))
    return {-negated: score for score, negated in best}


class _EveryMatch(collectors.Collector):
    """Visits every match once: records it, and the score of each that the filters allow.

    Every match, because totals and facets count all of them (Whoosh's
    block-quality shortcuts would skip blocks that cannot reach the top, and
    leave their matches uncounted). The filters are applied here rather than
    by a FilterCollector, so that the one pass also records the matches the
    filters leave out, which the facets count. The best MAX_CANDIDATES are
    picked once at the end (:func:`_best`), which costs less than keeping a
    heap up to date at every match.

    It also stops when the search's budget runs out, checked every
    BUDGET_CHECK_EVERY matches (no timer thread, no signal), where Whoosh's
    TimeLimitCollector starts a timer thread per search and has its own clock.
    """

    #: Matches between two looks at the budget's clock: a clock read costs about as much as scoring a match.
    BUDGET_CHECK_EVERY = 64

    def __init__(self, budget: Budget, allowed: set[int] | None, within: set[int] | None = None) -> None:
        self.budget = budget
        self.allowed = allowed
        #: The only documents that can match at all (None: any), from the query's requirement (split_requirement).
        self.within = within
        #: The score of every match the filters allow, by document number.
        self.scores: dict[int, float] = {}
        self.everything: set[int] = set()

    def collect_matches(self) -> None:
        matcher = self.matcher
        offset = self.offset
        allowed, within = self.allowed, self.within
        expired = self.budget.expired
        everything, scores = self.everything, self.scores
        countdown = self.BUDGET_CHECK_EVERY
        while matcher.is_active():
            countdown -= 1
            if not countdown:
                if expired():
                    raise collectors.TimeLimit
                countdown = self.BUDGET_CHECK_EVERY
            docnum = offset + matcher.id()
            if within is not None and docnum not in within:
                matcher.next()
                continue
            everything.add(docnum)
            if allowed is None or docnum in allowed:
                scores[docnum] = matcher.score()
            matcher.next()


#: The best matches of a query's words that proximity may reorder (kb.query.proximity). It adds at most half the
#: words' own scores per pair, so it moves sections within the first pages, not from far down the list; reading
#: the two words' positions for every candidate cost a fifth of a search at 10,000 sections, for a hundred 6%.
NEAR_CANDIDATES = 100


def _collect(
    searcher, q: wq.Query | None, budget: Budget, allowed: set[int] | None, coverage: Coverage | None = None
) -> _Found:
    """Every match, those in ``allowed`` (None: all) and the MAX_CANDIDATES best of them (found by the deadline).

    With a ``coverage`` (a plain query's words, :mod:`kb.coverage`), the
    best are ranked by their scores scaled by how much of the query each has.
    """
    if q is None:
        return _Found(set(), {}, set())
    scored, required = split_requirement(q)
    within = None if required is None else set(searcher.docs_for_query(required))
    clauses = sum_clauses(scored)
    if clauses is not None:  # the usual query: its words and their variants, any of them
        near = [c for c in clauses if isinstance(c, Near)]
        if near:
            clauses = [c for c in clauses if not isinstance(c, Near)]
        recorders = coverage.recorders(clauses) if coverage is not None else None
        kept = Kept({(c.fieldname, w) for c in near for w in c.words}) if near else None
        scores = accumulate(searcher, clauses, budget.expired, recorders, kept)
        everything = set(scores) if within is None else {d for d in scores if d in within}
        matched = everything if allowed is None else everything & allowed
        if len(matched) < len(scores):
            scores = {d: scores[d] for d in matched}
        best = _best(scores, MAX_CANDIDATES)
        before_near: dict[int, float] = {}
        if near:  # words standing together reorder the best matches (kb.query.proximity)
            nearest = dict(islice(best.items(), NEAR_CANDIDATES))  # best is ordered best first
            before_near = dict(nearest)
            add_near(searcher, near, nearest, budget.expired, kept)
            best.update(nearest)
        unscaled = dict(best)  # kept for explaining: what follows rescales, and blends into, the candidates
        if coverage is not None:
            best = coverage.rescore(best)
        return _Found(matched, best, everything, coverage, unscaled=unscaled, before_near=before_near)
    collector = _EveryMatch(budget, allowed, within)
    try:
        searcher.search_with_collector(preloaded(scored), collector)
    except collectors.TimeLimit:
        pass  # the budget has recorded it
    return _Found(set(collector.scores), _best(collector.scores, MAX_CANDIDATES), collector.everything)


def _coverage(searcher, prepared: PreparedQuery) -> Coverage | None:
    """What records which words of a plain query each match has (None for a query with syntax)."""
    if not prepared.words:
        return None
    return Coverage(prepared.words, prepared.synonyms, word_weights(searcher, prepared.words))


def _match_terms(q: wq.Query | None, searcher) -> set[str]:
    """Stemmed terms a snippet should mark, with prefixes and fuzzy terms expanded against the index."""
    if q is None:
        return set()
    terms: set[str] = set()
    reader = searcher.reader()
    # Query.existing_terms would do this, but its loop variable shadows its own
    # ``fieldname`` filter in whoosh3 3.54, dropping every leaf after the first.
    for leaf in q.leaves():
        try:
            pairs = leaf.expanded_terms(reader, phrases=True)
        except Exception:  # an expansion the reader cannot do leaves the plain terms
            pairs = leaf.terms(phrases=True)
        for fieldname, text in pairs:
            if fieldname in ALL_TEXT_FIELDS:
                terms.add(text.decode("utf-8") if isinstance(text, bytes) else text)
    return terms


class Follower:
    """Re-opens the knowledge base when a rebuild publishes a new build, and notices a build damaged under it."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._lock = threading.Lock()
        self._kb: KnowledgeBase | None = None

    def get(self) -> KnowledgeBase:
        build = kb_index.current_build(self.index_dir)
        if build is None:
            if (self.index_dir / kb_index.CURRENT).is_dir():  # a build without its seal: older, or cut off
                integrity.read_seal((self.index_dir / kb_index.CURRENT).resolve())
            raise IndexUnavailable(f"{self.index_dir}: no index here (run `kb index`)")
        with self._lock:
            kb = self._kb
            # A few stat calls per request: a file truncated or replaced under a
            # running site is re-verified instead of failing deep inside Whoosh.
            if kb is None or kb.build_dir != build or kb.seal.stamp(build) != kb.stamp:
                self._kb = None
                if kb is not None:
                    kb.close()
                kb = self._kb = KnowledgeBase(build)
            return kb


_followers: dict[Path, Follower] = {}


def open_kb(index_dir: Path) -> KnowledgeBase:
    """The knowledge base currently published in ``index_dir`` (cached; follows rebuilds)."""
    key = index_dir.resolve()
    follower = _followers.get(key)
    if follower is None:
        follower = _followers.setdefault(key, Follower(key))
    return follower.get()
