"""The solver: every binding of a scope's names, evaluated to a fixpoint, with flow."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rewriter.analyze.evaluator import _Pending
from rewriter.analyze.imports import ImportTable
from rewriter.analyze.lattice import (
    _BOTTOM,
    DATASET,
    SCALAR,
    UNKNOWN,
    Dims,
    Fact,
    Kind,
    SymbolicShape,
    _as_tensor,
    _tf_name,
    binary_fact,
    dtype_named,
    probably,
    python,
    tensor,
)
from rewriter.analyze.nodes import children, statements, walk

if TYPE_CHECKING:
    from rewriter.analyze.evidence import Evidence
    from rewriter.analyze.scopes import GraphScope
    from rewriter.analyze.tensors import TensorFacts


@dataclass(frozen=True)
class Binding:
    """One place a local name gets a value.

    `target` is the Name node (or the parameter's ast.arg), `statement` the statement that
    binds it (None for parameters), `value` the expression assigned when there is a
    single one (the right-hand side; None for unpacking, loops, parameters, ...).
    `fact` is what the name holds right after this binding, and `tensor_region` is True
    when the binding sits under control flow that may run as TensorFlow control flow
    (its value may then turn into a tensor after that statement).
    """

    name: str
    target: ast.AST
    statement: ast.stmt | None
    value: ast.expr | None
    fact: Fact
    tensor_region: bool = False


# --------------------------------------------------------------------------------------
# Bindings


class _BindingCollector:
    """Walks a scope's statements and records every binding with its current Fact."""

    def __init__(self, facts: TensorFacts) -> None:
        self.facts = facts
        # Most scopes have no `:=`; then no statement needs searching for one.
        self.has_walrus = any(isinstance(node, ast.NamedExpr) for node in facts.scope.nodes())
        # Names a `global`/`nonlocal` (here or in a nested function) may rebind behind
        # the walk's back: never narrowed.
        self.unnarrowable = _global_names(facts.scope.node)
        self._assigned: dict[ast.stmt, frozenset[str]] = {}

    def collect(self) -> None:
        self._parameters()
        node = self.facts.scope.node
        if isinstance(node, ast.FunctionDef):  # a lambda binds nothing but its parameters
            self._block(node.body, False)

    # -- flow: what a name is at the statement being walked ------------------------------

    def _forget(self, statements: Iterable[ast.stmt]) -> None:
        """Names the statements may bind no longer have a narrowed Fact."""
        flow = self.facts._flow
        for statement in statements:
            names = self._assigned.get(statement)
            if names is None:
                names = self._assigned[statement] = frozenset(_stored_names(statement))
            for name in names:
                flow.pop(name, None)

    def _record(self, *expressions: ast.expr | None) -> None:
        """In the final walk, keep what each read of a local name is here."""
        facts = self.facts
        if facts._solving or not facts._flow:
            return
        flow, at = facts._flow, facts._flow_at
        todo: list[ast.AST] = [e for e in expressions if e is not None]
        while todo:
            node = todo.pop()
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Load) and node.id in flow:
                    at[node] = flow[node.id]
                continue
            if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                continue  # run later, or bind names of their own
            todo.extend(children(node))

    def _certainly_graph_loop(self, loop: ast.For | ast.AsyncFor | ast.While) -> bool:
        """AutoGraph certainly runs this loop as a TensorFlow loop."""
        facts = self.facts
        if not facts.scope.autograph or isinstance(loop, ast.AsyncFor):
            return False
        try:
            if isinstance(loop, ast.While):
                return facts.of(loop.test).is_tensor
            iterated = loop.iter
            if isinstance(iterated, ast.Call) and facts.resolve(iterated.func) == "builtins.range":
                return any(facts.of(a).is_tensor for a in iterated.args)
            fact = facts.of(iterated)
        except _Pending:
            return False
        return fact.is_tensor or fact.pytype == DATASET

    def _loop_variables(self, loop: ast.For | ast.AsyncFor | ast.While, before: dict[str, Fact]) -> None:
        """After a TensorFlow loop, the names it carries are tensors: a Python number
        updated with a tensor inside the loop is a tensor from there on."""
        facts = self.facts
        within: dict[str, list[Fact]] = {}
        for name in self._assigned.get(loop, frozenset()):
            within[name] = [
                b.fact for b in facts._bindings.get(name, ()) if b.statement is not loop and _inside(b.target, loop)
            ]
        for name, values in within.items():
            start = before.get(name)
            if start is None or name in self.unnarrowable or not values:
                continue
            if not (start.is_tensor or start.is_python("int", "float", "bool")):
                continue
            if not all(v.is_tensor for v in values):
                continue
            dtypes = {v.dtype for v in values} | ({start.dtype} if start.is_tensor else set())
            shapes = {v.shape for v in values} | ({start.shape} if start.is_tensor else {SCALAR})
            facts._flow[name] = tensor(
                dtypes.pop() if len(dtypes) == 1 else None, shapes.pop() if len(shapes) == 1 else None
            )

    def _branches(self, blocks: list[list[ast.stmt]], region: bool, statement: ast.stmt) -> None:
        """Walk alternative blocks from the same Facts; after them a name keeps a narrowed
        Fact only when every block ends with one (their join)."""
        facts = self.facts
        start = dict(facts._flow)
        ends: list[dict[str, Fact]] = []
        for block in blocks:
            facts._flow = dict(start)
            self._block(block, region)
            if not (block and isinstance(block[-1], (ast.Return, ast.Raise, ast.Break, ast.Continue))):
                ends.append(facts._flow)  # a block that jumps away does not reach what follows
        facts._flow = start
        self._forget([statement])
        for name in set(ends[0]).intersection(*ends[1:]) if ends else ():
            joined = ends[0][name]
            for end in ends[1:]:
                joined = joined.join(end[name])
            if name not in self.unnarrowable:
                facts._flow[name] = joined

    def _parameters(self) -> None:
        facts = self.facts
        node = facts.scope.node
        args = node.args
        on_entry = parameter_facts(facts.scope, facts.imports, facts._self_name, facts.evidence)
        for parameter in args.posonlyargs + args.args + args.kwonlyargs:
            facts._add_binding(Binding(parameter.arg, parameter, None, None, on_entry[parameter.arg]))
        for starred in (args.vararg, args.kwarg):
            if starred is not None:
                pytype = "tuple" if starred is args.vararg else "dict"
                facts._add_binding(Binding(starred.arg, starred, None, None, python(pytype)))

    def _block(self, body: list[ast.stmt], region: bool) -> None:
        for statement in body:
            self._statement(statement, region)

    def _fact(self, node: ast.expr) -> Fact:
        """facts.of(node), or "nothing yet" when it reads a name without a Fact."""
        try:
            return self.facts.of(node)
        except _Pending:
            return _BOTTOM

    def _may_be_tensor(self, node: ast.expr) -> bool:
        fact = self._fact(node)
        return fact is not _BOTTOM and fact.kind is not Kind.PYTHON

    def _statement(self, node: ast.stmt, region: bool) -> None:
        facts = self.facts
        if not isinstance(node, (ast.For, ast.AsyncFor, ast.While, ast.If, ast.Try, ast.TryStar, ast.Match)):
            self._record(*_expressions_of(node))
        if isinstance(node, ast.Assign):
            value = self._fact(node.value)
            for target in node.targets:
                self._bind_target(target, node, node.value, value, region)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            self._bind_target(node.target, node, node.value, self._fact(node.value), region)
        elif isinstance(node, ast.AugAssign):
            if isinstance(node.target, ast.Name):
                current, value = self._fact(node.target), self._fact(node.value)
                result = _BOTTOM if _BOTTOM in (current, value) else binary_fact(current, value, node.op)
                self._bind(node.target, node, None, result, region)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self._record(node.iter)
            tensor_loop = self._iterates_tensor(node.iter)
            try:
                element = self._element(node.iter)
            except _Pending:
                element = _BOTTOM
            before = dict(facts._flow)
            self._forget([node])  # the body runs again after rebinding anything
            self._bind_target(node.target, node, None, element, region or tensor_loop)
            self._block(node.body, region or tensor_loop)
            self._forget([node])
            self._block(node.orelse, region or tensor_loop)
            self._forget([node])
            if self._certainly_graph_loop(node):
                self._loop_variables(node, before)
        elif isinstance(node, ast.While):
            before = dict(facts._flow)
            self._forget([node])
            self._record(node.test)
            tensor_loop = self._may_be_tensor(node.test) or _has_tensor_break(node, self)
            self._block(node.body, region or tensor_loop)
            self._forget([node])
            self._block(node.orelse, region or tensor_loop)
            self._forget([node])
            if self._certainly_graph_loop(node):
                self._loop_variables(node, before)
        elif isinstance(node, ast.If):
            self._record(node.test)
            tensor_if = self._may_be_tensor(node.test)
            self._branches([node.body, node.orelse], region or tensor_if, node)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                if item.optional_vars is not None:
                    self._bind_target(item.optional_vars, node, None, UNKNOWN, region)
            self._block(node.body, region)
            # A context manager may suppress an exception anywhere in the body: after it,
            # a name the body binds may hold any of its values (or the one before).
            self._forget([node])
        elif isinstance(node, (ast.Try, ast.TryStar)):
            # A handler or `finally` may start anywhere in the body: nothing the
            # statement binds is narrowed inside it or after it.
            self._forget([node])
            self._block(node.body, region)
            self._forget([node])
            for handler in node.handlers:
                if handler.name:
                    facts._add_binding(Binding(handler.name, handler, node, None, UNKNOWN, region))
                self._block(handler.body, region)
            self._block(node.orelse, region)  # type: ignore[attr-defined]
            self._forget([node])
            self._block(node.finalbody, region)  # type: ignore[attr-defined]
            self._forget([node])
        elif isinstance(node, ast.Match):
            self._record(node.subject)
            self._forget([node])
            for case in node.cases:
                for child in walk(case.pattern):
                    name = getattr(child, "name", None) or getattr(child, "rest", None)
                    if isinstance(name, str):
                        facts._add_binding(Binding(name, child, node, None, UNKNOWN, True))
                self._block(case.body, True)
                self._forget([node])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            facts._add_binding(Binding(node.name, node, node, None, python("function"), region))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                name = (alias.asname or alias.name).split(".")[0]
                facts._add_binding(Binding(name, node, node, None, python("module"), region))
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                facts._add_binding(Binding(name, node, node, None, UNKNOWN, region))
        # Walrus targets bind in this scope too, wherever they sit.
        if self.has_walrus and not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for child in _expressions_of(node):
                for walrus in _walruses(child):
                    self._bind(walrus.target, node, walrus.value, self._fact(walrus.value), region)
                    facts._flow.pop(walrus.target.id, None)  # bound somewhere inside the statement

    def _bind_target(
        self, target: ast.expr, statement: ast.stmt, value_node: ast.expr | None, value: Fact, region: bool
    ) -> None:
        if isinstance(target, ast.Name):
            self._bind(target, statement, value_node, value, region)
        elif isinstance(target, (ast.Tuple, ast.List)):
            elements: list[ast.expr] | None = None
            if (
                isinstance(value_node, (ast.Tuple, ast.List))
                and len(value_node.elts) == len(target.elts)
                and not any(isinstance(e, ast.Starred) for e in value_node.elts + target.elts)
            ):
                elements = value_node.elts
            for position, element in enumerate(target.elts):
                if isinstance(element, ast.Starred):
                    self._bind_target(element.value, statement, None, python("list"), region)
                elif elements is not None:
                    self._bind_target(element, statement, elements[position], self._fact(elements[position]), region)
                elif value is _BOTTOM:
                    self._bind_target(element, statement, None, _BOTTOM, region)
                elif value.is_tensor_or_probably:
                    # Unpacking a tensor iterates over its first dimension.
                    self._bind_target(element, statement, None, probably(tensor(value.dtype), value), region)
                else:
                    self._bind_target(element, statement, None, UNKNOWN, region)
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value, statement, None, python("list"), region)

    def _bind(
        self, target: ast.Name, statement: ast.stmt, value_node: ast.expr | None, value: Fact, region: bool
    ) -> None:
        if region and value is not _BOTTOM:
            # Under TensorFlow control flow the name may leave the block as a tensor.
            converted = _as_tensor(value)
            value = value if converted == value else value.join(converted)
        self.facts._add_binding(Binding(target.id, target, statement, value_node, value, region))

    def _iterates_tensor(self, iterable: ast.expr) -> bool:
        """True when `for ... in iterable` may become a TensorFlow loop."""
        facts = self.facts
        if isinstance(iterable, ast.Call) and facts.resolve(iterable.func) == "builtins.range":
            return any(self._may_be_tensor(a) for a in iterable.args)
        return self._may_be_tensor(iterable)

    def _element(self, iterable: ast.expr) -> Fact:
        """The Fact of one element of `iterable` (a loop target)."""
        facts = self.facts
        if (
            isinstance(iterable, ast.Call)
            and facts.resolve(iterable.func) == "builtins.reversed"
            and len(iterable.args) == 1
            and isinstance(iterable.args[0], ast.Call)
            and facts.resolve(iterable.args[0].func) == "builtins.range"
        ):
            # Python ints backwards; `reversed` has no tensor overload.
            element = self._element(iterable.args[0])
            return element if element.is_python("int") else UNKNOWN
        if isinstance(iterable, ast.Call) and facts.resolve(iterable.func) == "builtins.range":
            bounds = [facts.of(a) for a in iterable.args]
            if all(b.kind is Kind.PYTHON and b.pytype in ("int", "bool") for b in bounds):
                return python("int")  # (or a TypeError for a None bound)
            if any(b.is_tensor for b in bounds) and all(b.is_tensor or b.is_python("int") for b in bounds):
                dtypes = {b.dtype for b in bounds if b.is_tensor}
                return tensor(dtypes.pop() if len(dtypes) == 1 else None, SCALAR)
            return UNKNOWN
        fact = facts.of(iterable)
        if fact.pytype == DATASET:
            return tensor()  # an element of a dataset: a tensor (or a structure of them)
        if fact.is_tensor_or_probably:
            if isinstance(iterable, ast.Call) and facts.tf_name(iterable.func) == "range":
                return tensor(fact.dtype, SCALAR)
            shape = fact.shape[1:] if isinstance(fact.shape, tuple) and fact.shape else None
            return probably(tensor(fact.dtype, shape), fact)
        if isinstance(iterable, (ast.List, ast.Tuple)) and iterable.elts:
            element = _BOTTOM
            for item in iterable.elts:
                element = element.join(facts.of(item))
            return UNKNOWN if element is _BOTTOM else element
        if fact.is_python("str"):
            return python("str")
        return UNKNOWN


