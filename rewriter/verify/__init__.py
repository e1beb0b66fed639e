"""`tfrewrite verify`: evidence, on the user's own code, that a rewrite keeps behaviour.

For every graph function whose inputs can be built (from its `input_signature`, from
the arguments a recorded run passed it (`tfrewrite trace`), or from calls listed in an
examples file), the original module is run eagerly and the rewritten
module as graphs, and return values, printed output and state after the calls are
compared. This EXECUTES the user's code: it runs in a child process (one per module,
with a time limit), and nothing is written to disk. TensorFlow is imported only there
(`rewriter.verify._child`); this module stays light.

An examples file is a Python file that defines `EXAMPLES`, a dict literal mapping
`"module:function"` (or `"module:Class.method"`) to a function that takes the module
under test and returns the calls to make, each a tuple of positional arguments or a
`Call(*args, **kwargs)`. For a method, the first argument is the instance:

    import tensorflow as tf
    from rewriter.verify import Call

    EXAMPLES = {
        "tiny_model.train:power_sum": lambda m: [(tf.constant([1.0, 2.0]), 3)],
        "tiny_model.layers:Model.__call__": lambda m: [(m.Model(), tf.ones([2, 3]))],
        "tiny_model.train:first_above": lambda m: [Call(tf.range(5.0), threshold=2.5)],
    }

The file runs afresh for each run, after the module under test is imported, so its own
imports of project modules see the same (original or rewritten) code as that run.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from rewriter.results import Diagnostic
from rewriter.settings import Settings
from rewriter.trace.traces import TracedFunction

__all__ = ["Call", "FunctionVerdict", "VerifyError", "VerifyReport", "verify_paths"]

DEFAULT_CALLS = 3
DEFAULT_TIMEOUT = 300.0
_PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Call:
    """One example call: `Call(x, 3, training=True)` calls `f(x, 3, training=True)`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs

    def __repr__(self) -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"Call({', '.join(parts)})"


class VerifyError(Exception):
    """The run cannot start (a bad examples file, say); one-line message, exit 2."""


@dataclass(frozen=True)
class FunctionVerdict:
    path: str  # as shown to the user
    module: str  # the import name, as used in examples files
    function: str  # `name` or `Class.name`
    line: int
    status: str  # "agrees" | "differs" | "skipped"
    detail: str  # calls made; what differs and where; or why it was skipped
    # Rule codes found in the function: those the rewrite leaves without a fix, or with
    # --as-is every finding. They often explain a difference.
    findings: tuple[str, ...] = ()

    def text(self) -> str:
        detail = f" ({self.detail})" if self.status == "agrees" else f": {self.detail}"
        if self.status == "differs" and self.findings:
            detail += f" [{', '.join(self.findings)} here]"
        return f"{self.path}:{self.line}: {self.function} {self.status}{detail}"


