"""Where the corpus and the index live, and how a user overrides it."""

from __future__ import annotations

import os
import re
from pathlib import Path

PROJECT_SEEDS = Path(__file__).resolve().parent.parent / "seeds"

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
#: ``host[:port]`` as a client of a real site sends it: DNS labels (or an IPv4 address), or a bracketed
#: IPv6 address, and an optional port. Only such a value may go into a link the site gives out.
_PLAIN_HOST = re.compile(rf"(?:{_LABEL}(?:\.{_LABEL})*|\[[0-9A-Fa-f:.]{{2,45}}\])(?::(?P<port>[0-9]{{1,5}}))?")
#: A base URL's path (a site behind a proxy at ``/kb``): plain characters only, as it goes into every link.
_SAFE_PATH = re.compile(r"[A-Za-z0-9._~%/-]*")
#: Longest host name DNS allows (253) plus a port.
_MAX_HOST = 253 + 6


def default_corpus() -> Path:
    """``KB_CORPUS`` if set, else the project's ``seeds/``."""
    return Path(os.environ.get("KB_CORPUS") or PROJECT_SEEDS)


def default_index() -> Path:
    """``KB_INDEX`` if set, else a data directory outside the source tree (XDG convention)."""
    if os.environ.get("KB_INDEX"):
        return Path(os.environ["KB_INDEX"])
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "policy-kb" / "index"


def check_base_url(value: str) -> str:
    """``value`` as the site's public base URL, without a trailing slash, or a one-line error.

    Links the site gives out to be kept (the OpenSearch description, citations)
    must not depend on the Host header a client sent, so the operator states
    the public address once. It must be absolute http(s) with a host and no
    query, fragment or credentials: anything else would end up inside every
    citation.
    """
    from urllib.parse import urlsplit

    from kb.errors import KnowledgeBaseError

    problem = None
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError as e:
        parts, problem = None, str(e)
    if problem is None:
        if any(ch.isspace() or not ch.isprintable() for ch in value):
            problem = "it contains spaces or control characters"
        elif parts.scheme not in ("http", "https"):
            problem = "it must start with http:// or https://"
        elif not parts.hostname:
            problem = "it has no host"
        elif parts.username is not None or parts.password is not None:
            problem = "it must not contain a user name or password"
        elif parts.query or parts.fragment or "?" in value or "#" in value:
            problem = "it must not have a query (?) or fragment (#)"
        elif not is_plain_host(parts.netloc):
            problem = "its host is not a plain host name or address"
        elif not _SAFE_PATH.fullmatch(parts.path):
            problem = "its path may hold only letters, digits and - . _ ~ % /"
    if problem:
        raise KnowledgeBaseError(f"invalid base URL {value!r}: {problem} (e.g. https://kb.example.org)")
    return value.rstrip("/")


def default_base_url() -> str | None:
    """``KB_BASE_URL`` if set (checked by :func:`check_base_url`), else ``None``: links follow the request."""
    value = os.environ.get("KB_BASE_URL")
    return check_base_url(value) if value else None


def is_plain_host(value: str) -> bool:
    """Whether ``value`` is a plain ``host[:port]`` (see ``_PLAIN_HOST``) with a port in 1-65535."""
    m = _PLAIN_HOST.fullmatch(value) if len(value) <= _MAX_HOST else None
    return bool(m) and (m["port"] is None or 0 < int(m["port"]) < 65536)