def _inside(node: ast.AST, outer: ast.AST) -> bool:
    """`node` lies within `outer`'s source range (both carry positions)."""
    start = (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))
    end = (getattr(node, "end_lineno", 0), getattr(node, "end_col_offset", 0))
    return (outer.lineno, outer.col_offset) <= start and end <= (outer.end_lineno, outer.end_col_offset)  # type: ignore[attr-defined,operator]


def _global_names(function: ast.FunctionDef | ast.Lambda) -> frozenset[str]:
    """Names declared `global`/`nonlocal` in a function or any function nested in it."""
    # Statements only: expressions hold neither (a lambda body is an expression).
    found: set[str] = set()
    todo: list[ast.stmt] = list(function.body) if isinstance(function, ast.FunctionDef) else []
    while todo:
        statement = todo.pop()
        if isinstance(statement, (ast.Global, ast.Nonlocal)):
            found.update(statement.names)
            continue
        for field_name in ("body", "orelse", "finalbody"):
            block = getattr(statement, field_name, None)
            if isinstance(block, list):
                todo.extend(child for child in block if isinstance(child, ast.stmt))
        for handler in getattr(statement, "handlers", ()) or ():
            todo.extend(handler.body)
        for case in getattr(statement, "cases", ()) or ():
            todo.extend(case.body)
    return frozenset(found)


