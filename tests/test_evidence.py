"""Parameter evidence (signature, role, annotation, call sites, defaults) and the joins."""

from __future__ import annotations

import ast

import pytest

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.tensors import (
    UNKNOWN,
    Fact,
    Kind,
    SymbolicShape,
    probably_tensor,
    python,
    tensor,
)
from rewriter.pipeline import process_source
from rewriter.results import Diagnostic
from rewriter.settings import Settings

HEADER = "import numpy as np\nimport tensorflow as tf\n\n"


def module_for(source: str) -> ModuleAnalysis:
    source = HEADER + source
    return ModuleAnalysis(source, ast.parse(source), Settings())


def parameter(source: str, function: str, name: str, kind: str | None = None) -> Fact:
    module = module_for(source)
    (scope,) = [s for s in module.graph_scopes if s.node.name == function]
    if kind is not None:
        scope.kind = kind
    return module.tensors(scope).name(name)


# -- the lattice -----------------------------------------------------------------------


def test_tensor_joined_with_a_probable_tensor_is_probably_a_tensor() -> None:
    joined = tensor("float32").join(probably_tensor("x"))
    assert joined.kind is Kind.PROBABLY_TENSOR and joined.assumes == {"x"}
    assert probably_tensor("x").join(tensor("float32")) == joined


def test_two_probable_tensors_join_their_assumptions() -> None:
    joined = probably_tensor("a").join(probably_tensor("b"))
    assert joined.is_probably_tensor and joined.assumes == {"a", "b"}
    assert joined.assumption == "assumes `a`, `b` are tensors: no signature, annotation or call site says so"


@pytest.mark.parametrize("other", [python("int", 3), UNKNOWN, Fact(Kind.UNKNOWN, "tf.TensorArray")])
def test_a_probable_tensor_joined_with_anything_else_is_unknown(other: Fact) -> None:
    assert probably_tensor("x").join(other) == UNKNOWN
    assert other.join(probably_tensor("x")) == UNKNOWN


def test_proven_joins() -> None:
    assert tensor("float32", ()).join(tensor("float32", ())) == tensor("float32", ())
    assert tensor("float32", ()).join(tensor("int32", ())) == tensor(None, ())
    assert python("int", 1).join(python("float", 2.0)).pytype == "float"
    assert python("int", 1).join(tensor("int32")) == UNKNOWN
    assert python("int", 1).join(python("int", 1)).value == 1


def test_a_probable_tensor_is_neither_proven_tensor_nor_python() -> None:
    fact = probably_tensor("n")
    assert not fact.is_tensor and not fact.is_python() and fact.is_unknown
    assert fact.is_tensor_or_probably
    assert fact.assumption == "assumes `n` is a tensor: no signature, annotation or call site says so"
    assert tensor("int32").assumption is None


def test_what_follows_from_a_probable_tensor_is_probable() -> None:
    source = "@tf.function\ndef f(x):\n    y = x * 2.0\n    z = tf.reduce_sum(x)\n    w = x[0] > 1\n    return y\n"
    module = module_for(source)
    facts = module.tensors(module.graph_scopes[0])
    assert facts.name("y").is_probably_tensor and facts.name("y").assumes == {"x"}
    assert facts.name("z").is_tensor  # a TensorFlow op returns a tensor whatever it is given
    assert facts.name("w").is_probably_tensor and facts.name("w").dtype == "bool"


# -- evidence --------------------------------------------------------------------------


def test_no_evidence_is_probably_a_tensor() -> None:
    fact = parameter("@tf.function\ndef f(x):\n    return x\n", "f", "x")
    assert fact.is_probably_tensor and fact.shape == SymbolicShape("x")


def test_the_input_signature_decides_alone() -> None:
    source = "@tf.function(input_signature=[tf.TensorSpec([], tf.int32)])\ndef f(n: float):\n    return n\n\nf(2.5)\n"
    fact = parameter(source, "f", "n")
    assert fact.is_tensor and fact.dtype == "int32"


@pytest.mark.parametrize(
    ("annotation", "kind", "pytype"),
    [
        ("tf.Tensor", Kind.TENSOR, None),
        ("tf.Variable", Kind.TENSOR, "tf.Variable"),
        ("np.ndarray", Kind.TENSOR, None),  # converted at the tf.function boundary
        ("int", Kind.PYTHON, "int"),
        ("bool", Kind.PYTHON, "bool"),
        ("float", Kind.PYTHON, "float"),
        ("str", Kind.PYTHON, "str"),
        ("tf.RaggedTensor", Kind.UNKNOWN, "tf.RaggedTensor"),
        ("tf.SparseTensor", Kind.UNKNOWN, "tf.SparseTensor"),
        ("tf.types.experimental.TensorLike", Kind.PROBABLY_TENSOR, None),  # admits Python numbers
    ],
)
def test_annotations(annotation: str, kind: Kind, pytype: str | None) -> None:
    fact = parameter(f"@tf.function\ndef f(x: {annotation}):\n    return x\n", "f", "x")
    assert (fact.kind, fact.pytype) == (kind, pytype)


