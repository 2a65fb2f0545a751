"""Safety: headers, no inline code (the CSP forbids it), hostile text and queries shown as text only,
bad input answered with 4xx pages (never 500), no way out of the site's own files."""

from __future__ import annotations

import re
from itertools import product

import pytest
from library import MOF, SEED_NOTICE

#: The seed notice's pages: its full translation, its partial one (which lacks sections 1-3), a comparison.
NOTICE = f"/notices/{SEED_NOTICE}/"
FULL = f"/notices/{SEED_NOTICE}/full"
GMT = f"/notices/{SEED_NOTICE}/gmt"
COMPARE = f"/notices/{SEED_NOTICE}/compare"
#: The hostile document: notice ``zz-hostile``, translation ``zz-hostile`` (tests/web/conftest.py).
HOSTILE_NOTICE = "/notices/zz-hostile/"
HOSTILE_DOC = "/notices/zz-hostile/zz-hostile"

HTML_PAGES = [
    "/",
    "/?year=2024",
    "/search",
    "/search?q=submarine+cables",
    "/search?q=submarine+cables&issuer=Ministry+of+Finance&sort=date",
    "/search?q=satelite",
    "/search?q=xyzzyqqq",
    "/search?q=development&page=2",
    "/search?q=script",
    NOTICE,
    f"/notices/{MOF.id}/",
    FULL,
    GMT + "?q=security",
    FULL + "/6.1",
    FULL + "/front",
    HOSTILE_NOTICE,
    HOSTILE_DOC,
    HOSTILE_DOC + "/1.1",
    COMPARE + "/6.1",
    COMPARE + "/1.3",
    f"/notices/{MOF.id}/compare/4",
]
ERROR_PAGES = [
    "/notices/nope/",
    FULL + "/9.9",
    "/doc/full",  # two notices have a translation "full": a 404 with a pointer
    "/search?q=x&page=0",
    "/search?q=" + "a" * 501,
    "/nope",
]
OTHER = [
    "/api/search?q=x",
    "/api/notices",
    f"/api/notices/{SEED_NOTICE}",
    f"/api/notices/{SEED_NOTICE}/full/sections/6.1",
    "/api/openapi.json",
    "/api/nope",
    "/opensearch.xml",
    "/static/app.js",
    "/static/style.css",
    "/doc/english",  # a permanent redirect
]

HOSTILE_RAW = ("<script>alert", "<img", "<b>", "<tag>")


def _get(client, url: str):
    with client.get(url) as response:
        response.get_data()
    return response


