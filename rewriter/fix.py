"""Applying edits: non-overlapping, all of a fix or none of it."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

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
    Identical edits (two fixes adding the same import) are compatible. Chosen edits are
    kept sorted, so each check looks only at the neighbours of an edit: a file with
    thousands of fixes takes n log n, not n squared.
    """
    taken: list[Edit] = []  # sorted; pairwise compatible while `sorted_scan` holds
    sorted_scan = True
    chosen: list[int] = []
    for index, edits in enumerate(fixes):
        if sorted_scan:
            fits = all(_fits(edit, taken) for edit in edits)
        else:
            fits = all(_compatible(edit, other) for edit in edits for other in taken)
        if fits:
            chosen.append(index)
            for edit in edits:
                bisect.insort(taken, edit)
            # A fix whose own edits overlap (a rule bug that apply_edits reports) breaks
            # the order the quick scan relies on; compare pair by pair from then on.
            sorted_scan = sorted_scan and all(_compatible(a, b) for i, a in enumerate(edits) for b in edits[i + 1 :])
    return chosen


def _fits(edit: Edit, taken: list[Edit]) -> bool:
    """True when `edit` is compatible with every edit of the sorted list `taken`.

    Two edits conflict when each starts before the other ends (and they differ). The
    edits of `taken` that start before `edit` ends are a prefix; as `taken` is pairwise
    compatible their ends never decrease, so those ending after `edit` starts are the
    tail of that prefix.
    """
    position = bisect.bisect_left(taken, edit.end, key=lambda other: other.start)
    while position > 0 and taken[position - 1].end > edit.start:
        position -= 1
        if taken[position] != edit:
            return False
    return True


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
        pieces.append(text[position : edit.start])
        pieces.append(edit.content)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)
