"""leaflet orders: a CSV that is not UTF-8, breaks the csv module's limits or spaces its header, and an
output folder that cannot be made."""

from __future__ import annotations

import shutil
from collections import OrderedDict
from pathlib import Path

import pytest

from leaflet.orders import batch as order_batch
from tests.cli.helpers import assert_user_error, run_cli
from tests.conftest import SAMPLE
from tests.orders.support import order_pdf, write

HEADER = "order_id,order_pdf,monographs,patient,rx,dispensed,directions,pharmacy"


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no leaflet laid out in this process."""
    monkeypatch.setattr(order_batch, "_LEAFLETS", OrderedDict())


def batch(folder: Path, data: bytes) -> Path:
    """``folder/orders.csv`` holding ``data``, next to the sample monograph and an order PDF."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SAMPLE, folder / "baclofen.yaml")
    write(folder / "a1.pdf", order_pdf(1))
    return write(folder / "orders.csv", data)


def test_latin1_csv_names_the_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a CSV saved as Latin-1 is exit 2 with one error naming the CSV and the first line
    that is not UTF-8, without quoting it."""
    rows = f"{HEADER}\nA1,a1.pdf,baclofen.yaml,,,,,\nA2,a1.pdf,baclofen.yaml,Zoë Ångström,1,2026-01-01,take,Ph\n"
    csv_path = batch(tmp_path / "in", rows.encode("latin-1"))
    result = run_cli(capsys, "orders", csv_path, "-o", tmp_path / "out")
    error = assert_user_error(result, mentions="orders.csv")
    assert error["line"] == "3" and "UTF-8" in error["message"], result.err
    assert "Zo" not in result.err


def test_oversized_field_names_the_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a field longer than the csv module's limit (131072 characters) is exit 2 with one
    error naming the CSV and the line, not a csv.Error crash."""
    rows = f"{HEADER}\nA1,a1.pdf,baclofen.yaml,{'x' * 140_000},1,2026-01-01,take,Ph\n"
    csv_path = batch(tmp_path / "in", rows.encode())
    result = run_cli(capsys, "orders", csv_path, "-o", tmp_path / "out")
    error = assert_user_error(result, mentions="orders.csv")
    assert error["line"] == "2" and "longer than" in error["message"], result.err
    assert "xxxx" not in result.err


def test_header_and_values_with_spaces(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a header written with a space after each comma (as the README shows it), and
    values written the same way, make the packet."""
    rows = f"{HEADER.replace(',', ', ')}\nA1, a1.pdf, baclofen.yaml, Zoë Ångström, 111, 2026-11-24, take, Main St\n"
    csv_path = batch(tmp_path / "in", rows.encode())
    out = tmp_path / "out"
    result = run_cli(capsys, "orders", csv_path, "-o", out)
    assert result.code == 0, result
    assert "1 done" in result.out
    assert (out / "A1.pdf").is_file()


@pytest.mark.parametrize("under", [False, True])
def test_output_folder_that_cannot_be_made(capsys: pytest.CaptureFixture[str], tmp_path: Path, under: bool) -> None:
    """This test ensures that -o naming an existing file, or a folder under one, is exit 2 with one error
    naming the output, not a FileExistsError or NotADirectoryError crash."""
    rows = f"{HEADER}\nA1,a1.pdf,baclofen.yaml,,,,,\n"
    csv_path = batch(tmp_path / "in", rows.encode())
    blocking = write(tmp_path / "afile", b"not a folder")
    target = blocking / "sub" if under else blocking
    result = run_cli(capsys, "orders", csv_path, "-o", target)
    error = assert_user_error(result, mentions=str(target))
    assert "is a file, not a folder" in error["message"], result.err
    assert blocking.read_bytes() == b"not a folder"
