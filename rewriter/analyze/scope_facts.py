"""The facts of one graph scope that rules share: built once per scope and cached.

`module.scope_facts(scope)` gives them: the scope's tensor facts, the parent of each
node, the name of `self`, how often each name is bound, lazy guards, and which loops
certainly run as graph loops.

AutoGraph turns a loop into a graph loop (`tf.while_loop`) when what it iterates over is
a tensor or a dataset (`for i in tf.range(n)`, `for row in x`, `for b in ds`,
`range(tensor)`) or when a `while` condition is a tensor. A Python list can then no
longer collect values across iterations. Built on the scope's tensor facts
(`module.tensors(scope)`); whatever they cannot prove counts as "not a graph loop".
"""

from __future__ import annotations

import ast
import weakref
from collections import Counter
from functools import cached_property
from typing import TYPE_CHECKING

from rewriter.analyze.nodes import walk
from rewriter.analyze.scopes import GraphScope
from rewriter.analyze.syntax import binding_counts, parent_map, self_parameter
from rewriter.analyze.tensors import DATASET, DATASET_METHODS, Kind, TensorFacts

if TYPE_CHECKING:
    from rewriter.analyze import ModuleAnalysis

# What a Python value becomes when TensorFlow converts it without a dtype.
_CONVERTED = {"int": "int32", "float": "float32", "bool": "bool", "str": "string"}


