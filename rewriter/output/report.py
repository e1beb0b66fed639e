"""`--report`: the migration report, per file what changed and what needs a person (Markdown or JSON)."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from rewriter.results import Diagnostic, FileOutcome, Status


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
