"""Benchmarks: ``python benchmarks/run.py`` prints median times for building the sample leaflet.

* warm: ``content/baclofen.yaml`` loaded and built repeatedly in one process (fonts registered);
* load+build: the same including reading and validating the YAML each time;
* process: the whole ``leaflet build`` command as a new Python process each time, for the YAML
  sample and for the plain-text seed (``--compare TREE`` also times another checkout of leaflet, e.g.
  a ``git worktree`` of an older commit, interleaved run by run so that both see the same machine).

Whole processes run with ``PYTHONPYCACHEPREFIX`` set (users' installs keep bytecode caches; this
machine sets ``PYTHONDONTWRITEBYTECODE``), after one warm-up run that fills the cache.

Targets (issue 3): warm <= 15 ms, whole process <= 0.3 s on the 2-core reference machine.
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
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
SEED = ROOT.parent / "shared" / "seeds" / "baclofen.txt"


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
    parser.add_argument("--compare", type=Path, metavar="TREE", help="another leaflet checkout to time alongside")
    args = parser.parse_args()

    monograph = load_monograph(SAMPLE)
    for options in (BuildOptions(), BuildOptions(paper="letter", columns=1), BuildOptions(large_print=True)):
        label = f"{options.paper}/{options.columns}col{'/large' if options.large_print else ''}"
        report(f"warm build ({label})", median_ms(lambda o=options: build_leaflet(monograph, o), args.runs))
    report("load+build (a4/2col)", median_ms(lambda: build_leaflet(load_monograph(SAMPLE)), args.runs))

    with tempfile.TemporaryDirectory() as folder:
        time_processes(Path(folder), args.process_runs, args.compare)


def time_processes(folder: Path, runs: int, compare: Path | None) -> None:
    """Median whole-process times of ``leaflet build`` (YAML sample, plain-text seed), this checkout
    and, interleaved, ``compare``."""
    trees = {"this": ROOT} | ({"compare": compare.resolve()} if compare else {})
    sources = [SAMPLE] + ([SEED] if SEED.is_file() else [])
    for source in sources:
        command = [sys.executable, "-m", "leaflet", "build", str(source), "-o", str(folder / "b.pdf"), "-q"]
        times: dict[str, list[float]] = {name: [] for name in trees}
        for _ in range(runs + 1):  # the first round warms the bytecode cache and is dropped
            for name, tree in trees.items():
                times[name].append(_run_ms(command, tree, folder))
        for name, measured in times.items():
            rest = measured[1:]
            label = f"whole process {source.suffix} ({name})"
            report(label, (statistics.median(rest), min(rest), max(rest)), unit="s")
    python = [sys.executable, "-c", "pass"]
    report("  of which Python start-up", median_ms(lambda: subprocess.run(python, check=True), runs), unit="s")


def _run_ms(command: list[str], tree: Path, folder: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONPYCACHEPREFIX=str(folder / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=folder)
    return (time.perf_counter() - start) * 1000


if __name__ == "__main__":
    main()
