"""Report Python state outside a graph scope that the graph mutates.

## What it does
Finds, inside functions that `tf.function` traces, mutations of Python state that
outlives the call: `append`/`extend`/`insert`/`pop`/`update`/`clear` (and the other
mutating methods) or item assignment and deletion on a list, dict or set defined
outside the function (at module level, in an enclosing function, or as a container
attribute of `self`), rebinding a `global` or `nonlocal` name, and setting or deleting an
attribute of an object that outlives the call: `self.steps += 1`, `self.last = x` in a
graph method or a helper method that graph code calls, `box.value += 1` on an object
passed in, `config.step = ...` on an outer object.

## Why is this bad?
Python code in a graph runs only while tracing. The mutation happens once (per trace),
not on every call, and what it stores are symbolic tensors of the trace:
`tensor_list.append(x)` leaves one `<tf.Tensor 'x:0' ...>` in the list however often the
function runs, and using it later raises ("... is out of scope"; `.numpy()` fails).
Eagerly, the same code appends one value per call.

## Example
    tensor_list = []

    @tf.function
    def append_tensor(x):
        tensor_list.append(x)
        return tensor_list

Use instead:

    @tf.function
    def double(x):
        return x * 2

    tensor_list.append(double(x))  # at the call site, with the returned value

## Fix safety
No fix: a faithful rewrite needs the callers to change (return the value and update the
state where the function is called), or state kept in a `tf.Variable` or
`tf.TensorArray` that callers then read instead. Reading outer state is fine and is not
reported (attributes set only in `__init__` or `build` included), nor is anything
`__init__` or `build` does (they run once per instance by convention), nor is
`assign`/`assign_add` on an outer `tf.Variable` or a `tf.Variable` attribute, which is
the correct pattern, nor a lazy `if x is None:` initialisation (or a method the class's
graph code calls only under such a guard, `if not self._built: self._build(...)`), nor
attributes of an
object the function made itself, nor attributes set through a property setter of the
class or nested ones (`self.optimizer.learning_rate = lr`: a Keras setter assigns a
variable, which runs on every call), nor a counter of traces (`num_traces += 1`,
`self.trace_count += 1`, `tracing_count`: a name with a `trace-print-words` word and a
count word, or a plural such as `traces`), which is meant to run once per trace;
`report-trace-prints = true` reports those too.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cached_property

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.nodes import children, statements, walk
from rewriter.analyze.scopes import GraphScope
from rewriter.analyze.syntax import parameters
from rewriter.rules._base import Example, Rule, Violation
from rewriter.rules._trace_markers import is_trace_counter

_MUTATORS = frozenset(
    {
        "append",
        "extend",
        "insert",
        "pop",
        "remove",
        "clear",
        "sort",
        "reverse",
        "update",
        "popitem",
        "setdefault",
        "add",
        "discard",
        "appendleft",
        "extendleft",
        "popleft",
        "difference_update",
        "intersection_update",
        "symmetric_difference_update",
    }
)
_CONTAINER_CALLS = frozenset(
    {
        "builtins.list",
        "builtins.dict",
        "builtins.set",
        "collections.defaultdict",
        "collections.OrderedDict",
        "collections.deque",
        "collections.Counter",
    }
)
# Attributes that TensorFlow and Keras objects set through a setter assigning a variable.
_SETTER_ATTRIBUTES = frozenset({"learning_rate", "lr"})
_REMEDY = "return the value and update it at the call site, or keep the state in a `tf.Variable` or `tf.TensorArray`"


class OuterStateMutation(Rule):
    CODE = "AG007"
    NAME = "outer-state-mutation"
    MESSAGE = "Python state outside the graph changes only while tracing, not on every call"
    FIX_TITLE = "Return the value, or keep the state in a `tf.Variable` or `tf.TensorArray`"

    VALID = (
        """
        import tensorflow as tf

        seen = []

        @tf.function
        def f(x):
            return x * len(seen)
        """,
        """
        import tensorflow as tf

        total = tf.Variable(0.0)

        @tf.function
        def f(x):
            total.assign_add(x)
            return x
        """,
        """
        import tensorflow as tf

        @tf.function
        def f(x):
            out = []
            out.append(x)
            return out[0]
        """,
    )
    INVALID = (
        Example(
            """
            import tensorflow as tf

            tensor_list = []

            @tf.function
            def f(x):
                tensor_list.append(x)
                return x
            """,
            None,
            name="append-to-a-module-list",
        ),
        Example(
            """
            import tensorflow as tf

            steps = 0

            @tf.function
            def f(x):
                global steps
                steps += 1
                return x
            """,
            None,
            name="global-counter",
        ),
    )

    def check(self, module: ModuleAnalysis) -> Iterator[Violation]:
        containers = _module_containers(module)  # once per module
        class_containers: dict[ast.ClassDef, set[str]] = {}  # once per class
        self_calls: _SelfCalls | None = None  # once per module, when first needed
        for scope in module.graph_scopes:
            if scope.class_node is not None and scope.name in ("__init__", "build"):
                continue  # they run once per instance by convention: setting attributes is their job
            facts = module.scope_facts(scope)
            first_call_only: bool | None = None  # asked on the scope's first finding
            outer: _Outer | None = None  # built on the first statement that may mutate
            for node in scope.nodes():
                if not _may_mutate(node):
                    continue
                if outer is None:
                    outer = _Outer(module, scope, containers, class_containers)
                found = _mutation(module, outer, node)
                if found is None or facts.lazily_guarded(node):
                    continue
                if first_call_only is None:
                    if self_calls is None:
                        self_calls = _self_method_calls(module)
                    first_call_only = _called_only_on_first_call(module, scope, self_calls)
                if first_call_only:
                    break  # `if not self._built: self._build(...)`: the same first call, eager or traced
                if not module.settings.report_trace_prints and is_trace_counter(
                    node, module.settings.trace_print_words
                ):
                    continue  # `num_traces += 1` counts traces on purpose
                message = (
                    f"{self.MESSAGE}: {found}, which outlives the call (a tensor stored there "
                    f"is a symbolic one from the trace); {_REMEDY}"
                )
                yield self.violation(module.lines.node_range(node), message)


# `self.name(...)` calls in graph code, by (class, method name): where and in which scope.
_SelfCalls = dict[tuple[ast.ClassDef, str], list[tuple[GraphScope, ast.Call]]]


def _self_method_calls(module: ModuleAnalysis) -> _SelfCalls:
    calls: _SelfCalls = {}
    for caller in module.graph_scopes:
        if caller.class_node is None:
            continue
        self_name = module.scope_facts(caller).self_name
        for node in caller.nodes():
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == self_name
            ):
                calls.setdefault((caller.class_node, node.func.attr), []).append((caller, node))
    return calls


def _called_only_on_first_call(module: ModuleAnalysis, scope: GraphScope, self_calls: _SelfCalls) -> bool:
    """A method that graph code of its class calls (as `self.name(...)`) only under a
    first-call guard (`if not self._built:`, `if self.v is None:`).

    Eagerly and traced alike it then runs on the first call only, so what it sets is
    initialisation, not state that diverges.
    """
    if scope.kind != "callee" or scope.class_node is None or scope.is_lambda:
        return False
    calls = [
        (caller, call) for caller, call in self_calls.get((scope.class_node, scope.name), []) if caller is not scope
    ]
    return bool(calls) and all(module.scope_facts(caller).lazily_guarded(call) for caller, call in calls)


def _may_mutate(node: ast.AST) -> bool:
    """A call of a mutating method, or a statement that binds, assigns items or deletes."""
    kind = type(node)  # parsed trees hold no subclasses of the node types
    if kind is ast.Call:
        func = node.func  # type: ignore[attr-defined]
        return type(func) is ast.Attribute and func.attr in _MUTATORS
    return kind in _BINDING_STATEMENTS


_BINDING_STATEMENTS = frozenset({ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete})


def _mutation(module: ModuleAnalysis, outer: _Outer, node: ast.AST) -> str | None:
    """What `node` does to outer state ("`history.append(...)` changes `history`"), if anything."""
    segment = module.lines.segment
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _MUTATORS
        and outer.is_container(node.func.value)
    ):
        return f"`{segment(node.func)}(...)` changes `{segment(node.func.value)}`"
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    elif isinstance(node, ast.Delete):
        targets = node.targets
    for target in targets:
        for part in walk(target):
            if isinstance(part, ast.Subscript) and outer.is_container(part.value):
                how = "`del`" if isinstance(node, ast.Delete) else "an item assignment"
                return f"{how} changes `{segment(part.value)}`"
            if (
                isinstance(part, ast.Name)
                and part.id in outer.declared
                and not isinstance(part.ctx, ast.Load)
                and not _creates_variable(module, node)
            ):
                return f"this rebinds the {outer.declared[part.id]} name `{part.id}`"
            if (
                isinstance(part, ast.Attribute)
                and not isinstance(part.ctx, ast.Load)
                and not _creates_variable(module, node)
                and (owner := outer.attribute_owner(part)) is not None
            ):
                how = "`del`" if isinstance(node, ast.Delete) else "this"
                verb = "deletes" if isinstance(node, ast.Delete) else "sets"
                return f"{how} {verb} `{segment(part)}`, an attribute of {owner}"
    return None


def _creates_variable(module: ModuleAnalysis, node: ast.AST) -> bool:
    """`g = tf.Variable(...)`: variable creation is AG005's concern."""
    value = getattr(node, "value", None)
    return isinstance(value, ast.Call) and (module.imports.resolve(value.func) or "").endswith(".Variable")


