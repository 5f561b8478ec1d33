"""Page-tree keys on a page: an order page carrying ``/Kids`` (or ``/Count``) is copied as a leaf, so the
packet's page tree has no loop (found by the order fuzzer, issue 10)."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject

from leaflet.orders.attach import attach_leaflets
from tests.cli.helpers import GOOD_YAML
from tests.orders.support import order_pdf


def _order_with_kids_on_its_page() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(order_pdf(2))))
    root = writer._root_object["/Pages"]  # the page tree's root, as an indirect reference
    page = writer.pages[0]
    page[NameObject("/Kids")] = root
    page[NameObject("/Count")] = NumberObject(7)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def test_page_carrying_kids_is_copied_as_a_leaf(tmp_path: Path) -> None:
    """This test ensures that a page with /Kids pointing back at the page tree makes a packet whose
    page tree qpdf walks without a loop, with every page of the order and the leaflet."""
    order = tmp_path / "order.pdf"
    order.write_bytes(_order_with_kids_on_its_page())
    packet = attach_leaflets(order, [GOOD_YAML])
    with pikepdf.open(io.BytesIO(packet)) as pdf:
        assert len(pdf.pages) >= 3
        assert all("/Kids" not in page.obj and "/Count" not in page.obj for page in pdf.pages)
        assert not pdf.check_pdf_syntax() if hasattr(pdf, "check_pdf_syntax") else not pdf.check()
