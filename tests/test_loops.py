"""Graph loops and static dtypes inside graph scopes."""

from __future__ import annotations

import ast
import textwrap

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scope_facts import ScopeFacts
from rewriter.settings import Settings


def facts(source: str) -> tuple[ModuleAnalysis, ScopeFacts, ast.FunctionDef]:
    """The first scope's facts, with the module analysis they belong to (which must be
    kept alive while they are used: they refer to it weakly)."""
    text = textwrap.dedent(source)
    module = ModuleAnalysis(text, ast.parse(text), Settings())
    scope = module.graph_scopes[0]
    return module, module.scope_facts(scope), scope.node


def loops(source: str) -> list[bool]:
    _module, found, node = facts(source)
    return [found.is_graph_loop(n) for n in ast.walk(node) if isinstance(n, (ast.For, ast.While))]


def returned_dtype(source: str) -> str | None:
    _module, found, node = facts(source)
    returned = [n for n in ast.walk(node) if isinstance(n, ast.Return)][-1]
    assert returned.value is not None
    return found.dtype(returned.value)


def test_graph_loops() -> None:
    assert loops("""
        import tensorflow as tf
        @tf.function
        def f(x, n, ds):
            for i in tf.range(n): pass
            for i in range(tf.shape(x)[0]): pass
            for i in range(3): pass
            for i in range(n): pass
            for row in tf.zeros([3, 2]): pass
            for part in tf.unstack(x): pass
            for b in tf.data.Dataset.range(4).batch(2): pass
            for b in ds: pass
            while tf.reduce_sum(x) > 1.0: pass
            while n > 0: pass
    """) == [True, True, False, False, True, False, True, False, True, False]


def test_loop_carried_tensor_makes_a_while_a_graph_loop() -> None:
    assert loops("""
        import tensorflow as tf
        @tf.function
        def f(x, threshold):
            i = tf.constant(0)
            while i < threshold:
                i += 1
            done = False
            while not done:  # a Python bool that only later becomes a tensor: not certain
                done = tf.gather(x, i) > threshold
            flag = False
            while not flag:
                flag = True
    """) == [True, False, False]


def test_input_signature_makes_parameters_tensors() -> None:
    assert loops("""
        import tensorflow as tf
        class M(tf.Module):
            @tf.function(input_signature=[tf.TensorSpec([None], tf.int64)])
            def f(self, x):
                for value in x: pass
    """) == [True]
    assert (
        returned_dtype("""
        import tensorflow as tf
        @tf.function(input_signature=[tf.TensorSpec([None], tf.int64), tf.TensorSpec([])])
        def f(x, y):
            return x * 2, y
    """)
        is None
    )  # a tuple has no dtype
    assert (
        returned_dtype("""
        import tensorflow as tf
        @tf.function(input_signature=[tf.TensorSpec([None], tf.int64), tf.TensorSpec([])])
        def f(x, y):
            return y + 1
    """)
        == "float32"
    )


def test_autograph_off_has_no_graph_loops() -> None:
    assert loops("""
        import tensorflow as tf
        @tf.function(autograph=False)
        def f(n):
            for i in tf.range(n): pass
    """) == [False]


def test_dtypes() -> None:
    cases = {
        "tf.cast(i, tf.float32) * 2.0": "float32",
        "i * 2": "int32",
        "i / 2": "float64",
        "tf.zeros([3])": "float32",
        "tf.zeros([3], tf.int64)": "int64",
        "tf.ones([2], dtype=tf.float16)": "float16",
        "tf.random.uniform([2], 0, 10, dtype=tf.int32)": "int32",
        "tf.reduce_sum(tf.cast(x, 'float64'))": "float64",
        "x[: i + 1]": None,  # x is a parameter without a signature
        "tf.argmax(tf.zeros([3]))": "int64",
        "tf.shape(x)[0]": "int32",
        "i > 1": "bool",
        "total": "float32",
        "3.0": "float32",
        "np.float32(3)": None,
        "tf.maximum(0.0, x)": None,
    }
    for expression, expected in cases.items():
        source = f"""
            import numpy as np
            import tensorflow as tf
            @tf.function
            def f(x, n):
                total = tf.zeros([2])
                for i in tf.range(tf.size(x)):
                    total += tf.cast(i, tf.float32)
                    total = total * 2.0
                return {expression}
        """
        assert returned_dtype(source) == expected, expression


def test_values_from_private_tensorflow_modules_are_not_trusted() -> None:
    assert loops("""
        import tensorflow as tf
        from tensorflow.python.util import nest
        from tensorflow.python.ops import ragged_tensor
        @tf.function
        def f(x, mask):
            for part in nest.flatten(x): pass
            first, second = nest.flatten(x)
            for p in first: pass
            while ragged_tensor.is_ragged(mask): pass
            for i in tf.range(3): pass
    """) == [False, False, False, True]
