"""Findings of one document's successive versions, re-analysing only what an edit changes.

The editor server checks a document after every pause in typing, and a whole check of a
2,000-line file of graph code takes longer than the wait an editor should have. Most
edits change one function, and the analysis relates top-level statements only through
the names they share (`analyze.statement_groups`). So a document's findings are kept
per group of linked statements, keyed by the group's text and the imports it is analysed
with; after an edit, the groups whose text is unchanged keep their findings (moved down
or up with their lines), and only the others are analysed again, each with the imports
alone around it. When most of the module changed, one whole analysis is cheaper, and
its findings are shared out among the groups the same way.

The result is the whole check's, finding for finding (`tests/test_incremental.py` checks
it on every golden input and over random edits). A finding on an import line sends the
check back to one whole analysis; a group whose fixes edit lines outside it (between the
imports and the group) is not kept, so it is analysed again at every version; with a
trace file, whose contents may change between versions, every version is analysed whole.
"""

from __future__ import annotations

import ast
import bisect
import dataclasses
import functools
import re
from dataclasses import dataclass

from rewriter.analyze import declares_none, identifier_counts
from rewriter.analyze.nodes import walk
from rewriter.analyze.statement_groups import (
    StatementGroups,
    StatementNames,
    statement_groups,
    statement_names,
)
from rewriter.analyze.syntax import first_import_run, first_row
from rewriter.pipeline import find_violations, parse, to_diagnostic
from rewriter.reparse import reparse
from rewriter.results import Diagnostic, Location
from rewriter.settings import Settings
from rewriter.source import LineIndex

# Above this share of the module's statements to analyse again, one whole analysis is
# cheaper than a separate one per group (each pays for its own analysis set-up).
_WHOLE_ANALYSIS_SHARE = 0.3
# How messages name a line of the module (`tests/test_incremental.py` holds the rules to it).
_LINE_NUMBER = re.compile(r"\bline \d")


@dataclass(frozen=True)
class _Kept:
    """A group's findings, as found when the group started on `first_row`."""

    first_row: int
    diagnostics: tuple[Diagnostic, ...]
    # Names whose use anywhere in the module the analysis asked about (a fix's new name
    # must be free): each with its uses and whether the module declares it `= None`.
    names: tuple[tuple[str, int, bool], ...] = ()
    # Whether a message names a line ("in a loop (line 32)"): such findings are kept only
    # while the group stays on its lines.
    names_lines: bool = False


@dataclass
class Work:
    """What the last check did (for tests and measurements)."""

    groups: int = 0  # groups in the module (0: not split)
    analysed: int = 0  # groups analysed again
    whole: bool = False  # by one analysis of the whole module


class DocumentFindings:
    """The findings of one document, kept between its versions."""

    def __init__(self) -> None:
        self._kept: dict[tuple[object, ...], _Kept] = {}
        self._for: tuple[Settings, str] | None = None
        # What each statement mentions and binds, by its text: most are unchanged.
        self._names: dict[tuple[object, ...], StatementNames] = {}
        self._text = ""
        self._tree: ast.Module | None = None  # the last version's, parsed again in part
        self.work = Work()

    def diagnostics(self, text: str, filename: str, settings: Settings) -> list[Diagnostic]:
        """What `find_violations` and `to_diagnostic` give for `text`, in their order.
        Raises what `find_violations` raises (SourceError for text that does not parse)."""
        if self._for != (settings, filename):
            self._kept, self._for = {}, (settings, filename)
        tree = self._parse(text, filename)
        lines = LineIndex(text)
        names: dict[tuple[object, ...], StatementNames] = {}

        def describe(index: int, imported: frozenset[str]) -> StatementNames:
            node = tree.body[index]
            key = (_lines_of(text, lines, node), node.col_offset, node.end_col_offset, imported)
            found = names[key] = self._names.get(key) or statement_names(node, imported)
            return found

        groups = statement_groups(tree, describe) if settings.trace_file is None else None
        self._names = names
        if groups is None:
            self._kept, self.work = {}, Work(whole=True)
            return _whole(text, filename, settings, tree)
        module = _Module(text, tree, groups, lines)
        keys = [module.key(g) for g in range(len(groups.groups))]
        stale = [g for g, key in enumerate(keys) if not self._still_holds(key, module, g)]
        self.work = Work(len(groups.groups), len(stale))
        found: dict[int, tuple[list[Diagnostic], set[str]]] | None
        if sum(len(groups.groups[g]) for g in stale) > _WHOLE_ANALYSIS_SHARE * len(tree.body):
            found, self.work.whole = module.analyse_whole(filename, settings), True
        else:
            found = module.analyse_groups(stale, filename, settings)
        if found is None:  # a finding no group owns: the whole module decides
            self._kept, self.work = {}, Work(len(groups.groups), len(groups.groups), True)
            return _whole(text, filename, settings, tree)
        kept: dict[tuple[object, ...], _Kept] = {}
        result: list[Diagnostic] = []
        for g, key in enumerate(keys):
            first = module.group_row(g)
            if g in found:
                diagnostics, asked = found[g]
                if module.movable(g, diagnostics):
                    kept[key] = _Kept(first, tuple(diagnostics), module.name_facts(asked), _name_lines(diagnostics))
            else:
                old = self._kept[key]
                diagnostics = [_moved(d, old.first_row, first - old.first_row) for d in old.diagnostics]
                kept[key] = dataclasses.replace(old, first_row=first, diagnostics=tuple(diagnostics))
            result += diagnostics
        self._kept = kept
        result.sort(key=lambda d: (d.location.row, d.location.column, d.code))
        return result

    def _parse(self, text: str, filename: str) -> ast.Module:
        """The tree of `text`, from the previous version's where the edit allows."""
        tree = reparse(self._text, self._tree, text) if self._tree is not None else None
        self._text, self._tree = text, None
        tree = tree if tree is not None else parse(text, filename)
        self._tree = tree
        return tree

    def _still_holds(self, key: tuple[object, ...], module: _Module, group: int) -> bool:
        kept = self._kept.get(key)
        return (
            kept is not None
            and (not kept.names_lines or kept.first_row == module.group_row(group))
            and module.agrees(kept.names)
        )


