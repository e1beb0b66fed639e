"""The NumPy and standard-library random draws that have a `tf.random` equivalent.

The tables name each draw's distribution and parameters; a `Draw` is one call of
them, and `bind` matches the call's arguments to the parameter names. Generator
objects (`np.random.default_rng(0)`) are recognised so their draws can be reported.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scopes import GraphScope
from rewriter.rules._base import NoFix

# name -> (tf.random function, parameter names); "*dims" takes every positional argument.
NUMPY = {
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
STDLIB = {
    "random": ("uniform", ()),
    "uniform": ("uniform", ("a", "b")),
    "gauss": ("normal", ("mu", "sigma")),
    "normalvariate": ("normal", ("mu", "sigma")),
    "randint": ("randint_inclusive", ("a", "b")),
    "randrange": ("randrange", ("start", "stop")),
    "choice": ("choice", ("seq",)),
}
GENERATORS = frozenset(
    {
        "numpy.random.default_rng",
        "numpy.random.RandomState",
        "numpy.random.Generator",
        "random.Random",
        "random.SystemRandom",
    }
)
INT_DTYPES = {"int32": "int32", "int64": "int64", "int": "int64", "int_": "int64", "intc": "int32"}


@dataclass
class Draw:
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


def known_draw(qualified: str | None) -> Draw | None:
    if not qualified:
        return None
    if qualified.startswith("numpy.random.") and qualified.count(".") == 2:
        name = qualified.rsplit(".", 1)[1]
        if name in NUMPY:
            return Draw("numpy", name, NUMPY[name][0])
    elif qualified.startswith("random.") and qualified.count(".") == 1:
        name = qualified.rsplit(".", 1)[1]
        if name in STDLIB:
            return Draw("random", name, STDLIB[name][0])
    return None


def module_generators(module: ModuleAnalysis) -> set[str]:
    """Module-level names bound to a NumPy/Python random generator object."""
    names: set[str] = set()
    for statement in module.tree.body:
        if (
            isinstance(statement, ast.Assign)
            and isinstance(statement.value, ast.Call)
            and module.imports.resolve(statement.value.func) in GENERATORS
        ):
            names.update(t.id for t in statement.targets if isinstance(t, ast.Name))
    return names


def is_generator_draw(call: ast.Call, scope: GraphScope, generators: set[str]) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id in generators
        and func.value.id not in scope.local_names
    )


def bind(call: ast.Call, draw: Draw) -> dict[str, ast.expr]:
    """Arguments by parameter name ("*dims" collects the positional dimensions)."""
    table = NUMPY if draw.source == "numpy" else STDLIB
    parameters = table[draw.function][1]
    bound: dict[str, ast.expr] = {}
    if (
        parameters == ("*dims",)
        and len(call.args) == 1
        and not call.keywords
        and isinstance(call.args[0], ast.Starred)
        and is_shape_attribute(call.args[0].value)
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


def is_shape_attribute(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "shape"
