"""Collect values appended inside a graph loop in a `tf.TensorArray` instead of a list.

## What it does
Finds a list created in a graph scope (`out = []`) and appended to inside a loop that
runs as a graph loop: `for i in tf.range(n)`, `range(tensor)`, iteration over a tensor
or a `tf.data` dataset, or a `while` whose condition is a tensor.

## Why is this bad?
AutoGraph turns such a loop into `tf.while_loop`, whose body is traced once into its own
graph. A Python list appended to there holds one symbolic tensor from that graph, and
reading it after the loop raises `InaccessibleTensorError` ("... is out of scope").
Eagerly, the same loop collects one value per iteration.

## Example
    @tf.function
    def squares(n):
        out = []
        for i in tf.range(n):
            out.append(tf.cast(i * i, tf.float32))
        return tf.stack(out)

Use instead:

    @tf.function
    def squares(n):
        out = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        for i in tf.range(n):
            out = out.write(out.size(), tf.cast(i * i, tf.float32))
        return out.stack()

## Fix safety
Every `out.append(v)` becomes `out = out.write(out.size(), v)` (the reassignment is
what carries the array through the loop), and the list's readers are rewritten:
`tf.stack(out)` to `out.stack()` (another `axis=` through `tf.experimental.numpy.moveaxis`),
`tf.concat(out, 0)` to `out.concat()`, `out[-1]` to `out.read(out.size() - 1)`, `out[k]`
to `out.read(k)` and `len(out)` to `out.size()`. Under `jit_compile=True` (XLA drops
writes to a dynamically sized array) only a single append directly in
`for i in tf.range(N)` with a literal `N` is fixed, as `size=N` and `out.write(i, v)`.

The element dtype must be known statically (an explicit cast or dtype, literals, an
`input_signature`); all appended values must agree. When it is not, but every appended
value only slices or reduces one parameter `x` (`tf.reduce_sum(x[: i + 1])`), the fix
uses `x.dtype` and is unsafe: it assumes `x` is a tensor or a NumPy array, not a Python
list. The fix is also unsafe when `len(out)` is used as a Python int (it becomes an
int32 tensor). Residual difference: with zero
iterations, eager `tf.stack([])` gives a float32 tensor of shape (0,), the array a
tensor of its own dtype and element shape.

No fix when the dtype is unknown, when the list is returned, iterated, passed on or
otherwise used as a Python list (a stacked tensor has another structure), for other
list methods or slices, or for a list created inside an `if` or `try` block.

In a scope traced without AutoGraph (a Keras 3 `call` or `train_step`, `autograph=False`,
`do_not_convert`) the loop over a tensor itself raises, and a TensorArray cannot help: the
append is reported without a fix (the loop needs an explicit `tf.while_loop`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scope_facts import ScopeFacts
from rewriter.analyze.scopes import GraphScope
from rewriter.rules._base import Applicability, Edit, Example, Fix, NoFix, Rule, Violation
from rewriter.rules._tensor_array import consumer_edit, dtype_witness, fixed_parameters

_H = "import tensorflow as tf\n\n@tf.function\ndef f(n):\n"


class ListAppendInGraphLoop(Rule):
    CODE = "AG006"
    NAME = "list-append-in-graph-loop"
    MESSAGE = (
        "list appended to inside a graph loop: the loop body is a separate graph, so the list cannot collect its values"
    )
    FIX_TITLE = "Collect the values in a `tf.TensorArray`"

    VALID = (
        _H + "    out = []\n    for i in range(3):\n        out.append(i * 2)\n    return tf.stack(out)\n",
        _H + "    out = tf.TensorArray(tf.int32, size=0, dynamic_size=True)\n    for i in tf.range(n):\n"
        "        out = out.write(i, i)\n    return out.stack()\n",
    )
    INVALID = (
        Example(
            _H + "    out = []\n    for i in tf.range(n):\n        out.append(tf.cast(i, tf.float32))\n"
            "    return tf.stack(out)\n",
            _H + "    out = tf.TensorArray(tf.float32, size=0, dynamic_size=True)\n    for i in tf.range(n):\n"
            "        out = out.write(out.size(), tf.cast(i, tf.float32))\n    return out.stack()\n",
        ),
        Example(
            _H + "    out = []\n    for i in tf.range(n):\n        out.append(tf.cast(i, tf.float32))\n"
            "    return out\n",
            None,
        ),
    )

    def check(self, module: ModuleAnalysis) -> Iterator[Violation]:
        for scope in module.graph_scopes:
            if scope.is_lambda:
                continue  # no statements: no loop, no list
            facts = module.scope_facts(scope)
            for statement, name in _local_lists(scope):
                appends = _appends(scope, name)
                in_loop = [a for a in appends if facts.graph_loops_around(a, probable=True, assume_autograph=True)]
                if not in_loop:
                    continue  # appended in Python code only (unrolled loops work)
                span = module.lines.node_range(in_loop[0])
                if not scope.autograph:
                    # The loop itself raises: iterating over a tensor or a `while` on one
                    # needs AutoGraph, and a TensorArray needs a graph loop.
                    yield self.violation(
                        span,
                        f"{self.MESSAGE} (no fix: {scope.without_autograph}, so this loop over a tensor raises; "
                        "write it with `tf.while_loop`)",
                    )
                    continue
                # A loop over a value that is only probably a tensor: reported, and the
                # fix names the assumption.
                assumptions = [
                    assumption
                    for append in in_loop
                    for loop in facts.graph_loops_around(append, probable=True)
                    if (assumption := facts.graph_loop_assumption(loop)) is not None
                ]
                try:
                    fix = _fix(module, scope, facts, statement, name, appends, assumptions[:1])
                except NoFix as reason:
                    yield self.violation(span, f"{self.MESSAGE} (no fix: {reason})")
                    continue
                yield self.violation(span, fix=fix)


def _local_lists(scope: GraphScope) -> Iterator[tuple[ast.Assign, str]]:
    """`name = []` / `name = list()` statements whose name is bound nowhere else."""
    for node in scope.statements():
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            continue
        value = node.value
        empty = (isinstance(value, ast.List) and not value.elts) or (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id == "list"
            and not value.args
            and not value.keywords
            and "list" not in scope.local_names
        )
        name = node.targets[0].id
        if empty and _binding_count(scope.node, name) == 1:
            yield node, name


def _binding_count(function: ast.FunctionDef | ast.Lambda, name: str) -> int:
    args = function.args
    count = sum(1 for a in args.posonlyargs + args.args + args.kwonlyargs if a.arg == name)
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            count += 1
        elif isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            count += 2
    return count


def _appends(scope: GraphScope, name: str) -> list[ast.Call]:
    return [node for node in scope.nodes() if isinstance(node, ast.Call) and _is_append(node, name)]


def _is_append(call: ast.Call, name: str) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "append"
        and isinstance(func.value, ast.Name)
        and func.value.id == name
    )


def _fix(
    module: ModuleAnalysis,
    scope: GraphScope,
    facts: ScopeFacts,
    statement: ast.Assign,
    name: str,
    appends: list[ast.Call],
    assumptions: list[str],
) -> Fix:
    tf = module.tensorflow_name(scope)
    if tf is None:
        raise NoFix("no name is free to refer to tensorflow")
    parent = facts.parents.get(statement)
    if not isinstance(parent, (ast.FunctionDef, ast.For, ast.While, ast.With)) or statement not in parent.body:
        raise NoFix("the list is created inside a block")
    lines = module.lines
    for call in appends:
        if (
            not isinstance(facts.parents.get(call), ast.Expr)
            or len(call.args) != 1
            or call.keywords
            or isinstance(call.args[0], ast.Starred)
        ):
            raise NoFix("an `append` is not a plain statement with one argument")
    reasons: list[str] = list(assumptions)
    dtypes = {facts.dtype(call.args[0]) for call in appends}
    dtype = f"{tf[0]}.{dtypes.pop()}" if len(dtypes) == 1 and None not in dtypes else None
    if dtype is None:
        witnesses = {dtype_witness(facts, call.args[0], fixed_parameters(scope)) for call in appends}
        witness = witnesses.pop() if len(witnesses) == 1 else None
        if witness is None:
            raise NoFix("the element dtype cannot be inferred statically (add a `tf.cast` or an input_signature)")
        dtype = f"{witness}.dtype"
        reasons.append(
            f"the element dtype is read from `{dtype}` while tracing, which assumes `{witness}` "
            "is a tensor or a NumPy array"
        )
    size, index = "size=0, dynamic_size=True", f"{name}.size()"
    if scope.jit_compile:
        size, index = _static_size(module, facts, statement, appends)
    edits = [Edit(*lines.node_range(statement.value), f"{tf[0]}.TensorArray({dtype}, {size})")]
    for call in appends:
        func_start, func_end = lines.node_range(call.func)
        first = _first_token_after(module.text, module.text.index("(", func_end) + 1)
        edits += [Edit(func_start, func_end, f"{name} = {name}.write"), Edit(first, first, f"{index}, ")]
    for use in _uses(scope, name, statement, appends):
        edits.append(consumer_edit(module, facts, use, name, tf[0], reasons))
    if reasons:
        return Fix(
            Applicability.UNSAFE, f"{ListAppendInGraphLoop.FIX_TITLE} ({'; '.join(reasons)})", tuple(edits), tf[1]
        )
    return Fix(Applicability.SAFE, ListAppendInGraphLoop.FIX_TITLE, tuple(edits), tf[1])


def _first_token_after(text: str, position: int) -> int:
    """The offset of the first character after `position` that is not space or a comment."""
    while position < len(text):
        if text[position] == "#":
            position = text.find("\n", position)
            if position < 0:
                return len(text)
        elif not text[position].isspace() and text[position] != "\\":
            return position
        position += 1
    return position


def _uses(scope: GraphScope, name: str, statement: ast.Assign, appends: list[ast.Call]) -> Iterator[ast.Name]:
    """Every read of the list other than its appends; none may sit in a nested scope."""
    inside = set(scope.nodes())
    for node in ast.walk(scope.node):
        if not (isinstance(node, ast.Name) and node.id == name) or node is statement.targets[0]:
            continue
        if node not in inside:
            raise NoFix("the list is used by a nested function")
        if not any(call.func.value is node for call in appends):  # type: ignore[attr-defined]
            yield node


def _static_size(
    module: ModuleAnalysis, facts: ScopeFacts, statement: ast.Assign, appends: list[ast.Call]
) -> tuple[str, str]:
    """`size=N` and the loop index, for one append directly in `for i in tf.range(N)`."""
    timid = NoFix(
        "under jit_compile a TensorArray needs a static size: only one append directly "
        "in `for i in tf.range(N)` with a literal N is fixed"
    )
    if len(appends) != 1 or facts.graph_loops_around(statement):
        raise timid
    loops = facts.graph_loops_around(appends[0])
    loop = loops[0] if len(loops) == 1 else None
    statement_of_append = facts.parents[appends[0]]
    if not (
        isinstance(loop, ast.For)
        and facts.parents.get(statement_of_append) is loop
        and isinstance(loop.target, ast.Name)
        and isinstance(loop.iter, ast.Call)
        and facts.tensors.tf_name(loop.iter.func) == "range"
        and len(loop.iter.args) == 1
        and not loop.iter.keywords
        and isinstance(loop.iter.args[0], ast.Constant)
        and type(loop.iter.args[0].value) is int
        and not loop.orelse
    ):
        raise timid
    index = loop.target.id
    if any(
        isinstance(n, ast.Name) and n.id == index and not isinstance(n.ctx, ast.Load)
        for s in loop.body
        for n in ast.walk(s)
    ) or any(isinstance(n, (ast.Break, ast.Continue)) for s in loop.body for n in ast.walk(s)):
        raise timid
    return f"size={loop.iter.args[0].value}", index
