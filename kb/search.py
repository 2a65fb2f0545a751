"""Ranked full-text search over section chunks: the functions the CLI and the web share.

Knows nothing of terminals or HTTP. A :class:`KnowledgeBase` wraps one
published index build; :func:`open_kb` returns one that follows rebuilds.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import collectors
from whoosh import index as whoosh_index
from whoosh import query as wq

from kb import index as kb_index
from kb import integrity
from kb.catalog import Catalog
from kb.errors import IndexUnavailable, InvalidRequest, KnowledgeBaseError, NotFound
from kb.models import FRONT, Notice, Section, Translation, anchor_for, section_sort_key
from kb.query import Budget, PreparedQuery, QueryError, prepare
from kb.snippets import Snippet, make_snippet, stem_tokens

MAX_LIMIT = 100
MAX_OFFSET = 10_000
#: Wall-clock budget of one whole search: corrections, expansions, collecting, snippet terms. The work caps
#: of kb.query keep an ordinary search far below it (milliseconds); it is the backstop on a loaded machine.
#: Checked between steps and between matches, so it works in any thread (no signals, no timer thread).
TIME_LIMIT = 0.5
#: How many chunk hits are grouped into section results.
MAX_CANDIDATES = 1000
#: A section matched in a second translation gains this share of that translation's score.
SECOND_TRANSLATION_WEIGHT = 0.3
CITED_BOOST = 1000.0


@dataclass
class Hit:
    """One result: a section of a notice, with the translation that matched it best."""

    notice: str
    number: str | None
    translation: str
    section: str
    title: str | None
    parent_title: str | None
    link: str
    snippet: Snippet
    score: float
    also_in: list[str] = field(default_factory=list)
    matched_in: list[str] = field(default_factory=list)
    cited: bool = False
    labels: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def anchor(self) -> str:
        return anchor_for(self.section)

    def to_json(self) -> dict:
        return {
            "section": self.section,
            "translation": self.translation,
            "title": self.title,
            "parent_title": self.parent_title,
            "link": self.link,
            "snippet": self.snippet.plain,
            "snippet_html": self.snippet.html,
            "highlights": [list(span) for span in self.snippet.spans],
            "score": round(self.score, 4),
            "also_in": self.also_in,
            "notice": self.notice,
            "number": self.number,
            "translation_label": self.labels.get(self.translation, self.translation),
            "also_in_labels": {name: self.labels.get(name, name) for name in self.also_in},
        }


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    suggestion: str | None
    facets: dict[str, dict[str, int]]
    limit: int
    offset: int
    fallback: bool = False
    #: The search's deadline passed: results (or corrections, expansions) may be incomplete.
    timed_out: bool = False
    #: A work cap left part of the query undone (words dropped, not spell-checked, or not expanded).
    truncated: bool = False
    #: What was cut, one line each for a person ("only the first 3 unknown words were checked for spelling").
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "suggestion": self.suggestion,
            "results": [h.to_json() for h in self.hits],
            "facets": self.facets,
            "limit": self.limit,
            "offset": self.offset,
            "fallback": self.fallback,
            "timed_out": self.timed_out,
            "truncated": self.truncated,
            "warnings": self.warnings,
        }


class KnowledgeBase:
    """One index build: the Whoosh index and the catalog of notices beside it."""

    def __init__(self, build_dir: Path) -> None:
        # Checked before Whoosh unpickles anything: see kb.integrity for the threat model.
        self.seal = integrity.verify(build_dir)
        self.build_dir = build_dir
        try:
            self.ix = whoosh_index.open_dir(str(build_dir))
            self.catalog = Catalog.load(build_dir)
        except Exception as e:  # files that passed the checks but still cannot be read
            raise integrity.DamagedIndex(build_dir, f"unreadable: {type(e).__name__}") from None
        self.stamp = self.seal.stamp(build_dir)
        self._intact_stamp: tuple | None = None
        self._english: frozenset[str] | None = None
        self._labels = {t.name: t.label for n in self.catalog.notices for t in n.translations}
        self._tokens: dict[str, list[tuple[int, int, str]]] = {}

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
        return self.catalog.notices

    def translation(self, name: str) -> tuple[Notice, Translation]:
        found = self.catalog.translation(name)
        if not found:
            known = ", ".join(self.catalog.translation_names)
            raise NotFound(f"unknown translation {name!r} (known: {known})")
        return found

    def section(self, translation: str, section_id: str) -> Section | None:
        _, t = self.translation(translation)
        if section_id == FRONT and t.outline.front:
            return Section(FRONT, "Front matter", None, t.outline.front)
        return t.outline.section(section_id)

    def markdown(self, translation: str) -> str:
        self.translation(translation)
        return self.catalog.markdown[translation]

    # -- searching -------------------------------------------------------------
    def search(
        self,
        text: str,
        limit: int = 10,
        offset: int = 0,
        translation: str | None = None,
        top: str | None = None,
        group: bool = True,
    ) -> SearchResult:
        """Ranked sections for a query; see the module docs of :mod:`kb.query` for the syntax."""
        try:
            return self._search(text, limit, offset, translation, top, group)
        except KnowledgeBaseError:
            raise
        except Exception:
            self.check_intact()  # damage found only now (inside the lazily read segment) is a 503, not a bug
            raise

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

    def _search(
        self, text: str, limit: int, offset: int, translation: str | None, top: str | None, group: bool
    ) -> SearchResult:
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidRequest(f"limit must be between 1 and {MAX_LIMIT}")
        if not 0 <= offset <= MAX_OFFSET:
            raise InvalidRequest(f"offset must be between 0 and {MAX_OFFSET}")
        if translation is not None:
            self.translation(translation)
        budget = Budget(TIME_LIMIT)  # one deadline for the whole search, started before parsing
        with self.ix.searcher() as searcher:
            try:
                prepared = prepare(text, searcher, self.english_words, budget)
                prepared, raw = self._run(searcher, prepared)
            except QueryError as e:
                raise InvalidRequest(str(e)) from None
            if prepared.citation:
                self._put_first(searcher, prepared.citation, raw)
            terms = _match_terms(prepared.query, searcher)

        translation_facet = Counter(doc["translation"] for _, doc in raw.values())
        chosen = {
            k: v
            for k, v in raw.items()
            if (translation is None or v[1]["translation"] == translation) and (top is None or v[1]["top"] == top)
        }
        groups = _group(chosen.values(), group)
        section_facet = Counter(docs[0][1]["top"] for _, docs in groups)
        page = groups[offset : offset + limit]
        hits = [self._hit(score, docs, terms, prepared.citation) for score, docs in page]
        return SearchResult(
            query=text,
            total=len(groups),
            hits=hits,
            suggestion=prepared.suggestion,
            facets={
                "translation": dict(translation_facet.most_common()),
                "section": dict(sorted(section_facet.items(), key=lambda kv: section_sort_key(kv[0]))),
            },
            limit=limit,
            offset=offset,
            fallback=prepared.fallback,
            timed_out=budget.timed_out,
            truncated=budget.truncated,
            warnings=list(budget.notes),
        )

    @staticmethod
    def _put_first(searcher, cited: str, raw: dict[str, tuple[float, dict]]) -> None:
        """A cited section goes first; citing "7" brings 7's own text and its subsections, in order."""
        docs = list(searcher.documents(section=cited))
        if "." not in cited:
            docs += [d for d in searcher.documents(top=cited) if d["section"] != cited]
        docs.sort(key=lambda d: section_sort_key(d["section"]))
        for rank, doc in enumerate(docs):
            old = raw.get(doc["key"], (0.0, doc))[0]
            raw[doc["key"]] = (old + CITED_BOOST - rank, doc)

    def _run(self, searcher, prepared: PreparedQuery) -> tuple[PreparedQuery, dict[str, tuple[float, dict]]]:
        """Collect the query's hits; a query Whoosh fails to execute is searched as its plain words instead.

        Whoosh's parser accepts combinations its matchers then trip over (an
        IndexError deep in a matcher); for the user that is broken syntax, so
        the answer is the same as for a query that does not parse. If even the
        words cannot be searched, the query is refused as an invalid request.
        """
        try:
            return prepared, _collect(searcher, prepared.query, prepared.budget)
        except (OSError, KnowledgeBaseError):
            raise
        except Exception:  # noqa: BLE001 - Whoosh's execution errors are not part of its API
            self.check_intact()  # a damaged segment is not a query problem
            if prepared.fallback:
                raise QueryError("this query could not be searched; try fewer operators") from None
        plain = prepare(prepared.text, searcher, self.english_words, prepared.budget, plain=True)
        try:
            return plain, _collect(searcher, plain.query, plain.budget)
        except (OSError, KnowledgeBaseError):
            raise
        except Exception:  # noqa: BLE001
            raise QueryError("this query could not be searched; try fewer operators") from None

    def _hit(self, score: float, docs: list[tuple[float, dict]], terms: set[str], cited: str | None) -> Hit:
        best = docs[0][1]
        text = best["body"] or best["title"]
        tokens = self._tokens.get(best["key"])
        if tokens is None:
            tokens = self._tokens[best["key"]] = stem_tokens(text)
        snippet = make_snippet(text, terms, tokens)
        return Hit(
            notice=best["notice"],
            number=best.get("number"),
            translation=best["translation"],
            section=best["section"],
            title=best["title"] or None,
            parent_title=best["parent_title"] or None,
            link=f"/doc/{best['translation']}#{anchor_for(best['section'])}",
            snippet=snippet,
            score=score,
            also_in=sorted(best.get("counterparts") or []),
            matched_in=[d["translation"] for _, d in docs],
            cited=best["section"] == cited,
            labels=self._labels,
        )


