"""Search by meaning: a static word-embedding model, vectors stored in each build, and a blend with BM25F.

The model is WordLlama's ``l2_supercat`` at 256 dimensions, whose weights and
tokenizer ship inside the ``wordllama`` wheel (the ``semantic`` extra). A text's
vector is the mean of its tokens' vectors, normalised to unit length: a table
lookup, with no network and no randomness. The weights are read here straight
from the installed package's files (``safetensors`` and ``tokenizers``, which
the package requires), without importing ``wordllama`` itself: its loader looks
for a missing file on the Hugging Face hub, and nothing here may ever try.
docs/benchmarks.md, "Search by meaning", says why this model and not a
MiniLM-class one (speed, size and what each bought on the public queries).

Without the extra, or when the files cannot be read, :func:`model` is None,
:func:`unavailable` says why in one line, and search stays lexical.

Each build holds a vectors file (:data:`VECTORS`) beside the Whoosh files:
one float32 row per Whoosh document, in document-number order, under a
header naming the model, the dimension and a digest of the documents' keys
in that order. A file of another model, dimension or set of documents is
refused (the build then searches lexically), so vectors of two builds or two
models are never mixed. The file is sealed with the rest of the build
(:mod:`kb.integrity`), read through ``mmap`` on first use.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import struct
import threading
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # numpy comes with the extra only
    import numpy as np

#: The package whose wheel ships the weights, and the files read from it.
PACKAGE = "wordllama"
WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
#: The tensor of the safetensors file that holds one row per token.
TENSOR = "embedding.weight"
DIM = 256
#: Characters of a text that are embedded: a section's first 8,000 (the longest seed section has 2,100; a mean
#: of token vectors barely moves after the first few hundred tokens) and a query's first 1,000. Bounds the
#: tokenizer's work on hostile input to milliseconds whatever the text's size.
MAX_TEXT_CHARS = 8000
MAX_QUERY_CHARS = 1000
#: Words whose tokens are kept (words as split at white space, punctuation included: the seeds have 780, the
#: synthetic 10,000-section corpus 2,100, a large real corpus some tens of thousands); beyond this many the
#: store starts again, so its memory stays under about 40 MB whatever is embedded.
MAX_KEPT_WORDS = 200_000
#: The vectors file of a build.
VECTORS = "vectors.f32"
MAGIC = b"KBVEC1\n"
#: Weight of the semantic score in a result's score: ``(1 - WEIGHT) * lexical + WEIGHT * semantic``, each
#: divided by the query's best. Chosen on the public queries (benchmarks/relevance.py --sweep): nDCG@10 is
#: 0.955-0.959 overall from 0.2 to 0.6 (0.933 without meaning, 0.871 with meaning alone); paraphrases rise from
#: 0.795 to 0.879 at 0.2 and 0.896 at 0.5 and 0.6, a typo query loses a place from 0.3 on, and from 0.7 the
#: translation gap falls to 0.815. (Cosines unscaled peaked at 0.879 on the paraphrases, min-max scaled let a
#: kind fall to 0.82.)
WEIGHT = 0.5
#: Sections added by meaning alone, when the words found fewer than NEIGHBOURS sections: the best by cosine
#: over every section, so that a paraphrase whose words appear in few or no sections still finds its answer.
#: On the public queries they change nothing (each paraphrase shares a word with its answer, and reranking the
#: lexical candidates does the work); a query whose words find five sections or more keeps its total.
NEIGHBOURS = 5
#: Fewest words of a query that may add sections by meaning alone: a paraphrase is a phrase. The vector of one
#: or two words is that of a few tokens, and an unknown word's pieces land near unrelated sections (a search
#: for "anemometer", a word of no section, found one at a cosine of 0.2).
NEIGHBOUR_MIN_WORDS = 3
#: Cosines of a neighbour: at least MIN_COSINE, and within NEIGHBOUR_MARGIN of the best. On the seeds the
#: sections nearest a paraphrase scored 0.24 ("cutting power consumption at cell sites"), those nearest unknown
#: words or nonsense 0.05 to 0.21 ("xyzzy plugh", "banana bread recipe", "tidal", "anemometer").
NEIGHBOUR_MARGIN = 0.05
MIN_COSINE = 0.2
#: Environment that keeps the Hugging Face libraries off the network, set before they are imported: the loader
#: below never asks for a download, and these make sure nothing it imports does either.
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
#: One BLAS thread (unless the user says otherwise): a query multiplies at most a thousand rows, and numpy's
#: import started a thread per core that doubled its CPU time (120 ms instead of 60 in a fresh ``kb search``).
THREAD_ENV = {"OPENBLAS_NUM_THREADS": "1"}


@contextmanager
def switched_off() -> Iterator[None]:
    """Within this block the process has no model (benchmarks measure builds and searches without one)."""
    global _loaded, _tried
    model()
    saved = _loaded
    _loaded, _tried = None, True
    try:
        yield
    finally:
        _loaded = saved


@dataclass(frozen=True)
class Model:
    """A loaded embedding model: its id (recorded in each vectors file), dimension, tokenizer and token table."""

    id: str
    dim: int
    tokenizer: Any
    table: np.ndarray
    #: The tokens of the words met so far (see :meth:`token_ids`).
    words: dict[str, tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)

    def embed(self, text: str, limit: int = MAX_TEXT_CHARS) -> np.ndarray:
        """The unit-length float32 vector of ``text`` (its first ``limit`` characters); zeros for a text without
        tokens.

        A text's tokens are its words' tokens, each word (split at white space) tokenized alone as the
        tokenizer tokenizes a word after a space, and kept (MAX_KEPT_WORDS): a corpus repeats its words, and
        tokenizing whole sections cost 0.18 ms each, most of the embedding's share of a build. Each text is
        embedded alone and the mean is taken in float64, so a text's vector is the same bytes whichever texts
        are embedded with it, in any process.
        """
        return self._pool(self.token_ids(text[:limit]))

    def embed_many(self, texts: list[str], limit: int = MAX_TEXT_CHARS) -> list[np.ndarray]:
        """The vectors of ``texts``: the same bytes as :meth:`embed` gives each."""
        return [self.embed(t, limit) for t in texts]

    def token_ids(self, text: str) -> list[int]:
        """The tokens of ``text``: those of each of its words in turn."""
        kept = self.words
        ids: list[int] = []
        for word in text.split():
            found = kept.get(word)
            if found is None:
                found = tuple(self.tokenizer.encode(word, add_special_tokens=False).ids)
                if len(kept) >= MAX_KEPT_WORDS:
                    kept.clear()
                kept[word] = found
            ids.extend(found)
        return ids

    def _pool(self, ids: list[int]) -> np.ndarray:
        """The normalised mean of the tokens' rows, computed in float64."""
        import numpy as np

        if not ids:
            return np.zeros(self.dim, dtype=np.float32)
        rows = np.clip(np.asarray(ids, dtype=np.int64), 0, self.table.shape[0] - 1)
        mean = self.table[rows].astype(np.float64).mean(axis=0)
        norm = float(np.sqrt(mean @ mean))
        return (mean / norm).astype(np.float32) if norm > 0 else np.zeros(self.dim, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed(text, MAX_QUERY_CHARS)


_lock = threading.Lock()
_loaded: Model | None = None
_problem: str | None = None
_tried = False


def model() -> Model | None:
    """The embedding model, loaded once per process on first use; None when it cannot be (see :func:`unavailable`)."""
    global _loaded, _problem, _tried
    if _tried:
        return _loaded
    with _lock:
        if not _tried:
            try:
                _loaded = _load()
            except _Unavailable as e:
                _problem = str(e)
            except Exception as e:  # noqa: BLE001 - any failure to read the files means lexical search
                _problem = f"the model files of {PACKAGE} cannot be read ({type(e).__name__}: {e})"[:300]
            _tried = True
    return _loaded


def unavailable() -> str | None:
    """Why search by meaning is off in this process, in one line (None when the model is loaded)."""
    return None if model() is not None else _problem


def mode() -> str:
    """``"semantic"`` when the model can be loaded, else ``"lexical"``."""
    return "semantic" if model() is not None else "lexical"


class _Unavailable(Exception):
    """The extra is not installed, or its files are not where this version of it keeps them."""


def package_dir() -> Path | None:
    """Where the model's package is installed (found without importing it), or None."""
    try:
        spec = find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _load() -> Model:
    """Read the token table and the tokenizer from the installed package's files; never from anywhere else."""
    for name, value in {**OFFLINE_ENV, **THREAD_ENV}.items():
        os.environ.setdefault(name, value)
    try:
        import numpy  # noqa: F401 - both come with the extra
        from tokenizers import Tokenizer
    except ImportError as e:
        missing = f"the semantic extra is not installed (no {e.name}; pip install 'policy-kb[semantic]')"
        raise _Unavailable(missing) from None
    where = package_dir()
    if where is None:
        raise _Unavailable(f"the semantic extra is not installed (no {PACKAGE}; pip install 'policy-kb[semantic]')")
    weights, tokenizer_file = where / WEIGHTS, where / TOKENIZER
    for path in (weights, tokenizer_file):
        if not path.is_file():
            raise _Unavailable(f"{PACKAGE} has no {path.relative_to(where)}: an unsupported version of it")
    table = _token_table(weights)
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return Model(model_id() or PACKAGE, DIM, tokenizer, table)


#: The safetensors dtypes a token table may have, as numpy's little-endian types.
_DTYPES = {"F16": "<f2", "F32": "<f4"}


def _token_table(path: Path) -> np.ndarray:
    """The token table of a safetensors file, mapped read-only rather than read.

    The format is a little-endian 8-byte header length, a JSON header (each tensor's dtype, shape and byte
    offsets) and the raw data. Mapping it costs nothing at load (reading and converting the 16 MB cost 25 ms
    of every fresh ``kb search``); a query touches only its tokens' rows.
    """
    import numpy as np

    with open(path, "rb") as f:
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    (length,) = struct.unpack("<Q", mapped[:8])
    if length > 1 << 20:
        raise _Unavailable(f"{path.name} is not a safetensors file")
    entry = json.loads(mapped[8 : 8 + length]).get(TENSOR) or {}
    dtype, shape, (start, end) = _DTYPES.get(entry.get("dtype")), entry.get("shape"), entry.get("data_offsets", (0, 0))
    if dtype is None or not shape or len(shape) != 2 or shape[1] != DIM:
        raise _Unavailable(f"{PACKAGE}'s weights are {entry.get('dtype')} {shape}, not (tokens, {DIM}) floats")
    count = shape[0] * shape[1]
    if end - start != count * np.dtype(dtype).itemsize or 8 + length + end > len(mapped):
        raise _Unavailable(f"{path.name} is cut short")
    return np.frombuffer(mapped, dtype=dtype, count=count, offset=8 + length + start).reshape(shape)


def model_id() -> str | None:
    """The id of the installed model (the package's release, the weights' name, the dimension), found without
    loading it: what a vectors file records, and what says whether a build's vectors are of this model."""
    where = package_dir()
    if where is None:
        return None
    releases = sorted(p.name for p in where.parent.glob(f"{PACKAGE}-*.dist-info"))
    release = releases[-1].removesuffix(".dist-info").split("-", 1)[1] if releases else "unknown"
    return f"{PACKAGE}-{release}/{Path(WEIGHTS).stem}"


def current(build_dir: Path) -> bool:
    """Whether a build's vectors are as this installation would write them: of the installed model, or absent
    when no model is installed or it cannot be loaded. A build made before the extra was installed is rebuilt
    by ``kb index``; the model is loaded only to tell whether a build without vectors should have them."""
    wanted = model_id()
    try:
        header, _ = read_header(build_dir / VECTORS)
    except FileNotFoundError:
        return wanted is None or model() is None  # a model that cannot load would write none either
    except (OSError, ValueError):
        return False
    return wanted is None or header.get("model") == wanted


def _installed(header: dict) -> bool:
    """Whether the vectors of ``header`` are the installed model's and its files and libraries are all there,
    found without importing or loading anything: so that ``kb index`` with nothing to do (0.13 s) does not
    load numpy and the model (0.15 s) only to say which mode its searches will run in. A model whose files
    are there and still fails to load says so at the first search, and searches lexically."""
    where = package_dir()
    return (
        where is not None
        and header.get("model") == model_id()
        and (where / WEIGHTS).is_file()
        and (where / TOKENIZER).is_file()
        and all(find_spec(name) is not None for name in ("numpy", "tokenizers"))
    )


def search_mode(build_dir: Path) -> str:
    """``"semantic"`` when searches of this build blend in meaning (it has vectors and the model loads), else
    ``"lexical"``."""
    try:
        header, _ = read_header(build_dir / VECTORS)
    except (OSError, ValueError):
        return "lexical"
    return "semantic" if _installed(header) or model() is not None else "lexical"


def built(build_dir: Path) -> str:
    """One line for ``kb index``: whether this build's searches blend in meaning, and if not, why."""
    try:
        header, _ = read_header(build_dir / VECTORS)
    except (OSError, ValueError):
        if model_id() is None or model() is None:
            return f"search: lexical ({unavailable()})"
        return "search: lexical (this build has no vectors; run `kb index` to add them)"
    if not _installed(header) and model() is None:
        return f"search: lexical (the build has vectors, but {unavailable()})"
    return f"search: semantic and lexical ({header['model']}, {header['dim']} dimensions)"


# -- the vectors file of a build ----------------------------------------------------------------------------------


def chunk_text(title: str | None, body: str) -> str:
    """What a section's vector is made of: its title, then its body."""
    return f"{title}\n{body}" if title else body


def keys_digest(notice: list[str], section: list[str], translation: list[str]) -> str:
    """A digest of every document's key in document-number order: what ties a vectors file to its documents."""
    h = hashlib.sha256()
    for key in zip(notice, section, translation, strict=True):
        h.update("\x1f".join(key).encode("utf-8") + b"\x1e")
    return h.hexdigest()


def _layout_of(reader) -> tuple[list[str], list[str], list[str]]:
    from kb.columns import column_values

    return tuple(column_values(reader, name) for name in ("notice", "section", "translation"))  # type: ignore[return-value]


def _header(model_id: str, dim: int, count: int, digest: str) -> bytes:
    """MAGIC, the JSON header's length and the header, padded so that the float32 rows start on 16 bytes."""
    head = json.dumps({"model": model_id, "dim": dim, "count": count, "keys": digest}, sort_keys=True).encode()
    size = len(MAGIC) + 4 + len(head)
    head += b" " * (-size % 16)
    return MAGIC + struct.pack("<I", len(head)) + head


def read_header(path: Path) -> tuple[dict, int]:
    """A vectors file's header and where its rows start; ValueError if it is not one."""
    with open(path, "rb") as f:
        start = f.read(len(MAGIC) + 4)
        if len(start) != len(MAGIC) + 4 or not start.startswith(MAGIC):
            raise ValueError("not a vectors file")
        (length,) = struct.unpack("<I", start[len(MAGIC) :])
        if length > 1 << 16:
            raise ValueError("header too long")
        header = json.loads(f.read(length))
    if not isinstance(header, dict) or not {"model", "dim", "count", "keys"} <= set(header):
        raise ValueError("incomplete header")
    return header, len(MAGIC) + 4 + length


def write_vectors(build_dir: Path, chunks: dict[tuple[str, str, str], Any], previous: Path | None = None) -> int:
    """Write the vectors file of a just-committed build; returns how many sections were embedded (the others'
    vectors were reused).

    ``chunks`` are the chunks written in this build, by (notice, section, translation). Every other live
    document's vector is taken from ``previous`` (the build an update started from) when that build's file is
    of this model and matches its documents, and embedded from its stored text otherwise. Deleted documents
    (an update leaves them in their segments) get zero rows, so that row ``n`` is always document ``n``.
    Without the model no file is written: the build is searched lexically.
    """
    m = model()
    if m is None:
        return 0
    import numpy as np
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(build_dir))
    try:
        with ix.reader() as reader:
            notice, section, translation = _layout_of(reader)
            count = len(notice)
            matrix = np.zeros((count, m.dim), dtype=np.float32)
            reused = _reusable(previous, m) if previous is not None else {}
            embedded = 0
            for docnum, key in enumerate(zip(notice, section, translation, strict=True)):
                if reader.is_deleted(docnum):
                    continue
                chunk = chunks.get(key)
                if chunk is None and key in reused:
                    matrix[docnum] = reused[key]
                    continue
                if chunk is None:
                    fields = reader.stored_fields(docnum)
                    text = chunk_text(fields.get("title"), fields.get("body") or "")
                else:
                    text = chunk_text(chunk.title, chunk.body)
                matrix[docnum] = m.embed(text)
                embedded += 1
            digest = keys_digest(notice, section, translation)
    finally:
        ix.close()
    with open(build_dir / VECTORS, "wb") as f:
        f.write(_header(m.id, m.dim, count, digest))
        f.write(matrix.astype("<f4", copy=False).tobytes())
    return embedded


