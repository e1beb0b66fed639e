"""Tensor-ness of names and expressions inside one graph scope.

The analysis is split in four: the fact lattice (`lattice`), the expression evaluator
(`evaluator`), the binding solver (`solver`) and the parameter evidence (`evidence`),
with TensorFlow's API in one table (`tf_api`). This module ties them together.

Rules ask `module.tensors(scope)` (built once per scope and cached) what a value is:

    facts = module.tensors(scope)
    facts.of(expr)          # Fact of an expression of the scope's body
    facts.name("x")         # Fact of a local name, joined over all its bindings
    facts.bindings("x")     # every binding of a local name, each with its own Fact

A `Fact` says whether a value is a TENSOR, a PYTHON value (with its type when known:
"int", "float", "bool", "str", "list", "tuple", "dict", "TensorShape", "numpy", ...),
PROBABLY_TENSOR (a tensor on an assumption that `Fact.assumes` names) or UNKNOWN, plus a
static dtype ("float32", "int32", ...) and a small static shape when they are known.

Parameters get their Facts from `rewriter.analyze.evidence` (input_signature, role,
annotation, call sites, defaults); that module's docstring documents the lattice and
its joins. A parameter nothing speaks about is PROBABLY_TENSOR, and so is what is
computed from it with Python operators (`x * 2`, `x[i]`, `x > 0`); a TensorFlow op's
result is a tensor whatever its arguments are.

`facts.name(x)` is the join of everything any binding of `x` may hold, so `s = 0`
followed by `s += tf.constant(1)` makes `s` UNKNOWN. A read of `x` (`facts.of(node)`)
is flow-sensitive: it gets the Fact of the last binding when no branch, loop or `try`
may have rebound `x` since, so after `x = tf.cast(x, tf.float32)` it is a float32 tensor.
It knows AutoGraph's conversions: a name assigned under an `if`/`while`/`for` that may
run as TensorFlow control flow may become a tensor after it, and `range(tensor)` loops
bind tensors. Whatever it cannot prove is UNKNOWN or PROBABLY_TENSOR, so `is_tensor` and
`is_python()` are both safe to rely on (neither is the negation of the other), and
`is_unknown` is True for both of the unproven kinds.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from rewriter.analyze import tf_api
from rewriter.analyze.evaluator import Evaluator, _Pending
from rewriter.analyze.imports import ImportTable
from rewriter.analyze.lattice import (
    _BOTTOM,
    _DEFAULT_DTYPE,
    DATASET,
    DATASET_METHODS,
    SCALAR,
    UNKNOWN,
    Dims,
    Fact,
    Kind,
    SymbolicShape,
    _tf_name,
    assumption_message,
    binary_fact,
    broadcast,
    dtype_named,
    is_float_dtype,
    probably,
    probably_tensor,
    python,
    static_shape,
    tensor,
)
from rewriter.analyze.nodes import children, walk
from rewriter.analyze.scopes import GraphScope
from rewriter.analyze.solver import Binding, _BindingCollector, _signature_specs
from rewriter.analyze.syntax import self_parameter
from rewriter.analyze.tf_api import Returns

if TYPE_CHECKING:
    from rewriter.analyze.evidence import Evidence

# TensorFlow functions by what they return (for rules): see `rewriter.analyze.tf_api`.
ELEMENTWISE = tf_api.names(Returns.ELEMENTWISE)
COMPARISONS = frozenset(name for name, op in tf_api.OPS.items() if op.returns is Returns.FIXED and op.dtype == "bool")

__all__ = [
    "COMPARISONS",
    "DATASET",
    "DATASET_METHODS",
    "ELEMENTWISE",
    "SCALAR",
    "UNKNOWN",
    "Binding",
    "Dims",
    "Fact",
    "Kind",
    "SymbolicShape",
    "TensorFacts",
    "_Pending",
    "_literal_fact",
    "_signature_specs",
    "_tf_name",
    "assumption_message",
    "binary_fact",
    "broadcast",
    "dtype_named",
    "instance_attributes",
    "is_float_dtype",
    "iter_loads",
    "module_constants",
    "probably",
    "probably_tensor",
    "python",
    "static_shape",
    "tensor",
]


class TensorFacts(Evaluator):
    """Facts for one graph scope; build with `build_tensor_facts` (or `module.tensors`)."""

    def __init__(
        self,
        scope: GraphScope,
        imports: ImportTable,
        constants: dict[str, Fact] | None = None,
        attributes: Mapping[str, Fact] | None = None,
        evidence: dict[str, Evidence] | None = None,
    ) -> None:
        self.scope = scope
        self.imports = imports
        # What each parameter is (see `rewriter.analyze.evidence`); without it, only an
        # input_signature says anything and the rest are UNKNOWN.
        self._evidence = evidence
        self._constants = constants or {}
        self._attributes = attributes if attributes is not None else {}
        self._self_name = self_parameter(scope)
        self._self_rebound = self._self_name is not None and any(
            isinstance(n, ast.Name) and n.id == self._self_name and not isinstance(n.ctx, ast.Load)
            for n in scope.nodes()
        )
        self._solving = True
        # Flow-sensitive facts: while bindings are collected, `_flow` holds what each
        # name certainly is at the statement being walked (the Fact of its last binding
        # when no branch or loop may have rebound it since); `_flow_at` keeps that for
        # every read of the final walk, which `of()` then answers from.
        self._collecting = False
        self._flow: dict[str, Fact] = {}
        self._flow_at: dict[ast.Name, Fact] = {}
        self._names: dict[str, Fact] = {}
        self._bindings: dict[str, list[Binding]] = {}
        self._memo: dict[ast.expr, Fact] = {}  # keyed by node identity
        collector = _BindingCollector(self)
        self._unnarrowable = collector.unnarrowable
        self._solve(collector)

    # -- queries ------------------------------------------------------------------------
    def name(self, name: str) -> Fact:
        """What a name read in this scope may hold (locals joined over all bindings)."""
        if name in self.scope.local_names:
            fact = self._names.get(name, _BOTTOM)
            return UNKNOWN if fact is _BOTTOM else fact
        return self._global(name)

    def evidence(self, name: str) -> Evidence | None:
        """What is known about a parameter, and from where (None: not a parameter, or
        the Facts were built without evidence)."""
        return self._evidence.get(name) if self._evidence is not None else None

    def bindings(self, name: str) -> tuple[Binding, ...]:
        """Every binding of a local name in source order (parameters first)."""
        return tuple(self._bindings.get(name, ()))

    def dtype(self, node: ast.expr) -> str | None:
        fact = self.of(node)
        return fact.dtype if fact.kind is Kind.TENSOR else None

    def is_tensor(self, node: ast.expr) -> bool:
        return self.of(node).is_tensor

    def is_python(self, node: ast.expr, *types: str) -> bool:
        return self.of(node).is_python(*types)

    # -- fixpoint over bindings ---------------------------------------------------------

    def _solve(self, collector: _BindingCollector) -> None:
        """Evaluate every binding until no name's Fact changes.

        Names start with no Fact; a binding that reads such a name contributes nothing
        yet. Facts only grow (join), so this settles; a cap guards against surprises.
        A last round reads names still without a Fact (only cyclic, never-grounded ones)
        as UNKNOWN, so every binding is listed with a Fact. The collector links back to
        these facts, so it is not kept: the facts are then freed without the garbage
        collector's help.
        """
        self._names = {}
        for _ in range(12):
            if not self._collect_round(collector):
                break
        else:  # did not settle: give up on everything
            self._names = {n: UNKNOWN for n in self._names}
        self._solving = False
        self._collect_round(collector)
        self._memo = {}

    def _collect_round(self, collector: _BindingCollector) -> bool:
        """One evaluation of every binding; True when some name's Fact grew."""
        self._memo = {}
        self._bindings = {}
        self._flow = {}
        self._collecting = True
        try:
            collector.collect()
        finally:
            self._collecting = False
            self._flow = {}
        changed = False
        for name, bindings in self._bindings.items():
            fact = self._names.get(name, _BOTTOM)
            for binding in bindings:
                fact = fact.join(binding.fact)
            if not self._solving and fact is _BOTTOM:
                fact = UNKNOWN
            if fact != self._names.get(name, _BOTTOM):
                self._names[name] = fact
                changed = True
        return changed

    def _add_binding(self, binding: Binding) -> None:
        self._bindings.setdefault(binding.name, []).append(binding)
        if binding.name not in self._unnarrowable:
            self._flow[binding.name] = binding.fact


