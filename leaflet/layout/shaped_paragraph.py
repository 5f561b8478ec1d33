"""Paragraphs in Arabic, Urdu, Persian, Hebrew, Devanagari and Bengali: shaped, bidirectional, split by lines.

reportlab's ``Paragraph`` draws characters, not shaped glyphs, and left to right. A paragraph whose text
needs shaping or the bidi algorithm (:func:`leaflet.text.scripts.needs_shaping`) is this flowable
instead: its text is shaped once (:mod:`leaflet.text.shaping`), broken into lines once per width (a part
that goes on in the next column keeps the lines already made, as :mod:`.line_reuse` does for reportlab's
paragraphs), and each line is drawn in visual order with its logical text as ``/ActualText``. A
right-to-left paragraph is set from the right: its lines end at the right edge, and its bullet and
indent stand on the right.
"""

from __future__ import annotations

import copy
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.platypus import Flowable
from reportlab.platypus.paragraph import ParagraphStyle

from leaflet.layout.flowables import BlockRef, Outlined, report_placement
from leaflet.layout.tagging import tagged
from leaflet.model import Inline, Run
from leaflet.text.fonts import FontFamily
from leaflet.text.glyph_draw import draw_glyphs
from leaflet.text.paragraphs import text_frags
from leaflet.text.shaping import ShapedText, shape


class ShapedParagraph(Flowable):
    """Characters ``start:end`` of a shaped paragraph, drawn in ``style`` (font size, leading, indents,
    spaces before and after, colour); ``bullet`` is drawn beside the first line."""

    block: BlockRef | None = None
    keep_with_next = False

    def __init__(self, shaped: ShapedText, style: ParagraphStyle, *, bullet: str | None = None) -> None:
        super().__init__()
        self.shaped = shaped
        self.style = style
        self.bulletText = bullet
        self.start, self.end = 0, len(shaped.text)

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    def _text_width(self, width: float) -> float:
        return float(width - self.style.leftIndent - self.style.rightIndent)

    def lines_at(self, width: float) -> list[tuple[int, int]]:
        """This part's lines when set ``width`` wide (made once per width, for the whole paragraph)."""
        lines = self.shaped.lines(self._text_width(width), self.start)
        return [(start, min(end, self.end)) for start, end in lines if start < self.end]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = len(self.lines_at(availWidth)) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """reportlab's rules (no lone first or last line where the style forbids orphans and widows), on
        the lines already made."""
        lines = self.lines_at(availWidth)
        taken, total = int(availHeight / self.style.leading + 1e-9), len(lines)
        orphans, widows = getattr(self.style, "allowOrphans", 0), getattr(self.style, "allowWidows", 1)
        if (not orphans and taken <= 1) or taken == 0:
            return []
        if total <= taken:
            return [self]
        if not widows and total == taken + 1:
            if not ((orphans and total == 3) or total > 3):
                return []
            taken -= 1
        cut = lines[taken][0]
        return [self._part(self.start, cut, self.bulletText), self._part(cut, self.end, None)]

    def _part(self, start: int, end: int, bullet: str | None) -> ShapedParagraph:
        part = copy.copy(self)
        part.start, part.end, part.bulletText = start, end, bullet
        return part

    def draw(self) -> None:
        canvas, style, shaped = self.canv, self.style, self.shaped
        canvas.saveState()
        canvas.setFillColor(style.textColor)
        y = self.height - style.fontSize
        right = shaped.rtl or style.alignment == TA_RIGHT  # a table cell of a right-to-left leaflet
        if self.bulletText:  # first: a tagged list item's Lbl is the first text drawn
            self._draw_bullet(y)
        for start, end in self.lines_at(self.width):
            x = self.width - style.leftIndent - shaped.width(start, end) if right else style.leftIndent
            draw_glyphs(canvas, x, y, shaped, start, end)
            y -= style.leading
        canvas.restoreState()

    def _draw_bullet(self, baseline: float) -> None:
        """The bullet in the indent: on the left of a left-to-right item, on the right of a right-to-left one."""
        style, canvas = self.style, self.canv
        canvas.setFont(style.bulletFontName, style.bulletFontSize)
        if self.shaped.rtl:
            canvas.drawRightString(self.width - style.bulletIndent, baseline, self.bulletText)
        else:
            canvas.drawString(style.bulletIndent, baseline, self.bulletText)

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        text = self.block.text if self.block is not None else None  # the element's logical text
        label = bool(self.bulletText)
        with tagged(canvas, self.block, flowable=self, label=label, actual_text=text, lazy=True):
            super().drawOn(canvas, x, y, _sW)
        report_placement(canvas, self.block, x, y, self.width, self.height)


class ShapedHeading(Outlined, ShapedParagraph):
    """A shaped heading (see :class:`~leaflet.layout.flowables.Outlined`)."""


def shaped_paragraph(
    cls: type[ShapedParagraph],
    runs: Inline,
    style: ParagraphStyle,
    family: FontFamily,
    *,
    italics: bool = True,
    bullet: str | None = None,
    rtl: bool = False,
    language: str | None = None,
) -> ShapedParagraph:
    """A ``cls`` drawing ``runs`` in ``style``, right to left when it has no strong letter and ``rtl``."""
    frags = text_frags(runs, style, family, italics=italics, shaped=True)
    shaped = shape([(frag.text, frag.fontName) for frag in frags], style.fontSize, rtl=rtl, language=language)
    return cls(shaped, style, bullet=bullet)


def plain_shaped(
    cls: type[ShapedParagraph], text: str, style: ParagraphStyle, family: FontFamily | None, *, rtl: bool
) -> ShapedParagraph:
    """A ``cls`` of plain ``text`` in ``style``'s font."""
    frags = text_frags((Run(text),), style, family, italics=True, shaped=True)
    return cls(shape([(frag.text, frag.fontName) for frag in frags], style.fontSize, rtl=rtl), style)
