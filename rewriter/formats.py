"""Output for machines and reviewers: SARIF, GitHub annotations, statistics, reports, diffs.

Every function takes outcomes (already sorted by path) and returns text; nothing here
reads settings files or decides exit codes.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from rewriter import emit
from rewriter.results import Diagnostic, FileOutcome, Status

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/tfrewrite/"

# --- diffs ---------------------------------------------------------------------------

_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_STYLES = {"header": "\033[1m", "hunk": "\033[36m", "+": "\033[32m", "-": "\033[31m"}
_RESET = "\033[0m"


def file_diff(outcome: FileOutcome) -> str:
    """The unified diff of one outcome; a notebook's hunks name the cells they change."""
    diff = emit.unified_diff(outcome.original or "", outcome.fixed or "", outcome.path)
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


def colorize_diff(diff: str) -> str:
    """ANSI colours for a terminal: headers bold, hunk headers cyan, +/- green/red."""
    out = []
    for line in diff.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        if body.startswith(("--- ", "+++ ")):
            style = _STYLES["header"]
        elif body.startswith("@@"):
            style = _STYLES["hunk"]
        elif body[:1] in ("+", "-"):
            style = _STYLES[body[0]]
        else:
            out.append(line)
            continue
        out.append(f"{style}{body}{_RESET}{ending}")
    return "".join(out)


def use_color(choice: str, stream: Any) -> bool:
    """`--color auto` colours only a terminal, and never when NO_COLOR is set."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


# --- statistics ----------------------------------------------------------------------


def statistics(diagnostics: Iterable[Diagnostic], unsafe_fixes: bool, as_json: bool = False) -> str:
    """A count per rule, most frequent first (Ruff's `--statistics`)."""
    diagnostics = list(diagnostics)
    counts = Counter(d.code for d in diagnostics)
    names = {d.code: d.name for d in diagnostics}
    fixable = Counter(d.code for d in diagnostics if d.fix_applicable(unsafe_fixes))
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if as_json:
        return (
            json.dumps(
                [
                    {
                        "code": code,
                        "name": names[code],
                        "count": count,
                        "fixable": fixable[code] == count,
                        "fixable_count": fixable[code],
                    }
                    for code, count in rows
                ],
                indent=2,
            )
            + "\n"
        )
    if not rows:
        return ""
    width = max(len(str(count)) for _, count in rows)
    return "".join(
        f"{count:>{width}}\t{code}\t{'[*] ' if fixable[code] == count else '[-] ' if fixable[code] else '    '}"
        f"{names[code]}\n"
        for code, count in rows
    )


# --- GitHub workflow annotations -------------------------------------------------------


def github(outcomes: list[FileOutcome]) -> str:
    """`::error file=...,line=...,col=...,endLine=...,endColumn=...,title=AG001::message`.

    A notebook's findings point at the JSON line holding the source line (where GitHub
    shows the file), and the message names the cell.
    """
    out = []
    for outcome in outcomes:
        if outcome.failed:
            out.append(f"::error file={_property(outcome.path)},title=tfrewrite::{_data(outcome.error or 'error')}\n")
            continue
        rows = _file_rows(outcome)
        for d in outcome.diagnostics:
            if d.cell is None:
                where = f"line={d.row},col={d.column},endLine={d.end_location.row},endColumn={d.end_location.column}"
                message = d.message
            else:
                line = rows(d.cell, d.row) or 1
                where = f"line={line},endLine={line}"
                message = f"cell {d.cell}:{d.row}:{d.column}: {d.message}"
            out.append(f"::error file={_property(d.filename)},{where},title={_property(d.code)}::{_data(message)}\n")
    return "".join(out)


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _file_rows(outcome: FileOutcome) -> Callable[[int, int], int | None]:
    """For notebooks: the JSON file's row of a cell row (the file as it is now)."""
    if not outcome.path.endswith(".ipynb"):
        return lambda cell, row: None
    from rewriter.notebook import file_rows

    try:
        with open(outcome.path, "rb") as handle:
            return file_rows(handle.read())
    except OSError:
        return lambda cell, row: None


# --- SARIF 2.1.0 -----------------------------------------------------------------------


def sarif(outcomes: list[FileOutcome], unsafe_fixes: bool) -> str:
    """A SARIF 2.1.0 log with one run, for code-scanning uploads.

    Paths are relative to the current directory (`%SRCROOT%`); columns count Unicode
    code points. Fixes are included for findings in Python files; notebook findings
    point at the notebook's JSON line and name the cell.
    """
    from rewriter._version import __version__
    from rewriter.rules import REGISTRY

    rules = list(REGISTRY)
    index = {rule.CODE: i for i, rule in enumerate(rules)}
    results = []
    notifications = []
    for outcome in outcomes:
        if outcome.failed:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{outcome.path}: {outcome.error}"},
                    "locations": [{"physicalLocation": {"artifactLocation": _artifact(outcome.path)}}],
                }
            )
            continue
        rows = _file_rows(outcome)
        for d in outcome.diagnostics:
            results.append(_sarif_result(d, index, rows, unsafe_fixes))
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "tfrewrite",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_sarif_rule(rule) for rule in rules],
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": _directory_uri(os.getcwd())}},
        "columnKind": "unicodeCodePoints",
        "invocations": [
            {
                "executionSuccessful": not notifications,
                "toolExecutionNotifications": notifications,
            }
        ],
        "results": results,
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _sarif_rule(rule: Any) -> dict[str, Any]:
    doc = rule.module_docstring()
    summary = doc.strip().splitlines()[0] if doc.strip() else rule.MESSAGE
    return {
        "id": rule.CODE,
        "name": rule.NAME,
        "shortDescription": {"text": rule.MESSAGE},
        "fullDescription": {"text": summary},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": "error"},
        "properties": {"fixTitle": rule.FIX_TITLE, "tags": ["tensorflow", "tf.function"]},
    }