def _whole(text: str, filename: str, settings: Settings, tree: ast.Module) -> list[Diagnostic]:
    module, violations = find_violations(text, filename, settings, tree=tree)
    return [to_diagnostic(module, v, filename) for v in violations]


class _Module:
    """One version of the document, its statements' places and its groups."""

    def __init__(self, text: str, tree: ast.Module, groups: StatementGroups, lines: LineIndex) -> None:
        self.text, self.tree, self.groups, self.lines = text, tree, groups, lines
        body = tree.body
        self.rows = [(first_row(node), node.end_lineno or node.lineno) for node in body]
        run_end = first_import_run(body).stop
        # Imports are inserted at or below the first run of imports, up to the line after it.
        self.import_rows = self.rows[run_end - 1][1] + 1 if run_end > 0 else 0
        self.context = set(groups.context)
        self.context_key = tuple((self.rows[i][0], self._text_of(i)) for i in groups.context)
        spans = []
        for g, members in enumerate(groups.groups):
            for i in members:
                node = body[i]
                head = min([node, *getattr(node, "decorator_list", ())], key=lambda n: (n.lineno, n.col_offset))
                start = self.lines.offset_from_ast(head.lineno, head.col_offset)
                end = self.lines.offset_from_ast(node.end_lineno or node.lineno, node.end_col_offset or 0)
                spans.append((start, end, g))
        spans.sort()
        self.spans = spans
        self.span_starts = [span[0] for span in spans]

    def _text_of(self, index: int) -> str:
        return _lines_of(self.text, self.lines, self.tree.body[index])

    def group_row(self, group: int) -> int:
        """The row the group's first statement starts on."""
        return self.rows[self.groups.groups[group][0]][0]

    def key(self, group: int) -> tuple[object, ...]:
        """What the group's findings depend on: the context, and each member's text, its
        row from the group's first, and the lines above it up to the statement before
        (and whether that one is an import: a declaration goes below the imports)."""
        first = self.group_row(group)
        members = tuple(
            (self.rows[i][0] - first, self._text_of(i), self._gap_above(i), i > 0 and i - 1 in self.context)
            for i in self.groups.groups[group]
        )
        return (self.context_key, members)

    def _gap_above(self, index: int) -> str:
        above = self.rows[index - 1][1] if index > 0 else 0
        starts = self.lines.line_starts
        return self.text[starts[above] if above < len(starts) else len(self.text) : starts[self.rows[index][0] - 1]]

    def owner(self, offset: int) -> int | None:
        """The group of the statement that holds `offset` (None: an import, the docstring,
        or between statements)."""
        at = bisect.bisect_right(self.span_starts, offset) - 1
        if at >= 0 and offset <= self.spans[at][1]:
            return self.spans[at][2]
        return None

    def analyse_whole(self, filename: str, settings: Settings) -> dict[int, tuple[list[Diagnostic], set[str]]] | None:
        """Every group's findings from one analysis of the whole module (None: a finding
        lies outside every group), each with the names the analysis asked about."""
        module, violations = find_violations(self.text, filename, settings, tree=self.tree)
        found: dict[int, list[Diagnostic]] = {g: [] for g in range(len(self.groups.groups))}
        for violation in violations:
            group = self.owner(violation.start)
            if group is None:
                return None
            found[group].append(to_diagnostic(module, violation, filename))
        return {g: (diagnostics, module.names_asked) for g, diagnostics in found.items()}

    def analyse_groups(
        self, stale: list[int], filename: str, settings: Settings
    ) -> dict[int, tuple[list[Diagnostic], set[str]]] | None:
        """The findings of each of the `stale` groups, analysed with the context alone."""
        found: dict[int, tuple[list[Diagnostic], set[str]]] = {}
        for g in stale:
            wanted = self.context | set(self.groups.groups[g])
            part = ast.Module(body=[s for i, s in enumerate(self.tree.body) if i in wanted], type_ignores=[])
            module, violations = find_violations(self.text, filename, settings, tree=part, whole=self.tree)
            diagnostics = []
            for violation in violations:
                group = self.owner(violation.start)
                if group is None:
                    return None
                if group == g:
                    diagnostics.append(to_diagnostic(module, violation, filename))
            found[g] = (diagnostics, module.names_asked)
        return found

    def name_facts(self, names: set[str]) -> tuple[tuple[str, int, bool], ...]:
        """For each name: its uses in the whole module and whether it is declared `= None`."""
        if not names:
            return ()
        return tuple((name, self.counts.get(name, 0), declares_none(self.tree, name)) for name in sorted(names))

    def agrees(self, facts: tuple[tuple[str, int, bool], ...]) -> bool:
        """Whether this version gives the names the same facts."""
        return all(
            self.counts.get(name, 0) == uses and declares_none(self.tree, name) == declared
            for name, uses, declared in facts
        )

    @functools.cached_property
    def counts(self) -> dict[str, int]:
        return identifier_counts(walk(self.tree))

    def movable(self, group: int, diagnostics: list[Diagnostic]) -> bool:
        """Whether every place the findings name moves with the group's lines (within them
        or on the line after one), or stays with the imports above it."""
        first = self.group_row(group)
        if self.import_rows >= first:
            return False
        after = {self.rows[i][1] + 1 for i in self.groups.groups[group]}
        member_rows = [self.rows[i] for i in self.groups.groups[group]]

        def fits(place: Location) -> bool:
            row = place.row
            return (
                row <= self.import_rows
                or any(a <= row <= b for a, b in member_rows)
                or (row in after and place.column == 1)  # the start of the line after one
            )

        return all(fits(place) for d in diagnostics for place in _places(d))