def _body(client, url: str, status: int = 200) -> str:
    response = _get(client, url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    return response.get_data(as_text=True)


# -- headers ------------------------------------------------------------------------------


@pytest.mark.parametrize("url", HTML_PAGES + ERROR_PAGES + OTHER)
def test_security_headers_on_every_response(client, url):
    response = _get(client, url)
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp, csp
    assert directives.get("default-src") == ["'self'"], csp
    assert directives.get("script-src") == ["'self'"], csp
    assert directives.get("object-src") == ["'none'"], csp
    assert "frame-ancestors" in directives and "base-uri" in directives
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") in ("same-origin", "no-referrer", "strict-origin-when-cross-origin")


def _only_own_scripts(tree) -> bool:
    """Every script of the page is one of the site's own files (a page may load its own beside app.js)."""
    scripts = tree.find_all("script")
    return bool(scripts) and all(
        s.attrs.get("src", "").startswith("/static/") and s.attrs["src"].endswith(".js") and not s.text.strip()
        for s in scripts
    )


@pytest.mark.parametrize("url", HTML_PAGES + ERROR_PAGES)
def test_no_inline_code_or_styles(client, parse, url):
    """The CSP blocks inline scripts, styles and handlers: a page must not rely on any."""
    response = _get(client, url)
    assert response.mimetype == "text/html"
    tree = parse(response.get_data(as_text=True))
    scripts = tree.find_all("script")
    assert scripts, "the enhancement script should be loaded"
    for script in scripts:
        assert script.attrs.get("src", "").startswith("/static/"), script
        assert not script.text.strip(), f"inline script body: {script.text[:80]!r}"
    assert not tree.find_all("style")
    for node in tree.iter():
        assert "style" not in node.attrs, f"style= on {node}"
        handlers = [a for a in node.attrs if a.startswith("on")]
        assert not handlers, f"event handler attribute on {node}"
        for attr in ("href", "src", "action"):
            assert not node.attrs.get(attr, "").strip().lower().startswith("javascript:"), node


# -- the hostile document ----------------------------------------------------------------


SCRIPT_TEXT = "<script>alert(1)</script>"
IMG_TEXT = "<img src=x onerror=alert(1)>"
BOLD_TEXT = "Hostile section <b>bold</b>"


@pytest.mark.parametrize(
    "url,shown",
    [
        ("/", ["Hostile Test Notice on Script Injection"]),
        (HOSTILE_NOTICE, [BOLD_TEXT]),
        (HOSTILE_DOC, [BOLD_TEXT, SCRIPT_TEXT, IMG_TEXT]),
        (HOSTILE_DOC + "/1", [BOLD_TEXT]),
        (HOSTILE_DOC + "/1.1", [BOLD_TEXT, SCRIPT_TEXT, IMG_TEXT]),
        (HOSTILE_DOC + "?q=script", [BOLD_TEXT, SCRIPT_TEXT, IMG_TEXT]),
        (HOSTILE_DOC + "?q=img+src+onerror+alert", [BOLD_TEXT, SCRIPT_TEXT, IMG_TEXT]),
        (HOSTILE_DOC + "/1.1?q=script+alert", [BOLD_TEXT, SCRIPT_TEXT, IMG_TEXT]),
        ("/notices/zz-hostile/compare/1", [BOLD_TEXT]),
        ("/notices/zz-hostile/compare/1.1", [SCRIPT_TEXT, IMG_TEXT]),
        ("/search?q=script", [BOLD_TEXT, SCRIPT_TEXT, IMG_TEXT]),
        ("/search?q=onerror", [BOLD_TEXT, IMG_TEXT]),
        ("/search?q=img", [BOLD_TEXT, IMG_TEXT]),
        ("/search?q=script&notice=zz-hostile", [BOLD_TEXT, SCRIPT_TEXT, IMG_TEXT]),
    ],
)
def test_hostile_document_is_shown_as_text(client, parse, url, shown):
    body = _body(client, url)
    for raw in HOSTILE_RAW:
        assert raw not in body, f"{raw!r} unescaped in {url}"
    tree = parse(body)
    assert not tree.find_all("img") and not tree.find_all("b")
    assert _only_own_scripts(tree)
    text = tree.one("main").text  # <mark>s are elements: their text joins the rest
    for expected in shown:
        assert expected in text, f"{expected!r} not shown as text on {url}"


def test_hostile_section_text_round_trips(client, parse):
    tree = parse(_body(client, HOSTILE_DOC + "/1.1"))
    text = tree.one("div", cls="section-body").text
    assert "Body with <script>alert(1)</script> and <img src=x onerror=alert(1)> and <tag>." in text


@pytest.mark.parametrize("q", ["lt", "gt", "amp", "quot", "39", "lt gt amp script"])
def test_marking_never_breaks_entities(client, q):
    """Marking words of the query must not split the escapes of < > & ' in the text."""
    body = _body(client, f"{HOSTILE_DOC}?q={q.replace(' ', '+')}")
    assert not re.search(r"&<mark>|&#<mark>", body)
    assert "&lt;" in body and "&gt;" in body
    for raw in HOSTILE_RAW:
        assert raw not in body
    full = _body(client, f"{FULL}?q={q.replace(' ', '+')}")
    assert not re.search(r"&<mark>|&#<mark>", full)


def test_hostile_document_in_the_api_is_data(client, hostile):
    section = client.get(f"/api/notices/{hostile}/{hostile}/sections/1.1").get_json()
    assert section["text"] == "Body with <script>alert(1)</script> and <img src=x onerror=alert(1)> and <tag>."
    for hit in client.get("/api/search?q=script+img+onerror&limit=100").get_json()["results"]:
        tags = re.findall(r"<[^>]*>", hit["snippet_html"])
        assert set(tags) <= {"<mark>", "</mark>"}, tags
    notice = client.get(f"/api/notices/{hostile}").get_json()
    assert "Hostile section <b>bold</b>" in [s["title"] for s in notice["sections"]]


# -- hostile queries ----------------------------------------------------------------------

HOSTILE_QUERIES = [
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</q><b>x</b>",
]


@pytest.mark.parametrize("q", HOSTILE_QUERIES)
def test_hostile_query_is_echoed_escaped_on_the_results_page(client, parse, q):
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<script>alert" not in body and "<img src=x" not in body and "<b>x</b>" not in body
    tree = parse(body)
    assert tree.one("input", id_="q").attrs["value"] == q  # round-trips as the box's value
    assert q in tree.one("h1").text and q in tree.one("title").text
    assert _only_own_scripts(tree) and not tree.find_all("img") and not tree.find_all("b")
    for link in tree.links():
        assert not link.lower().startswith("javascript:")


@pytest.mark.parametrize("q", HOSTILE_QUERIES)
@pytest.mark.parametrize("path", [FULL, FULL + "/6.1", HOSTILE_DOC, NOTICE, COMPARE + "/6.1"])
def test_hostile_query_is_escaped_on_document_pages(client, parse, q, path):
    response = client.get(path, query_string={"q": q})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<script>alert" not in body and "<img src=x" not in body and "<b>x</b>" not in body
    tree = parse(body)
    assert _only_own_scripts(tree) and not tree.find_all("img")


@pytest.mark.parametrize("q", HOSTILE_QUERIES)
def test_hostile_query_in_the_api(client, q):
    response = client.get("/api/search", query_string={"q": q})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"  # never sniffed as HTML
    data = response.get_json()
    assert data["query"] == q  # data, not markup
    for hit in data["results"]:
        assert set(re.findall(r"<[^>]*>", hit["snippet_html"])) <= {"<mark>", "</mark>"}


def test_hostile_names_in_error_pages_are_escaped(client, parse):
    hostile = "%3Cimg%20src=x%20onerror=alert(1)%3E"
    for url, message in [
        (f"/notices/{hostile}/", "there is no notice '<img src=x onerror=alert(1)>'"),
        (f"/notices/{SEED_NOTICE}/{hostile}", "has no translation '<img src=x onerror=alert(1)>'"),
        (f"/doc/{hostile}", "no notice has a translation called '<img src=x onerror=alert(1)>'"),
    ]:
        body = _body(client, url, 404)
        assert "<img" not in body, url
        assert message in parse(body).one("main").text, url
    data = client.get(f"/api/notices/{hostile}").get_json()
    assert data["error"] == {
        "status": 404,
        "title": "Not Found",
        "message": "there is no notice '<img src=x onerror=alert(1)>'",
    }


# -- bad input: 4xx pages -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url,status,title",
    [
        ("/search?q=" + "a" * 501, 400, "Bad Request"),
        ("/search?q=x&page=0", 400, "Bad Request"),
        ("/search?q=x&page=abc", 400, "Bad Request"),
        ("/search?q=x&page=-1", 400, "Bad Request"),
        ("/search?q=x&page=1001", 400, "Bad Request"),
        ("/search?q=x&translation=nope", 400, "Bad Request"),
        ("/search?q=x&notice=nope", 400, "Bad Request"),
        ("/search?q=x&issuer=nope", 400, "Bad Request"),
        ("/search?q=x&year=abc", 400, "Bad Request"),
        ("/search?q=x&type=nope", 400, "Bad Request"),
        ("/search?q=x&sort=nope", 400, "Bad Request"),
        ("/?year=abc", 400, "Bad Request"),
        ("/?issuer=nope", 400, "Bad Request"),
        ("/?page=0", 400, "Bad Request"),
        ("/?page=2", 404, "Not Found"),
        ("/notices/nope/", 404, "Not Found"),
        ("/notices/nope/full", 404, "Not Found"),
        ("/notices/nope/full/6.1", 404, "Not Found"),
        (f"/notices/{SEED_NOTICE}/nope", 404, "Not Found"),
        (f"/notices/{SEED_NOTICE}/nope/6.1", 404, "Not Found"),
        (FULL + "/9.9", 404, "Not Found"),
        (FULL + "/1.1", 404, "Not Found"),
        (GMT + "/1.3", 404, "Not Found"),
        (FULL + "/1.1.1", 404, "Not Found"),
        (FULL + "/-1", 404, "Not Found"),
        (FULL + "?page=2", 404, "Not Found"),
        (FULL + "?page=0", 400, "Bad Request"),
        (COMPARE + "/9.9", 404, "Not Found"),
        (COMPARE + "/abc", 404, "Not Found"),
        ("/doc/nope", 404, "Not Found"),
        ("/doc/full", 404, "Not Found"),
        ("/compare/9.9", 404, "Not Found"),
        ("/compare/2.1", 404, "Not Found"),
        ("/compare/abc", 404, "Not Found"),
        ("/nope", 404, "Not Found"),
    ],
)
def test_bad_input_gets_an_html_error_page(client, parse, url, status, title):
    response = _get(client, url)
    assert response.status_code == status
    assert response.mimetype == "text/html"
    tree = parse(response.get_data(as_text=True))
    assert tree.one("h1").text == title
    assert tree.one("main").find("p").text.strip(), "the page says what went wrong"
    assert "/" in tree.one("main").links()  # a way back
    assert tree.one("input", id_="q") is not None  # and the search box


