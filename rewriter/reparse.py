"""Parsing a new version of a module from its previous tree: only the top-level statements
an edit touched are parsed again.

Parsing is a fifth of checking a 2,000-line file, and an edit in an editor usually
touches one statement. The text before the first changed line and after the last is the
same as before, and so are the top-level statements that lie wholly in it (the ones
after it move down or up by the lines the edit added or removed). The lines between the
last statement before the change and the first after it are parsed alone. When they
parse, the tokenizer is back at the start of a line outside any bracket or string where
the next statement begins, as it was, so the spliced tree is the tree `ast.parse` gives
for the whole text (`tests/test_reparse.py` compares them, positions included, over
random edits). When they do not parse, the whole text is parsed, for its error.
"""

from __future__ import annotations

import ast
import warnings

from rewriter.analyze.nodes import walk
from rewriter.analyze.syntax import first_row
from rewriter.source import LineIndex

_CHUNK = 4096


def reparse(old_text: str, old_tree: ast.Module, text: str) -> ast.Module | None:
    """The tree of `text`, reusing `old_tree` (the tree of `old_text`, given up: its
    unchanged statements move into the result); None when the changed lines do not
    parse alone (parse the whole text then) or nothing was reused."""
    if "barry_as_FLUFL" in text:  # a __future__ import that changes how `<>` parses
        return None
    if "\r" in old_text or "\r" in text:
        return None  # rows are counted by "\n" below
    head = _common_prefix(old_text, text)
    tail = _common_suffix(old_text, text, head)
    old_lines = LineIndex(old_text)
    first_changed = old_lines.row_col(head)[0]
    last_changed = old_lines.row_col(max(head, len(old_text) - tail - 1))[0] if len(old_text) > tail else first_changed
    body = old_tree.body
    before = [node for node in body if (node.end_lineno or node.lineno) < first_changed]
    after = [node for node in body if first_row(node) > last_changed]
    if not before and not after:
        return None
    shift = text.count("\n", head, len(text) - tail) - old_text.count("\n", head, len(old_text) - tail)
    lines = LineIndex(text)
    start_row = (before[-1].end_lineno or before[-1].lineno) + 1 if before else 1
    end_row = first_row(after[0]) + shift - 1 if after else len(lines.line_starts)
    start = lines.line_start(start_row) if start_row <= len(lines.line_starts) else len(text)
    end = lines.line_start(end_row + 1) if end_row < len(lines.line_starts) else len(text)
    if text.endswith("\\\n", 0, start):
        return None  # a line continued into the changed lines
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            middle = ast.parse(text[start:end])
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    _move(middle.body, start_row - 1)
    if shift:
        _move(after, shift)
    return ast.Module(body=before + middle.body + after, type_ignores=[])


def _move(statements: list[ast.stmt], rows: int) -> None:
    """Move every node of `statements` down by `rows` lines (up when negative)."""
    if not rows:
        return
    for statement in statements:
        for node in walk(statement):
            if "lineno" in node._attributes:
                node.lineno += rows  # type: ignore[attr-defined]
                end = getattr(node, "end_lineno", None)
                if end is not None:
                    node.end_lineno = end + rows  # type: ignore[attr-defined]


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix of `a` and `b`."""
    size = min(len(a), len(b))
    at = 0
    while at < size and a[at : at + _CHUNK] == b[at : at + _CHUNK]:
        at += _CHUNK
    at = min(at, size)
    end = min(at + _CHUNK, size)
    while at < end and a[at] == b[at]:
        at += 1
    return at


def _common_suffix(a: str, b: str, prefix: int) -> int:
    """The length of the longest common suffix of `a` and `b` that leaves `prefix` alone."""
    limit = min(len(a), len(b)) - prefix
    at = 0
    while at + _CHUNK <= limit and a[len(a) - at - _CHUNK : len(a) - at] == b[len(b) - at - _CHUNK : len(b) - at]:
        at += _CHUNK
    while at < limit and a[len(a) - at - 1] == b[len(b) - at - 1]:
        at += 1
    return at
