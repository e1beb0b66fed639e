"""Report calls that make a `tf.function` trace again and again.

## What it does
Finds, anywhere in a module:

- calls of a `tf.function` of the module (decorated, or `fast = tf.function(step)`)
  inside a Python `for` loop over `range(...)` or `enumerate(...)` that pass the loop's
  counter as an argument, or Python arithmetic on it (`lr * 0.9 ** epoch`);
- `tf.function(f)` applied, or a `@tf.function` function defined, inside a loop body;
- a `@tf.function` defined inside a function that calls it (and does not return or
  store it), when that function is itself called inside a loop.

Functions with an `input_signature` are left alone: their arguments become tensors.

## Why is this bad?
A `tf.function` traces its Python body once per distinct Python argument value (a
Python number is part of the trace's key) and once per new function object. A loop
counter passed as a Python int, or a function object created per iteration, traces the
whole body on every call: the program is correct but slow, and TensorFlow warns about
"excessive retracing" only after five traces.

## Example
    @tf.function
    def train_step(x, step):
        return x * tf.cast(step, tf.float32)

    for step in range(1000):
        train_step(x, step)

Use instead:

    for step in range(1000):
        train_step(x, tf.constant(step, dtype=tf.int32))

## Fix safety
Call sites are eager code, which tfrewrite never changes, so the fix is display-only:
wrapping the argument in `tf.constant(...)` (dtype from how the parameter meets a tensor
inside, else int32 for an integer expression and float32 for a float one) changes what
the function computes with whenever the parameter is used as a Python value, and a
Python float becomes float32. No suggestion where the parameter is used as a Python
value inside (a `range` bound, a shape, a list index, a condition): there each value
needs its own trace. Functions created in loops or per call are only reported (hoist
them out, so one function object is traced once).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scopes import TF_FUNCTION, GraphScope
from rewriter.analyze.tensors import COMPARISONS, ELEMENTWISE, iter_loads
from rewriter.rules._base import Applicability, Edit, Example, Fix, Rule, Violation

_H = "import tensorflow as tf\n\n"
_STEP = "@tf.function\ndef step(x, k):\n    return x * tf.cast(k, tf.float32)\n\n"
_TENSOR_USES = ELEMENTWISE | COMPARISONS | {"cast", "convert_to_tensor", "math.cast"}
_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)
_PYTHON_NUMBER_CALLS = frozenset({"builtins.float", "builtins.int", "builtins.abs", "builtins.round"})


@dataclass
class _Target:
    scope: GraphScope
    method: bool  # called as `self.<name>(...)`


class RetracingPythonArgument(Rule):
    CODE = "AG008"
    NAME = "retracing-python-argument"
    MESSAGE = "a `tf.function` traces again for every new Python argument value or function object"
    FIX_TITLE = "Pass a tensor, or create the `tf.function` once"

    VALID = (
        _H + _STEP + "for k in range(10):\n    step(tf.ones([2]), tf.constant(k))\n",
        _H + _STEP + "for x in tf.data.Dataset.range(3):\n    step(x, 2)\n",
        _H
        + "@tf.function(input_signature=[tf.TensorSpec([], tf.int32)])\ndef f(k):\n    return k + 1\n\n"
        + "for k in range(10):\n    f(k)\n",
    )
    INVALID = (
        Example(_H + _STEP + "for k in range(10):\n    step(tf.ones([2]), k)\n", None),
        Example(_H + "def f(x):\n    return x\n\nfor _ in range(3):\n    g = tf.function(f)\n    g(1.0)\n", None),
    )

    def check(self, module: ModuleAnalysis) -> Iterator[Violation]:
        if not module.graph_scopes:
            return
        targets = _targets(module)
        parents = module.parents
        for node in module.nodes:
            if isinstance(node, ast.Call):
                if module.imports.resolve(node.func) in TF_FUNCTION and _in_loop(node, parents):
                    yield self.violation(
                        module.lines.node_range(node),
                        f"{self.MESSAGE}: `tf.function(...)` in a loop makes a new function, traced anew, on "
                        "every iteration; create it once, before the loop",
                    )
                    continue
                target = _called_target(node, targets)
                if target is not None and target.scope.input_signature is None:
                    yield from self._loop_arguments(module, node, target, parents)
            elif isinstance(node, ast.FunctionDef) and _decorated(module, node):
                if _in_loop(node, parents):
                    yield self.violation(
                        module.lines.node_range(node.decorator_list[0]),
                        f"{self.MESSAGE}: a `@tf.function` defined in a loop is a new function, traced anew, on "
                        "every iteration; define it once, before the loop",
                    )
                elif (caller := _made_per_call(module, node, parents)) is not None:
                    yield self.violation(
                        module.lines.node_range(node.decorator_list[0]),
                        f"{self.MESSAGE}: `{node.name}` is created and called inside `{caller}`, which a loop calls, "
                        "so every call of it traces a new function; define it once, outside",
                    )

    def _loop_arguments(
        self, module: ModuleAnalysis, call: ast.Call, target: _Target, parents: dict[ast.AST, ast.AST]
    ) -> Iterator[Violation]:
        counters = _loop_counters(call, parents)
        if not counters:
            return
        function = target.scope.node
        params = [a.arg for a in function.args.posonlyargs + function.args.args]
        if target.method or (params and params[0] in ("self", "cls") and target.scope.class_node is not None):
            params = params[1:]
        passed = [(params[i] if i < len(params) else None, a) for i, a in enumerate(call.args)]
        passed += [(k.arg, k.value) for k in call.keywords if k.arg is not None]
        for parameter, argument in passed:
            numbers = _number_names(module, call, parents)
            counter = _python_expression_of(argument, counters, numbers, module)
            if parameter is None or counter is None:
                continue
            name = target.scope.name
            message = (
                f"`{name}` is a tf.function: `{module.lines.segment(argument)}` is a new Python value on every "
                f"iteration of the loop over `{counter}`, so each call traces `{name}` again"
            )
            python_use = _python_use(module, target.scope, parameter)
            if python_use is not None:
                yield self.violation(
                    module.lines.node_range(argument),
                    f"{message} (no fix: `{parameter}` is used as a Python value inside, {python_use}; each "
                    "value needs its own trace, or rewrite that use with tensors)",
                )
                continue
            tf = module.tensorflow_name(None)
            if tf is None:
                yield self.violation(module.lines.node_range(argument), message)
                continue
            dtype = _dtype_for(module, target.scope, parameter, argument, numbers)
            text = f"{tf[0]}.constant({module.lines.segment(argument)}, dtype={tf[0]}.{dtype})"
            fix = Fix(
                Applicability.DISPLAY_ONLY,
                f"Pass `tf.constant(..., dtype=tf.{dtype})` (eager code is not changed; a Python float becomes "
                f"{dtype} and `{parameter}` is then a tensor inside)",
                (Edit(*module.lines.node_range(argument), text),),
                tf[1],
            )
            yield self.violation(module.lines.node_range(argument), message + "; pass a tensor", fix)


def _targets(module: ModuleAnalysis) -> dict[str, _Target]:
    """Callable names of the module's tf.functions: `name` for functions, `self.name` for methods."""
    targets: dict[str, _Target] = {}
    by_node = {scope.node: scope for scope in module.graph_scopes}
    for scope in module.graph_scopes:
        function = scope.node
        if not isinstance(function, ast.FunctionDef):
            continue  # a lambda has no name to be called by
        if scope.kind == "tf.function" and not scope.enclosing_functions and _decorated(module, function):
            key = f"self.{function.name}" if scope.class_node is not None else function.name
            targets[key] = _Target(scope, scope.class_node is not None)
    for node in module.nodes:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.value, ast.Call)):
            continue
        call = node.value
        if module.imports.resolve(call.func) not in TF_FUNCTION or not call.args:
            continue
        wrapped = call.args[0]
        name = wrapped.attr if isinstance(wrapped, ast.Attribute) else getattr(wrapped, "id", None)
        found = next((s for n, s in by_node.items() if isinstance(n, ast.FunctionDef) and n.name == name), None)
        if found is None or any(k.arg == "input_signature" for k in call.keywords) or len(call.args) > 1:
            continue
        target = node.targets[0]
        if isinstance(target, ast.Name):
            targets[target.id] = _Target(found, isinstance(wrapped, ast.Attribute))
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
            targets[f"self.{target.attr}"] = _Target(found, True)
    return targets


