"""Render: content model -> PDF bytes and a placement report (which block landed where).

The only stage that runs reportlab's page layout. Output is deterministic: reportlab's
``invariant`` mode keeps the clock and random IDs out of the file, so the same monograph and
options give the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import replace

from reportlab.platypus import FrameBreak

from leaflet import __version__
from leaflet.errors import Diagnostic, LayoutFitError
from leaflet.layout.labels import labels_for
from leaflet.layout.page import LeafletCanvas, LeafletDocTemplate, RunningText
from leaflet.layout.story import build_story, title_height
from leaflet.model import Monograph, iter_text
from leaflet.options import BuildOptions
from leaflet.report import Rendered
from leaflet.style import LeafletStyle, style_for, tightened_styles
from leaflet.text.fallback import string_width
from leaflet.text.fonts import FontFamily
from leaflet.text.scripts import is_rtl
from leaflet.text.user_fonts import font_family


def render_pdf(monograph: Monograph, options: BuildOptions) -> Rendered:
    """Lay out ``monograph`` with ``options`` and return the PDF with its placement report.

    With ``options.fit_pages``, the leaflet is tightened step by step until it fits (or refused); without,
    a last page holding only a few lines is pulled back onto the page before when tighter spacing does it.
    """
    _refuse_overlong(monograph)
    style = style_for(options)
    rendered = _render(monograph, style)
    if options.fit_pages is not None:
        return _fitted(monograph, style, rendered, options.fit_pages)
    if rendered.pages > 1 and _last_page_lines(rendered, style) <= SHORT_LAST_PAGE_LINES:
        for tighter in tightened_styles(style, spacing_only=True):
            candidate = _render(monograph, tighter)
            if candidate.pages < rendered.pages:
                return candidate
    return rendered


SHORT_LAST_PAGE_LINES = 4
"""A last page with at most this many lines of text is avoided when tighter spacing saves it."""


def _fitted(monograph: Monograph, style: LeafletStyle, rendered: Rendered, pages: int) -> Rendered:
    """``rendered`` if it has at most ``pages`` pages, else the first tighter layout that has; refused
    (naming the pages needed at the tightest) when none has."""
    if rendered.pages <= pages:
        return rendered
    for tighter in tightened_styles(style):
        rendered = _render(monograph, tighter)
        if rendered.pages <= pages:
            if tighter.scale.body < style.scale.body:
                return replace(rendered, warnings=(*rendered.warnings, _smaller_type(monograph, tighter, pages)))
            return rendered
    smallest = f"{tighter.scale.body:g} pt"
    raise LayoutFitError(
        Diagnostic(
            monograph.path,
            f"needs {rendered.pages} pages even with tight spacing and {smallest} text; --fit-pages asked for {pages}",
            hint=f"give --fit-pages {rendered.pages}, or shorten the text"
            + ("" if style.options.columns == 2 or style.options.large_print else ", or use two columns"),
            code="fit-pages",
        )
    )


def _smaller_type(monograph: Monograph, style: LeafletStyle, pages: int) -> Diagnostic:
    message = f"set in {style.scale.body:g} pt to fit {pages} page{'s' if pages > 1 else ''}"
    return Diagnostic(monograph.path, message, hint="allow more pages to keep 10 pt text", code="fit-pages")


def _last_page_lines(rendered: Rendered, style: LeafletStyle) -> float:
    """About how many lines of text the last page of ``rendered`` holds."""
    height = sum(place.height for place in rendered.placements if place.page == rendered.pages)
    return height / style.scale.leading


def _render(monograph: Monograph, style: LeafletStyle) -> Rendered:
    """Lay out ``monograph`` in ``style`` once."""
    options = style.options
    family = font_family(options.fonts, monograph.meta.language)
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
            rtl=is_rtl(monograph.meta.language),
            site_lines=options.site.pharmacy_lines() if options.site.pharmacy_line() else (),
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
        canvas = LeafletCanvas(*args, standard=options.pdf_standard, **kwargs)
        canvas.showOutline()
        canvases.append(canvas)
        return canvas

    try:
        doc.build([*title_block, FrameBreak(), *body], canvasmaker=make_canvas)
    except LayoutFitError as error:  # raised while laying out, where the file is not known
        raise LayoutFitError([replace(d, path=d.path or monograph.path) for d in error.diagnostics]) from None
    canvas = canvases[-1]
    return Rendered(
        pdf=output.getvalue(),
        pages=canvas.getPageNumber() - 1,
        placements=tuple(canvas.placements),
        warnings=warnings,
        body_size=style.scale.body,
        leading=style.scale.leading,
    )


MAX_TITLE_SHARE = 0.4
"""The title block may take at most this share of the first page's text area."""


MAX_BLOCKS = 5000
"""Most pieces of text (title, headings, paragraphs, lead-ins, list items, table cells, captions, notices,
figures' alt texts: :func:`iter_text`) a leaflet may have: EU
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
                    f"more than {MAX_BLOCKS:,} pieces of text (headings, paragraphs, list items, table cells); "
                    "a leaflet has a few hundred",
                    line=piece.line or None,
                    hint="split it into several monographs",
                )
            )


def _fitted_title_height(monograph: Monograph, title_block: list, style: LeafletStyle) -> float:
    """The height of ``title_block``; refused when over :data:`MAX_TITLE_SHARE` of page 1's text area."""
    needed = title_height(title_block, style.page.width - 2 * style.page.side_margin)
    available = style.page.body_top - style.page.band_height - style.page.body_bottom
    if needed > MAX_TITLE_SHARE * available:
        raise LayoutFitError(
            Diagnostic(
                monograph.path,
                f"the title needs {needed / available:.0%} of the first page's text area",
                line=monograph.lines.get("title"),
                hint=_title_hint(title_block),
            )
        )
    return needed


def _title_hint(title_block: list) -> str:
    """What to shorten: the title, or the black-triangle statement printed under it (a ``notice-box``)."""
    if any(getattr(getattr(flowable, "block", None), "kind", "") == "notice" for flowable in title_block):
        return "shorten the title, or the additional-monitoring notice printed under it"
    return "shorten the title; put the details in the first paragraph"


def layout_warnings(monograph: Monograph, options: BuildOptions) -> tuple[Diagnostic, ...]:
    """What the layout of ``monograph`` with ``options`` would warn about, without laying it out."""
    return _running_header_warnings(monograph, style_for(options), font_family(options.fonts, monograph.meta.language))


def _running_header_warnings(monograph: Monograph, style: LeafletStyle, family: FontFamily) -> tuple[Diagnostic, ...]:
    """A drug name wider than the running header is cut with an ellipsis there: say so."""
    width = style.page.width - 2 * style.page.side_margin
    if string_width(monograph.meta.drug, family.bold, style.scale.running, family.extra) <= width:
        return ()
    line = monograph.lines.get("drug") or monograph.lines.get("title")
    message = "the drug name is too long for the running header, where it is cut short with '\u2026'"
    hint = "give a shorter 'drug:' (the title can stay long)"
    return (Diagnostic(monograph.path, message, line=line, hint=hint, code="header-fit"),)
