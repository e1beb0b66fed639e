"""Graph scopes: the function bodies that `tf.function` traces and AutoGraph converts."""

from __future__ import annotations

import ast
import bisect
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rewriter.analyze import entry_points as entry
from rewriter.analyze.entry_points import TF_FUNCTION, Options, Wrappers
from rewriter.analyze.imports import ImportTable, bound_names
from rewriter.analyze.nodes import BLOCK_FIELDS
from rewriter.source import LineIndex

if TYPE_CHECKING:
    from rewriter.analyze.project import IncomingScope

__all__ = ["TF_FUNCTION", "GraphScope", "find_graph_scopes", "is_py_callback_call"]
# Callbacks of these run eagerly in Python, even when called from a graph.
_PY_CALLBACK_SUFFIXES = frozenset({"py_function", "numpy_function", "py_func", "eager_py_func"})

FunctionNode = ast.FunctionDef
# A graph scope is a def or a lambda (`ds.map(lambda x: ...)`, `tf.function(lambda v: ...)`).
ScopeNode = ast.FunctionDef | ast.Lambda
_DO_NOT_CONVERT = frozenset(
    {"tensorflow.autograph.experimental.do_not_convert", "tensorflow.compat.v2.autograph.experimental.do_not_convert"}
)


@dataclass
class GraphScope:
    """One function whose body is traced into a graph, and how."""

    node: ScopeNode
    reason: str  # why it is a graph scope, for messages and `--verbose`
    class_node: ast.ClassDef | None
    jit_compile: bool = False
    autograph: bool = True
    input_signature: ast.expr | None = None
    local_names: frozenset[str] = frozenset()
    python_lambdas: frozenset[ast.Lambda] = frozenset()  # py_function callbacks: not graph
    # The functions this one is nested in, outermost first, and the names they bind
    # (closure variables, which hide module-level names of the same spelling).
    enclosing_functions: tuple[FunctionNode, ...] = ()
    enclosing_names: frozenset[str] = frozenset()
    # How the function comes to be traced, which decides what its parameters are:
    # "tf.function" (decorated or wrapped, also by a project wrapper or an alias),
    # "callee" (called from graph code), "tf-api" (handed to tf.map_fn, tf.while_loop,
    # tf.vectorized_map, ...), "tf.data" (a dataset callback: its parameters are dataset
    # elements), "keras-step" (train/test/predict_step), "keras-call" (a Layer's or
    # Model's `call`, or a function given to `layers.Lambda`), "keras-loss" (`Loss.call`,
    # `Metric.update_state`/`result`, losses and metrics given to `compile`), "traced"
    # (seen traced only by a recorded run of the program, `tfrewrite trace`).
    kind: str = "tf.function"
    # When `autograph` is False: what turned it off (Keras 3, `autograph=False`, ...).
    no_autograph_cause: str = ""
    # Non-empty when the scope may be compiled with XLA though nothing says so: why.
    # (Keras 3 `jit_compile="auto"` turns XLA on when a GPU is present.)
    maybe_xla: str = ""
    # Keras code in a module that does not import TensorFlow may run on JAX or PyTorch
    # (the backend is chosen at run time): no fix may bring TensorFlow in.
    backend_unknown: bool = False
    _nodes: list[ast.AST] | None = field(default=None, repr=False)
    _statements: list[ast.stmt] | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.node.name if isinstance(self.node, ast.FunctionDef) else "<lambda>"

    @property
    def is_lambda(self) -> bool:
        """A lambda scope has one expression and no statements: statement rules skip it."""
        return isinstance(self.node, ast.Lambda)

    @property
    def autograph_mode(self) -> str:
        """How AutoGraph treats the body, for `tfrewrite scopes` and messages."""
        mode = "converted by AutoGraph" if self.autograph else "traced without AutoGraph"
        return mode + (", jit_compile" if self.jit_compile else ", maybe XLA" if self.maybe_xla else "")

    @property
    def body(self) -> list[ast.AST]:
        """The body's top-level nodes: a def's statements, or a lambda's one expression."""
        return [self.node.body] if isinstance(self.node, ast.Lambda) else list(self.node.body)

    @property
    def without_autograph(self) -> str:
        """Why AutoGraph does not convert this scope, for "no fix" messages."""
        return f"traced without AutoGraph ({self.no_autograph_cause or 'autograph=False'})"

    def nodes(self) -> list[ast.AST]:
        """Every node of the body, excluding nested functions and classes (own scopes)."""
        if self._nodes is None:
            self._nodes = list(_walk_body(self.body, skip=self.python_lambdas))
        return self._nodes

    def statements(self) -> list[ast.stmt]:
        """The statements among `nodes()` (listed once: several rules ask)."""
        if self._statements is None:
            self._statements = [node for node in self.nodes() if isinstance(node, ast.stmt)]
        return self._statements