def test_error_pages_explain_themselves(client):
    assert "limit is 500 characters" in _body(client, "/search?q=" + "a" * 501, 400)
    assert "there is no notice 'nope'" in _body(client, "/notices/nope/", 404).replace("&#39;", "'")
    assert "has no translation 'nope' (it has: full, gmt)" in _body(
        client, f"/notices/{SEED_NOTICE}/nope", 404
    ).replace("&#39;", "'")
    assert "section 1 (1) is not in any translation of this notice" in _body(client, FULL + "/1.1", 404)
    assert "is not in the GMT Eight translation" in _body(client, GMT + "/1.3", 404)
    assert "There is no page 2" in _body(client, FULL + "?page=2", 404)
    assert "no notice was issued by" in _body(client, "/search?q=x&issuer=nope", 400)
    assert "year must be a year such as 2024" in _body(client, "/?year=abc", 400)
    assert "The order must be one of: relevance, date." in _body(client, "/search?q=x&sort=nope", 400)


@pytest.mark.parametrize(
    "url",
    [
        FULL + "/..%2f..%2fetc%2fpasswd",
        "/notices/%2e%2e/",
        "/notices/%2e%2e/%2e%2e/pyproject.toml",
        f"/notices/{SEED_NOTICE}/%2e%2e/%2e%2e/pyproject.toml",
        "/notices/..%2f..%2fpyproject.toml/",
        "/doc/full/..%2f..%2fetc%2fpasswd",
        "/doc/%2e%2e/",
        "/doc/%2e%2e/%2e%2e/pyproject.toml",
        "/doc/..%2f..%2fpyproject.toml",
        "/static/../pyproject.toml",
        "/static/%2e%2e/pyproject.toml",
        "/static/..%2fpyproject.toml",
        "/static/..%5cpyproject.toml",
        "/static/../../../../etc/passwd",
        "/static/%2e%2e%2f%2e%2e%2fkb/settings.py",
        "/static//etc/passwd",
        "/api/notices/..%2f..%2fetc%2fpasswd",
        f"/api/notices/{SEED_NOTICE}/full/sections/..%2f..%2fetc%2fpasswd",
        "/api/documents/..%2f..%2fetc%2fpasswd",
        "/compare/..%2f..%2fetc%2fpasswd",
    ],
)
def test_no_way_out_of_the_site(client, url):
    with client.get(url, follow_redirects=True) as response:
        body = response.get_data(as_text=True)
    assert response.status_code == 404, f"{url}: {response.status_code}"
    assert all(r.status_code in (301, 308) for r in response.history)  # "//" is merged, then 404
    assert "[project]" not in body and "root:" not in body and "def default_corpus" not in body


