"""Benchmark tagged PDF/UA-1 + PDF/A-2u output against plain output: ``python benchmarks/tagging.py [--runs 9]``.

For each leaflet (the sample, a long leaflet of about 14 pages made from it, the fixture with every kind of
block, an Arabic leaflet), times ``leaflet build --pdf-standard ua1-a2u`` and ``--pdf-standard none`` as
whole processes, A and B alternating in one run (so that a busy machine slows both alike), after one
warm-up each, with ``PYTHONPYCACHEPREFIX`` set to a temporary folder (bytecode compiled once, outside the
tree); then the same builds in this process (``build_leaflet``: layout and writing only, no start-up;
three times as many runs, A and B alternating, after the processes).
Prints medians, the extra time of tagging and the file sizes. Target (issue 13): at most 20% more time.
Printed, never asserted.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "baclofen.yaml"
EVERY_BLOCK = ROOT / "tests" / "fixtures" / "blocks" / "pen.yaml"
STANDARDS = ("ua1-a2u", "none")
ARABIC = """title: باكلوفين 10 mg
drug: Baclofen
language: ar
revised: 2026-11-24
body:
  - يُستخدم باكلوفين (Baclofen) لعلاج تشنج العضلات الشديد. اقرأ هذه النشرة كاملة بعناية قبل أن تبدأ في تناول الدواء.
  - heading: ما هو باكلوفين؟
    body:
      - باكلوفين **مرخٍ للعضلات** يعمل على الجهاز العصبي. الجرعة المعتادة 10 mg ثلاث مرات يومياً.
      - lead: "يتوفر باكلوفين على شكل:"
        list:
          - أقراص 5 mg
          - أقراص 10 mg و 25 mg
  - warning: إذا تناولت كمية أكبر من اللازم
    body:
      - اطلب المساعدة الطبية فوراً إذا تناولت أكثر من 100 mg في يوم واحد. لا تقد السيارة.
"""


def leaflets(folder: Path) -> dict[str, Path]:
    """The leaflets timed: the sample, a long one (the sample's body eight times), every block, Arabic."""
    text = SAMPLE.read_text(encoding="utf-8")
    head, body = text.split("\nbody:\n", 1)
    long = folder / "long.yaml"
    long.write_text(head + "\nbody:\n" + body * 8, encoding="utf-8")
    arabic = folder / "arabic.yaml"
    arabic.write_text(ARABIC, encoding="utf-8")
    return {"sample": SAMPLE, "long": long, "every-block": EVERY_BLOCK, "arabic": arabic}


def timed_process(source: Path, out: Path, standard: str, env: dict[str, str]) -> float:
    command = [sys.executable, "-m", "leaflet", "build", str(source), "-o", str(out), "-q"]
    start = time.perf_counter()
    subprocess.run([*command, "--pdf-standard", standard], check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def timed_in_process(source: Path, standard: str) -> tuple[float, int]:
    from leaflet import BuildOptions, build_leaflet, load_monograph

    monograph = load_monograph(source)
    gc.collect()  # the previous build's garbage is not this one's cost
    start = time.perf_counter()
    pdf = build_leaflet(monograph, BuildOptions(pdf_standard=standard)).pdf  # type: ignore[arg-type]
    return time.perf_counter() - start, len(pdf)


def compare(name: str, times: dict[str, list[float]], unit: str) -> None:
    tagged, plain = statistics.median(times["ua1-a2u"]), statistics.median(times["none"])
    extra = tagged / plain - 1
    print(f"  {name:12} {unit:10} ua1-a2u {tagged * 1000:7.0f} ms   none {plain * 1000:7.0f} ms   {extra:+6.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="timed runs of each build (medians)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="leaflet-bench-") as temporary:
        folder = Path(temporary)
        env = {**os.environ, "PYTHONPYCACHEPREFIX": str(folder / "pycache")}
        print(f"tagged (ua1-a2u) against plain (none), medians of {args.runs} runs, A/B alternating")
        for name, source in leaflets(folder).items():
            processes: dict[str, list[float]] = {standard: [] for standard in STANDARDS}
            inside: dict[str, list[float]] = {standard: [] for standard in STANDARDS}
            sizes: dict[str, int] = {}
            for standard in STANDARDS:  # warm-up: bytecode, fonts read once
                timed_process(source, folder / f"{name}-{standard}.pdf", standard, env)
                timed_in_process(source, standard)
            for _ in range(args.runs):
                for standard in STANDARDS:
                    processes[standard].append(timed_process(source, folder / f"{name}-{standard}.pdf", standard, env))
            for _ in range(args.runs * 3):  # apart from the processes, whose runs would disturb these
                for standard in STANDARDS:
                    seconds, sizes[standard] = timed_in_process(source, standard)
                    inside[standard].append(seconds)
            pages = _pages(folder / f"{name}-none.pdf")
            kib = {standard: f"{size / 1024:.0f} KiB" for standard, size in sizes.items()}
            print(f"{name} ({pages} pages; {kib['ua1-a2u']} tagged, {kib['none']} plain)")
            compare(name, processes, "process")
            compare(name, inside, "in-process")


def _pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


if __name__ == "__main__":
    main()
