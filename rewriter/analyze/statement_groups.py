"""Top-level statements in groups that the analysis never relates to each other.

The analysis relates two parts of a module only through names: a call names its callee,
`tf.function(f)` and `dataset.map(f)` name `f`, a subclass names its base, a method is
reached through its attribute name, a module-level list is mutated through its name. So
top-level statements that share no name bound by one of them cannot change each other's
findings, and a module's findings are the union of what each group of linked statements
gives when analysed with the module's imports alone. The editor server uses this to
re-analyse only the group an edit falls in (`rewriter.incremental`).

Two statements are linked when one mentions a name the other binds, or both bind it;
groups are the linked statements' connected components. "Mentions" counts every name,
attribute, keyword-argument name and identifier-like string passed to a call (a string
can name a method for `getattr`); "binds" counts a definition's own name and every
function, class and method name in it, attribute assignments, names declared `global`,
and the names a module-level statement assigns or imports. Linking too much only makes
groups larger; linking too little would lose findings, so when in doubt a name links.

Imports (and the module docstring) are not grouped: they are the context every group is
analysed with, as are the statements where `import` insertion looks (the first statement
after the leading import block, when more imports follow it).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

from rewriter.analyze.nodes import walk
from rewriter.analyze.syntax import first_import_run, is_docstring

_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_IMPORTS = (ast.Import, ast.ImportFrom)


@dataclass(frozen=True)
class StatementGroups:
    """Indices into the module's top-level statements."""

    context: tuple[int, ...]  # analysed with every group: imports, docstring, ...
    groups: tuple[tuple[int, ...], ...]  # each in source order; together, every other statement


def statement_groups(
    tree: ast.Module, describe: Callable[[int, frozenset[str]], StatementNames] | None = None
) -> StatementGroups | None:
    """The module's top-level statements in unrelated groups; None when the module has no
    top-level import (then where a fix inserts its import depends on the code after it).
    `describe(index, imported)` gives `statement_names` of a statement (one that keeps
    them between versions of a module saves most of the time)."""
    body = tree.body
    context = _context(body)
    if context is None:
        return None
    grouped = [
        i for i in range(len(body)) if not isinstance(body[i], _IMPORTS) and not (i == 0 and is_docstring(body[0]))
    ]
    parent = {i: i for i in grouped}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    imported = frozenset(
        (alias.asname or alias.name).split(".")[0]
        for i in context
        if isinstance(body[i], _IMPORTS)
        for alias in body[i].names  # type: ignore[attr-defined]
    )
    if describe is None:
        names = {i: statement_names(body[i], imported) for i in grouped}
    else:
        names = {i: describe(i, imported) for i in grouped}
    module_binders: dict[str, list[int]] = {}
    member_binders: dict[str, list[int]] = {}
    for i in grouped:
        for name in names[i].module_names:
            module_binders.setdefault(name, []).append(i)
        for name in names[i].member_names:
            member_binders.setdefault(name, []).append(i)
    for i in grouped:
        found = names[i]
        linked = [j for name in found.names | found.module_names for j in module_binders.get(name, ())]
        linked += [j for name in found.members for j in member_binders.get(name, ())]
        for j in linked:
            a, b = root(i), root(j)
            if a != b:
                parent[a] = b
    members: dict[int, list[int]] = {}
    for i in grouped:
        members.setdefault(root(i), []).append(i)
    return StatementGroups(tuple(context), tuple(tuple(m) for m in members.values()))


@dataclass
class StatementNames:
    """The names one top-level statement mentions and binds."""

    names: set[str] = field(default_factory=set)  # plain names read or written (module scope)
    members: set[str] = field(default_factory=set)  # attributes, keyword names, identifier strings
    module_names: set[str] = field(default_factory=set)  # names it binds in the module
    member_names: set[str] = field(default_factory=set)  # methods, nested definitions, attributes set


