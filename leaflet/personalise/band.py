"""The personalisation band: patient details drawn into the room a personalised leaflet reserves.

Consumes :class:`PatientDetails`, the leaflet's build options and its page count; returns a
:class:`Band`: for every leaflet page, the PDF drawing operators of what goes over it, with the font
subsets they use, for :mod:`leaflet.pdf` to draw over the leaflet as a form. Page 1 carries the
band (name, Rx number, date dispensed, pharmacy, the directions wrapped to fit, and a QR code of the
Rx reference); later pages a one-line reminder (name, Rx). Everything is drawn inside
``reserved_box``, which the layout keeps free of text, so the band never covers leaflet text; the
leaflet is laid out once and only this drawing is made per order.

The operators are written here rather than through a reportlab canvas: a canvas document costs
several milliseconds an order (its own font subsets, its own PDF file), a third of a packet's time.
Fonts come from :mod:`leaflet.personalise.band_fonts`, the QR code from reportlab's own encoder.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from reportlab.graphics.barcode import qrencoder
from reportlab.pdfbase import pdfmetrics

from leaflet.layout.page import fit_text
from leaflet.options import BuildOptions, language_key
from leaflet.pdf.syntax import pdf_numbers
from leaflet.personalise.band_fonts import SubsetFont, code_table, subset_fonts
from leaflet.personalise.band_labels import BAND_LABELS, BandLabels, band_labels_for
from leaflet.personalise.patient import PatientDetails
from leaflet.style import MIN_BODY_SIZE, MIN_LEADING_RATIO, LeafletStyle, style_for
from leaflet.text.fallback import drawable, font_runs, string_width
from leaflet.text.fonts import FontFamily, register_fonts

PADDING = 4.0
"""Between the band's edge and what is drawn in it."""
SIZE_STEP = 0.5
BAND_FILL = "#EEF3F8"
QR_BORDER = 2
"""Quiet-zone width around the code, in modules."""

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class TextRun:
    """One line of text to draw: its font (a registered name), size, baseline start and characters."""

    font: str
    size: float
    x: float
    y: float
    text: str


Mark = bytes | TextRun
"""Graphics operators as they are, or a line of text (encoded once the fonts are chosen)."""


@dataclass(frozen=True)
class Band:
    """What to draw over each leaflet page, and whether some text had to be cut (the caller warns)."""

    pages: tuple[bytes, ...]
    """Content-stream operators for each page, in the page's coordinates."""
    fonts: tuple[tuple[str, SubsetFont], ...]
    """The font resources (``/Name``, subset) those operators use."""
    width: float
    height: float
    """The page's size: the drawing's bounding box."""
    cut: bool
    words_in: str | None = None
    """The language of the band's own words when it is not the leaflet's (English where the leaflet's
    language has no band words): its tagged element says so."""


@dataclass(frozen=True)
class _Line:
    text: str
    bold: bool = False


def render_band(
    details: PatientDetails, options: BuildOptions, *, pages: int, qr_payload: str | None, language: str | None = None
) -> Band:
    """The drawing for a leaflet of ``pages`` pages built with ``options`` (which must be personalised), its
    words in the leaflet's ``language``."""
    style = style_for(options)
    labels = band_labels_for(language, options.site)
    details, qr_payload = printed_fields(details, options, qr_payload)
    family = register_fonts()
    drawings: list[list[Mark]] = []
    cut = False
    for number in range(1, pages + 1):
        box = style.page.reserved_box(number)
        if box is None:
            raise ValueError("render_band needs a leaflet built with personalised=True")
        marks: list[Mark] = []
        if number == 1:
            cut = _draw_band(marks, box, (details, labels), qr_payload, style, family)
        else:
            cut = _draw_reminder(marks, box, (details, labels), style, family) or cut
        drawings.append(marks)
    fonts = _fonts_for([mark for marks in drawings for mark in marks if isinstance(mark, TextRun)])
    encoded = tuple(b"".join(_encode(mark, fonts) for mark in marks) for marks in drawings)
    resources = tuple((name, font) for subsets in fonts.values() for name, font in subsets)
    words_in = "en" if language_key(language) not in BAND_LABELS else None  # English words stood in
    width, height = style.page.width, style.page.height
    return Band(pages=encoded, fonts=resources, width=width, height=height, cut=cut, words_in=words_in)


def printed_fields(
    details: PatientDetails, options: BuildOptions, qr_payload: str | None
) -> tuple[PatientDetails, str | None]:
    """The details and QR payload with what the site's ``[band] fields`` leaves out emptied."""
    shown = options.site.band_fields
    empty = {name: "" for name in ("patient", "rx", "dispensed", "directions", "pharmacy") if name not in shown}
    return (replace(details, **empty) if empty else details), (qr_payload if "qr" in shown else None)


Worded = tuple[PatientDetails, BandLabels]
"""The patient's details with the band's words in the leaflet's language."""


