"""What `check` takes from a trace file: for one module, its recorded functions.

A recorded function matches a `def` of the module when the file, the qualified name
and the hash of its text agree; an entry whose text changed since the run is stale and
ignored (the command line says how many, once). The file is read once per process and
per version of it, whatever the number of modules checked.
"""

from __future__ import annotations

import ast
import functools
import os
from dataclasses import dataclass
from pathlib import Path

from rewriter.settings import Settings
from rewriter.trace import traces
from rewriter.trace.traces import TracedFunction, TraceFileError

__all__ = [
    "ModuleTraces",
    "TraceFileError",
    "TraceIndex",
    "has_recorded_functions",
    "load_index",
    "module_traces",
    "settings_with_traces",
    "stale_entries",
]


@dataclass(frozen=True)
class TraceIndex:
    root: str
    by_file: dict[str, tuple[TracedFunction, ...]]

    def for_path(self, path: str) -> tuple[TracedFunction, ...]:
        relative = traces.relative_file(path, self.root)
        return self.by_file.get(relative, ()) if relative is not None else ()


@dataclass(frozen=True)
class ModuleTraces:
    functions: dict[ast.FunctionDef | ast.AsyncFunctionDef, TracedFunction]
    stale: int


def load_index(path: str, root: str) -> TraceIndex:
    """The trace file at `path` (TraceFileError when it cannot be used)."""
    try:
        stat = os.stat(path)
    except OSError:
        raise TraceFileError(f"{path}: error: no such trace file") from None
    return _load(path, root, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _load(path: str, root: str, mtime_ns: int, size: int) -> TraceIndex:
    data = traces.load(Path(path))
    by_file: dict[str, list[TracedFunction]] = {}
    for entry in data["functions"].values():
        try:
            function = TracedFunction.from_json(entry)
        except (KeyError, TypeError, ValueError):
            raise TraceFileError(f"{path}: error: the trace file's functions are malformed") from None
        by_file.setdefault(function.file, []).append(function)
    return TraceIndex(root, {file: tuple(functions) for file, functions in by_file.items()})


def has_recorded_functions(settings: Settings, path: str) -> bool:
    """Whether the trace file `settings` read records functions of the file at `path`
    (then it goes on whatever its text names: its graph code may be known only so)."""
    if settings.trace_file is None or settings.trace_root is None:
        return False
    try:
        return bool(load_index(settings.trace_file, settings.trace_root).for_path(path))
    except TraceFileError:
        return False


def module_traces(index: TraceIndex, path: str, tree: ast.Module, lines: list[str]) -> ModuleTraces:
    recorded = index.for_path(path)
    if not recorded:
        return ModuleTraces({}, 0)
    nodes = dict(traces.qualified_functions(tree))
    matched: dict[ast.FunctionDef | ast.AsyncFunctionDef, TracedFunction] = {}
    stale = 0
    for function in recorded:
        node = nodes.get(function.qualname)
        if node is not None and traces.source_hash(lines, node) == function.source_hash:
            matched[node] = function
        else:
            stale += 1
    return ModuleTraces(matched, stale)


def stale_entries(index: TraceIndex) -> int:
    """How many recorded functions no longer match their file's text (or their file is gone)."""
    stale = 0
    for file, recorded in index.by_file.items():
        path = os.path.join(index.root, file)
        try:
            text = Path(path).read_text(encoding="utf-8")
            tree = ast.parse(text)
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
            stale += len(recorded)
            continue
        stale += module_traces(index, path, tree, text.splitlines(keepends=True)).stale
    return stale


def settings_with_traces(
    settings: Settings,
    root: str | os.PathLike[str],
    path: str | os.PathLike[str] | None = None,
    count_stale: bool = True,
) -> tuple[Settings, str | None]:
    """`settings` reading a trace file, and a line to tell the user (or None).

    `path` None means the default file below `root` (the folder `tfrewrite trace` ran
    in), used only when it exists. A file that cannot be used leaves `settings` as they
    are; the line names it. `count_stale` also counts recorded functions whose text
    changed since the run (it reads every file the trace names).
    """
    trace_path = Path(path) if path is not None else Path(root) / traces.DEFAULT_PATH
    if path is None and not trace_path.is_file():
        return settings, None
    try:
        index = load_index(str(trace_path), str(root))
    except TraceFileError as exc:
        return settings, f"{exc}; checking without it"
    note = None
    stale = stale_entries(index) if count_stale else 0
    if stale:
        note = (
            f"{trace_path}: {stale} recorded function{'s' if stale != 1 else ''} changed since the run "
            f"and {'are' if stale != 1 else 'is'} ignored; record again with `tfrewrite trace`"
        )
    stat = trace_path.stat()
    changed = settings.replace(
        trace_file=str(trace_path.resolve()),
        trace_root=str(Path(root).resolve()),
        trace_version=(stat.st_mtime_ns, stat.st_size),
    )
    return changed, note
