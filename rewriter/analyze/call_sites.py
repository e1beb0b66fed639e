"""Where a module's calls sit: which reach its tf.functions, which run in a loop, and
which functions run repeatedly (called in a loop, or from a function that is).

A tf.function traces again for each new function object and each new Python argument
value, so a call's surroundings decide whether it retraces. The parent of each node is
mapped only when a question needs it: most modules have nothing to ask.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rewriter.analyze.scopes import TF_FUNCTION, GraphScope

if TYPE_CHECKING:
    from rewriter.analyze import ModuleAnalysis


@dataclass
class CallTarget:
    """A tf.function of the module, as a call reaches it by name."""

    scope: GraphScope
    method: bool  # called as `self.<name>(...)`


def calls_and_definitions(module: ModuleAnalysis) -> tuple[list[ast.Call | ast.FunctionDef], list[ast.Assign]]:
    """From the module's one shared walk (in `ast.walk` order): the calls and decorated
    functions, and the assignments of a call's result to one target. (The parents of
    the calls are asked next: the walk maps them too.)"""
    nodes: list[ast.Call | ast.FunctionDef] = []
    assigns: list[ast.Assign] = []
    all_nodes, _ = module.nodes_and_parents()
    for node in all_nodes:
        kind = type(node)
        if kind is ast.Call:
            nodes.append(node)  # type: ignore[arg-type]
        elif kind is ast.FunctionDef:
            if node.decorator_list:  # type: ignore[attr-defined]
                nodes.append(node)  # type: ignore[arg-type]
        elif kind is ast.Assign and len(node.targets) == 1 and isinstance(node.value, ast.Call):  # type: ignore[attr-defined]
            assigns.append(node)  # type: ignore[arg-type]
    return nodes, assigns


class Parents:
    """The parent of each node of the module (the module's shared map, made by the walk
    that lists its nodes), and the call sites found through it."""

    def __init__(self, module: ModuleAnalysis) -> None:
        self._module = module
        # Call sites by callee name, filled by `_call_sites` on first use.
        self.call_sites: dict[str, list[tuple[bool, str | None]]] | None = None

    def get(self, node: ast.AST) -> ast.AST | None:
        return self._module.parents.get(node)


def call_targets(module: ModuleAnalysis, assigns: list[ast.Assign]) -> dict[str, CallTarget]:
    """Callable names of the module's tf.functions: `name` for functions, `self.name` for methods."""
    targets: dict[str, CallTarget] = {}
    by_node = {scope.node: scope for scope in module.graph_scopes}
    for scope in module.graph_scopes:
        function = scope.node
        if not isinstance(function, ast.FunctionDef):
            continue  # a lambda has no name to be called by
        if (
            scope.kind == "tf.function"
            and not scope.enclosing_functions
            and has_tf_function_decorator(module, function)
        ):
            key = f"self.{function.name}" if scope.class_node is not None else function.name
            targets[key] = CallTarget(scope, scope.class_node is not None)
    for node in assigns:
        call = node.value
        assert isinstance(call, ast.Call)
        if module.imports.resolve(call.func) not in TF_FUNCTION or not call.args:
            continue
        wrapped = call.args[0]
        name = wrapped.attr if isinstance(wrapped, ast.Attribute) else getattr(wrapped, "id", None)
        found = next((s for n, s in by_node.items() if isinstance(n, ast.FunctionDef) and n.name == name), None)
        if found is None or any(k.arg == "input_signature" for k in call.keywords) or len(call.args) > 1:
            continue
        target = node.targets[0]
        if isinstance(target, ast.Name):
            targets[target.id] = CallTarget(found, isinstance(wrapped, ast.Attribute))
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
            targets[f"self.{target.attr}"] = CallTarget(found, True)
    return targets


def called_target(call: ast.Call, targets: dict[str, CallTarget]) -> CallTarget | None:
    func = call.func
    if isinstance(func, ast.Name):
        return targets.get(func.id)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self":
        return targets.get(f"self.{func.attr}")
    return None


def has_tf_function_decorator(module: ModuleAnalysis, node: ast.FunctionDef) -> bool:
    for decorator in node.decorator_list:
        callee = decorator.func if isinstance(decorator, ast.Call) else decorator
        if module.imports.resolve(callee) in TF_FUNCTION:
            return True
    return False


def in_loop_body(node: ast.AST, parents: Parents) -> bool:
    """Inside the body of a `for`/`while` of the same function."""
    child, parent = node, parents.get(node)
    while parent is not None and not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        if isinstance(parent, (ast.For, ast.While)) and child in parent.body:
            return True
        child, parent = parent, parents.get(parent)
    return False


def loop_counters(node: ast.AST, parents: Parents) -> dict[str, str]:
    """Names bound to Python ints by enclosing `for ... in range(...)` / `enumerate(...)` loops."""
    counters: dict[str, str] = {}
    child, parent = node, parents.get(node)
    while parent is not None and not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        if isinstance(parent, ast.For) and child in parent.body and isinstance(parent.iter, ast.Call):
            callee = parent.iter.func
            if isinstance(callee, ast.Name) and callee.id == "range" and isinstance(parent.target, ast.Name):
                counters[parent.target.id] = parent.target.id
            elif isinstance(callee, ast.Name) and callee.id == "enumerate" and isinstance(parent.target, ast.Tuple):
                first = parent.target.elts[0] if parent.target.elts else None
                if isinstance(first, ast.Name):
                    counters[first.id] = first.id
        child, parent = parent, parents.get(parent)
    return counters


_CALLER_DEPTH = 3  # how many calls up a "called repeatedly" search follows


def enclosing_function(node: ast.AST, parents: Parents) -> ast.FunctionDef | None:
    outer = parents.get(node)
    while outer is not None and not isinstance(outer, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        outer = parents.get(outer)
    return outer if isinstance(outer, ast.FunctionDef) else None


def repeated_caller(
    module: ModuleAnalysis, name: str, parents: Parents, seen: frozenset[str] = frozenset()
) -> str | None:
    """How the module's function `name` runs repeatedly: "called in a loop", or "called
    from `g`, called in a loop" (up to _CALLER_DEPTH calls up); None when not seen."""
    if len(seen) >= _CALLER_DEPTH:
        return None
    sites = _call_sites(module, parents).get(name, [])
    if any(in_loop for in_loop, _ in sites):
        return "called in a loop"
    for outer_name in dict.fromkeys(o for _, o in sites if o is not None and o not in seen | {name}):
        how = repeated_caller(module, outer_name, parents, seen | {name})
        if how is not None:
            return f"called from `{outer_name}`, {how}"
    return None


def _call_sites(module: ModuleAnalysis, parents: Parents) -> dict[str, list[tuple[bool, str | None]]]:
    """The module's call sites by callee name: (inside a loop, enclosing function's name).
    Built once per check and kept beside the parent map, which lives as long."""
    if parents.call_sites is not None:
        return parents.call_sites
    sites: dict[str, list[tuple[bool, str | None]]] = {}
    for call in ast.walk(module.tree):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if called is not None:
            outer = enclosing_function(call, parents)
            sites.setdefault(called, []).append((in_loop_body(call, parents), outer.name if outer else None))
    parents.call_sites = sites
    return sites
