"""The FHIR dispensing samples (read from ``../shared/samples/dispense``, never copied), variants of them
written to temporary files, and the band's text read back from a packet with poppler's ``pdftotext``."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

from leaflet.options import BuildOptions
from leaflet.style import style_for
from tests.conftest import ROOT

DISPENSE = ROOT.parent / "shared" / "samples" / "dispense"
US_DISPENSE = DISPENSE / "uscore-medicationdispense-example.json"
US_REQUEST = DISPENSE / "uscore-medicationrequest-coded-oral-axid.json"
US_PATIENT = DISPENSE / "uscore-patient-example.json"
GEMATIK = DISPENSE / "gematik-2025-01-15-04_response_getDispense.json"
US_FILES = (US_DISPENSE, US_REQUEST, US_PATIENT)
MARKER = "Qxvmarkerzz"
"""A string that cannot occur by chance in a message: put in patient data, it must never be printed."""


def sample(path: Path) -> dict[str, Any]:
    """A fresh copy of the sample's JSON, to change for a variant."""
    return copy.deepcopy(json.loads(path.read_text(encoding="utf-8")))


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


def bundle(*resources: dict[str, Any], kind: str = "collection", modes: bool = False) -> dict[str, Any]:
    """A Bundle of ``resources``, each entry with a fullUrl (and a search mode for a searchset)."""
    entries = []
    for resource in resources:
        entry: dict[str, Any] = {
            "fullUrl": f"https://example.org/fhir/{resource['resourceType']}/{resource['id']}",
            "resource": resource,
        }
        if modes:
            entry["search"] = {"mode": "match" if resource["resourceType"] == "MedicationDispense" else "include"}
        entries.append(entry)
    return {"resourceType": "Bundle", "id": "b1", "type": kind, "entry": entries}


def band_text(packet: Path, *, paper: str = "letter", page: int = 2) -> list[str]:
    """The lines poppler reads inside the band's box on the packet's ``page`` (the leaflet's first)."""
    style = style_for(BuildOptions(paper=paper, personalised=True))  # type: ignore[arg-type]
    box = style.page.reserved_box(1)
    assert box is not None
    x, y, width, height = box
    top = style.page.height - (y + height)
    done = subprocess.run(
        [
            *("pdftotext", "-f", str(page), "-l", str(page), "-r", "72", "-layout"),
            *("-x", str(int(x)), "-y", str(int(top)), "-W", str(int(width) + 1), "-H", str(int(height) + 1)),
            *(str(packet), "-"),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return [" ".join(line.split()) for line in done.stdout.splitlines() if line.strip()]


def page_text(packet: Path) -> str:
    """Every page's text, by poppler."""
    done = subprocess.run(["pdftotext", str(packet), "-"], check=True, capture_output=True, text=True)
    return done.stdout


def to_xml(resource: dict[str, Any]) -> bytes:
    """``resource`` (FHIR JSON) in FHIR XML's form: each key an element, primitives in ``value``
    attributes, lists as repeated elements, resources inside ``entry.resource`` and ``contained``
    wrapped in their type's element. (Element order is JSON's, which the reader does not need.)"""
    from xml.etree import ElementTree

    ElementTree.register_namespace("", "http://hl7.org/fhir")
    root = ElementTree.Element(f"{NS}{resource['resourceType']}")
    _fill(root, resource)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


NS = "{http://hl7.org/fhir}"


def _fill(node: Any, value: object) -> None:
    from xml.etree import ElementTree

    if not isinstance(value, dict):
        node.set("value", json.dumps(value) if isinstance(value, bool | int | float) else str(value))
        return
    if "resourceType" in value and not node.tag.endswith(value["resourceType"]):
        node = ElementTree.SubElement(node, f"{NS}{value['resourceType']}")
    for key, item in value.items():
        if key != "resourceType" and not key.startswith("_"):
            for each in item if isinstance(item, list) else [item]:
                _fill(ElementTree.SubElement(node, f"{NS}{key}"), each)
