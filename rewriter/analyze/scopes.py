"""Graph scopes: the function bodies that `tf.function` traces and AutoGraph converts."""

from __future__ import annotations

import ast
import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from rewriter.analyze.imports import ImportTable, bound_names
from rewriter.source import LineIndex

TF_FUNCTION = frozenset({"tensorflow.function", "tensorflow.compat.v2.function", "tensorflow.compat.v1.function"})
# Callbacks of these run eagerly in Python, even when called from a graph.
_PY_CALLBACK_SUFFIXES = frozenset({"py_function", "numpy_function", "py_func", "eager_py_func"})

FunctionNode = ast.FunctionDef


@dataclass
class GraphScope:
    """One function whose body is traced into a graph, and how."""

    node: FunctionNode
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
    # "tf.function" (decorated or wrapped), "callee" (called or handed on from graph code).
    kind: str = "tf.function"
    _nodes: list[ast.AST] | None = field(default=None, repr=False)

    def nodes(self) -> list[ast.AST]:
        """Every node of the body, excluding nested functions and classes (own scopes)."""
        if self._nodes is None:
            self._nodes = list(_walk_body(self.node.body, skip=self.python_lambdas))
        return self._nodes

    def statements(self) -> Iterator[ast.stmt]:
        return (node for node in self.nodes() if isinstance(node, ast.stmt))


def is_py_callback_call(call: ast.Call, imports: ImportTable) -> bool:
    name = imports.resolve(call.func)
    return bool(name and name.startswith("tensorflow.") and name.rsplit(".", 1)[-1] in _PY_CALLBACK_SUFFIXES)


def find_graph_scopes(tree: ast.Module, imports: ImportTable, lines: LineIndex | None = None) -> list[GraphScope]:
    """All graph scopes of a module, in source order.

    Roots are functions decorated with `tf.function` (any alias, with or without
    arguments) and functions wrapped by a `tf.function(f)` call in the same module.
    From the roots, graph-ness spreads to functions of the same module that a graph
    scope calls (AutoGraph converts those too) or hands to a TensorFlow API such as
    `tf.while_loop`. Functions handed to `tf.py_function`/`tf.numpy_function` run in
    Python and are never graph scopes.

    Given the module's `lines`, only the expressions on lines that name `function` (or
    a py_function-like callback, or an alias of one) are searched for wrapping calls;
    the result is the same, but most of the module is never walked.
    """
    index = _FunctionIndex(tree, _wrapper_lines(lines, imports) if lines is not None else None)
    py_callbacks = _py_callback_functions(index, imports)
    python_lambdas = frozenset(
        argument
        for call, _ in index.calls
        if is_py_callback_call(call, imports)
        for argument in call.args[:1] + [k.value for k in call.keywords if k.arg == "func"]
        if isinstance(argument, ast.Lambda)
    )
    scopes: dict[FunctionNode, GraphScope] = {}

    def add(
        node: FunctionNode,
        reason: str,
        jit: bool,
        autograph: bool,
        signature: ast.expr | None = None,
        kind: str = "tf.function",
    ) -> bool:
        if node in py_callbacks:
            return False
        scope = scopes.get(node)
        if scope is None:
            enclosing = index.enclosing(node)
            scopes[node] = GraphScope(
                node,
                reason,
                index.class_of.get(node),
                jit,
                autograph,
                signature,
                frozenset(index.local_names(node)),
                python_lambdas,
                enclosing,
                frozenset(name for function in enclosing for name in index.local_names(function)),
                kind,
            )
            return True
        changed = (jit and not scope.jit_compile) or (not autograph and scope.autograph)
        scope.jit_compile |= jit
        scope.autograph &= autograph
        return changed

    for node in index.functions:
        for decorator in node.decorator_list:
            options = _tf_function_options(decorator, imports)
            if options is not None:
                add(node, "decorated with tf.function", *options)
    for call, site in index.calls:
        target = _wrapped_function(call, site, index, imports)
        if target is not None:
            jit, autograph, signature = _call_options(call)
            add(target, "wrapped by tf.function", jit, autograph, signature)

    # Spread to callees until nothing changes; flags only ever tighten, so this ends.
    # A scope's callees do not depend on its flags: find them once.
    callees: dict[FunctionNode, list[tuple[FunctionNode, str]]] = {}
    changed = True
    while changed:
        changed = False
        for scope in list(scopes.values()):
            if scope.node not in callees:
                callees[scope.node] = list(_callees(scope, index, imports))
            for callee, how in callees[scope.node]:
                changed |= add(callee, f"{how} {scope.node.name}", scope.jit_compile, scope.autograph, kind="callee")
    return sorted(scopes.values(), key=lambda s: (s.node.lineno, s.node.col_offset))


