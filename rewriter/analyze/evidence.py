"""What a graph scope's parameters are: the evidence, and how it is joined.

Without an `input_signature` a parameter can still be known. Each source of evidence
gives an *observation*, a `Fact`:

- **input_signature**: a `tf.TensorSpec` at the parameter's position. TensorFlow enforces
  it, so it decides alone; nothing else is looked at.
- **role**, from `GraphScope.kind`: "tf.data" (a dataset callback: every parameter is an
  element, a tensor), "keras-step" (`train_step(self, data)`: `data` is tensors),
  "keras-call" (`call(self, inputs, training=None, mask=None)`: `inputs` is a tensor,
  `training` a Python bool or None; a mask is a tensor or None, so it gets no role
  fact), "keras-loss" (`y_true`, `y_pred` are tensors).
- **annotation**: `tf.Tensor` and `tf.Variable` are tensors; `np.ndarray` is a tensor in a
  `tf.function` (arguments are converted at its boundary) and a NumPy array in a callee;
  `int`, `float`, `bool`, `str`, `list`, `tuple`, `dict` are Python values;
  `tf.RaggedTensor` and `tf.SparseTensor` are composite tensors (recorded in `pytype`,
  never claimed dense tensors). `TensorLike` admits Python numbers: no evidence.
- **call sites** in the same module: `f(x, y)` at module level, in another function or in
  graph code, with each argument's Fact where the call is (`for x, y in dataset:
  train_step(x, y)` passes dataset elements, tensors; `f(tf.constant(2.0))` a tensor;
  `f(np.ones(3))` a NumPy array, a tensor once it crosses a `tf.function` boundary; a
  Python literal stays a Python value, and its value is recorded in `literals`). A call
  with `*args`/`**kwargs` observes nothing certain for the parameters it may fill.
- **use**: a parameter the body calls (`fn(x)`, `layers[i](x)`) or reads an attribute of
  that tensors do not have (`model.predict`, `opt.apply_gradients`) is not a tensor: it
  is UNKNOWN, whatever else is observed.
- **default**: a literal default (a number, string or bool) is what a call that omits the
  argument passes; with no call site seen, it is the only value seen.

The join (`Fact.join`) is the lattice's least upper bound:

    TENSOR(d, s) ⊔ TENSOR(d', s')     = TENSOR(d if d == d' else None, s if s == s' else None)
    PYTHON(t) ⊔ PYTHON(t')            = PYTHON(t if t == t' else None; int ⊔ float = float)
    TENSOR ⊔ PROBABLY_TENSOR          = PROBABLY_TENSOR (the assumptions carry over)
    PYTHON ⊔ TENSOR, anything ⊔ UNKNOWN = UNKNOWN (PROBABLY_TENSOR ⊔ UNKNOWN too)

A parameter's Fact is the join of the observations, with two exceptions:

- no observation at all: PROBABLY_TENSOR, assuming the parameter is a tensor (graph code
  mostly handles tensors). Rules report patterns on it, and a fix that rests on it is
  unsafe and says "assumes `x` is a tensor: no signature, annotation or call site says
  so";
- a call site whose argument is not known (UNKNOWN) observes nothing certain: a tensor
  join becomes PROBABLY_TENSOR, a Python one UNKNOWN; unless the parameter is annotated,
  when the annotation speaks for the argument that is not known.
"""

from __future__ import annotations

import ast
import re
import weakref
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rewriter.analyze.nodes import walk
from rewriter.analyze.project import incoming_arguments
from rewriter.analyze.scopes import GraphScope, _FunctionIndex
from rewriter.analyze.tensors import (
    DATASET,
    UNKNOWN,
    Fact,
    Kind,
    SymbolicShape,
    TensorFacts,
    _literal_fact,
    _signature_specs,
    _tf_name,
    instance_attributes,
    probably_tensor,
    python,
    tensor,
)
from rewriter.source import is_word_character, whole_word_offsets

if TYPE_CHECKING:
    from rewriter.analyze import ModuleAnalysis
    from rewriter.analyze.project import ExportedCall
    from rewriter.trace.traces import TracedFunction

