"""Rewrite `print` in a graph scope to `tf.print`.

## What it does
Finds `print(...)` calls inside functions that `tf.function` traces (decorated, wrapped,
or called from traced code).

## Why is this bad?
Inside a graph, Python's `print` runs only while tracing: the first call prints symbolic
text such as `Tensor("x:0", shape=(), dtype=float32)` and later calls print nothing.
Eagerly, the same function prints the value on every call.

## Example
    @tf.function
    def step(x):
        print(f"x={x}")
        return x + 1

Use instead:

    @tf.function
    def step(x):
        tf.print("x=", x, sep="", summarize=-1, output_stream=sys.stdout)
        return x + 1

## Fix safety
A fix is safe when the graph prints the same values as eager `print`, in the same
order, on the same stream, on every call. What eager `print` wraps around a value is
presentation, not a value: `tf.Tensor(0.25, shape=(), dtype=float32)` and
`<tf.Variable 'v:0' shape=() dtype=float32, numpy=0.25>` print as `0.25` with
`tf.print`, NumPy's `array(...)` as its items. So `print("loss", loss)` with a tensor
`loss` gets a safe fix. `tf.print` also shows booleans as 1/0, strings in double quotes
and float32 with 9 significant digits: the same values. `tfrewrite verify` and the
parity tests compare printed output the same way.

The fix passes `output_stream=sys.stdout` (or the `file=sys.stderr` it was given), keeps
`sep=` and `end=`, and drops `flush=`, which `tf.print` rejects. With
`print-output-stream = "default"` it writes plain `tf.print(...)`, TensorFlow's idiom,
which prints to stderr: such fixes are unsafe, since the stream changes. A value that
may have more than six items in a dimension gets `summarize=-1`: `tf.print` would show
only the first and last three, eager `print` shows every item (up to NumPy's 1000).
f-strings, `%`-formatting and `str.format` are split into literal text and values so
the values print at run time; `.numpy()` is removed from printed values, since it
fails on a symbolic tensor.

The fix is unsafe when a printed value may differ:

- a format spec `tf.strings.as_string` cannot express (alignment, signs, grouping,
  `g`, `%`), or a conversion (`{x!r}`), would be lost: the printed digits change,
  which is not presentation;
- a value formatted with `f`, `e` or `d` is not known to be a scalar tensor of a
  matching dtype (the message names the assumption);
- an attribute or outer name (`self.epoch`, a global) may be Python state that changes
  between calls; `tf.print` shows it as it was when traced;
- a shape is read in a way the fix cannot rewrite (`len(x.shape)` of an unknown rank).

Format specs of `f`, `e` and `d` with a width, a `0` fill and a precision
(`{loss:.4f}`, `%08.3f`, `{step:5d}`) are kept: the text becomes one string,
`tf.print(tf.strings.join(["loss ", tf.strings.as_string(loss, precision=4)]))`, which
`tf.print` shows without quotes and with the same digits; a Python value in the same
text is formatted by Python (`format(LR, ".0e")`), as it was eagerly.

A printed shape becomes the run-time shape: `x.shape` becomes `tf.shape(x)` (eager
print shows `(4, 3)`, `tf.print` `[4 3]`: the same values; a static `TensorShape`
would print as `TensorShape([4, 3])`), and `x.shape[0]` of a dimension that is not
static becomes `tf.shape(x)[0]`. When `x` is not known to be a tensor, that fix is
unsafe and says so.

Deliberate trace-time code is not reported: a `print` whose text says it runs while
tracing (`print("Tracing with", x)`; the words are the `trace-print-words` setting:
trace, traced, traces, tracing, retrace(d/s), retracing, compiling, in any case) is
meant to print once per trace, as TensorFlow's guides use it. `report-trace-prints =
true` reports such prints, with no fix.

No fix: `print` that is not a statement (in a graph `tf.print` returns an Operation,
not `None`), `file=` other than `sys.stdout`/`sys.stderr`, `**kwargs`, and functions
compiled with `jit_compile=True` (XLA has no kernel for `tf.print`). A `print` that is
not the builtin (assigned, imported or a parameter) is not reported.

In Keras 3 scopes (`call`, `train_step`, losses and metrics) the fix is unsafe unless
every `compile` of the module says `jit_compile=False` (or `run_eagerly=True`): Keras 3
compiles with XLA by default when a GPU is present, and XLA rejects `tf.print`. In a
layer's or model's `call` it is always unsafe: Keras runs `call` symbolically while it
builds a functional model, where `print` prints once and `tf.print` nothing.
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
import re
from collections.abc import Iterator

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scopes import GraphScope
from rewriter.analyze.syntax import root_name
from rewriter.analyze.tensors import Fact
from rewriter.rules._base import Applicability, Edit, Example, Fix, ImportRequest, NoFix, Rule, Violation
from rewriter.rules._print_format import (
    Piece,
    merge_literals,
    split_format_call,
    split_fstring,
    split_percent,
    string_literal,
    strip_numpy_call,
)
from rewriter.rules._trace_markers import says_tracing
from rewriter.source import has_comment

_STATE = "`{name}` may be Python state that changes between calls; tf.print shows its value when traced"
_SHAPE = "`{name}` is a static shape, which tf.print shows as it was when traced"
_STDERR = 'tf.print writes to stderr where print wrote to stdout (`print-output-stream = "default"`)'
# tf.print shows at most this many items at each end of a dimension unless told
# `summarize=-1`; eager print (NumPy) shows every item up to 1000 in all.
_TF_PRINT_EDGE_ITEMS = 3
_TRACE_MARKER = "the message says it runs while tracing, so it is meant to print once per trace"
_PYTHON_SCALARS = ("int", "float", "bool", "str", "bytes", "none")


class PrintInGraph(Rule):
    CODE = "AG001"
    NAME = "print-in-graph"
    MESSAGE = "`print` in a graph runs only while tracing; later calls print nothing"
    FIX_TITLE = "Replace with `tf.print`"

    VALID = (
        """
        import sys
        import tensorflow as tf

        def eager(x):
            print(x)
        """,
        """
        import sys
        import tensorflow as tf

        @tf.function
        def f(x):
            tf.print(x)
        """,
        """
        import sys
        import tensorflow as tf

        @tf.function
        def f(x):
            print = tf.print
            print(x)
        """,
        """
        import sys
        import tensorflow as tf

        def cb(x):
            print(x)
            return x

        @tf.function
        def f(x):
            return tf.py_function(cb, [x], tf.float32)
        """,
        """
        import sys
        import tensorflow as tf

        @tf.function
        def f(x):
            print("Tracing f with", x)
        """,
    )
    INVALID = (
        Example(
            """
            import sys
            import tensorflow as tf

            @tf.function
            def f(x):
                print("step", 1)
            """,
            """
            import sys
            import tensorflow as tf

            @tf.function
            def f(x):
                tf.print("step", 1, output_stream=sys.stdout)
            """,
            name="print-of-literals",
        ),
        Example(
            """
            import sys
            import tensorflow as tf

            @tf.function
            def f(x):
                print("loss", tf.reduce_mean(x))
            """,
            """
            import sys
            import tensorflow as tf

            @tf.function
            def f(x):
                tf.print("loss", tf.reduce_mean(x), output_stream=sys.stdout)
            """,
            name="print-of-a-tensor",
        ),
        Example(
            """
            import sys
            import tensorflow as tf

            @tf.function
            def f(x):
                print(f"x={x}", flush=True)
            """,
            """
            import sys
            import tensorflow as tf

            @tf.function
            def f(x):
                tf.print("x=", x, sep="", summarize=-1, output_stream=sys.stdout)
            """,
            name="f-string-with-flush",
        ),
        Example(
            """
            import sys
            import tensorflow as tf

            @tf.function
            def f(x):
                print(x, file=sys.stderr)
            """,
            """
            import sys
            import tensorflow as tf

            @tf.function
            def f(x):
                tf.print(x, output_stream=sys.stderr, summarize=-1)
            """,
            name="print-to-stderr",
        ),
        Example(
            """
            import sys
            import tensorflow as tf

            @tf.function
            def f(x):
                print("step", 1)
            """,
            """
            import sys
            import tensorflow as tf

            @tf.function
            def f(x):
                tf.print("step", 1)
            """,
            options={"unsafe_fixes": True, "print_output_stream": "default"},
            name="default-stream-is-unsafe",
        ),
        Example(
            """
            import sys
            import tensorflow as tf

            @tf.function
            def f(x):
                print("Tracing f")
            """,
            None,
            options={"report_trace_prints": True},
            name="trace-marker-reported-on-request",
        ),
        Example(
            """
            import sys
            import tensorflow as tf

            @tf.function(jit_compile=True)
            def f(x):
                print('x')
            """,
            None,
            name="no-tf-print-under-xla",
        ),
    )

    def check(self, module: ModuleAnalysis) -> Iterator[Violation]:
        for scope in module.graph_scopes:
            if "print" in scope.local_names:
                continue  # a local `print` is not the builtin
            statement_calls = {
                node.value
                for node in scope.statements()
                if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            }
            for node in scope.nodes():
                if isinstance(node, ast.Call) and module.imports.resolve(node.func) == "builtins.print":
                    violation = self._report(module, scope, node, node in statement_calls)
                    if violation is not None:
                        yield violation

    def _report(
        self, module: ModuleAnalysis, scope: GraphScope, call: ast.Call, is_statement: bool
    ) -> Violation | None:
        span = module.lines.node_range(call)
        if says_tracing(" ".join(_literal_texts(call)), module.settings.trace_print_words):
            if not module.settings.report_trace_prints:
                return None  # deliberate: it announces a trace
            return self.report(span, no_fix=_TRACE_MARKER)
        if not is_statement:
            return self.report(span, no_fix="not a statement, and `tf.print` returns an Operation in a graph")
        if scope.jit_compile:
            return self.report(span, no_fix="XLA under `jit_compile` has no kernel for `tf.print`")
        try:
            fix = _build_fix(module, scope, call)
        except NoFix as reason:
            return self.report(span, no_fix=reason)
        caveats = []
        if scope.maybe_xla:  # XLA has no kernel for tf.print: the fix holds only without it
            caveats.append(f"assumes no XLA: {scope.maybe_xla}")
        if scope.kind == "keras-call":
            caveats.append(
                "Keras also runs `call` symbolically while it builds a functional model, "
                "where `print` prints once and `tf.print` prints nothing"
            )
        if caveats:
            fix = dataclasses.replace(
                fix, applicability=Applicability.UNSAFE, message=f"{fix.message} ({'; '.join(caveats)})"
            )
        return self.violation(span, fix=fix)


def _build_fix(module: ModuleAnalysis, scope: GraphScope, call: ast.Call) -> Fix:
    tf = module.tensorflow_name(scope)
    if tf is None:
        raise NoFix("no name is free to refer to tensorflow")
    keywords = {k.arg: k for k in call.keywords}
    if None in keywords:
        raise NoFix("`**kwargs` may hold keywords tf.print rejects")
    if set(keywords) - {"sep", "end", "file", "flush"}:
        raise NoFix("an unknown keyword argument")
    flush = keywords.get("flush")
    if flush is not None and not isinstance(flush.value, ast.Constant):
        raise NoFix("`flush=` is an expression that would no longer be evaluated")
    imports: tuple[ImportRequest, ...] = tf[1]
    stream_keyword = keywords.get("file")
    stream: str | None
    reasons: list[str] = []
    if stream_keyword is None and module.settings.print_output_stream == "default":
        stream = None  # plain `tf.print(...)`: TensorFlow's idiom, on stderr
        reasons.append(_STDERR)
    elif stream_keyword is None:
        sys_name = module.module_name("sys", "sys", scope)
        if sys_name is None:
            raise NoFix("no name is free to refer to sys")
        imports += sys_name[1]
        stream = f"{sys_name[0]}.stdout"
    else:
        target = module.imports.resolve(stream_keyword.value)
        root = root_name(stream_keyword.value)
        if target not in ("sys.stdout", "sys.stderr") or root in scope.local_names:
            raise NoFix("`file=` is not sys.stdout or sys.stderr")
        stream = module.lines.segment(stream_keyword.value)

    pieces_per_argument = _argument_pieces(module, scope, call)
    rebuild = any(_is_formatting(argument) for argument in call.args)
    for pieces in pieces_per_argument:
        for index, piece in enumerate(pieces):
            shape = (
                piece.node is not None
                and piece.unsafe_reason is None
                and _dynamic_shape(module, scope, piece.node, tf[0])
            )
            if shape:
                pieces[index] = Piece(source=shape[0], unsafe_reason=shape[1])
                rebuild = True
    values = [p for ps in pieces_per_argument for p in ps if p.text is None]
    if rebuild and any(p.spec is not None for p in values):
        joined = _formatted_call(module, scope, call, tf[0], pieces_per_argument, keywords, stream)
        if joined is not None:
            edit, join_reasons = joined
            reasons += join_reasons
            if reasons:
                message = f"Replace with `tf.print` ({'; '.join(dict.fromkeys(reasons))})"
                return Fix(Applicability.UNSAFE, message, (edit,), imports)
            return Fix(Applicability.SAFE, PrintInGraph.FIX_TITLE, (edit,), imports)
    reasons += [p.unsafe_reason for p in values if p.unsafe_reason]
    facts = module.tensors(scope)
    for piece in values:
        if piece.node is not None and piece.unsafe_reason is None:
            reason = _value_reason(module, scope, piece.node)
            if reason:
                reasons.append(reason)
    summarize = any(piece.node is not None and _may_be_summarized(facts.of(piece.node)) for piece in values)
    added = ["summarize=-1"] if summarize else []
    streams = [f"output_stream={stream}"] if stream else []
    if rebuild:
        edits = _rebuilt_call(module, call, tf[0], pieces_per_argument, keywords, added + streams)
    else:
        # A `file=` keyword is renamed in place; otherwise the stream is added.
        edits = _minimal_edits(module, call, tf[0], keywords, added + ([] if stream_keyword else streams))
    unique_reasons = list(dict.fromkeys(reasons))
    if unique_reasons:
        return Fix(
            Applicability.UNSAFE, f"Replace with `tf.print` ({'; '.join(unique_reasons)})", tuple(edits), imports
        )
    return Fix(Applicability.SAFE, PrintInGraph.FIX_TITLE, tuple(edits), imports)


def _is_formatting(node: ast.expr) -> bool:
    return isinstance(node, ast.JoinedStr) or _percent_template(node) is not None or _format_template(node) is not None


def _percent_template(node: ast.expr) -> str | None:
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Mod)
        and isinstance(node.left, ast.Constant)
        and isinstance(node.left.value, str)
    ):
        return node.left.value
    return None


def _format_template(node: ast.expr) -> str | None:
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
    ):
        return node.func.value.value
    return None


def _literal_texts(call: ast.Call) -> list[str]:
    """The literal text a print call's arguments hold (strings, f-string and template text)."""
    texts = []
    for argument in call.args:
        if isinstance(argument, ast.JoinedStr):
            texts += [str(v.value) for v in argument.values if isinstance(v, ast.Constant)]
        elif (template := _percent_template(argument) or _format_template(argument)) is not None:
            texts.append(template)
        elif isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            texts.append(argument.value)
    return texts


