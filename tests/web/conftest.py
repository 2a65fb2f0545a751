"""Fixtures for the web site's tests (flaskr style): a corpus, an index, the app, a client.

The corpus is the library of several notices (tests/library.py: the seeds and
four generated notices) plus one hostile document whose headings and text
carry markup; the index is built once per session.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from kb import index as kb_index
from web import create_app

HOSTILE_NAME = "zz_hostile.txt"
#: Translation name the corpus loader gives the hostile file (a slug of its stem); its notice has no
#: document number, so the notice's id is the same slug.
HOSTILE = "zz-hostile"
HOSTILE_TEXT = """\
Hostile Test Notice on Script Injection

1. Hostile section <b>bold</b>
(1) Script test. Body with <script>alert(1)</script> and <img src=x onerror=alert(1)> and &lt;tag&gt;.
(2) Second hostile subsection. More text about script tags and markup safety.
2. Another hostile section
(1) Plain text. Nothing special here except the word script again.
"""


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The library of several notices plus the hostile document."""
    from library import write_library

    directory = tmp_path_factory.mktemp("corpus")
    write_library(directory)
    (directory / HOSTILE_NAME).write_text(HOSTILE_TEXT, encoding="utf-8")
    return directory


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("index")


@pytest.fixture(scope="session")
def app(corpus: Path, index_dir: Path):
    """The site over the test corpus; building the index once here keeps the suite fast."""
    kb_index.build(corpus, index_dir)
    return create_app({"TESTING": True, "KB_INDEX": index_dir, "KB_CORPUS": corpus})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


# -- the real site in a real browser (tests/browsing.py) ---------------------------------


@pytest.fixture(scope="session")
def server(corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    """`kb serve` on a free port over the test corpus, with its own index (built by the command): one for every
    browser test of the corpus, which only reads it."""
    from serving import kb_serve

    index = tmp_path_factory.mktemp("browser-index")
    log_path = tmp_path_factory.mktemp("browser-server") / "server.log"
    with kb_serve(index, corpus, log_path) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for one module (Playwright's sync API cannot run two at once, so none outlives it)."""
    from browsing import launched

    with launched() as chromium:
        yield chromium


@pytest.fixture()
def watched(browser, server):
    """Pages of the site whose console errors, page errors and dialogs fail the test."""
    from browsing import Watched

    w = Watched(browser, server)
    yield w
    w.close()
    if w.problems:
        pytest.fail("the browser reported problems:\n" + "\n".join(w.problems), pytrace=False)


@pytest.fixture()
def page(watched):
    return watched.page()


@pytest.fixture(scope="session")
def chinese_client(chinese_corpus: Path, chinese_build):
    app = create_app({"TESTING": True, "KB_INDEX": chinese_build.path.parent, "KB_CORPUS": chinese_corpus})
    return app.test_client()


@pytest.fixture(scope="session")
def hostile() -> str:
    """Id of the hostile document's notice, which is also the name of its one translation."""
    return HOSTILE


# -- a tiny DOM for structural checks (stdlib only) -------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    """An element: tag, attributes, children (nodes and strings)."""

    def __init__(self, tag: str, attrs: list[tuple[str, str | None]], parent: Node | None = None) -> None:
        self.tag = tag
        self.attrs = {k: (v if v is not None else "") for k, v in attrs}
        self.parent = parent
        self.children: list[Node | str] = []

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}>"

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def iter(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.iter()

    def find_all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Node]:
        found = []
        for n in self.iter():
            if n is self or (tag and n.tag != tag) or (cls and cls not in n.classes):
                continue
            if all(n.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items()):
                found.append(n)
        return found

    def find(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node | None:
        found = self.find_all(tag, cls, **attrs)
        return found[0] if found else None

    def one(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Node:
        found = self.find(tag, cls, **attrs)
        assert found is not None, f"no <{tag or '*'}> class={cls} {attrs} in the page"
        return found

    def by_id(self, id_: str) -> Node | None:
        return next((n for n in self.iter() if n.attrs.get("id") == id_), None)

    def links(self) -> list[str]:
        return [a.attrs["href"] for a in self.find_all("a") if "href" in a.attrs]


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [])
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in _VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


@pytest.fixture(scope="session")
def parse():
    """parse(html) -> Node: the page as a small tree with find/find_all/one/by_id/text."""
    return parse_html


@pytest.fixture()
def get_page(client, parse):
    """get_page(url, status=200) -> (response, tree): fetches a page and checks its status and type."""

    def fetch(url: str, status: int = 200):
        with client.get(url) as response:
            response.get_data()
        assert response.status_code == status, f"{url}: {response.status_code}"
        assert response.mimetype == "text/html", f"{url}: {response.mimetype}"
        return response, parse(response.get_data(as_text=True))

    return fetch
