"""Report tensors used as Python bools where AutoGraph cannot convert them; fix two forms.

## What it does
Finds, inside functions that `tf.function` traces, tensor conditions that need a Python
bool: the `if` of a comprehension or generator (`[v for v in vs if v > 0]`), `any(...)`
/ `all(...)` over tensors, `assert` on a tensor, and in scopes that run without
AutoGraph (`autograph=False`) every `if`, `while`, conditional expression, `and` / `or`
operand and `not` on a tensor. It also finds `if x:` on a parameter that defaults to
`None` and is otherwise used as a tensor.

## Why is this bad?
While tracing, a tensor has no truth value: Python asks for one and TensorFlow raises
`OperatorNotAllowedInGraphError` ("Using a symbolic `tf.Tensor` as a Python `bool` is
not allowed"). AutoGraph rewrites `if`, `while`, `and`, `or`, `not` and conditional
expressions into TensorFlow control flow, but not comprehension conditions, the
builtins `any`/`all`, or `assert` statements (its assert conversion is off by
default), and nothing at all where AutoGraph is off. `if x:` on an optional tensor
parameter tests the tensor's value rather than whether it was given: a non-bool tensor
fails in a graph (eagerly it is truthy), a non-scalar one raises.

## Example
    @tf.function
    def step(x, weight=None):
        assert tf.reduce_all(x >= 0.0), "negative input"
        if weight:
            x = x * tf.cast(weight, x.dtype)
        return x

Use instead:

    @tf.function
    def step(x, weight=None):
        tf.debugging.Assert(tf.reduce_all(x >= 0.0), ["negative input"])
        if weight is not None:
            x = x * tf.cast(weight, x.dtype)
        return x

## Fix safety
Both fixes are unsafe. `assert cond, msg` becomes `tf.debugging.Assert(cond, [msg])`
for a bool tensor condition: it checks on every call, but a failure raises
`InvalidArgumentError` instead of `AssertionError`, and `python -O` no longer skips it.
No fix under `jit_compile` (XLA has no Assert). `if x:` becomes `if x is not None:`
(and `if not x:` becomes `if x is None:`) only when the parameter defaults to `None`,
is never rebound, and is used as a tensor elsewhere in the function (in arithmetic with
a known tensor, or as an operand of a TensorFlow math op); it assumes callers pass
`None` or a tensor, never a falsy value meant to switch the branch off. Everything else is reported without a fix: use
`tf.boolean_mask` / `tf.where` for comprehension filters, `tf.reduce_any` /
`tf.reduce_all` for `any` / `all`, and `tf.cond` / `tf.while_loop` /
`tf.logical_and` where AutoGraph is off.

Not reported: code under `if tf.executing_eagerly():` (alone or in an `and`), which
never runs while tracing; `assert` in a function whose `experimental_autograph_options`
turn on `ASSERT_STATEMENTS` (AutoGraph then converts it); and the operands of an `and`
that is itself reported as an `if`/`while` test (one finding for one test).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cached_property

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.nodes import walk
from rewriter.analyze.scopes import GraphScope
from rewriter.analyze.syntax import unsubscripted
from rewriter.analyze.tensors import COMPARISONS, ELEMENTWISE, TensorFacts, loads_and_parents
from rewriter.rules._base import Applicability, Edit, Example, Fix, Rule, Violation

_ORDER = (ast.Lt, ast.Gt, ast.LtE, ast.GtE, ast.Eq, ast.NotEq)
_ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow, ast.MatMult)
# `tf.cast` is left out: it is as often applied to Python numbers.
_TENSOR_MATH = ELEMENTWISE | COMPARISONS | {"matmul", "linalg.matmul", "where"}
_ELEMENT_LISTS = frozenset({"unstack", "split", "unique", "dynamic_partition"})


class TensorAsPythonBool(Rule):
    CODE = "AG010"
    NAME = "tensor-as-python-bool"
    MESSAGE = "a tensor is used as a Python bool where AutoGraph cannot convert it"
    FIX_TITLE = "Use TensorFlow control flow or a presence test"

    VALID = (
        """
        import tensorflow as tf

        @tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
        def f(x):
            if tf.reduce_sum(x) > 0:
                x = -x
            return x if x[0] > 0 else x * 2
        """,
        """
        import tensorflow as tf

        @tf.function
        def f(x, training=None):
            if training:
                x = tf.nn.dropout(x, 0.5)
            return x
        """,
        """
        import tensorflow as tf

        @tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
        def f(x):
            return tf.stack([v for v in tf.unstack(x)])
        """,
        """
        import tensorflow as tf

        @tf.function
        def f(xs):
            return [x for x in xs if x is not None]
        """,
    )
    INVALID = (
        Example(
            """
            import tensorflow as tf

            @tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
            def f(x):
                assert tf.reduce_all(x > 0.0), 'negative'
                return x
            """,
            """
            import tensorflow as tf

            @tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
            def f(x):
                tf.debugging.Assert(tf.reduce_all(x > 0.0), ['negative'])
                return x
            """,
            options={"unsafe_fixes": True},
            name="assert-on-a-tensor",
        ),
        Example(
            """
            import tensorflow as tf

            @tf.function
            def f(x, weight=None):
                if weight:
                    x = tf.multiply(x, weight)
                return x
            """,
            """
            import tensorflow as tf

            @tf.function
            def f(x, weight=None):
                if weight is not None:
                    x = tf.multiply(x, weight)
                return x
            """,
            options={"unsafe_fixes": True},
            name="optional-tensor-tested-for-truth",
        ),
        Example(
            """
            import tensorflow as tf

            @tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
            def f(x):
                return tf.stack([v for v in tf.unstack(x) if v > 0])
            """,
            None,
            name="comprehension-condition",
        ),
    )

    def check(self, module: ModuleAnalysis) -> Iterator[Violation]:
        for scope in module.graph_scopes:
            checker = _Checker(self, module, scope)
            eager_only = _under_eager_guard(module, scope)
            asked = _ASKED if scope.autograph else _ASKED_WITHOUT_AUTOGRAPH
            for node in scope.nodes():
                if type(node) in asked and node not in eager_only:
                    yield from checker.visit(node)


class _Checker:
    def __init__(self, rule: Rule, module: ModuleAnalysis, scope: GraphScope) -> None:
        self.rule, self.module, self.scope = rule, module, scope
        self.element_names: set[str] = set()  # comprehension targets that hold tensors
        self.reported_tests: set[ast.expr] = set()  # `if`/`while` tests already reported whole
        # `experimental_autograph_options=(Feature.ASSERT_STATEMENTS,)` converts `assert`.
        decorators = getattr(scope.node, "decorator_list", [])
        self.converts_assert = any(
            "ASSERT_STATEMENTS" in module.lines.segment(d) or "Feature.ALL" in module.lines.segment(d)
            for d in decorators
        )

    @cached_property
    def facts(self) -> TensorFacts:
        # Built on the first question only: most scopes hold no test this rule asks about.
        return self.module.tensors(self.scope)

    def tensorish(self, node: ast.expr) -> bool:
        """The value is a tensor: known to the analysis, or built from a tensor element."""
        if self.facts.is_tensor(node) or (isinstance(node, ast.Name) and node.id in self.element_names):
            return not self._narrowed_to_python(node)  # asked only of what would count
        if isinstance(node, ast.Name):
            return False
        if isinstance(node, ast.Compare):
            if not all(isinstance(op, _ORDER) for op in node.ops):
                return False
            return any(self.tensorish(part) for part in [node.left, *node.comparators])
        if isinstance(node, ast.BoolOp):
            return any(self.tensorish(value) for value in node.values)
        if isinstance(node, ast.UnaryOp):
            return self.tensorish(node.operand)
        if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Load):
            return isinstance(node, ast.Subscript) and self.tensorish(node.value)
        if isinstance(node, ast.BinOp):
            return self.tensorish(node.left) or self.tensorish(node.right)
        return False

    def _narrowed_to_python(self, node: ast.expr) -> bool:
        """`x` or `x[k]` inside `if isinstance(x, list):` (or tuple, dict, str, a number):
        the branch only runs when `x` is a Python value."""
        root = unsubscripted(node)
        if not isinstance(root, ast.Name):
            return False
        parents = self.module.scope_facts(self.scope).parents
        child: ast.AST = node
        parent = parents.get(node)
        while parent is not None and parent is not self.scope.node:
            if isinstance(parent, ast.If) and child in parent.body and self._isinstance_python(parent.test, root.id):
                return True
            child, parent = parent, parents.get(parent)
        return False

    def _isinstance_python(self, test: ast.expr, name: str) -> bool:
        parts = test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) else [test]
        for part in parts:
            if (
                isinstance(part, ast.Call)
                and self.module.resolve(self.scope, part.func) == "builtins.isinstance"
                and len(part.args) == 2
                and isinstance(part.args[0], ast.Name)
                and part.args[0].id == name
            ):
                types = part.args[1].elts if isinstance(part.args[1], ast.Tuple) else [part.args[1]]
                if all(isinstance(t, ast.Name) and t.id in _PYTHON_TYPES for t in types):
                    return True
        return False

    def report(self, node: ast.AST, message: str, fix: Fix | None = None) -> Violation:
        return self.rule.violation(self.module.lines.node_range(node), message, fix)

    def visit(self, node: ast.AST) -> Iterator[Violation]:
        segment = self.module.lines.segment
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            self._register(node)
            for generator in node.generators:
                for condition in generator.ifs:
                    if self.tensorish(condition):
                        yield self.report(
                            condition,
                            f"the comprehension condition `{segment(condition)}` is a tensor, and AutoGraph does not "
                            "convert comprehensions (OperatorNotAllowedInGraphError); filter with `tf.boolean_mask` "
                            "or select with `tf.where`",
                        )
        elif (
            isinstance(node, ast.Call)
            and self._may_be_any_or_all(node.func)
            and (builtin := self.module.resolve(self.scope, node.func)) in _ANY_ALL
        ):
            argument = node.args[0] if len(node.args) == 1 and not node.keywords else None
            if isinstance(argument, (ast.GeneratorExp, ast.ListComp)):
                self._register(argument)  # the walk reaches the comprehension after this call
                if self.tensorish(argument.elt):
                    name = str(builtin).split(".")[1]
                    yield self.report(
                        node,
                        f"`{name}(...)` needs a Python bool from each tensor element (OperatorNotAllowedInGraphError); "
                        f"use `tf.reduce_{name}` on a stacked tensor",
                    )
        elif isinstance(node, ast.Assert) and self.tensorish(node.test):
            if not self.converts_assert:
                yield self._assert(node)
        elif isinstance(node, ast.If) and (found := self._optional_parameter(node)) is not None:
            yield found
        elif not self.scope.autograph:
            yield from self._without_autograph(node)

    def _may_be_any_or_all(self, func: ast.expr) -> bool:
        """Whether `func` can resolve to `any` or `all` at all (most calls cannot, and are
        not resolved)."""
        if isinstance(func, ast.Attribute):
            return func.attr in ("any", "all")
        if not isinstance(func, ast.Name):
            return False
        if func.id in ("any", "all"):
            return True
        return self.module.imports.qualified.get(func.id) in _ANY_ALL

    def _register(self, comprehension: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> None:
        """Remember the comprehension's targets that hold tensor elements."""
        for generator in comprehension.generators:
            if self._yields_tensors(generator.iter):
                self.element_names.update(n.id for n in walk(generator.target) if isinstance(n, ast.Name))

    def _yields_tensors(self, iterable: ast.expr) -> bool:
        if self.facts.is_tensor(iterable):
            return True
        return isinstance(iterable, ast.Call) and self.facts.tf_name(iterable.func) in _ELEMENT_LISTS

    def _assert(self, node: ast.Assert) -> Violation:
        segment = self.module.lines.segment
        message = (
            f"`assert {segment(node.test)}` asks a tensor for a Python bool; AutoGraph does not convert "
            "`assert` (OperatorNotAllowedInGraphError)"
        )
        tf = self.module.tensorflow_name(self.scope)
        if self.facts.dtype(node.test) != "bool" or self.scope.jit_compile or tf is None:
            return self.report(node, f"{message}; use `tf.debugging.Assert(condition, [message])`")
        name, imports = tf
        data = segment(node.msg) if node.msg is not None else repr(f"assertion failed: {segment(node.test)}")
        text = f"{name}.debugging.Assert({segment(node.test)}, [{data}])"
        fix = Fix(
            Applicability.UNSAFE,
            "Check with `tf.debugging.Assert` (a failure raises InvalidArgumentError, not AssertionError, "
            "and `python -O` no longer skips it)",
            (Edit(*self.module.lines.node_range(node), text),),
            imports,
        )
        return self.report(node, message, fix)

    def _optional_parameter(self, node: ast.If) -> Violation | None:
        test, negated = node.test, False
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            test, negated = test.operand, True
        if not isinstance(test, ast.Name) or test.id not in _none_defaults(self.scope.node):
            return None
        name = test.id
        if not self._read_in_math(name):
            return None  # decided without building the scope's Facts
        if len(self.facts.bindings(name)) != 1 or self.facts.of(test).is_python():
            return None  # rebound, or a Python value: the truth test may be meant
        if not self._used_as_tensor(name):
            return None  # e.g. `training=None`: a flag, whose truth value is the point
        replacement = f"{name} is None" if negated else f"{name} is not None"
        fix = Fix(
            Applicability.UNSAFE,
            f"Test `{replacement}` (assumes callers pass None or a tensor, never a falsy value meant "
            "to switch the branch off)",
            (Edit(*self.module.lines.node_range(node.test), replacement),),
        )
        return self.report(
            node.test,
            f"`if {self.module.lines.segment(node.test)}:` tests the value of the tensor `{name}`, not whether it "
            "was passed: a non-bool tensor fails in a graph, a non-scalar one raises",
            fix,
        )

    def _read_in_math(self, name: str) -> bool:
        """Some read of `name` is an arithmetic operand or a positional call argument: what
        `_used_as_tensor` needs before it asks anything of the Facts."""
        for load, parent in loads_and_parents(self.scope.node, name):
            if isinstance(parent, ast.BinOp) and isinstance(parent.op, _ARITHMETIC):
                return True
            if isinstance(parent, ast.Call) and load in parent.args:
                return True
        return False

    def _used_as_tensor(self, name: str) -> bool:
        """Some read of `name` is tensor math: arithmetic with a known tensor, or an operand
        of a TensorFlow math op (not merely any TensorFlow call: `tf.io.gfile.exists(path)`)."""
        loads = loads_and_parents(self.scope.node, name)
        for _, parent in loads:
            if isinstance(parent, ast.Call) and (self.module.resolve(self.scope, parent.func) or "").startswith(
                "builtins."
            ):
                return False  # `range(n)`, `len(x)`, `str(path)`: a Python value after all
        for load, parent in loads:
            if isinstance(parent, ast.BinOp) and isinstance(parent.op, _ARITHMETIC):
                other = parent.right if load is parent.left else parent.left
                if self.facts.is_tensor(other):
                    return True
            if isinstance(parent, ast.Call) and load in parent.args and self.facts.tf_name(parent.func) in _TENSOR_MATH:
                return True
        return False

    def _without_autograph(self, node: ast.AST) -> Iterator[Violation]:
        tests: list[ast.expr] = []
        if isinstance(node, (ast.If, ast.While, ast.IfExp)):
            tests = [node.test]
            if self._is_tensor(node.test):
                self.reported_tests.add(node.test)
        elif isinstance(node, ast.BoolOp) and node not in self.reported_tests:
            tests = node.values[:-1]  # the last operand is returned, never tested
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            tests = [node.operand]
        for test in tests:
            # `not t` is reported at its operand, when the `not` itself is visited.
            negation = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
            if self._is_tensor(test) and not negation and not self._narrowed_to_python(test):
                yield self.report(
                    test,
                    f"`{self.module.lines.segment(test)}` is a tensor tested as a Python bool in a function traced "
                    "without AutoGraph (OperatorNotAllowedInGraphError); use `tf.cond`, `tf.while_loop` or "
                    "`tf.logical_and`/`tf.logical_or`/`tf.logical_not`",
                )

    def _is_tensor(self, test: ast.expr) -> bool:
        """`facts.is_tensor(test)`; for a parameter the body never rebinds (`if training:`),
        answered from its evidence, without solving the scope."""
        if isinstance(test, ast.Name):
            fact = self.module.parameter_fact(self.scope, test.id)
            if fact is not None:
                return fact.is_tensor
        return self.facts.is_tensor(test)