def test_an_ndarray_annotation_stays_numpy_in_a_callee() -> None:
    source = "def g(a: np.ndarray):\n    return a\n\n@tf.function\ndef f(x):\n    return g(x)\n"
    module = module_for(source)
    (scope,) = [s for s in module.graph_scopes if s.node.name == "g"]
    assert scope.kind == "callee"
    # The call site passes `x`, probably a tensor, while the annotation says NumPy.
    assert module.tensors(scope).name("a").kind is Kind.UNKNOWN


def test_a_literal_default_is_a_python_value() -> None:
    fact = parameter("@tf.function\ndef f(x, steps=200):\n    return x\n", "f", "steps")
    assert fact.is_python("int") and fact.value == 200


def test_a_default_is_a_python_value_unless_a_call_site_passes_a_tensor() -> None:
    source = "@tf.function\ndef f(x, steps=200):\n    return x\n\nf(1.0, tf.constant(3))\n"
    fact = parameter(source, "f", "steps")
    assert fact.is_tensor and fact.dtype == "int32"
    # Another call omitting it passes the default too: either one.
    source += "f(2.0)\n"
    assert parameter(source, "f", "steps") == UNKNOWN


def test_a_none_default_alone_is_no_evidence() -> None:
    fact = parameter("@tf.function\ndef f(x, mask=None):\n    return x\n", "f", "mask")
    assert fact.is_probably_tensor


def test_module_level_call_sites() -> None:
    source = "@tf.function\ndef f(a, tol):\n    return a\n\nprint(f(tf.constant(2.0), 1e-6))\n"
    module = module_for(source)
    facts = module.tensors(module.graph_scopes[0])
    assert facts.name("a").is_tensor and facts.name("a").dtype == "float32"
    assert facts.name("tol").is_python("float")
    evidence = facts.evidence("tol")
    assert evidence is not None and evidence.literals == (1e-6,)
    assert evidence.sources == ("call site line 8",)


def test_a_call_site_in_a_loop_over_a_dataset() -> None:
    source = (
        "@tf.function\ndef train_step(x, y):\n    return x + y\n\n"
        "def train():\n    dataset = tf.data.Dataset.from_tensor_slices(([1.0], [2.0])).batch(1)\n"
        "    for x, y in dataset:\n        train_step(x, y)\n"
    )
    assert parameter(source, "train_step", "x").is_tensor
    assert parameter(source, "train_step", "y").is_tensor


def test_a_numpy_argument_becomes_a_tensor_at_the_boundary() -> None:
    source = "@tf.function\ndef f(x):\n    return x\n\nf(np.ones(3))\n"
    assert parameter(source, "f", "x").is_tensor


def test_python_literals_at_call_sites_stay_python_and_are_recorded() -> None:
    source = "@tf.function\ndef f(x, n):\n    return x\n\nf(1.0, 3)\nf(2.0, 5)\n"
    module = module_for(source)
    facts = module.tensors(module.graph_scopes[0])
    assert facts.name("n").is_python("int")
    evidence = facts.evidence("n")
    assert evidence is not None and evidence.literals == (3, 5)


def test_a_tensor_and_a_python_value_at_two_call_sites_are_unknown() -> None:
    source = "@tf.function\ndef f(x):\n    return x\n\nf(1)\nf(tf.constant(1))\n"
    assert parameter(source, "f", "x") == UNKNOWN


def test_an_unknown_argument_weakens_a_tensor_to_probable() -> None:
    source = "@tf.function\ndef f(x):\n    return x\n\ndef g(v):\n    f(v)\n    f(tf.constant(1))\n"
    assert parameter(source, "f", "x").is_probably_tensor


def test_an_annotation_speaks_for_an_unknown_argument() -> None:
    source = "@tf.function\ndef f(x: tf.Tensor):\n    return x\n\ndef g(v):\n    f(v)\n"
    assert parameter(source, "f", "x").is_tensor


def test_a_call_in_a_comprehension_observes_nothing_certain() -> None:
    source = (
        "@tf.function\ndef f(x):\n    return x\n\ndef g():\n    x = 3\n    return [f(x) for x in [tf.constant(1.0)]]\n"
    )
    # Not the Python int `x` of `g`: the comprehension's own `x`.
    assert parameter(source, "f", "x").is_probably_tensor


