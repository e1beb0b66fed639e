"""The trace file: what a recorded run saw of each traced function, small and diffable.

Format (JSON, keys sorted, one function per key so a review diff stays local):

    {
     "format": "tfrewrite-traces",
     "version": 1,
     "functions": {
      "pkg/train.py::Trainer.train_step": {
       "file": "pkg/train.py",          # relative to the project root, with /
       "qualname": "Trainer.train_step",  # as Python spells it (f.<locals>.g)
       "line": 12,                      # the `def` line when recorded
       "source_hash": "9f2c…",          # of the function's text; a mismatch makes it stale
       "traced_by": ["tf.function"],    # and/or "graph code": called while a graph was built
       "autograph": true,               # converted by AutoGraph; false: run as written; null: unknown
       "options": {"input_signature": false, "jit_compile": false, "reduce_retracing": false},
       "calls": 20, "eager_calls": 0, "traces": 1,
       "parameters": {"x": {"kinds": ["tensor"], "dtypes": ["float32"], "shapes": [[null, 3]],
                            "types": [], "values": []}},
       "retraces": [{"changed": ["step"], "count": 19}],
       "call_sites": [{"file": "pkg/train.py", "line": 40, "traces": 20}]
      }
     }
    }

`kinds` are "tensor", "variable", "ndarray", "python", "none", "structure" and
"object". Python values are kept only for int, float, bool and str, as their reprs,
and every list is bounded (`MAX_ITEMS`), so the file stays small whatever the run. No
tensor value is ever stored. `call_sites` are the lines of the project's code whose calls
of a `tf.function` made it trace, with how many traces each made (the most first). The same helpers name and hash functions for the
recorder (from a live code object) and for `check` (from the AST), so both agree.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = "tfrewrite-traces"
VERSION = 1
MAX_ITEMS = 8  # values, shapes, dtypes and types kept per parameter
MAX_RETRACES = 16  # distinct sets of changed parameters kept per function
DEFAULT_PATH = Path(".tfrewrite") / "traces.json"

KINDS = ("tensor", "variable", "ndarray", "python", "none", "structure", "object")


class TraceFileError(Exception):
    """The trace file cannot be used; the message is one line naming it."""


@dataclass(frozen=True)
class TracedParameter:
    kinds: frozenset[str]
    dtypes: frozenset[str]
    shapes: tuple[tuple[int | None, ...] | None, ...]
    types: frozenset[str] = frozenset()  # Python type names of Python values passed
    values: tuple[str, ...] = ()  # reprs of the Python values passed (bounded)

    @property
    def always_tensor(self) -> bool:
        return bool(self.kinds) and self.kinds <= {"tensor", "variable", "ndarray"}


@dataclass(frozen=True)
class TracedFunction:
    """One recorded function, as `check` reads it."""

    file: str
    qualname: str
    line: int
    source_hash: str
    traced_by: frozenset[str]
    autograph: bool | None
    calls: int
    traces: int
    parameters: dict[str, TracedParameter]
    retraces: tuple[tuple[tuple[str, ...], int], ...]
    call_sites: tuple[tuple[str, int, int], ...] = ()  # (file, line, traces it made)
    input_signature: bool = False

    @classmethod
    def from_json(cls, entry: dict[str, Any]) -> TracedFunction:
        parameters = {
            name: TracedParameter(
                frozenset(p.get("kinds", ())),
                frozenset(p.get("dtypes", ())),
                tuple(tuple(s) if s is not None else None for s in p.get("shapes", ())),
                frozenset(p.get("types", ())),
                tuple(p.get("values", ())),
            )
            for name, p in entry.get("parameters", {}).items()
        }
        return cls(
            file=entry["file"],
            qualname=entry["qualname"],
            line=int(entry.get("line", 0)),
            source_hash=entry["source_hash"],
            traced_by=frozenset(entry.get("traced_by", ())),
            autograph=entry.get("autograph"),
            calls=int(entry.get("calls", 0)),
            traces=int(entry.get("traces", 0)),
            parameters=parameters,
            retraces=tuple((tuple(r["changed"]), int(r["count"])) for r in entry.get("retraces", ())),
            call_sites=tuple((s["file"], int(s["line"]), int(s["traces"])) for s in entry.get("call_sites", ())),
            input_signature=bool(entry.get("options", {}).get("input_signature", False)),
        )


# Naming and hashing functions -----------------------------------------------------------


def function_key(file: str, qualname: str) -> str:
    return f"{file}::{qualname}"


def qualified_functions(tree: ast.Module) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Every function of a module with its `__qualname__` (`C.m`, `f.<locals>.g`)."""

    def visit(body: list[ast.stmt], prefix: str) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                name = prefix + node.name
                yield name, node
                yield from visit(node.body, name + ".<locals>.")
            elif isinstance(node, ast.ClassDef):
                yield from visit(node.body, prefix + node.name + ".")
            else:
                # Functions defined under `if`, `try`, `with` and loops keep the prefix.
                for field in ("body", "orelse", "finalbody", "handlers"):
                    inner = getattr(node, field, None)
                    if isinstance(inner, list):
                        yield from visit([n for n in inner if isinstance(n, ast.stmt)], prefix)
                        for handler in inner:
                            if isinstance(handler, ast.ExceptHandler):
                                yield from visit(handler.body, prefix)

    yield from visit(tree.body, "")


