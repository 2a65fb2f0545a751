"""A build's columns read whole (kb.columns) are exactly what Whoosh's per-document API reads."""

from __future__ import annotations

import pytest
from whoosh.columns import RefBytesColumn
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from kb.columns import _whole_column, column_values, field_lengths


def _public_values(reader, name: str) -> list[str]:
    return [reader.column_reader(name, translate=True)[d] for d in range(reader.doc_count_all())]


def test_the_library_index_columns_read_whole_equal_whoosh(library_kb):
    with library_kb.searcher() as searcher:
        reader = searcher.reader()
        for name in ("notice", "section", "translation"):
            assert column_values(reader, name) == _public_values(reader, name)
        for fieldname in ("title", "parent_title", "body"):
            whole = field_lengths(reader, fieldname)
            assert whole is not None  # the whoosh3 format: read whole, not one by one
            assert whole == [reader.doc_field_length(d, fieldname, 1) for d in range(reader.doc_count_all())]


def _segments_index(documents: int, column=True):
    """Several segments, more than 255 distinct values (references of two bytes), documents without a title."""
    schema = Schema(key=ID(stored=True, sortable=column), title=TEXT, body=TEXT)
    index = RamStorage().create_index(schema)
    for segment in range(3):
        with index.writer() as writer:
            for k in range(documents):
                fields = {"key": f"k{segment}-{k % 300}", "body": "word " * (1 + k % 40)}
                if k % 3:
                    fields["title"] = "a title " * (k % 5)
                writer.add_document(**fields)
        index = index.refresh()
    return index


@pytest.mark.parametrize("column", [True, RefBytesColumn()], ids=["variable-length", "references"])
@pytest.mark.parametrize("documents", [5, 400])
def test_columns_read_whole_over_several_segments_equal_whoosh(documents, column):
    index = _segments_index(documents, column)
    with index.searcher() as searcher:
        reader = searcher.reader()
        assert len(reader.leaf_readers()) == 3
        assert column_values(reader, "key") == _public_values(reader, "key")
        for segment, _ in reader.leaf_readers():
            assert _whole_column(segment, "key") is not None  # read whole, not value by value
        for segment, _ in reader.leaf_readers():
            for fieldname in ("title", "body"):
                expected = [segment.doc_field_length(d, fieldname, 1) for d in range(segment.doc_count_all())]
                assert field_lengths(segment, fieldname) == expected
