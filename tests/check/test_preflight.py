"""``leaflet check`` on built PDFs: the preflight rules (``pdf-*``), each with a failing and a passing
PDF. The failing PDFs are made here, from a built leaflet altered with reportlab and pypdf."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
from pypdf.generic import DecodedStreamObject, RectangleObject
from reportlab.pdfgen.canvas import Canvas

from leaflet.check.preflight import PreflightOptions, preflight_pdf
from leaflet.check.rules import CheckOptions, Finding, check_paths
from leaflet.jobs.library import STATE_NAME, build_library
from leaflet.options import BuildOptions
from leaflet.text.fonts import register_fonts
from tests.check.support import CLEAN_BODY, HEAD, of_rule, write
from tests.cli.helpers import DIAGNOSTIC, run_cli
from tests.conftest import SAMPLE, build

Draw = Callable[[Canvas], None]


def sample_pdf(tmp_path: Path, name: str = "sample.pdf") -> Path:
    """The sample leaflet (two A4 pages), built once per session, written to ``tmp_path``."""
    path = tmp_path / name
    path.write_bytes(build(SAMPLE)[0].pdf)
    return path


def overlaid(tmp_path: Path, draw: Draw, name: str = "altered.pdf") -> Path:
    """The sample leaflet with what ``draw`` draws on a canvas merged onto page 1."""
    reader = pypdf.PdfReader(sample_pdf(tmp_path))
    box = reader.pages[0].mediabox
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(float(box.width), float(box.height)))
    draw(canvas)
    canvas.save()
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.pages[0].merge_page(pypdf.PdfReader(buffer).pages[0])
    return _write(writer, tmp_path / name)


def _write(writer: pypdf.PdfWriter, path: Path) -> Path:
    with path.open("wb") as stream:
        writer.write(stream)
    return path


def noto(canvas: Canvas, size: float) -> None:
    """Draw in leaflet's own (embedded) regular font, so that only the rule under test fires."""
    canvas.setFont(register_fonts().regular, size)


def rules(found: list[Finding]) -> set[str]:
    return {finding.rule for finding in found}


def test_sample_passes_every_rule(tmp_path: Path) -> None:
    """This test ensures that the sample leaflet as built passes every preflight rule (the passing
    example of each rule). (Its speed is measured in benchmarks/, never asserted here.)"""
    path = sample_pdf(tmp_path)
    assert preflight_pdf(path, PreflightOptions(max_pages=2)) == []


def test_body_size_below_9_pt(tmp_path: Path) -> None:
    """This test ensures that a line of 6 pt text is a pdf-body-size error on its page, naming the size."""

    def small(canvas: Canvas) -> None:
        noto(canvas, 6)
        canvas.drawString(300, 300, "Small print nobody can read")

    found = of_rule(preflight_pdf(overlaid(tmp_path, small)), "pdf-body-size")
    assert [(f.severity, f.diagnostic.line) for f in found] == [("error", 1)]
    assert "page 1" in found[0].diagnostic.message and "6 pt" in found[0].diagnostic.message


def test_text_in_the_margin(tmp_path: Path) -> None:
    """This test ensures that text drawn inside the 15 mm margin is a pdf-margins error saying how far."""

    def in_margin(canvas: Canvas) -> None:
        noto(canvas, 10)
        canvas.drawString(20, 400, "Margin")

    found = of_rule(preflight_pdf(overlaid(tmp_path, in_margin)), "pdf-margins")
    assert [(f.severity, f.diagnostic.line) for f in found] == [("error", 1)]
    message = found[0].diagnostic.message
    assert "left margin" in message and "22.5 pt (7.9 mm)" in message


def test_text_over_text(tmp_path: Path) -> None:
    """This test ensures that a word drawn over another on the same line is a pdf-overlap error, and
    that words merely close together are not."""

    def over_footer(canvas: Canvas) -> None:  # the footer's "Revised 2026-11-24" starts at x 470.95
        noto(canvas, 9)
        canvas.drawString(480, 45.15669, "Edited")

    found = of_rule(preflight_pdf(overlaid(tmp_path, over_footer)), "pdf-overlap")
    assert [(f.severity, f.diagnostic.line) for f in found] == [("error", 1)]
    assert "'Revised' overlaps 'Edited'" in found[0].diagnostic.message

    def beside(canvas: Canvas) -> None:  # below the footer, where the leaflet draws nothing
        noto(canvas, 9)
        canvas.drawString(300, 20, "Near")
        canvas.drawString(322, 20, "words")

    assert of_rule(preflight_pdf(overlaid(tmp_path, beside)), "pdf-overlap") == []