def _group(scored, group: bool) -> list[tuple[float, list[tuple[float, dict]]]]:
    """Merge the translations of one section into one result (or keep them apart)."""
    buckets: dict[tuple[str, str], list[tuple[float, dict]]] = {}
    for score, doc in scored:
        key = (doc["notice"], doc["section"]) if group else (doc["notice"], doc["key"])
        buckets.setdefault(key, []).append((score, doc))
    out = []
    for docs in buckets.values():
        docs.sort(key=lambda sd: -sd[0])
        score = docs[0][0] + SECOND_TRANSLATION_WEIGHT * sum(s for s, _ in docs[1:])
        out.append((score, docs))
    out.sort(key=lambda sd: (-sd[0], section_sort_key(sd[1][0][1]["section"])))
    return out


class _DeadlineCollector(collectors.WrappingCollector):
    """Stops collecting when the search's budget runs out (checked per match: no timer thread, no signal).

    Whoosh's TimeLimitCollector starts a timer thread per search and has its
    own clock; this one shares the deadline of the whole search.
    """

    def __init__(self, child: collectors.Collector, budget: Budget) -> None:
        super().__init__(child)
        self.budget = budget

    def collect_matches(self) -> None:
        child = self.child
        for sub_docnum in child.matches():
            if self.budget.expired():
                raise collectors.TimeLimit
            child.collect(sub_docnum)


def _collect(searcher, q: wq.Query | None, budget: Budget) -> dict[str, tuple[float, dict]]:
    """Up to MAX_CANDIDATES best chunk hits by key; what was found by the deadline if it passes."""
    if q is None:
        return {}
    collector = _DeadlineCollector(collectors.TopCollector(limit=MAX_CANDIDATES), budget)
    try:
        searcher.search_with_collector(q, collector)
    except collectors.TimeLimit:
        pass  # the budget has recorded it
    return {hit["key"]: (hit.score, hit.fields()) for hit in collector.results()}


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
            if fieldname in ("title", "parent_title", "body"):
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
