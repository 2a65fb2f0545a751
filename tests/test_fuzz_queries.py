"""Hostile queries, generated: through the web site, the JSON API and the library, nothing may crash.

Whatever is typed (random words, query syntax, operators, fields including
internal ones, ranges, fuzzy and prefix forms, control characters, lone
surrogates, right-to-left marks, huge numbers, very long words), the site
answers with a status below 500 and the API with JSON that parses strictly
(no NaN) and matches its OpenAPI description; the library returns a result
or raises one of its own error kinds.

The normal run tries FUZZ_EXAMPLES queries per test (a few seconds);
``pytest --slow`` or ``KB_FUZZ_EXAMPLES=20000`` runs thousands.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_schema import schema_errors

from kb import index as kb_index
from kb.errors import KnowledgeBaseError
from kb.search import KnowledgeBase
from web import create_app
from web.openapi import spec

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
#: Examples per test: enough in the normal run to catch a regression of a known crash, in seconds.
FUZZ_EXAMPLES = int(os.environ.get("KB_FUZZ_EXAMPLES", "120"))
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,  # the machine is shared and noisy; speed is the benchmarks' business
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- what hostile queries are made of ------------------------------------------------------

KNOWN = ["security", "data", "network", "satellite", "gigabit", "computing", "infrastructure", "cables", "5G"]
TYPOS = ["satelite", "goverment", "earthqauke", "secruity", "netwrok"]
STOP = ["the", "of", "who", "what", "to", "a", "not"]
OPERATORS = ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "and", "&&", "||", "!", "+", "-"]
FIELDS = [
    "title",
    "body",
    "parent_title",
    "section",
    "top",
    "translation",
    "heading",
    "sec",
    "s",
    # internal fields of the schema: a user may not name them
    "key",
    "order",
    "words",
    "notice",
    "number",
    "counterparts",
    "nosuchfield",
]
SYNTAX = list("\"'()[]{}<>*?~^:+-/\\!&|=,.;§") + ["*:*", "~2", "~5/9", "^2", "^0", "^-1", "^1e400", "^nan", " TO "]
ODD = [
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\u2066",
    "\ufeff",
    "\ufffd",
    "\u0301",  # combining acute accent
    "ﬁ",
    "İ",
    "ß",
    "数据安全",
    "\U0001f600",
    "٣",  # an Arabic-Indic digit
    "\ud800",  # lone surrogates: what invalid UTF-8 in a command line becomes
    "\udcff",
    "\t",
    "\n",
    "\r\n",
]

letters = st.text(alphabet=st.characters(min_codepoint=ord("a"), max_codepoint=ord("z")), min_size=1, max_size=12)
word = st.one_of(
    letters,
    st.sampled_from(KNOWN + TYPOS + STOP + OPERATORS),
    st.text(min_size=1, max_size=8),  # any code points, surrogates and controls included
    st.builds(lambda c, n: c * n, st.sampled_from("ax9-"), st.integers(20, 120)),  # very long words
    st.integers(-(10**60), 10**60).map(str),
)
fielded = st.builds(lambda f, w: f"{f}:{w}", st.sampled_from(FIELDS), word)
fuzzy = st.builds(
    lambda w, d, p: f"{w}~{d}" + (f"/{p}" if p is not None else ""),
    word,
    st.integers(0, 12),
    st.none() | st.integers(0, 40),
)
prefix = st.builds(lambda w: f"{w}*", word)
ranged = st.builds(lambda o, a, b, c: f"{o}{a} TO {b}{c}", st.sampled_from("[{<"), word, word, st.sampled_from("]}>"))
phrase = st.builds(lambda ws: '"' + " ".join(ws) + '"', st.lists(word, min_size=1, max_size=5))
boosted = st.builds(lambda w, b: f"{w}^{b}", word, st.sampled_from(["2", "0", "-1", "1e400", "nan", "inf", "9" * 40]))
token = st.one_of(
    word, word, fielded, fuzzy, prefix, ranged, phrase, boosted, st.sampled_from(SYNTAX), st.sampled_from(ODD)
)
separator = st.sampled_from([" ", " ", " ", "", "\t", "\n", "  "])
query = st.builds(
    lambda parts, seps: "".join(p + s for p, s in zip(parts, seps, strict=False)),
    st.lists(token, min_size=1, max_size=70),
    st.lists(separator, min_size=70, max_size=70),
)
huge = "9" * 5000
number = st.one_of(
    st.none(),
    st.integers(-5, 120).map(str),
    st.integers(0, 12_000).map(str),
    st.sampled_from(["", " ", "1.5", "1e3", "-0", "+3", "0x10", "٣", "０", "NaN", huge, "0" * 5000 + "5", huge + "x"]),
    st.text(max_size=6),
)


# -- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("fuzz-index")
    kb_index.build(SEEDS, directory)
    return directory


@pytest.fixture(scope="module")
def kb(index_dir: Path) -> KnowledgeBase:
    return KnowledgeBase(kb_index.current_build(index_dir))


@pytest.fixture(scope="module")
def client(index_dir: Path):
    app = create_app({"TESTING": True, "KB_INDEX": index_dir, "KB_CORPUS": SEEDS})
    return app.test_client()


@pytest.fixture(scope="module")
def api_spec() -> dict:
    return spec()


# -- checks ------------------------------------------------------------------------------


def url_value(text: str) -> str:
    """Percent-encoded as a browser would send it; lone surrogates become the invalid UTF-8 bytes they stand for."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def strict_json(body: str):
    """JSON as the standard defines it: NaN and Infinity are not JSON."""

    def refuse(constant: str):
        raise AssertionError(f"not JSON: {constant}")

    return json.loads(body, parse_constant=refuse)


