"""User errors (exit 2, one ``path:line:column: error[code]: message (hint)`` line each when piped, then the
total, no traceback), internal errors (exit 70), --quiet and --version."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

import leaflet
from tests.cli.helpers import (
    DANGLING_DASH_TXT,
    GLYPHS_YAML,
    GOOD_YAML,
    SYNTAX_ERROR_YAML,
    UNKNOWN_KEY_YAML,
    assert_user_error,
    copy,
    listing,
    run_cli,
    temp_files,
)

MONOGRAPH_HEAD = "title: Glyphofen\nlanguage: en\nrevised: '2024-05-01'\n"


def test_missing_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that an input that does not exist is exit 2 with one error naming it."""
    missing = tmp_path / "baclofen.yaml"
    result = run_cli(capsys, "build", missing, "-o", tmp_path / "out.pdf")
    error = assert_user_error(result, mentions=str(missing))
    assert error["path"] == str(missing)
    assert listing(tmp_path) == []


def test_unknown_suffix(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that an input that is neither .yaml nor .txt is exit 2 with one error naming
    it and the suffix, and no PDF is written."""
    notes = tmp_path / "notes.md"
    notes.write_text("Baclofen\nSome text.\n", encoding="utf-8")
    result = run_cli(capsys, "build", notes, "-o", tmp_path / "out.pdf")
    error = assert_user_error(result, mentions=str(notes))
    assert ".md" in error["message"]
    assert not (tmp_path / "out.pdf").exists()


def test_yaml_syntax_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that invalid YAML is exit 2 with one error giving file, line and column."""
    result = run_cli(capsys, "build", SYNTAX_ERROR_YAML, "-o", tmp_path / "out.pdf")
    error = assert_user_error(result, mentions=str(SYNTAX_ERROR_YAML))
    assert (error["path"], error["line"], error["column"]) == (str(SYNTAX_ERROR_YAML), "5", "9")
    assert "YAML" in error["message"]


def test_unknown_key_has_did_you_mean_hint(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a misspelt key is exit 2 with file, line, column and a did-you-mean hint."""
    result = run_cli(capsys, "build", UNKNOWN_KEY_YAML, "-o", tmp_path / "out.pdf")
    error = assert_user_error(result, mentions=str(UNKNOWN_KEY_YAML))
    assert (error["line"], error["column"]) == ("4", "1")
    assert error["message"] == "unknown key 'bdy' in the monograph (did you mean 'body'?)"


def test_missing_glyphs_fail_the_build(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that characters the fonts cannot draw are exit 2, every stderr line an error
    naming the file but the total, no PDF and no traceback."""
    out = tmp_path / "out.pdf"
    result = run_cli(capsys, "build", GLYPHS_YAML, "-o", out)
    assert result.code == 2, result
    assert "Traceback" not in result.err
    errors = result.diagnostics()
    assert errors and len(errors) == len(result.err_lines) - 1, result.err
    assert result.total == f"{len(errors)} errors"
    assert all(error["path"] == str(GLYPHS_YAML) for error in errors)
    assert not out.exists()
    assert listing(tmp_path) == []


@pytest.mark.parametrize(
    ("code_point", "line"),
    [("U+1F600", "5"), ("U+1200", "8"), ("U+0F40", "9")],
    ids=["emoji", "ethiopic", "tibetan"],
)
def test_missing_glyph_is_listed_with_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, code_point: str, line: str
) -> None:
    """This test ensures that each character the fonts cannot draw (emoji, CJK, zero width space) is
    reported once, with its code point, file and line."""
    result = run_cli(capsys, "build", GLYPHS_YAML, "-o", tmp_path / "out.pdf")
    assert result.code == 2, result
    matching = [error for error in result.diagnostics() if code_point in error["message"]]
    assert len(matching) == 1, result.err
    assert (matching[0]["path"], matching[0]["line"]) == (str(GLYPHS_YAML), line)


def test_missing_glyph_in_a_wrapped_paragraph_names_its_own_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """This test ensures that a character the fonts cannot draw on the third line of a paragraph
    wrapped over several lines is reported at that line, where the editor has to look."""
    source = tmp_path / "wrapped.yaml"
    source.write_text(
        MONOGRAPH_HEAD + "body:\n  - This paragraph is wrapped\n    over several lines\n    and has 😀 on its third.\n",
        encoding="utf-8",
    )
    result = run_cli(capsys, "build", source, "-o", tmp_path / "out.pdf")
    assert result.code == 2, result
    assert [(e["line"], "U+1F600" in e["message"]) for e in result.diagnostics()] == [("7", True)]


def test_missing_glyph_in_the_title_is_reported_once(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a character the fonts cannot draw in the title is one error line, not
    one for the title and another for the drug name that defaults to it."""
    source = tmp_path / "title.yaml"
    source.write_text(
        "title: Smile 😀\nlanguage: en\nrevised: '2024-05-01'\nbody:\n  - A paragraph.\n", encoding="utf-8"
    )
    result = run_cli(capsys, "build", source, "-o", tmp_path / "out.pdf")
    assert result.code == 2, result
    assert [(e["line"], "U+1F600" in e["message"]) for e in result.diagnostics()] == [("1", True)]
    assert len(result.err_lines) == 2 and result.total == "1 error", result.err


@pytest.mark.parametrize(
    "option", [["--columns", "3"], ["--columns", "two"], ["--paper", "a5"]], ids=["columns-3", "columns-two", "a5"]
)
def test_bad_option_value(capsys: pytest.CaptureFixture[str], tmp_path: Path, option: list[str]) -> None:
    """This test ensures that a bad --columns or --paper value is exit 2 naming the option, without a
    traceback and without writing anything."""
    result = run_cli(capsys, "build", GOOD_YAML, "-o", tmp_path / "out.pdf", *option)
    assert result.code == 2, result
    assert option[0] in result.err
    assert "Traceback" not in result.err
    assert listing(tmp_path) == []


def test_output_under_a_regular_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that an output path whose folder is a regular file is exit 2 with one error
    naming the output, and the file in the way is untouched."""
    blocker = tmp_path / "leaflets"
    blocker.write_bytes(b"not a folder")
    out = blocker / "baclofen.pdf"
    result = run_cli(capsys, "build", GOOD_YAML, "-o", out)
    assert_user_error(result, mentions=str(out))
    assert blocker.read_bytes() == b"not a folder"
    assert temp_files(tmp_path) == []


def test_output_folder_under_a_regular_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a batch whose output folder cannot be created (a file stands in its
    path) is one user error naming that file, before anything is built (exit 2)."""
    blocker = tmp_path / "leaflets"
    blocker.write_bytes(b"not a folder")
    second = copy(GOOD_YAML, tmp_path / "in" / "other.yaml")
    result = run_cli(capsys, "build", GOOD_YAML, second, "-o", blocker / "sub")
    assert result.code == 2, result
    assert "Traceback" not in result.err
    (error,) = result.diagnostics()
    assert error["path"] == str(blocker / "sub")
    assert f"{blocker} is a file" in error["message"]
    assert blocker.read_bytes() == b"not a folder"


def test_output_is_an_existing_folder_named_pdf(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that ``-o x.pdf`` where x.pdf is an existing folder is a user error naming
    it, not a crash, and leaves no temporary file."""
    out = tmp_path / "x.pdf"
    out.mkdir()
    result = run_cli(capsys, "build", GOOD_YAML, "-o", out)
    assert_user_error(result, mentions=str(out))
    assert out.is_dir()
    assert temp_files(tmp_path) == []


def test_empty_input_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a folder with no monographs is exit 2 with one error naming it."""
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli(capsys, "build", empty, "-o", tmp_path / "out")
    assert_user_error(result, mentions=str(empty))


def test_internal_error_is_one_line_and_exit_70(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that an unexpected exception while rendering is exit 70 (issue 9.4: no longer 1,
    which ``check --strict`` uses for warnings) with a single 'internal error' line and no traceback, and
    writes nothing."""

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("layout exploded")

    monkeypatch.setattr("leaflet.render.render_pdf", broken)
    out = tmp_path / "out.pdf"
    result = run_cli(capsys, "build", GOOD_YAML, "-o", out)
    assert result.code == 70, result
    assert len(result.err_lines) == 1, result.err
    assert "internal error" in result.err_lines[0]
    assert "Traceback" not in result.err
    assert listing(tmp_path) == []


def test_internal_error_traceback_with_verbose(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that --verbose adds the traceback of an internal error, still exit 70 and still
    ending with the 'internal error' line."""

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("layout exploded")

    monkeypatch.setattr("leaflet.render.render_pdf", broken)
    result = run_cli(capsys, "build", GOOD_YAML, "-o", tmp_path / "out.pdf", "--verbose")
    assert result.code == 70, result
    assert "Traceback" in result.err
    assert "layout exploded" in result.err
    assert "internal error" in result.err_lines[-1]


def test_interrupt_is_not_an_internal_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that Ctrl-C during a build exits 130 with a short message and no traceback."""

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("leaflet.render.render_pdf", interrupted)
    result = run_cli(capsys, "build", GOOD_YAML, "-o", tmp_path / "out.pdf")
    assert result.code == 130, result
    assert "Traceback" not in result.err
    assert listing(tmp_path) == []


def test_quiet_hides_info_and_warnings(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that -q prints nothing for a successful build that has warnings."""
    out = tmp_path / "dash.pdf"
    result = run_cli(capsys, "build", "-q", DANGLING_DASH_TXT, "-o", out)
    assert result.code == 0, result
    assert (result.out, result.err) == ("", "")
    assert out.is_file()


def test_quiet_keeps_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that -q still prints every error (and hides the batch summary)."""
    bad = copy(SYNTAX_ERROR_YAML, tmp_path / "in" / "bad.yaml")
    result = run_cli(capsys, "build", "--quiet", GOOD_YAML, bad, "-o", tmp_path / "out")
    assert result.code == 2, result
    assert result.out == ""
    assert [e["path"] for e in result.diagnostics()] == [str(bad)]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that --version prints 'leaflet VERSION' (the installed distribution's) and
    exits 0."""
    result = run_cli(capsys, "--version")
    assert result.code == 0
    assert result.out.strip() == f"leaflet {leaflet.__version__}"
    assert leaflet.__version__ == importlib.metadata.version("leaflet")


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that running leaflet without a command is exit 2 with a usage message."""
    result = run_cli(capsys)
    assert result.code == 2
    assert "usage:" in result.err
    assert "Traceback" not in result.err
