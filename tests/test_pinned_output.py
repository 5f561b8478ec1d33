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

SAMPLE_DIGEST = "3b7d32ddc44493ed34d9c2767ebce8ebe5ed009bd6a4ecbf7b32dc701de72d13"
PACKET_DIGEST = "7f3e6a87eab612bbf545d4542b28bd27ef023131ee659cfee5f505fb0da816c4"
LIBRARY_DIGEST = "499b5ad058c95dde641c3d68ec951b5d8470aa8639d41569358557e36c46fe8e"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_sample_leaflet_bytes_are_pinned() -> None:
    """This test ensures that the sample leaflet's bytes do not change by accident."""
    rendered = leaflet.build_leaflet(leaflet.load_monograph(SAMPLE), leaflet.BuildOptions())
    assert _digest(rendered.pdf) == SAMPLE_DIGEST


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
