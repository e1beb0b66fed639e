"""Graph scopes: the function bodies that `tf.function` traces and AutoGraph converts."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Iterator

from rewriter.analyze.imports import ImportTable, bound_names

TF_FUNCTION = frozenset(
    {"tensorflow.function", "tensorflow.compat.v2.function", "tensorflow.compat.v1.function"}
)
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


def find_graph_scopes(tree: ast.Module, imports: ImportTable) -> list[GraphScope]:
    """All graph scopes of a module, in source order.

    Roots are functions decorated with `tf.function` (any alias, with or without
    arguments) and functions wrapped by a `tf.function(f)` call in the same module.
    From the roots, graph-ness spreads to functions of the same module that a graph
    scope calls (AutoGraph converts those too) or hands to a TensorFlow API such as
    `tf.while_loop`. Functions handed to `tf.py_function`/`tf.numpy_function` run in
    Python and are never graph scopes.
    """
    index = _FunctionIndex(tree)
    py_callbacks = _py_callback_functions(index, imports)
    python_lambdas = frozenset(
        argument
        for call, _ in index.calls
        if is_py_callback_call(call, imports)
        for argument in call.args[:1] + [k.value for k in call.keywords if k.arg == "func"]
        if isinstance(argument, ast.Lambda)
    )
    scopes: dict[FunctionNode, GraphScope] = {}

    def add(node: FunctionNode, reason: str, jit: bool, autograph: bool,
            signature: ast.expr | None = None) -> bool:
        if node in py_callbacks:
            return False
        scope = scopes.get(node)
        if scope is None:
            scopes[node] = GraphScope(
                node, reason, index.class_of.get(node), jit, autograph, signature,
                frozenset(_local_names(node)), python_lambdas,
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
    changed = True
    while changed:
        changed = False
        for scope in list(scopes.values()):
            for callee, how in _callees(scope, index, imports):
                changed |= add(callee, f"{how} {scope.node.name}", scope.jit_compile, scope.autograph)
    return sorted(scopes.values(), key=lambda s: (s.node.lineno, s.node.col_offset))


class _FunctionIndex:
    """Every function of a module with its enclosing function and class."""

    def __init__(self, tree: ast.Module) -> None:
        self.functions: list[FunctionNode] = []
        self.parent_function: dict[FunctionNode, FunctionNode | None] = {}
        self.class_of: dict[FunctionNode, ast.ClassDef] = {}
        self.nested: dict[FunctionNode | None, dict[str, FunctionNode]] = {None: {}}
        self.methods: dict[ast.ClassDef, dict[str, FunctionNode]] = {}
        self.calls: list[tuple[ast.Call, FunctionNode | None]] = []
        self._visit(tree.body, None, None)

    def _visit(self, body: list[ast.stmt], function: FunctionNode | None,
               klass: ast.ClassDef | None) -> None:
        for node in _walk_body(body, keep_scopes=True):
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

    def visible_def(self, name: str, site: FunctionNode | None) -> FunctionNode | None:
        """The `def` a bare name refers to at `site`, if no other binding hides it."""
        while True:
            found = self.nested.get(site, {}).get(name)
            if found is not None:
                return found
            if site is None:
                return None
            if name in _local_names(site):
                return None
            site = self.parent_function.get(site)


def _walk_body(body: list[ast.stmt], keep_scopes: bool = False,
               skip: frozenset[ast.Lambda] = frozenset()) -> Iterator[ast.AST]:
    """Pre-order walk of statements that stops at nested functions and classes.

    With keep_scopes the nested function/class nodes themselves are yielded (their
    bodies are not); decorators and default values, evaluated in this scope, are walked.
    """
    todo: list[ast.AST] = list(reversed(body))
    while todo:
        node = todo.pop()
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


def _wrapped_function(call: ast.Call, site: FunctionNode | None, index: _FunctionIndex,
                      imports: ImportTable) -> FunctionNode | None:
    """`f` in `tf.function(f, ...)` when it is a def of this module."""
    if imports.resolve(call.func) not in TF_FUNCTION:
        return None
    target = call.args[0] if call.args else next(
        (k.value for k in call.keywords if k.arg in ("func", "python_function")), None)
    return _function_reference(target, site, index)


def _function_reference(target: ast.expr | None, site: FunctionNode | None,
                        index: _FunctionIndex) -> FunctionNode | None:
    """The def that a bare name or `self.name` refers to at `site`."""
    if isinstance(target, ast.Name):
        return index.visible_def(target.id, site)
    if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
            and site is not None):
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
        target = call.args[0] if call.args else next(
            (k.value for k in call.keywords if k.arg == "func"), None)
        found = _function_reference(target, site, index)
        if found is not None:
            callbacks.add(found)
    return callbacks


def _callees(scope: GraphScope, index: _FunctionIndex,
             imports: ImportTable) -> Iterator[tuple[FunctionNode, str]]:
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
