"""Which of a plain query's words each match has: for ranking (all words above some) and for saying why.

A plain query is searched as a disjunction (any word may match), so a
section that says "communications" thirty times can outscore one that has
both words of "satellite communication" once. BM25F has no notion of how
much of the query a document covers; here each clause of the disjunction
records the documents it matched, and a document's score is scaled by the
share of the query's words it has (the "coordination" factor of classic
Lucene scoring), so that covering the query counts before repeating a word. A word counts
for its rarity (its inverse document frequency): lacking "satellite" in
"satellite communication" costs more than lacking "communication".

The same record says, for a result shown, which words it matched, which it
lacks, and which it matched only through a synonym.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from whoosh import query as wq

from kb.query import ALL_TEXT_FIELDS, QueryWord, SynonymUse
from kb.segment import has_han

#: How strongly the share of the query's words a document has scales its score: ``score * share ** power``.
#: At 2, a document with words worth half the query keeps a quarter of its score (Lucene's classic coordination
#: is 1, which left a section repeating "internet" above one with "industrial internet" on the seeds).
COORD_POWER = 2.0
#: Queries of up to this many words are ranked by coverage. A short query names what it wants, each word
#: of it; a longer one is a question or a description in the asker's own words, which a relevant section
#: rarely has all of, and where having more of them says little (the public query set's paraphrases lost
#: 0.05 nDCG@10 with every query coordinated, and none with queries of up to four words: docs/benchmarks.md, Relevance).
MAX_COORDINATED_WORDS = 4


@dataclass(frozen=True)
class Match:
    """Why a result matched: the query's words it has and lacks, and synonyms that stood in for a word it lacks."""

    words: tuple[str, ...]
    missing: tuple[str, ...]
    #: ``(synonym found, word of the query it stood in for)``, for words matched only through a synonym.
    synonyms: tuple[tuple[str, str], ...]

    def to_json(self) -> dict:
        return {
            "words": list(self.words),
            "missing": list(self.missing),
            "synonyms": [{"matched": found, "for": typed} for found, typed in self.synonyms],
        }


def word_weights(searcher, words: list[QueryWord]) -> list[float]:
    """Each word's weight in a document's share: the inverse document frequency of its rarest form in the bodies
    of its language (a Chinese word's in ``body_zh``: in ``body`` it is absent, and would weigh as the rarest)."""
    return [max((searcher.idf(_body_of(stem), stem) for stem in sorted(word.stems)), default=1.0) for word in words]


def _body_of(term: str) -> str:
    return "body_zh" if has_han(term) else "body"


class Record:
    """The documents a group of clauses matched: the posting blocks as read (kept, not copied) and single documents.

    Copying every posting into a set while scoring cost a tenth of a search
    at 50,000 sections (a common word's postings are most of the corpus);
    keeping the blocks costs nothing, and only the few documents asked about
    (the best candidates, the results shown) are then looked up in them.
    """

    __slots__ = ("blocks", "docs")

    def __init__(self) -> None:
        self.blocks: list[tuple[int, tuple[int, ...], int]] = []
        self.docs: set[int] = set()

    def add_block(self, offset: int, ids: tuple[int, ...], start: int) -> None:
        """A block of a segment's postings (``ids[start:]``, numbered within the segment at ``offset``)."""
        self.blocks.append((offset, ids, start))

    def add(self, docnum: int) -> None:
        self.docs.add(docnum)

    def among(self, wanted: set[int]) -> set[int]:
        """Those of ``wanted`` that were matched."""
        found = self.docs & wanted
        local: dict[int, set[int]] = {0: wanted}
        for offset, ids, start in self.blocks:
            here = local.get(offset)
            if here is None:
                here = local[offset] = {d - offset for d in wanted}
            hits = here.intersection(ids[start:] if start else ids)
            if hits:
                found.update(d + offset for d in hits) if offset else found.update(hits)
        return found


