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
from dataclasses import dataclass

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scopes import GraphScope
from rewriter.analyze.tensors import ELEMENTWISE, TensorFacts, iter_loads
from rewriter.rules._base import Applicability, Edit, Example, Fix, NoFix, Rule, Violation
from rewriter.source import has_comment

# name -> (tf.random function, parameter names); "*dims" takes every positional argument.
_NUMPY = {
    "randn": ("normal", ("*dims",)),
    "standard_normal": ("normal", ("size",)),
    "normal": ("normal", ("loc", "scale", "size")),
    "rand": ("uniform", ("*dims",)),
    "random": ("uniform", ("size",)),
    "random_sample": ("uniform", ("size",)),
    "sample": ("uniform", ("size",)),
    "ranf": ("uniform", ("size",)),
    "uniform": ("uniform", ("low", "high", "size")),
    "randint": ("randint", ("low", "high", "size", "dtype")),
}
_STDLIB = {
    "random": ("uniform", ()),
    "uniform": ("uniform", ("a", "b")),
    "gauss": ("normal", ("mu", "sigma")),
    "normalvariate": ("normal", ("mu", "sigma")),
    "randint": ("randint_inclusive", ("a", "b")),
    "randrange": ("randrange", ("start", "stop")),
    "choice": ("choice", ("seq",)),
}
_GENERATORS = frozenset(
    {
        "numpy.random.default_rng",
        "numpy.random.RandomState",
        "numpy.random.Generator",
        "random.Random",
        "random.SystemRandom",
    }
)
_INT_DTYPES = {"int32": "int32", "int64": "int64", "int": "int64", "int_": "int64", "intc": "int32"}


@dataclass
class _Draw:
    source: str  # "numpy" or "random"
    function: str  # the NumPy/random function name
    kind: str  # "normal", "uniform", "randint", ...
    scalar: bool = False  # no shape: NumPy returns a Python float/int, not an array

    @property
    def integer(self) -> bool:
        return self.kind.startswith(("randint", "randrange", "choice_int"))

    def standalone_dtype(self) -> str:
        """The dtype the original value had when TensorFlow converted it.

        NumPy arrays are float64/int64; a draw without a shape is a Python float/int,
        which TensorFlow converts to float32/int32 (what the graph returned).
        """
        if self.source == "numpy" and not self.scalar:
            return "int64" if self.integer else "float64"
        return "int32" if self.integer else "float32"

    def default_dtype(self) -> str:
        return "int32" if self.integer else "float32"


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
        generators = _module_generators(module)
        for scope in module.graph_scopes:
            parents: dict[ast.AST, ast.AST] | None = None
            for node in scope.nodes():
                if not isinstance(node, ast.Call):
                    continue
                qualified = module.resolve(scope, node.func)
                draw = _draw(qualified)
                span = module.lines.node_range(node)
                if draw is None:
                    if _is_generator_draw(node, scope, generators):
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


def _draw(qualified: str | None) -> _Draw | None:
    if not qualified:
        return None
    if qualified.startswith("numpy.random.") and qualified.count(".") == 2:
        name = qualified.rsplit(".", 1)[1]
        if name in _NUMPY:
            return _Draw("numpy", name, _NUMPY[name][0])
    elif qualified.startswith("random.") and qualified.count(".") == 1:
        name = qualified.rsplit(".", 1)[1]
        if name in _STDLIB:
            return _Draw("random", name, _STDLIB[name][0])
    return None


def _module_generators(module: ModuleAnalysis) -> set[str]:
    """Module-level names bound to a NumPy/Python random generator object."""
    names: set[str] = set()
    for statement in module.tree.body:
        if (
            isinstance(statement, ast.Assign)
            and isinstance(statement.value, ast.Call)
            and module.imports.resolve(statement.value.func) in _GENERATORS
        ):
            names.update(t.id for t in statement.targets if isinstance(t, ast.Name))
    return names


def _is_generator_draw(call: ast.Call, scope: GraphScope, generators: set[str]) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id in generators
        and func.value.id not in scope.local_names
    )


