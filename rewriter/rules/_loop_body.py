"""Can a loop body run as a TensorFlow loop body? Shared by the loop rules (AG003, AG004).

A Python loop in graph code is unrolled (or, for `while`, evaluated while tracing);
a TensorFlow loop traces its body once and carries its state as tensors. The body can
make that switch faithfully only when every name it carries across iterations is
already a tensor whose dtype and static shape stay the same, names first bound in the
body are bound before they are read and not read after the loop, and nothing in it has
Python side effects that would now run once instead of once per iteration.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from rewriter.analyze import tf_api
from rewriter.analyze.tensors import (
    UNKNOWN,
    Binding,
    Fact,
    Kind,
    TensorFacts,
    broadcast,
    is_float_dtype,
    iter_loads,
    static_shape,
)

_STATEMENT_PROBLEMS = {
    ast.Return: "a `return` inside the loop (TensorFlow loops cannot return)",
    ast.Try: "a `try` statement inside the loop",
    ast.With: "a `with` statement inside the loop",
    ast.Raise: "a `raise` inside the loop",
    ast.Assert: "an `assert` inside the loop",
    ast.Global: "a `global` statement inside the loop",
    ast.Nonlocal: "a `nonlocal` statement inside the loop",
    ast.Delete: "a `del` inside the loop",
    ast.Import: "an import inside the loop",
    ast.ImportFrom: "an import inside the loop",
    ast.FunctionDef: "a function defined inside the loop",
    ast.AsyncFunctionDef: "a function defined inside the loop",
    ast.ClassDef: "a class defined inside the loop",
    ast.Match: "a `match` statement inside the loop",
}


# What a gradient tape computes from what it recorded; none of them has side effects.
_TAPE_METHODS = frozenset({"gradient", "jacobian", "batch_jacobian", "watch"})


@dataclass
class BodyReport:
    """Why a loop body cannot run as a TensorFlow loop body (`hard`), or may not behave
    the same (`soft`: Python state or side effects). Empty lists: it can."""

    hard: list[str] = field(default_factory=list)
    soft: list[str] = field(default_factory=list)

    @property
    def all(self) -> list[str]:
        return self.hard + self.soft


def own_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every node of a loop body, without entering nested function/class/lambda bodies."""
    todo: list[ast.AST] = list(reversed(body))
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        todo.extend(reversed(list(ast.iter_child_nodes(node))))


def inside(node: ast.AST, container: ast.AST) -> bool:
    """True when `node`'s position lies within `container`'s source span."""
    start = (container.lineno, container.col_offset)  # type: ignore[attr-defined]
    end = (container.end_lineno, container.end_col_offset)  # type: ignore[attr-defined]
    here = (node.lineno, node.col_offset)  # type: ignore[attr-defined]
    return start <= here < end


def precedes(node: ast.AST, other: ast.AST) -> bool:
    return (node.lineno, node.col_offset) < (other.lineno, other.col_offset)  # type: ignore[attr-defined]


def check_body(
    facts: TensorFacts,
    loop: ast.For | ast.While,
    skip: frozenset[str] = frozenset(),
    collected: frozenset[str] = frozenset(),
) -> BodyReport:
    """Whether `loop`'s body can run as a TensorFlow loop body. `skip`: names the caller
    checks itself (the loop index, a `while` flag); `collected`: lists whose appends the
    caller turns into TensorArray writes."""
    report = BodyReport()
    if loop.orelse:
        report.hard.append("an `else` clause on the loop")
    tapes = _tapes(facts, loop)
    for node in own_nodes(loop.body):
        problem = _STATEMENT_PROBLEMS.get(type(node))  # type: ignore[call-overload]
        if isinstance(node, ast.With) and node in tapes:
            pass  # a fresh tape per iteration records that iteration, in a graph loop too
        elif problem:
            report.hard.append(problem)
        elif isinstance(node, (ast.Yield, ast.YieldFrom, ast.Await)):
            report.hard.append("a `yield` or `await` inside the loop")
        elif isinstance(node, ast.Lambda):
            report.hard.append("a lambda inside the loop")
        elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for part in _flat_targets(target):
                    if not isinstance(part, ast.Name):
                        report.soft.append(f"assigns to `{ast.unparse(part)}`, which is Python state")
        elif isinstance(node, ast.Call):
            problem = _call_problem(facts, node, frozenset(tapes.values()), collected)
            if problem == "print":
                report.hard.append("Python `print` inside the loop runs once per trace (AG001 rewrites it first)")
            elif problem:
                report.soft.append(problem)
    for name in tapes.values():
        if _read_outside(facts, loop, name):
            report.hard.append(f"the tape `{name}` is read after the loop")
    _check_state(facts, loop, skip | frozenset(tapes.values()), report)
    report.hard = list(dict.fromkeys(report.hard))
    report.soft = list(dict.fromkeys(report.soft))
    return report


