"""The personalisation band: patient details drawn into the room a personalised leaflet reserves.

Consumes :class:`PatientDetails`, the leaflet's build options and its page count; returns a PDF
(bytes) of overlay pages the size of the leaflet's, one per leaflet page, for :mod:`leaflet.orders`
to merge onto the leaflet. Page 1 carries the band (name, Rx number, date dispensed, pharmacy, the
directions wrapped to fit, and a QR code of the Rx reference); later pages a one-line reminder
(name, Rx). Everything is drawn inside ``reserved_box``, which the layout keeps free of text, so the
band never covers leaflet text; the leaflet is laid out once and only this overlay is made per order.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from typing import cast

from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import HexColor, black, white
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from leaflet.fonts import FontFamily, register_fonts
from leaflet.layout.page import binary_streams, fit_text
from leaflet.patient import PatientDetails
from leaflet.style import MIN_BODY_SIZE, MIN_LEADING_RATIO, BuildOptions, LeafletStyle, style_for

PADDING = 4.0
"""Between the band's edge and what is drawn in it."""
SIZE_STEP = 0.5
BAND_FILL = "#EEF3F8"

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Band:
    """The overlay PDF, and whether some text had to be cut to fit (the caller warns)."""

    pdf: bytes
    cut: bool


@dataclass(frozen=True)
class _Line:
    text: str
    bold: bool = False


def render_band(details: PatientDetails, options: BuildOptions, *, pages: int, qr_payload: str | None) -> Band:
    """Overlay pages for a leaflet of ``pages`` pages built with ``options`` (which must be personalised)."""
    style = style_for(options)
    family = register_fonts()
    output = io.BytesIO()
    with binary_streams():
        canvas = Canvas(output, pagesize=(style.page.width, style.page.height), invariant=1)
        cut = False
        for number in range(1, pages + 1):
            box = style.page.reserved_box(number)
            if box is None:
                raise ValueError("render_band needs a leaflet built with personalised=True")
            if number == 1:
                cut = _draw_band(canvas, box, details, qr_payload, style, family)
            else:
                cut = _draw_reminder(canvas, box, details, style, family) or cut
            canvas.showPage()
        canvas.save()
    return Band(pdf=output.getvalue(), cut=cut)


def _draw_band(
    canvas: Canvas, box: Box, details: PatientDetails, payload: str | None, style: LeafletStyle, family: FontFamily
) -> bool:
    x, y, width, height = box
    canvas.saveState()
    canvas.setFillColor(HexColor(BAND_FILL))
    canvas.setStrokeColor(HexColor(style.colours.rule))
    canvas.setLineWidth(0.6)
    canvas.rect(x, y, width, height, stroke=1, fill=1)
    text_width = width - 2 * PADDING
    if payload:
        side = height - 2 * PADDING
        _draw_qr(canvas, payload, x + width - PADDING - side, y + PADDING, side)
        text_width -= side + PADDING
    canvas.setFillColor(HexColor(style.colours.text))
    lines, size, cut = _fit_lines(details, text_width, height - 2 * PADDING, style.scale.body, family)
    _draw_lines(canvas, lines, x + PADDING, y + height - PADDING, size, family)
    canvas.restoreState()
    return cut


def _draw_qr(canvas: Canvas, payload: str, x: float, y: float, side: float) -> None:
    """A QR code of ``payload`` filling the square ``side`` wide at (x, y), on white (its quiet zone).

    reportlab's own encoder (the one behind its QrCodeWidget, error correction L), with each row's runs
    of dark modules drawn as rectangles of one path: the widget's shape objects cost more than the
    encoding itself.
    """
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.L)
    code.addData(payload)
    code.make()
    count = code.getModuleCount()
    module = side / (count + 2 * QR_BORDER)
    canvas.setFillColor(white)
    canvas.rect(x, y, side, side, stroke=0, fill=1)
    canvas.setFillColor(black)
    path = canvas.beginPath()
    for row, cells in enumerate(code.modules):
        column = 0
        for dark, run in itertools.groupby(bool(cell) for cell in cells):
            length = len(list(run))
            if dark:
                top = y + side - (row + QR_BORDER + 1) * module
                path.rect(x + (column + QR_BORDER) * module, top, length * module, module)
            column += length
    canvas.drawPath(path, stroke=0, fill=1)