def source_hash(lines: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """A hash of the function's text from `def` to its end, blind to indentation,
    blank lines and whole-line comments (so moving or re-indenting it keeps the match)."""
    end = node.end_lineno or node.lineno
    kept = [line.strip() for line in lines[node.lineno - 1 : end]]
    text = "\n".join(line for line in kept if line and not line.startswith("#"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def relative_file(path: str, root: str) -> str | None:
    """`path` relative to `root` with `/` separators, or None outside it."""
    try:
        relative = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
    except ValueError:
        return None
    if relative.startswith(".."):
        return None
    return relative.replace(os.sep, "/")


# Reading, merging and writing -----------------------------------------------------------


def empty() -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "functions": {}}


def load(path: Path) -> dict[str, Any]:
    """The trace file's JSON, checked for format and version; TraceFileError otherwise."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TraceFileError(f"{path}: error: no such trace file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TraceFileError(f"{path}: error: cannot read the trace file: {exc}") from None
    except json.JSONDecodeError as exc:
        raise TraceFileError(f"{path}: error: the trace file is not valid JSON (line {exc.lineno})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise TraceFileError(f"{path}: error: not a tfrewrite trace file")
    if data.get("version") != VERSION:
        raise TraceFileError(
            f"{path}: error: trace file version {data.get('version')!r} is not {VERSION}; record it again"
        )
    functions = data.get("functions")
    if not isinstance(functions, dict) or not all(_well_formed(e) for e in functions.values()):
        raise TraceFileError(f"{path}: error: the trace file's functions are malformed")
    return data


def _well_formed(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("file"), str)
        and isinstance(entry.get("qualname"), str)
        and isinstance(entry.get("source_hash"), str)
        and isinstance(entry.get("parameters", {}), dict)
    )


def merge(into: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """`into` with `other`'s functions added; a function whose source changed is replaced."""
    functions = into["functions"]
    for key, entry in other.get("functions", {}).items():
        old = functions.get(key)
        if old is None or old.get("source_hash") != entry.get("source_hash"):
            functions[key] = entry
        else:
            functions[key] = merge_entries(old, entry)
    return into


def merge_entries(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    merged = dict(new)
    merged["line"] = new.get("line", old.get("line"))
    merged["traced_by"] = sorted(set(old.get("traced_by", ())) | set(new.get("traced_by", ())))
    if old.get("autograph") is not None and new.get("autograph") is not None:
        merged["autograph"] = old["autograph"] and new["autograph"]
    else:
        merged["autograph"] = new.get("autograph", old.get("autograph"))
    options = dict(old.get("options", {}))
    for name, value in new.get("options", {}).items():
        options[name] = bool(options.get(name)) or bool(value)
    merged["options"] = options
    for count in ("calls", "eager_calls", "traces"):
        merged[count] = int(old.get(count, 0)) + int(new.get(count, 0))
    parameters = {name: dict(p) for name, p in old.get("parameters", {}).items()}
    for name, p in new.get("parameters", {}).items():
        parameters[name] = merge_parameter(parameters.get(name, {}), p)
    merged["parameters"] = parameters
    retraces: dict[tuple[str, ...], int] = {}
    for entry in [*old.get("retraces", ()), *new.get("retraces", ())]:
        changed = tuple(entry["changed"])
        retraces[changed] = retraces.get(changed, 0) + int(entry["count"])
    merged["retraces"] = retraces_json(retraces)
    sites: dict[tuple[str, int], int] = {}
    for site in [*old.get("call_sites", ()), *new.get("call_sites", ())]:
        where = (site["file"], int(site["line"]))
        sites[where] = sites.get(where, 0) + int(site["traces"])
    merged["call_sites"] = call_sites_json(sites)
    return merged


def merge_parameter(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    return {field: bounded([*old.get(field, ()), *new.get(field, ())]) for field in _PARAMETER_FIELDS}


_PARAMETER_FIELDS = ("kinds", "dtypes", "shapes", "types", "values")


def bounded(items: list[Any]) -> list[Any]:
    """Distinct items in a stable order, at most MAX_ITEMS."""
    seen: dict[str, Any] = {}
    for item in items:
        seen.setdefault(json.dumps(item, sort_keys=True), item)
    return [seen[k] for k in sorted(seen)][:MAX_ITEMS]


def retraces_json(retraces: dict[tuple[str, ...], int]) -> list[dict[str, Any]]:
    ordered = sorted(retraces.items(), key=lambda item: (-item[1], item[0]))[:MAX_RETRACES]
    return [{"changed": list(changed), "count": count} for changed, count in ordered]


def call_sites_json(sites: dict[tuple[str, int], int]) -> list[dict[str, Any]]:
    ordered = sorted(sites.items(), key=lambda item: (-item[1], item[0]))[:MAX_ITEMS]
    return [{"file": file, "line": line, "traces": count} for (file, line), count in ordered]


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def write(path: Path, data: dict[str, Any]) -> None:
    """Write the file in one step: readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # (only to record: a check need not import it)

    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(dumps(data))
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
