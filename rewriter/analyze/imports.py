"""Module-level names: what each import binds, and which names anything else binds."""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterator
from dataclasses import dataclass, field

from rewriter.analyze.nodes import child_blocks

_BUILTIN_NAMES = frozenset(dir(builtins))


@dataclass
class ImportTable:
    """Qualified names of module-level imports, plus every other module-level binding.

    `qualified["tf"] == "tensorflow"` after `import tensorflow as tf`;
    `qualified["function"] == "tensorflow.function"` after `from tensorflow import function`.
    A name imported from two different places is ambiguous and resolves to nothing.
    """

    qualified: dict[str, str] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)
    other_bindings: set[str] = field(default_factory=set)  # def, class, assignment, ...
    # `resolve`'s answers by node: the rules ask about the same callees many times over.
    _resolved: dict[ast.expr, str | None] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_module(cls, tree: ast.Module) -> ImportTable:
        table = cls()
        for node in _module_level_statements(tree.body):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        table._bind(alias.asname, alias.name)
                    else:
                        # `import a.b` binds `a` to the package `a`.
                        top = alias.name.split(".")[0]
                        table._bind(top, top)
            elif isinstance(node, ast.ImportFrom):
                if node.level or node.module is None:
                    for alias in node.names:
                        table.other_bindings.add(alias.asname or alias.name)
                    continue
                for alias in node.names:
                    if alias.name == "*":
                        continue
                    table._bind(alias.asname or alias.name, f"{node.module}.{alias.name}")
            else:
                table.other_bindings.update(bound_names(node))
        return table

    def _bind(self, name: str, qualified: str) -> None:
        previous = self.qualified.get(name)
        if previous is not None and previous != qualified:
            self.ambiguous.add(name)
        self.qualified[name] = qualified

    def binds(self, name: str) -> bool:
        """True when anything at module level binds `name`."""
        return name in self.qualified or name in self.other_bindings

    def resolve(self, expr: ast.expr) -> str | None:
        """The qualified name an expression like `tf.compat.v2.function` refers to.

        Names that nothing binds at module level and that are builtins resolve to
        `builtins.<name>`; the caller still checks for local shadowing.
        """
        try:
            return self._resolved[expr]
        except KeyError:
            resolved = self._resolved[expr] = self._resolve(expr)
            return resolved

    def _resolve(self, expr: ast.expr) -> str | None:
        parts: list[str] = []
        while isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return None
        name = expr.id
        if name in self.ambiguous:
            return None
        base = self.qualified.get(name)
        if base is None:
            if name in self.other_bindings or name not in _BUILTIN_NAMES:
                return None
            base = f"builtins.{name}"
        return ".".join([base, *reversed(parts)])

    def alias_of(self, *modules: str) -> str | None:
        """A module-level name bound to one of `modules` (first match wins)."""
        for module in modules:
            for name, qualified in self.qualified.items():
                if qualified == module and name not in self.ambiguous:
                    return name
        return None


def _module_level_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements that run at module level, including inside if/try/with/for blocks."""
    for node in body:
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for child_body in child_blocks(node):
            yield from _module_level_statements(child_body)


def bound_names(node: ast.AST) -> set[str]:
    """Names a single statement binds in its own scope (not in nested scopes)."""
    names: set[str] = set()
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        names.add(node.name)
        return names
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        for alias in node.names:
            names.add((alias.asname or alias.name).split(".")[0])
        return names
    for child in _walk_same_scope(node):
        if child is not node and isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(child.name)
        elif isinstance(child, ast.Name) and isinstance(child.ctx, (ast.Store, ast.Del)):
            names.add(child.id)
        elif isinstance(child, (ast.Global, ast.Nonlocal)):
            names.update(child.names)
        elif isinstance(child, ast.ExceptHandler) and child.name:
            names.add(child.name)
        elif isinstance(child, (ast.MatchAs, ast.MatchStar)) and child.name:
            names.add(child.name)
        elif isinstance(child, ast.MatchMapping) and child.rest:
            names.add(child.rest)
    return names


def _walk_same_scope(node: ast.AST) -> Iterator[ast.AST]:
    """ast.walk that does not descend into nested function, class or comprehension scopes."""
    todo = [node]
    pop, push = todo.pop, todo.append
    while todo:
        current = pop()
        yield current
        for name in current._fields:
            value = getattr(current, name, None)
            if isinstance(value, ast.AST):
                kind = type(value)
                if kind in _NESTED_SCOPES:
                    if kind in _DEFINITIONS:
                        yield value  # the name itself is bound here
                else:
                    push(value)
            elif type(value) is list:
                for child in value:
                    if isinstance(child, ast.AST):
                        kind = type(child)
                        if kind in _NESTED_SCOPES:
                            if kind in _DEFINITIONS:
                                yield child
                        else:
                            push(child)


_DEFINITIONS = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
_NESTED_SCOPES = _DEFINITIONS | {ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp}
