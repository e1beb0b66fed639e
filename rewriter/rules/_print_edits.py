"""The text edits that turn a `print(...)` call into `tf.print(...)`.

A call whose arguments print as they are is edited in place, so comments, line breaks
and trailing commas stay where they were: `print` is renamed, `.numpy()` is removed,
`file=` becomes `output_stream=` and `flush=` is dropped. A call whose formatting is
split into pieces is rebuilt whole, with the pieces joined by `sep=""`, or, when the
values carry format specs, as one `tf.strings.join` of `tf.strings.as_string` pieces.
"""

from __future__ import annotations

import ast
import re

from rewriter.analyze import ModuleAnalysis
from rewriter.analyze.scopes import GraphScope
from rewriter.rules._base import Edit, NoFix
from rewriter.rules._print_format import Piece, joined_pieces, merge_literals, string_literal, strip_numpy_call
from rewriter.rules._printed_values import value_reason
from rewriter.source import has_comment

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


def formatted_call(
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
        pieces = joined_pieces(pieces_per_argument, keywords)
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
        reason = value_reason(module, scope, node)
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


def minimal_edits(
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


def rebuilt_call(
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
    pieces = joined_pieces(pieces_per_argument, keywords)
    arguments = [string_literal(p.text) if p.text is not None else str(p.source) for p in merge_literals(pieces)]
    arguments.append('sep=""')
    if "end" in keywords:
        arguments.append(lines.segment(keywords["end"]))
    arguments += added
    return [Edit(call_start, call_end, f"{tf}.print({', '.join(arguments)})")]
