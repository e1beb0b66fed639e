"""The verify child: runs one module's graph functions eagerly and as graphs, and compares.

`python -m rewriter.verify._child` reads a job (JSON) on standard input and writes its
report (JSON) to the standard output it started with; everything the user's code prints
is captured or dropped, never mixed into the report. This is the only place TensorFlow
is imported, and only here is user code executed.

For each function, in this process:
1. *eager*: import the original module (from disk, as usual), set every
   tf.function to run eagerly, and make the calls;
2. *graph*: import the rewritten module (its text served from memory by an import hook
   and registered with `linecache`, under a name of its own, because AutoGraph reads a
   function's source through `inspect`: with the original file's name it would silently
   convert the original text) and make the same calls as graphs;
3. when the two disagree, *probe*: the eager run again with a different random seed.
   If the eager results change with the seed, the function draws random numbers, and
   values are compared by kind, dtype, shape and whether they change from call to call.

Every run starts from the same seeds and freshly imported project modules, so
variables created at import time or by the example calls start out equal.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import inspect
import itertools
import json
import linecache
import os
import random
import sys
import traceback
import types
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rewriter.verify._capture import captured_fds
from rewriter.verify._inputs import CannotBuild, inputs_for, recorded_inputs
from rewriter.verify._values import difference, holds_state, plain, same, text_difference

SETUP_SEED, CALL_SEED, PROBE_SEED = 0, 1, 2
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_examples_counter = itertools.count()


class Skip(Exception):
    """This function cannot be run in this variant; the message says why."""


@dataclass
class CallRecord:
    result: Any
    stdout: str
    stderr: str
    error: str | None  # "TypeName: message" when the call raised


@dataclass
class Observation:
    records: list[CallRecord]
    groups: list[list[int]]  # indices of records that repeat one example call
    state: dict[str, Any] = field(default_factory=dict)


@dataclass
class Target:
    """A resolved function: how to call it, and what to call it with."""

    function: Callable[..., Any]
    method: str | None  # for methods: the attribute to look up on the instance
    parameters: list[str]


class RewrittenSources(importlib.abc.MetaPathFinder):
    """Serves the rewritten text of project files instead of what is on disk."""

    def __init__(self, sources: dict[str, str]) -> None:
        self.sources = sources

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.origin is None:
            return None
        text = self.sources.get(os.path.realpath(spec.origin))
        if text is None:
            return None
        spec.loader = RewrittenLoader(spec.origin, text)
        return spec


class RewrittenLoader(importlib.abc.InspectLoader):
    def __init__(self, origin: str, text: str) -> None:
        self.text = text
        # Not the file's own name: `inspect` (and so AutoGraph) would read the disk file.
        self.filename = f"{origin} (rewritten)"

    def get_source(self, fullname: str) -> str:
        return self.text

    def exec_module(self, module: types.ModuleType) -> None:
        # An entry without a modification time is never dropped by linecache.checkcache.
        linecache.cache[self.filename] = (len(self.text), None, self.text.splitlines(True), self.filename)
        code = compile(self.text, self.filename, "exec", dont_inherit=True)
        exec(code, module.__dict__)


class Verifier:
    def __init__(self, job: dict[str, Any]) -> None:
        self.job = job
        self.calls_each = int(job["calls"])
        self.roots = [os.path.realpath(job["root"])]
        system = {sys.prefix, sys.base_prefix, sys.exec_prefix, _PACKAGE_DIR}
        self.not_user = tuple(os.path.realpath(p) + os.sep for p in system)
        self.hook = RewrittenSources(job["rewritten"]) if job["rewritten"] else None
        self.recorded = {t["name"]: t["recorded"] for t in job["targets"] if "recorded" in t}

    def run(self) -> dict[str, Any]:
        try:
            import tensorflow as tf
        except ImportError as exc:
            return {"error": f"verify runs the code, which needs TensorFlow: {error_text(exc)}", "internal": False}

        tf.get_logger().setLevel("ERROR")
        tf.autograph.set_verbosity(0)
        sys.path.insert(0, self.job["root"])
        verdicts = []
        for target in self.job["targets"]:
            try:
                status, detail = self.verify(target["name"])
            except Skip as exc:
                status, detail = "skipped", str(exc)
            verdicts.append({**target, "status": status, "detail": detail})
        return {"verdicts": verdicts}

    def verify(self, name: str) -> tuple[str, str]:
        eager = self.observe(name, rewritten=False, eager=True, seed=CALL_SEED)
        if all(record.error for record in eager.records):
            raise Skip(f"the original raises when run eagerly: {eager.records[0].error}")
        try:
            graph = self.observe(name, rewritten=not self.job["as_is"], eager=False, seed=CALL_SEED)
        except Skip as exc:
            return "differs", str(exc)
        calls = f"{len(eager.records)} call{'s' if len(eager.records) != 1 else ''}"
        found = compare(eager, graph, randomly=False)
        if found is None:
            shown = presentation_differences(eager, graph)
            return "agrees", f"presentation differs: {', '.join(shown)}; {calls}" if shown else calls
        try:
            probe = self.observe(name, rewritten=False, eager=True, seed=PROBE_SEED)
        except Skip:
            return "differs", found
        if compare(eager, probe, randomly=False, exact=True) is None:
            return "differs", found
        found = compare(eager, graph, randomly=True)
        if found is not None:
            return "differs", f"{found} (random values, compared by dtype and shape)"
        found = changes_difference(eager, graph)
        if found is not None:
            return "differs", found
        return "agrees", f"{calls}; random values, compared by dtype, shape and change per call"

    # -- one run --------------------------------------------------------------------------

    def observe(self, name: str, *, rewritten: bool, eager: bool, seed: int) -> Observation:
        import tensorflow as tf

        variant = "rewritten" if rewritten else "original"
        self.purge()
        set_seeds(SETUP_SEED)
        tf.config.run_functions_eagerly(eager)
        if rewritten and self.hook is not None:
            sys.meta_path.insert(0, self.hook)
        try:
            with captured_fds():  # what importing prints is not a function's behaviour
                try:
                    module = importlib.import_module(self.job["module"])
                except BaseException as exc:
                    raise Skip(f"the {variant} module could not be imported: {error_text(exc)}") from None
                found = getattr(module, "__file__", None)
                if found is None or os.path.realpath(found) != os.path.realpath(self.job["path"]):
                    raise Skip(
                        f"importing `{self.job['module']}` finds another module "
                        f"({found or 'built in'}): the name is taken"
                    )
                target = resolve(module, name)
                calls = self.calls_for(module, name, target, variant)
            set_seeds(seed)
            records: list[CallRecord] = []
            groups: list[list[int]] = []
            for args, kwargs in calls:
                groups.append(list(range(len(records), len(records) + self.calls_each)))
                for _ in range(self.calls_each):
                    records.append(make_call(target, args, kwargs))
            return Observation(records, groups, self.state(module, target, calls))
        finally:
            tf.config.run_functions_eagerly(False)
            if self.hook in sys.meta_path:
                sys.meta_path.remove(self.hook)

    def calls_for(
        self, module: types.ModuleType, name: str, target: Target, variant: str
    ) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
        key = f"{self.job['module']}:{name}"
        if self.job["examples"] and key in self.job["example_keys"]:
            examples = load_examples(self.job["examples"])
            try:
                produced = examples[key](module)
                return normalise_calls(produced, key)
            except Skip:
                raise
            except BaseException as exc:
                raise Skip(
                    f"the calls in {os.path.basename(self.job['examples'])} fail with the "
                    f"{variant} module: {error_text(exc)}"
                ) from None
        signature = getattr(target.function, "input_signature", None)
        kwargs: dict[str, Any] = {}
        if signature is not None:
            try:
                inputs = inputs_for(signature)
            except CannotBuild as exc:
                raise Skip(f"{exc}; give calls in an examples file (--examples)") from None
        elif isinstance(self.recorded.get(name), dict):
            try:
                inputs, kwargs = (), recorded_inputs(self.recorded[name]["kwargs"])
            except CannotBuild as exc:
                raise Skip(f"{exc}; give calls in an examples file (--examples)") from None
        elif name in self.recorded:
            raise Skip(self.recorded[name])
        else:
            raise Skip(
                "no input_signature, no recorded run (tfrewrite trace), and no calls for it in an "
                "examples file (--examples)"
            )
        if target.method is None:
            return [(inputs, kwargs)]
        owner = resolve_attribute(module, name.rsplit(".", 1)[0])
        try:
            instance = owner()
        except BaseException as exc:
            raise Skip(
                f"a method: {owner.__name__}() fails ({error_text(exc)}); give calls with an "
                "instance in an examples file (--examples)"
            ) from None
        return [((instance, *inputs), kwargs)]

    def state(
        self, module: types.ModuleType, target: Target, calls: list[tuple[tuple[Any, ...], dict[str, Any]]]
    ) -> dict[str, Any]:
        """What the calls may have changed: stateful arguments and the module's globals."""
        import tensorflow as tf

        found: dict[str, Any] = {}
        seen: set[int] = set()
        for args, kwargs in calls:
            named = [
                (target.parameters[i] if i < len(target.parameters) else str(i + 1), value)
                for i, value in enumerate(args)
            ] + list(kwargs.items())
            for parameter, value in named:
                if id(value) in seen or not holds_state(value):
                    continue
                seen.add(id(value))
                found[f"argument `{parameter}`"] = plain(value)
        for name, value in vars(module).items():
            if name.startswith("__") or id(value) in seen or _is_code(value, tf):
                continue
            if holds_state(value) or isinstance(value, (int, float, str, bool, bytes)) or tf.is_tensor(value):
                found[f"global `{name}`"] = plain(value)
        return found

    def purge(self) -> None:
        """Forget project modules, so the next import runs them afresh."""
        for name, module in list(sys.modules.items()):
            path = getattr(module, "__file__", None)
            if name.startswith("_tfrewrite_examples_") or (path and self.is_user_file(path)):
                del sys.modules[name]

    def is_user_file(self, path: str) -> bool:
        real = os.path.realpath(path)
        if real.startswith(self.not_user) or "site-packages" in real or "dist-packages" in real:
            return False
        return any(real.startswith(root + os.sep) for root in self.roots)


