"""Turn a :class:`Monograph` into the platypus story: title block, headings, paragraphs, lists,
tables, figures, notices and warning boxes, with headings and lead-ins kept with what follows them.

The EU black-triangle statement (a notice of kind ``additional-monitoring``) that opens the content is
printed in the title block, right under the title, where the EU's QRD template puts it; one that stands
further down (after the product's name lines of a plain-text leaflet) is printed where it stands, so the
leaflet reads in the source's order.
"""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.platypus import Flowable
from reportlab.platypus.flowables import HRFlowable
from reportlab.platypus.paragraph import ParagraphStyle

from leaflet.layout.figures import FigureFlowable, NoticePanel
from leaflet.layout.flowables import (
    BlockRef,
    BoxStyle,
    HeadingParagraph,
    PlacedParagraph,
    WarningBox,
    bind_keep_with_next,
)
from leaflet.layout.labels import LABELS, Labels
from leaflet.layout.lists import keep_list_together, list_marks
from leaflet.layout.paragraph_styles import make_styles
from leaflet.layout.tables import TableBlock, TableLook, table_nodes
from leaflet.layout.tagging import Node
from leaflet.model import (
    Block,
    BulletList,
    Figure,
    Inline,
    ListItem,
    Monograph,
    Notice,
    Paragraph,
    Run,
    Section,
    Table,
    plain,
)
from leaflet.options import BuildOptions, language_key
from leaflet.style import LeafletStyle
from leaflet.text.fonts import FontFamily
from leaflet.text.hyphenation import Hyphenator, dictionary_for
from leaflet.text.paragraphs import make_paragraph, plain_paragraph
from leaflet.text.scripts import is_rtl, needs_shaping


