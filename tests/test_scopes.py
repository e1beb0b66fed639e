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


def kinds(source: str, graph_decorators: frozenset[str] = frozenset()) -> dict[str, tuple[str, bool]]:
    """name (or `<lambda>@line`) -> (kind, autograph) of every graph scope."""
    tree = ast.parse(textwrap.dedent(source))
    found = find_graph_scopes(tree, ImportTable.from_module(tree), graph_decorators=graph_decorators)
    return {(s.name if not s.is_lambda else f"<lambda>@{s.node.lineno}"): (s.kind, s.autograph) for s in found}


def test_dataset_callbacks_named_and_lambda_module_level_pipeline() -> None:
    found = kinds("""
        import random
        import tensorflow as tf
        def augment(x): return x
        def keep(x): return x > 0
        def total(state, x): return state + x
        def unrelated(x): return x
        ds = tf.data.Dataset.from_tensor_slices([1, 2])
        ds = ds.map(augment, num_parallel_calls=tf.data.AUTOTUNE).filter(predicate=keep).batch(2)
        ds = ds.map(lambda v: v + random.random())
        n = ds.reduce(0, total)
        pool.map(unrelated, [1, 2])
    """)
    assert found == {
        "augment": ("tf.data", True),
        "keep": ("tf.data", True),
        "total": ("tf.data", True),
        "<lambda>@10": ("tf.data", True),
    }


def test_dataset_reached_through_a_function_parameter_named_like_one() -> None:
    found = kinds("""
        import tensorflow as tf
        def parse(record): return record
        def pipeline(train_ds):
            return train_ds.shuffle(10).map(parse)
        def other(frame):
            return frame.filter(parse)
    """)
    assert found == {"parse": ("tf.data", True)}


def test_keras_methods_through_every_import_form_and_subclasses() -> None:
    found = kinds("""
        import keras
        import tensorflow as tf
        from keras import layers
        class Model3(keras.Model):
            def train_step(self, data): return self.helper(data)
            def helper(self, data): return data
            def test_step(self, data): return data
            def predict_step(self, data): return data
            def summary_text(self): return ""
        class Child(Model3):
            def call(self, x): return x
        class Block(layers.Layer):
            def call(self, x): return x
            def build(self, shape): pass
        class TfKeras(tf.keras.layers.Dense):
            def call(self, x): return x
        class Acc(keras.metrics.Metric):
            def update_state(self, y, p): pass
            def result(self): return 0
            def reset_state(self): pass
        class MyLoss(keras.losses.Loss):
            def call(self, y, p): return y - p
        class NotKeras(object):
            def call(self, x): return x
    """)
    assert found == {
        "train_step": ("keras-step", False),
        "helper": ("callee", False),
        "test_step": ("keras-step", False),
        "predict_step": ("keras-step", False),
        "call": found["call"],  # Child, Block, TfKeras and MyLoss share the name: checked below
        "update_state": ("keras-loss", False),
        "result": ("keras-loss", False),
    }
    tree = ast.parse(
        textwrap.dedent("""
        import keras
        import tensorflow as tf
        from keras import layers
        class Base(keras.Model):
            pass
        class Child(Base):
            def call(self, x): return x
        class Block(layers.Layer):
            def call(self, x): return x
        class TfKeras(tf.keras.layers.Dense):
            def call(self, x): return x
        class NotKeras(object):
            def call(self, x): return x
    """)
    )
    owners = [s.class_node.name for s in find_graph_scopes(tree, ImportTable.from_module(tree)) if s.class_node]
    assert owners == ["Child", "Block", "TfKeras"]
    tree = ast.parse(
        textwrap.dedent("""
        import keras
        class Child(keras.Model):
            def call(self, x): return x
        class MyLoss(keras.losses.Loss):
            def call(self, y, p): return y - p
    """)
    )
    calls = find_graph_scopes(tree, ImportTable.from_module(tree))
    assert [(s.class_node.name if s.class_node else None, s.kind) for s in calls] == [
        ("Child", "keras-call"),
        ("MyLoss", "keras-loss"),
    ]


def test_keras2_is_converted_by_autograph() -> None:
    found = kinds("""
        import tf_keras
        class M(tf_keras.Model):
            def train_step(self, data): return data
    """)
    assert found == {"train_step": ("keras-step", True)}


def test_compile_arguments_and_lambda_layers() -> None:
    found = kinds("""
        import keras
        import re
        def huber(y, p): return y - p
        def acc(y, p): return y
        def scale(x): return x * 2
        def pattern(): pass
        model = keras.Sequential([keras.layers.Lambda(scale), keras.layers.Lambda(lambda t: t + 1)])
        model.compile(optimizer="adam", loss=huber, metrics=[acc, "mae"])
        re.compile("x")
    """)
    assert found == {
        "huber": ("keras-loss", False),
        "acc": ("keras-loss", False),
        "scale": ("keras-call", False),
        "<lambda>@8": ("keras-call", False),
    }