# GraphScope.kind values whose parameters a framework fills with tensors.
ROLES = frozenset({"tf.data", "keras-step", "keras-call", "keras-loss"})

_TENSOR_ANNOTATIONS = {"Tensor": None, "Variable": "tf.Variable"}
_COMPOSITE_ANNOTATIONS = {"RaggedTensor": "tf.RaggedTensor", "SparseTensor": "tf.SparseTensor"}
_PYTHON_ANNOTATIONS = frozenset({"int", "float", "bool", "str", "bytes", "list", "tuple", "dict", "set"})
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Evidence:
    """What is known about one parameter, and from where.

    `sources` names each observation ("input_signature", "annotation", "role keras-call",
    "call site line 12", "default"); `literals` holds the Python literal values call sites
    pass (`f(x, 3)` records 3), for rules about retracing.
    """

    fact: Fact
    sources: tuple[str, ...] = ()
    literals: tuple[object, ...] = ()


@dataclass
class EvidenceCache:
    """What building evidence keeps per module (`module.evidence_cache`), built on first use."""

    instance_attributes: dict[ast.ClassDef, Mapping[str, Fact]] = field(default_factory=dict)  # one walk per class
    building: set[ast.AST] = field(default_factory=set)  # scopes whose Facts are being built
    evidence: dict[ast.AST, dict[str, Evidence]] = field(default_factory=dict)  # per scope node
    word_counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # `_word_count`, by name
    all_words: tuple[Counter[str], Counter[str]] | None = None  # `_word_count`, every word
    call_index: _CallIndex | None = None
    site_facts: dict[object, TensorFacts] = field(default_factory=dict)  # plain callers' Facts


class _Lazy(Mapping[str, Fact]):
    """A mapping computed when first read: most graph methods never read what it holds."""

    def __init__(self, compute: Callable[[], Mapping[str, Fact]]) -> None:
        self._compute: Callable[[], Mapping[str, Fact]] | None = compute
        self._mapping: Mapping[str, Fact] = {}

    def _computed(self) -> Mapping[str, Fact]:
        if self._compute is not None:
            self._mapping, self._compute = self._compute(), None
        return self._mapping

    def __getitem__(self, key: str) -> Fact:
        return self._computed()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._computed())

    def __len__(self) -> int:
        return len(self._computed())


@dataclass
class _Observations:
    facts: list[Fact] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    literals: list[object] = field(default_factory=list)
    uncertain: bool = False  # a call site passes something not known
    annotated: bool = False  # the annotation speaks for what is not known

    def add(self, fact: Fact, source: str) -> None:
        if fact.kind is Kind.UNKNOWN and fact.pytype is None:
            self.uncertain = True
            return
        self.facts.append(fact)
        self.sources.append(source)


def build_tensor_facts(module: ModuleAnalysis, scope: GraphScope) -> TensorFacts:
    """The Facts of one scope, its parameters' evidence included (use `module.tensors(scope)`,
    which caches them). It lives here, above the Facts it builds, so that the Facts
    module need not import this one."""
    attributes: Mapping[str, Fact] = {}
    klass = scope.class_node
    if klass is not None:
        # One walk per class, not per method (a class with many graph methods would
        # otherwise cost the square of its size), and only when a method reads `self.x`;
        # the module is searched for instantiations only when `x` comes from a parameter.
        cache = module.evidence_cache.instance_attributes
        if klass not in cache:
            cache[klass] = _lazy_instance_attributes(module, klass)
        attributes = cache[klass]
    return TensorFacts(scope, module.imports, module.constants, attributes, scope_evidence(module, scope))


def _lazy_instance_attributes(module: ModuleAnalysis, klass: ast.ClassDef) -> _Lazy:
    """`instance_attributes` of `klass`, computed when first read.

    The module caches the result, so it links back to the module only weakly: a strong
    link would make a reference cycle that keeps the syntax tree alive until the garbage
    collector runs.
    """
    owner = weakref.ref(module)
    imports = module.imports

    def arguments() -> Mapping[str, Fact]:
        module = owner()
        assert module is not None, "attribute facts used after their module analysis was freed"
        return constructor_arguments(module, klass)

    constructor = _Lazy(arguments)
    return _Lazy(lambda: instance_attributes(klass, imports, constructor))


