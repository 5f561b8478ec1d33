"""``leaflet orders --report FILE`` and ``--log-format json``: a line per row (id, status, code, packet
path) and JSON diagnostics, with no patient detail in either (issue 14, part 4)."""

from __future__ import annotations

import json
from collections import OrderedDict
from pathlib import Path

import pytest

from leaflet.orders import batch as order_batch
from tests.cli.helpers import run_cli
from tests.orders.test_orders_batch import SECRET, good, make_batch


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(order_batch, "_LEAFLETS", OrderedDict())


def test_the_report_has_a_line_per_row(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that every row of the CSV has its line in the report, in CSV order, with its status,
    the code of its failure and its packet's path, and that a rerun reports the unchanged rows as skipped."""
    rows = [
        good("C1", patient=SECRET),
        good("C2", patient=SECRET, dispensed="2026-13-01"),
        good("../C3", patient=SECRET),
        good("C4", "missing.pdf", patient=SECRET),
    ]
    batch = make_batch(tmp_path / "in", rows)
    out, report = tmp_path / "out", tmp_path / "report.jsonl"
    assert run_cli(capsys, "orders", batch, "-o", out, "--report", report).code == 2
    text = report.read_text(encoding="utf-8")
    assert SECRET not in text and "2026-13-01" not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert [(r["line"], r["order_id"], r["status"], r["code"]) for r in lines] == [
        (2, "C1", "done", None),
        (3, "C2", "failed", "options"),
        (4, "", "failed", "order"),
        (5, "C4", "failed", "order"),
    ]
    assert lines[0]["packet"] == str(out / "C1.pdf") and all(r["packet"] is None for r in lines[1:])
    run_cli(capsys, "orders", batch, "-o", out, "--report", report)
    assert json.loads(report.read_text(encoding="utf-8").splitlines()[0])["status"] == "skipped"


def test_json_log_lines(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that with --log-format json every line printed is a JSON object carrying each
    diagnostic's code, path and line, and no patient detail."""
    batch = make_batch(tmp_path / "in", [good("D1", patient=SECRET), good("D2", patient=SECRET, dispensed="x")])
    result = run_cli(capsys, "orders", batch, "-o", tmp_path / "out", "--log-format", "json")
    assert result.code == 2 and SECRET not in result.out + result.err
    records = [json.loads(line) for line in (result.out + result.err).splitlines()]
    error = next(r for r in records if r["level"] == "error" and r.get("code"))
    assert (error["code"], error["path"], error["line"]) == ("options", str(batch), 3)
    assert records[-1] == {**records[-1], "level": "error", "message": "1 error"}
