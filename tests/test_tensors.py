"""The tensor-ness analysis: what names and expressions of a graph scope are."""

from __future__ import annotations

import ast

import pytest

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.tensors import Kind, SymbolicShape
from rewriter.settings import Settings

HEADER = "import numpy as np\nimport random\nimport tensorflow as tf\n\n"


def facts_for(body: str, header: str = HEADER, decorator: str = "@tf.function", params: str = "x"):
    source = f"{header}{decorator}\ndef f({params}):\n" + "".join(
        f"    {line}\n" for line in body.strip("\n").splitlines()
    )
    module = ModuleAnalysis(source, ast.parse(source), Settings())
    (scope,) = [s for s in module.graph_scopes if s.node.name == "f"]
    return module, scope, module.tensors(scope)


def expr_fact(body: str, expression: str, **kwargs):
    """The Fact of `expression`, evaluated as the last statement of the body."""
    module, scope, facts = facts_for(body + f"\n_probe = {expression}", **kwargs)
    (probe,) = [b for b in facts.bindings("_probe")]
    return probe.fact


def test_the_analysis_is_cached_per_scope() -> None:
    module, scope, facts = facts_for("y = x + 1")
    assert module.tensors(scope) is facts


@pytest.mark.parametrize(
    ("expression", "kind", "pytype", "dtype"),
    [
        ("1", Kind.PYTHON, "int", None),
        ("1.5", Kind.PYTHON, "float", None),
        ("True", Kind.PYTHON, "bool", None),
        ("'s'", Kind.PYTHON, "str", None),
        ("f'{x}'", Kind.PYTHON, "str", None),
        ("[x, 1]", Kind.PYTHON, "list", None),
        ("len([1, 2])", Kind.PYTHON, "int", None),
        ("3 * 2.0", Kind.PYTHON, "float", None),
        ("tf.constant(1.0)", Kind.TENSOR, None, "float32"),
        ("tf.constant(1)", Kind.TENSOR, None, "int32"),
        ("tf.constant([1, 2], dtype=tf.int64)", Kind.TENSOR, None, "int64"),
        ("tf.cast(x, tf.float32)", Kind.TENSOR, None, "float32"),
        ("tf.cast(x, 'float64')", Kind.TENSOR, None, "float64"),
        ("tf.zeros([3])", Kind.TENSOR, None, "float32"),
        ("tf.zeros([3], dtype=tf.int32)", Kind.TENSOR, None, "int32"),
        ("tf.zeros([3], tf.int64)", Kind.TENSOR, None, "int64"),
        ("tf.random.normal([2])", Kind.TENSOR, None, "float32"),
        ("tf.shape(x)", Kind.TENSOR, None, "int32"),
        ("tf.shape(x)[0]", Kind.TENSOR, None, "int32"),
        ("tf.argmax(x)", Kind.TENSOR, None, "int64"),
        ("tf.range(5)", Kind.TENSOR, None, "int32"),
        ("tf.math.equal(x, 1)", Kind.TENSOR, None, "bool"),
        ("tf.constant(1.0) + 2", Kind.TENSOR, None, "float32"),
        ("tf.constant(1) < 2", Kind.TENSOR, None, "bool"),
        ("not tf.constant(True)", Kind.TENSOR, None, "bool"),
        ("tf.constant(2) / tf.constant(3)", Kind.TENSOR, None, "float64"),
        ("tf.reduce_sum(tf.ones([2, 2]))", Kind.TENSOR, None, "float32"),
        ("np.random.randn(3)", Kind.PYTHON, "numpy", None),
        ("tf.TensorSpec([3])", Kind.UNKNOWN, None, None),
        ("tf.unstack(x)", Kind.UNKNOWN, None, None),
        ("tf.keras.layers.Dense(3)", Kind.UNKNOWN, None, None),
        ("tf.float32", Kind.PYTHON, "DType", "float32"),
        ("x", Kind.PROBABLY_TENSOR, None, None),  # a parameter nothing says anything about
        ("x + 1", Kind.PROBABLY_TENSOR, None, None),
        ("some_global", Kind.UNKNOWN, None, None),
    ],
)
def test_expression_facts(expression: str, kind: Kind, pytype: str | None, dtype: str | None) -> None:
    fact = expr_fact("pass", expression)
    assert (fact.kind, fact.pytype, fact.dtype) == (kind, pytype, dtype)