def _seeded_before(
    module: ModuleAnalysis,
    scope: GraphScope,
    facts: TensorFacts,
    parents: dict[ast.AST, ast.AST],
    call: ast.Call,
    draw: _Draw,
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
    draw: _Draw,
) -> Fix:
    tf = module.tensorflow_name(scope)
    if tf is None:
        raise NoFix("no name is free to refer to tensorflow")
    arguments = _bind(call, draw)
    if draw.kind == "choice":
        draw.kind = "choice_" + _choice_type(arguments["seq"])
    size = arguments.get("size")
    draw.scalar = not any(k.startswith("dim") for k in arguments) and (
        size is None or (isinstance(size, ast.Constant) and size.value is None)
    )
    unsafe: list[str] = []
    dtype, reason = _consumer_dtype(facts, parents, call, draw, depth=0)
    if reason:
        unsafe.append(reason)
    explicit = arguments.pop("dtype", None)
    if explicit is not None:
        named = facts.dtype_named(explicit)
        if named not in _INT_DTYPES:
            raise NoFix("`dtype=` is not an integer dtype we can name")
        if dtype != _INT_DTYPES[named] and not reason:
            dtype = _INT_DTYPES[named]
    text = _replacement(module, facts, draw, arguments, tf[0], dtype, unsafe)
    start, end = module.lines.node_range(call)
    if has_comment(module.text[start:end]):
        raise NoFix("a comment inside the call")
    title = f"Draw with `{tf[0]}.random.{'normal' if draw.kind == 'normal' else 'uniform'}`"
    edits = (Edit(start, end, text),)
    if unsafe:
        return Fix(Applicability.UNSAFE, f"{title} ({'; '.join(dict.fromkeys(unsafe))})", edits, tf[1])
    return Fix(Applicability.SAFE, title, edits, tf[1])


def _bind(call: ast.Call, draw: _Draw) -> dict[str, ast.expr]:
    """Arguments by parameter name ("*dims" collects the positional dimensions)."""
    table = _NUMPY if draw.source == "numpy" else _STDLIB
    parameters = table[draw.function][1]
    bound: dict[str, ast.expr] = {}
    if (
        parameters == ("*dims",)
        and len(call.args) == 1
        and not call.keywords
        and isinstance(call.args[0], ast.Starred)
        and _is_shape_attribute(call.args[0].value)
    ):
        bound["size"] = call.args[0].value  # `randn(*t.shape)`: the dims of `t`
        return bound
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        raise NoFix("`*args`/`**kwargs`")
    if parameters == ("*dims",):
        if call.keywords:
            raise NoFix("an unexpected keyword argument")
        for index, argument in enumerate(call.args):
            bound[f"dim{index}"] = argument
        return bound
    if len(call.args) > len(parameters):
        raise NoFix("more arguments than the mapping knows (a `step`?)")
    for name, argument in zip(parameters, call.args):
        bound[name] = argument
    for keyword in call.keywords:
        if keyword.arg not in parameters or keyword.arg in bound:
            raise NoFix(f"the keyword `{keyword.arg}=`")
        bound[keyword.arg] = keyword.value  # type: ignore[index]
    return bound