# -- nothing odd makes a 500 --------------------------------------------------------------

ODD_VALUES = [
    "%00",
    "6.1%00",
    "%C3%A9t%C3%A9",
    "%F0%9F%92%A9",
    "%E2%80%AE",
    "%EF%BC%96",  # fullwidth 6
    "%D9%A3",  # arabic-indic 3
    "%ff%fe",
    "%",
    "%0A",
    "+",
    "x" * 3000,
    "1.1.1",
    "-1",
    "front",
    "FRONT",
    "0",
    "00",
    "99.99",
    "1e3",
    "..",
    "title:",
    "(((",
    "*",
    "a~9",
]
ODD_TEMPLATES = [
    "/notices/{}/",
    f"/notices/{SEED_NOTICE}/{{}}",
    FULL + "/{}",
    GMT + "/{}",
    COMPARE + "/{}",
    "/doc/{}",
    "/doc/english/{}",
    "/compare/{}",
    "/compare/2.1?notice={}",
    "/api/notices/{}",
    f"/api/notices/{SEED_NOTICE}/full/sections/{{}}",
    "/api/documents/english/sections/{}",
    "/search?q={}",
    "/api/search?q={}",
    FULL + "?q={}",
    FULL + "?page={}",
    FULL + "?section={}",
    "/?page={}",
    "/?issuer={}",
    "/?year={}",
    "/?type={}",
    "/search?q=x&page={}",
    "/search?q=x&notice={}",
    "/search?q=x&issuer={}",
    "/search?q=x&year={}",
    "/search?q=x&type={}",
    "/search?q=x&translation={}",
    "/search?q=x&sort={}",
    "/api/search?q=x&limit={}",
    "/api/search?q=x&offset={}",
    "/api/search?q=x&year={}",
    "/api/search?q=x&sort={}",
    "/api/notices?limit={}",
    "/api/notices?offset={}",
    "/api/notices?issuer={}",
]