def test_parameters_without_evidence_are_probably_tensors() -> None:
    _, _, facts = facts_for("return x", params="x, n=3")
    assert facts.name("x").is_probably_tensor and not facts.name("x").is_tensor
    assert facts.name("x").is_unknown  # nothing is proven
    assert facts.name("x").assumes == {"x"}
    assert facts.name("x").shape == SymbolicShape("x")
    # A literal default with no call site passing anything else: a Python value.
    assert facts.name("n").is_python("int") and facts.name("n").value == 3


def test_input_signature_makes_parameters_tensors() -> None:
    decorator = (
        "@tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32),\n"
        "                             tf.TensorSpec(shape=[], dtype=tf.int32), tf.TensorSpec([2])])"
    )
    _, _, facts = facts_for("return x", decorator=decorator, params="x, n, z")
    assert (facts.name("x").kind, facts.name("x").dtype, facts.name("x").shape) == (Kind.TENSOR, "float32", (None, 3))
    assert (facts.name("n").dtype, facts.name("n").shape) == ("int32", ())
    assert facts.name("z").dtype == "float32"  # TensorSpec's default dtype


def test_input_signature_skips_self_in_methods() -> None:
    source = HEADER + (
        "class M(tf.Module):\n"
        "    @tf.function(input_signature=[tf.TensorSpec([None], tf.int64)])\n"
        "    def f(self, x):\n"
        "        return x\n"
    )
    module = ModuleAnalysis(source, ast.parse(source), Settings())
    facts = module.tensors(module.graph_scopes[0])
    assert facts.name("x").dtype == "int64"
    assert facts.name("self").is_unknown


def test_static_dims_from_shape_attribute() -> None:
    decorator = "@tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])"
    known = expr_fact("pass", "x.shape[1]", decorator=decorator)
    assert known.is_python("int") and known.value == 3
    unknown = expr_fact("pass", "x.shape[0]", decorator=decorator)
    assert unknown.kind is Kind.PYTHON and unknown.pytype == "int" and unknown.maybe_none
    assert not unknown.is_python("int")  # may be None
    assert expr_fact("pass", "tf.shape(x)[0]", decorator=decorator).is_tensor
    # Without a signature `x` may not be a tensor at all.
    assert expr_fact("pass", "x.shape[0]").is_unknown


def test_len_of_tensor_is_python_only_with_a_static_first_dim() -> None:
    decorator = "@tf.function(input_signature=[tf.TensorSpec([None, 3]), tf.TensorSpec([4])])"
    assert expr_fact("pass", "len(x)", decorator=decorator, params="x, y").is_unknown
    fact = expr_fact("pass", "len(y)", decorator=decorator, params="x, y")
    assert fact.is_python("int") and fact.value == 4


def test_names_join_all_their_bindings() -> None:
    _, _, facts = facts_for("a = tf.constant(1.0)\na = a * 2\nb = 1\nb = 2.5\nc = 1\nc = tf.constant(2)\nreturn a")
    assert facts.name("a").is_tensor and facts.name("a").dtype == "float32"
    assert facts.name("b").is_python("float")
    assert facts.name("c").is_unknown
    assert [b.fact.kind for b in facts.bindings("c")] == [Kind.PYTHON, Kind.TENSOR]


def test_fixpoint_reaches_names_defined_later_in_the_text() -> None:
    _, _, facts = facts_for("total = tf.zeros([3])\nfor k in range(10):\n    total += step\n    step = tf.ones([3])\n")
    assert facts.name("total").is_tensor and facts.name("total").dtype == "float32"
    assert facts.name("step").is_tensor


def test_loop_targets() -> None:
    _, _, facts = facts_for(
        "for i in range(10):\n    pass\n"
        "for j in tf.range(10):\n    pass\n"
        "for k in range(tf.constant(3)):\n    pass\n"
        "for row in tf.zeros([2, 3]):\n    pass\n"
        "for layer in self_layers:\n    pass\n"
        "for w in [1, 2]:\n    pass\n"
    )
    assert facts.name("i").is_python("int")
    assert facts.name("j").is_tensor and facts.name("j").dtype == "int32" and facts.name("j").shape == ()
    assert facts.name("k").is_tensor  # AutoGraph converts range(tensor)
    assert facts.name("row").is_tensor and facts.name("row").shape == (3,)
    assert facts.name("layer").is_unknown
    assert facts.name("w").is_python("int")