def _reusable(previous: Path, m: Model) -> dict[tuple[str, str, str], np.ndarray]:
    """The live documents' vectors of a previous build, by key, if its file is of this model and its documents."""
    from whoosh import index as whoosh_index

    try:
        vectors = Vectors.open(previous, m)
        ix = whoosh_index.open_dir(str(previous))
    except (OSError, ValueError, KeyError):
        return {}
    try:
        with ix.reader() as reader:
            layout = _layout_of(reader)
            if not vectors.matches(*layout):
                return {}
            return {
                key: vectors.matrix[d].copy()
                for d, key in enumerate(zip(*layout, strict=True))
                if not reader.is_deleted(d)
            }
    except Exception:  # noqa: BLE001 - a previous build that cannot be read only means embedding everything anew
        return {}
    finally:
        ix.close()
        vectors.close()


class Vectors:
    """A build's vectors file, mapped read-only: ``matrix[n]`` is document ``n``'s unit vector."""

    def __init__(self, header: dict, matrix: np.ndarray, mapped: mmap.mmap) -> None:
        self.header = header
        self.matrix = matrix
        self._mapped = mapped
        self._checked: str | None = None

    @classmethod
    def open(cls, build_dir: Path, m: Model) -> Vectors:
        """Map a build's vectors file; ValueError if it is of another model or dimension, or malformed."""
        import numpy as np

        path = build_dir / VECTORS
        header, start = read_header(path)
        if header["model"] != m.id or header["dim"] != m.dim:
            raise ValueError(f"vectors of {header['model']} ({header['dim']}), not of {m.id} ({m.dim})")
        count = int(header["count"])
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size != start + count * m.dim * 4:
                raise ValueError(f"{VECTORS} has {size} bytes, not the {start + count * m.dim * 4} its header says")
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        matrix = np.frombuffer(mapped, dtype="<f4", count=count * m.dim, offset=start).reshape(count, m.dim)
        return cls(header, matrix, mapped)

    def matches(self, notice: list[str], section: list[str], translation: list[str]) -> bool:
        """Whether the rows are these documents, in this order (checked once per layout)."""
        if len(notice) != self.header["count"]:
            return False
        digest = keys_digest(notice, section, translation)
        return digest == self.header["keys"]

    def close(self) -> None:
        self.matrix = None  # type: ignore[assignment]
        try:
            self._mapped.close()
        except BufferError:  # a view of it is still in use; it is closed when that is collected
            pass


