"""The summary of one module for the project index: its calls of functions imported
from other modules of the run, with the facts `analyze/project.py` carries across."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from rewriter.analyze.evidence import _call_index, _in_own_scope, _Site, _site_facts
from rewriter.analyze.imports import _module_level_statements
from rewriter.analyze.project import NOT_KNOWN, Argument, ExportedCall
from rewriter.analyze.scopes import GraphScope, _FunctionIndex
from rewriter.analyze.syntax import root_name

if TYPE_CHECKING:
    from rewriter.analyze import ModuleAnalysis
    from rewriter.analyze.tensors import TensorFacts


def project_imports(tree: ast.Module, package: str, modules: Mapping[str, object]) -> dict[str, tuple[str, str | None]]:
    """Module-level names bound to a project module (name -> (module, None)) or to a
    function imported from one (name -> (module, function)).

    `package` is the module's own package (for relative imports); `modules` holds the
    run's module names. A name bound twice to different things binds nothing.
    """
    bound: dict[str, tuple[str, str | None]] = {}
    ambiguous: set[str] = set()

    def bind(name: str, target: tuple[str, str | None]) -> None:
        if bound.get(name, target) != target:
            ambiguous.add(name)
        bound[name] = target

    for node in _module_level_statements(tree.body):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name in modules:
                    bind(alias.asname, (alias.name, None))
                elif not alias.asname and alias.name.split(".")[0] in modules:
                    top = alias.name.split(".")[0]
                    bind(top, (top, None))  # `import pkg.model` binds `pkg`; attributes lead on
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            if base is None:
                continue
            for alias in node.names:
                if alias.name == "*":
                    continue
                submodule = f"{base}.{alias.name}" if base else alias.name
                if submodule in modules:
                    bind(alias.asname or alias.name, (submodule, None))
                elif base in modules:
                    bind(alias.asname or alias.name, (base, alias.name))
    return {name: target for name, target in bound.items() if name not in ambiguous}


def _absolute(node: ast.ImportFrom, package: str) -> str | None:
    if not node.level:
        return node.module
    parts = package.split(".") if package else []
    if node.level - 1 > len(parts):
        return None
    anchor = parts[: len(parts) - node.level + 1]
    return ".".join(anchor + ([node.module] if node.module else []))


def exported_calls(
    module: ModuleAnalysis,
    shown: str,
    bindings: Mapping[str, tuple[str, str | None]],
    modules: Mapping[str, object],
    entry_point: Callable[[str, str], bool] = lambda module, function: True,
    graph_code: bool = True,
) -> list[ExportedCall]:
    """Every call in `module` of a function that `bindings` imports from another module.

    What a call passes is worked out for the calls in graph code, and for the calls in
    Python code of functions that `entry_point(module, function)` says may be traced
    where they are defined (a `tf.function`: its arguments cross into a graph there).
    A call in Python code of any other function runs it in Python: it says nothing about
    the function's graph, and working out its arguments would cost the most.
    `graph_code=False` says the module holds no graph scope (the prefilter said so).
    """
    if not bindings:
        return []
    lines = module.lines
    pattern_lines = sorted(
        {lines.row_col(i)[0] for name in bindings for i in _find_word(module.text, name)}
        if module.text.isascii()
        else range(1, module.text.count("\n") + 2)
    )
    index = _FunctionIndex(module.tree, pattern_lines)
    scope_of: dict[object, GraphScope] = {}
    for graph_scope in module.graph_scopes if graph_code else ():
        if isinstance(graph_scope.node, ast.Lambda):
            # A lambda is no function of the index: find its calls by walking it.
            for node in graph_scope.nodes():
                if isinstance(node, ast.Call):
                    scope_of.setdefault(id(node), graph_scope)
        else:
            scope_of[graph_scope.node] = graph_scope
    found: list[ExportedCall] = []
    for call, function in index.calls:
        target = _callee(call.func, bindings, modules)
        if target is None:
            continue
        scope = scope_of.get(id(call)) or (scope_of.get(function) if function is not None else None)
        wanted = scope is not None or entry_point(*target)
        if wanted and _shadowed(call.func, function, index):
            continue
        outermost = (index.enclosing(function) + (function,))[0] if function is not None else None
        positional: tuple[Argument | None, ...] = ()
        keywords: tuple[tuple[str, Argument], ...] = ()
        any_keyword = False
        if wanted:
            positional, keywords, any_keyword = _arguments(call, _facts_at(module, call, function, index, scope))
        found.append(
            ExportedCall(
                module=target[0],
                function=target[1],
                caller=shown,
                within=outermost.name if outermost is not None and outermost not in index.class_of else None,
                scope=scope.name if scope is not None else None,
                autograph=scope.autograph if scope is not None else True,
                jit=scope.jit_compile if scope is not None else False,
                cause=scope.no_autograph_cause if scope is not None else "",
                backend_unknown=scope.backend_unknown if scope is not None else False,
                evidence=wanted,
                positional=positional,
                keywords=keywords,
                any_keyword=any_keyword,
            )
        )
    return found


def _facts_at(
    module: ModuleAnalysis,
    call: ast.Call,
    function: ast.FunctionDef | None,
    index: _FunctionIndex,
    scope: GraphScope | None,
) -> TensorFacts | None:
    """The Facts of the code `call` is in (None where they cannot be had)."""
    if scope is not None:
        return module.tensors(scope)
    site = _Site(call, function, index.class_of.get(function) if function is not None else None)
    if _in_own_scope(site, _call_index(module)):
        return None  # a lambda's or a comprehension's own names
    return _site_facts(module, site)


def _find_word(text: str, name: str) -> Iterator[int]:
    return (match.start() for match in re.finditer(r"\b" + re.escape(name) + r"\b", text))


def _callee(
    func: ast.expr, bindings: Mapping[str, tuple[str, str | None]], modules: Mapping[str, object]
) -> tuple[str, str] | None:
    """(module, function) for `f`, `m.f` or `pkg.model.f` bound to a project function."""
    parts: list[str] = []
    while isinstance(func, ast.Attribute):
        parts.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name) or func.id not in bindings:
        return None
    module, function = bindings[func.id]
    parts.reverse()
    if function is not None:
        return (module, function) if not parts else None
    while len(parts) > 1 and f"{module}.{parts[0]}" in modules:
        module, parts = f"{module}.{parts[0]}", parts[1:]
    return (module, parts[0]) if len(parts) == 1 and module in modules else None


def _shadowed(func: ast.expr, function: ast.FunctionDef | None, index: _FunctionIndex) -> bool:
    name = root_name(func) or ""
    while function is not None:
        if name in index.local_names(function):
            return True
        function = index.parent_function.get(function)
    return False


def _arguments(
    call: ast.Call, facts: TensorFacts | None
) -> tuple[tuple[Argument | None, ...], tuple[tuple[str, Argument], ...], bool]:
    def argument(node: ast.expr) -> Argument:
        return Argument.of(facts.of(node)) if facts is not None else NOT_KNOWN

    positional: list[Argument | None] = []
    for node in call.args:
        if isinstance(node, ast.Starred):
            positional.append(None)
            break  # what follows a `*args` is at positions not known
        positional.append(argument(node))
    keywords = tuple((k.arg, argument(k.value)) for k in call.keywords if k.arg is not None)
    return tuple(positional), keywords, any(k.arg is None for k in call.keywords)


__all__ = ["exported_calls", "project_imports"]
