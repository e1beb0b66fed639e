"""Turning what calls return and leave behind into comparable values, and comparing them.

Runs in the verify child only (it imports NumPy and TensorFlow lazily). Floating-point
values agree within a relative tolerance of 1e-5 (absolute 1e-6): a graph may fuse or
reorder arithmetic. Everything else must be equal.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

RTOL, ATOL = 1e-5, 1e-6


@dataclass(frozen=True)
class Array:
    """A tensor, variable, NumPy value or Python number, with its values."""

    kind: str  # "tensor", "variable", "ndarray", "numpy", "python"
    dtype: str | None  # None for Python numbers
    shape: tuple[int, ...]
    values: Any  # a numpy.ndarray

    def show(self) -> str:
        import numpy as np

        if self.kind == "python":
            return _short(repr(self.values.item()))
        text = (
            np.array2string(self.values, threshold=6, edgeitems=2, precision=6)
            if self.values.ndim
            else repr(self.values.item())
        )
        shape = f", shape {list(self.shape)}" if self.shape else ""
        return f"{_short(text)} ({self.dtype}{shape})"


@dataclass(frozen=True)
class Symbolic:
    """A graph tensor that escaped its function: it has no value outside the graph."""

    dtype: str
    shape: str

    def show(self) -> str:
        return f"a symbolic graph tensor ({self.dtype}, shape {self.shape})"


@dataclass(frozen=True)
class Holder:
    """An object that holds variables (tf.Module, Keras model or optimizer)."""

    type_name: str
    variables: tuple[tuple[str, Array], ...]  # (name, value) in the object's own order


@dataclass(frozen=True)
class Other:
    """Any other object: compared by type only."""

    type_name: str


def plain(value: Any, depth: int = 0) -> Any:
    """`value` as data the comparisons below understand."""
    import numpy as np
    import tensorflow as tf

    if depth > 20:
        return Other(type(value).__name__)
    if value is None or isinstance(value, (str, bytes)):
        return value
    if isinstance(value, (bool, int, float, complex)):
        return Array("python", None, (), np.asarray(value))
    if tf.is_tensor(value) and tf.is_symbolic_tensor(value):
        return Symbolic(value.dtype.name, str(value.shape))
    if isinstance(value, np.ndarray):
        return Array("ndarray", str(value.dtype), value.shape, value)
    if isinstance(value, np.generic):
        return Array("numpy", str(value.dtype), (), np.asarray(value))
    if hasattr(value, "to_list") and tf.is_tensor(value):  # a RaggedTensor
        return plain(value.to_list(), depth + 1)
    if hasattr(value, "numpy") and hasattr(value, "dtype") and hasattr(value, "shape"):
        array = np.asarray(value.numpy())
        kind = "variable" if hasattr(value, "assign") else "tensor"
        dtype = getattr(value.dtype, "name", None) or str(value.dtype)
        return Array(kind, dtype, tuple(array.shape), array)
    if isinstance(value, dict):
        return {key: plain(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value).__name__, [plain(item, depth + 1) for item in value]
    if isinstance(value, (set, frozenset)):
        return type(value).__name__, sorted((plain(item, depth + 1) for item in value), key=repr)
    variables = _variables_of(value)
    if variables is not None:
        return Holder(
            type(value).__name__,
            tuple((str(getattr(v, "name", i)), plain(v, depth + 1)) for i, v in enumerate(variables)),
        )
    return Other(type(value).__name__)


def holds_state(value: Any) -> bool:
    """Whether a call can change `value` in place (so its state after the calls matters)."""
    import numpy as np

    if isinstance(value, (list, dict, set, np.ndarray)):
        return True
    if hasattr(value, "assign") and hasattr(value, "numpy"):
        return True
    return _variables_of(value) is not None


def _variables_of(value: Any) -> list[Any] | None:
    if isinstance(value, type):
        return None
    try:
        variables = getattr(value, "variables", None)
    except Exception:  # a property that fails before the object is built
        return None
    if isinstance(variables, (list, tuple)) and all(hasattr(v, "assign") for v in variables):
        return list(variables)
    return None


def difference(eager: Any, graph: Any, where: str, randomly: bool) -> str | None:
    """The first way `graph` differs from `eager`, naming where; None when they agree.

    With `randomly`, values are compared by kind, dtype and shape only (their numbers
    are drawn at random and cannot match).
    """
    return next(_differences(eager, graph, where, randomly), None)


def _differences(eager: Any, graph: Any, where: str, randomly: bool) -> Iterator[str]:
    if isinstance(eager, Array) and isinstance(graph, Array):
        yield from _array_difference(eager, graph, where, randomly)
        return
    if type(eager) is not type(graph):
        yield f"{where}: eager {show(eager)}, graph {show(graph)}"
        return
    if isinstance(eager, tuple) and len(eager) == 2 and isinstance(eager[1], list):
        if eager[0] != graph[0] or len(eager[1]) != len(graph[1]):
            yield f"{where}: eager {show(eager)}, graph {show(graph)}"
            return
        for index, (a, b) in enumerate(zip(eager[1], graph[1])):
            yield from _differences(a, b, f"{where}[{index}]", randomly)
        return
    if isinstance(eager, dict):
        if list(eager) != list(graph):
            yield f"{where}: eager keys {_short(repr(list(eager)))}, graph keys {_short(repr(list(graph)))}"
            return
        for key in eager:
            yield from _differences(eager[key], graph[key], f"{where}[{key!r}]", randomly)
        return
    if isinstance(eager, Holder):
        if len(eager.variables) != len(graph.variables):
            yield f"{where}: eager holds {len(eager.variables)} variables, graph {len(graph.variables)}"
            return
        for (name, a), (_, b) in zip(eager.variables, graph.variables):
            yield from _differences(a, b, f"{where} variable {name}", randomly)
        return
    if eager != graph and not (randomly and isinstance(eager, (str, bytes))):
        yield f"{where}: eager {show(eager)}, graph {show(graph)}"


def _array_difference(eager: Array, graph: Array, where: str, randomly: bool) -> Iterator[str]:
    import numpy as np

    if eager.dtype is not None and graph.dtype is not None and eager.dtype != graph.dtype:
        yield f"{where}: dtype {eager.dtype} eager, {graph.dtype} graph"
    elif eager.shape != graph.shape:
        yield f"{where}: shape {list(eager.shape)} eager, {list(graph.shape)} graph"
    elif not randomly and not _values_equal(eager.values, graph.values, tolerant=True):
        detail = ""
        if eager.values.dtype.kind in "fc" and graph.values.dtype.kind in "fc":
            gap = np.nanmax(np.abs(eager.values.astype(complex) - graph.values.astype(complex)))
            detail = f" (largest difference {gap:.3g})"
        yield f"{where}: eager {eager.show()}, graph {graph.show()}{detail}"


def _values_equal(a: Any, b: Any, tolerant: bool) -> bool:
    import numpy as np

    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if tolerant and a.dtype.kind in "fc" and b.dtype.kind in "fc":
        return bool(np.allclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=True))
    try:
        return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
    except TypeError:
        return bool(np.array_equal(a, b))


def same(a: Any, b: Any) -> bool:
    """Exact equality of two plain values (used to see whether a call's value changed)."""
    if isinstance(a, Array) and isinstance(b, Array):
        return a.dtype == b.dtype and a.shape == b.shape and _values_equal(a.values, b.values, False)
    if type(a) is not type(b):
        return False
    if isinstance(a, tuple) and len(a) == 2 and isinstance(a[1], list):
        return a[0] == b[0] and len(a[1]) == len(b[1]) and all(map(same, a[1], b[1]))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, Holder):
        return len(a.variables) == len(b.variables) and all(
            same(x, y) for (_, x), (_, y) in zip(a.variables, b.variables)
        )
    return bool(a == b)


def show(value: Any) -> str:
    """A short description of a plain value for messages."""
    if isinstance(value, (Array, Symbolic)):
        return value.show()
    if isinstance(value, Holder):
        return f"a {value.type_name} holding {len(value.variables)} variables"
    if isinstance(value, Other):
        return f"a {value.type_name}"
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], list):
        items = len(value[1])
        return f"a {value[0]} of {items} item{'s' if items != 1 else ''}"
    if isinstance(value, dict):
        return f"a dict of {len(value)} items"
    return _short(repr(value))


def text_difference(eager: str, graph: str, where: str, randomly: bool) -> str | None:
    """The first printed line whose values differ (see `_printed`); numbers match any
    number with `randomly`."""
    from rewriter.verify import _printed

    return _printed.difference(eager, graph, where, randomly=randomly)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split()) if "\n" in text else text
    return text if len(text) <= limit else text[: limit - 3] + "..."
