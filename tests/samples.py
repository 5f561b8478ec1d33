"""The real-world samples in ``../shared/samples`` (read from there, never copied into the project), and what
the tests expect of each EU plain-text leaflet."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from leaflet.loaders.text_importer import import_text_monograph
from leaflet.model import Monograph

ROOT = Path(__file__).resolve().parents[1]
SHARED_SAMPLES = ROOT.parent / "shared" / "samples"
TEXT_SAMPLES = SHARED_SAMPLES / "text"
EU_TEXT_SAMPLES = sorted(TEXT_SAMPLES.glob("*.txt")) or [
    pytest.param(None, marks=pytest.mark.skip(reason="../shared/samples/text is not beside the project"))
]

SUB_HEADINGS: dict[str, list[tuple[str, int]]] = {
    "karvea_en.txt": [
        ("Do not take Karvea", 2),
        ("Pregnancy and breast-feeding", 2),
        ("Breast-feeding", 2),
        ("Driving and using machines", 2),
        ("If you take more Karvea than you should", 3),
        ("Reporting of side effects", 4),
        ("What Karvea contains", 6),
        ("Marketing Authorisation Holder", 6),
    ],
    "talzenna_uk_en.txt": [
        ("What Talzenna is used for", 1),
        ("Warnings and precautions", 2),
        ("Fertility", 2),
        ("If you take more Talzenna than you should", 3),
        ("Common (may affect up to 1 in 10 people)", 4),
        ("Reporting of side effects", 4),
        ("Marketing Authorization Holder and Manufacturer", 6),
    ],
    "remsima_en.txt": [
        ("Warnings and precautions", 2),
        ("Tuberculosis (TB)", 2),
        ("Pregnancy, breast-feeding and fertility", 2),
        ("If you use more Remsima than you should", 3),
        ("Missed dose for 8 days or more", 3),
        ("Rare: may affect up to 1 in 1,000 people", 4),
        ("Reporting of side effects", 4),
        ("What Remsima contains", 6),
    ],
    "humalog_mix50_en.txt": [
        ("Pregnancy and breast-feeding", 2),
        ("Getting the pen ready to use", 3),
        ("If you use more Humalog Mix50 than you should", 3),
        ("Reporting of side effects", 4),
        ("C. Illness", 4),
    ],
    "pentasa_sobres_es.txt": [
        ("No tome Pentasa", 2),
        ("Embarazo, lactancia y fertilidad", 2),
        ("Conducción y uso de máquinas", 2),
        ("Si toma más Pentasa sobres del que debe", 3),
        ("Si olvidó tomar Pentasa sobres", 3),
        ("Comunicación de efectos adversos", 4),
        ("Titular de la autorización de comercialización", 6),
        ("Responsable de la fabricación", 6),
    ],
}
"""Per sample: sub-headings and the number of the QRD section they must stand under."""

NOT_HEADINGS: dict[str, list[str]] = {
    "karvea_en.txt": [
        "sanofi-aventis groupe",
        "54, rue La Boétie",
        "Ambarès and Lagrave",
        "SANOFI WINTHROP INDUSTRIE",
        "You may need to have blood checks if you take",
        "Karvea is used in adult patients",
    ],
    "talzenna_uk_en.txt": [
        "Pfizer Limited",
        "Ramsgate Road",
        "Sandwich",
        "Kent",
        "CT13 9NJ",
        "United Kingdom",
        "Excella GmbH & Co. KG",
        "Nürnberger Strasse 12",
        "Germany",
        "Telephone 01304 616161",
        "Package leaflet: Information for the patient",
        "talazoparib",
    ],
    "remsima_en.txt": ["Package leaflet: Information for the user", "Not all pack sizes may be marketed"],
    "humalog_mix50_en.txt": [
        "Package leaflet: Information for the user",
        "What in this leaflet",
        "3. How to use Humalog Mix50",
        "Your insulin needs may change if you are taking",
    ],
    "pentasa_sobres_es.txt": [
        "FERRING S.A.U",
        "C/ del Arquitecto Sánchez Arcas 3, 1º",
        "Madrid 28040",
        "Ferring GmbH",
        "Wittland 11",
        "D-24109 Kiel",
        "Germany",
        "Sobres 1g: 50 ó100",
        "Consulte a su médico o farmacéutico antes de empezar a tomar Pentasa",
    ],
}
"""Per sample: lines (addresses, the title block, lead-ins that lost their ":") that must not be headings."""


@functools.cache
def import_sample(path: Path) -> Monograph:
    """The sample at ``path`` imported (cached: the samples are read-only)."""
    return import_text_monograph(path)
