"""A searchable knowledge base of Chinese government policy notices in English translation.

Data flows one way: sources -> :mod:`kb.clean` -> :mod:`kb.outline` and
:mod:`kb.corpus` (sections and chunks) -> :mod:`kb.index` -> :mod:`kb.search`
-> the command line (:mod:`kb.cli`) and the web site (:mod:`web`).
"""

__version__ = "0.1.0"
