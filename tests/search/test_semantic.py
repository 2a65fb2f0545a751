"""Search by meaning (kb.semantic): the lexical fallback without the extra, vectors that are deterministic and
never mixed across builds or models, sections found by meaning alone, and bounded work on hostile text."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb import index as kb_index
from kb import semantic
from kb.cli import cli
from kb.search import KnowledgeBase

needs_model = pytest.mark.skipif(
    semantic.model() is None, reason=f"search by meaning is off here: {semantic.unavailable()}"
)

#: A paraphrase of section 5 (1) (energy saving in base stations) whose content words are in no section.
PARAPHRASE = "cutting power consumption at cell sites"


@pytest.fixture()
def without_extra(monkeypatch):
    """A process in which the extra's import fails, as it does where it is not installed."""
    monkeypatch.setitem(sys.modules, "tokenizers", None)  # `import tokenizers` raises ImportError
    monkeypatch.setattr(semantic, "_loaded", None)
    monkeypatch.setattr(semantic, "_problem", None)
    monkeypatch.setattr(semantic, "_tried", False)
    yield
    semantic._tried = False  # the next test loads the real model again (monkeypatch restores the rest)


def _vectors(build: Path) -> bytes:
    return (build / semantic.VECTORS).read_bytes()


# -- without the extra ---------------------------------------------------------------------------------------


def test_without_the_extra_the_index_is_lexical_and_says_so(without_extra, seeds, tmp_path):
    assert semantic.model() is None
    assert "semantic extra is not installed" in semantic.unavailable()
    result = CliRunner().invoke(cli, ["--index", str(tmp_path / "idx"), "--corpus", str(seeds), "index"])
    assert result.exit_code == 0, result.output
    assert "search: lexical (the semantic extra is not installed" in result.stdout
    build = kb_index.current_build(tmp_path / "idx")
    assert not (build / semantic.VECTORS).exists()
    kb = KnowledgeBase(build)
    found = kb.search("submarine cables")
    assert found.hits[0].section == "7.1" and found.hits[0].contributions is None
    assert semantic.build_mode(kb) == "lexical"
    # the package is there but cannot be loaded: the lexical build is what this installation would build
    again = CliRunner().invoke(cli, ["--index", str(tmp_path / "idx"), "--corpus", str(seeds), "index"])
    assert again.stdout.startswith("Index is up to date"), again.output


@needs_model
def test_a_build_with_vectors_is_searched_lexically_where_the_extra_is_missing(built_index, without_extra):
    kb = KnowledgeBase(built_index)
    assert (built_index / semantic.VECTORS).exists()
    assert semantic.search_mode(built_index) == "lexical"
    hits = kb.search(PARAPHRASE).hits
    assert "5.1" not in [h.section for h in hits] and all(h.contributions is None for h in hits)


# -- the stored vectors --------------------------------------------------------------------------------------


@needs_model
def test_stored_vectors_are_the_same_bytes_in_every_build_and_process(seeds, built_index, tmp_path):
    again = kb_index.build(seeds, tmp_path / "again", force=True).path
    assert _vectors(again) == _vectors(built_index)
    script = (
        "import sys; from pathlib import Path; from kb import index; "
        "print(index.build(Path(sys.argv[1]), Path(sys.argv[2]), force=True).path)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(seeds), str(tmp_path / "other")], capture_output=True, text=True, check=True
    )
    assert hashlib.sha256(_vectors(Path(out.stdout.strip()))).digest() == hashlib.sha256(_vectors(again)).digest()
    header, start = semantic.read_header(built_index / semantic.VECTORS)
    assert header["model"] == semantic.model_id() and header["dim"] == semantic.DIM
    assert len(_vectors(again)) == start + header["count"] * semantic.DIM * 4


@needs_model
def test_rows_are_the_documents_unit_vectors_in_document_order(built_index):
    kb = KnowledgeBase(built_index)
    m = semantic.model()
    with kb.searcher() as searcher:
        reader = searcher.reader()
        vectors = semantic.vectors_of(kb, reader)
        for docnum in range(reader.doc_count_all()):
            fields = reader.stored_fields(docnum)
            expected = m.embed(semantic.chunk_text(fields["title"], fields["body"]))
            assert vectors.matrix[docnum].tobytes() == expected.tobytes()
            assert abs(float(expected @ expected) - 1.0) < 1e-5