class ScopeFacts:
    """Graph loops, element dtypes, parent links and bindings of one graph scope.

    Build with `module.scope_facts(scope)`, which caches it. The scope's tensor facts
    are built on first use (many scopes never need them).
    """

    def __init__(self, module: ModuleAnalysis, scope: GraphScope) -> None:
        # The module caches this object, so a strong link back would make a reference
        # cycle that keeps the whole syntax tree alive until the garbage collector runs.
        self._module = weakref.ref(module)
        self.scope = scope

    @property
    def module(self) -> ModuleAnalysis:
        module = self._module()
        assert module is not None, "scope facts used after their module analysis was freed"
        return module

    @cached_property
    def tensors(self) -> TensorFacts:
        return self.module.tensors(self.scope)

    @cached_property
    def parents(self) -> dict[ast.AST, ast.AST]:
        """The parent of each node of the scope (the function's own node included)."""
        return parent_map([self.scope.node, *self.scope.nodes()])

    @cached_property
    def self_name(self) -> str | None:
        """The name of `self` when the scope is a method."""
        return self_parameter(self.scope)

    @cached_property
    def _binding_counts(self) -> Counter[str]:
        return binding_counts(self.scope.node)

    def binding_count(self, name: str) -> int:
        """How many times the scope binds `name` (a `global` or `nonlocal` counts twice)."""
        return self._binding_counts[name]

    def dtype(self, expr: ast.expr) -> str | None:
        """The dtype `expr` has as a tensor (Python numbers as TensorFlow converts them)."""
        fact = self.tensors.of(expr)
        if fact.is_tensor:
            return fact.dtype
        if fact.kind is Kind.PYTHON and not fact.maybe_none:
            return fact.dtype if fact.pytype == "numpy" else _CONVERTED.get(fact.pytype or "")
        return None

    def is_public_tensor(self, expr: ast.expr) -> bool:
        """Certainly a tensor, not derived from TensorFlow's private modules (stricter
        than the tensor facts' `is_tensor`).

        `tensorflow.python.*` holds helpers that return Python values (`nest.flatten`,
        `is_ragged`) next to ops; the tensor facts cannot tell them apart, so values that
        come from there count as unknown.
        """
        return self.tensors.is_tensor(expr) and not self._from_private_tensorflow(expr, frozenset())

    def _from_private_tensorflow(self, expr: ast.AST, seen: frozenset[str]) -> bool:
        for node in walk(expr):
            if isinstance(node, ast.Call) and (self.tensors.resolve(node.func) or "").startswith("tensorflow.python."):
                return True
            if isinstance(node, ast.Name) and node.id in self.scope.local_names and node.id not in seen:
                for binding in self.tensors.bindings(node.id):
                    source = binding.value if binding.value is not None else binding.statement
                    if (
                        source is not None
                        and not isinstance(source, (ast.For, ast.While, ast.If, ast.With))
                        and self._from_private_tensorflow(source, seen | {node.id})
                    ):
                        return True
        return False

    def is_dataset(self, expr: ast.expr, _seen: frozenset[str] = frozenset()) -> bool:
        """A `tf.data` dataset built in this scope (or a chain of dataset methods on one),
        or a parameter that evidence says is one."""
        if self.tensors.of(expr).pytype == DATASET:
            return True
        if isinstance(expr, ast.Name):
            bindings = self.tensors.bindings(expr.id) if expr.id in self.scope.local_names else ()
            return (
                bool(bindings)
                and expr.id not in _seen
                and all(b.value is not None and self.is_dataset(b.value, _seen | {expr.id}) for b in bindings)
            )
        if isinstance(expr, ast.Call):
            name = self.tensors.tf_name(expr.func)
            if name is not None:
                return name.startswith("data.")
            func = expr.func
            return (
                isinstance(func, ast.Attribute) and func.attr in DATASET_METHODS and self.is_dataset(func.value, _seen)
            )
        return False

    def is_graph_loop(self, loop: ast.AST, assume_autograph: bool = False) -> bool:
        """True when AutoGraph certainly runs `loop` as a graph loop (or would, with
        `assume_autograph`, in a scope it does not convert)."""
        if not self.scope.autograph and not assume_autograph:
            return False
        if isinstance(loop, ast.While):
            return self.is_public_tensor(loop.test)
        if not isinstance(loop, ast.For):
            return False
        iterated = loop.iter
        if isinstance(iterated, ast.Call) and self.tensors.resolve(iterated.func) == "builtins.range":
            return any(self.is_public_tensor(a) for a in iterated.args)
        return self.is_public_tensor(iterated) or self.is_dataset(iterated)

    def graph_loop_assumption(self, loop: ast.AST) -> str | None:
        """What makes `loop` a graph loop when it is one only on an assumption: it
        iterates over (or tests) a value that is probably a tensor. None otherwise."""
        if not self.scope.autograph or self.is_graph_loop(loop):
            return None
        if isinstance(loop, ast.While):
            tested = [loop.test]
        elif isinstance(loop, ast.For):
            iterated = loop.iter
            range_call = isinstance(iterated, ast.Call) and self.tensors.resolve(iterated.func) == "builtins.range"
            tested = list(iterated.args) if range_call else [iterated]  # type: ignore[attr-defined]
        else:
            return None
        for expr in tested:
            fact = self.tensors.of(expr)
            if fact.is_probably_tensor:
                return fact.assumption
        return None

    def graph_loops_around(
        self, node: ast.AST, probable: bool = False, assume_autograph: bool = False
    ) -> list[ast.For | ast.While]:
        """The graph loops whose body (not `else`, not header) holds `node`, innermost first
        (with `probable`, also the loops that are graph loops on an assumption; with
        `assume_autograph`, the loops AutoGraph would run as graph loops in a scope it
        does not convert)."""
        found: list[ast.For | ast.While] = []
        child, parent = node, self.parents.get(node)
        while parent is not None:
            if (
                isinstance(parent, (ast.For, ast.While))
                and child in parent.body
                and (
                    self.is_graph_loop(parent, assume_autograph)
                    or (probable and self.graph_loop_assumption(parent) is not None)
                )
            ):
                found.append(parent)
            child, parent = parent, self.parents.get(parent)
        return found

    def lazily_guarded(self, node: ast.AST) -> bool:
        """Inside `if x is None:`, `if not hasattr(...)`, `if k not in d:`, `if not self.built:`.

        Such a guard makes a trace-time action happen once on purpose ("create on the
        first call"), so rules leave what it guards alone.
        """
        parent = self.parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.If) and _is_lazy_test(parent.test):
                return True
            parent = self.parents.get(parent)
        return False


def _is_lazy_test(test: ast.expr) -> bool:
    for node in walk(test):
        if isinstance(node, ast.Compare) and any(
            isinstance(op, (ast.Is, ast.IsNot, ast.In, ast.NotIn)) for op in node.ops
        ):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("hasattr", "getattr"):
            return True
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not) and isinstance(node.operand, ast.Attribute):
            return True
    return False
