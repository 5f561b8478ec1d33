"""Tables: ruled grids of wrapped cells, never wider than the column they stand in.

Column widths come from the content at the width the table is given (a text column, or the inside of
a warning box): each column wants its longest word at least and its whole text on one line at most;
the table takes the whole width, shared out as browsers do for automatic tables (what the columns want
beyond their longest words, in proportion), and when even the longest words do not fit, the columns
shrink in proportion and long words break (the paragraphs' ``splitLongWords``); a word longer than
:data:`MAX_WORD_SHARE` of the width breaks rather than squeeze the other columns.

A table splits between rows, with its header row repeated on every part; a row is split inside only
at the top of a column, when it does not fit there (:mod:`.table_grid`). Each cell is a placed
paragraph (``cell`` in the placement report), each part of the table a ``table`` box.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from reportlab.platypus import Flowable
from reportlab.platypus.paragraph import ParagraphStyle

from leaflet.layout.flowables import BlockRef, PlacedParagraph
from leaflet.layout.table_grid import PADDING, Grid, GridLook, Row, split_grid
from leaflet.layout.tagging import Node
from leaflet.model import Cell, Inline, Table, plain
from leaflet.text.fallback import drawable, string_width
from leaflet.text.fonts import FontFamily
from leaflet.text.paragraphs import make_paragraph

MAX_WORD_SHARE = 0.4
"""A column's longest word claims at most this share of the table's width (a longer word breaks), so
that one unbroken word cannot squeeze the other columns to a letter a line."""

CellMaker = Callable[[Inline, ParagraphStyle, float], Flowable]
"""Makes a cell's paragraph: its runs, style, and the width of its text (the story's choice of a plain or a
shaped paragraph)."""


@dataclass(frozen=True)
class TableLook:
    """How tables look in one leaflet."""

    cell: ParagraphStyle
    header: ParagraphStyle
    caption: ParagraphStyle
    rule_colour: str
    header_fill: str
    rule_width: float = 0.5
    space: float = 5.0
    """Space above and below the table."""
    italics: bool = True
    column_height: float = 700.0
    """The height of a text column: a header taller than a share of it is not repeated."""


class _GridFlowable(Flowable):
    """A table (or what is left of one) drawn as one ruled platypus table per part, split by :mod:`.table_grid`."""

    def grid(self, width: float) -> Grid:
        raise NotImplementedError

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        grid = self.grid(availWidth).measured()  # sizes from the measured rows: no table made until drawn
        assert grid.heights is not None
        self._drawn_grid = grid
        self.width, self.height = sum(grid.widths), sum(grid.heights)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self.wrap(availWidth, availHeight)[1] <= availHeight:
            return [self]
        frame = getattr(self, "_frame", None)
        at_top = frame is not None and bool(frame._atTop)
        column_height = getattr(self, "column_height", availHeight)
        cut = split_grid(self.grid(availWidth), availHeight, at_top=at_top, column_height=column_height)
        if cut is None:
            return []
        first, rest = TablePart(cut[0], column_height), TablePart(cut[1], column_height)
        first.spaceBefore, rest.spaceAfter = self.getSpaceBefore(), self.getSpaceAfter()
        return [first, rest]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        table = self._drawn_grid.table()
        table.wrap(self.width, self.height)
        table.drawOn(canvas, x, y, _sW)


class TablePart(_GridFlowable):
    """A part of a split table: rows at the column widths of the whole table."""

    def __init__(self, grid: Grid, column_height: float) -> None:
        super().__init__()
        self._grid = grid
        self.column_height = column_height
        self.spaceBefore = self.spaceAfter = 0

    def grid(self, width: float) -> Grid:
        return self._grid.scaled(width)

    def identity(self, maxLen: int | None = None) -> str:
        return f"TablePart(line {self._grid.block.line}, {len(self._grid.rows)} rows)"


@dataclass(frozen=True)
class TableNodes:
    """The structure of a table, declared whole (empty cells too, so that every row has its columns):
    Table, its Caption, THead with the header row of TH (scope Column), TBody with rows of TD; a cell
    spanning columns has its ColSpan. A table without a header row (frequency and effects, strength and
    colour) has its first column as row headers (TH, scope Row), so that every data cell has a header."""

    table: Node
    caption: Node | None
    cells: list[list[Node]]
    """By row (the header row first) and cell: each cell's element."""
    rows: list[tuple[Node, ...]]
    """By row: the elements around its cells (Table, THead or TBody, TR)."""


def table_nodes(table: Table) -> TableNodes:
    """The structure elements of ``table`` (see :class:`TableNodes`)."""
    caption = Node("Caption") if table.caption else None
    head, body = Node("THead"), Node("TBody")
    whole = Node("Table", kids=[kid for kid in (caption, head if table.header else None, body) if kid is not None])
    cells: list[list[Node]] = []
    rows: list[tuple[Node, ...]] = []
    for index, row in enumerate((table.header, *table.rows) if table.header else table.rows):
        header = bool(table.header) and index == 0
        tagged = [Node("TH" if header else "TD", scope="Column" if header else None, colspan=c.colspan) for c in row]
        if not table.header and table.columns > 1 and tagged:  # no header row: the first column names the rows
            tagged[0] = Node("TH", scope="Row", colspan=tagged[0].colspan)
        covered = sum(cell.colspan for cell in row)
        tagged += [Node("TD") for _ in range(table.columns - covered)]  # a short row still has every column
        line = Node("TR", kids=list(tagged))
        (head if header else body).kids.append(line)
        cells.append(tagged)
        rows.append((whole, head if header else body, line))
    return TableNodes(whole, caption, cells, rows)


