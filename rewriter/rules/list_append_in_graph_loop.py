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
"""

from __future__ import annotations

import ast
from typing import Iterator

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.loops import LoopFacts
from rewriter.analyze.scopes import GraphScope
from rewriter.rules._base import Applicability, Edit, Example, Fix, Rule, Violation

_H = "import tensorflow as tf\n\n@tf.function\ndef f(n):\n"
# tf.<name>(x, ...) whose result has the dtype of x.
_KEEPS_DTYPE = frozenset({
    "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "math.reduce_sum",
    "math.reduce_mean", "math.reduce_max", "math.reduce_min", "math.reduce_prod", "math.cumsum",
    "cumsum", "abs", "math.abs", "square", "math.square", "negative", "identity", "reshape",
    "squeeze", "expand_dims", "transpose", "gather", "reverse", "stop_gradient", "tile",
})


class ListAppendInGraphLoop(Rule):
    CODE = "AG006"
    NAME = "list-append-in-graph-loop"
    MESSAGE = "list appended to inside a graph loop: the loop body is a separate graph, so the list cannot collect its values"
    FIX_TITLE = "Collect the values in a `tf.TensorArray`"

    VALID = (
        _H + "    out = []\n    for i in range(3):\n        out.append(i * 2)\n    return tf.stack(out)\n",
        _H + "    out = tf.TensorArray(tf.int32, size=0, dynamic_size=True)\n    for i in tf.range(n):\n"
        "        out = out.write(i, i)\n    return out.stack()\n",
    )
    INVALID = (
        Example(_H + "    out = []\n    for i in tf.range(n):\n        out.append(tf.cast(i, tf.float32))\n"
                "    return tf.stack(out)\n",
                _H + "    out = tf.TensorArray(tf.float32, size=0, dynamic_size=True)\n    for i in tf.range(n):\n"
                "        out = out.write(out.size(), tf.cast(i, tf.float32))\n    return out.stack()\n"),
        Example(_H + "    out = []\n    for i in tf.range(n):\n        out.append(tf.cast(i, tf.float32))\n"
                "    return out\n", None),
    )

    def check(self, module: ModuleAnalysis) -> Iterator[Violation]:
        for scope in module.graph_scopes:
            facts = LoopFacts(scope, module.tensors(scope))
            for statement, name in _local_lists(scope):
                appends = _appends(scope, name)
                in_loop = [a for a in appends if facts.graph_loops_around(a)]
                if not in_loop:
                    continue  # appended in Python code only (unrolled loops work)
                span = module.lines.node_range(in_loop[0])
                try:
                    fix = _fix(module, scope, facts, statement, name, appends)
                except _NoFix as reason:
                    yield self.violation(span, f"{self.MESSAGE} (no fix: {reason})")
                    continue
                yield self.violation(span, fix=fix)


class _NoFix(Exception):
    pass


def _local_lists(scope: GraphScope) -> Iterator[tuple[ast.Assign, str]]:
    """`name = []` / `name = list()` statements whose name is bound nowhere else."""
    for node in scope.statements():
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)):
            continue
        value = node.value
        empty = (isinstance(value, ast.List) and not value.elts) or (
            isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "list"
            and not value.args and not value.keywords and "list" not in scope.local_names)
        name = node.targets[0].id
        if empty and _binding_count(scope.node, name) == 1:
            yield node, name


def _binding_count(function: ast.FunctionDef, name: str) -> int:
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
    return isinstance(func, ast.Attribute) and func.attr == "append" and isinstance(func.value, ast.Name) \
        and func.value.id == name


def _fix(module: ModuleAnalysis, scope: GraphScope, facts: LoopFacts, statement: ast.Assign,
         name: str, appends: list[ast.Call]) -> Fix:
    tf = module.tensorflow_name(scope)
    if tf is None:
        raise _NoFix("no name is free to refer to tensorflow")
    parent = facts.parents.get(statement)
    if not isinstance(parent, (ast.FunctionDef, ast.For, ast.While, ast.With)) or statement not in parent.body:
        raise _NoFix("the list is created inside a block")
    lines = module.lines
    for call in appends:
        if not isinstance(facts.parents.get(call), ast.Expr) or len(call.args) != 1 or call.keywords \
                or isinstance(call.args[0], ast.Starred):
            raise _NoFix("an `append` is not a plain statement with one argument")
    reasons: list[str] = []
    dtypes = {facts.dtype(call.args[0]) for call in appends}
    dtype = f"{tf[0]}.{dtypes.pop()}" if len(dtypes) == 1 and None not in dtypes else None
    if dtype is None:
        witnesses = {_dtype_witness(facts, call.args[0], _fixed_parameters(scope)) for call in appends}
        witness = witnesses.pop() if len(witnesses) == 1 else None
        if witness is None:
            raise _NoFix("the element dtype cannot be inferred statically (add a `tf.cast` or an input_signature)")
        dtype = f"{witness}.dtype"
        reasons.append(f"the element dtype is read from `{dtype}` while tracing, which assumes `{witness}` "
                       "is a tensor or a NumPy array")
    size, index = "size=0, dynamic_size=True", f"{name}.size()"
    if scope.jit_compile:
        size, index = _static_size(module, facts, statement, appends)
    edits = [Edit(*lines.node_range(statement.value), f"{tf[0]}.TensorArray({dtype}, {size})")]
    for call in appends:
        func_start, func_end = lines.node_range(call.func)
        first = _first_token_after(module.text, module.text.index("(", func_end) + 1)
        edits += [Edit(func_start, func_end, f"{name} = {name}.write"), Edit(first, first, f"{index}, ")]
    for use in _uses(scope, name, statement, appends):
        edits.append(_consumer(module, facts, use, name, tf[0], reasons))
    if reasons:
        return Fix(Applicability.UNSAFE, f"{ListAppendInGraphLoop.FIX_TITLE} ({'; '.join(reasons)})",
                   tuple(edits), tf[1])
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


def _fixed_parameters(scope: GraphScope) -> set[str]:
    """Parameters never rebound in the function (not `self`)."""
    args = scope.node.args
    params = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs]
    if scope.class_node is not None and params:
        params = params[1:]
    rebound = {n.id for n in ast.walk(scope.node) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    return set(params) - rebound


def _dtype_witness(facts: LoopFacts, expr: ast.expr, parameters: set[str]) -> str | None:
    """A parameter whose dtype `expr` certainly has, when `expr` only slices and reduces it.

    `tf.reduce_sum(x[: i + 1]) * 2` has the dtype of `x` once `x` is a tensor.
    """
    if isinstance(expr, ast.Name):
        return expr.id if expr.id in parameters else None
    if isinstance(expr, ast.Subscript):
        return _dtype_witness(facts, expr.value, parameters)
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
        return _dtype_witness(facts, expr.operand, parameters)
    if isinstance(expr, ast.BinOp) and not isinstance(expr.op, (ast.Div, ast.Pow)):
        # A Python number takes the tensor's dtype (or the operation fails eagerly too).
        for side, other in ((expr.left, expr.right), (expr.right, expr.left)):
            if isinstance(other, ast.Constant) and type(other.value) in (int, float):
                return _dtype_witness(facts, side, parameters)
        return None
    if isinstance(expr, ast.Call) and facts.tensors.tf_name(expr.func) in _KEEPS_DTYPE and expr.args \
            and not any(k.arg in ("dtype", "out_type", "output_type") for k in expr.keywords):
        return _dtype_witness(facts, expr.args[0], parameters)
    return None


def _uses(scope: GraphScope, name: str, statement: ast.Assign, appends: list[ast.Call]) -> Iterator[ast.Name]:
    """Every read of the list other than its appends; none may sit in a nested scope."""
    inside = set(scope.nodes())
    for node in ast.walk(scope.node):
        if not (isinstance(node, ast.Name) and node.id == name) or node is statement.targets[0]:
            continue
        if node not in inside:
            raise _NoFix("the list is used by a nested function")
        if not any(call.func.value is node for call in appends):  # type: ignore[attr-defined]
            yield node


def _static_size(module: ModuleAnalysis, facts: LoopFacts, statement: ast.Assign,
                 appends: list[ast.Call]) -> tuple[str, str]:
    """`size=N` and the loop index, for one append directly in `for i in tf.range(N)`."""
    timid = _NoFix("under jit_compile a TensorArray needs a static size: only one append directly "
                   "in `for i in tf.range(N)` with a literal N is fixed")
    if len(appends) != 1 or facts.graph_loops_around(statement):
        raise timid
    loops = facts.graph_loops_around(appends[0])
    loop = loops[0] if len(loops) == 1 else None
    statement_of_append = facts.parents[appends[0]]
    if not (isinstance(loop, ast.For) and facts.parents.get(statement_of_append) is loop
            and isinstance(loop.target, ast.Name) and isinstance(loop.iter, ast.Call)
            and facts.tensors.tf_name(loop.iter.func) == "range" and len(loop.iter.args) == 1
            and not loop.iter.keywords and isinstance(loop.iter.args[0], ast.Constant)
            and type(loop.iter.args[0].value) is int and not loop.orelse):
        raise timid
    index = loop.target.id
    if any(isinstance(n, ast.Name) and n.id == index and not isinstance(n.ctx, ast.Load)
           for s in loop.body for n in ast.walk(s)) or any(isinstance(n, (ast.Break, ast.Continue))
                                                          for s in loop.body for n in ast.walk(s)):
        raise timid
    return f"size={loop.iter.args[0].value}", index


def _consumer(module: ModuleAnalysis, facts: LoopFacts, use: ast.Name, name: str, tf: str,
              reasons: list[str]) -> Edit:
    """The edit for one reader of the list; _NoFix for readers a TensorArray cannot serve."""
    parent = facts.parents.get(use)
    lines = module.lines
    if isinstance(parent, ast.Subscript) and parent.value is use and isinstance(parent.ctx, ast.Load):
        position = _literal_int(parent.slice)
        if position is not None:
            index = str(position) if position >= 0 else f"{name}.size() - {-position}"
            return Edit(*lines.node_range(parent), f"{name}.read({index})")
    if isinstance(parent, ast.Call) and parent.args and parent.args[0] is use:
        function = facts.tensors.tf_name(parent.func)
        axis = _axis(parent)
        if function == "stack" and axis is not None and len(parent.args) + len(parent.keywords) <= 2:
            stacked = f"{name}.stack()"
            return Edit(*lines.node_range(parent), stacked if axis == 0
                        else f"{tf}.experimental.numpy.moveaxis({stacked}, 0, {axis})")
        if function == "concat" and axis == 0 and len(parent.args) + len(parent.keywords) == 2:
            return Edit(*lines.node_range(parent), f"{name}.concat()")
        if facts.tensors.resolve(parent.func) == "builtins.len" and len(parent.args) == 1:
            if not _meets_tensor(facts, parent):
                reasons.append(f"`len({name})` becomes an int32 tensor where eager code has a Python int")
            return Edit(*lines.node_range(parent), f"{name}.size()")
    if isinstance(parent, ast.Return) or (parent is not None and isinstance(facts.parents.get(parent), ast.Return)):
        raise _NoFix("the list is returned; a stacked tensor would have another structure")
    if isinstance(parent, (ast.For, ast.comprehension)):
        raise _NoFix("the list is iterated in Python")
    if isinstance(parent, ast.expr) and "\n" not in lines.segment(parent):
        raise _NoFix(f"`{lines.segment(parent)}` uses it as a Python list")
    raise _NoFix("the list is used as a Python list")


def _meets_tensor(facts: LoopFacts, node: ast.expr) -> bool:
    """True when an int32 tensor in place of the Python int `node` changes nothing.

    That is, inside `tf.cast(...)` / `tf.range(...)`, or as an operand next to an int32
    tensor (next to a float tensor a Python int converts, an int32 tensor raises).
    """
    context = facts.parents.get(node)
    if isinstance(context, ast.Call):
        return node in context.args and facts.tensors.tf_name(context.func) in ("cast", "range")
    if isinstance(context, (ast.BinOp, ast.Compare)):
        operands = [context.left, context.right] if isinstance(context, ast.BinOp) else [context.left, *context.comparators]
        return any(o is not node and facts.is_tensor(o) and facts.dtype(o) == "int32" for o in operands)
    return False


def _axis(call: ast.Call) -> int | None:
    """The literal axis of `tf.stack(values, axis)` / `tf.concat(values, axis)`; 0 by default."""
    if len(call.args) > 1:
        return _literal_int(call.args[1])
    keywords = {k.arg: k.value for k in call.keywords}
    if set(keywords) - {"axis"}:
        return None
    return _literal_int(keywords["axis"]) if "axis" in keywords else 0


def _literal_int(node: ast.expr) -> int | None:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant) \
            and type(node.operand.value) is int:
        return -node.operand.value
    return None
