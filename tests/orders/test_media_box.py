"""Order pages whose MediaBox cannot be used are repaired, with one warning (issue 10.5: such pages were
copied as they were, and Ghostscript then aborted the whole packet, leaflet pages included)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from leaflet.orders.attach import attach_leaflets
from tests.cli.helpers import GOOD_YAML
from tests.orders.support import check_with_qpdf, raw_pdf, write

CONTENT = b"BT /F1 12 Tf 72 700 Td (Order 7 line 1) Tj ET"


def order_with_boxes(*pages: bytes) -> bytes:
    """An order of one page per entry of ``pages``: the page dictionary's extra entries (its boxes)."""
    kids = b" ".join(b"%d 0 R" % (10 + n) for n in range(len(pages)))
    objects = {
        1: b"<</Type /Catalog /Pages 2 0 R>>",
        2: b"<</Type /Pages /Kids [%s] /Count %d>>" % (kids, len(pages)),
        4: b"<</Length %d>>\nstream\n%s\nendstream" % (len(CONTENT), CONTENT),
        5: b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>",
    }
    for number, entries in enumerate(pages):
        objects[10 + number] = (
            b"<</Type /Page /Parent 2 0 R /Contents 4 0 R /Resources <</Font <</F1 5 0 R>>>> %s>>" % entries
        )
    return raw_pdf(objects)


def render_with_ghostscript(path: Path) -> subprocess.CompletedProcess[bytes]:
    gs = shutil.which("gs")
    if gs is None:
        pytest.skip("Ghostscript is not installed")
    command = [gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=nullpage", str(path)]
    return subprocess.run(command, capture_output=True, timeout=60, check=False)


@pytest.mark.parametrize(
    ("boxes", "expected", "repaired"),
    [
        ([b"/MediaBox [0 0 0 0] /CropBox [0 0 595 842]"], [(0, 0, 595, 842)], "1"),
        ([b"/MediaBox [0 0 420 595]", b"/MediaBox []"], [(0, 0, 420, 595), (0, 0, 420, 595)], "2"),
        ([b"/MediaBox [0 0 612]", b"/MediaBox [0 0 595 842]"], [(0, 0, 595, 842), (0, 0, 595, 842)], "1"),
        ([b"/MediaBox [0 0 (a) /b]", b"/MediaBox [0 0 0 0]"], [(0, 0, 612, 792), (0, 0, 612, 792)], "1, 2"),
        ([b"/MediaBox [0 0 612 0]"], [(0, 0, 612, 792)], "1"),
        ([b"/MediaBox [612 792 0 0]"], [(612, 792, 0, 0)], None),
        ([b"/MediaBox [0 0 612 7842 0]", b"/MediaBox [0 0 595 842]"], [(0, 0, 595, 842), (0, 0, 595, 842)], "1"),
    ],
    ids=[
        "zero, from CropBox",
        "empty, from the page before",
        "short, from the page after",
        "not numbers, Letter",
        "no area, Letter",
        "corners reversed, kept",
        "five values, from the page after (found by the fuzzer)",
    ],
)
def test_unusable_media_box_is_repaired(
    tmp_path: Path, boxes: list[bytes], expected: list[tuple[float, ...]], repaired: str | None
) -> None:
    """This test ensures that an order page whose MediaBox is [0 0 0 0], empty, short, not numbers or without
    area is given its CropBox, else the box of a neighbouring page, else Letter, with one warning naming the
    file and the pages (and nothing of the order), and that the packet passes qpdf's check and renders in
    Ghostscript; a box with its corners reversed is valid and kept."""
    order = write(tmp_path / "order.pdf", order_with_boxes(*boxes))
    warnings: list[object] = []
    packet = write(tmp_path / "packet.pdf", attach_leaflets(order, [GOOD_YAML], on_warning=warnings.append))
    pages = PdfReader(packet).pages
    assert [tuple(float(v) for v in page["/MediaBox"]) for page in pages[: len(boxes)]] == expected
    check_with_qpdf(packet)
    rendered = render_with_ghostscript(packet)
    assert rendered.returncode == 0, rendered.stderr[-500:]
    if repaired is None:
        assert warnings == []
    else:
        label = "pages" if "," in repaired else "page"
        assert [str(warning) for warning in warnings] == [
            f"{order}: {label} {repaired}: no usable MediaBox (page size); repaired from the page's other boxes or"
            " pages (check the size of these pages in the packet)"
        ]


@pytest.mark.parametrize("box", [b"[0 0 0 0]", b"[]", b"[0 0 612]"])
def test_ghostscript_fails_on_the_damaged_order_itself(tmp_path: Path, box: bytes) -> None:
    """This test ensures that these damaged orders do make Ghostscript fail as they are, so that the repair
    is what lets their packets render (issue 10.5)."""
    order = write(tmp_path / "order.pdf", order_with_boxes(b"/MediaBox " + box))
    assert render_with_ghostscript(order).returncode != 0


def test_five_value_box_is_never_quoted(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    """This test ensures that a MediaBox of five values, which pypdf's page accessors log in full (the
    page's contents, in one fuzzed order), leaves nothing on stdout or stderr: leaflet reads boxes from
    the stored page, never through pypdf's accessors (found by the fuzzer, issue 10)."""
    order = write(tmp_path / "order.pdf", order_with_boxes(b"/MediaBox [0 0 612 7842 0]"))
    attach_leaflets(order, [GOOD_YAML], on_warning=lambda diagnostic: None)
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""