def _argument_pieces(module: ModuleAnalysis, scope: GraphScope, call: ast.Call) -> list[list[Piece]]:
    """The pieces each positional argument prints as: literal text, or a value."""
    all_pieces: list[list[Piece]] = []
    for argument in call.args:
        if isinstance(argument, ast.JoinedStr):
            pieces = split_fstring(argument)
        elif (template := _percent_template(argument)) is not None:
            pieces = split_percent(template, argument.right)  # type: ignore[attr-defined]
        elif (template := _format_template(argument)) is not None:
            pieces = split_format_call(template, argument)  # type: ignore[arg-type]
        elif isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            pieces = [Piece(text=argument.value)]
        elif isinstance(argument, ast.Starred):
            pieces = [Piece(source=module.lines.segment(argument), node=argument.value)]
        else:
            inner = strip_numpy_call(argument)
            pieces = [Piece(source=module.lines.segment(inner), node=inner)]
        all_pieces.append(pieces)
    return all_pieces


def _dynamic_shape(module: ModuleAnalysis, scope: GraphScope, node: ast.expr, tf: str) -> tuple[str, str | None] | None:
    """`x.shape` -> `tf.shape(x)`, and `x.shape[0]` of a dimension that is not static ->
    `tf.shape(x)[0]`, which print the run-time shape (eager print shows it as `(4, 3)`,
    tf.print as `[4 3]`: the same values), with the assumption it rests on, if any."""
    index = None
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and type(node.slice.value) is int:
        index, node = node.slice.value, node.value
    if not (isinstance(node, ast.Attribute) and node.attr == "shape"):
        return None
    facts = module.tensors(scope)
    if index is not None and _static_shape(facts.of(node), index):
        return None  # a static dimension: a Python int, the same on every call
    # A whole shape always becomes `tf.shape(x)`: tf.print would show a static
    # TensorShape as `TensorShape([3, 1])` where eager print shows `(3, 1)`.
    owner = ast.unparse(node.value)
    source = f"{tf}.shape({owner})" + (f"[{index}]" if index is not None else "")
    if facts.is_tensor(node.value):
        return source, None
    return source, f"it assumes `{owner}` is a tensor, whose run-time shape `tf.shape` gives"


