"""What the service does for each request, without HTTP: a leaflet from a monograph's bytes, a packet
from an order's bytes with library or uploaded monographs and a patient's details, findings of a check.

Consumes bytes and plain values; returns bytes (or findings) and the codes of the warnings, or raises
:class:`LeafletError` whose diagnostics name the request's parts (``monograph.yaml``, ``order.pdf``,
``patient``, a library monograph's file name), never a path of the server and never a patient's details.
The order is read from its bytes under the command line's bounds (size, pages, time, memory); uploaded
monographs are written to a private scratch folder (mode 0700), removed after the request, as the loaders
read files.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leaflet.build import build_leaflet
from leaflet.errors import Diagnostic, LeafletError, OptionsError
from leaflet.loaders import IMPORTED_SUFFIXES, MONOGRAPH_SUFFIXES, load_for_build
from leaflet.options import BuildOptions, validate_options
from leaflet.service.caches import BoundedCache, Library
from leaflet.site import Site

if TYPE_CHECKING:
    from leaflet.pdf.parts import LeafletTemplate
    from leaflet.personalise.patient import PatientDetails
    from leaflet.service.metrics import Metrics

PATIENT_FIELDS = ("patient", "rx", "dispensed", "directions", "pharmacy")
"""The keys of the ``patient`` JSON object (each a string, or null)."""


@dataclass(frozen=True)
class Upload:
    """A monograph sent with the request: its kind (``.yaml``, ``.yml`` or ``.txt``) and bytes."""

    suffix: str
    data: bytes


@dataclass(frozen=True)
class Made:
    """What a request made: the PDF and the codes of the warnings about it."""

    pdf: bytes
    warnings: tuple[str, ...]


class Service:
    """The work of the service, with its caches, its library and its site configuration."""

    def __init__(
        self, *, library: Path | None, site: Site, defaults: BuildOptions, metrics: Metrics, cache_size: int
    ) -> None:
        self.library = Library(library)
        self.site = site
        self.defaults = replace(defaults, site=site)
        self.metrics = metrics
        self.leaflets: BoundedCache[Made] = BoundedCache(cache_size)
        self.templates: BoundedCache[LeafletTemplate] = BoundedCache(cache_size)

    def options(self, **given: Any) -> BuildOptions:
        """The service's default options with the request's (None: not given), validated."""
        chosen = {name: value for name, value in given.items() if value is not None}
        options = replace(self.defaults, **chosen)
        try:
            validate_options(options)
        except LeafletError as error:
            raise renamed(error, {}) from None
        return options

    def leaflet(self, body: bytes, suffix: str, options: BuildOptions) -> tuple[Made, bool]:
        """The leaflet of the monograph ``body`` (a ``suffix`` file) and whether it came from the cache."""
        key = ("leaflet", hashlib.sha256(body).hexdigest(), suffix, options)
        return self.leaflets.get_or_build(key, lambda: self._build(body, suffix, options))

    def _build(self, body: bytes, suffix: str, options: BuildOptions) -> Made:
        with scratch() as folder:
            path = folder / f"monograph{suffix}"
            path.write_bytes(body)
            warnings: list[Diagnostic] = []
            try:
                rendered = build_leaflet(load_for_build(path, options, on_warning=warnings.append), options)
            except LeafletError as error:
                raise renamed(error, {str(path): path.name}) from None
        self.metrics.layouts.inc()
        return Made(rendered.pdf, _codes([*warnings, *rendered.warnings]))

    def packet(
        self,
        order: bytes,
        monographs: list[str | Upload],
        *,
        patient: bytes | None,
        paper: str = "auto",
        order_id: str | None = None,
    ) -> Made:
        """The packet of ``order`` with the leaflets of ``monographs`` (library names or uploads),
        personalised with the ``patient`` JSON when given."""
        from leaflet.orders.attach import attach_leaflets  # pypdf loads with the first packet

        if not monographs:
            raise OptionsError(Diagnostic("monographs", "no monograph given", hint="name one, or upload one"))
        details = patient_from_json(patient) if patient is not None else None
        uploads = any(isinstance(item, Upload) for item in monographs)
        with scratch() if uploads else nullcontext(Path("uploads")) as folder:  # library names need no files
            names: dict[str, str] = {}
            paths, digests = self._monograph_paths(folder, monographs, names)
            warnings: list[Diagnostic] = []
            try:
                pdf = attach_leaflets(
                    Path("order.pdf"),
                    paths,
                    order_data=order,
                    paper=paper,  # type: ignore[arg-type]
                    on_warning=warnings.append,
                    patient=details,
                    order_label="order.pdf",
                    order_ref=order_id,
                    leaflet_builder=lambda path, options, sink: self._template(digests[path], path, options, sink),
                    base=self.defaults,
                )
            except LeafletError as error:
                raise renamed(error, names) from None
        self.metrics.packets.inc()
        return Made(pdf, _codes(warnings))

    def _monograph_paths(
        self, folder: Path, monographs: list[str | Upload], names: dict[str, str]
    ) -> tuple[list[Path], dict[Path, str]]:
        paths: list[Path] = []
        digests: dict[Path, str] = {}
        for number, item in enumerate(monographs, start=1):
            if isinstance(item, str):
                path = self.library.find(item)
                digests[path] = self.library.digest(path)
                names[str(path)] = self.library.display_name(path)
            else:
                if item.suffix not in (*MONOGRAPH_SUFFIXES, *IMPORTED_SUFFIXES):
                    hint = "upload a .yaml or .txt monograph, or an ePI (.json, .xml) or SPL (.xml) file"
                    raise OptionsError(Diagnostic(f"monographs[{number}]", "is not a monograph file", hint=hint))
                path = folder / f"upload-{number}{item.suffix}"
                path.write_bytes(item.data)
                digests[path] = hashlib.sha256(item.data).hexdigest()
                names[str(path)] = f"monographs[{number}]"
            paths.append(path)
        return paths, digests

    def _template(self, digest: str, path: Path, options: BuildOptions, sink: Any) -> LeafletTemplate:
        """A leaflet laid out for packets once per monograph digest and options."""
        from leaflet.orders.attach import build_monograph_template

        def build() -> LeafletTemplate:
            template = build_monograph_template(path, options, sink)
            self.metrics.layouts.inc()
            return template

        template, _ = self.templates.get_or_build(("template", digest, options), build)
        return template

    def check(self, body: bytes, suffix: str, profile: str) -> list[dict[str, object]]:
        """The findings of ``leaflet check`` about the monograph ``body``, as JSON-ready dicts."""
        from leaflet.check.rules import CheckOptions, check_file

        if profile not in ("basic", "eu-qrd", "us-medguide"):
            raise OptionsError(Diagnostic("profile", f"unknown profile {profile!r}", hint="basic, eu-qrd, us-medguide"))
        with scratch() as folder:
            path = folder / f"monograph{suffix}"
            path.write_bytes(body)
            findings = check_file(path, CheckOptions(profile=profile))
        return [{**finding.as_dict(), "path": path.name} for finding in findings]


def patient_from_json(data: bytes) -> PatientDetails | None:
    """The ``patient`` part: a JSON object of :data:`PATIENT_FIELDS`, checked as the command line checks
    them; problems name the field, never its value."""
    from leaflet.personalise.patient import patient_details

    try:
        value = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        line, column = (exc.lineno, exc.colno) if isinstance(exc, json.JSONDecodeError) else (None, None)
        raise OptionsError(
            Diagnostic("patient", "is not JSON", line=line, column=column, code="patient-json")
        ) from None
    if not isinstance(value, dict):
        raise OptionsError(Diagnostic("patient", "is not a JSON object", code="patient-json", hint="send {...}"))
    if "resourceType" in value:  # a FHIR MedicationDispense, MedicationRequest, Patient or a Bundle of them
        return _patient_from_fhir(data)
    for key, text in value.items():
        if key not in PATIENT_FIELDS:
            shown = key if key.isidentifier() and len(key) < 40 else "(a field)"
            hint = f"use {', '.join(PATIENT_FIELDS)}"
            raise OptionsError(Diagnostic("patient", f"unknown field {shown!r}", code="patient-json", hint=hint))
        if text is not None and not isinstance(text, str):
            raise OptionsError(Diagnostic("patient", f"'{key}' is not a string", code="patient-json"))
    return patient_details(where="patient", **{key: value.get(key) for key in PATIENT_FIELDS})


def _patient_from_fhir(data: bytes) -> PatientDetails | None:
    """The band's details from a FHIR ``patient`` part, as ``attach --fhir`` reads them (the current name,
    the directions verbatim, the date handed over, the pharmacy, the prescription number)."""
    from leaflet.personalise.fhir import fhir_resources
    from leaflet.personalise.fhir_record import details_with_fhir, dispense_record

    return details_with_fhir(dispense_record(fhir_resources(data, "patient")), where="patient")


def renamed(error: LeafletError, names: dict[str, str]) -> LeafletError:
    """``error`` with its paths as the request names them (``--paper`` is the ``paper`` parameter)."""
    diagnostics = []
    for diagnostic in error.diagnostics:
        path = names.get(diagnostic.path, diagnostic.path)
        if path.startswith("--"):
            path = path[2:].replace("-", "_")
        message = diagnostic.message
        for real, shown in names.items():
            path, message = path.replace(real, shown), message.replace(real, shown)
        diagnostics.append(replace(diagnostic, path=path, message=message))
    return type(error)(diagnostics)


def _codes(diagnostics: list[Diagnostic]) -> tuple[str, ...]:
    return tuple(sorted({diagnostic.code or "warning" for diagnostic in diagnostics}))


@contextmanager
def scratch() -> Iterator[Path]:
    """A private folder (0700) for one request's files, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="leaflet-") as folder:
        yield Path(folder)
