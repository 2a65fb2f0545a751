"""The one error family the library raises for problems a person can fix."""


class KnowledgeBaseError(Exception):
    """Bad input or a missing resource; the message is one line meant for a person."""
