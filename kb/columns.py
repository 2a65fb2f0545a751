"""A build's per-document columns read whole: the notice, section and translation of every document, and
every document's field lengths.

Whoosh reads a column a document at a time (``column_reader`` iterates with
one ``struct.unpack`` and one decode per document, ``doc_field_length`` reads
one byte through three calls). A search counts every match by notice and
section, and scores every match with its field lengths, so a fresh process
at 50,000 sections spent about 0.3 s reading the three columns and 0.15 s on
lengths before its first answer. Both columns are arrays on disk in whoosh3's
format; here each is read with one call.

Only whoosh3's column formats are read this way (a variable-length column,
a reference column, a byte per document for lengths); anything else is read through Whoosh's public API, value by value,
with the same result (tests/search/test_columns.py compares the two).
"""

from __future__ import annotations

from whoosh.util.numeric import byte_to_length


def column_values(reader, name: str) -> list[str]:
    """The text value of column ``name`` for every document of ``reader``, by document number."""
    values: list[str] = []
    for segment, offset in reader.leaf_readers():
        assert offset == len(values)  # segments follow each other in document numbers
        fast = _whole_column(segment, name)
        values.extend(fast if fast is not None else segment.column_reader(name, translate=True))
    return values


def _whole_column(segment, name: str) -> list[str] | None:
    """Column ``name`` of one segment read whole, if it is in one of whoosh3's byte-column formats; else None.

    A variable-length column (what a sortable ID field gets) is the documents' values one after the other,
    with an array of their lengths; a reference column is an array of references into its unique values.
    Each value is decoded once however many documents share it (a notice's id is on all its sections).
    """
    try:
        raw = segment.column_reader(name, translate=False)
        dbfile, start, count = raw._dbfile, raw._basepos, raw._doccount
        if hasattr(raw, "_uniques"):
            refs = dbfile.get_array(start, raw._typecode, count)
            stored = [raw._uniques[r] for r in refs]
        elif hasattr(raw, "_offsets") and hasattr(raw, "_lengths"):
            offsets, lengths = raw._offsets, raw._lengths
            data = dbfile.get(start, sum(lengths))
            stored = [data[o : o + n] for o, n in zip(offsets, lengths, strict=True)]
        else:
            return None
    except (AttributeError, TypeError, ValueError, IndexError, OSError):
        return None
    if count != segment.doc_count_all() or len(stored) != count:
        return None
    field = segment.schema[name]
    decoded = {value: field.from_bytes(value) for value in set(stored)}
    return [decoded[value] for value in stored]


def field_lengths(segment, fieldname: str) -> list[int | None] | None:
    """``segment.doc_field_length(docnum, fieldname)`` for every document of one segment, read whole; None if
    the segment does not keep its lengths in whoosh3's byte column (read them one at a time then)."""
    try:
        perdoc = segment._perdoc
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        column = perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return None
        stored = column._count
        raw = column._dbfile.get(column._basepos, stored * column._fixedlen)
        if column._fixedlen != 1:
            return None
    except (AttributeError, ImportError, TypeError, ValueError, OSError):
        return None
    total = segment.doc_count_all()
    lengths: list[int | None] = [byte_to_length(b) if b else None for b in raw[:total]]
    lengths.extend([None] * (total - len(lengths)))  # documents past the stored ones have the default, 0
    return lengths
