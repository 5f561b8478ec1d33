"""Hostile structures inside an order PDF, and what leaflet says about them: the file named, the kind of
failure only, never pypdf's text (which can quote bytes of the order) nor an exception's text."""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, IndirectObject, NameObject, NullObject, NumberObject

from leaflet.errors import Diagnostic, OutputError
from leaflet.orders import attach as orders
from leaflet.pdf import reading as pdf_input
from tests.cli.helpers import GOOD_YAML, assert_user_error, run_cli
from tests.orders.support import check_with_qpdf, order_pdf, page_facts, write

SECRET = "Quillonbury Xyzzafrass"


def _rewritten(change: str) -> bytes:
    """A one-page order with a hostile entry: ``threads`` (the catalog's /Threads and the page's /B are
    numbers), ``annots`` (the page's /Annots holds a dangling reference and a number) or ``deep`` (an
    entry of the page nested in 80 arrays)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(order_pdf(1, link=False))))
    page = writer.pages[0]
    if change == "threads":
        writer._root_object[NameObject("/Threads")] = NumberObject(5)
        page[NameObject("/B")] = NumberObject(7)
    elif change == "annots":
        page[NameObject("/Annots")] = ArrayObject([IndirectObject(99, 0, writer), NumberObject(5)])
    else:
        nested = ArrayObject([NumberObject(1)])
        for _ in range(80):
            nested = ArrayObject([nested])
        page[NameObject("/PieceInfo")] = nested
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


@pytest.mark.parametrize("change", ["threads", "annots"])
def test_odd_structures_are_copied_as_they_are(capsys: pytest.CaptureFixture[str], tmp_path: Path, change: str) -> None:
    """This test ensures that an order whose /Threads or /Annots broke pypdf's merging (issue 4's hostile
    orders) is attached with its page as it was: the odd entries are copied, a dangling reference becomes
    null as readers treat it, and the packet passes qpdf's check."""
    order = write(tmp_path / f"{change}.pdf", _rewritten(change))
    packet = tmp_path / "packet.pdf"
    result = run_cli(capsys, "attach", order, GOOD_YAML, "-o", packet)
    assert result.code == 0, result
    facts = page_facts(packet)
    assert facts[0] == page_facts(order)[0]
    copied = PdfReader(packet).pages[0]
    if change == "threads":
        assert copied["/B"] == 7
    else:
        assert list(copied["/Annots"]) == [NullObject(), 5]
    check_with_qpdf(packet)


def test_structure_too_deep_to_copy_is_a_user_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that an order with an object nested deeper than leaflet copies is exit 2 with one
    error naming the order and the exception's type, not an internal error, and that no packet is written."""
    order = write(tmp_path / "deep.pdf", _rewritten("deep"))
    packet = tmp_path / "packet.pdf"
    result = run_cli(capsys, "attach", order, GOOD_YAML, "-o", packet)
    error = assert_user_error(result, mentions="deep.pdf")
    assert "damaged" in error["message"] and "Error" in error["message"], result.err
    assert "internal error" not in result.err
    assert not packet.exists()


def test_repair_warning_never_quotes_pypdf(tmp_path: Path) -> None:
    """This test ensures that the warning about a repaired file is a fixed sentence with a count: what pypdf
    logged or warned (which can quote bytes of the order) is not in it."""
    repairs = pdf_input.RepairLog()
    with repairs.capture(tmp_path / "order.pdf"):
        logging.getLogger("pypdf").warning("bad object near %s", SECRET)
        logging.getLogger("pypdf").warning("another")
    shown: list[Diagnostic] = []
    repairs.report(shown.append)
    assert len(shown) == 1
    assert SECRET not in str(shown[0])
    assert "repaired (2 problems" in shown[0].message


def test_internal_error_in_attach_names_the_type_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a bug in attach prints the exception's type only (its text could quote the
    order or the patient), and its text only with -v."""

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(orders, "attach_leaflets", broken)
    order = write(tmp_path / "order.pdf", order_pdf(1))
    result = run_cli(capsys, "attach", order, GOOD_YAML, "-o", tmp_path / "packet.pdf")
    assert result.code == 70, result
    assert "internal error: RuntimeError" in result.err and SECRET not in result.err
    verbose = run_cli(capsys, "attach", order, GOOD_YAML, "-o", tmp_path / "packet.pdf", "-v")
    assert verbose.code == 70 and SECRET in verbose.err


def test_write_packet_chmod_failure_is_an_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test ensures that failing to narrow an existing packet to 0600 raises OutputError naming it,
    and leaves the packet as it was."""
    target = write(tmp_path / "packet.pdf", b"old")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chmod", refuse)
    with pytest.raises(OutputError) as caught:
        orders.write_packet(target, b"new")
    assert caught.value.diagnostics[0].path == str(target)
    assert "Operation not permitted" in caught.value.diagnostics[0].message
    assert target.read_bytes() == b"old"
