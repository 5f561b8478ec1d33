"""`leaflet attach` and the files it is given or writes: an order that is a named pipe or a device is
refused, not read (it hung), and a link at the packet's path is replaced, its target left alone (the
target was narrowed to mode 0600; issue 10, items 3 and 4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from leaflet import OrderPdfError
from leaflet.orders.attach import attach_leaflets, write_packet
from tests.cli.helpers import GOOD_YAML
from tests.orders.support import order_pdf


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_order_that_is_not_a_regular_file_is_refused(tmp_path: Path, kind: str) -> None:
    """This test ensures that a named pipe or a device given as the order is refused at once, naming it."""
    if kind == "fifo":
        order = tmp_path / "order.pdf"
        os.mkfifo(order)
    else:
        order = Path("/dev/zero")
    script = (
        "import sys\nfrom pathlib import Path\nfrom leaflet import OrderPdfError\n"
        "from leaflet.orders.attach import attach_leaflets\n"
        "try:\n"
        f"    attach_leaflets(Path({str(order)!r}), [Path({str(GOOD_YAML)!r})])\n"
        "except OrderPdfError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=20, check=False)
    assert result.returncode == 0, result.stderr
    assert str(order) in result.stdout and "not a regular file" in result.stdout


def test_order_too_large_is_refused_before_reading(tmp_path: Path) -> None:
    """This test ensures that a sparse 3 GB order is refused by its size, without reading it."""
    order = tmp_path / "huge.pdf"
    with order.open("wb") as stream:
        stream.truncate(3 * 1024**3)
    with pytest.raises(OrderPdfError, match="over the 50 MiB limit"):
        attach_leaflets(order, [GOOD_YAML])


def test_link_at_the_packet_path_is_replaced_not_followed(tmp_path: Path) -> None:
    """This test ensures that a packet written where a link stands replaces the link with a file of mode
    0600, and leaves the file the link pointed to, and its mode, as they were."""
    outside = tmp_path / "outside.txt"
    outside.write_text("someone else's file")
    outside.chmod(0o644)
    packet = tmp_path / "out" / "packet.pdf"
    packet.parent.mkdir()
    packet.symlink_to(outside)
    order = tmp_path / "order.pdf"
    order.write_bytes(order_pdf(1))
    write_packet(packet, attach_leaflets(order, [GOOD_YAML]))
    assert not packet.is_symlink() and packet.read_bytes().startswith(b"%PDF-")
    assert packet.stat().st_mode & 0o777 == 0o600
    assert outside.read_text() == "someone else's file" and outside.stat().st_mode & 0o777 == 0o644
