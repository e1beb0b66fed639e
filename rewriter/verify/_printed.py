"""Comparing printed output by the values it shows, not by how it shows them.

Eager `print(t)` shows a tensor as `tf.Tensor(0.25, shape=(), dtype=float32)`, a
variable as `<tf.Variable 'v:0' shape=() dtype=float32, numpy=0.25>`, a NumPy value as
`array([1., 2.], dtype=float32)` or `np.float32(0.25)`; `tf.print` shows the values
alone (`0.25`, `[1 2]`), booleans as 1/0, strings in double quotes, and float32 with
up to 9 significant digits. Those are presentation. `tokens` turns printed text into
the values it shows: numbers (with the dtype a wrapper names, when there is one),
words and punctuation, and the line breaks between printed lines; commas, quotes and
the line breaks NumPy puts inside an array are dropped. Two outputs agree when their
tokens agree, numbers within a relative tolerance that suits their dtype.

Used by `tfrewrite verify` and by the parity tests. Pure Python: no NumPy needed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Relative (and absolute) tolerance per dtype; a graph may fuse or reorder arithmetic,
# and tf.print shows float32 with 9 significant digits where NumPy shows the shortest.
_TOLERANCE = {
    "float16": (1e-3, 1e-4),
    "bfloat16": (1e-2, 1e-3),
    "float32": (1e-5, 1e-6),
    "complex64": (1e-5, 1e-6),
    "float64": (1e-9, 1e-12),
    "complex128": (1e-9, 1e-12),
}
_DEFAULT_TOLERANCE = (1e-5, 1e-6)  # a number no wrapper names the dtype of

TENSOR = "tf.Tensor wrapper"
VARIABLE = "tf.Variable wrapper"
ARRAY = "NumPy array wrapper"
FORMATTING = "number formatting"

_TENSOR_OPEN = re.compile(r"tf\.Tensor\(")
_TENSOR_TAIL = re.compile(r",\s*shape=\([\d, ]*\),\s*dtype=(\w+)\)")
_EAGER_REPR_OPEN = re.compile(r"<tf\.Tensor: shape=\([\d, ]*\), dtype=(\w+), numpy=")
_VARIABLE_OPEN = re.compile(r"<tf\.Variable '[^']*' shape=\([\d, ]*\) dtype=(\w+), numpy=")
_ARRAY_OPEN = re.compile(r"array\(")
_ARRAY_TAIL = re.compile(r",\s*dtype=(\w+)\)$", re.DOTALL)
_NUMPY_SCALAR = re.compile(r"np\.(\w+)\(")
_NUMPY_BOOL = re.compile(r"np\.(True|False)_\b")
_NUMBER = re.compile(r"[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|inf\b|nan\b)")
_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_BYTES_PREFIX = re.compile(r"b(?=['\"])")
# A shape prints as `(4, 3)` eagerly (a tuple or TensorShape) and `[4 3]` from tf.print.
_BRACKETS = {"(": "[", ")": "]"}


@dataclass(frozen=True)
class Token:
    text: str  # the word or punctuation; for a number, its text
    number: float | complex | None
    dtype: str | None  # the dtype a wrapper around the number names
    line: int  # the 0-based line of the printed text it comes from


@dataclass
class Printed:
    tokens: list[Token]
    wrappers: set[str]


def tokens(text: str) -> Printed:
    """The values `text` shows, without wrappers, commas, quotes and array line breaks."""
    out = Printed([], set())
    _scan(text, 0, len(text), None, out, nested=False, line=0)
    return out


def _line_of(text: str, position: int, start: int, line: int) -> int:
    return line + text.count("\n", start, position)


def _matching(text: str, start: int, end: int, opening: str = "(", closing: str = ")") -> int:
    """The index of the bracket closing the one just before `start` (or -1)."""
    depth = 1
    quote = None
    for index in range(start, end):
        char = text[index]
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return index
    return -1


def _scan(text: str, start: int, end: int, dtype: str | None, out: Printed, nested: bool, line: int) -> None:
    position = start
    depth = 0
    while position < end:
        char = text[position]
        here = _line_of(text, position, start, line)
        match = _TENSOR_OPEN.match(text, position, end)
        if match:
            tail = _TENSOR_TAIL.search(text, match.end(), end)
            if tail:
                out.wrappers.add(TENSOR)
                _scan(text, match.end(), tail.start(), tail[1], out, True, here)
                position = tail.end()
                continue
        match = _EAGER_REPR_OPEN.match(text, position, end) or _VARIABLE_OPEN.match(text, position, end)
        if match:
            close = text.find(">", match.end(), end)
            if close != -1:
                out.wrappers.add(VARIABLE if match.re is _VARIABLE_OPEN else TENSOR)
                _scan(text, match.end(), close, match[1], out, True, here)
                position = close + 1
                continue
        match = _ARRAY_OPEN.match(text, position, end)
        if match and (position == start or not text[position - 1].isalnum()):
            close = _matching(text, match.end(), end)
            if close != -1:
                out.wrappers.add(ARRAY)
                body_end = close
                tail = _ARRAY_TAIL.search(text, match.end(), close + 1)
                inner_dtype = dtype
                if tail:
                    body_end, inner_dtype = tail.start(), tail[1]
                _scan(text, match.end(), body_end, inner_dtype, out, True, here)
                position = close + 1
                continue
        match = _NUMPY_BOOL.match(text, position, end)
        if match:
            out.wrappers.add(ARRAY)
            out.tokens.append(Token(match[1], 1 if match[1] == "True" else 0, "bool", here))
            position = match.end()
            continue
        match = _NUMPY_SCALAR.match(text, position, end)
        if match:
            close = _matching(text, match.end(), end)
            if close != -1:
                out.wrappers.add(ARRAY)
                _scan(text, match.end(), close, match[1], out, True, here)
                position = close + 1
                continue
        if char == "\n":
            if depth == 0 and not nested:
                out.tokens.append(Token("\n", None, None, here))
            position += 1
            continue
        if char.isspace() or char in ",'\"":
            position += 1
            continue
        if _BYTES_PREFIX.match(text, position, end) and (position == start or not text[position - 1].isalnum()):
            position += 1
            continue
        match = _NUMBER.match(text, position, end)
        if match and (position == start or not (text[position - 1].isalnum() or text[position - 1] == "_")):
            value = match.group()
            number: float | complex = float(value)
            out.tokens.append(Token(value, number, dtype, here))
            position = match.end()
            continue
        match = _WORD.match(text, position, end)
        if match:
            word = match.group()
            if word in ("True", "False"):
                out.tokens.append(Token(word, 1 if word == "True" else 0, dtype, here))
            else:
                out.tokens.append(Token(word, None, None, here))
            position = match.end()
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth = max(depth - 1, 0)
        out.tokens.append(Token(char, None, None, here))
        position += 1


def _close(a: Token, b: Token) -> bool:
    assert a.number is not None and b.number is not None
    dtype = a.dtype or b.dtype
    if dtype is None:
        exact = not any(c in token.text for token in (a, b) for c in ".eEn")
        if exact:
            return a.number == b.number
        rtol, atol = _DEFAULT_TOLERANCE
    elif dtype in _TOLERANCE:
        rtol, atol = _TOLERANCE[dtype]
    else:  # integers, bools: exact
        return a.number == b.number
    if isinstance(a.number, float) and isinstance(b.number, float):
        if math.isnan(a.number) and math.isnan(b.number):
            return True
    return abs(a.number - b.number) <= atol + rtol * abs(a.number)


def first_difference(eager: str, graph: str, *, randomly: bool = False) -> tuple[int, int] | None:
    """The lines (eager, graph) of the first value that differs; None when they agree.

    With `randomly`, any number matches any number (the values are drawn at random).
    """
    a, b = tokens(eager).tokens, tokens(graph).tokens
    for x, y in zip(a, b):
        if x.number is not None and y.number is not None:
            if randomly or _close(x, y):
                continue
        elif _BRACKETS.get(x.text, x.text) == _BRACKETS.get(y.text, y.text) and x.number is None and y.number is None:
            continue
        return x.line, y.line
    if len(a) != len(b):
        x_line = a[len(b)].line if len(a) > len(b) else (a[-1].line + 1 if a else 0)
        y_line = b[len(a)].line if len(b) > len(a) else (b[-1].line + 1 if b else 0)
        return x_line, y_line
    return None


def presentation(eager: str, graph: str) -> list[str]:
    """How two outputs that agree in value differ in presentation ([] when identical)."""
    if eager == graph:
        return []
    wrappers = tokens(eager).wrappers | tokens(graph).wrappers
    return [w for w in (TENSOR, VARIABLE, ARRAY) if w in wrappers] or [FORMATTING]


def difference(eager: str, graph: str, where: str, *, randomly: bool = False) -> str | None:
    """The first printed line whose values differ, as a message; None when they agree."""
    lines = first_difference(eager, graph, randomly=randomly)
    if lines is None:
        return None
    eager_lines, graph_lines = eager.splitlines(keepends=True), graph.splitlines(keepends=True)
    a = eager_lines[lines[0]] if lines[0] < len(eager_lines) else ""
    b = graph_lines[lines[1]] if lines[1] < len(graph_lines) else ""
    return (
        f"{where} line {lines[0] + 1}: eager {_short(repr(a)) if a else 'nothing'}, "
        f"graph {_short(repr(b)) if b else 'nothing'}"
    )


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
