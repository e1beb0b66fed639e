"""Which kind of source a path names, by its suffix.

Discovery and every file's first step ask this; it imports nothing, so a run whose
results are all cached need not import the Markdown machinery (rewriter.markdown).
"""

from __future__ import annotations

MARKDOWN_SUFFIXES = (".md", ".markdown", ".qmd")


def is_markdown(path: str) -> bool:
    return path.lower().endswith(MARKDOWN_SUFFIXES)