class _Outer:
    """Which names and `self` attributes of one scope hold outer containers."""

    def __init__(
        self,
        module: ModuleAnalysis,
        scope: GraphScope,
        containers: set[str],
        class_containers: dict[ast.ClassDef, set[str]],
    ) -> None:
        self.scope = scope
        self.declared = _declared(scope)
        self.names = {n for n in containers if n not in scope.local_names or self.declared.get(n) == "global"}
        self.names |= _closure_containers(module, scope)
        self.self_name = module.scope_facts(scope).self_name
        self.attributes: set[str] = set()
        if self.self_name and scope.class_node is not None:
            if scope.class_node not in class_containers:
                class_containers[scope.class_node] = _attribute_containers(scope.class_node)
            self.attributes = class_containers[scope.class_node]
        self.parameters = {a.arg for a in parameters(scope.node)}

    # Asked only about attribute assignments (most scopes have none): made on first use.
    @cached_property
    def rebound(self) -> set[str]:
        return {n.id for n in self.scope.nodes() if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}

    @cached_property
    def properties(self) -> set[str]:
        klass = self.scope.class_node
        return {
            node.name
            for node in (klass.body if klass is not None else [])
            if isinstance(node, ast.FunctionDef)
            and any(isinstance(d, ast.Attribute) and d.attr == "setter" for d in node.decorator_list)
        }

    def attribute_owner(self, target: ast.Attribute) -> str | None:
        """Who owns the object whose attribute `target` sets, when it outlives the call.

        `self`, a parameter (the caller's object) or an outer name; None for an object
        the function made itself.
        """
        root = target.value
        # timid: `self.optimizer.learning_rate = lr` may be a setter that assigns a
        # variable (Keras optimizers' is), which runs on every call: only direct
        # attributes of an object whose setters we can see or that are plain names.
        if not isinstance(root, ast.Name) or target.attr in _SETTER_ATTRIBUTES:
            return None
        if root.id == self.self_name and root.id not in self.rebound:
            if target.attr in self.properties:
                return None  # a property setter of the class: it may update a variable
            return "the instance"
        if root.id in self.parameters and root.id not in self.rebound:
            return f"the caller's object `{root.id}`"
        if root.id not in self.scope.local_names or self.declared.get(root.id) in ("global", "nonlocal"):
            return f"the outer object `{root.id}`"
        return None

    def is_container(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.names
        return (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == self.self_name
            and node.attr in self.attributes
        )


def _is_container(module: ModuleAnalysis, value: ast.expr | None) -> bool:
    if isinstance(value, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)):
        return True
    return isinstance(value, ast.Call) and module.imports.resolve(value.func) in _CONTAINER_CALLS


