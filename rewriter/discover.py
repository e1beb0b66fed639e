"""Which files a run looks at: the paths given, directories walked, exclusions applied."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field

from rewriter.file_kinds import MARKDOWN_SUFFIXES

# Folders no one wants linted (Ruff's defaults); hidden folders are skipped too.
DEFAULT_EXCLUDED_DIRS = frozenset(
    {
        "__pycache__",
        "__pypackages__",
        "_build",
        "buck-out",
        "build",
        "dist",
        "node_modules",
        "site-packages",
        "venv",
    }
)
# Markdown documents (rewriter.markdown) too: their Python code blocks are checked.
SOURCE_SUFFIXES = (".py", ".ipynb", *MARKDOWN_SUFFIXES)


@dataclass
class Discovery:
    files: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)


def discover(
    paths: list[str], exclude: tuple[str, ...] = (), base: str | None = None, respect_gitignore: bool = True
) -> Discovery:
    """Every source file under `paths`, sorted, without duplicates.

    A file named explicitly is taken whatever its suffix, unless excluded. Directories
    are walked without following symbolic links to directories, so link loops end.
    Exclude patterns match paths relative to the directory walked or to `base` (the
    directory of the configuration file, else the current directory). While walking,
    `.gitignore` files are honoured as git does (see rewriter.gitignore).
    """
    base = os.path.abspath(base or os.curdir)
    found = Discovery()
    seen: set[str] = set()
    for path in paths:
        if not os.path.lexists(path):
            found.errors.append((path, "no such file or directory"))
            continue
        if os.path.isdir(path):
            for file in _walk(path, exclude, base, respect_gitignore):
                _add(found, seen, file)
        elif not _excluded(os.path.normpath(path), exclude) and not _excluded(_from_base(base, path), exclude):
            _add(found, seen, path)
    found.files.sort()
    return found


def _add(found: Discovery, seen: set[str], path: str) -> None:
    key = os.path.normcase(os.path.abspath(path))
    if key not in seen:
        seen.add(key)
        found.files.append(os.path.normpath(path))


def _walk(root: str, exclude: tuple[str, ...], base: str, respect_gitignore: bool = True) -> list[str]:
    from rewriter.gitignore import GitIgnores

    files: list[str] = []
    ignores = GitIgnores(root) if respect_gitignore else None

    def excluded(directory: str, name: str) -> bool:
        if not exclude:
            return False  # most runs: spare two path computations per entry
        return _excluded(_relative(root, directory, name), exclude) or _excluded(
            _from_base(base, os.path.join(directory, name)), exclude
        )

    for directory, subdirectories, names in os.walk(root, followlinks=False):
        subdirectories[:] = sorted(
            d
            for d in subdirectories
            if not _skipped_dir(directory, d)
            and not excluded(directory, d)
            and not (ignores and ignores.ignored_in(directory, d, is_dir=True))
        )
        for name in sorted(names):
            if (
                name.endswith(SOURCE_SUFFIXES)
                and not excluded(directory, name)
                and not (ignores and ignores.ignored_in(directory, name, is_dir=False))
            ):
                files.append(os.path.join(directory, name))
    return files


def _from_base(base: str, path: str) -> str:
    relative = os.path.relpath(os.path.abspath(path), base)
    return relative if not relative.startswith("..") else os.path.abspath(path)


def _relative(root: str, directory: str, name: str) -> str:
    return os.path.normpath(os.path.join(os.path.relpath(directory, root), name))


def _skipped_dir(directory: str, name: str) -> bool:
    if name.startswith(".") or name in DEFAULT_EXCLUDED_DIRS:
        return True
    return os.path.isfile(os.path.join(directory, name, "pyvenv.cfg"))  # a virtual env


def _excluded(relative: str, patterns: tuple[str, ...]) -> bool:
    """Gitignore-like matching: the relative path, any leading part of it, or a name."""
    if not patterns:
        return False
    relative = relative.replace(os.sep, "/")
    parts = relative.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if any(fnmatch.fnmatch(p, pattern) for p in prefixes) or any(fnmatch.fnmatch(p, pattern) for p in parts):
            return True
    return False


def read_path_list(data: bytes) -> list[str]:
    """Paths from a `--files-from` list: one a line, or NUL-separated (`git ls-files -z`).

    Blank lines are skipped; nothing else is interpreted, so any file name can be listed.
    """
    text = data.decode("utf-8", errors="surrogateescape")
    entries = text.split("\0") if "\0" in text else text.splitlines()
    return [entry for entry in entries if entry.strip()]
