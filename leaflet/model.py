"""The content model: what a leaflet says, independent of how it is read or drawn.

A :class:`Monograph` is a title, metadata and a body of blocks; a block is a paragraph, a list
(bulleted or numbered, items may hold a nested list), a table, a figure, a notice (a fixed statement
such as the EU black-triangle one) or a (nested) section. Every block keeps the line it came from so
that later stages can point at the source. Frozen dataclasses, no I/O, no reportlab.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    """A stretch of text in one style."""

    text: str
    """The characters, exactly as written (never markup)."""
    bold: bool = False
    """Set in the bold face."""
    italic: bool = False
    """Set in the italic face."""


Inline = tuple[Run, ...]
"""Running text: the runs of one paragraph, list item or lead-in, in order."""


def source_lines(text: str) -> list[str]:
    """``text`` split into lines as an editor counts them: at LF, CRLF or CR, and nowhere else."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def plain(runs: Inline) -> str:
    """The characters of ``runs`` without their styles."""
    return "".join(run.text for run in runs)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text."""

    runs: Inline
    """The text, with emphasis."""
    line: int = 0
    """Source line (1-based; 0 when unknown)."""


@dataclass(frozen=True)
class ListItem(Paragraph):
    """A list item: its text and, optionally, a list nested under it."""

    sublist: BulletList | None = None
    """The list under this item (one level deeper), if any."""


@dataclass(frozen=True)
class BulletList:
    """A list, bulleted or numbered, optionally introduced by a lead-in sentence kept with its first item."""

    items: tuple[Paragraph, ...]
    """The list items, in order; never empty. An item with a nested list is a :class:`ListItem`."""
    lead: Paragraph | None = None
    """The sentence that introduces the list ("Baclofen is mainly prescribed for:")."""
    line: int = 0
    """Source line of the list."""
    ordered: bool = False
    """Numbered (steps to follow in order) rather than bulleted."""
    start: int = 1
    """The number of the first item of a numbered list."""


@dataclass(frozen=True)
class Cell:
    """One cell of a table."""

    runs: Inline
    """The cell's text, with emphasis (may be empty)."""
    colspan: int = 1
    """How many columns the cell spans (at least 1)."""


@dataclass(frozen=True)
class Table:
    """A table: optional caption, optional header row, body rows of cells.

    Every row (header included) spans the same number of columns once spans are counted."""

    rows: tuple[tuple[Cell, ...], ...]
    """The body rows, in order; never empty."""
    header: tuple[Cell, ...] = ()
    """The header row (repeated when the table splits); empty when the table has none."""
    caption: Inline = ()
    """The caption printed above the table; empty when it has none."""
    line: int = 0
    """Source line of the table."""

    @property
    def columns(self) -> int:
        """How many columns the table has."""
        return max(sum(cell.colspan for cell in row) for row in (self.header, *self.rows))


@dataclass(frozen=True)
class Figure:
    """A picture (PNG or JPEG) with the text that stands for it."""

    data: bytes = field(repr=False)
    """The encoded image, checked by the loader (format, size and pixel count)."""
    alt: str
    """What the picture shows, for readers who cannot see it; never empty."""
    format: str = "png"
    """``png`` or ``jpeg``."""
    width: int = 0
    """Width in pixels."""
    height: int = 0
    """Height in pixels."""
    caption: Inline = ()
    """The caption printed under the picture; empty when it has none."""
    source: str = ""
    """Where the picture came from (a path relative to the content, or ``data:``), for messages."""
    line: int = 0
    """Source line of the figure."""


NOTICE_KINDS = ("additional-monitoring", "statement")
"""``additional-monitoring``: the EU black-triangle statement (printed after a ▼); ``statement``: another
fixed statement set apart from the running text."""


@dataclass(frozen=True)
class Notice:
    """A fixed statement set apart from the running text."""

    runs: Inline
    """The statement, with emphasis."""
    kind: str = "statement"
    """One of :data:`NOTICE_KINDS`."""
    line: int = 0
    """Source line of the notice."""


