"""The band's QR code: it decodes to the Rx reference (read back with zxing-cpp, an independent decoder),
and its mask is chosen by the ISO/IEC 18004 penalty rules."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from leaflet.options import BuildOptions
from leaflet.orders.attach import attach_leaflets
from leaflet.personalise.band import mask_penalty, qr_modules
from leaflet.personalise.patient import patient_details
from leaflet.style import style_for
from tests.conftest import SAMPLE
from tests.orders.support import order_pdf, write

PIXELS_PER_MODULE = 4
QUIET_MODULES = 4


def decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def modules_image(modules: list[list[bool]]) -> Image.Image:
    """The symbol as a black-on-white image with a quiet zone, as a scanner would see it printed."""
    side = (len(modules) + 2 * QUIET_MODULES) * PIXELS_PER_MODULE
    image = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(image)
    for row, cells in enumerate(modules):
        for column, dark in enumerate(cells):
            if dark:
                left = (column + QUIET_MODULES) * PIXELS_PER_MODULE
                top = (row + QUIET_MODULES) * PIXELS_PER_MODULE
                draw.rectangle((left, top, left + PIXELS_PER_MODULE - 1, top + PIXELS_PER_MODULE - 1), fill=0)
    return image


def rectangles_image(rects: list[dict], box: tuple[float, float, float, float]) -> Image.Image:
    """pdfplumber rectangles (top-left origin) inside ``box`` (x0, top, x1, bottom) drawn at 8 px a point."""
    scale = 8
    x0, top, x1, bottom = box
    image = Image.new("L", (round((x1 - x0) * scale), round((bottom - top) * scale)), 255)
    draw = ImageDraw.Draw(image)
    for rect in rects:
        fill = 0 if rect.get("non_stroking_color") in (0, (0,), [0], (0.0,), [0.0]) else 255
        draw.rectangle(
            (
                round((rect["x0"] - x0) * scale),
                round((rect["top"] - top) * scale),
                round((rect["x1"] - x0) * scale) - 1,
                round((rect["bottom"] - top) * scale) - 1,
            ),
            fill=fill,
        )
    return image


def test_packet_qr_code_decodes_to_the_rx_reference(tmp_path: Path) -> None:
    """This test ensures that the QR code drawn in a packet's band, read back from the PDF's own rectangles
    (as a printer would draw them) by an independent decoder, carries the Rx reference and nothing else."""
    options = BuildOptions(paper="letter", personalised=True)
    details = patient_details(where="o.pdf", patient="Zoë Ångström", rx="RX-40721", directions="1 daily")
    assert details is not None
    order = write(tmp_path / "order.pdf", order_pdf(1))
    packet = attach_leaflets(order, [SAMPLE], paper="letter", patient=details)
    x, y, width, height = style_for(options).page.reserved_box(1)  # type: ignore[misc]
    with pdfplumber.open(io.BytesIO(packet)) as pdf:
        page = pdf.pages[1]
        qr_left = x + width - height  # the code is a square at the band's right
        box = (qr_left, page.height - (y + height), x + width, page.height - y)
        rects = [r for r in page.rects if r["x0"] >= qr_left - 0.5 and r["top"] >= box[1] - 0.5]
        image = rectangles_image(rects, box)
    assert decode(image) == ["RX:RX-40721"]


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=120))
def test_every_payload_decodes_back(payload: str) -> None:
    """This test ensures that whatever the payload (numeric, alphanumeric or byte mode, any length the band
    may carry) the symbol with the chosen mask decodes to it."""
    assert decode(modules_image(qr_modules(payload))) == [payload]


def test_penalty_of_a_blank_symbol() -> None:
    """This test ensures that the penalty follows ISO/IEC 18004 7.8.3.1 on a blank 21 x 21 symbol: 42 lines
    of a run of 21 (N1 = 3 + 16 each), 400 2x2 blocks (N2 = 3 each), no finder-like pattern, and a dark
    share 50 % from half (N4 = 10 x 10)."""
    blank = [[False] * 21 for _ in range(21)]
    assert mask_penalty(blank) == 42 * 19 + 400 * 3 + 0 + 100


def test_penalty_of_a_checkerboard() -> None:
    """This test ensures that a checkerboard, which has no runs, no blocks, no finder-like pattern and half
    its modules dark, scores nothing."""
    board = [[(row + column) % 2 == 0 for column in range(21)] for row in range(21)]
    assert mask_penalty(board) == 0


def test_penalty_counts_finder_like_patterns_in_rows_and_columns() -> None:
    """This test ensures that a 1:1:3:1:1 dark-light pattern with four light modules beside it (N3 = 40) is
    counted once in a row and once more when the same modules run down a column."""
    board = [[(row + column) % 2 == 0 for column in range(21)] for row in range(21)]
    base = mask_penalty(board)
    pattern = [c == "1" for c in "10111010000"]
    row_version = [list(line) for line in board]
    row_version[10][0:11] = pattern
    column_version = [list(line) for line in board]
    for offset, dark in enumerate(pattern):
        column_version[offset][10] = dark
    assert mask_penalty(row_version) - mask_penalty(board) >= 40
    assert mask_penalty(row_version) - base == mask_penalty(column_version) - base
