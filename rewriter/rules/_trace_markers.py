"""Deliberate trace-time code: prints that say they run while tracing, and trace counters.

TensorFlow's guides count and announce traces on purpose (`print("Tracing with", x)`,
`num_traces += 1`): such code is meant to run once per trace, so it is intent, not a
pitfall. AG001 and AG007 leave it alone unless `report-trace-prints` is set.
"""

from __future__ import annotations

import ast
import functools
import re

from rewriter.analyze.syntax import unsubscripted

# Name parts that make a traced name a counter: `num_traces`, `trace_count`, `n_traces`.
_COUNT_PARTS = frozenset({"count", "counts", "counter", "num", "n", "number", "total"})


@functools.lru_cache(maxsize=16)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def says_tracing(text: str, words: tuple[str, ...]) -> bool:
    """Whether `text` holds one of `words` as a whole word, in any case."""
    return bool(words) and _pattern(words).search(text) is not None


def _name_parts(name: str) -> list[str]:
    return [part.lower() for part in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", name)]


def is_trace_counter_name(name: str, words: tuple[str, ...]) -> bool:
    """`num_traces`, `trace_count`, `tracing_count`, `traces`: a name that counts traces."""
    parts = _name_parts(name)
    traced = [part for part in parts if part in words]
    return bool(traced) and (any(part in _COUNT_PARTS for part in parts) or any(p.endswith("s") for p in traced))


def _counted_name(target: ast.expr) -> str | None:
    target = unsubscripted(target)
    if isinstance(target, ast.Attribute):
        return target.attr
    if isinstance(target, ast.Name):
        return target.id
    return None


def is_trace_counter(node: ast.AST, words: tuple[str, ...]) -> bool:
    """`num_traces += 1`, `self.trace_count += 1`, `counts["trace_count"] = ...` style updates."""
    if isinstance(node, ast.AugAssign) and isinstance(node.op, (ast.Add, ast.Sub)):
        name = _counted_name(node.target)
        return name is not None and is_trace_counter_name(name, words)
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        # `trace_count = trace_count + 1`
        name = _counted_name(node.targets[0])
        value = node.value
        return (
            name is not None
            and is_trace_counter_name(name, words)
            and isinstance(value, ast.BinOp)
            and isinstance(value.op, ast.Add)
            and _counted_name(value.left) == name
        )
    return False
