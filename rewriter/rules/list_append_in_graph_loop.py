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
to `out.read(k)`. An op that converts the list to one tensor first (`tf.reduce_mean`,
`tf.reduce_sum` and the other reductions, `tf.convert_to_tensor`) gets `out.stack()` in
its place and keeps its other arguments: a list of tensors converts to their stack, so
`tf.reduce_mean(out)` still reduces over every element. `tf.add_n(out)` becomes
`tf.reduce_sum(out.stack(), axis=0)`: the same dtype and shape, and for integers the same
values; for floats the fix is unsafe, since the two add in another order and the sum may
differ in the last bits. `tf.concat(out, k)` on another axis becomes the stack with its
first axis moved to `k` and reshaped into it, when every appended value has the same
static shape apart from axis `k`. `len(out)` becomes `out.size()` only where an int32
tensor means the same as the Python int (in `tf.cast`, `tf.range`, or next to an int32
tensor); elsewhere there is no fix. Under `jit_compile=True` (XLA drops writes to a
dynamically sized array) only a single append directly in `for i in tf.range(N)` with a
literal `N` is fixed, as `size=N` and `out.write(i, v)`.

A loop over a parameter is a graph loop when evidence says the parameter is a tensor or
a dataset (an `input_signature`, an annotation, the module's call sites); without it the
parameter is probably a tensor, and the fix is unsafe and says so.

The element dtype must be known statically (an explicit cast or dtype, literals, an
`input_signature`); all appended values must agree. When it is not, but every appended
value only slices or reduces one parameter `x` (`tf.reduce_sum(x[: i + 1])`), the fix
uses `x.dtype` and is unsafe: it assumes `x` is a tensor or a NumPy array, not a Python
list. Residual difference: with zero iterations, eager `tf.stack([])` gives a float32
tensor of shape (0,), the array a tensor of its own dtype and element shape (and eager
`tf.add_n([])` raises where the sum is zeros).

No fix when the dtype is unknown, when the list is returned, iterated, passed on or
otherwise used as a Python list (a stacked tensor has another structure), for other
list methods or slices, or for a list created inside an `if` or `try` block.

A Python `range` loop above the unroll limit that appends to a list is AG003's: it turns
the loop into a `tf.range` loop and the list into a TensorArray in one fix.

In a scope traced without AutoGraph (a Keras 3 `call` or `train_step`, `autograph=False`,
`do_not_convert`) the loop over a tensor itself raises, and a TensorArray cannot help: the
append is reported without a fix (the loop needs an explicit `tf.while_loop`).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scope_facts import ScopeFacts
from rewriter.analyze.scopes import GraphScope
from rewriter.rules._base import Applicability, Example, Fix, NoFix, Rule, Violation
from rewriter.rules._list_conversion import appends, convert, local_lists


class ListAppendInGraphLoop(Rule):
    CODE = "AG006"
    NAME = "list-append-in-graph-loop"
    MESSAGE = (
        "list appended to inside a graph loop: the loop body is a separate graph, so the list cannot collect its values"
    )
    FIX_TITLE = "Collect the values in a `tf.TensorArray`"

    VALID = (
        """
        import tensorflow as tf

        @tf.function
        def f(n):
            out = []
            for i in range(3):
                out.append(i * 2)
            return tf.stack(out)
        """,
        """
        import tensorflow as tf

        @tf.function
        def f(n):
            out = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
            for i in tf.range(n):
                out = out.write(i, i)
            return out.stack()
        """,
    )
    INVALID = (
        Example(
            """
            import tensorflow as tf

            @tf.function
            def f(n):
                out = []
                for i in tf.range(n):
                    out.append(tf.cast(i, tf.float32))
                return tf.stack(out)
            """,
            """
            import tensorflow as tf

            @tf.function
            def f(n):
                out = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
                for i in tf.range(n):
                    out = out.write(out.size(), tf.cast(i, tf.float32))
                return out.stack()
            """,
            name="append-in-a-tensor-loop",
        ),
        Example(
            """
            import tensorflow as tf

            @tf.function
            def f(n):
                out = []
                for i in tf.range(n):
                    out.append(tf.cast(i, tf.float32))
                return out
            """,
            None,
            name="list-returned-as-a-list-has-no-fix",
        ),
    )

    def check(self, module: ModuleAnalysis) -> Iterator[Violation]:
        for scope in module.graph_scopes:
            if scope.is_lambda:
                continue  # no statements: no loop, no list
            facts = module.scope_facts(scope)
            for statement, name in local_lists(scope):
                appended = appends(scope, name)
                in_loop = [a for a in appended if facts.graph_loops_around(a, probable=True, assume_autograph=True)]
                if not in_loop:
                    continue  # appended in Python code only (unrolled loops work)
                span = module.lines.node_range(in_loop[0])
                if not scope.autograph:
                    # The loop itself raises: iterating over a tensor or a `while` on one
                    # needs AutoGraph, and a TensorArray needs a graph loop.
                    yield self.report(
                        span,
                        no_fix=f"{scope.without_autograph}, so this loop over a tensor raises; "
                        "write it with `tf.while_loop`",
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
                yield self.report(
                    span, functools.partial(_fix, module, scope, facts, statement, appended, assumptions[:1])
                )


def _fix(
    module: ModuleAnalysis,
    scope: GraphScope,
    facts: ScopeFacts,
    statement: ast.Assign,
    appended: list[ast.Call],
    assumptions: list[str],
) -> Fix:
    tf = module.tensorflow_name(scope)
    if tf is None:
        raise NoFix("no name is free to refer to tensorflow")
    conversion = convert(module, scope, facts, statement, appended, tf[0])
    reasons = assumptions + conversion.assumptions
    edits = tuple(conversion.edits)
    if reasons:
        return Fix(Applicability.UNSAFE, f"{ListAppendInGraphLoop.FIX_TITLE} ({'; '.join(reasons)})", edits, tf[1])
    return Fix(Applicability.SAFE, ListAppendInGraphLoop.FIX_TITLE, edits, tf[1])