def _draw_band(
    marks: list[Mark], box: Box, details: Worded, payload: str | None, style: LeafletStyle, family: FontFamily
) -> bool:
    x, y, width, height = box
    marks.append(
        b"q %s %s 0.6 w %s re B\n" % (_fill(BAND_FILL), _stroke(style.colours.rule), pdf_numbers(x, y, width, height))
    )
    text_width = width - 2 * PADDING
    if payload:
        side = height - 2 * PADDING
        marks.append(_qr(payload, x + width - PADDING - side, y + PADDING, side))
        text_width -= side + PADDING
    lines, size, cut = _fit_lines(details, text_width, height - 2 * PADDING, style.scale.body, family)
    marks.append(_fill(style.colours.text) + b"\n")
    ascent, _ = _extents(family, size)
    baseline = y + height - PADDING - ascent
    for line in lines:
        marks.extend(_text_runs(family.bold if line.bold else family.regular, size, x + PADDING, baseline, line.text))
        baseline -= size * MIN_LEADING_RATIO
    marks.append(b"Q\n")
    return cut


def _qr(payload: str, x: float, y: float, side: float) -> bytes:
    """A QR code of ``payload`` filling the square ``side`` wide at (x, y), on white (its quiet zone):
    each row's runs of dark modules as rectangles of one path, in module units (one ``cm`` scales them),
    so that the many rectangles are written as small integers."""
    modules = qr_modules(payload)
    count = len(modules) + 2 * QR_BORDER
    module = side / count
    rectangles = []
    for row, cells in enumerate(modules):
        column = QR_BORDER
        bottom = count - QR_BORDER - 1 - row  # rows run down the page, y up
        for dark, run in itertools.groupby(cells):
            length = len(list(run))
            if dark:
                rectangles.append(b"%d %d %d 1 re" % (column, bottom, length))
            column += length
    matrix = pdf_numbers(module, 0, 0, module, x, y)
    return b"q %s cm 1 g 0 0 %d %d re f 0 g\n%s f Q\n" % (matrix, count, count, b"\n".join(rectangles))


def qr_modules(payload: str) -> list[list[bool]]:
    """The modules (True: dark) of ``payload`` encoded by reportlab's QR encoder at error correction
    level L, with the mask of lowest penalty (ISO/IEC 18004:2015, 7.8.3) scored by :func:`mask_penalty`.

    The encoder's own search lays the symbol out and scores it eight times (2 ms, most of a band's
    time); here it is laid out once, each mask is applied to the data modules as whole rows of bits,
    and only the chosen mask is laid out again with its format information.
    """
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.L)
    code.addData(payload)
    code.version = code.calculate_version()
    code.makeImpl(True, 0)  # function patterns (format bits light, as the encoder scores them), data under mask 0
    width = code.moduleCount
    positions = code.dataPosIterator()
    bits = [*code.dataBitIterator(code.dataCache)]
    bits += [False] * (len(positions) - len(bits))  # remainder bits are light (ISO/IEC 18004 7.7.3)
    fixed = [0] * width  # function patterns: modules that are not data
    data = [0] * width  # the data bits, unmasked
    data_positions = [0] * width
    for (column, row), bit in zip(positions, bits, strict=True):
        place = 1 << (width - 1 - column)
        data_positions[row] |= place
        if bit:
            data[row] |= place
    for row, cells in enumerate(code.modules):
        fixed[row] = int("".join("1" if cell else "0" for cell in cells), 2) & ~data_positions[row]
    penalties = []
    for pattern in range(8):
        inverted = _mask_rows(pattern, width)
        rows = [fixed[r] | (data[r] ^ (inverted[r] & data_positions[r])) for r in range(width)]
        penalties.append(mask_penalty_of_rows(rows, width))
    code.makeImpl(False, penalties.index(min(penalties)))
    return [[bool(cell) for cell in row] for row in code.modules]


@lru_cache(maxsize=64)
def _mask_rows(pattern: int, width: int) -> tuple[int, ...]:
    """Rows of bits set where mask ``pattern`` inverts a module of a ``width``-module symbol."""
    inverts = qrencoder.QRUtil.getMask(pattern)
    return tuple(
        sum(1 << (width - 1 - column) for column in range(width) if inverts(row, column)) for row in range(width)
    )


_RUNS = re.compile(r"0{5,}|1{5,}")
_FINDER_LIKE = re.compile(r"(?=10111010000|00001011101)")


def mask_penalty(modules: list[list[bool]]) -> int:
    """The penalty score of a masked symbol (ISO/IEC 18004:2015, 7.8.3.1): runs of five or more
    modules alike (N1 = 3), 2x2 blocks alike (N2 = 3), finder-like 1:1:3:1:1 patterns beside four
    light modules (N3 = 40), and the dark share's distance from half (N4 = 10 per 5 %)."""
    width = len(modules)
    return mask_penalty_of_rows([int("".join("1" if c else "0" for c in row), 2) for row in modules], width)