def is_py_callback_call(call: ast.Call, imports: ImportTable) -> bool:
    name = imports.resolve(call.func)
    return bool(name and name.startswith("tensorflow.") and name.rsplit(".", 1)[-1] in _PY_CALLBACK_SUFFIXES)


def find_graph_scopes(
    tree: ast.Module,
    imports: ImportTable,
    lines: LineIndex | None = None,
    graph_decorators: frozenset[str] = frozenset(),
    recorded: Mapping[ast.FunctionDef, bool | None] | None = None,
    called: Sequence[IncomingScope] = (),
) -> list[GraphScope]:
    """All graph scopes of a module, in source order.

    Roots are functions decorated with `tf.function` (any alias, with or without
    arguments, a configured project wrapper in `graph_decorators`, a decorator function
    of the module returning `tf.function(fn)`), functions wrapped by such a call,
    tf.data callbacks, Keras methods traced by `fit`/`evaluate`/`predict` (see
    `entry_points`), and functions given to `compile`, `layers.Lambda` or
    `tf.vectorized_map`. From the roots, graph-ness spreads to functions of the same
    module that a graph scope calls (AutoGraph converts those too) or hands to a
    TensorFlow API such as `tf.while_loop`. Functions handed to or decorated with
    `tf.py_function`/`tf.numpy_function` run in Python and are never graph scopes.

    `recorded` maps the functions a recorded run saw traced (`tfrewrite trace`) to
    whether AutoGraph converted them there (None: not known); each is a root too, and a
    function the run saw traced without AutoGraph is never treated as converted.

    `called` names top-level functions that graph code in other files of the run calls
    (`analyze/project.py`): each is a root of kind "callee", unless the module makes it
    a graph scope itself (a `tf.function` is traced as its decorator says, whoever calls it).

    Given the module's `lines`, only the expressions on lines that name a wrapper or an
    entry point (or an alias of one) are searched for calls; the result is the same, but
    most of the module is never walked.
    """
    module_assigns, module_defs = entry.module_bindings(tree)
    wrappers = Wrappers(imports, module_assigns, module_defs, graph_decorators)
    wrapper_names = {name for name in module_assigns if wrappers.bare(ast.Name(name)) is not None}
    wrapper_names.update(
        name for name in module_defs if name not in module_assigns and wrappers.bare(ast.Name(name)) is not None
    )
    wrapper_names.update(name for name, function in module_defs.items() if wrappers._factory_result(function))
    wrapper_names.update(name.rsplit(".", 1)[-1] for name in graph_decorators)
    call_lines = _wrapper_lines(lines, imports, wrapper_names) if lines is not None else None
    index = _FunctionIndex(tree, call_lines, lines.text if lines is not None else None)
    py_callbacks = _py_callback_functions(index, imports)
    python_lambdas = frozenset(
        argument
        for call, _ in index.calls
        if is_py_callback_call(call, imports)
        for argument in call.args[:1] + [k.value for k in call.keywords if k.arg == "func"]
        if isinstance(argument, ast.Lambda)
    )
    scopes: dict[ScopeNode, GraphScope] = {}
    lambda_sites: dict[ast.Lambda, FunctionNode | None] = {}

    def add(
        node: ScopeNode,
        reason: str,
        jit: bool,
        autograph: bool,
        signature: ast.expr | None = None,
        kind: str = "tf.function",
        cause: str = "",
        xla: str = "",
    ) -> bool:
        if node in py_callbacks or node in python_lambdas:
            return False
        if not autograph and _converts_itself(node, imports):
            # Its own `@tf.function` runs AutoGraph on every trace, whoever calls it
            # (Keras 3's step, a caller traced with autograph=False): checked on TF 2.21.
            autograph, cause = True, ""
        if isinstance(node, ast.FunctionDef) and any(
            imports.resolve(d) in _DO_NOT_CONVERT for d in node.decorator_list
        ):
            autograph, cause = False, "`do_not_convert`"  # traced, but AutoGraph leaves the body as it is
        scope = scopes.get(node)
        if scope is None:
            if isinstance(node, ast.Lambda):
                site = lambda_sites.get(node)
                enclosing = (*index.enclosing(site), site) if site is not None else ()
                local = frozenset(_lambda_params(node))
                klass = None
            else:
                enclosing = index.enclosing(node)
                local = frozenset(index.local_names(node))
                klass = index.class_of.get(node)
            scopes[node] = GraphScope(
                node,
                reason,
                klass,
                jit,
                autograph,
                signature,
                local,
                python_lambdas,
                enclosing,
                frozenset(name for function in enclosing for name in index.local_names(function)),
                kind,
                "" if autograph else cause,
                xla,
            )
            return True
        changed = False
        if not autograph and scope.autograph:
            scope.no_autograph_cause = cause
        if xla and not scope.maybe_xla:
            scope.maybe_xla = xla
            changed = True
        changed |= (jit and not scope.jit_compile) or (not autograph and scope.autograph)
        scope.jit_compile |= jit
        scope.autograph &= autograph
        return changed

    def add_target(
        target: ast.expr | None,
        site: FunctionNode | None,
        line: int,
        reason: str,
        options: tuple[bool, bool, ast.expr | None],
        kind: str,
        cause: str = "",
        xla: str = "",
    ) -> None:
        found = index.callable_at(target, site, line, imports) if target is not None else None
        if isinstance(found, ast.Lambda):
            lambda_sites.setdefault(found, site)
        if found is not None:
            add(found, reason, *options, kind=kind, cause=cause, xla=xla)

    for node in index.functions:
        for decorator in node.decorator_list:
            options = entry.decorator_options(decorator, wrappers)
            if options is not None:
                add(
                    node,
                    f"decorated with {options.reason}",
                    options.jit,
                    options.autograph,
                    options.signature,
                    cause=_cause(options),
                )
    eager = entry.eager_compile_calls(index)
    keras_xla = entry.keras_xla(index)
    other_backend = entry.other_keras_backend(tree, imports)
    if not other_backend:
        entry.keras_scopes(index, imports, add, keras_xla)
    keras_autograph = entry.module_keras_autograph(imports)
    tensorflow_module = any(q.split(".")[0] in ("tensorflow", "keras", "tf_keras") for q in imports.qualified.values())
    for call, site in index.calls:
        wrapped = entry.wrapping(call, wrappers)
        if wrapped is not None:
            options, target = wrapped
            add_target(
                target,
                site,
                call.lineno,
                f"wrapped by {options.reason}",
                (options.jit, options.autograph, options.signature),
                "tf.function",
                _cause(options),
            )
            continue
        callbacks = entry.dataset_callbacks(call)
        if callbacks and entry.is_dataset(call.func.value, site, index, imports, tensorflow_module):  # type: ignore[attr-defined]
            method = call.func.attr  # type: ignore[attr-defined]
            for target in callbacks:
                add_target(target, site, call.lineno, f"given to Dataset.{method}", (False, True, None), "tf.data")
            continue
        for target in entry.tracing_api(call, imports):
            add_target(
                target,
                site,
                call.lineno,
                "given to tf.vectorized_map",
                (False, False, None),
                "tf-api",
                "tf.vectorized_map may not convert it",
            )
        if other_backend or eager and (eager.everything or call in eager.calls):
            continue
        for target, kind, reason in entry.keras_function_arguments(call, imports):
            add_target(
                target,
                site,
                call.lineno,
                reason,
                (False, keras_autograph, None),
                kind,
                entry.KERAS3_CAUSE,
                "" if keras_autograph else keras_xla,
            )
    if eager:
        for key in list(scopes):
            if scopes[key].kind.startswith("keras-") and eager.covers(scopes[key]):
                del scopes[key]
    for function, converted in (recorded or {}).items():
        add(
            function,
            "traced in a recorded run (tfrewrite trace)",
            False,
            converted is not False,
            kind="traced",
            cause="the recorded run saw it traced as written",
        )

    for imported in called:
        defs = index.all_defs[None].get(imported.function)
        if defs and defs[-1] not in scopes and defs[-1] not in index.class_of:
            if add(defs[-1], imported.reason, imported.jit, imported.autograph, kind="callee", cause=imported.cause):
                # Called from Keras code that may run on another backend: no TensorFlow fixes.
                scopes[defs[-1]].backend_unknown = imported.backend_unknown

    # Spread to callees until nothing changes; flags only ever tighten, so this ends.
    # A scope's callees do not depend on its flags: find them once.
    callees: dict[ScopeNode, list[tuple[ScopeNode, str, str]]] = {}
    changed = True
    while changed:
        changed = False
        for scope in list(scopes.values()):
            if scope.node not in callees:
                site = lambda_sites.get(scope.node) if isinstance(scope.node, ast.Lambda) else scope.node
                found = list(_callees(scope, site, index, imports))
                for callee, _, _ in found:
                    if isinstance(callee, ast.Lambda):
                        lambda_sites.setdefault(callee, site)
                callees[scope.node] = found
            for callee, how, kind in callees[scope.node]:
                changed |= add(
                    callee,
                    f"{how} {scope.name}",
                    scope.jit_compile,
                    scope.autograph,
                    kind=kind,
                    cause=scope.no_autograph_cause,
                    xla=scope.maybe_xla,
                )
    result = sorted(scopes.values(), key=lambda s: (s.node.lineno, s.node.col_offset))
    if not any(q.split(".")[0] == "tensorflow" for q in imports.qualified.values()):
        for scope in result:
            scope.backend_unknown = scope.backend_unknown or scope.kind.startswith("keras-")
    if lambda_sites:
        # A lambda inside a def scope is part of that scope already.
        inside = {id(n) for s in result if not s.is_lambda for n in s.nodes()}
        result = [s for s in result if not s.is_lambda or id(s.node) not in inside]
    return result


