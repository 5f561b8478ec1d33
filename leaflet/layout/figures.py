"""Figures (a picture, its caption under it) and notices (fixed statements set apart in a tinted panel).

A picture is drawn at 150 pixels an inch, never wider than the column nor taller than half of it
(the aspect kept), centred, with its caption under it and kept with it. A notice is a panel: a light
tint between two thin rules, which reads as set apart in greyscale too; it splits like a paragraph.
"""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable

from leaflet.layout.flowables import BlockRef, report_placement
from leaflet.layout.tagging import tagged
from leaflet.model import Figure

PICTURE_DPI = 150
"""Pixels per inch a picture is drawn at when the column is wide enough."""
MAX_HEIGHT_SHARE = 0.5
"""A picture is at most this share of a column's height."""


class FigureFlowable(Flowable):
    """A picture scaled to fit: at most the width it is given and half a column's height."""

    def __init__(self, figure: Figure, column_height: float, *, keep_with_next: bool, alt: str = "") -> None:
        super().__init__()
        self.figure = figure
        self.max_height = column_height * MAX_HEIGHT_SHARE
        self.keep_with_next = keep_with_next
        self.block = BlockRef("figure", figure.line, "", alt=alt or None)

    def pixels(self) -> tuple[int, int]:
        """The picture's size in pixels: the model's, or read from the picture when a maker left it out."""
        figure = self.figure
        if figure.width > 0 and figure.height > 0:
            return figure.width, figure.height
        width, height = ImageReader(io.BytesIO(figure.data)).getSize()
        return int(width), int(height)

    def picture_size(self, width: float) -> tuple[float, float]:
        """Width and height the picture is drawn at in a column ``width`` wide."""
        pixels_wide, pixels_high = self.pixels()
        ratio = pixels_high / pixels_wide
        drawn = min(pixels_wide * 72 / PICTURE_DPI, width)
        if drawn * ratio > self.max_height:
            drawn = self.max_height / ratio
        return drawn, drawn * ratio

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.picture = self.picture_size(availWidth)
        self.height = self.picture[1]
        return self.width, self.height

    def draw(self) -> None:
        width, height = self.picture
        reader = ImageReader(io.BytesIO(self.figure.data))
        self.canv.drawImage(reader, (self.width - width) / 2, 0, width, height, mask="auto")

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        width, height = self.picture
        left = x + (self.width - width) / 2
        with tagged(canvas, self.block, flowable=self) as element:
            super().drawOn(canvas, x, y, _sW)
        if element is not None:  # the Figure's BBox, in default user space
            (x0, y0), (x1, y1) = canvas.absolutePosition(left, y), canvas.absolutePosition(left + width, y + height)
            element.bbox = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        report_placement(canvas, self.block, left, y, width, height)

    def identity(self, maxLen: int | None = None) -> str:
        return f"Figure(line {self.figure.line})"


class NoticePanel(Flowable):
    """``paragraph`` in a tinted panel between two rules, ``padding`` around it; splits with the paragraph."""

    def __init__(self, paragraph: Flowable, *, fill: str, rule: str, padding: float, block: BlockRef) -> None:
        super().__init__()
        self.paragraph = paragraph
        self.fill = fill
        self.rule = rule
        self.padding = padding
        self.block = block

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, inner = self.paragraph.wrap(availWidth - 2 * self.padding, max(availHeight - 2 * self.padding, 0))
        self.width, self.height = availWidth, inner + 2 * self.padding
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = self.paragraph.split(availWidth - 2 * self.padding, availHeight - 2 * self.padding)
        if len(parts) < 2:
            return []
        panels = [
            NoticePanel(part, fill=self.fill, rule=self.rule, padding=self.padding, block=self.block) for part in parts
        ]
        panels[0].spaceBefore, panels[-1].spaceAfter = self.spaceBefore, self.spaceAfter
        return list(panels)

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(HexColor(self.fill))
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        canvas.setStrokeColor(HexColor(self.rule))
        canvas.setLineWidth(0.8)
        canvas.line(0, 0.4, self.width, 0.4)
        canvas.line(0, self.height - 0.4, self.width, self.height - 0.4)
        canvas.restoreState()
        self.paragraph.drawOn(canvas, self.padding, self.padding)

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        super().drawOn(canvas, x, y, _sW)
        report_placement(canvas, BlockRef("notice-box", self.block.line, ""), x, y, self.width, self.height)

    def identity(self, maxLen: int | None = None) -> str:
        return f"NoticePanel(line {self.block.line})"
