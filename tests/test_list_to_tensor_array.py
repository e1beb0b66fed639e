"""Lists that become TensorArrays: which readers keep their meaning, and AG003 and AG006
converting a loop and its list in one fix.

The values these fixes compute are checked by the parity cases in
golden/list_append_in_graph_loop/ and golden/python_range_loop/; these tests read the
fixes' applicability, messages and edits.
"""

from __future__ import annotations

import textwrap

import rewriter

HEADER = "import tensorflow as tf\n\n\n"


def _collect(reader: str, element: str = "tf.cast(i, tf.float32) * x") -> str:
    return HEADER + textwrap.dedent(f"""\
        @tf.function(input_signature=[tf.TensorSpec([2], tf.float32), tf.TensorSpec([], tf.int32)])
        def collect(x, n):
            out = []
            for i in tf.range(n):
                out.append({element})
            return {reader}
        """)


def _one(source: str, code: str, unsafe: bool = False) -> rewriter.Diagnostic:
    [found] = [d for d in rewriter.check_source(source, select=[code], unsafe_fixes=unsafe)]
    return found


def _fixed(source: str, unsafe: bool = False) -> str:
    return rewriter.rewrite_source(source, unsafe_fixes=unsafe).code


def test_reductions_read_the_stack_with_their_own_arguments() -> None:
    source = _collect("tf.reduce_mean(out), tf.reduce_max(out, axis=0), tf.math.reduce_sum(out, 1)")
    assert _one(source, "AG006").fix.applicability == "safe"  # type: ignore[union-attr]
    assert (
        "return tf.reduce_mean(out.stack()), tf.reduce_max(out.stack(), axis=0), tf.math.reduce_sum(out.stack(), 1)"
        in _fixed(source)
    )


def test_add_n_of_int32_values_is_a_safe_reduce_sum_over_the_first_axis() -> None:
    source = _collect("tf.add_n(out)", "i * n")
    assert _one(source, "AG006").fix.applicability == "safe"  # type: ignore[union-attr]
    assert "return tf.reduce_sum(out.stack(), axis=0)" in _fixed(source)


def test_add_n_of_floats_is_unsafe_because_the_order_of_the_sum_changes() -> None:
    found = _one(_collect("tf.add_n(out)"), "AG006")
    assert found.fix is not None and found.fix.applicability == "unsafe"
    assert "adds floats in another order" in found.fix.message


def test_len_as_a_python_int_gets_no_fix() -> None:
    found = _one(_collect("tf.stack(out), len(out)"), "AG006", unsafe=True)
    assert found.fix is None
    assert "`len(out)` is used as a Python int" in found.message


def test_len_that_meets_a_tensor_becomes_the_size() -> None:
    source = _collect("tf.cast(len(out), tf.float32)")
    assert "return tf.cast(out.size(), tf.float32)" in _fixed(source)


def test_concat_on_an_inner_axis_merges_the_stacked_axis_into_it() -> None:
    source = _collect("tf.concat(out, 1), tf.concat(out, axis=-1)", "tf.fill([2, 3], tf.cast(i, tf.float32))")
    fixed = _fixed(source)
    assert fixed.count("tf.reshape(tf.experimental.numpy.moveaxis(out.stack(), 0, 1), [2, -1])") == 2


def test_concat_on_an_inner_axis_needs_static_shapes() -> None:
    found = _one(_collect("tf.concat(out, 1)", "tf.expand_dims(x, 0) * tf.cast(i, tf.float32)"), "AG006")
    assert found.fix is None and "`tf.concat` on axis 1" in found.message


LARGE_RANGE = HEADER + textwrap.dedent("""\
    @tf.function(input_signature=[tf.TensorSpec([3], tf.float32)])
    def decay(state):
        history = []
        for step in range(500):
            state = state * 0.9
            history.append(state)
        return tf.reduce_mean(history, axis=0), history[-1]
    """)


def test_a_large_range_loop_and_its_list_change_in_one_fix() -> None:
    [found] = rewriter.check_source(LARGE_RANGE)
    assert found.code == "AG003"  # AG006 sees a Python loop: nothing for it alone
    assert found.fix is not None and found.fix.applicability == "safe"
    assert "collect `history` in a `tf.TensorArray`" in found.fix.message
    contents = {edit.content for edit in found.fix.edits}
    assert "tf.range" in contents and "tf.TensorArray(tf.float32, size=0, dynamic_size=True)" in contents
    result = rewriter.rewrite_source(LARGE_RANGE)
    assert "for step in tf.range(500):" in result.code
    assert "return tf.reduce_mean(history.stack(), axis=0), history.read(history.size() - 1)" in result.code
    again = rewriter.rewrite_source(result.code)
    assert again.code == result.code and not again.diagnostics


def test_a_large_range_loop_whose_list_is_returned_gets_no_fix() -> None:
    source = LARGE_RANGE.replace("return tf.reduce_mean(history, axis=0), history[-1]", "return history")
    [found] = rewriter.check_source(source)
    assert found.code == "AG003" and found.fix is None
    assert "the list `history` cannot become a TensorArray: the list is returned" in found.message