def scope_evidence(module: ModuleAnalysis, scope: GraphScope) -> dict[str, Evidence]:
    """`parameter_evidence`, computed once per scope: the scope's Facts and the questions
    answered without them (`ModuleAnalysis.parameter_fact`) read the same Evidence."""
    cache = module.evidence_cache.evidence
    evidence = cache.get(scope.node)
    if evidence is None:
        building = module.evidence_cache.building
        building.add(scope.node)
        try:
            evidence = cache[scope.node] = parameter_evidence(module, scope)
        finally:
            building.discard(scope.node)
    return evidence


def constructor_arguments(module: ModuleAnalysis, klass: ast.ClassDef) -> dict[str, Fact]:
    """`__init__` parameters that hold a Python literal, so that `self.steps = steps` is
    as known as `self.steps = 200`: every instantiation `Klass(...)` in the module passes
    a literal for it or leaves its literal default (with none seen, the default is the
    only value seen, as for a graph function's parameters), and `__init__` never rebinds
    it. Nothing is known when the class is named other than to call it (passed around,
    subclassed) or calls `cls(...)` itself: someone else may then make instances.
    """
    init = next((m for m in klass.body if isinstance(m, ast.FunctionDef) and m.name == "__init__"), None)
    if init is None or not (init.args.posonlyargs + init.args.args):
        return {}
    calls, named_otherwise = _class_uses(module, klass.name)
    if named_otherwise or (
        ("cls" in module.text or not module.text.isascii())
        and any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "cls" for n in walk(klass))
    ):
        return {}
    positional = (init.args.posonlyargs + init.args.args)[1:]  # without `self`
    defaults = _defaults(init)
    rebound = {n.id for n in ast.walk(init) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    known: dict[str, Fact] = {}
    for parameter in positional + init.args.kwonlyargs:
        name = parameter.arg
        seen: list[Fact | None] = [] if calls else [defaults.get(name)]
        for call in calls:
            given = _arguments(call, positional, init.args.kwonlyargs)
            argument = given.get(name, ...)
            if argument is ...:
                seen.append(defaults.get(name))
            else:
                seen.append(_literal_fact(argument) if argument is not None else None)
        if name in rebound or not all(fact is not None and fact.kind is Kind.PYTHON for fact in seen):
            continue
        joined = seen[0]
        for fact in seen[1:]:
            joined = joined.join(fact)  # type: ignore[union-attr,arg-type]
        known[name] = joined  # type: ignore[assignment]
    return known


def _class_uses(module: ModuleAnalysis, name: str) -> tuple[list[ast.Call], bool]:
    """The calls of the class `name`, and whether the name is read anywhere else (a base
    class, a value passed around)."""
    counted = _word_count(module, name)
    if counted is not None and counted[0] == 1:
        return [], False  # named only by its `class` statement: no walk of the module
    return _all_class_uses(module).get(name, ([], True))


def _all_class_uses(module: ModuleAnalysis) -> dict[str, tuple[list[ast.Call], bool]]:
    """`_class_uses` for every class of the module, from one pass over its nodes."""
    uses: dict[str, tuple[list[ast.Call], bool]] | None = module.__dict__.get("_class_uses")
    if uses is not None:
        return uses
    nodes = module.nodes  # the module's one shared walk
    classes = {n.name for n in nodes if isinstance(n, ast.ClassDef)}
    calls: dict[str, list[ast.Call]] = {name: [] for name in classes}
    names: list[ast.Name] = []
    called: set[int] = set()
    for node in nodes:
        if isinstance(node, ast.Name):
            if node.id in calls:
                names.append(node)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in calls:
            calls[node.func.id].append(node)
            called.add(id(node.func))
    elsewhere = {node.id for node in names if id(node) not in called}
    uses = module.__dict__["_class_uses"] = {name: (calls[name], name in elsewhere) for name in classes}
    return uses


def parameter_evidence(module: ModuleAnalysis, scope: GraphScope) -> dict[str, Evidence]:
    """The Evidence of every named parameter of `scope` (not `self`, `*args`, `**kwargs`)."""
    node = scope.node
    args = node.args
    positional = args.posonlyargs + args.args
    skip = 1 if _bound_first(scope) else 0
    specs = _signature_specs(scope.input_signature, module.imports)
    observed = {p.arg: _Observations() for p in positional[skip:] + args.kwonlyargs}
    shape = {name: SymbolicShape(name) for name in observed}
    result: dict[str, Evidence] = {}

    for index, parameter in enumerate(positional[skip:]):
        spec = specs[index] if specs is not None and index < len(specs) else None
        if spec is not None:
            dtype, dims = spec
            fact = tensor(dtype, dims if dims is not None else shape[parameter.arg])
            result[parameter.arg] = Evidence(fact, ("input_signature",))
    recorded = module.traced.functions.get(node) if isinstance(node, ast.FunctionDef) else None
    if recorded is not None:
        _recorded(recorded, scope, observed, shape, result)
    if scope.kind in ROLES:
        _role(scope.kind, positional[skip:], observed, shape)
    for parameter in positional[skip:] + args.kwonlyargs:
        if parameter.annotation is not None:
            annotated = _annotation_fact(parameter.annotation, module, scope, shape[parameter.arg])
            if annotated is not None:
                observed[parameter.arg].add(annotated, "annotation")
                observed[parameter.arg].annotated = True
    defaults = _defaults(node)
    sites = call_sites(module, scope)
    for call, site_facts in sites:
        given = _arguments(call, positional[skip:], args.kwonlyargs)
        for name, observations in observed.items():
            where = f"call site line {call.lineno}"
            if name not in given:
                default = defaults.get(name)
                if default is not None:
                    observations.add(default, f"default at {where}")
                else:
                    observations.uncertain = True  # a default that is not a literal, or an error
                continue
            argument = given[name]
            fact = site_facts.of(argument) if site_facts is not None and argument is not None else UNKNOWN
            if fact.is_python() and fact.value is not None:
                observations.literals.append(fact.value)
            observations.add(_at_boundary(fact, scope), where)
    called = _incoming_calls(module, scope)
    for exported in called:
        passed = incoming_arguments(exported, positional[skip:], args.kwonlyargs)
        for name, observations in observed.items():
            where = f"call site in {exported.caller}"
            if name not in passed:
                default = defaults.get(name)
                if default is not None:
                    observations.add(default, f"default at {where}")
                else:
                    observations.uncertain = True
                continue
            seen = passed[name] or UNKNOWN
            if seen.is_python() and seen.value is not None:
                observations.literals.append(seen.value)
            observations.add(_at_boundary(seen, scope), where)
    if not sites and not called:
        for name, default in defaults.items():
            # `mask=None` alone says "optional": no evidence of what is passed instead.
            if default is not None and default.pytype != "none":
                observed[name].add(default, "default")

    not_tensors = _used_as_objects(scope, set(observed))
    for name, observations in observed.items():
        if name in result:
            continue
        if name in not_tensors:
            result[name] = Evidence(UNKNOWN, (*observations.sources, "use"), tuple(observations.literals))
            continue
        result[name] = Evidence(
            _joined(observations, name, shape[name]), tuple(observations.sources), tuple(observations.literals)
        )
    return result


# What a tensor (dense, variable, ragged or sparse) has as attributes.
_TENSOR_ATTRIBUTES = frozenset(
    {
        "shape",
        "dtype",
        "ndim",
        "T",
        "name",
        "device",
        "graph",
        "op",
        "numpy",
        "get_shape",
        "set_shape",
        "assign",
        "assign_add",
        "assign_sub",
        "read_value",
        "value",
        "ref",
        "eval",
        "trainable",
        "handle",
        "values",
        "indices",
        "dense_shape",
        "to_tensor",
        "to_list",
        "flat_values",
        "row_splits",
        "row_lengths",
        "nested_row_splits",
        "bounding_shape",
        "with_values",
        "merge_dims",
        "__array__",
    }
)


def _used_as_objects(scope: GraphScope, names: set[str]) -> set[str]:
    """Parameters the body calls, whose items it calls, or whose non-tensor attributes
    it reads: whatever they are, not tensors."""
    found: set[str] = set()
    for node in scope.nodes():
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Subscript):
                func = func.value
            if isinstance(func, ast.Name) and func.id in names:
                found.add(func.id)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in names
            and node.attr not in _TENSOR_ATTRIBUTES
        ):
            found.add(node.value.id)
    return found


