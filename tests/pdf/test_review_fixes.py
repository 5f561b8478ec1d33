"""Regressions from the review of the packet writer: threads, outline counts, titles, odd file names."""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import NameObject
from reportlab.pdfgen.canvas import Canvas

from leaflet.build import build_file
from leaflet.options import BuildOptions
from leaflet.orders.attach import attach_leaflets
from leaflet.pdf.syntax import pdf_text
from tests.cli.helpers import GOOD_YAML, run_cli
from tests.orders.support import check_with_qpdf, order_pdf, write


def utf8_font_order() -> bytes:
    """A one-page order whose font resource has a UTF-8 name (/Café, written /Caf#C3#A9)."""
    content = b"BT /Caf#C3#A9 12 Tf 72 700 Td (Hello order) Tj ET"
    bodies = [
        b"<</Type /Catalog /Pages 2 0 R>>",
        b"<</Type /Pages /Kids [3 0 R] /Count 1>>",
        b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources <</Font <</Caf#C3#A9 5 0 R>>>>>>",
        b"<</Length %d>>\nstream\n%s\nendstream" % (len(content), content),
        b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>",
    ]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(bodies, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, start)
    return bytes(out)


def outline_items(packet: bytes) -> list[tuple[str, int | None]]:
    """The packet outline's top items: title and /Count."""
    root = PdfReader(io.BytesIO(packet)).trailer["/Root"]["/Outlines"]
    items, item = [], root.get("/First")
    while item is not None:
        item = item.get_object()
        items.append((str(item["/Title"]), item.get("/Count")))
        item = item.get("/Next")
    return items


def test_concurrent_attaches_keep_names_and_restore_pypdf(tmp_path: Path) -> None:
    """This test ensures that attaching in several threads at once (the API is public) keeps every order's
    text, though its font has a non-ASCII name, and leaves pypdf's name charsets as they were."""
    order = write(tmp_path / "order.pdf", utf8_font_order())
    before = NameObject.CHARSETS
    packets: list[bytes] = []

    def attach() -> None:
        packets.append(attach_leaflets(order, [GOOD_YAML]))

    threads = [threading.Thread(target=attach) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert before == NameObject.CHARSETS
    assert len(packets) == 4 and len(set(packets)) == 1
    first = PdfReader(io.BytesIO(packets[0])).pages[0]
    assert "Hello order" in first.extract_text()
    assert b"/Caf#C3#A9" in packets[0]


def reportlab_order_with_closed_bookmarks() -> bytes:
    """A 2-page order made by reportlab with bookmarks A (closed, holding A1) and B: two items are visible
    when its outline is open, though reportlab's root /Count says three."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(612, 792), invariant=1)
    for key, title, level, closed in (("a", "A", 0, True), ("a1", "A1", 1, None), ("b", "B", 0, None)):
        canvas.drawString(72, 700, f"Order page {title}")
        canvas.bookmarkPage(key)
        canvas.addOutlineEntry(title, key, level=level, closed=closed)
        if key != "a":
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_order_outline_counts_visible_items(tmp_path: Path) -> None:
    """This test ensures that the packet's "Order" item counts the order's bookmarks visible when open (an item
    under a closed one is not), rather than trusting the order's root /Count."""
    order = write(tmp_path / "order.pdf", reportlab_order_with_closed_bookmarks())
    assert PdfReader(order).trailer["/Root"]["/Outlines"]["/Count"] == 3
    items = outline_items(attach_leaflets(order, [GOOD_YAML]))
    assert items[0] == ("Order", 2)


def test_hostile_outline_count_is_not_copied(tmp_path: Path) -> None:
    """This test ensures that an order whose outline root claims a /Count beyond 64 bits gives a packet whose
    outline counts are counted (qpdf reads them: the packet passes its check)."""
    data = reportlab_order_with_closed_bookmarks()
    reader = PdfReader(io.BytesIO(data))
    outlines = reader.trailer["/Root"]["/Outlines"].indirect_reference
    marker = b"%d 0 obj\n<<\n/Count 3" % outlines.idnum
    assert marker in data
    hostile = data.replace(marker, b"%d 0 obj\n<<\n/Count 99999999999999999999999" % outlines.idnum)
    order = write(tmp_path / "order.pdf", hostile)
    packet = tmp_path / "packet.pdf"
    packet.write_bytes(attach_leaflets(order, [GOOD_YAML]))
    check_with_qpdf(packet)
    assert outline_items(packet.read_bytes())[0] == ("Order", 2)


def test_leaflet_pdf_item_takes_its_title(tmp_path: Path) -> None:
    """This test ensures that a leaflet PDF attached as it is gets an outline item titled with its /Title."""
    leaflet = tmp_path / "leaflet.pdf"
    build_file(GOOD_YAML, leaflet, BuildOptions())
    title = PdfReader(leaflet).metadata.title  # type: ignore[union-attr]
    order = write(tmp_path / "order.pdf", order_pdf(1))
    assert [name for name, _ in outline_items(attach_leaflets(order, [leaflet]))] == ["Order", title]


def test_leaflet_pdf_with_a_non_utf8_file_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a leaflet PDF without a /Title whose file name is not UTF-8 is attached, its
    outline item titled with the name, the undecodable byte shown as U+FFFD (it was an internal error)."""
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/bad\xff.pdf"))
    write(odd, order_pdf(1))  # any PDF without a /Title serves as the leaflet here
    order = write(tmp_path / "order.pdf", order_pdf(1))
    packet = tmp_path / "packet.pdf"
    result = run_cli(capsys, "attach", order, odd, "-o", packet)
    assert result.code == 0, result
    assert [name for name, _ in outline_items(packet.read_bytes())] == ["Order", "bad\ufffd"]


def test_pdf_text_replaces_a_lone_surrogate() -> None:
    """This test ensures that text UTF-16 cannot hold (a lone surrogate from an undecodable file name) is
    written with U+FFFD in its place."""
    assert pdf_text("bad\udcff") == b"<feff" + "bad\ufffd".encode("utf-16-be").hex().encode() + b">"
