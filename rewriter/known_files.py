"""What a run learns from a Python file's bytes, remembered by the file's metadata.

Reading and hashing every file was most of what a run with a warm cache did. As Ruff
and git do, a file is known again by its metadata: size, modification and change times
(in nanoseconds), inode and device. While these stay the same, the file is taken to be
unchanged and what its bytes told last time serves without reading them: their hash
(which the cache keys on), the prefilter's verdicts and the modules its import
statements name (for the project index). Every write to a file sets its change time,
which no program can set back, so an edit is seen even when it keeps the size and
restores the modification time. What remains is git's "racily clean" case: a file
rewritten with the same size within one tick of the file system's clock after a run
read it would keep its metadata; so a file changed less than SETTLED_NS before the run
is not remembered (it is read again next time). The limit, as in Ruff: a clock set back,
or metadata restored on purpose, goes unseen until the metadata changes again; so does,
on Windows (where the "change time" is the creation time), an edit that keeps the size
and restores the modification time.

The facts live in one JSON file beside the cache entries of the tool build and settings
they were computed with (the prefilter reads the configured graph decorators); a run
without the cache reads every file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rewriter.cache import Cache
    from rewriter.settings import Settings

_FORMAT = 1
_NAME = "files.json"
# Files changed this recently are read again by the next run (coarse file system clocks).
SETTLED_NS = 2_000_000_000
# Facts of files a run did not look at (another tree's, a deleted file's) are kept while
# the index holds at most this many files, or twice as many as the run looked at.
KEEP_FILES = 10_000

# `from pkg.model import f`, `from . import model`, `import pkg.model as m, other`
_IMPORT = re.compile(rb"^[ \t]*+(?:from[ \t]++(\.*+)[ \t]*+([\w.]*+)[ \t]++import\b|import[ \t]++([^\r\n#;]*+))", re.M)


@dataclass(frozen=True)
class FileFacts:
    """What one file's bytes tell, as far as a run needs it before processing."""

    digest: str  # content_digest of the bytes
    names_graph_code: bool  # pipeline.could_name_graph_code
    may_hold_graph_code: bool | None  # pipeline.might_hold_graph_code; None: cannot be decoded
    relative_import: bool  # an import statement with leading dots
    imported: tuple[str, ...]  # the first names of the modules import statements name

    def imports_any(self, packages: set[str]) -> bool:
        """Whether an import statement may name a module of `packages` (or is relative)."""
        return self.relative_import or not packages.isdisjoint(self.imported)


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def facts_of(data: bytes, settings: Settings) -> FileFacts:
    from rewriter.pipeline import could_name_graph_code, might_hold_graph_code
    from rewriter.source import SourceDecodeError, decode_source

    names = could_name_graph_code(data, settings.graph_decorators)
    may_hold: bool | None = False
    try:
        may_hold = might_hold_graph_code(decode_source(data).text, settings.graph_decorators) if names else False
    except SourceDecodeError:
        may_hold = None
    relative, imported = imports_of(data)
    return FileFacts(content_digest(data), names, may_hold, relative, imported)


def imports_of(data: bytes) -> tuple[bool, tuple[str, ...]]:
    """Cheap reading of the bytes: whether an import statement is relative, and the
    first names of the modules the others may name."""
    relative = False
    names: set[str] = set()
    for match in _import_statements(data):
        dots, base, listed = match.groups()
        if dots:
            relative = True
        elif base is not None:
            names.add(base.split(b".")[0].decode())
        for item in (listed or b"").replace(b"(", b" ").split(b","):
            words = item.split()
            if words:
                names.add(words[0].split(b".")[0].decode("latin-1"))
    return relative, tuple(sorted(names))


def _import_statements(data: bytes) -> Iterator[re.Match[bytes]]:
    """`_IMPORT.finditer(data)`, trying only the lines that hold the word (each match
    does): finding those is quicker than trying the pattern at every line."""
    start = 0
    while (at := data.find(b"import", start)) >= 0:
        match = _IMPORT.match(data, data.rfind(b"\n", 0, at) + 1)
        if match is not None:
            yield match
        start = data.find(b"\n", at) + 1
        if not start:
            break


def read_regular(path: str) -> tuple[os.stat_result, bytes] | None:
    """A regular file's metadata and bytes; None for anything else (a FIFO would block
    the run here: opened without blocking, it is left for the check to report)."""
    try:
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                return None
            return status, handle.read()
    except OSError:
        return None


def _signature(status: os.stat_result) -> list[int]:
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev]


class KnownFiles:
    """The facts of the run's Python files, read from the last runs where the metadata
    still matches and computed from the bytes otherwise."""

    def __init__(self, settings: Settings, cache: Cache) -> None:
        self.settings = settings
        self.cache = cache
        self._stored = _load(os.path.join(cache.directory, _NAME))
        self._facts: dict[str, FileFacts | None] = {}
        self._seen: set[str] = set()  # absolute paths looked at
        self._learnt: dict[str, list[object]] = {}
        self._settled = time.time_ns() - SETTLED_NS
        self.read = 0  # files read because their metadata was new

    def get(self, path: str) -> FileFacts | None:
        """The facts of the file at `path`; None when it is not a regular file that can
        be read (processing it reports why)."""
        if path in self._facts:
            return self._facts[path]
        found = self._facts[path] = self._known(path)
        return found

    def _known(self, path: str) -> FileFacts | None:
        absolute = os.path.abspath(path)
        self._seen.add(absolute)
        stored = self._stored.get(absolute)
        if isinstance(stored, list):
            try:
                status = os.stat(path)
            except OSError:
                return None
            if stat.S_ISREG(status.st_mode) and stored[:5] == _signature(status):
                facts = _decoded(stored[5:])
                if facts is not None:
                    return facts
        found = read_regular(path)
        if found is None:
            return None
        status, data = found
        self.read += 1
        facts = facts_of(data, self.settings)
        if max(status.st_mtime_ns, status.st_ctime_ns) < self._settled:
            self._learnt[absolute] = [*_signature(status), *_encoded(facts)]
        return facts

    def save(self) -> None:
        """Remember what was learnt (never an error: this only ever saves time)."""
        if not self._learnt:
            return
        files = {**self._stored, **self._learnt}
        if len(files) > max(KEEP_FILES, 2 * len(self._seen)):
            files = {path: files[path] for path in self._seen if path in files}
        self.cache.put_file(_NAME, json.dumps({"format": _FORMAT, "files": files}, separators=(",", ":")).encode())


def _encoded(facts: FileFacts) -> list[object]:
    return [facts.digest, facts.names_graph_code, facts.may_hold_graph_code, facts.relative_import, facts.imported]


def _decoded(fields: list[object]) -> FileFacts | None:
    try:
        digest, names, may_hold, relative, imported = fields
        if not (
            isinstance(digest, str)
            and isinstance(names, bool)
            and (may_hold is None or isinstance(may_hold, bool))
            and isinstance(relative, bool)
            and isinstance(imported, list)
            and all(isinstance(name, str) for name in imported)
        ):
            return None
        return FileFacts(digest, names, may_hold, relative, tuple(imported))
    except ValueError:
        return None


def _load(path: str) -> dict[str, list[object]]:
    try:
        with open(path, "rb") as handle:
            stored = json.loads(handle.read())
        files = stored["files"] if stored["format"] == _FORMAT else {}
        return files if isinstance(files, dict) else {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}
