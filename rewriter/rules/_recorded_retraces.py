"""AG008 from a recorded run: retracing that `tfrewrite trace` measured, not guessed.

A function the run saw traced again because a Python argument took new values is
reported at its `def` (or decorator) and at each call site of this module the run saw
make it trace, with the counts. One retrace is not reported: a Python flag with two
values (`training=True`/`False`) is meant to have two traces. No fix: which calls
should pass a tensor instead is a decision the numbers inform, not one they make.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from rewriter.analyze import ModuleAnalysis
from rewriter.rules._base import Rule, Violation
from rewriter.trace.traces import TracedFunction, relative_file

MIN_RETRACES = 2  # retraces from one Python argument before it is reported
_SHOWN_VALUES = 5


def recorded_retraces(rule: Rule, module: ModuleAnalysis) -> Iterator[Violation]:
    """Violations of `rule` for the retracing the recorded run counted in `module`."""
    settings = module.settings
    here = relative_file(module.filename, settings.trace_root) if settings.trace_root else None
    for node, traced in module.traced.functions.items():
        cause = retrace_cause(traced)
        if cause is None:
            continue
        parameter, retraces = cause
        name = node.name
        values = _values(traced, parameter)
        yield rule.violation(
            _def_range(module, node),
            f"{rule.MESSAGE}: a recorded run traced `{name}` {traced.traces} times; {retraces} of them because "
            f"the Python argument `{parameter}` took a new value{values} (pass a tensor, or give `{name}` an "
            "input_signature)",
        )
        for file, line, count in traced.call_sites:
            call = _call_at(module, line, name) if file == here else None
            if call is not None:
                yield rule.violation(
                    module.lines.node_range(call.func),
                    f"{rule.MESSAGE}: in a recorded run this call traced `{name}` {count} "
                    f"time{'s' if count != 1 else ''}, as its Python argument `{parameter}` took new values",
                )


def retrace_cause(traced: TracedFunction) -> tuple[str, int] | None:
    """The Python argument whose new values caused the most retraces, and how many."""
    if traced.input_signature or traced.traces <= MIN_RETRACES:
        return None
    caused: dict[str, int] = {}
    for changed, count in traced.retraces:
        for name in changed:
            parameter = traced.parameters.get(name)
            if parameter is not None and "python" in parameter.kinds:
                caused[name] = caused.get(name, 0) + count
    if not caused:
        return None
    name, count = max(sorted(caused.items()), key=lambda item: item[1])
    return (name, count) if count >= MIN_RETRACES else None


def _values(traced: TracedFunction, parameter: str) -> str:
    values = traced.parameters[parameter].values
    if not values:
        return ""
    shown = ", ".join(values[:_SHOWN_VALUES]) + (", ..." if len(values) > _SHOWN_VALUES else "")
    return f" on each call ({shown})"


def _def_range(module: ModuleAnalysis, node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[int, int]:
    if node.decorator_list:
        return module.lines.node_range(node.decorator_list[0])
    line = module.lines.line_text(node.lineno)
    start = module.lines.line_start(node.lineno) + max(line.find(node.name), 0)
    return start, start + len(node.name)


def _call_at(module: ModuleAnalysis, line: int, name: str) -> ast.Call | None:
    """The call on `line` the run saw: the one of `name` (`name(...)`, `obj.name(...)`),
    else the outermost (the function may be called through another name)."""
    calls = [node for node in ast.walk(module.tree) if isinstance(node, ast.Call) and node.func.lineno == line]
    for call in calls:
        func = call.func
        if (isinstance(func, ast.Name) and func.id == name) or (isinstance(func, ast.Attribute) and func.attr == name):
            return call
    return calls[0] if calls else None