def test_standard_font_unembedded(tmp_path: Path) -> None:
    """This test ensures that a base-14 font (Helvetica, not embedded) is a pdf-fonts error."""

    def helvetica(canvas: Canvas) -> None:
        canvas.setFont("Helvetica", 10)
        canvas.drawString(300, 300, "Helvetica")

    found = of_rule(preflight_pdf(overlaid(tmp_path, helvetica)), "pdf-fonts")
    assert [(f.severity, f.diagnostic.line) for f in found] == [("error", 1)]
    message = found[0].diagnostic.message
    assert "Helvetica" in message and "standard (base-14)" in message and "not embedded" in message


def test_no_warning_box(tmp_path: Path) -> None:
    """This test ensures that a leaflet built from a monograph without a warning section has no
    framed region with text, a pdf-warning-box error (the sample, with its box, passes)."""
    without = CLEAN_BODY.replace(
        "      - warning: If you take too much\n        body:\n          - Call", "      - Call"
    )
    monograph = write(tmp_path / "plain.yaml", HEAD + without)
    pdf = tmp_path / "plain.pdf"
    assert run_cli_build(monograph, pdf) == 0
    found = of_rule(preflight_pdf(pdf), "pdf-warning-box")
    assert [(f.severity, f.diagnostic.line) for f in found] == [("error", None)]
    assert of_rule(preflight_pdf(sample_pdf(tmp_path)), "pdf-warning-box") == []


def run_cli_build(source: Path, target: Path) -> int:
    from leaflet.cli.main import main

    return main(["build", str(source), "-o", str(target), "-q"])


def test_page_budget(tmp_path: Path) -> None:
    """This test ensures that more pages than --max-pages is a pdf-pages warning at the first page over
    the budget, and that a budget met (or none) says nothing."""
    path = sample_pdf(tmp_path)
    found = of_rule(preflight_pdf(path, PreflightOptions(max_pages=1)), "pdf-pages")
    assert [(f.severity, f.diagnostic.line) for f in found] == [("warning", 2)]
    assert "2 pages" in found[0].diagnostic.message
    assert of_rule(preflight_pdf(path, PreflightOptions(max_pages=2)), "pdf-pages") == []
    assert of_rule(preflight_pdf(path), "pdf-pages") == []


def test_damaged_xref_needs_repair(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that a PDF whose cross-reference offset is wrong (pypdf must repair it) is a
    pdf-structure error, that the other rules still run on the repaired file, and that pypdf's own
    complaints stay off the terminal."""
    data = sample_pdf(tmp_path).read_bytes()
    offset = re.search(rb"startxref\s+(\d+)", data)
    assert offset is not None
    damaged = data[: offset.start(1)] + str(int(offset[1]) + 7).encode() + data[offset.end(1) :]
    path = tmp_path / "damaged.pdf"
    path.write_bytes(damaged)
    found = preflight_pdf(path)
    assert [(f.rule, f.severity) for f in found] == [("pdf-structure", "error")]
    assert "needs repair" in found[0].diagnostic.message
    result = run_cli(capsys, "check", path)
    assert (result.code, result.out_lines[1:], result.err) == (2, ["1 error"], "")


def test_truncated_file_cannot_open(tmp_path: Path) -> None:
    """This test ensures that a PDF cut short is a pdf-structure error and nothing else."""
    path = tmp_path / "cut.pdf"
    path.write_bytes(sample_pdf(tmp_path).read_bytes()[:400])
    found = preflight_pdf(path)
    assert found and rules(found) == {"pdf-structure"}
    assert all(f.severity == "error" for f in found)


def test_paper_neither_a4_nor_letter(tmp_path: Path) -> None:
    """This test ensures that a page neither A4 nor Letter is a pdf-structure warning on that page."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(sample_pdf(tmp_path)))
    writer.pages[1].mediabox = RectangleObject([0, 0, 595.28, 900])
    found = preflight_pdf(_write(writer, tmp_path / "tall.pdf"))
    structure = of_rule(found, "pdf-structure")
    assert [(f.severity, f.diagnostic.line) for f in structure] == [("warning", 2)]
    assert "neither A4 nor Letter" in structure[0].diagnostic.message


def built_library(tmp_path: Path) -> Path:
    """A folder built by ``leaflet build`` (with its state) holding one small leaflet; its PDF."""
    source = write(tmp_path / "calmofen.yaml", HEAD + CLEAN_BODY)
    out = tmp_path / "out"
    build_library([(source, out / "calmofen.pdf")], out, BuildOptions(paper="letter", columns=1))
    return out / "calmofen.pdf"


def edited(pdf: Path, old: bytes, new: bytes) -> None:
    """Replace ``old`` by ``new`` in page 1's content stream, in place (as an editor would)."""
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(pdf))
    page = writer.pages[0]
    data = page.get_contents().get_data()  # type: ignore[union-attr]
    assert old in data
    stream = DecodedStreamObject()
    stream.set_data(data.replace(old, new))
    page.replace_contents(stream)
    _write(writer, pdf)


