"""Rewrite a large Python `range` loop in a graph scope to `tf.range`.

## What it does
Finds `for i in range(n)` (or `reversed(range(n))`) inside functions that `tf.function`
traces when `n` is a Python int larger than `range-unroll-max` (a literal, a module
constant, an attribute `self.steps` that `__init__` sets once to a literal or to a
constructor argument every instantiation in the module passes as a literal) or a tensor
dimension `x.shape[k]`, and rewrites the loop to `tf.range`, with `x.shape[k]` becoming
`tf.shape(x)[k]`; `reversed(range(a, b))` becomes `tf.range(b - 1, a - 1, -1)`.

## Why is this bad?
AutoGraph unrolls a loop over a Python `range`: every iteration is traced into the
graph. A 2000-step loop makes about 4000 graph nodes and takes seconds to trace, where
`tf.range` makes a single loop of a few nodes. `range(x.shape[0])` fails outright
(`'NoneType' object cannot be interpreted as an integer`) when that dimension is only
known at run time, and a `break` that depends on a tensor is not allowed in a Python
loop at all.

## Example
    @tf.function
    def power_sum(x):
        total = tf.zeros_like(x)
        for k in range(1000):
            total += tf.pow(x, tf.cast(k % 3, tf.float32))
        return total

Use instead:

    @tf.function
    def power_sum(x):
        total = tf.zeros_like(x)
        for k in tf.range(1000):
            total += tf.pow(x, tf.cast(k % 3, tf.float32))
        return total

## Fix safety
The loop index becomes an int32 tensor, so the fix is offered only when the analysis
proves the loop behaves the same: every use of the index is a tensor use (tensor
indexing and slicing, arithmetic with Python ints or int32 tensors, comparisons in
`if`/`while` tests, `tf.cast`, `tf.gather`, `tf.one_hot`, `tf.range`, shapes of
`tf.zeros`-like calls, `tf.print`); where the index meets a tensor of another dtype it
is cast to that dtype, and where it meets a Python float (`i * 0.5`, one operation,
a float exact in float32, bounds below 2**24) it is cast to the float tensor's dtype it
flows into. Names the body carries across iterations must already be tensors whose dtype
and static shape never change; names first bound in the body must be bound before they
are read and not read after the loop; the index must not be read after the loop. A list
created empty before the loop that the body appends tensors to becomes a
`tf.TensorArray` in the same fix, with its readers rewritten as AG006 does (a graph loop
cannot fill a Python list); when one of its readers needs a Python list (it is returned,
sliced, iterated) or an appended value is not certainly a tensor, there is no fix. There
is no fix when the body has a `return`, `try`, a `with` other than a top-level
`with tf.GradientTape() as tape:` (a fresh tape per iteration records that iteration in
a graph loop too; the tape must not be read after the loop), nested functions, Python
`print` (AG001 rewrites it first, and the loop follows in the next pass), calls that are not
TensorFlow or tensor methods (they may keep Python state, such as `list.append` on
another list), or
when the index subscripts a Python sequence (`self.blocks[i]`), is a dict key, is
formatted into a string or is passed to non-TensorFlow code.

`range(tensor)` is left alone: AutoGraph already turns it into a TensorFlow loop. So is
`range(len(x))`, which is a tensor when `len` is not static. Bounds whose value is not
known are left alone. `tf.range(a, b)` raises where Python's `range(a, b)` is empty
(`a > b`), so `range(a, x.shape[k])` with a non-zero start keeps `range` and only its
bound becomes `tf.shape(x)[k]`: AutoGraph loops over a range with a tensor bound as
Python does, empty below the start (with a step it does not: no fix). A reversed range
is counted down with `tf.range(b - 1, a - 1, -1)`, and with a step with the static
values themselves (`reversed(range(10, 300, 7))` is `tf.range(297, 3, -7)`); over a
dynamic bound only from 0 (`tf.range(tf.shape(x)[0] - 1, -1, -1)`, empty for an empty
`x`), since `tf.range(n - 1, a - 1, -1)` raises when `n < a`.

`range-unroll-max` (default 16): a loop with at most this many iterations is left
unrolled, since a short literal range is usually a deliberate unroll (over layers, heads
or a fixed small window) whose Python index may be needed; it costs a handful of nodes
per iteration. 16 keeps those cheap unrolls while catching the step counts (100s to
1000s) that blow up graph size and trace time. A large loop that cannot be rewritten is
still reported, without a fix.

In a scope traced without AutoGraph (a Keras 3 `call`, `train_step` or loss, a function
with `autograph=False` or `do_not_convert`, a project wrapper not known to convert),
`tf.range` would not become a graph loop: large loops there are reported without a fix,
and so is `range(tensor)`, which raises `TypeError` there (the loop needs an explicit
`tf.while_loop`).
"""