def _cause(options: Options) -> str:
    """Why a wrapper's scope is not converted (when it is not)."""
    if options.reason == "tf.function" or " (returns tf.function" in options.reason or options.reason.endswith("(...)"):
        return "`autograph=False`"
    return f"the project wrapper {options.reason} may not run AutoGraph; pass `autograph=True` to say it does"


def _lambda_params(node: ast.Lambda) -> set[str]:
    args = node.args
    names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    names.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    return names


class _FunctionIndex:
    """Every function of a module with its enclosing function and class.

    `calls` holds every call, or with `call_lines` (sorted line numbers) at least every
    call whose callee is named on one of those lines.
    """

    def __init__(self, tree: ast.Module, call_lines: list[int] | None = None, text: str | None = None) -> None:
        self.functions: list[FunctionNode] = []
        self.parent_function: dict[FunctionNode, FunctionNode | None] = {}
        self.class_of: dict[FunctionNode, ast.ClassDef] = {}
        self.nested: dict[FunctionNode | None, dict[str, FunctionNode]] = {None: {}}
        self.methods: dict[ast.ClassDef, dict[str, FunctionNode]] = {}
        self.classes: list[tuple[ast.ClassDef, FunctionNode | None]] = []
        # Every def of a name per site, in source order (redefinitions in scripts and notebooks).
        self.all_defs: dict[FunctionNode | None, dict[str, list[FunctionNode]]] = {None: {}}
        self._assigns: dict[FunctionNode | None, dict[str, list[ast.expr]]] = {}
        self._tree = tree
        self.calls: list[tuple[ast.Call, FunctionNode | None]] = []
        self._local_names: dict[FunctionNode, set[str]] = {}
        self._class_names: dict[str, list[ast.ClassDef]] | None = None
        # Without `:=` in the module's text only statements bind names, and finding a
        # function's locals need not walk its expressions.
        self._walrus = text is None or ":=" in text
        self._call_lines = call_lines
        self._visit(tree.body, None, None)

    def local_names(self, function: FunctionNode) -> set[str]:
        names = self._local_names.get(function)
        if names is None:
            names = self._local_names[function] = _local_names(function, self._walrus)
        return names

    def _visit(self, body: list[ast.stmt], function: FunctionNode | None, klass: ast.ClassDef | None) -> None:
        for node in _walk_body(body, keep_scopes=True, lines=self._call_lines):
            if isinstance(node, ast.FunctionDef):
                self.functions.append(node)
                self.parent_function[node] = function
                if klass is not None and function is None:
                    self.class_of[node] = klass
                    self.methods.setdefault(klass, {})[node.name] = node
                else:
                    self.nested.setdefault(function, {})[node.name] = node
                    self.all_defs.setdefault(function, {}).setdefault(node.name, []).append(node)
                self._visit(node.body, node, None)
            elif isinstance(node, ast.ClassDef):
                self.classes.append((node, function))
                self._visit(node.body, function, node)
            elif isinstance(node, ast.Call):
                self.calls.append((node, function))

    def enclosing(self, function: FunctionNode) -> tuple[FunctionNode, ...]:
        """The functions `function` is nested in, outermost first."""
        chain: list[FunctionNode] = []
        parent = self.parent_function.get(function)
        while parent is not None:
            chain.append(parent)
            parent = self.parent_function.get(parent)
        return tuple(reversed(chain))

    def visible_def(self, name: str, site: FunctionNode | None, line: int | None = None) -> FunctionNode | None:
        """The `def` a bare name refers to at `site`, if no other binding hides it.

        With several defs of the name, the last one before `line` (the one in force
        there), else the last one."""
        while True:
            defs = self.all_defs.get(site, {}).get(name)
            if defs:
                if line is not None and len(defs) > 1:
                    before = [d for d in defs if d.lineno <= line]
                    if before:
                        return before[-1]
                return defs[-1]
            if site is None:
                return None
            if name in self.local_names(site):
                return None
            site = self.parent_function.get(site)

    def assigns(self, site: FunctionNode | None) -> dict[str, list[ast.expr]]:
        """Single-name assignments directly in `site`'s body (or the module's)."""
        found = self._assigns.get(site)
        if found is None:
            found = self._assigns[site] = {}
            for statement in entry.statements(site.body if site is not None else self._tree.body):
                entry.record_assign(statement, found)
        return found

    def assigned_at(self, name: str, site: FunctionNode | None) -> tuple[list[ast.expr], FunctionNode | None] | None:
        """The values assigned to the `name` visible at `site`, and where they are."""
        while True:
            values = self.assigns(site).get(name)
            if values is not None:
                return values, site
            if site is None or name in self.local_names(site):
                return None
            site = self.parent_function.get(site)

    def self_methods(self, site: FunctionNode, target: ast.expr) -> list[FunctionNode]:
        """The defs a call of `self.<name>` in method `site` may run: the one attribute
        lookup finds (`self_method`), and every override of the name in a subclass
        defined in the module (`self` may be one; the class itself may define none)."""
        klass = self._self_class(site, target)
        if klass is None:
            return []
        name = target.attr  # type: ignore[attr-defined]
        found = [self._inherited(klass, name), *(self.methods.get(s, {}).get(name) for s in self._subclasses(klass))]
        return [method for method in found if method is not None]

    def self_method(self, site: FunctionNode | None, target: ast.expr) -> FunctionNode | None:
        """The def `self.<name>` names in method `site`: in its class, else up through its
        bases defined in the module, as attribute lookup finds it."""
        klass = self._self_class(site, target)
        return self._inherited(klass, target.attr) if klass is not None else None  # type: ignore[attr-defined]

    def _self_class(self, site: FunctionNode | None, target: ast.expr) -> ast.ClassDef | None:
        """The class of method `site` when `target` is `<its first parameter>.<name>`."""
        if not (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and site is not None):
            return None
        klass = self.class_of.get(site)
        params = site.args.posonlyargs + site.args.args
        return klass if klass is not None and params and target.value.id == params[0].arg else None

    def _bases(self, klass: ast.ClassDef) -> list[ast.ClassDef]:
        """The module's top-level classes that `klass` names as bases."""
        by_name = self._classes_by_name()
        return [base for b in klass.bases if isinstance(b, ast.Name) for base in by_name.get(b.id, ())]

    def _classes_by_name(self) -> dict[str, list[ast.ClassDef]]:
        if self._class_names is None:
            self._class_names = {}
            for klass, site in self.classes:
                if site is None:
                    self._class_names.setdefault(klass.name, []).append(klass)
        return self._class_names

    def _inherited(self, klass: ast.ClassDef, name: str, depth: int = 0) -> FunctionNode | None:
        """`name` in `klass`, else in its bases, depth first, left to right (the MRO's
        order for the single and simple multiple inheritance of model code)."""
        method = self.methods.get(klass, {}).get(name)
        if method is not None or depth > 8:
            return method
        for base in self._bases(klass):
            if base is not klass and (found := self._inherited(base, name, depth + 1)) is not None:
                return found
        return None

    def _subclasses(self, klass: ast.ClassDef) -> list[ast.ClassDef]:
        """Top-level classes of the module that derive from `klass`, directly or not."""
        found: list[ast.ClassDef] = []
        todo = [klass]
        while todo:
            current = todo.pop()
            for other, site in self.classes:
                if site is None and other not in found and other is not klass and current in self._bases(other):
                    found.append(other)
                    todo.append(other)
        return found

    def callable_at(
        self, target: ast.expr, site: FunctionNode | None, line: int, imports: ImportTable, depth: int = 0
    ) -> FunctionNode | ast.Lambda | None:
        """The def or lambda that `target` refers to at `site`: a name (through aliases
        such as `loss_fn = huber`), `self.method`, `functools.partial(f, ...)`, a lambda."""
        if depth > 8:
            return None
        if isinstance(target, ast.Lambda):
            return target
        if isinstance(target, ast.Call) and entry.is_partial(target, imports):
            return self.callable_at(target.args[0], site, line, imports, depth + 1)
        if isinstance(target, ast.Name):
            found = self.visible_def(target.id, site, line)
            if found is not None:
                return found
            assigned = self.assigned_at(target.id, site)
            if assigned is not None and len(assigned[0]) == 1:
                value, where = assigned[0][0], assigned[1]
                if not (isinstance(value, ast.Name) and value.id == target.id and where is site):
                    return self.callable_at(value, where, value.lineno, imports, depth + 1)
            return None
        return self.self_method(site, target)


