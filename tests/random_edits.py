"""Edits of the kinds typing makes, for tests that follow a document through versions."""

from __future__ import annotations

import random
import re


def random_edit(text: str, rng: random.Random) -> str:
    """One edit of the kinds typing makes: a line added, copied, removed or changed, a
    run of lines removed, a name replaced by another of the module's."""
    lines = text.splitlines(keepends=True)
    if not lines:
        return "x = 1\n"
    row = rng.randrange(len(lines))
    line = lines[row]
    indent = line[: len(line) - len(line.lstrip())]
    kind = rng.randrange(7)
    if kind == 0:
        lines.insert(row, "\n")
    elif kind == 1:
        lines.insert(row, indent + "# note\n")
    elif kind == 2:
        del lines[row]
    elif kind == 3:
        lines.insert(row, line)
    elif kind == 4:
        lines.insert(row, indent + "print(x)\n")
    elif kind == 5:
        words = sorted({w for w in re.findall(r"[A-Za-z_]\w*", text) if len(w) > 2})
        lines[row] = line.replace(rng.choice(words), rng.choice(words), 1) if words else line
    else:
        del lines[row : row + rng.randrange(1, 30)]
    return "".join(lines)
