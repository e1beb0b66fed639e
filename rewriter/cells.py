"""Code cells of a document (a notebook's code cells, a Markdown file's Python blocks).

The *view* of such a document is its cells' sources joined in order, each after a marker
line naming the cell (`# %% [cell 3]`); this module holds the cell and the markers.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

MARKER = "# %% [cell {number}]"
MARKER_LINE = re.compile(r"^# %% \[cell (\d+)\]$", re.MULTILINE)
_LINE_END = re.compile(r"\r\n|\r|\n")


class NotebookError(ValueError):
    """The notebook (or a document's code cells) cannot be read, parsed or rebuilt; a one-line reason."""


@dataclass(frozen=True)
class CellText:
    """One piece of code in a document of several (a notebook cell, a Markdown block)."""

    number: int  # 1-based; what the view's marker line names
    source: str

    @property
    def view_text(self) -> str:
        """The source as the view holds it: always ending with a line end when not empty."""
        if self.source and not self.source.endswith(("\n", "\r")):
            return self.source + "\n"
        return self.source

    @property
    def closed(self) -> bool:
        """Whether the view added a line end that the document does not have."""
        return self.view_text != self.source


def join_cells(parts: list[tuple[int, str]]) -> str:
    """The view of (cell number, text) pieces: each text after its marker line."""
    return "".join(MARKER.format(number=number) + "\n" + text for number, text in parts)


def view_markers(view: str) -> list[tuple[int, int]]:
    """(row, cell number) of every marker line of a view text."""
    starts = [0] + [m.end() for m in _LINE_END.finditer(view)]
    return [(bisect.bisect_right(starts, m.start()), int(m.group(1))) for m in MARKER_LINE.finditer(view)]


def count_lines(text: str) -> int:
    return len(_LINE_END.findall(text))
