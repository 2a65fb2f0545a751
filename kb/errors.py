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


class SectionMissing(NotFound):
    """A section a translation lacks. ``elsewhere`` names the notice's translations that have it (none: the
    section is missing from every one), so that a page or an API answer can send the reader there."""

    def __init__(self, message: str, notice: str, section: str, elsewhere: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.notice = notice
        self.section = section
        self.elsewhere = elsewhere