def resolve(module: types.ModuleType, name: str) -> Target:
    """The callable `name` names in `module` (`function` or `Class.method`)."""
    import tensorflow as tf

    is_tf_function = lambda value: isinstance(value, tf.types.experimental.PolymorphicFunction)  # noqa: E731
    owner_name, _, attribute = name.rpartition(".")
    if owner_name:
        owner = resolve_attribute(module, owner_name)
        if not isinstance(owner, type):
            raise Skip(f"`{owner_name}` is not a class")
        try:
            raw = inspect.getattr_static(owner, attribute)
        except AttributeError:
            raise Skip(f"`{owner_name}` has no attribute `{attribute}`") from None
        function = getattr(owner, attribute)
        method = None if isinstance(raw, (staticmethod, classmethod)) else attribute
    else:
        function = resolve_attribute(module, name)
        method = None
        if inspect.isfunction(function):
            # `fast = tf.function(step)`: verify the tf.function that wraps `step`.
            wrappers = [
                v
                for v in vars(module).values()
                if is_tf_function(v) and getattr(v, "python_function", None) is function
            ]
            if wrappers:
                function = wrappers[0]
    if not callable(function):
        raise Skip(f"`{name}` is not callable")
    python = getattr(function, "python_function", function)
    try:
        parameters = list(inspect.signature(python).parameters)
    except (TypeError, ValueError):
        parameters = []
    return Target(function, method, parameters)


