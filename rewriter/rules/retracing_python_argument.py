"""Report calls that make a `tf.function` trace again and again.

## What it does
Finds, anywhere in a module:

- calls of a `tf.function` of the module (decorated, or `fast = tf.function(step)`)
  inside a Python `for` loop over `range(...)` or `enumerate(...)` that pass the loop's
  counter as an argument, or Python arithmetic on it (`lr * 0.9 ** epoch`);
- `tf.function(f)` applied, or a `@tf.function` function defined, inside a loop body;
- a `@tf.function` defined, or `fast = tf.function(f)` made, inside a function that
  calls it (and does not return or store it), when that function runs repeatedly:
  called inside a loop, or from a function that is (up to three calls up);
- an argument that is a new Python object on every call of a loop: an instance of a
  class of the module (`train_step(x, Config(lr))`), or a dict/list/tuple holding the
  loop counter (`{"epoch": epoch}`), written in the call or assigned once in the loop.

Functions with an `input_signature` are left alone: their arguments become tensors.

With a trace file of a recorded run (`tfrewrite trace`), a function the run saw traced
more than twice because a Python argument took new values is also reported at its
definition and at the call sites the run saw, with the counts.

## Why is this bad?
A `tf.function` traces its Python body once per distinct Python argument value (a
Python number is part of the trace's key) and once per new function object. A loop
counter passed as a Python int, or a function object created per iteration, traces the
whole body on every call. A user object is keyed by identity: a new `Config(lr)` per call
traces again even when its fields are equal (a `NamedTuple`, and dicts and lists, are
keyed by their values): the program is correct but slow, and TensorFlow warns about
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
needs its own trace. `fast = tf.function(f)` in a loop body, or in a module-level function that runs
repeatedly, gets a display-only suggestion to move it before the loop (or above the
function) when the call reads no name the loop or function binds and `fast` is bound
nowhere else there; it assumes the function reads no Python state that changes between
calls (a new function traces again and sees the new state, a hoisted one does not).
`@tf.function` defs created in loops or per call, and new objects per call, are only
reported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.mentions import names_tf_function
from rewriter.analyze.nodes import parent_map, walk
from rewriter.analyze.scopes import TF_FUNCTION, GraphScope
from rewriter.analyze.tensors import COMPARISONS, ELEMENTWISE, iter_loads
from rewriter.rules._base import Applicability, Edit, Example, Fix, Rule, Violation
from rewriter.rules._recorded_retraces import recorded_retraces
from rewriter.source import has_comment

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
        """
        import tensorflow as tf

        @tf.function
        def step(x, k):
            return x * tf.cast(k, tf.float32)

        for k in range(10):
            step(tf.ones([2]), tf.constant(k))
        """,
        """
        import tensorflow as tf

        @tf.function
        def step(x, k):
            return x * tf.cast(k, tf.float32)

        for x in tf.data.Dataset.range(3):
            step(x, 2)
        """,
        """
        import tensorflow as tf

        @tf.function(input_signature=[tf.TensorSpec([], tf.int32)])
        def f(k):
            return k + 1

        for k in range(10):
            f(k)
        """,
        """
        import tensorflow as tf

        @tf.function
        def step(x, k):
            return x * tf.cast(k, tf.float32)

        box = {'k': 1}
        for k in range(10):
            step(tf.ones([2]), {'k': 1})
        """,
    )
    INVALID = (
        Example(
            """
            import tensorflow as tf

            @tf.function
            def step(x, k):
                return x * tf.cast(k, tf.float32)

            for k in range(10):
                step(tf.ones([2]), k)
            """,
            None,
            name="python-int-per-iteration",
        ),
        Example(
            """
            import tensorflow as tf

            def f(x):
                return x

            for _ in range(3):
                g = tf.function(f)
                g(1.0)
            """,
            None,
            name="tf-function-created-in-a-loop",
        ),
        Example(
            """
            import tensorflow as tf

            class Box:
                pass

            @tf.function
            def step(x, k):
                return x * tf.cast(k, tf.float32)

            for _ in range(3):
                step(tf.ones([2]), Box())
            """,
            None,
            name="new-object-per-iteration",
        ),
        Example(
            """
            import tensorflow as tf

            def f(x):
                return x

            def run(x):
                g = tf.function(f)
                return g(x)

            for k in range(3):
                run(1.0)
            """,
            None,
            name="tf-function-created-per-call",
        ),
    )

    def check(self, module: ModuleAnalysis) -> Iterator[Violation]:
        if not module.graph_scopes or not names_tf_function(module.text):
            return  # every finding here needs a name for tf.function
        nodes, assigns = _calls_and_definitions(module.tree)
        targets = _targets(module, assigns)
        parents = _Parents(module.tree)
        for node in nodes:
            if isinstance(node, ast.Call):
                if module.imports.resolve(node.func) in TF_FUNCTION:
                    if _in_loop(node, parents):
                        yield _wrapped_in_loop(self, module, node, parents)
                    elif (per_call := _wrapped_per_call(self, module, node, parents)) is not None:
                        yield per_call
                    continue
                target = _called_target(node, targets)
                if target is not None and target.scope.input_signature is None:
                    yield from self._loop_arguments(module, node, target, parents)
                    yield from _fresh_objects(self, module, node, target, parents)
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
                        f"{self.MESSAGE}: `{node.name}` is created and called inside {caller}, "
                        "so every call of it traces a new function; define it once, outside",
                    )
        yield from recorded_retraces(self, module)

    def _loop_arguments(
        self, module: ModuleAnalysis, call: ast.Call, target: _Target, parents: _Parents
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
                yield self.report(
                    module.lines.node_range(argument),
                    message=message,
                    no_fix=f"`{parameter}` is used as a Python value inside, {python_use}; each "
                    "value needs its own trace, or rewrite that use with tensors",
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


def _calls_and_definitions(tree: ast.Module) -> tuple[list[ast.Call | ast.FunctionDef], list[ast.Assign]]:
    """In one walk (in `ast.walk` order): the calls and decorated functions, and the
    assignments of a call's result to one target."""
    nodes: list[ast.Call | ast.FunctionDef] = []
    assigns: list[ast.Assign] = []
    for node in walk(tree):
        kind = type(node)
        if kind is ast.Call:
            nodes.append(node)  # type: ignore[arg-type]
        elif kind is ast.FunctionDef:
            if node.decorator_list:  # type: ignore[attr-defined]
                nodes.append(node)  # type: ignore[arg-type]
        elif kind is ast.Assign and len(node.targets) == 1 and isinstance(node.value, ast.Call):  # type: ignore[attr-defined]
            assigns.append(node)  # type: ignore[arg-type]
    return nodes, assigns