def _replacement(
    module: ModuleAnalysis,
    facts: TensorFacts,
    draw: _Draw,
    arguments: dict[str, ast.expr],
    tf: str,
    dtype: str,
    unsafe: list[str],
) -> str:
    segment = module.lines.segment

    def scalar(name: str) -> str | None:
        node = arguments.get(name)
        if node is None or (isinstance(node, ast.Constant) and node.value is None):
            return None
        fact = facts.of(node)
        if fact.is_python("str", "list", "tuple", "dict") or (fact.is_tensor and fact.shape not in ((), None)):
            raise NoFix(f"`{segment(node)}` is not a scalar parameter")
        if fact.is_tensor and fact.dtype != dtype:
            # tf.random converts its parameters to the draw's dtype; a tensor cannot be.
            raise NoFix(f"`{segment(node)}` is a tensor that is not known to be {dtype}")
        if not (fact.is_python("int", "float", "bool") or (fact.is_tensor and fact.shape == ())):
            unsafe.append(f"`{segment(node)}` may be an array, which NumPy broadcasts")
        if draw.integer and fact.is_python("float"):
            raise NoFix(f"`{segment(node)}` is a float bound of an integer draw")
        return segment(node)

    if draw.kind.startswith("choice_"):
        return _choice(module, arguments["seq"], tf, dtype)
    shape = _shape(module, facts, arguments, tf)
    options: list[str] = []
    if draw.kind == "normal":
        mean = scalar("loc") or scalar("mu")
        stddev = scalar("scale") or scalar("sigma")
        options += [f"mean={mean}"] if mean else []
        options += [f"stddev={stddev}"] if stddev else []
        function = "normal"
    elif draw.kind == "uniform":
        low = scalar("low") or scalar("a")
        high = scalar("high") or scalar("b")
        options += [f"minval={low}"] if low else []
        options += [f"maxval={high}"] if high else []
        function = "uniform"
    else:
        low, high = scalar("low") or scalar("a") or scalar("start"), scalar("high") or scalar("b") or scalar("stop")
        if draw.kind == "randint" and high is None or draw.kind == "randrange" and high is None:
            low, high = "0", low  # randint(n) / randrange(n) draw from [0, n)
        if low is None or high is None:
            raise NoFix("an integer draw needs its bounds")
        if draw.kind == "randint_inclusive":
            high = _plus_one(facts, arguments.get("b"), high)
        options += [f"minval={low}", f"maxval={high}"]
        function = "uniform"
    if dtype != "float32" or draw.integer:
        options.append(f"dtype={tf}.{dtype}")
    return f"{tf}.random.{function}({', '.join([shape, *options])})"


def _literal_number(node: ast.expr) -> object:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return node.value if isinstance(node, ast.Constant) and type(node.value) in (int, float) else None


def _choice_type(seq: ast.expr) -> str:
    """ "int" or "float": `random.choice` over a literal list of numbers of one type."""
    if not isinstance(seq, (ast.List, ast.Tuple)) or not seq.elts:
        raise NoFix("`random.choice` over something other than a literal list of numbers")
    types = {type(_literal_number(e)) for e in seq.elts}
    if types == {int}:
        return "int"
    if types == {float}:
        return "float"
    raise NoFix("`random.choice` over a list that is not all ints or all floats")


def _choice(module: ModuleAnalysis, seq: ast.expr, tf: str, dtype: str) -> str:
    """An element picked by a uniform index; the list becomes a constant of `dtype`."""
    assert isinstance(seq, (ast.List, ast.Tuple))
    values = module.lines.segment(seq)
    natural = "int32" if isinstance(_literal_number(seq.elts[0]), int) else "float32"
    table = values if dtype == natural else f"{tf}.constant({values}, dtype={tf}.{dtype})"
    return f"{tf}.gather({table}, {tf}.random.uniform([], maxval={len(seq.elts)}, dtype={tf}.int32))"