# -- blending with the lexical ranking ----------------------------------------------------------------------------

_opened: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_opened_lock = threading.Lock()
_units: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def vectors_of(kb, reader) -> Vectors | None:
    """The vectors of a knowledge base's build, opened and checked against its documents once per build; None
    when the build has none usable (built without the extra, or with another model)."""
    found = _opened.get(kb)
    if found is not None:
        return found[0]
    m = model()
    if m is None:
        return None
    with _opened_lock:
        found = _opened.get(kb)
        if found is None:
            try:
                vectors: Vectors | None = Vectors.open(kb.build_dir, m)
            except (OSError, ValueError, KeyError, TypeError):
                vectors = None
            if vectors is not None:
                layout = kb.layout(reader)
                if not vectors.matches(layout.notice, layout.section, layout.translation):
                    vectors.close()
                    vectors = None
            found = _opened[kb] = (vectors,)
    return found[0]


def disable(kb) -> None:
    """Search this knowledge base lexically (benchmarks compare the engine with and without meaning)."""
    with _opened_lock:
        _opened[kb] = (None,)


def build_mode(kb) -> str:
    """``"semantic"`` when this knowledge base's searches blend in meaning, else ``"lexical"``."""
    with kb.searcher() as searcher:
        return "semantic" if vectors_of(kb, searcher.reader()) is not None else "lexical"