def _sarif_result(
    d: Diagnostic, index: dict[str, int], rows: Callable[[int, int], int | None], unsafe_fixes: bool
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": d.code,
        "level": "error",
        "message": {"text": d.message},
    }
    if d.code in index:
        result["ruleIndex"] = index[d.code]
    if d.cell is None:
        region = _region(d.location.row, d.location.column, d.end_location.row, d.end_location.column)
    else:
        line = rows(d.cell, d.row) or 1
        region = {"startLine": line, "endLine": line}
        result["message"] = {"text": f"cell {d.cell}:{d.row}:{d.column}: {d.message}"}
        result["properties"] = {"cell": d.cell, "cellRow": d.row, "cellColumn": d.column}
    result["locations"] = [{"physicalLocation": {"artifactLocation": _artifact(d.filename), "region": region}}]
    if d.fix is not None and d.cell is None and d.fix.edits:
        result["fixes"] = [
            {
                "description": {"text": f"{d.fix.message} ({d.fix.applicability})"},
                "artifactChanges": [
                    {
                        "artifactLocation": _artifact(d.filename),
                        "replacements": [
                            {
                                "deletedRegion": _region(
                                    e.location.row, e.location.column, e.end_location.row, e.end_location.column
                                ),
                                "insertedContent": {"text": e.content},
                            }
                            for e in d.fix.edits
                        ],
                    }
                ],
            }
        ]
        result.setdefault("properties", {})["fixApplicable"] = d.fix_applicable(unsafe_fixes)
    return result


def _region(row: int, column: int, end_row: int, end_column: int) -> dict[str, int]:
    return {"startLine": row, "startColumn": column, "endLine": end_row, "endColumn": end_column}


def _artifact(path: str) -> dict[str, str]:
    from urllib.parse import quote

    path = path.replace(os.sep, "/")
    if os.path.isabs(path):
        return {"uri": "file://" + quote(path)}
    return {"uri": quote(path), "uriBaseId": "%SRCROOT%"}


def _directory_uri(directory: str) -> str:
    from pathlib import Path

    uri = Path(directory).resolve().as_uri()
    return uri if uri.endswith("/") else uri + "/"


# --- the migration report --------------------------------------------------------------


