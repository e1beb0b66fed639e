"""Report (and where faithful, rewrite) tensors turned into Python or NumPy values in graph code.

## What it does
Finds, inside functions that `tf.function` traces, calls that need a concrete value of a
tensor: `t.numpy()`, `bool(t)`, `int(t)` / `float(t)` where AutoGraph's cast loses data
or there is no AutoGraph, `len(t)` without AutoGraph, and NumPy functions called on
tensors (`np.mean(t)`, `np.sum`, `np.exp`, `np.argmax`, `np.concatenate`, `np.clip`,
`np.where`, ...). The NumPy functions with a TensorFlow equivalent are listed in
`rewriter/rules/_numpy_table.py`, with NumPy's result dtypes. Also `t.shape[k]` used
as a Python int (a shape list of `tf.zeros`/`tf.reshape`, `tf.range`, Python `range`,
NumPy, `[0] * n`, `int`) where dimension k may not be static.

## Why is this bad?
While tracing, a tensor is symbolic: it has no value yet. `t.numpy()` raises
`AttributeError`, `bool(t)` raises `OperatorNotAllowedInGraphError`, NumPy raises
"Cannot convert a symbolic tf.Tensor to a numpy array". AutoGraph turns `int(t)` and
`float(t)` into casts to int32/float32: a tensor, not a Python number, and int64 or
float64 values silently lose data. Without AutoGraph (`autograph=False`) `int`, `float`
and `len` raise `TypeError`. `t.shape[k]` of a dimension only known at run time (an
`input_signature` with None, a dataset's batch dimension) is None while tracing:
`tf.zeros([t.shape[0], 3])` raises "None values not supported".

## Example
    @tf.function
    def mean_score(scores):
        return np.mean(scores) + tf.reduce_max(scores.numpy())

Use instead:

    @tf.function
    def mean_score(scores):
        return tf.reduce_mean(scores) + tf.reduce_max(scores)

## Fix safety
A NumPy call on tensors of known dtype becomes its TensorFlow equivalent with NumPy's
result dtype kept (`np.mean` of an int32 tensor is float64, so the tensor is cast first;
`np.sum` of int32 is int64). Safe when TensorFlow computes the same bits; unsafe when
float sums or transcendental functions may round the last digit differently, or when a
parameter of the `tf.function` is assumed to be passed a tensor, or the result is printed
with `tf.print` (which shows a NumPy value as `array([...])`); the message says which.
The result is then a tensor where eagerly it was a NumPy value: no fix when the code
uses it as one (`.item()`, `.astype()`, a Python condition), nor when it meets a tensor
of another dtype (eagerly TensorFlow converts the NumPy value to that dtype; a tensor
is not converted), and unsafe when it meets a value of unknown dtype. `np.argmax` without `axis`
gets a fix only for a 1-D tensor (NumPy flattens).

`t.numpy()` becomes `t` where the value goes straight into a TensorFlow op or meets a
tensor in arithmetic (safe), or is returned (unsafe: callers get a tensor, not an
array). `len(t)` without AutoGraph becomes `tf.shape(t)[0]` where the result goes
into a TensorFlow op. It is not reported where `t` may be a list: Keras inputs known
only by the parameter's role, names unpacked from them, and names the code unpacks.
`bool`, `int` and `float` are only reported: what to use instead (`tf.cast`, a tensor
condition, `t.shape`) depends on what the code means.

`t.shape[k]` (alone, in int arithmetic, in a shape list, or through a name bound once)
feeding an argument of `tf.zeros`, `tf.ones`, `tf.fill`, `tf.reshape`, `tf.range`,
`tf.tile`, `tf.broadcast_to`, `tf.one_hot`, ... becomes `tf.shape(t)[k]`: safe when the
signature (or the analysis) shows the dimension is None; unsafe when nothing says what
it is (where it is static the result loses that static size), and then only dimension 0
is reported, the one datasets and Keras leave unknown, and only in a dataset callback, a
Keras step or call, or a `tf.function(reduce_retracing=True)`: a plain `tf.function`
called with eager tensors traces each static shape it meets. Python `range`, NumPy, `[0] * n`
and `int` need a Python int: reported only. A dimension known static, a NumPy array's
shape, and uses under `if t.shape[k] is not None` are left alone. `for i in
range(t.shape[k])` is left to AG003 (python-range-loop), which rewrites the whole loop to
`tf.range(tf.shape(t)[k])` where it can and otherwise reports it: one finding a span.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.nodes import parent_map
from rewriter.analyze.scopes import GraphScope
from rewriter.analyze.syntax import access_root
from rewriter.analyze.tensors import COMPARISONS, ELEMENTWISE, Kind, TensorFacts, iter_loads
from rewriter.rules._base import Applicability, Edit, Example, Fix, ImportRequest, NoFix, Rule, Violation
from rewriter.rules._numpy_calls import replacement
from rewriter.rules._numpy_table import TABLE
from rewriter.rules._shape_dims import shape_dimension
from rewriter.source import has_comment

# TensorFlow functions that convert a NumPy array argument into the same tensor.
_TENSOR_CONSUMERS = (
    ELEMENTWISE
    | COMPARISONS
    | {f"{p}reduce_{r}" for p in ("", "math.") for r in ("sum", "mean", "max", "min", "prod")}
    | {"reshape", "transpose", "cast", "concat", "stack", "gather", "matmul", "linalg.matmul", "abs", "exp", "square"}
)
# Builtins whose use of a value is a Python one (the NumPy result must stay NumPy).
_PYTHON_USES = frozenset({"print", "str", "repr", "format", "float", "int", "bool", "round", "list", "tuple", "len"})
# Dtypes whose realistic values AutoGraph's int32/float32 cast loses: 64-bit integers
# (ids, timestamps, counters past 2**31) and float64 precision. A float32 truncated to
# int32, or an int32 converted to float32, behaves as Python's int()/float() did.
_NARROWED = {
    "int": frozenset({"int64", "uint32", "uint64"}),
    "float": frozenset({"float64", "int64", "uint32", "uint64"}),
}
_CONVERSIONS = ("builtins.int", "builtins.float", "builtins.bool", "builtins.len")


class TensorToPythonConversion(Rule):
    CODE = "AG009"
    NAME = "tensor-to-python-conversion"
    MESSAGE = "a tensor has no concrete value while tracing"
    FIX_TITLE = "Use the TensorFlow equivalent"

    VALID = (
        """
        import numpy as np
        import tensorflow as tf

        def eager(x):
            return np.mean(x.numpy())
        """,
        """
        import numpy as np
        import tensorflow as tf

        @tf.function
        def f(x):
            return np.mean([1.0, 2.0]) * x
        """,
        """
        import numpy as np
        import tensorflow as tf

        @tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
        def f(x):
            if tf.executing_eagerly():
                return x.numpy()
            return x
        """,
        """
        import numpy as np
        import tensorflow as tf

        @tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
        def f(x):
            return int(tf.shape(x)[0]) + len(x)
        """,
        """
        import numpy as np
        import tensorflow as tf

        @tf.function(input_signature=[tf.TensorSpec([None, 3])])
        def f(x):
            return tf.zeros([x.shape[1]])
        """,
    )
    INVALID = (
        Example(
            """
            import numpy as np
            import tensorflow as tf

            @tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
            def f(x):
                return np.mean(x)
            """,
            """
            import tensorflow as tf

            @tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
            def f(x):
                return tf.reduce_mean(tf.cast(x, tf.float64))
            """,
            options={"unsafe_fixes": True},
            name="np-mean-of-a-tensor-unsafe",
        ),
        Example(
            """
            import numpy as np
            import tensorflow as tf

            @tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
            def f(x):
                return np.max(x, axis=0) + tf.reduce_sum(x.numpy())
            """,
            """
            import tensorflow as tf

            @tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
            def f(x):
                return tf.reduce_max(x, axis=0) + tf.reduce_sum(x)
            """,
            name="np-max-and-numpy-call",
        ),
        Example(
            """
            import numpy as np
            import tensorflow as tf

            @tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
            def f(x):
                return bool(x[0] > 0)
            """,
            None,
            name="bool-of-a-tensor-has-no-fix",
        ),
        Example(
            """
            import tensorflow as tf

            @tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
            def f(x):
                return tf.zeros([x.shape[0], 2])
            """,
            """
            import tensorflow as tf

            @tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
            def f(x):
                return tf.zeros([tf.shape(x)[0], 2])
            """,
            name="unknown-static-dimension",
        ),
        Example(
            """
            import numpy as np
            import tensorflow as tf

            @tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
            def f(x):
                return np.zeros(x.shape[0])
            """,
            None,
            name="np-zeros-of-unknown-dimension-has-no-fix",
        ),
    )

    def check(self, module: ModuleAnalysis) -> Iterator[Violation]:
        for scope in module.graph_scopes:
            candidates = [
                node
                for node in scope.nodes()
                if (isinstance(node, ast.Call) and _may_convert(module, node))
                or (
                    isinstance(node, ast.Subscript)
                    and isinstance(node.value, ast.Attribute)
                    and node.value.attr == "shape"
                )
            ]
            if not candidates:
                continue  # no tensor facts needed: most scopes convert nothing and read no shape
            context = _Context(module, scope, module.tensors(scope))
            for node in candidates:
                if isinstance(node, ast.Subscript):
                    dimension = shape_dimension(self, context, node)
                    if dimension is not None:
                        yield dimension
                    continue
                if context.under_eager_guard(node):
                    continue
                found = (
                    _numpy_method(self, context, node)
                    or _builtin(self, context, node)
                    or _numpy_function(self, context, node)
                )
                if found is not None:
                    yield found


def _may_convert(module: ModuleAnalysis, node: ast.Call) -> bool:
    """The shapes the three checks below look at, before any fact: `x.numpy()`, a builtin
    conversion, a NumPy function (a local name that shadows one is told apart later)."""
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "numpy":
        return True
    qualified = module.imports.resolve(func)
    return qualified is not None and (qualified in _CONVERSIONS or qualified.startswith("numpy."))


class _Context:
    def __init__(self, module: ModuleAnalysis, scope: GraphScope, facts: TensorFacts) -> None:
        self.module, self.scope, self.facts = module, scope, facts
        self.parents = parent_map(scope.nodes())
        # Parameters of a tf.function (not of a callee) without a default: callers
        # usually pass tensors or NumPy arrays, which tf.function turns into tensors.
        args = scope.node.args
        positional = args.posonlyargs + args.args
        plain = positional[: len(positional) - len(args.defaults)]
        self.assumed = frozenset(
            a.arg for a in plain if scope.kind == "tf.function" and a.arg not in ("self", "cls")
        ) - {name for name in scope.local_names if len(facts.bindings(name)) > 1}

    def under_eager_guard(self, node: ast.AST) -> bool:
        """Inside `if tf.executing_eagerly():` (or a `hasattr(x, "numpy")` test)."""
        child, parent = node, self.parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.If) and child is not parent.test:
                test = self.module.lines.segment(parent.test)
                if "executing_eagerly" in test or "numpy" in test:
                    return True
            child, parent = parent, self.parents.get(parent)
        return False

    def tf(self) -> tuple[str, tuple[ImportRequest, ...]]:
        found = self.module.tensorflow_name(self.scope)
        if found is None:
            raise NoFix("no free name for tensorflow")
        return found

    def tensor_use(self, node: ast.expr) -> str | None:
        """'op' when the value goes straight into a TensorFlow op or meets a known tensor
        in arithmetic, 'return' when it is returned, else None."""
        parent = self.parents.get(node)
        if isinstance(parent, ast.Call) and node is not parent.func:
            name = self.facts.tf_name(parent.func)
            if name in _TENSOR_CONSUMERS and node in parent.args[:2]:
                return "op"
        if isinstance(parent, ast.BinOp) and not isinstance(parent.op, ast.MatMult):
            other = parent.right if node is parent.left else parent.left
            if self.facts.is_tensor(other):
                return "op"
        if isinstance(parent, ast.Return):
            return "return"
        return None

    def meetings(self, node: ast.expr, dtype: str | None) -> list[str]:
        """What is assumed about the operands a NumPy result meets in arithmetic or a
        TensorFlow op (directly, or through the name it is assigned to).

        Eagerly TensorFlow converts a NumPy value to the dtype of the tensor it meets
        (an int64 sum meeting an int32 tensor becomes int32); a tensor of NumPy's dtype
        does not convert, so a tensor of another dtype there is a dtype error: NoFix.
        """
        parent = self.parents.get(node)
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            return [r for load in iter_loads(self.scope.node, parent.targets[0].id) for r in self.meetings(load, dtype)]
        others: list[ast.expr] = []
        if isinstance(parent, ast.BinOp):
            others = [parent.right if node is parent.left else parent.left]
        elif isinstance(parent, ast.Call) and node is not parent.func and self.facts.tf_name(parent.func) is not None:
            if self.facts.tf_name(parent.func) == "print":
                return []
            others = [a for a in parent.args if a is not node]
        reasons = []
        for other in others:
            # `t.numpy()` is an array of `t`'s dtype (AG009 rewrites it to `t` too).
            while (
                isinstance(other, ast.Call)
                and isinstance(other.func, ast.Attribute)
                and other.func.attr == "numpy"
                and not other.args
                and self.facts.is_tensor(other.func.value)
            ):
                other = other.func.value
            fact = self.facts.of(other)
            if fact.is_python("int", "float", "bool") or (fact.is_tensor and fact.dtype == dtype and dtype):
                continue
            shown = self.module.lines.segment(other)
            if fact.is_tensor and fact.dtype is not None:
                raise NoFix(
                    f"NumPy's {dtype} result meets the {fact.dtype} tensor `{shown}`: eagerly it is converted, "
                    "a tensor is not"
                )
            reasons.append(f"assumes `{shown}` is a Python number or a {dtype or 'same-dtype'} tensor")
        return reasons

    def printed(self, node: ast.expr) -> bool:
        """The value goes to `tf.print`, directly or through a local name."""
        parent = self.parents.get(node)
        if isinstance(parent, ast.Call) and node is not parent.func:
            return self.facts.tf_name(parent.func) == "print"
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            return any(self.printed(load) for load in iter_loads(self.scope.node, parent.targets[0].id))
        return False

    def used_as_numpy(self, node: ast.expr) -> str | None:
        """How the code uses a NumPy result as a NumPy or Python value, if it does."""
        parent = self.parents.get(node)
        if isinstance(parent, ast.Attribute):
            return f"`.{parent.attr}` is read from the result"
        if isinstance(parent, (ast.If, ast.While, ast.IfExp, ast.Assert, ast.BoolOp, ast.Compare, ast.FormattedValue)):
            return "the result is used as a Python value"
        if isinstance(parent, ast.Call) and node is not parent.func:
            name = self.facts.resolve(parent.func)
            if name and name.startswith("builtins.") and name.split(".", 1)[1] in _PYTHON_USES:
                return f"the result goes to `{name.split('.', 1)[1]}`"
        if isinstance(parent, ast.Assign) and len(parent.targets) == 1 and isinstance(parent.targets[0], ast.Name):
            name = parent.targets[0].id
            for load in iter_loads(self.scope.node, name):
                if self.used_as_numpy(load):
                    return f"`{name}` is used as a NumPy value"
        elif isinstance(parent, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.NamedExpr)):
            return "the result is stored where it is not followed"
        return None


def _numpy_method(rule: Rule, context: _Context, node: ast.Call) -> Violation | None:
    func = node.func
    if not (isinstance(func, ast.Attribute) and func.attr == "numpy") or node.args or node.keywords:
        return None
    receiver = func.value
    fact = context.facts.of(receiver)
    root = access_root(receiver)
    known = fact.kind is Kind.TENSOR
    local = isinstance(root, ast.Name) and root.id in context.scope.local_names
    # A Python value, or a module-level one (an eager tensor captured while tracing has a value).
    if fact.kind is Kind.PYTHON or not (known or local):
        return None
    span = context.module.lines.node_range(node)
    what = context.module.lines.segment(receiver)
    message = f"`{what}.numpy()` raises in a graph (a tensor has no NumPy value while tracing)"
    use = context.tensor_use(node)
    if use is None:
        return rule.violation(span, f"{message}; use the tensor `{what}` itself")
    reasons = [] if known else [f"assumes `{what}` is a tensor or variable"]
    if use == "return":
        reasons.append("the function then returns a tensor, not a NumPy array")
    try:
        reasons += context.meetings(node, fact.dtype if known else None)
    except NoFix as why:
        return rule.report(span, message=f"{message}; use the tensor `{what}` itself", no_fix=why)
    applicability = Applicability.UNSAFE if reasons else Applicability.SAFE
    text = what if not isinstance(receiver, (ast.NamedExpr, ast.Lambda, ast.IfExp)) else f"({what})"
    fix = Fix(
        applicability, "Use the tensor itself" + (f" ({'; '.join(reasons)})" if reasons else ""), (Edit(*span, text),)
    )
    return rule.violation(span, message, fix)


def _builtin(rule: Rule, context: _Context, node: ast.Call) -> Violation | None:
    name = context.facts.resolve(node.func)
    if name not in _CONVERSIONS:
        return None
    if len(node.args) != 1 or node.keywords or not context.facts.is_tensor(node.args[0]):
        return None
    builtin = name.split(".", 1)[1]
    argument = node.args[0]
    shown = context.module.lines.segment(argument)
    dtype = context.facts.dtype(argument)
    span = context.module.lines.node_range(node)
    autograph = context.scope.autograph
    if builtin == "bool":
        return rule.violation(
            span,
            f"`bool({shown})` raises in a graph (OperatorNotAllowedInGraphError); use the tensor "
            f"condition itself, or `tf.cast({shown}, tf.bool)` where a tensor is meant",
        )
    if builtin == "len":
        if autograph:
            return None  # AutoGraph gives the static length, or tf.shape(t)[0]
        if _structure_by_role(context, argument) or _used_as_sequence(context, argument):
            return None  # timid: Keras passes `call` a list or tuple as often as a tensor
        message = f"`len({shown})` raises in a graph without AutoGraph (TypeError)"
        if context.tensor_use(node) != "op":
            return rule.violation(span, f"{message}; use `tf.shape({shown})[0]`, or `{shown}.shape[0]` when static")
        try:
            tf, imports = context.tf()
        except NoFix:
            return rule.violation(span, message)
        fix = Fix(Applicability.SAFE, "Use `tf.shape(...)[0]`", (Edit(*span, f"{tf}.shape({shown})[0]"),), imports)
        return rule.violation(span, message, fix)
    cast = "int32" if builtin == "int" else "float32"
    if not autograph:
        return rule.violation(
            span, f"`{builtin}({shown})` raises in a graph without AutoGraph (TypeError); use `tf.cast({shown}, ...)`"
        )
    parent = context.parents.get(node)
    if isinstance(parent, ast.Subscript) and node is parent.slice and not context.facts.is_tensor(parent.value):
        return rule.violation(
            span,
            f"AutoGraph turns `{builtin}({shown})` into a tensor (`tf.cast`), which cannot index "
            f"`{context.module.lines.segment(parent.value)}` (TypeError); use `tf.gather`, or keep the index static",
        )
    if dtype not in _NARROWED[builtin]:
        return None  # the cast AutoGraph makes keeps the value
    wide = "int64" if builtin == "int" else "float64"
    return rule.violation(
        span,
        f"AutoGraph turns `{builtin}({shown})` of a {dtype} tensor into `tf.cast(..., tf.{cast})`: a "
        f"tensor, not a Python {builtin}, and the value may not fit; use `tf.cast({shown}, tf.{wide})`",
    )


def _structure_by_role(context: _Context, node: ast.expr) -> bool:
    """A parameter known to be a tensor only from its role (`call(self, inputs)`,
    `train_step(self, data)`), or a name unpacked from one (`boxes, maps = inputs`): Keras
    passes a list, tuple or dict of tensors there as readily as one tensor, nested too,
    and `len` of those is their length."""
    if not isinstance(node, ast.Name):
        return False
    evidence = context.facts.evidence(node.id)
    if evidence is None:
        sources = _unpacked_from(context, node.id)
        return any(context.facts.evidence(s.id) is not None and _structure_by_role(context, s) for s in sources)
    return bool(evidence.sources) and all(s.startswith("role ") for s in evidence.sources)


def _unpacked_from(context: _Context, name: str) -> list[ast.Name]:
    """The names `name` is unpacked from in the scope (`a, name = source`)."""
    return [
        part.value
        for part in context.scope.nodes()
        if isinstance(part, ast.Assign)
        and isinstance(part.value, ast.Name)
        and part.value.id != name
        and any(
            isinstance(target, (ast.Tuple, ast.List))
            and any(isinstance(e, ast.Name) and e.id == name for e in target.elts)
            for target in part.targets
        )
    ]


def _used_as_sequence(context: _Context, node: ast.expr) -> bool:
    """The function unpacks the name (`x, y = data`: iterating a symbolic tensor raises
    without AutoGraph) or tests it with `isinstance(..., (list, tuple))`: a Python sequence."""
    if not isinstance(node, ast.Name):
        return False
    for part in context.scope.nodes():
        if isinstance(part, ast.Assign) and isinstance(part.value, ast.Name) and part.value.id == node.id:
            if any(isinstance(t, (ast.Tuple, ast.List)) for t in part.targets):
                return True
        if (
            isinstance(part, ast.Call)
            and context.facts.resolve(part.func) == "builtins.isinstance"
            and len(part.args) == 2
            and isinstance(part.args[0], ast.Name)
            and part.args[0].id == node.id
        ):
            kinds = context.module.lines.segment(part.args[1])
            if "list" in kinds or "tuple" in kinds:
                return True
    return False


def _numpy_function(rule: Rule, context: _Context, node: ast.Call) -> Violation | None:
    qualified = context.facts.resolve(node.func)
    if not qualified or not qualified.startswith("numpy.") or qualified.startswith(("numpy.random.", "numpy.testing.")):
        return None
    arguments = list(node.args) + [k.value for k in node.keywords]
    flat = [e for a in arguments for e in (a.elts if isinstance(a, (ast.List, ast.Tuple)) else [a])]
    tensors = [a for a in flat if context.facts.is_tensor(a)]
    assumed = [
        a for a in flat if isinstance(a, ast.Name) and a.id in context.assumed and context.facts.of(a).is_unknown
    ]
    name = qualified.split(".", 1)[1]
    # A parameter only assumed to be a tensor is reported for the table's array math
    # alone: `np.zeros(n)` or `np.float32(x)` are far more often given Python values.
    if not tensors and not (assumed and name in TABLE):
        return None
    shown = "np." + name
    span = context.module.lines.node_range(node)
    subject = context.module.lines.segment((tensors or assumed)[0])
    if tensors:
        message = f"`{shown}` on the tensor `{subject}` raises in a graph (Cannot convert a symbolic tf.Tensor to a numpy array)"
    else:
        message = f"`{shown}` on `{subject}` raises in a graph if it is passed a tensor or NumPy array (tf.function makes both tensors)"
    row = TABLE.get(name)
    if row is None:
        return rule.violation(span, f"{message}; use the TensorFlow op (`tf.experimental.numpy.{name}` follows NumPy)")
    try:
        if has_comment(context.module.lines.segment(node)):
            raise NoFix("a comment inside the call")  # timid: it would be lost
        reason = context.used_as_numpy(node)
        if reason is not None:
            raise NoFix(f"{reason}, which a tensor is not")
        tf, imports = context.tf()
        found = replacement(row, node, context.facts, context.module.lines, tf, context.assumed)
        unsafe = found.assumptions + context.meetings(node, found.dtype)
    except NoFix as why:
        return rule.report(span, message=f"{message}; use `tf.{row.tf}`", no_fix=why)
    if context.printed(node):
        unsafe.append("`tf.print` shows a NumPy value as `array([...])`, a tensor as its values")
    fix = Fix(
        Applicability.UNSAFE if unsafe else Applicability.SAFE,
        f"Use `tf.{row.tf}`" + (f" ({'; '.join(unsafe)})" if unsafe else ""),
        (Edit(*span, found.text),),
        imports,
    )
    return rule.violation(span, message, fix)
