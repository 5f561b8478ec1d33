"""leaflet orders with a ``fhir`` column: each row's band from its FHIR files, columns over FHIR values,
files confined to the root, and a packet remade when its FHIR file changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.cli.helpers import run_cli
from tests.conftest import SAMPLE
from tests.orders.support import order_pdf, write
from tests.personalise.fhir_support import GEMATIK, US_FILES, US_PATIENT, band_text, sample, write_json

HEADER = "order_id,order_pdf,monographs,patient,rx,dispensed,directions,pharmacy,fhir\n"


def folder_with_files(tmp_path: Path) -> Path:
    """A batch folder: an order, the sample monograph with a Spanish copy, and the FHIR samples."""
    folder = tmp_path / "batch"
    folder.mkdir()
    write(folder / "order.pdf", order_pdf(1))
    shutil.copyfile(SAMPLE, folder / "baclofen.yaml")
    for path in (*US_FILES, GEMATIK):
        shutil.copyfile(path, folder / path.name)
    return folder


def test_rows_take_their_band_from_fhir(capsys, tmp_path: Path) -> None:
    """This test ensures that rows naming FHIR files get the bands the files give (US Core: the current
    name; gematik: no name), that a column overrides the FHIR value, and that a row without a fhir value
    is made from its columns as before."""
    folder = folder_with_files(tmp_path)
    us = ";".join(path.name for path in US_FILES)
    rows = [
        f"US,order.pdf,baclofen.yaml,,,,,,{us}",
        f"US2,order.pdf,baclofen.yaml,,,,take with water,,{us}",
        f"DE,order.pdf,baclofen.yaml,,,,,,{GEMATIK.name}",
        "PLAIN,order.pdf,baclofen.yaml,Jo Bloggs,RX-1,2024-01-02,once a day,",
    ]
    (folder / "orders.csv").write_text(HEADER + "\n".join(rows) + ",\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(capsys, "orders", folder / "orders.csv", "-o", out)
    assert result.code == 0, result.err
    assert band_text(out / "US.pdf") == [
        "Amy V. Baxter",
        "Dispensed 2016-12-08",
        "Holy Healthcare Pharmacy",
        "10 mL bid",
    ]
    assert band_text(out / "US2.pdf")[-1] == "take with water"
    assert band_text(out / "DE.pdf") == ["Rx 160.000.000.000.000.01 Dispensed 2025-01-15", "1-0-1-0"]
    assert band_text(out / "PLAIN.pdf") == ["Jo Bloggs", "Rx RX-1 Dispensed 2024-01-02", "once a day"]
    warnings = result.diagnostics("warning")
    assert [(w["line"], w["code"]) for w in warnings] == [("2", "fhir-language"), ("3", "fhir-language")]


def test_translation_and_remaking(capsys, tmp_path: Path) -> None:
    """This test ensures that a Spanish monograph beside the one named is used for the Spanish-speaking
    patient, and that changing the FHIR file (or adding a translation) remakes the packet."""
    folder = folder_with_files(tmp_path)
    us = ";".join(path.name for path in US_FILES)
    (folder / "orders.csv").write_text(HEADER + f"US,order.pdf,baclofen.yaml,,,,,,{us}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli(capsys, "orders", folder / "orders.csv", "-o", out).code == 0
    assert band_text(out / "US.pdf")[1] == "Dispensed 2016-12-08"
    spanish = SAMPLE.read_text(encoding="utf-8").replace("\nlanguage: en\n", "\nlanguage: es\n")
    (folder / "baclofen.es.yaml").write_text(spanish, encoding="utf-8")
    result = run_cli(capsys, "orders", folder / "orders.csv", "-o", out)
    assert result.out_lines[-1] == "1 done, 0 skipped (unchanged), 0 failed", result.out
    assert band_text(out / "US.pdf")[1] == "Dispensado el 2016-12-08"
    patient = sample(US_PATIENT)
    patient["name"][1]["text"] = "Amy Renamed"
    write_json(folder / US_PATIENT.name, patient)
    assert run_cli(capsys, "orders", folder / "orders.csv", "-o", out).code == 0
    assert band_text(out / "US.pdf")[0] == "Amy Renamed"


def test_fhir_file_outside_the_root_fails_the_row(capsys, tmp_path: Path) -> None:
    """This test ensures that a fhir path out of the root (``..``, absolute) fails its row like an
    order PDF would, and is not read."""
    folder = folder_with_files(tmp_path)
    shutil.copyfile(GEMATIK, tmp_path / "outside.json")
    rows = (
        f"A,order.pdf,baclofen.yaml,,,,,,../outside.json\nB,order.pdf,baclofen.yaml,,,,,,{tmp_path / 'outside.json'}\n"
    )
    (folder / "orders.csv").write_text(HEADER + rows, encoding="utf-8")
    result = run_cli(capsys, "orders", folder / "orders.csv", "-o", tmp_path / "out")
    assert result.code == 2
    errors = result.diagnostics("error")
    assert [(e["line"], e["code"]) for e in errors] == [("2", "order"), ("3", "order")]
    assert all("is outside" in e["message"] for e in errors)


def test_a_fhir_file_with_nothing_to_print_is_reported_on_its_row(capsys, tmp_path: Path) -> None:
    """This test ensures that a row whose FHIR file holds nothing the band prints (a Patient with no name)
    is made without a band and reported on its CSV line with code fhir-empty, as attach --fhir does, and
    that the message quotes nothing from the file."""
    folder = folder_with_files(tmp_path)
    write_json(folder / "empty.json", {"resourceType": "Patient", "id": "zq-secret-id"})
    (folder / "orders.csv").write_text(HEADER + "E1,order.pdf,baclofen.yaml,,,,,,empty.json\n", encoding="utf-8")
    result = run_cli(capsys, "orders", folder / "orders.csv", "-o", tmp_path / "out")
    assert result.code == 0, result.err
    warnings = result.diagnostics("warning")
    assert [(w["line"], w["code"]) for w in warnings] == [("2", "fhir-empty")]
    assert "zq-secret-id" not in result.err
    assert (tmp_path / "out" / "E1.pdf").exists()