class _Parents:
    """The parent of each node of the module, mapped on the first question: most
    modules have no call or definition that needs it."""

    def __init__(self, tree: ast.Module) -> None:
        self._tree = tree
        self._parents: dict[ast.AST, ast.AST] | None = None
        # Call sites by callee name, filled by `_call_sites` on first use.
        self.call_sites: dict[str, list[tuple[bool, str | None]]] | None = None

    def get(self, node: ast.AST) -> ast.AST | None:
        if self._parents is None:
            self._parents = parent_map(walk(self._tree))
        return self._parents.get(node)


def _targets(module: ModuleAnalysis, assigns: list[ast.Assign]) -> dict[str, _Target]:
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
    for node in assigns:
        call = node.value
        assert isinstance(call, ast.Call)
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


def _made_per_call(module: ModuleAnalysis, node: ast.FunctionDef, parents: _Parents) -> str | None:
    """The enclosing function, and how it runs repeatedly, when it makes and calls `node`
    on each call (a factory that returns the function is fine)."""
    outer = parents.get(node)
    while outer is not None and not isinstance(outer, (ast.FunctionDef, ast.AsyncFunctionDef)):
        outer = parents.get(outer)
    if not isinstance(outer, ast.FunctionDef) or outer in {s.node for s in module.graph_scopes}:
        return None
    calls = [c for c in walk(outer) if isinstance(c, ast.Call) and getattr(c.func, "id", None) == node.name]
    called = {id(c.func) for c in calls}
    # Any other read (returned, stored, passed on) lets the function outlive the call.
    escapes = any(id(load) not in called for load in iter_loads(outer, node.name))
    if not calls or escapes:
        return None
    how = _repeated_caller(module, outer.name, parents)
    if how is None:
        return None
    return f"`{outer.name}`, which a loop calls" if how == "called in a loop" else f"`{outer.name}` ({how})"


