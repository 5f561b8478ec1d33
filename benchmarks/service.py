"""Benchmark ``leaflet serve``: ``python benchmarks/service.py [--clients 8] [--requests 400] [--threads 4]``.

Starts the service as a subprocess on a loopback port (one process, ``--threads`` build threads), then
``--clients`` concurrent clients (threads, each with its own keep-alive connection) send requests of
one kind at a time, and prints for each kind the p50 and p99 latency and requests per second:

* ``leaflet (cached)``: the same monograph each time (laid out once, then served from the cache);
* ``leaflet (uncached)``: a different monograph each time (a comment line differs), laid out each time;
* ``packet``: a 1-page order, the library's baclofen by name, and a different patient each time
  (the leaflet is laid out once; the order is read and the band drawn per request).

Targets on the 2-core reference machine: a cached leaflet in 5 ms (p50), a packet in 15 ms (p50). The
clients run on the same two cores as the service. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from pypdf import PdfWriter

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "content" / "baclofen.yaml"

from tests.service.support import serving  # noqa: E402  (the tests' way to start the service)


def order_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def run(kind: str, count: int, clients: int, call: Callable[[httpx.Client, int], httpx.Response]) -> None:
    """Send ``count`` requests from ``clients`` threads; print p50, p99 and requests/s."""
    latencies: list[float] = []

    def worker(offset: int) -> None:
        with httpx.Client(timeout=120) as client:
            for number in range(offset, count, clients):
                started = time.perf_counter()
                response = call(client, number)
                latencies.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise SystemExit(f"{kind}: {response.status_code} {response.text[:200]}")

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(worker, range(clients)))
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100)
    print(f"{kind:20} p50 {cuts[49] * 1000:7.1f} ms   p99 {cuts[98] * 1000:7.1f} ms   {count / elapsed:7.1f} req/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    monograph = SAMPLE.read_bytes()
    order = order_pdf()
    yaml = {"content-type": "application/yaml"}
    with tempfile.TemporaryDirectory() as folder:
        library = Path(folder)
        (library / "baclofen.yaml").write_bytes(monograph)
        with serving(
            "--library", str(library), "--threads", str(args.threads), "-q", cwd=library, log=library / "log"
        ) as server:
            leaflets = f"{server.url}/v1/leaflets"
            packets = f"{server.url}/v1/packets"
            httpx.post(leaflets, content=monograph, headers=yaml)  # warm: fonts registered, first layout
            run(
                "leaflet (cached)",
                args.requests,
                args.clients,
                lambda c, n: c.post(leaflets, content=monograph, headers=yaml),
            )
            uncached = max(args.requests // 10, args.clients * 4)
            run(
                "leaflet (uncached)",
                uncached,
                args.clients,
                lambda c, n: c.post(leaflets, content=monograph + f"\n# {n}\n".encode(), headers=yaml),
            )

            def packet(client: httpx.Client, number: int) -> httpx.Response:
                patient = json.dumps({"patient": f"Patient {number}", "rx": f"RX-{number}", "directions": "one daily"})
                files = [("order", ("order.pdf", order, "application/pdf"))]
                return client.post(packets, files=files, data={"monographs": "baclofen", "patient": patient})

            run("packet", args.requests, args.clients, packet)


if __name__ == "__main__":
    main()