from __future__ import annotations

import ast
import struct
from collections.abc import Iterator
from dataclasses import dataclass

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.nodes import parent_map
from rewriter.analyze.scopes import GraphScope
from rewriter.analyze.tensors import COMPARISONS, ELEMENTWISE, TensorFacts, iter_loads
from rewriter.rules._base import Applicability, Edit, Example, Fix, NoFix, Rule, Violation
from rewriter.rules._list_conversion import convert_for_loop, lists_filled_by
from rewriter.rules._loop_body import check_body, inside, own_nodes

_KEEP_RANGE_TITLE = "Bound the loop by `tf.shape` (AutoGraph then makes it a graph loop)"
_INT32_MAX = 2**31 - 1
_EXACT_FLOAT32_LIMIT = 2**24
# tf.<name>(...) arguments where an int32 scalar tensor means the same as a Python int.
_INDEX_ARGUMENTS = {
    "cast": ({0}, {"x"}),
    "gather": ({1}, {"indices"}),
    "one_hot": ({0, 1}, {"indices", "depth"}),
    "expand_dims": ({1}, {"axis"}),
    "range": ({0, 1, 2}, {"start", "limit", "delta"}),
    "reduce_sum": ({1}, {"axis"}),
    "reduce_mean": ({1}, {"axis"}),
    "reduce_max": ({1}, {"axis"}),
    "reduce_min": ({1}, {"axis"}),
    "roll": ({1}, {"shift"}),
}
_SHAPE_FUNCTIONS = {
    "zeros": 0,
    "ones": 0,
    "fill": 0,
    "reshape": 1,
    "random.normal": 0,
    "random.uniform": 0,
    "broadcast_to": 1,
}
_INT_OPS = (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod)
_CASTABLE = frozenset({"float16", "bfloat16", "float32", "float64", "int8", "int16", "int64", "uint8"})


@dataclass
class _Bounds:
    replacements: dict[ast.expr, str]  # argument -> new text (x.shape[k] -> tf.shape(x)[k])
    values: list[int | None]  # static values (None: dynamic)
    may_be_none: bool  # a dynamic dim may be None: the loop fails in the graph today


