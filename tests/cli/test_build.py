"""Building leaflets from the command line: one file, folders, several inputs, batches."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from leaflet.style import PAPER_SIZES
from tests.cli.helpers import (
    DANGLING_DASH_TXT,
    GOOD_TXT,
    GOOD_YAML,
    SYNTAX_ERROR_YAML,
    UNKNOWN_KEY_YAML,
    copy,
    listing,
    run_cli,
    temp_files,
)


def page_size(pdf: Path) -> tuple[float, float]:
    box = pypdf.PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].mediabox
    return float(box.width), float(box.height)


@pytest.mark.parametrize("source", [GOOD_YAML, GOOD_TXT], ids=["yaml", "txt"])
def test_build_one_monograph_to_a_pdf(capsys: pytest.CaptureFixture[str], tmp_path: Path, source: Path) -> None:
    """This test ensures that one .yaml or .txt monograph builds to the named PDF on A4 by default."""
    out = tmp_path / "leaflet.pdf"
    result = run_cli(capsys, "build", source, "-o", out)
    assert result.code == 0, result
    assert result.err == ""
    assert out.read_bytes().startswith(b"%PDF-")
    assert page_size(out) == pytest.approx(PAPER_SIZES["a4"], abs=0.5)
    assert result.out_lines == [f"built {out}"]
    assert listing(tmp_path) == ["leaflet.pdf"]


@pytest.mark.parametrize("source", [GOOD_YAML, GOOD_TXT], ids=["yaml", "txt"])
def test_paper_letter_sets_the_page_size(capsys: pytest.CaptureFixture[str], tmp_path: Path, source: Path) -> None:
    """This test ensures that --paper letter gives US Letter pages (612 x 792 pt)."""
    out = tmp_path / "leaflet.pdf"
    result = run_cli(capsys, "build", source, "-o", out, "--paper", "letter", "--columns", "1")
    assert result.code == 0, result
    assert page_size(out) == pytest.approx((612.0, 792.0), abs=0.5)


def test_large_print_builds(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that --large-print is accepted and produces a PDF."""
    out = tmp_path / "large.pdf"
    result = run_cli(capsys, "build", GOOD_YAML, "-o", out, "--large-print")
    assert result.code == 0, result
    assert out.read_bytes().startswith(b"%PDF-")


