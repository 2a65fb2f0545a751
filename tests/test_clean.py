"""The noise cleaner: properties over generated text, and examples from the real noisy seed."""

from __future__ import annotations

import difflib
import itertools
import math
import random
import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import kb.clean as cleaning
from kb.clean import clean, is_corrupted, is_noise_symbol, normalize_whitespace
from kb.noise import NON_ASCII_JUNK, corrupt

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
GMT_TEXT = next(SEEDS.glob("000_*.txt")).read_text(encoding="utf-8")

# -- generated English-like text ----------------------------------------------

#: Words of the clean translation, hyphenated compounds included ("low-carbon", "government-bank-enterprise").
WORDS = sorted(set(re.findall(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", GMT_TEXT)))
#: Tokens the notice's prose also has: quoted phrases, digits, "5G +", possessives, acronyms.
SPECIAL = [
    '"signal upgrading"',
    '"5G + industrial Internet"',
    '"dual gigabit"',
    "5G +",
    "5G-A",
    "IPv6",
    "3D",
    "2024",
    "165",
    "20th",
    "China's",
    "enterprises'",
    "(MIIT)",
    "MIIT Communications [2024] No. 165",
]
#: Punctuation that may follow a word. ";" is left out on purpose: "word;" after a junk "&" can
#: read as an HTML entity (see test_junk_ampersand_before_entity_like_word_is_not_decoded).
TRAILING = ["", "", "", "", "", "", ",", ":"]
#: Non-ASCII characters that real prose has and that are not noise.
REAL_NON_ASCII = ["\u201csignal upgrading\u201d", "Beijing\u2019s", "2024\u20132025", "caf\u00e9", "\u4e2d\u56fd"]

SETTINGS = settings(max_examples=30, deadline=None)

word = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(SPECIAL),
)


@st.composite
def sentences(draw, extra_tokens: list[str] | None = None) -> str:
    pool = st.one_of(word, st.sampled_from(extra_tokens)) if extra_tokens else word
    tokens = draw(st.lists(st.tuples(pool, st.sampled_from(TRAILING)), min_size=3, max_size=25))
    text = " ".join(w + p for w, p in tokens).rstrip(",:")
    return text[:1].upper() + text[1:] + "."


@st.composite
def english_text(draw, extra_tokens: list[str] | None = None) -> str:
    """Paragraphs of sentences built from the notice's vocabulary."""
    paragraphs = draw(
        st.lists(st.lists(sentences(extra_tokens), min_size=1, max_size=5).map(" ".join), min_size=1, max_size=4)
    )
    return "\n".join(paragraphs)


@st.composite
def messy_whitespace(draw, text: str) -> str:
    """``text`` with its spaces and line ends varied the ways source files vary them."""
    spaces = st.sampled_from([" ", " ", " ", "  ", "\t", "\u00a0", " \u3000"])
    newlines = st.sampled_from(["\n", "\n\n", "\n\n\n\n", "\r\n", " \n", "\n  "])
    out = []
    for ch in text:
        if ch == " ":
            out.append(draw(spaces))
        elif ch == "\n":
            out.append(draw(newlines))
        else:
            out.append(ch)
    return draw(st.sampled_from(["", " ", "\n"])) + "".join(out) + draw(st.sampled_from(["", "\n", "  \n"]))


def corrupted(text: str, seed: int) -> str:
    return corrupt(text, random.Random(seed))


def word_accuracy(reference: str, output: str) -> tuple[int, int]:
    """(reference tokens restored exactly, reference tokens), aligned with difflib."""
    ref, out = reference.split(), output.split()
    matcher = difflib.SequenceMatcher(None, ref, out, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()), len(ref)


# -- properties -----------------------------------------------------------------


@SETTINGS
@given(st.data())
def test_clean_text_only_has_its_whitespace_normalised(data):
    text = data.draw(english_text(REAL_NON_ASCII))
    x = data.draw(messy_whitespace(text))
    assert not is_corrupted(x)
    assert clean(x) == normalize_whitespace(x)
    assert clean(x).split() == text.split()


@SETTINGS
@given(english_text(), st.integers(min_value=0, max_value=2**32 - 1))
def test_clean_is_idempotent_on_corrupted_text(text, seed):
    y = corrupted(text, seed)
    once = clean(y)
    assert clean(once) == once


@SETTINGS
@given(english_text(), st.integers(min_value=0, max_value=2**32 - 1))
def test_no_noise_survives(text, seed):
    y = corrupted(text, seed)
    # Below the noise density the cleaner only normalises (that is what keeps clean text intact).
    assume(is_corrupted(y))
    out = clean(y)
    assert [c for c in out if is_noise_symbol(c)] == []
    for ch in "<>$":
        if ch not in text:
            assert ch not in out


def test_corrupt_inserts_the_noise_the_properties_rely_on():
    """Guard for the tests above: the noise model really corrupts the text (else they prove nothing)."""
    y = corrupted(GMT_TEXT, 0)
    assert is_corrupted(y)
    assert len(y) > len(GMT_TEXT) * 1.03
    assert set(y) & set(NON_ASCII_JUNK)
    assert set(y) & set("<>$")


@pytest.mark.parametrize("seeds", [range(5)], ids=["seeds-0-4"])
def test_word_accuracy_on_the_clean_translation(seeds):
    reference = normalize_whitespace(GMT_TEXT)
    restored = total = 0
    for seed in seeds:
        ok, n = word_accuracy(reference, clean(corrupted(GMT_TEXT, seed)))
        restored += ok
        total += n
    assert restored / total >= 0.99


# -- examples from the real noisy translation ---------------------------------------

#: Text from seeds/001 put before each example: its noise symbols lift the example above the noise density.
NOISY_CONTEXT = "the Nationalσ>€ Health Commission, the Ch✘♣ina State Railway Gro ♠up and "
CLEAN_CONTEXT = "the National Health Commission, the China State Railway Group and "


@pytest.mark.parametrize(
    ("noisy", "expected"),
    [
        ("Urban-Rura ™ l Development", "Urban-Rural Development"),
        ("the People&apo∞•s;s Bank of China", "the People's Bank of China"),
        ("agricultural production, and farmers& ∏apos; lives", "agricultural production, and farmers' lives"),
        ("standard work or<ganizations should", "standard work organizations should"),
        ("the Mini™&βφstry of Industry", "the Ministry of Industry"),
        ("thπ$$e key direction", "the key direction"),
        ("the coordinat''ed development strate>₩$gy", "the coordinated development strategy"),
        ("in ↕π±building standardized public d>γatasets", "in building standardized public datasets"),
    ],
)
def test_real_noise_examples_are_repaired(noisy, expected):
    text = NOISY_CONTEXT + noisy
    assert is_corrupted(text)
    assert clean(text) == CLEAN_CONTEXT + expected


def test_pure_ascii_junk_is_only_removed_in_noisy_text():
    """ "or<ganizations" has no noise symbol of its own: it is repaired because its text is noisy."""
    assert clean("Standard work or<ganizations should cooperate.") == "Standard work or<ganizations should cooperate."
    noisy = "The new generation of communic'<±ation networks and other standard work or<ganizations should stren ₽gthen"
    assert clean(noisy) == (
        "The new generation of communication networks and other standard work organizations should strengthen"
    )


@pytest.mark.parametrize(
    "phrase",
    [
        '"signal upgrading"',
        '"5G + Industrial Internet"',
        "5G +",
        "MIIT Communications[2024] No. 165",
        "farmers' lives",
        "People's Bank",
        '"three synchronizations"',
    ],
)
def test_real_text_survives_in_the_noisy_seed(full_seed, phrase):
    assert phrase in clean(full_seed.read_text(encoding="utf-8"))


def test_noisy_seed_is_fully_cleaned(full_seed):
    out = clean(full_seed.read_text(encoding="utf-8"))
    assert [c for c in out if is_noise_symbol(c)] == []
    assert not set(out) & set("<>$")
    # Every double quote in the cleaned text is paired within its paragraph.
    assert all(line.count('"') % 2 == 0 for line in out.split("\n"))
    # Spot checks of words the noise split or joined.
    for fragment in (
        "Ministry of Housing and Urban-Rural Development",
        'the special action of "signal upgrading", promote the large-scale deployment of "5G + industrial Internet"',
        "cloud-network-edge integrated intelligent scheduling",
        "the evolution of IPv6 technology",
        "the 2nd and 3rd Plenary Sessions of the 20th CPC Central Committee",
    ):
        assert fragment in out


def test_html_entities_are_decoded():
    assert clean("Research &amp; development") == "Research & development"
    assert clean("AT&amp;T and &lt;b&gt; and &quot;x&quot;") == 'AT&T and <b> and "x"'
    # Double-encoded entities decode fully, so cleaning stays idempotent.
    assert clean("R&amp;amp;D") == "R&D"
    noisy = "Research &amp; devel∑opment of new ★facilities"
    assert clean(noisy) == "Research & development of new facilities"


def test_clean_seed_passes_through_unchanged(gmt_seed):
    text = gmt_seed.read_text(encoding="utf-8")
    assert clean(text) == normalize_whitespace(text) == text.strip()


def test_whitespace_normalisation():
    assert normalize_whitespace("  a \t b\u00a0 c  \r\n\r\n\r\n\r\nd  \n") == "a b c\n\nd"


# -- known bugs -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("noisy", "expected"),
    [
        (
            "Promote the brand &♣image; build new ★facilities ♥now and ∑then.",
            "Promote the brand image; build new facilities now and then.",
        ),
        # From the GPL-3 text corrupted with seed 0 (benchmarks/clean_accuracy.py): "&it;" is U+2062.
        ("Notices displayed by wo★rks containing '₽±&it; or", "Notices displayed by works containing it; or"),
    ],
)
def test_junk_ampersand_before_entity_like_word_is_not_decoded(noisy, expected):
    out = clean(noisy)
    assert [c for c in out if is_noise_symbol(c)] == []
    assert out == expected


@pytest.mark.xfail(
    strict=True,
    reason="kb.clean: quotes are paired per line, so in hard-wrapped text a quotation spanning a line break is dropped",
)
def test_quotation_across_a_line_break_survives():
    noisy = 'a notice ♥stating that it is\ngoverned by a term that is a "further\nrestriction", you may ∑remove it.'
    expected = 'a notice stating that it is\ngoverned by a term that is a "further\nrestriction", you may remove it.'
    assert clean(noisy) == expected


def test_ampersand_in_acronym_survives_in_noisy_text():
    noisy = "Support R&D in ★key ♥fields and ∑the AT&T network."
    assert clean(noisy) == "Support R&D in key fields and the AT&T network."


# -- the decoder's shortcuts change nothing -------------------------------------------------


class _Exhaustive(cleaning._Decoder):
    """The decoder as first written: every combination of a run scored on its whole window, every sweep.

    The real decoder shares work between combinations with a common prefix,
    decides adjacent spaces together and reuses a decision whose surroundings
    did not change; it must choose exactly what this one chooses.
    """

    def _decide(self, unit, decided) -> bool:
        if len(unit) > cleaning.MAX_JOINT:
            return any([self._decide([item], decided) for item in unit])
        before = [self.deleted[i] for i, _, _ in unit]
        best, best_choice = -math.inf, before
        for choice in itertools.product((False, True), repeat=len(unit)):
            for (i, _, _), d in zip(unit, choice, strict=True):
                self.deleted[i] = d
            lo, hi = self._token_bounds(unit[0][0], unit[-1][0])
            score = sum(dc if d else kc for (_, dc, kc), d in zip(unit, choice, strict=True))
            score += sum(self._token_score(t) for t in self._kept_text(lo, hi).split())
            if score > best + 1e-9:
                best, best_choice = score, list(choice)
        for (i, _, _), d in zip(unit, best_choice, strict=True):
            self.deleted[i] = d
        return best_choice != before


#: Junk that makes long runs of suspects: blanks, quotes and signs next to noise symbols.
DENSE_JUNK = st.text(alphabet=" \"&<>$'★€→", min_size=1, max_size=8)


@st.composite
def densely_corrupted(draw) -> str:
    text = draw(english_text())
    words = text.split(" ")
    out = []
    for w in words:
        out.append(w)
        if draw(st.booleans()):
            out.append(draw(DENSE_JUNK))
    return "★→€ " + " ".join(out)


@settings(max_examples=40, deadline=None)
@given(densely_corrupted())
def test_decoder_chooses_what_exhaustive_scoring_chooses(text):
    assert cleaning._Decoder(text).run() == _Exhaustive(text).run()


@pytest.mark.parametrize("seed", range(3))
def test_decoder_matches_exhaustive_scoring_on_corrupted_seed_text(seed):
    text = corrupt(GMT_TEXT, random.Random(seed), mean_gap=3)
    assert cleaning._Decoder(text).run() == _Exhaustive(text).run()


def test_the_spaces_made_plain_are_the_unicode_space_separators_and_the_tab():
    """normalize_whitespace writes out Unicode's space separators (category Zs); they must be exactly those."""
    import sys
    import unicodedata

    from kb.clean import SPACES

    separators = {c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Zs"} - {ord(" ")}
    assert set(SPACES) == separators | {ord("\t")}


def test_whitespace_is_normalised_as_before():
    from kb.clean import normalize_whitespace

    text = "a\u00a0b\u3000c\td\u2009e  f \r\n\r\n\r\ng\u200bh\u2028i "
    assert normalize_whitespace(text) == "a b c d e f\n\ng\u200bh\u2028i"
