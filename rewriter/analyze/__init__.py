"""Facts about one module that every rule shares, computed once per parse."""

from __future__ import annotations

import ast
from functools import cached_property

from rewriter.analyze.evidence import build_tensor_facts
from rewriter.analyze.imports import ImportTable
from rewriter.analyze.nodes import walk_with_parents
from rewriter.analyze.scopes import GraphScope, find_graph_scopes
from rewriter.analyze.tensors import Fact, TensorFacts, module_constants
from rewriter.edits import ImportRequest
from rewriter.settings import Settings
from rewriter.source import LineIndex
from rewriter.trace.evidence import ModuleTraces, TraceFileError, load_index, module_traces


class ModuleAnalysis:
    """A parsed module plus the shared analyses rules read (imports, graph scopes, ...)."""

    def __init__(self, text: str, tree: ast.Module, settings: Settings, filename: str = "<string>") -> None:
        self.text = text
        self.tree = tree
        self.settings = settings
        self.filename = filename
        self.lines = LineIndex(text)
        self.imports = ImportTable.from_module(tree)

    @cached_property
    def graph_scopes(self) -> list[GraphScope]:
        recorded = {
            node: traced.autograph
            for node, traced in self.traced.functions.items()
            if isinstance(node, ast.FunctionDef)  # async functions are never traced
        }
        return find_graph_scopes(self.tree, self.imports, self.lines, self.settings.graph_decorators, recorded)

    @cached_property
    def nodes(self) -> list[ast.AST]:
        """Every node of the tree, in `ast.walk`'s order (walked once for all rules)."""
        return self._walked[0]

    @cached_property
    def parents(self) -> dict[ast.AST, ast.AST]:
        """Each node's parent, as `{child: parent for parent in ast.walk(tree) for child in
        ast.iter_child_nodes(parent)}` gives it."""
        return self._walked[1]

    @cached_property
    def _walked(self) -> tuple[list[ast.AST], dict[ast.AST, ast.AST]]:
        return walk_with_parents(self.tree)

    @cached_property
    def traced(self) -> ModuleTraces:
        """This module's functions that a recorded run saw traced (`tfrewrite trace`)."""
        settings = self.settings
        if settings.trace_file is None or settings.trace_root is None:
            return ModuleTraces({}, 0)
        try:
            index = load_index(settings.trace_file, settings.trace_root)
        except TraceFileError:
            return ModuleTraces({}, 0)  # the command line said so once already
        return module_traces(index, self.filename, self.tree, self.text.splitlines(keepends=True))

    @cached_property
    def constants(self) -> dict[str, Fact]:
        """Module-level names bound once to a literal (`STEPS = 1000`)."""
        return module_constants(self.tree, self.text)

    def tensors(self, scope: GraphScope) -> TensorFacts:
        """Tensor-ness of the names and expressions of `scope` (built once, then cached)."""
        cache: dict[ast.FunctionDef | ast.Lambda, TensorFacts] = self.__dict__.setdefault("_tensor_facts", {})
        facts = cache.get(scope.node)
        if facts is None:
            facts = cache[scope.node] = build_tensor_facts(self, scope)
        return facts

    def module_name(
        self, module: str, preferred: str, scope: GraphScope | None = None, also: tuple[str, ...] = ()
    ) -> tuple[str, tuple[ImportRequest, ...]] | None:
        """A name that refers to `module` inside `scope`, importing it when needed.

        `also` lists modules that serve equally (`tensorflow.compat.v2` for tensorflow).
        None when every candidate name is taken by something else (the fix must bail).
        """
        local = scope.local_names if scope is not None else frozenset()
        alias = self.imports.alias_of(module, *also)
        if alias is not None and alias not in local:
            return alias, ()
        if self.imports.binds(preferred) or preferred in local:
            return None
        return preferred, (ImportRequest(module, preferred),)

    def tensorflow_name(self, scope: GraphScope | None = None) -> tuple[str, tuple[ImportRequest, ...]] | None:
        return self.module_name("tensorflow", "tf", scope, also=("tensorflow.compat.v2",))
