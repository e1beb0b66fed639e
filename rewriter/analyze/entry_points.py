"""Graph code that no `tf.function` decorator names: tf.data callbacks, Keras methods,
functions handed to Keras or TensorFlow APIs, and wrappers or aliases of `tf.function`.

Each entry point says how its function is traced (`kind`) and whether AutoGraph
converts it. Verified on TF 2.21 with Keras 3.15: `fit`/`evaluate`/`predict` trace
`train_step`/`test_step`/`predict_step` and every `call` without AutoGraph (a Python
`for i in range(tensor)` there raises TypeError); Keras 2 (`tf_keras`) converts them;
tf.data traces its callbacks with AutoGraph, even under `run_functions_eagerly`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rewriter.analyze.imports import ImportTable
from rewriter.analyze.lattice import DATASET_METHODS
from rewriter.analyze.nodes import child_blocks

if TYPE_CHECKING:
    from rewriter.analyze.scopes import FunctionNode, GraphScope, _FunctionIndex

TF_FUNCTION = frozenset({"tensorflow.function", "tensorflow.compat.v2.function", "tensorflow.compat.v1.function"})
_PARTIAL = frozenset({"functools.partial"})

# Dataset methods whose function argument tf.data traces (name -> positions and keywords).
DATASET_CALLBACKS: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    "map": ((0,), ("map_func",)),
    "filter": ((0,), ("predicate",)),
    "flat_map": ((0,), ("map_func",)),
    "interleave": ((0,), ("map_func",)),
    "parallel_interleave": ((0,), ("map_func",)),
    "reduce": ((1,), ("reduce_func",)),
    "scan": ((1,), ("scan_func",)),
    "take_while": ((0,), ("predicate",)),
    "group_by_window": ((0, 1), ("key_func", "reduce_func", "window_size_func")),
    "group_by_reducer": ((0,), ("key_func",)),
    "bucket_by_sequence_length": ((0,), ("element_length_func",)),
    "rejection_resample": ((0,), ("class_func",)),
}
# Methods that return a dataset when called on one (for following a pipeline, the methods
# that take callbacks count too).
_DATASET_METHODS = (
    DATASET_METHODS
    | frozenset(DATASET_CALLBACKS)
    | {
        "concatenate",
        "ignore_errors",
        "ragged_batch",
        "snapshot",
        "unique",
        "window",
    }
)
# A name or attribute spelled like a dataset (`ds`, `train_ds`, `dataset`, `self.val_dataset`).
_DATASET_NAME = re.compile(r"(?:^|_)(?:ds|dataset|datasets)$|^(?:ds|dataset)_", re.IGNORECASE)

# TensorFlow APIs that trace a function even when called eagerly (tf.map_fn, tf.cond,
# tf.while_loop, ... run theirs eagerly there; inside graph code they are callees).
_TRACING_APIS = frozenset({"tensorflow.vectorized_map"})

_KERAS_ROOTS = ("keras", "tensorflow.keras", "tensorflow.python.keras", "tf_keras")
KERAS3_CAUSE = "Keras 3 does not convert it"
# Method names traced under fit/evaluate/predict, per kind of Keras class.
KERAS_METHODS: dict[str, dict[str, str]] = {
    "model": {
        "train_step": "keras-step",
        "test_step": "keras-step",
        "predict_step": "keras-step",
        "call": "keras-call",
    },
    "layer": {"call": "keras-call"},
    "metric": {"update_state": "keras-loss", "result": "keras-loss"},
    "loss": {"call": "keras-loss"},
}

# Last names of every callee the entry points look for (the text prefilter of calls).
CALL_NAMES = frozenset(DATASET_CALLBACKS) | {
    "function",
    "compile",
    "Lambda",
    "vectorized_map",
    "partial",
    "run_eagerly",
}


@dataclass(frozen=True)
class Options:
    """How a wrapper traces: (jit_compile, autograph, input_signature), and why."""

    jit: bool
    autograph: bool
    signature: ast.expr | None
    reason: str


def keras_flavour(qualified: str) -> tuple[str, bool] | None:
    """(root, autograph) for a name under a Keras package; None otherwise.

    `tf_keras` is Keras 2 (AutoGraph converts); `keras` and `tf.keras` on TF >= 2.16 are
    Keras 3 (no AutoGraph)."""
    for root in _KERAS_ROOTS:
        if qualified == root or qualified.startswith(root + "."):
            return root, root in ("tf_keras", "tensorflow.python.keras")
    return None


def keras_class_kind(qualified: str) -> str | None:
    """ "model", "layer", "metric" or "loss" for a Keras base class name."""
    flavour = keras_flavour(qualified)
    if flavour is None:
        return None
    rest = qualified[len(flavour[0]) + 1 :].removeprefix("src.")
    last = rest.rsplit(".", 1)[-1]
    if not last[:1].isupper():
        return None
    if last in ("Model", "Sequential", "Functional"):
        return "model"
    if last == "Layer" or rest.startswith("layers."):
        return "layer"
    if last == "Metric" or rest.startswith("metrics."):
        return "metric"
    if last == "Loss" or rest.startswith("losses."):
        return "loss"
    return None


def module_keras_autograph(imports: ImportTable) -> bool:
    """Whether the Keras this module imports converts with AutoGraph (Keras 2 only)."""
    flavours = {f[1] for q in imports.qualified.values() if (f := keras_flavour(q)) is not None}
    return flavours == {True}


def is_partial(call: ast.Call, imports: ImportTable) -> bool:
    return imports.resolve(call.func) in _PARTIAL and bool(call.args)


def options_of_call(call: ast.Call) -> tuple[bool, bool, ast.expr | None]:
    """(jit_compile, autograph, input_signature) set by a `tf.function(...)` call."""
    jit, autograph, signature = False, True, None
    for keyword in call.keywords:
        value = keyword.value
        if keyword.arg in ("jit_compile", "experimental_compile"):
            # Anything but a literal False/None may turn XLA on.
            jit = not (isinstance(value, ast.Constant) and value.value in (False, None))
        elif keyword.arg == "autograph":
            autograph = not (isinstance(value, ast.Constant) and value.value is False)
        elif keyword.arg == "input_signature":
            signature = value
        elif keyword.arg is None:  # **options: anything may be set
            jit = True
    if len(call.args) >= 2:
        signature = call.args[1]
    return jit, autograph, signature


def _explicit_autograph(call: ast.Call | None) -> bool:
    """A project wrapper's AutoGraph mode is unknown unless the call says `autograph=True`."""
    if call is None:
        return False
    return any(
        k.arg == "autograph" and isinstance(k.value, ast.Constant) and k.value.value is True for k in call.keywords
    )