def _flat_targets(target: ast.expr) -> Iterator[ast.expr]:
    if isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _flat_targets(element)
    elif isinstance(target, ast.Starred):
        yield target
    else:
        yield target


def _tapes(facts: TensorFacts, loop: ast.For | ast.While) -> dict[ast.With, str]:
    """`with tf.GradientTape() as tape:` blocks at the top of the body, and the name each
    binds (a tape under an `if` or another `with` stays a problem: timid)."""
    tapes: dict[ast.With, str] = {}
    for node in loop.body:
        if isinstance(node, ast.With) and _is_tape(facts, node) and isinstance(node.items[0].optional_vars, ast.Name):
            tapes[node] = node.items[0].optional_vars.id
    return tapes


def _is_tape(facts: TensorFacts, statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.With)
        and len(statement.items) == 1
        and isinstance(statement.items[0].context_expr, ast.Call)
        and facts.tf_name(statement.items[0].context_expr.func) == "GradientTape"
    )


def _straight_line(body: list[ast.stmt], facts: TensorFacts) -> Iterator[ast.stmt]:
    """The statements of a loop body in order, with the body of a gradient tape's `with`
    block in its place: the tape only records, it does not change what runs."""
    for statement in body:
        if _is_tape(facts, statement):
            yield from _straight_line(statement.body, facts)  # type: ignore[attr-defined]
        else:
            yield statement


def _read_outside(facts: TensorFacts, loop: ast.For | ast.While, name: str) -> bool:
    return any(
        isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load) and not inside(node, loop)
        for node in facts.scope.nodes()
    )


def _call_problem(
    facts: TensorFacts, call: ast.Call, tapes: frozenset[str] = frozenset(), collected: frozenset[str] = frozenset()
) -> str | None:
    """Why a call may not behave the same once per trace instead of once per iteration."""
    if (
        isinstance(call.func, ast.Attribute)
        and call.func.attr == "append"
        and isinstance(call.func.value, ast.Name)
        and call.func.value.id in collected
    ):
        return None  # becomes a TensorArray write
    tf = facts.tf_name(call.func)
    if tf is not None:
        if tf_api.is_stateful(tf):
            return f"calls `tf.{tf}`, which must not run inside a TensorFlow loop body"
        return None
    qualified = facts.resolve(call.func)
    if qualified == "builtins.print":
        return "print"
    if (
        qualified is not None
        and qualified.startswith("builtins.")
        and qualified[len("builtins.") :] in tf_api.PURE_BUILTINS
    ):
        return None
    if isinstance(call.func, ast.Attribute):
        if isinstance(call.func.value, ast.Name) and call.func.value.id in tapes and call.func.attr in _TAPE_METHODS:
            return None
        receiver = facts.of(call.func.value)
        if receiver.is_tensor and call.func.attr != "numpy":
            return None
        if receiver.pytype == "tf.TensorArray":
            return None
        if receiver.is_python("str"):
            return None
    return f"calls `{ast.unparse(call.func)}`, which may have Python side effects"


def _check_state(facts: TensorFacts, loop: ast.For | ast.While, skip: frozenset[str], report: BodyReport) -> None:
    """Names the body assigns: carried tensors must keep dtype and shape; others are
    local to one iteration."""
    assigned: dict[str, list[ast.Name]] = {}
    for node in own_nodes(loop.body):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            assigned.setdefault(node.id, []).append(node)
    if isinstance(loop, ast.For):
        for node in _flat_targets(loop.target):
            if isinstance(node, ast.Name) and node.id not in skip:
                report.hard.append(f"the loop target `{node.id}` is not the index")
    for name in assigned:
        if name in skip:
            continue
        bindings = facts.bindings(name)
        carried = any(not inside(b.target, loop) and precedes(b.target, loop) for b in bindings)
        if carried:
            problem = _carried_problem(facts, loop, name)
            if problem:
                report.soft.append(problem)
            continue
        problem = _local_problem(facts, loop, name)
        if problem:
            report.hard.append(problem)