def _stored_names(statement: ast.stmt) -> Iterator[str]:
    """Every name a statement may bind in its scope (nested function bodies excluded)."""
    todo: list[ast.AST] = [statement]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            yield node.id
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name
            todo.extend(node.decorator_list)
            continue
        elif isinstance(node, ast.Lambda):
            continue
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                yield (alias.asname or alias.name).split(".")[0]
        elif isinstance(node, ast.ExceptHandler) and node.name:
            yield node.name
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            yield node.name
        elif isinstance(node, ast.MatchMapping) and node.rest:
            yield node.rest
        todo.extend(children(node))


def parameter_facts(
    scope: GraphScope, imports: ImportTable, self_name: str | None, evidence: Callable[[str], Evidence | None]
) -> dict[str, Fact]:
    """What each named parameter holds on entry: its evidence, else its input_signature
    spec, else UNKNOWN. Whatever the argument is, its static shape is the same all
    through the body (a SymbolicShape named after the parameter)."""
    node = scope.node
    args = node.args
    positional = args.posonlyargs + args.args
    specs = _signature_specs(scope.input_signature, imports)
    skip = 1 if self_name is not None or _is_classmethod(node) else 0
    facts: dict[str, Fact] = {}
    for index, parameter in enumerate(positional + args.kwonlyargs):
        fact = Fact(Kind.UNKNOWN, shape=SymbolicShape(parameter.arg))
        spec = None
        if specs is not None and skip <= index < len(positional) and index - skip < len(specs):
            spec = specs[index - skip]
        if spec is not None:
            dtype, dims = spec
            fact = tensor(dtype, dims if dims is not None else SymbolicShape(parameter.arg))
        known = evidence(parameter.arg)
        facts[parameter.arg] = known.fact if known is not None else fact
    return facts