def _in_loop(node: ast.AST, parents: _Parents) -> bool:
    """Inside the body of a `for`/`while` of the same function."""
    child, parent = node, parents.get(node)
    while parent is not None and not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        if isinstance(parent, (ast.For, ast.While)) and child in parent.body:
            return True
        child, parent = parent, parents.get(parent)
    return False


def _loop_counters(node: ast.AST, parents: _Parents) -> dict[str, str]:
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
    for part in walk(node):
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


def _number_names(module: ModuleAnalysis, node: ast.AST, parents: _Parents) -> dict[str, str]:
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
    for statement in walk(function):
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
    parents = parent_map(scope.nodes())
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
    parents = parent_map(scope.nodes())
    facts = module.tensors(scope)
    for load in iter_loads(scope.node, parameter):
        parent = parents.get(load)
        if isinstance(parent, ast.BinOp):
            other = parent.right if load is parent.left else parent.left
            dtype = facts.dtype(other)
            if dtype is not None:
                return dtype
    for part in walk(argument):
        if (
            (isinstance(part, ast.Constant) and isinstance(part.value, float))
            or isinstance(part, ast.Div)
            or (isinstance(part, ast.Name) and numbers.get(part.id) == "float")
            or (isinstance(part, ast.Call) and module.imports.resolve(part.func) == "builtins.float")
        ):
            return "float32"
    return "int32"


# --- Fresh Python objects passed per call, and `tf.function(f)` made per call ------------

# Bases whose instances tf.function keys by value, not identity: a new equal one does not retrace.
_VALUE_TRACED_BASES = frozenset({"tuple", "NamedTuple", "namedtuple", "ExtensionType", "Enum", "IntEnum"})
_CALLER_DEPTH = 3  # how many calls up a "called repeatedly" search follows


def _fresh_objects(
    rule: Rule, module: ModuleAnalysis, call: ast.Call, target: _Target, parents: _Parents
) -> Iterator[Violation]:
    """Arguments that are a new Python object on every call of a loop (or of a function
    called repeatedly): an instance of a class of the module, or a dict/list/tuple
    holding the loop's counter."""
    repeated = "a loop"
    if not _in_loop(call, parents):
        outer = _enclosing_function(call, parents)
        caller = _repeated_caller(module, outer.name, parents) if outer is not None else None
        if outer is None or caller is None:
            return
        repeated = f"`{outer.name}`, which runs repeatedly ({caller})"
    classes = _identity_traced_classes(module)
    counters = _loop_counters(call, parents)
    numbers = _number_names(module, call, parents)
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
            counter = _python_expression_of(value, counters, numbers, module) if counters else None
            if counter is not None:
                shown = module.lines.segment(value)
                if shown == counter:
                    return f"it holds the loop counter `{counter}`"
                return f"it holds `{shown}`, a Python number that changes with `{counter}`"
    return None


def _built_in_loop(name: ast.Name, call: ast.Call, parents: _Parents) -> ast.expr | None:
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


