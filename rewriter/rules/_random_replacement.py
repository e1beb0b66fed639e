"""The `tf.random` call that replaces a NumPy or Python draw, as source text.

Its shape comes from the draw's dimensions or `size=`, its parameters from the draw's
bounds or moments (refused when one is not a scalar), and its dtype is the one the
value's consumer needs. `random.choice` over a literal list becomes a `tf.gather` at a
uniform index.
"""

from __future__ import annotations

import ast

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.tensors import TensorFacts
from rewriter.rules._base import NoFix
from rewriter.rules._random_draws import Draw, is_shape_attribute


def replacement(
    module: ModuleAnalysis,
    facts: TensorFacts,
    draw: Draw,
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


def choice_type(seq: ast.expr) -> str:
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
    if is_shape_attribute(size):
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