def _bindings(body: list[ast.stmt]) -> dict[str, list[ast.expr | None]]:
    """Values bound to each name by the statements of one scope (None: bound some other way)."""
    values: dict[str, list[ast.expr | None]] = {}
    todo: list[ast.AST] = list(body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            values.setdefault(node.name, []).append(None)
            todo.extend(node.decorator_list)
            continue
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    values.setdefault(target.id, []).append(node.value)
                else:
                    todo.append(target)
            todo.append(node.value)
            continue
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            values.setdefault(node.id, []).append(None)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                values.setdefault((alias.asname or alias.name).split(".")[0], []).append(None)
        todo.extend(children(node))
    return values


def _containers(module: ModuleAnalysis, bindings: dict[str, list[ast.expr | None]]) -> set[str]:
    return {name for name, values in bindings.items() if all(_is_container(module, v) for v in values)}


def _module_containers(module: ModuleAnalysis) -> set[str]:
    """Module-level names every binding of which is a list, dict or set."""
    return _containers(module, _bindings(module.tree.body))


def _closure_containers(module: ModuleAnalysis, scope: GraphScope) -> set[str]:
    """Names of enclosing functions, free in `scope`, every binding of which is a container."""
    found: set[str] = set()
    if not scope.enclosing_functions:
        return found
    declared = _declared(scope)
    free = {n.id for n in scope.nodes() if isinstance(n, ast.Name)} - {
        name for name in scope.local_names if declared.get(name) != "nonlocal"
    }
    for function in reversed(scope.enclosing_functions):
        bindings = _bindings(function.body)
        args = function.args
        for param in args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]:
            bindings.setdefault(param.arg, []).append(None)
        found |= _containers(module, {name: bindings[name] for name in free if name in bindings})
        free -= set(bindings)
    return found


def _declared(scope: GraphScope) -> dict[str, str]:
    return {
        name: type(node).__name__.lower()
        for node in scope.nodes()
        if isinstance(node, (ast.Global, ast.Nonlocal))
        for name in node.names
    }


def _attribute_containers(klass: ast.ClassDef | None) -> set[str]:
    """`self.<attr>` names that every assignment in the class sets to a container."""
    if klass is None:
        return set()
    values: dict[str, list[ast.expr | None]] = {}
    for node in statements(klass):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                    values.setdefault(target.attr, []).append(node.value if len(node.targets) == 1 else None)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.Delete)):
            for target in node.targets if isinstance(node, ast.Delete) else [node.target]:
                if isinstance(target, ast.Attribute):
                    values.setdefault(target.attr, []).append(None)
    for statement in klass.body:  # class attributes: `history = []`
        if isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    values.setdefault(target.id, []).append(statement.value)
    return {
        attr
        for attr, found in values.items()
        if all(isinstance(v, (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)) for v in found)
    }
