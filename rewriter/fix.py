"""Applying edits: non-overlapping, all of a fix or none of it."""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from rewriter.edits import Edit

_LINE_END = re.compile(r"\r\n|\r|\n")


def with_newline(edits: Iterable[Edit], newline: str) -> tuple[Edit, ...]:
    """Edits whose inserted line ends match the file's own."""
    if newline == "\n":
        return tuple(edits)
    return tuple(Edit(e.start, e.end, _LINE_END.sub(newline, e.content)) for e in edits)


def choose_compatible(fixes: Sequence[tuple[Edit, ...]]) -> list[int]:
    """Indexes of fixes that can be applied together, first come first served.

    A fix whose edits overlap an already chosen edit waits for the next pass.
    Identical edits (two fixes adding the same import) are compatible.
    """
    taken: list[Edit] = []
    chosen: list[int] = []
    for index, edits in enumerate(fixes):
        if all(_compatible(edit, other) for edit in edits for other in taken):
            chosen.append(index)
            taken.extend(edits)
    return chosen


def _compatible(a: Edit, b: Edit) -> bool:
    if a == b:
        return True
    if a.start == a.end == b.start == b.end:
        return True  # two insertions at one point: both go in, in a fixed order
    return a.end <= b.start or b.end <= a.start


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (duplicates collapse) in one left-to-right sweep."""
    pieces: list[str] = []
    position = 0
    for edit in sorted(set(edits)):
        if edit.start < position:
            raise ValueError(f"overlapping edits at offset {edit.start}")
        pieces.append(text[position:edit.start])
        pieces.append(edit.content)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)