def mask_penalty_of_rows(rows: list[int], width: int) -> int:
    """:func:`mask_penalty` of a symbol given as rows of bits (the leftmost module the highest bit)."""
    lines = [format(row, f"0{width}b") for row in rows]
    lines += ["".join(column) for column in zip(*lines, strict=True)]
    text = "\n".join(lines)  # a line break ends every run and pattern
    score = sum(len(run) - 2 for run in _RUNS.findall(text))  # 3 + (length - 5)
    full = (1 << (width - 1)) - 1
    for upper, lower in itertools.pairwise(rows):
        alike = ~(upper ^ lower)  # vertically alike
        score += 3 * (alike & (alike >> 1) & ~(upper ^ (upper >> 1)) & full).bit_count()
    score += 40 * len(_FINDER_LIKE.findall(text))
    dark, cells = sum(row.bit_count() for row in rows), width * width
    return score + 10 * (abs(dark * 100 - 50 * cells) // (5 * cells))  # whole 5 % steps away from half


def _band_lines(worded: Worded) -> tuple[list[_Line], str]:
    """The single lines of the band (name, Rx and date, pharmacy) and the directions to wrap."""
    details, labels = worded
    facts = []
    if details.rx:
        facts.append(labels.rx.format(rx=details.rx))
    if details.dispensed:
        facts.append(labels.dispensed.format(date=details.dispensed))
    lines = [_Line(details.patient, bold=True), _Line("   ".join(facts)), _Line(details.pharmacy)]
    return [line for line in lines if line.text], details.directions


def _fit_lines(
    details: Worded, width: float, height: float, start: float, family: FontFamily
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
        text = fit_text(line.text, width, face, size)
        cut = cut or text != line.text
        fitted.append(_Line(text, line.bold))
    if len(fitted) > room:
        fitted = fitted[: max(room, 0)]
        last = fitted[-1]
        fitted[-1] = _Line(fit_text(last.text + " \u2026", width, family.regular, size), last.bold)
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
    return string_width(line.text, family.bold if line.bold else family.regular, size)


def _text_runs(face: str, size: float, x: float, y: float, text: str) -> list[TextRun]:
    """``text`` at (``x``, ``y``) as one run a font: ``face`` where it has the characters, the fallback
    fonts (≤ ≥, CJK names) where it does not."""
    runs = []
    for piece, name in font_runs(drawable(text), face):
        runs.append(TextRun(name, size, x, y, piece))
        x += pdfmetrics.stringWidth(piece, name, size)
    return runs


def _wrap(text: str, width: float, font: str, size: float) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` (a longer word keeps its own line)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and string_width(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def _draw_reminder(marks: list[Mark], box: Box, worded: Worded, style: LeafletStyle, family: FontFamily) -> bool:
    """One line, vertically centred in the strip: the name and the Rx number."""
    details, labels = worded
    x, y, width, height = box
    parts = [part for part in (details.patient, labels.rx.format(rx=details.rx) if details.rx else "") if part]
    if not parts:
        return False
    text = labels.reminder.format(name="   ".join(parts)) if details.patient else "   ".join(parts)
    size = style.scale.running
    ascent, descent = _extents(family, size)
    shown = fit_text(text, width, family.bold, size)
    marks.append(b"q " + _fill(style.colours.running) + b"\n")
    marks.extend(_text_runs(family.bold, size, x, y + (height - ascent - descent) / 2 + descent, shown))
    marks.append(b"Q\n")
    return shown != text


def _fonts_for(runs: list[TextRun]) -> dict[str, list[tuple[str, SubsetFont]]]:
    """For each font the runs use, its subsets with the resource names they get (``/LB1``, ...)."""
    used: dict[str, set[str]] = {}
    for run in runs:
        used.setdefault(run.font, set()).update(run.text)
    counter = itertools.count(1)
    return {
        font: [(f"/LB{next(counter)}", subset) for subset in subset_fonts(font, frozenset(characters))]
        for font, characters in sorted(used.items())
    }


def _encode(mark: Mark, fonts: dict[str, list[tuple[str, SubsetFont]]]) -> bytes:
    """``mark`` as operators: a text run becomes ``BT ... ET`` with one ``Tj`` a subset; a character
    the face lacks draws code 0 (.notdef) of the first subset."""
    if isinstance(mark, bytes):
        return mark
    subsets = fonts[mark.font]
    table = code_table(tuple(subset for _, subset in subsets))
    pieces = [b"BT %s Td" % pdf_numbers(mark.x, mark.y)]
    size = pdf_numbers(mark.size)
    for index, entries in itertools.groupby((table.get(c, (0, 0)) for c in mark.text), key=lambda entry: entry[0]):
        codes = bytes(code for _, code in entries).hex().encode("ascii")
        pieces.append(b"%s %s Tf <%s> Tj" % (subsets[index][0].encode("ascii"), size, codes))
    pieces.append(b"ET\n")
    return b" ".join(pieces)


def _rgb(colour: str) -> bytes:
    red, green, blue = (int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5))
    return pdf_numbers(red, green, blue)


def _fill(colour: str) -> bytes:
    return _rgb(colour) + b" rg"


def _stroke(colour: str) -> bytes:
    return _rgb(colour) + b" RG"
