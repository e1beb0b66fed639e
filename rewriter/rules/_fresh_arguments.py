"""AG008's finding of arguments that are a new Python object on every call of a loop.

tf.function tells apart instances of most classes by identity, so a new instance of a
class of the module, or a dict/list/tuple holding the loop counter, traces the
function again on every call.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.call_sites import (
    CallTarget,
    Parents,
    enclosing_function,
    in_loop_body,
    loop_counters,
    repeated_caller,
)
from rewriter.analyze.python_numbers import number_names, python_expression_of
from rewriter.rules._base import Rule, Violation

# Bases whose instances tf.function keys by value, not identity: a new equal one does not retrace.
_VALUE_TRACED_BASES = frozenset({"tuple", "NamedTuple", "namedtuple", "ExtensionType", "Enum", "IntEnum"})


def fresh_objects(
    rule: Rule, module: ModuleAnalysis, call: ast.Call, target: CallTarget, parents: Parents
) -> Iterator[Violation]:
    """Arguments that are a new Python object on every call of a loop (or of a function
    called repeatedly): an instance of a class of the module, or a dict/list/tuple
    holding the loop's counter."""
    repeated = "a loop"
    if not in_loop_body(call, parents):
        outer = enclosing_function(call, parents)
        caller = repeated_caller(module, outer.name, parents) if outer is not None else None
        if outer is None or caller is None:
            return
        repeated = f"`{outer.name}`, which runs repeatedly ({caller})"
    classes = _identity_traced_classes(module)
    counters = loop_counters(call, parents)
    numbers = number_names(module, call, parents)
    name = target.scope.name
    for argument in [*call.args, *(k.value for k in call.keywords)]:
        built: ast.expr | None = argument
        source = None
        if isinstance(argument, ast.Name):
            built, source = _built_in_loop(argument, call, parents), argument.id
        if built is None:
            continue
        why = _fresh_object(module, built, classes, counters, numbers)
        if why is None:
            continue
        shown = f"`{source}` ({why}, built in the loop)" if source else f"`{module.lines.segment(argument)}` ({why})"
        yield rule.report(
            module.lines.node_range(argument),
            message=f"`{name}` is a tf.function: {shown} is a new Python object on every call from {repeated}, "
            f"and each new object traces `{name}` again",
            no_fix="create it once outside the loop, or pass its changing values as tensors",
        )


def _identity_traced_classes(module: ModuleAnalysis) -> frozenset[str]:
    """The module's classes whose instances tf.function keys by identity (each new one
    traces again): not tuples, enums or extension types, no tracing protocol."""
    names = set()
    for node in module.tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        bases = {b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "") for b in node.bases}
        methods = {s.name for s in node.body if isinstance(s, ast.FunctionDef)}
        if bases & _VALUE_TRACED_BASES or "__tf_tracing_type__" in methods:
            continue
        names.add(node.name)
    return frozenset(names)


def _fresh_object(
    module: ModuleAnalysis, node: ast.expr, classes: frozenset[str], counters: dict[str, str], numbers: dict[str, str]
) -> str | None:
    """Why `node` is a new Python object each time it is evaluated (None when it is not
    known to be one, or is one that tf.function compares by value)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in classes:
        return f"a new `{node.func.id}`, which tf.function tells apart by identity"
    if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
        values = node.values if isinstance(node, ast.Dict) else node.elts
        for value in values:
            if value is None:
                return None  # `**other`: not followed
            inner = _fresh_object(module, value, classes, counters, numbers)
            if inner is not None:
                return inner
            counter = python_expression_of(value, counters, numbers, module) if counters else None
            if counter is not None:
                shown = module.lines.segment(value)
                if shown == counter:
                    return f"it holds the loop counter `{counter}`"
                return f"it holds `{shown}`, a Python number that changes with `{counter}`"
    return None


def _built_in_loop(name: ast.Name, call: ast.Call, parents: Parents) -> ast.expr | None:
    """The value `name` is given by the one assignment to it in the body of the loop
    around `call` (None when there is no such loop, or it is assigned more than once)."""
    child: ast.AST = call
    loop = parents.get(call)
    while loop is not None and not isinstance(loop, (ast.For, ast.While)):
        if isinstance(loop, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Module)):
            return None
        child, loop = loop, parents.get(loop)
    if loop is None or child not in loop.body:
        return None
    values = [
        node.value
        for statement in loop.body
        for node in ast.walk(statement)
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name.id for t in node.targets)
    ]
    stores = [
        n
        for statement in loop.body
        for n in ast.walk(statement)
        if isinstance(n, ast.Name) and n.id == name.id and isinstance(n.ctx, ast.Store)
    ]
    return values[0] if len(values) == 1 and len(stores) == 1 else None