# --------------------------------------------------------------------------------------
# Module-level facts


def module_constants(tree: ast.Module, text: str | None = None) -> dict[str, Fact]:
    """Module-level names bound exactly once, at top level, to a literal number/str/bool.

    Only a `global` statement lets a function rebind a module-level name, so without the
    word `global` in `text` only module-level statements need counting (not every
    function body: this runs on every file with graph code).
    """
    values: dict[str, Fact] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = _literal_fact(node.value)
            if value is not None:
                values[node.targets[0].id] = value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            value = _literal_fact(node.value)
            if value is not None:
                values[node.target.id] = value
    if not values:
        return {}
    counts: dict[str, int] = {}
    everywhere = text is None or _GLOBAL_STATEMENT.search(text) is not None
    for found in walk(tree) if everywhere else _module_level_nodes(tree):
        if isinstance(found, ast.Name) and isinstance(found.ctx, (ast.Store, ast.Del)):
            counts[found.id] = counts.get(found.id, 0) + 1
        elif isinstance(found, (ast.Global, ast.Nonlocal)):
            for name in found.names:
                counts[name] = counts.get(name, 0) + 2
        elif isinstance(found, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            counts[found.name] = counts.get(found.name, 0) + 2
        elif isinstance(found, (ast.Import, ast.ImportFrom)):
            for alias in found.names:
                bound = (alias.asname or alias.name).split(".")[0]
                counts[bound] = counts.get(bound, 0) + 2
    return {name: fact for name, fact in values.items() if counts.get(name) == 1}


_GLOBAL_STATEMENT = re.compile(r"\bglobal\b")


def _module_level_nodes(tree: ast.Module) -> Iterator[ast.AST]:
    """Every node that runs at module level: not the bodies of functions and classes."""
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        todo.extend(children(node))


def _literal_fact(node: ast.expr) -> Fact | None:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Constant):
        inner = _literal_fact(node.operand)
        if inner is not None and inner.pytype in ("int", "float"):
            return python(inner.pytype, -inner.value)  # type: ignore[operator]
        return None
    if isinstance(node, ast.Constant):
        value = node.value
        for pytype in (bool, int, float, str):
            if type(value) is pytype:
                return python(pytype.__name__, value)
    return None