def _walk_body(
    body: Sequence[ast.AST],
    keep_scopes: bool = False,
    skip: frozenset[ast.Lambda] = frozenset(),
    lines: list[int] | None = None,
) -> Iterator[ast.AST]:
    """Pre-order walk of statements that stops at nested functions and classes.

    With keep_scopes the nested function/class nodes themselves are yielded (their
    bodies are not); decorators and default values, evaluated in this scope, are walked.
    With `lines` (sorted line numbers), a node that spans none of them is neither yielded
    nor entered, except for the statements nested in it; the order is kept.
    """
    todo: list[ast.AST] = list(reversed(body))
    pop, push = todo.pop, todo.append
    while todo:
        node = pop()
        kind = type(node)
        if kind in _SCOPE_TYPES:
            if keep_scopes:
                yield node
            outer: list[ast.AST] = list(node.decorator_list)  # type: ignore[attr-defined]
            if kind is ast.ClassDef:
                outer += node.bases + [k.value for k in node.keywords]  # type: ignore[attr-defined]
            else:
                outer += [d for d in node.args.defaults + node.args.kw_defaults if d is not None]  # type: ignore[attr-defined]
            todo.extend(reversed(outer))
            continue
        if lines is not None and not _spans_any(node, lines):
            # Nothing of interest on its lines: only the statements nested in it may matter.
            blocks = _blocks_of(kind)
            if blocks:
                todo.extend(reversed([c for f in blocks for c in getattr(node, f)]))
            continue
        if skip and node in skip:
            continue
        yield node
        # The children, last first, so that the first is popped next (pre-order); written
        # out rather than through `children` because this loop is the analysis's hottest.
        # Contexts and operators (`Load`, `Add`, ...) are left out: they hold nothing, and
        # no question is asked of them (`ctx` and `op` are read from their parents).
        start = len(todo)
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, _AST_NODE):
                if type(value) not in _LEAF_TYPES:
                    push(value)
            elif type(value) is list:
                for item in value:
                    if isinstance(item, _AST_NODE) and type(item) not in _LEAF_TYPES:
                        push(item)
        todo[start:] = reversed(todo[start:])


_SCOPE_TYPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
_LEAF_TYPES = frozenset(
    leaf
    for base in (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)
    for leaf in base.__subclasses__()
)
# `BLOCK_FIELDS` by node type (the only children that can hold a statement).
_BLOCKS: dict[type, tuple[str, ...]] = {}


def _blocks_of(kind: type) -> tuple[str, ...]:
    """The `BLOCK_FIELDS` of a statement or `except` clause type, in field order (none
    for an expression)."""
    blocks = _BLOCKS.get(kind)
    if blocks is None:
        fields: tuple[str, ...] = kind._fields if issubclass(kind, (ast.stmt, ast.excepthandler)) else ()  # type: ignore[attr-defined]
        blocks = _BLOCKS[kind] = tuple(f for f in fields if f in BLOCK_FIELDS)
    return blocks


_AST_NODE = ast.AST
_STATEMENT_HOLDERS = (ast.stmt, ast.excepthandler, ast.match_case)


def _converts_itself(node: ScopeNode, imports: ImportTable) -> bool:
    """A def decorated with `tf.function` (without `autograph=False`): its own Function
    converts its body each time it is traced."""
    if not isinstance(node, ast.FunctionDef):
        return False
    for decorator in node.decorator_list:
        if imports.resolve(decorator) in TF_FUNCTION:
            return True
        if isinstance(decorator, ast.Call) and imports.resolve(decorator.func) in TF_FUNCTION:
            return not any(
                k.arg == "autograph" and isinstance(k.value, ast.Constant) and k.value.value is False
                for k in decorator.keywords
            )
    return False


def _spans_any(node: ast.AST, lines: list[int]) -> bool:
    """True when `node` covers one of the sorted `lines` (or has no position)."""
    end = getattr(node, "end_lineno", None)
    if end is None:
        return True
    index = bisect.bisect_left(lines, node.lineno)  # type: ignore[attr-defined]
    return index < len(lines) and lines[index] <= end


# The last name of every callee `find_graph_scopes` looks for in calls: `tf.function`,
# the entry points (`.map`, `compile`, ...) and the Python callbacks (`tf.py_function`, ...).
_WRAPPER_NAMES = entry.CALL_NAMES | _PY_CALLBACK_SUFFIXES


def _wrapper_lines(
    lines: LineIndex, imports: ImportTable, extra: frozenset[str] | set[str] = frozenset()
) -> list[int] | None:
    """Sorted numbers of the lines that name a wrapper (or None: every line may).

    A call can resolve to `tensorflow.function` or a Python callback only if its callee
    ends in one of those names or in a name imported as one; that name is on one of the
    call's lines. Identifiers with non-ASCII characters are normalised by the parser, so
    such text is not searched (every line counts).
    """
    text = lines.text
    if not text.isascii():
        return None
    names = set(_WRAPPER_NAMES) | extra
    names.update(
        name for name, qualified in imports.qualified.items() if qualified.rsplit(".", 1)[-1] in _WRAPPER_NAMES
    )
    return lines.rows_naming(names)


