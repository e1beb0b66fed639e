"""Running a golden case eagerly or as a graph, with printed output captured at fd level.

`tf.print` writes from C++ straight to file descriptors 1 and 2, so Python-level capture
(pytest's capsys) misses it; `captured_fds` swaps the descriptors themselves.
"""

from __future__ import annotations

import importlib.util
import itertools
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# The same capture `tfrewrite verify` uses: fds 1 and 2, TensorFlow's own logs dropped.
from rewriter.verify._capture import captured_fds

_counter = itertools.count()


@dataclass
class Run:
    result: Any  # plain Python data (tensors become (dtype, shape, values))
    stdout: str
    stderr: str
    error: str | None  # "ExceptionType: first line" when run() raised


def load_module(path: Path) -> Any:
    """Import a file as a fresh module (a new name each time, so tf.functions are new)."""
    name = f"_parity_case_{next(_counter)}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def run_case(path: Path, *, eager: bool) -> Run:
    """Import `path` and call its `run()`, all tf.functions eager or all as graphs.

    Eagerly, tf.data runs its callbacks eagerly too (its debug mode: tf.data ignores
    `run_functions_eagerly`), and Keras 3 runs `fit` eagerly (its train function is a
    tf.function)."""
    import tensorflow as tf
    from tensorflow.python.data.ops import debug_mode

    tf.config.run_functions_eagerly(eager)
    debug_mode.toggle_debug_mode(eager)
    try:
        error = None
        result = None
        module = None
        with captured_fds() as loading:
            try:
                module = load_module(path)
            except Exception as exc:
                error = _error(exc)
        prepared: tuple[Any, ...] = ()
        if module is not None and hasattr(module, "setup"):
            # Outside the capture: building a tf.data pipeline in debug mode calls each
            # callback once to learn its output structure, which is no eager behaviour.
            try:
                prepared = (module.setup(),)
            except Exception as exc:
                error = _error(exc)
        with captured_fds() as running:
            if module is not None and error is None:
                try:
                    result = to_plain(module.run(*prepared))
                except Exception as exc:  # the divergence we look for may be an error
                    error = _error(exc)
        out = {key: loading[key] + running[key] for key in ("stdout", "stderr")}
    finally:
        tf.config.run_functions_eagerly(False)
        debug_mode.toggle_debug_mode(False)
    return Run(result, out["stdout"], out["stderr"], error)


def _error(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}"


def to_plain(value: Any) -> Any:
    """Tensors, variables and NumPy values as comparable plain data."""
    import numpy as np

    if hasattr(value, "numpy") and hasattr(value, "dtype"):
        array = np.asarray(value.numpy())
        return ("tensor", str(array.dtype), array.shape, array.tolist())
    if isinstance(value, np.ndarray):
        return ("ndarray", str(value.dtype), value.shape, value.tolist())
    if isinstance(value, np.generic):
        return ("numpy", str(value.dtype), value.item())
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(to_plain(v) for v in value)
    return value
