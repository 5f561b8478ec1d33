"""The personalisation band speaks the leaflet's language (issue 11, part 5): a Spanish leaflet's band
says "Receta n.º" and "Dispensado el", its later pages "Dispensado para"; the details print as given."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from leaflet import attach_leaflets, patient_details
from leaflet.personalise.band_labels import BAND_LABELS, band_labels_for
from tests.orders.support import order_pdf

SAMPLE = Path(__file__).resolve().parents[2] / "content" / "baclofen.yaml"


def _spanish_monograph(tmp_path: Path) -> Path:
    text = SAMPLE.read_text(encoding="utf-8").replace("language: en", "language: es", 1)
    source = tmp_path / "baclofeno.yaml"
    source.write_text(text, encoding="utf-8")
    return source


def test_band_words_follow_the_leaflets_language(tmp_path: Path) -> None:
    """This test ensures that the band of a Spanish leaflet is worded in Spanish on page 1 and on the
    reminder of later pages, with the patient's details as given."""
    order = tmp_path / "order.pdf"
    order.write_bytes(order_pdf(1))
    details = patient_details(where="test", patient="Zoë Ångström", rx="RX-1001", dispensed="2026-11-30")
    packet = attach_leaflets(order, [_spanish_monograph(tmp_path)], patient=details)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(packet)).pages[1:]]
    assert "Receta n.º RX-1001" in pages[0] and "Dispensado el 2026-11-30" in pages[0]
    assert "Zoë Ångström" in pages[0]
    assert all("Dispensado para Zoë Ångström" in page for page in pages[1:])
    assert "Dispensed" not in "".join(pages)


def test_every_band_language_fills_its_fields() -> None:
    """This test ensures that every language's band words carry their fields, and that an unknown
    language gets English words."""
    for labels in BAND_LABELS.values():
        assert "{rx}" in labels.rx and "{date}" in labels.dispensed and "{name}" in labels.reminder
    assert band_labels_for("es-MX") == BAND_LABELS["es"] and band_labels_for(None) == BAND_LABELS["en"]
    assert band_labels_for("xx") == BAND_LABELS["en"]


def test_band_draws_names_and_words_the_main_font_lacks(tmp_path: Path) -> None:
    """This test ensures that a patient's name in Chinese and directions with ≥ are accepted and drawn in
    the band from the fallback fonts (the band drew Noto Sans alone and refused them), and that the band of
    a Chinese leaflet is worded in Chinese."""
    text = SAMPLE.read_text(encoding="utf-8").replace("language: en", "language: zh-Hans", 1)
    source = tmp_path / "baclofen-zh.yaml"
    source.write_text(text, encoding="utf-8")
    order = tmp_path / "order.pdf"
    order.write_bytes(order_pdf(1))
    details = patient_details(
        where="test", patient="王小明", rx="RX-7", dispensed="2026-11-30", directions="Take 1 tablet if pain ≥ 5"
    )
    packet = attach_leaflets(order, [source], patient=details)
    reader = PdfReader(io.BytesIO(packet))
    first = reader.pages[1].extract_text().replace("\xa0", " ")
    assert "王小明" in first and "处方号 RX-7" in first and "≥ 5" in first
    assert "配药对象：王小明" in reader.pages[2].extract_text()