_SPEC = re.compile(r"(?P<zero>0)?(?P<width>[1-9]\d*)?(?:\.(?P<precision>\d+))?(?P<type>[fed])")
_FLOATS = ("float16", "bfloat16", "float32", "float64")
_INTEGERS = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")


def _as_string_keywords(spec: str) -> tuple[list[str], tuple[str, ...]] | None:
    """`tf.strings.as_string` keywords that format as the spec does, and the dtypes it
    takes; None for a spec they cannot express (alignment, signs, grouping, `g`...)."""
    match = _SPEC.fullmatch(spec)
    if match is None or (match["type"] == "d" and match["precision"] is not None):
        return None
    keywords = []
    if match["type"] != "d":
        keywords.append(f"precision={match['precision'] or 6}")  # Python's default is 6
    if match["type"] == "e":
        keywords.append("scientific=True")
    if match["width"]:
        keywords.append(f"width={match['width']}")
        if match["zero"]:
            keywords.append('fill="0"')
    return keywords, (_INTEGERS if match["type"] == "d" else _FLOATS)


def _joined_pieces(pieces_per_argument: list[list[Piece]], keywords: dict[str | None, ast.keyword]) -> list[Piece]:
    """The print's arguments as one run of pieces, with its `sep=` between them (a space
    by default); NoFix when `sep=` is not a string literal."""
    separator = " "
    if "sep" in keywords:
        value = keywords["sep"].value
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
            raise NoFix("`sep=` is not a string literal")
        separator = value.value
    pieces: list[Piece] = []
    for index, argument_pieces in enumerate(pieces_per_argument):
        if index:
            pieces.append(Piece(text=separator))
        pieces.extend(argument_pieces)
    return pieces


