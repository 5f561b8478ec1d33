"""The README's "Service" section, run as written: the start command as a subprocess on a loopback port,
then every curl example; and 100 concurrent requests to that server (issue 14, part 6: verified from
outside)."""

from __future__ import annotations

import io
import json
import re
import shlex
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from tests.conftest import ROOT
from tests.orders.support import order_pdf
from tests.service.support import serving

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")


def service_blocks() -> list[str]:
    """The ``sh`` code blocks of the README's "Service" section, in order (up to its first sub-section:
    "Batches on several machines" needs shared storage; tests/jobs/test_celery.py runs its commands on loopback)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Service\n", 1)[1].split("\n## ", 1)[0].split("\n### ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)


def test_the_readme_service_examples_work(tmp_path: Path) -> None:
    """This test ensures that the service started as the README says answers each curl example of the README:
    a leaflet and a packet that are valid PDFs, check findings and health as JSON, metrics, and a problem for
    bad input; then 100 requests at once."""
    blocks = service_blocks()
    start = next(line for line in blocks[0].splitlines() if line.startswith("leaflet serve"))
    command = [ROOT / ".venv" / "bin" / "leaflet" if (ROOT / ".venv").exists() else "leaflet", *shlex.split(start)[1:]]
    command = [str(part) for part in command]
    command[command.index("--port") + 1] = "{port}"
    (tmp_path / "content").symlink_to(ROOT / "content")
    (tmp_path / "order.pdf").write_bytes(order_pdf(1))
    with serving(cwd=tmp_path, log=tmp_path / "serve.log", command=command) as server:
        outputs = []
        for block in blocks[1:]:
            script = block.replace("http://127.0.0.1:8080", server.url)
            result = subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, capture_output=True, text=True)
            assert result.returncode == 0, (block, result.stderr)
            outputs.append(result.stdout)
        leaflet = PdfReader(tmp_path / "baclofen.pdf")
        assert [round(float(v)) for v in leaflet.pages[0].mediabox[2:]] == [612, 792]
        assert "Baclofen" in leaflet.pages[0].extract_text()
        packet = PdfReader(tmp_path / "packet.pdf")
        assert "Order 7 line 1" in packet.pages[0].extract_text() and "RX-4471" in packet.pages[1].extract_text()
        assert "findings" in json.loads(outputs[2])
        health, _ = json.JSONDecoder().raw_decode(outputs[3])
        assert health["status"] == "ok" and "leaflet_packets_total" in outputs[3]
        problem = json.loads(outputs[4])
        assert (problem["status"], problem["code"], problem["diagnostics"][0]["line"]) == (422, "yaml-missing-key", 1)
        hundred_at_once(server.url, tmp_path)


def hundred_at_once(url: str, folder: Path) -> None:
    order = (folder / "order.pdf").read_bytes()
    monograph = (ROOT / "content" / "baclofen.yaml").read_bytes()

    def call(number: int) -> bytes:
        with httpx.Client(timeout=120) as client:
            if number % 2:
                files = [("order", ("order.pdf", order, "application/pdf"))]
                data = {"monographs": "baclofen", "patient": json.dumps({"rx": f"RX-{number}"})}
                response = client.post(f"{url}/v1/packets", files=files, data=data)
            else:
                response = client.post(f"{url}/v1/leaflets", content=monograph, headers={"content-type": "text/yaml"})
            assert response.status_code == 200, response.text
            return response.content

    with ThreadPoolExecutor(max_workers=100) as pool:
        answers = list(pool.map(call, range(100)))
    for number, answer in enumerate(answers):
        pages = PdfReader(io.BytesIO(answer)).pages
        assert f"RX-{number}" in pages[1].extract_text() if number % 2 else "Baclofen" in pages[0].extract_text()
