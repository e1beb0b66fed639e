"""Hypothesis strategies for modules full of graph code: the traps every rule looks for.

`modules()` draws whole modules: imports in their many spellings, graph functions
(decorated, wrapped, methods, jit/autograph options) and eager ones, with bodies of
prints, loops, bools, variables, lists, random calls, nested defs and comments in odd
places, in a chosen indentation and line ending. The text is valid Python; nothing
here imports TensorFlow.
"""

from __future__ import annotations

from hypothesis import strategies as st

VALUES = (
    "x",
    "y",
    "n",
    "x + 1",
    "x * y",
    "tf.constant(2)",
    "acc[0]",
    "len(acc)",
    "x > 0",
    "(not y)",
    "x.numpy()",
    "self_v",
    "[x, y]",
    "{'k': x}",
    "(x, y)",
    "3",
    "2.5",
    "'text'",
    "None",
    "True",
    "-1",
    "tf.reduce_sum(x)",
    "np.float32(1)",
    "(lambda t: t)",
)

PRINTS = (
    "print({a})",
    "print({a}, {b})",
    "print()",
    'print("v", {a}, sep="-")',
    'print("v", {a}, end="")',
    'print(f"v={{{n}}}")',
    'print(f"{{{n}!r}} and {{{m}:.2f}}")',
    'print(f"{{{n}}}", {b}, sep="")',
    'print("%d items" % {a})',
    'print("%s/%s" % ({a}, {b}))',
    'print("{{}} {{}}".format({a}, {b}))',
    'print("{{0}}".format({a}), flush=True)',
    "print({a}, file=sys.stderr)",
    "print({a}, file=sys.stdout, flush=False)",
    "print({a}, file=stream)",
    "print(*acc)",
    "print(**options)",
    "print({n}.numpy())",
    "print(x.numpy(), y)",
    "print (  {a}  )",
    "(print)({a})",
    "print({a},)",
    "print(\n{i}{a},  # why\n{i}{b}\n{i})",
    "print(  # opening\n{i}# alone\n{i}{a}\n{i})  # after",
    "print({a}); print({b})",
    "print \\\n{i}({a})",
    "z = print({a})",
    "acc.append(print({a}))",
    "print('caf\u00e9', {a})",
    "print('''tri\nple''', {a})",
    "print(r'\\d', {a})",
    "print(b'bytes')",
    "print(f'{{x=}}')",
    "print(f'{{x}}{{y}}' 'tail', sep='')",
    "print(end='')",
    "print({a}, sep=sep_value)",
    "print(t for t in acc)",
    "print(({a}), flush=True)",
    "print(({n}).numpy())",
    "print(*acc, sep='')",
    "print((yield))",
)

SIMPLE = (
    "x = x + 1",
    "acc.append({a})",
    "acc = []",
    "self_v.assign_add(1.0)",
    "y = np.random.randn()",
    "n = random.randint(0, 3)",
    "y = np.random.uniform(size=3)",
    "y = tf.random.uniform([])",
    "pass",
    "# a comment",
    "b = {a} and {b}",
    "acc[0] = {a}",
    "x += 1",
    "total = sum(acc)",
    "y = x if {a} else {b}",
    "assert {a}",
    "v = tf.Variable(1.0)",
    "result = [t for t in acc]",
    "del z",
    "continue_flag = True",
    "y = {a}  # trailing comment",
    "x = (  # split\n{i}x)",
    "options = {{}}",
    "b = not y",
    "stream = sys.stdout",
    "x = tf.cond(x > 0, helper, helper)",
    "x = tf.py_function(callback, [x], tf.float32)",
    "self.count += 1",
    "Model0.scale = x",
    "state = {{}}",
    "flag = bool(x)",
    "y = float(x)",
    "n = int(x)",
    "y = x.numpy() + 1",
    "acc.extend([x])",
    "acc += [x]",
    "total = 0",
    "total += x",
    "seen = set()",
    "seen.add(x)",
    "x = tf.stack(acc)",
)


def _values() -> st.SearchStrategy[str]:
    return st.sampled_from(VALUES)


@st.composite
def simple_statement(draw: st.DrawFn, indent: str) -> str:
    template = draw(st.sampled_from(PRINTS + SIMPLE))
    return template.format(
        a=draw(_values()),
        b=draw(_values()),
        i=indent + "    ",
        n=draw(st.sampled_from(("x", "y", "n", "self_v"))),
        m=draw(st.sampled_from(("x", "y"))),
    )