def _local_names(function: FunctionNode, walrus: bool = True) -> set[str]:
    args = function.args
    names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    names.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    if walrus:
        for statement in function.body:
            names |= bound_names(statement)
    else:
        for statement in function.body:
            _statement_bindings(statement, names, top=True)
    return names


def _statement_bindings(statement: ast.stmt, names: set[str], top: bool) -> None:
    """`bound_names(statement)` added to `names`, for code without `:=`: then only the
    targets of statements bind, and no expression needs walking. (Like `bound_names`, an
    import binds only as a statement of the body itself.)"""
    kind = type(statement)
    if kind in _SCOPE_TYPES:
        names.add(statement.name)  # type: ignore[attr-defined]
        return
    if kind is ast.Import or kind is ast.ImportFrom:
        if top:
            names.update((a.asname or a.name).split(".")[0] for a in statement.names)  # type: ignore[attr-defined]
        return
    if kind is ast.Assign or kind is ast.Delete:
        for target in statement.targets:  # type: ignore[attr-defined]
            _target_names(target, names)
    elif kind is ast.AugAssign or kind is ast.AnnAssign or kind is ast.For or kind is ast.AsyncFor:
        _target_names(statement.target, names)  # type: ignore[attr-defined]
    elif kind is ast.With or kind is ast.AsyncWith:
        for item in statement.items:  # type: ignore[attr-defined]
            if item.optional_vars is not None:
                _target_names(item.optional_vars, names)
    elif kind is ast.Global or kind is ast.Nonlocal:
        names.update(statement.names)  # type: ignore[attr-defined]
    for block in ("body", "orelse", "finalbody"):
        nested = getattr(statement, block, None)
        if type(nested) is list:
            for inner in nested:
                _statement_bindings(inner, names, False)
    for handler in getattr(statement, "handlers", ()):
        if handler.name:
            names.add(handler.name)
        for inner in handler.body:
            _statement_bindings(inner, names, False)
    for case in getattr(statement, "cases", ()):
        for pattern in ast.walk(case.pattern):
            if isinstance(pattern, (ast.MatchAs, ast.MatchStar)) and pattern.name:
                names.add(pattern.name)
            elif isinstance(pattern, ast.MatchMapping) and pattern.rest:
                names.add(pattern.rest)
        for inner in case.body:
            _statement_bindings(inner, names, False)