def _called_target(call: ast.Call, targets: dict[str, _Target]) -> _Target | None:
    func = call.func
    if isinstance(func, ast.Name):
        return targets.get(func.id)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
        return targets.get(f"self.{func.attr}")
    return None


def _decorated(module: ModuleAnalysis, node: ast.FunctionDef) -> bool:
    for decorator in node.decorator_list:
        callee = decorator.func if isinstance(decorator, ast.Call) else decorator
        if module.imports.resolve(callee) in TF_FUNCTION:
            return True
    return False


def _made_per_call(module: ModuleAnalysis, node: ast.FunctionDef, parents: dict[ast.AST, ast.AST]) -> str | None:
    """The enclosing function's name when it makes and calls `node` on each call, and a
    loop calls it (a factory that returns the function is fine)."""
    outer = parents.get(node)
    while outer is not None and not isinstance(outer, (ast.FunctionDef, ast.AsyncFunctionDef)):
        outer = parents.get(outer)
    if not isinstance(outer, ast.FunctionDef) or outer in {s.node for s in module.graph_scopes}:
        return None
    calls = [c for c in ast.walk(outer) if isinstance(c, ast.Call) and getattr(c.func, "id", None) == node.name]
    called = {id(c.func) for c in calls}
    # Any other read (returned, stored, passed on) lets the function outlive the call.
    escapes = any(id(load) not in called for load in iter_loads(outer, node.name))
    if not calls or escapes:
        return None
    for call in module.nodes:
        if not isinstance(call, ast.Call) or not _in_loop(call, parents):
            continue
        func = call.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name == outer.name:
            return outer.name
    return None


