"""The marks and indents of list items: bullets by depth, numbers right-aligned in a hanging indent.

A bulleted list at the top level keeps the leaflet's bullet and item style. A nested list is indented
to the text of the item it belongs to, with its own bullet (– then ◦ then ‣). A numbered list counts
from its ``start``: 1. 2. 3. at the first and third level, a. b. c. at the second and fourth; the numbers
end at the same place (right-aligned) and the text starts after the widest one.

A short list (up to five one-line items) is never split across columns or pages, and a longer one never
leaves its first or last item alone.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable
from reportlab.platypus.paragraph import ParagraphStyle

from leaflet.model import BulletList
from leaflet.text.fallback import coverage, fallback_face, string_width

NESTED_BULLETS = ("\u2013", "\u25e6", "\u2023")
"""Bullets of nested lists, by depth from the second level: en dash, white bullet, triangular bullet."""
NUMBER_GAP = 0.45
"""Space between a number and the item's text, in ems."""


def list_marks(
    bullets: BulletList, depth: int, indent: float, item: ParagraphStyle, bullet: str
) -> list[tuple[str, ParagraphStyle]]:
    """The mark and paragraph style of each item of ``bullets`` at ``depth`` (1: top level), its text
    indented by ``indent`` more than a top-level list's; ``item`` is the top-level item style."""
    count = len(bullets.items)
    if not bullets.ordered:
        if depth == 1 and not indent:
            return [(bullet, item)] * count
        mark, face = nested_bullet(depth, str(item.bulletFontName))
        style = ParagraphStyle(
            f"item-{depth}",
            parent=item,
            leftIndent=indent + item.leftIndent,
            bulletIndent=indent + item.bulletIndent,
            bulletFontName=face,
        )
        return [(mark, style)] * count
    labels = [number_label(bullets.start + index, depth) for index in range(count)]
    size = float(item.bulletFontSize)
    widths = [string_width(label, str(item.bulletFontName), size) for label in labels]
    gap = NUMBER_GAP * size
    text_at = indent + max(float(item.leftIndent), float(item.bulletIndent) + max(widths) + gap)
    styles: dict[float, ParagraphStyle] = {}
    marks = []
    for label, width in zip(labels, widths, strict=True):
        key = round(width, 3)
        if key not in styles:
            styles[key] = ParagraphStyle(
                f"step-{depth}-{key}", parent=item, leftIndent=text_at, bulletIndent=text_at - gap - width
            )
        marks.append((label, styles[key]))
    return marks


def nested_bullet(depth: int, face: str) -> tuple[str, str]:
    """The bullet of a bulleted list at ``depth`` (2 or more) and the face it is drawn in: the item's face,
    or the fallback font that has it, or an en dash when none has."""
    mark = NESTED_BULLETS[(depth - 2) % len(NESTED_BULLETS)]
    if mark in coverage(face):
        return mark, face
    other = fallback_face(mark, bold=False)
    return (mark, other) if other is not None else (NESTED_BULLETS[0], face)


def number_label(number: int, depth: int) -> str:
    """``3.`` at odd depths, ``c.`` at even ones (``aa.`` after ``z.``)."""
    if depth % 2:
        return f"{number}."
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return f"{letters}."


SHORT_LIST_ITEMS = 5
"""A list of at most this many one-line items is never split (a patient may read the first part of a split
list of strengths, "5 mg", as the only one)."""


class KeptTogether(Flowable):
    """Flowables drawn one under the other and never separated: moved on whole when they do not fit, and
    given up to the frame piece by piece only when even an empty column cannot hold them."""

    def __init__(self, parts: list[Flowable]) -> None:
        super().__init__()
        self.parts = parts
        self.keep_with_next = getattr(parts[-1], "keep_with_next", False)
        self._heights: list[float] = []

    def _gaps(self) -> list[float]:
        pairs = zip(self.parts, self.parts[1:], strict=False)
        return [float(upper.getSpaceAfter() + lower.getSpaceBefore()) for upper, lower in pairs]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._heights = [part.wrap(availWidth, availHeight)[1] for part in self.parts]
        self.width, self.height = availWidth, sum(self._heights) + sum(self._gaps())
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        return float(self.parts[0].getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.parts[-1].getSpaceAfter())

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        if frame is not None and frame._atTop:  # taller than a whole column: let the parts flow
            return list(self.parts)
        return []

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        top = y + self.height
        for part, height, gap in zip(self.parts, self._heights, [*self._gaps(), 0.0], strict=True):
            part.drawOn(canvas, x, top - height)
            top -= height + gap

    def identity(self, maxLen: int | None = None) -> str:
        return f"KeptTogether({len(self.parts)} parts)"


def keep_list_together(lead: Flowable | None, items: list[Flowable], width: float, leading: float) -> list[Flowable]:
    """The lead-in and items of one list, grouped so that a short list (at most five items of one line at
    ``width``) is never split, and a longer one never leaves its first or last item alone in a column."""
    if not items:
        return [lead] if lead is not None else []
    one_line = all(item.wrap(width, 1e6)[1] <= leading * 1.5 for item in items)
    if len(items) <= SHORT_LIST_ITEMS and one_line:
        return [KeptTogether([*([lead] if lead is not None else []), *items])]
    if len(items) >= 2:
        items[0].keep_with_next = True
        items[-2].keep_with_next = True
    return [*([lead] if lead is not None else []), *items]