def blend(kb, searcher, prepared, found, allowed: set[int] | None) -> None:
    """Blend the semantic score into a plain query's candidates, and add the sections nearest in meaning.

    The query's words (as searched: corrected, without stop words or syntax) are embedded once. Lexical
    scores are divided by the query's best, and so are the cosines (clipped at 0) among the candidates:
    cosines of a static model are small, and their range varies with the query. Each candidate scores
    ``best * ((1 - WEIGHT) * lexical + WEIGHT * semantic)``: the order is the blend's, the scale stays the
    lexical one, so scores still compare across queries (a synonym's match below the typed word's). A
    section's meaning is its best translation's: every translation of a section gets that cosine, so which
    translation stands for a section is still decided by its words. ``found.contributions`` keeps both parts
    by document number. Queries with syntax (phrases, fields, operators) say what they want and are left
    alone; a citation is put first afterwards, as before.
    """
    if not prepared.words or WEIGHT <= 0:
        return
    m = model()
    if m is None:
        return
    reader = searcher.reader()
    vectors = vectors_of(kb, reader)
    if vectors is None:
        return
    words = [w.text for w in prepared.words]
    query = m.embed_query(" ".join(words))
    if not query.any():
        return
    candidates = found.candidates
    if len(words) >= NEIGHBOUR_MIN_WORDS and len(found.matched) < NEIGHBOURS:
        for docnum in _neighbours(vectors.matrix @ query, allowed, reader):  # every section: a rare case
            if docnum not in candidates:
                candidates[docnum] = 0.0
                found.matched.add(docnum)
                found.everything.add(docnum)
    if not candidates:
        return
    import numpy as np

    count = len(candidates)
    docs = np.fromiter(candidates.keys(), dtype=np.int64, count=count)
    lexical = np.fromiter(candidates.values(), dtype=np.float64, count=count)
    # the candidates' rows only (at most MAX_CANDIDATES of them, plus the neighbours), gathered once
    cosines = np.maximum(vectors.matrix[docs] @ query, 0.0).astype(np.float64)
    units = _units_of(kb, reader)[docs]
    by_unit = np.zeros(int(units.max()) + 1)
    np.maximum.at(by_unit, units, cosines)  # a section's meaning is its best translation's
    meaning = by_unit[units]
    best = float(lexical.max()) or 1.0
    top = float(meaning.max())
    parts_lexical = (1 - WEIGHT) * lexical
    parts_semantic = best * WEIGHT * (meaning / top) if top > 0 else np.zeros(count)
    candidates.update(zip(docs.tolist(), (parts_lexical + parts_semantic).tolist(), strict=True))
    found.contributions = Contributions(docs.tolist(), parts_lexical, parts_semantic)


