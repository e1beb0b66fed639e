"""How a `for` loop's index is used in its body, once it becomes an int32 tensor.

Every use of the index, and of names computed from it, must mean the same with an
int32 scalar tensor as with a Python int: arithmetic with ints, subscripts of tensors,
comparisons in an `if` test, TensorFlow arguments that take an index. A use that mixes
it with another dtype gets a cast; any other use refuses the fix, naming it.
"""

from __future__ import annotations

import ast
import struct

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.nodes import parent_map
from rewriter.analyze.tensors import COMPARISONS, ELEMENTWISE, TensorFacts, iter_loads
from rewriter.rules._base import Edit, NoFix
from rewriter.rules._loop_body import inside, own_nodes

# tf.<name>(...) arguments where an int32 scalar tensor means the same as a Python int.
_INDEX_ARGUMENTS = {
    "cast": ({0}, {"x"}),
    "gather": ({1}, {"indices"}),
    "one_hot": ({0, 1}, {"indices", "depth"}),
    "expand_dims": ({1}, {"axis"}),
    "range": ({0, 1, 2}, {"start", "limit", "delta"}),
    "reduce_sum": ({1}, {"axis"}),
    "reduce_mean": ({1}, {"axis"}),
    "reduce_max": ({1}, {"axis"}),
    "reduce_min": ({1}, {"axis"}),
    "roll": ({1}, {"shift"}),
}
_SHAPE_FUNCTIONS = {
    "zeros": 0,
    "ones": 0,
    "fill": 0,
    "reshape": 1,
    "random.normal": 0,
    "random.uniform": 0,
    "broadcast_to": 1,
}
INT_OPS = (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod)
_CASTABLE = frozenset({"float16", "bfloat16", "float32", "float64", "int8", "int16", "int64", "uint8"})