def check_result(result) -> None:
    assert result.total >= len(result.hits) >= 0
    assert result.timed_out in (True, False) and result.truncated in (True, False)
    json.dumps(result.to_json(), allow_nan=False)
    for hit in result.hits:
        assert all(0 <= s < e <= len(hit.snippet.plain) for s, e in hit.snippet.spans)


# -- the properties ----------------------------------------------------------------------


@FUZZ
@given(text=query)
def test_library_search_returns_a_result_or_a_library_error(kb, text):
    try:
        result = kb.search(text)
    except KnowledgeBaseError as e:
        assert str(e) and "\n" not in str(e)
    else:
        check_result(result)


@FUZZ
@given(text=query, limit=number, offset=number, page=number, separate=st.sampled_from([None, "1", "yes", "x"]))
def test_api_answers_every_query_with_json_below_500(client, api_spec, text, limit, offset, page, separate):
    params = {"q": text, "limit": limit, "offset": offset, "page": page, "separate": separate}
    query_string = "&".join(f"{k}={url_value(v)}" for k, v in params.items() if v is not None)
    response = client.get(f"/api/search?{query_string}")
    assert response.status_code < 500, (text, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/json"
    data = strict_json(response.get_data(as_text=True))
    expected = "SearchResult" if response.status_code == 200 else "Error"
    assert schema_errors(data, {"$ref": f"#/components/schemas/{expected}"}, api_spec) == [], data
    if response.status_code == 200:
        assert data["total"] >= len(data["results"])
    else:
        assert response.status_code in (400, 404), response.status_code
        assert data["error"]["message"] and "\n" not in data["error"]["message"]


@FUZZ
@given(
    text=query,
    page=number,
    translation=st.sampled_from([None, "", "full", "gmt", "nosuch", "\udcff", "../x"]),
    section=st.sampled_from([None, "", "6", "front", "99", "6.1", "x", huge]),
)
def test_results_page_answers_every_query_below_500(client, text, page, translation, section):
    params = {"q": text, "page": page, "translation": translation, "section": section}
    query_string = "&".join(f"{k}={url_value(v)}" for k, v in params.items() if v is not None)
    response = client.get(f"/search?{query_string}")
    assert response.status_code < 500, (text, page)
    assert response.status_code in (200, 400, 404), response.status_code
    assert response.mimetype == "text/html"
    assert not re.search(r"Traceback|Internal Server Error", response.get_data(as_text=True))