class _FunctionIndex:
    """Every function of a module with its enclosing function and class.

    `calls` holds every call, or with `call_lines` (sorted line numbers) at least every
    call whose callee is named on one of those lines.
    """

    def __init__(self, tree: ast.Module, call_lines: list[int] | None = None) -> None:
        self.functions: list[FunctionNode] = []
        self.parent_function: dict[FunctionNode, FunctionNode | None] = {}
        self.class_of: dict[FunctionNode, ast.ClassDef] = {}
        self.nested: dict[FunctionNode | None, dict[str, FunctionNode]] = {None: {}}
        self.methods: dict[ast.ClassDef, dict[str, FunctionNode]] = {}
        self.calls: list[tuple[ast.Call, FunctionNode | None]] = []
        self._local_names: dict[FunctionNode, set[str]] = {}
        self._call_lines = call_lines
        self._visit(tree.body, None, None)

    def local_names(self, function: FunctionNode) -> set[str]:
        names = self._local_names.get(function)
        if names is None:
            names = self._local_names[function] = _local_names(function)
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
                self._visit(node.body, node, None)
            elif isinstance(node, ast.ClassDef):
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

    def visible_def(self, name: str, site: FunctionNode | None) -> FunctionNode | None:
        """The `def` a bare name refers to at `site`, if no other binding hides it."""
        while True:
            found = self.nested.get(site, {}).get(name)
            if found is not None:
                return found
            if site is None:
                return None
            if name in self.local_names(site):
                return None
            site = self.parent_function.get(site)


def _walk_body(
    body: list[ast.stmt],
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
    while todo:
        node = todo.pop()
        scope = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        if lines is not None and not scope and not _spans_any(node, lines):
            # Nothing of interest on its lines: only the statements nested in it may matter.
            if isinstance(node, (ast.stmt, ast.excepthandler)):
                todo.extend(
                    reversed([child for child in ast.iter_child_nodes(node) if isinstance(child, _STATEMENT_HOLDERS)])
                )
            continue
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if keep_scopes:
                yield node
            outer: list[ast.AST] = list(node.decorator_list)
            if not isinstance(node, ast.ClassDef):
                outer += [d for d in node.args.defaults + node.args.kw_defaults if d is not None]
            else:
                outer += node.bases + [k.value for k in node.keywords]
            todo.extend(reversed(outer))
            continue
        if node in skip:
            continue
        yield node
        todo.extend(reversed(list(ast.iter_child_nodes(node))))


_STATEMENT_HOLDERS = (ast.stmt, ast.excepthandler, ast.match_case)


def _spans_any(node: ast.AST, lines: list[int]) -> bool:
    """True when `node` covers one of the sorted `lines` (or has no position)."""
    end = getattr(node, "end_lineno", None)
    if end is None:
        return True
    index = bisect.bisect_left(lines, node.lineno)  # type: ignore[attr-defined]
    return index < len(lines) and lines[index] <= end


# The last name of every callee `find_graph_scopes` looks for in calls: `tf.function`
# and the Python callbacks (`tf.py_function`, ...).
_WRAPPER_NAMES = frozenset({"function"}) | _PY_CALLBACK_SUFFIXES


def _wrapper_lines(lines: LineIndex, imports: ImportTable) -> list[int] | None:
    """Sorted numbers of the lines that name a wrapper (or None: every line may).

    A call can resolve to `tensorflow.function` or a Python callback only if its callee
    ends in one of those names or in a name imported as one; that name is on one of the
    call's lines. Identifiers with non-ASCII characters are normalised by the parser, so
    such text is not searched (every line counts).
    """
    text = lines.text
    if not text.isascii():
        return None
    names = set(_WRAPPER_NAMES)
    names.update(
        name for name, qualified in imports.qualified.items() if qualified.rsplit(".", 1)[-1] in _WRAPPER_NAMES
    )
    pattern = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, names))) + r")\b")
    return sorted({lines.row_col(match.start())[0] for match in pattern.finditer(text)})


