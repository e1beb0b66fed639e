"""Create a `tf.Variable` made in a graph scope once, in a lazy holder, and reset it per call.

## What it does
Finds `tf.Variable(...)` calls inside functions that `tf.function` traces, and reports
(without a fix) the other ways graph code makes variables on every trace: Keras
optimizers, layers and metrics (`keras.optimizers.Adam()`, `keras.layers.Dense(4)`,
`keras.metrics.Mean()`; layers without weights such as `Flatten` excepted),
`tf.keras.backend.variable` / `keras.Variable`, and variables made in a comprehension
(`[tf.Variable(tf.zeros_like(v)) for v in model.trainable_variables]`).

## Why is this bad?
`tf.function` allows variables to be created on the first trace only: the function
raises `ValueError: tf.function only supports singleton tf.Variables created on the first
call` (the first call traces twice). Eagerly, the same code creates a fresh variable on
every call, so its state starts over each time. Moving the creation out of the function
is not enough: the state would then carry over from call to call (1, 2, 3 where eager
code gives 1, 1, 1).

## Example
    @tf.function
    def step(x):
        v = tf.Variable(0.0)
        v.assign_add(x)
        return v * 2.0

Use instead:

    _step_v = None


    @tf.function
    def step(x):
        global _step_v
        if _step_v is None:
            _step_v = tf.Variable(0.0)
        v = _step_v
        v.assign(0.0)
        v.assign_add(x)
        return v * 2.0

In a method the holder is an instance attribute set to `None` in `__init__` (an
`__init__` forwarding its arguments to `super().__init__` is added when the class has
none), so every instance, and `tf.saved_model.save`, sees its own variable. A function
defined inside another function (a factory such as `make_step(dim)`) gets a holder local
to that function, reached with `nonlocal`: every function the factory returns has its
own variable, as every eager call had.

## Fix safety
The variable is created once under a plain Python `if ... is None` (it runs at trace
time) with the original arguments, and the original initial value is assigned at the
original place on every call, so each call starts from the same state as eager code.
When the initial value depends on the arguments, the variable is created with
`shape=tf.TensorShape(None)` so that a retrace with another shape works. The holder
code is indented as the surrounding code is (two spaces stay two spaces, tabs stay tabs).

A returned variable is returned as `v.read_value()`, the value a fresh variable would
have held; that fix is unsafe, since eagerly the caller got a new variable and may use
it as one (`.assign`, identity).

The fix is unsafe when the variable is used as an object (stored, passed to non-TensorFlow
code, used by a nested function: eager code hands out a new variable per call, the fix
always the same one), when it is assigned to `self.<attribute>` (other code sees one
variable reset per call), when the initial value calls non-TensorFlow code (in a
graph it runs only while tracing, twice on the first call), and when its dtype follows
arguments whose dtype is not known statically (a later call with another dtype would
fail).

A name bound to a fresh variable more than once (`v = tf.Variable(1.0)`, later
`v = tf.Variable(2.0)`) gets one holder per binding.

No fix when the variable is not assigned to a plain name or `self.<attribute>`, when the
name is also bound some other way (or a creation reads it), when the initial value is a
callable, when the creation sits in a loop that may run in Python (each iteration makes
its own variable, perhaps of another dtype or shape, and one holder cannot stand for them
all), or when it sits inside a graph loop or another block and reads names bound inside
the function (the creation would move away from their bindings).
Variables created in `__init__` or `build`, or under a lazy guard (`if self.v is None:`,
`if not hasattr(...)`, `if not self.built:`), are not reported. Keras 3 does not track
a raw `tf.Variable` attribute as a layer weight (nor did it track the original per-call
variable); use `add_weight` in `build` for real weights.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scope_facts import ScopeFacts
from rewriter.analyze.scopes import GraphScope
from rewriter.analyze.syntax import parameters
from rewriter.rules._base import Applicability, Edit, Example, Fix, ImportRequest, NoFix, Rule, Violation
from rewriter.rules._holders import (
    Holder,
    NoHolder,
    attribute_holder,
    closure_holder,
    declaration_edits,
    indent_unit,
    indentation,
    module_holder,
)
from rewriter.rules._variable_uses import alone_on_its_lines, pure, shifted, static_shape_read, use_edits

# Keras objects that own variables (optimizer slots and iterations, layer weights, metric
# totals), by module; `tensorflow.` is stripped first, so `tf.keras.*` matches too.
_KERAS_STATEFUL = {
    "keras.optimizers": "optimizer",
    "keras.optimizers.legacy": "optimizer",
    "keras.layers": "layer",
    "keras.metrics": "metric",
}
_KERAS_VARIABLE = frozenset({"keras.backend.variable", "keras.Variable", "keras.variables.Variable"})
_STATELESS_LAYERS = frozenset(
    {"Flatten", "Reshape", "Activation", "Permute", "RepeatVector", "Concatenate", "Add", "Subtract", "Multiply"}
    | {"Average", "Maximum", "Minimum", "Lambda", "InputLayer", "Cropping1D", "Cropping2D", "ZeroPadding1D"}
    | {"ZeroPadding2D", "UpSampling1D", "UpSampling2D", "MaxPooling1D", "MaxPooling2D", "AveragePooling1D"}
    | {"AveragePooling2D", "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalMaxPooling1D"}
    | {"GlobalMaxPooling2D", "Softmax", "ReLU"}
)
_VARIABLE = frozenset({"tensorflow.Variable", "tensorflow.compat.v2.Variable", "tensorflow.compat.v1.Variable"})


@dataclass
class _Plan:
    call: ast.Call
    anchor: ast.stmt  # the top-level statement (module holder) or the class (attribute holder)
    holder: Holder
    edits: list[Edit]
    reasons: list[str] = field(default_factory=list)
    imports: tuple[ImportRequest, ...] = ()
    keras: bool = False


class VariableCreatedInGraph(Rule):
    CODE = "AG005"
    NAME = "variable-created-in-graph"
    MESSAGE = "`tf.Variable` created in a graph: tf.function allows it on the first call only"
    FIX_TITLE = "Create the variable once in a holder and assign its initial value on every call"

    VALID = (
        """
        import tensorflow as tf

        class M(tf.Module):
            def __init__(self):
                self.v = tf.Variable(1.0)

            @tf.function
            def __call__(self, x):
                return self.v.assign_add(x)
        """,
        """
        import tensorflow as tf

        class M(tf.Module):
            def __init__(self):
                self.v = None

            @tf.function
            def __call__(self, x):
                if self.v is None:
                    self.v = tf.Variable(x)
                return self.v.assign_add(x)
        """,
        """
        import tensorflow as tf

        def eager(x):
            return tf.Variable(x)
        """,
    )
    INVALID = (
        Example(
            """
            import tensorflow as tf

            @tf.function
            def f(x):
                v = tf.Variable(1.0)
                v.assign_add(x)
                return v * 2.0
            """,
            """
            import tensorflow as tf

            _f_v = None


            @tf.function
            def f(x):
                global _f_v
                if _f_v is None:
                    _f_v = tf.Variable(1.0)
                v = _f_v
                v.assign(1.0)
                v.assign_add(x)
                return v * 2.0
            """,
            name="variable-made-on-every-call",
        ),
        Example(
            """
            import tensorflow as tf

            @tf.function
            def f(x):
                return tf.Variable(x) + 1
            """,
            None,
            name="variable-inside-an-expression",
        ),
    )

    def check(self, module: ModuleAnalysis) -> Iterator[Violation]:
        plans: list[_Plan] = []
        taken: set[Holder] = set()  # holders chosen so far in this module
        for scope in module.graph_scopes:
            if not isinstance(scope.node, ast.FunctionDef):
                continue  # a lambda scope: no statement to hold a variable's creation
            if scope.class_node is not None and scope.node.name in ("__init__", "build"):
                continue  # these run once per instance by convention (Keras calls build once)
            facts = module.scope_facts(scope)
            for node in scope.nodes():
                if not isinstance(node, ast.Call):
                    continue
                made = _stateful_object(module, scope, node)
                if made is None and not _is_variable(module, scope, node):
                    continue
                if facts.lazily_guarded(node):
                    continue  # already the "create on first call" pattern
                if made is not None:
                    yield self.report(
                        module.lines.node_range(node),
                        message=f"{made}, and tf.function allows variables on the first call only",
                        no_fix="create it once, outside the function or in `__init__`; whether its state must "
                        "persist or start over per call is the program's choice",
                    )
                    continue
                if isinstance(facts.parents.get(node), (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                    yield self.report(
                        module.lines.node_range(node),
                        no_fix="a comprehension makes one variable per element; create them once, outside the "
                        "function or in `__init__`",
                    )
                    continue
                try:
                    plan = _plan(module, scope, facts, node, taken)
                except NoFix as reason:  # NoHolder is one kind
                    yield self.report(module.lines.node_range(node), no_fix=reason)
                    continue
                taken.add(plan.holder)
                plans.append(plan)
        yield from self._with_declarations(module, plans)

    def _with_declarations(self, module: ModuleAnalysis, plans: list[_Plan]) -> Iterator[Violation]:
        """Every fix of one declaration site carries the same declaration edit.

        It declares the holders of all fixes that will be applied, so fixes applied in
        one pass share one identical edit instead of adding `__init__` twice.
        """

        def applied(plan: _Plan) -> bool:
            return not plan.reasons or module.settings.unsafe_fixes

        for plan in plans:
            group = [
                p.holder
                for p in plans
                if p.anchor is plan.anchor and (applied(p) or p is plan) and p.holder.site == plan.holder.site
            ]
            span = module.lines.node_range(plan.call)
            try:
                declaration = declaration_edits(module, group, plan.anchor)
            except NoHolder as reason:
                yield self.report(span, no_fix=reason)
                continue
            message = self.FIX_TITLE
            if plan.reasons:
                message += f" ({'; '.join(dict.fromkeys(plan.reasons))})"
            if plan.keras:
                message += "; Keras 3 does not track a raw `tf.Variable` attribute as a weight"
            applicability = Applicability.UNSAFE if plan.reasons else Applicability.SAFE
            edits = tuple(plan.edits) + declaration
            yield self.violation(span, fix=Fix(applicability, message, edits, plan.imports))


def _stateful_object(module: ModuleAnalysis, scope: GraphScope, call: ast.Call) -> str | None:
    """What `call` makes, when it is an object that owns variables (or a Keras variable)."""
    name = (module.resolve(scope, call.func) or "").removeprefix("tensorflow.")
    if name in _KERAS_VARIABLE:
        return f"`{name}` creates a variable in a graph on every trace"
    head, _, leaf = name.rpartition(".")
    if head.removeprefix("compat.v2.").removeprefix("compat.v1.") not in _KERAS_STATEFUL or not leaf[:1].isupper():
        return None
    if head.endswith("layers") and leaf in _STATELESS_LAYERS:
        return None
    kind = _KERAS_STATEFUL[head.removeprefix("compat.v2.").removeprefix("compat.v1.")]
    return f"a Keras {kind} (`{leaf}`) created in a graph makes its variables on every trace"


def _is_variable(module: ModuleAnalysis, scope: GraphScope, call: ast.Call) -> bool:
    return module.resolve(scope, call.func) in _VARIABLE


def _plan(module: ModuleAnalysis, scope: GraphScope, facts: ScopeFacts, call: ast.Call, taken: set[Holder]) -> _Plan:
    statement = facts.parents.get(call)
    if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
        raise NoFix("the variable is not assigned to a name or attribute")
    keywords = {k.arg: k.value for k in call.keywords}
    init = call.args[0] if call.args else keywords.get("initial_value")
    if init is None or None in keywords or any(isinstance(a, ast.Starred) for a in call.args):
        raise NoFix("the initial value is not visible")
    if isinstance(init, ast.Lambda):
        raise NoFix("the initial value is a callable")
    if not alone_on_its_lines(module, statement):
        raise NoFix("the assignment shares its line with other code")
    python_loop = next((loop for loop in _loops_around(facts, scope, statement) if not facts.is_graph_loop(loop)), None)
    if python_loop is not None:
        raise NoFix(
            f"it sits in a loop (line {python_loop.lineno}) that may run in Python, one new variable per iteration; "
            "they cannot all share one holder"
        )
    target = statement.targets[0]
    self_name = facts.self_name
    reasons: list[str] = []
    anchor: ast.stmt
    function = scope.name.strip("_") or "fn"
    if isinstance(target, ast.Name):
        if facts.binding_count(target.id) != 1 and not _fresh_variable_each_time(module, scope, facts, target.id):
            raise NoFix(f"`{target.id}` is bound more than once")
        if self_name is not None and scope.class_node is not None:
            holder = attribute_holder(scope.class_node, f"_{function}_{target.id}", taken)
            holder_text, anchor = f"{self_name}.{holder.name}", scope.class_node
        elif scope.enclosing_functions:
            # A factory makes a new function per call: each needs its own variable, so
            # the holder is a local of the factory, not one module global shared by all.
            outer = scope.enclosing_functions[-1]
            holder = closure_holder(module, outer, f"_{function}_{target.id}", taken)
            holder_text, anchor = holder.name, _statement_in(outer, scope.node)
        else:
            holder = module_holder(module, f"_{function}_{target.id}", taken)
            holder_text, anchor = holder.name, _top_level_statement(module, scope.node)
    elif (
        isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and target.value.id == self_name
        and scope.class_node is not None
    ):
        holder = attribute_holder(scope.class_node, target.attr, taken, exact=True)
        holder_text, anchor = module.lines.segment(target), scope.class_node
        reasons.append(
            f"code that keeps `{holder_text}` sees one variable reset on every call, not a new variable per call"
        )
    else:
        raise NoFix("the variable is assigned to something other than a name or `self.<attribute>`")

    depends = {n.id for n in ast.walk(init) if isinstance(n, ast.Name)} & (scope.local_names - {self_name})
    creation, imports = _creation_text(module, scope, call, bool(depends) and "shape" not in keywords)
    if depends and "dtype" not in keywords and facts.dtype(init) is None and scope.input_signature is None:
        reasons.append("a later call with arguments of another dtype fails: the variable keeps the first call's dtype")
    if not pure(module, init):
        reasons.append(
            "the initial value calls Python code, which in a graph runs only while tracing "
            "(and twice on the first call)"
        )
    edits, uses = use_edits(module, scope, facts, target) if isinstance(target, ast.Name) else ([], [])
    reasons += uses
    if depends and "shape" not in keywords and static_shape_read(scope, target):
        reasons.append(
            "the variable's static shape is unknown while tracing: it is created with `shape=tf.TensorShape(None)`"
        )

    lines = module.lines
    start, end = lines.node_range(statement)
    indent = indentation(module, statement)
    body = scope.node
    assert isinstance(body, ast.FunctionDef)  # lambda scopes are skipped in `check`
    unit = indent_unit(indentation(module, _first_statement(body)), indentation(module, body))
    # Logical lines; the source segments inside them keep their own line breaks.
    lazy = [f"if {holder_text} is None:", f"{unit}{holder_text} = {shifted(creation, unit)}"]
    if holder.site != "class":
        lazy.insert(0, f"{'nonlocal' if holder.site == 'closure' else 'global'} {holder_text}")
    init_text = lines.segment(init)
    reset = (
        [f"{target.id} = {holder_text}", f"{target.id}.assign({init_text})"]
        if isinstance(target, ast.Name)
        else [f"{holder_text}.assign({init_text})"]
    )
    if _directly_in_body(facts, scope, statement):
        edits.append(Edit(start, end, ("\n" + indent).join(lazy + reset)))
    else:
        # The creation moves to the top of the function: every name it reads (the
        # initial value, `dtype=`, ...) must be bound there already, to the same value.
        params = {a.arg for a in parameters(scope.node)}
        rebound = {n.id for n in scope.nodes() if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
        reads = {n.id for n in ast.walk(call) if isinstance(n, ast.Name)} & (scope.local_names - {self_name})
        if reads - (params - rebound):
            names = ", ".join(f"`{n}`" for n in sorted(reads - (params - rebound)))
            raise NoFix(f"the creation sits inside a block and reads {names}, bound in the function")
        first = _first_statement(scope.node)
        top = lines.offset_from_ast(first.lineno, first.col_offset)
        first_indent = indentation(module, first)
        edits.append(Edit(top, top, "".join(line + "\n" + first_indent for line in lazy)))
        edits.append(Edit(start, end, ("\n" + indent).join(reset)))
    keras = any("keras" in (module.imports.resolve(b) or "") for b in getattr(anchor, "bases", ()))
    return _Plan(call, anchor, holder, edits, reasons, imports, keras)


def _loops_around(facts: ScopeFacts, scope: GraphScope, node: ast.AST) -> list[ast.For | ast.While]:
    loops: list[ast.For | ast.While] = []
    parent = facts.parents.get(node)
    while parent is not None and parent is not scope.node:
        if isinstance(parent, (ast.For, ast.While)) and node not in getattr(parent, "orelse", ()):
            loops.append(parent)
        node, parent = parent, facts.parents.get(parent)
    return loops


def _statement_in(outer: ast.FunctionDef | ast.AsyncFunctionDef, node: ast.AST) -> ast.stmt:
    """The statement of `outer`'s own body that holds `node`."""
    for statement in outer.body:
        if statement is node or any(child is node for child in ast.walk(statement)):
            return statement
    raise NoHolder("the function is not in its enclosing function's body")