class StoryBuilder:
    """Builds the flowables of one leaflet; one instance per build."""

    def __init__(
        self, style: LeafletStyle, family: FontFamily, labels: Labels, *, cjk: bool = False, language: str = "en"
    ) -> None:
        self.style = style
        self.family = family
        self.labels = labels
        self.language = language
        self.rtl = is_rtl(language)
        """Right to left: paragraphs without a strong letter, the warning sign and the page furniture."""
        self.styles = make_styles(style, family, cjk=cjk, hyphenator=hyphenator_for(language, style.options))
        self.italics = not style.options.large_print  # large print: no italics (UK AAF)
        self._outline_count = 0
        self._title_notices: list[Notice] = []

    def title_block(self, monograph: Monograph) -> list[Flowable]:
        """The title, what the leaflet is, and a rule under them."""
        title = self._plain(monograph.title, self.styles.title)
        title.block = BlockRef("title", monograph.lines.get("title", 0), monograph.title)
        subtitle = self._plain(self.labels.subtitle, self.styles.subtitle)
        english = Node("P", lang="en") if language_key(self.language) not in LABELS else None  # labels fell back
        subtitle.block = BlockRef("subtitle", 0, self.labels.subtitle, node=english)
        rule = HRFlowable(
            width="100%", thickness=1.2, color=HexColor(self.style.colours.rule), spaceBefore=3, spaceAfter=2
        )
        self._title_notices = leading_notices(monograph.body)
        return [title, subtitle, rule, *(self.notice(notice) for notice in self._title_notices)]

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
            elif isinstance(block, Table):
                flowables.extend(self.table(block))
            elif isinstance(block, Figure):
                flowables.extend(self.figure(block))
            elif isinstance(block, Notice):
                if not any(block is notice for notice in self._title_notices):  # not printed in the title block
                    flowables.append(self.notice(block))
            elif block.warning and not in_box:
                flowables.append(self.warning_box(block, depth))
            else:
                flowables.append(self.heading(block, depth))
                flowables.extend(self.blocks(block.body, depth + 1, in_box=in_box))
        return flowables

    def _shaped(self, text: str) -> bool:
        """Whether ``text`` is set by the shaping flowable (:mod:`.shaped_paragraph`): it needs shaping or bidi,
        or the leaflet reads right to left."""
        return self.rtl or needs_shaping(text)

    def _plain(self, text: str, style: ParagraphStyle) -> Flowable:
        if not self._shaped(text):
            return plain_paragraph(PlacedParagraph, text, style, self.family)
        from leaflet.layout.shaped_paragraph import ShapedParagraph, plain_shaped

        return plain_shaped(ShapedParagraph, text, style, self.family, rtl=self.rtl)

    def _runs(
        self, runs: Inline, style: ParagraphStyle, bullet: str | None = None, *, unit_width: float | None = None
    ) -> Flowable:
        """A paragraph of ``runs``: shaped when the text or the leaflet needs it (:meth:`_shaped`), else
        reportlab's; ``unit_width``: the width of a table cell (see :func:`text_frags`)."""
        if not self._shaped(plain(runs)):
            return make_paragraph(
                PlacedParagraph, runs, style, self.family, italics=self.italics, bullet=bullet, unit_width=unit_width
            )
        from leaflet.layout.shaped_paragraph import ShapedParagraph, shaped_paragraph

        return shaped_paragraph(
            ShapedParagraph,
            runs,
            style,
            self.family,
            italics=self.italics,
            bullet=bullet,
            rtl=self.rtl,
            language=self.language,
        )

    def _cell(self, runs: Inline, style: ParagraphStyle, width: float) -> Flowable:
        return self._runs(runs, style, unit_width=width)

    def paragraph(self, paragraph: Paragraph, kind: str) -> Flowable:
        flowable = self._runs(paragraph.runs, self.styles.body)
        flowable.block = BlockRef(kind, paragraph.line, plain(paragraph.runs))
        return flowable

    def bullet_list(
        self, bullets: BulletList, depth: int = 1, indent: float = 0.0, groups: tuple[Node, ...] = ()
    ) -> list[Flowable]:
        """The lead-in and items of ``bullets``, each nested list under its item (kept with it); a short
        list kept whole, a longer one never leaving its first or last item alone (issue 13, part 6). Tagged
        L, LI, Lbl, LBody, a nested L in its item's LBody (``groups``: the elements around the list)."""
        lead = None
        if bullets.lead is not None:
            lead = self.paragraph(bullets.lead, "lead")
            lead.keep_with_next = True
        items: list[Flowable] = []
        nested = False
        marks = list_marks(bullets, depth, indent, self.styles.item, self.style.bullet)
        numbering = ("Decimal" if depth % 2 else "LowerAlpha") if bullets.ordered else LIST_BULLETS[min(depth, 3) - 1]
        tagged_list = Node("L", numbering=numbering)
        for item, (mark, style) in zip(bullets.items, marks, strict=True):
            flowable = self._runs(item.runs, style, mark)
            chain, body = (*groups, tagged_list, Node("LI")), Node("LBody")
            flowable.block = BlockRef("item", item.line, plain(item.runs), groups=chain, node=body)
            items.append(flowable)
            if isinstance(item, ListItem) and item.sublist is not None:
                nested = True
                flowable.keep_with_next = True
                nested_indent = float(style.leftIndent) - float(self.styles.item.bulletIndent)
                items.extend(self.bullet_list(item.sublist, depth + 1, nested_indent, (*chain, body)))
        if nested:
            return [*([lead] if lead is not None else []), *items]
        return keep_list_together(lead, items, self.style.page.column_width, float(self.styles.item.leading))

    def table(self, table: Table) -> list[Flowable]:
        """The caption (kept with the table) and the table."""
        look = self.table_look()
        nodes = table_nodes(table)
        flowables: list[Flowable] = []
        if table.caption:
            caption = self._runs(table.caption, look.caption)
            caption.block = BlockRef(
                "caption", table.line, plain(table.caption), groups=(nodes.table,), node=nodes.caption
            )
            caption.keep_with_next = True
            flowables.append(caption)
        flowables.append(TableBlock(table, look, self.family, self._cell, nodes, mirrored=self.rtl))
        return flowables

    def table_look(self) -> TableLook:
        body, scale = self.styles.body, self.style.scale
        alignment = TA_LEFT  # right to left: every cell from the right, Latin ones too
        cell = ParagraphStyle("cell", parent=body, spaceAfter=0, spaceBefore=0, alignment=alignment)
        header = ParagraphStyle("header-cell", parent=cell, fontName=self.family.bold)
        caption = ParagraphStyle(
            "caption",
            parent=body,
            fontName=self.family.bold,
            spaceBefore=scale.paragraph_gap,
            spaceAfter=scale.paragraph_gap * 0.5,
        )
        colours, page = self.style.colours, self.style.page
        return TableLook(
            cell,
            header,
            caption,
            colours.table_rule,
            colours.table_header_fill,
            italics=self.italics,
            column_height=page.body_top - page.reminder_height - page.body_bottom,
        )

    def figure(self, figure: Figure) -> list[Flowable]:
        """The picture and its caption under it, kept together."""
        page = self.style.page
        picture = FigureFlowable(
            figure,
            page.body_top - page.reminder_height - page.body_bottom,
            keep_with_next=bool(figure.caption),
            alt=figure.alt or plain(figure.caption),  # a picture with neither is a decoration (an artifact)
        )
        picture.spaceBefore = self.style.scale.paragraph_gap
        picture.spaceAfter = self.style.scale.paragraph_gap * (0.6 if figure.caption else 1.0)
        if not figure.caption:
            return [picture]
        caption = self._runs(figure.caption, self.styles.caption)
        caption.block = BlockRef("caption", figure.line, plain(figure.caption))
        return [picture, caption]

    def notice(self, notice: Notice) -> NoticePanel:
        """A fixed statement in its panel; the black-triangle statement after its ▼."""
        runs = notice.runs
        if notice.kind == MONITORING:
            runs = (Run(BLACK_TRIANGLE + "\u00a0", bold=True), *runs)
        paragraph = self._runs(runs, self.styles.notice)
        group = Node("Div", title=notice.kind)
        paragraph.block = BlockRef("notice", notice.line, plain(notice.runs), groups=(group,))
        colours = self.style.colours
        panel = NoticePanel(
            paragraph, fill=colours.notice_fill, rule=colours.table_rule, padding=5.0, block=paragraph.block
        )
        panel.spaceBefore = self.style.scale.paragraph_gap
        panel.spaceAfter = self.style.scale.paragraph_gap * 1.4
        return panel

    def heading(self, section: Section, depth: int, *, style: ParagraphStyle | None = None) -> Flowable:
        heading_style = style or self.styles.headings[min(depth, len(self.styles.headings)) - 1]
        flowable: Flowable
        if self._shaped(section.heading):
            from leaflet.layout.shaped_paragraph import ShapedHeading, plain_shaped

            flowable = plain_shaped(ShapedHeading, section.heading, heading_style, self.family, rtl=self.rtl)
        else:
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
            rtl=self.rtl,
        )


