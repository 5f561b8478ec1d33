"""leaflet orders ORDERS.csv -o OUTDIR: one packet per row, bad rows reported, unchanged packets skipped."""

from __future__ import annotations

import csv
import shutil
import stat
from collections import OrderedDict
from pathlib import Path

import pytest

from leaflet.orders import attach as orders
from leaflet.orders import batch as order_batch
from tests.cli.helpers import run_cli
from tests.conftest import SAMPLE
from tests.orders.support import order_pdf, page_facts, write

SECRET = "Quillonbury Xyzzafrass"
HEADER = ["order_id", "order_pdf", "monographs", "patient", "rx", "dispensed", "directions", "pharmacy"]
GOOD = ["A1", "a1.pdf", "baclofen.yaml", "Zoë Ångström", "111", "2026-11-24", "take 1 tablet daily", "Main St"]


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no leaflet laid out in this process."""
    monkeypatch.setattr(order_batch, "_LEAFLETS", OrderedDict())


def make_batch(folder: Path, rows: list[list[str]]) -> Path:
    """``folder/orders.csv`` with ``rows`` under the header, next to the sample monograph and order PDFs."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SAMPLE, folder / "baclofen.yaml")
    for name in ("a1.pdf", "a2.pdf", "a3.pdf"):
        if not (folder / name).exists():
            write(folder / name, order_pdf(1))
    path = folder / "orders.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def good(order_id: str, order: str = "a1.pdf", **changes: str) -> list[str]:
    row = dict(zip(HEADER, GOOD, strict=True)) | {"order_id": order_id, "order_pdf": order} | changes
    return [row[name] for name in HEADER]


def test_happy_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that every row becomes OUTDIR/<order_id>.pdf, owner-only, personalised when the row has
    patient details and plain when it has none, with a summary line."""
    rows = [good("A1"), good("A2", "a2.pdf", patient="", rx="", dispensed="", directions="", pharmacy="")]
    batch = make_batch(tmp_path / "in", rows)
    out = tmp_path / "out"
    result = run_cli(capsys, "orders", batch, "-o", out)
    assert result.code == 0, result
    assert "2 done, 0 skipped (unchanged), 0 failed" in result.out
    assert "Zoë" not in result.out + result.err
    for name in ("A1.pdf", "A2.pdf"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600
    assert stat.S_IMODE((out / order_batch.STATE_NAME).stat().st_mode) == 0o600
    assert "Zoë Ångström" in page_facts(out / "A1.pdf")[1].text
    assert "Dispensed" not in page_facts(out / "A2.pdf")[1].text


def test_bad_rows_do_not_stop_the_batch(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a missing file, a bad date, an unsafe order id, a character the fonts cannot draw
    and a repeated id each fail their own row (named by CSV line and order id, never by patient details),
    that the good rows are made, and that the exit status is 2."""
    rows = [
        good("B1", "missing.pdf", patient=SECRET),
        good("B2", patient=SECRET, dispensed="2026-13-01"),
        good("../B3", patient=SECRET),
        good("B4", patient=SECRET + " \u0f40"),
        good("B5", patient=SECRET),
        good("B5", "a2.pdf", patient=SECRET),
        good("B6", monographs="nothing.yaml", patient=SECRET),
    ]
    batch = make_batch(tmp_path / "in", rows)
    out = tmp_path / "out"
    result = run_cli(capsys, "orders", batch, "-o", out)
    assert result.code == 2, result
    assert "1 done, 0 skipped (unchanged), 6 failed" in result.out
    errors = result.err.splitlines()
    assert f"{batch}:2: error[order]: order B1: " in errors[0] and "missing.pdf: cannot be read" in errors[0]
    assert f"{batch}:3: error[options]: order B2: the date dispensed is not a real date" in errors[1]
    assert f"{batch}:4: error[order]: the order id is not a safe file name" in errors[2]
    glyph = "the patient name has a character the fonts cannot draw (U+0F40)"
    assert f"{batch}:5: error[glyphs]: order B4: {glyph}" in errors[3]
    assert f"{batch}:7: error[order]: order B5: the order id repeats the one on line 6" in errors[4]
    assert f"{batch}:8: error[order]: order B6: " in errors[5] and "nothing.yaml" in errors[5]
    assert "Quillonbury" not in result.out + result.err
    assert sorted(p.name for p in out.glob("*.pdf")) == ["B5.pdf"]