def _name_lines(diagnostics: list[Diagnostic]) -> bool:
    return any(
        _LINE_NUMBER.search(d.message) or (d.fix is not None and _LINE_NUMBER.search(d.fix.message))
        for d in diagnostics
    )


def _lines_of(text: str, lines: LineIndex, node: ast.stmt) -> str:
    """The whole lines of a top-level statement, its decorators included."""
    starts = lines.line_starts
    last = node.end_lineno or node.lineno
    return text[starts[first_row(node) - 1] : starts[last] if last < len(starts) else len(text)]


def _places(diagnostic: Diagnostic) -> list[Location]:
    places = [diagnostic.location, diagnostic.end_location]
    if diagnostic.fix is not None:
        for edit in diagnostic.fix.edits:
            places += [edit.location, edit.end_location]
    return places


def _moved(diagnostic: Diagnostic, first_row: int, delta: int) -> Diagnostic:
    """`diagnostic` with the places at or below `first_row` moved by `delta` rows."""
    if delta == 0:
        return diagnostic

    def move(location: Location) -> Location:
        return Location(location.row + delta, location.column) if location.row >= first_row else location

    fix = diagnostic.fix
    if fix is not None:
        edits = tuple(
            dataclasses.replace(e, location=move(e.location), end_location=move(e.end_location)) for e in fix.edits
        )
        fix = dataclasses.replace(fix, edits=edits)
    return dataclasses.replace(
        diagnostic, location=move(diagnostic.location), end_location=move(diagnostic.end_location), fix=fix
    )
