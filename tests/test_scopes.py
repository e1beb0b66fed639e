"""Which functions are graph scopes."""

from __future__ import annotations

import ast
import textwrap

from rewriter.analyze.imports import ImportTable
from rewriter.analyze.scopes import find_graph_scopes


def scopes(source: str) -> dict[str, tuple[str, bool, bool]]:
    tree = ast.parse(textwrap.dedent(source))
    found = find_graph_scopes(tree, ImportTable.from_module(tree))
    return {s.node.name: (s.reason, s.jit_compile, s.autograph) for s in found}


def test_decorator_forms_and_aliases() -> None:
    found = scopes("""
        import tensorflow as tf2
        import tensorflow
        from tensorflow import function
        from tensorflow import function as tf_function

        @tf2.function
        def a(): pass
        @tf2.function(jit_compile=True)
        def b(): pass
        @function
        def c(): pass
        @tf_function(autograph=False)
        def d(): pass
        @tensorflow.compat.v2.function
        def e(): pass
        @other.function
        def f(): pass
        def g(): pass
    """)
    assert set(found) == {"a", "b", "c", "d", "e"}
    assert found["b"][1] is True and found["d"][2] is False


def test_methods_static_and_class_methods() -> None:
    found = scopes("""
        import tensorflow as tf
        class M(tf.Module):
            @tf.function
            def m(self): self.helper()
            def helper(self): pass
            def unrelated(self): pass
            @staticmethod
            @tf.function
            def s(): pass
            @classmethod
            @tf.function(input_signature=[])
            def c(cls): pass
    """)
    assert set(found) == {"m", "helper", "s", "c"}


def test_wrapping_call_and_callees() -> None:
    found = scopes("""
        import tensorflow as tf
        def leaf(): pass
        def middle(): leaf()
        def root(): middle()
        fast = tf.function(root)
        def body(i): return i + 1
        def loop(): return tf.while_loop(lambda i: i < 3, body, [0])
        loop_g = tf.function(loop, jit_compile=True)
        def eager_only(): leaf()
    """)
    assert set(found) == {"leaf", "middle", "root", "body", "loop"}
    assert found["body"][1] is True  # jit spreads to what runs inside


def test_py_function_callbacks_are_not_graph_scopes() -> None:
    found = scopes("""
        import tensorflow as tf
        def cb(x): return x
        def np_cb(x): return x
        @tf.function
        def f(x):
            cb(x)  # also called directly: still a Python callback elsewhere, stay timid
            tf.py_function(cb, [x], tf.float32)
            return tf.numpy_function(np_cb, [x], tf.float32)
    """)
    assert set(found) == {"f"}


def test_shadowed_names_do_not_resolve() -> None:
    found = scopes("""
        import tensorflow as tf
        def helper(): pass
        @tf.function
        def f(helper):
            helper()
        function = lambda g: g
        @function
        def h(): pass
    """)
    assert set(found) == {"f"}
