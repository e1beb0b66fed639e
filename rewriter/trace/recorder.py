"""The recorder that runs inside the traced program (loaded by the injected sitecustomize).

It waits until the program imports TensorFlow, then wraps four of its seams:

- `Function.__call__` (every `tf.function` call): the arguments' kinds, whether the
  call traced (TensorFlow's own tracing count) and, when it did, which arguments
  changed since the previous call; the function's options; eager calls.
- `autograph...api.converted_call` (every call AutoGraph converts while tracing): user
  functions reached from graph code, and that AutoGraph converted them.
- `func_graph.func_graph_from_py_func` (every graph being built: tf.function, tf.data,
  Keras steps) and `FuncGraph._create_op_internal` (every operation added to such a
  graph): each operation's stack, up to the build, names the project's own functions
  that ran as written while the graph was built, which is how Keras 3 runs
  `train_step`, `call` and losses (no AutoGraph). Each code object is looked at once;
  a function that adds no operation at all is not seen this way.

Only functions in files below the project root (outside virtual environments and
site-packages) are recorded. At exit it writes what it saw to its own file; the
`tfrewrite trace` parent merges those. Any error disables the recorder with one line
on stderr; the program itself goes on untouched.
"""

from __future__ import annotations

import ast
import atexit
import functools
import importlib.abc
import importlib.machinery
import inspect
import linecache
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from types import CodeType, FrameType, ModuleType
from typing import Any

try:
    # `tfrewrite trace` copies this module and `traces` beside its sitecustomize, so the
    # program's interpreter needs nothing of tfrewrite's environment on its path.
    import _tfrewrite_traces as traces  # type: ignore[import-not-found]
except ImportError:
    from rewriter.trace import traces

_EXCLUDED_PARTS = ("site-packages", "dist-packages", ".venv", "/venv/", "/.tox/", "/lib/python")