def test_placement_matches_the_build(tmp_path: Path) -> None:
    """This test ensures that a PDF in a built folder is cross-checked with its source's layout: as
    built it passes, and with a paragraph moved or reworded after building it is a pdf-placement error
    on that page."""
    pdf = built_library(tmp_path)
    assert json.loads((pdf.parent / STATE_NAME).read_text())["outputs"]["calmofen.pdf"]["options"]["paper"] == "letter"
    assert preflight_pdf(pdf) == []
    edited(pdf, b"(Calmofen is a medicine for pain.)", b"(Calmofen is a medicine for gain.)")
    found = preflight_pdf(pdf)
    assert [(f.rule, f.severity, f.diagnostic.line) for f in found] == [("pdf-placement", "error", 1)]
    assert "'Calmofen is a medicine for pain.'" in found[0].diagnostic.message


def test_placement_moved_block(tmp_path: Path) -> None:
    """This test ensures that a block drawn away from the box the build reported is a pdf-placement error."""
    pdf = built_library(tmp_path)
    data = pypdf.PdfReader(pdf).pages[0].get_contents().get_data()  # type: ignore[union-attr]
    move = re.search(rb"1 0 0 1 ([\d.]+) ([\d.]+) cm\s+q\s+(?:0 0 0 rg\s+)?BT[^\n]*\(Calmofen is a medicine", data)
    assert move is not None
    edited(pdf, move[0], move[0].replace(move[2], str(float(move[2]) - 5).encode(), 1))
    assert rules(preflight_pdf(pdf)) == {"pdf-placement"}


def test_placement_skipped_without_known_source(tmp_path: Path) -> None:
    """This test ensures that the cross-check is skipped, without a finding, for a PDF outside a built
    folder, for a state without options (older builds) and for a source edited since the build."""
    pdf = built_library(tmp_path)
    loose = tmp_path / "loose.pdf"
    loose.write_bytes(pdf.read_bytes())
    edited(loose, b"(Calmofen is a medicine for pain.)", b"(Calmofen is a medicine for gain.)")
    assert preflight_pdf(loose) == []
    edited(pdf, b"(Calmofen is a medicine for pain.)", b"(Calmofen is a medicine for gain.)")
    state_file = pdf.parent / STATE_NAME
    state = json.loads(state_file.read_text())
    del state["outputs"]["calmofen.pdf"]["options"]
    state_file.write_text(json.dumps(state))
    assert preflight_pdf(pdf) == []
    (tmp_path / "again").mkdir()
    built = built_library(tmp_path / "again")
    edited(built, b"(Calmofen is a medicine for pain.)", b"(Calmofen is a medicine for gain.)")
    source = tmp_path / "again" / "calmofen.yaml"
    source.write_text(source.read_text() + "\n", encoding="utf-8")
    assert preflight_pdf(built) == []


def test_check_dispatches_pdfs_and_prints_pages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that ``leaflet check`` preflights PDFs named and found in folders, printing
    ``file:page: level: message (hint)`` (and the page as ``line`` in JSON), with --max-pages."""
    (tmp_path / "folder").mkdir()
    sample_pdf(tmp_path / "folder")
    found = check_paths([tmp_path / "folder"], CheckOptions(max_pages=1))
    assert [(f.rule, f.diagnostic.line) for f in found] == [("pdf-pages", 2)]
    result = run_cli(capsys, "check", "--max-pages", "1", tmp_path / "folder")
    assert result.code == 0
    match = DIAGNOSTIC.match(result.out_lines[0])
    assert match is not None
    assert (match["path"], match["line"], match["level"]) == (str(tmp_path / "folder" / "sample.pdf"), "2", "warning")
    listed = json.loads(run_cli(capsys, "check", "--format", "json", "--max-pages", "1", tmp_path / "folder").out)
    assert [(f["rule"], f["line"], f["column"]) for f in listed] == [("pdf-pages", 2, None)]
    assert run_cli(capsys, "check", "--strict", "--max-pages", "1", tmp_path / "folder").code == 1
    assert run_cli(capsys, "check", "--max-pages", "0", tmp_path / "folder").code == 2


@pytest.mark.parametrize(
    "columns",
    [2.0, "2", True, None, 3],
    ids=["float", "string", "bool", "null", "out-of-range"],
)
def test_placement_skipped_for_damaged_recorded_options(tmp_path: Path, columns: object) -> None:
    """This test ensures that a state file whose recorded options are not what leaflet writes
    (``"columns": 2.0``, with a build key that matches them) skips the cross-check instead of raising
    an internal TypeError (issue 10, item 8)."""
    from leaflet.jobs.library import build_identity, build_key

    pdf = built_library(tmp_path)
    state_file = pdf.parent / STATE_NAME
    state = json.loads(state_file.read_text())
    entry = state["outputs"]["calmofen.pdf"]
    entry["options"]["columns"] = columns
    forged = BuildOptions(**entry["options"])  # the key a forger would compute for these options
    entry["key"] = build_key(Path(entry["source"]), build_identity(forged))
    state_file.write_text(json.dumps(state))
    assert preflight_pdf(pdf) == []
