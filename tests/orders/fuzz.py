"""A fuzzer for order PDFs: real-looking orders (made by the test support) mutated at random, each
attached through the public API, which must either refuse the file with an :class:`OrderPdfError`
naming it, or make a packet that qpdf (through pikepdf) finds sound, in bounded time.

Seeded and reproducible: ``python -m tests.orders.fuzz --count 2000 --seed 7`` runs a longer
campaign than CI does and writes each failing input to ``--keep DIR``; the test
(``test_fuzz_orders.py``) runs a bounded number of cases with a fixed seed (issue 10).
"""

from __future__ import annotations

import argparse
import io
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from leaflet import LeafletError, OrderPdfError
from leaflet.options import BuildOptions
from leaflet.orders import attach as orders
from tests.cli.helpers import GOOD_YAML
from tests.orders.support import order_pdf, with_broken_xref, with_object_streams
from tests.pdf.support import layered_order, structured_order

SECONDS_PER_CASE = 10.0
"""Issue 10: every order is refused or done in under 10 s."""

HOSTILE_SNIPPETS = (
    b"/MediaBox [0 0 0 0]",
    b"/MediaBox []",
    b"/MediaBox [0 0 612]",
    b"/MediaBox [(a) (b) (c) (d)]",
    b"/Annots [" + b"9999 0 R " * 200 + b"]",
    b"/Contents 9999 0 R",
    b"/Kids [1 0 R]",
    b"/Parent 1 0 R",
    b"[" * 200 + b"]" * 200,
    b"<<" * 100 + b">>" * 100,
    b"(" + b"A" * 5000 + b")",
    b"/Length 99999999",
    b"/Count -5",
    b"/Rotate 45",
    b"1e400",
    b"99999999999999999999999",
    b"/Filter /FlateDecode",
    b"/Type /Pages",
    b"endobj",
    b"stream\r\n",
    b"%%EOF",
)


@dataclass(frozen=True)
class Case:
    """One mutated order: which seed order, which mutations, and the bytes."""

    number: int
    origin: str
    mutations: tuple[str, ...]
    data: bytes


def seed_orders() -> dict[str, bytes]:
    """The orders every case starts from: plain, structured (inherited boxes, outline, forms, links),
    layered, packed in object streams, and with a damaged cross-reference table."""
    plain = order_pdf(2)
    return {
        "plain": plain,
        "structured": structured_order(),
        "layered": layered_order(),
        "object-streams": with_object_streams(plain),
        "broken-xref": with_broken_xref(plain),
    }


def _flip(data: bytes, rng: random.Random) -> bytes:
    position = rng.randrange(len(data))
    return data[:position] + bytes([rng.randrange(256)]) + data[position + 1 :]


def _delete(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randrange(1, 200) :]


def _duplicate(data: bytes, rng: random.Random) -> bytes:
    start = rng.randrange(len(data))
    piece = data[start : start + rng.randrange(1, 400)]
    at = rng.randrange(len(data))
    return data[:at] + piece + data[at:]


def _insert_snippet(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + b" " + rng.choice(HOSTILE_SNIPPETS) + b" " + data[at:]


def _replace_number(data: bytes, rng: random.Random) -> bytes:
    numbers = list(re.finditer(rb"(?<![\w.])-?\d+(?:\.\d+)?(?![\w.])", data))
    if not numbers:
        return data
    match = rng.choice(numbers)
    value = rng.choice([b"0", b"-1", b"99999999", b"1e9", b"0.0", b"-0", b"2147483648", b"4294967296"])
    return data[: match.start()] + value + data[match.end() :]


def _replace_name(data: bytes, rng: random.Random) -> bytes:
    names = list(re.finditer(rb"/[A-Za-z]+", data))
    if not names:
        return data
    match = rng.choice(names)
    value = rng.choice([b"/MediaBox", b"/Kids", b"/Annots", b"/Contents", b"/Resources", b"/Parent", b"/#FF#FE"])
    return data[: match.start()] + value + data[match.end() :]


def _truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) // 2, len(data))] + b"\n%%EOF\n"


MUTATIONS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "flip": _flip,
    "delete": _delete,
    "duplicate": _duplicate,
    "snippet": _insert_snippet,
    "number": _replace_number,
    "name": _replace_name,
    "truncate": _truncate,
}


