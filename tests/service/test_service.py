"""``leaflet serve`` from outside: leaflets, packets, checks, problems, limits, caches, metrics and logs,
against the service started as a subprocess on a loopback port (issue 14, part 1)."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from leaflet import BuildOptions, build_leaflet, load_monograph
from leaflet.loaders.site_config import load_site_config
from tests.conftest import ROOT, SAMPLE
from tests.orders.support import order_pdf
from tests.service.support import MARKER, Server, serving

YAML = {"content-type": "application/yaml"}
CONFIG = '[pharmacy]\nname = "Green Cross Pharmacy"\n'
PATIENT = json.dumps({"patient": MARKER, "rx": "RX-4471", "directions": "Take one tablet at night"})


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("service")
    (folder / "library").mkdir()
    shutil.copyfile(SAMPLE, folder / "library" / "baclofen.yaml")
    (folder / "leaflet.toml").write_text(CONFIG, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def server(library: Path) -> Iterator[Server]:
    args = ["--library", "library", "--config", "leaflet.toml", "--cache-size", "2", "--max-body-mib", "2"]
    with serving(*args, "--log-format", "json", cwd=library, log=library / "serve.log") as running:
        yield running


def problem_of(response: httpx.Response, status: int) -> dict:
    """The problem+json body of ``response``, checked for RFC 9457's members and leaflet's diagnostics."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status and body["title"] and body["type"].startswith("urn:leaflet:problem:")
    assert body["diagnostics"] and body["code"] == body["diagnostics"][0]["code"]
    assert MARKER not in response.text
    return body


def packet_form(monographs: list[str] | None = None, patient: str = PATIENT) -> dict:
    return {
        "files": [("order", ("order.pdf", order_pdf(1), "application/pdf"))],
        "data": {"monographs": monographs or ["baclofen"], "patient": patient},
    }


def test_a_leaflet_is_the_librarys_own_and_laid_out_once(server: Server, library: Path) -> None:
    """This test ensures that POST /v1/leaflets returns the very bytes the library builds with the site's
    configuration, a leaflet that reads as one, and that the second request is served from the cache."""
    body = SAMPLE.read_bytes() + b"\n# first\n"
    layouts = server.metric("leaflet_layouts_total")
    first = httpx.post(f"{server.url}/v1/leaflets?paper=letter&columns=1", content=body, headers=YAML)
    again = httpx.post(f"{server.url}/v1/leaflets?paper=letter&columns=1", content=body, headers=YAML)
    assert first.status_code == 200 and first.headers["content-type"] == "application/pdf"
    assert (first.headers["leaflet-cache"], again.headers["leaflet-cache"]) == ("miss", "hit")
    assert again.content == first.content
    assert server.metric("leaflet_layouts_total") == layouts + 1
    site = load_site_config(library / "leaflet.toml").site
    expected = build_leaflet(load_monograph(SAMPLE), BuildOptions(paper="letter", columns=1, site=site)).pdf
    assert first.content == expected
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(first.content)).pages)
    assert "Baclofen" in text and "Green Cross Pharmacy" in text


def test_bad_monographs_are_problems_with_lines(server: Server) -> None:
    """This test ensures that content errors are 422 problem+json carrying every diagnostic with its code,
    line and column, named as the request's part (never a server path)."""
    text = SAMPLE.read_text(encoding="utf-8").replace("title:", "titel:", 1)
    body = problem_of(httpx.post(f"{server.url}/v1/leaflets", content=text.encode(), headers=YAML), 422)
    unknown = [d for d in body["diagnostics"] if d["code"] == "yaml-unknown-key"]
    lines = text.splitlines()
    typo = 1 + next(number for number, line in enumerate(lines) if line.startswith("titel:"))
    assert unknown and unknown[0]["line"] == typo
    assert unknown[0]["path"] == "monograph.yaml" and unknown[0]["column"] == 1 and unknown[0]["hint"]
    assert all("/tmp" not in json.dumps(d) for d in body["diagnostics"])


def test_bad_requests_are_4xx(server: Server) -> None:
    """This test ensures that a wrong media type is 415, a bad option 422 naming it, a bad query type 400,
    a body over the limit 413, an unknown path 404: each a problem, none a 5xx."""
    assert problem_of(httpx.post(f"{server.url}/v1/leaflets", content=b"x", headers={"content-type": "image/png"}), 415)
    body = problem_of(httpx.post(f"{server.url}/v1/leaflets?columns=3", content=SAMPLE.read_bytes(), headers=YAML), 422)
    assert body["diagnostics"][0]["path"] == "columns"
    assert problem_of(httpx.post(f"{server.url}/v1/leaflets?columns=x", content=b"x", headers=YAML), 400)
    big = b"# " + b"x" * (3 * 1024 * 1024)
    assert (
        problem_of(httpx.post(f"{server.url}/v1/leaflets", content=big, headers=YAML), 413)["code"] == "body-too-large"
    )
    assert problem_of(httpx.get(f"{server.url}/v2/nothing"), 404)