def report(outcomes: list[FileOutcome], unsafe_fixes: bool, mode: str, as_json: bool) -> str:
    """Per file: what changed (or would), by which rule, and every finding that still
    needs a person, with the reason. `mode` is "fix", "diff" or "check"."""
    files = []
    totals: Counter[str] = Counter()
    by_rule: dict[str, Counter[str]] = {}
    for outcome in outcomes:
        if outcome.status is Status.SKIPPED:
            totals["skipped"] += 1
            continue
        entry: dict[str, Any] = {"path": outcome.path, "status": outcome.status.value}
        if outcome.failed:
            entry["error"] = outcome.error
            entry["note"] = "left as it was"
            totals["failed"] += 1
            files.append(entry)
            continue
        found = outcome.found or outcome.diagnostics
        fixed = [d for d in found if d.fix_applicable(unsafe_fixes)] if outcome.status is Status.CHANGED else []
        if mode == "fix":
            left = outcome.diagnostics
        else:
            left = [d for d in found if not d.fix_applicable(unsafe_fixes)]
        entry["changed"] = [_finding(d) for d in fixed]
        entry["needs_review"] = [dict(_finding(d), reason=_reason(d, unsafe_fixes)) for d in left]
        for d in fixed:
            by_rule.setdefault(d.code, Counter())["fixed"] += 1
        for d in left:
            by_rule.setdefault(d.code, Counter())["needs_review"] += 1
        totals["looked_at"] += 1
        totals["changed"] += bool(fixed)
        totals["fixes"] += len(fixed)
        totals["needs_review"] += len(left)
        if fixed or left:
            files.append(entry)
    names = {d.code: d.name for o in outcomes for d in (o.found or o.diagnostics)}
    summary = {
        "files_looked_at": totals["looked_at"],
        "files_changed": totals["changed"],
        "files_failed": totals["failed"],
        "files_skipped": totals["skipped"],
        "fixes": totals["fixes"],
        "needs_review": totals["needs_review"],
        "written": mode == "fix",
    }
    rules = [
        {"code": code, "name": names.get(code, ""), "fixed": c["fixed"], "needs_review": c["needs_review"]}
        for code, c in sorted(by_rule.items())
    ]
    if as_json:
        from rewriter._version import __version__

        document = {
            "tool": "tfrewrite",
            "version": __version__,
            "mode": mode,
            "summary": summary,
            "rules": rules,
            "files": files,
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return _markdown(mode, summary, rules, files)


def _finding(d: Diagnostic) -> dict[str, Any]:
    item: dict[str, Any] = {"code": d.code, "name": d.name, "row": d.row, "column": d.column, "message": d.message}
    if d.cell is not None:
        item["cell"] = d.cell
    if d.fix is not None:
        item["fix"] = {"applicability": d.fix.applicability, "message": d.fix.message}
    return item


def _reason(d: Diagnostic, unsafe_fixes: bool) -> str:
    if d.fix is None:
        return "no automatic fix: the rewrite cannot be proven to keep behaviour here"
    if d.fix.applicability == "display-only":
        return f"suggestion only, never applied automatically: {d.fix.message}"
    if d.fix.applicability == "unsafe" and not unsafe_fixes:
        return f"unsafe fix not applied (it may change behaviour; --unsafe-fixes applies it): {d.fix.message}"
    return "the fix did not apply"


def _markdown(mode: str, summary: dict[str, Any], rules: list[dict[str, Any]], files: list[dict[str, Any]]) -> str:
    verb = "Fixed" if mode == "fix" else "Would fix"
    lines = ["# tfrewrite migration report", ""]
    lines.append(f"Mode: `{mode}` ({'changes written' if mode == 'fix' else 'nothing written'}).")
    lines.append("")
    lines.append(
        f"- Files looked at: {summary['files_looked_at']} ({summary['files_skipped']} skipped without graph code)"
    )
    lines.append(f"- Files {'changed' if mode == 'fix' else 'to change'}: {summary['files_changed']}")
    lines.append(f"- {verb}: {summary['fixes']} {'finding' if summary['fixes'] == 1 else 'findings'}")
    lines.append(f"- Needing a person: {summary['needs_review']}")
    lines.append(f"- Files that could not be processed (left as they were): {summary['files_failed']}")
    if rules:
        lines += ["", "## By rule", "", f"| Rule | Name | {verb} | Needs a person |", "|---|---|---:|---:|"]
        lines += [f"| {r['code']} | {r['name']} | {r['fixed']} | {r['needs_review']} |" for r in rules]
    if files:
        lines += ["", "## Files"]
    for entry in files:
        lines += ["", f"### `{entry['path']}`", ""]
        if "error" in entry:
            lines.append(f"- **Error**, left as it was: {entry['error']}")
            continue
        for item in entry["changed"]:
            lines.append(
                f"- {verb} {_where(item)} `{item['code']}` {item['name']}: "
                f"{item['fix']['message']} ({item['fix']['applicability']})"
            )
        for item in entry["needs_review"]:
            lines.append(
                f"- **Needs a person** {_where(item)} `{item['code']}` {item['name']}: "
                f"{item['message']}. *Why:* {item['reason']}"
            )
    return "\n".join(lines) + "\n"


def _where(item: dict[str, Any]) -> str:
    cell = f"cell {item['cell']}:" if "cell" in item else ""
    return f"at {cell}{item['row']}:{item['column']}"
