"""Unified diffs that `git apply` and `patch -p1` accept; a notebook's hunks name their cells."""

from __future__ import annotations

import re

from rewriter.results import FileOutcome

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def unified_diff(original: str, fixed: str, path: str) -> str:
    """A diff that `git apply` and `patch -p1` accept (with `a/` and `b/` prefixes)."""
    import difflib  # (here: a run that prints no diff need not import it)

    path = path.replace("\\", "/").lstrip("/")
    lines = difflib.unified_diff(
        split_lines(original),
        split_lines(fixed),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    out = []
    for line in lines:
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            # A last line without a line end needs the marker, or patch tools add one.
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def split_lines(text: str) -> list[str]:
    """Lines with their ends, split only where Python ends lines ("\\r\\n", "\\r", "\\n")."""
    lines: list[str] = []
    start = 0
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char == "\n" or char == "\r":
            end = index + 2 if text.startswith("\r\n", index) else index + 1
            lines.append(text[start:end])
            start = index = end
            continue
        index += 1
    if start < length:
        lines.append(text[start:])
    return lines


def file_diff(outcome: FileOutcome) -> str:
    """The unified diff of one outcome; a notebook's hunks name the cells they change."""
    diff = unified_diff(outcome.original or "", outcome.fixed or "", outcome.path)
    if outcome.path.endswith(".ipynb"):
        diff = label_cells(diff, outcome.original or "")
    return diff


def label_cells(diff: str, view: str) -> str:
    """Add ` cell N` after each hunk header of a diff over a notebook view (as git adds a
    function name); `git apply`, `patch` and `tfrewrite apply` ignore the label."""
    from rewriter.cells import view_markers

    markers = view_markers(view)

    def cell_of(row: int) -> int | None:
        found = None
        for index, (marker_row, number) in enumerate(markers):
            # A marker row is the end of the cell before it: lines added there go there.
            if marker_row < row or (index == 0 and marker_row == row):
                found = number
        return found

    lines = diff.splitlines(keepends=True)
    out = []
    index = 0
    while index < len(lines):
        line = lines[index]
        match = _HUNK.match(line)
        if not match or line.rstrip("\r\n") != match.group(0):
            out.append(line)
            index += 1
            continue
        row = int(match.group(1)) if match.group(2) != "0" else int(match.group(1)) + 1
        cells: list[int] = []
        body = index + 1
        while body < len(lines) and lines[body][:1] in (" ", "-", "+", "\\"):
            kind = lines[body][:1]
            if kind in "-+":
                number = cell_of(row)
                if number is not None and number not in cells:
                    cells.append(number)
            if kind in " -":
                row += 1
            body += 1
        label = ""
        if cells:
            label = (" cell " if len(cells) == 1 else " cells ") + ", ".join(map(str, cells))
        out.append(line.rstrip("\r\n") + label + "\n")
        out.extend(lines[index + 1 : body])
        index = body
    return "".join(out)