def test_a_packet_is_the_order_then_the_personalised_leaflet(server: Server) -> None:
    """This test ensures that POST /v1/packets returns the order's page, then the leaflet with the band."""
    response = httpx.post(f"{server.url}/v1/packets", **packet_form())
    assert response.status_code == 200, response.text
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert "Order 7 line 1" in pages[0].extract_text()
    leaflet = "\n".join(page.extract_text() for page in pages[1:])
    assert MARKER in leaflet and "Rx RX-4471" in leaflet and "Baclofen" in leaflet


def test_an_idempotency_key_replays_the_same_bytes_without_work(server: Server) -> None:
    """This test ensures that a retry with the same Idempotency-Key returns identical bytes and makes no
    second packet (the packets counter moves once), and that the key cannot be reused for another request."""
    before = server.metric("leaflet_packets_total")
    headers = {"Idempotency-Key": "order-5531-try"}
    first = httpx.post(f"{server.url}/v1/packets", headers=headers, **packet_form())
    second = httpx.post(f"{server.url}/v1/packets", headers=headers, **packet_form())
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert (first.headers["idempotent-replayed"], second.headers["idempotent-replayed"]) == ("false", "true")
    assert server.metric("leaflet_packets_total") == before + 1
    other = httpx.post(f"{server.url}/v1/packets", headers=headers, **packet_form(patient='{"rx": "RX-1"}'))
    assert problem_of(other, 422)["code"] == "idempotency-key-reused"


def test_patient_problems_name_the_field_never_the_value(server: Server) -> None:
    """This test ensures that bad patient details are 422 problems about ``patient`` that quote nothing."""
    bad_date = json.dumps({"patient": MARKER, "dispensed": "2024-13-45"})
    body = problem_of(httpx.post(f"{server.url}/v1/packets", **packet_form(patient=bad_date)), 422)
    assert body["diagnostics"][0]["path"] == "patient" and "date" in body["detail"]
    body = problem_of(httpx.post(f"{server.url}/v1/packets", **packet_form(patient='{"patient": \n"' + MARKER)), 422)
    assert (body["code"], body["diagnostics"][0]["line"]) == ("patient-json", 2)
    unknown = json.dumps({"patient": MARKER, "nmae": MARKER})
    assert "nmae" in problem_of(httpx.post(f"{server.url}/v1/packets", **packet_form(patient=unknown)), 422)["detail"]
    missing = problem_of(httpx.post(f"{server.url}/v1/packets", **packet_form(["warfarin"])), 404)
    assert missing["code"] == "monograph-unknown"


def test_a_library_edit_is_picked_up(server: Server, library: Path) -> None:
    """This test ensures that editing a library monograph changes the next packet's leaflet."""
    path = library / "library" / "baclofen.yaml"
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original.replace("Baclofen", "Baclofenum"), encoding="utf-8")
        response = httpx.post(f"{server.url}/v1/packets", **packet_form(patient='{"rx": "RX-9"}'))
        assert "Baclofenum" in "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    finally:
        path.write_text(original, encoding="utf-8")


def test_the_cache_is_bounded(server: Server) -> None:
    """This test ensures that the leaflet cache holds at most --cache-size (2) leaflets however many are made."""
    for number in range(4):
        body = SAMPLE.read_bytes() + f"\n# variant {number}\n".encode()
        assert httpx.post(f"{server.url}/v1/leaflets", content=body, headers=YAML).status_code == 200
    assert server.metric('leaflet_cache_entries{cache="leaflets"}') == 2


def test_a_hundred_concurrent_requests(server: Server) -> None:
    """This test ensures that 100 requests at once (leaflets, packets, checks) are all answered correctly."""

    def call(number: int) -> tuple[int, bytes]:
        with httpx.Client(timeout=60) as client:
            if number % 3 == 0:
                response = client.post(f"{server.url}/v1/packets", **packet_form())
            elif number % 3 == 1:
                response = client.post(f"{server.url}/v1/leaflets", content=SAMPLE.read_bytes(), headers=YAML)
            else:
                response = client.post(f"{server.url}/v1/check", content=SAMPLE.read_bytes(), headers=YAML)
            return response.status_code, response.content

    with ThreadPoolExecutor(max_workers=100) as pool:
        results = list(pool.map(call, range(100)))
    assert [status for status, _ in results] == [200] * 100
    for number, (_, content) in enumerate(results):
        if number % 3 != 2:
            assert PdfReader(io.BytesIO(content)).pages[0].extract_text()
        else:
            assert "findings" in json.loads(content)


