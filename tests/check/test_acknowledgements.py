"""``.leaflet-check-ignore``: acknowledged findings left out, stale and unreadable lines reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet.check.acknowledgements import IGNORE_NAME
from leaflet.check.rules import check_paths
from tests.check.support import CLEAN_BODY, HEAD, write
from tests.cli.helpers import DIAGNOSTIC, run_cli
from tests.conftest import ROOT

PROMOTIONAL_BODY = CLEAN_BODY + "  - heading: Where to get it\n    body:\n      - Buy it here.\n"
"""A clean body with one promotional sentence, on line 22."""


def folder_with(tmp_path: Path, ignore: str) -> Path:
    write(tmp_path / "calmofen.yaml", HEAD + PROMOTIONAL_BODY)
    write(tmp_path / IGNORE_NAME, ignore)
    return tmp_path


def test_acknowledged_finding_left_out(tmp_path: Path) -> None:
    """This test ensures that a line ``PATH:LINE RULE  # reason`` leaves out exactly that finding."""
    without = check_paths([write(tmp_path / "calmofen.yaml", HEAD + PROMOTIONAL_BODY)])
    assert [(f.rule, f.diagnostic.line) for f in without] == [("promotional", 22)]
    folder = folder_with(tmp_path, "# known\n\ncalmofen.yaml:22 promotional  # kept for the test\n")
    assert check_paths([folder]) == []


@pytest.mark.parametrize(
    "entry",
    [
        "calmofen.yaml:21 promotional  # wrong line",
        "calmofen.yaml:22 long-sentence  # wrong rule",
        "x.yaml:23 promotional  # other file",
    ],
)
def test_stale_entry_is_a_warning(tmp_path: Path, entry: str) -> None:
    """This test ensures that an entry matching no finding (line, rule and file exactly) is reported as
    a stale warning at its line of the ignore file, and the finding stays."""
    found = check_paths([folder_with(tmp_path, f"{entry}\n")])
    assert [(f.rule, f.severity, f.diagnostic.line) for f in found] == [
        ("promotional", "error", 22),
        ("ignore", "warning", 1),
    ]
    assert found[1].diagnostic.path == str(tmp_path / IGNORE_NAME)
    assert "stale" in found[1].diagnostic.message


@pytest.mark.parametrize("entry", ["calmofen.yaml:22 promotional", "calmofen.yaml:22 promotional  #  ", "nonsense"])
def test_entry_without_reason_is_an_error(tmp_path: Path, entry: str) -> None:
    """This test ensures that an entry without a reason (or not an entry at all) is an error and
    acknowledges nothing."""
    found = check_paths([folder_with(tmp_path, f"{entry}\n")])
    assert [(f.rule, f.severity) for f in found] == [("promotional", "error"), ("ignore", "error")]


def test_content_folder_acknowledges_the_seed_sentence(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that ``leaflet check content/`` (run by CI) passes: the sample's promotional
    sentence (the seed's, kept word for word by issue 3) is acknowledged in content/.leaflet-check-ignore,
    and that CI runs it: .ci/run's command is the README's."""
    monkeypatch.chdir(ROOT)
    result = run_cli(capsys, "check", "content/")
    assert result.code == 0, result
    assert not [m for m in map(DIAGNOSTIC.match, result.out_lines) if m and m["level"] == "error"]
    command = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert "leaflet check content/" in command
    assert f"\n{command}\n" in (ROOT / "README.md").read_text()
