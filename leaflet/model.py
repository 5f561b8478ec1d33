"""The content model: what a leaflet says, independent of how it is read or drawn.

A :class:`Monograph` is a title, metadata and a body of blocks; a block is a paragraph, a bullet
list or a (nested) section. Every block keeps the line it came from so that later stages can point
at the source. Frozen dataclasses, no I/O, no reportlab.
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
class BulletList:
    """A bulleted list, optionally introduced by a lead-in sentence kept with its first item."""

    items: tuple[Paragraph, ...]
    """The list items, in order; never empty."""
    lead: Paragraph | None = None
    """The sentence that introduces the list ("Baclofen is mainly prescribed for:")."""
    line: int = 0
    """Source line of the list."""


@dataclass(frozen=True)
class Section:
    """A heading and what stands under it, possibly further sections."""

    heading: str
    """The heading text."""
    body: tuple[Block, ...] = ()
    """Paragraphs, lists and sub-sections, in reading order (may be empty)."""
    warning: bool = False
    """Set apart as a boxed warning (the overdose section)."""
    line: int = 0
    """Source line of the heading."""


Block = Paragraph | BulletList | Section


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
    """``title``, ``meta``, ``heading``, ``paragraph``, ``item`` or ``lead``."""
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
            if block.lead is not None:
                yield TextAt(plain(block.lead.runs), block.lead.line, "lead", block.lead.runs)
            for item in block.items:
                yield TextAt(plain(item.runs), item.line, "item", item.runs)
        else:
            yield TextAt(block.heading, block.line, "heading")
            yield from _iter_blocks(block.body)


def iter_sections(blocks: tuple[Block, ...], depth: int = 1) -> Iterator[tuple[int, Section]]:
    """Every section under ``blocks`` with its depth (1 for top level), depth first."""
    for block in blocks:
        if isinstance(block, Section):
            yield depth, block
            yield from iter_sections(block.body, depth + 1)