def _joined(observations: _Observations, name: str, shape: SymbolicShape) -> Fact:
    if not observations.facts:
        return probably_tensor(name, shape)
    fact = observations.facts[0]
    for other in observations.facts[1:]:
        fact = fact.join(other)
    if fact.is_tensor and fact.shape is None:
        fact = tensor(fact.dtype, shape, fact.pytype)  # its shape is its own all through the body
    if observations.uncertain and not observations.annotated:
        if fact.is_tensor_or_probably:
            return probably_tensor(name, shape)
        return UNKNOWN
    return fact


def _bound_first(scope: GraphScope) -> bool:
    """True when the first parameter is bound by the call (`self`, `cls`)."""
    if scope.class_node is None or isinstance(scope.node, ast.Lambda):
        return False
    for decorator in scope.node.decorator_list:
        if isinstance(decorator, ast.Name) and decorator.id == "staticmethod":
            return False
    return bool(scope.node.args.posonlyargs + scope.node.args.args)


def _recorded(
    recorded: TracedFunction,
    scope: GraphScope,
    observed: dict[str, _Observations],
    shape: dict[str, SymbolicShape],
    result: dict[str, Evidence],
) -> None:
    """What a recorded run passed (`tfrewrite trace`). A parameter that got a tensor on
    every recorded call is a tensor: that decides, like a signature. Python values are
    observations; mixed kinds say nothing certain. Shapes seen are not claimed: a later
    run may pass others."""
    # A NumPy array becomes a tensor at a tf.function's boundary, not at a helper's.
    tensor_kinds = {"tensor", "variable", "ndarray"} if "tf.function" in recorded.traced_by else {"tensor", "variable"}
    for name, parameter in recorded.parameters.items():
        if name not in observed or name in result or not parameter.kinds:
            continue
        if parameter.kinds <= tensor_kinds:
            dtype = next(iter(parameter.dtypes)) if len(parameter.dtypes) == 1 else None
            pytype = "tf.Variable" if parameter.kinds == {"variable"} else None
            result[name] = Evidence(tensor(dtype, shape[name], pytype=pytype), ("recorded run",))
        elif parameter.kinds == {"python"} and len(parameter.types) == 1:
            observed[name].add(python(next(iter(parameter.types))), "recorded run")


