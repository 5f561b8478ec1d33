"""Hostile orders: truncated, damaged, oversized, slow; and the packet written atomically, privately."""

from __future__ import annotations

import logging
import os
import stat
import time
from pathlib import Path

import pytest

from leaflet.pdf import bounded
from leaflet.pdf import reading as pdf_input
from tests.cli.helpers import GOOD_YAML, SYNTAX_ERROR_YAML, assert_user_error, copy, listing, run_cli
from tests.orders.support import check_with_qpdf, hostile_order, order_pdf, page_facts, with_broken_xref, write


def test_truncated_order_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that the first half of an order PDF is exit 2 with one error naming the file."""
    data = order_pdf(3)
    order = write(tmp_path / "half.pdf", data[: len(data) // 2])
    result = run_cli(capsys, "attach", order, GOOD_YAML, "-o", tmp_path / "packet.pdf")
    error = assert_user_error(result, mentions="half.pdf")
    assert "truncated" in error["message"]


def test_not_a_pdf_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a file that is not a PDF at all is exit 2 naming the file."""
    order = write(tmp_path / "order.pdf", b"<html>not a pdf</html>\n")
    result = run_cli(capsys, "attach", order, GOOD_YAML, "-o", tmp_path / "packet.pdf")
    assert "not a PDF" in assert_user_error(result, mentions="order.pdf")["message"]


def test_missing_order_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that an order that does not exist is exit 2 naming it."""
    result = run_cli(capsys, "attach", tmp_path / "nowhere.pdf", GOOD_YAML, "-o", tmp_path / "packet.pdf")
    assert_user_error(result, mentions="nowhere.pdf")


def test_broken_xref_is_repaired_with_one_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """This test ensures that an order whose cross-reference table points to the wrong offsets is repaired
    with exactly one warning line naming the file, keeps its pages and text, nothing of pypdf's own
    logging escapes, and the packet passes qpdf's check."""
    good = order_pdf(2)
    order = write(tmp_path / "broken.pdf", with_broken_xref(good))
    packet = tmp_path / "packet.pdf"
    with caplog.at_level(logging.DEBUG):
        result = run_cli(capsys, "attach", order, GOOD_YAML, "-o", packet)
    assert result.code == 0, result
    warnings = result.diagnostics("warning")
    assert len(result.err_lines) == 1 and len(warnings) == 1, result.err
    assert warnings[0]["path"] == str(order) and "repaired" in warnings[0]["message"]
    assert not [record for record in caplog.records if record.name.startswith("pypdf")]
    assert page_facts(packet)[:2] == page_facts(good)
    check_with_qpdf(packet)


def test_oversized_order_is_refused_before_reading(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that an order over the size limit is exit 2 naming the file and the limit."""
    monkeypatch.setattr(pdf_input, "MAX_FILE_BYTES", 1024 * 1024)
    order = write(tmp_path / "big.pdf", order_pdf(1) + b"%" + b"x" * (1024 * 1024) + b"\n%%EOF\n")
    result = run_cli(capsys, "attach", order, GOOD_YAML, "-o", tmp_path / "packet.pdf")
    assert "1 MiB limit" in assert_user_error(result, mentions="big.pdf")["message"]


def test_too_many_pages_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that an order with more pages than the limit is exit 2 naming the file."""
    monkeypatch.setattr(pdf_input, "MAX_PAGES", 5)
    order = write(tmp_path / "long.pdf", order_pdf(6, link=False))
    result = run_cli(capsys, "attach", order, GOOD_YAML, "-o", tmp_path / "packet.pdf")
    assert "limit of 5" in assert_user_error(result, mentions="long.pdf")["message"]


def test_slow_read_hits_the_time_limit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that reading an order that takes longer than the time limit (a 3 MB string, read
    byte by byte by pypdf) stops within the limit with exit 2 naming the file and the limit, and writes
    nothing."""
    monkeypatch.setattr(bounded, "TIME_LIMIT_S", 0.05)
    order = write(tmp_path / "slow.pdf", hostile_order(b" /PieceInfo <</X (" + b"a" * 3_000_000 + b")>>"))
    started = time.monotonic()
    result = run_cli(capsys, "attach", order, GOOD_YAML, "-o", tmp_path / "packet.pdf")
    assert time.monotonic() - started < 2
    assert "longer than 0.05 s" in assert_user_error(result, mentions="slow.pdf")["message"]
    assert listing(tmp_path) == ["slow.pdf"]


def test_failed_attach_keeps_previous_packet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that after a good packet, a failing attach (a broken monograph) is exit 2, leaves
    the previous packet byte-identical and no temporary file."""
    order = write(tmp_path / "order.pdf", order_pdf(1))
    monograph = copy(GOOD_YAML, tmp_path / "m.yaml")
    packet = tmp_path / "out" / "packet.pdf"
    assert run_cli(capsys, "attach", order, monograph, "-o", packet).code == 0
    previous = packet.read_bytes()
    copy(SYNTAX_ERROR_YAML, monograph)
    assert run_cli(capsys, "attach", order, monograph, "-o", packet).code == 2
    assert packet.read_bytes() == previous
    assert listing(packet.parent) == ["packet.pdf"]


def test_failed_write_keeps_previous_packet(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a failure while the packet is moved into place leaves the previous packet
    byte-identical and no temporary file."""
    order = write(tmp_path / "order.pdf", order_pdf(1))
    packet = tmp_path / "out" / "packet.pdf"
    assert run_cli(capsys, "attach", order, GOOD_YAML, "-o", packet).code == 0
    previous = packet.read_bytes()

    def failing_replace(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    result = run_cli(capsys, "attach", order, GOOD_YAML, "-o", packet, "--before")
    monkeypatch.undo()
    assert result.code == 2, result
    assert packet.read_bytes() == previous
    assert listing(packet.parent) == ["packet.pdf"]


def test_packet_is_private(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that the packet (it holds an order: personal health information) is readable by
    its owner only, new or replacing a more open file."""
    order = write(tmp_path / "order.pdf", order_pdf(1))
    packet = tmp_path / "packet.pdf"
    assert run_cli(capsys, "attach", order, GOOD_YAML, "-o", packet).code == 0
    assert stat.S_IMODE(packet.stat().st_mode) == 0o600
    packet.chmod(0o644)
    assert run_cli(capsys, "attach", order, GOOD_YAML, "-o", packet).code == 0
    assert stat.S_IMODE(packet.stat().st_mode) == 0o600
