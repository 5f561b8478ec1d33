"""Benchmark incremental library builds: ``python benchmarks/library.py [--count 1000]``.

Generates a library of monographs (variants of the sample) in a temporary folder and times, each
as a whole ``leaflet build`` process (medians of several runs where cheap):

* a full build with ``--jobs 1`` and with ``--jobs 2`` (leaflets per second);
* a rebuild with nothing changed;
* a rebuild after editing one monograph.

Targets (issue 5), on the 2-core reference machine: nothing changed <= 0.5 s; one edit <= 0.5 s
plus one leaflet's build; --jobs 2 close to twice the single-process rate. Printed, never asserted.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "baclofen.yaml"


def make_library(folder: Path, count: int) -> list[Path]:
    """``count`` monographs: the sample with its own title and a numbered sentence, 50 per sub-folder."""
    text = SAMPLE.read_text(encoding="utf-8")
    paths = []
    for number in range(count):
        path = folder / f"group{number // 50:03d}" / f"drug{number:05d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        variant = text.replace("title: Baclofen", f"title: Baclofen variant {number}", 1)
        path.write_text(variant.replace("Muscle spasticity", f"Muscle spasticity (case {number})"), encoding="utf-8")
        paths.append(path)
    return paths


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="monographs in the library")
    parser.add_argument("--runs", type=int, default=5, help="runs of the cheap measurements")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        content, out = Path(temp) / "content", Path(temp) / "out"
        paths = make_library(content, args.count)
        leaflet = [sys.executable, "-m", "leaflet", "build", str(content), "-o", str(out), "-q"]
        rates = {}
        for jobs in (1, 2):
            shutil.rmtree(out, ignore_errors=True)
            seconds = timed([*leaflet, "--jobs", str(jobs)])
            rates[jobs] = args.count / seconds
            print(f"full build, --jobs {jobs}:{'':14} {seconds:7.2f} s   ({rates[jobs]:.0f} leaflets/s)")
        print(f"  speed-up with 2 jobs:{'':13} {rates[2] / rates[1]:7.2f}x")
        unchanged = [timed(leaflet) for _ in range(args.runs)]
        print(f"rebuild, nothing changed:{'':11} {statistics.median(unchanged):7.3f} s   (median of {args.runs})")
        edits = []
        for run in range(args.runs):
            victim = paths[run * 7 % len(paths)]
            victim.write_text(victim.read_text(encoding="utf-8") + f"  - Edited paragraph {run}.\n", encoding="utf-8")
            edits.append(timed(leaflet))
        print(f"rebuild after editing one file:{'':5} {statistics.median(edits):7.3f} s   (median of {args.runs})")


if __name__ == "__main__":
    main()
