"""Line breaking and hyphenation (issue 11, part 4): ``python benchmarks/linebreak.py [--compare TREE]``.

* A/B, interleaved: each round starts one Python process per checkout (this one and ``--compare TREE``,
  e.g. a ``git worktree`` of the commit before) that times warm builds of the sample leaflet (A4, two
  columns) in-process, and the build of one 20,000-word paragraph; the medians of the rounds are
  printed. Times are CPU time of the process (``time.process_time``): on a machine shared with other
  work, wall-clock medians moved by half between identical runs.
* Hyphenation on and off, this checkout only: lines, pages and raggedness (the mean space left at the
  end of a line that is not a paragraph's last) for the real samples in ``../shared/samples/text`` and
  for a German text in narrow columns.

Processes run with ``PYTHONPYCACHEPREFIX`` set (bytecode cached, as in users' installs). Timings are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples" / "text"

WARM = r"""
import random, statistics, sys, tempfile, time
from pathlib import Path
from leaflet import BuildOptions, build_leaflet, load_monograph

monograph = load_monograph(Path(sys.argv[1]))
build_leaflet(monograph, BuildOptions())
times = []
for _ in range(int(sys.argv[2])):
    start = time.process_time()  # CPU time: other processes on a shared machine disturb it less
    build_leaflet(monograph, BuildOptions())
    times.append(time.process_time() - start)
rng = random.Random(20000)
words = ["tablet", "dose", "doctor", "take", "medicine", "water", "daily", "kidney", "pharmacist", "effect"]
text = " ".join(f"{rng.choice(words)}{n}" for n in range(20000)) + "."
with tempfile.TemporaryDirectory() as folder:
    source = Path(folder) / "long.yaml"
    source.write_text(f"title: Long\nlanguage: en\nrevised: '2026-12-01'\nbody:\n  - \"{text}\"\n", encoding="utf-8")
    long = load_monograph(source)
    start = time.process_time()
    build_leaflet(long, BuildOptions())
    long_seconds = time.process_time() - start
print(statistics.median(times) * 1000, long_seconds)
"""

RAGGED = r"""
import io, statistics, sys
from pathlib import Path
import pdfplumber
from leaflet import BuildOptions, build_leaflet, load_monograph

def measure(pdf):
    lines, gaps = 0, []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            words = page.extract_words(use_text_flow=True, keep_blank_chars=False)
            middle = page.width / 2
            for column in (0, 1):
                rows = {}
                for word in words:
                    inside = word["x0"] >= middle if column else word["x1"] <= middle
                    if inside and 60 < word["top"] < page.height - 60:
                        rows.setdefault(round(word["bottom"], 1), []).append(word)
                tops = sorted(rows)
                if not tops:
                    continue
                right = max(max(w["x1"] for w in rows[top]) for top in tops)
                lines += len(tops)
                for index, top in enumerate(tops[:-1]):
                    if tops[index + 1] - top < 14:  # the next line of the same paragraph follows
                        gaps.append(right - max(w["x1"] for w in rows[top]))
    return lines, statistics.mean(gaps) if gaps else 0.0, len(gaps)

monograph = load_monograph(Path(sys.argv[1]))
for hyphenate in (False, True):
    rendered = build_leaflet(monograph, BuildOptions(hyphenate=hyphenate))
    lines, gap, counted = measure(rendered.pdf)
    print(hyphenate, rendered.pages, lines, round(gap, 1))
