"""The evaluator: the Fact of an expression of a graph scope, given the Facts of names."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from typing import TYPE_CHECKING

from rewriter.analyze import tf_api
from rewriter.analyze.imports import ImportTable
from rewriter.analyze.lattice import (
    _BOTTOM,
    DATASET,
    DATASET_METHODS,
    SCALAR,
    UNKNOWN,
    Dims,
    Fact,
    Kind,
    SymbolicShape,
    _as_tensor,
    _tensor_dtype,
    _tf_name,
    binary_fact,
    broadcast,
    dtype_named,
    probably,
    python,
    static_shape,
    tensor,
)
from rewriter.analyze.nodes import walk
from rewriter.analyze.scopes import GraphScope
from rewriter.analyze.syntax import root_name
from rewriter.analyze.tf_api import Returns

if TYPE_CHECKING:
    pass


class _Pending(Exception):
    """An expression read a name that has no Fact yet (only while solving)."""


class Evaluator:
    """Expression Facts for one scope; `TensorFacts` fills in the names' Facts."""

    scope: GraphScope
    imports: ImportTable
    _constants: dict[str, Fact]
    _attributes: Mapping[str, Fact]
    _self_name: str | None
    _self_rebound: bool
    _solving: bool
    _collecting: bool
    _flow: dict[str, Fact]
    _flow_at: dict[ast.Name, Fact]
    _names: dict[str, Fact]
    _memo: dict[ast.expr, Fact]

    def of(self, node: ast.expr) -> Fact:
        """The Fact of an expression of this scope (UNKNOWN for anything unrecognised)."""
        found = self._memo.get(node)
        if found is None:
            found = self._eval(node)
            self._memo[node] = found
        return found

    def dtype_named(self, node: ast.expr | None) -> str | None:
        return dtype_named(node, self.imports)

    def tf_name(self, func: ast.expr) -> str | None:
        """`math.add` for `tf.math.add` (any alias); None when not TensorFlow or shadowed."""
        if root_name(func) in self.scope.local_names:
            return None
        return _tf_name(self.imports.resolve(func))

    def resolve(self, func: ast.expr) -> str | None:
        """The qualified name of a module-level name (None when a local shadows it)."""
        if root_name(func) in self.scope.local_names:
            return None
        return self.imports.resolve(func)

    # -- expressions --------------------------------------------------------------------

    def _global(self, name: str) -> Fact:
        if name in self.scope.enclosing_names:
            return UNKNOWN  # a closure variable of an enclosing function
        if name in self._constants:
            return self._constants[name]
        dtype = dtype_named(ast.Name(id=name, ctx=ast.Load()), self.imports)
        if dtype is not None and name in self.imports.qualified:
            return python("DType", dtype=dtype)
        return UNKNOWN  # modules, functions and classes: rules resolve those by name

    def _eval(self, node: ast.expr) -> Fact:
        method = getattr(self, f"_eval_{type(node).__name__}", None)
        return method(node) if method is not None else UNKNOWN

    def _eval_Constant(self, node: ast.Constant) -> Fact:
        value = node.value
        if isinstance(value, bool):
            return python("bool", value)
        if isinstance(value, int):
            return python("int", value)
        if isinstance(value, float):
            return python("float", value)
        if isinstance(value, str):
            return python("str", value)
        if isinstance(value, bytes):
            return python("bytes")
        if value is None:
            return python("none")
        return python()

    def _eval_JoinedStr(self, node: ast.JoinedStr) -> Fact:
        return python("str")

    def _eval_List(self, node: ast.List) -> Fact:
        return python("list")

    def _eval_Tuple(self, node: ast.Tuple) -> Fact:
        return python("tuple")

    def _eval_Dict(self, node: ast.Dict) -> Fact:
        return python("dict")

    def _eval_Set(self, node: ast.Set) -> Fact:
        return python("set")

    def _eval_ListComp(self, node: ast.ListComp) -> Fact:
        return python("list")

    def _eval_DictComp(self, node: ast.DictComp) -> Fact:
        return python("dict")

    def _eval_SetComp(self, node: ast.SetComp) -> Fact:
        return python("set")

    def _eval_Lambda(self, node: ast.Lambda) -> Fact:
        return python("function")

    def _eval_NamedExpr(self, node: ast.NamedExpr) -> Fact:
        return self.of(node.value)

    def _eval_IfExp(self, node: ast.IfExp) -> Fact:
        test = self.of(node.test)
        joined = self.of(node.body).join(self.of(node.orelse))
        if test.is_tensor:
            return _as_tensor(joined)  # AutoGraph turns it into tf.cond
        if test.is_unknown:
            return joined.join(_as_tensor(joined))
        return joined

    def _eval_Name(self, node: ast.Name) -> Fact:
        if node.id in self.scope.local_names:
            if self._collecting:
                fact = self._flow.get(node.id) or self._names.get(node.id, _BOTTOM)
            else:
                fact = self._flow_at.get(node) or self._names.get(node.id, _BOTTOM)
            if fact is _BOTTOM:
                if self._solving:
                    raise _Pending(node.id)
                return UNKNOWN
            return fact
        return self._global(node.id)

    def _eval_Attribute(self, node: ast.Attribute) -> Fact:
        qualified = self.resolve(node)
        if qualified is not None:
            dtype = dtype_named(node, self.imports)
            if dtype is not None:
                return python("DType", dtype=dtype)
            if qualified in ("numpy.pi", "numpy.e", "math.pi", "math.e", "math.inf", "numpy.inf"):
                return python("float")
            return UNKNOWN
        if isinstance(node.value, ast.Name) and node.value.id == self._self_name:
            return UNKNOWN if self._self_rebound else self._attributes.get(node.attr, UNKNOWN)
        base = self.of(node.value)
        if base.is_tensor:
            if node.attr == "shape":
                shape = base.shape if isinstance(base.shape, tuple) else None
                return python("TensorShape", shape=shape if shape is not None else base.shape)
            if node.attr == "dtype":
                return python("DType", dtype=base.dtype)
            if node.attr == "ndim":
                rank = len(base.shape) if isinstance(base.shape, tuple) else None
                return python("int", rank)
            if node.attr == "T":
                return tensor(base.dtype)
            return UNKNOWN  # a method, or an attribute of a composite tensor
        if base.is_probably_tensor and node.attr == "T":
            return probably(tensor(base.dtype), base)
        if base.is_python("TensorShape") and node.attr == "rank":
            return python("int", maybe_none=True)
        return UNKNOWN

    def _eval_Subscript(self, node: ast.Subscript) -> Fact:
        base = self.of(node.value)
        index = node.slice
        if base.is_tensor_or_probably:
            return probably(tensor(base.dtype, self._indexed_shape(base.shape, index)), base)
        if base.is_python("TensorShape"):
            if isinstance(index, ast.Slice):
                return python("TensorShape")
            position = self.of(index)
            dims = base.shape if isinstance(base.shape, tuple) else None
            if dims is not None and isinstance(position.value, int) and position.is_python("int"):
                try:
                    dim = dims[position.value]
                except IndexError:
                    return UNKNOWN
                if dim is not None:
                    return python("int", dim)
            return python("int", maybe_none=True)
        if base.is_python("str") and not isinstance(index, ast.Slice):
            return python("str")
        return UNKNOWN

    def _indexed_shape(self, shape: Dims | SymbolicShape | None, index: ast.expr) -> Dims | None:
        """Static shape of `t[index]` for a tensor of static `shape` (None when unsure)."""
        if not isinstance(shape, tuple):
            return None
        parts = index.elts if isinstance(index, ast.Tuple) else [index]
        if len(parts) > len(shape):
            return None
        dims: list[int | None] = []
        for part, dim in zip(parts, shape):
            if isinstance(part, ast.Slice):
                whole = part.lower is None and part.upper is None and part.step is None
                if not whole and dim is not None:
                    return None  # a static dim sliced to a length we do not compute
                dims.append(dim)
                continue
            fact = self.of(part)
            if not (
                fact.is_python("int") or (fact.is_tensor and fact.shape == SCALAR and fact.dtype in ("int32", "int64"))
            ):
                return None  # a mask, a list of indices, None or Ellipsis
        return (*dims, *shape[len(parts) :])

    def _eval_UnaryOp(self, node: ast.UnaryOp) -> Fact:
        operand = self.of(node.operand)
        if operand.is_probably_tensor:
            proven = tensor("bool", operand.shape) if isinstance(node.op, ast.Not) else operand.as_proven()
            return probably(proven, operand)
        if isinstance(node.op, ast.Not):
            if operand.is_tensor:
                return tensor("bool", operand.shape)
            if operand.kind is Kind.PYTHON:
                return python("bool")
            return UNKNOWN
        if operand.is_tensor:
            return tensor(operand.dtype, operand.shape, None)
        if operand.is_python("int", "float", "bool"):
            value = operand.value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                value = -value if isinstance(node.op, ast.USub) else (value if isinstance(node.op, ast.UAdd) else None)
            else:
                value = None
            pytype = "int" if operand.pytype == "bool" else operand.pytype
            return python(pytype, value)
        return UNKNOWN

    def _eval_BinOp(self, node: ast.BinOp) -> Fact:
        return binary_fact(self.of(node.left), self.of(node.right), node.op)

    def _eval_Compare(self, node: ast.Compare) -> Fact:
        if any(isinstance(op, (ast.Is, ast.IsNot, ast.In, ast.NotIn)) for op in node.ops):
            return python("bool") if all(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops) else UNKNOWN
        operands = [self.of(node.left), *(self.of(c) for c in node.comparators)]
        if any(o.is_tensor for o in operands):
            # A tensor compared with anything gives a bool tensor (or raises).
            shape: Dims | SymbolicShape | None = SCALAR
            for operand in operands:
                shape = broadcast(shape, operand.shape if operand.is_tensor else SCALAR)
            return tensor("bool", shape)
        if any(o.is_probably_tensor for o in operands):
            shape = SCALAR
            for operand in operands:
                shape = broadcast(shape, operand.shape if operand.is_probably_tensor else SCALAR)
            return probably(tensor("bool", shape), *operands)
        if all(o.is_python() for o in operands):
            if any(o.pytype in ("numpy", None) for o in operands):
                return UNKNOWN  # NumPy comparisons give arrays
            return python("bool")
        return UNKNOWN

    def _eval_BoolOp(self, node: ast.BoolOp) -> Fact:
        operands = [self.of(v) for v in node.values]
        if all(o.is_python("bool") for o in operands):
            return python("bool")
        if all(o.is_tensor_or_probably and o.dtype == "bool" for o in operands):
            return probably(tensor("bool"), *operands)
        return UNKNOWN

    def _eval_Call(self, node: ast.Call) -> Fact:
        tf = self.tf_name(node.func)
        if tf is not None:
            return self._tf_call(tf, node)
        qualified = self.resolve(node.func)
        if qualified is not None:
            if qualified.startswith("numpy."):
                return python("numpy")
            if qualified.startswith("builtins."):
                return self._builtin_call(qualified[len("builtins.") :], node)
            if qualified.startswith("math.") and qualified not in ("math.isnan", "math.isinf", "math.isfinite"):
                return python(
                    "int"
                    if qualified in ("math.floor", "math.ceil", "math.factorial", "math.gcd", "math.comb")
                    else "float"
                )
            return UNKNOWN
        if isinstance(node.func, ast.Attribute):
            return self._method_call(node)
        return UNKNOWN

    def _method_call(self, node: ast.Call) -> Fact:
        func = node.func
        assert isinstance(func, ast.Attribute)
        receiver = self.of(func.value)
        method = func.attr
        if receiver.is_python("str") and method in (
            "format",
            "join",
            "upper",
            "lower",
            "strip",
            "replace",
            "lstrip",
            "rstrip",
        ):
            return python("str")
        if receiver.is_tensor:
            if method in ("read_value", "value", "assign", "assign_add", "assign_sub"):
                return tensor(receiver.dtype, receiver.shape)
            if method == "numpy":
                return python("numpy", dtype=receiver.dtype)
            if method == "get_shape":
                return python("TensorShape", shape=receiver.shape)
            return UNKNOWN
        if receiver.pytype == "tf.TensorArray":
            if method in ("stack", "concat", "read", "gather", "size"):
                return tensor("int32" if method == "size" else receiver.dtype)
            if method in ("write", "scatter", "unstack", "split"):
                return receiver
            return UNKNOWN
        if receiver.is_python("TensorShape") and method == "as_list":
            return python("list")
        if receiver.pytype == DATASET and method in DATASET_METHODS:
            return receiver
        return UNKNOWN

    def _builtin_call(self, name: str, node: ast.Call) -> Fact:
        args = [self.of(a) for a in node.args]
        if name in ("isinstance", "hasattr", "callable", "issubclass"):
            return python("bool")
        if name in (
            "list",
            "tuple",
            "dict",
            "set",
            "sorted",
            "str",
            "repr",
            "range",
            "zip",
            "enumerate",
            "reversed",
            "map",
            "filter",
            "frozenset",
            "type",
        ):
            if (
                name in ("sorted", "str", "repr", "map", "filter", "enumerate", "zip", "list", "tuple")
                and any(a.is_tensor or a.is_unknown for a in args)
                and name != "str"
                and name != "repr"
            ):
                return UNKNOWN  # AutoGraph overloads some of these for tensors and datasets
            return python({"frozenset": "set", "repr": "str", "type": None}.get(name, name))
        if name == "len":
            if not args:
                return UNKNOWN
            arg = args[0]
            if arg.kind is Kind.PYTHON and arg.pytype in (
                "list",
                "tuple",
                "str",
                "dict",
                "set",
                "range",
                "TensorShape",
            ):
                return python("int")
            if arg.is_tensor and isinstance(arg.shape, tuple) and arg.shape and arg.shape[0] is not None:
                return python("int", arg.shape[0])
            return UNKNOWN  # a tensor with a dynamic first dim gives a tensor
        if name in ("int", "float", "bool"):
            if args and args[0].is_tensor:
                # AutoGraph casts tensors to int32/float32 (bool is not overloaded).
                return tensor({"int": "int32", "float": "float32"}[name]) if name != "bool" else UNKNOWN
            if args and not all(a.kind is Kind.PYTHON for a in args):
                return UNKNOWN
            return python(name)
        if name in ("abs", "min", "max", "sum", "round", "pow"):
            if args and all(a.is_python("int", "float", "bool") for a in args):
                types = {a.pytype for a in args}
                return python("float" if "float" in types and name != "round" else "int")
            if name == "abs" and args and args[0].is_tensor_or_probably:
                return probably(tensor(args[0].dtype, args[0].shape), args[0])
            return UNKNOWN
        return UNKNOWN

    def _tf_call(self, name: str, node: ast.Call) -> Fact:
        """The Fact of a call to `tf.<name>(...)`."""
        args = node.args
        keywords = {k.arg: k.value for k in node.keywords if k.arg}

        def arg(position: int, keyword: str) -> ast.expr | None:
            if keyword in keywords:
                return keywords[keyword]
            if len(args) > position and not any(isinstance(a, ast.Starred) for a in args[: position + 1]):
                return args[position]
            return None

        def first() -> Fact:
            value = arg(0, "x") or arg(0, "input") or arg(0, "tensor") or arg(0, "params")
            return self.of(value) if value is not None else UNKNOWN

        explicit = self.dtype_named(keywords.get("dtype"))
        if name.startswith("data.") and "Dataset" in name and not name.endswith("Spec"):
            return Fact(Kind.UNKNOWN, DATASET)  # `tf.data.Dataset.from_tensor_slices(...)`, ...
        op = tf_api.lookup(name)
        returns = op.returns

        def dtype_argument() -> str | None:
            position = op.dtype_position
            return explicit or (self.dtype_named(arg(position, "dtype")) if position is not None else None)

        if returns is Returns.PYTHON:
            return python(op.pytype)
        if returns is Returns.NOT_A_TENSOR:
            return UNKNOWN
        if returns is Returns.TENSOR:
            return tensor()
        if returns is Returns.VARIABLE:
            initial = arg(0, "initial_value")
            init = self.of(initial) if initial is not None else UNKNOWN
            dtype = dtype_argument() or _tensor_dtype(init)
            return tensor(dtype, init.shape if init.is_tensor else _literal_shape(initial), "tf.Variable")
        if returns is Returns.TENSOR_ARRAY:
            return Fact(Kind.UNKNOWN, "tf.TensorArray", dtype_argument())
        if returns is Returns.CAST:
            value = first()
            return tensor(self.dtype_named(arg(1, "dtype")), static_shape(value))
        if returns is Returns.CONSTANT:
            value_node = arg(0, "value")
            value = self.of(value_node) if value_node is not None else UNKNOWN
            dtype = dtype_argument() or _tensor_dtype(value)
            if value_node is not None and isinstance(value_node, (ast.List, ast.Tuple)):
                dtype = dtype or _literal_list_dtype(value_node, self)
            shape = static_shape(value) if value.kind is not Kind.UNKNOWN else None
            if shape is None and not value.is_tensor:
                shape = _literal_shape(value_node)
            if op.shape_arg is not None and arg(*op.shape_arg) is not None:
                shape = _shape_from_literal(arg(*op.shape_arg), self)
            return tensor(dtype, shape)
        if returns is Returns.CREATION:
            shape = _shape_from_literal(arg(*op.shape_arg), self) if op.shape_arg is not None else None
            return tensor(dtype_argument() or op.dtype, shape)
        if returns is Returns.FILL:
            assert op.shape_arg is not None
            fill_value = arg(1, "value")
            filler = self.of(fill_value) if fill_value is not None else UNKNOWN
            return tensor(_tensor_dtype(filler), _shape_from_literal(arg(*op.shape_arg), self))
        if returns is Returns.LIKE:
            value = first()
            return tensor(dtype_argument() or _tensor_dtype(value), static_shape(value))
        if returns is Returns.RANGE:
            dtype = explicit
            if dtype is None:
                bounds = [self.of(a) for a in args]
                if bounds and all(b.is_python("int") or (b.is_tensor and b.dtype == "int32") for b in bounds):
                    dtype = "int32"
                elif any(b.is_python("float") for b in bounds):
                    dtype = "float32"
            return tensor(dtype)
        if returns is Returns.SHAPE_VECTOR:
            value = first()
            rank = len(value.shape) if value.is_tensor and isinstance(value.shape, tuple) else None
            return tensor(self.dtype_named(keywords.get("out_type")) or op.dtype, (rank,))
        if returns is Returns.FIXED:
            named = self.dtype_named(keywords.get(op.dtype_keyword)) if op.dtype_keyword else None
            return tensor(named or op.dtype, SCALAR if op.scalar else None)
        if returns is Returns.WHERE:
            x = arg(1, "x")
            if x is not None:
                return tensor(_tensor_dtype(self.of(x)))
            return tensor(self.dtype_named(keywords.get("output_type")) or op.dtype)
        if returns is Returns.ELEMENTWISE:
            left = self.of(args[0]) if args else UNKNOWN
            right = self.of(args[1]) if len(args) > 1 else UNKNOWN
            division = name.split(".")[-1] in ("divide", "truediv", "realdiv")
            fact = binary_fact(left, right, ast.Div() if division else ast.Add())
            if fact.is_tensor:
                return fact
            # A TensorFlow op gives a tensor whatever its operands are.
            dtype = _tensor_dtype(left) if left.is_python() else None
            return tensor(
                dtype if dtype == _tensor_dtype(right) else None, broadcast(static_shape(left), static_shape(right))
            )
        if returns is Returns.SAME:
            value = first()
            return tensor(_tensor_dtype(value), static_shape(value))
        if returns is Returns.REDUCTION:
            value = first()
            no_axis = (op.axis_arg is None or arg(*op.axis_arg) is None) and "keepdims" not in keywords
            return tensor(_tensor_dtype(value), SCALAR if no_axis else None)
        if returns is Returns.DTYPE_OF:
            return tensor(_tensor_dtype(first()))
        if returns is Returns.CONCAT:
            values = arg(0, "values")
            if isinstance(values, (ast.List, ast.Tuple)) and values.elts:
                dtypes = {_tensor_dtype(self.of(e)) for e in values.elts}
                return tensor(dtypes.pop() if len(dtypes) == 1 else None)
            return tensor()
        return tensor()


