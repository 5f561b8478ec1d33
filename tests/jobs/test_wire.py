"""Jobs and outcomes as JSON for the broker (:mod:`leaflet.jobs.wire`): what a worker decodes is what the
batch sent, and a message cannot make it build anything else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leaflet.errors import Diagnostic
from leaflet.jobs.leaflet_job import LeafletJob
from leaflet.jobs.model import Outcome, OutputFile
from leaflet.jobs.wire import WireError, from_wire, to_wire
from leaflet.options import BuildOptions
from leaflet.orders.batch import OrderJob
from leaflet.personalise.patient import PatientDetails
from leaflet.site import Site

OPTIONS = BuildOptions(
    paper="letter",
    columns=1,
    fonts=("/fonts/extra.ttf",),
    language="es",
    site=Site(pharmacy_name="Farmacia Sol", band_fields=("patient", "rx"), labels=(("es", (("header", "Hoja"),)),)),
)


def through_json(value: object) -> object:
    return from_wire(json.loads(json.dumps(to_wire(value))))


def test_jobs_and_outcomes_survive_the_trip() -> None:
    """This test ensures that a library job, an order job (patient details, options, digests) and an outcome with
    diagnostics and section digests come out of JSON equal to what went in, with their types."""
    patient = PatientDetails(patient="Zoë Ångström", rx="RX1", dispensed="2026-11-24", directions="1 a day")
    order = OrderJob(
        "A1",
        3,
        "orders.csv:3",
        Path("/in/a1.pdf"),
        ((Path("/in/b.yaml"), "ab" * 32),),
        patient,
        Path("/o/A1.pdf"),
        "k",
        "letter",
        OPTIONS,
    )
    outcome = Outcome.done(
        {"Uses": "12", "(title)": "34"}, warnings=(Diagnostic("b.yaml", "cut short", line=4, hint="h", code="glyphs"),)
    )
    for value in (LeafletJob(Path("/in/b.yaml"), Path("/o/b.pdf"), OPTIONS, "key"), order, outcome):
        assert through_json(value) == value
    decoded = through_json(order)
    assert isinstance(decoded, OrderJob) and isinstance(decoded.monographs[0][0], Path)
    assert isinstance(decoded.patient, PatientDetails) and decoded.options.site.labels == OPTIONS.site.labels


def test_file_data_never_travels() -> None:
    """This test ensures that an outcome still holding its file's bytes cannot be sent (tasks carry no PDFs)."""
    with pytest.raises(TypeError, match="cannot be sent"):
        to_wire(Outcome.done(files=(OutputFile(Path("/o/x.pdf"), b"%PDF-"),)))


@pytest.mark.parametrize(
    "message",
    [
        {"$": "Popen", "args": ["rm", "-rf", "/"]},
        {"$": "LeafletJob", "source": {"$path": "a"}, "target": {"$path": "b"}, "options": None, "run": 1},
        {"$": "LeafletJob"},
        {"$map": [[["not", "hashable"], 1]]},
        {"$map": [1, 2]},
        {"$set": []},
    ],
)
def test_anything_else_is_refused(message: object) -> None:
    """This test ensures that a message naming a class leaflet does not send, a field a job does not have, a job
    missing its fields or a malformed mapping is refused rather than built."""
    with pytest.raises(WireError):
        from_wire(message)