def _in_loop(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Inside the body of a `for`/`while` of the same function."""
    child, parent = node, parents.get(node)
    while parent is not None and not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        if isinstance(parent, (ast.For, ast.While)) and child in parent.body:
            return True
        child, parent = parent, parents.get(parent)
    return False


def _loop_counters(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> dict[str, str]:
    """Names bound to Python ints by enclosing `for ... in range(...)` / `enumerate(...)` loops."""
    counters: dict[str, str] = {}
    child, parent = node, parents.get(node)
    while parent is not None and not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        if isinstance(parent, ast.For) and child in parent.body and isinstance(parent.iter, ast.Call):
            callee = parent.iter.func
            if isinstance(callee, ast.Name) and callee.id == "range" and isinstance(parent.target, ast.Name):
                counters[parent.target.id] = parent.target.id
            elif isinstance(callee, ast.Name) and callee.id == "enumerate" and isinstance(parent.target, ast.Tuple):
                first = parent.target.elts[0] if parent.target.elts else None
                if isinstance(first, ast.Name):
                    counters[first.id] = first.id
        child, parent = parent, parents.get(parent)
    return counters


def _python_expression_of(
    node: ast.expr, counters: dict[str, str], numbers: dict[str, str], module: ModuleAnalysis
) -> str | None:
    """The loop counter a pure-Python arithmetic expression reads (None when not one).

    Every name it reads must be a loop counter or a name known to hold a Python number
    (`numbers`); anything else may be a tensor, which would make the result one too.
    """
    found: str | None = None
    for part in ast.walk(node):
        if isinstance(part, ast.Name) and isinstance(part.ctx, ast.Load):
            if part.id in counters:
                found = counters[part.id]
            elif part.id not in numbers and module.imports.resolve(part) not in _PYTHON_NUMBER_CALLS:
                return None
        elif isinstance(part, ast.Call):
            if module.imports.resolve(part.func) not in _PYTHON_NUMBER_CALLS:
                return None  # `tf.constant(k)`, `make(k)`: not known to be a Python number
        elif not isinstance(part, (ast.BinOp, ast.UnaryOp, ast.Constant, ast.operator, ast.unaryop, ast.expr_context)):
            return None
    return found


def _number_names(module: ModuleAnalysis, node: ast.AST, parents: dict[ast.AST, ast.AST]) -> dict[str, str]:
    """Names that hold Python numbers where `node` is, with "int" or "float": module
    constants, and in the enclosing function, parameters with a number default and names
    only ever assigned number literals."""
    names = {name: str(fact.pytype) for name, fact in module.constants.items() if fact.is_python("int", "float")}
    function = parents.get(node)
    while function is not None and not isinstance(function, ast.FunctionDef):
        function = parents.get(function)
    if function is None:
        return names
    args = function.args
    positional = args.posonlyargs + args.args
    pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
    for parameter, default in pairs:
        if isinstance(default, ast.Constant) and type(default.value) in (int, float):
            names[parameter.arg] = type(default.value).__name__
    assigned: dict[str, str | None] = {}
    for statement in ast.walk(function):
        if isinstance(statement, ast.Assign):
            value = statement.value
            kind = type(value.value).__name__ if isinstance(value, ast.Constant) else None
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    previous = assigned.get(target.id, kind)
                    assigned[target.id] = kind if kind in ("int", "float") and previous == kind else None
        elif isinstance(statement, (ast.AugAssign, ast.AnnAssign)) and isinstance(statement.target, ast.Name):
            assigned[statement.target.id] = None
    names.update({name: kind for name, kind in assigned.items() if kind is not None})
    return names


def _python_use(module: ModuleAnalysis, scope: GraphScope, parameter: str) -> str | None:
    """How the function body uses `parameter` as a Python value, if it does."""
    parents = {child: parent for parent in scope.nodes() for child in ast.iter_child_nodes(parent)}
    facts = module.tensors(scope)
    for load in iter_loads(scope.node, parameter):
        parent = parents.get(load)
        if isinstance(parent, ast.BinOp) and isinstance(parent.op, _ARITHMETIC):
            continue
        if isinstance(parent, ast.Call) and load in parent.args and facts.tf_name(parent.func) in _TENSOR_USES:
            continue
        return f"`{module.lines.segment(parent) if parent is not None else parameter}`"
    return None


def _dtype_for(
    module: ModuleAnalysis, scope: GraphScope, parameter: str, argument: ast.expr, numbers: dict[str, str]
) -> str:
    """The dtype a tensor argument needs: that of a tensor the parameter meets, else by the expression."""
    parents = {child: parent for parent in scope.nodes() for child in ast.iter_child_nodes(parent)}
    facts = module.tensors(scope)
    for load in iter_loads(scope.node, parameter):
        parent = parents.get(load)
        if isinstance(parent, ast.BinOp):
            other = parent.right if load is parent.left else parent.left
            dtype = facts.dtype(other)
            if dtype is not None:
                return dtype
    for part in ast.walk(argument):
        if (
            (isinstance(part, ast.Constant) and isinstance(part.value, float))
            or isinstance(part, ast.Div)
            or (isinstance(part, ast.Name) and numbers.get(part.id) == "float")
            or (isinstance(part, ast.Call) and module.imports.resolve(part.func) == "builtins.float")
        ):
            return "float32"
    return "int32"
