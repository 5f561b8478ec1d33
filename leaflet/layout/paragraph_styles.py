"""The paragraph styles of a leaflet (title, body, list items, headings by depth, the warning box's,
captions and notices), made from its :class:`LeafletStyle` and font family."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.platypus.paragraph import ParagraphStyle

from leaflet.style import LeafletStyle
from leaflet.text.fonts import FontFamily


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of one leaflet."""

    title: ParagraphStyle
    subtitle: ParagraphStyle
    body: ParagraphStyle
    item: ParagraphStyle
    last_item: ParagraphStyle
    """A list's last item: the space after it is a paragraph's."""
    headings: tuple[ParagraphStyle, ...]
    """By depth: headings[0] for top-level sections."""
    box_heading: ParagraphStyle
    continued: ParagraphStyle
    caption: ParagraphStyle
    """A figure's caption."""
    notice: ParagraphStyle
    """The text of a notice panel."""


def make_styles(style: LeafletStyle, family: FontFamily, *, cjk: bool = False) -> Styles:
    """Paragraph styles for ``style`` set in ``family``; ``cjk``: lines broken between any two characters,
    with the line-start and line-end rules of Chinese, Japanese and Korean (reportlab's CJK wrap: no line
    starts with 、。）」 nor ends with （「), for every style (they all derive from the body's)."""
    body = _body_style(style, family)
    if cjk:
        body.wordWrap = "CJK"
    item, last_item = _item_styles(style, family, body)
    headings = _heading_styles(style, family, body)
    box_heading, continued = _warning_box_styles(style, family, body, headings[0])
    title, subtitle = _title_styles(style, family, body)
    caption = ParagraphStyle("figure-caption", parent=body, textColor=HexColor(style.colours.running))
    notice = ParagraphStyle("notice", parent=body, spaceBefore=0, spaceAfter=0)
    return Styles(title, subtitle, body, item, last_item, headings, box_heading, continued, caption, notice)


def _body_style(style: LeafletStyle, family: FontFamily) -> ParagraphStyle:
    scale = style.scale
    return ParagraphStyle(
        "body",
        fontName=family.regular,
        fontSize=scale.body,
        leading=scale.leading,
        alignment=TA_LEFT,
        textColor=HexColor(style.colours.text),
        spaceAfter=scale.paragraph_gap,
        allowWidows=0,
        allowOrphans=0,
        splitLongWords=1,
        embeddedHyphenation=0,
        uriWasteReduce=0,  # reportlab leaves the rest of a URI split this way unbroken: let long words split
    )


def _item_styles(
    style: LeafletStyle, family: FontFamily, body: ParagraphStyle
) -> tuple[ParagraphStyle, ParagraphStyle]:
    """A list item (bullet hanging in the indent) and the last item of a list (more room after it)."""
    scale = style.scale
    item = ParagraphStyle(
        "item",
        parent=body,
        leftIndent=scale.body * 1.5,
        bulletIndent=scale.body * 0.35,
        bulletFontName=family.regular,
        bulletFontSize=scale.body,
        spaceAfter=scale.paragraph_gap * 0.45,
    )
    return item, ParagraphStyle("last-item", parent=item, spaceAfter=scale.paragraph_gap * 1.3)


def _heading_styles(
    style: LeafletStyle, family: FontFamily, body: ParagraphStyle
) -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    scale = style.scale

    def heading(name: str, size: float, space_before: float) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            parent=body,
            fontName=family.bold,
            fontSize=size,
            leading=size * 1.25,
            textColor=HexColor(style.colours.heading),
            spaceBefore=space_before,
            spaceAfter=scale.paragraph_gap * 0.6,
        )

    return (
        heading("h1", scale.heading1, scale.heading_gap),
        heading("h2", scale.heading2, scale.heading_gap * 0.7),
        heading("h3", scale.heading3, scale.heading_gap * 0.6),
    )


def _warning_box_styles(
    style: LeafletStyle, family: FontFamily, body: ParagraphStyle, heading1: ParagraphStyle
) -> tuple[ParagraphStyle, ParagraphStyle]:
    """The box's heading (room left for the warning sign) and its "Continued ..." lines."""
    scale, colour = style.scale, HexColor(style.colours.warning_heading)
    box_heading = ParagraphStyle(
        "box-heading", parent=heading1, textColor=colour, leftIndent=scale.heading1 * 1.05 + 5, spaceBefore=0
    )
    continued = ParagraphStyle(
        "continued",
        parent=body,
        fontName=family.bold,
        textColor=colour,
        spaceBefore=scale.paragraph_gap * 0.5,
        spaceAfter=0,
        alignment=TA_LEFT,
    )
    return box_heading, continued


def _title_styles(
    style: LeafletStyle, family: FontFamily, body: ParagraphStyle
) -> tuple[ParagraphStyle, ParagraphStyle]:
    scale = style.scale
    title = ParagraphStyle(
        "title",
        parent=body,
        fontName=family.bold,
        fontSize=scale.title,
        leading=scale.title * 1.25,
        textColor=HexColor(style.colours.heading),
        spaceAfter=scale.paragraph_gap * 0.5,
    )
    subtitle = ParagraphStyle("subtitle", parent=body, textColor=HexColor(style.colours.running), spaceAfter=2)
    return title, subtitle
