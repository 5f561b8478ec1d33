"""Reading FHIR R4 dispensing records (``--fhir``) as untrusted input.

Consumes the paths of FHIR files, JSON or XML (:mod:`leaflet.personalise.fhir_xml`), each a resource
or a Bundle (``collection``, ``searchset``, ``document``, ...: a Bundle inside a Bundle is read too, a
few levels deep); returns every MedicationDispense, MedicationRequest, Patient and Organization
found, as :class:`Found` resources for :mod:`leaflet.personalise.fhir_record` to pick from. Files come
from other systems: each is a regular file of at most :data:`MAX_FHIR_BYTES`, UTF-8 JSON (or XML)
nested at most :data:`MAX_DEPTH` deep (checked before parsing, so that a hostile file cannot exhaust
the parser's stack). Problems raise :class:`FhirError` naming the file and, for syntax, the line and
column; never a value from the file (it holds personal health information). ``json`` is imported only
here and only when a file is read.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leaflet.errors import Diagnostic, FhirError
from leaflet.files import FileRefusedError, read_regular

MAX_FHIR_BYTES = 4 * 1024 * 1024
"""Largest FHIR file read: a dispense response with its Medication and Patient is a few kilobytes."""
MAX_DEPTH = 64
"""Deepest nesting of JSON arrays and objects accepted (real records nest about 12 deep)."""
MAX_BUNDLE_NESTING = 4
"""Bundles inside Bundles followed this deep (an e-prescription Bundle inside a search result, ...)."""
WANTED = ("MedicationDispense", "MedicationRequest", "Patient", "Organization")
"""The resource types personalisation reads; others (Medication, Practitioner, ...) are skipped."""
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


@dataclass(frozen=True)
class Found:
    """One resource read from a FHIR file, with where it came from (for references and messages)."""

    resource: dict[str, Any] = field(repr=False)
    """The resource's JSON object: personal health information, never shown."""
    source: str
    """The file it was read from."""
    full_url: str = field(default="", repr=False)
    """The Bundle entry's ``fullUrl`` (how other entries may refer to it), or ''."""

    @property
    def kind(self) -> str:
        return str(self.resource.get("resourceType"))

    @property
    def id(self) -> str:
        value = self.resource.get("id")
        return value if isinstance(value, str) else ""


def fhir_error(path: str, message: str, code: str, *, hint: str | None = None, line: int | None = None) -> FhirError:
    """A :class:`FhirError` about ``path`` with ``code`` (``fhir-syntax``, ...)."""
    return FhirError(Diagnostic(path, message, line=line, hint=hint, code=code))


def read_fhir_files(paths: Iterable[Path]) -> list[Found]:
    """The resources personalisation reads from every file of ``paths``, in order; a file with none
    of them is an error (it is probably not the file meant)."""
    return [found for path in paths for found in read_fhir_file(Path(path))]


def read_fhir_file(path: Path) -> list[Found]:
    """The wanted resources of the FHIR file at ``path`` (see :data:`WANTED`); none is an error."""
    label = str(path)
    try:
        data = read_regular(path, limit=MAX_FHIR_BYTES)
    except FileRefusedError as exc:
        code = "fhir-too-large" if "limit" in exc.reason else "fhir-unreadable"
        raise fhir_error(label, exc.reason, code, hint=exc.hint) from None
    except OSError as exc:
        raise fhir_error(label, f"cannot be read: {exc.strerror}", "fhir-unreadable") from None
    return fhir_resources(data, label)


def fhir_resources(data: bytes, label: str) -> list[Found]:
    """The wanted resources of the FHIR JSON ``data`` read from the file ``label``; none is an error."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        from leaflet.personalise.fhir_xml import parse_fhir_xml

        document: object = parse_fhir_xml(data, label, max_depth=MAX_DEPTH)
    else:
        document = parse_json(data, label)
    if not isinstance(document, dict) or not isinstance(document.get("resourceType"), str):
        raise fhir_error(
            label, "is not a FHIR resource (no resourceType)", "fhir-not-a-resource", hint="give FHIR R4 JSON"
        )
    found = [*_resources(document, label, "", MAX_BUNDLE_NESTING)]
    if not found:
        raise fhir_error(
            label,
            "holds no MedicationDispense, MedicationRequest or Patient",
            "fhir-no-record",
            hint="give the dispense, its prescription or the patient, or a Bundle of them",
        )
    return found


def parse_json(data: bytes, label: str) -> object:
    """``data`` parsed as UTF-8 JSON (a BOM is allowed), refused if nested deeper than :data:`MAX_DEPTH`."""
    import json  # only when a FHIR file is read: a plain build must not load it

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise fhir_error(label, "is not UTF-8 text", "fhir-syntax", hint="FHIR JSON is UTF-8") from None
    depth = json_depth(data)
    if depth > MAX_DEPTH:
        raise fhir_error(label, f"is nested more than {MAX_DEPTH} levels deep", "fhir-too-deep")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:  # its message names the syntax only, never the text
        message = f"is not valid JSON: {exc.msg} (column {exc.colno})"
        raise fhir_error(label, message, "fhir-syntax", line=exc.lineno) from None
    except RecursionError:  # cannot happen under MAX_DEPTH; kept so that a parser change stays safe
        raise fhir_error(label, f"is nested more than {MAX_DEPTH} levels deep", "fhir-too-deep") from None


def json_depth(data: bytes) -> int:
    """How deep the arrays and objects of the JSON ``data`` nest (strings skipped), without parsing it.

    Malformed JSON may give a meaningless number; the parser then reports the syntax error.
    """
    brackets = _BRACKET.findall(_STRING.sub(b"", data))
    steps = (1 if bracket in (b"[", b"{") else -1 for bracket in brackets)
    return max(itertools.accumulate(steps, initial=0))


def _resources(resource: dict[str, Any], label: str, full_url: str, nesting: int) -> Iterable[Found]:
    """``resource`` if wanted, or the wanted resources of the Bundle it is (entries in order)."""
    kind = resource.get("resourceType")
    if kind in WANTED:
        yield Found(resource, label, full_url)
    elif kind == "Bundle" and nesting > 0:
        entries = resource.get("entry", [])
        if not isinstance(entries, list):
            raise fhir_error(label, "Bundle.entry is not a list", "fhir-bad-value")
        for entry in entries:
            inner = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(inner, dict):
                url = entry.get("fullUrl")
                yield from _resources(inner, label, url if isinstance(url, str) else "", nesting - 1)