def _role(kind: str, positional: list[ast.arg], observed: dict[str, _Observations], shape: dict) -> None:
    source = f"role {kind}"
    if kind == "tf.data":
        for name in observed:
            observed[name].add(tensor(None, shape[name]), source)
        return
    if kind == "keras-step" and positional:
        observed[positional[0].arg].add(tensor(None, shape[positional[0].arg]), source)
    elif kind == "keras-loss":
        for parameter in positional[:2]:
            observed[parameter.arg].add(tensor(None, shape[parameter.arg]), source)
    elif kind == "keras-call":
        if positional:
            observed[positional[0].arg].add(tensor(None, shape[positional[0].arg]), source)
        if "training" in observed:
            observed["training"].add(python("bool", maybe_none=True), source)


def _annotation_fact(
    annotation: ast.expr, module: ModuleAnalysis, scope: GraphScope, shape: SymbolicShape
) -> Fact | None:
    qualified = module.imports.resolve(annotation)
    if qualified is None:
        if isinstance(annotation, ast.Name) and annotation.id in _PYTHON_ANNOTATIONS:
            return python(annotation.id)
        return None
    if qualified.startswith("builtins.") and qualified[len("builtins.") :] in _PYTHON_ANNOTATIONS:
        return python(qualified[len("builtins.") :])
    if qualified in ("numpy.ndarray", "numpy.typing.NDArray"):
        return tensor(None, shape) if scope.kind != "callee" else python("numpy")
    name = _tf_name(qualified)
    if name in _TENSOR_ANNOTATIONS:
        return tensor(None, shape, _TENSOR_ANNOTATIONS[name])
    if name in _COMPOSITE_ANNOTATIONS:
        return Fact(Kind.UNKNOWN, _COMPOSITE_ANNOTATIONS[name])
    return None


