"""``leaflet check``: text and JSON output, exit status 0/1/2 with --strict, folders, options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.check.support import CHECK, CLEAN_TXT, CLEAN_YAML, HEAD, NESTED, WARNINGS_ONLY, write
from tests.cli.helpers import DIAGNOSTIC, GLYPHS_YAML, SYNTAX_ERROR_YAML, run_cli
from tests.conftest import ROOT, SAMPLE, SEED_TEXT

FIELDS = {"path", "line", "column", "severity", "rule", "code", "message", "hint"}


def _json(capsys: pytest.CaptureFixture[str], *args: object) -> list[dict[str, object]]:
    result = run_cli(capsys, "check", "--format", "json", *args)
    findings = json.loads(result.out)
    assert isinstance(findings, list)
    return findings


def _text_line(finding: dict[str, object]) -> str:
    """The text line the command prints for a JSON ``finding``."""
    where = ":".join(str(part) for part in (finding["path"], finding["line"], finding["column"]) if part is not None)
    text = f"{where}: {finding['severity']}[{finding['code']}]: {finding['message']}"
    return f"{text} ({finding['hint']})" if finding["hint"] else text


def test_clean_files_exit_0_silently(capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that clean monographs exit 0 and print nothing, also with --strict."""
    for args in ((CLEAN_YAML, CLEAN_TXT), ("--strict", CLEAN_YAML, CLEAN_TXT)):
        result = run_cli(capsys, "check", *args)
        assert (result.code, result.out, result.err) == (0, "", "")