"""


def run(code: str, tree: Path, folder: Path, *args: str) -> str:
    env = dict(os.environ, PYTHONPATH=str(tree), PYTHONPYCACHEPREFIX=str(folder / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    result = subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=folder, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(result.stderr)
    return result.stdout.strip()


def ab(trees: dict[str, Path], rounds: int, builds: int, folder: Path) -> None:
    warm: dict[str, list[float]] = {name: [] for name in trees}
    long: dict[str, list[float]] = {name: [] for name in trees}
    sample = ROOT / "content" / "baclofen.yaml"
    for _ in range(rounds):
        for name, tree in trees.items():
            ms, seconds = map(float, run(WARM, tree, folder, str(sample), str(builds)).split())
            warm[name].append(ms)
            long[name].append(seconds)
    for name in trees:
        print(
            f"{name:<8} warm build (a4/2col, CPU) median {statistics.median(warm[name]):6.2f} ms "
            f"(rounds {', '.join(f'{ms:.2f}' for ms in warm[name])})   "
            f"20,000-word paragraph (whole build, CPU) {statistics.median(long[name]):.3f} s"
        )


def raggedness(folder: Path, german: Path) -> None:
    print("source                       hyphenation  pages  lines  mean space at line ends (pt)")
    sources = [(path, "") for path in sorted(SAMPLES.glob("*.txt"))] + [(german, "")]
    for path, language in sources:
        for line in run(RAGGED, ROOT, folder, str(path), language).splitlines():
            hyphenate, pages, lines, gap = line.split()
            print(f"{path.name:<28} {hyphenate:<12} {pages:>5}  {lines:>5}  {gap:>6}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", type=Path, metavar="TREE", help="another leaflet checkout to time alongside")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--builds", type=int, default=100, help="warm builds per round")
    parser.add_argument("--no-raggedness", action="store_true")
    args = parser.parse_args()
    trees = {"this": ROOT} | ({"compare": args.compare.resolve()} if args.compare else {})
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        ab(trees, args.rounds, args.builds, folder)
        if not args.no_raggedness:
            german = folder / "german.yaml"
            german.write_text(german_leaflet(), encoding="utf-8")
            raggedness(folder, german)


GERMAN = [
    (
        "Was ist Testmittel und wofür wird es angewendet?",
        "Testmittel gehört zu einer Gruppe von Arzneimitteln, die als nichtsteroidale Antirheumatika "
        "bezeichnet werden. Es wird zur Kurzzeitbehandlung von Schmerzzuständen, Regelschmerzen und Fieber "
        "angewendet. Die Arzneimittelunverträglichkeit zeigt sich bei Nierenfunktionsstörungen häufiger, weshalb "
        "eine Dosierungsanpassung während der Langzeitbehandlung notwendig ist.",
    ),
    (
        "Was sollten Sie vor der Einnahme beachten?",
        "Informieren Sie Ihren Arzt über Überempfindlichkeitsreaktionen, Blutgerinnungsstörungen und "
        "Leberfunktionsstörungen, bevor Sie mit der Einnahme beginnen. Die Nebenwirkungswahrscheinlichkeit steigt "
        "mit der Behandlungsdauer, insbesondere bei gleichzeitiger Anwendung von Schmerzmitteln, "
        "Entzündungshemmern und Blutverdünnungsmitteln. Bei Patienten mit Herzrhythmusstörungen, Bluthochdruck "
        "oder Magen-Darm-Geschwüren ist besondere Vorsicht geboten; sprechen Sie vor der Einnahme mit Ihrem Arzt "
        "oder Apotheker.",
    ),
    (
        "Schwangerschaft und Stillzeit",
        "Während der ersten sechs Schwangerschaftsmonate sollte Testmittel nur nach Rücksprache mit dem Arzt "
        "eingenommen werden. In den letzten drei Schwangerschaftsmonaten darf es wegen eines erhöhten Risikos von "
        "Komplikationen für Mutter und Kind nicht eingenommen werden.",
    ),
    (
        "Wie ist Testmittel einzunehmen?",
        "Nehmen Sie dieses Arzneimittel immer genau nach der in dieser Packungsbeilage beschriebenen "
        "beziehungsweise genau nach der mit Ihrem Arzt oder Apotheker getroffenen Absprache ein. Die empfohlene "
        "Tageshöchstdosis darf nicht überschritten werden. Nehmen Sie die Filmtabletten unzerkaut mit reichlich "
        "Flüssigkeit während oder nach einer Mahlzeit ein.",
    ),
    (
        "Wie ist Testmittel aufzubewahren?",
        "Bewahren Sie dieses Arzneimittel für Kinder unzugänglich auf. Sie dürfen dieses Arzneimittel nach dem "
        "auf dem Umkarton und der Durchdrückpackung angegebenen Verfalldatum nicht mehr verwenden. Entsorgen Sie "
        "Arzneimittel nicht im Abwasser oder Haushaltsabfall.",
    ),
]
"""A German leaflet's sections (synthetic wording, long compounds as real German leaflets have them)."""


def german_leaflet() -> str:
    """The German leaflet as YAML (double-quoted YAML strings are JSON strings)."""
    lines = ["title: Testmittel 500 mg Tabletten", "language: de", "revised: '2025-01-01'", "body:"]
    for heading, text in GERMAN:
        lines += [f"  - heading: {json.dumps(heading)}", "    body:", f"      - {json.dumps(text)}"]
    lines += ["  - warning: Wenn Sie eine größere Menge eingenommen haben, als Sie sollten", "    body:"]
    lines.append('      - "Verständigen Sie sofort einen Arzt oder die Giftinformationszentrale."')
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