def _is_shape_attribute(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "shape"


def _shape(module: ModuleAnalysis, facts: TensorFacts, arguments: dict[str, ast.expr], tf: str) -> str:
    dims = [arguments[k] for k in sorted(arguments) if k.startswith("dim")]
    if dims:
        for dim in dims:
            fact = facts.of(dim)
            if not (
                fact.is_python("int") or fact.is_unknown or (fact.is_tensor and fact.dtype in ("int32", "int64", None))
            ):
                raise NoFix(f"`{module.lines.segment(dim)}` is not a dimension")
        return "[" + ", ".join(module.lines.segment(d) for d in dims) + "]"
    size = arguments.get("size")
    if size is None or (isinstance(size, ast.Constant) and size.value is None):
        return "[]"
    text = module.lines.segment(size)
    if isinstance(size, (ast.Tuple, ast.List)):
        return text
    fact = facts.of(size)
    if fact.is_python("int"):
        return f"[{text}]"
    if fact.is_python("tuple", "list"):
        return text
    if _is_shape_attribute(size):
        assert isinstance(size, ast.Attribute)
        owner = facts.of(size.value)
        if owner.is_tensor and isinstance(owner.shape, tuple) and None not in owner.shape:
            return text  # fully static: the same dims eagerly and while tracing
        # Eagerly `t.shape` is always fully known; in a graph a dim may be None, which
        # `tf.shape` reads at run time (NumPy's or TensorFlow's, `t` may be either).
        return f"{tf}.shape({module.lines.segment(size.value)})"
    if (
        fact.is_tensor
        and fact.dtype in ("int32", "int64")
        and (not isinstance(fact.shape, tuple) or len(fact.shape) == 1)
    ):
        return text  # `size=tf.shape(t)`: a 1-D shape tensor, as tf.random takes it
    raise NoFix(f"`size={text}` may be an int or a tuple")


def _plus_one(facts: TensorFacts, node: ast.expr | None, text: str) -> str:
    fact = facts.of(node) if node is not None else None
    if (
        fact is not None
        and fact.is_python("int")
        and isinstance(fact.value, int)
        and isinstance(node, (ast.Constant, ast.UnaryOp))
    ):
        return str(fact.value + 1)
    if isinstance(node, (ast.Name, ast.Attribute, ast.Subscript, ast.Call, ast.Constant)):
        return f"{text} + 1"
    return f"({text}) + 1"


def _consumer_dtype(
    facts: TensorFacts, parents: dict[ast.AST, ast.AST], node: ast.expr, draw: _Draw, depth: int
) -> tuple[str, str | None]:
    """The dtype the drawn value must have, and why that choice is unsafe (None: safe)."""
    current: ast.AST = node
    while True:
        parent = parents.get(current)
        if isinstance(parent, ast.BinOp) and not isinstance(parent.op, ast.MatMult):
            other = parent.right if parent.left is current else parent.left
            found = _meets(facts, other, draw)
            if found is not None:
                return found
            current = parent
        elif isinstance(parent, ast.UnaryOp) and isinstance(parent.op, (ast.USub, ast.UAdd)):
            current = parent
        elif isinstance(parent, ast.Subscript) and parent.value is current:
            current = parent  # an element or slice of the draw is still a draw
        elif isinstance(parent, ast.Return) or (
            isinstance(parent, (ast.Tuple, ast.List)) and isinstance(parents.get(parent), ast.Return)
        ):
            return draw.standalone_dtype(), None
        elif isinstance(parent, ast.Expr):
            return draw.default_dtype(), None  # the value is discarded
        elif isinstance(parent, ast.AugAssign) and parent.value is current:
            found = _meets(facts, parent.target, draw)
            if found is not None:
                return found
            raise NoFix(f"it is added into `{ast.unparse(parent.target)}`, a Python value")
        elif (
            isinstance(parent, ast.Assign)
            and parent.value is current
            and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)
        ):
            return _through_name(facts, parents, parent.targets[0].id, draw, depth)
        elif isinstance(parent, ast.Call) and current in parent.args + [k.value for k in parent.keywords]:
            return _call_argument(facts, parent, current, draw)
        elif isinstance(parent, ast.Compare) and len(parent.ops) == 1 and _compared_with_tensor(facts, parent):
            # `np.random.uniform() < accept_prob` with a tensor `accept_prob` is already a
            # tensor condition in the graph: only the frozen value changes.
            other = parent.comparators[0] if parent.left is current else parent.left
            found = _meets(facts, other, draw)
            assert found is not None
            return found
        elif isinstance(
            parent,
            (
                ast.Compare,
                ast.If,
                ast.While,
                ast.IfExp,
                ast.BoolOp,
                ast.Subscript,
                ast.FormattedValue,
                ast.Dict,
                ast.Assert,
            ),
        ):
            raise NoFix("the value is used as a Python value (a condition, an index or a string)")
        else:
            raise NoFix("the value's use is not one the rewrite understands")


