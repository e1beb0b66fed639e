"""Turn a local list that a loop appends to into a `tf.TensorArray` (AG006, and AG003
when it turns such a loop into a `tf.range` loop).

Every `out.append(v)` becomes `out = out.write(out.size(), v)` (the reassignment is what
carries the array through a graph loop), `out = []` becomes the array, and each reader
of the list is rewritten on the array (`_tensor_array.consumer_edit`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scope_facts import ScopeFacts
from rewriter.analyze.scopes import GraphScope
from rewriter.edits import Edit
from rewriter.rules._base import NoFix
from rewriter.rules._tensor_array import consumer_edit, dtype_witness, fixed_parameters


@dataclass
class Conversion:
    """The edits that turn one list into a TensorArray, and what they assume (the
    fix is unsafe when `assumptions` is not empty)."""

    edits: list[Edit]
    assumptions: list[str]


def local_lists(scope: GraphScope) -> Iterator[tuple[ast.Assign, str]]:
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


def appends(scope: GraphScope, name: str) -> list[ast.Call]:
    """Every `name.append(...)` call of the scope."""
    return [node for node in scope.nodes() if isinstance(node, ast.Call) and is_append(node, name)]


def is_append(call: ast.Call, name: str | None = None) -> bool:
    """`name.append(...)` (any name when `name` is None)."""
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "append"
        and isinstance(func.value, ast.Name)
        and (name is None or func.value.id == name)
    )


def convert(
    module: ModuleAnalysis,
    scope: GraphScope,
    facts: ScopeFacts,
    statement: ast.Assign,
    appended: list[ast.Call],
    tf: str,
) -> Conversion:
    """The edits for the list `statement` creates and `appended` fills; NoFix when the
    TensorArray cannot stand in for it."""
    name = statement.targets[0].id  # type: ignore[attr-defined]
    parent = facts.parents.get(statement)
    if not isinstance(parent, (ast.FunctionDef, ast.For, ast.While, ast.With)) or statement not in parent.body:
        raise NoFix("the list is created inside a block")
    lines = module.lines
    for call in appended:
        if (
            not isinstance(facts.parents.get(call), ast.Expr)
            or len(call.args) != 1
            or call.keywords
            or isinstance(call.args[0], ast.Starred)
        ):
            raise NoFix("an `append` is not a plain statement with one argument")
    assumptions: list[str] = []
    dtypes = {facts.dtype(call.args[0]) for call in appended}
    element_dtype = dtypes.pop() if len(dtypes) == 1 else None
    dtype = f"{tf}.{element_dtype}" if element_dtype is not None else None
    if dtype is None:
        witnesses = {dtype_witness(facts, call.args[0], fixed_parameters(scope)) for call in appended}
        witness = witnesses.pop() if len(witnesses) == 1 else None
        if witness is None:
            raise NoFix("the element dtype cannot be inferred statically (add a `tf.cast` or an input_signature)")
        dtype = f"{witness}.dtype"
        assumptions.append(
            f"the element dtype is read from `{dtype}` while tracing, which assumes `{witness}` "
            "is a tensor or a NumPy array"
        )
    size, index = "size=0, dynamic_size=True", f"{name}.size()"
    if scope.jit_compile:
        size, index = _static_size(facts, statement, appended)
    edits = [Edit(*lines.node_range(statement.value), f"{tf}.TensorArray({dtype}, {size})")]
    for call in appended:
        func_start, func_end = lines.node_range(call.func)
        first = _first_token_after(module.text, module.text.index("(", func_end) + 1)
        edits += [Edit(func_start, func_end, f"{name} = {name}.write"), Edit(first, first, f"{index}, ")]
    shapes = {_shape(facts, call.args[0]) for call in appended}
    element_shape = shapes.pop() if len(shapes) == 1 else None
    for use in _uses(scope, name, statement, appended):
        edits.append(consumer_edit(module, facts, use, name, tf, assumptions, (element_dtype, element_shape)))
    return Conversion(edits, assumptions)


def lists_filled_by(module: ModuleAnalysis, scope: GraphScope, loop: ast.For) -> dict[str, ast.Assign]:
    """The local lists, created empty before `loop` and outside it, that its body appends
    to: the lists a Python loop fills that would become TensorArrays with the loop."""
    names = {
        node.func.value.id  # type: ignore[attr-defined]
        for statement in loop.body
        for node in ast.walk(statement)
        if isinstance(node, ast.Call) and is_append(node)
    }
    start = module.lines.node_range(loop)[0]
    found: dict[str, ast.Assign] = {}
    for statement, name in local_lists(scope):
        if name in names and module.lines.node_range(statement)[1] <= start:
            found[name] = statement
    return found


def convert_for_loop(module: ModuleAnalysis, scope: GraphScope, lists: dict[str, ast.Assign], tf: str) -> Conversion:
    """The edits for `lists` (from `lists_filled_by`), for a Python loop that becomes a
    graph loop: every value appended must already be a tensor, since eager code would
    read a Python number back from the list where the array gives a tensor."""
    facts = module.scope_facts(scope)
    result = Conversion([], [])
    for name, statement in lists.items():
        appended = appends(scope, name)
        try:
            if scope.jit_compile:
                raise NoFix("under jit_compile a TensorArray needs a static size")  # timid: rare, unchecked
            for call in appended:
                if call.args and not facts.is_public_tensor(call.args[0]):
                    raise NoFix(f"`{ast.unparse(call.args[0])}` is not certainly a tensor")
            conversion = convert(module, scope, facts, statement, appended, tf)
        except NoFix as reason:
            raise NoFix(f"the list `{name}` cannot become a TensorArray: {reason}") from None
        result.edits += conversion.edits
        result.assumptions += conversion.assumptions
    return result


def _shape(facts: ScopeFacts, expr: ast.expr) -> tuple[int | None, ...] | None:
    """The static shape of an appended tensor, when its rank is known."""
    shape = facts.tensors.of(expr).shape
    return shape if isinstance(shape, tuple) else None


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


def _uses(scope: GraphScope, name: str, statement: ast.Assign, appended: list[ast.Call]) -> Iterator[ast.Name]:
    """Every read of the list other than its appends; none may sit in a nested scope."""
    inside = set(scope.nodes())
    for node in ast.walk(scope.node):
        if not (isinstance(node, ast.Name) and node.id == name) or node is statement.targets[0]:
            continue
        if node not in inside:
            raise NoFix("the list is used by a nested function")
        if not any(call.func.value is node for call in appended):  # type: ignore[attr-defined]
            yield node


_STATIC_SIZE_ONLY = (
    "under jit_compile a TensorArray needs a static size: only one append directly "
    "in `for i in tf.range(N)` with a literal N is fixed"
)


def _static_size(facts: ScopeFacts, statement: ast.Assign, appended: list[ast.Call]) -> tuple[str, str]:
    """`size=N` and the loop index, for one append directly in `for i in tf.range(N)`."""
    if len(appended) != 1 or facts.graph_loops_around(statement):
        raise NoFix(_STATIC_SIZE_ONLY)
    loops = facts.graph_loops_around(appended[0])
    loop = loops[0] if len(loops) == 1 else None
    statement_of_append = facts.parents[appended[0]]
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
        raise NoFix(_STATIC_SIZE_ONLY)
    index = loop.target.id
    if any(
        isinstance(n, ast.Name) and n.id == index and not isinstance(n.ctx, ast.Load)
        for s in loop.body
        for n in ast.walk(s)
    ) or any(isinstance(n, (ast.Break, ast.Continue)) for s in loop.body for n in ast.walk(s)):
        raise NoFix(_STATIC_SIZE_ONLY)
    return f"size={loop.iter.args[0].value}", index
