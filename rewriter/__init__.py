"""tfrewrite: find and fix Python side effects inside tf.function graph code.

The public API is small and typed; importing it never imports TensorFlow. Names are
loaded on first use, so `import rewriter` stays cheap (the command line starts fast).

    import rewriter

    result = rewriter.rewrite_source(text, filename="train.py")
    result.changed, result.code, result.diff(), [d.code for d in result.diagnostics]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rewriter._version import __version__

if TYPE_CHECKING:
    from rewriter.api import (
        InternalError,
        Result,
        SettingsError,
        SourceError,
        TraceWarning,
        check_source,
        project_settings,
        rewrite_paths,
        rewrite_source,
    )
    from rewriter.results import Diagnostic, EditInfo, FileOutcome, FixInfo, Location, Status
    from rewriter.settings import Settings

# Public name -> the module that defines it.
_LAZY = {
    "InternalError": "rewriter.api",
    "Result": "rewriter.api",
    "SettingsError": "rewriter.api",
    "SourceError": "rewriter.api",
    "TraceWarning": "rewriter.api",
    "check_source": "rewriter.api",
    "project_settings": "rewriter.api",
    "rewrite_paths": "rewriter.api",
    "rewrite_source": "rewriter.api",
    "Diagnostic": "rewriter.results",
    "EditInfo": "rewriter.results",
    "FileOutcome": "rewriter.results",
    "FixInfo": "rewriter.results",
    "Location": "rewriter.results",
    "Status": "rewriter.results",
    "Settings": "rewriter.settings",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'rewriter' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
