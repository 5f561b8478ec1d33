"""Group the classified lines of a plain-text monograph into sections, lists, tables and notices.

Consumes :class:`~leaflet.loaders.text_lines.TextLine` s; returns the body's blocks. Plain text has no
levels, so each heading is given one:

* in an EU leaflet, the numbered QRD sections and the contents list are the top level, whatever their length;
  the headings under a section are its sub-sections; a sub-heading directly followed by another heading
  ("Pregnancy and breast-feeding", then "Pregnancy") holds the headings after it until one of the template's
  own sub-headings ("Driving and using machines") or the next numbered section;
* otherwise, the seed's rule: a heading directly followed by another heading opens a group, and the headings
  after it are its sub-sections until the next such heading.

A section whose heading names an overdose (:data:`~leaflet.loaders.language.OVERDOSE`) is the boxed warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from leaflet.loaders import qrd
from leaflet.loaders.language import OVERDOSE
from leaflet.loaders.qrd import is_contact_line
from leaflet.loaders.text_lines import CELL_SEPARATOR, TextLine
from leaflet.model import Block, BulletList, Cell, Notice, Paragraph, Run, Section, Table

_HEADINGS = ("heading", "qrd", "contents")


@dataclass
class _OpenSection:
    heading: str
    line: int
    level: int
    contents: bool = False
    body: list[Block | _OpenSection] = field(default_factory=list)

    def close(self, inside_warning: bool = False) -> Section:
        warning = bool(OVERDOSE.search(self.heading)) and not inside_warning
        body = tuple(
            block.close(inside_warning or warning) if isinstance(block, _OpenSection) else block for block in self.body
        )
        return Section(heading=self.heading, body=body, warning=warning, line=self.line)


def build_body(lines: list[TextLine], *, eu_leaflet: bool) -> tuple[Block, ...]:
    """The body's blocks from ``lines`` (see the module docstring)."""
    builder = _Builder(_levels(lines, eu_leaflet))
    return builder.build(lines)


def _levels(lines: list[TextLine], eu_leaflet: bool) -> dict[int, int]:
    """The level (1 = top) of each heading, by its index in ``lines``."""
    levels: dict[int, int] = {}
    group_open = False
    last_section = 0
    for index, line in enumerate(lines):
        if line.kind not in _HEADINGS:
            continue
        following = lines[index + 1] if index + 1 < len(lines) else None
        opens_group = following is not None and following.kind == "heading"
        if line.kind == "contents" or (line.kind == "qrd" and line.ordinal > last_section):
            levels[index], group_open = 1, False
            last_section = max(last_section, line.ordinal)
        elif line.kind == "qrd":
            levels[index], group_open = 2, False  # "3. How to use X" repeating "3. How to take X"
        elif not eu_leaflet:
            levels[index] = 1 if opens_group or not group_open else 2
            group_open = opens_group or group_open
        elif opens_group or not group_open or qrd.SUBHEADING.match(line.text) or qrd.HOLDER.match(line.text):
            levels[index], group_open = 2, opens_group
        else:
            levels[index] = 3
    return levels


class _Builder:
    """Walks the lines once, keeping the stack of open sections."""

    def __init__(self, levels: dict[int, int]) -> None:
        self.levels = levels
        self.preamble: list[Block | _OpenSection] = []
        self.stack: list[_OpenSection] = []

    def build(self, lines: list[TextLine]) -> tuple[Block, ...]:
        index = 0
        while index < len(lines):
            line = lines[index]
            if index in self.levels:
                self.open_section(line, self.levels[index])
                index += 1
            elif line.kind in ("item", "step"):
                index = self.add_list(lines, index, lead=None)
            elif line.kind == "row":
                index = self.add_table(lines, index)
            elif line.kind == "notice":
                self.target().append(Notice((Run(line.text),), kind="additional-monitoring", line=line.number))
                index += 1
            elif _leads(line) and index + 1 < len(lines) and lines[index + 1].kind in ("item", "step"):
                index = self.add_list(lines, index + 1, lead=line)
            else:
                self.target().append(_paragraph(line))
                index += 1
        return tuple(block.close() if isinstance(block, _OpenSection) else block for block in self.preamble)

    def open_section(self, line: TextLine, level: int) -> None:
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        heading = line.source or line.text
        section = _OpenSection(heading, line.number, level, contents=line.kind == "contents")
        self.target().append(section)
        self.stack.append(section)

    def target(self) -> list[Block | _OpenSection]:
        return self.stack[-1].body if self.stack else self.preamble

    def add_list(self, lines: list[TextLine], index: int, lead: TextLine | None) -> int:
        kind = lines[index].kind
        start = index
        while index < len(lines) and lines[index].kind == kind and _continues(lines, start, index):
            index += 1
        run = lines[start:index]
        items = tuple(Paragraph((Run(item.text),), item.number) for item in run)
        in_contents = bool(self.stack) and self.stack[-1].contents
        in_contents = in_contents and not any(isinstance(block, BulletList) for block in self.stack[-1].body)
        ordered = kind == "step" or in_contents  # the QRD contents list is numbered 1 to 6
        first = run[0].ordinal if kind == "step" else 1
        lead_paragraph = _paragraph(lead) if lead else None
        line = lead.number if lead else items[0].line
        self.target().append(BulletList(items, lead=lead_paragraph, line=line, ordered=ordered, start=first))
        return index

    def add_table(self, lines: list[TextLine], index: int) -> int:
        start = index
        rows: list[tuple[Cell, ...]] = []
        while index < len(lines) and _table_row(lines, index):
            cells = lines[index].text.split(CELL_SEPARATOR)
            rows.append(tuple(Cell((Run(cell.strip()),) if cell.strip() else ()) for cell in cells))
            index += 1
        columns = max(len(row) for row in rows)
        padded = tuple(row + (Cell(()),) * (columns - len(row)) for row in rows)
        self.target().append(Table(rows=padded, line=lines[start].number))
        return index


def _leads(line: TextLine) -> bool:
    return line.kind == "lead" or (line.kind == "paragraph" and line.text.endswith(":"))


def _continues(lines: list[TextLine], start: int, index: int) -> bool:
    """Whether ``lines[index]`` continues the list begun at ``start`` (steps must count up by one)."""
    if index == start or lines[index].kind != "step":
        return True
    return lines[index].ordinal == lines[index - 1].ordinal + 1


def _table_row(lines: list[TextLine], index: int) -> bool:
    """A ``|`` row, or a representative's line between two rows (a country with one firm in a two-column list)."""
    line = lines[index]
    if line.kind == "row":
        return True
    inside = 0 < index < len(lines) - 1 and lines[index - 1].kind == "row" and lines[index + 1].kind == "row"
    return inside and line.kind == "paragraph" and is_contact_line(line.text)


def _paragraph(line: TextLine) -> Paragraph:
    return Paragraph((Run(line.source or line.text),), line.number)