@needs_model
def test_vectors_of_another_model_are_refused_and_kb_index_rebuilds_them(seeds, tmp_path, monkeypatch):
    index_dir = tmp_path / "idx"
    with monkeypatch.context() as m:
        m.setattr(semantic, "_loaded", semantic.model().__class__(**{**semantic.model().__dict__, "id": "other/1"}))
        m.setattr(semantic, "model_id", lambda: "other/1")
        old = kb_index.build(seeds, index_dir).path
    assert semantic.read_header(old / semantic.VECTORS)[0]["model"] == "other/1"
    kb = KnowledgeBase(old)
    assert semantic.vectors_of(kb, kb.ix.reader()) is None  # never compared with this model's query vectors
    assert semantic.build_mode(kb) == "lexical"
    assert kb.search(PARAPHRASE).hits[0].contributions is None
    assert not semantic.current(old)
    new = kb_index.build(seeds, index_dir)  # the sources are unchanged, the vectors are not this model's
    assert new.built and new.path != old
    assert semantic.read_header(new.path / semantic.VECTORS)[0]["model"] == semantic.model_id()
    assert not kb_index.build(seeds, index_dir).built  # and then it is up to date


@needs_model
def test_vectors_of_other_documents_are_refused(built_index, tmp_path):
    """A vectors file copied from another build (same model, other documents) does not match the layout."""
    kb = KnowledgeBase(built_index)
    with kb.searcher() as searcher:
        layout = kb.layout(searcher.reader())
        vectors = semantic.Vectors.open(built_index, semantic.model())
        assert vectors.matches(layout.notice, layout.section, layout.translation)
        shuffled = list(reversed(layout.section))
        assert not vectors.matches(layout.notice, shuffled, layout.translation)
        assert not vectors.matches(layout.notice[1:], layout.section[1:], layout.translation[1:])