class TableBlock(_GridFlowable):
    """A table laid out for the width it is given (column widths from the content at that width)."""

    def __init__(
        self,
        table: Table,
        look: TableLook,
        family: FontFamily,
        cell: CellMaker | None = None,
        nodes: TableNodes | None = None,
        *,
        mirrored: bool = False,
    ) -> None:
        super().__init__()
        self.mirrored = mirrored
        """Right to left: the first column on the right."""
        self.table = table
        self.nodes = nodes or table_nodes(table)
        self.look = look
        self.family = family
        self.make_cell = cell or self._plain_cell
        self.spaceBefore = look.space
        self.spaceAfter = look.space
        self.column_height = look.column_height
        self._made: tuple[float, Grid] | None = None

    def grid(self, width: float) -> Grid:
        """The rows for ``width`` (made once per width)."""
        if self._made is None or abs(self._made[0] - width) > 0.01:
            self._made = (width, self._make(width))
        return self._made[1]

    def _make(self, width: float) -> Grid:
        table, look = self.table, self.look
        rows = (table.header, *table.rows) if table.header else table.rows
        widths = column_widths(self._wants(rows, table.columns), width)
        made = [
            self._row(row, widths, index, header=bool(table.header) and index == 0) for index, row in enumerate(rows)
        ]
        grid_look = GridLook(look.rule_colour, look.header_fill, look.rule_width, self.family.regular)
        block = BlockRef("table", table.line, "")
        header_rows = 1 if table.header else 0
        if self.mirrored:
            widths = widths[::-1]
            made = [mirror(row) for row in made]
        return Grid(tuple(widths), tuple(made[:header_rows]), tuple(made[header_rows:]), grid_look, block).measured()

    def _row(self, row: tuple[Cell, ...], widths: list[float], number: int, *, header: bool) -> Row:
        cells: list[Any] = []
        spans: list[tuple[int, int]] = []
        for cell, node in zip(row, self.nodes.cells[number], strict=False):
            first, last = len(cells), len(cells) + cell.colspan - 1
            text_width = sum(widths[first : last + 1]) - 2 * PADDING
            nodes = (*self.nodes.rows[number], node)
            cells.append(self._cell(cell, text_width, nodes, header=header) if cell.runs else "")
            cells.extend([""] * (cell.colspan - 1))
            if last > first:
                spans.append((first, last))
        return Row(tuple(cells + [""] * (len(widths) - len(cells))), tuple(spans), header)

    def _cell(self, cell: Cell, width: float, nodes: tuple[Node, ...], *, header: bool) -> Flowable:
        paragraph = self.make_cell(cell.runs, self.look.header if header else self.look.cell, width)
        kind = "header-cell" if header else "cell"
        paragraph.block = BlockRef(kind, self.table.line, plain(cell.runs), groups=nodes[:-1], node=nodes[-1])
        return paragraph

    def _plain_cell(self, runs: Inline, style: ParagraphStyle, width: float) -> Flowable:
        return make_paragraph(PlacedParagraph, runs, style, self.family, italics=self.look.italics, unit_width=width)

    def _wants(self, rows: tuple[tuple[Cell, ...], ...], columns: int) -> list[tuple[float, float]]:
        """Per column: the width of its longest word and of its longest text on one line (padding in)."""
        wants = [(0.0, 0.0)] * columns
        for index, row in enumerate(rows):
            style = self.look.header if index == 0 and self.table.header else self.look.cell
            column = 0
            for cell in row:
                if cell.colspan == 1:
                    least, most = self._measure(cell.runs, style)
                    wants[column] = (max(wants[column][0], least), max(wants[column][1], most))
                column += cell.colspan
        return [(least + 2 * PADDING + 1, most + 2 * PADDING + 1) for least, most in wants]

    def _measure(self, runs: Inline, style: ParagraphStyle) -> tuple[float, float]:
        longest, total, size = 0.0, 0.0, float(style.fontSize)
        for run in runs:
            face = self.family.face(bold=run.bold or style.fontName == self.family.bold, italic=run.italic)
            text = drawable(" ".join(run.text.split()))  # "5 mg" bound by a no-break space, as drawn
            total += string_width(text, face, size, self.family.extra)
            for word in text.split(" "):
                longest = max(longest, string_width(word, face, size, self.family.extra))
        return longest, total

    def identity(self, maxLen: int | None = None) -> str:
        return f"TableBlock(line {self.table.line})"


def column_widths(wants: list[tuple[float, float]], width: float) -> list[float]:
    """Widths summing to ``width`` for columns that want ``(least, most)`` each (see the module)."""
    floor = min(width / len(wants), 24.0)
    cap = max(floor, width * MAX_WORD_SHARE)
    least = [min(max(low, floor), cap) for low, _ in wants]
    most = [max(high, low) for (_, high), low in zip(wants, least, strict=True)]
    if sum(most) <= width:
        return [high * width / sum(most) for high in most]
    if sum(least) <= width:
        slack = width - sum(least)
        growth = [high - low for low, high in zip(least, most, strict=True)]
        return [low + slack * grow / sum(growth) for low, grow in zip(least, growth, strict=True)]
    excess = [low - floor for low in least]  # every column keeps the floor, the rest is shared by need
    left = width - floor * len(least)
    return [floor + left * extra / sum(excess) for extra in excess]


def mirror(row: Row) -> Row:
    """``row`` with its columns in the other order (a right-to-left table): a spanning cell's content moves
    to the first column of its span as mirrored, where reportlab draws a span's content."""
    count = len(row.cells)
    cells = list(row.cells[::-1])
    spans = tuple((count - 1 - last, count - 1 - first) for first, last in row.spans)
    for first, last in spans:
        cells[first], cells[last] = cells[last], cells[first]
    return replace(row, cells=tuple(cells), spans=spans)
