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
        tf.print("x=", x, sep="", output_stream=sys.stdout)
        return x + 1

## Fix safety
`tf.print` writes to stderr by default; the fix passes `output_stream=sys.stdout` (or the
`file=sys.stderr` it was given), keeps `sep=` and `end=`, and drops `flush=`, which
`tf.print` rejects. f-strings, `%`-formatting and `str.format` are split into literal
text and values so the values print at run time; `.numpy()` is removed from printed
values, since it fails on a symbolic tensor.

The fix is safe when every printed value is a literal, `x.numpy()`, a value the
tensor analysis proves is a Python int or str (`len(names)`, the index of a Python
`range` loop), or a tensor interpolated into a string (`f"{x}"`), which both forms print
as the value's text. It is unsafe when:

- a bare argument may be a tensor: eager `print(t)` shows `tf.Tensor(3, shape=(), dtype=int32)`,
  `tf.print(t)` shows `3`;
- the message mentions tracing (`print("Tracing with", x)`): such prints are usually
  meant to run once per trace, as TensorFlow's guides use them;
- an interpolated attribute or outer name may be a `tf.Variable` (`f"{self.v}"` shows
  `<tf.Variable ...>` eagerly);
- a format spec (`{x:.2f}`), conversion (`{x!r}`) or `%d`-style conversion would be lost.

Residual differences even for safe fixes: `tf.print` shows float32 values with 9
significant digits, whole floats without a decimal point, booleans as 1/0, and at most
three items at each end of a long tensor.

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
import re
from collections.abc import Iterator

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scopes import GraphScope
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
from rewriter.source import has_comment

_HEADER = "import sys\nimport tensorflow as tf\n\n"
_UNKNOWN_VALUE = "a tensor argument prints its value, without eager print's `tf.Tensor(...)` wrapper"
# "Tracing with ...", "retraced": a print that announces tracing is usually meant to run
# only while tracing (TensorFlow's own guides teach it); printing it every call changes
# what the author wanted to see.
_TRACING_WORDS = re.compile(r"\b(re)?trac(e|ed|es|ing)\b", re.IGNORECASE)
_ANNOUNCES_TRACING = "the message mentions tracing, so it may be meant to print only while tracing"