class IndexUses:
    """Checks every use of the index (and of names computed from it) and collects the
    casts that keep them meaning the same once the index is an int32 tensor."""

    def __init__(
        self, module: ModuleAnalysis, facts: TensorFacts, loop: ast.For, index: str, tf: str, small: bool
    ) -> None:
        self.module, self.facts, self.loop, self.tf, self.small = module, facts, loop, tf, small
        self.parents = parent_map(own_nodes(loop.body))
        for statement in loop.body:
            self.parents[statement] = loop
        self.derived = {index}
        self.casts: dict[ast.expr, str] = {}
        self.assumptions: list[str] = []  # what the fix assumes (a container probably a tensor)

    def edits(self) -> list[Edit]:
        index = next(iter(self.derived))
        rebinding_loops = [
            n
            for n in self.facts.scope.nodes()
            if isinstance(n, ast.For)
            and n is not self.loop
            and not inside(self.loop, n)
            and isinstance(n.target, ast.Name)
            and n.target.id == index
        ]
        for node in self.facts.scope.nodes():
            if (
                isinstance(node, ast.Name)
                and node.id == index
                and isinstance(node.ctx, ast.Load)
                and not inside(node, self.loop)
            ):
                # Another loop over the same name binds it afresh for its own body.
                if not any(inside(node, other) and not inside(node, other.iter) for other in rebinding_loops):
                    raise NoFix(f"the index `{index}` is read after the loop")
        for node in own_nodes(self.loop.body):
            if isinstance(node, ast.Name) and node.id == index and isinstance(node.ctx, ast.Store):
                raise NoFix(f"the index `{index}` is assigned in the loop")
        checked: set[str] = set()
        while self.derived - checked:
            name = (self.derived - checked).pop()
            checked.add(name)
            for statement in self.loop.body:
                for load in iter_loads(statement, name):
                    self._use(load)
        edits = []
        for node, dtype in self.casts.items():
            text = self.module.lines.segment(node)
            if "#" in text or "\n" in text:
                raise NoFix("a comment or line break inside an expression that needs a cast")
            edits.append(Edit(*self.module.lines.node_range(node), f"{self.tf}.cast({text}, {self.tf}.{dtype})"))
        return edits

    def _is_derived(self, node: ast.expr) -> bool:
        return any(
            isinstance(n, ast.Name) and n.id in self.derived and isinstance(n.ctx, ast.Load) for n in ast.walk(node)
        )

    def _use(self, node: ast.expr) -> None:
        """`node` holds an index-derived int (a Python int today, an int32 tensor after)."""
        parent = self.parents.get(node)
        described = f"`{ast.unparse(node)}`"
        if isinstance(parent, ast.BinOp):
            other = parent.right if parent.left is node else parent.left
            self._arithmetic(node, parent, other, parent.op)
        elif isinstance(parent, ast.UnaryOp) and isinstance(parent.op, (ast.USub, ast.UAdd)):
            self._use(parent)
        elif isinstance(parent, ast.Subscript) or (
            isinstance(parent, (ast.Slice, ast.Tuple)) and self._slice_owner(parent) is not None
        ):
            owner = parent if isinstance(parent, ast.Subscript) else self._slice_owner(parent)
            assert owner is not None
            if owner.value is node or self._is_derived(owner.value):
                raise NoFix(f"{described} is subscripted")
            container = self.facts.of(owner.value)
            if container.assumption is not None:
                # Indexing a tensor with an int32 scalar works as with an int; a Python
                # list would not: the fix rests on the assumption.
                self.assumptions.append(container.assumption)
            elif not container.is_tensor:
                what = (
                    f"a Python {container.pytype}"
                    if container.is_python() and container.pytype
                    else "not known to be a tensor"
                )
                raise NoFix(f"the index subscripts `{ast.unparse(owner.value)}`, which is {what}")
        elif isinstance(parent, ast.Compare):
            self._comparison(parent)
        elif isinstance(parent, ast.Call) and node in parent.args + [k.value for k in parent.keywords]:
            self._call_argument(node, parent)
        elif isinstance(parent, (ast.List, ast.Tuple)) and self._in_shape(parent):
            pass
        elif (
            isinstance(parent, ast.Assign)
            and parent.value is node
            and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)
            and parent in self.loop.body
        ):
            self.derived.add(parent.targets[0].id)
        elif isinstance(parent, ast.AugAssign) and parent.value is node and isinstance(parent.target, ast.Name):
            self._arithmetic(node, parent, parent.target, parent.op)
        elif isinstance(parent, (ast.FormattedValue, ast.JoinedStr)):
            raise NoFix(f"{described} is formatted into a string")
        elif isinstance(parent, ast.Dict):
            raise NoFix(f"{described} is a dict key or value")
        else:
            raise NoFix(f"{described} is used where a Python int may be needed")

    def _arithmetic(self, node: ast.expr, parent: ast.BinOp | ast.AugAssign, other: ast.expr, op: ast.operator) -> None:
        described = f"`{ast.unparse(node)}`"
        # A value derived from the index, or a Python int, keeps the arithmetic integral.
        if not (self._is_derived(other) and not isinstance(parent, ast.AugAssign)):
            fact = self.facts.of(other)
            if fact.is_python("int", "bool"):
                pass
            elif fact.is_python("float"):
                return self._float(node, parent, fact.value, op)
            elif fact.is_tensor and fact.dtype == "int32":
                return  # a tensor either way
            elif fact.is_tensor and fact.dtype in _CASTABLE:
                self.casts[node] = fact.dtype  # the Python int converted to this dtype
                return
            else:
                raise NoFix(f"{described} meets `{ast.unparse(other)}`, whose dtype is not known")
        if isinstance(parent, ast.AugAssign):
            raise NoFix(f"{described} is added into a Python value")
        if not isinstance(op, INT_OPS):
            raise NoFix(f"{described} in `{ast.unparse(parent)}` would change type")
        self._use(parent)  # type: ignore[arg-type]
        return None

    def _float(self, node: ast.expr, parent: ast.BinOp | ast.AugAssign, value: object, op: ast.operator) -> None:
        """`i * 0.5`: a Python float today; cast `i` to the float dtype it flows into."""
        described = f"`{ast.unparse(parent)}`"
        if isinstance(parent, ast.AugAssign) or not isinstance(op, (ast.Add, ast.Sub, ast.Mult)) or not self.small:
            raise NoFix(f"{described} mixes the index with a Python float")
        consumer = self.parents.get(parent)
        dtype = None
        if isinstance(consumer, ast.BinOp) and isinstance(consumer.op, (ast.Add, ast.Sub, ast.Mult)):
            other = consumer.right if consumer.left is parent else consumer.left
            dtype = self.facts.dtype(other)
        elif (
            isinstance(consumer, ast.AugAssign)
            and consumer.value is parent
            and isinstance(consumer.op, (ast.Add, ast.Sub, ast.Mult))
        ):
            dtype = self.facts.dtype(consumer.target)
        exact = isinstance(value, float) and struct.unpack("f", struct.pack("f", value))[0] == value
        if dtype == "float64" or (dtype == "float32" and exact):
            self.casts[node] = dtype
            return
        raise NoFix(f"{described} mixes the index with a Python float")

    def _comparison(self, compare: ast.Compare) -> None:
        for operand in [compare.left, *compare.comparators]:
            if self._is_derived(operand):
                continue
            fact = self.facts.of(operand)
            if not (fact.is_python("int") or (fact.is_tensor and fact.dtype == "int32")):
                raise NoFix(f"`{ast.unparse(compare)}` compares the index with a value that is not an int")
        if any(isinstance(op, (ast.Is, ast.IsNot, ast.In, ast.NotIn)) for op in compare.ops):
            raise NoFix(f"`{ast.unparse(compare)}` is not a tensor comparison")
        node: ast.AST = compare
        parent = self.parents.get(node)
        while isinstance(parent, ast.BoolOp) or (isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not)):
            node, parent = parent, self.parents.get(parent)
        if not (isinstance(parent, ast.If) and parent.test is node):
            raise NoFix(f"`{ast.unparse(compare)}` is used outside an `if` test")
        # The `if` becomes tf.cond: what its branches assign leaves as tensors.
        for child in own_nodes(parent.body + parent.orelse):
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                fact = self.facts.name(child.id)
                if not (fact.is_tensor and fact.dtype is not None and fact.shape is not None):
                    raise NoFix(f"`{child.id}` is assigned under a condition on the index and would become a tensor")

    def _call_argument(self, node: ast.expr, call: ast.Call) -> None:
        name = self.facts.tf_name(call.func)
        described = f"`{ast.unparse(node)}`"
        if self.facts.resolve(call.func) == "builtins.print":
            raise NoFix("Python `print` inside the loop runs once per trace (AG001 rewrites it first)")
        if name is None:
            raise NoFix(f"{described} is passed to `{ast.unparse(call.func)}`, which is not TensorFlow")
        if name == "print" and node in call.args:
            return
        if name in ELEMENTWISE or name in COMPARISONS:
            # A tensor either way; the other operands decide the dtype the index needs.
            for other in call.args:
                if other is node or self._is_derived(other):
                    continue
                fact = self.facts.of(other)
                if fact.is_python("int", "bool") or (fact.is_tensor and fact.dtype == "int32"):
                    continue
                if fact.is_tensor and fact.dtype in _CASTABLE:
                    self.casts[node] = fact.dtype
                    continue
                raise NoFix(f"{described} meets `{ast.unparse(other)}` in `tf.{name}`, whose dtype is not known")
            return
        allowed = _INDEX_ARGUMENTS.get(name.removeprefix("math."))
        if allowed is not None:
            positions, keywords = allowed
            if any(call.args[p] is node for p in positions if p < len(call.args)) or any(
                k.arg in keywords and k.value is node for k in call.keywords
            ):
                return
        raise NoFix(f"{described} is passed to `tf.{name}`")

    def _slice_owner(self, node: ast.AST) -> ast.Subscript | None:
        while isinstance(node, (ast.Slice, ast.Tuple)):
            parent = self.parents.get(node)
            if isinstance(parent, ast.Subscript) and parent.slice is node:
                return parent
            if isinstance(node, ast.Slice) and isinstance(parent, ast.Tuple):
                node = parent
                continue
            return None
        return None

    def _in_shape(self, sequence: ast.List | ast.Tuple) -> bool:
        call = self.parents.get(sequence)
        if not isinstance(call, ast.Call):
            return False
        name = self.facts.tf_name(call.func)
        position = _SHAPE_FUNCTIONS.get(name or "")
        if position is None:
            return False
        return (len(call.args) > position and call.args[position] is sequence) or any(
            k.arg in ("shape", "dims") and k.value is sequence for k in call.keywords
        )