def test_names_assigned_under_tensor_control_flow_may_become_tensors() -> None:
    _, _, facts = facts_for(
        "flag = True\nif x > 0:\n    flag = False\n"
        "count = 0\nfor i in tf.range(3):\n    count = 1\n"
        "plain = 0\nfor i in range(3):\n    plain = 1\n"
        "still = True\nif 1 > 0:\n    still = False\n"
    )
    assert facts.name("flag").is_unknown  # a tf.cond output after the if
    assert facts.name("count").is_unknown
    assert facts.name("plain").is_python("int")
    assert facts.name("still").is_python("bool")


def test_while_condition_bindings() -> None:
    _, _, facts = facts_for("done = False\ni = tf.constant(0)\nwhile not done:\n    i += 1\n    done = i >= x\n")
    first, second = facts.bindings("done")
    assert first.fact.is_python("bool") and not first.tensor_region
    assert second.fact.is_tensor and second.fact.dtype == "bool" and second.tensor_region
    assert facts.name("i").is_tensor and facts.name("i").dtype == "int32"


def test_shadowed_tensorflow_name_is_not_tensorflow() -> None:
    fact = expr_fact("tf = np", "tf.constant(1)")
    assert not fact.is_tensor


def test_aliases_resolve_through_imports() -> None:
    header = "import tensorflow as tf2\nfrom tensorflow import cast\nimport numpy\n\n"
    assert expr_fact("pass", "cast(x, tf2.float64)", header=header, decorator="@tf2.function").dtype == "float64"
    assert expr_fact("pass", "numpy.random.rand()", header=header, decorator="@tf2.function").is_python("numpy")


def test_module_constants_and_instance_attributes() -> None:
    source = HEADER + (
        "STEPS = 1000\nRATE = 0.5\nCHANGED = 1\nCHANGED = 2\n\n"
        "class M(tf.Module):\n"
        "    def __init__(self):\n"
        "        self.blocks = [1, 2]\n"
        "        self.v = tf.Variable(0.0)\n"
        "        self.n = 3\n"
        "        self.moved = 1\n"
        "        self.layer = make_layer()\n"
        "    def bump(self):\n"
        "        self.moved += 1\n"
        "    @tf.function\n"
        "    def f(self, x):\n"
        "        a = STEPS\n"
        "        b = RATE\n"
        "        c = CHANGED\n"
        "        return x\n"
    )
    module = ModuleAnalysis(source, ast.parse(source), Settings())
    facts = module.tensors(module.graph_scopes[0])
    assert facts.name("a").is_python("int") and facts.name("a").value == 1000
    assert facts.name("b").is_python("float")
    assert facts.name("c").is_unknown
    method = module.graph_scopes[0].node
    returned = method.body[-1].value

    def attribute(name: str):  # type: ignore[no-untyped-def]
        return facts.of(ast.Attribute(value=ast.Name(id="self", ctx=ast.Load()), attr=name, ctx=ast.Load()))

    assert attribute("blocks").is_python("list")
    assert attribute("v").is_tensor and attribute("v").pytype == "tf.Variable" and attribute("v").dtype == "float32"
    assert attribute("n").is_python("int")
    assert attribute("moved").is_unknown  # changed outside __init__
    assert attribute("layer").is_unknown
    assert facts.of(returned).is_unknown


def test_tensor_array_is_neither_tensor_nor_python() -> None:
    _, _, facts = facts_for(
        "ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)\nta = ta.write(0, 1.0)\nout = ta.stack()\n"
    )
    assert facts.name("ta").is_unknown and facts.name("ta").pytype == "tf.TensorArray"
    assert facts.name("out").is_tensor and facts.name("out").dtype == "float32"


