"""Pages: the document template (frames for the title and the columns), the running header and
footer, and the canvas that numbers pages "N of M" in one pass and records placements.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFZCompress
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from leaflet.layout.flowables import BlockRef
from leaflet.layout.labels import Labels
from leaflet.layout.pdf_standard import mark_page, write_archival, write_structure
from leaflet.layout.tagging import GlyphMarks, Tagger, pagination
from leaflet.options import PdfStandard
from leaflet.report import Placement
from leaflet.style import FOOTER_SITE_LINES, LeafletStyle
from leaflet.text.fallback import draw_string, string_width
from leaflet.text.fonts import FontFamily

TOTAL_PAGES_FORM = "leafletTotalPages"


@dataclass(frozen=True)
class RunningText:
    """What the running header and footer say."""

    drug: str
    revised: str | None
    labels: Labels
    rtl: bool = False
    """A right-to-left leaflet: the header and footer are mirrored (drug name and page number on the right)."""
    site_lines: tuple[str, ...] = ()
    """The pharmacy's name, address and phone (site configuration), under the page number: the longest of
    these that fits (the phone never cut), else the last cut at a word."""
    logo: str = ""
    """The pharmacy's logo file, drawn at the right of that line."""


PDF_1_7 = (1, 7)


class LeafletCanvas(Canvas):
    """A canvas that records placements, writes the page total as a form drawn at the end, and (with a
    ``standard``) tags its content and writes the structure tree, PDF/A and PDF/UA declarations."""

    def __init__(self, *args: Any, standard: PdfStandard = "none", **kwargs: Any) -> None:
        if standard != "none":  # PDF/A-2 and PDF/UA-1 are PDF 1.7 (the output intent's ICC profile is 4.2)
            kwargs["pdfVersion"] = PDF_1_7
        super().__init__(*args, **kwargs)
        _write_binary_streams(self)
        self.placements: list[Placement] = []
        self.total_pages_font: tuple[str, float] = ("", 0)
        self.total_pages_right = False
        """Draw the page total ending where the form is placed (right-to-left footers), not starting there."""
        self.standard = standard
        self.tagger = Tagger() if standard != "none" else None

    @property
    def glyph_marks(self) -> GlyphMarks | None:
        """Marked content for shaped glyph runs (:func:`leaflet.text.glyph_draw.draw_glyphs`) when tagging."""
        return GlyphMarks(self) if self.tagger is not None and self._formData is None else None

    def showPage(self) -> None:
        tagger, index = self.tagger, self.getPageNumber() - 1
        if tagger is not None:
            tagger.page_code(self._code)
        super().showPage()
        if tagger is not None:
            mark_page(self._doc.Pages.pages[-1], index)

    def drawText(self, aTextObject: Any) -> None:
        super().drawText(aTextObject)
        if self.tagger is not None:
            self.tagger.text_drawn(self._code, self.getPageNumber() - 1)

    def record_placement(self, block: BlockRef, x: float, y: float, width: float, height: float) -> None:
        template = getattr(self, "_doctemplate", None)
        frame = getattr(getattr(template, "frame", None), "id", "") or ""
        left, bottom = self.absolutePosition(x, y)
        self.placements.append(
            Placement(
                block.kind,
                block.line,
                block.text,
                self.getPageNumber(),
                frame,
                round(left, 2),
                round(bottom, 2),
                round(width, 2),
                round(height, 2),
            )
        )

    def save(self) -> None:
        font, size = self.total_pages_font
        width, height = self._pagesize
        if self.total_pages_right:  # the number ends at the origin: the form's box must reach left of it
            self.beginForm(TOTAL_PAGES_FORM, lowerx=-width, lowery=0, upperx=0, uppery=height)
        else:
            self.beginForm(TOTAL_PAGES_FORM)
        self.setFont(font, size)
        total = str(self.getPageNumber() - 1)
        if self.total_pages_right:
            self.drawRightString(0, 0, total)
        else:
            self.drawString(0, 0, total)
        self.endForm()
        if self.tagger is not None:
            write_structure(self._doc, self.tagger)
            write_archival(self._doc, self._doc.Catalog.Lang.s if self._doc.Catalog.Lang else "")
        super().save()


