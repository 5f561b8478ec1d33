"""``leaflet check`` on hostile input: an ignore file that is not UTF-8, a PDF whose form draws itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from leaflet.check import pdf_content
from leaflet.check.acknowledgements import IGNORE_NAME
from leaflet.check.preflight import preflight_pdf
from leaflet.check.rules import check_paths
from tests.check.support import CLEAN_BODY, HEAD, write
from tests.cli.helpers import run_cli


def test_latin1_ignore_file_is_an_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a .leaflet-check-ignore that is not UTF-8 is one `ignore` error naming it,
    not a crash, and the monographs are still checked."""
    write(tmp_path / "calmofen.yaml", HEAD + CLEAN_BODY)
    (tmp_path / IGNORE_NAME).write_bytes("calmofen.yaml:1 promotional  # déjà vu\n".encode("latin-1"))
    found = check_paths([tmp_path])
    assert [(f.rule, f.severity, f.diagnostic.path) for f in found] == [
        ("ignore", "error", str(tmp_path / IGNORE_NAME))
    ]
    assert "UTF-8" in found[0].diagnostic.message
    result = run_cli(capsys, "check", tmp_path)
    assert result.code == 2, result
    assert "Traceback" not in result.err and "internal error" not in result.err


def self_drawing_form(path: Path, copies: int = 10) -> Path:
    """A one-page PDF whose page draws a form XObject that draws itself ``copies`` times: nested 8 deep,
    about ``copies`` ** 8 drawings."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    form = DecodedStreamObject()
    form.set_data(b"/Me Do\n" * copies)
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
        }
    )
    reference = writer._add_object(form)
    form[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Me"): reference})}
    )
    contents = DecodedStreamObject()
    contents.set_data(b"/Me Do\n")
    page[NameObject("/Contents")] = writer._add_object(contents)
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Me"): reference})}
    )
    with path.open("wb") as stream:
        writer.write(stream)
    return path


def test_self_drawing_form_is_too_complex(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test ensures that a form drawing itself over and over stops at the cap on operations per page
    and is a `pdf-structure` error naming the page, instead of interpreting ~10^8 drawings."""
    monkeypatch.setattr(pdf_content, "MAX_OPERATIONS_PER_PAGE", 1000)
    found = preflight_pdf(self_drawing_form(tmp_path / "bomb.pdf"))
    complex_ = [f for f in found if "too complex" in f.diagnostic.message]
    assert len(complex_) == 1, found
    assert complex_[0].rule == "pdf-structure" and complex_[0].severity == "error"
    assert complex_[0].diagnostic.line == 1
    assert complex_[0].diagnostic.message == "page 1: too complex to check (more than 1000 drawing operations)"


def test_self_drawing_form_hits_the_form_cap(tmp_path: Path) -> None:
    """This test ensures that with the default caps the same PDF is reported as too complex (the cap on
    forms drawn), each form parsed once, so the check ends at once."""
    found = preflight_pdf(self_drawing_form(tmp_path / "bomb.pdf"))
    assert any(f.rule == "pdf-structure" and "page 1: too complex" in f.diagnostic.message for f in found), found
