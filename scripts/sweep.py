#!/usr/bin/env python3
"""Run `check --fix --unsafe-fixes` twice over a copy of a source tree and audit the result.

    scripts/sweep.py PATH [PATH ...] [--keep] [--json REPORT] [-- EXTRA CHECK ARGS]

The tree is copied to a temporary directory (the original is never written). The
report gives, per tree: files looked at, files changed, findings per rule, files that
failed and why, outputs that no longer compile (though the input did), files a second
run changes again (not idempotent), changed files without any graph scope (must be 0),
changed lines outside every graph scope other than added imports, Ruff F821/F841/F811
findings a fixed file has and its input had not (a fix that reads an unbound name), and
wall time.
Exit status 1 when any of failures, crashes, non-compiling outputs, non-idempotent
files, changes without graph code or new name findings were seen; 0 otherwise.
"""

from __future__ import annotations

import argparse
import ast
import collections
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rewriter.analyze import ModuleAnalysis  # noqa: E402
from rewriter.analyze.project import Incoming  # noqa: E402
from rewriter.settings import Settings  # noqa: E402
from rewriter.source import SourceDecodeError, decode_source  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from invariants import new_name_findings, rows_changed_outside, ruff_executable  # noqa: E402

MARKDOWN_SUFFIXES = (".md", ".markdown", ".qmd")
SUFFIXES = (".py", ".ipynb", *MARKDOWN_SUFFIXES)
_ERROR_LINE = re.compile(r"^(?P<path>.+?): error: (?P<reason>.*)$")


@dataclass
class Run:
    seconds: float
    returncode: int
    stdout: str
    stderr: str


@dataclass
class Report:
    tree: str
    files: int = 0
    changed: list[str] = field(default_factory=list)
    findings: collections.Counter[str] = field(default_factory=collections.Counter)
    fixable: collections.Counter[str] = field(default_factory=collections.Counter)
    failures: dict[str, str] = field(default_factory=dict)
    crashes: list[str] = field(default_factory=list)  # tracebacks or unexpected exit codes
    not_compiling: dict[str, str] = field(default_factory=dict)
    not_idempotent: list[str] = field(default_factory=list)
    no_graph_code: list[str] = field(default_factory=list)
    outside_scopes: dict[str, list[int]] = field(default_factory=dict)
    # Ruff F821/F841/F811 findings a fixed file has and its input had not (None: no ruff).
    new_name_findings: dict[str, list[tuple[str, str]]] | None = None
    first_run: float = 0.0
    second_run: float = 0.0
    wall: float = 0.0

    @property
    def bad(self) -> bool:
        return bool(
            self.failures
            or self.crashes
            or self.not_compiling
            or self.not_idempotent
            or self.no_graph_code
            or self.outside_scopes
            or self.new_name_findings
        )


def run_check(tree: Path, args: list[str]) -> Run:
    # -P: the tree's own modules (a `typing.py`) must not shadow the standard library.
    command = [
        sys.executable,
        "-P",
        "-m",
        "rewriter",
        "check",
        "--isolated",
        "--no-progress",
        "--no-cache",
        *args,
        str(tree),
    ]
    start = time.perf_counter()
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=tree, env={**os.environ, "PYTHONPATH": str(ROOT)}, errors="replace"
    )
    return Run(time.perf_counter() - start, result.returncode, result.stdout, result.stderr)


def snapshot(tree: Path) -> dict[str, bytes]:
    """Relative path -> content of every source file (others are hashed)."""
    files: dict[str, bytes] = {}
    for directory, _, names in os.walk(tree):
        for name in names:
            path = Path(directory, name)
            if path.is_symlink() or not path.is_file():
                continue
            relative = str(path.relative_to(tree))
            data = path.read_bytes()
            files[relative] = data if name.endswith(SUFFIXES) else hashlib.sha256(data).digest()
    return files