def test_warnings_exit_0_or_1_with_strict(capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that warnings alone exit 0, and 1 with --strict, printing the same lines."""
    plain = run_cli(capsys, "check", WARNINGS_ONLY)
    strict = run_cli(capsys, "check", "--strict", WARNINGS_ONLY)
    assert (plain.code, strict.code) == (0, 1)
    assert plain.out == strict.out
    lines = [DIAGNOSTIC.match(line) for line in plain.out_lines]
    assert [(m["level"], m["line"]) for m in lines if m] == [("warning", "15")]
    assert plain.out_lines[1:] == ["1 warning"]


@pytest.mark.parametrize("strict", [False, True])
def test_errors_exit_2(capsys: pytest.CaptureFixture[str], strict: bool) -> None:
    """This test ensures that any error exits 2, with or without --strict, and every file is still
    checked."""
    args = ["--strict"] if strict else []
    result = run_cli(capsys, "check", *args, SYNTAX_ERROR_YAML, WARNINGS_ONLY)
    assert result.code == 2
    levels = [m["level"] for m in map(DIAGNOSTIC.match, result.out_lines) if m]
    assert levels == ["error", "warning"]
    assert "Traceback" not in result.err


def test_text_lines_have_the_diagnostic_format(capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that every printed line is ``file:line[:column]: error|warning[code]: message (hint)``,
    and the last the total."""
    result = run_cli(capsys, "check", GLYPHS_YAML)
    assert result.out_lines[-1] == "4 errors, 5 warnings"
    for line in result.out_lines[:-1]:
        match = DIAGNOSTIC.match(line)
        assert match is not None, line
        assert match["path"] == str(GLYPHS_YAML)
        assert match["line"] is not None
    assert f"{GLYPHS_YAML}:5:13: error[glyphs]: character U+1F600" in result.out


@pytest.mark.parametrize("paths", [(GLYPHS_YAML,), (SEED_TEXT, WARNINGS_ONLY), (CHECK,)], ids=["one", "two", "folder"])
def test_json_parses_and_matches_text(capsys: pytest.CaptureFixture[str], paths: tuple[Path, ...]) -> None:
    """This test ensures that --format json is a list of findings with every field (the code too), the
    same findings in the same order as the text output (before its total), and the same exit status."""
    findings = _json(capsys, *paths)
    json_code = run_cli(capsys, "check", "--format", "json", *paths).code
    text = run_cli(capsys, "check", *paths)
    assert findings
    assert all(set(finding) == FIELDS for finding in findings)
    assert all(finding["severity"] in ("error", "warning") for finding in findings)
    assert [_text_line(finding) for finding in findings] == text.out_lines[:-1]
    assert json_code == text.code


def test_json_of_clean_file_is_empty_list(capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that a clean monograph gives ``[]`` in JSON."""
    assert _json(capsys, CLEAN_YAML) == []


def test_folder_is_checked_recursively(capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that a folder is searched recursively: findings one and two folders down are
    reported, each file once even when named twice."""
    findings = _json(capsys, NESTED, NESTED / "promotional.txt")
    paths = sorted({Path(str(f["path"])).relative_to(NESTED).as_posix() for f in findings})
    assert paths == ["deeper/duplicate_heading.yaml", "promotional.txt"]
    assert sorted(f["rule"] for f in findings) == ["duplicate-heading", "promotional", "promotional"]


def test_folder_without_monographs_is_a_user_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a folder with no monographs exits 2 with one error saying so."""
    result = run_cli(capsys, "check", tmp_path)
    assert result.code == 2
    assert "no .yaml or .txt monographs found" in result.err


def test_seed_text_is_flagged(capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that the seed monograph's promotional last line is reported and exits 2."""
    result = run_cli(capsys, "check", SEED_TEXT)
    assert result.code == 2
    promotional = [line for line in result.out_lines if "promotional wording" in line]
    where = [line.split(": error[promotional]:")[0] for line in promotional]
    assert where == [f"{SEED_TEXT}:132:73", f"{SEED_TEXT}:132:115"]


def test_sample_file_runs(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """This test ensures that ``leaflet check content/baclofen.yaml`` runs and reports the sample's
    promotional sentence (the seed's, kept word for word) as errors, and nothing else as an error (in
    ``leaflet check content/`` the folder's .leaflet-check-ignore acknowledges them)."""
    monkeypatch.chdir(ROOT)
    result = run_cli(capsys, "check", "content/baclofen.yaml")
    assert result.code == 2, result
    errors = [m for m in map(DIAGNOSTIC.match, result.out_lines) if m and m["level"] == "error"]
    assert errors
    assert all(m["path"] == "content/baclofen.yaml" and "promotional" in m["message"] for m in errors)
    assert {m["line"] for m in errors} == {"139", "140"}
    assert SAMPLE.is_file()


def test_quiet_prints_errors_only(capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that -q leaves out warnings but not errors, and keeps the exit status."""
    quiet = run_cli(capsys, "check", "-q", "--strict", WARNINGS_ONLY)
    assert (quiet.code, quiet.out) == (1, "")
    quiet = run_cli(capsys, "check", "-q", SEED_TEXT)
    assert quiet.code == 2
    assert quiet.out_lines[:-1] and all(": error[" in line for line in quiet.out_lines[:-1])
    assert quiet.out_lines[-1] == f"{len(quiet.out_lines) - 1} errors"


def test_profile_and_max_grade_options(capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that --profile and --max-grade reach the rules."""
    qrd = _json(capsys, "--profile", "eu-qrd", CLEAN_YAML)
    assert {f["rule"] for f in qrd} == {"profile", "qrd-keep-out-of-reach", "qrd-reporting"}
    graded = _json(capsys, "--max-grade", "-20", CLEAN_YAML)
    assert [f["rule"] for f in graded] == ["reading-grade"]
    assert run_cli(capsys, "check", "--profile", "nope", CLEAN_YAML).code == 2  # argparse refuses it


def test_unreadable_input_is_a_finding_not_a_crash(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a missing file and a bad one are 'load' errors in the output (exit 2),
    alongside the findings about good files."""
    bad = write(tmp_path / "bad.yaml", HEAD + "body: []\n")
    findings = _json(capsys, tmp_path / "missing.txt", bad, CLEAN_YAML)
    assert [(f["rule"], f["severity"]) for f in findings] == [("load", "error"), ("load", "error")]
    assert findings[0]["path"] == str(tmp_path / "missing.txt")


def test_profile_choices_match_the_rules() -> None:
    """This test ensures that the command line offers exactly the profiles the rules define (the parser
    names them itself, so that parsing arguments does not import the check code; issue 9)."""
    from leaflet.check.rules import PROFILES
    from leaflet.cli.parser import PROFILE_NAMES

    assert tuple(PROFILES) == PROFILE_NAMES