class Contributions(Mapping):
    """Each candidate's score by signal, by document number, made into a dict only for the results shown (a
    search has up to MAX_CANDIDATES candidates and shows ten)."""

    def __init__(self, docs: list[int], lexical: np.ndarray, semantic: np.ndarray) -> None:
        self._where = {d: i for i, d in enumerate(docs)}
        self._lexical, self._semantic = lexical, semantic

    def __getitem__(self, docnum: int) -> dict[str, float]:
        i = self._where[docnum]
        return {"lexical": float(self._lexical[i]), "semantic": float(self._semantic[i])}

    def __iter__(self) -> Iterator[int]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


def _units_of(kb, reader) -> np.ndarray:
    """The result (unit) of each document as an array, worked out once per build."""
    import numpy as np

    found = _units.get(kb)
    if found is None:
        found = _units[kb] = np.asarray(kb.layout(reader).unit_of, dtype=np.int64)
    return found


def _neighbours(sims, allowed: set[int] | None, reader) -> list[int]:
    """The documents nearest in meaning (see NEIGHBOURS), among those the filters allow, live ones only."""
    import numpy as np

    if allowed is not None:
        among = np.fromiter(allowed, dtype=np.int64, count=len(allowed))
        scores = sims[among]
    else:
        among, scores = None, sims
    k = min(NEIGHBOURS * 2, len(scores))  # a few spare for deleted documents
    if k == 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    floor = max(MIN_COSINE, float(scores[top[0]]) - NEIGHBOUR_MARGIN)
    picked = []
    for i in top:
        if scores[i] < floor or len(picked) == NEIGHBOURS:
            break
        docnum = int(among[i]) if among is not None else int(i)
        if not reader.is_deleted(docnum):
            picked.append(docnum)
    return picked