QR_BORDER = 2
"""Quiet-zone width around the code, in modules."""


def _band_lines(details: PatientDetails) -> tuple[list[_Line], str]:
    """The single lines of the band (name, Rx and date, pharmacy) and the directions to wrap."""
    facts = []
    if details.rx:
        facts.append(f"Rx {details.rx}")
    if details.dispensed:
        facts.append(f"Dispensed {details.dispensed}")
    lines = [_Line(details.patient, bold=True), _Line("   ".join(facts)), _Line(details.pharmacy)]
    return [line for line in lines if line.text], details.directions


def _fit_lines(
    details: PatientDetails, width: float, height: float, start: float, family: FontFamily
) -> tuple[list[_Line], float, bool]:
    """The lines at the largest size from ``start`` down to the 9 pt minimum (EU readability guideline)
    at which they fit ``width`` x ``height``; at the minimum, what does not fit is cut with an ellipsis."""
    singles, directions = _band_lines(details)
    size = start
    while True:
        wrapped = _wrap(directions, width, family.regular, size)
        lines = [*singles, *(_Line(text) for text in wrapped)]
        too_wide = any(_width(line, size, family) > width for line in singles)
        room = _lines_that_fit(height, size, family)
        if (not too_wide and len(lines) <= room) or size - SIZE_STEP < MIN_BODY_SIZE:
            break
        size -= SIZE_STEP
    cut = False
    fitted = []
    for line in lines:
        face = family.bold if line.bold else family.regular
        text = fit_text(line.text, width, face, size, canvas=_MEASURE)
        cut = cut or text != line.text
        fitted.append(_Line(text, line.bold))
    if len(fitted) > room:
        fitted = fitted[: max(room, 0)]
        last = fitted[-1]
        fitted[-1] = _Line(fit_text(last.text + " \u2026", width, family.regular, size, canvas=_MEASURE), last.bold)
        cut = True
    return fitted, size, cut


def _lines_that_fit(height: float, size: float, family: FontFamily) -> int:
    ascent, descent = _extents(family, size)
    leading = size * MIN_LEADING_RATIO
    return int((height - ascent - descent) // leading) + 1


def _extents(family: FontFamily, size: float) -> tuple[float, float]:
    face = pdfmetrics.getFont(family.regular).face
    return face.ascent / 1000 * size, -face.descent / 1000 * size


def _width(line: _Line, size: float, family: FontFamily) -> float:
    return pdfmetrics.stringWidth(line.text, family.bold if line.bold else family.regular, size)


def _wrap(text: str, width: float, font: str, size: float) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` (a longer word keeps its own line)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and pdfmetrics.stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _draw_lines(canvas: Canvas, lines: list[_Line], left: float, top: float, size: float, family: FontFamily) -> None:
    ascent, _ = _extents(family, size)
    baseline = top - ascent
    for line in lines:
        canvas.setFont(family.bold if line.bold else family.regular, size)
        canvas.drawString(left, baseline, line.text)
        baseline -= size * MIN_LEADING_RATIO


def _draw_reminder(canvas: Canvas, box: Box, details: PatientDetails, style: LeafletStyle, family: FontFamily) -> bool:
    """One line, vertically centred in the strip: the name and the Rx number."""
    x, y, width, height = box
    parts = [part for part in (details.patient, f"Rx {details.rx}" if details.rx else "") if part]
    if not parts:
        return False
    text = "Dispensed for " + "   ".join(parts) if details.patient else "   ".join(parts)
    size = style.scale.running
    ascent, descent = _extents(family, size)
    shown = fit_text(text, width, family.bold, size, canvas=_MEASURE)
    canvas.saveState()
    canvas.setFillColor(HexColor(style.colours.running))
    canvas.setFont(family.bold, size)
    canvas.drawString(x, y + (height - ascent - descent) / 2 + descent, shown)
    canvas.restoreState()
    return shown != text


class _Measure:
    """What :func:`fit_text` needs of a canvas: string widths, without a canvas."""

    stringWidth = staticmethod(pdfmetrics.stringWidth)  # noqa: N815 (reportlab's name)


_MEASURE = cast(Canvas, _Measure)
