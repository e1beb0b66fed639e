"""The cheap tests that let most files skip parsing and most of a module skip walking.

Both are shortcuts, so each is held to the exact analysis: the prefilter must never
reject a module in which graph scopes are found, and the line-guided index must find
exactly the graph scopes the full walk finds.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from rewriter.analyze.imports import ImportTable
from rewriter.analyze.mentions import names_tf_function
from rewriter.analyze.scopes import TF_FUNCTION, find_graph_scopes
from rewriter.files import Mode, process_file
from rewriter.pipeline import might_hold_graph_code
from rewriter.settings import Settings
from rewriter.source import LineIndex, decode_source, dominant_newline

ROOT = Path(__file__).resolve().parent.parent
BODY = "def f(x):\n    print(x)\n    return x\n"

GRAPH_SPELLINGS = {
    "attribute": "import tensorflow as tf\n\n@tf.function\n" + BODY,
    "spaces": "import tensorflow as tf\n\n@tf . function\n" + BODY,
    "continuation": "import tensorflow as tf\n\n@tf.\\\nfunction\n" + BODY,
    "comment_in_brackets": "import tensorflow as tf\n\n" + BODY + "g = (tf.  # wrap it\n     function)(f)\n",
    "compat": "import tensorflow.compat.v2 as tf2\n\n@tf2.function(jit_compile=True)\n" + BODY,
    "from_compat": "from tensorflow import compat\n\n@compat.v1.function\n" + BODY,
    "imported_name": "from tensorflow import function as tff\n\n@tff\n" + BODY,
    "imported_compat_name": "from tensorflow.compat.v2 import function\n\ng = function(f)\n" + BODY,
    "imported_in_brackets": (
        "from tensorflow import (\n    keras,  # (not this)\n    function,\n)\n\n@function\n" + BODY
    ),
    "imported_continued": "from tensorflow import keras, \\\n    function\n\n@function\n" + BODY,
    "crlf": ("import tensorflow as tf\n\n@tf.function\n" + BODY).replace("\n", "\r\n"),
    "lone_cr": ("import tensorflow as tf\n\n@tf.function\n" + BODY).replace("\n", "\r"),
    "fullwidth": "import ｔensorflow as tf\n\n@tf.ｆunction\n" + BODY,
    "wrapped_method": (
        "import tensorflow as tf\n\nclass M:\n    def __init__(self):\n"
        "        self.step = tf.function(self._step)\n\n    def _step(self, x):\n"
        "        print(x)\n        return x\n"
    ),
    "keras_model_file": (
        "import keras\n\nclass M(keras.Model):\n    def train_step(self, data):\n"
        "        print(data)\n        return {}\n"
    ),
    "keras_layer_from_import": (
        "from keras import layers\n\nclass Block(layers.Layer):\n    def call(self, x):\n        return x\n"
    ),
    "tf_keras_loss": "import tf_keras\n\n" + BODY + "model = tf_keras.Sequential()\nmodel.compile(loss=f)\n",
    "lambda_layer": "import keras\n\nscale = keras.layers.Lambda(lambda t: t * 2)\n",
    "dataset_lambda": "import tensorflow as tf\n\nds = tf.data.Dataset.range(3).map(lambda x: x + 1)\n",
    "dataset_named": "import tensorflow as tf\n\n" + BODY + "ds = tf.data.Dataset.range(3)\nds = ds.filter(f)\n",
    "dataset_after_comment": (
        "import tensorflow as tf\n\n" + BODY + "ds = (tf.data.Dataset.range(3).  # each element\n      map(f))\n"
    ),
    "dataset_parameter": "import tensorflow as tf\n\n" + BODY + "def pipeline(train_ds):\n    return train_ds.map(f)\n",
    "vectorized_map": "import tensorflow as tf\n\n" + BODY + "y = tf.vectorized_map(f, tf.range(3))\n",
    "alias": "import tensorflow as tf\n\ntff = tf.function\n\n@tff\n" + BODY,
    "factory": (
        "import tensorflow as tf\n\ndef graph(fn):\n    return tf.function(fn, jit_compile=True)\n\n@graph\n" + BODY
    ),
    "partial": "import functools\nimport tensorflow as tf\n\nfast = functools.partial(tf.function, jit_compile=True)\n"
    "g = fast(f)\n" + BODY,
    "function_lambda": "import tensorflow as tf\n\ng = tf.function(lambda v: (print(v), v)[1])\n",
    "keras_metric": (
        "from tensorflow import keras\n\nclass Hits(keras.metrics.Metric):\n"
        "    def update_state(self, y_true, y_pred):\n        print(y_pred)\n"
    ),
    "keras_loss_class": (
        "import tensorflow as tf\n\nclass Huber(tf.keras.losses.Loss):\n"
        "    def call(self, y_true, y_pred):\n        return y_pred\n"
    ),
    "keras_test_step": ("import keras\n\nclass M(keras.Model):\n    def test_step(self, data):\n        return {}\n"),
    "compile_metrics": "import keras\n\n" + BODY + "model = keras.Sequential()\nmodel.compile(metrics=[f])\n",
    "dataset_interleave": (
        "import tensorflow as tf\n\n" + BODY + "ds = tf.data.Dataset.range(3).interleave(f, cycle_length=2)\n"
    ),
    "dataset_reduce": "import tensorflow as tf\n\nds = tf.data.Dataset.range(3)\ntotal = ds.reduce(0, lambda a, b: a + b)\n",
}

NOT_GRAPH = {
    "keras_docstring": (
        'import tensorflow as tf\n\ndef build():\n    """The activation function."""\n'
        '    return tf.keras.layers.Dense(3, activation="relu")\n'
    ),
    "from_import_without_function": (
        "from tensorflow import keras\n\n# a function that builds a model\n"
        "def build():\n    return keras.Sequential()\n"
    ),
    "no_tensorflow": "import numpy as np\n\n@np.function\n" + BODY,
    "functional": "import tensorflow as tf\n\nx = tf.keras.functional_model\n",
    "other_package": "from tensorflow_probability import function\n\n@function\n" + BODY,
    "pool_map": "import multiprocessing\n\n" + BODY + "pool = multiprocessing.Pool()\npool.map(f, [1])\n",
    "keras_without_methods": "import keras\n\nmodel = keras.Sequential([keras.layers.Dense(3)])\n",
    "py_function_body": (
        "import tensorflow as tf\n\n@tf.py_function(Tout=tf.float32)\n" + BODY + "y = f(tf.constant(1.0))\n"
    ),
}


def scopes_summary(text: str, guided: bool) -> list[tuple[object, ...]]:
    tree = ast.parse(text)
    scopes = find_graph_scopes(tree, ImportTable.from_module(tree), LineIndex(text) if guided else None)
    return [
        (
            s.name,
            s.node.lineno,
            s.kind,
            s.reason,
            s.jit_compile,
            s.autograph,
            ast.dump(s.input_signature) if s.input_signature is not None else None,
            sorted(s.local_names),
            len(s.python_lambdas),
        )
        for s in scopes
    ]


@pytest.mark.parametrize("name", sorted(GRAPH_SPELLINGS))
def test_every_spelling_of_tf_function_passes(name: str) -> None:
    text = GRAPH_SPELLINGS[name]
    assert scopes_summary(text, guided=False), "the case must really hold a graph scope"
    assert might_hold_graph_code(text)


@pytest.mark.parametrize("name", sorted(NOT_GRAPH))
def test_code_without_tf_function_is_filtered_out(name: str) -> None:
    text = NOT_GRAPH[name]
    assert not scopes_summary(text, guided=False)
    assert not might_hold_graph_code(text)


def corpus() -> list[tuple[str, str]]:
    """Every golden input, the spellings above and a small synthetic corpus."""
    texts = [
        (str(p.relative_to(ROOT)), decode_source(p.read_bytes()).text) for p in sorted(ROOT.glob("golden/*/*.in.py"))
    ]
    texts += [(f"spelling:{k}", v) for k, v in GRAPH_SPELLINGS.items()]
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import bench
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    import random

    rng = random.Random(7)
    names = bench.Names(rng)
    for number in range(60):
        blocks = [bench.graph_block(rng, names) for _ in range(3)] + [bench.keras_block(rng, names)]
        texts.append((f"synthetic:{number}", bench.GRAPH_HEADER + "\n".join(blocks)))
    return texts


def test_prefilter_never_drops_a_module_with_graph_scopes() -> None:
    checked = 0
    for name, text in corpus():
        try:
            found = scopes_summary(text, guided=False)
        except SyntaxError:
            continue
        if found:
            checked += 1
            assert might_hold_graph_code(text), name
    assert checked > 50


def test_a_module_whose_names_resolve_to_tf_function_names_it() -> None:
    """AG008 skips modules for which `names_tf_function` says no: it must say yes for
    every module in which some expression resolves to tf.function."""
    checked = 0
    for name, text in corpus():
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        imports = ImportTable.from_module(tree)
        if any(isinstance(n, (ast.Name, ast.Attribute)) and imports.resolve(n) in TF_FUNCTION for n in ast.walk(tree)):
            checked += 1
            assert names_tf_function(text), name
    assert checked > 50


def test_line_guided_index_finds_the_same_scopes() -> None:
    for name, text in corpus():
        try:
            full = scopes_summary(text, guided=False)
        except SyntaxError:
            continue
        assert scopes_summary(text, guided=True) == full, name


def test_configured_graph_decorators_pass_the_prefilter(tmp_path: Path) -> None:
    text = "from tf_agents.utils import common\n\n@common.function\n" + BODY
    wrapper = frozenset({"tf_agents.utils.common.function"})
    assert not might_hold_graph_code(text)
    assert might_hold_graph_code(text, wrapper)
    path = tmp_path / "agent.py"
    path.write_text(text, encoding="utf-8")
    assert process_file(str(path), Settings(), Mode.CHECK).diagnostics == []
    outcome = process_file(str(path), Settings(graph_decorators=wrapper), Mode.CHECK)
    assert [d.code for d in outcome.diagnostics] == ["AG001"]


def test_fullwidth_identifiers_are_not_skipped_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "wide.py"
    path.write_text(GRAPH_SPELLINGS["fullwidth"], encoding="utf-8")
    outcome = process_file(str(path), Settings(), Mode.CHECK)
    assert [d.code for d in outcome.diagnostics] == ["AG001"]


HOSTILE = {
    "dots_and_hashes": ". # . #" * 40000,
    "hashes": "#" * 200000,
    "dots": ". " * 100000 + "." + " " * 100000,
    "open_imports": "from tensorflow import (\n" * 20000,
    "continued_imports": "from tensorflow import x \\\n" * 20000,
    "comment_lines": "# c\n" * 50000 + "x = 1",
    "backslashes": "." + " \\" * 100000,
    "from_runs": "from " * 50000 + "tensorflow",
    "function_lines": "function\n" * 100000,
    "blank_runs": (" " * 1000 + "\nfunction") * 200,
    "long_line_then_functions": "x" * 200000 + "\nfunction" * 20000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.timeout(120)  # a hang guard: linear matching takes milliseconds, quadratic hours
def test_prefilter_is_linear_on_hostile_text(name: str) -> None:
    text = "import tensorflow\nfunctional = 1\n" + HOSTILE[name]
    might_hold_graph_code(text)
    might_hold_graph_code(text.replace("\n", "\r"))


def test_fast_line_bookkeeping_equals_the_general_one() -> None:
    import random
    import re

    newline = re.compile(r"\r\n|\r|\n")

    def slow_dominant(text: str) -> str:
        counts: dict[str, int] = {}
        for match in newline.finditer(text):
            counts[match.group()] = counts.get(match.group(), 0) + 1
        return max(counts, key=lambda nl: (counts[nl], nl == "\n")) if counts else "\n"

    rng = random.Random(3)
    for _ in range(5000):
        text = "".join(rng.choice(["a", "\n", "\r\n", "\r", "b c", "\x0c", "\u2028"]) for _ in range(rng.randrange(12)))
        if rng.random() < 0.5:
            text = text.replace("\r", "")
        assert dominant_newline(text) == slow_dominant(text), repr(text)
        assert LineIndex(text).line_starts == [0] + [m.end() for m in newline.finditer(text)], repr(text)
