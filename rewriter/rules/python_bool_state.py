"""Start a `while` flag that becomes a tensor as a tensor.

## What it does
Finds `while` loops in functions that `tf.function` traces whose condition starts as a
Python bool and becomes a tensor inside the loop:

- `done = False` (or `True`), then `while not done:` (or `while done:`), with `done`
  assigned a bool tensor in the loop, or assigned a literal under an `if` on a tensor;
- the same flag as one operand of an `and` whose other operands are Python values when
  the loop starts (`while not converged and i < 50:`, `while i < n and not done:` with
  `i = 0`); a tensor operand makes the test a tensor from the start, which works;
- `while True:` whose `break` depends on a tensor.

## Why is this bad?
AutoGraph decides when the loop starts whether it is a Python loop or a TensorFlow loop.
A condition that starts as a Python bool makes it a Python loop, and a tensor showing up
later raises `The condition of while loop started as non-Tensor, then changed to
Tensor` (for `while True:`, the same error about a tensor-dependent `break`). Eagerly the
same function runs fine.

## Example
    @tf.function
    def first_above(x, threshold):
        done = False
        i = tf.constant(0)
        while not done:
            i += 1
            done = tf.gather(x, i) > threshold
        return i

Use instead:

    @tf.function
    def first_above(x, threshold):
        done = tf.constant(False)
        i = tf.constant(0)
        while not done:
            i += 1
            done = tf.gather(x, i) > threshold
        return i

## Fix safety
Eagerly, `not tf.constant(False)` is `True` and the loop runs as before. The fix is safe
when the loop can run as a TensorFlow loop as it is: the rest of its state is tensors
whose dtype and shape stay the same, and it has no Python side effects (calls that are
not TensorFlow, assignments to attributes or items, Python `print`). Otherwise it is
unsafe: the graph then traces the body once, so Python counters become tensors and
Python side effects run once. One Python counter is safe: `i = 0` before the loop,
`i < 50` in its `and` test (a static bound), `i += 1` (a positive literal) in its body
and no other use of `i`, in the loop or after it; it counts the same steps as an int32
tensor. A counter that is also returned or read keeps the fix unsafe.

Only the literal that starts a `while` flag is changed, and only when it is the
flag's last assignment before the loop in the same block and no code reads the flag
inside the loop (or after it, when a `break` may leave the literal in place). Bool
literals anywhere else are never touched: keyword arguments (`keepdims=True`, a Keras
`training=False` raises when given a tensor), `if` conditions, `return` values, `is True`
comparisons, dict keys, and flags that stay Python for the whole loop. There is no fix
for a loop with a `return` in its body, or a `while True:` with a `break` that does
not depend on a tensor.

In a scope traced without AutoGraph (a Keras 3 `call` or `train_step`, `autograph=False`,
`do_not_convert`) a `while` never becomes a TensorFlow loop and the tensor condition
raises whatever its first value: the pattern is reported without a fix (the loop needs
an explicit `tf.while_loop`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scopes import GraphScope
from rewriter.analyze.tensors import TensorFacts, iter_loads
from rewriter.rules._base import Applicability, Edit, Example, Fix, Rule, Violation
from rewriter.rules._loop_body import check_body, inside, own_nodes, precedes


class PythonBoolState(Rule):
    CODE = "AG004"
    NAME = "python-bool-state"
    MESSAGE = "a `while` condition starts as a Python bool and becomes a tensor in the loop"
    FIX_TITLE = "Start the condition as a tensor"

    VALID = (
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            return tf.reduce_sum(x, axis=0, keepdims=True)
        """,
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            done = False
            n = 0
            while not done:
                n += 1
                done = n >= 3
            return x + n
        """,
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            flag = True
            if x > 0:
                flag = False
            return flag
        """,
    )
    INVALID = (
        Example(
            """
            import tensorflow as tf

            @tf.function
            def f(x):
                done = False
                i = tf.constant(0)
                while not done:
                    i += 1
                    done = i >= x
                return i
            """,
            """
            import tensorflow as tf

            @tf.function
            def f(x):
                done = tf.constant(False)
                i = tf.constant(0)
                while not done:
                    i += 1
                    done = i >= x
                return i
            """,
            name="python-bool-flag-set-from-a-tensor",
        ),
        Example(
            """
            import tensorflow as tf

            @tf.function
            def f(x):
                i = tf.constant(0)
                while True:
                    i += 1
                    if i >= x:
                        break
                return i
            """,
            """
            import tensorflow as tf

            @tf.function
            def f(x):
                i = tf.constant(0)
                while tf.constant(True):
                    i += 1
                    if i >= x:
                        break
                return i
            """,
            name="while-true-with-a-tensor-break",
        ),
    )

    def check(self, module: ModuleAnalysis) -> Iterator[Violation]:
        for scope in module.graph_scopes:
            loops = [node for node in scope.statements() if isinstance(node, ast.While)]
            if not loops:
                continue  # most scopes have no `while`: no tensor facts needed
            facts = module.tensors(scope)
            blocks = _blocks(scope.node)
            for node in loops:
                found = self._flag(module, scope, facts, blocks, node) or self._while_true(module, scope, facts, node)
                if found is not None:
                    yield found

    def _flag(
        self,
        module: ModuleAnalysis,
        scope: GraphScope,
        facts: TensorFacts,
        blocks: dict[ast.stmt, list[ast.stmt]],
        loop: ast.While,
    ) -> Violation | None:
        found = _flag_operand(scope, facts, blocks, loop)
        if found is None:
            return None
        name, start = found
        assigned = [b for b in facts.bindings(name) if inside(b.target, loop)]
        becomes_tensor = False
        assumption = None
        for binding in assigned:
            value = binding.value
            if value is None or not isinstance(binding.statement, ast.Assign):
                return None  # timid: unpacked, augmented or a loop target
            fact = facts.of(value)
            if fact.is_tensor_or_probably and fact.dtype == "bool":
                # The original raises when the flag is a tensor, so a probable tensor is
                # evidence enough to report; the fix names the assumption.
                becomes_tensor = True
                assumption = assumption or fact.assumption
            elif fact.is_python("bool"):
                becomes_tensor |= _under_tensor_if(facts, loop, binding.statement)
            else:
                return None  # timid: may not be a bool, or stays Python
        if not becomes_tensor:
            return None  # the flag stays a Python bool: a Python loop, which is fine
        span = module.lines.node_range(start)
        reason = _reads_problem(scope, loop, name)
        return self._violation(module, scope, facts, loop, span, start, name, reason, assumption)

    def _while_true(
        self, module: ModuleAnalysis, scope: GraphScope, facts: TensorFacts, loop: ast.While
    ) -> Violation | None:
        if not (isinstance(loop.test, ast.Constant) and loop.test.value is True):
            return None
        breaks = [(node, condition) for node, condition in _own_breaks(loop)]
        tensor_breaks = [c for _, c in breaks if c is not None and facts.of(c.test).is_tensor_or_probably]
        if not tensor_breaks:
            return None  # a Python loop: fine
        reason = None
        if len(tensor_breaks) != len(breaks):
            reason = "a `break` that does not depend on a tensor"
        assumption = next((a for c in tensor_breaks if (a := facts.of(c.test).assumption) is not None), None)
        span = module.lines.node_range(loop.test)
        return self._violation(module, scope, facts, loop, span, loop.test, None, reason, assumption)

    def _violation(
        self,
        module: ModuleAnalysis,
        scope: GraphScope,
        facts: TensorFacts,
        loop: ast.While,
        span: tuple[int, int],
        literal: ast.Constant,
        name: str | None,
        reason: str | None,
        assumption: str | None = None,
    ) -> Violation:
        if name is not None:
            message = (
                f"`{name}` starts as a Python bool and becomes a tensor in the `while` loop "
                f"on line {loop.lineno}; the graph raises"
            )
        else:
            message = "`while True:` with a `break` that depends on a tensor; the graph raises"
        if not scope.autograph:
            # A Python `while` meets the tensor condition and raises; a tensor literal
            # would raise at once, since only AutoGraph makes a graph loop of a `while`.
            return self.report(
                span, message=message, no_fix=f"{scope.without_autograph}; write the loop with `tf.while_loop`"
            )
        skip = frozenset({name} if name else ()) | _bounded_counters(scope, facts, loop)
        report = check_body(facts, loop, skip)
        if reason is None and report.hard:
            reason = report.hard[0]
        tf = module.tensorflow_name(scope)
        if reason is None and tf is None:
            reason = "no name is free to refer to tensorflow"
        if reason is not None:
            return self.report(span, message=message, no_fix=reason)
        assert tf is not None
        edit = Edit(*span, f"{tf[0]}.constant({literal.value!r})")  # True or False
        if assumption is not None:
            return self.violation(
                span, message, Fix(Applicability.UNSAFE, f"{self.FIX_TITLE} ({assumption})", (edit,), tf[1])
            )
        if report.soft:
            return self.violation(
                span,
                message,
                Fix(
                    Applicability.UNSAFE,
                    f"{self.FIX_TITLE} (the graph loop traces its body once: {report.soft[0]})",
                    (edit,),
                    tf[1],
                ),
            )
        return self.violation(span, message, Fix(Applicability.SAFE, self.FIX_TITLE, (edit,), tf[1]))