@needs_model
def test_an_update_reuses_unchanged_vectors_and_stays_aligned_with_the_documents(library, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(library, corpus)
    index_dir = tmp_path / "index"
    before = kb_index.build(corpus, index_dir).path
    path = corpus / "ndrc-2023-green-data-centres.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("data centres", "data centres and anemometers", 1))
    result = kb_index.build(corpus, index_dir)
    assert result.changed == ["ndrc-2023-1127"]
    assert "search: semantic" in result.semantic
    full = kb_index.build(corpus, tmp_path / "full", force=True).path

    def rows(build: Path) -> dict[tuple, bytes]:
        kb = KnowledgeBase(build)
        with kb.searcher() as searcher:
            reader = searcher.reader()
            vectors = semantic.vectors_of(kb, reader)
            assert vectors is not None  # the header's digest matched the build's documents
            layout = kb.layout(reader)
            keyed = {}
            for d, key in enumerate(zip(layout.notice, layout.section, layout.translation, strict=True)):
                if reader.is_deleted(d):
                    assert not vectors.matrix[d].any()  # a deleted document's row is zeros
                else:
                    keyed[key] = vectors.matrix[d].tobytes()
            return keyed

    updated, rebuilt, previous = rows(result.path), rows(full), rows(before)
    assert updated == rebuilt  # every document has the vector a full build gives it
    unchanged = [k for k in previous if k[0] != "ndrc-2023-1127"]
    assert unchanged and all(updated[k] == previous[k] for k in unchanged)
    assert any(updated[k] != previous[k] for k in previous if k[0] == "ndrc-2023-1127")


def test_a_vectors_file_is_sealed_with_its_build(built_index):
    seal = json.loads((built_index / "build.json").read_text(encoding="utf-8"))
    if (built_index / semantic.VECTORS).exists():
        assert semantic.VECTORS in seal["files"]


# -- ranking ---------------------------------------------------------------------------------------------------


@needs_model
def test_a_paraphrase_whose_words_are_in_no_section_finds_it_by_meaning(kb):
    hits = kb.search(PARAPHRASE).hits
    by_section = {h.section: h for h in hits}
    assert "5.1" in by_section
    assert by_section["5.1"].contributions["lexical"] == 0 < by_section["5.1"].contributions["semantic"]
    semantic.disable(lexical := KnowledgeBase(kb.build_dir))
    assert "5.1" not in [h.section for h in lexical.search(PARAPHRASE).hits]


@needs_model
def test_each_result_says_what_each_signal_gave(kb):
    hits = kb.search("space-based links working together with mobile networks on the ground").hits
    assert hits[0].section == "3.1"
    weight = semantic.WEIGHT
    best = max(h.contributions["lexical"] for h in hits) / (1 - weight)  # the query's best BM25F score
    for hit in hits:
        parts = hit.contributions
        assert set(parts) == {"lexical", "semantic"}
        assert 0 <= parts["lexical"] <= (1 - weight) * best + 1e-9 and 0 <= parts["semantic"] <= weight * best + 1e-9
        assert sum(parts.values()) <= hit.score + 1e-9  # the best translation's parts; others add to the score
    assert max(h.contributions["semantic"] for h in hits) == pytest.approx(weight * best)


@needs_model
def test_citations_and_phrases_keep_their_precedence(kb):
    assert kb.search("6 (1)").hits[0].section == "6.1"
    phrase = kb.search('"dual gigabit"')
    assert all(h.contributions is None for h in phrase.hits)
    lexical = KnowledgeBase(kb.build_dir)
    semantic.disable(lexical)
    assert [h.section for h in phrase.hits] == [h.section for h in lexical.search('"dual gigabit"').hits]


@needs_model
def test_unknown_words_get_no_sections_by_meaning(kb):
    assert kb.search("xyzzy plugh").total == 0
    assert kb.search("anemometers").total == 0


# -- hostile input ---------------------------------------------------------------------------------------------


class _Counting:
    """A tokenizer that records how many characters it was given."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer
        self.sizes: list[int] = []

    def encode(self, text: str, **kwargs):
        self.sizes.append(len(text))
        return self.tokenizer.encode(text, **kwargs)


@needs_model
def test_huge_and_hostile_text_is_embedded_from_a_bounded_prefix():
    m = semantic.model()
    counting = _Counting(m.tokenizer)
    bounded = semantic.Model(m.id, m.dim, counting, m.table)
    hostile = ("\u202e\x00" + "a" * 5000 + "🦙" * 3000 + "\ud7ff") * 2000  # about 16 million characters
    vector = bounded.embed(hostile)
    query = bounded.embed_query(hostile)
    assert sum(counting.sizes) <= semantic.MAX_TEXT_CHARS + semantic.MAX_QUERY_CHARS  # a bounded prefix of each
    for v in (vector, query):
        assert v.dtype.name == "float32" and v.shape == (semantic.DIM,)
        assert abs(float(v @ v) - 1.0) < 1e-5
    assert not bounded.embed("").any()  # no tokens: a zero vector, near nothing


@needs_model
def test_the_words_kept_are_bounded(monkeypatch):
    m = semantic.model()
    fresh = semantic.Model(m.id, m.dim, m.tokenizer, m.table)
    monkeypatch.setattr(semantic, "MAX_KEPT_WORDS", 50)
    text = " ".join(f"word{n}" for n in range(500))
    vector = fresh.embed(text)
    assert len(fresh.words) <= 50
    assert vector.tobytes() == fresh.embed(text).tobytes() == m.embed(text).tobytes()  # whatever was kept


def test_the_longest_query_is_searched_without_error(kb):
    kb.search(" ".join(["infrastructure"] * 20) + " " + "\u202e" * 100 + "y" * 80)


@needs_model
def test_a_batch_embeds_each_text_as_it_would_be_alone():
    m = semantic.model()
    texts = ["green data centres", "", "a much longer text about submarine cables and their landing stations " * 20]
    assert [v.tobytes() for v in m.embed_many(texts)] == [m.embed(t).tobytes() for t in texts]