def test_starred_arguments_observe_nothing_certain() -> None:
    source = "@tf.function\ndef f(x, n):\n    return x\n\nf(*pair)\n"
    assert parameter(source, "f", "n").is_probably_tensor


def test_an_alias_of_the_function_is_a_call_site() -> None:
    source = "def step(x):\n    return x\n\nfast = tf.function(step)\nfast(tf.constant([1, 2]))\n"
    fact = parameter(source, "step", "x")
    assert fact.is_tensor and fact.dtype == "int32"


def test_calls_from_graph_code_give_a_callee_its_facts() -> None:
    source = (
        "def helper(v, k):\n    return v\n\n@tf.function\ndef f(x):\n    return helper(tf.cast(x, tf.float32), 2)\n"
    )
    fact = parameter(source, "helper", "v")
    assert fact.is_tensor and fact.dtype == "float32"
    assert parameter(source, "helper", "k").is_python("int")


def test_a_method_called_through_self() -> None:
    source = (
        "class M(tf.Module):\n    @tf.function\n    def step(self, x):\n        return x\n\n"
        "    def run(self):\n        return self.step(tf.zeros([3]))\n"
    )
    fact = parameter(source, "step", "x")
    assert fact.is_tensor and fact.shape == (3,)


def test_recursion_terminates() -> None:
    source = "@tf.function\ndef f(x):\n    return g(x)\n\ndef g(y):\n    return f(y)\n\nf(tf.constant(1))\n"
    module = module_for(source)
    for scope in module.graph_scopes:
        module.tensors(scope)
    (f,) = [s for s in module.graph_scopes if s.node.name == "f"]
    assert module.tensors(f).name("x").kind in (Kind.TENSOR, Kind.PROBABLY_TENSOR, Kind.UNKNOWN)


def test_a_called_parameter_is_not_a_tensor() -> None:
    source = (
        "@tf.function\ndef f(model, layers, opt, x):\n    opt.apply_gradients([])\n    return layers[0](model(x))\n"
    )
    for name in ("model", "layers", "opt"):
        assert parameter(source, "f", name) == UNKNOWN
    assert parameter(source, "f", "x").is_probably_tensor


# -- roles -----------------------------------------------------------------------------


def test_dataset_callback_parameters_are_tensors() -> None:
    source = "@tf.function\ndef f(image, label):\n    return image\n"
    assert parameter(source, "f", "image", kind="tf.data").is_tensor
    assert parameter(source, "f", "label", kind="tf.data").is_tensor


def test_keras_train_step_data_is_tensors() -> None:
    source = "class M(tf.keras.Model):\n    @tf.function\n    def train_step(self, data):\n        return data\n"
    assert parameter(source, "train_step", "data", kind="keras-step").is_tensor


def test_keras_call_inputs_is_a_tensor_and_training_stays_python() -> None:
    source = (
        "class L(tf.keras.layers.Layer):\n    @tf.function\n"
        "    def call(self, inputs, training=None, mask=None):\n        return inputs\n"
    )
    assert parameter(source, "call", "inputs", kind="keras-call").is_tensor
    training = parameter(source, "call", "training", kind="keras-call")
    assert training.kind is Kind.PYTHON and training.pytype == "bool" and training.maybe_none
    assert not parameter(source, "call", "mask", kind="keras-call").is_tensor


def test_keras_loss_arguments_are_tensors() -> None:
    source = "@tf.function\ndef loss(y_true, y_pred, scale=2.0):\n    return y_true\n"
    assert parameter(source, "loss", "y_true", kind="keras-loss").is_tensor
    assert parameter(source, "loss", "y_pred", kind="keras-loss").is_tensor
    assert parameter(source, "loss", "scale", kind="keras-loss").is_python("float")


# -- rules on probable tensors ---------------------------------------------------------


def findings(source: str) -> list[Diagnostic]:
    return list(process_source(HEADER + source, Settings(unsafe_fixes=True), "case.py").diagnostics)


def test_a_probable_dimension_still_gets_a_random_fix() -> None:
    (finding,) = findings("@tf.function\ndef f(x, n):\n    return x + np.random.randn(n)\n")
    assert finding.code == "AG002" and finding.fix is not None