@dataclass
class VerifyReport:
    verdicts: list[FunctionVerdict] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 when every checked function agrees, 1 when one differs, 2 on errors."""
        if self.errors:
            return 2
        return 1 if any(v.status == "differs" for v in self.verdicts) else 0

    def summary(self, as_is: bool) -> str:
        counts = {s: sum(v.status == s for v in self.verdicts) for s in ("agrees", "differs", "skipped")}
        what = (
            "each file as a graph against itself run eagerly"
            if as_is
            else "the rewritten code as graphs against the original run eagerly"
        )
        agree, differ = counts["agrees"], counts["differs"]
        text = (
            f"{agree} {'agrees' if agree == 1 else 'agree'}, {differ} {'differs' if differ == 1 else 'differ'}, "
            f"{counts['skipped']} skipped ({what})."
        )
        if not counts["agrees"] and not counts["differs"]:
            text += " Nothing was checked; the reasons are above."
        return text + "\n"

    def to_json(self) -> str:
        return (
            json.dumps(
                {
                    "verdicts": [asdict(v) for v in self.verdicts],
                    "errors": [{"path": p, "error": e} for p, e in self.errors],
                    "notes": self.notes,
                },
                indent=2,
            )
            + "\n"
        )


@dataclass
class _Module:
    path: str
    shown: str
    name: str
    root: str
    original: str
    targets: list[dict[str, Any]]
    skipped: list[FunctionVerdict]


def verify_paths(
    paths: list[str],
    settings: Settings,
    *,
    examples: str | None = None,
    calls: int = DEFAULT_CALLS,
    timeout: float = DEFAULT_TIMEOUT,
    as_is: bool = False,
    on_module: Callable[[list[FunctionVerdict]], None] | None = None,
) -> VerifyReport:
    """Verify the graph functions of every module under `paths`.

    Modules are rewritten in memory with `settings` (unless `as_is`), then each runs in
    its own child process, limited to `timeout` seconds. `on_module` receives each
    module's verdicts as soon as they are known. Raises VerifyError for a bad examples
    file; problems with one module are errors in the report, and the others go on.
    """
    from rewriter.discover import discover
    from rewriter.files import display_path

    report = VerifyReport()
    example_keys = read_example_keys(examples) if examples else []
    found = discover(paths, settings.exclude)
    report.errors += [(display_path(p), reason) for p, reason in found.errors]
    modules, rewritten = [], {}
    for path in found.files:
        if not path.endswith(".py"):
            continue  # a notebook, say: not something Python imports
        module, text, error = _prepare(path, settings, example_keys, as_is)
        if error:
            report.errors.append((display_path(path), error))
        if module is not None:
            modules.append(module)
            if text is not None and text != module.original:
                rewritten[os.path.realpath(path)] = text
    verified = {m.name for m in modules}
    for key in example_keys:
        if key.split(":")[0] not in verified:
            report.notes.append(f"{examples}: note: {key} is not in the modules verified")
    for module in modules:
        verdicts = list(module.skipped)
        if module.targets:
            job = {
                "path": module.path,
                "module": module.name,
                "root": module.root,
                "rewritten": {} if as_is else rewritten,
                "targets": module.targets,
                "examples": os.path.abspath(examples) if examples else None,
                "example_keys": [k for k in example_keys if k.split(":")[0] == module.name],
                "calls": calls,
                "as_is": as_is,
            }
            outcome, error = _run_child(job, timeout)
            if error:
                report.errors.append((module.shown, error))
            verdicts += [
                FunctionVerdict(
                    module.shown,
                    module.name,
                    v["name"],
                    v["line"],
                    v["status"],
                    v["detail"],
                    tuple(v.get("findings", ())),
                )
                for v in outcome
            ]
        verdicts.sort(key=lambda v: v.line)
        report.verdicts += verdicts
        if on_module is not None:
            on_module(verdicts)
    return report


def _prepare(
    path: str, settings: Settings, example_keys: list[str], as_is: bool
) -> tuple[_Module | None, str | None, str | None]:
    """The module's targets and rewritten text, or an error; never raises."""
    from rewriter.analyze import ModuleAnalysis
    from rewriter.files import display_path
    from rewriter.pipeline import InternalError, SourceError, might_hold_graph_code, parse, process_source
    from rewriter.source import SourceDecodeError, decode_source
    from rewriter.trace.evidence import has_recorded_functions

    shown = display_path(path)
    name, root = module_name(path)
    keys = [k.split(":", 1)[1] for k in example_keys if k.split(":")[0] == name]
    try:
        with open(path, "rb") as handle:
            source = decode_source(handle.read())
        recorded_here = has_recorded_functions(settings, path)
        if not keys and not recorded_here and not might_hold_graph_code(source.text, settings.graph_decorators):
            return None, None, None
        tree = parse(source.text, shown)
        analysis = ModuleAnalysis(source.text, tree, settings, shown)
        scopes, recorded = analysis.graph_scopes, analysis.traced.functions
        try:
            report = process_source(source.text, settings, shown)
        except InternalError:
            if not as_is:
                raise
            report = None  # --as-is needs no rewrite; it only goes without the findings
        text = None if as_is or report is None else report.fixed
        # The findings that may explain a difference, by function: in the original with
        # --as-is; otherwise those left in the rewritten text.
        findings = (
            {}
            if report is None
            else _findings_by_function(
                tree if as_is else parse(report.fixed, shown), report.diagnostics if as_is else report.remaining
            )
        )
    except OSError as exc:
        return None, None, exc.strerror or str(exc)
    except (SourceDecodeError, SourceError, InternalError) as exc:
        return None, None, str(exc)
    except RecursionError:
        return None, None, "too deeply nested to analyse"
    qualnames = qualified_names(tree)
    targets: list[dict[str, Any]] = []
    skipped = []
    for scope in scopes:
        traced = recorded.get(scope.node) if isinstance(scope.node, ast.FunctionDef) else None
        called_as_function = traced is not None and "tf.function" in traced.traced_by
        if not (scope.reason.startswith(("decorated", "wrapped")) or called_as_function) or scope.is_lambda:
            continue  # a function graph code calls is exercised through its caller
        qualname = qualnames.get(scope.node)
        if qualname is None:
            skipped.append(
                FunctionVerdict(
                    shown,
                    name,
                    scope.name,
                    scope.node.lineno,
                    "skipped",
                    "a nested function: not reachable from the module",
                )
            )
        elif qualname not in {t["name"] for t in targets}:
            target: dict[str, Any] = {"name": qualname, "line": scope.node.lineno}
            if traced is not None:
                target["recorded"] = recorded_call(traced)
            targets.append(target)
    lines = {q: getattr(node, "lineno", 1) for node, q in qualnames.items() if q is not None}
    for key in keys:
        if key not in {t["name"] for t in targets}:
            targets.append({"name": key, "line": lines.get(key, 1)})
    for target in targets:
        target["findings"] = findings.get(target["name"], [])
    return _Module(path, shown, name, root, source.text, targets, skipped), text, None


