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
from leaflet.model import Monograph
from leaflet.options import BuildOptions
from leaflet.report import Rendered
from leaflet.style import style_for
from leaflet.text.fonts import register_fonts


def render_pdf(monograph: Monograph, options: BuildOptions) -> Rendered:
    """Lay out ``monograph`` with ``options`` and return the PDF with its placement report."""
    family = register_fonts()
    style = style_for(options)
    labels = labels_for(monograph.meta.language)
    title_block, body = build_story(monograph, style, family, labels)
    title_space = title_height(title_block, style.page.width - 2 * style.page.margin)
    _refuse_oversized_title(
        monograph, title_space, style.page.body_top - style.page.band_height - style.page.body_bottom
    )
    output = io.BytesIO()
    doc = LeafletDocTemplate(
        output,
        style=style,
        family=family,
        running=RunningText(drug=monograph.meta.drug, revised=monograph.meta.revised, labels=labels),
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
    return Rendered(pdf=output.getvalue(), pages=canvas.getPageNumber() - 1, placements=tuple(canvas.placements))


MAX_TITLE_SHARE = 0.4
"""The title block may take at most this share of the first page's text area."""


def _refuse_oversized_title(monograph: Monograph, needed: float, available: float) -> None:
    if needed > MAX_TITLE_SHARE * available:
        raise LayoutFitError(
            Diagnostic(
                monograph.path,
                f"the title needs {needed / available:.0%} of the first page's text area",
                line=monograph.lines.get("title"),
                hint="shorten the title; put the details in the first paragraph",
            )
        )