def compiles(relative: str, data: bytes) -> str | None:
    """None when the file compiles (every code cell, for a notebook); else why not."""
    try:
        if relative.endswith(".ipynb"):
            for index, cell in enumerate(notebook_cells(data)):
                problem = compiles(f"{relative}#cell{index + 1}.py", cell.encode("utf-8"))
                if problem:
                    return f"cell {index + 1}: {problem}"
            return None
        if relative.lower().endswith(MARKDOWN_SUFFIXES):
            # Only blocks that parse are code to the engine: the masked view must compile.
            return compiles(f"{relative}.py", markdown_text(data).encode("utf-8"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(data, relative, "exec", dont_inherit=True)
        return None
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return f"{type(exc).__name__}: {exc}"


def notebook_cells(data: bytes) -> list[str]:
    """Code cells of a notebook with IPython magics and shell escapes blanked out."""
    document = json.loads(data.decode("utf-8"))
    cells = []
    for cell in document.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        lines = [
            ("pass  # " + line.lstrip()) if line.lstrip().startswith(("%", "!", "?")) else line
            for line in text.splitlines()
        ]
        cells.append("\n".join(lines) + "\n")
    return cells


def notebook_text(data: bytes) -> str:
    """A notebook's code as the engine analyses it (its masked view), else its cells joined."""
    try:
        from rewriter.notebook import load
    except ImportError:
        return "".join(notebook_cells(data))
    return load(data).masked.text


def markdown_text(data: bytes) -> str:
    """A Markdown document's Python blocks as the engine analyses them (its masked view)."""
    from rewriter.markdown import load

    return load(data).masked.text


# Project wrappers given to `check` after `--`: the audit must see the same graph scopes.
GRAPH_DECORATORS: set[str] = set()


def graph_lines(relative: str, data: bytes, incoming: Incoming | None = None) -> set[int] | None:
    """Rows (1-based) covered by graph scopes, with decorators; None if unparsable.

    For a notebook the rows are those of its code cells joined in order.
    """
    try:
        text = _analysed_text(relative, data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
        module = ModuleAnalysis(text, tree, _settings(), relative, incoming)
        rows: set[int] = set()
        for scope in module.graph_scopes:
            node = scope.node
            first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
            rows.update(range(first, (node.end_lineno or node.lineno) + 1))
        return rows
    except (SyntaxError, ValueError, RecursionError, MemoryError, SourceDecodeError):  # NotebookError too
        return None


def lines_outside(relative: str, before: bytes, after: bytes, incoming: Incoming | None = None) -> list[int]:
    """Original rows changed outside graph code, or lines inserted into an eager function's
    body (the same check the property tests make: tests/invariants.py)."""
    return rows_changed_outside(_analysed_text(relative, before), _analysed_text(relative, after), incoming)


def _settings() -> Settings:
    return Settings(graph_decorators=frozenset(GRAPH_DECORATORS))


def project_facts(tree: Path) -> dict[str, Incoming]:
    """What the files of `tree` tell about each other, as `check` sees it, by relative path:
    a function that graph code in another file calls is graph code."""
    from rewriter.discover import discover
    from rewriter.project_index import build_index

    files = discover([str(tree)], _settings().exclude).files
    incoming = build_index(files, _settings()).incoming
    return {os.path.relpath(path, tree): facts for path, facts in incoming.items()}


def _analysed_text(relative: str, data: bytes) -> str:
    if relative.endswith(".ipynb"):
        return notebook_text(data)
    if relative.lower().endswith(MARKDOWN_SUFFIXES):
        return markdown_text(data)
    return decode_source(data).text


def _make_writable(tree: Path) -> None:
    for directory, _, files in os.walk(tree):
        for name in [directory, *(os.path.join(directory, f) for f in files)]:
            if not os.path.islink(name):
                os.chmod(name, os.stat(name).st_mode | 0o200)


def sweep(path: Path, extra: list[str], keep: bool) -> Report:
    report = Report(str(path))
    work = Path(tempfile.mkdtemp(prefix="tfrewrite-sweep-"))
    tree = work / path.name
    started = time.perf_counter()
    try:
        shutil.copytree(path, tree, symlinks=True)
        _make_writable(tree)  # a read-only source tree must not make its copy refuse fixes
        before = snapshot(tree)
        project = project_facts(tree)
        report.files = sum(1 for name in before if name.endswith(SUFFIXES))

        listing = run_check(tree, ["--unsafe-fixes", "--output-format", "json", *extra])
        _note_crash(report, "check", listing)
        try:
            for item in json.loads(listing.stdout or "[]"):
                report.findings[item["code"]] += 1
                if item.get("fix") and item["fix"]["applicability"] in ("safe", "unsafe"):
                    report.fixable[item["code"]] += 1
        except json.JSONDecodeError:
            report.crashes.append("check --output-format json printed no JSON")

        first = run_check(tree, ["--fix", "--unsafe-fixes", *extra])
        report.first_run = first.seconds
        _note_crash(report, "first --fix", first)
        for line in first.stderr.splitlines():
            match = _ERROR_LINE.match(line)
            if match:
                report.failures[match["path"]] = match["reason"]
        middle = snapshot(tree)

        second = run_check(tree, ["--fix", "--unsafe-fixes", *extra])
        report.second_run = second.seconds
        _note_crash(report, "second --fix", second)
        after = snapshot(tree)

        for relative in sorted(set(before) | set(middle)):
            old, new = before.get(relative), middle.get(relative)
            if old == new:
                continue
            report.changed.append(relative)
            if old is None or new is None or not relative.endswith(SUFFIXES):
                report.crashes.append(f"{relative}: created, deleted or non-source file changed")
                continue
            if compiles(relative, old) is None and (problem := compiles(relative, new)):
                report.not_compiling[relative] = problem
            if not graph_lines(relative, old, project.get(relative)):
                report.no_graph_code.append(relative)
            elif outside := lines_outside(relative, old, new, project.get(relative)):
                report.outside_scopes[relative] = outside
        report.not_idempotent = sorted(r for r in set(middle) | set(after) if middle.get(r) != after.get(r))
        report.new_name_findings = _new_name_findings(work, before, middle, report.changed)
        leftovers = [r for r in after if r.endswith(".tfrewrite")]
        report.crashes.extend(f"{r}: temporary file left behind" for r in leftovers)
    finally:
        report.wall = time.perf_counter() - started
        if keep:
            print(f"kept the fixed copy in {tree}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return report


def _new_name_findings(
    work: Path, before: dict[str, bytes], after: dict[str, bytes], changed: list[str]
) -> dict[str, list[tuple[str, str]]] | None:
    """Ruff's name findings that the fixes added to the changed Python files."""
    if ruff_executable() is None:
        return None
    sides = {"before": before, "after": after}
    for side, files in sides.items():
        for relative in changed:
            if relative.endswith(".py") and relative in before and relative in after:
                target = work / "names" / side / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(files[relative])
    if not (work / "names" / "after").exists():
        return {}
    (work / "names" / "before").mkdir(parents=True, exist_ok=True)
    return new_name_findings(work / "names" / "before", work / "names" / "after")


def _note_crash(report: Report, what: str, run: Run) -> None:
    if "Traceback" in run.stderr or "Traceback" in run.stdout:
        report.crashes.append(f"{what}: traceback on the output:\n{run.stderr[-2000:]}")
    if run.returncode not in (0, 1, 2):
        report.crashes.append(f"{what}: exit status {run.returncode}\n{run.stderr[-2000:]}")


def render(report: Report) -> str:
    out = [
        f"== {report.tree}",
        f"files: {report.files}   changed: {len(report.changed)}   "
        f"wall: {report.wall:.1f}s (first --fix {report.first_run:.1f}s, second {report.second_run:.1f}s)",
    ]
    findings = (
        ", ".join(f"{code} {count} ({report.fixable[code]} fixable)" for code, count in sorted(report.findings.items()))
        or "none"
    )
    out.append(f"findings: {findings}")
    out.append(
        f"failures: {len(report.failures)}   not compiling: {len(report.not_compiling)}   "
        f"not idempotent: {len(report.not_idempotent)}   changed without graph code: "
        f"{len(report.no_graph_code)}   changed outside graph scopes: {len(report.outside_scopes)}   "
        f"new name findings: {'n/a' if report.new_name_findings is None else len(report.new_name_findings)}   "
        f"crashes: {len(report.crashes)}"
    )
    for path, added in sorted((report.new_name_findings or {}).items()):
        out.append(f"  new name findings: {path}: " + "; ".join(f"{code} {message}" for code, message in added))
    reasons = collections.Counter(_reason_kind(r) for r in report.failures.values())
    for reason, count in reasons.most_common():
        out.append(f"  failure x{count}: {reason}")
    for path, reason in sorted(report.failures.items()):
        out.append(f"    {path}: {reason}")
    for title, items in (("not compiling", report.not_compiling), ("outside scopes", report.outside_scopes)):
        for path, why in sorted(items.items()):
            out.append(f"  {title}: {path}: {why}")
    for title, paths in (("not idempotent", report.not_idempotent), ("no graph code", report.no_graph_code)):
        for path in paths:
            out.append(f"  {title}: {path}")
    for crash in report.crashes:
        out.append(f"  crash: {crash}")
    return "\n".join(out) + "\n"


def _reason_kind(reason: str) -> str:
    """A failure reason without the positions, to group alike failures."""
    return re.sub(r"\(line \d+, column \d+\)|line \d+|offset \d+|byte 0x\w+", "…", reason)[:160]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    parser.add_argument("--keep", action="store_true", help="keep the fixed copy and print where it is")
    parser.add_argument("--json", type=Path, metavar="REPORT", help="also write the reports as JSON")
    argv = list(sys.argv[1:] if argv is None else argv)
    split = argv.index("--") if "--" in argv else len(argv)
    arguments = parser.parse_args(argv[:split])
    extra = argv[split + 1 :]  # after --: more arguments for `check`
    GRAPH_DECORATORS.update(name for flag, name in zip(extra, extra[1:]) if flag == "--graph-decorator")
    reports = []
    for path in arguments.paths:
        if not path.is_dir():
            parser.error(f"{path}: not a directory")
        report = sweep(path.resolve(), extra, arguments.keep)
        reports.append(report)
        sys.stdout.write(render(report))
        sys.stdout.flush()
    if arguments.json:
        arguments.json.write_text(
            json.dumps(
                [
                    {
                        **{k: v for k, v in vars(r).items() if k not in ("findings", "fixable")},
                        "findings": dict(r.findings),
                        "fixable": dict(r.fixable),
                    }
                    for r in reports
                ],
                indent=2,
                default=str,
            )
            + "\n"
        )
    return 1 if any(r.bad for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
