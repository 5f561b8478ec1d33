"""What a band prints, taken from FHIR R4 dispensing records.

Consumes the resources :mod:`leaflet.personalise.fhir` read (MedicationDispense, MedicationRequest,
Patient, Organization); returns a :class:`DispenseRecord`: the patient's current name, the directions
verbatim, the date handed over, the pharmacy, the prescription identifier and the patient's languages.
A value the records do not hold is left empty, never guessed; in particular ``subject.display`` (a
copy of the name that may be stale) is never printed: only ``Patient.name`` is. The rules:

* **dispense**: the one MedicationDispense (``entered-in-error`` ones are ignored); two are ambiguous.
* **prescription**: the MedicationRequest the dispense names in ``authorizingPrescription`` (else the
  one given); **patient**: the Patient the dispense (else the request) names as ``subject``, by
  reference or by identifier (else the one given). A Patient or MedicationRequest given that the
  dispense does not name is an error: the band must not mix two patients' records.
* **name**: see :func:`current_name`. **directions**: every ``dosageInstruction.text`` of the dispense,
  else of the request, joined by "; ". **date**: ``whenHandedOver``, else ``whenPrepared``: its date
  part as written (the pharmacy's local date); a year or month alone is left out. **pharmacy**: the
  first ``performer.actor`` with a ``display``, or the ``name`` of the (contained or bundled)
  Organization it refers to. **Rx**: the gematik PrescriptionID on the dispense, else the identifier in
  ``authorizingPrescription``, else the request's ``identifier`` (``official`` first).

Errors (:class:`FhirError`) name the file and the element, never a value.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from leaflet.personalise.fhir import Found, fhir_error
from leaflet.personalise.patient import PatientDetails, patient_details

GEMATIK_PRESCRIPTION_ID = "https://gematik.de/fhir/erp/NamingSystem/GEM_ERP_NS_PrescriptionId"
CURRENT_NAME_USES = {"usual": 0, "official": 1, None: 2}
"""Which ``Patient.name`` may be printed, best first: ``usual`` (the name the patient goes by), then
``official``, then a name with no ``use``. ``old``, ``maiden``, ``nickname``, ``temp`` and
``anonymous`` names are never printed."""
MAX_ENTRIES = 10
"""Entries of a list looked at for performers, references and languages: real records have one or
two, and each is matched against every candidate resource (or looked for as a file)."""
_FHIR_DATE = re.compile(r"^(\d{4})(-\d{2}(-\d{2})?)?(T.*)?$")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True)
class DispenseRecord:
    """The band's values from FHIR ('' when the records do not hold one), hidden from ``repr``."""

    patient: str = field(default="", repr=False)
    rx: str = field(default="", repr=False)
    dispensed: str = field(default="", repr=False)
    directions: str = field(default="", repr=False)
    pharmacy: str = field(default="", repr=False)
    languages: tuple[str, ...] = field(default=(), repr=False)
    """The patient's languages (BCP 47 tags), the preferred first."""
    source: str = ""
    """The FHIR file(s) the record came from, for messages."""


def dispense_record(found: list[Found], *, today: datetime.date | None = None) -> DispenseRecord:
    """The band's values from ``found`` (``today`` decides which names have ended; default: today)."""
    label = ", ".join(dict.fromkeys(item.source for item in found)) or "--fhir"
    dispense = _only(_of_kind(found, "MedicationDispense"), "MedicationDispense", label)
    request = _referenced(found, "MedicationRequest", _refs(dispense, "authorizingPrescription"), label)
    subject = _refs(dispense, "subject") or _refs(request, "subject")
    patient = _referenced(found, "Patient", subject, label)
    if dispense is None and request is None and patient is None:
        raise fhir_error(label, "holds no MedicationDispense, MedicationRequest or Patient", "fhir-no-record")
    return DispenseRecord(
        patient=current_name(patient, today=today or datetime.date.today()) if patient else "",
        rx=_rx(dispense, request),
        dispensed=_dispensed(dispense),
        directions=_directions(dispense) or _directions(request),
        pharmacy=_pharmacy(dispense, found),
        languages=_languages(patient) if patient else (),
        source=label,
    )


def current_name(patient: Found, *, today: datetime.date) -> str:
    """The name to print: among ``Patient.name`` entries whose ``use`` is ``usual``, ``official`` or
    not given, and whose ``period`` has begun and not ended by ``today``, the best by
    :data:`CURRENT_NAME_USES` (the first of equals); its ``text``, else its ``given`` names and
    ``family`` (``prefix`` and ``suffix``, titles and degrees, are left out). '' when none is current."""
    candidates = []
    for index, name in enumerate(_objects(patient, patient.resource, "name", "Patient.name")):
        use = name.get("use")
        if use not in CURRENT_NAME_USES or not _in_period(name.get("period"), today):
            continue
        text = _text(patient, name, "text", "Patient.name.text")
        given = [part for part in _texts(patient, name, "given", "Patient.name.given")]
        family = _text(patient, name, "family", "Patient.name.family")
        shown = text.strip() or " ".join(part for part in [*given, family] if part.strip())
        if shown.strip():
            candidates.append((CURRENT_NAME_USES[use], index, shown))
    return min(candidates)[2] if candidates else ""