def _local_names(function: FunctionNode) -> set[str]:
    args = function.args
    names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    names.update(a.arg for a in (args.vararg, args.kwarg) if a is not None)
    for statement in function.body:
        names |= bound_names(statement)
    return names


def _tf_function_options(decorator: ast.expr, imports: ImportTable) -> tuple[bool, bool, ast.expr | None] | None:
    """(jit_compile, autograph, input_signature) when `decorator` is tf.function."""
    if isinstance(decorator, ast.Call):
        if imports.resolve(decorator.func) not in TF_FUNCTION:
            return None
        if decorator.args:  # `@tf.function(f)` is not a decorator form we understand
            return None
        return _call_options(decorator)
    if imports.resolve(decorator) in TF_FUNCTION:
        return False, True, None
    return None


def _call_options(call: ast.Call) -> tuple[bool, bool, ast.expr | None]:
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


def _wrapped_function(
    call: ast.Call, site: FunctionNode | None, index: _FunctionIndex, imports: ImportTable
) -> FunctionNode | None:
    """`f` in `tf.function(f, ...)` when it is a def of this module."""
    if imports.resolve(call.func) not in TF_FUNCTION:
        return None
    target = (
        call.args[0]
        if call.args
        else next((k.value for k in call.keywords if k.arg in ("func", "python_function")), None)
    )
    return _function_reference(target, site, index)


def _function_reference(
    target: ast.expr | None, site: FunctionNode | None, index: _FunctionIndex
) -> FunctionNode | None:
    """The def that a bare name or `self.name` refers to at `site`."""
    if isinstance(target, ast.Name):
        return index.visible_def(target.id, site)
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and site is not None:
        klass = index.class_of.get(site)
        params = site.args.posonlyargs + site.args.args
        if klass is not None and params and target.value.id == params[0].arg:
            return index.methods.get(klass, {}).get(target.attr)
    return None


def _py_callback_functions(index: _FunctionIndex, imports: ImportTable) -> set[FunctionNode]:
    callbacks: set[FunctionNode] = set()
    for call, site in index.calls:
        if not is_py_callback_call(call, imports):
            continue
        target = call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "func"), None)
        found = _function_reference(target, site, index)
        if found is not None:
            callbacks.add(found)
    return callbacks


def _callees(scope: GraphScope, index: _FunctionIndex, imports: ImportTable) -> Iterator[tuple[FunctionNode, str]]:
    """Functions of this module that run inside `scope`'s graph."""
    for node in scope.nodes():
        if not isinstance(node, ast.Call):
            continue
        callee = _function_reference(node.func, scope.node, index)
        if callee is not None:
            yield callee, "called from"
        name = imports.resolve(node.func)
        if name and name.startswith("tensorflow.") and not is_py_callback_call(node, imports):
            # Functions handed to TF APIs (tf.while_loop, tf.cond, tf.map_fn, ...) are
            # traced into the same graph.
            for argument in node.args + [k.value for k in node.keywords]:
                passed = _function_reference(argument, scope.node, index)
                if passed is not None:
                    yield passed, "passed to a TensorFlow API in"
