"""Benchmark order batches: ``python benchmarks/orders.py [--count 1000] [--jobs 2] [--repeat 3]
[--engine local|celery] [--workers N] [--broker URL]``.

Generates ``count`` orders in a temporary folder, each a 1-page Letter order PDF made with pypdf
and one monograph (the sample, which builds into a 3-page personalised Letter leaflet), with its own
patient details, then times ``--repeat`` runs of ``leaflet orders ORDERS.csv -o OUT --jobs N``, each
into an empty folder, and prints the median packets per second and the peak resident memory (the
largest of the command's processes, ``RUSAGE_CHILDREN``). Runs with nothing changed time the skip
path.

With ``--engine celery`` the batches run on ``--workers N`` ``leaflet worker --concurrency 1`` processes
started (and warmed with a first batch) before the timed runs, as they run all night at a pharmacy
chain, through a redis-server of its own on a free loopback port (or ``--broker URL``).

Target: >= 300 packets/s with --jobs 2 (or two workers) on the 2-core reference machine. Printed, never
asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "baclofen.yaml"
NAMES = ["Zoë Ångström", "Łukasz Żak", "Σοφία Παπαδοπούλου", "John Smith", "Amélie Dubois"]


def order_pdf(number: int) -> bytes:
    """A 1-page Letter order whose page says its number (Helvetica, as order systems print)."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 12 Tf 72 700 Td (Order {number}: 30 tablets) Tj ET".encode("ascii"))
    page[NameObject("/Contents")] = writer._add_object(content)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def make_batch(folder: Path, count: int) -> Path:
    """``folder/orders.csv`` with ``count`` rows, their order PDFs and the monograph."""
    (folder / "orders").mkdir(parents=True)
    shutil.copyfile(SAMPLE, folder / "baclofen.yaml")
    path = folder / "orders.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["order_id", "order_pdf", "monographs", "patient", "rx", "dispensed", "directions", "pharmacy"])
        for number in range(count):
            (folder / "orders" / f"{number:05d}.pdf").write_bytes(order_pdf(number))
            writer.writerow(
                [
                    f"ORD-{number:05d}",
                    f"orders/{number:05d}.pdf",
                    "baclofen.yaml",
                    NAMES[number % len(NAMES)],
                    f"RX{700000 + number}",
                    "2026-11-24",
                    "take 1 tablet three times a day with food",
                    "High Street Pharmacy, 12 High Street",
                ]
            )
    return path


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


@contextlib.contextmanager
def celery_workers(count: int, folder: Path, broker: str | None) -> Iterator[str]:
    """``count`` ``leaflet worker`` processes (and a redis-server unless ``broker``), stopped at the end."""
    processes: list[subprocess.Popen] = []
    broker_started = broker is None
    try:
        if broker is None:
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            redis = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            processes.append(subprocess.Popen([*redis, "--dir", str(folder)], stdout=subprocess.DEVNULL))
            broker = f"redis://127.0.0.1:{port}/0"
            time.sleep(0.5)
        worker = [sys.executable, "-m", "leaflet", "worker", "--broker", broker, "--concurrency", "1"]
        for number in range(count):
            with (folder / f"worker{number}.log").open("wb") as log:
                processes.append(subprocess.Popen(worker, stdout=log, stderr=subprocess.STDOUT, start_new_session=True))
        yield broker
    finally:
        for process in reversed(processes):  # the workers (each with its pool process), then redis-server
            with contextlib.suppress(ProcessLookupError):
                if process is processes[0] and broker_started:
                    process.terminate()
                else:
                    os.killpg(process.pid, signal.SIGTERM)
            process.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="orders in the batch")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (--engine local)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (the median is printed)")
    parser.add_argument("--engine", choices=("local", "celery"), default="local", help="where the batch runs")
    parser.add_argument("--workers", type=int, default=2, help="leaflet worker processes (--engine celery)")
    parser.add_argument("--broker", help="an existing Redis broker (--engine celery; default: start one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        batch = make_batch(folder, args.count)
        with contextlib.ExitStack() as stack:
            command = [sys.executable, "-m", "leaflet", "orders", str(batch), "-q"]
            if args.engine == "celery":
                broker = stack.enter_context(celery_workers(args.workers, folder, args.broker))
                command += ["--engine", "celery", "--broker", broker]
                subprocess.run([*command, "-o", str(folder / "warm-up")], check=True)  # workers up, leaflet laid out
                label = f"--engine celery, {args.workers} workers"
            else:
                command += ["--jobs", str(args.jobs)]
                label = f"--jobs {args.jobs}"
            runs, skips = time_runs(command, folder, args.count, args.repeat)
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
        seconds = statistics.median(runs)
        print(
            f"{args.count} orders, {label}: median {seconds:.2f} s of {args.repeat} runs"
            f"   ({args.count / seconds:.0f} packets/s; runs {', '.join(f'{r:.2f}' for r in runs)} s)"
        )
        print(f"  peak RSS (largest process of any run): {peak_mib:.0f} MiB")
        again = statistics.median(skips)
        print(f"  re-run, nothing changed: median {again:.2f} s   ({args.count / again:.0f} orders/s skipped)")


def time_runs(command: list[str], folder: Path, count: int, repeat: int) -> tuple[list[float], list[float]]:
    """The times of ``repeat`` batches, each into an empty folder, and of a re-run of each."""
    runs, skips = [], []
    for run in range(repeat):
        out = folder / f"out{run}"
        runs.append(timed([*command, "-o", str(out)]))
        made = len(list(out.glob("*.pdf")))
        if made != count:
            raise SystemExit(f"run {run + 1} made {made} packets, not {count}")
        skips.append(timed([*command, "-o", str(out)]))
    return runs, skips


if __name__ == "__main__":
    main()
