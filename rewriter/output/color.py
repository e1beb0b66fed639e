"""Colours for a terminal, and whether to use them."""

from __future__ import annotations

import os
from typing import Any

_STYLES = {"header": "\033[1m", "hunk": "\033[36m", "+": "\033[32m", "-": "\033[31m"}
_RESET = "\033[0m"


def colorize_diff(diff: str) -> str:
    """ANSI colours for a terminal: headers bold, hunk headers cyan, +/- green/red."""
    out = []
    for line in diff.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        ending = line[len(body) :]
        if body.startswith(("--- ", "+++ ")):
            style = _STYLES["header"]
        elif body.startswith("@@"):
            style = _STYLES["hunk"]
        elif body[:1] in ("+", "-"):
            style = _STYLES[body[0]]
        else:
            out.append(line)
            continue
        out.append(f"{style}{body}{_RESET}{ending}")
    return "".join(out)


def use_color(choice: str, stream: Any) -> bool:
    """`--color auto` colours only a terminal, and never when NO_COLOR is set."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


def is_terminal(stream: Any) -> bool:
    """Whether `stream` is a terminal (False for pipes, files and closed streams)."""
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