def instance_attributes(
    klass: ast.ClassDef, imports: ImportTable, arguments: Mapping[str, Fact] | None = None
) -> Mapping[str, Fact]:
    """`self.<attr>` Facts that are obvious: bound once in the class, in `__init__`.

    A literal gives a PYTHON value, a list or tuple display (or comprehension) a PYTHON
    list/tuple, `tf.Variable(...)` a variable tensor, a parameter of `__init__` the Fact
    in `arguments` (the literal every instantiation passes for it). Anything else, or an
    attribute assigned anywhere else in the class (or deleted, or augmented), stays UNKNOWN.
    """
    assigned: dict[str, list[tuple[ast.FunctionDef, ast.expr | None]]] = {}
    for method in klass.body:
        if not isinstance(method, ast.FunctionDef):
            continue
        params = method.args.posonlyargs + method.args.args
        if not params:
            continue
        self_name = params[0].arg
        for node in walk(method):
            targets: list[tuple[ast.expr, ast.expr | None]] = []
            if isinstance(node, ast.Assign):
                targets = [(t, node.value if len(node.targets) == 1 else None) for t in node.targets]
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets = [(node.target, None)]
            elif isinstance(node, ast.Delete):
                targets = [(t, None) for t in node.targets]
            elif isinstance(node, (ast.For, ast.With, ast.comprehension)):
                store = node.target if not isinstance(node, ast.With) else None
                targets = [(store, None)] if store is not None else []
            for target, value in targets:
                for inner in walk(target):
                    if (
                        isinstance(inner, ast.Attribute)
                        and isinstance(inner.value, ast.Name)
                        and inner.value.id == self_name
                    ):
                        assigned.setdefault(inner.attr, []).append((method, value if inner is target else None))
            # setattr(self, ...) makes every attribute uncertain.
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
                return {}
    facts: dict[str, Fact] = {}
    from_parameters: dict[str, str] = {}
    for attribute, sites in assigned.items():
        if len(sites) != 1:
            continue
        method, value = sites[0]
        if method.name != "__init__" or value is None:
            continue
        fact = _obvious_fact(value, imports)
        if fact is not None:
            facts[attribute] = fact
        elif isinstance(value, ast.Name) and arguments is not None:
            from_parameters[attribute] = value.id
    return _AttributeFacts(facts, from_parameters, arguments if arguments is not None else {})


