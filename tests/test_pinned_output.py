"""Pinned output: the sample leaflet, a personalised packet and a library build give the same bytes
as before the code was reorganised into a folder per stage (issue 9, "Behaviour kept").

A digest here changes only when the output is meant to change: then say why in the commit and
update the digest.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import leaflet
from tests.orders.support import order_pdf

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "baclofen.yaml"
MONOGRAPHS = ROOT / "tests" / "fixtures" / "monographs"

PINNED_MONOGRAPHS = [
    "baclofen.txt",
    "column_foot_chain.yaml",
    "column_foot_heading.yaml",
    "column_foot_lead.yaml",
    "column_foot_warning.yaml",
    "emphasis.yaml",
    "greek.yaml",
    "long_tokens.yaml",
    "long_warning.txt",
    "long_warning.yaml",
    "many_sections.txt",
    "many_sections.yaml",
    "markup.txt",
    "markup.yaml",
    "nested_warning.yaml",
    "russian.yaml",
]
"""The stress monographs there were when the digests were taken (fixtures added later are not pinned)."""

SAMPLE_DIGEST = "264a3de4c6dfe3a53fc17f9c171969f9331d3a70d5677b88057088af137efb5d"
PACKET_DIGEST = "0345b8c6bf17a2f1b7c3bcd09b42b1316c17b5aa79565ad0a1e84c44de683ac4"
UNHYPHENATED_DIGEST = "725c4cdc9e7dd8a62420f2a9dbc05d47d816950fdbed0245901f17abba155ae8"
"""The sample leaflet before words were hyphenated and tagged (issues 11 and 13): built without hyphenation
and untagged, the new line breaker gives reportlab's lines and bytes."""
LIBRARY_DIGEST = "31836e8752bf7f8402aad6f574778b0e55178ef1cb73aebb54e80b4cc3b0f2af"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_sample_leaflet_bytes_are_pinned() -> None:
    """This test ensures that the sample leaflet's bytes do not change by accident."""
    rendered = leaflet.build_leaflet(leaflet.load_monograph(SAMPLE), leaflet.BuildOptions())
    assert _digest(rendered.pdf) == SAMPLE_DIGEST


def test_without_hyphenation_the_sample_keeps_its_bytes_from_before_the_line_breaker() -> None:
    """This test ensures that leaflet's own line breaking, hyphenation turned off, breaks the sample's
    lines as reportlab did and draws them with the same bytes."""
    rendered = leaflet.build_leaflet(
        leaflet.load_monograph(SAMPLE), leaflet.BuildOptions(hyphenate=False, pdf_standard="none")
    )
    assert _digest(rendered.pdf) == UNHYPHENATED_DIGEST


def test_personalised_packet_bytes_are_pinned(tmp_path: Path) -> None:
    """This test ensures that a personalised packet's bytes do not change by accident."""
    order = tmp_path / "order.pdf"
    order.write_bytes(order_pdf(2))
    patient = leaflet.patient_details(
        where="test",
        patient="Zoë Ångström",
        rx="RX-1001",
        dispensed="2026-11-30",
        directions="Take 1 tablet three times a day",
        pharmacy="High Street Pharmacy",
    )
    packet = leaflet.attach_leaflets(order, [SAMPLE], patient=patient)
    assert _digest(packet) == PACKET_DIGEST


def test_library_build_bytes_are_pinned(tmp_path: Path) -> None:
    """This test ensures that a library build's leaflets do not change by accident."""
    sources = [MONOGRAPHS / name for name in PINNED_MONOGRAPHS]
    pairs = [(source, tmp_path / "out" / f"{source.name}.pdf") for source in sources]
    report = leaflet.build_library(pairs, tmp_path / "out", leaflet.BuildOptions(columns=1))
    assert not report.failed and not report.crashed
    combined = hashlib.sha256()
    for _, target in pairs:
        combined.update(target.name.encode() + b"\0" + _digest(target.read_bytes()).encode())
    assert combined.hexdigest() == LIBRARY_DIGEST
