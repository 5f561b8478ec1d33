"""Tables of ePI and SPL narrative markup into the content model's :class:`~leaflet.model.Table`.

The header is the ``<thead>`` row, or a first row of ``<th>`` cells; empty rows (templates leave a few)
and an empty header are dropped and counted. A cell's paragraphs are joined by spaces (a cell holds
running text). A table used for layout, with pictures or lists in its cells (instructions for use are
often set so), is not a table of data: its cells are read in order as ordinary blocks, so that its
pictures and numbered steps keep their place.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from leaflet.loaders.xml_safe import Node
from leaflet.model import BulletList, Cell, Paragraph, Table

if TYPE_CHECKING:
    from leaflet.loaders.narrative import Flat, NarrativeReader

MAX_COLSPAN = 50
"""Widest span accepted; a larger ``colspan`` is a typing mistake, read as 1."""


def read_table(reader: NarrativeReader, node: Node) -> list[Flat]:
    """The blocks of the table ``node``: one :class:`Table`, or its cells' blocks for a layout table."""
    rows = _rows(node)
    if _is_layout(reader, node):
        blocks: list[Flat] = []
        for row in rows:
            for cell in row.elements():
                if cell.tag in ("td", "th"):
                    blocks.extend(reader.read(cell))
        return _numbered_on(blocks)
    header: tuple[Cell, ...] = ()
    body: list[tuple[Cell, ...]] = []
    for index, row in enumerate(rows):
        cells = tuple(_cell(reader, cell) for cell in row.elements() if cell.tag in ("td", "th"))
        if not any(cell.runs for cell in cells):
            reader.tally.leftovers += 1
            continue
        heads = row.attrs.get("#part") == "thead" or not row.elements("td")
        if not header and not body and heads and index == 0:
            header = cells
        else:
            body.append(cells)
    if not body:
        if not header:
            return []
        body, header = [header], ()
    caption_node = node.first("caption")
    caption = reader.inline_runs(caption_node) if caption_node is not None else ()
    width = _width(body, header)
    return [Table(tuple(_pad(row, width) for row in body), _pad(header, width), caption, node.line)]


def _numbered_on(blocks: list[Flat]) -> list[Flat]:
    """Numbered lists of a layout table counted on from one cell to the next (a word processor's steps
    1, 2, 3 come out as one ``<ol>`` of one item per cell, each starting at 1), until a bold line
    (the next part's title) starts the count again."""
    from leaflet.loaders.outline import bold_only

    out: list[Flat] = []
    following = 1
    for block in blocks:
        if isinstance(block, BulletList) and block.ordered:
            if block.start == 1:
                block = replace(block, start=following)
            following = block.start + len(block.items)
        elif isinstance(block, Paragraph) and bold_only(block.runs):
            following = 1
        out.append(block)
    return out


def _rows(node: Node) -> list[Node]:
    """Every row of the table in order, each marked with the part it is in."""
    rows: list[Node] = []
    for child in node.elements():
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            for row in child.elements("tr"):
                row.attrs["#part"] = child.tag
                rows.append(row)
    if rows and rows[0].attrs.get("#part") != "thead" and any(r.attrs.get("#part") == "thead" for r in rows):
        rows.sort(key=lambda row: row.attrs.get("#part") != "thead")
    return rows


def _is_layout(reader: NarrativeReader, node: Node) -> bool:
    picture, lists = reader.dialect.picture, reader.dialect.lists
    return any(_holds(cell, picture, lists) for row in _rows(node) for cell in row.elements())


def _holds(node: Node, picture: str, lists: frozenset[str]) -> bool:
    return any(child.tag == picture or child.tag in lists or _holds(child, picture, lists) for child in node.elements())


def _cell(reader: NarrativeReader, node: Node) -> Cell:
    span = node.attrs.get("colspan", "1")
    colspan = int(span) if span.isdigit() and 1 <= int(span) <= MAX_COLSPAN else 1
    return Cell(reader.inline_runs(node), colspan=colspan)


def _width(body: list[tuple[Cell, ...]], header: tuple[Cell, ...]) -> int:
    return max(sum(cell.colspan for cell in row) for row in [*body, header])


def _pad(row: tuple[Cell, ...], width: int) -> tuple[Cell, ...]:
    """``row`` filled with empty cells to ``width`` columns (a row of a table that is short of cells)."""
    if not row:
        return row
    missing = width - sum(cell.colspan for cell in row)
    return row + tuple(Cell(()) for _ in range(missing))