class _AttributeFacts(Mapping[str, Fact]):
    """`instance_attributes`' answer. An attribute bound to a parameter of `__init__`
    asks `arguments` only when it is read: the answer may search the whole module for
    instantiations, which most graph methods never need."""

    def __init__(self, facts: dict[str, Fact], from_parameters: dict[str, str], arguments: Mapping[str, Fact]) -> None:
        self._facts, self._from_parameters, self._arguments = facts, from_parameters, arguments

    def __getitem__(self, attribute: str) -> Fact:
        fact = self._facts.get(attribute)
        if fact is None and attribute in self._from_parameters:
            fact = self._arguments.get(self._from_parameters[attribute])
        if fact is None:
            raise KeyError(attribute)
        return fact

    def __iter__(self) -> Iterator[str]:
        return (attribute for attribute in [*self._facts, *self._from_parameters] if attribute in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _obvious_fact(node: ast.expr, imports: ImportTable) -> Fact | None:
    literal = _literal_fact(node)
    if literal is not None:
        return literal
    if isinstance(node, (ast.List, ast.ListComp)):
        return python("list")
    if isinstance(node, ast.Tuple):
        return python("tuple")
    if isinstance(node, (ast.Dict, ast.DictComp)):
        return python("dict")
    if isinstance(node, ast.Call) and _tf_name(imports.resolve(node.func)) == "Variable":
        keywords = {k.arg: k.value for k in node.keywords}
        dtype = dtype_named(keywords.get("dtype"), imports)
        initial = keywords.get("initial_value", node.args[0] if node.args else None)
        if dtype is None and initial is not None:
            literal = _literal_fact(initial)
            if literal is not None:
                dtype = _DEFAULT_DTYPE.get(literal.pytype or "")
            elif isinstance(initial, ast.Call):
                inner = _tf_name(imports.resolve(initial.func))
                inner_keywords = {k.arg: k.value for k in initial.keywords}
                if inner in ("zeros", "ones", "random.normal", "random.uniform", "random.truncated_normal"):
                    dtype = dtype_named(inner_keywords.get("dtype"), imports) or (
                        "float32" if "dtype" not in inner_keywords else None
                    )
        return tensor(dtype, None, "tf.Variable")
    return None


def iter_loads(node: ast.AST, name: str) -> list[ast.Name]:
    """Every read of `name` under `node` (not inside nested functions or lambdas), in the
    order of a depth-first walk that visits the last child first."""
    return [load for load, _ in loads_and_parents(node, name)]


def loads_and_parents(node: ast.AST, name: str) -> list[tuple[ast.Name, ast.AST | None]]:
    """`iter_loads`, each read with its parent node (None for `node` itself), found
    without a parent map."""
    found: list[tuple[ast.Name, ast.AST | None]] = []
    todo: list[tuple[ast.AST, ast.AST | None]] = [(node, None)]
    pop, push = todo.pop, todo.append
    while todo:
        current, parent = pop()
        if type(current) is ast.Name:
            if current.id == name and type(current.ctx) is ast.Load:  # type: ignore[attr-defined]
                found.append((current, parent))  # type: ignore[arg-type]
            continue  # its only child is its context
        for field in current._fields:
            value = getattr(current, field, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, ast.AST) and type(item) not in _NOT_SEARCHED:
                        push((item, current))
            elif isinstance(value, ast.AST) and type(value) not in _NOT_SEARCHED:
                push((value, current))
    return found


# Nested scopes hold other names; contexts (`Load`, `Store`) hold nothing.
_NOT_SEARCHED = frozenset(
    {ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.Load, ast.Store, ast.Del}
)