class Wrappers:
    """What in a module stands for `tf.function`: the name itself under any import,
    configured project wrappers, module-level aliases (`tff = tf.function`,
    `jit = functools.partial(tf.function, jit_compile=True)`) and decorator functions
    of the module that return `tf.function(fn, ...)` (or a decorator that does)."""

    def __init__(
        self,
        imports: ImportTable,
        module_assigns: dict[str, list[ast.expr]],
        module_defs: dict[str, ast.FunctionDef],
        graph_decorators: frozenset[str],
    ) -> None:
        self.imports = imports
        self.assigns = module_assigns
        self.defs = module_defs
        self.graph_decorators = graph_decorators
        self._decorator_defs: dict[ast.FunctionDef, Options | None] = {}
        self._factories: dict[ast.FunctionDef, Options | None] = {}
        self._returns: dict[ast.FunctionDef, list[ast.expr]] = {}

    def _returned(self, function: ast.FunctionDef) -> list[ast.expr]:
        """`returned(function)`, listed once: both the decorator and the factory test read it."""
        values = self._returns.get(function)
        if values is None:
            values = self._returns[function] = list(returned(function))
        return values

    def bare(self, expr: ast.expr, depth: int = 0) -> Options | None:
        """Options when `expr` applied to a function (`@expr` / `expr(f)`) traces it."""
        name = self.imports.resolve(expr)
        if name in TF_FUNCTION:
            return Options(False, True, None, "tf.function")
        if name in self.graph_decorators:
            return Options(False, False, None, name)
        if depth > 8:
            return None
        if isinstance(expr, ast.Call):
            return self.configured(expr, depth + 1)
        if not isinstance(expr, ast.Name):
            return None
        values = self.assigns.get(expr.id, [])
        function = self.defs.get(expr.id)
        if function is None and len(values) == 1:
            return self.bare(values[0], depth + 1)
        if function is not None and not values:
            return self._decorator_def(function)
        return None

    def configured(self, call: ast.Call, depth: int = 0) -> Options | None:
        """Options when `call` (`tf.function(jit_compile=True)`, `partial(tf.function, ...)`,
        a factory of the module called with options) returns a decorator."""
        if depth > 8:
            return None
        if is_partial(call, self.imports):
            inner = self.bare(call.args[0], depth + 1)
            if inner is None:
                return None
            jit, autograph, signature = options_of_call(call)
            return Options(inner.jit or jit, inner.autograph and autograph, signature, inner.reason)
        name = self.imports.resolve(call.func)
        if name in TF_FUNCTION and not call.args:
            return Options(*options_of_call(call), "tf.function")
        if name in self.graph_decorators and not call.args:
            jit, _, signature = options_of_call(call)
            return Options(jit, _explicit_autograph(call), signature, name)
        if isinstance(call.func, ast.Name) and call.func.id in self.defs and not self.assigns.get(call.func.id):
            return self._factory_result(self.defs[call.func.id])
        return None

    def _decorator_def(self, function: ast.FunctionDef) -> Options | None:
        """`def graph(fn): return tf.function(fn, ...)`: options of `@graph`."""
        if function in self._decorator_defs:
            return self._decorator_defs[function]
        self._decorator_defs[function] = None  # against recursion
        params = function.args.posonlyargs + function.args.args
        found = None
        if params:
            for value in self._returned(function):
                if isinstance(value, ast.Call) and value.args:
                    first = value.args[0]
                    if isinstance(first, ast.Name) and first.id == params[0].arg:
                        wrapper = self.bare(value.func)
                        if wrapper is not None:
                            jit, autograph, signature = options_of_call(value)
                            if wrapper.reason != "tf.function":
                                autograph = _explicit_autograph(value)
                            found = Options(
                                jit or wrapper.jit,
                                autograph and wrapper.autograph,
                                signature,
                                f"{function.name} (returns {wrapper.reason}(...))",
                            )
                            break
                        if isinstance(value.func, ast.Call):  # tf.function(jit_compile=True)(fn)
                            inner = self.configured(value.func)
                            if inner is not None:
                                found = Options(
                                    inner.jit,
                                    inner.autograph,
                                    inner.signature,
                                    f"{function.name} (returns tf.function)",
                                )
                                break
        self._decorator_defs[function] = found
        return found

    def _factory_result(self, function: ast.FunctionDef) -> Options | None:
        """`def compiled(**kw): def deco(fn): return tf.function(fn, **kw); return deco`."""
        if function in self._factories:
            return self._factories[function]
        self._factories[function] = None  # against recursion (`def f(): return f()`)
        found = self._find_factory_result(function)
        self._factories[function] = found
        return found

    def _find_factory_result(self, function: ast.FunctionDef) -> Options | None:
        nested = {n.name: n for n in function.body if isinstance(n, ast.FunctionDef)}
        for value in self._returned(function):
            if isinstance(value, ast.Name) and value.id in nested:
                found = self._decorator_def(nested[value.id])
                if found is not None:
                    return Options(found.jit, found.autograph, found.signature, f"{function.name}(...)")
            if isinstance(value, ast.Call):
                configured = self.configured(value)
                if configured is not None:
                    return Options(configured.jit, configured.autograph, configured.signature, f"{function.name}(...)")
        return None


