"""Splitting the string formatting of a `print` argument into `tf.print` pieces.

`print(f"x={x}")` builds its text while tracing, from a symbolic tensor. To print the
value on every call, the formatted string is split into literal text and the values it
interpolates, which `tf.print(..., sep="")` prints at run time. A print's arguments become
one list of pieces per argument, joined with its `sep=` when the call is rebuilt.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import string
from dataclasses import dataclass

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scopes import GraphScope
from rewriter.rules._base import NoFix


@dataclass(frozen=True)
class Piece:
    """Literal text (`text`), or a value expression (`source`) printed at run time."""

    text: str | None = None
    source: str | None = None
    unsafe_reason: str | None = None
    # The value's expression (`.numpy()` removed), for the rule to judge what it prints.
    node: ast.expr | None = dataclasses.field(default=None, compare=False)
    # The format spec the value was formatted with (`.4f`), when one was given.
    spec: str | None = None


def string_literal(text: str) -> str:
    """A double-quoted Python literal for `text` (the common house style)."""
    literal = repr(text)
    if literal.startswith("'") and '"' not in text:
        literal = '"' + literal[1:-1].replace("\\'", "'") + '"'
    return literal


def split_fstring(node: ast.JoinedStr) -> list[Piece]:
    pieces: list[Piece] = []
    for value in node.values:
        if isinstance(value, ast.Constant):
            pieces.append(Piece(text=str(value.value)))
            continue
        assert isinstance(value, ast.FormattedValue)
        reason = spec = None
        if isinstance(value.format_spec, ast.JoinedStr):  # the parser's only form of a spec
            spec = _static_spec(value.format_spec)
            reason = f"the format spec `:{spec}` is not kept; tf.print prints the plain value"
        if value.conversion != -1:
            reason = f"the `!{chr(value.conversion)}` conversion is dropped; tf.print prints the value"
            spec = None
        pieces.append(
            Piece(
                source=_expression_source(value.value),
                unsafe_reason=reason,
                node=strip_numpy_call(value.value),
                spec=spec,
            )
        )
    return pieces


def _static_spec(spec: ast.JoinedStr) -> str:
    parts = []
    for value in spec.values:
        if not isinstance(value, ast.Constant):
            raise NoFix("a nested replacement field in a format spec")
        parts.append(str(value.value))
    return "".join(parts)


def _expression_source(node: ast.expr) -> str:
    # Positions inside f-strings are unreliable before Python 3.12; unparse instead.
    source = ast.unparse(strip_numpy_call(node))
    return f"({source})" if isinstance(node, (ast.NamedExpr, ast.Lambda, ast.Tuple)) else source


def strip_numpy_call(node: ast.expr) -> ast.expr:
    """`x.numpy()` -> `x`: `.numpy()` fails on a symbolic tensor, and tf.print wants the tensor."""
    if (
        isinstance(node, ast.Call)
        and not node.args
        and not node.keywords
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "numpy"
    ):
        return node.func.value
    return node


_PERCENT = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?(?P<flags>[#0\- +]*)(?P<width>\*|\d+)?"
    r"(?:\.(?P<precision>\*|\d+))?[hlL]?(?P<type>[diouxXeEfFgGcrsa%])"
)


def split_percent(template: str, values: ast.expr) -> list[Piece]:
    """`"x=%s" % x` -> ["x=", x]; only plain conversions with positional values."""
    arguments = list(values.elts) if isinstance(values, ast.Tuple) else [values]
    pieces: list[Piece] = []
    position = 0
    used = 0
    for match in _PERCENT.finditer(template):
        pieces.append(Piece(text=template[position : match.start()]))
        position = match.end()
        if match["type"] == "%":
            pieces.append(Piece(text="%"))
            continue
        if match["key"] is not None or match["width"] == "*" or match["precision"] == "*":
            raise NoFix("%-formatting with a mapping key or `*` width")
        if used >= len(arguments) or isinstance(arguments[used], ast.Starred):
            raise NoFix("%-formatting whose values are not a literal tuple")
        argument = arguments[used]
        used += 1
        spec = match.group()
        if spec == "%s" and isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            pieces.append(Piece(text=argument.value))
            continue
        # `%s` shows a value as str() does, as an f-string field does.
        reason = None if spec == "%s" else f"`{spec}` is not kept; tf.print prints the plain value"
        # `%08.3f` means what the format spec `08.3f` means; `%i` is `d`.
        same = spec[1:].replace("i", "d") if re.fullmatch(r"%0?\d*(?:\.\d+)?[fedi]", spec) else None
        pieces.append(
            Piece(
                source=_expression_source(argument),
                unsafe_reason=reason,
                node=strip_numpy_call(argument),
                spec=same,
            )
        )
    if used != len(arguments) or (not isinstance(values, ast.Tuple) and used != 1):
        raise NoFix("%-formatting whose values do not match its conversions")
    pieces.append(Piece(text=template[position:]))
    return pieces


def split_format_call(template: str, call: ast.Call) -> list[Piece]:
    """`"x={}".format(x)` -> ["x=", x]; plain fields naming positional or keyword values."""
    if any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords):
        raise NoFix("`.format(*args)` or `.format(**kwargs)`")
    keywords = {k.arg: k.value for k in call.keywords}
    pieces: list[Piece] = []
    auto = 0
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise NoFix(f"bad format string: {exc}") from None
    for literal, field, spec, conversion in fields:
        pieces.append(Piece(text=literal))
        if field is None:
            continue
        if field == "":
            index: int | str = auto
            auto += 1
        elif field.isdigit():
            index = int(field)
        elif field.isidentifier():
            index = field
        else:
            raise NoFix("a format field with attribute or index access")
        if isinstance(index, int):
            if index >= len(call.args):
                raise NoFix("a format field without a matching argument")
            value = call.args[index]
        elif index in keywords:
            value = keywords[index]
        else:
            raise NoFix("a format field without a matching argument")
        if spec and "{" in spec:
            raise NoFix("a nested replacement field in a format spec")
        if not spec and not conversion and isinstance(value, ast.Constant) and isinstance(value.value, str):
            pieces.append(Piece(text=value.value))
            continue
        reason = None
        if spec:
            reason = f"the format spec `:{spec}` is not kept; tf.print prints the plain value"
        if conversion:
            reason = f"the `!{conversion}` conversion is dropped; tf.print prints the value"
        pieces.append(
            Piece(
                source=_expression_source(value),
                unsafe_reason=reason,
                node=strip_numpy_call(value),
                spec=spec if spec and not conversion else None,
            )
        )
    return pieces


def merge_literals(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if piece.text is not None and merged and merged[-1].text is not None:
            merged[-1] = Piece(text=merged[-1].text + piece.text)
        elif piece.text != "":
            merged.append(piece)
    return merged


def joined_pieces(pieces_per_argument: list[list[Piece]], keywords: dict[str | None, ast.keyword]) -> list[Piece]:
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


def is_formatting(node: ast.expr) -> bool:
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


def literal_texts(call: ast.Call) -> list[str]:
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


def argument_pieces(module: ModuleAnalysis, scope: GraphScope, call: ast.Call) -> list[list[Piece]]:
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
