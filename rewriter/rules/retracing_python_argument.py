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

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.call_sites import (
    CallTarget,
    Parents,
    call_targets,
    called_target,
    calls_and_definitions,
    enclosing_function,
    has_tf_function_decorator,
    in_loop_body,
    loop_counters,
    repeated_caller,
)
from rewriter.analyze.mentions import names_tf_function
from rewriter.analyze.nodes import parent_map, walk
from rewriter.analyze.python_numbers import number_names, python_expression_of
from rewriter.analyze.scopes import TF_FUNCTION, GraphScope
from rewriter.analyze.tensors import COMPARISONS, ELEMENTWISE, iter_loads
from rewriter.rules._base import Applicability, Edit, Example, Fix, Rule, Violation
from rewriter.rules._fresh_arguments import fresh_objects
from rewriter.rules._moved_statements import free_names, hoist_to_module, move_before, stored_names, stored_nodes
from rewriter.rules._recorded_retraces import recorded_retraces

_TENSOR_USES = ELEMENTWISE | COMPARISONS | {"cast", "convert_to_tensor", "math.cast"}
_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)


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
        nodes, assigns = calls_and_definitions(module)
        targets = call_targets(module, assigns)
        parents = Parents(module)
        for node in nodes:
            if isinstance(node, ast.Call):
                if module.imports.resolve(node.func) in TF_FUNCTION:
                    if in_loop_body(node, parents):
                        yield _wrapped_in_loop(self, module, node, parents)
                    elif (per_call := _wrapped_per_call(self, module, node, parents)) is not None:
                        yield per_call
                    continue
                target = called_target(node, targets)
                if target is not None and target.scope.input_signature is None:
                    yield from self._loop_arguments(module, node, target, parents)
                    yield from fresh_objects(self, module, node, target, parents)
            elif isinstance(node, ast.FunctionDef) and has_tf_function_decorator(module, node):
                if in_loop_body(node, parents):
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
        self, module: ModuleAnalysis, call: ast.Call, target: CallTarget, parents: Parents
    ) -> Iterator[Violation]:
        counters = loop_counters(call, parents)
        if not counters:
            return
        function = target.scope.node
        params = [a.arg for a in function.args.posonlyargs + function.args.args]
        if target.method or (params and params[0] in ("self", "cls") and target.scope.class_node is not None):
            params = params[1:]
        passed = [(params[i] if i < len(params) else None, a) for i, a in enumerate(call.args)]
        passed += [(k.arg, k.value) for k in call.keywords if k.arg is not None]
        for parameter, argument in passed:
            numbers = number_names(module, call, parents)
            counter = python_expression_of(argument, counters, numbers, module)
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


def _made_per_call(module: ModuleAnalysis, node: ast.FunctionDef, parents: Parents) -> str | None:
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
    how = repeated_caller(module, outer.name, parents)
    if how is None:
        return None
    return f"`{outer.name}`, which a loop calls" if how == "called in a loop" else f"`{outer.name}` ({how})"


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


# --- `tf.function(f)` made per call ------------------------------------------------------


def _wrapped_per_call(rule: Rule, module: ModuleAnalysis, call: ast.Call, parents: Parents) -> Violation | None:
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
    outer = enclosing_function(call, parents)
    if outer is None or outer in {s.node for s in module.graph_scopes}:
        return None
    name = statement.targets[0].id
    called = {id(c.func) for c in ast.walk(outer) if isinstance(c, ast.Call) and getattr(c.func, "id", None) == name}
    if not called or any(id(load) not in called for load in iter_loads(outer, name)):
        return None  # returned, stored or passed on: it may outlive the call
    how = repeated_caller(module, outer.name, parents)
    if how is None:
        return None
    span = module.lines.node_range(call)
    message = (
        f"{rule.MESSAGE}: `tf.function(...)` in `{outer.name}` ({how}) makes a new function, traced anew, "
        f"on every call of `{outer.name}`"
    )
    fix = hoist_to_module(module, statement, outer)
    if fix is None:
        return rule.violation(span, f"{message}; create it once, outside `{outer.name}`")
    return rule.violation(span, f"{message}; create it once, at module level", fix)


def _wrapped_in_loop(rule: Rule, module: ModuleAnalysis, call: ast.Call, parents: Parents) -> Violation:
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
    bound = stored_names(loop.body) | (stored_names([loop.target]) if isinstance(loop, ast.For) else set())
    free = free_names(call)
    if free & bound:
        shown = ", ".join(f"`{n}`" for n in sorted(free & bound))
        return rule.report(span, message=message, no_fix=f"it reads {shown}, which the loop binds")
    stores = [n for n in stored_nodes(loop.body) if n.id == name]
    earlier = [n for s in loop.body for n in iter_loads(s, name) if (n.lineno, n.col_offset) < (call.lineno, 0)]
    if len(stores) != 1 or earlier or isinstance(loop, ast.While) and name in free_names(loop.test):
        return rule.violation(span, message)
    fix = move_before(module, statement, loop, "Create it once, before the loop")
    return rule.violation(span, message, fix)
