"""Turns a fix's ImportRequests into text edits at one well-defined place."""

from __future__ import annotations

import ast
import sys

from rewriter.edits import Edit, ImportRequest
from rewriter.source import LineIndex

_STDLIB = frozenset(sys.stdlib_module_names)


def import_edits(requests: tuple[ImportRequest, ...], tree: ast.Module, lines: LineIndex) -> tuple[Edit, ...]:
    edits = []
    for request in requests:
        offset, needs_break, new_group, after_group = _insertion_point(request.module, tree, lines)
        statement = (
            f"import {request.module}"
            if request.module == request.name
            else f"import {request.module} as {request.name}"
        )
        content = f"\n{statement}" if needs_break else f"{statement}\n"
        if new_group:
            content += "\n"  # the first of its group (standard library, third party)
        if after_group:
            content = "\n" + content  # a section of its own after the last one
        edits.append(Edit(offset, offset, content))
    return tuple(edits)


def _insertion_point(module: str, tree: ast.Module, lines: LineIndex) -> tuple[int, bool, bool, bool]:
    """Where `import module` goes, roughly where isort would put it.

    In the leading block of top-level imports: before the first import that sorts after
    it (standard library first, then the rest, by name); after the block otherwise.
    With no imports: after the docstring, else after leading comment lines.
    """
    key = _sort_key(module, False)
    block: list[ast.stmt] = []
    for index, node in enumerate(tree.body):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            block.append(node)
        elif index == 0 and _is_docstring(node):
            continue
        elif block:
            break
    previous_group = None
    previous: ast.stmt | None = None
    for node in block:
        name = _imported_module(node)
        node_key = _sort_key(name, isinstance(node, ast.ImportFrom))
        if name != "__future__" and node_key > key:
            if previous is not None and previous_group == key[0] and node_key[0] != key[0]:
                # The last of its own section: right after it, before the blank line.
                return lines.line_start((previous.end_lineno or previous.lineno) + 1), False, False, False
            new_group = previous_group != key[0] and node_key[0] != key[0]
            return lines.line_start(node.lineno), False, new_group, False
        previous_group = None if name == "__future__" else node_key[0]
        previous = node
    anchor: ast.stmt | None = (
        block[-1] if block else (tree.body[0] if tree.body and _is_docstring(tree.body[0]) else None)
    )
    if block and previous_group is not None and previous_group != key[0]:
        # After the last group, of another section: a blank line between the sections.
        row = block[-1].end_lineno or block[-1].lineno
        if row < len(lines.line_starts):
            return lines.line_start(row + 1), False, False, True
        return len(lines.text), True, False, True
    if anchor is None:
        # Keep a shebang, coding cookie or licence header first.
        row = 1
        while row < len(lines.line_starts) and lines.line_text(row).lstrip().startswith("#"):
            row += 1
        return lines.line_start(row), False, False, False
    row = anchor.end_lineno or anchor.lineno
    if row < len(lines.line_starts):
        return lines.line_start(row + 1), False, False, False
    return len(lines.text), True, False, False  # the anchor is on the last line, which has no line end


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _imported_module(node: ast.stmt) -> str:
    if isinstance(node, ast.Import):
        return node.names[0].name
    assert isinstance(node, ast.ImportFrom)
    return "." * node.level + (node.module or "")


def _sort_key(module: str, from_import: bool = False) -> tuple[int, bool, str]:
    """isort's and Ruff's order: sections (standard library, third party, local), and
    in each, `import x` before `from x import y` (force-sort-within-sections off), by name."""
    top = module.split(".")[0]
    if module.startswith("."):
        return 2, from_import, module
    return (0 if top in _STDLIB else 1), from_import, module.lower()