def test_run_eagerly_models_are_not_graph_code() -> None:
    found = kinds("""
        import keras
        class Eager(keras.Model):
            def train_step(self, data): return data
        class Traced(keras.Model):
            def train_step(self, data): return data
            def call(self, x): return x
        model = Eager()
        model.compile(loss="mse", run_eagerly=True)
    """)
    assert set(found) == {"train_step", "call"}
    tree = ast.parse(
        textwrap.dedent("""
        import keras
        class Eager(keras.Model):
            def train_step(self, data): return data
        class Block(keras.layers.Layer):
            def call(self, x): return x
        def loss(y, p): return y
        build().compile(loss=loss, run_eagerly=True)
    """)
    )
    assert find_graph_scopes(tree, ImportTable.from_module(tree)) == []


def test_tf_function_lambda_aliases_partial_and_factories() -> None:
    found = kinds("""
        import functools
        import tensorflow as tf
        from tf_agents.utils import common
        tff = tf.function
        jit = functools.partial(tf.function, jit_compile=True)
        def graph(fn):
            return tf.function(fn, autograph=False)
        def compiled(**options):
            def decorate(fn):
                return tf.function(fn, **options)
            return decorate
        def huber(y, p): return y - p
        loss_fn = huber
        def scaled(x, factor): return x * factor
        f = tf.function(lambda v: v)
        @tff
        def a(y, p): return loss_fn(y, p)
        @jit
        def b(x): return tf.vectorized_map(functools.partial(scaled, factor=2), x)
        @graph
        def c(x): return x
        @compiled(jit_compile=True)
        def d(x): return x
        @common.function
        def e(x): return x
        @tf.autograph.experimental.do_not_convert
        def kept(x): return x
        g = tf.function(kept)
    """)
    assert found == {
        "huber": ("callee", True),
        "scaled": ("tf-api", False),  # also given to tf.vectorized_map: its eager mode wins
        "<lambda>@16": ("tf.function", True),
        "a": ("tf.function", True),
        "b": ("tf.function", True),
        "c": ("tf.function", False),
        "d": ("tf.function", True),
        "kept": ("tf.function", False),
    }
    configured = kinds(
        """
        from tf_agents.utils import common
        @common.function
        def e(x): return x
        @common.function(autograph=True)
        def f(x): return x
        """,
        frozenset({"tf_agents.utils.common.function"}),
    )
    # A project wrapper's AutoGraph mode is unknown unless it says autograph=True.
    assert configured == {"e": ("tf.function", False), "f": ("tf.function", True)}


def test_a_project_wrapper_applied_with_autograph_true_converts() -> None:
    found = kinds(
        """
        from tf_agents.utils import common
        class Driver:
            def __init__(self):
                self.run = common.function(self.run, autograph=True)
                self.step = common.function(self.step)
            def run(self, x): return x
            def step(self, x): return x
        """,
        frozenset({"tf_agents.utils.common.function"}),
    )
    assert found == {"run": ("tf.function", True), "step": ("tf.function", False)}


def test_a_module_decorator_that_runs_the_function_through_py_function_is_python() -> None:
    found = kinds("""
        import tensorflow as tf
        def in_python(func):
            def wrapper(x):
                return tf.py_function(func, inp=(x,), Tout=x.dtype)
            return wrapper
        def logged(func):
            def wrapper(x):
                return func(x)
            return wrapper
        @in_python
        def slow(x): return x
        @logged
        def fast(x): return x
        ds = tf.data.Dataset.range(3).map(slow).map(fast)
    """)
    assert found == {"fast": ("tf.data", True)}


def test_py_function_decorator_forms_are_not_graph_code() -> None:
    found = kinds("""
        import tensorflow as tf
        @tf.py_function(Tout=tf.float32)
        def noisy(x):
            print(x)
            return x
        @tf.numpy_function
        def np_side(x): return x
        @tf.function
        def f(x):
            return noisy(x) + np_side(x)
    """)
    assert found == {"f": ("tf.function", True)}


def test_redefinition_in_force_at_the_call_is_the_one_traced() -> None:
    tree = ast.parse(
        textwrap.dedent("""
        import tensorflow as tf
        def step(x):
            return x
        fast = tf.function(step)
        def step(x):  # a later cell redefines it
            return x * 2
    """)
    )
    found = find_graph_scopes(tree, ImportTable.from_module(tree))
    assert [(s.name, s.node.lineno) for s in found] == [("step", 3)]


def test_lambda_inside_a_graph_scope_is_not_a_scope_of_its_own() -> None:
    found = kinds("""
        import tensorflow as tf
        @tf.function
        def f(ds):
            return ds.map(lambda x: x + 1)
    """)
    assert found == {"f": ("tf.function", True)}


def test_eager_tf_api_calls_do_not_trace() -> None:
    found = kinds("""
        import tensorflow as tf
        def body(x): return x
        tf.map_fn(body, tf.range(3))  # eager map_fn runs body eagerly
        tf.vectorized_map(body, tf.range(3))  # vectorized_map traces it
    """)
    assert found == {"body": ("tf-api", False)}