class PythonRangeLoop(Rule):
    CODE = "AG003"
    NAME = "python-range-loop"
    MESSAGE = "`for` over a Python `range` in a graph unrolls every iteration into the graph"
    FIX_TITLE = "Loop over `tf.range`"

    VALID = (
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            for i in range(3):
                x = x + i
            return x
        """,
        """
        import tensorflow as tf

        @tf.function
        def f(x, n):
            for i in range(n):
                x = x + i
            return x
        """,
        """
        import tensorflow as tf

        def f(x):
            for i in range(1000):
                x = x + i
            return x
        """,
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            for i in range(tf.shape(x)[0]):
                x = x + 1
            return x
        """,
    )
    INVALID = (
        Example(
            """
            import tensorflow as tf

            @tf.function
            def f(x):
                s = tf.constant(0)
                for i in range(100):
                    s += i
                return s
            """,
            """
            import tensorflow as tf

            @tf.function
            def f(x):
                s = tf.constant(0)
                for i in tf.range(100):
                    s += i
                return s
            """,
            name="constant-range-accumulating-into-a-tensor",
        ),
        Example(
            """
            import tensorflow as tf

            @tf.function(input_signature=[tf.TensorSpec([None])])
            def f(x):
                s = tf.constant(0.0)
                for i in range(x.shape[0]):
                    s += x[i]
                return s
            """,
            """
            import tensorflow as tf

            @tf.function(input_signature=[tf.TensorSpec([None])])
            def f(x):
                s = tf.constant(0.0)
                for i in tf.range(tf.shape(x)[0]):
                    s += x[i]
                return s
            """,
            name="static-dimension-becomes-tf-shape",
        ),
        Example(
            """
            import tensorflow as tf

            @tf.function
            def f(layers, x):
                for i in range(100):
                    x = layers[i](x)
                return x
            """,
            None,
            name="indexing-a-python-list-has-no-fix",
        ),
    )

    def check(self, module: ModuleAnalysis) -> Iterator[Violation]:
        limit = module.settings.range_unroll_max
        for scope in module.graph_scopes:
            if scope.is_lambda or "range" in scope.local_names:
                continue  # a local `range` is not the builtin
            for node in scope.statements():
                if isinstance(node, ast.For) and _range_of(module, node.iter) is not None:
                    violation = self._report(module, scope, node, limit)
                    if violation is not None:
                        yield violation

    def _report(self, module: ModuleAnalysis, scope: GraphScope, loop: ast.For, limit: int) -> Violation | None:
        facts = module.tensors(scope)
        call = _range_of(module, loop.iter)
        assert call is not None
        tf = module.tensorflow_name(scope)
        bounds = _bounds(facts, call, tf[0] if tf else "tf")
        if bounds is None:
            if not scope.autograph and any(facts.is_tensor(a) for a in call.args):
                # AutoGraph would have made it a graph loop; without it `range` gets a tensor.
                return self.report(
                    module.lines.node_range(call),
                    message="`range` of a tensor raises TypeError in a graph traced without AutoGraph",
                    no_fix=f"{scope.without_autograph}; `tf.range` would not help, write the loop with `tf.while_loop`",
                )
            return None  # unknown or tensor bounds: not (known to be) a large unroll
        if None not in bounds.values:
            count = len(range(*bounds.values))  # type: ignore[arg-type]
            if count <= limit:
                return None  # timid: a short literal range is usually a deliberate unroll
        span = module.lines.node_range(call)
        message = self.MESSAGE
        if bounds.may_be_none:
            message += "; `range(x.shape[k])` fails when that dimension is None"
        try:
            if tf is None:
                raise NoFix("no name is free to refer to tensorflow")
            edits, assumptions = _rewrite(module, scope, facts, loop, bounds, tf[0])
        except NoFix as reason:
            return self.report(span, message=message, no_fix=reason)
        title = _KEEP_RANGE_TITLE if loop.iter is call and _keeps_range(bounds) else self.FIX_TITLE
        if lists := lists_filled_by(module, scope, loop):
            title += f" and collect {', '.join(f'`{name}`' for name in lists)} in a `tf.TensorArray`"
        if assumptions:
            title = f"{title} ({assumptions[0]})"
            return self.violation(span, message, Fix(Applicability.UNSAFE, title, tuple(edits), tf[1]))
        return self.violation(span, message, Fix(Applicability.SAFE, title, tuple(edits), tf[1]))


def _range_of(module: ModuleAnalysis, node: ast.expr) -> ast.Call | None:
    """The `range(...)` call a loop iterates over, directly or through `reversed`."""
    if (
        isinstance(node, ast.Call)
        and module.imports.resolve(node.func) == "builtins.reversed"
        and len(node.args) == 1
        and not node.keywords
    ):
        node = node.args[0]
    return node if _is_range_call(module, node) else None  # type: ignore[return-value]


def _keeps_range(bounds: _Bounds) -> bool:
    """`range(a, x.shape[k])` keeps `range`, bounded by `tf.shape(x)[k]`: AutoGraph loops
    over a range of tensors as Python does (empty when a >= the bound), where
    `tf.range(a, b)` raises."""
    values = bounds.values
    return len(values) == 2 and None in values and values[0] != 0


def _is_range_call(module: ModuleAnalysis, node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and module.imports.resolve(node.func) == "builtins.range"
        and not node.keywords
        and 1 <= len(node.args) <= 3
        and not any(isinstance(a, ast.Starred) for a in node.args)
    )