def recorded_call(traced: TracedFunction) -> dict[str, Any] | str:
    """One example call from what a recorded run passed: each parameter's recorded
    dtype and first shape, or first Python value; or why no call can be built."""
    kwargs: dict[str, Any] = {}
    for name, parameter in sorted(traced.parameters.items()):
        kinds = parameter.kinds
        shapes = [s for s in parameter.shapes if s is not None]
        if kinds == {"none"}:
            kwargs[name] = {"none": True}
        elif kinds and kinds <= {"tensor", "ndarray"} and len(parameter.dtypes) == 1 and shapes:
            dtype = next(iter(parameter.dtypes))
            kwargs[name] = {"dtype": dtype, "shape": list(shapes[0]), "ndarray": kinds == {"ndarray"}}
        elif kinds == {"python"} and parameter.values:
            kwargs[name] = {"python": parameter.values[0]}
        else:
            shown = " or ".join(sorted(kinds)) or "nothing"
            return f"the recorded run passed `{name}` {shown}, from which no input is built; give calls in an examples file (--examples)"
    return {"kwargs": kwargs}


def _findings_by_function(tree: ast.Module, diagnostics: list[Diagnostic]) -> dict[str, list[str]]:
    spans = []
    for node, qualname in qualified_names(tree).items():
        if qualname is not None and isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            spans.append((qualname, first, node.end_lineno or node.lineno))
    found: dict[str, list[str]] = {}
    for diagnostic in diagnostics:
        # The innermost function holding the finding (a method, not its class's outer def).
        holders = [s for s in spans if s[1] <= diagnostic.location.row <= s[2]]
        if holders:
            qualname = min(holders, key=lambda s: s[2] - s[1])[0]
            codes = found.setdefault(qualname, [])
            if diagnostic.code not in codes:
                codes.append(diagnostic.code)
    return found


def module_name(path: str) -> tuple[str, str]:
    """The import name of the file at `path`, and the sys.path entry it is imported from."""
    directory, filename = os.path.split(os.path.abspath(path))
    parts = [] if filename == "__init__.py" else [os.path.splitext(filename)[0]]
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        directory, package = os.path.split(directory)
        parts.insert(0, package)
    return ".".join(parts), directory


def qualified_names(tree: ast.Module) -> dict[ast.AST, str | None]:
    """`name` or `Class.name` for functions reachable from the module; None for nested ones."""
    names: dict[ast.AST, str | None] = {}

    def visit(statements: Iterable[ast.AST], prefix: str | None) -> None:
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names[node] = None if prefix is None else prefix + node.name
                visit(node.body, None)
            elif isinstance(node, ast.ClassDef):
                visit(node.body, None if prefix is None else f"{prefix}{node.name}.")
            else:  # `if`, `try`, `with` ... at this level define names at this level too
                for child in ast.iter_child_nodes(node):
                    if isinstance(child, (ast.stmt, ast.excepthandler, ast.match_case)):
                        visit([child], prefix)

    visit(tree.body, "")
    return names


def read_example_keys(path: str) -> list[str]:
    """The keys of the examples file's `EXAMPLES` dict, read without running the file."""
    from rewriter.pipeline import SourceError, parse
    from rewriter.source import SourceDecodeError, decode_source

    try:
        with open(path, "rb") as handle:
            tree = parse(decode_source(handle.read()).text, path)
    except OSError as exc:
        raise VerifyError(f"{path}: {exc.strerror or exc}") from None
    except (SourceDecodeError, SourceError) as exc:
        raise VerifyError(f"{path}: {exc}") from None
    for node in tree.body:
        targets: list[ast.expr]
        value: ast.expr | None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == "EXAMPLES" for t in targets):
            if not isinstance(value, ast.Dict):
                raise VerifyError(f"{path}:{node.lineno}: EXAMPLES must be a dict literal")
            keys = []
            for key in value.keys:
                if not (
                    isinstance(key, ast.Constant)
                    and isinstance(key.value, str)
                    and key.value.count(":") == 1
                    and all(key.value.split(":"))
                ):
                    line = key.lineno if key is not None else node.lineno
                    raise VerifyError(
                        f'{path}:{line}: EXAMPLES keys must be strings "module:function" or "module:Class.method"'
                    )
                keys.append(key.value)
            return keys
    raise VerifyError(f"{path}: defines no EXAMPLES dict")


def _run_child(job: dict[str, Any], timeout: float) -> tuple[list[dict[str, Any]], str | None]:
    """Run one module's job in a child process: (verdicts, error)."""
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
    # -P: the current directory does not shadow modules; the job puts the project's
    # root on sys.path itself.
    command = [sys.executable, "-P", "-m", "rewriter.verify._child"]
    process = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
    )
    try:
        out, err = process.communicate(json.dumps(job).encode("utf-8"), timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        process.communicate()
        return [], f"timed out after {timeout:g} s (--timeout); the module's functions were not verified"
    except BaseException:  # an interrupt: the child runs in a session of its own, so end it
        _kill(process)
        raise
    try:
        report = json.loads(out.decode("utf-8"))
    except ValueError:
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        return [], f"the verify process ended unexpectedly (exit code {process.returncode}): {last[0]}"
    if report.get("error"):
        prefix = "internal error in verify: " if report.get("internal", True) else ""
        return [], prefix + report["error"]
    return report["verdicts"], None


def _kill(process: subprocess.Popen[bytes]) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)  # the child and anything it started
        else:
            process.kill()
    except ProcessLookupError:
        pass