def _defaults(node: ast.FunctionDef | ast.Lambda) -> dict[str, Fact | None]:
    """Every parameter with a default: the default's Fact when it is a literal (None
    included), else None."""
    args = node.args
    positional = args.posonlyargs + args.args
    found: dict[str, Fact | None] = {}
    for parameter, default in zip(positional[len(positional) - len(args.defaults) :], args.defaults):
        found[parameter.arg] = _default_fact(default)
    for parameter, kw_default in zip(args.kwonlyargs, args.kw_defaults):
        if kw_default is not None:
            found[parameter.arg] = _default_fact(kw_default)
    return found


def _default_fact(node: ast.expr) -> Fact | None:
    if isinstance(node, ast.Constant) and node.value is None:
        return python("none")
    return _literal_fact(node)


def _arguments(call: ast.Call, positional: list[ast.arg], keyword_only: list[ast.arg]) -> dict[str, ast.expr | None]:
    """Parameter name -> the argument `call` passes for it (None: passed, but not known)."""
    given: dict[str, ast.expr | None] = {}
    starred = False
    for index, argument in enumerate(call.args):
        if isinstance(argument, ast.Starred):
            starred = True
        if index < len(positional):
            given[positional[index].arg] = None if starred else argument
    if starred:
        for parameter in positional[len(call.args) :]:
            given[parameter.arg] = None
    for keyword in call.keywords:
        if keyword.arg is None:  # **kwargs: may fill any parameter
            for parameter in positional + keyword_only:
                given.setdefault(parameter.arg, None)
        else:
            given[keyword.arg] = keyword.value
    return given


def _incoming_calls(module: ModuleAnalysis, scope: GraphScope) -> list[ExportedCall]:
    """Calls of `scope`'s function in the other files of the run (a top-level def only)."""
    node = scope.node
    if module.incoming is None or not isinstance(node, ast.FunctionDef) or scope.class_node is not None:
        return []
    if node not in _call_index(module).module_functions:
        return []
    return [call for call in module.incoming.calls_of(node.name) if call.evidence]


def _at_boundary(fact: Fact, scope: GraphScope) -> Fact:
    """What an argument is inside: a `tf.function` converts NumPy arrays to tensors."""
    if scope.kind != "callee" and fact.is_python("numpy"):
        return tensor(fact.dtype)
    return fact


# --------------------------------------------------------------------------------------
# Call sites


@dataclass
class _Site:
    call: ast.Call
    function: ast.FunctionDef | None  # the function the call is in (None: module level)
    klass: ast.ClassDef | None  # the class that function is a method of


def call_sites(module: ModuleAnalysis, scope: GraphScope) -> list[tuple[ast.Call, TensorFacts | None]]:
    """The calls of `scope`'s function in its module, each with the Facts where it is.

    Facts are None where they cannot be had (a call from a scope whose Facts are being
    built, which is a recursion; a call in a class body).
    """
    node = scope.node
    if isinstance(node, ast.Lambda):
        return []  # a lambda is called by whoever it is handed to, never by name
    if not _named_beyond_its_def(module, node.name):
        return []  # no call, and no alias that could be called: no need to index the calls
    index = _call_index(module)
    names = {node.name}
    if scope.class_node is None and node in index.module_functions:
        names |= index.aliases.get(node.name, set())
    found: list[tuple[ast.Call, TensorFacts | None]] = []
    for name in names:
        for site in index.calls.get(name, ()):
            if not _targets(site, node, scope, index):
                continue
            if _in_own_scope(site, index):
                found.append((site.call, None))  # a lambda's or comprehension's own names
            else:
                found.append((site.call, _site_facts(module, site)))
    found.sort(key=lambda pair: (pair[0].lineno, pair[0].col_offset))
    return found