def returned(function: ast.FunctionDef) -> Iterator[ast.expr]:
    """Values of the `return` statements directly in `function` (not nested functions)."""
    todo: list[ast.stmt] = list(function.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Return) and node.value is not None:
            yield node.value
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for block in child_blocks(node):
                todo.extend(block)


def dataset_callbacks(call: ast.Call) -> list[ast.expr]:
    """The function arguments of a dataset method call (not checking the receiver)."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in DATASET_CALLBACKS:
        return []
    positions, keywords = DATASET_CALLBACKS[func.attr]
    found = [call.args[i] for i in positions if i < len(call.args) and not isinstance(call.args[i], ast.Starred)]
    found += [k.value for k in call.keywords if k.arg in keywords]
    return found


def looks_like_dataset_name(name: str) -> bool:
    return bool(_DATASET_NAME.search(name))


def dataset_source(call: ast.Call, imports: ImportTable) -> bool:
    """A call that makes a dataset: `tf.data.*`, `*_dataset_from_directory`, `tfds.load`."""
    name = imports.resolve(call.func)
    if name is None:
        return False
    return (
        name.startswith(("tensorflow.data.", "tensorflow.compat.v2.data."))
        or name.endswith("dataset_from_directory")
        or name.startswith(("tensorflow_datasets.load", "tensorflow_datasets.builder"))
        or name.startswith("tensorflow.keras.utils.timeseries_dataset")
    )


def is_dataset_method(call: ast.Call) -> bool:
    return isinstance(call.func, ast.Attribute) and call.func.attr in _DATASET_METHODS


def is_strategy_run(call: ast.Call, imports: ImportTable) -> bool:
    """`strategy.run(fn, ...)` (also `experimental_run_v2`) on a name or attribute spelled
    like a distribution strategy, or on `tf.distribute.get_strategy()`."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr in ("run", "experimental_run_v2")):
        return False
    receiver = func.value
    if isinstance(receiver, ast.Call):
        name = imports.resolve(receiver.func)
        return bool(name and name.startswith("tensorflow.distribute."))
    spelled = (
        receiver.id if isinstance(receiver, ast.Name) else receiver.attr if isinstance(receiver, ast.Attribute) else ""
    )
    return "strategy" in spelled.lower()