def resolve_attribute(module: types.ModuleType, dotted: str) -> Any:
    value: Any = module
    for part in dotted.split("."):
        try:
            value = getattr(value, part)
        except AttributeError:
            raise Skip(
                f"`{dotted}` is not defined at the top level of the module (a nested function cannot be reached)"
            ) from None
    return value


def make_call(target: Target, args: tuple[Any, ...], kwargs: dict[str, Any]) -> CallRecord:
    with captured_fds() as out:
        try:
            if target.method is not None:
                if not args:
                    raise TypeError("a method's calls must start with the instance")
                value = getattr(args[0], target.method)(*args[1:], **kwargs)
            else:
                value = target.function(*args, **kwargs)
            result, error = plain(value), None
        except Exception as exc:
            result, error = None, error_text(exc)
    return CallRecord(result, out["stdout"], out["stderr"], error)


def presentation_differences(eager: Observation, graph: Observation) -> list[str]:
    """How printed output that agrees in value differs in form (`tf.Tensor` wrappers...)."""
    from rewriter.verify import _printed

    shown: list[str] = []
    for a, b in zip(eager.records, graph.records):
        for text_a, text_b in ((a.stdout, b.stdout), (a.stderr, b.stderr)):
            shown.extend(w for w in _printed.presentation(text_a, text_b) if w not in shown)
    return shown