def test_status_docs_and_metrics(server: Server) -> None:
    """This test ensures /healthz, /docs and the OpenAPI description answer, and that /metrics is
    Prometheus text with leaflet_ series labelled by route and status only."""
    assert httpx.get(f"{server.url}/healthz").json()["status"] == "ok"
    assert httpx.get(f"{server.url}/docs").status_code == 200
    assert {"/v1/leaflets", "/v1/packets", "/v1/check"} <= set(httpx.get(f"{server.url}/openapi.json").json()["paths"])
    metrics = httpx.get(f"{server.url}/metrics")
    assert metrics.headers["content-type"].startswith("text/plain")
    assert 'leaflet_requests_total{endpoint="/v1/packets",status="200"}' in metrics.text
    assert "leaflet_request_duration_seconds_bucket" in metrics.text
    assert 'leaflet_failures_total{code="yaml-unknown-key"}' in metrics.text


def test_no_patient_detail_in_logs_or_metrics(server: Server) -> None:
    """This test ensures that, after all the requests above, the marker name is in no log line and no metric,
    and that every log line is a JSON object (--log-format json). Runs last in this module."""
    httpx.post(f"{server.url}/v1/packets", **packet_form())
    assert MARKER not in httpx.get(f"{server.url}/metrics").text
    log = server.log.read_text(encoding="utf-8")
    assert MARKER not in log and "RX-4471" not in log
    lines = [json.loads(line) for line in log.splitlines() if line.strip()]
    assert any(line.get("endpoint") == "/v1/packets" and line.get("status") == 200 for line in lines)


def test_a_chunked_body_over_the_limit_is_refused(server: Server) -> None:
    """This test ensures that a body sent without Content-Length is counted as it is read and refused
    past the limit (--max-body-mib 2) with 413, not read to its end."""

    def chunks() -> Iterator[bytes]:
        yield b"title: x\n"
        for _ in range(64):
            yield b"#" * 65536 + b"\n"

    response = httpx.post(f"{server.url}/v1/leaflets", content=chunks(), headers=YAML)
    assert problem_of(response, 413)["code"] == "body-too-large"


def test_a_request_past_its_time_is_503(tmp_path: Path) -> None:
    """This test ensures that a request that takes longer than --request-seconds is answered 503 timeout
    with Retry-After, and that the service goes on answering."""
    with serving("--request-seconds", "0.01", cwd=tmp_path, log=tmp_path / "serve.log") as slow:
        response = httpx.post(f"{slow.url}/v1/leaflets", content=SAMPLE.read_bytes(), headers=YAML)
        assert problem_of(response, 503)["code"] == "timeout"
        assert response.headers["retry-after"]
        assert httpx.get(f"{slow.url}/healthz").status_code == 200


SAMPLES = ROOT.parent / "shared" / "samples"
EPI_JSON = SAMPLES / "epi" / "hl7-epi-type1-paracetamol-en.json"
SPL_XML = ROOT / "tests" / "fixtures" / "spl" / "medguide.xml"
FHIR_PATIENT = SAMPLES / "dispense" / "uscore-patient-example.json"


@pytest.mark.parametrize(
    ("source", "media_type"), [(EPI_JSON, "application/fhir+json"), (SPL_XML, "application/xml")], ids=["epi", "spl"]
)
def test_an_epi_or_spl_body_is_a_leaflet(server: Server, source: Path, media_type: str) -> None:
    """This test ensures that POST /v1/leaflets takes an EU ePI Bundle (FHIR JSON) or an FDA SPL document
    (XML) and returns the very leaflet the command line builds from the same file with the site's options."""
    if not source.exists():
        pytest.skip(f"{source} is missing")
    response = httpx.post(
        f"{server.url}/v1/leaflets", content=source.read_bytes(), headers={"content-type": media_type}
    )
    assert response.status_code == 200, response.text
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    title = load_monograph(source).title
    assert " ".join(title.split()[:2]) in " ".join(text.split())
    assert "Green Cross Pharmacy" in text


def test_a_fhir_patient_personalises_a_packet(server: Server) -> None:
    """This test ensures that the ``patient`` part of POST /v1/packets may be a FHIR resource (here a US Core
    Patient with an old name and a current one): the band prints the current name, never the old one, and a
    FHIR record with nothing the band prints is a 422 problem naming the part."""
    if not FHIR_PATIENT.exists():
        pytest.skip(f"{FHIR_PATIENT} is missing")
    response = httpx.post(f"{server.url}/v1/packets", **packet_form(patient=FHIR_PATIENT.read_text(encoding="utf-8")))
    assert response.status_code == 200, response.text
    leaflet = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages[1:])
    assert "Amy V. Baxter" in leaflet and "Shaw" not in leaflet
    empty = json.dumps({"resourceType": "Observation", "id": "x"})
    body = problem_of(httpx.post(f"{server.url}/v1/packets", **packet_form(patient=empty)), 422)
    assert body["diagnostics"][0]["path"] == "patient"
