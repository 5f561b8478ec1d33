"""Benchmark order batches: ``python benchmarks/orders.py [--count 1000] [--jobs 2] [--repeat 3]``.

Generates ``count`` orders in a temporary folder, each a 1-page Letter order PDF made with pypdf
and one monograph (the sample, which builds into a 3-page personalised Letter leaflet), with its own
patient details, then times ``--repeat`` runs of ``leaflet orders ORDERS.csv -o OUT --jobs N``, each
into an empty folder, and prints the median packets per second and the peak resident memory (the
largest of the command's processes, ``RUSAGE_CHILDREN``). Runs with nothing changed time the skip
path.

Target: >= 300 packets/s with --jobs 2 on the 2-core reference machine. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import io
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="orders in the batch")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (the median is printed)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        batch = make_batch(folder, args.count)
        runs, skips = [], []
        for run in range(args.repeat):
            out = folder / f"out{run}"
            command = [sys.executable, "-m", "leaflet", "orders", str(batch), "-o", str(out), "-q"]
            command += ["--jobs", str(args.jobs)]
            runs.append(timed(command))
            made = len(list(out.glob("*.pdf")))
            if made != args.count:
                raise SystemExit(f"run {run + 1} made {made} packets, not {args.count}")
            skips.append(timed(command))
        peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
        seconds = statistics.median(runs)
        print(
            f"{args.count} orders, --jobs {args.jobs}: median {seconds:.2f} s of {args.repeat} runs"
            f"   ({args.count / seconds:.0f} packets/s; runs {', '.join(f'{r:.2f}' for r in runs)} s)"
        )
        print(f"  peak RSS (largest process of any run): {peak_mib:.0f} MiB")
        again = statistics.median(skips)
        print(f"  re-run, nothing changed: median {again:.2f} s   ({args.count / again:.0f} orders/s skipped)")


if __name__ == "__main__":
    main()