def _formatted_call(
    module: ModuleAnalysis,
    scope: GraphScope,
    call: ast.Call,
    tf: str,
    pieces_per_argument: list[list[Piece]],
    keywords: dict[str | None, ast.keyword],
    stream: str | None,
) -> tuple[Edit, list[str]] | None:
    """`print(f"loss {loss:.4f}")` -> `tf.print(tf.strings.join(["loss ",
    tf.strings.as_string(loss, precision=4)]))`: one string, so tf.print shows it without
    quotes, with the digits the spec asked for. None when a value cannot be written so
    (a spec as_string cannot express, or a tensor printed without a spec among them)."""
    lines = module.lines
    call_start, call_end = lines.node_range(call)
    if has_comment(module.text[call_start:call_end]) or any(isinstance(a, ast.Starred) for a in call.args):
        return None
    try:
        pieces = _joined_pieces(pieces_per_argument, keywords)
    except NoFix:
        return None
    facts = module.tensors(scope)
    parts, reasons = [], []
    for piece in merge_literals(pieces):
        if piece.text is not None:
            parts.append(string_literal(piece.text))
            continue
        node = piece.node
        if node is None:
            return None
        fact = facts.of(node)
        if piece.spec is None:
            if piece.unsafe_reason is None and (
                fact.is_python("int", "float", "bool", "str") or isinstance(node, ast.Constant)
            ):
                parts.append(f"str({piece.source})")  # fixed for a trace, as eager printed it
                continue
            return None
        mapped = _as_string_keywords(piece.spec)
        if fact.is_python("int", "float", "bool") or isinstance(node, ast.Constant):
            # A Python value is fixed for a trace: Python formats it, as it did eagerly.
            parts.append(f"format({piece.source}, {string_literal(piece.spec)})")
            continue
        if mapped is None:
            return None
        reason = _value_reason(module, scope, node)
        if reason:
            reasons.append(reason)
        elif not (fact.is_tensor and fact.shape == () and fact.dtype in mapped[1]):
            kind = "integer" if mapped[1] is _INTEGERS else "floating-point"
            reasons.append(f"it assumes `{piece.source}` is a scalar {kind} tensor, as the spec `:{piece.spec}` needs")
        parts.append(f"{tf}.strings.as_string({', '.join([str(piece.source), *mapped[0]])})")
    arguments = [f"{tf}.strings.join([{', '.join(parts)}])"]
    if "end" in keywords:
        arguments.append(lines.segment(keywords["end"]))
    if stream:
        arguments.append(f"output_stream={stream}")
    return Edit(call_start, call_end, f"{tf}.print({', '.join(arguments)})"), reasons