def _literal_shape(node: ast.expr | None) -> Dims | None:
    """The shape of a literal value: () for numbers, (n,) for a flat list of numbers."""
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, bool)):
        return SCALAR
    if isinstance(node, (ast.List, ast.Tuple)):
        if all(isinstance(e, ast.Constant) for e in node.elts):
            return (len(node.elts),)
        inner = {_literal_shape(e) for e in node.elts}
        if len(inner) == 1:
            shape = inner.pop()
            if shape is not None:
                return (len(node.elts), *shape)
    return None


def _literal_list_dtype(node: ast.List | ast.Tuple, facts: Evaluator) -> str | None:
    types = set()
    for element in walk(node):
        if isinstance(element, ast.Constant):
            types.add(type(element.value).__name__)
    if types == {"int"}:
        return "int32"
    if types <= {"int", "float"} and types:
        return "float32"
    if types == {"bool"}:
        return "bool"
    return None


def _shape_from_literal(node: ast.expr | None, facts: Evaluator) -> Dims | None:
    """Static dims of a shape argument such as `[3, 4]`; None when any dim is not a known
    int (a None dim here would claim "dynamic", which an unknown int is not)."""
    if node is None:
        return None
    if isinstance(node, (ast.List, ast.Tuple)):
        dims: list[int | None] = []
        for element in node.elts:
            value = facts.of(element) if not isinstance(element, ast.Starred) else UNKNOWN
            if not (value.is_python("int") and isinstance(value.value, int)):
                return None
            dims.append(value.value)
        return tuple(dims)
    value = facts.of(node)
    if value.is_python("int") and isinstance(value.value, int):
        return (value.value,)
    return None
