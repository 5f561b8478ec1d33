"""``leaflet import TEXT -o YAML``: a faithful, loadable YAML, the revision date, warnings, atomicity."""

from __future__ import annotations

import datetime
import errno
import os
from pathlib import Path

import pytest

from leaflet import load_monograph
from leaflet.model import Monograph, iter_sections, iter_text
from tests.cli.helpers import (
    DANGLING_DASH_TXT,
    GOOD_TXT,
    GOOD_YAML,
    NO_OVERDOSE_TXT,
    copy,
    listing,
    run_cli,
    temp_files,
)
from tests.conftest import SEED_TEXT


def pieces(monograph: Monograph) -> list[tuple[str, str]]:
    """Kind and text of every piece, without the revision date (plain text has none)."""
    revised = monograph.meta.revised
    return [(p.kind, p.text) for p in iter_text(monograph) if not (p.kind == "meta" and p.text == revised)]


@pytest.mark.parametrize("source", [SEED_TEXT, GOOD_TXT], ids=["seed-baclofen", "small"])
def test_import_round_trips_the_text(capsys: pytest.CaptureFixture[str], tmp_path: Path, source: Path) -> None:
    """This test ensures that the imported YAML loads with load_monograph and has the same pieces of
    text, in the same order and of the same kinds, and the same boxed sections as the .txt."""
    target = tmp_path / "imported.yaml"
    result = run_cli(capsys, "import", source, "-o", target, "--revised", "2024-05-01")
    assert result.code == 0, result
    assert result.out_lines == [f"wrote {target}"]
    imported = load_monograph(target)
    original = load_monograph(source)
    assert pieces(imported) == pieces(original)
    assert [(d, s.heading, s.warning) for d, s in iter_sections(imported.body)] == [
        (d, s.heading, s.warning) for d, s in iter_sections(original.body)
    ]
    assert imported.meta.drug == original.meta.drug
    assert imported.meta.language == original.meta.language