def _in_period(period: object, today: datetime.date) -> bool:
    """Whether ``today`` falls in the FHIR Period (an unreadable bound counts as no bound; a partial
    date such as ``2020-07`` as its first day for ``start`` and ``end`` alike, so such a name ends early)."""
    if not isinstance(period, dict):
        return True
    start, end = (_date_of(period.get(key)) for key in ("start", "end"))
    return (start is None or start <= today) and (end is None or end >= today)


def _date_of(value: object) -> datetime.date | None:
    if not isinstance(value, str) or not (match := _FHIR_DATE.match(value)):
        return None
    text = value[:10] if match.group(3) else (value[:7] + "-01" if match.group(2) else value[:4] + "-01-01")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def _of_kind(found: list[Found], kind: str) -> list[Found]:
    """The resources of ``kind``, without ``entered-in-error`` ones and without repeats (the same
    resource given twice, in a Bundle and on its own)."""
    import json  # loaded already: the resources were read from JSON or XML

    unique: dict[str, Found] = {}
    for item in found:
        if item.kind == kind and item.resource.get("status") != "entered-in-error":
            unique.setdefault(json.dumps(item.resource, sort_keys=True), item)  # linear, however many repeat
    return list(unique.values())


def _only(items: list[Found], kind: str, label: str) -> Found | None:
    if len(items) > 1:
        raise fhir_error(
            label,
            f"holds {len(items)} {kind} resources; leaflet cannot tell which is this order's",
            "fhir-ambiguous",
            hint=f"give the one {kind} of this order",
        )
    return items[0] if items else None


Pointer = str | tuple[str, str]
"""How a Reference names a resource: its ``reference`` (``Patient/id``, a URL), else its ``identifier``
(system, value), as the gematik dispense names the patient by insurance number."""


def _referenced(found: list[Found], kind: str, references: list[Pointer], label: str) -> Found | None:
    """The resource of ``kind`` one of ``references`` names; without references, the only one given."""
    items = _of_kind(found, kind)
    if not references or not items:
        return _only(items, kind, label)
    named = [item for item in items if any(_refers_to(reference, item) for reference in references)]
    if not named:
        raise fhir_error(
            label,
            f"the {kind} given is not the one the {'dispense' if kind != 'Patient' else 'record'} refers to",
            "fhir-mismatch",
            hint="give the records of one order, from one system",
        )
    return _only(named, kind, label)


def _refers_to(reference: Pointer, item: Found) -> bool:
    if isinstance(reference, tuple):
        identifiers = item.resource.get("identifier")
        return isinstance(identifiers, list) and any(
            isinstance(identifier, dict) and (str(identifier.get("system", "")), identifier.get("value")) == reference
            for identifier in identifiers
        )
    local = f"{item.kind}/{item.id}" if item.id else None
    if item.full_url and (reference == item.full_url or item.full_url.endswith("/" + reference)):
        return True
    return local is not None and (reference == local or reference.endswith("/" + local))


def _refs(item: Found | None, key: str) -> list[Pointer]:
    """How the Reference (or list of them) at ``key`` of ``item`` names its resources."""
    if item is None:
        return []
    value = item.resource.get(key)
    pointers: list[Pointer] = []
    for ref in (value if isinstance(value, list) else [value])[:MAX_ENTRIES]:  # each is matched to every candidate
        identifier = ref.get("identifier") if isinstance(ref, dict) else None
        if isinstance(ref, dict) and isinstance(ref.get("reference"), str):
            pointers.append(ref["reference"])
        elif isinstance(identifier, dict) and isinstance(identifier.get("value"), str):
            pointers.append((str(identifier.get("system", "")), identifier["value"]))
    return pointers


def _rx(dispense: Found | None, request: Found | None) -> str:
    if dispense is not None:
        for identifier in _objects(dispense, dispense.resource, "identifier", "MedicationDispense.identifier"):
            if identifier.get("system") == GEMATIK_PRESCRIPTION_ID:
                return _text(dispense, identifier, "value", "MedicationDispense.identifier.value")
        for ref in _objects(dispense, dispense.resource, "authorizingPrescription", "authorizingPrescription"):
            given = ref.get("identifier")
            if isinstance(given, dict):
                value = _text(dispense, given, "value", "authorizingPrescription.identifier.value")
                if value:
                    return value
    if request is not None:
        identifiers = _objects(request, request.resource, "identifier", "MedicationRequest.identifier")
        ranked = sorted(identifiers, key=lambda identifier: identifier.get("use") != "official")
        for identifier in ranked:
            value = _text(request, identifier, "value", "MedicationRequest.identifier.value")
            if value:
                return value
    return ""


