"""`kb serve` as a real server: the responses waitress makes itself, and the public base URL.

waitress answers some requests without calling the application (a header
block over its limit, a request line it cannot parse, a bad Content-Length);
those responses must carry the same security headers as the site's own.
The requests are written on a raw socket, since an HTTP client would refuse
to send them.
"""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest
from serving import KB, free_port, kb_serve

from web.security import HEADERS

BASE_URL = "https://kb.example.org/policy"
#: Just over waitress's default max_request_header_size (256 KiB).
OVERSIZED = 262_144 + 1024


@pytest.fixture(scope="module")
def server(corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    """(host, port) of `kb serve --base-url` over the test corpus, with its own index."""
    index = tmp_path_factory.mktemp("serve-index")
    log_path = tmp_path_factory.mktemp("serve-log") / "server.log"
    with kb_serve(index, corpus, log_path, "--base-url", BASE_URL + "/") as port:
        yield "127.0.0.1", port


def get(path: bytes, host: bytes = b"localhost") -> bytes:
    """A well-formed GET that asks the server to close the connection after answering."""
    return b"GET " + path + b" HTTP/1.1\r\nHost: " + host + b"\r\nConnection: close\r\n\r\n"


def raw_exchange(address: tuple[str, int], request: bytes) -> tuple[str, dict[str, str], bytes]:
    """Send ``request`` as bytes and read until the server closes: (status line, headers, body).

    Well-formed requests must ask for ``Connection: close``; waitress closes
    after each of its error responses anyway.
    The server may close while the request is still being sent (it stops
    reading an oversized header) or reset the connection after answering;
    whatever arrived before that is the answer.
    """
    received = b""
    with socket.create_connection(address, timeout=10) as sock:
        try:
            sock.sendall(request)
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except ConnectionResetError:
            pass
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return lines[0], headers, body


def assert_security_headers(headers: dict[str, str]) -> None:
    for name, value in HEADERS.items():
        assert headers.get(name) == value, f"{name}: {headers.get(name)!r}"


def test_oversized_header_gets_431_with_security_headers(server):
    request = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + b"a" * OVERSIZED + b"\r\n\r\n"
    status, headers, body = raw_exchange(server, request)
    assert status.split()[1] == "431", status
    assert_security_headers(headers)
    assert headers["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GARBAGE\r\n\r\n",  # no method, path or version
        b"GET / HTTP/1.1 extra\r\nHost: localhost\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: localhost\r\nBad Header Name: x\r\n\r\n",
    ],
    ids=["request-line", "extra-token", "content-length", "header-name"],
)
def test_malformed_request_gets_400_with_security_headers(server, request_bytes):
    status, headers, _ = raw_exchange(server, request_bytes)
    assert status.split()[1] == "400", status
    assert_security_headers(headers)


def test_the_sites_own_responses_carry_the_same_headers(server):
    """One source for the values: a page and a 404 from Flask, through the same server."""
    for path in (b"/", b"/nope"):
        status, headers, _ = raw_exchange(server, get(path))
        assert status.split()[1] in ("200", "404"), status
        assert_security_headers(headers)


@pytest.mark.parametrize("host", [b"attacker.test", b'evil.example/"><script>'])
def test_served_links_use_the_base_url_not_the_host_header(server, host):
    _, _, body = raw_exchange(server, get(b"/opensearch.xml", host))
    assert f'template="{BASE_URL}/search?q={{searchTerms}}"'.encode() in body
    assert b"attacker" not in body and b"evil" not in body
    _, _, body = raw_exchange(server, get(b"/notices/miit-2024-165/full/6.1", host))
    assert f"{BASE_URL}/notices/miit-2024-165/full/6.1</output>".encode() in body
    assert b"attacker" not in body and b"evil" not in body


@pytest.mark.parametrize(
    "value", ["ftp://kb.example.org", "kb.example.org", "https://kb.example.org/?x=1", "http://a b"]
)
@pytest.mark.parametrize("source", ["option", "environment"])
def test_bad_base_url_stops_kb_serve_in_one_line(tmp_path, value, source):
    import os

    args = [str(KB), "--index", str(tmp_path / "index"), "serve", "--port", str(free_port())]
    env = dict(os.environ)
    if source == "option":
        args += ["--base-url", value]
    else:
        env["KB_BASE_URL"] = value
    result = subprocess.run(args, capture_output=True, text=True, timeout=30, env=env, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kb: error: invalid base URL"), result.stderr
    assert not (tmp_path / "index").exists(), "the URL is checked before any index is built"


def test_every_listening_socket_gets_the_secure_channel(app):
    """A host with several addresses makes waitress return a multi-socket server: each socket is covered."""
    import waitress

    from web.security import SecureChannel, secure_server

    server = waitress.create_server(app, listen="127.0.0.1:0 127.0.0.1:0")
    try:
        secure_server(server)
        listeners = [s for s in server.map.values() if hasattr(s, "channel_class")]
        assert len(listeners) == 2
        assert all(s.channel_class is SecureChannel for s in listeners)
    finally:
        server.close()
