"""The domain model's derived lists: which sections a notice has, in order, and what each translation lacks."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from kb.models import FRONT, Metadata, Notice, Outline, Section, Translation, section_sort_key


def _translation(name: str, ids: list[str], front: bool) -> Translation:
    sections = [Section(i, None, i.split(".")[0] if "." in i else None, "") for i in ids]
    return Translation(name, name, Path(f"{name}.txt"), "n", Outline(Metadata(), "front" if front else "", sections))


def _reference_section_ids(notice: Notice) -> list[str]:
    """The definition: every id some translation has, every section up to the last, and every subsection of a
    section up to its last, sorted (the straightforward version, quadratic in the subsections)."""
    ids: set[str] = set()
    for t in notice.translations:
        ids.update(t.section_ids)
    tops = {int(i.split(".")[0]) for i in ids if i != FRONT}
    ids.update(str(top) for top in range(1, max(tops, default=0) + 1))
    for i in list(ids):
        if "." in i:
            top, sub = i.split(".")
            ids.update(f"{top}.{n}" for n in range(1, int(sub)))
    return sorted(ids, key=section_sort_key)


_top = st.integers(1, 12).map(str)
_sub = st.tuples(st.integers(1, 12), st.integers(1, 30)).map("{0[0]}.{0[1]}".format)
_ids = st.lists(st.one_of(_top, _sub), unique=True, max_size=40)


@given(st.lists(st.tuples(_ids, st.booleans()), min_size=1, max_size=3))
def test_section_ids_follow_the_definition(translations):
    given_translations = [_translation(f"t{k}", ids, front) for k, (ids, front) in enumerate(translations)]
    notice = Notice("n", "T", None, None, [], given_translations)
    assert notice.section_ids == _reference_section_ids(notice)


def test_section_ids_of_a_very_long_section_are_all_there_in_order():
    long = _translation("long", ["1"] + [f"1.{n}" for n in range(1, 20_001)] + ["2", "2.3"], front=True)
    ids = Notice("n", "T", None, None, [], [long]).section_ids
    assert ids[:3] == [FRONT, "1", "1.1"] and ids[-5:] == ["1.20000", "2", "2.1", "2.2", "2.3"]
    assert len(ids) == 1 + 1 + 20_000 + 1 + 3