def test_shapes_follow_elementwise_ops() -> None:
    _, _, facts = facts_for(
        "total = tf.zeros_like(x)\nfor k in range(5):\n    total += tf.pow(x, tf.cast(k % 3, tf.float32))\n"
    )
    assert facts.name("total").is_unknown or facts.name("total").shape == SymbolicShape("x")
    decorator = "@tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])"
    _, _, facts = facts_for(
        "total = tf.zeros_like(x)\nfor k in range(5):\n    total += tf.pow(x, tf.cast(k % 3, tf.float32))\n",
        decorator=decorator,
    )
    assert facts.name("total").is_tensor and facts.name("total").shape == (None, 3)


def test_is_and_in_comparisons_stay_python() -> None:
    assert expr_fact("pass", "x is None").is_python("bool")
    assert expr_fact("pass", "tf.constant(1) is None").is_python("bool")


def test_static_shapes_of_tensor_indexing() -> None:
    decorator = "@tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])"
    assert expr_fact("pass", "x[0]", decorator=decorator).shape == (3,)
    assert expr_fact("pass", "x[:, 0]", decorator=decorator).shape == (None,)
    assert expr_fact("pass", "x[1, 2]", decorator=decorator).shape == ()
    assert expr_fact("pass", "x[1:]", decorator=decorator).shape == (None, 3)
    assert expr_fact("pass", "x[tf.constant([0, 1])]", decorator=decorator).shape is None


def test_a_known_dtype_survives_an_operand_of_unknown_kind() -> None:
    # Tensor operators require one dtype, so the result has it (or the op raises).
    fact = expr_fact("pass", "tf.constant(1.0) * x")
    assert fact.is_tensor and fact.dtype == "float32"
    assert expr_fact("pass", "tf.constant(1) / 2").dtype == "float64"


def test_a_maybe_none_bound_still_makes_a_python_loop() -> None:
    decorator = "@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])"
    _, _, facts = facts_for("for i in range(x.shape[0]):\n    y = x[i]\n", decorator=decorator)
    assert facts.name("i").is_python("int")
    assert facts.name("y").is_tensor and facts.name("y").shape == ()


def test_unknown_kind_names_keep_their_bindings() -> None:
    _, _, facts = facts_for("y = helper(x)\nz = y + 1\n")
    assert facts.name("y").is_unknown and facts.name("z").is_unknown
    assert len(facts.bindings("z")) == 1 and facts.bindings("z")[0].value is not None


@pytest.mark.parametrize(
    ("expression", "dtype"),
    [
        ("tf.random.uniform([3], 0, 10, tf.int32)", "int32"),
        ("tf.random.normal([2], 0.0, 1.0, tf.float64)", "float64"),
        ("tf.random.stateless_uniform([2], [1, 2], 0, 5, tf.int64)", "int64"),
        ("tf.random.poisson([2], 1.0, tf.int32)", "int32"),
        ("tf.random.uniform([3])", "float32"),
    ],
)
def test_random_dtype_given_by_position(expression: str, dtype: str) -> None:
    fact = expr_fact("pass", expression)
    assert fact.kind is Kind.TENSOR and fact.dtype == dtype


@pytest.mark.parametrize(
    "expression",
    [
        "tf.keras.layers.Dense(3)",
        "tf.data.Dataset.range(3)",
        "tf.TensorSpec([3], tf.float32)",
        "tf.name_scope('s')",
        "tf.debugging.assert_positive(x)",
    ],
)
def test_calls_that_build_objects_are_not_tensors(expression: str) -> None:
    assert expr_fact("pass", expression).kind is Kind.UNKNOWN


def test_internal_tensorflow_modules_are_not_the_op_api() -> None:
    header = HEADER + "from tensorflow.python.util import nest\n\n"
    assert expr_fact("pass", "nest.flatten(x)", header=header).kind is Kind.UNKNOWN


def test_module_constants_count_only_what_can_rebind_the_module_name() -> None:
    from rewriter.analyze.tensors import module_constants

    source = "STEPS = 1000\nRATE = 0.5\nLIMIT = 3\nLIMIT = 4\n\ndef f():\n    STEPS = 5\n    return STEPS\n"
    tree = ast.parse(source)
    constants = module_constants(tree, source)
    assert constants["STEPS"].value == 1000  # a function's own STEPS does not rebind it
    assert constants["RATE"].value == 0.5
    assert "LIMIT" not in constants
    rebinding = source + "\ndef g():\n    global RATE\n    RATE = 1.0\n"
    assert "RATE" not in module_constants(ast.parse(rebinding), rebinding)


