"""Turning outcomes into text: diagnostics (text or JSON), unified diffs, summaries."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable

from rewriter.results import Diagnostic, FileOutcome


def diagnostic_line(diagnostic: Diagnostic, unsafe_fixes: bool) -> str:
    where = f"{diagnostic.filename}:"
    if diagnostic.cell is not None:
        where += f"cell {diagnostic.cell}:"
    marker = " [*]" if diagnostic.fix_applicable(unsafe_fixes) else ""
    return f"{where}{diagnostic.row}:{diagnostic.column}: {diagnostic.code} {diagnostic.message}{marker}"


def text_report(diagnostics: Iterable[Diagnostic], unsafe_fixes: bool) -> str:
    return "".join(diagnostic_line(d, unsafe_fixes) + "\n" for d in diagnostics)


def json_report(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([d.to_json() for d in diagnostics], indent=2, ensure_ascii=False) + "\n"


def unified_diff(original: str, fixed: str, path: str) -> str:
    """A diff that `git apply` and `patch -p1` accept (with `a/` and `b/` prefixes)."""
    path = path.replace("\\", "/").lstrip("/")
    lines = difflib.unified_diff(
        _lines(original),
        _lines(fixed),
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


def _lines(text: str) -> list[str]:
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


def summary(outcomes: list[FileOutcome], unsafe_fixes: bool, fixing: bool) -> str:
    remaining = [d for o in outcomes for d in o.diagnostics]
    fixed = sum(o.fixed_count for o in outcomes)
    failed = sum(1 for o in outcomes if o.failed)
    not_checked = f"{failed} {_plural(failed, 'file')} could not be checked (the errors are above).\n" if failed else ""
    if fixing:
        if not remaining and not fixed:
            return not_checked or "All checks passed!\n"
        return (
            f"Found {len(remaining) + fixed} {_plural(len(remaining) + fixed, 'finding')} "
            f"({fixed} fixed, {len(remaining)} remaining).\n"
        ) + not_checked
    if not remaining:
        return not_checked or "All checks passed!\n"
    text = f"Found {len(remaining)} {_plural(len(remaining), 'finding')}.\n" + not_checked
    fixable = sum(d.fix_applicable(unsafe_fixes) for d in remaining)
    hidden = sum(1 for d in remaining if d.fix is not None and d.fix.applicability == "unsafe" and not unsafe_fixes)
    if fixable:
        text += f"[*] {fixable} fixable with `--fix`.\n"
    if hidden:
        text += f"({hidden} hidden {_plural(hidden, 'fix', 'fixes')} can be enabled with `--unsafe-fixes`.)\n"
    return text


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return word if count == 1 else (plural or word + "s")
