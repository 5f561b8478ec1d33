"""leaflet attach --fhir: the band read back from the packet (poppler) for the US Core and gematik samples
and variants of them; command-line options over FHIR values; the leaflet in the patient's language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.cli.helpers import run_cli
from tests.conftest import SAMPLE
from tests.orders.support import order_pdf, write
from tests.personalise.fhir_support import (
    GEMATIK,
    US_DISPENSE,
    US_FILES,
    US_PATIENT,
    US_REQUEST,
    band_text,
    bundle,
    page_text,
    sample,
    to_xml,
    write_json,
)

GEMATIK_BAND = ["Rx 160.000.000.000.000.01 Dispensed 2025-01-15", "1-0-1-0"]
US_BAND = ["Amy V. Baxter", "Dispensed 2016-12-08", "Holy Healthcare Pharmacy", "10 mL bid"]


def attach(capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: object, name: str = "packet.pdf") -> Path:
    """Run ``leaflet attach order.pdf ARGS -o PACKET`` (the sample monograph unless ARGS name one): it succeeds."""
    order = tmp_path / "order.pdf"
    if not order.exists():
        write(order, order_pdf(1))
    monographs = [] if any(str(arg).endswith(".yaml") for arg in args) else [SAMPLE]
    packet = tmp_path / name
    result = run_cli(capsys, "attach", order, *monographs, *args, "-o", packet)
    assert result.code == 0, result.err
    return packet


def fhir_args(*paths: Path) -> list[object]:
    return [part for path in paths for part in ("--fhir", path)]


def test_us_core_band_shows_the_current_name_directions_date_and_pharmacy(capsys, tmp_path: Path) -> None:
    """This test ensures that the US Core dispense, request and patient give a band with the patient's
    usual name (not the old one the dispense's subject.display still shows), "10 mL bid" verbatim, the
    date handed over and the pharmacy; the old name appears nowhere in the packet."""
    packet = attach(capsys, tmp_path, *fhir_args(*US_FILES))
    assert band_text(packet) == US_BAND
    text = page_text(packet)
    assert "Shaw" not in text and "PharmD" not in text
    reader = PdfReader(packet)
    assert "Amy V. Baxter" in reader.pages[1].extract_text()  # pypdf agrees with poppler


def test_stale_display_and_old_names_never_print(capsys, tmp_path: Path) -> None:
    """This test ensures the name rule on a variant of the US Core patient: an ``old`` name, an official
    name whose period has ended, a usual name not begun yet and a nickname are passed over for the
    current official name's ``text``, whatever the dispense's (stale) subject.display says."""
    patient = sample(US_PATIENT)
    patient["name"] = [
        {"use": "old", "text": "Olden Name"},
        {"use": "official", "text": "Ended Name", "period": {"start": "2001-01-01", "end": "2019-12-31"}},
        {"use": "usual", "given": ["Future"], "family": "Name", "period": {"start": "2999-01-01"}},
        {"use": "nickname", "text": "Nick Name"},
        {"use": "official", "text": "Amy Current-Text", "given": ["Ignored"], "family": "Given"},
    ]
    dispense = sample(US_DISPENSE)
    dispense["subject"]["display"] = "Olden Name"
    files = [write_json(tmp_path / "p.json", patient), write_json(tmp_path / "d.json", dispense)]
    packet = attach(capsys, tmp_path, *fhir_args(*files))
    assert band_text(packet)[0] == "Amy Current-Text"
    text = page_text(packet)
    for stale in ("Olden", "Ended", "Future", "Nick", "Ignored"):
        assert stale not in text


def test_a_patient_with_no_current_name_gets_no_name(capsys, tmp_path: Path) -> None:
    """This test ensures that a patient whose names are all old gets a band without a name: the
    dispense's subject.display is never used instead."""
    patient = sample(US_PATIENT)
    patient["name"] = [name for name in patient["name"] if name["use"] == "old"]
    packet = attach(capsys, tmp_path, *fhir_args(US_DISPENSE, write_json(tmp_path / "p.json", patient)))
    assert band_text(packet) == US_BAND[1:]
    assert "Shaw" not in page_text(packet)


def test_gematik_dispense_has_no_name_and_nothing_invented(capsys, tmp_path: Path) -> None:
    """This test ensures that the German e-prescription dispense (no name, a pharmacy known by its
    telematik-ID only) gives the PrescriptionID, the date and "1-0-1-0", and no name or pharmacy line;
    the QR code carries the PrescriptionID."""
    packet = attach(capsys, tmp_path, "--fhir", GEMATIK)
    assert band_text(packet) == GEMATIK_BAND
    assert "X123456789" not in page_text(packet)  # the insurance number is not printed
    assert "APO" not in page_text(packet)


def test_records_with_nothing_to_print_warn(capsys, tmp_path: Path) -> None:
    """This test ensures that a Patient with only an old name (nothing the band prints) gives a plain
    packet and a fhir-empty warning naming the file, not the name."""
    patient = sample(US_PATIENT)
    patient["name"] = patient["name"][:1]
    path = write_json(tmp_path / "p.json", patient)
    order = write(tmp_path / "order.pdf", order_pdf(1))
    result = run_cli(capsys, "attach", order, SAMPLE, "--fhir", path, "-o", tmp_path / "plain.pdf")
    assert result.code == 0
    assert [(w["path"], w["code"]) for w in result.diagnostics("warning")] == [
        (str(path), "fhir-empty"),
        (str(order), "fhir-language"),
    ]
    assert "Shaw" not in result.err + page_text(tmp_path / "plain.pdf")
    plain = PdfReader(tmp_path / "plain.pdf").pages[1].extract_text()
    assert plain.startswith("Baclofen") and "Dispensed" not in plain  # no band above the title


def test_gematik_patient_matched_by_insurance_number(capsys, tmp_path: Path) -> None:
    """This test ensures that a Patient given beside the gematik dispense, which names its subject by
    insurance number (KVNR) only, is used when its identifier is that number (and refused otherwise,
    see test_fhir_errors)."""
    patient = {
        "resourceType": "Patient",
        "id": "p1",
        "identifier": [{"system": "http://fhir.de/sid/gkv/kvid-10", "value": "X123456789"}],
        "name": [{"use": "official", "given": ["Erika"], "family": "Mustermann"}],
    }
    packet = attach(capsys, tmp_path, "--fhir", GEMATIK, "--fhir", write_json(tmp_path / "p.json", patient))
    assert band_text(packet) == ["Erika Mustermann", *GEMATIK_BAND]


def test_a_bundle_and_separate_files_make_the_same_packet(capsys, tmp_path: Path) -> None:
    """This test ensures that the US Core resources in a Bundle (a collection, or a searchset with match
    and include entries) give the very packet bytes the three separate files give."""
    separate = attach(capsys, tmp_path, *fhir_args(*US_FILES), name="separate.pdf")
    resources = [sample(path) for path in US_FILES]
    collection = write_json(tmp_path / "collection.json", bundle(*resources))
    searchset = write_json(tmp_path / "searchset.json", bundle(*resources, kind="searchset", modes=True))
    from_collection = attach(capsys, tmp_path, "--fhir", collection, name="collection.pdf")
    from_searchset = attach(capsys, tmp_path, "--fhir", searchset, name="searchset.pdf")
    assert separate.read_bytes() == from_collection.read_bytes() == from_searchset.read_bytes()


def test_fhir_xml_gives_the_same_packet_as_json(capsys, tmp_path: Path) -> None:
    """This test ensures that the samples written as FHIR XML (separately, and the gematik searchset as
    an XML Bundle) give the very packets their JSON gives."""
    xml_files = [write(tmp_path / f"{path.stem}.xml", to_xml(sample(path))) for path in US_FILES]
    from_json = attach(capsys, tmp_path, *fhir_args(*US_FILES), name="json.pdf")
    from_xml = attach(capsys, tmp_path, *fhir_args(*xml_files), name="xml.pdf")
    assert from_json.read_bytes() == from_xml.read_bytes()
    german = write(tmp_path / "gematik.xml", to_xml(sample(GEMATIK)))
    assert band_text(attach(capsys, tmp_path, "--fhir", german, name="de.pdf")) == GEMATIK_BAND


def test_the_same_resource_twice_is_not_ambiguous(capsys, tmp_path: Path) -> None:
    """This test ensures that the dispense given on its own and inside a Bundle counts once."""
    both = write_json(tmp_path / "b.json", bundle(*(sample(path) for path in US_FILES)))
    packet = attach(capsys, tmp_path, *fhir_args(both, US_DISPENSE))
    assert band_text(packet) == US_BAND


def test_options_override_fhir_values(capsys, tmp_path: Path) -> None:
    """This test ensures that --patient, --rx, --directions (and the others) win over the FHIR record's
    values, and the values not given still come from the record."""
    packet = attach(
        capsys, tmp_path, *fhir_args(*US_FILES), "--patient", "Given On Line", "--rx", "RX-9", "--directions", "as told"
    )
    assert band_text(packet) == ["Given On Line", "Rx RX-9 Dispensed 2016-12-08", "Holy Healthcare Pharmacy", "as told"]


def test_request_fills_in_directions_and_rx_without_a_dispense(capsys, tmp_path: Path) -> None:
    """This test ensures that without a dispense the prescription's directions and identifier are used
    (no date or pharmacy is invented from it)."""
    request = sample(US_REQUEST)
    request["identifier"] = [{"use": "secondary", "value": "SEC-1"}, {"use": "official", "value": "RX-OFF-7"}]
    packet = attach(capsys, tmp_path, *fhir_args(write_json(tmp_path / "r.json", request), US_PATIENT))
    assert band_text(packet) == ["Amy V. Baxter", "Rx RX-OFF-7", "10 mL bid"]


def test_pharmacy_from_a_contained_organisation(capsys, tmp_path: Path) -> None:
    """This test ensures that a performer without a display is named from the Organization it refers to."""
    dispense = sample(US_DISPENSE)
    dispense["contained"] = [{"resourceType": "Organization", "id": "ph", "name": "Contained Pharmacy"}]
    dispense["performer"] = [{"actor": {"reference": "#ph"}}]
    packet = attach(capsys, tmp_path, "--fhir", write_json(tmp_path / "d.json", dispense))
    assert band_text(packet) == ["Dispensed 2016-12-08", "Contained Pharmacy", "10 mL bid"]


def library(tmp_path: Path, *languages: str) -> Path:
    """A library holding the sample monograph (English) and copies of it stating ``languages``."""
    folder = tmp_path / "library"
    folder.mkdir()
    monograph = folder / "baclofen.yaml"
    shutil.copyfile(SAMPLE, monograph)
    for language in languages:
        text = SAMPLE.read_text(encoding="utf-8").replace("\nlanguage: en\n", f"\nlanguage: {language}\n")
        (folder / f"baclofen.{language}.yaml").write_text(text, encoding="utf-8")
    return monograph


def test_patient_language_picks_the_translation(capsys, tmp_path: Path) -> None:
    """This test ensures that the US Core patient, who prefers Spanish, gets baclofen.es.yaml when the
    library holds it beside baclofen.yaml: the leaflet's /Lang and the band's words are Spanish."""
    monograph = library(tmp_path, "es", "fr")
    packet = attach(capsys, tmp_path, monograph, *fhir_args(*US_FILES))
    reader = PdfReader(packet)
    assert "Dispensado el 2016-12-08" in band_text(packet)
    assert reader.pages[1].extract_text().count("Dispensado") == 1
    assert "warning" not in capsys.readouterr().err


def test_no_translation_falls_back_with_a_warning(capsys, tmp_path: Path) -> None:
    """This test ensures that without a Spanish monograph the English one is used and one warning names
    the language tag only."""
    order = write(tmp_path / "order.pdf", order_pdf(1))
    monograph = library(tmp_path, "fr")
    result = run_cli(capsys, "attach", order, monograph, *fhir_args(*US_FILES), "-o", tmp_path / "p.pdf")
    assert result.code == 0
    assert result.err_lines == [
        f"{order}: warning[fhir-language]: no leaflet of baclofen.yaml in the patient's language (es); "
        "the leaflet is in en (add baclofen.es.yaml beside it)"
    ]
    assert band_text(tmp_path / "p.pdf")[1] == "Dispensed 2016-12-08"