def _compared_with_tensor(facts: TensorFacts, compare: ast.Compare) -> bool:
    other = [compare.left, compare.comparators[0]]
    return isinstance(compare.ops[0], (ast.Lt, ast.LtE, ast.Gt, ast.GtE)) and any(
        facts.of(side).is_tensor and facts.of(side).dtype is not None for side in other
    )


def _meets(facts: TensorFacts, other: ast.expr, draw: _Draw) -> tuple[str, str | None] | None:
    """The dtype when the draw meets `other` in arithmetic; None to keep walking up."""
    fact = facts.of(other)
    if fact.is_tensor:
        if fact.dtype is None:
            return draw.default_dtype(), f"it meets `{ast.unparse(other)}`, a tensor of unknown dtype"
        if draw.integer and "int" not in fact.dtype:
            raise NoFix(f"an integer draw meets `{ast.unparse(other)}`, a {fact.dtype} tensor")
        if not draw.integer and "float" not in fact.dtype:
            raise NoFix(f"a float draw meets `{ast.unparse(other)}`, a {fact.dtype} tensor")
        return fact.dtype, None
    if fact.is_python("int", "float", "bool", "numpy"):
        return None  # still a NumPy/Python value: its consumer decides
    # Most often a float32 tensor parameter, which NumPy's value would have been cast to.
    return draw.default_dtype(), f"it meets `{ast.unparse(other)}`, which may not be a float32 tensor"


def _through_name(
    facts: TensorFacts, parents: dict[ast.AST, ast.AST], name: str, draw: _Draw, depth: int
) -> tuple[str, str | None]:
    """A draw assigned to a local name: every read of the name must agree."""
    if len(facts.bindings(name)) != 1:
        raise NoFix(f"`{name}` is assigned more than once")
    if depth > 3:
        raise NoFix("the value passes through too many names")
    results = []  # in source order, so the reason shown is the first read's on every run
    for statement in facts.scope.body:
        for load in iter_loads(statement, name):
            results.append(_consumer_dtype(facts, parents, load, draw, depth + 1))
    if not results:
        return draw.default_dtype(), None  # never read
    dtypes = {dtype for dtype, _ in results}
    if len(dtypes) > 1:
        raise NoFix(f"`{name}` meets tensors of different dtypes")
    reasons = [reason for _, reason in results if reason]
    return dtypes.pop(), reasons[0] if reasons else None


def _call_argument(facts: TensorFacts, call: ast.Call, argument: ast.expr, draw: _Draw) -> tuple[str, str | None]:
    name = facts.tf_name(call.func)
    if name is None:
        qualified = facts.resolve(call.func)
        if qualified and qualified.startswith("builtins."):
            raise NoFix(f"the value is passed to `{qualified[len('builtins.') :]}`")
        return (
            draw.standalone_dtype(),
            f"it is passed to `{ast.unparse(call.func)}`, which gets a tensor, not a NumPy value",
        )
    if name in ("constant", "Variable"):
        raise NoFix(f"`tf.{name}` does not take a graph tensor")
    if name == "print":
        # Printed, the value stands alone: keep its dtype. The text still differs.
        return draw.standalone_dtype(), (
            "tf.print shows a NumPy or Python value by its repr (`array([...])`), a tensor by its values"
        )
    if name == "convert_to_tensor":
        explicit = next((k.value for k in call.keywords if k.arg == "dtype"), None)
        if explicit is None and len(call.args) > 1:
            explicit = call.args[1]
        named = facts.dtype_named(explicit) if explicit is not None else None
        if explicit is not None and named is None:
            raise NoFix("`tf.convert_to_tensor` with a dtype we cannot name")
        return (named or draw.standalone_dtype()), None
    if name in ELEMENTWISE or name in ("matmul", "linalg.matmul"):
        for other in call.args:
            if other is not argument:
                found = _meets(facts, other, draw)
                if found is not None:
                    return found
    return draw.default_dtype(), f"it is passed to `tf.{name}`, whose dtype needs are not known"