@dataclass(frozen=True)
class Section:
    """A heading and what stands under it, possibly further sections."""

    heading: str
    """The heading text."""
    body: tuple[Block, ...] = ()
    """Paragraphs, lists, tables, figures, notices and sub-sections, in reading order (may be empty)."""
    warning: bool = False
    """Set apart as a boxed warning (the overdose section)."""
    line: int = 0
    """Source line of the heading."""


Block = Paragraph | BulletList | Table | Figure | Notice | Section


@dataclass(frozen=True)
class Metadata:
    """Facts about the leaflet rather than its text."""

    drug: str
    """The drug name, shown in the running header."""
    language: str
    """BCP 47 language tag of the content (``en``)."""
    revised: str | None
    """Revision date, ``YYYY-MM-DD``, printed in the footer; None when the source gives none."""
    version: str | None = None
    """Content version, free text."""
    source: str | None = None
    """Where the text came from, free text."""


@dataclass(frozen=True)
class Monograph:
    """A whole leaflet's content."""

    title: str
    """The title printed at the top of the first page."""
    meta: Metadata
    """Drug, language, revision date and provenance."""
    body: tuple[Block, ...]
    """Everything under the title, in reading order."""
    path: str = "<memory>"
    """The file this was read from, for messages."""
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    """Source line of each top-level field (``title``, ``drug``, ...), for messages."""
    source_text: str = field(default="", compare=False, repr=False)
    """The text of the source file, to point messages at an exact line and column."""


@dataclass(frozen=True)
class TextAt:
    """A piece of text of the monograph and the line it came from."""

    text: str
    line: int
    kind: str
    """``title``, ``meta``, ``heading``, ``paragraph``, ``item``, ``lead``, ``caption``, ``cell``, ``alt`` or
    ``notice``."""
    runs: Inline = ()


def iter_text(monograph: Monograph) -> Iterator[TextAt]:
    """Every piece of text of ``monograph`` in reading order, with its source line."""
    lines = monograph.lines
    yield TextAt(monograph.title, lines.get("title", 0), "title")
    for name in ("drug", "revised"):
        value = getattr(monograph.meta, name)
        if value is not None and value != monograph.title:
            yield TextAt(value, lines.get(name, 0), "meta")
    yield from _iter_blocks(monograph.body)


def _iter_blocks(blocks: tuple[Block, ...]) -> Iterator[TextAt]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield TextAt(plain(block.runs), block.line, "paragraph", block.runs)
        elif isinstance(block, BulletList):
            yield from _iter_list(block)
        elif isinstance(block, Table):
            yield from _iter_table(block)
        elif isinstance(block, Figure):
            yield TextAt(block.alt, block.line, "alt")
            if block.caption:
                yield TextAt(plain(block.caption), block.line, "caption", block.caption)
        elif isinstance(block, Notice):
            yield TextAt(plain(block.runs), block.line, "notice", block.runs)
        else:
            yield TextAt(block.heading, block.line, "heading")
            yield from _iter_blocks(block.body)


def _iter_list(block: BulletList) -> Iterator[TextAt]:
    if block.lead is not None:
        yield TextAt(plain(block.lead.runs), block.lead.line, "lead", block.lead.runs)
    for item in block.items:
        yield TextAt(plain(item.runs), item.line, "item", item.runs)
        if isinstance(item, ListItem) and item.sublist is not None:
            yield from _iter_list(item.sublist)


def _iter_table(table: Table) -> Iterator[TextAt]:
    if table.caption:
        yield TextAt(plain(table.caption), table.line, "caption", table.caption)
    for row in (table.header, *table.rows):
        for cell in row:
            if cell.runs:
                yield TextAt(plain(cell.runs), table.line, "cell", cell.runs)


def iter_sections(blocks: tuple[Block, ...], depth: int = 1) -> Iterator[tuple[int, Section]]:
    """Every section under ``blocks`` with its depth (1 for top level), depth first."""
    for block in blocks:
        if isinstance(block, Section):
            yield depth, block
            yield from iter_sections(block.body, depth + 1)
