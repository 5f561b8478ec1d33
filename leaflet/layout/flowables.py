"""The flowables leaflet adds to platypus: placed paragraphs, headings with outline entries,
keep-with-next groups, and the warning box that splits with its frame on every part.

Each drawn piece reports where it landed through the canvas (see :mod:`leaflet.render`), which
is how the placement report is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable
from reportlab.platypus.paragraph import ParagraphStyle

from leaflet.layout.box_parts import fill_part
from leaflet.layout.labels import Labels
from leaflet.layout.line_reuse import LineReusingParagraph
from leaflet.layout.tagging import Node, tagged
from leaflet.text.paragraphs import plain_paragraph


@dataclass(frozen=True)
class BlockRef:
    """Which piece of content a flowable draws: its kind, source line and text."""

    kind: str
    """``title``, ``subtitle``, ``heading``, ``paragraph``, ``lead``, ``item``, ``warning``, ``cell``... (the
    structure type each is tagged with: :data:`leaflet.layout.tagging.ROLES`)."""
    line: int
    text: str
    level: int = 0
    """Section depth, for headings."""
    groups: tuple[Node, ...] = field(default=(), compare=False, repr=False)
    """The structure elements around this block's own (a list and its item, a table's rows: see
    :mod:`leaflet.layout.tagging`)."""
    node: Node | None = field(default=None, compare=False, repr=False)
    """This block's own element when it is declared ahead (an item's LBody, a table cell)."""
    alt: str | None = field(default=None, compare=False, repr=False)
    """A figure's alternative text."""


def report_placement(canv: Any, block: BlockRef | None, x: float, y: float, width: float, height: float) -> None:
    """Tell the canvas (if it listens) that ``block`` was drawn in this rectangle."""
    record = getattr(canv, "record_placement", None)
    if record is not None and block is not None:
        record(block, x, y, width, height)


class PlacedParagraph(LineReusingParagraph):
    """A paragraph that knows which block it draws and reports where it lands (its continuations reuse
    the lines already made: :mod:`leaflet.layout.line_reuse`)."""

    block: BlockRef | None = None
    keep_with_next = False

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        for part in parts:
            part.block = self.block
        return parts

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        with tagged(canvas, self.block, flowable=self, label=bool(getattr(self, "bulletText", None))):
            super().drawOn(canvas, x, y, _sW)
        report_placement(canvas, self.block, x, y, self.width, self.height)


class Outlined:
    """What makes a paragraph flowable a heading: kept with what follows, and an entry in the PDF outline
    (its first part only, when a heading is split). Mixed into reportlab's and the shaped paragraphs."""

    keep_with_next = True
    outline_key: str | None = None

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)  # type: ignore[misc]
        for part in parts[1:]:
            part.outline_key = None
        return parts

    def draw(self) -> None:
        super().draw()  # type: ignore[misc]
        add_outline_entry(self)


class HeadingParagraph(Outlined, PlacedParagraph):
    """A heading set by reportlab's paragraph."""


def add_outline_entry(heading: Any) -> None:
    """Bookmark the top of ``heading`` (drawing now) and enter it in the PDF outline, once (its first part)."""
    if heading.outline_key is not None and heading.block is not None:
        top = heading.height + heading.getSpaceBefore()
        heading.canv.bookmarkPage(heading.outline_key, fit="XYZ", left=0, top=heading.canv.absolutePosition(0, top)[1])
        heading.canv.addOutlineEntry(
            heading.block.text, heading.outline_key, level=heading.block.level - 1, closed=False
        )


