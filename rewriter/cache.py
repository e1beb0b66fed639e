"""A content-hash cache of per-file results under `.tfrewrite_cache/`.

An entry records what processing one file's text gave (`pipeline.SourceReport`): its
diagnostics and, when fixes apply, the fixed text, how many fixes and what remains. It
is keyed by everything that result depends on: the tool's version and own source code
(so a changed rule never serves an old result), the Python version (it decides what
parses), the settings, the file's name as shown and the hash of its bytes, and the digest of the
facts from other files of the run that it used (`rewriter.project_index`). An edited
file therefore simply misses, and so does a file whose callers changed what they pass.

The tool build and settings name a folder; in it, each entry is a JSON file of its own,
written by whichever process made it (a worker too). As Ruff keeps one cache file per
package, the entries a run used are also kept together, by file, in one more file
(`results.json`): the command line reads it once at the start, and writes it once at
the end when the run used an entry it did not hold. A warm run therefore opens no entry
file. A file looked at under another key (an edited one) has its old entry dropped from
it; entries of files the run did not look at are kept within bounds (`Cache.save`).
The entry files stay, for entries that file does not hold (a run over part of the tree
since, or one that lost a race): it is a faster path to them, never the only one.

Every file is written atomically (temporary file, then rename), so concurrent runs at
worst both write the same entry, or the last to end replaces `results.json` with its
own entries; a file that cannot be read or does not have the expected shape is a miss
(for `results.json`, a miss of everything it held). Failing to write is never an error:
the cache only ever saves time.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import sys
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rewriter.known_files import content_digest
from rewriter.results import Diagnostic

if TYPE_CHECKING:
    from rewriter.pipeline import SourceReport

CACHE_DIR_NAME = ".tfrewrite_cache"
_FORMAT = 3  # bump when the layout of the entries or of RESULTS_NAME changes
# The entries a run used, together (`Cache.save`), in two sections: the per-file
# results, and the project index's summaries (`put_json`).
RESULTS_NAME = "results.json"
RESULTS = "results"
SUMMARIES = "summaries"
# Entries of files a run did not look at are kept while RESULTS_NAME holds at most this
# many files, or twice as many as the run used.
KEEP_RESULTS = 10_000

_GITIGNORE = "# Created by tfrewrite; safe to delete.\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by tfrewrite.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)


@dataclass(frozen=True)
class Entry:
    """A stored result (`pipeline.SourceReport`), with `fixed` None for the text as it was."""

    diagnostics: list[Diagnostic]
    fixed: str | None
    remaining: list[Diagnostic]
    fixed_count: int
    fixes_applied: bool


class Cache:
    """Entries for one tool build and one set of settings, under `directory`.

    Besides one file per entry, the entries a run used are kept together in one file,
    RESULTS_NAME, by the name of the file they are about (`shown`): read once, at the
    first look-up, it serves a warm run without opening an entry file per source file.
    Only the process that calls `save` writes it (the command line's); worker processes
    store and read single entries, which `save` picks up.
    """

    def __init__(self, root: str, directory: str) -> None:
        self.root = root  # the .tfrewrite_cache directory
        self.directory = directory  # root/<fingerprint of tool and settings>
        self._stored: dict[str, dict[str, list[Any]]] | None = None  # RESULTS_NAME, once read
        self._used: dict[str, dict[str, list[Any]]] = {RESULTS: {}, SUMMARIES: {}}  # [key, entry] by shown
        self._wanted: dict[str, dict[str, str]] = {RESULTS: {}, SUMMARIES: {}}  # keys missed, by shown
        self._learnt = False  # something `save` must write

    def __repr__(self) -> str:
        return f"Cache(root={self.root!r}, directory={self.directory!r})"

    def __getstate__(self) -> dict[str, str]:
        # A worker process gets the folder only: it reads entries as it needs them.
        return {"root": self.root, "directory": self.directory}

    def __setstate__(self, state: dict[str, str]) -> None:
        self.__init__(state["root"], state["directory"])  # type: ignore[misc]

    def key(self, shown: str, data: bytes, context: str = "") -> str:
        """The key of file `shown` with bytes `data`; `context` is the digest of the facts
        from other files of the run that its result used (`analyze/project.Incoming`)."""
        return self.key_of_digest(shown, content_digest(data), context)

    def key_of_digest(self, shown: str, digest: str, context: str = "") -> str:
        """`key`, from the `content_digest` of the bytes (`known_files` remembers it)."""
        key = hashlib.blake2b(digest_size=20)
        key.update(shown.encode("utf-8", "surrogateescape"))
        key.update(b"\0")
        if context:
            key.update(context.encode())
            key.update(b"\0")
        key.update(digest.encode())
        return key.hexdigest()

    def get(self, key: str, text: str, shown: str = "") -> SourceReport | None:
        """The stored report for `key` (`text` is the file's text), or None when the
        entry is missing, unreadable or malformed. With the file's name as `shown`
        (the one in the key), the entry is looked for in RESULTS_NAME first, and kept
        there by `save`."""
        entry = self.entry(key, shown)
        if entry is None:
            return None
        from rewriter.pipeline import SourceReport

        if entry.fixed is None:  # nothing to fix, or fixes not asked for: the text as it was
            return SourceReport(entry.diagnostics, text, entry.diagnostics, 0, entry.fixes_applied)
        return SourceReport(entry.diagnostics, entry.fixed, entry.remaining, entry.fixed_count)

    def entry(self, key: str, shown: str = "") -> Entry | None:
        """`get` without the text (nor the analysis: a run where every file hits needs
        only this); None when the entry is missing, unreadable or malformed."""
        stored = self._find(RESULTS, key, shown)
        if stored is None:
            return None
        try:
            return _decoded_entry(stored)
        except (ValueError, KeyError, TypeError, AttributeError):
            self.discard(key, shown)
            return None

    def discard(self, key: str, shown: str) -> None:
        """The entry for `key` does not serve this run (it was made without the fixes
        that are now wanted): `save` keeps what processing stores for it instead."""
        self._want(RESULTS, key, shown)

    def put(self, key: str, text: str, report: SourceReport, shown: str = "") -> None:
        """Store what processing `text` gave."""
        unchanged = report.fixed == text
        entry = {
            "format": _FORMAT,
            "diagnostics": _encode(report.diagnostics),
            "fixed": None if unchanged else report.fixed,
            "remaining": None if unchanged else _encode(report.remaining),
            "fixed_count": report.fixed_count,
            "fixes_applied": report.fixes_applied,
        }
        self._store(RESULTS, key, shown, entry)

    def get_json(self, key: str, shown: str = "") -> Any:
        """A value stored with `put_json` (None when missing or unreadable)."""
        stored = self._find(SUMMARIES, key, shown)
        try:
            return stored["value"] if stored is not None else None
        except (KeyError, TypeError):
            self._want(SUMMARIES, key, shown)
            return None

    def put_json(self, key: str, value: Any, shown: str = "") -> None:
        """Store a JSON value (the project index's per-file summaries)."""
        self._store(SUMMARIES, key, shown, {"format": _FORMAT, "value": value})

    def save(self) -> None:
        """Write RESULTS_NAME when the run used entries it did not hold (never an
        error: the cache only ever saves time).

        It then holds the entries this run used; those of files the run did not look at
        (another tree's, a deleted file's) are kept while it holds at most KEEP_RESULTS
        files, or twice as many as the run used; an entry of a file the run looked at
        under another key (an edited file's) is dropped.
        """
        for section, wanted in self._wanted.items():
            for shown, key in wanted.items():
                stored = self._read_entry(key)  # what a worker process stored
                if stored is not None:
                    self._used[section][shown] = [key, stored]
                    self._learnt = True
        if not self._learnt:
            return
        records: dict[str, dict[str, list[Any]]] = {}
        for section, used in self._used.items():
            looked_at = used.keys() | self._wanted[section].keys()
            others = {shown: record for shown, record in self._records(section).items() if shown not in looked_at}
            if len(used) + len(others) > max(KEEP_RESULTS, 2 * len(used)):
                others = {}
            records[section] = {**others, **used}
        self.put_file(
            RESULTS_NAME,
            json.dumps({"format": _FORMAT, **records}, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
        )
        self._learnt = False

    def put_file(self, name: str, data: bytes) -> None:
        """Store `data` as the file `name` beside the entries (`known_files` keeps its
        index there); never an error."""
        try:
            self._write_path(os.path.join(self.directory, name), data)
        except OSError:
            pass

    def _find(self, section: str, key: str, shown: str) -> Any:
        """The stored JSON object for `key`: from RESULTS_NAME when it holds it for
        `shown`, else from the entry's own file; None when there is none."""
        if shown:
            record = self._records(section).get(shown)
            if type(record) is list and len(record) == 2 and record[0] == key:
                self._used[section][shown] = record
                return record[1]
        stored = self._read_entry(key)
        if shown:
            if stored is None:
                self._want(section, key, shown)
            else:
                self._used[section][shown] = [key, stored]
                self._learnt = True
        return stored

    def _want(self, section: str, key: str, shown: str) -> None:
        if shown:
            self._used[section].pop(shown, None)
            self._wanted[section][shown] = key

    def _store(self, section: str, key: str, shown: str, stored: dict[str, Any]) -> None:
        if shown:
            self._wanted[section].pop(shown, None)
            self._used[section][shown] = [key, stored]
            self._learnt = True
        try:
            data = json.dumps(stored, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            self._write_path(self._path(key), data)
        except (OSError, ValueError, TypeError):
            pass  # a read-only tree, a full disk: run without the cache

    def _records(self, section: str) -> dict[str, list[Any]]:
        if self._stored is None:
            self._stored = _load_results(os.path.join(self.directory, RESULTS_NAME))
        return self._stored.get(section, {})

    def _read_entry(self, key: str) -> Any:
        try:
            with open(self._path(key), "rb") as handle:
                stored = json.loads(handle.read())
            return stored if type(stored) is dict and stored.get("format") == _FORMAT else None
        except (OSError, ValueError):
            return None

    def _path(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], key + ".json")

    def _write_path(self, path: str, data: bytes) -> None:
        folder = os.path.dirname(path)
        if not os.path.isdir(folder):
            _prepare_root(self.root)
            if not os.path.isdir(self.directory):
                os.makedirs(self.directory, exist_ok=True)
                _prune(self.root, keep=self.directory)
            os.makedirs(folder, exist_ok=True)
        import tempfile  # (only to write: a warm run need not import it)

        descriptor, temporary = tempfile.mkstemp(prefix=".entry.", dir=folder)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except BaseException:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            raise


def _decoded_entry(stored: Any) -> Entry:
    """An entry as stored by `Cache.put`; ValueError, KeyError, TypeError or
    AttributeError when it does not have that shape."""
    diagnostics = _decode(list[Diagnostic], stored["diagnostics"])
    applied = _checked(stored["fixes_applied"], bool)
    if stored["fixed"] is None:
        return Entry(diagnostics, None, diagnostics, 0, applied)
    return Entry(
        diagnostics,
        _checked(stored["fixed"], str),
        _decode(list[Diagnostic], stored["remaining"]),
        _checked(stored["fixed_count"], int),
        True,
    )


def _load_results(path: str) -> dict[str, dict[str, list[Any]]]:
    """RESULTS_NAME's records by section; nothing when it is missing or malformed."""
    try:
        with open(path, "rb") as handle:
            stored = json.loads(handle.read())
        if type(stored) is not dict or stored.get("format") != _FORMAT:
            return {}
        return {section: stored[section] for section in (RESULTS, SUMMARIES) if type(stored.get(section)) is dict}
    except (OSError, ValueError):
        return {}


def open_cache(root: str, settings_key: str) -> Cache:
    """The cache for this build of the tool and these settings in the folder `root`
    (usually `<project>/.tfrewrite_cache`). Nothing is created before the first entry."""
    root = os.path.abspath(root)
    digest = hashlib.blake2b(digest_size=12)
    for part in (tool_fingerprint(), settings_key):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return Cache(root=root, directory=os.path.join(root, digest.hexdigest()))


_fingerprint: str | None = None


def tool_fingerprint() -> str:
    """The version, the Python version and a hash of the package's code."""
    global _fingerprint
    if _fingerprint is None:
        from rewriter._version import __version__

        digest = hashlib.blake2b(digest_size=16)
        package = os.path.dirname(os.path.abspath(__file__))
        for folder, subfolders, names in os.walk(package):
            subfolders[:] = sorted(d for d in subfolders if d != "__pycache__")
            for name in sorted(n for n in names if n.endswith(".py")):
                path = os.path.join(folder, name)
                digest.update(os.path.relpath(path, package).encode())
                with open(path, "rb") as handle:
                    digest.update(handle.read())
        # (The rule codes are in the hashed code, so the rules need not be imported.)
        _fingerprint = f"{__version__}|{sys.version_info[:3]}|{digest.hexdigest()}"
    return _fingerprint


# Entries of other tool builds or settings are kept for a while (switching settings back
# and forth stays fast), but not forever.
KEEP_OTHER_BUILDS = 4


def _prune(root: str, keep: str) -> None:
    """Remove all but the most recently used KEEP_OTHER_BUILDS folders beside `keep`."""
    import shutil

    try:
        others = [entry for entry in os.scandir(root) if entry.is_dir(follow_symlinks=False) and entry.path != keep]
        others.sort(key=lambda entry: entry.stat(follow_symlinks=False).st_mtime, reverse=True)
    except OSError:
        return
    for entry in others[KEEP_OTHER_BUILDS:]:
        shutil.rmtree(entry.path, ignore_errors=True)  # a concurrent run just misses


def _prepare_root(root: str) -> None:
    """Create the cache folder with a .gitignore and a CACHEDIR.TAG, once."""
    if os.path.isdir(root):
        return
    os.makedirs(root, exist_ok=True)
    for name, content in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _CACHEDIR_TAG)):
        try:
            with open(os.path.join(root, name), "x", encoding="utf-8") as handle:
                handle.write(content)
        except FileExistsError:
            pass


def _encode(value: Any) -> Any:
    """Dataclasses (Diagnostic and its parts) as plain JSON values: each as the list of
    its fields' values, in order (shorter to store and quicker to read than by name; a
    change of the fields changes the tool's code, and so the folder of the entries)."""
    if dataclasses.is_dataclass(value):
        return [_encode(getattr(value, f.name)) for f in dataclasses.fields(value)]
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(kind: Any, value: Any) -> Any:
    """The inverse of `_encode`, led by the type annotations; TypeError on a mismatch."""
    return _decoder(kind)(value)


@functools.cache
def _decoder(kind: Any) -> Callable[[Any], Any]:
    """`_decode` for `kind`, with the annotations read once (a warm run decodes every
    finding it prints)."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(kind)
        optional = type(None) in options
        others = [o for o in options if o is not type(None)]
        union_of: list[Callable[[Any], Any]] = []  # the decoder of the one other option

        def union(value: Any) -> Any:
            if value is None and optional:
                return None
            if not union_of:  # on first use, so that a type may contain itself
                (only,) = others
                union_of.append(_decoder(only))
            return union_of[0](value)

        return union
    if origin in (tuple, list):
        item = typing.get_args(kind)[0]
        sequence_of: list[Callable[[Any], Any]] = []  # the decoder of the items

        def sequence(value: Any) -> Any:
            if not sequence_of:
                sequence_of.append(_decoder(item))
            decode = sequence_of[0]
            items = [decode(v) for v in _checked(value, list)]
            return tuple(items) if origin is tuple else items

        return sequence
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        # (the type of a plain field, the decoder of the others), in order
        fields: list[tuple[type | None, Callable[[Any], Any]]] = []

        def instance(value: Any) -> Any:
            if not fields:  # on first use, so that a type may contain itself
                hints = _hints(kind)
                for f in dataclasses.fields(kind):
                    plain = hints[f.name] if hints[f.name] in _PLAIN else None
                    fields.append((plain, _decoder(hints[f.name])))
            stored = _checked(value, list)
            if len(stored) != len(fields):
                raise TypeError(f"expected {len(fields)} fields")
            found = []
            for item, (plain, decode) in zip(stored, fields):
                if plain is None:
                    found.append(decode(item))
                elif type(item) is plain:  # JSON gives these very types: `_checked`, only quicker
                    found.append(item)
                else:
                    raise TypeError(f"expected {plain.__name__}")
            return kind(*found)

        return instance
    if kind in _PLAIN:
        return lambda value: _checked(value, kind)

    def unknown(value: Any) -> Any:
        raise TypeError(f"cannot decode {kind!r}")

    return unknown


_PLAIN = (str, int, float, bool)


def _checked(value: Any, kind: type) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError(f"expected {kind.__name__}")
    return value


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    return typing.get_type_hints(kind)
