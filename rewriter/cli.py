"""The command line: arguments, discovery, output and exit codes; no rewriting logic.

Exit codes: 0 nothing left to report; 1 findings remain (or the diff is not empty);
2 a usage error, or a file that could not be processed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rewriter._version import __version__

if TYPE_CHECKING:
    from rewriter.analyze.scopes import GraphScope
    from rewriter.settings import Settings

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A mistake in the command line or configuration; one line, exit 2."""


_CHECK_EPILOG = """\
file types:
  *.py files and Jupyter notebooks (*.ipynb, Python kernels); directories are searched
  for both, skipping hidden folders, virtual environments and what .gitignore excludes.

exit codes:
  0  nothing left to report
  1  findings remain (or, with --diff, the diff is not empty)
  2  a usage error, or a file that could not be processed
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tfrewrite",
        description="Find and fix Python side effects inside tf.function graph code.",
    )
    parser.add_argument("--version", action="version", version=f"tfrewrite {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="report findings; --fix or --diff to fix them",
        description="Report Python side effects in tf.function graph code; --fix or --diff to fix them.",
        epilog=_CHECK_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[_rule_options(), _configuration_options(), _trace_options()],
    )
    check.add_argument(
        "paths",
        nargs="*",
        default=None,
        metavar="PATH",
        help="files or directories (default: .); - reads standard input",
    )
    check.add_argument("--fix", action="store_true", help="apply safe fixes in place")
    check.add_argument(
        "--unsafe-fixes", action="store_true", default=None, help="also apply (and count as fixable) unsafe fixes"
    )
    check.add_argument(
        "--no-unsafe-fixes",
        dest="unsafe_fixes",
        action="store_false",
        help="never apply unsafe fixes, even when the configuration enables them",
    )
    check.add_argument(
        "--diff", action="store_true", help="print the unified diff of what --fix would do; write nothing"
    )
    check.add_argument(
        "--output-format",
        choices=("text", "json", "sarif", "github"),
        default="text",
        help="text, JSON (Ruff's shape), SARIF 2.1.0, or GitHub workflow annotations",
    )
    check.add_argument("--statistics", action="store_true", help="print a count per rule instead of findings")
    check.add_argument(
        "--report", metavar="PATH", help="write a migration report: Markdown, or JSON when PATH ends in .json"
    )
    check.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour --diff output (auto: only on a terminal)",
    )
    _add_discovery_options(check)
    check.add_argument("--stdin-filename", metavar="NAME", help="the name of the file read from -")
    check.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    check.add_argument(
        "-j", "--jobs", type=_jobs, metavar="N", help="process files in N processes (default: the number of CPUs)"
    )
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    check.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="keep the result cache here (default: .tfrewrite_cache beside the configuration "
        "or in the current directory)",
    )
    check.add_argument("-v", "--verbose", action="store_true", help="show tracebacks of internal errors")

    commands.add_parser("rules", help="list the rules")
    rule = commands.add_parser("rule", help="show a rule's documentation")
    rule.add_argument("code", metavar="CODE", help="a rule code (AG001) or name (print-in-graph)")

    review = commands.add_parser(
        "review",
        help="accept fixes hunk by hunk on a terminal",
        parents=[_rule_options(), _configuration_options(), _trace_options()],
    )
    review.add_argument("paths", nargs="*", default=None, metavar="PATH", help="files or directories (default: .)")
    review.add_argument("--unsafe-fixes", action="store_true", default=None, help="offer unsafe fixes too")
    review.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour hunks (auto: on a terminal)"
    )
    _add_discovery_options(review)

    apply = commands.add_parser("apply", help="apply a patch made by `check --diff` (possibly trimmed)")
    apply.add_argument("patch", metavar="PATCH", help="the patch file; - reads standard input")
    apply.add_argument("--check", action="store_true", help="only say whether the patch applies; write nothing")
    _add_verify_parser(commands)
    commands.add_parser("server", help="run the language server (LSP) on stdin and stdout, for editors")
    _add_trace_parser(commands)

    scopes = commands.add_parser(
        "scopes",
        help="list the graph scopes of Python files: where, why, and whether AutoGraph converts them",
        parents=[_configuration_options(), _trace_options()],
    )
    scopes.add_argument("paths", nargs="*", default=None, metavar="PATH", help="files or directories (default: .)")
    _add_discovery_options(scopes)
    return parser


def _rule_options() -> argparse.ArgumentParser:
    """--select and --ignore, for the commands that run rules."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--select", metavar="CODES", help="comma-separated rule codes or prefixes")
    options.add_argument("--ignore", metavar="CODES", help="comma-separated rule codes to skip")
    return options