def test_a_closure_variable_hides_a_module_constant() -> None:
    header = HEADER + "STEPS = 1000\n\ndef outer():\n    STEPS = 20\n\n"
    source = header + "    @tf.function\n    def f(x):\n        _probe = STEPS\n        return x\n"
    module = ModuleAnalysis(source, ast.parse(source), Settings())
    (scope,) = module.graph_scopes
    (probe,) = module.tensors(scope).bindings("_probe")
    assert probe.fact.kind is Kind.UNKNOWN
    assert [f.name for f in scope.enclosing_functions] == ["outer"]


# -- flow-sensitive facts --------------------------------------------------------------


def _loads(facts, name: str) -> list:
    return [
        facts.of(n)
        for n in facts.scope.nodes()
        if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
    ]


def test_a_cast_makes_the_name_a_float32_tensor_from_there_on() -> None:
    _, _, facts = facts_for("x = tf.cast(x, tf.float32)\ny = x * 2.0\nreturn x")
    before, *after = _loads(facts, "x")
    assert before.is_probably_tensor  # the parameter, in the cast's argument
    assert all(f.is_tensor and f.dtype == "float32" for f in after)
    assert facts.name("y").is_tensor and facts.name("y").dtype == "float32"
    assert not facts.name("x").is_tensor  # joined over both bindings: not proven


def test_branches_join_and_a_branch_that_returns_does_not_reach() -> None:
    body = "if x > 0:\n    v = tf.constant(1)\nelse:\n    v = tf.constant(2)\nif x < 0:\n    return v\nreturn v + 1"
    _, _, facts = facts_for(body, params="x: tf.Tensor")
    assert all(f.is_tensor and f.dtype == "int32" for f in _loads(facts, "v"))
    _, _, facts = facts_for("n = 1\nif x:\n    n = tf.constant(1.0)\nreturn n", params="x: bool")
    (read,) = _loads(facts, "n")
    assert not read.is_python() and not read.is_tensor  # either one


def test_a_read_in_a_loop_is_not_narrowed_by_the_binding_before_the_loop() -> None:
    body = "x = 1\nfor i in range(3):\n    y = x\n    x = tf.constant(1.0)\nreturn x"
    _, _, facts = facts_for(body)
    inside, after = _loads(facts, "x")
    assert not inside.is_python() and not inside.is_tensor  # int on the first pass, tensor later
    assert not after.is_python()


def test_a_python_number_updated_with_a_tensor_in_a_graph_loop_is_a_tensor_after_it() -> None:
    body = "s = 0\nfor i in tf.range(10):\n    t = s\n    s += i\nreturn s"
    _, _, facts = facts_for(body)
    inside, after = _loads(facts, "s")
    assert not inside.is_python() and not inside.is_tensor  # 0 on the first pass, then a tensor
    assert after.is_tensor and after.dtype == "int32"
    # A Python loop keeps the Python start reachable.
    _, _, facts = facts_for(body.replace("tf.range(10)", "range(10)"))
    assert not _loads(facts, "s")[1].is_tensor


def test_a_try_statement_forgets_what_its_body_binds() -> None:
    body = "x = 1\ntry:\n    x = tf.constant(1.0)\n    y = x\nexcept ValueError:\n    pass\nreturn x"
    _, _, facts = facts_for(body)
    in_body, after = _loads(facts, "x")
    assert in_body.is_tensor and in_body.dtype == "float32"
    assert not after.is_python() and not after.is_tensor


def test_after_a_with_block_a_name_it_binds_is_not_narrowed() -> None:
    # `suppress` may skip the rest of the body after `x = 1`: x may be 1 afterwards.
    body = "x = tf.constant(1.0)\nwith contextlib.suppress(ValueError):\n    x = 1\n    x = tf.constant(2.0)\n    y = x\nreturn x"
    _, _, facts = facts_for(body, header=HEADER + "import contextlib\n")
    inside, after = _loads(facts, "x")
    assert inside.is_tensor and inside.dtype == "float32"
    assert not after.is_tensor and not after.is_python()