def _bounds(facts: TensorFacts, call: ast.Call, tf: str) -> _Bounds | None:
    """Static values and dynamic-dimension replacements of range's arguments, or None
    when any bound may be a tensor or is an unknown Python value."""
    replacements: dict[ast.expr, str] = {}
    values: list[int | None] = []
    may_be_none = False
    for argument in call.args:
        fact = facts.of(argument)
        if fact.is_python("int") and isinstance(fact.value, int):
            values.append(fact.value)
            continue
        dimension = _shape_dimension(facts, argument)
        if dimension is None:
            return None
        tensor, index = dimension
        replacements[argument] = f"{tf}.shape({tensor})[{index}]"
        values.append(None)
        may_be_none |= fact.maybe_none or fact.is_unknown
    if None not in values:
        static = [v for v in values if v is not None]
        if len(static) == 3 and static[2] == 0:
            return None
        if any(abs(v) > _INT32_MAX for v in static):
            return None
    return _Bounds(replacements, values, may_be_none)


def _shape_dimension(facts: TensorFacts, node: ast.expr) -> tuple[str, int] | None:
    """`x.shape[k]` with `x` a name that is (or may be) a tensor: ("x", k)."""
    if not (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "shape"
        and isinstance(node.value.value, ast.Name)
        and isinstance(node.slice, ast.Constant)
        and type(node.slice.value) is int
    ):
        return None
    owner = facts.of(node.value.value)
    if owner.kind.value == "python":
        return None  # a NumPy array or other Python object: its shape is static
    return node.value.value.id, node.slice.value


def _rewrite(
    module: ModuleAnalysis, scope: GraphScope, facts: TensorFacts, loop: ast.For, bounds: _Bounds, tf: str
) -> tuple[list[Edit], list[str]]:
    """The edits, and the assumptions they rest on (values that are probably tensors)."""
    if not scope.autograph:
        raise NoFix(f"{scope.without_autograph}: only AutoGraph turns a loop over a tensor into a graph loop")
    if not isinstance(loop.target, ast.Name):
        raise NoFix("the loop target is not a single name")
    values = bounds.values
    call = _range_of(module, loop.iter)
    assert call is not None
    if None in values:
        # tf.range(a, b, s) raises where range() is empty (a > b with s > 0); AutoGraph's
        # own `range(a, tensor)` clamps like Python, but not with a step.
        if loop.iter is not call and not (len(values) == 1 or (len(values) == 2 and values[0] == 0)):
            raise NoFix("`reversed` over a dynamic bound with a non-zero start or a step")
        if len(values) == 3 and not (values[0] == 0 and (values[2] or 0) > 0):
            raise NoFix("a dynamic bound with a non-zero start and a step")
    index = loop.target.id
    static = [abs(v) for v in values if v is not None]
    small = bool(static) and None not in values and max(static) < _EXACT_FLOAT32_LIMIT
    # The index's uses first: they name the most specific reason (`self.blocks[i]`).
    uses = _IndexUses(module, facts, loop, index, tf, small)
    casts = uses.edits()
    # Lists the loop appends to become TensorArrays in the same fix: a graph loop
    # cannot fill a Python list, and this loop could not become one without that.
    lists = lists_filled_by(module, scope, loop)
    report = check_body(facts, loop, frozenset({index}), frozenset(lists))
    if report.all:
        raise NoFix(report.all[0])
    arrays = convert_for_loop(module, scope, lists, tf)
    return _range_edits(module, loop, call, bounds, tf) + casts + arrays.edits, uses.assumptions + arrays.assumptions


def _range_edits(module: ModuleAnalysis, loop: ast.For, call: ast.Call, bounds: _Bounds, tf: str) -> list[Edit]:
    lines = module.lines
    if loop.iter is not call:  # reversed(range(...))
        return [Edit(*lines.node_range(loop.iter), f"{tf}.range({_reversed_arguments(module, call, bounds)})")]
    edits = [] if _keeps_range(bounds) else [Edit(*lines.node_range(call.func), f"{tf}.range")]
    for argument, text in bounds.replacements.items():
        edits.append(Edit(*lines.node_range(argument), text))
    return edits


