"""Render: content model -> PDF bytes and a placement report (which block landed where).

The only stage that runs reportlab's page layout. Output is deterministic: reportlab's
``invariant`` mode keeps the clock and random IDs out of the file, so the same monograph and
options give the same bytes.
"""

from __future__ import annotations

import io

from reportlab.platypus import FrameBreak

from leaflet import __version__
from leaflet.errors import Diagnostic, LayoutFitError
from leaflet.layout.labels import labels_for
from leaflet.layout.page import LeafletCanvas, LeafletDocTemplate, RunningText
from leaflet.layout.story import build_story, title_height
from leaflet.model import Monograph, iter_text
from leaflet.options import BuildOptions
from leaflet.report import Rendered
from leaflet.style import LeafletStyle, style_for
from leaflet.text.fallback import string_width
from leaflet.text.fonts import FontFamily
from leaflet.text.user_fonts import font_family


def render_pdf(monograph: Monograph, options: BuildOptions) -> Rendered:
    """Lay out ``monograph`` with ``options`` and return the PDF with its placement report."""
    _refuse_overlong(monograph)
    family = font_family(options.fonts, monograph.meta.language)
    style = style_for(options)
    labels = labels_for(monograph.meta.language, options.site)
    title_block, body = build_story(monograph, style, family, labels)
    title_space = _fitted_title_height(monograph, title_block, style)
    warnings = _running_header_warnings(monograph, style, family)
    output = io.BytesIO()
    doc = LeafletDocTemplate(
        output,
        style=style,
        family=family,
        running=RunningText(
            drug=monograph.meta.drug,
            revised=monograph.meta.revised,
            labels=labels,
            site_line=options.site.pharmacy_line(),
            logo=options.site.logo,
        ),
        title_height=title_space,
        title=monograph.title,
        subject=f"{labels.header}: {monograph.meta.drug}",
        author="",
        creator=f"leaflet {__version__}",
        producer=f"leaflet {__version__} (ReportLab)",
        keywords=[monograph.meta.drug, "patient information leaflet"],
        lang=monograph.meta.language,
    )
    canvases: list[LeafletCanvas] = []

    def make_canvas(*args: object, **kwargs: object) -> LeafletCanvas:
        canvas = LeafletCanvas(*args, **kwargs)
        canvas.showOutline()
        canvases.append(canvas)
        return canvas

    doc.build([*title_block, FrameBreak(), *body], canvasmaker=make_canvas)
    canvas = canvases[-1]
    return Rendered(
        pdf=output.getvalue(),
        pages=canvas.getPageNumber() - 1,
        placements=tuple(canvas.placements),
        warnings=warnings,
    )


MAX_TITLE_SHARE = 0.4
"""The title block may take at most this share of the first page's text area."""


MAX_BLOCKS = 5000
"""Most pieces of text (title, headings, paragraphs, lead-ins, list items) a leaflet may have: EU
leaflets have a few hundred; past this a monograph is a book, and laying it out (about 0.1 ms a piece,
hundreds of pages) would hold a batch or a service for seconds (issue 10, item 8)."""


def check_fits(monograph: Monograph, options: BuildOptions) -> None:
    """Raise :class:`LayoutFitError` for what :func:`render_pdf` refuses before laying out: more than
    :data:`MAX_BLOCKS` pieces of text, or a title block too tall for the first page with ``options``."""
    _refuse_overlong(monograph)
    style = style_for(options)
    family = font_family(options.fonts, monograph.meta.language)
    labels = labels_for(monograph.meta.language, options.site)
    title_block, _ = build_story(monograph, style, family, labels)
    _fitted_title_height(monograph, title_block, style)


def _refuse_overlong(monograph: Monograph) -> None:
    for count, piece in enumerate(iter_text(monograph), start=1):
        if count > MAX_BLOCKS:
            raise LayoutFitError(
                Diagnostic(
                    monograph.path,
                    f"more than {MAX_BLOCKS:,} pieces of text (headings, paragraphs, list items); "
                    "a leaflet has a few hundred",
                    line=piece.line or None,
                    hint="split it into several monographs",
                )
            )


def _fitted_title_height(monograph: Monograph, title_block: list, style: LeafletStyle) -> float:
    """The height of ``title_block``; refused when over :data:`MAX_TITLE_SHARE` of page 1's text area."""
    needed = title_height(title_block, style.page.width - 2 * style.page.margin)
    available = style.page.body_top - style.page.band_height - style.page.body_bottom
    if needed > MAX_TITLE_SHARE * available:
        raise LayoutFitError(
            Diagnostic(
                monograph.path,
                f"the title needs {needed / available:.0%} of the first page's text area",
                line=monograph.lines.get("title"),
                hint="shorten the title; put the details in the first paragraph",
            )
        )
    return needed


def layout_warnings(monograph: Monograph, options: BuildOptions) -> tuple[Diagnostic, ...]:
    """What the layout of ``monograph`` with ``options`` would warn about, without laying it out."""
    return _running_header_warnings(monograph, style_for(options), font_family(options.fonts, monograph.meta.language))


def _running_header_warnings(monograph: Monograph, style: LeafletStyle, family: FontFamily) -> tuple[Diagnostic, ...]:
    """A drug name wider than the running header is cut with an ellipsis there: say so."""
    width = style.page.width - 2 * style.page.margin
    if string_width(monograph.meta.drug, family.bold, style.scale.running, family.extra) <= width:
        return ()
    line = monograph.lines.get("drug") or monograph.lines.get("title")
    message = "the drug name is too long for the running header, where it is cut short with '\u2026'"
    hint = "give a shorter 'drug:' (the title can stay long)"
    return (Diagnostic(monograph.path, message, line=line, hint=hint, code="header-fit"),)
