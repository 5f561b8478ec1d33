"""FHIR files from elsewhere read as hostile input: each bad file is one error naming the file with a
``fhir-*`` code, exit 2, no traceback, the previous packet untouched; and no patient data (a marker
string put in names, directions, pharmacy) in any message, warning, log record or repr."""

from __future__ import annotations

import datetime
import logging
import os
from pathlib import Path
from typing import Any

import pytest

from leaflet.personalise.fhir import MAX_DEPTH, MAX_FHIR_BYTES, fhir_resources, json_depth, read_fhir_files
from leaflet.personalise.fhir_record import current_name, dispense_record
from tests.cli.helpers import assert_user_error, run_cli
from tests.conftest import SAMPLE
from tests.orders.support import order_pdf, write
from tests.personalise.fhir_support import (
    GEMATIK,
    MARKER,
    US_DISPENSE,
    US_FILES,
    US_PATIENT,
    US_REQUEST,
    bundle,
    sample,
    write_json,
)


def marked_patient() -> dict[str, Any]:
    """The US Core patient with the marker in every name (the current one too)."""
    patient = sample(US_PATIENT)
    for name in patient["name"]:
        name["family"] = MARKER
    return patient


def marked_dispense() -> dict[str, Any]:
    dispense = sample(US_DISPENSE)
    dispense["subject"]["display"] = MARKER
    dispense["dosageInstruction"][0]["text"] = f"{MARKER} twice a day"
    dispense["performer"][0]["actor"]["display"] = f"{MARKER} Pharmacy"
    return dispense


def attach_with(capsys, tmp_path: Path, *fhir: Path) -> Any:
    order = tmp_path / "order.pdf"
    if not order.exists():
        write(order, order_pdf(1))
    args = [part for path in fhir for part in ("--fhir", path)]
    return run_cli(capsys, "attach", order, SAMPLE, *args, "-o", tmp_path / "packet.pdf")


def _deep(depth: int) -> str:
    return '{"resourceType": "Patient", "x": ' + "[" * depth + "]" * depth + "}"


BAD_FILES = [
    ("not-json.json", b'{"resourceType": "Patient", "name": [', "fhir-syntax", "is not valid JSON"),
    ("latin1.json", '{"resourceType": "Patient", "id": "é"}'.encode("latin-1"), "fhir-syntax", "not UTF-8"),
    ("broken.xml", b'<Patient xmlns="http://hl7.org/fhir"><name>', "fhir-syntax", "is not valid XML"),
    (
        "laughs.xml",
        b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">]><Patient xmlns="http://hl7.org/fhir"/>',
        "fhir-syntax",
        "document type declaration",
    ),
    ("other-ns.xml", b"<Patient/>", "fhir-not-a-resource", "FHIR namespace"),
    ("xml-medication.xml", b'<Medication xmlns="http://hl7.org/fhir"/>', "fhir-no-record", "holds no"),
    (
        "deep.xml",
        b'<Patient xmlns="http://hl7.org/fhir">' + b"<a>" * 70 + b"</a>" * 70 + b"</Patient>",
        "fhir-too-deep",
        "levels deep",
    ),
    ("deep.json", _deep(MAX_DEPTH + 5).encode(), "fhir-too-deep", f"more than {MAX_DEPTH} levels"),
    ("list.json", b"[1, 2]", "fhir-not-a-resource", "not a FHIR resource"),
    ("medication.json", b'{"resourceType": "Medication", "id": "m"}', "fhir-no-record", "holds no"),
    ("empty-bundle.json", b'{"resourceType": "Bundle", "entry": []}', "fhir-no-record", "holds no"),
    ("bad-entry.json", b'{"resourceType": "Bundle", "entry": 3}', "fhir-bad-value", "Bundle.entry"),
    ("names.json", b'{"resourceType": "Patient", "name": "A B"}', "fhir-bad-value", "Patient.name is not"),
    ("given.json", b'{"resourceType": "Patient", "name": [{"given": 5}]}', "fhir-bad-value", "given"),
    (
        "date.json",
        b'{"resourceType": "MedicationDispense", "whenHandedOver": "yesterday"}',
        "fhir-bad-value",
        "whenHandedOver is not a FHIR dateTime",
    ),
    (
        "date2.json",
        b'{"resourceType": "MedicationDispense", "whenHandedOver": "2024-02-30"}',
        "fhir-bad-value",
        "whenHandedOver",
    ),
]


