"""Facts about one module that every rule shares, computed once per parse."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING

from rewriter.analyze.evidence import EvidenceCache, build_tensor_facts, scope_evidence
from rewriter.analyze.imports import ImportTable
from rewriter.analyze.nodes import parent_map, walk, walk_with_parents
from rewriter.analyze.scope_facts import ScopeFacts
from rewriter.analyze.scopes import GraphScope, find_graph_scopes
from rewriter.analyze.solver import never_rebound, parameter_facts
from rewriter.analyze.syntax import root_name, self_parameter
from rewriter.analyze.tensors import Fact, TensorFacts, module_constants
from rewriter.edits import ImportRequest
from rewriter.settings import Settings
from rewriter.source import LineIndex
from rewriter.trace.evidence import ModuleTraces, TraceFileError, load_index, module_traces

if TYPE_CHECKING:
    from rewriter.analyze.project import Incoming


class ModuleAnalysis:
    """A parsed module plus the shared analyses rules read (imports, graph scopes, ...)."""

    def __init__(
        self,
        text: str,
        tree: ast.Module,
        settings: Settings,
        filename: str = "<string>",
        incoming: Incoming | None = None,
        whole: ast.Module | None = None,
    ) -> None:
        self.text = text
        self.tree = tree
        # The module `tree` is a part of, when only some of its statements are analysed
        # (`rewriter.incremental`): a name is free only if the whole module leaves it free.
        self.whole = whole if whole is not None else tree
        self.names_asked: set[str] = set()  # names whose module-wide use a rule asked about
        self.settings = settings
        self.filename = filename
        self.lines = LineIndex(text)
        self.imports = ImportTable.from_module(tree)
        self._tensor_facts: dict[ast.FunctionDef | ast.Lambda, TensorFacts] = {}
        self._scope_facts: dict[ast.FunctionDef | ast.Lambda, ScopeFacts] = {}
        self._never_rebound: dict[ast.FunctionDef | ast.Lambda, frozenset[str]] = {}
        self.evidence_cache = EvidenceCache()
        # Facts from the other files of the run (`rewriter.project_index`): graph scopes
        # their graph code makes of this module's functions, and their call sites.
        self.incoming = incoming

    @cached_property
    def graph_scopes(self) -> list[GraphScope]:
        recorded = {
            node: traced.autograph
            for node, traced in self.traced.functions.items()
            if isinstance(node, ast.FunctionDef)  # async functions are never traced
        }
        called = self.incoming.scopes if self.incoming is not None else ()
        return find_graph_scopes(self.tree, self.imports, self.lines, self.settings.graph_decorators, recorded, called)

    @cached_property
    def scope_of(self) -> dict[ast.AST, GraphScope]:
        """The graph scope of each scope's node (its function or lambda)."""
        return {scope.node: scope for scope in self.graph_scopes}

    def uses_of(self, name: str) -> int:
        """How often `name` occurs anywhere in the whole module (names and attributes; a
        `global` or `nonlocal` declaration counts twice): 0 means a new name is free."""
        self.names_asked.add(name)
        return self._identifier_counts.get(name, 0)

    @cached_property
    def _identifier_counts(self) -> dict[str, int]:
        return identifier_counts(self.nodes if self.whole is self.tree else walk(self.whole))

    def declared_none(self, name: str) -> bool:
        """Whether the whole module declares `name = None` at its top level."""
        self.names_asked.add(name)
        return declares_none(self.whole, name)

    @cached_property
    def nodes(self) -> list[ast.AST]:
        """Every node of the tree, in `ast.walk`'s order (walked once for all rules)."""
        return list(walk(self.tree))

    @cached_property
    def parents(self) -> dict[ast.AST, ast.AST]:
        """Each node's parent, as `{child: parent for parent in ast.walk(tree) for child in
        ast.iter_child_nodes(parent)}` gives it (mapped on the first question: most
        modules have none). Asked before `nodes`, it lists them in the same pass."""
        if "nodes" in self.__dict__:
            return parent_map(self.nodes)
        nodes, parents = walk_with_parents(self.tree)
        self.__dict__["nodes"] = nodes
        return parents

    def nodes_and_parents(self) -> tuple[list[ast.AST], dict[ast.AST, ast.AST]]:
        """`nodes` and `parents`, for a caller that needs both: one walk makes them when
        neither was made yet."""
        parents = self.parents
        return self.nodes, parents

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
        facts = self._tensor_facts.get(scope.node)
        if facts is None:
            facts = self._tensor_facts[scope.node] = build_tensor_facts(self, scope)
        return facts

    def parameter_fact(self, scope: GraphScope, name: str) -> Fact | None:
        """What every read of the parameter `name` holds when the body never rebinds it
        (None otherwise): the answer `tensors(scope).of(read)` gives, from the parameters'
        evidence alone, without solving the whole scope."""
        plain = self._never_rebound.get(scope.node)
        if plain is None:
            plain = self._never_rebound[scope.node] = never_rebound(scope)
        if name not in plain:
            return None
        facts = self._tensor_facts.get(scope.node)
        if facts is not None:
            return facts.name(name)
        evidence = scope_evidence(self, scope)
        return parameter_facts(scope, self.imports, self_parameter(scope), evidence.get)[name]

    def scope_facts(self, scope: GraphScope) -> ScopeFacts:
        """What rules share about `scope`: parents, `self`, bindings, graph loops (cached)."""
        facts = self._scope_facts.get(scope.node)
        if facts is None:
            facts = self._scope_facts[scope.node] = ScopeFacts(self, scope)
        return facts

    def resolve(self, scope: GraphScope, func: ast.expr) -> str | None:
        """The qualified name of a module-level name used in `scope` (None when a local
        shadows it), as `TensorFacts.resolve` says, without building the tensor facts."""
        if root_name(func) in scope.local_names:
            return None
        return self.imports.resolve(func)

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


def identifier_counts(nodes: Iterable[ast.AST]) -> dict[str, int]:
    """How often each identifier occurs among `nodes` (names and attributes; a `global`
    or `nonlocal` declaration counts twice)."""
    counts: dict[str, int] = {}
    for node in nodes:
        key = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                counts[name] = counts.get(name, 0) + 2
        elif key is not None:
            counts[key] = counts.get(key, 0) + 1
    return counts


def declares_none(tree: ast.Module, name: str) -> bool:
    """Whether a top-level statement of `tree` is `name = None`."""
    return any(
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id == name
        and isinstance(node.value, ast.Constant)
        and node.value.value is None
        for node in tree.body
    )
