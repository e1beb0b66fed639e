"""`.gitignore` files as git reads them: nested files, negation, directory-only patterns."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec


class GitIgnores:
    """Answers "would git ignore this path?" during one directory walk.

    Patterns come from the `.gitignore` of every directory from the repository root (the
    nearest ancestor holding `.git`) down to the path's own directory; a deeper file's
    patterns win, and a later pattern wins within one file, so `!keep.py` re-includes.
    Outside a repository only the walked tree's own `.gitignore` files count. As in git,
    nothing inside an ignored directory is looked at (the walk prunes it).
    """

    def __init__(self, root: str) -> None:
        self.root = os.path.abspath(root)
        self._specs: dict[str, pathspec.PathSpec | None] = {}
        self._top = _repository_root(self.root) or self.root
        # Per directory as walked: its absolute path and the `.gitignore` files that
        # apply to what it holds, top first; every name of the directory shares them.
        self._chains: dict[str, tuple[str, list[tuple[int, pathspec.PathSpec]]]] = {}

    def ignored(self, path: str, is_dir: bool) -> bool:
        directory, name = os.path.split(path)
        return self.ignored_in(directory, name, is_dir)

    def ignored_in(self, directory: str, name: str, is_dir: bool) -> bool:
        """`ignored(os.path.join(directory, name), is_dir)`, for a walk."""
        chain = self._chains.get(directory)
        if chain is None:
            chain = self._chains[directory] = self._chain(directory)
        folder, specs = chain
        if not specs:
            return False
        absolute = os.path.join(folder, name)
        suffix = "/" if is_dir else ""
        verdict = None
        for start, spec in specs:
            # The path relative to the `.gitignore`'s folder, an ancestor of it.
            include = spec.check_file(absolute[start:].replace(os.sep, "/") + suffix).include
            if include is not None:
                verdict = include
        return bool(verdict)

    def _chain(self, directory: str) -> tuple[str, list[tuple[int, pathspec.PathSpec]]]:
        folder = os.path.abspath(directory)
        specs = []
        for ancestor in self._directories(folder):
            spec = self._spec(ancestor)
            if spec is not None:
                specs.append((len(os.path.join(ancestor, "")), spec))
        return folder, specs

    def _directories(self, directory: str) -> list[str]:
        """From the top directory down to `directory` (both included)."""
        chain = []
        current = directory
        while True:
            chain.append(current)
            if current == self._top:
                break
            parent = os.path.dirname(current)
            if parent == current or not current.startswith(self._top):
                return [directory]  # outside the top directory: only its own file
            current = parent
        chain.reverse()
        return chain

    def _spec(self, directory: str) -> pathspec.PathSpec | None:
        if directory not in self._specs:
            self._specs[directory] = _load(os.path.join(directory, ".gitignore"))
        return self._specs[directory]


def _load(path: str) -> pathspec.PathSpec | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    if not lines:
        return None
    import pathspec  # only for a tree with .gitignore files

    return pathspec.GitIgnoreSpec.from_lines(lines)


def _repository_root(directory: str) -> str | None:
    current = directory
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent
