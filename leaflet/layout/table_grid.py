"""A table laid out at one width, as rows of cell flowables, and how it splits between and inside rows.

leaflet splits its tables itself rather than through reportlab's ``Table.split``: reportlab's split
inside a row loses the text of a cell that spans columns, and fails (a ``LayoutError``) when a row is
taller than what a repeated header leaves of a column. Rows here only span columns, never rows, so a
row splits simply: each cell's paragraph is split at the same height, the lines that fit stay in the
top part and the rest go into the same cell of a new row, spans and all.

A header row is repeated on every part only when it takes at most :data:`REPEAT_SHARE` of a column:
a header that fills half the column, repeated, would leave each part a few lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable
from reportlab.platypus import Table as PlatypusTable

from leaflet.errors import Diagnostic, LayoutFitError
from leaflet.layout.flowables import BlockRef, report_placement

PADDING = 3.0
"""Space between a cell's rules and its text, left and right, in points."""
PADDING_Y = 2.0
"""Space above and below a cell's text (one more point below)."""
REPEAT_SHARE = 0.25
"""A header row taller than this share of a column is printed once, not repeated on every part."""


@dataclass(frozen=True)
class Row:
    """One row: per column a cell flowable or ``""`` (empty, or covered by a span), and the spans."""

    cells: tuple[Any, ...]
    spans: tuple[tuple[int, int], ...] = ()
    """(first, last) column of each cell spanning several."""
    header: bool = False


@dataclass(frozen=True)
class GridLook:
    """Rules and fill of a table's grid."""

    rule_colour: str
    header_fill: str
    rule_width: float
    font: str
    """For empty cells (reportlab's default, Helvetica, is not embedded)."""


@dataclass(frozen=True)
class Grid:
    """Rows at fixed column widths; ``header`` rows start every part."""

    widths: tuple[float, ...]
    header: tuple[Row, ...]
    rows: tuple[Row, ...]
    look: GridLook
    block: BlockRef
    heights: tuple[float, ...] | None = None
    """The height of the header rows and the rows, once measured (a part keeps its rows' heights: the
    cells of a long table are measured once, not again for every part)."""

    def table(self) -> RuledTable:
        """The ruled platypus table of the header and the rows."""
        rows = (*self.header, *self.rows)
        heights = list(self.heights) if self.heights is not None else None
        made = RuledTable(
            [list(row.cells) for row in rows], colWidths=list(self.widths), rowHeights=heights, hAlign="LEFT"
        )
        made.setStyle(self._commands(rows))
        made.block = self.block
        return made

    def measured(self) -> Grid:
        """This grid with the heights of its rows."""
        if self.heights is not None:
            return self
        table = self.table()
        table.wrap(sum(self.widths), 1e9)
        return replace(self, heights=tuple(table._rowHeights))

    def part(self, header: tuple[Row, ...], rows: tuple[Row, ...], heights: Sequence[float]) -> Grid:
        """A part of this grid: ``header`` and ``rows``, of these heights."""
        return replace(self, header=header, rows=rows, heights=tuple(heights))

    def _commands(self, rows: Sequence[Row]) -> list[tuple[Any, ...]]:
        look = self.look
        rule = HexColor(look.rule_colour)
        commands: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), look.rule_width, rule),
            ("BOX", (0, 0), (-1, -1), look.rule_width * 1.6, rule),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), look.font),
            ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), PADDING_Y),
            ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING_Y + 1),
        ]
        for number, row in enumerate(rows):
            if row.header:
                commands.append(("BACKGROUND", (0, number), (-1, number), HexColor(look.header_fill)))
                commands.append(("LINEBELOW", (0, number), (-1, number), look.rule_width * 2, rule))
            commands.extend(("SPAN", (first, number), (last, number)) for first, last in row.spans)
        return commands

    def scaled(self, width: float) -> Grid:
        """This grid at ``width`` (columns scaled in proportion; the cells rewrap)."""
        if abs(sum(self.widths) - width) < 0.01:
            return self
        factor = width / sum(self.widths)
        return replace(self, widths=tuple(column * factor for column in self.widths), heights=None)


class RuledTable(PlatypusTable):
    """One part of a table as drawn: reports where it landed (never split by platypus: see the module)."""

    block: BlockRef | None = None

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        super().drawOn(canvas, x, y, _sW)
        report_placement(canvas, self.block, x, y, self._width, self._height)


def split_grid(grid: Grid, height: float, *, at_top: bool, column_height: float) -> tuple[Grid, Grid] | None:
    """``grid`` cut into a part at most ``height`` tall and the rest: between rows when a row fits, else
    (only at the top of a column, where waiting would not help) inside the first row; None when the part
    must wait for the next column. Raises :class:`LayoutFitError` when not one line fits a whole column."""
    grid = grid.measured()
    assert grid.heights is not None
    heads = len(grid.header)
    head_heights, heights = grid.heights[:heads], grid.heights[heads:]
    header_height = sum(head_heights)
    repeat = grid.header if header_height <= REPEAT_SHARE * column_height else ()
    again = head_heights if repeat else ()
    used, fitting = header_height, 0
    for row_height in heights:
        if used + row_height > height + 1e-6:
            break
        used += row_height
        fitting += 1
    if fitting == len(grid.rows):
        return None
    if fitting:
        first = grid.part(grid.header, grid.rows[:fitting], (*head_heights, *heights[:fitting]))
        return first, grid.part(repeat, grid.rows[fitting:], (*again, *heights[fitting:]))
    if not at_top:
        return None
    cut = split_row(grid.rows[0], grid.widths, height - header_height)
    if cut is not None:
        top, bottom = (_row_height(row, grid) for row in cut)
        first = grid.part(grid.header, (cut[0],), (*head_heights, top))
        return first, grid.part(repeat, (cut[1], *grid.rows[1:]), (*again, bottom, *heights[1:]))
    if grid.header:  # a header that leaves no room for a line: it is printed once, split like a row
        merged = grid.part((), (*grid.header, *grid.rows), grid.heights)
        return split_grid(merged, height, at_top=at_top, column_height=column_height)
    raise LayoutFitError(
        Diagnostic(
            "",
            "a table cell has a line taller than a whole column",
            line=grid.block.line or None,
            hint="shorten the cell's text or split the row",
            code="table-too-tall",
        )
    )


def _row_height(row: Row, grid: Grid) -> float:
    """The height of ``row`` alone at ``grid``'s column widths."""
    alone = replace(grid, header=(), rows=(row,), heights=None).measured()
    assert alone.heights is not None
    return alone.heights[0]


def split_row(row: Row, widths: Sequence[float], height: float) -> tuple[Row, Row] | None:
    """``row`` as a top row at most ``height`` tall and the row of what is left of each cell; None when
    no cell has a line that fits."""
    room = height - 2 * PADDING_Y - 1
    if room <= 0:
        return None
    cell_widths = _cell_widths(row, widths)
    top: list[Any] = []
    bottom: list[Any] = []
    for cell, width in zip(row.cells, cell_widths, strict=True):
        if not isinstance(cell, Flowable):
            top.append(cell)
            bottom.append("")
            continue
        if cell.wrap(width, room)[1] <= room:
            top.append(cell)
            bottom.append("")
            continue
        parts = cell.split(width, room)
        top.append(parts[0] if len(parts) == 2 else "")
        bottom.append(parts[1] if len(parts) == 2 else cell)
    if not any(isinstance(cell, Flowable) for cell in top):
        return None
    return replace(row, cells=tuple(top)), replace(row, cells=tuple(bottom))


def _cell_widths(row: Row, widths: Sequence[float]) -> list[float]:
    """The text width of each column's cell in ``row`` (a spanning cell has its columns' width)."""
    result = [width - 2 * PADDING for width in widths]
    for first, last in row.spans:
        result[first] = sum(widths[first : last + 1]) - 2 * PADDING
    return result