def test_odd_inputs_never_make_a_500(client):
    failures = []
    for template, value in product(ODD_TEMPLATES, ODD_VALUES):
        url = template.format(value)
        response = _get(client, url)
        if response.status_code >= 500:
            failures.append((url[:80], response.status_code))
        if url.startswith("/api/") and response.status_code != 301:  # a legacy route's redirect is not an answer
            assert response.mimetype == "application/json", url[:80]
    assert not failures, failures


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
@pytest.mark.parametrize("url", ["/", "/search?q=x", NOTICE, FULL, FULL + "/6.1", "/api/search?q=x", "/api/notices"])
def test_other_methods_are_405(client, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        "/search?q=x&page=%C2%B2",
        "/api/search?q=x&limit=%C2%B3",
    ],
)
def test_superscript_digits_are_a_bad_request(client, url):
    assert _get(client, url).status_code == 400


# -- the Host header never reaches the links the site gives out -------------------------------

HOSTILE_HOSTS = ['evil.example/"><script>', "attacker.test", "attacker.test:8080", "a b", "x:99999", "é.example"]
BASE = "https://kb.example.org/policy"


def _given_out_urls(client, parse, host: str) -> tuple[str, str]:
    """The OpenSearch search template and the citation of a section page, as served to ``host``."""
    response = client.get("/opensearch.xml", headers={"Host": host})
    assert response.status_code == 200
    template = re.search(r'template="([^"]*)"', response.get_data(as_text=True))[1]
    response = client.get(FULL + "/6.1", headers={"Host": host})
    assert response.status_code == 200
    citation = parse(response.get_data(as_text=True)).one("output", id_="citation").text
    return template, citation


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
def test_base_url_is_used_whatever_the_host_header(app, client, parse, monkeypatch, host):
    monkeypatch.setitem(app.config, "BASE_URL", BASE)
    template, citation = _given_out_urls(client, parse, host)
    assert template == BASE + "/search?q={searchTerms}"
    assert citation.endswith(", " + BASE + FULL + "/6.1")
    for part in ("evil", "attacker", "script", "99999", "é"):
        assert part not in template and part not in citation