def _configuration_options() -> argparse.ArgumentParser:
    """Which configuration is read and which paths it excludes, for every command that reads settings."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--exclude", action="append", metavar="GLOB", help="exclude matching paths (replaces the configured list)"
    )
    options.add_argument(
        "--extend-exclude", action="append", metavar="GLOB", help="exclude matching paths (adds to the configured list)"
    )
    options.add_argument("--config", metavar="PYPROJECT", help="use this pyproject.toml, not the nearest one")
    options.add_argument("--isolated", action="store_true", help="ignore configuration files")
    return options


def _trace_options() -> argparse.ArgumentParser:
    """The trace file of `tfrewrite trace`, for the commands that read it."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--traces",
        metavar="PATH",
        help="read this trace file of `tfrewrite trace` (default: .tfrewrite/traces.json beside the configuration)",
    )
    options.add_argument("--no-traces", action="store_true", help="ignore any trace file")
    return options


def _add_discovery_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--graph-decorator",
        action="append",
        metavar="NAME",
        help="a project wrapper of tf.function whose functions are graph code "
        "(qualified, e.g. tf_agents.utils.common.function); repeatable, adds to graph-decorators",
    )
    parser.add_argument(
        "--files-from",
        metavar="FILE",
        help="also take the paths listed in FILE (one a line, or NUL-separated; - for stdin)",
    )
    parser.add_argument(
        "--no-respect-gitignore",
        dest="respect_gitignore",
        action="store_false",
        help="look at files that .gitignore files exclude, too",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        if arguments.command == "check":
            return _check(arguments, sys.stdout, sys.stderr)
        if arguments.command == "rules":
            return _list_rules(sys.stdout)
        if arguments.command == "rule":
            return _show_rule(arguments.code, sys.stdout)
        if arguments.command == "review":
            return _review(arguments, sys.stdout, sys.stderr)
        if arguments.command == "apply":
            return _apply(arguments, sys.stdout, sys.stderr)
        if arguments.command == "verify":
            return _verify(arguments, sys.stdout, sys.stderr)
        if arguments.command == "server":
            from rewriter.server import serve

            serve()
            return EXIT_CLEAN
        if arguments.command == "trace":
            return _trace(arguments)
        if arguments.command == "scopes":
            return _scopes(arguments, sys.stdout, sys.stderr)
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    except UsageError as exc:
        print(f"tfrewrite: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("tfrewrite: interrupted; every file is either as it was or fully fixed", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`); say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR


def _list_rules(out: TextIO) -> int:
    from rewriter.rules import REGISTRY

    width = max(len(rule.NAME) for rule in REGISTRY)
    for rule in REGISTRY:
        out.write(f"{rule.CODE}  {rule.NAME:<{width}}  {rule.MESSAGE}\n")
    return EXIT_CLEAN


def _show_rule(code: str, out: TextIO) -> int:
    from rewriter.rules import find_rule

    rule = find_rule(code)
    if rule is None:
        raise UsageError(f"unknown rule {code!r} (see `tfrewrite rules`)")
    out.write(rule.documentation())
    return EXIT_CLEAN


def _settings_for(arguments: argparse.Namespace, paths: list[str]):  # -> Settings
    """The settings of a command: its configuration file, then its options.

    Every command that reads settings comes here; an option a command does not have
    (`scopes` has no --select) keeps the configuration's value.
    """
    from rewriter.codes import parse_codes
    from rewriter.settings import Settings, SettingsError, find_pyproject, graph_decorator_problem, load_settings

    try:
        if arguments.isolated:
            pyproject = None
        elif arguments.config:
            pyproject = Path(arguments.config)
            if not pyproject.is_file():
                raise UsageError(f"{pyproject}: no such file")
        else:
            anchors = [p for p in paths if p != "-"] or [getattr(arguments, "stdin_filename", None) or "."]
            common = os.path.commonpath([os.path.abspath(p) for p in anchors])
            pyproject = find_pyproject(Path(common))
        settings = load_settings(pyproject, Settings())
        arguments.project_root = str(pyproject.parent) if pyproject is not None else None
    except SettingsError as exc:
        raise UsageError(str(exc)) from None
    changes: dict[str, object] = {}
    for option in ("select", "ignore"):
        value = getattr(arguments, option, None)
        if value is None:
            continue
        try:
            codes = parse_codes(value)
        except ValueError as exc:
            raise UsageError(f"--{option}: {exc}") from None
        changes[option] = frozenset(codes) if option == "select" else settings.ignore | frozenset(codes)
    if arguments.exclude is not None:
        changes["exclude"] = tuple(arguments.exclude)
    if arguments.extend_exclude:
        changes["exclude"] = tuple(changes.get("exclude", settings.exclude)) + tuple(arguments.extend_exclude)  # type: ignore[arg-type]
    if getattr(arguments, "unsafe_fixes", None) is not None:
        changes["unsafe_fixes"] = arguments.unsafe_fixes
    extra = getattr(arguments, "graph_decorator", None) or []
    for name in extra:
        problem = graph_decorator_problem(name)
        if problem:
            raise UsageError(f"--graph-decorator: {problem}")
    if extra:
        changes["graph_decorators"] = settings.graph_decorators | frozenset(extra)
    return settings.replace(**changes)


def _check(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from rewriter.files import Mode

    if arguments.fix and arguments.diff:
        raise UsageError("--fix and --diff cannot be combined (--diff never writes)")
    paths = _paths(arguments)
    if "-" in paths and len(paths) > 1:
        raise UsageError("- (standard input) cannot be combined with other paths")
    settings = _with_traces(arguments, _settings_for(arguments, paths), err)
    mode = Mode.DIFF if arguments.diff else Mode.FIX if arguments.fix else Mode.CHECK
    if paths == ["-"]:
        return _check_stdin(arguments, settings, mode, out, err)

    from rewriter.discover import discover
    from rewriter.files import display_path

    found = discover(
        paths,
        settings.exclude,
        base=getattr(arguments, "project_root", None),
        respect_gitignore=arguments.respect_gitignore,
    )
    if not found.files and not found.errors:
        err.write("warning: No Python files or notebooks found under the given path(s)\n")
    outcomes = _process_files(arguments, settings, mode, found.files, err)
    status = EXIT_CLEAN
    for path, reason in found.errors:
        err.write(f"{display_path(path)}: error: {reason}\n")
        status = EXIT_ERROR
    return _emit(arguments, settings, mode, outcomes, out, err, status)


def _with_traces(arguments: argparse.Namespace, settings, err: TextIO):  # type: ignore[no-untyped-def]
    """`settings` reading the run's trace file, if there is one that can be used.

    A trace file that cannot be read costs one line on stderr; the check goes on without it.
    """
    if arguments.no_traces:
        return settings
    from rewriter.trace.evidence import settings_with_traces

    root = getattr(arguments, "project_root", None) or Path.cwd()
    settings, note = settings_with_traces(settings, root, arguments.traces)
    if note:
        err.write(note + "\n")
    return settings


def _process_files(arguments, settings, mode, files: list[str], err: TextIO):  # type: ignore[no-untyped-def]
    """Every file's outcome, in the order given, using the cache and the worker pool."""
    import functools

    from rewriter.files import Mode, known_outcome, process_file
    from rewriter.output.color import is_terminal
    from rewriter.runner import WithoutTexts, Work, default_jobs, run_files

    cache = None
    if not arguments.no_cache:
        from rewriter.cache import CACHE_DIR_NAME, open_cache

        root = arguments.cache_dir or os.path.join(
            getattr(arguments, "project_root", None) or os.curdir, CACHE_DIR_NAME
        )
        cache = open_cache(root, settings.cache_key())
    from rewriter.project_index import build_index

    known = None
    if cache is not None:
        from rewriter.known_files import KnownFiles

        known = KnownFiles(settings, cache)  # what each file's bytes told the last run
    project = build_index(files, settings, cache, known).incoming
    # `check` printing findings as text needs no fixed text. JSON and SARIF carry each
    # fix's edits, with the removal of an import the fixes leave unused, which only
    # applying them finds; a `--report` tells what would change.
    apply_fixes = (
        mode is not Mode.CHECK
        or bool(getattr(arguments, "report", None))
        or getattr(arguments, "output_format", "text") in ("json", "sarif")
    )
    work: Work = functools.partial(
        process_file, settings=settings, mode=mode, cache=cache, project=project, apply_fixes=apply_fixes
    )
    if mode is not Mode.DIFF:
        work = WithoutTexts(work)  # only --diff prints the texts; the rest need not be kept
    lookup = None
    if known is not None and mode is Mode.CHECK:  # a cached result serves without a worker

        def lookup(path: str):  # type: ignore[no-untyped-def]
            facts = known.get(path)
            return known_outcome(path, facts, settings, cache, project.get(path), apply_fixes) if facts else None

    show_progress = not arguments.no_progress and is_terminal(err)
    jobs = arguments.jobs or default_jobs()
    outcomes = run_files(files, work, jobs=jobs, progress=err if show_progress else None, known=lookup)
    if known is not None:
        known.save()
    if cache is not None:
        cache.save()  # the entries this run used, together, for the next one
    return outcomes


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return jobs


def _emit(arguments, settings, mode, outcomes, out: TextIO, err: TextIO, status: int) -> int:  # type: ignore[no-untyped-def]
    from rewriter.files import Mode
    from rewriter.output.color import colorize_diff, use_color
    from rewriter.output.diff import file_diff
    from rewriter.output.github import github
    from rewriter.output.json_list import json_report
    from rewriter.output.sarif import sarif
    from rewriter.output.statistics import statistics
    from rewriter.output.text import summary, text_report

    for outcome in outcomes:
        if arguments.verbose:
            for note in outcome.notes:
                err.write(f"{outcome.path}: note: {note}\n")
        if outcome.failed:
            err.write(f"{outcome.path}: error: {outcome.error}\n")
            if arguments.verbose and outcome.detail:
                err.write(outcome.detail)
            status = EXIT_ERROR
    if getattr(arguments, "report", None):
        status = max(status, _write_report(arguments.report, outcomes, settings.unsafe_fixes, mode.value, err))
    diagnostics = [d for o in outcomes for d in o.diagnostics]
    if mode is Mode.DIFF:
        changed = [o for o in outcomes if o.fixed is not None and o.original != o.fixed]
        color = use_color(arguments.color, out)
        for outcome in changed:
            diff = file_diff(outcome)
            out.write(colorize_diff(diff) if color else diff)
        fixes = sum(o.fixed_count for o in changed)
        if fixes:
            err.write(f"Would fix {fixes} {'finding' if fixes == 1 else 'findings'}.\n")
        return max(status, EXIT_FINDINGS if changed else EXIT_CLEAN)
    if arguments.statistics:
        out.write(statistics(diagnostics, settings.unsafe_fixes, as_json=arguments.output_format == "json"))
    elif arguments.output_format == "sarif":
        out.write(sarif(outcomes, settings.unsafe_fixes))
    elif arguments.output_format == "github":
        out.write(github(outcomes))
    elif arguments.output_format == "json":
        out.write(json_report(diagnostics))
    else:
        out.write(text_report(diagnostics, settings.unsafe_fixes))
        out.write(summary(outcomes, settings.unsafe_fixes, fixing=mode is Mode.FIX))
    return max(status, EXIT_FINDINGS if diagnostics else EXIT_CLEAN)


def _check_stdin(arguments: argparse.Namespace, settings, mode, out: TextIO, err: TextIO) -> int:  # type: ignore[no-untyped-def]
    from rewriter.file_kinds import is_markdown
    from rewriter.files import Mode
    from rewriter.output.text import text_report
    from rewriter.pipeline import InternalError, SourceError, process_source
    from rewriter.results import FileOutcome, Status
    from rewriter.source import SourceDecodeError, decode_source

    name = arguments.stdin_filename or "-"
    data = sys.stdin.buffer.read()
    if name.endswith(".ipynb") or is_markdown(name):
        return _check_stdin_notebook(arguments, name, data, settings, mode, out, err)
    try:
        source = decode_source(data)
        report = process_source(source.text, settings, name)
    except (SourceDecodeError, SourceError, InternalError) as exc:
        err.write(f"{name}: error: {exc}\n")
        if mode is Mode.FIX:
            sys.stdout.buffer.write(data)  # a filter must not swallow its input
        return EXIT_ERROR
    if mode is Mode.FIX:
        sys.stdout.buffer.write(source.encode(report.fixed))
        sys.stdout.flush()
        outcome = FileOutcome(name, Status.CHANGED, report.remaining, report.fixed_count)
        err.write(text_report(report.remaining, settings.unsafe_fixes))
        return EXIT_FINDINGS if report.remaining else EXIT_CLEAN
    outcome = FileOutcome(name, Status.UNCHANGED, report.diagnostics, report.fixed_count, source.text, report.fixed)
    return _emit(arguments, settings, mode, [outcome], out, err, EXIT_CLEAN)


def _check_stdin_notebook(arguments, name: str, data: bytes, settings, mode, out: TextIO, err: TextIO) -> int:  # type: ignore[no-untyped-def]
    from rewriter.file_kinds import is_markdown
    from rewriter.files import Mode
    from rewriter.markdown import markdown_outcome
    from rewriter.notebook import notebook_outcome
    from rewriter.output.text import text_report

    outcome, new_data = (markdown_outcome if is_markdown(name) else notebook_outcome)(name, data, settings, mode)
    if mode is not Mode.FIX:
        return _emit(arguments, settings, mode, [outcome], out, err, EXIT_CLEAN)
    sys.stdout.buffer.write(new_data)  # the input itself when it could not be fixed
    sys.stdout.flush()
    if outcome.failed:
        err.write(f"{name}: error: {outcome.error}\n")
        return EXIT_ERROR
    err.write(text_report(outcome.diagnostics, settings.unsafe_fixes))
    return EXIT_FINDINGS if outcome.diagnostics else EXIT_CLEAN


def _paths(arguments: argparse.Namespace) -> list[str]:
    """The paths given, plus those listed in --files-from; `.` when there are none."""
    paths = list(arguments.paths or [])
    if arguments.files_from:
        from rewriter.discover import read_path_list

        try:
            if arguments.files_from == "-":
                data = sys.stdin.buffer.read()
            else:
                with open(arguments.files_from, "rb") as handle:
                    data = handle.read()
        except OSError as exc:
            raise UsageError(f"--files-from {arguments.files_from}: {exc.strerror or exc}") from None
        if "-" in paths and arguments.files_from == "-":
            raise UsageError("--files-from - and the path - both want standard input")
        paths += read_path_list(data)
        return paths  # an empty list means no files, not the current directory
    return paths or ["."]


def _write_report(path: str, outcomes, unsafe_fixes: bool, mode: str, err: TextIO) -> int:  # type: ignore[no-untyped-def]
    from rewriter.output.report import report

    text = report(outcomes, unsafe_fixes, mode, as_json=path.lower().endswith(".json"))
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        err.write(f"{path}: error: cannot write the report: {exc.strerror or exc}\n")
        return EXIT_ERROR
    return EXIT_CLEAN


def _review(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from rewriter import review
    from rewriter.discover import discover
    from rewriter.files import display_path
    from rewriter.output.color import is_terminal, use_color

    if not (is_terminal(sys.stdin) and is_terminal(out)):
        raise UsageError(review.REFUSAL)
    paths = _paths(arguments)
    settings = _with_traces(arguments, _settings_for(arguments, paths), err)
    found = discover(
        paths,
        settings.exclude,
        base=getattr(arguments, "project_root", None),
        respect_gitignore=arguments.respect_gitignore,
    )
    for path, reason in found.errors:
        err.write(f"{display_path(path)}: error: {reason}\n")
    status = review.run(found.files, settings, sys.stdin, out, use_color(arguments.color, out))
    return max(status, EXIT_ERROR if found.errors else EXIT_CLEAN)


def _apply(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from rewriter.apply import PatchError, apply_patch

    name = arguments.patch
    try:
        if name == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(name, "rb") as handle:
                data = handle.read()
        results = apply_patch(data.decode("utf-8"), write=not arguments.check)
    except OSError as exc:
        raise UsageError(f"{name}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        err.write(f"{name}: error: the patch is not UTF-8 (byte {exc.start})\n")
        return EXIT_ERROR
    except PatchError as exc:
        err.write(f"{name}: error: {exc}\n")
        return EXIT_ERROR
    if not results:
        out.write("Nothing to apply: the patch is empty.\n")
    for result in results:
        hunks = f"{result.hunks} {'hunk' if result.hunks == 1 else 'hunks'}"
        if result.ok:
            out.write(f"{'Would apply' if arguments.check else 'Applied'} {hunks} to {result.path}\n")
        else:
            err.write(f"{result.path}: rejected ({hunks}; file left as it was): {result.reason}\n")
    return EXIT_FINDINGS if any(not r.ok for r in results) else EXIT_CLEAN


def _add_verify_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    verify = commands.add_parser(
        "verify",
        help="run graph functions eagerly and, rewritten, as graphs; compare (executes the code)",
        parents=[_rule_options(), _configuration_options(), _trace_options()],
    )
    verify.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    verify.add_argument("--examples", metavar="FILE", help="a Python file whose EXAMPLES dict lists calls per function")
    verify.add_argument(
        "--calls", type=_positive_int, default=3, metavar="N", help="make each call N times (default: 3)"
    )
    verify.add_argument(
        "--timeout", type=_positive_float, default=300.0, metavar="SECONDS", help="time limit per module (default: 300)"
    )
    verify.add_argument(
        "--as-is", action="store_true", help="compare each file's own eager and graph runs (no rewrite)"
    )
    verify.add_argument("--unsafe-fixes", action="store_true", default=None, help="as for check")
    verify.add_argument(
        "--no-unsafe-fixes",
        dest="unsafe_fixes",
        action="store_false",
        help="rewrite with safe fixes only, even when the configuration enables unsafe ones",
    )
    verify.add_argument(
        "--output-format", choices=("text", "json"), default="text", help="one line per function, or JSON"
    )


def _scopes(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`tfrewrite scopes`: each graph scope as `path:line:col: name [kind] reason (mode)`."""
    from rewriter.analyze import ModuleAnalysis
    from rewriter.discover import discover
    from rewriter.files import display_path
    from rewriter.pipeline import SourceError, parse
    from rewriter.source import SourceDecodeError, decode_source

    paths = _paths(arguments)
    settings = _with_traces(arguments, _settings_for(arguments, paths), err)
    found = discover(
        paths,
        settings.exclude,
        base=getattr(arguments, "project_root", None),
        respect_gitignore=arguments.respect_gitignore,
    )
    from rewriter.project_index import build_index

    project = build_index(found.files, settings).incoming  # functions other files' graph code calls
    status, count = EXIT_CLEAN, 0
    for path, reason in found.errors:
        err.write(f"{display_path(path)}: error: {reason}\n")
        status = EXIT_ERROR
    for path in found.files:
        shown = display_path(path)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
            if path.endswith((".py", ".pyi")):
                text = decode_source(data).text
                module = ModuleAnalysis(text, parse(text, shown), settings, shown, project.get(path))
                listed = [(f"{shown}:{s.node.lineno}:{s.node.col_offset + 1}", s) for s in module.graph_scopes]
            else:
                listed = _scopes_in_cells(shown, path, data, settings)
        except (OSError, SourceDecodeError, SourceError, ValueError) as exc:
            err.write(f"{shown}: error: {exc}\n")
            status = EXIT_ERROR
            continue
        except RecursionError:
            err.write(f"{shown}: error: too deeply nested to analyse\n")
            status = EXIT_ERROR
            continue
        for where, scope in listed:
            out.write(f"{where}: {scope.name} [{scope.kind}] {scope.reason} ({scope.autograph_mode})\n")
            count += 1
    out.write(f"Found {count} graph scope{'' if count == 1 else 's'}.\n")
    return status


def _scopes_in_cells(shown: str, path: str, data: bytes, settings: Settings) -> list[tuple[str, GraphScope]]:
    """The graph scopes of a notebook's code cells (`path:cell N:row:col`) or a Markdown
    document's Python blocks (`path:row:col` in the document), as `check` analyses them:
    the cells joined in order, IPython lines masked. Raises ValueError (a notebook or
    document that cannot be read) or SourceError."""
    from rewriter.analyze import ModuleAnalysis
    from rewriter.cell_view import CellView
    from rewriter.file_kinds import is_markdown
    from rewriter.pipeline import parse
    from rewriter.results import Location

    document: CellView
    if is_markdown(path):
        from rewriter.markdown import load as load_markdown

        document = markdown = load_markdown(data)

        def where(row: int, column: int) -> str:
            _, inside = markdown.location(Location(row, column))
            return f"{shown}:{inside.row}:{inside.column}"

    else:
        from rewriter.notebook import language, python_cells
        from rewriter.notebook import load as load_notebook

        if language(data) not in (None, "python"):
            return []
        notebook, _ = python_cells(load_notebook(data))  # a cell that is not Python is left out, as `check` does
        document = notebook

        def where(row: int, column: int) -> str:
            cell, inside = notebook.relative(Location(row, column))
            return f"{shown}:cell {cell}:{inside.row}:{inside.column}"

    text = document.masked.text if document.cells else ""
    module = ModuleAnalysis(text, parse(text, shown), settings, shown)
    return [(where(s.node.lineno, s.node.col_offset + 1), s) for s in module.graph_scopes]


def _verify(arguments: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from rewriter.verify import FunctionVerdict, VerifyError, verify_paths

    if arguments.examples and not os.path.isfile(arguments.examples):
        raise UsageError(f"--examples: {arguments.examples}: no such file")
    settings = _with_traces(arguments, _settings_for(arguments, arguments.paths), err)
    text = arguments.output_format == "text"

    def show(verdicts: list[FunctionVerdict]) -> None:
        if text:
            out.write("".join(v.text() + "\n" for v in verdicts))
            out.flush()

    try:
        report = verify_paths(
            arguments.paths,
            settings,
            examples=arguments.examples,
            calls=arguments.calls,
            timeout=arguments.timeout,
            as_is=arguments.as_is,
            on_module=show,
        )
    except VerifyError as exc:
        raise UsageError(str(exc)) from None
    for path, reason in report.errors:
        err.write(f"{path}: error: {reason}\n")
    for note in report.notes:
        err.write(f"{note}\n")
    out.write(report.summary(arguments.as_is) if text else report.to_json())
    return report.exit_code


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {value!r}")
    return number


def _positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        number = 0.0
    if not number > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {value!r}")
    return number


def _add_trace_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    trace = commands.add_parser(
        "trace",
        help="run a program and record which functions TensorFlow traces, and with what",
        description="Run COMMAND unchanged with a recorder injected, and merge what it saw of traced "
        "functions into the trace file, which `check` then reads. Exits with COMMAND's exit code.",
    )
    trace.add_argument(
        "--out", metavar="PATH", help="the trace file (default: .tfrewrite/traces.json beside the configuration)"
    )
    trace.add_argument("program", nargs=argparse.REMAINDER, metavar="-- COMMAND [ARGS ...]", help="the program to run")


def _trace(arguments: argparse.Namespace) -> int:
    from rewriter.settings import SettingsError, find_pyproject
    from rewriter.trace.run import run_trace
    from rewriter.trace.traces import DEFAULT_PATH

    command = arguments.program[1:] if arguments.program[:1] == ["--"] else arguments.program
    if not command:
        raise UsageError("trace needs a command after --, for example: tfrewrite trace -- python train.py")
    try:
        pyproject = find_pyproject(Path.cwd())
    except SettingsError as exc:
        raise UsageError(str(exc)) from None
    root = pyproject.parent if pyproject is not None else Path.cwd()
    out = Path(arguments.out) if arguments.out else root / DEFAULT_PATH
    try:
        return run_trace(command, out, root)
    except FileNotFoundError:
        raise UsageError(f"{command[0]}: command not found") from None
    except PermissionError:
        raise UsageError(f"{command[0]}: permission denied") from None
