"""The default output: one line per finding, then a summary (as Ruff prints them)."""

from __future__ import annotations

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