def _reversed_arguments(module: ModuleAnalysis, call: ast.Call, bounds: _Bounds) -> str:
    """`tf.range` arguments that count down over `range(...)`'s values: `reversed(range(a,
    b))` is `tf.range(b - 1, a - 1, -1)`; with a step, the static values themselves."""
    values = bounds.values
    if len(values) == 3:
        assert None not in values  # _rewrite refuses a dynamic bound with a step
        backwards = range(*values)[::-1]  # type: ignore[arg-type]
        return f"{backwards.start}, {backwards.stop}, {backwards.step}"
    texts = []
    for argument in call.args:
        text = bounds.replacements.get(argument) or module.lines.segment(argument)
        if "#" in text or "\n" in text:
            raise NoFix("a comment or line break inside the bounds of `reversed(range(...))`")
        texts.append(text)
    if len(call.args) == 1:
        return f"{_minus_one(call.args[0], values[0], texts[0])}, -1, -1"
    stop = _minus_one(call.args[1], values[1], texts[1])
    return f"{stop}, {_minus_one(call.args[0], values[0], texts[0])}, -1"


def _minus_one(node: ast.expr, value: int | None, text: str) -> str:
    if value is not None and _literal_int(node):
        return str(value - 1)
    # `n - 1`, `n + 2 - 1`, `2 * n - 1`: no operator here binds looser than `-`.
    bare = isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)) or (
        isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, *_INT_OPS))
    )
    return f"{text} - 1" if bare else f"({text}) - 1"


def _literal_int(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) is int


