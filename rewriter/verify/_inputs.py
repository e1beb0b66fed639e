"""Example inputs built from a tf.function's `input_signature`, or from the arguments a
recorded run passed it (runs in the verify child).

Each `tf.TensorSpec` becomes one deterministic tensor: unknown dimensions get size 2, an
unknown rank becomes a scalar. Values cycle through small, non-zero numbers:
floats -1.25, -0.75, -0.25, 0.25, 0.75, 1.25, 1.75; integers 1..5; booleans True, False;
strings "s0", "s1", ...
"""

from __future__ import annotations

from typing import Any

UNKNOWN_DIMENSION = 2


class CannotBuild(Exception):
    """The signature holds a spec we do not know how to fill; the message says which."""


def inputs_for(signature: Any) -> tuple[Any, ...]:
    """Positional arguments matching `signature` (a sequence of specs, possibly nested)."""
    import tensorflow as tf

    return tuple(tf.nest.map_structure(_tensor_for, tuple(signature), expand_composites=False))


def recorded_inputs(recorded: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Keyword arguments from recorded parameters (see `rewriter.verify.recorded_call`):
    tensors (or NumPy arrays) of the recorded dtype and shape, filled as above, and the
    recorded Python values."""
    import ast

    import tensorflow as tf

    kwargs: dict[str, Any] = {}
    for name, spec in recorded.items():
        if "python" in spec:
            try:
                kwargs[name] = ast.literal_eval(spec["python"])
            except (ValueError, SyntaxError):  # nan, inf: their reprs are not literals
                raise CannotBuild(f"cannot rebuild the recorded value {spec['python']} of `{name}`") from None
        elif "dtype" in spec:
            tensor = _tensor_for(tf.TensorSpec(spec["shape"], tf.dtypes.as_dtype(spec["dtype"])))
            kwargs[name] = tensor.numpy() if spec.get("ndarray") else tensor
        else:
            kwargs[name] = None
    return kwargs


def _tensor_for(spec: Any) -> Any:
    import numpy as np
    import tensorflow as tf

    if not isinstance(spec, tf.TensorSpec):
        raise CannotBuild(f"cannot build an input for a {type(spec).__name__}")
    if spec.shape.rank is None:
        shape: list[int] = []
    else:
        shape = [UNKNOWN_DIMENSION if d is None else d for d in spec.shape.as_list()]
    count = int(np.prod(shape)) if shape else 1
    index = np.arange(count)
    dtype = spec.dtype
    values: Any
    if dtype.is_floating or dtype.is_complex:
        values = 0.5 * ((index % 7) - 3) + 0.25
    elif dtype.is_integer:
        values = (index % 5) + 1
    elif dtype.is_bool:
        values = index % 2 == 0
    elif dtype == tf.string:
        values = np.array([f"s{i}".encode() for i in index], dtype=object)
    else:
        raise CannotBuild(f"cannot build an input of dtype {dtype.name}")
    return tf.constant(np.reshape(values, shape), dtype=dtype)