_ANY_ALL = ("builtins.any", "builtins.all")
# The nodes `_Checker.visit` looks at: with AutoGraph, comprehensions, calls (`any`/`all`),
# `assert` and `if`; without it, every test as well.
_ASKED = frozenset({ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp, ast.Call, ast.Assert, ast.If})
_ASKED_WITHOUT_AUTOGRAPH = _ASKED | {ast.While, ast.IfExp, ast.BoolOp, ast.UnaryOp}
# `isinstance(x, ...)` with only these means `x` is a Python value in that branch.
_PYTHON_TYPES = frozenset({"list", "tuple", "dict", "set", "str", "bytes", "int", "float", "bool"})


def _under_eager_guard(module: ModuleAnalysis, scope: GraphScope) -> set[ast.AST]:
    """Nodes in the body of an `if` whose test calls `tf.executing_eagerly()` (alone or in
    an `and`): they run only eagerly, where a tensor has a Python bool."""
    guarded: set[ast.AST] = set()
    for node in scope.nodes():
        if isinstance(node, ast.If) and "executing_eagerly" in module.lines.segment(node.test):
            test = node.test
            negated = isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not)
            eager_only = [] if negated else node.body
            conjunct = isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And)
            if isinstance(test, ast.BoolOp) and not conjunct:
                continue  # `a or tf.executing_eagerly()` also runs in graphs
            guarded.update(part for statement in eager_only for part in ast.walk(statement))
    return guarded


def _none_defaults(function: ast.FunctionDef | ast.Lambda) -> set[str]:
    args = function.args
    positional = args.posonlyargs + args.args
    pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults))
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None]
    return {a.arg for a, d in pairs if isinstance(d, ast.Constant) and d.value is None}