@pytest.mark.parametrize("host", ['evil.example/"><script>', "a b", "x:99999", "é.example", "evil.example\\x", "[::1"])
def test_odd_host_headers_never_appear_without_a_base_url(app, client, parse, monkeypatch, host):
    """No base URL configured: a Host that is not a plain host[:port] gives relative links, not a broken host."""
    monkeypatch.setitem(app.config, "BASE_URL", None)
    template, citation = _given_out_urls(client, parse, host)
    assert template == "/search?q={searchTerms}"
    assert citation.endswith(", " + FULL + "/6.1")
    assert "http" not in citation and "script" not in template


@pytest.mark.parametrize("host", ["localhost", "kb.example.net:8080", "127.0.0.1:5000", "[::1]:5000"])
def test_plain_host_headers_are_used_without_a_base_url(app, client, parse, monkeypatch, host):
    monkeypatch.setitem(app.config, "BASE_URL", None)
    template, citation = _given_out_urls(client, parse, host)
    assert template == f"http://{host}/search?q={{searchTerms}}"
    assert citation.endswith(f", http://{host}{FULL}/6.1")


def test_base_url_from_the_environment(corpus, index_dir, monkeypatch):
    from web import create_app

    monkeypatch.setenv("KB_BASE_URL", "https://kb.example.org/")
    app = create_app({"TESTING": True, "KB_INDEX": index_dir, "KB_CORPUS": corpus})
    assert app.config["BASE_URL"] == "https://kb.example.org"
    body = app.test_client().get("/opensearch.xml", headers={"Host": "attacker.test"}).get_data(as_text=True)
    assert 'template="https://kb.example.org/search?q={searchTerms}"' in body


@pytest.mark.parametrize(
    "value",
    [
        "kb.example.org",
        "ftp://kb.example.org",
        "https://",
        "https://kb.example.org/?q=1",
        "https://kb.example.org/#top",
        "https://user:pw@kb.example.org",
        "https://kb.example.org:99999",
        'https://kb.example.org/"><script>',
        "https://kb example.org",
        "https://evil.example\\@kb.example.org",
        "javascript:alert(1)",
    ],
)
def test_bad_base_urls_are_refused_in_one_line(value):
    from kb.errors import KnowledgeBaseError
    from kb.settings import check_base_url

    with pytest.raises(KnowledgeBaseError) as info:
        check_base_url(value)
    message = str(info.value)
    assert "\n" not in message and "base URL" in message


@pytest.mark.parametrize(
    "value, expected",
    [
        ("https://kb.example.org", "https://kb.example.org"),
        ("https://kb.example.org/", "https://kb.example.org"),
        ("http://127.0.0.1:8080/kb/", "http://127.0.0.1:8080/kb"),
        ("http://[::1]:5000", "http://[::1]:5000"),
    ],
)
def test_good_base_urls_are_kept_without_a_trailing_slash(value, expected):
    from kb.settings import check_base_url

    assert check_base_url(value) == expected


@pytest.mark.parametrize("path", ["/", "/search?q=security", "/static/style.css", "/api/search?q=security"])
def test_a_host_header_werkzeug_refuses_is_a_400_not_a_500(client, path):
    response = client.get(path, headers={"Host": "x" * 64 + ".example"})  # a DNS label over 63 characters
    assert response.status_code == 400
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _only_own_scripts(tree) -> bool:
    """Every script on the page is one of the site's own files (a page may load its own beside app.js)."""
    scripts = tree.find_all("script")
    return bool(scripts) and all(s.attrs.get("src", "").startswith("/static/") and not s.text.strip() for s in scripts)
