"""Printed output compared by value: wrappers are presentation, digits are not."""

from __future__ import annotations

import pytest

from rewriter.verify import _printed

AGREE = [
    # (eager print, tf.print), as TensorFlow 2.21 prints them
    ("loss tf.Tensor(0.1, shape=(), dtype=float32)\n", "loss 0.1\n", "tf.Tensor wrapper"),
    ("m tf.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)\n", "m [[1 2]\n [3 4]]\n", "tf.Tensor wrapper"),
    ("s tf.Tensor(b'hi', shape=(), dtype=string)\n", 's "hi"\n', "tf.Tensor wrapper"),
    ("b tf.Tensor(True, shape=(), dtype=bool)\n", "b 1\n", "tf.Tensor wrapper"),
    (
        "w <tf.Variable 'Variable:0' shape=(2, 2) dtype=float32, numpy=\n"
        "array([[1., 2.],\n       [3., 4.]], dtype=float32)>\n",
        "w [[1 2]\n [3 4]]\n",
        "tf.Variable wrapper",
    ),
    ("v <tf.Variable 'v:0' shape=() dtype=float32, numpy=1.5>\n", "v 1.5\n", "tf.Variable wrapper"),
    (
        "l [<tf.Tensor: shape=(), dtype=float32, numpy=1.0>, <tf.Tensor: shape=(), dtype=int32, numpy=2>]\n",
        "l [1, 2]\n",
        "tf.Tensor wrapper",
    ),
    ("big tf.Tensor(1.2345679e+08, shape=(), dtype=float32)\n", "big 123456792\n", "tf.Tensor wrapper"),
    ("x 0.1\n", "x np.float32(0.1)\n", "NumPy array wrapper"),
    ("a [1. 2.]\n", "a array([1., 2.])\n", "NumPy array wrapper"),
    ("f 0.10000000149011612\n", "f 0.1\n", "number formatting"),
    ("batch (4, 3)\n", "batch [4 3]\n", "number formatting"),
]


@pytest.mark.parametrize(("eager", "graph", "kind"), AGREE)
def test_presentation_differences_agree(eager: str, graph: str, kind: str) -> None:
    assert _printed.difference(eager, graph, "stdout") is None
    assert _printed.presentation(eager, graph)[0] == kind


DIFFER = [
    # a lost value: tf.print abbreviates a long tensor
    ("t tf.Tensor([0 1 2 3 4 5 6 7 8 9], shape=(10,), dtype=int32)\n", "t [0 1 2 ... 7 8 9]\n"),
    # a lost format spec changes the printed digits
    ("loss 0.1235\n", "loss 0.123456\n"),
    # an integer is exact
    ("i tf.Tensor(3, shape=(), dtype=int32)\n", "i 4\n"),
    # a float32 value beyond its tolerance
    ("x tf.Tensor(1.0, shape=(), dtype=float32)\n", "x 1.001\n"),
    # printed lines are kept apart
    ("a\nb\n", "a b\n"),
    # printed once, not twice
    ("x 1\n", "x 1\nx 1\n"),
]


@pytest.mark.parametrize(("eager", "graph"), DIFFER)
def test_value_differences_differ(eager: str, graph: str) -> None:
    found = _printed.difference(eager, graph, "stdout")
    assert found is not None and found.startswith("stdout line ")


def test_float64_tolerance_is_tighter_than_float32() -> None:
    eager32 = "x tf.Tensor(0.1, shape=(), dtype=float32)\n"
    eager64 = "x tf.Tensor(0.1, shape=(), dtype=float64)\n"
    assert _printed.difference(eager32, "x 0.1000001\n", "out") is None
    assert _printed.difference(eager64, "x 0.1000001\n", "out") is not None


def test_random_values_match_any_number_but_not_other_text() -> None:
    assert _printed.difference("draw 0.25\n", "draw 0.75\n", "out", randomly=True) is None
    assert _printed.difference("draw 0.25\n", "sample 0.75\n", "out", randomly=True) is not None


def test_identical_output_has_no_presentation_difference() -> None:
    assert _printed.presentation("x 1\n", "x 1\n") == []