def compare(eager: Observation, graph: Observation, *, randomly: bool, exact: bool = False) -> str | None:
    """The first difference between two runs, as "call N: what: eager ..., graph ..."."""
    if len(eager.records) != len(graph.records):
        return f"{len(eager.records)} calls eager, {len(graph.records)} calls graph"
    for number, (a, b) in enumerate(zip(eager.records, graph.records), start=1):
        where = f"call {number}"
        if (a.error is None) != (b.error is None):
            return (
                f"{where}: eager {'raises ' + a.error if a.error else 'returns'}, "
                f"graph {'raises ' + b.error if b.error else 'returns'}"
            )
        if a.error and b.error and a.error.split(":")[0] != b.error.split(":")[0]:
            return f"{where}: eager raises {a.error}, graph raises {b.error}"
        if exact:
            if not same(a.result, b.result) or (a.stdout, a.stderr) != (b.stdout, b.stderr):
                return f"{where} changes"
            continue
        found = (
            difference(a.result, b.result, f"{where}: return value", randomly)
            or text_difference(a.stdout, b.stdout, f"{where}: printed output (stdout)", randomly)
            or text_difference(a.stderr, b.stderr, f"{where}: printed output (stderr)", randomly)
        )
        if found:
            return found
    for label, value in eager.state.items():
        if label not in graph.state:
            return f"after the calls: {label} is missing"
        if exact:
            if not same(value, graph.state[label]):
                return f"after the calls: {label} changes"
            continue
        found = difference(value, graph.state[label], f"after the calls: {label}", randomly)
        if found:
            return found
    return None


def changes_difference(eager: Observation, graph: Observation) -> str | None:
    """Random values must change from call to call exactly where they do eagerly."""
    for group in eager.groups:
        for previous, current in zip(group, group[1:]):
            changed_eagerly = not same(eager.records[current].result, eager.records[previous].result)
            changed_in_graph = not same(graph.records[current].result, graph.records[previous].result)
            if changed_eagerly and not changed_in_graph:
                return (
                    f"call {current + 1}: return value repeats call {previous + 1}'s, while "
                    "eagerly it changes: random values frozen when the graph was traced"
                )
            if changed_in_graph and not changed_eagerly:
                return f"call {current + 1}: return value changes in the graph, not eagerly"
    return None


def load_examples(path: str) -> dict[str, Callable[[types.ModuleType], Any]]:
    """Run the examples file afresh (its imports see this run's project modules)."""
    name = f"_tfrewrite_examples_{next(_examples_counter)}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException as exc:
        raise Skip(f"{os.path.basename(path)} fails to run: {error_text(exc)}") from None
    examples = getattr(module, "EXAMPLES", None)
    if not isinstance(examples, dict):
        raise Skip(f"{os.path.basename(path)} defines no EXAMPLES dict")
    return examples


def normalise_calls(produced: Any, key: str) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for item in produced:
        if isinstance(item, tuple):
            calls.append((item, {}))
        elif type(item).__name__ == "Call" and hasattr(item, "args") and hasattr(item, "kwargs"):
            calls.append((tuple(item.args), dict(item.kwargs)))
        else:
            raise Skip(
                f"the examples for {key} must yield tuples of arguments or "
                f"rewriter.verify.Call(...) values, not a {type(item).__name__}"
            )
    if not calls:
        raise Skip(f"the examples for {key} give no calls")
    return calls


def set_seeds(seed: int) -> None:
    import numpy as np
    import tensorflow as tf

    random.seed(seed)
    np.random.seed(seed)
    tf.random.set_seed(seed)
    if "keras" in sys.modules:  # Keras 3 initialisers draw from a seed generator of their own
        try:
            sys.modules["keras"].utils.set_random_seed(seed)
        except AttributeError:
            pass


def error_text(exc: BaseException) -> str:
    """ "TypeName: the most telling line".

    AutoGraph wraps an error as "in user code:", frames, then "TypeName: message" and
    perhaps a line of advice; the message is what tells.
    """
    name = type(exc).__name__
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    cause = [line[len(name) + 2 :] for line in lines if line.startswith(f"{name}: ")]
    text = cause[-1] if cause else lines[0] if lines else ""
    if len(text) > 160:
        text = text[:157] + "..."
    return f"{name}: {text}" if text else name


def _is_code(value: Any, tf: Any) -> bool:
    return isinstance(value, (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType)) or isinstance(
        value, tf.types.experimental.PolymorphicFunction
    )


def main() -> None:
    job = json.loads(sys.stdin.read())
    report_stream = os.fdopen(os.dup(1), "w", encoding="utf-8")
    # Anything printed outside a capture (TensorFlow's start-up, say) goes nowhere, so it
    # cannot mix with the report; the user's code reads an empty standard input.
    quiet = os.open(os.devnull, os.O_RDWR)
    os.dup2(quiet, 0)
    os.dup2(quiet, 1)
    sys.dont_write_bytecode = True  # verify never writes files, .pyc included
    warnings.simplefilter("ignore")  # shown once per place, they would differ between runs
    try:
        report = Verifier(job).run()
    except BaseException as exc:
        report = {"error": error_text(exc), "detail": traceback.format_exc()}
    json.dump(report, report_stream)
    report_stream.close()


if __name__ == "__main__":
    main()