def _enclosing_function(node: ast.AST, parents: _Parents) -> ast.FunctionDef | None:
    outer = parents.get(node)
    while outer is not None and not isinstance(outer, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        outer = parents.get(outer)
    return outer if isinstance(outer, ast.FunctionDef) else None


def _repeated_caller(
    module: ModuleAnalysis, name: str, parents: _Parents, seen: frozenset[str] = frozenset()
) -> str | None:
    """How the module's function `name` runs repeatedly: "called in a loop", or "called
    from `g`, called in a loop" (up to _CALLER_DEPTH calls up); None when not seen."""
    if len(seen) >= _CALLER_DEPTH:
        return None
    sites = _call_sites(module, parents).get(name, [])
    if any(in_loop for in_loop, _ in sites):
        return "called in a loop"
    for outer_name in dict.fromkeys(o for _, o in sites if o is not None and o not in seen | {name}):
        how = _repeated_caller(module, outer_name, parents, seen | {name})
        if how is not None:
            return f"called from `{outer_name}`, {how}"
    return None


def _call_sites(module: ModuleAnalysis, parents: _Parents) -> dict[str, list[tuple[bool, str | None]]]:
    """The module's call sites by callee name: (inside a loop, enclosing function's name).
    Built once per check and kept beside the parent map, which lives as long."""
    if parents.call_sites is not None:
        return parents.call_sites
    sites: dict[str, list[tuple[bool, str | None]]] = {}
    for call in ast.walk(module.tree):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if called is not None:
            outer = _enclosing_function(call, parents)
            sites.setdefault(called, []).append((_in_loop(call, parents), outer.name if outer else None))
    parents.call_sites = sites
    return sites


def _wrapped_per_call(rule: Rule, module: ModuleAnalysis, call: ast.Call, parents: _Parents) -> Violation | None:
    """`fast = tf.function(f)` in a function that runs repeatedly and only calls `fast`
    (a factory that returns or stores it is fine)."""
    statement = parents.get(call)
    if not (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and call.args
    ):
        return None
    outer = _enclosing_function(call, parents)
    if outer is None or outer in {s.node for s in module.graph_scopes}:
        return None
    name = statement.targets[0].id
    called = {id(c.func) for c in ast.walk(outer) if isinstance(c, ast.Call) and getattr(c.func, "id", None) == name}
    if not called or any(id(load) not in called for load in iter_loads(outer, name)):
        return None  # returned, stored or passed on: it may outlive the call
    how = _repeated_caller(module, outer.name, parents)
    if how is None:
        return None
    span = module.lines.node_range(call)
    message = (
        f"{rule.MESSAGE}: `tf.function(...)` in `{outer.name}` ({how}) makes a new function, traced anew, "
        f"on every call of `{outer.name}`"
    )
    fix = _hoist_to_module(module, statement, outer)
    if fix is None:
        return rule.violation(span, f"{message}; create it once, outside `{outer.name}`")
    return rule.violation(span, f"{message}; create it once, at module level", fix)


def _wrapped_in_loop(rule: Rule, module: ModuleAnalysis, call: ast.Call, parents: _Parents) -> Violation:
    """`tf.function(f)` in a loop body, with a suggestion to create it before the loop
    when it reads nothing the loop binds."""
    message = (
        f"{rule.MESSAGE}: `tf.function(...)` in a loop makes a new function, traced anew, on every "
        "iteration; create it once, before the loop"
    )
    span = module.lines.node_range(call)
    statement = parents.get(call)
    loop = parents.get(statement) if statement is not None else None
    if not (
        isinstance(statement, ast.Assign)
        and isinstance(loop, (ast.For, ast.While))
        and statement in loop.body
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
    ):
        return rule.violation(span, message)
    name = statement.targets[0].id
    bound = _stored_names(loop.body) | (_stored_names([loop.target]) if isinstance(loop, ast.For) else set())
    free = _free_names(call)
    if free & bound:
        shown = ", ".join(f"`{n}`" for n in sorted(free & bound))
        return rule.report(span, message=message, no_fix=f"it reads {shown}, which the loop binds")
    stores = [n for n in _stored_nodes(loop.body) if n.id == name]
    earlier = [n for s in loop.body for n in iter_loads(s, name) if (n.lineno, n.col_offset) < (call.lineno, 0)]
    if len(stores) != 1 or earlier or isinstance(loop, ast.While) and name in _free_names(loop.test):
        return rule.violation(span, message)
    fix = _move_before(module, statement, loop, "Create it once, before the loop")
    return rule.violation(span, message, fix)


def _hoist_to_module(module: ModuleAnalysis, statement: ast.Assign, outer: ast.FunctionDef) -> Fix | None:
    """Moving `statement` out of the module-level function `outer`, just above it, when it
    reads only module names bound above `outer` and its target is no module name."""
    if outer not in module.tree.body:
        return None
    target = statement.targets[0]
    assert isinstance(target, ast.Name)
    args = outer.args
    local = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg] if a}
    local |= _stored_names(outer.body)
    free = _free_names(statement.value)
    top = min([outer.lineno, *(d.lineno for d in outer.decorator_list)])
    above = _module_bindings([n for n in module.tree.body if n.lineno < top])
    module_names = _module_bindings(module.tree.body)
    declared = {n for s in ast.walk(outer) if isinstance(s, (ast.Global, ast.Nonlocal)) for n in s.names}
    if free & local or not free <= above or target.id in module_names or declared:
        return None
    if sum(1 for n in _stored_nodes(outer.body) if n.id == target.id) != 1:
        return None
    return _move_before(module, statement, outer, f"Create it once, above `{outer.name}`", blank_lines=2)