class Recorder:
    def __init__(self, root: str, out: str) -> None:
        self.root = os.path.realpath(root)
        self.out = out
        self.functions: dict[str, dict[str, Any]] = {}
        self.retraces: dict[str, dict[tuple[str, ...], int]] = {}
        self.last_call: dict[str, dict[str, Any]] = {}
        self.call_sites: dict[str, dict[tuple[str, int], int]] = {}
        self.enabled = True
        self._files: dict[str, str | None] = {}  # co_filename -> project-relative path or None
        self._trees: dict[str, dict[int, tuple[str, str, int]]] = {}
        self._lock = threading.Lock()
        self._building = threading.local()
        self._seen_building: set[CodeType] = set()  # code already seen while a graph was built

    # Which code is the project's -------------------------------------------------------

    def project_file(self, filename: str) -> str | None:
        known = self._files.get(filename, "")
        if known != "":
            return known
        relative = None
        if filename and not filename.startswith("<") and "__autograph_generated" not in filename:
            real = os.path.realpath(filename)
            if not any(part in real for part in _EXCLUDED_PARTS):
                relative = traces.relative_file(real, self.root)
        self._files[filename] = relative
        return relative

    def identify(self, code: CodeType) -> tuple[str, str, int, str] | None:
        """(file, qualname, def line, source hash) of a project function's code, else None."""
        relative = self.project_file(code.co_filename)
        if relative is None:
            return None
        table = self._trees.get(code.co_filename)
        if table is None:
            table = self._trees[code.co_filename] = self._functions_of(code.co_filename)
        found = table.get(code.co_firstlineno)
        if found is None or found[0] != code.co_qualname:
            return None
        qualname, digest, line = found
        return relative, qualname, line, digest

    @staticmethod
    def _functions_of(filename: str) -> dict[int, tuple[str, str, int]]:
        """First line of each function (its first decorator, as `co_firstlineno` has it)."""
        lines = linecache.getlines(filename)
        try:
            tree = ast.parse("".join(lines))
        except (SyntaxError, ValueError):
            return {}
        table = {}
        for qualname, node in traces.qualified_functions(tree):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            table[first] = (qualname, traces.source_hash(lines, node), node.lineno)
        return table

    # What is recorded -------------------------------------------------------------------

    def entry(self, ident: tuple[str, str, int, str]) -> dict[str, Any]:
        file, qualname, line, digest = ident
        key = traces.function_key(file, qualname)
        found = self.functions.get(key)
        if found is None:
            found = self.functions[key] = {
                "file": file,
                "qualname": qualname,
                "line": line,
                "source_hash": digest,
                "traced_by": [],
                "autograph": None,
                "options": {},
                "calls": 0,
                "eager_calls": 0,
                "traces": 0,
                "parameters": {},
                "retraces": [],
            }
        return found

    def note_arguments(
        self, entry: dict[str, Any], arguments: dict[str, Any], previous: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        summaries = {name: summarize(value) for name, value in arguments.items()}
        if summaries == previous:
            return summaries  # a training loop's usual call: nothing new to merge
        parameters = entry["parameters"]
        for name, summary in summaries.items():
            parameters[name] = traces.merge_parameter(parameters.get(name, {}), summary)
        return summaries

    def note_traced_by(self, entry: dict[str, Any], how: str, autograph: bool | None) -> None:
        if how not in entry["traced_by"]:
            entry["traced_by"] = sorted([*entry["traced_by"], how])
        if autograph is not None:
            entry["autograph"] = autograph if entry["autograph"] is None else entry["autograph"] and autograph

    def disable(self, error: BaseException) -> None:
        if self.enabled:
            self.enabled = False
            sys.stderr.write(f"tfrewrite trace: recorder disabled after an error: {type(error).__name__}: {error}\n")

    def data(self) -> dict[str, Any]:
        data = traces.empty()
        for key, entry in self.functions.items():
            entry = dict(entry)
            entry["retraces"] = traces.retraces_json(self.retraces.get(key, {}))
            entry["call_sites"] = traces.call_sites_json(self.call_sites.get(key, {}))
            data["functions"][key] = entry
        return data

    def write(self) -> None:
        try:
            traces.write(traces.Path(self.out), self.data())
        except Exception as exc:  # the program's exit must not fail because of us
            sys.stderr.write(f"tfrewrite trace: could not write {self.out}: {exc}\n")

    # The seams ---------------------------------------------------------------------------

    def patch(self, tensorflow: ModuleType) -> None:
        del tensorflow  # imported: its internals below are loaded now
        from tensorflow.python.autograph.impl import api
        from tensorflow.python.eager.polymorphic_function import polymorphic_function
        from tensorflow.python.framework import func_graph

        polymorphic_function.Function.__call__ = self._wrap_function_call(polymorphic_function.Function.__call__)
        api.converted_call = self._wrap_converted_call(api.converted_call)
        func_graph.func_graph_from_py_func = self._wrap_graph_building(func_graph.func_graph_from_py_func)
        func_graph.FuncGraph._create_op_internal = self._wrap_op_creation(func_graph.FuncGraph._create_op_internal)

    def _wrap_function_call(self, original: Callable[..., Any]) -> Callable[..., Any]:
        recorder = self

        def __call__(function: Any, *args: Any, **kwds: Any) -> Any:
            if not recorder.enabled:
                return original(function, *args, **kwds)
            try:
                before = recorder._before_function_call(function, args, kwds)
            except Exception as exc:
                recorder.disable(exc)
                before = None
            result = original(function, *args, **kwds)
            if before is not None and recorder.enabled:
                try:
                    recorder._after_function_call(function, *before)
                except Exception as exc:
                    recorder.disable(exc)
            return result

        return __call__

    def _before_function_call(self, function: Any, args: Sequence[Any], kwds: dict[str, Any]) -> tuple[Any, ...] | None:
        python_function = inspect.unwrap(getattr(function, "_python_function", None) or function)
        code = getattr(python_function, "__code__", None)
        ident = self.identify(code) if code is not None else None
        if ident is None:
            return None
        with self._lock:
            entry = self.entry(ident)
            entry["calls"] += 1
            if getattr(function, "_run_functions_eagerly", False):
                entry["eager_calls"] += 1
            self.note_traced_by(entry, "tf.function", None)
            entry["options"] = {
                "input_signature": bool(getattr(function, "input_signature", None) is not None),
                "jit_compile": bool(getattr(function, "_jit_compile", False)),
                "reduce_retracing": bool(getattr(function, "_reduce_retracing", False)),
            }
            arguments = bind(python_function, args, kwds, bound_self=_bound_self(function))
            summaries = self.note_arguments(entry, arguments, self.last_call.get(traces.function_key(*ident[:2])))
        # The caller's frame (below this one and the wrapper): where a retrace comes from.
        return ident, summaries, function.experimental_get_tracing_count(), sys._getframe(2)

    def _after_function_call(
        self, function: Any, ident: tuple[str, ...], summaries: dict[str, Any], count: int, caller: FrameType
    ) -> None:
        traced = function.experimental_get_tracing_count() - count
        key = traces.function_key(ident[0], ident[1])
        with self._lock:
            entry = self.functions[key]
            previous = self.last_call.get(key)
            if traced > 0:
                entry["traces"] += traced
                site = self._call_site(caller)
                if site is not None:
                    sites = self.call_sites.setdefault(key, {})
                    sites[site] = sites.get(site, 0) + traced
                if previous is not None:
                    changed = tuple(sorted(n for n in summaries if summaries[n] != previous.get(n)))
                    table = self.retraces.setdefault(key, {})
                    table[changed] = table.get(changed, 0) + 1
            self.last_call[key] = summaries

    def _call_site(self, frame: FrameType | None) -> tuple[str, int] | None:
        """The nearest line of the project's own code that made this call (not inside a
        graph being built: that caller is graph code AutoGraph generated)."""
        boundary = getattr(self._building, "boundary", None)
        while frame is not None and frame is not boundary:
            relative = self.project_file(frame.f_code.co_filename)
            if relative is not None:
                return relative, frame.f_lineno
            frame = frame.f_back
        return None

    def _wrap_converted_call(self, original: Callable[..., Any]) -> Callable[..., Any]:
        recorder = self

        def converted_call(f: Any, args: Any, kwargs: Any, caller_fn_scope: Any = None, options: Any = None) -> Any:
            if recorder.enabled:
                try:
                    recorder._note_graph_call(f, args or (), kwargs or {}, autograph=True)
                except Exception as exc:
                    recorder.disable(exc)
            return original(f, args, kwargs, caller_fn_scope, options)

        return converted_call

    def _note_graph_call(self, f: Any, args: Sequence[Any], kwargs: dict[str, Any], autograph: bool) -> None:
        target = getattr(f, "__func__", f)
        code = getattr(target, "__code__", None)
        if code is None:
            return
        ident = self.identify(code)
        if ident is None:
            return
        with self._lock:
            entry = self.entry(ident)
            if "tf.function" in entry["traced_by"]:
                # AutoGraph converting a tf.function's own body: that says how, not who.
                self.note_traced_by(entry, "tf.function", autograph)
                return
            self.note_traced_by(entry, "graph code", autograph)
            self.note_arguments(entry, bind(target, args, kwargs, bound_self=getattr(f, "__self__", None)))

    def _wrap_graph_building(self, original: Callable[..., Any]) -> Callable[..., Any]:
        recorder = self

        def func_graph_from_py_func(*args: Any, **kwargs: Any) -> Any:
            # Everything that runs below this frame builds the graph. The outermost build
            # marks where the program's own callers end (they are not graph code).
            building = recorder._building
            if not recorder.enabled or getattr(building, "boundary", None) is not None:
                return original(*args, **kwargs)
            building.boundary = sys._getframe()
            building.walked = {}
            try:
                return original(*args, **kwargs)
            finally:
                building.boundary = building.walked = None

        return func_graph_from_py_func

    def _wrap_op_creation(self, original: Callable[..., Any]) -> Callable[..., Any]:
        recorder = self

        def _create_op_internal(graph: Any, *args: Any, **kwargs: Any) -> Any:
            # Each operation added to a graph being built: the project's functions on the
            # stack up to the build are graph code. Only tracing pays for this, and only
            # a walk up the stack; a program that traces nothing sees no difference.
            building = recorder._building
            boundary = getattr(building, "boundary", None)
            if boundary is not None and recorder.enabled:
                try:
                    recorder._note_stack(sys._getframe(1), boundary, building.walked)
                except Exception as exc:
                    recorder.disable(exc)
            return original(graph, *args, **kwargs)

        return _create_op_internal

    def _note_stack(self, frame: FrameType | None, boundary: FrameType, walked: dict[int, FrameType]) -> None:
        # Consecutive operations share most of their stack: a frame walked before (kept
        # until the build ends, so its id stays its own) has had its callers walked too.
        seen = self._seen_building
        while frame is not None and frame is not boundary:
            if walked.get(id(frame)) is frame:
                return
            walked[id(frame)] = frame
            code = frame.f_code
            if code not in seen:
                seen.add(code)
                self._note_run_as_written(code)
            frame = frame.f_back

    def _note_run_as_written(self, code: CodeType) -> None:
        ident = self.identify(code)
        if ident is None:
            return
        with self._lock:
            entry = self.entry(ident)
            # A function AutoGraph converts runs generated code, never its own: this one
            # ran as written while a graph was built.
            self.note_traced_by(entry, "tf.function" if "tf.function" in entry["traced_by"] else "graph code", False)


def _bound_self(function: Any) -> Any:
    return getattr(getattr(function, "_python_function", None), "__self__", None)


@functools.lru_cache(maxsize=1024)
def _signature(function: Any) -> inspect.Signature:
    return inspect.signature(function)  # the same functions are called again and again


def bind(function: Any, args: Sequence[Any], kwargs: dict[str, Any], bound_self: Any = None) -> dict[str, Any]:
    """Arguments by parameter name (self and cls left out); {} when they do not bind."""
    try:
        signature = _signature(function)
        if bound_self is not None and inspect.ismethod(function):
            bound_self = None  # the signature already lacks self
        bound = signature.bind_partial(*args, **kwargs)
    except (TypeError, ValueError):
        return {}
    return {name: value for name, value in bound.arguments.items() if name not in ("self", "cls")}


def summarize(value: Any, depth: int = 0) -> dict[str, Any]:
    """What kind of value this is, without any tensor's values."""
    kind, dtype, shape, type_name, shown = _describe(value, depth)
    return {
        "kinds": [kind],
        "dtypes": [dtype] if dtype else [],
        "shapes": [shape] if kind in ("tensor", "variable", "ndarray") else [],
        "types": [type_name] if type_name else [],
        "values": [shown] if shown is not None else [],
    }


def _describe(value: Any, depth: int) -> tuple[str, str | None, list[int | None] | None, str | None, str | None]:
    module = type(value).__module__ or ""
    if value is None:
        return "none", None, None, None, None
    if isinstance(value, (bool, int, float, str)):
        shown = repr(value)
        return "python", None, None, type(value).__name__, shown if len(shown) <= 40 else None
    if module.startswith(("tensorflow", "keras")) and hasattr(value, "dtype") and hasattr(value, "shape"):
        kind = "variable" if "Variable" in type(value).__name__ else "tensor"
        return kind, _dtype_name(value.dtype), _shape(value.shape), None, None
    if module.startswith("numpy") and hasattr(value, "dtype"):
        kind = "ndarray" if type(value).__name__ == "ndarray" else "python"
        return kind, _dtype_name(value.dtype), _shape(getattr(value, "shape", ())), type(value).__name__, None
    if isinstance(value, (list, tuple, dict)) and depth == 0:
        return "structure", None, None, type(value).__name__, None
    return "object", None, None, f"{module}.{type(value).__qualname__}", None


def _dtype_name(dtype: Any) -> str:
    return str(getattr(dtype, "name", dtype))


def _shape(shape: Any) -> list[int | None] | None:
    try:
        dims = list(shape)
    except (TypeError, ValueError):
        return None  # unknown rank
    return [d if isinstance(d, int) or d is None else getattr(d, "value", None) for d in dims]


class _TensorFlowImportHook(importlib.abc.MetaPathFinder):
    """Patches TensorFlow right after the program imports it (and never imports it itself)."""

    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != "tensorflow":
            return None
        sys.meta_path.remove(self)  # once, and let the other finders find it
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return spec
        loader, recorder = spec.loader, self.recorder
        original_exec = loader.exec_module  # type: ignore[union-attr]

        def exec_module(module: ModuleType) -> None:
            original_exec(module)
            try:
                recorder.patch(module)
            except Exception as exc:
                recorder.disable(exc)

        loader.exec_module = exec_module  # type: ignore[method-assign,union-attr]
        return spec


def install(root: str, out: str) -> Recorder:
    recorder = Recorder(root, out)
    sys.meta_path.insert(0, _TensorFlowImportHook(recorder))
    atexit.register(recorder.write)
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        # A terminated program still leaves what was recorded (atexit does not run on SIGTERM).
        def on_terminate(signum: int, frame: Any) -> None:
            recorder.write()
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)

        signal.signal(signal.SIGTERM, on_terminate)
    return recorder