@st.composite
def block(draw: st.DrawFn, indent: str, unit: str, depth: int) -> list[str]:
    """Lines of a statement block at `indent` (never empty)."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(("simple", "simple", "simple", "compound"))) if depth < 3 else "simple"
        if kind == "simple":
            text = draw(simple_statement(indent))
            lines.extend(indent + line if number == 0 else line for number, line in enumerate(text.split("\n")))
            continue
        header = draw(
            st.sampled_from(
                (
                    "for i in range({k}):",
                    "for i in tf.range(n):",
                    "for item in acc:",
                    "while x < {k}:",
                    "if {a}:",
                    "if {a} and {b}:",
                    "with tf.name_scope('s'):",
                    "try:",
                    "def inner(z):",
                    "for i, item in enumerate(acc):",
                    "if x:  # odd comment",
                    "while True:",
                )
            )
        ).format(k=draw(st.integers(0, 20)), a=draw(_values()), b=draw(_values()))
        lines.append(indent + header)
        lines.extend(draw(block(indent + unit, unit, depth + 1)))
        if header.startswith("if") and draw(st.booleans()):
            lines.append(indent + "else:")
            lines.extend(draw(block(indent + unit, unit, depth + 1)))
        elif header == "try:":
            lines.append(indent + "except Exception:")
            lines.extend(draw(block(indent + unit, unit, depth + 1)))
        elif header.startswith("def "):
            lines.append(indent + draw(st.sampled_from(("inner(x)", "y = inner(y)", "print(inner(x))"))))
        elif header == "while True:":
            lines.append(indent + unit + "break")
    if all(line.strip().startswith("#") for line in lines):
        lines.append(indent + "pass")  # a block needs a statement
    return lines


DECORATORS = (
    "@tf.function",
    "@tf.function()",
    "@tf.function(jit_compile=True)",
    "@tf.function(autograph=False)",
    "@tf.function(reduce_retracing=True)",
    "@tf.function(\n    input_signature=None,  # none\n)",
    "@function",
    "@tf2.function",
    "@other_decorator\n@tf.function",
    "@tf.function\n@other_decorator",
    "",
)


@st.composite
def function(draw: st.DrawFn, name: str, unit: str, method: bool = False) -> list[str]:
    indent = unit if method else ""
    decorator = draw(st.sampled_from(DECORATORS))
    lines = [indent + line for line in decorator.split("\n") if decorator]
    params = (
        "self, x, y=1, *args"
        if method
        else draw(
            st.sampled_from(("x, y=1, n=3", "x, y=0, n=2, *args, **kwargs", "x, /, y=2, *, n=1", "x, y=None, n=0"))
        )
    )
    lines.append(f"{indent}def {name}({params}):")
    if draw(st.booleans()):
        lines.append(f'{indent}{unit}"""Docstring with print(x) in it."""')
    lines.append(f"{indent}{unit}acc = [x]")
    lines.extend(draw(block(indent + unit, unit, 0)))
    lines.append(f"{indent}{unit}return x")
    return lines


HEADERS = (
    "import tensorflow as tf",
    "import sys\nimport numpy as np\nimport tensorflow as tf",
    "import tensorflow as tf\nimport tensorflow as tf2\nfrom tensorflow import function",
    "from tensorflow import function\nimport tensorflow as tf2\nimport tensorflow as tf",
    '"""Module docstring."""\nimport random\n\nimport numpy as np\nimport tensorflow as tf',
    "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nfrom __future__ import annotations\nimport tensorflow as tf",
    "import tensorflow.compat.v2 as tf",
    "import tensorflow as tf\nsys = None",
    "import tensorflow as tf\nfrom numpy import random",
    "try:\n    import tensorflow as tf\nexcept ImportError:\n    tf = None",
)


@st.composite
def modules(draw: st.DrawFn) -> str:
    """A whole module as text, with its own indentation unit and line ending."""
    unit = draw(st.sampled_from(("    ", "  ", "\t")))
    lines = draw(st.sampled_from(HEADERS)).split("\n")
    lines += [
        "",
        "self_v = 0",
        "sep_value = ' '",
        "",
        "def other_decorator(f):",
        f"{unit}return f",
        "",
        "def helper():",
        f"{unit}print('helper')",
        f"{unit}return 1",
        "",
        "def callback(x):",
        f"{unit}print('callback', x)",
        f"{unit}return x",
        "",
    ]
    for index in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(("function", "function", "class", "wrapped")))
        if kind == "class":
            lines += [f"class Model{index}:", f"{unit}scale = 2"]
            for number in range(draw(st.integers(1, 2))):
                lines += draw(function(f"call{number}", unit, method=True))
        else:
            lines += draw(function(f"fn{index}", unit))
            if kind == "wrapped":
                lines.append(f"fn{index}_graph = tf.function(fn{index})")
        lines.append("")
    if draw(st.booleans()):
        lines += ['if __name__ == "__main__":', f"{unit}print('main', fn0(1))"]
    newline = draw(st.sampled_from(("\n", "\n", "\r\n", "\r")))
    text = newline.join(lines)
    if draw(st.booleans()):
        text += newline
    if draw(st.booleans()):
        # A few lines with another line ending: mixed files exist.
        text = text.replace("\n", "\r\n", 1) if newline == "\n" else text
    return text
