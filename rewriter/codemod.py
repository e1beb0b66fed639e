"""tfrewrite as a LibCST codemod, for pipelines that compose codemods.

In Python:

    from libcst.codemod import CodemodContext
    from rewriter.codemod import TfFunctionCodemod

    new_tree = TfFunctionCodemod(CodemodContext(filename="train.py")).transform_module(tree)

From the command line, with `.libcst.codemod.yaml` listing `rewriter` under `modules`:

    python -m libcst.tool codemod codemod.TfFunctionCodemod src/
    python -m libcst.tool codemod codemod.TfFunctionCodemod --unsafe-fixes src/

(or `python -m libcst.tool codemod -x rewriter.codemod.TfFunctionCodemod src/` with no
configuration). Like `tfrewrite check`, it reads the trace file of a recorded run
(`tfrewrite trace`) when there is one; `--traces PATH` chooses it, `--no-traces` ignores it. The rewrite is the one `tfrewrite check --fix` makes: text edits computed
by our own pipeline, so the resulting tree keeps the input's comments and formatting.
"""

from __future__ import annotations

import argparse

import libcst
from libcst.codemod import CodemodCommand, CodemodContext, SkipFile

from rewriter.api import Codes, SourceError, Traces, rewrite_source


class TfFunctionCodemod(CodemodCommand):
    """Apply tfrewrite's fixes to a module; findings without an applied fix become warnings.

    Raises `SkipFile` when nothing changes, and for source that LibCST accepts but the
    standard library's parser does not. A misbehaving rule raises `rewriter.InternalError`,
    which LibCST reports as a failure of that file.
    """

    DESCRIPTION = "Rewrite Python side effects inside tf.function graph code (tfrewrite)."

    def __init__(
        self,
        context: CodemodContext,
        select: Codes = None,
        ignore: Codes = None,
        unsafe_fixes: bool = False,
        traces: str | None = None,
        no_traces: bool = False,
    ) -> None:
        super().__init__(context)
        self.select = select
        self.ignore = ignore
        self.unsafe_fixes = unsafe_fixes
        self.traces: Traces = False if no_traces else traces if traces is not None else True

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument(
            "--select", metavar="CODES", default=None, help="comma-separated rule codes or prefixes"
        )
        arg_parser.add_argument("--ignore", metavar="CODES", default=None, help="comma-separated rule codes to skip")
        arg_parser.add_argument("--unsafe-fixes", action="store_true", default=False, help="also apply unsafe fixes")
        arg_parser.add_argument(
            "--traces", metavar="PATH", default=None, help="the trace file of `tfrewrite trace` to read"
        )
        arg_parser.add_argument("--no-traces", action="store_true", default=False, help="ignore any trace file")

    def transform_module_impl(self, tree: libcst.Module) -> libcst.Module:
        filename = self.context.filename or "<string>"
        try:
            result = rewrite_source(
                tree.code,
                filename=filename,
                select=self.select,
                ignore=self.ignore,
                unsafe_fixes=self.unsafe_fixes,
                traces=self.traces,
            )
        except SourceError as exc:
            raise SkipFile(f"not processed: {exc}") from None
        # Positions are in the code this codemod returns.
        for diagnostic in result.remaining:
            hint = ""
            if diagnostic.fix is not None and diagnostic.fix.applicability == "unsafe":
                hint = " (an unsafe fix is available with --unsafe-fixes)"
            self.warn(
                f"{diagnostic.location.row}:{diagnostic.location.column}: {diagnostic.code} {diagnostic.message}{hint}"
            )
        if not result.changed:
            raise SkipFile("no fixes to apply")
        # Our pipeline already repeats its fixes to a fixpoint, so one pass is enough
        # (LibCST's default). The input's encoding is kept, so LibCST writes the file
        # back in the encoding it came in.
        config = libcst.PartialParserConfig(encoding=tree.encoding)
        return libcst.parse_module(result.code, config=config)
