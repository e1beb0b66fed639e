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
from collections.abc import Iterator

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scopes import GraphScope
from rewriter.analyze.tensors import TensorFacts
from rewriter.rules._base import Applicability, Edit, Example, Fix, NoFix, Rule, Violation
from rewriter.rules._list_conversion import convert_for_loop, lists_filled_by
from rewriter.rules._loop_body import check_body
from rewriter.rules._loop_index import INT_OPS, IndexUses
from rewriter.rules._range_bounds import Bounds, keeps_range, range_bounds, range_of

_KEEP_RANGE_TITLE = "Bound the loop by `tf.shape` (AutoGraph then makes it a graph loop)"
_EXACT_FLOAT32_LIMIT = 2**24


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
                if isinstance(node, ast.For) and range_of(module, node.iter) is not None:
                    violation = self._report(module, scope, node, limit)
                    if violation is not None:
                        yield violation

    def _report(self, module: ModuleAnalysis, scope: GraphScope, loop: ast.For, limit: int) -> Violation | None:
        facts = module.tensors(scope)
        call = range_of(module, loop.iter)
        assert call is not None
        tf = module.tensorflow_name(scope)
        bounds = range_bounds(facts, call, tf[0] if tf else "tf")
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
        title = _KEEP_RANGE_TITLE if loop.iter is call and keeps_range(bounds) else self.FIX_TITLE
        if lists := lists_filled_by(module, scope, loop):
            title += f" and collect {', '.join(f'`{name}`' for name in lists)} in a `tf.TensorArray`"
        if assumptions:
            title = f"{title} ({assumptions[0]})"
            return self.violation(span, message, Fix(Applicability.UNSAFE, title, tuple(edits), tf[1]))
        return self.violation(span, message, Fix(Applicability.SAFE, title, tuple(edits), tf[1]))


def _rewrite(
    module: ModuleAnalysis, scope: GraphScope, facts: TensorFacts, loop: ast.For, bounds: Bounds, tf: str
) -> tuple[list[Edit], list[str]]:
    """The edits, and the assumptions they rest on (values that are probably tensors)."""
    if not scope.autograph:
        raise NoFix(f"{scope.without_autograph}: only AutoGraph turns a loop over a tensor into a graph loop")
    if not isinstance(loop.target, ast.Name):
        raise NoFix("the loop target is not a single name")
    values = bounds.values
    call = range_of(module, loop.iter)
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
    uses = IndexUses(module, facts, loop, index, tf, small)
    casts = uses.edits()
    # Lists the loop appends to become TensorArrays in the same fix: a graph loop
    # cannot fill a Python list, and this loop could not become one without that.
    lists = lists_filled_by(module, scope, loop)
    report = check_body(facts, loop, frozenset({index}), frozenset(lists))
    if report.all:
        raise NoFix(report.all[0])
    arrays = convert_for_loop(module, scope, lists, tf)
    return _range_edits(module, loop, call, bounds, tf) + casts + arrays.edits, uses.assumptions + arrays.assumptions


def _range_edits(module: ModuleAnalysis, loop: ast.For, call: ast.Call, bounds: Bounds, tf: str) -> list[Edit]:
    lines = module.lines
    if loop.iter is not call:  # reversed(range(...))
        return [Edit(*lines.node_range(loop.iter), f"{tf}.range({_reversed_arguments(module, call, bounds)})")]
    edits = [] if keeps_range(bounds) else [Edit(*lines.node_range(call.func), f"{tf}.range")]
    for argument, text in bounds.replacements.items():
        edits.append(Edit(*lines.node_range(argument), text))
    return edits


def _reversed_arguments(module: ModuleAnalysis, call: ast.Call, bounds: Bounds) -> str:
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
        isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, *INT_OPS))
    )
    return f"{text} - 1" if bare else f"({text}) - 1"


def _literal_int(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) is int
