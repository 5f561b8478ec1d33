"""Benchmarks: ``python benchmarks/run.py`` prints median times for building the sample leaflet.

* warm: ``content/baclofen.yaml`` loaded and built repeatedly in one process (fonts registered);
* load+build: the same including reading and validating the YAML each time;
* process: the whole ``leaflet build`` command as a new Python process each time.

Targets (issue 3): warm <= 15 ms, whole process <= 0.3 s on the 2-core reference machine.
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from leaflet import BuildOptions, build_leaflet, load_monograph

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "baclofen.yaml"


def median_ms(action: Callable[[], object], runs: int) -> tuple[float, float, float]:
    """Median, fastest and slowest of ``runs`` timed calls, in milliseconds (after one warm-up)."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def report(name: str, figures: tuple[float, float, float], unit: str = "ms") -> None:
    median, fastest, slowest = figures
    scale = 1000 if unit == "s" else 1
    print(f"{name:<34} median {median / scale:8.3f} {unit}   (min {fastest / scale:.3f}, max {slowest / scale:.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="builds per in-process measurement")
    parser.add_argument("--process-runs", type=int, default=20, help="whole-process runs")
    args = parser.parse_args()

    monograph = load_monograph(SAMPLE)
    for options in (BuildOptions(), BuildOptions(paper="letter", columns=1), BuildOptions(large_print=True)):
        label = f"{options.paper}/{options.columns}col{'/large' if options.large_print else ''}"
        report(f"warm build ({label})", median_ms(lambda o=options: build_leaflet(monograph, o), args.runs))
    report("load+build (a4/2col)", median_ms(lambda: build_leaflet(load_monograph(SAMPLE)), args.runs))

    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "leaflet", "build", str(SAMPLE), "-o", str(Path(folder) / "b.pdf"), "-q"]
        report(
            "whole process (leaflet build)",
            median_ms(lambda: subprocess.run(command, check=True), args.process_runs),
            unit="s",
        )
        python = [sys.executable, "-c", "pass"]
        report(
            "  of which Python start-up",
            median_ms(lambda: subprocess.run(python, check=True), args.process_runs),
            unit="s",
        )


if __name__ == "__main__":
    main()