def cases(seed: int, count: int) -> list[Case]:
    """``count`` mutated orders, the same for the same ``seed``."""
    rng = random.Random(seed)
    origins = seed_orders()
    made = []
    for number in range(count):
        origin = rng.choice(sorted(origins))
        data = origins[origin]
        applied = tuple(rng.choice(sorted(MUTATIONS)) for _ in range(rng.randint(1, 4)))
        for name in applied:
            data = MUTATIONS[name](data, rng)
        made.append(Case(number, origin, applied, data))
    return made


_templates: dict[BuildOptions, orders.LeafletTemplate] = {}


def _cached_builder(path: Path, options: BuildOptions, on_warning: Callable) -> orders.LeafletTemplate:
    if options not in _templates:
        _templates[options] = orders.build_monograph_template(path, options, on_warning)
    return _templates[options]


def run_case(case: Case, folder: Path) -> str | None:
    """None when ``case`` is handled as leaflet promises; otherwise what went wrong."""
    order = folder / f"order-{case.number}.pdf"
    order.write_bytes(case.data)
    started = time.monotonic()
    try:
        packet = orders.attach_leaflets(order, [GOOD_YAML], leaflet_builder=_cached_builder, on_warning=lambda d: None)
    except OrderPdfError as error:
        named = all(d.path == str(order) for d in error.diagnostics)
        outcome = None if named else f"error not naming the file: {error}"
        packet = None
    except LeafletError as error:
        return f"unexpected {type(error).__name__}: {error}"
    except Exception as exc:  # the point of fuzzing: any other exception is a bug
        return f"crash {type(exc).__name__}: {exc}"
    else:
        outcome = None
    elapsed = time.monotonic() - started
    if elapsed > SECONDS_PER_CASE:
        return f"took {elapsed:.1f} s"
    if packet is not None:
        outcome = _packet_problem(packet, strict=_qpdf_problems(case.data) == [])
    return outcome


def _qpdf_problems(data: bytes) -> list[str] | None:
    """What qpdf's check finds in ``data`` (None: it does not open)."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return list(pdf.check_pdf_syntax() if hasattr(pdf, "check_pdf_syntax") else pdf.check())
    except Exception:  # qpdf refuses it (pikepdf raises PdfError, or QpdfRuntimeError for a bad page tree)
        return None


def _packet_problem(packet: bytes, *, strict: bool) -> str | None:
    """What is wrong with ``packet``: it must open in qpdf with a usable MediaBox on every page, and, when
    the order passed qpdf's check (``strict``), pass it too (a damaged content stream is copied as it is)."""
    problems = _qpdf_problems(packet)
    if problems is None:
        return "packet does not open in qpdf"
    if strict and problems:
        return f"packet fails qpdf's check where the order passed: {problems[:3]}"
    try:
        with pikepdf.open(io.BytesIO(packet)) as pdf:
            boxes = [_own_box(page.obj.get("/MediaBox")) for page in pdf.pages]
    except Exception as exc:  # qpdf cannot walk the packet's page tree
        return f"packet pages cannot be read: {type(exc).__name__}: {exc}"
    bad = [index + 1 for index, box in enumerate(boxes) if box is None or box[2] == box[0] or box[3] == box[1]]
    return f"packet pages with an unusable MediaBox: {bad[:10]}" if bad else None


def _own_box(value: object) -> list[float] | None:
    """A page's own /MediaBox as four numbers (leaflet writes every page's box on the page itself); its
    corners may come in either order (ISO 32000-1 7.9.5)."""
    if not isinstance(value, pikepdf.Array) or len(value) != 4:
        return None
    try:
        return [float(v) for v in value]
    except (TypeError, ValueError):
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write failing inputs here")
    args = parser.parse_args(argv)
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        for case in cases(args.seed, args.count):
            problem = run_case(case, Path(folder))
            if problem is not None:
                failures += 1
                print(f"case {case.number} ({case.origin}, {'+'.join(case.mutations)}): {problem}")
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    (args.keep / f"case-{args.seed}-{case.number}.pdf").write_bytes(case.data)
    print(f"{args.count} cases, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
