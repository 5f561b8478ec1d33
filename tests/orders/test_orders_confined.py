"""Rows of an orders CSV name only files they may (issue 10, items 2 and 3): inside the CSV's folder or
``--root``, regular files, size checked before reading; a bad row is that row's error alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.helpers import run_cli
from tests.conftest import SEED_TEXT
from tests.orders.support import order_pdf, write
from tests.orders.test_orders_batch import SECRET, good, make_batch


def test_paths_outside_the_csv_folder_are_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures (issue 10, item 2) that a row cannot name another patient's packet as its order
    (absolute path, '..', a link out of the folder) or print a text file from elsewhere into a leaflet,
    that each such row fails alone, and that --root widens the folder the paths may use."""
    other = tmp_path / "other"
    other.mkdir()
    write(other / "secret.pdf", order_pdf(2))  # another patient's packet, say
    shutil.copyfile(SEED_TEXT, other / "notes.txt")  # any text file a user can read
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "link.pdf").symlink_to(other / "secret.pdf")
    rows = [
        good("F1", str(other / "secret.pdf"), patient=SECRET),
        good("F2", "../other/secret.pdf"),
        good("F3", "link.pdf"),
        good("F4", monographs=str(other / "notes.txt")),
        good("F5"),
    ]
    batch = make_batch(folder, rows)
    result = run_cli(capsys, "orders", batch, "-o", tmp_path / "out")
    assert result.code == 2, result
    assert "1 done, 0 skipped (unchanged), 4 failed" in result.out
    errors = [line for line in result.err.splitlines() if ": error[" in line]
    for line, (number, order_id) in zip(errors, [(2, "F1"), (3, "F2"), (4, "F3"), (5, "F4")], strict=True):
        assert line.startswith(f"{batch}:{number}: error[order]: order {order_id}: ") and f"is outside {folder}" in line
    assert "Quillonbury" not in result.err and "Traceback" not in result.err
    result = run_cli(capsys, "orders", batch, "-o", tmp_path / "out", "--root", tmp_path)
    assert "4 done, 1 skipped (unchanged), 0 failed" in result.out, result


def test_files_that_are_not_regular_or_too_large_fail_their_row(tmp_path: Path) -> None:
    """This test ensures (issue 10, item 3) that a 3 GB order, a device and a named pipe each fail their own
    row, with the size checked before reading and no wait on the pipe, and the other rows are made."""
    folder = tmp_path / "in"
    folder.mkdir()
    with (folder / "huge.pdf").open("wb") as stream:
        stream.truncate(3 * 1024**3)  # sparse: no disk used
    os.mkfifo(folder / "pipe.pdf")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    rows = [good("G1", "huge.pdf"), good("G2", "pipe.pdf"), good("G3", monographs="zero.yaml"), good("G4")]
    batch = make_batch(folder, rows)
    command = [sys.executable, "-m", "leaflet", "orders", str(batch), "-o", str(tmp_path / "out"), "--root", "/"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2, result.stderr
    assert "1 done, 0 skipped (unchanged), 3 failed" in result.stdout
    errors = result.stderr.splitlines()
    assert f"{batch}:2: error[order]: order G1: " in errors[0] and "3072 MiB, over the 50 MiB limit" in errors[0]
    assert f"{batch}:3: error[order]: order G2: " in errors[1] and "is a named pipe, not a regular file" in errors[1]
    assert f"{batch}:4: error[order]: order G3: " in errors[2] and "is a device, not a regular file" in errors[2]
    assert (tmp_path / "out" / "G4.pdf").exists()
