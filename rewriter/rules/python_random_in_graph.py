"""Rewrite NumPy and Python random draws in a graph scope to `tf.random`.

## What it does
Finds `np.random.*` and `random.*` calls inside functions that `tf.function` traces and
rewrites those with a TensorFlow equivalent of the same distribution and parameters:
`randn`/`standard_normal`/`normal(loc, scale, size)` to `tf.random.normal`,
`rand`/`random`/`random_sample`/`uniform(low, high, size)` to `tf.random.uniform`,
`randint(low, high, size)` to an integer `tf.random.uniform`, and the standard
library's `random()`, `uniform(a, b)`, `gauss(mu, sigma)`/`normalvariate`,
`randint(a, b)`, `randrange(start, stop)` and `choice` over a literal list of numbers.

## Why is this bad?
A NumPy or Python draw runs once, while tracing; its value is baked into the graph as a
constant, so every call of the graph function returns the same "random" numbers.
Eagerly, every call draws afresh.

## Example
    @tf.function
    def noisy(x):
        return x + np.random.normal(0.0, 0.1, size=(3,))

Use instead:

    @tf.function
    def noisy(x):
        return x + tf.random.normal((3,), mean=0.0, stddev=0.1)

## Fix safety
Random values cannot match NumPy's numerically, only in distribution, shape and dtype.
Shapes come from the positional dimensions (`randn(3, 3)` is `[3, 3]`) or `size=`.
`size=t.shape` and `randn(*t.shape)` become `tf.shape(t)` (eagerly `t.shape` is always
fully known; in a graph a dim may be None) unless `t`'s static shape is fully known;
`size=tf.shape(t)` is kept as it is.
Bounds keep their meaning: NumPy's `randint(low, high)` excludes `high` like
`tf.random.uniform`, `randint(n)` draws from `[0, n)`, and the standard library's
`randint(a, b)` includes `b` (so `maxval=b + 1`). `random.choice([0.1, 0.5, 0.9])`
becomes `tf.gather([0.1, 0.5, 0.9], tf.random.uniform([], maxval=3, dtype=tf.int32))`:
each element with the same probability.

The dtype follows the value's consumer, not NumPy's float64/int64: NumPy silently
converts to the dtype of a tensor it meets, a float64 tensor raises instead. So:

- the value meets a tensor of known dtype (`x + noise`, `tf.add(x, noise)`, `x += noise`,
  through any Python scalar arithmetic): that dtype; safe;
- the value is compared with a tensor of known dtype (`np.random.uniform() < accept_prob`):
  that dtype; safe, since the comparison was already a tensor condition in the graph;
- the value is returned, or converted with `tf.convert_to_tensor`: the dtype the original
  had (float64/int64 for a NumPy array, float32/int32 for a Python number, which is what
  NumPy returns without a shape and what the graph returned); safe. Eagerly the result is
  then a tensor instead of a NumPy array or number;
- the value is printed with `tf.print`: the original dtype; unsafe, since `tf.print` shows
  a NumPy array as `array([...])` and a tensor as its values;
- the value meets a value that may not be a tensor, a tensor of unknown dtype, or a
  TensorFlow function whose dtype needs are not known: float32/int32, TensorFlow's
  defaults (what NumPy's value is cast to when it meets such a tensor); unsafe;
- the value is passed to other code (a consumer the rule cannot see): the dtype the
  original had (float64 for `np.random.uniform`, int64 for `np.random.randint`), so a
  value that code returns or passes on keeps its dtype; unsafe, since that code now
  gets a tensor where it got a NumPy or Python value;
- parameters that may be arrays (NumPy broadcasts `loc`, `scale`, `low`, `high` to the
  output shape): unsafe.

No fix: draws used as Python values (in an `if` or `while` test, a comparison, an index,
`int()`/`float()`), an integer draw meeting a float tensor, `tf.constant(draw)` (which
rejects a graph tensor), `random.choice` over anything but a literal list of numbers of
one type, and calls with no mapping: NumPy's `choice`, `shuffle`, `permutation`,
`seed`, other distributions, `randrange` with a step. Draws from a module-level
generator (`rng = np.random.default_rng(0)`, `random.Random(0)`) are reported without
a fix: a seeded stream cannot be reproduced by `tf.random`.

Not reported: a draw that follows `np.random.seed(...)` (`random.seed(...)` for the
standard library) run unconditionally earlier in the same function. Eagerly every call
then draws the same values, and the graph replays exactly those. Draws in a graph loop,
or after a test that may be a tensor (AutoGraph traces both branches, which changes the
order of draws), are still reported.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scopes import GraphScope
from rewriter.analyze.tensors import TensorFacts
from rewriter.rules._base import Applicability, Edit, Example, Fix, NoFix, Rule, Violation
from rewriter.rules._draw_dtype import consumer_dtype
from rewriter.rules._random_draws import (
    INT_DTYPES,
    Draw,
    bind,
    is_generator_draw,
    known_draw,
    module_generators,
)
from rewriter.rules._random_replacement import choice_type, replacement
from rewriter.source import has_comment


class PythonRandomInGraph(Rule):
    CODE = "AG002"
    NAME = "python-random-in-graph"
    MESSAGE = "a NumPy/Python random draw in a graph runs once while tracing; every call returns the same values"
    FIX_TITLE = "Draw with `tf.random`"

    VALID = (
        """
        import numpy as np
        import tensorflow as tf

        def eager(x):
            return x + np.random.randn(3)
        """,
        """
        import numpy as np
        import tensorflow as tf

        @tf.function
        def f(x):
            return x + tf.random.normal([3])
        """,
        """
        import numpy as np
        import tensorflow as tf

        @tf.function
        def f(x, np):
            return x + np.random.randn(3)
        """,
    )
    INVALID = (
        Example(
            """
            import numpy as np
            import tensorflow as tf

            @tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
            def f(x):
                return x + np.random.randn(3)
            """,
            """
            import tensorflow as tf

            @tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
            def f(x):
                return x + tf.random.normal([3])
            """,
            name="numpy-draw-of-a-static-shape",
        ),
        Example(
            """
            import numpy as np
            import tensorflow as tf

            @tf.function
            def f():
                return np.random.randint(0, 10, size=(2, 2))
            """,
            """
            import tensorflow as tf

            @tf.function
            def f():
                return tf.random.uniform((2, 2), minval=0, maxval=10, dtype=tf.int64)
            """,
            name="randint-with-a-size",
        ),
        Example(
            """
            import numpy as np
            import tensorflow as tf

            @tf.function
            def f(x):
                if np.random.rand() < 0.5:
                    x = -x
                return x
            """,
            None,
            name="draw-in-a-python-condition",
        ),
    )

    def check(self, module: ModuleAnalysis) -> Iterator[Violation]:
        generators = module_generators(module)
        for scope in module.graph_scopes:
            parents: dict[ast.AST, ast.AST] | None = None
            for node in scope.nodes():
                if not isinstance(node, ast.Call):
                    continue
                qualified = module.resolve(scope, node.func)
                draw = known_draw(qualified)
                span = module.lines.node_range(node)
                if draw is None:
                    if is_generator_draw(node, scope, generators):
                        yield self.report(
                            span,
                            no_fix="a NumPy/Python generator object's stream cannot be reproduced by `tf.random`",
                        )
                    elif (
                        qualified
                        and qualified.startswith(("numpy.random.", "random."))
                        and qualified.count(".") == (2 if qualified.startswith("numpy.") else 1)
                    ):
                        yield self.report(span, no_fix=f"`{qualified}` has no `tf.random` mapping here")
                    continue
                if parents is None:
                    parents = module.scope_facts(scope).parents
                if _seeded_before(module, scope, module.tensors(scope), parents, node, draw):
                    continue  # deterministic eagerly too: the graph's frozen value is the same
                # The tensor facts are built only for scopes that draw (most never do).
                facts = module.tensors(scope)
                yield self.report(span, functools.partial(_build_fix, module, scope, facts, parents, node, draw))


def _seeded_before(
    module: ModuleAnalysis,
    scope: GraphScope,
    facts: TensorFacts,
    parents: dict[ast.AST, ast.AST],
    call: ast.Call,
    draw: Draw,
) -> bool:
    """A seed of the same generator runs unconditionally earlier in the same function.

    Eagerly every call then draws the same values; the graph replays the values drawn
    while tracing, which are those same values. That holds only while the draws between
    the seed and this one run in the same order in both: none of them under a graph
    loop or a test that may be a tensor (AutoGraph traces both branches).
    """
    seed = "numpy.random.seed" if draw.source == "numpy" else "random.seed"
    seeds = [
        node
        for node in scope.nodes()
        if isinstance(node, ast.Call)
        and facts.resolve(node.func) == seed
        and isinstance(parents.get(node), ast.Expr)
        and _unconditional(scope, parents, parents[node])
        and (node.lineno, node.col_offset) < (call.lineno, call.col_offset)
    ]
    if not seeds:
        return False
    first = min((s.lineno, s.col_offset) for s in seeds)
    loops = module.scope_facts(scope)
    for node in scope.nodes():
        if not (isinstance(node, ast.stmt) or isinstance(node, ast.IfExp)):
            continue
        if not first < (node.lineno, node.col_offset) <= (call.lineno, call.col_offset):
            continue
        if isinstance(node, (ast.If, ast.While, ast.IfExp)) and not facts.of(node.test).is_python():
            return False
        if isinstance(node, (ast.For, ast.While)) and loops.is_graph_loop(node):
            return False
    return not loops.graph_loops_around(call)


def _unconditional(scope: GraphScope, parents: dict[ast.AST, ast.AST], statement: ast.AST) -> bool:
    """Only `with` blocks between the function and `statement`."""
    parent = parents.get(statement)
    while parent is not None and parent is not scope.node:
        if not isinstance(parent, (ast.With, ast.AsyncWith)):
            return False
        parent = parents.get(parent)
    return True


def _build_fix(
    module: ModuleAnalysis,
    scope: GraphScope,
    facts: TensorFacts,
    parents: dict[ast.AST, ast.AST],
    call: ast.Call,
    draw: Draw,
) -> Fix:
    tf = module.tensorflow_name(scope)
    if tf is None:
        raise NoFix("no name is free to refer to tensorflow")
    arguments = bind(call, draw)
    if draw.kind == "choice":
        draw.kind = "choice_" + choice_type(arguments["seq"])
    size = arguments.get("size")
    draw.scalar = not any(k.startswith("dim") for k in arguments) and (
        size is None or (isinstance(size, ast.Constant) and size.value is None)
    )
    unsafe: list[str] = []
    dtype, reason = consumer_dtype(facts, parents, call, draw, depth=0)
    if reason:
        unsafe.append(reason)
    explicit = arguments.pop("dtype", None)
    if explicit is not None:
        named = facts.dtype_named(explicit)
        if named not in INT_DTYPES:
            raise NoFix("`dtype=` is not an integer dtype we can name")
        if dtype != INT_DTYPES[named] and not reason:
            dtype = INT_DTYPES[named]
    text = replacement(module, facts, draw, arguments, tf[0], dtype, unsafe)
    start, end = module.lines.node_range(call)
    if has_comment(module.text[start:end]):
        raise NoFix("a comment inside the call")
    title = f"Draw with `{tf[0]}.random.{'normal' if draw.kind == 'normal' else 'uniform'}`"
    edits = (Edit(start, end, text),)
    if unsafe:
        return Fix(Applicability.UNSAFE, f"{title} ({'; '.join(dict.fromkeys(unsafe))})", edits, tf[1])
    return Fix(Applicability.SAFE, title, edits, tf[1])