def test_rerun_skips_unchanged_and_remakes_changed(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a second run skips packets whose inputs are unchanged, and remakes a packet when
    its order PDF, its row or its packet file changes."""
    folder = tmp_path / "in"
    rows = [good("C1"), good("C2", "a2.pdf"), good("C3", "a3.pdf")]
    batch = make_batch(folder, rows)
    out = tmp_path / "out"
    assert run_cli(capsys, "orders", batch, "-o", out).code == 0
    first = {name: (out / name).stat().st_mtime_ns for name in ("C1.pdf", "C2.pdf", "C3.pdf")}
    result = run_cli(capsys, "orders", batch, "-o", out)
    assert "0 done, 3 skipped (unchanged), 0 failed" in result.out
    assert {name: (out / name).stat().st_mtime_ns for name in first} == first
    write(folder / "a2.pdf", order_pdf(2))
    (out / "C3.pdf").write_bytes(b"damaged by hand")
    make_batch(folder, [good("C1", directions="take 2 tablets daily"), rows[1], rows[2]])
    result = run_cli(capsys, "orders", batch, "-o", out)
    assert "3 done, 0 skipped (unchanged), 0 failed" in result.out, result
    assert "take 2 tablets daily" in page_facts(out / "C1.pdf")[1].text
    assert len(page_facts(out / "C2.pdf")) == 2 + len(page_facts(out / "C1.pdf")) - 1
    assert run_cli(capsys, "orders", batch, "-o", out).out.startswith("0 done, 3 skipped")


def test_each_leaflet_is_laid_out_once_per_batch(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a batch lays out a monograph once per build options and only personalises it per
    order (with --jobs 1, in this process)."""
    calls = []
    real = orders.build_leaflet

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args[1])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(orders, "build_leaflet", counting)
    rows = [good("D1"), good("D2", "a2.pdf", patient="Łukasz Żak"), good("D3", "a3.pdf", patient="Σοφία")]
    rows.append(good("D4", patient="", rx="", dispensed="", directions="", pharmacy=""))
    batch = make_batch(tmp_path / "in", rows)
    result = run_cli(capsys, "orders", batch, "-o", tmp_path / "out", "--jobs", "1")
    assert result.code == 0, result
    assert [options.personalised for options in calls] == [True, False]
    assert "Łukasz Żak" in page_facts(tmp_path / "out" / "D2.pdf")[1].text


def test_parallel_batch(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that --jobs 2 makes the same packets in worker processes and reports failures."""
    rows = [good(f"E{n}", f"a{n % 3 + 1}.pdf") for n in range(6)] + [good("E9", "missing.pdf", patient=SECRET)]
    batch = make_batch(tmp_path / "in", rows)
    result = run_cli(capsys, "orders", batch, "-o", tmp_path / "out", "--jobs", "2")
    assert result.code == 2, result
    assert "6 done, 0 skipped (unchanged), 1 failed" in result.out
    assert "order E9" in result.err and "Quillonbury" not in result.err
    assert "Zoë Ångström" in page_facts(tmp_path / "out" / "E5.pdf")[1].text


def test_bad_header_is_one_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a CSV without the order columns is refused with one error naming its header."""
    batch = write(tmp_path / "orders.csv", b"id,file\nA1,a1.pdf\n")
    result = run_cli(capsys, "orders", batch, "-o", tmp_path / "out")
    assert result.code == 2
    assert f"{batch}:1: error[options]: the header row does not name the order columns" in result.err