def _static_shape(fact: Fact, index: int | None = None) -> bool:
    """Whether a shape fact (or its dimension `index`) is known when tracing."""
    dims = fact.shape
    if not isinstance(dims, tuple):
        return False
    if index is None:
        return all(isinstance(d, int) for d in dims)
    return -len(dims) <= index < len(dims) and isinstance(dims[index], int)


def _value_reason(module: ModuleAnalysis, scope: GraphScope, node: ast.expr) -> str | None:
    """Why tf.print may show other values than eager print did, or None.

    A tensor's or variable's values print the same (eager print only wraps them in
    `tf.Tensor(...)` / `<tf.Variable ...>`), and so does a Python value that is fixed
    for a trace (a literal, a local computed from the arguments). Python state read
    from an attribute or an outer name may change between calls without a new trace.
    """
    facts = module.tensors(scope)
    if isinstance(node, ast.Constant) or facts.is_tensor(node):
        return None
    if (
        isinstance(node, ast.Subscript)
        and isinstance(node.value, ast.Attribute)
        and node.value.attr == "shape"
        and isinstance(node.slice, ast.Constant)
        and type(node.slice.value) is int
        and _static_shape(facts.of(node.value), node.slice.value)
    ):
        return None  # `x.shape[1]` of a static dimension
    for part in ast.walk(node):
        if isinstance(part, ast.Attribute) and part.attr == "shape":
            if not _static_shape(facts.of(part)):
                return _SHAPE.format(name=ast.unparse(part))
            continue
        if isinstance(part, ast.Attribute) and _is_state(module, scope, part):
            return _STATE.format(name=ast.unparse(part))
        if isinstance(part, ast.Name) and _is_outer(module, scope, part):
            return _STATE.format(name=part.id)
    return None


