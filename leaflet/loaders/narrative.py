"""Read the narrative markup of ePI (XHTML) and SPL (HL7 v3 ``<text>``) into flat content blocks.

Consumes a :class:`~leaflet.loaders.xml_safe.Node` (a section's ``div`` or ``text``) and a
:class:`Dialect` naming the format's tags; returns paragraphs, lists (bulleted or numbered, nested),
tables, figures and :class:`HeadingMark` s in reading order, without sections: the headings are
placed into sections by :mod:`leaflet.loaders.outline`. What cannot be printed is dropped and counted
in a :class:`Tally` (inline styles, empty paragraphs, template leftovers, unknown elements, pictures
that cannot be placed), so that the importer reports it in one warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from leaflet.loaders.dialects import Dialect
from leaflet.loaders.source_text import normalized
from leaflet.loaders.xml_safe import Node
from leaflet.model import Block, BulletList, Figure, ListItem, Paragraph, Run

_SPACE = re.compile(r"[ \t\n\r\f\v]+|[ \u00a0]{2,}")
"""Layout white space; a run of no-break spaces (indentation typed in a word processor) counts too."""
_BLANK = " \t\n\r\f\v\u00a0\u200b\u2007\u202f\ufeff"
_LEFTOVER = re.compile(r"^(?:X{4,}|[.\s]*)$")
"""Text that is a template's placeholder (``XXXXXXXXXXXX``) or nothing but dots and spaces."""
CAPTION = re.compile(
    r"^(?:fig(?:ure|\.)?|figura|abbildung|abb\.|afbeelding|rysunek|kuva|bild|obrázek|image)\s*\S{1,4}$", re.IGNORECASE
)
"""A figure's caption line ("Figure A", "Fig. 2"): never a heading; it goes under its picture."""
_SUPERSCRIPT = str.maketrans("0123456789+-−", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻")
_SUBSCRIPT = str.maketrans("0123456789+-−", "₀₁₂₃₄₅₆₇₈₉₊₋₋")


@dataclass(frozen=True)
class HeadingMark:
    """A heading found in running markup (``<h3>``, or a short paragraph set all in bold)."""

    text: str
    line: int
    level: int = 0
    """1-6 for ``<h1>``..``<h6>``; 0 for a bold paragraph acting as a heading."""
    runs: tuple[Run, ...] = ()
    """The paragraph it came from, to fall back on when the outline decides it is not a heading."""


Flat = Block | HeadingMark


@dataclass
class Tally:
    """What was dropped or could not be placed, counted for one warning."""

    styles: int = 0
    leftovers: int = 0
    unknown: dict[str, int] = field(default_factory=dict)
    missing_pictures: list[str] = field(default_factory=list)
    """Pictures that could not be placed: where each one came from, and why."""


PictureReader = Callable[[Node, str], Figure | None]
"""Reads a picture element into a figure (given the text of the figure's neighbourhood for its alt text),
or returns None after noting in the tally why it cannot be placed."""


class NarrativeReader:
    """Turns narrative markup into flat blocks; one reader per document (it keeps the tally)."""

    def __init__(self, dialect: Dialect, pictures: PictureReader, tally: Tally) -> None:
        self.dialect, self.pictures, self.tally = dialect, pictures, tally

    def read(self, node: Node) -> list[Flat]:
        """The blocks of the container ``node``, in reading order."""
        flow = _Flow(self)
        flow.container(node)
        return flow.finish()

    def inline_runs(self, node: Node) -> tuple[Run, ...]:
        """The text of ``node`` as styled runs, blocks inside it joined by spaces, pictures dropped."""
        flow = _Flow(self, flatten=True)
        flow.inline(node, False, False)
        return _tidy(flow.runs)


class _Flow:
    """Accumulates the runs of the paragraph being read and the blocks already complete."""

    def __init__(self, reader: NarrativeReader, *, flatten: bool = False) -> None:
        self.reader, self.dialect, self.flatten = reader, reader.dialect, flatten
        self.blocks: list[Flat] = []
        self.runs: list[Run] = []
        self.line = 0
        self.pending: list[Figure] = []
        """Pictures met inside the paragraph being read, placed after it."""

    def finish(self) -> list[Flat]:
        self.flush()
        return self.blocks

    def flush(self) -> None:
        runs = _tidy(self.runs)
        if runs:
            self.blocks.append(Paragraph(runs, self.line))
        elif _plain(self.runs).strip(" \t\n\r"):  # a no-break space, a placeholder: not layout white space
            self.reader.tally.leftovers += 1
        self.runs = []
        self.blocks.extend(self.pending)
        self.pending = []

    def container(self, node: Node) -> None:
        children = node.children
        for index, child in enumerate(children):
            if isinstance(child, str):
                self.text(child, False, False, node.line)
            elif self._stands_alone(children, index):
                self.flush()
                self.inline(child, False, False)
                self.flush()
            else:
                self.element(child, False, False)

    def _stands_alone(self, children: list[Node | str], index: int) -> bool:
        """A bold element directly in a container, with only space or blocks beside it: a line of its own
        (ePI's ``<b>Pregnancy</b> <b>Breast-feeding</b>`` are two sub-headings, not one sentence)."""
        child = children[index]
        if not isinstance(child, Node) or not (child.tag in self.dialect.bold or self.dialect.style_of(child)[0]):
            return False
        return all(
            not isinstance(near, str) or not near.strip(_BLANK)
            for near in (children[index - 1] if index else "", children[index + 1] if index + 1 < len(children) else "")
        )

    def element(self, node: Node, bold: bool, italic: bool) -> None:
        dialect, tag = self.dialect, node.tag
        if "style" in node.attrs:
            self.reader.tally.styles += 1
        if tag in dialect.paragraphs or tag in dialect.containers or tag in dialect.headings:
            self.block(node, bold, italic)
        elif tag in dialect.lists:
            self.flush_or_join()
            if not self.flatten:
                self.list(node)
            else:
                self.inline(node, bold, italic)
        elif tag == "table":
            self.flush_or_join()
            if self.flatten:
                self.inline(node, bold, italic)
            else:
                self.blocks.extend(read_table(self.reader, node))
        elif tag == dialect.picture:
            self.picture(node)
        else:
            self.note_unknown(node)
            self.inline(node, bold, italic)

    def flush_or_join(self) -> None:
        if self.flatten:
            self.runs.append(Run(" "))
        else:
            self.flush()

    def block(self, node: Node, bold: bool, italic: bool) -> None:
        if self.flatten:
            self.runs.append(Run(" "))
            self.inline(node, bold, italic)
            self.runs.append(Run(" "))
            return
        self.flush()
        self.line = node.line
        if node.tag in self.dialect.headings:
            runs = self.reader.inline_runs(node)
            if runs:
                self.blocks.append(HeadingMark(_plain(runs), node.line, int(node.tag[1]), runs))
            return
        self.inline(node, bold, italic) if node.tag in self.dialect.paragraphs else self.container(node)
        self.flush()

    def inline(self, node: Node, bold: bool, italic: bool) -> None:
        """The content of ``node`` in the current paragraph, in ``bold``/``italic`` or the node's own style."""
        dialect = self.dialect
        own_bold, own_italic = dialect.style_of(node)
        bold = bold or own_bold or node.tag in dialect.bold
        italic = italic or own_italic or node.tag in dialect.italic
        if not self.runs and not self.line:
            self.line = node.line
        for child in node.children:
            if isinstance(child, str):
                self.text(child, bold, italic, node.line, script=node.tag)
            elif child.tag == "br":
                self.runs.append(Run(" "))
            elif child.tag in ("sup", "sub"):
                self.inline_script(child, bold, italic)
            elif child.tag in dialect.lists | dialect.containers or child.tag in ("table", dialect.picture):
                self.element(child, bold, italic)
            elif child.tag in dialect.paragraphs or child.tag in dialect.headings:
                self.block(child, bold, italic)
            else:
                self.note_unknown(child)
                self.inline(child, bold, italic)

    def inline_script(self, node: Node, bold: bool, italic: bool) -> None:
        """Superscript and subscript digits become the Unicode characters (10⁹/L must not read 109/L)."""
        text = _SPACE.sub(" ", node.text())
        table = _SUPERSCRIPT if node.tag == "sup" else _SUBSCRIPT
        if text.strip() and all(char in "0123456789+-−" for char in text.strip()):
            text = text.strip().translate(table)
        self.text(text, bold, italic, node.line)

    def note_unknown(self, node: Node) -> None:
        known = self.dialect.bold | self.dialect.italic | self.dialect.transparent
        if node.tag not in known:
            self.reader.tally.unknown[node.tag] = self.reader.tally.unknown.get(node.tag, 0) + 1
        if "style" in node.attrs:
            self.reader.tally.styles += 1

    def text(self, text: str, bold: bool, italic: bool, line: int, script: str = "") -> None:
        if not text:
            return
        if not self.runs and not self.line:
            self.line = line
        self.runs.append(Run(normalized(_SPACE.sub(" ", text)), bold=bold, italic=italic and not bold))

    def picture(self, node: Node) -> None:
        figure = self.reader.pictures(node, _plain(_tidy(self.runs)))
        if figure is None:
            return
        if self.flatten:
            self.reader.tally.missing_pictures.append(f"line {node.line}: inside a table cell")
        elif _plain(_tidy(self.runs)):
            self.pending.append(figure)  # after the paragraph's text: a small icon inside a sentence
        else:
            self.blocks.append(figure)

    def list(self, node: Node) -> None:
        self.blocks.extend(read_list(self.reader, node))

    def inline_child(self, node: Node) -> None:
        """One inline element of an item, read in the item's paragraph."""
        self.inline(Node("#item", children=[node], line=node.line), False, False)


def read_list(reader: NarrativeReader, node: Node) -> list[Flat]:
    """A list element as a :class:`BulletList`, and the blocks that cannot stay inside an item (tables,
    pictures) placed between the parts of the list they split."""
    out: list[Flat] = []
    items: list[Paragraph] = []
    ordered = reader.dialect.ordered(node)
    start = int(node.attrs["start"]) if node.attrs.get("start", "").isdigit() else 1

    def close() -> None:
        nonlocal start
        if items:
            out.append(BulletList(tuple(items), line=items[0].line or node.line, ordered=ordered, start=start))
            start += len(items)
            items.clear()

    for child in node.elements():
        if child.tag != reader.dialect.item:
            if child.tag in reader.dialect.lists:  # a list directly in a list: its items join the previous one
                _attach_sublist(items, read_list(reader, child), child.line)
            continue
        item, extra = _read_item(reader, child)
        if item is not None:
            if not item.runs and isinstance(item, ListItem) and item.sublist is not None:
                _attach_sublist(items, [item.sublist], child.line)
            elif item.runs:
                items.append(item)
        if extra:
            close()
            out.extend(extra)
    close()
    return out


def _attach_sublist(items: list[Paragraph], blocks: list[Flat], line: int) -> None:
    """Nest a list that has no item text of its own under the previous item (or make its items items)."""
    sub = [block for block in blocks if isinstance(block, BulletList)]
    if not sub:
        return
    merged = BulletList(tuple(item for block in sub for item in block.items), line=line, ordered=sub[0].ordered)
    if items and not (isinstance(items[-1], ListItem) and items[-1].sublist is not None):
        items[-1] = ListItem(items[-1].runs, items[-1].line, sublist=merged)
    else:
        items.extend(merged.items)


def _read_item(reader: NarrativeReader, node: Node) -> tuple[Paragraph | None, list[Flat]]:
    """An item's text (paragraphs inside it joined), its nested list, and blocks that must leave the list."""
    flow = _Flow(reader)
    flow.line = node.line
    sublists: list[BulletList] = []
    extra: list[Flat] = []
    elements = node.elements()
    for child in node.children:
        if isinstance(child, str):
            flow.text(child, False, False, node.line)
        elif child.tag in reader.dialect.lists:
            for block in read_list(reader, child):
                (sublists if isinstance(block, BulletList) else extra).append(block)  # type: ignore[arg-type]
        elif child.tag == "table":
            extra.extend(read_table(reader, child))
        else:
            _item_child(reader, flow, child, elements, extra)
    runs = _tidy(flow.runs)
    extra = [*flow.pending, *extra]
    sublist = None
    if sublists:
        merged = tuple(item for sub in sublists for item in sub.items)
        sublist = BulletList(merged, line=sublists[0].line, ordered=sublists[0].ordered)
    if sublist is None:
        return (Paragraph(runs, node.line) if runs else None), extra
    return ListItem(runs, node.line, sublist=sublist), extra


def _item_child(reader: NarrativeReader, flow: _Flow, child: Node, elements: list[Node], extra: list[Flat]) -> None:
    """A paragraph or inline element of an item joins its text; a picture (and the caption line just
    before it) leaves the list, placed right after the item."""
    if _captions_next(reader, child, elements):
        extra.append(Paragraph(reader.inline_runs(child), child.line))
    elif child.tag in reader.dialect.paragraphs | reader.dialect.containers:
        flow.runs.append(Run(" "))
        flow.inline(child, False, False)
        flow.runs.append(Run(" "))
    elif child.tag == reader.dialect.picture:
        figure = reader.pictures(child, "")
        extra.extend([figure] if figure is not None else [])
    else:
        flow.inline_child(child)


def _captions_next(reader: NarrativeReader, child: Node, elements: list[Node]) -> bool:
    """``child`` is a caption line ("Figure D") right before a picture, both inside a list item."""
    index = elements.index(child)
    following = elements[index + 1] if index + 1 < len(elements) else None
    return (
        following is not None
        and following.tag == reader.dialect.picture
        and child.tag in reader.dialect.paragraphs
        and bool(CAPTION.match(" ".join(child.text().split())))
    )


def read_table(reader: NarrativeReader, node: Node) -> list[Flat]:
    """A table element as a :class:`Table`; a layout table (pictures or lists in its cells, as an
    instructions-for-use page is often set) is read cell by cell as ordinary blocks instead."""
    from leaflet.loaders.tables import read_table as read

    return read(reader, node)


def _tidy(runs: list[Run]) -> tuple[Run, ...]:
    """``runs`` with white space collapsed across them and trimmed, neighbours of one style merged."""
    merged: list[Run] = []
    for run in runs:
        text = run.text
        if not merged or merged[-1].text.endswith(" "):
            text = text.lstrip(" ")
        if not text:
            continue
        style = (run.bold, run.italic)
        if not text.strip():  # a space takes the style of what it follows
            style = (merged[-1].bold, merged[-1].italic) if merged else (False, False)
        if merged and (merged[-1].bold, merged[-1].italic) == style:
            merged[-1] = Run(merged[-1].text + text, *style)
        else:
            merged.append(Run(text, *style))
    if merged:
        merged[-1] = Run(merged[-1].text.rstrip(" "), merged[-1].bold, merged[-1].italic)
    kept = tuple(run for run in merged if run.text)
    if not _plain(kept).strip(_BLANK) or _LEFTOVER.match(_plain(kept)):
        return ()
    return kept


def _plain(runs: tuple[Run, ...] | list[Run]) -> str:
    return "".join(run.text for run in runs)


def plain(runs: tuple[Run, ...]) -> str:
    """The characters of ``runs``."""
    return _plain(runs)