def build_story(
    monograph: Monograph, style: LeafletStyle, family: FontFamily, labels: Labels
) -> tuple[list[Flowable], list[Flowable]]:
    """The title block and the body flowables of ``monograph``."""
    language = monograph.meta.language
    builder = StoryBuilder(style, family, labels, cjk=is_cjk(language), language=language)
    return builder.title_block(monograph), builder.body(monograph)


LIST_BULLETS = ("Disc", "Square", "Circle")
"""The ListNumbering attribute of a bulleted list by depth (a dash, white bullet or triangle maps to none of
PDF's names; these tell a reader the list is unordered)."""
MONITORING = "additional-monitoring"
BLACK_TRIANGLE = "\u25bc"
"""▼: the EU sign of a medicine under additional monitoring (Regulation 1235/2010, Art. 23)."""


def leading_notices(blocks: tuple[Block, ...]) -> list[Notice]:
    """The black-triangle notices the body opens with (before any other text): printed in the title block,
    under the title, where the EU's QRD template puts the statement. One further down stays where the
    source has it, so that the leaflet reads in the source's order."""
    found: list[Notice] = []
    for block in blocks:
        if not (isinstance(block, Notice) and block.kind == MONITORING):
            break
        found.append(block)
    return found


def hyphenator_for(language: str, options: BuildOptions) -> Hyphenator | None:
    """Words are hyphenated in the leaflet's language when pyphen has a dictionary for it, unless the
    user turned it off (``--no-hyphenation``) or the leaflet is in large print: the RNIB's Clear Print
    guidelines, which large print follows (as it sets no italics), ask for words not split at line ends."""
    if not options.hyphenate or options.large_print:
        return None
    dictionary = dictionary_for(language)
    return Hyphenator(dictionary) if dictionary else None


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