class PrintInGraph(Rule):
    CODE = "AG001"
    NAME = "print-in-graph"
    MESSAGE = "`print` in a graph runs only while tracing; later calls print nothing"
    FIX_TITLE = "Replace with `tf.print`"

    VALID = (
        _HEADER + "def eager(x):\n    print(x)\n",
        _HEADER + "@tf.function\ndef f(x):\n    tf.print(x)\n",
        _HEADER + "@tf.function\ndef f(x):\n    print = tf.print\n    print(x)\n",
        _HEADER + "def cb(x):\n    print(x)\n    return x\n\n@tf.function\ndef f(x):\n"
        "    return tf.py_function(cb, [x], tf.float32)\n",
    )
    INVALID = (
        Example(
            _HEADER + '@tf.function\ndef f(x):\n    print("step", 1)\n',
            _HEADER + '@tf.function\ndef f(x):\n    tf.print("step", 1, output_stream=sys.stdout)\n',
        ),
        Example(
            _HEADER + '@tf.function\ndef f(x):\n    print(f"x={x}", flush=True)\n',
            _HEADER + '@tf.function\ndef f(x):\n    tf.print("x=", x, sep="", output_stream=sys.stdout)\n',
        ),
        Example(
            _HEADER + "@tf.function\ndef f(x):\n    print(x, file=sys.stderr)\n",
            _HEADER + "@tf.function\ndef f(x):\n    tf.print(x, output_stream=sys.stderr)\n",
            {"unsafe_fixes": True},
        ),
        Example(_HEADER + "@tf.function(jit_compile=True)\ndef f(x):\n    print('x')\n", None),
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
                    yield self._report(module, scope, node, node in statement_calls)

    def _report(self, module: ModuleAnalysis, scope: GraphScope, call: ast.Call, is_statement: bool) -> Violation:
        span = module.lines.node_range(call)
        if not is_statement:
            return self.violation(
                span, self.MESSAGE + " (no fix: not a statement, and `tf.print` returns an Operation in a graph)"
            )
        if scope.jit_compile:
            return self.violation(
                span, self.MESSAGE + " (no fix: XLA under `jit_compile` has no kernel for `tf.print`)"
            )
        try:
            fix = _build_fix(module, scope, call)
        except NoFix as reason:
            return self.violation(span, f"{self.MESSAGE} (no fix: {reason})")
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
    if stream_keyword is None:
        sys_name = module.module_name("sys", "sys", scope)
        if sys_name is None:
            raise NoFix("no name is free to refer to sys")
        imports += sys_name[1]
        stream = f"{sys_name[0]}.stdout"
    else:
        target = module.imports.resolve(stream_keyword.value)
        root = _root_name(stream_keyword.value)
        if target not in ("sys.stdout", "sys.stderr") or root in scope.local_names:
            raise NoFix("`file=` is not sys.stdout or sys.stderr")
        stream = module.lines.segment(stream_keyword.value)

    pieces_per_argument, reasons = _argument_pieces(module, scope, call)
    if any(_is_formatting(argument) for argument in call.args):
        edits = _rebuilt_call(module, call, tf[0], pieces_per_argument, keywords, stream)
    else:
        edits = _minimal_edits(module, call, tf[0], keywords, stream)
    unique_reasons = list(dict.fromkeys(reasons))
    if unique_reasons:
        return Fix(
            Applicability.UNSAFE, f"Replace with `tf.print` ({'; '.join(unique_reasons)})", tuple(edits), imports
        )
    return Fix(Applicability.SAFE, PrintInGraph.FIX_TITLE, tuple(edits), imports)


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


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


def _argument_pieces(module: ModuleAnalysis, scope: GraphScope, call: ast.Call) -> tuple[list[list[Piece]], list[str]]:
    """The pieces each positional argument prints as, and why any is unsafe."""
    all_pieces: list[list[Piece]] = []
    for argument in call.args:
        if isinstance(argument, ast.JoinedStr):
            pieces = split_fstring(argument, scope.local_names)
        elif (template := _percent_template(argument)) is not None:
            pieces = split_percent(template, argument.right)  # type: ignore[attr-defined]
        elif (template := _format_template(argument)) is not None:
            pieces = split_format_call(template, argument, scope.local_names)  # type: ignore[arg-type]
        elif isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            pieces = [Piece(text=argument.value)]
        elif isinstance(argument, ast.Constant) or strip_numpy_call(argument) is not argument:
            # Both print a literal, or an array's value, as the same text.
            pieces = [Piece(source=module.lines.segment(strip_numpy_call(argument)))]
        elif module.tensors(scope).is_python(argument, "int", "str"):
            # A Python int or str prints as the same text either way (floats and bools do not).
            pieces = [Piece(source=module.lines.segment(argument))]
        else:
            pieces = [Piece(source=module.lines.segment(argument), unsafe_reason=_UNKNOWN_VALUE)]
        all_pieces.append(pieces)
    reasons = [p.unsafe_reason for ps in all_pieces for p in ps if p.unsafe_reason]
    if any(p.text is not None and _TRACING_WORDS.search(p.text) for ps in all_pieces for p in ps):
        reasons.append(_ANNOUNCES_TRACING)
    return all_pieces, reasons


def _minimal_edits(
    module: ModuleAnalysis, call: ast.Call, tf: str, keywords: dict[str | None, ast.keyword], stream: str
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
    if flush is not None and stream_keyword is None:
        # The stream takes the place of `flush=`, so no comma moves.
        start, end = lines.node_range(flush)
        edits.append(Edit(start, end, f"output_stream={stream}"))
    elif flush is not None:
        edits.append(_deletion(module, call, flush))
    if stream_keyword is None and flush is None:
        if kept:
            # After the last argument and any parentheses around it (`print((x))`).
            end = _after_parens(text, max(lines.node_range(n)[1] for n in kept), call_end - 1)
            edits.append(Edit(end, end, f", output_stream={stream}"))
        else:
            open_paren = _after_parens(text, func_end, call_end - 1)
            if text[open_paren] != "(":
                raise NoFix("the call's parenthesis cannot be found")  # timid: never seen
            edits.append(Edit(open_paren + 1, open_paren + 1, f"output_stream={stream}"))
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
    stream: str,
) -> list[Edit]:
    """Rewrite the whole call: split formatting into pieces joined with sep=""."""
    lines = module.lines
    call_start, call_end = lines.node_range(call)
    if has_comment(module.text[call_start:call_end]):
        raise NoFix("comments inside a call whose formatting must be split")
    if any(isinstance(argument, ast.Starred) for argument in call.args):
        raise NoFix("`*args` next to formatting that must be split")
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
    arguments = [string_literal(p.text) if p.text is not None else str(p.source) for p in merge_literals(pieces)]
    arguments.append('sep=""')
    if "end" in keywords:
        arguments.append(lines.segment(keywords["end"]))
    arguments.append(f"output_stream={stream}")
    return [Edit(call_start, call_end, f"{tf}.print({', '.join(arguments)})")]