@pytest.mark.parametrize(("name", "data", "code", "says"), BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_bad_fhir_file_is_one_clear_error(capsys, tmp_path: Path, name: str, data: bytes, code: str, says: str) -> None:
    """This test ensures that each kind of unusable FHIR file is refused with its code, naming the file,
    exit 2 and no traceback, and that the previous packet is left as it was."""
    (tmp_path / "packet.pdf").write_bytes(b"previous")
    result = attach_with(capsys, tmp_path, write(tmp_path / name, data))
    error = assert_user_error(result, mentions=name)
    assert error["code"] == code and says in error["message"], result.err
    assert (tmp_path / "packet.pdf").read_bytes() == b"previous"


def test_missing_too_large_and_folder(capsys, tmp_path: Path) -> None:
    """This test ensures that a missing file, a folder and a file over the size limit (checked before
    it is read) are refused by name."""
    huge = tmp_path / "huge.json"
    with huge.open("wb") as stream:
        stream.truncate(MAX_FHIR_BYTES + 1)
    for path, code in (
        (tmp_path / "gone.json", "fhir-unreadable"),
        (tmp_path, "fhir-unreadable"),
        (huge, "fhir-too-large"),
    ):
        error = assert_user_error(attach_with(capsys, tmp_path, path), mentions=str(path))
        assert error["code"] == code


def test_two_dispenses_are_ambiguous(capsys, tmp_path: Path) -> None:
    """This test ensures that a searchset of two different dispenses is refused: leaflet cannot tell
    which belongs to the order."""
    second = sample(US_DISPENSE)
    second["id"], second["whenHandedOver"] = "other", "2017-01-01"
    path = write_json(tmp_path / "two.json", bundle(sample(US_DISPENSE), second, kind="searchset"))
    error = assert_user_error(attach_with(capsys, tmp_path, path), mentions="two.json")
    assert error["code"] == "fhir-ambiguous" and "2 MedicationDispense" in error["message"]


def test_many_resources_are_refused_quickly(tmp_path: Path) -> None:
    """This test ensures that a Bundle filling the size limit with tiny Patients is refused as ambiguous
    in well under a second or two (telling repeats apart must not be quadratic)."""
    import time

    from leaflet.errors import FhirError

    entry = '{"resource": {"resourceType": "Patient", "id": "%d"}},'
    count = MAX_FHIR_BYTES // len(entry % 99999) - 10
    text = '{"resourceType": "Bundle", "entry": [' + "".join(entry % n for n in range(count))[:-1] + "]}"
    path = write(tmp_path / "many.json", text.encode())
    start = time.perf_counter()
    with pytest.raises(FhirError) as caught:
        dispense_record(read_fhir_files([path]))
    assert caught.value.diagnostics[0].code == "fhir-ambiguous"
    assert time.perf_counter() - start < 5, count


def test_another_patients_record_is_refused(capsys, tmp_path: Path) -> None:
    """This test ensures that a Patient the dispense does not name as its subject (another patient's
    file given by mistake) is refused instead of printing that patient's name, without naming anyone."""
    other = marked_patient()
    other["id"] = "someone-else"
    path = write_json(tmp_path / "other.json", other)
    result = attach_with(capsys, tmp_path, US_DISPENSE, path)
    error = assert_user_error(result, mentions="other.json")
    assert error["code"] == "fhir-mismatch"
    assert MARKER not in result.err + result.out


def test_another_insurance_number_is_refused(capsys, tmp_path: Path) -> None:
    """This test ensures that a Patient whose insurance number is not the one the gematik dispense names
    is refused (fhir-mismatch)."""
    patient = {
        "resourceType": "Patient",
        "identifier": [{"system": "http://fhir.de/sid/gkv/kvid-10", "value": "Y000000000"}],
        "name": [{"text": MARKER}],
    }
    result = attach_with(capsys, tmp_path, GEMATIK, write_json(tmp_path / "p.json", patient))
    assert assert_user_error(result, mentions="p.json")["code"] == "fhir-mismatch"
    assert MARKER not in result.err + result.out


def test_no_patient_data_in_any_output(capsys, caplog, tmp_path: Path) -> None:
    """This test ensures that the marker put in the patient's names, the stale display, the directions
    and the pharmacy never reaches stdout, stderr or a log record: on success, on a language warning,
    and on failures (a glyph the fonts lack, a mismatch, bad JSON next to the marker, too deep)."""
    caplog.set_level(logging.DEBUG)
    patient = write_json(tmp_path / "patient.json", marked_patient())
    dispense = write_json(tmp_path / "dispense.json", marked_dispense())
    glyph = marked_patient()
    glyph["name"][1]["given"] = ["\u0f40"]
    other = marked_patient()
    other["id"] = "x"
    runs = {
        "success": [dispense, US_REQUEST, patient],
        "glyph": [dispense, write_json(tmp_path / "glyph.json", glyph)],
        "mismatch": [dispense, write_json(tmp_path / "other.json", other)],
        "bad-json": [write(tmp_path / "bad.json", f'{{"resourceType": "Patient", "n": "{MARKER}" x}}'.encode())],
        "deep": [write(tmp_path / "deep.json", _deep(MAX_DEPTH + 1).replace("[]", f'["{MARKER}"]').encode())],
    }
    codes = {}
    for name, files in runs.items():
        result = attach_with(capsys, tmp_path, *files)
        codes[name] = result.code
        assert MARKER not in result.out + result.err, name
    assert codes == {"success": 0, "glyph": 2, "mismatch": 2, "bad-json": 2, "deep": 2}
    assert all(MARKER not in record.getMessage() for record in caplog.records)
    record = dispense_record(read_fhir_files([dispense, patient]))
    assert MARKER in record.patient and MARKER not in repr(record)
    assert MARKER not in repr(read_fhir_files([patient]))


def test_orders_csv_failure_names_row_and_file_only(capsys, tmp_path: Path) -> None:
    """This test ensures that a bad FHIR file in an orders CSV fails its row only, naming the CSV line,
    the order id and the FHIR file, never the marker."""
    write(tmp_path / "order.pdf", order_pdf(1))
    (tmp_path / "SAMPLE.yaml").write_bytes(SAMPLE.read_bytes())
    other = marked_patient()
    other["id"] = "x"
    write_json(tmp_path / "d.json", marked_dispense())
    write_json(tmp_path / "p.json", other)
    header = "order_id,order_pdf,monographs,patient,rx,dispensed,directions,pharmacy,fhir\n"
    rows = "A1,order.pdf,SAMPLE.yaml,,,,,,d.json;p.json\nA2,order.pdf,SAMPLE.yaml,,,,,,d.json\n"
    (tmp_path / "orders.csv").write_text(header + rows, encoding="utf-8")
    result = run_cli(capsys, "orders", tmp_path / "orders.csv", "-o", tmp_path / "out")
    assert result.code == 2
    errors = result.diagnostics("error")
    assert [(e["path"], e["line"], e["code"]) for e in errors] == [(str(tmp_path / "orders.csv"), "2", "fhir-mismatch")]
    assert errors[0]["message"].startswith(f"order A1: {tmp_path / 'd.json'}, {tmp_path / 'p.json'}: the Patient")
    assert MARKER not in result.out + result.err
    assert (tmp_path / "out" / "A2.pdf").exists() and not (tmp_path / "out" / "A1.pdf").exists()


def test_current_name_rule_by_date() -> None:
    """This test ensures the period rule: a name is current from its start to its end, inclusive."""
    from leaflet.personalise.fhir import Found

    patient = Found(sample(US_PATIENT), "p.json")
    assert current_name(patient, today=datetime.date(2020, 7, 21)) == ""  # the usual name has not begun
    assert current_name(patient, today=datetime.date(2020, 7, 22)) == "Amy V. Baxter"
    patient.resource["name"][1]["period"]["end"] = "2024-05-01"
    assert current_name(patient, today=datetime.date(2024, 5, 1)) == "Amy V. Baxter"
    assert current_name(patient, today=datetime.date(2024, 5, 2)) == ""  # ended; the old one is never printed


def test_json_depth_skips_strings() -> None:
    """This test ensures that brackets inside strings (escaped quotes too) do not count as nesting."""
    assert json_depth(b'{"a": "[[[[\\"[[[", "b": [{}]}') == 3
    assert json_depth(b"[]") == 1 and json_depth(b'"x"') == 0


def test_gematik_record_fields() -> None:
    """This test ensures the gematik dispense gives its PrescriptionID, date and Sig and no name,
    pharmacy or language, read through the library API from bytes."""
    record = dispense_record(fhir_resources(GEMATIK.read_bytes(), "g.json"))
    assert (record.patient, record.pharmacy, record.languages) == ("", "", ())
    assert (record.rx, record.dispensed, record.directions) == ("160.000.000.000.000.01", "2025-01-15", "1-0-1-0")


def test_us_core_record_languages() -> None:
    """This test ensures that the patient's preferred language is read from Patient.communication."""
    assert dispense_record(read_fhir_files(US_FILES)).languages == ("es",)


def test_reading_a_fifo_does_not_block(tmp_path: Path) -> None:
    """This test ensures that a named pipe given as a FHIR file is refused without waiting on it."""
    from leaflet.errors import FhirError

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(FhirError) as caught:
        read_fhir_files([fifo])
    assert caught.value.diagnostics[0].code == "fhir-unreadable"