def _dispensed(dispense: Found | None) -> str:
    """The date part of ``whenHandedOver`` (else ``whenPrepared``); '' for a year or month alone."""
    if dispense is None:
        return ""
    for key in ("whenHandedOver", "whenPrepared"):
        value = _text(dispense, dispense.resource, key, f"MedicationDispense.{key}")
        if not value:
            continue
        match = _FHIR_DATE.match(value)
        if not match or (match.group(3) and _date_of(value) is None):
            raise fhir_error(
                dispense.source, f"MedicationDispense.{key} is not a FHIR dateTime", "fhir-bad-value",
                hint="YYYY-MM-DD, optionally with a time",
            )  # fmt: skip
        return value[:10] if match.group(3) else ""
    return ""


def _directions(item: Found | None) -> str:
    if item is None:
        return ""
    dosages = _objects(item, item.resource, "dosageInstruction", f"{item.kind}.dosageInstruction")
    texts = [_text(item, dosage, "text", f"{item.kind}.dosageInstruction.text") for dosage in dosages]
    return "; ".join(text.strip() for text in texts if text.strip())


def _pharmacy(dispense: Found | None, found: list[Found]) -> str:
    """The first of the dispense's first :data:`MAX_ENTRIES` performers that has a name."""
    if dispense is None:
        return ""
    organisations = _of_kind(found, "Organization")
    performers = _objects(dispense, dispense.resource, "performer", "MedicationDispense.performer")
    for performer in performers[:MAX_ENTRIES]:  # each may look through every Organization
        actor = performer.get("actor")
        if not isinstance(actor, dict):
            continue
        display = _text(dispense, actor, "display", "MedicationDispense.performer.actor.display")
        organisation = None if display.strip() else _organisation(dispense, actor, organisations)
        if organisation is not None:
            display = _text(organisation, organisation.resource, "name", "Organization.name")
        name = display
        if name.strip():
            return name
    return ""


def _organisation(dispense: Found, actor: dict[str, Any], organisations: list[Found]) -> Found | None:
    """The Organization ``actor`` refers to: contained in the dispense (``#id``) or given beside it."""
    reference = actor.get("reference")
    if not isinstance(reference, str):
        return None
    if reference.startswith("#"):
        contained = _objects(dispense, dispense.resource, "contained", "MedicationDispense.contained")
        inside = [Found(item, dispense.source) for item in contained if item.get("resourceType") == "Organization"]
        return next((item for item in inside if item.id == reference[1:]), None)
    return next((item for item in organisations if _refers_to(reference, item)), None)


def _languages(patient: Found) -> tuple[str, ...]:
    """The patient's ``communication`` languages as BCP 47 tags, ``preferred`` ones first."""
    entries = _objects(patient, patient.resource, "communication", "Patient.communication")
    ranked = sorted(entries, key=lambda entry: entry.get("preferred") is not True)
    tags: dict[str, None] = {}
    for entry in ranked[:MAX_ENTRIES]:
        language = entry.get("language")
        codings = language.get("coding") if isinstance(language, dict) else None
        for coding in codings if isinstance(codings, list) else []:
            code = coding.get("code") if isinstance(coding, dict) else None
            if isinstance(code, str) and _LANGUAGE_TAG.match(code):
                tags[code] = None
    return tuple(tags)


def _objects(item: Found, node: dict[str, Any], key: str, element: str) -> list[dict[str, Any]]:
    """The objects of the list at ``key`` ([] when absent); another shape is an error naming ``element``."""
    value = node.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise fhir_error(item.source, f"{element} is not a list of objects", "fhir-bad-value")
    return value


def _text(item: Found, node: dict[str, Any], key: str, element: str) -> str:
    """The string at ``key`` ('' when absent); another type is an error naming ``element``."""
    value = node.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise fhir_error(item.source, f"{element} is not a string", "fhir-bad-value")
    return value


def _texts(item: Found, node: dict[str, Any], key: str, element: str) -> list[str]:
    value = node.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(entry, str) for entry in value):
        raise fhir_error(item.source, f"{element} is not a list of strings", "fhir-bad-value")
    return value


BAND_FIELDS = ("patient", "rx", "dispensed", "directions", "pharmacy")


def details_with_fhir(record: DispenseRecord | None, *, where: str, **given: str | None) -> PatientDetails | None:
    """The band's details: each of ``given`` (command-line options or CSV columns) that is not empty,
    else the ``record``'s value. The record's values are checked first against its FHIR file (a
    character the fonts lack is reported there), the result against ``where``."""
    if record is not None:
        patient_details(where=record.source, **{name: getattr(record, name) for name in BAND_FIELDS})
    chosen = {name: given.get(name) or (getattr(record, name) if record else "") for name in BAND_FIELDS}
    return patient_details(where=where, **chosen)