def never_rebound(scope: GraphScope) -> frozenset[str]:
    """The named parameters that nothing in the scope binds again (no assignment, loop or
    `with` target, `del`, `:=`, or `global`/`nonlocal` in it or a function nested in it):
    every read of one holds the value the parameter got on entry."""
    args = scope.node.args
    names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    for node in scope.nodes():
        if type(node) is ast.Name and type(node.ctx) is not ast.Load:
            names.discard(node.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.discard(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.difference_update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
            names.discard(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names.discard(node.rest)
    if isinstance(scope.node, ast.FunctionDef):
        # `scope.nodes()` leaves out the functions and classes defined in the body.
        names.difference_update(
            s.name for s in statements(scope.node, nested=False) if isinstance(s, _DEFINITION_STATEMENTS)
        )
    return frozenset(names - _global_names(scope.node))


_DEFINITION_STATEMENTS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _is_classmethod(node: ast.FunctionDef | ast.Lambda) -> bool:
    return isinstance(node, ast.FunctionDef) and any(
        isinstance(d, ast.Name) and d.id == "classmethod" for d in node.decorator_list
    )


def _has_tensor_break(loop: ast.While, collector: _BindingCollector) -> bool:
    """A `break`/`return` under an `if` whose test may be a tensor, in `loop`'s own body."""
    for node in _own_loop_body(loop.body):
        if isinstance(node, ast.If) and collector._may_be_tensor(node.test):
            if any(isinstance(n, (ast.Break, ast.Return)) for n in _own_loop_body(node.body + node.orelse)):
                return True
    return False


def _own_loop_body(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements of a loop body, not entering nested loops or functions."""
    todo = list(body)
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for name in ("body", "orelse", "finalbody"):
            todo.extend(getattr(node, name, []) or [])
        for handler in getattr(node, "handlers", []) or []:
            todo.extend(handler.body)


def _expressions_of(node: ast.stmt) -> Iterator[ast.expr]:
    """The expressions that are direct parts of a statement (not of nested statements)."""
    for field_name, value in ast.iter_fields(node):
        if field_name in ("body", "orelse", "finalbody", "handlers", "cases"):
            continue
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, ast.expr):
                yield item
            elif isinstance(item, ast.withitem):
                yield item.context_expr


def _walruses(node: ast.expr) -> Iterator[ast.NamedExpr]:
    todo: list[ast.AST] = [node]
    while todo:
        current = todo.pop()
        if isinstance(current, ast.NamedExpr) and isinstance(current.target, ast.Name):
            yield current
        if isinstance(current, ast.Lambda):
            continue
        todo.extend(children(current))


def _signature_specs(
    signature: ast.expr | None, imports: ImportTable
) -> list[tuple[str | None, Dims | None] | None] | None:
    """(dtype, dims) per positional parameter from an `input_signature` list literal."""
    if not isinstance(signature, (ast.List, ast.Tuple)):
        return None
    specs: list[tuple[str | None, Dims | None] | None] = []
    for element in signature.elts:
        if not (isinstance(element, ast.Call) and _tf_name(imports.resolve(element.func)) == "TensorSpec"):
            specs.append(None)
            continue
        keywords = {k.arg: k.value for k in element.keywords}
        shape = keywords.get("shape", element.args[0] if element.args else None)
        dtype_node = keywords.get("dtype", element.args[1] if len(element.args) > 1 else None)
        dtype = "float32" if dtype_node is None else dtype_named(dtype_node, imports)
        specs.append((dtype, _static_dims(shape)))
    return specs


def _static_dims(node: ast.expr | None) -> Dims | None:
    if isinstance(node, (ast.List, ast.Tuple)):
        dims: list[int | None] = []
        for element in node.elts:
            if isinstance(element, ast.Constant) and (element.value is None or type(element.value) is int):
                dims.append(element.value)
            else:
                dims.append(None)
        return tuple(dims)
    return None