class LeafletDocTemplate(BaseDocTemplate):
    """Page templates for the first page (title frame above the columns) and the pages after."""

    def __init__(
        self,
        output: Any,
        *,
        style: LeafletStyle,
        family: FontFamily,
        running: RunningText,
        title_height: float,
        **metadata: Any,
    ) -> None:
        page = style.page
        super().__init__(
            output,
            pagesize=(page.width, page.height),
            leftMargin=page.side_margin,
            rightMargin=page.side_margin,
            topMargin=page.margin,
            bottomMargin=page.margin,
            invariant=1,
            initialFontName=family.regular,
            initialFontSize=style.scale.body,
            **metadata,
        )
        self.style = style
        self.family = family
        self.running = running
        band, reminder = style.page.band_height, style.page.reminder_height
        first = PageTemplate(
            "first",
            [self._title_frame(title_height, below=band), *self._columns(title_height + band)],
            onPage=self._decorate,
            autoNextPageTemplate="later",
        )
        later = PageTemplate("later", self._columns(reminder), onPage=self._decorate)
        self.addPageTemplates([first, later])

    def _title_frame(self, height: float, *, below: float) -> Frame:
        page = self.style.page
        return Frame(
            page.side_margin,
            page.body_top - below - height,
            page.width - 2 * page.side_margin,
            height,
            id="title",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    def _columns(self, reserved: float) -> list[Frame]:
        page = self.style.page
        top = page.body_top - reserved
        frames = []
        for index in range(page.columns):
            place = (
                page.columns - 1 - index if self.running.rtl else index
            )  # right to left: the first column on the right
            x = page.side_margin + place * (page.column_width + page.column_gap)
            frames.append(
                Frame(
                    x,
                    page.body_bottom,
                    page.column_width,
                    top - page.body_bottom,
                    id=f"column{index + 1}",
                    leftPadding=0,
                    rightPadding=0,
                    topPadding=0,
                    bottomPadding=0,
                )
            )
        return frames

    def _draw_header(self, canvas: LeafletCanvas, baseline: float, size: float) -> None:
        """The drug name on the left and the label on the right; a long name drops the label first."""
        page, family = self.style.page, self.family
        left, right = page.side_margin, page.width - page.side_margin
        label = self.running.labels.header
        extra = family.extra  # the CJK faces in the leaflet's order, the user's fonts
        label_width = string_width(label, family.regular, size, extra)
        drug_width = string_width(self.running.drug, family.bold, size, extra)
        show_label = drug_width + 2 * size + label_width <= right - left
        drug = fit_text(self.running.drug, right - left, family.bold, size, extra)
        rtl = self.running.rtl
        draw_string(canvas, right if rtl else left, baseline, drug, family.bold, size, right=rtl, extra=extra)
        if show_label:
            draw_string(
                canvas, left if rtl else right, baseline, label, family.regular, size, right=not rtl, extra=extra
            )

    def _decorate(self, canvas: LeafletCanvas, doc: BaseDocTemplate) -> None:
        """Running header (drug, label) and footer (page N of M, revision date) with rules."""
        page, scale, colours = self.style.page, self.style.scale, self.style.colours
        left, right = page.side_margin, page.width - page.side_margin
        size = scale.running
        canvas.saveState()
        canvas.setFillColor(HexColor(colours.running))
        canvas.setStrokeColor(HexColor(colours.rule))
        canvas.setLineWidth(0.6)
        face = pdfmetrics.getFont(self.family.regular).face
        ascent, descent = face.ascent / 1000 * size, -face.descent / 1000 * size  # keep glyphs inside the margin
        header_base = page.height - page.margin - ascent
        with pagination(canvas, "Header"):
            self._draw_header(canvas, header_base, size)
            canvas.line(left, header_base - size * 0.6, right, header_base - size * 0.6)
        footer_base = page.margin + descent
        with pagination(canvas, "Footer"):
            if self.running.site_lines or self.running.logo:
                self._draw_site(canvas, footer_base, size)
                footer_base += FOOTER_SITE_LINES * size
            canvas.line(left, footer_base + size * 1.4, right, footer_base + size * 1.4)
            self._draw_footer(canvas, footer_base, size)
        canvas.restoreState()

    def _draw_footer(self, canvas: LeafletCanvas, baseline: float, size: float) -> None:
        """ "Page N of M" at the start of the line (left, or right when right to left), the revision date at its end."""
        page, family, rtl = self.style.page, self.family, self.running.rtl
        left, right = page.side_margin, page.width - page.side_margin
        label = self.running.labels.page.format(page=canvas.getPageNumber())
        label_width = string_width(label, family.regular, size, family.extra)
        draw_string(
            canvas, right if rtl else left, baseline, label, family.regular, size, right=rtl, extra=family.extra
        )
        canvas.total_pages_font = (family.regular, size)
        canvas.total_pages_right = rtl
        canvas.saveState()
        canvas.translate(right - label_width if rtl else left + label_width, baseline)
        canvas.doForm(TOTAL_PAGES_FORM)
        canvas.restoreState()
        if self.running.revised:
            revised = self.running.labels.revised.format(date=self.running.revised)
            draw_string(
                canvas,
                left if rtl else right,
                baseline,
                revised,
                family.regular,
                size,
                right=not rtl,
                extra=family.extra,
            )

    def _draw_site(self, canvas: LeafletCanvas, baseline: float, size: float) -> None:
        """The pharmacy's line at the foot of the page, its logo (at most 4:1 wide) at the line's end (the
        right, or the left of a right-to-left page)."""
        page, family, rtl = self.style.page, self.family, self.running.rtl
        left, right = page.side_margin, page.width - page.side_margin
        logo_height = size * (FOOTER_SITE_LINES - 0.2)
        logo_width = 4 * logo_height if self.running.logo else 0.0
        if self.running.logo:
            canvas.drawImage(
                self.running.logo,
                left if rtl else right - logo_width,
                page.margin,
                width=logo_width,
                height=logo_height,
                preserveAspectRatio=True,
                anchor="sw" if rtl else "se",
                mask="auto",
            )
        gap = logo_width + (size if logo_width else 0)
        room = right - left - gap
        lines = self.running.site_lines
        fitting = [line for line in lines if string_width(line, family.regular, size, family.extra) <= room]
        text = fitting[0] if fitting else fit_text(lines[-1] if lines else "", room, family.regular, size, family.extra)
        if text:
            draw_string(
                canvas, right if rtl else left, baseline, text, family.regular, size, right=rtl, extra=family.extra
            )


def fit_text(text: str, width: float, font: str, size: float, extra: tuple[str, ...] | None = None) -> str:
    """``text``, cut at a word with an ellipsis if it is wider than ``width`` (set in ``font`` with fallbacks)."""
    if string_width(text, font, size, extra) <= width:
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        shorter = " ".join(words).rstrip(",;:") + "\u2026"
        if string_width(shorter, font, size, extra) <= width:
            return shorter
    while text and string_width(text + "\u2026", font, size, extra) > width:
        text = text[:-1]
    return text + "\u2026"


def _write_binary_streams(canvas: Canvas) -> None:
    """Have ``canvas`` write its page and form streams compressed but not ASCII85-armoured (reportlab's
    default armours them): files a fifth smaller and quicker to read back, e.g. when packets are made.

    reportlab picks the filters of a page or form stream from the process-wide ``rl_config.useA85``
    when the page is compressed; an uncompressed page's stream takes its document's default filters
    instead. So the canvas's pages and forms are marked uncompressed and its document (this canvas's
    own) compresses by default: the same bytes, without touching a setting other threads share.
    Font files stay compressed by the document's ``compression`` flag, which is left on.
    """
    canvas._pageCompression = 0
    canvas._doc.defaultStreamFilters = [PDFZCompress]