def tracing_api(call: ast.Call, imports: ImportTable) -> list[ast.expr]:
    """Function arguments of TensorFlow APIs that trace them even from eager code."""
    if imports.resolve(call.func) not in _TRACING_APIS:
        return []
    return call.args[:1] + [k.value for k in call.keywords if k.arg == "fn"]


def keras_function_arguments(call: ast.Call, imports: ImportTable) -> Iterator[tuple[ast.expr, str, str]]:
    """(function argument, kind, reason) of `compile(loss=..., metrics=...)` and `layers.Lambda(f)`."""
    func = call.func
    name = imports.resolve(func)
    if name is not None and keras_flavour(name) is not None and name.rsplit(".", 1)[-1] == "Lambda":
        for argument in call.args[:1] + [k.value for k in call.keywords if k.arg == "function"]:
            yield argument, "keras-call", "given to keras.layers.Lambda"
        return
    if isinstance(func, ast.Attribute) and func.attr == "compile":
        for keyword in call.keywords:
            if keyword.arg in ("loss", "metrics", "weighted_metrics"):
                for value in _elements(keyword.value):
                    yield value, "keras-loss", f"given to compile({keyword.arg}=...)"


def _elements(value: ast.expr) -> Iterator[ast.expr]:
    if isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        for element in value.elts:
            yield from _elements(element)
    elif isinstance(value, ast.Dict):
        for element in value.values:
            yield from _elements(element)
    else:
        yield value


def run_eagerly(call: ast.Call) -> bool:
    """`compile(..., run_eagerly=True)` (anything but a literal False counts)."""
    return any(
        k.arg == "run_eagerly" and not (isinstance(k.value, ast.Constant) and k.value.value in (False, None))
        for k in call.keywords
    )


def module_bindings(tree: ast.Module) -> tuple[dict[str, list[ast.expr]], dict[str, FunctionNode]]:
    """Module-level single-name assignments (name -> values) and defs (the last one)."""
    assigns: dict[str, list[ast.expr]] = {}
    defs: dict[str, FunctionNode] = {}
    for statement in statements(tree.body):
        if isinstance(statement, ast.FunctionDef):
            defs[statement.name] = statement
        else:
            record_assign(statement, assigns)
    return assigns, defs


def statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements of a body, into compound statements but not into defs and classes."""
    todo = list(reversed(body))
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        todo.extend(reversed([statement for block in child_blocks(node) for statement in block]))


def record_assign(statement: ast.stmt, assigns: dict[str, list[ast.expr]]) -> None:
    if isinstance(statement, ast.Assign):
        for target in statement.targets:
            if isinstance(target, ast.Name):
                assigns.setdefault(target.id, []).append(statement.value)
    elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name) and statement.value:
        assigns.setdefault(statement.target.id, []).append(statement.value)


def decorator_options(decorator: ast.expr, wrappers: Wrappers) -> Options | None:
    if isinstance(decorator, ast.Call):
        if decorator.args and wrappers.imports.resolve(decorator.func) in TF_FUNCTION:
            return None  # `@tf.function(f)` is not a decorator form we understand
        return wrappers.configured(decorator)
    return wrappers.bare(decorator)


def wrapping(call: ast.Call, wrappers: Wrappers) -> tuple[Options, ast.expr | None] | None:
    """(options, the wrapped function) for `tf.function(f, ...)`, `tff(f)`, `graph(f)`."""
    if not call.args and not any(k.arg in ("func", "python_function") for k in call.keywords):
        return None
    options = wrappers.bare(call.func)
    if options is None:
        return None
    jit, autograph, signature = options_of_call(call)
    if options.reason != "tf.function":
        autograph = options.autograph
        if options.reason in wrappers.graph_decorators and _explicit_autograph(call):
            # `common.function(self.run, autograph=True)`: the call says what the wrapper does.
            autograph = True
            options = Options(options.jit, True, options.signature, options.reason)
    target = (
        call.args[0]
        if call.args
        else next((k.value for k in call.keywords if k.arg in ("func", "python_function")), None)
    )
    return Options(
        jit or options.jit, autograph and options.autograph, signature or options.signature, options.reason
    ), target


def is_dataset(
    expr: ast.expr,
    site: FunctionNode | None,
    index: _FunctionIndex,
    imports: ImportTable,
    by_name: bool,
    depth: int = 0,
) -> bool:
    """True when `expr` is a `tf.data.Dataset`, as far as the syntax shows."""
    if depth > 30:
        return False
    if isinstance(expr, ast.Call):
        if dataset_source(expr, imports):
            return True
        if isinstance(expr.func, ast.Name):  # a function of the module that returns a dataset
            function = index.visible_def(expr.func.id, site, expr.lineno)
            return function is not None and any(
                is_dataset(value, function, index, imports, by_name, depth + 1) for value in returned(function)
            )
        return is_dataset_method(expr) and is_dataset(
            expr.func.value,  # type: ignore[attr-defined]
            site,
            index,
            imports,
            by_name,
            depth + 1,
        )
    if isinstance(expr, ast.Name):
        if by_name and looks_like_dataset_name(expr.id):
            return True
        found = index.assigned_at(expr.id, site)
        if found is not None:
            values, where = found
            return any(is_dataset(v, where, index, imports, by_name, depth + 1) for v in values)
        return False
    if isinstance(expr, ast.Attribute):
        return by_name and looks_like_dataset_name(expr.attr)
    return False


def other_keras_backend(tree: ast.Module, imports: ImportTable) -> bool:
    """True when Keras in this module runs on JAX, PyTorch or NumPy, not TensorFlow:
    `os.environ["KERAS_BACKEND"] = "jax"` (or `setdefault`), or JAX/PyTorch imported
    without TensorFlow. Its `train_step` and `call` are then no TensorFlow graph code."""
    for statement in statements(tree.body):
        value: ast.expr | None = None
        if isinstance(statement, ast.Assign) and any(
            isinstance(t, ast.Subscript) and isinstance(t.slice, ast.Constant) and t.slice.value == "KERAS_BACKEND"
            for t in statement.targets
        ):
            value = statement.value
        elif (
            isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Call)
            and isinstance(statement.value.func, ast.Attribute)
            and statement.value.func.attr == "setdefault"
            and len(statement.value.args) == 2
            and isinstance(statement.value.args[0], ast.Constant)
            and statement.value.args[0].value == "KERAS_BACKEND"
        ):
            value = statement.value.args[1]
        if value is not None:
            return not (isinstance(value, ast.Constant) and value.value == "tensorflow")
    roots = {qualified.split(".")[0] for qualified in imports.qualified.values()}
    return bool(roots & {"jax", "torch"}) and "tensorflow" not in roots


def keras_xla(index: _FunctionIndex) -> str:
    """Why Keras 3 scopes of this module may be compiled with XLA ("" when every
    `compile` call of the module says `jit_compile=False` or `run_eagerly=True`)."""
    compiles = [call for call, _ in index.calls if isinstance(call.func, ast.Attribute) and call.func.attr == "compile"]
    off = [
        call
        for call in compiles
        if run_eagerly(call)
        or any(
            k.arg == "jit_compile" and isinstance(k.value, ast.Constant) and k.value.value in (False, None)
            for k in call.keywords
        )
    ]
    if compiles and len(off) == len(compiles):
        return ""
    return 'Keras 3 compiles with XLA when a GPU is present (`jit_compile="auto"`); `compile(jit_compile=False)` rules it out'


def keras_scopes(index: _FunctionIndex, imports: ImportTable, add: Callable[..., bool], xla: str) -> None:
    """Methods of Keras Model/Layer/Metric/Loss subclasses that Keras traces."""
    kinds: dict[ast.ClassDef, tuple[str, bool]] = {}
    by_name = {klass.name: klass for klass, site in index.classes if site is None}
    changed = True
    while changed:
        changed = False
        for klass, _ in index.classes:
            if klass in kinds:
                continue
            for base in klass.bases:
                name = imports.resolve(base)
                kind = keras_class_kind(name) if name else None
                if kind is not None:
                    flavour = keras_flavour(name or "")
                    kinds[klass] = (kind, bool(flavour and flavour[1]))
                elif isinstance(base, ast.Name) and by_name.get(base.id) in kinds:
                    kinds[klass] = kinds[by_name[base.id]]
                else:
                    continue
                changed = True
                break
    for klass, (kind, autograph) in kinds.items():
        methods = KERAS_METHODS[kind]
        for name, method in index.methods.get(klass, {}).items():
            scope_kind = methods.get(name)
            if scope_kind is not None:
                version = "Keras 2" if autograph else "Keras 3"
                add(
                    method,
                    f"{name} of {version} {kind} class {klass.name}",
                    False,
                    autograph,
                    kind=scope_kind,
                    cause=KERAS3_CAUSE,
                    xla="" if autograph else xla,
                )


@dataclass
class Eager:
    """`compile(..., run_eagerly=True)` calls, the classes they run eagerly, and whether
    one could not be tied to a class (then no Keras scope of the module is trusted)."""

    calls: set[ast.Call]
    classes: set[ast.ClassDef]
    everything: bool

    def __bool__(self) -> bool:
        return bool(self.calls)

    def covers(self, scope: GraphScope) -> bool:
        """Whether a Keras scope may belong to an eagerly run model."""
        if self.everything or scope.class_node is None or scope.kind == "keras-loss":
            return True
        return scope.class_node in self.classes or scope.kind == "keras-call" and not _is_model_method(scope)


def _is_model_method(scope: GraphScope) -> bool:
    return "model class" in scope.reason


def eager_compile_calls(index: _FunctionIndex) -> Eager:
    eager = Eager(set(), set(), False)
    classes = {klass.name: klass for klass, site in index.classes if site is None}
    for call, site in index.calls:
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr == "compile" and run_eagerly(call)):
            continue
        eager.calls.add(call)
        receiver, klass = func.value, None
        if isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name) and receiver.func.id == "super":
            klass = index.class_of.get(site) if site is not None else None
        elif isinstance(receiver, ast.Name):
            if site is not None and index.class_of.get(site) is not None:
                params = site.args.posonlyargs + site.args.args
                if params and params[0].arg == receiver.id:
                    klass = index.class_of[site]
            if klass is None:
                found = index.assigned_at(receiver.id, site)
                values = found[0] if found is not None else []
                if len(values) == 1 and isinstance(values[0], ast.Call) and isinstance(values[0].func, ast.Name):
                    klass = classes.get(values[0].func.id)
        if klass is None:
            eager.everything = True
        else:
            eager.classes.add(klass)
    return eager