def _fresh_variable_each_time(module: ModuleAnalysis, scope: GraphScope, facts: ScopeFacts, name: str) -> bool:
    """Every binding of `name` is `name = tf.Variable(...)` that does not read `name`.

    Each binding then gets a holder of its own, and each use reads the variable of the
    binding before it, as eagerly. A creation that reads the name (`v = tf.Variable(v + 1)`)
    would read the new holder after the rebinding, not the old variable.
    """
    if any(a.arg == name for a in parameters(scope.node)):
        return False
    for node in ast.walk(scope.node):
        if isinstance(node, (ast.Global, ast.Nonlocal)) and name in node.names:
            return False
        if not (isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load)):
            continue
        statement = facts.parents.get(node)
        if not (
            isinstance(statement, ast.Assign)
            and statement.targets == [node]
            and isinstance(statement.value, ast.Call)
            and _is_variable(module, scope, statement.value)
            and not any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(statement.value))
        ):
            return False
    return True


def _top_level_statement(module: ModuleAnalysis, node: ast.AST) -> ast.stmt:
    for statement in module.tree.body:
        if statement is node or any(child is node for child in ast.walk(statement)):
            return statement
    raise NoHolder("the function is not in the module")


def _directly_in_body(facts: ScopeFacts, scope: GraphScope, statement: ast.stmt) -> bool:
    """True when only `with` blocks lie between the function and `statement`."""
    parent = facts.parents.get(statement)
    while parent is not scope.node:
        if not isinstance(parent, ast.With):
            return False
        parent = facts.parents.get(parent)
    return True


def _first_statement(function: ast.FunctionDef | ast.Lambda) -> ast.stmt:
    assert isinstance(function, ast.FunctionDef), "lambda scopes are skipped"
    body = function.body
    first = (
        body[1]
        if len(body) > 1
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
        else body[0]
    )
    if first.lineno == function.lineno:
        raise NoFix("the function body starts on the `def` line")
    return first


def _creation_text(
    module: ModuleAnalysis, scope: GraphScope, call: ast.Call, unknown_shape: bool
) -> tuple[str, tuple[ImportRequest, ...]]:
    text = module.lines.segment(call)
    if not unknown_shape:
        return text, ()
    tf = module.tensorflow_name(scope)
    if tf is None:
        raise NoFix("no name is free to refer to tensorflow")
    start = module.lines.node_range(call)[0]
    last = max(module.lines.node_range(n)[1] for n in [*call.args, *call.keywords])
    return text[: last - start] + f", shape={tf[0]}.TensorShape(None)" + text[last - start :], tf[1]