def _is_state(module: ModuleAnalysis, scope: GraphScope, node: ast.Attribute) -> bool:
    """`self.epoch`, `config.step`: an attribute of an object, not of a module or tensor."""
    if module.imports.resolve(node) is not None or module.tensors(scope).is_tensor(node):
        return False
    return not module.tensors(scope).is_tensor(node.value) or node.attr not in ("dtype", "ndim", "name")


def _is_outer(module: ModuleAnalysis, scope: GraphScope, node: ast.Name) -> bool:
    if node.id in scope.local_names or node.id in module.constants or module.imports.resolve(node) is not None:
        return False  # a local, a module constant (`LABEL = "epoch"`) or a module
    if module.tensors(scope).is_tensor(node):
        return False
    return node.id not in _BUILTINS


_BUILTINS = frozenset(dir(builtins))


def _may_be_summarized(fact: Fact) -> bool:
    """Whether tf.print may abbreviate the value (more than 3 items at a dimension's ends)."""
    if fact.is_python(*_PYTHON_SCALARS):
        return False
    if fact.is_python():
        return True  # a list or tuple may hold tensors
    shape = fact.shape
    if isinstance(shape, tuple) and all(isinstance(d, int) for d in shape):
        return any(d > 2 * _TF_PRINT_EDGE_ITEMS for d in shape)  # type: ignore[operator]
    return True


