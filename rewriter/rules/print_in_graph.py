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
import dataclasses
from collections.abc import Iterator

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scopes import GraphScope
from rewriter.analyze.syntax import root_name
from rewriter.rules._base import Applicability, Example, Fix, ImportRequest, NoFix, Rule, Violation
from rewriter.rules._print_edits import formatted_call, minimal_edits, rebuilt_call
from rewriter.rules._print_format import Piece, argument_pieces, is_formatting, literal_texts
from rewriter.rules._printed_values import dynamic_shape, may_be_summarized, value_reason
from rewriter.rules._trace_markers import says_tracing

_STDERR = 'tf.print writes to stderr where print wrote to stdout (`print-output-stream = "default"`)'
_TRACE_MARKER = "the message says it runs while tracing, so it is meant to print once per trace"


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
        if says_tracing(" ".join(literal_texts(call)), module.settings.trace_print_words):
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

    pieces_per_argument = argument_pieces(module, scope, call)
    rebuild = any(is_formatting(argument) for argument in call.args)
    for pieces in pieces_per_argument:
        for index, piece in enumerate(pieces):
            shape = (
                piece.node is not None
                and piece.unsafe_reason is None
                and dynamic_shape(module, scope, piece.node, tf[0])
            )
            if shape:
                pieces[index] = Piece(source=shape[0], unsafe_reason=shape[1])
                rebuild = True
    values = [p for ps in pieces_per_argument for p in ps if p.text is None]
    if rebuild and any(p.spec is not None for p in values):
        joined = formatted_call(module, scope, call, tf[0], pieces_per_argument, keywords, stream)
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
            reason = value_reason(module, scope, piece.node)
            if reason:
                reasons.append(reason)
    summarize = any(piece.node is not None and may_be_summarized(facts.of(piece.node)) for piece in values)
    added = ["summarize=-1"] if summarize else []
    streams = [f"output_stream={stream}"] if stream else []
    if rebuild:
        edits = rebuilt_call(module, call, tf[0], pieces_per_argument, keywords, added + streams)
    else:
        # A `file=` keyword is renamed in place; otherwise the stream is added.
        edits = minimal_edits(module, call, tf[0], keywords, added + ([] if stream_keyword else streams))
    unique_reasons = list(dict.fromkeys(reasons))
    if unique_reasons:
        return Fix(
            Applicability.UNSAFE, f"Replace with `tf.print` ({'; '.join(unique_reasons)})", tuple(edits), imports
        )
    return Fix(Applicability.SAFE, PrintInGraph.FIX_TITLE, tuple(edits), imports)