def statement_names(statement: ast.stmt, imported: frozenset[str] = frozenset()) -> StatementNames:
    """What `statement` mentions and binds. A plain name can only mean a module-level
    binding (a local shadows it, which links too much, never too little); an attribute,
    a keyword or a string can mean any member, so it is matched against members too,
    except an attribute of an imported module (`os.path`) or, in a class, of `self` or
    `cls` (its own members, or those of the bases and subclasses it names or that name
    it)."""
    found = StatementNames()
    definition = isinstance(statement, _DEFINITIONS)
    own = {"self", "cls"} if isinstance(statement, ast.ClassDef) else set()
    if definition:
        found.module_names.add(statement.name)  # type: ignore[attr-defined]
    for node in walk(statement):
        kind = type(node)
        if kind is ast.Name:
            found.names.add(node.id)  # type: ignore[attr-defined]
            if not definition and type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                found.module_names.add(node.id)  # type: ignore[attr-defined]
        elif kind is ast.Attribute:
            if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                found.member_names.add(node.attr)  # type: ignore[attr-defined]
            root = node.value  # type: ignore[attr-defined]
            while type(root) is ast.Attribute:
                root = root.value  # type: ignore[attr-defined]
            if not _own_or_elsewhere(root, imported, own):
                found.members.add(node.attr)  # type: ignore[attr-defined]
        elif kind in _DEFINITIONS:
            if node is not statement:
                found.names.add(node.name)  # type: ignore[attr-defined]
                (found.member_names if definition else found.module_names).add(node.name)  # type: ignore[attr-defined]
            if kind is ast.ClassDef:
                # Class attributes (`units = 32` in the class body) are members too.
                for item in node.body:  # type: ignore[attr-defined]
                    for target in _assigned(item):
                        found.member_names.add(target)
        elif kind is ast.keyword:
            if node.arg is not None:  # type: ignore[attr-defined]
                found.members.add(node.arg)  # type: ignore[attr-defined]
        elif kind is ast.Call:
            # `getattr(obj, "name")` and its kind: a string passed to a call may name anything.
            for argument in node.args:  # type: ignore[attr-defined]
                value = getattr(argument, "value", None)
                if type(argument) is ast.Constant and type(value) is str and value.isidentifier():
                    found.members.add(value)
                    found.names.add(value)
        elif kind is ast.alias:
            name = (node.asname or node.name).split(".")[0]  # type: ignore[attr-defined]
            found.names.add(name)
            if not definition:
                found.module_names.add(name)
        elif kind is ast.Global or kind is ast.Nonlocal:
            found.names.update(node.names)  # type: ignore[attr-defined]
            found.module_names.update(node.names)  # type: ignore[attr-defined]
    return found


def _own_or_elsewhere(root: ast.expr, imported: frozenset[str], own: set[str]) -> bool:
    """Whether an attribute chain starting at `root` reads an imported module's members,
    or, in a class, its own (`self.x`, `cls.x`, `super().x`)."""
    if type(root) is ast.Name:
        return root.id in imported or root.id in own  # type: ignore[attr-defined]
    return (
        bool(own)
        and type(root) is ast.Call
        and type(root.func) is ast.Name  # type: ignore[attr-defined]
        and root.func.id == "super"  # type: ignore[attr-defined]
    )


def _assigned(statement: ast.stmt) -> list[str]:
    targets: list[ast.expr] = []
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
        targets = [statement.target]
    return [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]


def _context(body: list[ast.stmt]) -> list[int] | None:
    """The statements every group is analysed with; None without a top-level import."""
    imports = [i for i, node in enumerate(body) if isinstance(node, _IMPORTS)]
    if not imports:
        return None
    context = set(imports)
    if body and is_docstring(body[0]):
        context.add(0)
    # An import is inserted by the first run of imports, which the next other statement
    # ends: were it left out, the imports after it would seem to extend the run.
    end = first_import_run(body).stop
    if end < len(body) and any(i > end for i in imports):
        context.add(end)
    return sorted(context)