class KeepWithNext(Flowable):
    """``first`` (a heading or lead-in) glued to the start of ``rest``.

    Never leaves ``first`` as the last thing in a column: when the pair does not fit, ``rest`` is
    split so that at least its first lines stay with ``first``, or the pair moves on whole.
    """

    def __init__(self, first: Flowable, rest: Flowable) -> None:
        super().__init__()
        self.first = first
        self.rest = rest
        self.keep_with_next = getattr(rest, "keep_with_next", False)

    def _gap(self) -> float:
        return float(self.first.getSpaceAfter() + self.rest.getSpaceBefore())

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, self._first_height = self.first.wrap(availWidth, availHeight)
        _, rest_height = self.rest.wrap(availWidth, availHeight)
        self.width = availWidth
        self.height = self._first_height + self._gap() + rest_height
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        return float(self.first.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.rest.getSpaceAfter())

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        _, first_height = self.first.wrap(availWidth, availHeight)
        room = availHeight - first_height - self._gap()
        frame = getattr(self, "_frame", None)
        if room <= 0:
            if frame is not None and frame._atTop:  # a heading taller than a column: let it break
                pieces = self.first.split(availWidth, availHeight)
                return [*pieces, self.rest] if pieces else []
            return []
        self.rest._frame = frame  # lets a warning box inside know whether the group starts the column
        try:
            parts = self.rest.split(availWidth, room)
        finally:
            del self.rest._frame
        if not parts:
            if frame is not None and frame._atTop:  # even an empty column cannot hold both: place them apart
                return [self.first, self.rest]
            return []
        return [self.first, *parts]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        top = y + self.height
        self.first.drawOn(canvas, x, top - self._first_height)
        self.rest.drawOn(canvas, x, y)

    def identity(self, maxLen: int | None = None) -> str:
        return f"KeepWithNext({self.first.identity(maxLen)})"


def bind_keep_with_next(flowables: list[Flowable]) -> list[Flowable]:
    """Glue every heading and lead-in to the flowable after it (chains nest)."""
    bound: list[Flowable] = []
    for flowable in reversed(flowables):
        if getattr(flowable, "keep_with_next", False) and bound:
            bound[-1] = KeepWithNext(flowable, bound[-1])
        else:
            bound.append(flowable)
    bound.reverse()
    return bound


@dataclass(frozen=True)
class BoxStyle:
    """How a warning box looks."""

    padding: float
    frame_width: float
    frame_colour: str
    fill_colour: str
    icon_colour: str
    icon_size: float
    continued_style: ParagraphStyle
    continued_heading_style: ParagraphStyle
    column_height: float
    """Height of an empty text column: a box that fits is never split."""
    columns: int
    """Text columns on a page."""
    labels: Labels
    """The words of the "continued" notes."""
    rtl: bool = False
    """A right-to-left leaflet: the warning sign stands on the right, the notes are set from the right."""


def note_paragraph(text: str, style: ParagraphStyle, *, rtl: bool) -> Flowable:
    """A line of leaflet's own words (a "continued" note): shaped when its script or direction needs it."""
    from leaflet.text.scripts import needs_shaping

    if not rtl and not needs_shaping(text):
        return plain_paragraph(PlacedParagraph, text, style)
    from leaflet.layout.shaped_paragraph import ShapedParagraph, plain_shaped

    return plain_shaped(ShapedParagraph, text, style, None, rtl=rtl)


MIN_SPLIT_SHARE = 0.25
"""A box taller than a column starts where it is only if a quarter of a column is left there."""