def _flag_operand(
    scope: GraphScope, facts: TensorFacts, blocks: dict[ast.stmt, list[ast.stmt]], loop: ast.While
) -> tuple[str, ast.Constant] | None:
    """The flag a `while` test reads (`while not done:`, `while running:`, or one operand of
    an `and`: `while not done and i < n:`) and the literal it starts as.

    With an `and`, the other operands must be Python values: the test is then a Python
    bool when the loop starts, and a tensor flag later raises. A tensor operand makes the
    test a tensor from the start (AutoGraph's `and` gives a tensor), which already works.
    """
    test = loop.test
    operands = test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) else [test]
    for operand in operands:
        negated = isinstance(operand, ast.UnaryOp) and isinstance(operand.op, ast.Not)
        name_node = operand.operand if negated else operand  # type: ignore[attr-defined]
        if not isinstance(name_node, ast.Name) or name_node.id not in scope.local_names:
            continue
        start = _initial_literal(blocks.get(loop, []), loop, name_node.id)
        if start is None or start.value is negated:
            continue  # timid: the flag does not start as the literal that runs the loop
        if all(other is operand or _python_at_start(scope, facts, loop, other) for other in operands):
            return name_node.id, start
        return None  # timid: another operand may be a tensor (or is not known)
    return None


def _python_at_start(scope: GraphScope, facts: TensorFacts, loop: ast.While, node: ast.expr) -> bool:
    """`node` is a Python value when the loop starts: literals, and names whose bindings
    before the loop are all Python values (`i = 0` before `while ... and i < n:`, even
    when the loop would carry `i` on as a tensor once it is a TensorFlow loop)."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        bindings = facts.bindings(node.id)
        if not any(inside(b.target, loop) for b in bindings):
            return facts.of(node).is_python()
        arguments = scope.node.args
        parameters = arguments.posonlyargs + arguments.args + arguments.kwonlyargs
        if any(parameter.arg == node.id for parameter in parameters):
            return False  # timid: the parameter's own value may reach the loop
        before = [b for b in bindings if not inside(b.target, loop) and precedes(b.target, loop)]
        return bool(before) and all(b.fact.is_python() for b in before)
    if isinstance(node, ast.Compare):
        return all(_python_at_start(scope, facts, loop, n) for n in [node.left, *node.comparators])
    if isinstance(node, ast.BinOp):
        return _python_at_start(scope, facts, loop, node.left) and _python_at_start(scope, facts, loop, node.right)
    if isinstance(node, ast.UnaryOp):
        return _python_at_start(scope, facts, loop, node.operand)
    if isinstance(node, ast.BoolOp):
        return all(_python_at_start(scope, facts, loop, n) for n in node.values)
    return facts.of(node).is_python()


def _bounded_counters(scope: GraphScope, facts: TensorFacts, loop: ast.While) -> frozenset[str]:
    """Python int counters that become int32 tensors unseen once the loop is a TensorFlow
    loop: `i = 0` before it, `i < 50` (a static bound below 2**31) in its `and` test,
    `i += 1` (a positive literal) at the top of its body, and no other read or write of
    `i` in the loop, nor any read outside it. Counting the same steps as a tensor
    changes nothing."""
    test = loop.test
    operands = test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) else [test]
    counters = set()
    for operand in operands:
        if not (
            isinstance(operand, ast.Compare)
            and isinstance(operand.left, ast.Name)
            and len(operand.ops) == 1
            and isinstance(operand.ops[0], (ast.Lt, ast.LtE))
        ):
            continue
        bound = facts.of(operand.comparators[0])
        name = operand.left.id
        if not (bound.is_python("int") and isinstance(bound.value, int) and bound.value < 2**31 - 2**16):
            continue
        before = [b for b in facts.bindings(name) if not inside(b.target, loop) and precedes(b.target, loop)]
        steps = [
            s
            for s in loop.body
            if isinstance(s, ast.AugAssign)
            and isinstance(s.target, ast.Name)
            and s.target.id == name
            and isinstance(s.op, ast.Add)
            and isinstance(s.value, ast.Constant)
            and type(s.value.value) is int
            and 0 < s.value.value < 2**16
        ]
        writes = [b for b in facts.bindings(name) if inside(b.target, loop)]
        if (
            before
            and all(isinstance(b.fact.value, int) and b.fact.value >= -(2**31) for b in before)
            and all(b.fact.is_python("int") for b in before)
            and len(steps) == 1
            and len(writes) == 1
            and not any(True for statement in loop.body for _ in iter_loads(statement, name))
            and not any(
                isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load) and not inside(n, loop)
                for n in scope.nodes()
            )
        ):
            counters.add(name)
    return frozenset(counters)


def _blocks(function: ast.FunctionDef | ast.Lambda) -> dict[ast.stmt, list[ast.stmt]]:
    """The statement list each statement of the function sits in."""
    blocks: dict[ast.stmt, list[ast.stmt]] = {}
    todo: list[list[ast.stmt]] = [function.body] if isinstance(function, ast.FunctionDef) else []
    while todo:
        block = todo.pop()
        for statement in block:
            blocks[statement] = block
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                continue
            for field_name in ("body", "orelse", "finalbody"):
                child = getattr(statement, field_name, None)
                if isinstance(child, list) and child and isinstance(child[0], ast.stmt):
                    todo.append(child)
            for handler in getattr(statement, "handlers", []) or []:
                todo.append(handler.body)
    return blocks


def _initial_literal(block: list[ast.stmt], loop: ast.While, name: str) -> ast.Constant | None:
    """The bool literal of `name = True/False`, the last statement before `loop` in its
    block that binds `name` (None when that is anything else)."""
    position = block.index(loop) if loop in block else -1
    for statement in reversed(block[: max(position, 0)]):
        stores = [
            n
            for n in ast.walk(statement)
            if isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load)
        ]
        if not stores:
            continue
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and statement.targets[0] is stores[0]
            and len(stores) == 1
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, bool)
        ):
            return statement.value
        return None
    return None


def _under_tensor_if(facts: TensorFacts, loop: ast.While, statement: ast.stmt) -> bool:
    """True when `statement` sits under an `if` on a tensor inside `loop`."""
    for node in own_nodes(loop.body):
        if (
            isinstance(node, ast.If)
            and facts.is_tensor(node.test)
            and any(child is statement for child in own_nodes(node.body + node.orelse))
        ):
            return True
    return False


def _own_breaks(loop: ast.While) -> Iterator[tuple[ast.Break, ast.If | None]]:
    """Each `break` of the loop itself, with the innermost `if` around it (if any)."""

    def walk(body: list[ast.stmt], condition: ast.If | None) -> Iterator[tuple[ast.Break, ast.If | None]]:
        for statement in body:
            if isinstance(statement, ast.Break):
                yield statement, condition
            elif isinstance(statement, ast.If):
                yield from walk(statement.body, statement)
                yield from walk(statement.orelse, statement)
            elif isinstance(statement, (ast.With, ast.Try)):
                yield from walk(statement.body, condition)
                for handler in getattr(statement, "handlers", []):
                    yield from walk(handler.body, condition)
                yield from walk(getattr(statement, "orelse", []), condition)
                yield from walk(getattr(statement, "finalbody", []), condition)

    yield from walk(loop.body, None)


def _reads_problem(scope: GraphScope, loop: ast.While, name: str) -> str | None:
    """The flag must be read only by the loop test, and after the loop only when the
    loop cannot end with the literal still in place (no `break`)."""
    for statement in loop.body:
        if any(True for _ in iter_loads(statement, name)):
            return f"`{name}` is read inside the loop, where it may still be the Python literal"
    has_break = any(True for _ in _own_breaks(loop))
    for node in scope.nodes():
        if (
            isinstance(node, ast.Name)
            and node.id == name
            and isinstance(node.ctx, ast.Load)
            and not inside(node, loop)
            and precedes(loop, node)
            and has_break
        ):
            return f"`{name}` is read after a loop that a `break` may leave with the literal"
    return None