def _targets(site: _Site, node: ast.FunctionDef, scope: GraphScope, index: _CallIndex) -> bool:
    func = site.call.func
    if scope.class_node is not None:
        # `self.method(...)` in another method of the same class.
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return False
        if site.klass is not scope.class_node or site.function is None:
            return False
        params = site.function.args.posonlyargs + site.function.args.args
        return bool(params) and func.value.id == params[0].arg
    if not isinstance(func, ast.Name):
        return False
    parent = index.parent.get(node)
    if parent is None:
        # A module-level function: any call by its name that no local binding hides.
        function = site.function
        while function is not None:
            if func.id in index.local_names(function):
                return False
            function = index.parent.get(function)
        return True
    return site.function is parent


class _CallIndex:
    """The calls of a module whose callee is named like one of its graph functions (or an
    alias of one), by that last name; built once per module.

    Only the lines that name such a function are searched (`_FunctionIndex` with a line
    filter), so most of a module is never walked.
    """

    def __init__(self, module: ModuleAnalysis) -> None:
        tree = module.tree
        self.aliases: dict[str, set[str]] = {}
        # `fast = tf.function(step)` or `fast = step` at module level: calls of `fast`.
        for statement in tree.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target, value = statement.targets[0], statement.value
                if not isinstance(target, ast.Name):
                    continue
                if isinstance(value, ast.Call) and _tf_name(module.imports.resolve(value.func)) == "function":
                    value = value.args[0] if value.args else value
                if isinstance(value, ast.Name):
                    self.aliases.setdefault(value.id, set()).add(target.id)
        names = {scope.node.name for scope in module.graph_scopes if isinstance(scope.node, ast.FunctionDef)}
        names |= {alias for name in names for alias in self.aliases.get(name, ())}
        self.functions = _FunctionIndex(tree, _lines_naming(module, names))
        self.parent = self.functions.parent_function
        self.module_functions = {f for f in self.functions.functions if self.parent.get(f) is None}
        self.module_functions -= set(self.functions.class_of)
        classes = [(c.lineno, c.end_lineno or c.lineno) for c in tree.body if isinstance(c, ast.ClassDef)]
        self.module_body = tree.body
        self.own_scopes: dict[object, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
        self.calls: dict[str, list[_Site]] = {}
        for call, function in self.functions.calls:
            func = call.func
            last = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if last not in names:
                continue
            if function is None and any(start <= call.lineno <= end for start, end in classes):
                continue  # a class body: its own names, not the module's
            klass = None
            if function is not None:
                klass = self.functions.class_of.get(function)
            self.calls.setdefault(last, []).append(_Site(call, function, klass))

    def local_names(self, function: ast.FunctionDef) -> frozenset[str]:
        return frozenset(self.functions.local_names(function))


def _lines_naming(module: ModuleAnalysis, names: set[str]) -> list[int] | None:
    """Sorted numbers of the lines that name one of `names` (None: every line may)."""
    text = module.text
    if not names:
        return []
    if not text.isascii():
        return None  # the parser normalises non-ASCII identifiers
    return module.lines.rows_naming(names)


def _named_beyond_its_def(module: ModuleAnalysis, name: str) -> bool:
    """The function's name occurs in the text other than in its `def` (a Keras `call` or
    `train_step` usually does not): a call of it, or of an alias, may exist."""
    counted = _word_count(module, name)
    if counted is None:
        return True
    words, defined = counted
    return words > defined


def _word_count(module: ModuleAnalysis, name: str) -> tuple[int, int] | None:
    """How often `name` occurs in the module's text as a whole word, and how often as
    `def <name>`. None for non-ASCII text, whose identifiers the parser normalises.

    The first names asked are found one by one (a search for a literal, then a look at
    its neighbours, is far cheaper than listing every word); past that, every word of
    the module is counted once, so a module asking about thousands of names is still
    scanned a bounded number of times.
    """
    text = module.text
    if not text.isascii():
        return None
    cache = module.evidence_cache
    counted = cache.word_counts.get(name)
    if counted is not None:
        return counted
    if cache.all_words is not None:
        words, defined = cache.all_words
        return words[name], defined[name]
    if len(cache.word_counts) >= _NAMES_SEARCHED_ONE_BY_ONE:
        cache.all_words = words, defined = Counter(_WORD.findall(text)), Counter(_DEF_NAME.findall(text))
        return words[name], defined[name]
    counted = cache.word_counts[name] = _occurrences(text, name)
    return counted


def _occurrences(text: str, name: str) -> tuple[int, int]:
    """`_word_count` of one name in ASCII text: where it occurs as a whole word, and
    whether `def` and white space come before it there."""
    words = defined = 0
    for start in whole_word_offsets(text, name):
        words += 1
        before = start - 1
        while before >= 0 and text[before].isspace():
            before -= 1
        if (
            before < start - 1
            and text.endswith("def", 0, before + 1)
            and (before < 3 or not is_word_character(text[before - 3]))
        ):
            defined += 1
    return words, defined


_NAMES_SEARCHED_ONE_BY_ONE = 32
_DEF_NAME = re.compile(r"\bdef\s+(\w+)")


def _call_index(module: ModuleAnalysis) -> _CallIndex:
    index = module.evidence_cache.call_index
    if index is None:
        index = module.evidence_cache.call_index = _CallIndex(module)
    return index


_OWN_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _in_own_scope(site: _Site, index: _CallIndex) -> bool:
    """The call sits in a lambda or a comprehension, whose names are not its function's."""
    key: object = site.function
    if site.function is None:
        # At module level: the top-level statement that holds the call.
        key = next((s for s in index.module_body if s.lineno <= site.call.lineno <= (s.end_lineno or s.lineno)), None)
    ranges = index.own_scopes.get(key)
    if ranges is None:
        root: ast.AST | None = site.function if site.function is not None else key  # type: ignore[assignment]
        ranges = index.own_scopes[key] = [
            _span(node) for node in (walk(root) if root is not None else ()) if isinstance(node, _OWN_SCOPES)
        ]
    start, end = _span(site.call)
    return any(outer_start <= start and end <= outer_end for outer_start, outer_end in ranges)


def _span(node: ast.AST) -> tuple[tuple[int, int], tuple[int, int]]:
    return (
        (node.lineno, node.col_offset),  # type: ignore[attr-defined]
        (node.end_lineno or 0, node.end_col_offset or 0),  # type: ignore[attr-defined]
    )


def _site_facts(module: ModuleAnalysis, site: _Site) -> TensorFacts | None:
    """The Facts of the code a call sits in: its graph scope's, or a plain function's
    (whose own parameters are then not known), or the module body's."""
    building = module.evidence_cache.building
    cache = module.evidence_cache.site_facts
    function = site.function
    if function is not None:
        scope = module.scope_of.get(function)
        if scope is not None:
            if function in building:
                return None  # a recursion: the caller's Facts wait for this scope's
            return module.tensors(scope)
        facts = cache.get(function)
        if facts is None:
            plain = GraphScope(
                function,
                "calls a graph function",
                site.klass,
                autograph=False,
                local_names=_call_index(module).local_names(function),
                kind="caller",
            )
            facts = cache[function] = TensorFacts(plain, module.imports, module.constants)
        return facts
    facts = cache.get(None)
    if facts is None:
        body = ast.FunctionDef(
            name="<module>",
            args=ast.arguments(
                posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]
            ),
            body=module.tree.body,
            decorator_list=[],
            returns=None,
            type_comment=None,
        )
        if "type_params" in ast.FunctionDef._fields:
            body.type_params = []  # type: ignore[attr-defined,unused-ignore]  # Python 3.12+
        names = frozenset(module.imports.other_bindings - set(module.constants))
        plain = GraphScope(body, "module level", None, autograph=False, local_names=names, kind="caller")
        facts = cache[None] = TensorFacts(plain, module.imports, module.constants)
    return facts


__all__ = ["DATASET", "ROLES", "Evidence", "call_sites", "parameter_evidence"]