class WarningBox(Flowable):
    """A framed, tinted box around a warning section, with a warning sign beside its heading.

    Kept whole when it fits in a column; a box taller than a column splits, and every part
    has its frame, with "Continued in the next column / on the next page" at the foot of a part
    and "Continued: <heading>" at the head of the next (a prefix, so that the repeated line never
    reads as the heading itself).
    """

    def __init__(
        self,
        content: list[Flowable],
        style: BoxStyle,
        *,
        heading: str,
        block: BlockRef,
        continued: bool = False,
        continues: str | None = None,
    ) -> None:
        super().__init__()
        self.content = content
        self.style = style
        self.heading = heading
        self.block = block
        self.continued = continued
        self.continues = continues
        self.continued_mark = note_paragraph(continues, style.continued_style, rtl=style.rtl) if continues else None

    def _inner_width(self, width: float) -> float:
        return width - 2 * (self.style.padding + self.style.frame_width)

    def _stack(self, width: float) -> float:
        items = self.content + ([self.continued_mark] if self.continued_mark else [])
        height = 0.0
        for index, flowable in enumerate(items):
            height += flowable.wrap(width, 1e6)[1]
            if index:
                height += items[index - 1].getSpaceAfter() + flowable.getSpaceBefore()
        return height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = self._stack(self._inner_width(availWidth)) + 2 * (self.style.padding + self.style.frame_width)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        at_top = frame is not None and bool(frame._atTop)
        self.wrap(availWidth, availHeight)
        if not at_top and (
            self.height <= self.style.column_height  # fits a column: move it on whole rather than split it
            or self.continued  # the rest of a split box starts at the top of the next column
            or availHeight < MIN_SPLIT_SHARE * self.style.column_height  # too little room to start here
        ):
            return []
        inner = self._inner_width(availWidth)
        inset = self.style.padding + self.style.frame_width
        note = self._continued_note(frame)
        mark = note_paragraph(note, self.style.continued_style, rtl=self.style.rtl)
        last_gap = max((flowable.getSpaceAfter() for flowable in self.content), default=0)
        room = availHeight - 2 * inset - mark.wrap(inner, 1e6)[1] - mark.getSpaceBefore() - last_gap
        taken, remaining = fill_part(self.content, inner, room, may_split=at_top)
        if not taken or not remaining:
            return []
        head = WarningBox(
            taken, self.style, heading=self.heading, block=self.block, continued=self.continued, continues=note
        )
        if head.wrap(availWidth, availHeight)[1] > availHeight:
            return []
        again = note_paragraph(
            self.style.labels.continued.format(heading=_short(self.heading)),
            self.style.continued_heading_style,
            rtl=self.style.rtl,
        )
        again.block = BlockRef("continued-heading", self.block.line, self.heading)
        tail = WarningBox(
            [KeepWithNext(again, remaining[0]), *remaining[1:]],
            self.style,
            heading=self.heading,
            block=self.block,
            continued=True,
        )
        return [head, tail]

    def _continued_note(self, frame: Any) -> str:
        """Where the rest of the box is: the next column on this page, or the next page."""
        frame_id = str(getattr(frame, "id", ""))
        if frame_id.startswith("column") and int(frame_id[6:] or 0) < self.style.columns:
            return self.style.labels.next_column
        return self.style.labels.next_page

    def draw(self) -> None:
        canvas = self.canv
        style = self.style
        half = style.frame_width / 2
        canvas.saveState()
        canvas.setFillColor(HexColor(style.fill_colour))
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        # The frame is four strokes, not one rectangle, so each side stays a plain line to PDF readers.
        canvas.setStrokeColor(HexColor(style.frame_colour))
        canvas.setLineWidth(style.frame_width)
        canvas.setLineCap(2)
        left, bottom, right, top = half, half, self.width - half, self.height - half
        for x1, y1, x2, y2 in (
            (left, bottom, right, bottom),
            (right, bottom, right, top),
            (right, top, left, top),
            (left, top, left, bottom),
        ):
            canvas.line(x1, y1, x2, y2)
        canvas.restoreState()
        inset = style.padding + style.frame_width
        inner = self._inner_width(self.width)
        items = self.content + ([self.continued_mark] if self.continued_mark else [])
        y = self.height - inset
        for index, flowable in enumerate(items):
            if index:
                y -= items[index - 1].getSpaceAfter() + flowable.getSpaceBefore()
            _, height = flowable.wrap(inner, 1e6)
            y -= height
            if index == 0:
                self._draw_icon(self.width - inset - style.icon_size if style.rtl else inset, y + height)
            flowable.drawOn(canvas, inset, y)

    def _draw_icon(self, x: float, top: float) -> None:
        """A warning triangle with '!' beside the first line (the heading): before it, left or right."""
        size = self.style.icon_size
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(HexColor(self.style.icon_colour))
        path = canvas.beginPath()
        bottom = top - size * 1.02
        path.moveTo(x, bottom)
        path.lineTo(x + size, bottom)
        path.lineTo(x + size / 2, bottom + size * 0.9)
        path.close()
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.setFillColor(HexColor(self.style.fill_colour))
        bar = size * 0.11
        canvas.rect(x + size / 2 - bar / 2, bottom + size * 0.3, bar, size * 0.36, stroke=0, fill=1)
        canvas.rect(x + size / 2 - bar / 2, bottom + size * 0.1, bar, bar * 1.1, stroke=0, fill=1)
        canvas.restoreState()

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        with tagged(canvas, self.block):
            super().drawOn(canvas, x, y, _sW)
        part = BlockRef("warning-box", self.block.line, self.heading)
        report_placement(canvas, part, x, y, self.width, self.height)


CONTINUED_HEADING_CHARS = 60
"""A repeated heading is cut to this length, so that a part always has room for content."""


def _short(heading: str) -> str:
    """``heading``, cut at a word with an ellipsis if longer than :data:`CONTINUED_HEADING_CHARS`."""
    if len(heading) <= CONTINUED_HEADING_CHARS:
        return heading
    cut = heading[:CONTINUED_HEADING_CHARS].rsplit(" ", 1)[0] or heading[:CONTINUED_HEADING_CHARS]
    return cut.rstrip(" ,;:") + "\u2026"