def test_recursive_functions_and_aliases_do_not_recurse_forever() -> None:
    found = kinds("""
        import tensorflow as tf
        def again(n):
            return again(n - 1)
        def ping(x):
            return pong(x)
        def pong(x):
            return ping(x)
        a = b
        b = a
        @again
        def f(x): return x
        @a
        def g(x): return x
        @tf.function
        def h(x):
            return a(x) + ping(x)
    """)
    assert found == {"h": ("tf.function", True), "ping": ("callee", True), "pong": ("callee", True)}


def test_keras_on_another_backend_is_not_tensorflow_graph_code() -> None:
    for header in (
        'import os\nos.environ["KERAS_BACKEND"] = "jax"\nimport keras\nimport tensorflow as tf\n',
        'import os\nos.environ.setdefault("KERAS_BACKEND", "torch")\nimport keras\n',
        "import keras\nimport torch\n",
    ):
        found = kinds(
            header
            + "def loss(y, p): return y\nclass M(keras.Model):\n    def train_step(self, data): return data\n"
            + "m = M()\nm.compile(loss=loss)\n"
        )
        assert found == {}, header
    found = kinds(
        'import os\nos.environ["KERAS_BACKEND"] = "tensorflow"\nimport keras\nclass L(keras.layers.Layer):\n    def call(self, x): return x\n'
    )
    assert found == {"call": ("keras-call", False)}


def test_functions_given_to_strategy_run_in_graph_code() -> None:
    found = kinds("""
        import tensorflow as tf
        strategy = tf.distribute.MirroredStrategy()
        def replica_step(x): return x
        def other_step(x): return x
        def eager_step(x): return x
        @tf.function
        def distributed(x):
            strategy.run(replica_step, args=(x,))
            return tf.distribute.get_strategy().run(other_step, args=(x,))
        strategy.run(eager_step, args=(1,))  # eagerly, strategy.run runs it eagerly
        runner.run(eager_step)
    """)
    assert found == {
        "distributed": ("tf.function", True),
        "replica_step": ("tf-api", True),
        "other_step": ("tf-api", True),
    }


def test_keras_findings_get_no_fix_when_the_module_does_not_import_tensorflow() -> None:
    from rewriter.pipeline import process_source
    from rewriter.settings import Settings

    body = (
        "class Block(keras.layers.Layer):\n    def call(self, x):\n"
        '        print("called")\n        return x + np.random.normal()\n'
    )
    agnostic = process_source("import keras\nimport numpy as np\n\n\n" + body, Settings(unsafe_fixes=True))
    assert [d.fix for d in agnostic.diagnostics] == [None, None]
    assert all("may run on another backend" in d.message for d in agnostic.diagnostics)
    tensorflow = process_source(
        "import keras\nimport numpy as np\nimport tensorflow as tf\n\n\n" + body, Settings(unsafe_fixes=True)
    )
    assert [d.fix is not None for d in tensorflow.diagnostics] == [True, True]


def test_a_decorator_factory_may_return_tf_function_from_any_block() -> None:
    found = scopes("""
        import tensorflow as tf

        def compiled(fn, mode="xla"):
            match mode:
                case "xla":
                    return tf.function(fn, jit_compile=True)
                case _:
                    raise ValueError(mode)

        @compiled
        def step(x):
            return x + 1

        def plain(fn):
            match fn:
                case _:
                    return fn

        @plain
        def eager(x):
            return x
    """)
    assert set(found) == {"step"}
    assert found["step"][1] is True  # jit_compile, from the `case` block


def test_self_calls_reach_inherited_methods_and_overrides_in_the_module() -> None:
    tree = ast.parse(
        textwrap.dedent("""
        import tensorflow as tf

        class Base:
            def loss(self, x):
                return x * 2
            def unused(self, x):
                return x

        class Trainer(Base):
            @tf.function
            def step(self, x):
                return self.loss(x) + self.augment(x)
            def augment(self, x):
                return x

        class Noisy(Trainer):
            def augment(self, x):
                print("augment")
                return x + 1

        class Quiet(Trainer):
            pass

        class Unrelated:
            def augment(self, x):
                print("eager")
                return x
    """)
    )
    found = {
        (s.class_node.name if s.class_node else "", s.node.name): s.reason
        for s in find_graph_scopes(tree, ImportTable.from_module(tree))
    }
    assert found == {
        ("Trainer", "step"): "decorated with tf.function",
        ("Base", "loss"): "called from step",  # found up the bases, as attribute lookup does
        ("Trainer", "augment"): "called from step",
        ("Noisy", "augment"): "called from step",  # `self` may be a Noisy
    }


def test_a_self_call_reaches_the_subclasses_methods_when_the_class_has_none() -> None:
    tree = ast.parse(
        textwrap.dedent("""
        import tensorflow as tf

        class Step:
            @tf.function
            def __call__(self, x):
                return self.update(x)

        class Adam(Step):
            def update(self, x):
                return x * 0.9
    """)
    )
    found = {s.node.name: s.reason for s in find_graph_scopes(tree, ImportTable.from_module(tree))}
    assert found == {"__call__": "decorated with tf.function", "update": "called from __call__"}
