"""`--output-format sarif`: a SARIF 2.1.0 log for code-scanning uploads."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from rewriter.output.notebook_rows import notebook_file_rows
from rewriter.results import Diagnostic, FileOutcome

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/tfrewrite/"


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
        rows = notebook_file_rows(outcome)
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