class _IndexUses:
    """Checks every use of the index (and of names computed from it) and collects the
    casts that keep them meaning the same once the index is an int32 tensor."""

    def __init__(
        self, module: ModuleAnalysis, facts: TensorFacts, loop: ast.For, index: str, tf: str, small: bool
    ) -> None:
        self.module, self.facts, self.loop, self.tf, self.small = module, facts, loop, tf, small
        self.parents = parent_map(own_nodes(loop.body))
        for statement in loop.body:
            self.parents[statement] = loop
        self.derived = {index}
        self.casts: dict[ast.expr, str] = {}
        self.assumptions: list[str] = []  # what the fix assumes (a container probably a tensor)

    def edits(self) -> list[Edit]:
        index = next(iter(self.derived))
        rebinding_loops = [
            n
            for n in self.facts.scope.nodes()
            if isinstance(n, ast.For)
            and n is not self.loop
            and not inside(self.loop, n)
            and isinstance(n.target, ast.Name)
            and n.target.id == index
        ]
        for node in self.facts.scope.nodes():
            if (
                isinstance(node, ast.Name)
                and node.id == index
                and isinstance(node.ctx, ast.Load)
                and not inside(node, self.loop)
            ):
                # Another loop over the same name binds it afresh for its own body.
                if not any(inside(node, other) and not inside(node, other.iter) for other in rebinding_loops):
                    raise NoFix(f"the index `{index}` is read after the loop")
        for node in own_nodes(self.loop.body):
            if isinstance(node, ast.Name) and node.id == index and isinstance(node.ctx, ast.Store):
                raise NoFix(f"the index `{index}` is assigned in the loop")
        checked: set[str] = set()
        while self.derived - checked:
            name = (self.derived - checked).pop()
            checked.add(name)
            for statement in self.loop.body:
                for load in iter_loads(statement, name):
                    self._use(load)
        edits = []
        for node, dtype in self.casts.items():
            text = self.module.lines.segment(node)
            if "#" in text or "\n" in text:
                raise NoFix("a comment or line break inside an expression that needs a cast")
            edits.append(Edit(*self.module.lines.node_range(node), f"{self.tf}.cast({text}, {self.tf}.{dtype})"))
        return edits

    def _is_derived(self, node: ast.expr) -> bool:
        return any(
            isinstance(n, ast.Name) and n.id in self.derived and isinstance(n.ctx, ast.Load) for n in ast.walk(node)
        )

    def _use(self, node: ast.expr) -> None:
        """`node` holds an index-derived int (a Python int today, an int32 tensor after)."""
        parent = self.parents.get(node)
        described = f"`{ast.unparse(node)}`"
        if isinstance(parent, ast.BinOp):
            other = parent.right if parent.left is node else parent.left
            self._arithmetic(node, parent, other, parent.op)
        elif isinstance(parent, ast.UnaryOp) and isinstance(parent.op, (ast.USub, ast.UAdd)):
            self._use(parent)
        elif isinstance(parent, ast.Subscript) or (
            isinstance(parent, (ast.Slice, ast.Tuple)) and self._slice_owner(parent) is not None
        ):
            owner = parent if isinstance(parent, ast.Subscript) else self._slice_owner(parent)
            assert owner is not None
            if owner.value is node or self._is_derived(owner.value):
                raise NoFix(f"{described} is subscripted")
            container = self.facts.of(owner.value)
            if container.assumption is not None:
                # Indexing a tensor with an int32 scalar works as with an int; a Python
                # list would not: the fix rests on the assumption.
                self.assumptions.append(container.assumption)
            elif not container.is_tensor:
                what = (
                    f"a Python {container.pytype}"
                    if container.is_python() and container.pytype
                    else "not known to be a tensor"
                )
                raise NoFix(f"the index subscripts `{ast.unparse(owner.value)}`, which is {what}")
        elif isinstance(parent, ast.Compare):
            self._comparison(parent)
        elif isinstance(parent, ast.Call) and node in parent.args + [k.value for k in parent.keywords]:
            self._call_argument(node, parent)
        elif isinstance(parent, (ast.List, ast.Tuple)) and self._in_shape(parent):
            pass
        elif (
            isinstance(parent, ast.Assign)
            and parent.value is node
            and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)
            and parent in self.loop.body
        ):
            self.derived.add(parent.targets[0].id)
        elif isinstance(parent, ast.AugAssign) and parent.value is node and isinstance(parent.target, ast.Name):
            self._arithmetic(node, parent, parent.target, parent.op)
        elif isinstance(parent, (ast.FormattedValue, ast.JoinedStr)):
            raise NoFix(f"{described} is formatted into a string")
        elif isinstance(parent, ast.Dict):
            raise NoFix(f"{described} is a dict key or value")
        else:
            raise NoFix(f"{described} is used where a Python int may be needed")

    def _arithmetic(self, node: ast.expr, parent: ast.BinOp | ast.AugAssign, other: ast.expr, op: ast.operator) -> None:
        described = f"`{ast.unparse(node)}`"
        # A value derived from the index, or a Python int, keeps the arithmetic integral.
        if not (self._is_derived(other) and not isinstance(parent, ast.AugAssign)):
            fact = self.facts.of(other)
            if fact.is_python("int", "bool"):
                pass
            elif fact.is_python("float"):
                return self._float(node, parent, fact.value, op)
            elif fact.is_tensor and fact.dtype == "int32":
                return  # a tensor either way
            elif fact.is_tensor and fact.dtype in _CASTABLE:
                self.casts[node] = fact.dtype  # the Python int converted to this dtype
                return
            else:
                raise NoFix(f"{described} meets `{ast.unparse(other)}`, whose dtype is not known")
        if isinstance(parent, ast.AugAssign):
            raise NoFix(f"{described} is added into a Python value")
        if not isinstance(op, _INT_OPS):
            raise NoFix(f"{described} in `{ast.unparse(parent)}` would change type")
        self._use(parent)  # type: ignore[arg-type]
        return None

    def _float(self, node: ast.expr, parent: ast.BinOp | ast.AugAssign, value: object, op: ast.operator) -> None:
        """`i * 0.5`: a Python float today; cast `i` to the float dtype it flows into."""
        described = f"`{ast.unparse(parent)}`"
        if isinstance(parent, ast.AugAssign) or not isinstance(op, (ast.Add, ast.Sub, ast.Mult)) or not self.small:
            raise NoFix(f"{described} mixes the index with a Python float")
        consumer = self.parents.get(parent)
        dtype = None
        if isinstance(consumer, ast.BinOp) and isinstance(consumer.op, (ast.Add, ast.Sub, ast.Mult)):
            other = consumer.right if consumer.left is parent else consumer.left
            dtype = self.facts.dtype(other)
        elif (
            isinstance(consumer, ast.AugAssign)
            and consumer.value is parent
            and isinstance(consumer.op, (ast.Add, ast.Sub, ast.Mult))
        ):
            dtype = self.facts.dtype(consumer.target)
        exact = isinstance(value, float) and struct.unpack("f", struct.pack("f", value))[0] == value
        if dtype == "float64" or (dtype == "float32" and exact):
            self.casts[node] = dtype
            return
        raise NoFix(f"{described} mixes the index with a Python float")

    def _comparison(self, compare: ast.Compare) -> None:
        for operand in [compare.left, *compare.comparators]:
            if self._is_derived(operand):
                continue
            fact = self.facts.of(operand)
            if not (fact.is_python("int") or (fact.is_tensor and fact.dtype == "int32")):
                raise NoFix(f"`{ast.unparse(compare)}` compares the index with a value that is not an int")
        if any(isinstance(op, (ast.Is, ast.IsNot, ast.In, ast.NotIn)) for op in compare.ops):
            raise NoFix(f"`{ast.unparse(compare)}` is not a tensor comparison")
        node: ast.AST = compare
        parent = self.parents.get(node)
        while isinstance(parent, ast.BoolOp) or (isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not)):
            node, parent = parent, self.parents.get(parent)
        if not (isinstance(parent, ast.If) and parent.test is node):
            raise NoFix(f"`{ast.unparse(compare)}` is used outside an `if` test")
        # The `if` becomes tf.cond: what its branches assign leaves as tensors.
        for child in own_nodes(parent.body + parent.orelse):
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                fact = self.facts.name(child.id)
                if not (fact.is_tensor and fact.dtype is not None and fact.shape is not None):
                    raise NoFix(f"`{child.id}` is assigned under a condition on the index and would become a tensor")

    def _call_argument(self, node: ast.expr, call: ast.Call) -> None:
        name = self.facts.tf_name(call.func)
        described = f"`{ast.unparse(node)}`"
        if self.facts.resolve(call.func) == "builtins.print":
            raise NoFix("Python `print` inside the loop runs once per trace (AG001 rewrites it first)")
        if name is None:
            raise NoFix(f"{described} is passed to `{ast.unparse(call.func)}`, which is not TensorFlow")
        if name == "print" and node in call.args:
            return
        if name in ELEMENTWISE or name in COMPARISONS:
            # A tensor either way; the other operands decide the dtype the index needs.
            for other in call.args:
                if other is node or self._is_derived(other):
                    continue
                fact = self.facts.of(other)
                if fact.is_python("int", "bool") or (fact.is_tensor and fact.dtype == "int32"):
                    continue
                if fact.is_tensor and fact.dtype in _CASTABLE:
                    self.casts[node] = fact.dtype
                    continue
                raise NoFix(f"{described} meets `{ast.unparse(other)}` in `tf.{name}`, whose dtype is not known")
            return
        allowed = _INDEX_ARGUMENTS.get(name.removeprefix("math."))
        if allowed is not None:
            positions, keywords = allowed
            if any(call.args[p] is node for p in positions if p < len(call.args)) or any(
                k.arg in keywords and k.value is node for k in call.keywords
            ):
                return
        raise NoFix(f"{described} is passed to `tf.{name}`")

    def _slice_owner(self, node: ast.AST) -> ast.Subscript | None:
        while isinstance(node, (ast.Slice, ast.Tuple)):
            parent = self.parents.get(node)
            if isinstance(parent, ast.Subscript) and parent.slice is node:
                return parent
            if isinstance(node, ast.Slice) and isinstance(parent, ast.Tuple):
                node = parent
                continue
            return None
        return None

    def _in_shape(self, sequence: ast.List | ast.Tuple) -> bool:
        call = self.parents.get(sequence)
        if not isinstance(call, ast.Call):
            return False
        name = self.facts.tf_name(call.func)
        position = _SHAPE_FUNCTIONS.get(name or "")
        if position is None:
            return False
        return (len(call.args) > position and call.args[position] is sequence) or any(
            k.arg in ("shape", "dims") and k.value is sequence for k in call.keywords
        )