def test_a_fix_on_a_probable_tensor_is_unsafe_and_names_the_assumption() -> None:
    source = (
        "@tf.function\ndef f(inputs):\n    total = tf.constant(0.0)\n    for i in range(100):\n"
        "        total += tf.reduce_sum(inputs[i])\n    return total\n"
    )
    (finding,) = findings(source)
    assert finding.code == "AG003" and finding.fix is not None
    assert finding.fix.applicability == "unsafe"
    assert "assumes `inputs` is a tensor: no signature, annotation or call site says so" in finding.fix.message
    # The same loop on an annotated tensor: proven, and safe.
    (finding,) = findings(source.replace("f(inputs)", "f(inputs: tf.Tensor)"))
    assert finding.fix is not None and finding.fix.applicability == "safe"


# -- constructor arguments kept on the instance -------------------------------------------

_SMOOTHER = (
    "class Smoother:\n"
    "    def __init__(self, steps=STEPS_DEFAULT):\n"
    "        self.steps = steps\n"
    "    @tf.function\n"
    "    def smooth(self, x):\n"
    "        return self.steps\n"
)


def steps_attribute(source: str) -> Fact:
    module = module_for(source)
    (scope,) = [s for s in module.graph_scopes if s.node.name == "smooth"]
    return module.tensors(scope).of(scope.node.body[0].value)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("default", "made", "expected"),
    [
        ("200", "", python("int", 200)),  # no instantiation seen: the default
        ("200", "a = Smoother(300)\nb = Smoother(steps=300)\n", python("int", 300)),
        ("200", "a = Smoother(300)\nb = Smoother()\n", python("int")),  # two values: no value
        ("None", "a = Smoother(300)\n", python("int", 300)),
    ],
)
def test_a_constructor_argument_every_instantiation_passes_as_a_literal_is_known(
    default: str, made: str, expected: Fact
) -> None:
    assert steps_attribute(_SMOOTHER.replace("STEPS_DEFAULT", default) + made) == expected


@pytest.mark.parametrize(
    "made",
    [
        "def main(n):\n    return Smoother(n)\n",  # not a literal
        "def main(args):\n    return Smoother(*args)\n",
        "factories = [Smoother]\n",  # handed around: anyone may make one
        "class Fast(Smoother):\n    pass\n",  # a subclass may pass anything
    ],
)
def test_a_constructor_argument_is_not_known_when_some_instance_may_get_another_value(made: str) -> None:
    assert steps_attribute(_SMOOTHER.replace("STEPS_DEFAULT", "200") + made).kind is Kind.UNKNOWN


def test_a_constructor_argument_rebound_in_init_or_a_class_calling_cls_is_not_known() -> None:
    rebound = _SMOOTHER.replace("STEPS_DEFAULT", "200").replace(
        "        self.steps = steps\n", "        steps = steps * 2\n        self.steps = steps\n"
    )
    assert steps_attribute(rebound).kind is Kind.UNKNOWN
    made_by_cls = _SMOOTHER.replace("STEPS_DEFAULT", "200") + (
        "    @classmethod\n    def twice(cls, steps):\n        return cls(steps * 2)\n"
    )
    assert steps_attribute(made_by_cls).kind is Kind.UNKNOWN


# -- a parameter never rebound: its Fact without solving the scope ---------------------


def _golden_inputs() -> list[str]:
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "golden"
    return sorted(str(path) for path in root.rglob("*.in.py"))


def test_never_rebound_parameters() -> None:
    from rewriter.analyze.solver import never_rebound

    module = module_for(
        "@tf.function\n"
        "def f(a, b, c, d, e, g, h, *rest, k=1, **options):\n"
        "    b = a\n"
        "    for c in a:\n"
        "        pass\n"
        "    del d\n"
        "    if (e := 3):\n"
        "        pass\n"
        "    def g():\n"
        "        nonlocal h\n"
        "    return [k for _ in a]\n"
    )
    assert never_rebound(module.graph_scopes[0]) == {"a", "k"}


@pytest.mark.parametrize("path", _golden_inputs(), ids=lambda p: p.split("golden/")[-1])
def test_parameter_fact_is_what_the_solved_scope_says(path: str) -> None:
    """For every read of a parameter the body never rebinds, the answer without solving
    the scope is the Fact the solved scope gives that read, in every golden input."""
    from rewriter.source import decode_source

    with open(path, "rb") as handle:
        text = decode_source(handle.read()).text
    quick = ModuleAnalysis(text, ast.parse(text), Settings())  # asked first: nothing solved yet
    solved = ModuleAnalysis(text, ast.parse(text), Settings())
    for scope, twin_scope in zip(quick.graph_scopes, solved.graph_scopes):
        reads = [n for n in scope.nodes() if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
        twins = [n for n in twin_scope.nodes() if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)]
        for read, twin in zip(reads, twins):
            fact = quick.parameter_fact(scope, read.id)
            if fact is not None:
                assert fact == solved.tensors(twin_scope).of(twin), (scope.name, read.id, read.lineno)