def _minimal_edits(
    module: ModuleAnalysis, call: ast.Call, tf: str, keywords: dict[str | None, ast.keyword], added: list[str]
) -> list[Edit]:
    """Small edits that leave comments, line breaks and trailing commas alone."""
    lines, text = module.lines, module.text
    func_start, func_end = lines.node_range(call.func)
    call_end = lines.node_range(call)[1]
    if (
        len(call.args) == 1
        and not call.keywords
        and isinstance(call.args[0], ast.GeneratorExp)
        and lines.node_range(call.args[0])[1] == call_end
    ):
        # timid: `print(x for x in y)`: the generator's span is the call's parentheses.
        raise NoFix("a bare generator expression argument")
    edits = [Edit(func_start, func_end, f"{tf}.print")]
    for argument in call.args:
        inner = strip_numpy_call(argument)
        if inner is not argument:
            # `(x).numpy()`: keep the parentheses that close around `x`.
            argument_end = lines.node_range(argument)[1]
            edits.append(Edit(_after_parens(text, lines.node_range(inner)[1], argument_end), argument_end, ""))
    stream_keyword = keywords.get("file")
    if stream_keyword is not None:
        start = lines.node_range(stream_keyword)[0]
        edits.append(Edit(start, start + len("file"), "output_stream"))
    flush = keywords.get("flush")
    kept = [n for n in [*call.args, *call.keywords] if n is not flush]
    if flush is not None and added:
        # The added keywords take the place of `flush=`, so no comma moves.
        start, end = lines.node_range(flush)
        edits.append(Edit(start, end, ", ".join(added)))
    elif flush is not None:
        edits.append(_deletion(module, call, flush))
    elif added:
        if kept:
            # After the last argument and any parentheses around it (`print((x))`).
            end = _after_parens(text, max(lines.node_range(n)[1] for n in kept), call_end - 1)
            edits.append(Edit(end, end, "".join(f", {keyword}" for keyword in added)))
        else:
            open_paren = _after_parens(text, func_end, call_end - 1)
            if text[open_paren] != "(":
                raise NoFix("the call's parenthesis cannot be found")  # timid: never seen
            edits.append(Edit(open_paren + 1, open_paren + 1, ", ".join(added)))
    return edits


def _after_parens(text: str, position: int, limit: int) -> int:
    """The end of an expression that ends at `position`, including closing parentheses
    around it (with spaces, comments and line breaks between them) before `limit`."""
    end = scan = position
    while scan < limit:
        char = text[scan]
        if char in " \t\f\r\n\\":
            scan += 1
        elif char == "#":
            while scan < limit and text[scan] not in "\r\n":
                scan += 1
        elif char == ")":
            scan += 1
            end = scan
        else:
            break
    return end


def _before_parens(text: str, position: int, limit: int) -> int:
    """The start of an expression that starts at `position`, including opening
    parentheses (and spaces between them) after `limit`."""
    start = scan = position
    while scan > limit:
        char = text[scan - 1]
        if char in " \t\f\r\n":
            scan -= 1
        elif char == "(":
            scan -= 1
            start = scan
        else:
            break
    return start


def _deletion(module: ModuleAnalysis, call: ast.Call, keyword: ast.keyword) -> Edit:
    """Remove one keyword argument and the comma that separates it."""
    lines, text = module.lines, module.text
    ordered = sorted([*call.args, *call.keywords], key=lambda n: lines.node_range(n)[0])
    index = ordered.index(keyword)
    start, end = lines.node_range(keyword)
    if index > 0:
        start = _after_parens(text, lines.node_range(ordered[index - 1])[1], start)
    elif index + 1 < len(ordered):
        end = _before_parens(text, lines.node_range(ordered[index + 1])[0], end)
    if "#" in text[start:end]:
        raise NoFix("a comment sits next to `flush=`")
    return Edit(start, end, "")


def _rebuilt_call(
    module: ModuleAnalysis,
    call: ast.Call,
    tf: str,
    pieces_per_argument: list[list[Piece]],
    keywords: dict[str | None, ast.keyword],
    added: list[str],
) -> list[Edit]:
    """Rewrite the whole call: split formatting into pieces joined with sep=""."""
    lines = module.lines
    call_start, call_end = lines.node_range(call)
    if has_comment(module.text[call_start:call_end]):
        raise NoFix("comments inside a call whose formatting must be split")
    if any(isinstance(argument, ast.Starred) for argument in call.args):
        raise NoFix("`*args` next to formatting that must be split")
    pieces = _joined_pieces(pieces_per_argument, keywords)
    arguments = [string_literal(p.text) if p.text is not None else str(p.source) for p in merge_literals(pieces)]
    arguments.append('sep=""')
    if "end" in keywords:
        arguments.append(lines.segment(keywords["end"]))
    arguments += added
    return [Edit(call_start, call_end, f"{tf}.print({', '.join(arguments)})")]