def _target_names(target: ast.expr, names: set[str]) -> None:
    """The names an assignment target binds (an attribute or item binds none)."""
    kind = type(target)
    if kind is ast.Name:
        names.add(target.id)  # type: ignore[attr-defined]
    elif kind is ast.Tuple or kind is ast.List:
        for element in target.elts:  # type: ignore[attr-defined]
            _target_names(element, names)
    elif kind is ast.Starred:
        _target_names(target.value, names)  # type: ignore[attr-defined]


def _py_callback_functions(index: _FunctionIndex, imports: ImportTable) -> set[ScopeNode]:
    """Functions handed to `tf.py_function` & co, or decorated with them: they run in Python."""
    callbacks: set[ScopeNode] = set()
    for call, site in index.calls:
        if not is_py_callback_call(call, imports):
            continue
        target = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "func"), None)
        found = index.callable_at(target, site, call.lineno, imports) if target is not None else None
        if found is not None:
            callbacks.add(found)
    for function in index.functions:
        for decorator in function.decorator_list:
            name = imports.resolve(decorator.func if isinstance(decorator, ast.Call) else decorator)
            if name and name.startswith("tensorflow.") and name.rsplit(".", 1)[-1] in _PY_CALLBACK_SUFFIXES:
                callbacks.add(function)
            elif isinstance(decorator, ast.Name) and _hands_to_py_callback(
                index.nested[None].get(decorator.id), imports
            ):
                callbacks.add(function)
    return callbacks


def _hands_to_py_callback(decorator: FunctionNode | None, imports: ImportTable) -> bool:
    """A module decorator (`def wrap(func): ... tf.py_function(func, ...)`) that runs the
    function it decorates through `tf.py_function` & co: that function runs in Python."""
    if not isinstance(decorator, ast.FunctionDef):
        return False
    params = decorator.args.posonlyargs + decorator.args.args
    if not params:
        return False
    for call in ast.walk(decorator):
        if isinstance(call, ast.Call) and is_py_callback_call(call, imports):
            target = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "func"), None)
            if isinstance(target, ast.Name) and target.id == params[0].arg:
                return True
    return False


def _callees(
    scope: GraphScope, site: FunctionNode | None, index: _FunctionIndex, imports: ImportTable
) -> Iterator[tuple[ScopeNode, str, str]]:
    """Functions of this module that run inside `scope`'s graph: (function, how, kind)."""
    shadowed = scope.local_names if scope.is_lambda else frozenset()

    def reference(target: ast.expr) -> ScopeNode | None:
        if isinstance(target, ast.Name) and target.id in shadowed or isinstance(target, ast.Lambda):
            return None  # a lambda written here is part of this scope already
        return index.callable_at(target, site, target.lineno, imports)

    for node in scope.nodes():
        if not isinstance(node, ast.Call):
            continue
        callees: list[ScopeNode] = []
        if isinstance(site, ast.FunctionDef):
            callees += index.self_methods(site, node.func)
        if not callees and (callee := reference(node.func)) is not None:
            callees = [callee]
        for callee in callees:
            yield callee, "called from", "callee"
        name = imports.resolve(node.func)
        if name is not None and name.startswith("tensorflow."):
            handed_to_tf = name.rsplit(".", 1)[-1] not in _PY_CALLBACK_SUFFIXES  # as `is_py_callback_call`
        else:
            handed_to_tf = entry.is_strategy_run(node, imports)
        if handed_to_tf:
            # Functions handed to TF APIs (tf.while_loop, tf.cond, tf.map_fn, ...) are
            # traced into the same graph.
            for argument in node.args + [k.value for k in node.keywords]:
                passed = reference(argument)
                if passed is not None:
                    yield passed, "passed to a TensorFlow API in", "tf-api"
