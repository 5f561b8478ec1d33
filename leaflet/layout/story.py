"""Turn a :class:`Monograph` into the platypus story: title block, headings, paragraphs, bullet
lists and warning boxes, with headings and lead-ins kept with what follows them.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.platypus import Flowable
from reportlab.platypus.flowables import HRFlowable
from reportlab.platypus.paragraph import ParagraphStyle

from leaflet.layout.flowables import (
    BlockRef,
    BoxStyle,
    HeadingParagraph,
    PlacedParagraph,
    WarningBox,
    bind_keep_with_next,
)
from leaflet.layout.labels import Labels
from leaflet.model import Block, BulletList, Monograph, Paragraph, Section, plain
from leaflet.style import LeafletStyle
from leaflet.text.fonts import FontFamily
from leaflet.text.paragraphs import make_paragraph, plain_paragraph


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
    return Styles(title, subtitle, body, item, last_item, headings, box_heading, continued)


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


class StoryBuilder:
    """Builds the flowables of one leaflet; one instance per build."""

    def __init__(self, style: LeafletStyle, family: FontFamily, labels: Labels, *, cjk: bool = False) -> None:
        self.style = style
        self.family = family
        self.labels = labels
        self.styles = make_styles(style, family, cjk=cjk)
        self.italics = not style.options.large_print  # large print: no italics (UK AAF)
        self._outline_count = 0

    def title_block(self, monograph: Monograph) -> list[Flowable]:
        """The title, what the leaflet is, and a rule under them."""
        title = plain_paragraph(PlacedParagraph, monograph.title, self.styles.title, self.family)
        title.block = BlockRef("title", monograph.lines.get("title", 0), monograph.title)
        subtitle = plain_paragraph(PlacedParagraph, self.labels.subtitle, self.styles.subtitle, self.family)
        subtitle.block = BlockRef("subtitle", 0, self.labels.subtitle)
        rule = HRFlowable(
            width="100%", thickness=1.2, color=HexColor(self.style.colours.rule), spaceBefore=3, spaceAfter=2
        )
        return [title, subtitle, rule]

    def body(self, monograph: Monograph) -> list[Flowable]:
        """The flowables of the monograph's body, headings and lead-ins bound to what follows."""
        return bind_keep_with_next(self.blocks(monograph.body, depth=1))

    def blocks(self, blocks: tuple[Block, ...], depth: int, *, in_box: bool = False) -> list[Flowable]:
        """Flowables for ``blocks``; inside a warning box, a nested warning is an ordinary section."""
        flowables: list[Flowable] = []
        for block in blocks:
            if isinstance(block, Paragraph):
                flowables.append(self.paragraph(block, "paragraph"))
            elif isinstance(block, BulletList):
                flowables.extend(self.bullet_list(block))
            elif not isinstance(block, Section):
                raise TypeError(f"no layout for {type(block).__name__} yet")
            elif block.warning and not in_box:
                flowables.append(self.warning_box(block, depth))
            else:
                flowables.append(self.heading(block, depth))
                flowables.extend(self.blocks(block.body, depth + 1, in_box=in_box))
        return flowables

    def paragraph(self, paragraph: Paragraph, kind: str) -> PlacedParagraph:
        flowable = make_paragraph(PlacedParagraph, paragraph.runs, self.styles.body, self.family, italics=self.italics)
        flowable.block = BlockRef(kind, paragraph.line, plain(paragraph.runs))
        return flowable

    def bullet_list(self, bullets: BulletList) -> list[Flowable]:
        flowables: list[Flowable] = []
        if bullets.lead is not None:
            lead = self.paragraph(bullets.lead, "lead")
            lead.keep_with_next = True
            flowables.append(lead)
        for item in bullets.items:
            flowable = make_paragraph(
                PlacedParagraph,
                item.runs,
                self.styles.item,
                self.family,
                italics=self.italics,
                bullet=self.style.bullet,
            )
            flowable.block = BlockRef("item", item.line, plain(item.runs))
            flowables.append(flowable)
        return flowables

    def heading(self, section: Section, depth: int, *, style: ParagraphStyle | None = None) -> HeadingParagraph:
        heading_style = style or self.styles.headings[min(depth, len(self.styles.headings)) - 1]
        flowable = plain_paragraph(HeadingParagraph, section.heading, heading_style, self.family)
        flowable.block = BlockRef("heading", section.line, section.heading, level=depth)
        self._outline_count += 1
        flowable.outline_key = f"h{self._outline_count}"
        return flowable

    def warning_box(self, section: Section, depth: int) -> WarningBox:
        content = [self.heading(section, depth, style=self.styles.box_heading)]
        content.extend(self.blocks(section.body, depth + 1, in_box=True))
        box = WarningBox(
            bind_keep_with_next(content),
            self.box_style(),
            heading=section.heading,
            block=BlockRef("warning", section.line, section.heading, level=depth),
        )
        box.spaceBefore = self.style.scale.heading_gap
        box.spaceAfter = self.style.scale.paragraph_gap * 1.6
        return box

    def box_style(self) -> BoxStyle:
        colours, page = self.style.colours, self.style.page
        return BoxStyle(
            padding=self.style.box_padding,
            frame_width=self.style.box_frame_width,
            frame_colour=colours.warning_frame,
            fill_colour=colours.warning_fill,
            icon_colour=colours.warning_frame,
            icon_size=self.style.scale.heading1 * 1.05,
            continued_style=self.styles.continued,
            continued_heading_style=self.styles.box_heading,
            column_height=page.body_top - page.reminder_height - page.body_bottom,
            columns=page.columns,
            labels=self.labels,
        )


def build_story(
    monograph: Monograph, style: LeafletStyle, family: FontFamily, labels: Labels
) -> tuple[list[Flowable], list[Flowable]]:
    """The title block and the body flowables of ``monograph``."""
    builder = StoryBuilder(style, family, labels, cjk=is_cjk(monograph.meta.language))
    return builder.title_block(monograph), builder.body(monograph)


def is_cjk(language: str) -> bool:
    """A leaflet in Chinese or Japanese, whose lines break between characters. Korean is written with
    spaces between words and, like Latin text, breaks its lines at them."""
    return language.split("-")[0].lower() in ("zh", "ja")


def title_height(flowables: list[Flowable], width: float) -> float:
    """Height the title block needs at ``width`` (sizes the first page's title frame)."""
    height = 0.0
    for flowable in flowables:
        height += flowable.wrap(width, 1e6)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return height
