"""Reading an order is bounded in memory: the commands cap their data memory, and an order that needs more
is refused naming the file, not a crash (issue 4: a malicious file must not take a print queue down)."""

from __future__ import annotations

import resource
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from leaflet.pdf import reading as pdf_input
from tests.cli.helpers import GOOD_YAML, run_cli
from tests.orders.support import order_pdf, write

SCRIPT = """
import sys
from pathlib import Path
from leaflet import OrderPdfError
from leaflet.orders import attach as orders
from leaflet.pdf import bounded, reading as pdf_input
pdf_input.limit_memory(int(sys.argv[3]))
bounded.MAX_OBJECT_STREAM_BYTES = int(sys.argv[4])
try:
    orders.attach_leaflets(Path(sys.argv[1]), [Path(sys.argv[2])])
except OrderPdfError as error:
    print(error.diagnostics[0])
else:
    print("attached")
"""

STREAMS = 12
PADDING = 60_000_000
"""Each object stream inflates to this many bytes: under pypdf's 75 MB limit for one stream, 720 MB in all."""


def inflating_order() -> bytes:
    """A 1-page order of a few MB whose page has STREAMS annotations, each in its own object stream padded
    with PADDING spaces: reading them inflates (and pypdf keeps) some 720 MB."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    rows: dict[int, tuple[int, int, int]] = {}
    annotations = [10 + 2 * n for n in range(STREAMS)]
    content = b"BT /F1 12 Tf 72 700 Td (Order) Tj ET"
    direct = {
        1: b"<</Type /Catalog /Pages 2 0 R>>",
        2: b"<</Type /Pages /Kids [3 0 R] /Count 1>>",
        3: b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Annots [%s]"
        b" /Resources <</Font <</F1 5 0 R>>>>>>" % b" ".join(b"%d 0 R" % n for n in annotations),
        4: b"<</Length %d>>\nstream\n%s\nendstream" % (len(content), content),
        5: b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>",
    }
    for number, body in direct.items():
        rows[number] = (1, len(out), 0)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    for annotation in annotations:
        container = annotation + 1
        head = b"%d 0\n" % annotation  # /First points past the padding: pypdf seeks, never scans it
        data = head + b"x" * PADDING + b"<</Type /Annot /Subtype /Text /Rect [0 0 10 10]>>"
        packed = zlib.compress(data, 1)
        rows[annotation] = (2, container, 0)
        rows[container] = (1, len(out), 0)
        first = len(head) + PADDING
        dictionary = b"/Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d" % (first, len(packed))
        out += b"%d 0 obj\n<<%s>>\nstream\n%s\nendstream\nendobj\n" % (container, dictionary, packed)
    xref = max(rows) + 1
    rows[xref] = (1, len(out), 0)
    table = b"".join(struct.pack(">BIH", *rows.get(n, (0, 0, 65535 if n == 0 else 0))) for n in range(xref + 1))
    packed_table = zlib.compress(table)
    dictionary = b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d" % (
        xref + 1,
        len(packed_table),
    )
    out += b"%d 0 obj\n<<%s>>\nstream\n%s\nendstream\nendobj\n" % (xref, dictionary, packed_table)
    out += b"startxref\n%d\n%%%%EOF\n" % rows[xref][1]
    return bytes(out)


def test_order_needing_more_memory_than_allowed_is_refused(tmp_path: Path) -> None:
    """This test ensures that an order of under 5 MB that inflates to some 720 MB when read is refused, under a
    400 MB cap, with one message naming the file and saying what happened (not a MemoryError crash). The bound
    on object streams, which refuses this order first (tests/orders/test_bounds.py), is lifted here."""
    order = write(tmp_path / "inflating.pdf", inflating_order())
    assert order.stat().st_size < 5_000_000
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(order), str(GOOD_YAML), str(400 * 1024**2), str(2**40)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"{order}: needs more memory to read than leaflet allows (the PDF may be malformed)"
    ), result.stdout


def test_limit_memory_caps_and_never_raises_a_lower_cap() -> None:
    """This test ensures that limit_memory sets the data-memory cap to the limit given, and keeps a lower cap
    already in place (run in a child process: the cap cannot be undone)."""
    script = (
        "import resource\nfrom leaflet.pdf import reading as pdf_input\n"
        "pdf_input.limit_memory(900 * 1024**2)\nprint(resource.getrlimit(resource.RLIMIT_DATA)[0])\n"
        "pdf_input.limit_memory(1200 * 1024**2)\nprint(resource.getrlimit(resource.RLIMIT_DATA)[0])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split() == [str(900 * 1024**2)] * 2


def test_attach_command_runs_under_the_cap(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that `leaflet attach` caps the process's data memory at MEMORY_LIMIT_BYTES before
    reading the order."""
    order = write(tmp_path / "order.pdf", order_pdf(1))
    assert run_cli(capsys, "attach", order, GOOD_YAML, "-o", tmp_path / "packet.pdf").code == 0
    assert resource.getrlimit(resource.RLIMIT_DATA)[0] <= pdf_input.MEMORY_LIMIT_BYTES