def test_uppercase_pdf_suffix_is_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that ``-o LEAFLET.PDF`` is taken as the output file, not as a folder."""
    out = tmp_path / "LEAFLET.PDF"
    result = run_cli(capsys, "build", GOOD_YAML, "-o", out)
    assert result.code == 0, result
    assert out.is_file()
    assert out.read_bytes().startswith(b"%PDF-")


def test_folder_with_subfolders_is_mirrored(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a folder of monographs builds into OUT with its sub-folders mirrored
    and other files ignored."""
    source = tmp_path / "content"
    copy(GOOD_YAML, source / "a.yaml")
    copy(GOOD_TXT, source / "sub" / "b.txt")
    copy(GOOD_YAML, source / "sub" / "deeper" / "c.yml")
    (source / "notes.md").write_text("not a monograph\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli(capsys, "build", source, "-o", out)
    assert result.code == 0, result
    assert listing(out) == ["a.pdf", "sub/b.pdf", "sub/deeper/c.pdf"]
    for pdf in out.rglob("*.pdf"):
        assert pdf.read_bytes().startswith(b"%PDF-")
    assert result.out_lines[-1] == "3 rebuilt, 0 unchanged, 0 failed"
    assert sorted(result.out_lines[:-1]) == sorted(f"built {out / name}" for name in listing(out))
    assert result.err == ""


def test_two_inputs_with_the_same_name_clash(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that two inputs that would both become OUT/good.pdf are refused (exit 2, one
    error naming one of them) rather than one leaflet silently overwriting the other."""
    out = tmp_path / "leaflets"
    result = run_cli(capsys, "build", GOOD_YAML, GOOD_TXT, "-o", out)
    assert result.code == 2, result
    assert "Traceback" not in result.err
    errors = result.diagnostics()
    assert len(errors) == 1, result.err
    assert errors[0]["path"] in (str(GOOD_YAML), str(GOOD_TXT))
    assert not out.exists() or listing(out) == []


def test_two_inputs_with_distinct_names_go_into_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that several inputs build into the folder OUT (created) as NAME.pdf each."""
    first = copy(GOOD_YAML, tmp_path / "in" / "alpha.yaml")
    second = copy(GOOD_TXT, tmp_path / "in" / "beta.txt")
    out = tmp_path / "leaflets"
    result = run_cli(capsys, "build", first, second, "-o", out)
    assert result.code == 0, result
    assert listing(out) == ["alpha.pdf", "beta.pdf"]
    assert result.out_lines[-1] == "2 rebuilt, 0 unchanged, 0 failed"


def test_several_inputs_into_one_pdf_is_a_user_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that ``-o x.pdf`` with several inputs is exit 2 with one error naming x.pdf,
    and nothing is written."""
    first = copy(GOOD_YAML, tmp_path / "in" / "alpha.yaml")
    second = copy(GOOD_TXT, tmp_path / "in" / "beta.txt")
    out = tmp_path / "out" / "x.pdf"
    result = run_cli(capsys, "build", first, second, "-o", out)
    assert result.code == 2, result
    assert "Traceback" not in result.err
    errors = result.diagnostics()
    assert len(errors) == 1 and result.err_lines[1:] == ["1 error"], result.err
    assert errors[0]["path"] == str(out)
    assert "folder" in errors[0]["message"]
    assert not (tmp_path / "out").exists()


def test_warnings_do_not_fail_the_build(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a .txt with a dangling '-' builds (exit 0) and the warning is printed
    as ``path:line: warning: ...``."""
    out = tmp_path / "dash.pdf"
    result = run_cli(capsys, "build", DANGLING_DASH_TXT, "-o", out)
    assert result.code == 0, result
    assert out.read_bytes().startswith(b"%PDF-")
    warnings = result.diagnostics("warning")
    assert len(warnings) == 1, result.err
    assert warnings[0]["path"] == str(DANGLING_DASH_TXT)
    assert warnings[0]["line"] == "5"
    assert "'-'" in warnings[0]["message"]
    assert not result.diagnostics("error")


def test_batch_continues_past_a_bad_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that with three inputs and the middle one bad, the other two are built,
    the bad one is reported with its line and column, a summary is printed and the exit status is 2."""
    first = copy(GOOD_YAML, tmp_path / "in" / "a.yaml")
    middle = copy(SYNTAX_ERROR_YAML, tmp_path / "in" / "b.yaml")
    last = copy(GOOD_TXT, tmp_path / "in" / "c.txt")
    out = tmp_path / "out"
    result = run_cli(capsys, "build", first, middle, last, "-o", out)
    assert result.code == 2, result
    assert listing(out) == ["a.pdf", "c.pdf"]
    errors = result.diagnostics()
    assert [(e["path"], e["line"], e["column"]) for e in errors] == [(str(middle), "5", "9")]
    assert result.err_lines[1:] == ["1 error"], result.err
    assert "2 rebuilt, 0 unchanged, 1 failed" in result.out_lines
    assert "Traceback" not in result.err


def test_batch_reports_every_failure(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a batch with two bad files reports both (in input order), still builds
    the good one and says so in its summary."""
    first = copy(SYNTAX_ERROR_YAML, tmp_path / "in" / "a.yaml")
    middle = copy(GOOD_YAML, tmp_path / "in" / "b.yaml")
    last = copy(UNKNOWN_KEY_YAML, tmp_path / "in" / "c.yaml")
    out = tmp_path / "out"
    result = run_cli(capsys, "build", first, middle, last, "-o", out)
    assert result.code == 2, result
    assert listing(out) == ["b.pdf"]
    errors = result.diagnostics()
    assert [e["path"] for e in errors] == [str(first), str(last)]
    assert "did you mean 'body'?" in errors[1]["message"]
    assert "1 rebuilt, 0 unchanged, 2 failed" in result.out_lines
    assert temp_files(tmp_path) == []


def test_folder_batch_with_a_bad_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a bad monograph inside an input folder fails alone: the others of the
    folder are built and the error names the bad file."""
    source = tmp_path / "content"
    copy(GOOD_YAML, source / "a.yaml")
    bad = copy(UNKNOWN_KEY_YAML, source / "sub" / "b.yaml")
    copy(GOOD_TXT, source / "sub" / "c.txt")
    out = tmp_path / "out"
    result = run_cli(capsys, "build", source, "-o", out)
    assert result.code == 2, result
    assert listing(out) == ["a.pdf", "sub/c.pdf"]
    assert [(e["path"], e["line"], e["column"]) for e in result.diagnostics()] == [(str(bad), "4", "1")]
    assert "2 rebuilt, 0 unchanged, 1 failed" in result.out_lines


def test_every_missing_input_of_a_batch_is_reported(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a batch naming two files that do not exist reports both of them, each
    on its own error line (exit 2)."""
    good = copy(GOOD_YAML, tmp_path / "in" / "a.yaml")
    missing_one = tmp_path / "in" / "typo1.yaml"
    missing_two = tmp_path / "in" / "typo2.yaml"
    result = run_cli(capsys, "build", missing_one, good, missing_two, "-o", tmp_path / "out")
    assert result.code == 2, result
    assert "Traceback" not in result.err
    assert sorted(e["path"] for e in result.diagnostics()) == [str(missing_one), str(missing_two)]


def test_a_missing_input_does_not_stop_the_others(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a batch carries on past an input that does not exist: the existing
    input is still built (exit 2, the missing one reported)."""
    good = copy(GOOD_YAML, tmp_path / "in" / "a.yaml")
    missing = tmp_path / "in" / "typo.yaml"
    out = tmp_path / "out"
    result = run_cli(capsys, "build", good, missing, "-o", out)
    assert result.code == 2, result
    assert [e["path"] for e in result.diagnostics()] == [str(missing)]
    assert listing(out) == ["a.pdf"]


def test_drug_name_cut_in_the_running_header_is_a_warning(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that `leaflet build` warns, on the drug's line, when the running header cuts the drug
    name short, and still builds (issue 10, item 8)."""
    text = GOOD_YAML.read_text(encoding="utf-8")
    source = tmp_path / "long.yaml"
    source.write_text(text.replace("title:", "drug: " + "Calmofen extended-release " * 12 + "\ntitle:", 1))
    result = run_cli(capsys, "build", source, "-o", tmp_path / "long.pdf")
    assert result.code == 0
    [warning] = result.diagnostics("warning")
    drug_line = next(n for n, line in enumerate(source.read_text().splitlines(), 1) if line.startswith("drug:"))
    assert warning["path"] == str(source) and warning["line"] == str(drug_line)
    assert "running header" in warning["message"]
