"""Running a golden case eagerly or as a graph, with printed output captured at fd level.

`tf.print` writes from C++ straight to file descriptors 1 and 2, so Python-level capture
(pytest's capsys) misses it; this swaps the descriptors themselves.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import itertools
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

_counter = itertools.count()


@dataclass
class Run:
    result: Any  # plain Python data (tensors become (dtype, shape, values))
    stdout: str
    stderr: str
    error: str | None  # "ExceptionType: first line" when run() raised


@contextlib.contextmanager
def captured_fds() -> Iterator[dict[str, str]]:
    """Capture fds 1 and 2 (and Python's sys.stdout/sys.stderr, which write to them)."""
    captured: dict[str, str] = {}
    sys.stdout.flush()
    sys.stderr.flush()
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    files = {fd: tempfile.TemporaryFile() for fd in (1, 2)}
    old_streams = sys.stdout, sys.stderr
    try:
        for fd, handle in files.items():
            os.dup2(handle.fileno(), fd)
        # Unbuffered Python streams on the same descriptors keep the order of Python
        # and C++ writes as it happened.
        sys.stdout = io.TextIOWrapper(os.fdopen(os.dup(1), "wb", buffering=0), write_through=True)
        sys.stderr = io.TextIOWrapper(os.fdopen(os.dup(2), "wb", buffering=0), write_through=True)
        yield captured
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
            stream.close()
        sys.stdout, sys.stderr = old_streams
        for fd in (1, 2):
            os.dup2(saved[fd], fd)
            os.close(saved[fd])
        for name, fd in (("stdout", 1), ("stderr", 2)):
            files[fd].seek(0)
            captured[name] = files[fd].read().decode("utf-8", errors="replace")
            files[fd].close()


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
    """Import `path` and call its `run()`, all tf.functions eager or all as graphs."""
    import tensorflow as tf

    tf.config.run_functions_eagerly(eager)
    try:
        with captured_fds() as out:
            error = None
            result = None
            try:
                module = load_module(path)
                result = to_plain(module.run())
            except Exception as exc:  # the divergence we look for may be an error
                error = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
    finally:
        tf.config.run_functions_eagerly(False)
    return Run(result, _clean(out["stdout"]), _clean(out["stderr"]), error)


def _clean(text: str) -> str:
    # TensorFlow logs (absl, C++ warnings) are not the program's output.
    keep = [line for line in text.splitlines(keepends=True)
            if not line.startswith(("WARNING:", "I0000", "W0000", "E0000")) and " tensorflow/" not in line]
    return "".join(keep)


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
