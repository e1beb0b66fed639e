"""Run settings: a frozen value built from defaults, `[tool.tfrewrite]` and the command line."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rewriter.codes import parse_codes

DEFAULT_RANGE_UNROLL_MAX = 16
# Words that mark a `print` as a deliberate trace-time message (whole words, any case).
DEFAULT_TRACE_PRINT_WORDS = (
    "trace",
    "traced",
    "traces",
    "tracing",
    "retrace",
    "retraced",
    "retraces",
    "retracing",
    "compiling",
)
PRINT_OUTPUT_STREAMS = ("stdout", "default")


class SettingsError(ValueError):
    """A configuration value is wrong; the message names the file and key."""


@dataclass(frozen=True)
class Settings:
    select: frozenset[str] | None = None  # None: every rule
    ignore: frozenset[str] = frozenset()
    exclude: tuple[str, ...] = ()
    unsafe_fixes: bool = False
    # `for i in range(N)` with a literal N at most this is left unrolled (AG003).
    range_unroll_max: int = DEFAULT_RANGE_UNROLL_MAX
    # A trace file recorded by `tfrewrite trace`, the project root its paths are relative
    # to, and its (mtime_ns, size) when the run started, so cached results follow it.
    trace_file: str | None = None
    trace_root: str | None = None
    trace_version: tuple[int, int] | None = None
    # Qualified names of project wrappers of `tf.function` (`tf_agents.utils.common.function`).
    graph_decorators: frozenset[str] = frozenset()
    # AG001: prints whose text says they run while tracing, and trace counters
    # (`num_traces += 1`), are deliberate and not reported unless this is set.
    report_trace_prints: bool = False
    trace_print_words: tuple[str, ...] = DEFAULT_TRACE_PRINT_WORDS
    # AG001: "stdout" passes `output_stream=sys.stdout` (as print wrote); "default" writes
    # plain `tf.print(...)`, which prints to stderr, so such a fix is unsafe.
    print_output_stream: str = "stdout"

    def enabled(self, code: str) -> bool:
        selected = self.select is None or "ALL" in self.select or any(code.startswith(s) for s in self.select)
        return selected and not any(code.startswith(i) for i in self.ignore)

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    def cache_key(self) -> str:
        """A stable text naming everything that changes results."""
        return repr(
            (
                sorted(self.select or ()),
                self.select is None,
                sorted(self.ignore),
                self.unsafe_fixes,
                self.range_unroll_max,
                self.trace_file,
                self.trace_version,
                sorted(self.graph_decorators),
                self.report_trace_prints,
                self.trace_print_words,
                self.print_output_stream,
            )
        )


_KEYS = {
    "select",
    "ignore",
    "exclude",
    "extend-exclude",
    "unsafe-fixes",
    "range-unroll-max",
    "graph-decorators",
    "report-trace-prints",
    "trace-print-words",
    "print-output-stream",
}
_DOTTED = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` that has a [tool.tfrewrite] table."""
    import tomllib  # (only when there is a file to read: --isolated runs need none)

    start = start.resolve()
    for directory in [start, *start.parents] if start.is_dir() else start.parents:
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise SettingsError(f"{candidate}: error: cannot read: {exc}") from None
            if "tfrewrite" in data.get("tool", {}):
                return candidate
    return None


def load_settings(pyproject: Path | None, base: Settings | None = None) -> Settings:
    settings = base or Settings()
    if pyproject is None:
        return settings
    import tomllib

    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    table = data.get("tool", {}).get("tfrewrite", {})
    unknown = set(table) - _KEYS
    if unknown:
        raise SettingsError(f"{pyproject}: error: unknown [tool.tfrewrite] key(s): {', '.join(sorted(unknown))}")
    changes: dict[str, Any] = {}
    if "select" in table:
        changes["select"] = frozenset(_codes(table["select"], pyproject, "select"))
    if "ignore" in table:
        changes["ignore"] = frozenset(_codes(table["ignore"], pyproject, "ignore"))
    exclude = list(_strings(table.get("exclude", []), pyproject, "exclude"))
    exclude += _strings(table.get("extend-exclude", []), pyproject, "extend-exclude")
    if exclude:
        changes["exclude"] = tuple(exclude)
    for key in ("unsafe-fixes", "report-trace-prints"):
        if key in table:
            if not isinstance(table[key], bool):
                raise SettingsError(f"{pyproject}: error: {key} must be true or false")
            changes[key.replace("-", "_")] = table[key]
    if "trace-print-words" in table:
        words = _strings(table["trace-print-words"], pyproject, "trace-print-words")
        if not all(re.fullmatch(r"\w+", word) for word in words):
            raise SettingsError(f"{pyproject}: error: trace-print-words must be words (letters, digits, _)")
        changes["trace_print_words"] = tuple(word.lower() for word in words)
    if "print-output-stream" in table:
        if table["print-output-stream"] not in PRINT_OUTPUT_STREAMS:
            raise SettingsError(f'{pyproject}: error: print-output-stream must be "stdout" or "default"')
        changes["print_output_stream"] = table["print-output-stream"]
    if "range-unroll-max" in table:
        value = table["range-unroll-max"]
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise SettingsError(f"{pyproject}: error: range-unroll-max must be a non-negative integer")
        changes["range_unroll_max"] = value
    if "graph-decorators" in table:
        names = _strings(table["graph-decorators"], pyproject, "graph-decorators")
        for name in names:
            problem = graph_decorator_problem(name)
            if problem:
                raise SettingsError(f"{pyproject}: error: graph-decorators: {problem}")
        changes["graph_decorators"] = frozenset(names)
    return settings.replace(**changes)


def graph_decorator_problem(name: str) -> str | None:
    """None when `name` is a dotted qualified name (`package.module.function`); else why not."""
    if _DOTTED.match(name):
        return None
    return f"{name!r} is not a qualified name such as tf_agents.utils.common.function"


def _strings(value: object, path: Path, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SettingsError(f"{path}: error: {key} must be a list of strings")
    return list(value)


def _codes(value: object, path: Path, key: str) -> list[str]:
    try:
        return parse_codes(_strings(value, path, key))
    except ValueError as exc:
        raise SettingsError(f"{path}: error: {key}: {exc}") from None
