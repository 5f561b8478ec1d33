"""Tables: ruled grids of wrapped cells, never wider than the column they stand in.

Column widths come from the content at the width the table is given (a text column, or the inside of
a warning box): each column wants its longest word at least and its whole text on one line at most;
the table takes the whole width, shared out as browsers do for automatic tables (what the columns want
beyond their longest words, in proportion), and when even the longest words do not fit, the columns
shrink in proportion and long words break (the paragraphs' ``splitLongWords``); a word longer than
:data:`MAX_WORD_SHARE` of the width breaks rather than squeeze the other columns.

A table splits between rows, with its header row repeated on every part (reportlab's ``repeatRows``);
a row is split inside only when it is taller than a whole column. Each cell is a placed paragraph
(``cell`` in the placement report), each part of the table a ``table`` box.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable
from reportlab.platypus import Table as PlatypusTable
from reportlab.platypus.paragraph import ParagraphStyle

from leaflet.layout.flowables import BlockRef, PlacedParagraph, report_placement
from leaflet.layout.tagging import Node
from leaflet.model import Cell, Inline, Table, plain
from leaflet.text.fallback import drawable, string_width
from leaflet.text.fonts import FontFamily
from leaflet.text.paragraphs import make_paragraph

PADDING = 3.0
"""Space between a cell's rules and its text, left and right, in points."""
PADDING_Y = 2.0
"""Space above and below a cell's text."""
MAX_WORD_SHARE = 0.4
"""A column's longest word claims at most this share of the table's width (a longer word breaks), so
that one unbroken word cannot squeeze the other columns to a letter a line."""


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


class RuledTable(PlatypusTable):
    """A platypus table that reports where each part landed and splits a row only at the top of a column."""

    block: BlockRef | None = None

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        frame = getattr(self, "_frame", None)
        if not parts and frame is not None and frame._atTop and not getattr(self, "splitInRow", 0):
            self.splitInRow = 1  # a row taller than a whole column: break inside it rather than fail
            try:
                parts = super().split(availWidth, availHeight)
            finally:
                self.splitInRow = 0
            for part in parts:
                part.splitInRow = 0
        for part in parts:
            part.block = self.block
        return list(parts)

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        super().drawOn(canvas, x, y, _sW)
        report_placement(canvas, self.block, x, y, self._width, self._height)


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


class TableBlock(Flowable):
    """A table laid out for the width it is given (column widths from the content at that width)."""

    def __init__(self, table: Table, look: TableLook, family: FontFamily, nodes: TableNodes | None = None) -> None:
        super().__init__()
        self.table = table
        self.nodes = nodes or table_nodes(table)
        self.look = look
        self.family = family
        self.spaceBefore = look.space
        self.spaceAfter = look.space
        self._made: tuple[float, RuledTable] | None = None

    def laid_out(self, width: float) -> RuledTable:
        """The platypus table for ``width`` (made once per width)."""
        if self._made is None or abs(self._made[0] - width) > 0.01:
            self._made = (width, self._make(width))
        return self._made[1]

    def _make(self, width: float) -> RuledTable:
        table = self.table
        columns = table.columns
        rows = (table.header, *table.rows) if table.header else table.rows
        header = bool(table.header)
        data = [self._row(row, columns, index, header=header and index == 0) for index, row in enumerate(rows)]
        widths = column_widths(self._wants(rows, columns), width)
        made = RuledTable(data, colWidths=widths, repeatRows=1 if table.header else 0, hAlign="LEFT")
        made.setStyle(self._commands(rows, header=bool(table.header)))
        made.block = BlockRef("table", table.line, "")
        return made

    def _row(self, row: tuple[Cell, ...], columns: int, number: int, *, header: bool) -> list[Any]:
        cells: list[Any] = []
        for cell, node in zip(row, self.nodes.cells[number], strict=False):
            cells.append(self._cell(cell, (*self.nodes.rows[number], node), header=header) if cell.runs else "")
            cells.extend([""] * (cell.colspan - 1))
        return cells + [""] * (columns - len(cells))

    def _cell(self, cell: Cell, nodes: tuple[Node, ...], *, header: bool) -> PlacedParagraph:
        style = self.look.header if header else self.look.cell
        paragraph = make_paragraph(PlacedParagraph, cell.runs, style, self.family, italics=self.look.italics)
        kind = "header-cell" if header else "cell"
        paragraph.block = BlockRef(kind, self.table.line, plain(cell.runs), groups=nodes[:-1], node=nodes[-1])
        return paragraph

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

    def _commands(self, rows: tuple[tuple[Cell, ...], ...], *, header: bool) -> list[tuple[Any, ...]]:
        look = self.look
        rule = HexColor(look.rule_colour)
        commands: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), look.rule_width, rule),
            ("BOX", (0, 0), (-1, -1), look.rule_width * 1.6, rule),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 0), (-1, -1), self.family.regular),  # not Helvetica (unembedded) for empty cells
            ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), PADDING_Y),
            ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING_Y + 1),
        ]
        if header:
            commands.append(("BACKGROUND", (0, 0), (-1, 0), HexColor(look.header_fill)))
            commands.append(("LINEBELOW", (0, 0), (-1, 0), look.rule_width * 2, rule))
        for number, row in enumerate(rows):
            column = 0
            for cell in row:
                if cell.colspan > 1:
                    commands.append(("SPAN", (column, number), (column + cell.colspan - 1, number)))
                column += cell.colspan
        return commands

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self.laid_out(availWidth).wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        made = self.laid_out(availWidth)
        made._frame = getattr(self, "_frame", None)
        try:
            parts = made.split(availWidth, availHeight)
        finally:
            del made._frame
        for part in parts:
            part.spaceBefore, part.spaceAfter = 0, 0
        if parts:
            parts[0].spaceBefore = self.spaceBefore
            parts[-1].spaceAfter = self.spaceAfter
        return parts

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        self.laid_out(self.width).drawOn(canvas, x, y, _sW)

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


def caption_paragraph(
    runs: Inline, line: int, look: TableLook, family: FontFamily, nodes: TableNodes | None = None
) -> PlacedParagraph:
    """A table's caption, set above it and kept with it (the first element of the Table)."""
    paragraph = make_paragraph(PlacedParagraph, runs, look.caption, family, italics=look.italics)
    if nodes is not None and nodes.caption is not None:
        paragraph.block = BlockRef("caption", line, plain(runs), groups=(nodes.table,), node=nodes.caption)
    else:
        paragraph.block = BlockRef("caption", line, plain(runs))
    paragraph.keep_with_next = True
    return paragraph