def _move_before(
    module: ModuleAnalysis, statement: ast.stmt, anchor: ast.stmt, title: str, blank_lines: int = 0
) -> Fix | None:
    """A display-only fix moving the one-line-or-more `statement` to just above `anchor`
    (its decorators included), at `anchor`'s indentation."""
    lines = module.lines
    first_row = min([anchor.lineno, *(d.lineno for d in getattr(anchor, "decorator_list", []))])
    end_row = statement.end_lineno or statement.lineno
    line = lines.line_text(statement.lineno)
    tail = lines.line_text(end_row)
    own_line = line[: statement.col_offset].strip() == "" and tail[statement.end_col_offset or 0 :].strip() in (
        "",
        "\\",
    )
    if not own_line or has_comment(lines.segment(statement)):
        return None  # timid: shares its line with another statement, or holds a comment
    indent = lines.line_text(first_row)[: anchor.col_offset]
    text = lines.segment(statement)
    start = lines.line_start(statement.lineno)
    end = lines.line_start(end_row + 1) if end_row < len(lines.line_starts) else len(lines.text)
    insertion = lines.line_start(first_row)
    moved = indent + text + "\n" + "\n" * blank_lines
    return Fix(
        Applicability.DISPLAY_ONLY,
        f"{title} (eager code is not changed; assumes the function reads no Python state that changes between calls)",
        (Edit(insertion, insertion, moved), Edit(start, end, "")),
    )


def _stored_nodes(nodes: list[ast.AST] | list[ast.stmt] | list[ast.expr]) -> list[ast.Name]:
    return [n for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)]


def _stored_names(nodes: list[ast.AST] | list[ast.stmt] | list[ast.expr]) -> set[str]:
    names = {n.id for n in _stored_nodes(nodes)}
    for node in nodes:
        for part in ast.walk(node):
            names |= _defined_names(part)
    return names


def _module_bindings(statements: list[ast.stmt]) -> set[str]:
    """Names module-level statements bind (not looking into functions or classes)."""
    names: set[str] = set()
    pending: list[ast.AST] = list(statements)
    while pending:
        node = pending.pop()
        names |= _defined_names(node)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            pending.extend(ast.iter_child_nodes(node))
    return names


def _defined_names(node: ast.AST) -> set[str]:
    """Names a def, class or import statement binds."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in node.names}
    return set()


def _free_names(node: ast.AST) -> set[str]:
    """Names `node` reads that it does not bind itself (a lambda's parameters are bound)."""
    bound: set[str] = set()
    for part in ast.walk(node):
        if isinstance(part, ast.Lambda):
            arguments = part.args
            bound |= {a.arg for a in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]}
            bound |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a}
        elif isinstance(part, ast.comprehension):
            bound |= {n.id for n in ast.walk(part.target) if isinstance(n, ast.Name)}
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - bound