def _carried_problem(facts: TensorFacts, loop: ast.For | ast.While, name: str) -> str | None:
    """A name bound before the loop and assigned in it: it must be a tensor before the
    loop, and every assignment in the loop must keep its dtype and static shape."""
    before = [b for b in facts.bindings(name) if not inside(b.target, loop)]
    within = [b for b in facts.bindings(name) if inside(b.target, loop)]
    start = _join(b.fact for b in before)
    if start.pytype == "tf.TensorArray" and start.dtype is not None:
        if all(b.fact.pytype == "tf.TensorArray" and b.fact.dtype == start.dtype for b in within):
            return None
        return f"`{name}` is carried across iterations and may stop being the same TensorArray"
    if not start.is_tensor:
        if start.kind is Kind.PYTHON or any(b.fact.kind is Kind.PYTHON for b in before):
            return f"`{name}` is carried across iterations and starts as a Python value"
        return f"`{name}` is carried across iterations and may not be a tensor"
    if start.shape is None:
        return f"`{name}` is carried across iterations and its static shape is not known"
    for binding in within:
        problem = _keeps_dtype_and_shape(facts, name, start, binding)
        if problem:
            return f"`{name}` is carried across iterations and {problem}"
    return None


def _join(facts: Iterator[Fact]) -> Fact:
    result: Fact | None = None
    for fact in facts:
        result = fact if result is None else result.join(fact)
    return result if result is not None else UNKNOWN


def _keeps_dtype_and_shape(facts: TensorFacts, name: str, start: Fact, binding: Binding) -> str | None:
    """Why this assignment may change the carried tensor's dtype or static shape."""
    statement = binding.statement
    other: ast.expr | None = None
    op: ast.operator | None = None
    if isinstance(statement, ast.AugAssign) and statement.target is binding.target:
        other, op = statement.value, statement.op
    elif (
        isinstance(statement, ast.Assign)
        and binding.value is statement.value
        and isinstance(statement.value, ast.BinOp)
    ):
        value = statement.value
        if isinstance(value.left, ast.Name) and value.left.id == name:
            other, op = value.right, value.op
        elif isinstance(value.right, ast.Name) and value.right.id == name:
            other, op = value.left, value.op
    if other is not None and op is not None:
        # Tensor arithmetic keeps the operands' common dtype (or raises, before and after).
        if isinstance(op, ast.MatMult):
            return "a matrix product may change its shape"
        if isinstance(op, ast.Div) and not is_float_dtype(start.dtype):
            return "a true division may change its dtype"
        if not isinstance(op, (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)):
            return "an operator may change its dtype"
        if broadcast(start.shape, static_shape(facts.of(other))) != start.shape:
            return f"`{ast.unparse(other)}` may change its shape"
        return None
    fact = binding.fact
    if not fact.is_tensor or fact.dtype is None or fact.dtype != start.dtype:
        return "an assignment may change its dtype"
    if fact.shape != start.shape:
        return "an assignment may change its shape"
    return None


def _local_problem(facts: TensorFacts, loop: ast.For | ast.While, name: str) -> str | None:
    """A name first bound in the body: bound at the top level before any read, never
    read after the loop."""
    for statement in _straight_line(loop.body, facts):
        loads = list(iter_loads(statement, name))
        stores = [
            n for n in ast.walk(statement) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
        ]
        if not loads and not stores:
            continue
        if isinstance(statement, ast.For) and any(
            isinstance(t, ast.Name) and t.id == name for t in _flat_targets(statement.target)
        ):
            if list(iter_loads(statement.iter, name)):
                return f"`{name}` is read before it is assigned in the loop"
            break  # the target of a nested loop
        if loads or not isinstance(statement, (ast.Assign, ast.AnnAssign)):
            return f"`{name}` is read before it is assigned in the loop, or assigned only conditionally"
        break
    if _read_outside(facts, loop, name):
        return f"`{name}` is first assigned in the loop and read outside it"
    return None