class Coverage:
    """The documents each word of a plain query (and each synonym) matched, recorded while scoring.

    :meth:`recorders` gives, per clause of the scored disjunction, the
    :class:`Record` its matches go into (see :func:`kb.scoring.accumulate`);
    afterwards, :meth:`rescore` and :meth:`why` answer for the documents
    they are asked about.
    """

    def __init__(self, words: list[QueryWord], synonyms: list[SynonymUse], weights: list[float] | None = None) -> None:
        self.words = words
        self.synonyms = synonyms
        #: What each word counts for in a document's share (the word's rarity): missing a rare word costs more
        #: than missing a common one.
        self.weights = weights or [1.0] * len(words)
        self._total = sum(self.weights) or 1.0
        self._direct = [Record() for _ in words]
        self._through = [Record() for _ in synonyms]
        #: Documents looked up so far, and which of them each record matched.
        self._asked: set[int] = set()
        self._direct_has: list[set[int]] = [set() for _ in words]
        self._through_has: list[set[int]] = [set() for _ in synonyms]

    @property
    def ranks(self) -> bool:
        """Whether coverage changes the order (see MAX_COORDINATED_WORDS): every match covers a one-word query."""
        return 1 < len(self.words) <= MAX_COORDINATED_WORDS

    def recorders(self, clauses: Iterable[wq.Query]) -> list[Record | None]:
        """The record each clause's matched documents go into (None: a clause that counts for no word)."""
        return [self._recorder(clause) for clause in clauses]

    def _recorder(self, clause: wq.Query) -> Record | None:
        if isinstance(clause, wq.Term) and clause.fieldname in ALL_TEXT_FIELDS:
            terms: tuple[str, ...] = (clause.text,)
        elif isinstance(clause, wq.Phrase) and clause.fieldname in ALL_TEXT_FIELDS:
            terms = tuple(clause.words)
        else:
            return None
        if len(terms) == 1:
            for i, word in enumerate(self.words):
                if terms[0] in word.stems:
                    return self._direct[i]
        for i, use in enumerate(self.synonyms):
            if terms == use.stems:
                return self._through[i]
        return None

    def look_up(self, docs: set[int]) -> None:
        """Find which words ``docs`` matched, all at once (each record's blocks are read once per call)."""
        new = docs - self._asked
        if not new:
            return
        self._asked |= new
        for record, has in zip(self._direct, self._direct_has, strict=True):
            has |= record.among(new)
        for record, has in zip(self._through, self._through_has, strict=True):
            has |= record.among(new)

    def _covered(self) -> list[set[int]]:
        """Per word, the documents looked up so far that have it, directly or through a synonym standing in."""
        covered = [set(found) for found in self._direct_has]
        for use, found in zip(self.synonyms, self._through_has, strict=True):
            for i in use.words:
                covered[i] |= found
        return covered

    def share(self, docnum: int) -> float:
        """The share of the query's words the document has (a synonym standing in for a word counts)."""
        self.look_up({docnum})
        covered = self._covered()
        return sum(w for w, found in zip(self.weights, covered, strict=True) if docnum in found) / self._total

    def rescore(self, scores: dict[int, float]) -> dict[int, float]:
        """``scores`` scaled by each document's share of the query's words (to the power COORD_POWER)."""
        if not self.ranks:
            return scores
        self.look_up(set(scores))
        shares = dict.fromkeys(scores, 0.0)
        for weight, found in zip(self.weights, self._covered(), strict=True):
            for docnum in found.intersection(scores):
                shares[docnum] += weight
        total = self._total
        return {d: score * (shares[d] / total) ** COORD_POWER for d, score in scores.items()}

    def why(self, docnum: int) -> Match:
        """The words the document matched and lacks, and the synonyms that stood in for words it lacks."""
        self.look_up({docnum})
        direct = [docnum in found for found in self._direct_has]
        stood_in: list[tuple[str, str]] = []
        covered = list(direct)
        for use, found in zip(self.synonyms, self._through_has, strict=True):
            if docnum in found and use.words and not all(direct[i] for i in use.words):
                stood_in.append((use.other, use.typed))
                for i in use.words:
                    covered[i] = True
        return Match(
            words=tuple(w.text for w, yes in zip(self.words, direct, strict=True) if yes),
            missing=tuple(w.text for w, yes in zip(self.words, covered, strict=True) if not yes),
            synonyms=tuple(stood_in),
        )