def test_import_records_revised(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that --revised is recorded as the monograph's revision date."""
    target = tmp_path / "imported.yaml"
    assert run_cli(capsys, "import", GOOD_TXT, "-o", target, "--revised", "2024-02-29").code == 0
    assert load_monograph(target).meta.revised == "2024-02-29"


def test_import_default_revised_is_today(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that without --revised the date recorded is today's, as YYYY-MM-DD."""
    target = tmp_path / "imported.yaml"
    before = datetime.date.today().isoformat()
    assert run_cli(capsys, "import", GOOD_TXT, "-o", target).code == 0
    assert load_monograph(target).meta.revised in (before, datetime.date.today().isoformat())


def test_imported_yaml_builds(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that the YAML written by import builds into a PDF."""
    target = tmp_path / "imported.yaml"
    assert run_cli(capsys, "import", GOOD_TXT, "-o", target, "--revised", "2024-05-01").code == 0
    result = run_cli(capsys, "build", target, "-o", tmp_path / "imported.pdf")
    assert result.code == 0, result
    assert (tmp_path / "imported.pdf").read_bytes().startswith(b"%PDF-")


@pytest.mark.parametrize(
    "revised",
    ["2024-13-01", "2023-02-29", "yesterday", "", "20240101", "2024-W01-1", "2024-5-1"],
    ids=["month-13", "not-leap", "word", "empty", "basic-format", "week-date", "unpadded"],
)
def test_invalid_revised(capsys: pytest.CaptureFixture[str], tmp_path: Path, revised: str) -> None:
    """This test ensures that --revised that is not a real YYYY-MM-DD date is exit 2 with one error
    naming --revised, and no YAML is written (the loader accepts only YYYY-MM-DD, so anything else
    would produce a file that cannot be built)."""
    target = tmp_path / "imported.yaml"
    result = run_cli(capsys, "import", GOOD_TXT, "-o", target, "--revised", revised)
    assert result.code == 2, result
    assert "Traceback" not in result.err
    errors = result.diagnostics()
    assert len(errors) == 1, result.err
    assert "--revised" in errors[0]["path"] + errors[0]["message"]
    assert not target.exists()


def test_import_warns_about_a_dangling_dash(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a '-' with no item after it is a ``path:line: warning:`` and the import
    still succeeds."""
    target = tmp_path / "imported.yaml"
    result = run_cli(capsys, "import", DANGLING_DASH_TXT, "-o", target, "--revised", "2024-05-01")
    assert result.code == 0, result
    warnings = result.diagnostics("warning")
    assert [(w["path"], w["line"]) for w in warnings] == [(str(DANGLING_DASH_TXT), "5")]
    assert not result.diagnostics("error")
    assert load_monograph(target).title == "Dashofen"


def test_import_warns_about_no_overdose_section(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a text with no overdose section gives a warning naming the file and the
    import still succeeds."""
    target = tmp_path / "imported.yaml"
    result = run_cli(capsys, "import", NO_OVERDOSE_TXT, "-o", target, "--revised", "2024-05-01")
    assert result.code == 0, result
    warnings = result.diagnostics("warning")
    assert len(warnings) == 1, result.err
    assert warnings[0]["path"] == str(NO_OVERDOSE_TXT)
    assert "overdose" in warnings[0]["message"]
    assert target.is_file()


def test_import_quiet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that -q hides import's warnings and its 'wrote' line."""
    target = tmp_path / "imported.yaml"
    result = run_cli(capsys, "import", "-q", DANGLING_DASH_TXT, "-o", target, "--revised", "2024-05-01")
    assert result.code == 0, result
    assert (result.out, result.err) == ("", "")
    assert target.is_file()


def test_import_missing_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that importing a file that does not exist is exit 2 with one error naming it."""
    missing = tmp_path / "missing.txt"
    result = run_cli(capsys, "import", missing, "-o", tmp_path / "out.yaml")
    assert result.code == 2, result
    assert [e["path"] for e in result.diagnostics()] == [str(missing)]
    assert "Traceback" not in result.err
    assert listing(tmp_path) == []


def test_import_refuses_a_yaml_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that ``leaflet import`` of a .yaml monograph (not a plain text) is exit 2 naming
    it, instead of reading the YAML as prose and writing a nonsense monograph."""
    target = tmp_path / "imported.yaml"
    result = run_cli(capsys, "import", GOOD_YAML, "-o", target)
    assert result.code == 2, result
    assert [e["path"] for e in result.diagnostics()] == [str(GOOD_YAML)]
    assert not target.exists()


def test_import_does_not_overwrite_its_source(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that ``leaflet import a.txt -o a.txt`` is refused (exit 2) and the text, the
    editor's only copy, is left as it was."""
    source = copy(GOOD_TXT, tmp_path / "a.txt")
    before = source.read_bytes()
    result = run_cli(capsys, "import", source, "-o", source, "--revised", "2024-05-01")
    assert result.code == 2, result
    assert source.read_bytes() == before


def test_failed_import_keeps_previous_yaml(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that an import that fails (the text became empty) is exit 2 and leaves the
    previously imported YAML byte-identical, with no temporary file."""
    source = copy(GOOD_TXT, tmp_path / "in" / "a.txt")
    target = tmp_path / "out" / "a.yaml"
    assert run_cli(capsys, "import", source, "-o", target, "--revised", "2024-05-01").code == 0
    before = target.read_bytes()
    source.write_text("\n\n", encoding="utf-8")
    result = run_cli(capsys, "import", source, "-o", target, "--revised", "2024-05-01", "--force")
    assert result.code == 2, result
    assert [e["path"] for e in result.diagnostics()] == [str(source)]
    assert target.read_bytes() == before
    assert listing(target.parent) == ["a.yaml"]


def test_import_write_failure_is_atomic(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a disk error while the YAML is moved into place is exit 2 naming the
    output, with the previous YAML intact and no temporary file."""
    target = tmp_path / "a.yaml"
    assert run_cli(capsys, "import", GOOD_TXT, "-o", target, "--revised", "2024-05-01").code == 0
    before = target.read_bytes()

    def failing_replace(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    result = run_cli(capsys, "import", GOOD_TXT, "-o", target, "--revised", "2025-01-01", "--force")
    monkeypatch.undo()
    assert result.code == 2, result
    assert [e["path"] for e in result.diagnostics()] == [str(target)]
    assert target.read_bytes() == before
    assert temp_files(tmp_path) == []
    assert listing(tmp_path) == ["a.yaml"]


def test_import_refuses_to_overwrite_without_force(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that import leaves an existing YAML file (perhaps edited by hand) byte-identical and
    exits 2 with a message naming it and --force (issue 12, part 5); with --force it is replaced."""
    target = tmp_path / "a.yaml"
    target.write_text("title: edited by hand\n", encoding="utf-8")
    result = run_cli(capsys, "import", GOOD_TXT, "-o", target, "--revised", "2024-05-01")
    assert result.code == 2, result
    [error] = result.diagnostics()
    assert error["path"] == str(target) and error["code"] == "import-exists"
    assert "--force" in result.err and "Traceback" not in result.err
    assert target.read_text(encoding="utf-8") == "title: edited by hand\n"
    assert listing(tmp_path) == ["a.yaml"]
    assert run_cli(capsys, "import", GOOD_TXT, "-o", target, "--revised", "2024-05-01", "--force").code == 0
    assert load_monograph(target).title == load_monograph(GOOD_TXT).title


def test_import_to_standard_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that -o - writes the YAML to standard output, nothing else there, no file written, and
    that the YAML is the one -o FILE writes."""
    result = run_cli(capsys, "import", GOOD_TXT, "-o", "-", "--revised", "2024-05-01")
    assert result.code == 0, result
    target = tmp_path / "a.yaml"
    assert run_cli(capsys, "import", GOOD_TXT, "-o", target, "--revised", "2024-05-01").code == 0
    assert result.out == target.read_text(encoding="utf-8")
    assert not Path("-").exists()
