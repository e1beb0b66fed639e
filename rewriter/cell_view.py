"""Code cells run in order in one namespace, seen as one module: the *view*.

Notebooks (rewriter.notebook) and Markdown documents (rewriter.markdown) both hold their
code this way. The view is the cells' sources joined, each after its marker line; rows of
the view map to (cell, row inside the cell), and IPython lines are masked for parsing.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from rewriter.cells import MARKER_LINE, CellText, NotebookError, count_lines, join_cells
from rewriter.ipython_mask import Masked, future_import_rows, mask_cell, parses, top_level_await_rows
from rewriter.results import Location
from rewriter.source import compile_error


class CellView:
    """Pieces of code run in order in one namespace, seen as one module (the *view*).

    Subclasses hold `cells` (CellText values in order); rows of the view map to cells.
    """

    cells: Sequence[CellText]

    # -- the view ---------------------------------------------------------------------

    @cached_property
    def view(self) -> str:
        return join_cells([(c.number, c.view_text) for c in self.cells])

    @cached_property
    def marker_rows(self) -> list[tuple[int, int]]:
        """(view row of the marker, cell number), in order."""
        rows = []
        row = 1
        for cell in self.cells:
            rows.append((row, cell.number))
            row += 1 + count_lines(cell.view_text)
        return rows

    def cell_position(self, row: int) -> tuple[int, int]:
        """The cell number and the row inside the cell of a view row (both 1-based)."""
        if not self.cells:
            return 0, row
        marker, number = self.marker_rows[0]
        for marker_row, cell_number in self.marker_rows[1:]:
            # A marker row itself is the end of the cell before it (where imports go).
            if marker_row >= row:
                break
            marker, number = marker_row, cell_number
        return number, max(row - marker, 1)

    def relative(self, location: Location, cell: int | None = None) -> tuple[int, Location]:
        """A view location as (cell number, location inside that cell)."""
        if cell is None:
            cell, _ = self.cell_position(location.row)
        row = location.row - self.view_row(cell, 0)
        return cell, Location(max(row, 1), location.column)

    def view_row(self, cell: int, row: int) -> int:
        """The view row of row `row` of cell `cell` (inverse of cell_position)."""
        for marker_row, number in self.marker_rows:
            if number == cell:
                return marker_row + row
        raise KeyError(cell)

    # -- parsing ----------------------------------------------------------------------

    @cached_property
    def masked(self) -> Masked:
        """The view made parsable. Raises NotebookError naming a cell that is not Python."""
        masked = Masked("")
        # Jupyter compiles each cell on its own, so `from __future__` may open any cell;
        # in the joined view only the first may have one.
        late_future = [bool(future_import_rows(cell.view_text)) for cell in self.cells[1:]]
        if (
            parses(self.view)
            and not any(late_future)
            and ("await" not in self.view or not top_level_await_rows(self.view))
        ):
            masked.text = self.view
            return masked
        parts = []
        for index, cell in enumerate(self.cells):
            parts.append((cell.number, mask_cell(cell, masked, mask_future=index > 0)))
        masked.text = join_cells(parts)
        return masked

    def split_view(self, view: str) -> list[str]:
        """The code cells' sources in a view; the markers must be the notebook's own."""
        markers = list(MARKER_LINE.finditer(view))
        numbers = [int(m.group(1)) for m in markers]
        if numbers != [c.number for c in self.cells]:
            raise NotebookError("the cell markers (`# %% [cell N]` lines) do not match the notebook's code cells")
        if view[: markers[0].start()] if markers else view:
            raise NotebookError("text before the first cell marker")
        sources = []
        for index, (cell, marker) in enumerate(zip(self.cells, markers)):
            start = marker.end() + view.startswith("\n", marker.end())  # past the marker's line end
            end = markers[index + 1].start() if index + 1 < len(markers) else len(view)
            text = view[start:end]
            if cell.closed and text.endswith("\n"):
                text = text[:-1]
            sources.append(text)
        return sources


def compile_check(notebook: CellView) -> None:
    """The notebook's code (magics masked) must compile. Raises NotebookError."""
    problem = compile_error(notebook.masked.text, "<notebook>", top_level_await=True)
    if isinstance(problem, SyntaxError):
        cell, row = notebook.cell_position(problem.lineno or 1)
        raise NotebookError(f"cell {cell}: {type(problem).__name__}: {problem.msg} (line {row})")
    if problem is not None:
        raise NotebookError(f"does not compile: {problem}")
