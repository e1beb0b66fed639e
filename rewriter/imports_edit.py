"""Turns a fix's ImportRequests into text edits at one well-defined place."""

from __future__ import annotations

import ast

from rewriter.edits import Edit, ImportRequest
from rewriter.source import LineIndex


def import_insertion_offset(tree: ast.Module, lines: LineIndex) -> tuple[int, bool]:
    """Where new module-level imports go, and whether a line break must precede them.

    After the last top-level import; with none, after the docstring and `__future__`
    imports; else at the top of the file.
    """
    anchor: ast.stmt | None = None
    for index, node in enumerate(tree.body):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            anchor = node
        elif index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
                and isinstance(node.value.value, str) and anchor is None:
            anchor = node
    if anchor is None:
        # Keep a shebang, coding cookie or licence header first.
        row = 1
        while row < len(lines.line_starts) and lines.line_text(row).lstrip().startswith("#"):
            row += 1
        return lines.line_start(row), False
    row = anchor.end_lineno or anchor.lineno
    if row < len(lines.line_starts):
        return lines.line_start(row + 1), False
    return len(lines.text), True  # the anchor is on the last line, which has no line end


def import_edits(requests: tuple[ImportRequest, ...], tree: ast.Module, lines: LineIndex) -> tuple[Edit, ...]:
    if not requests:
        return ()
    offset, needs_break = import_insertion_offset(tree, lines)
    edits = []
    for request in requests:
        statement = (f"import {request.module}" if request.module == request.name
                     else f"import {request.module} as {request.name}")
        content = f"\n{statement}" if needs_break else f"{statement}\n"
        edits.append(Edit(offset, offset, content))
    return tuple(edits)
