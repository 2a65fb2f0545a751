"""The error kinds the library raises for problems a person can act on.

Each kind says *who* can fix it, which is what the edges need: the web layer
maps each kind to one HTTP status (:mod:`web.errors`), the CLI maps every
kind to exit status 2 with its one-line message (:mod:`kb.cli`). Anything
else escaping the library is a bug, reported as such.
"""


class KnowledgeBaseError(Exception):
    """Bad input or a missing resource; the message is one line meant for a person."""


class InvalidRequest(KnowledgeBaseError):
    """What was asked cannot be answered as asked (a bad limit, a query too long): the caller fixes it."""


class NotFound(KnowledgeBaseError):
    """A notice, translation or section that is not in the knowledge base."""


class IndexUnavailable(KnowledgeBaseError):
    """No usable index: missing, damaged, untrusted or unreadable. The message says what to run."""
