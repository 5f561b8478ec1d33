"""Every ePI and SPL sample of ``../shared/samples`` imported and built through the command line, and the
PDF read back: every sentence of the source in order (poppler's pdftotext, against an independent
reading of the source, :mod:`tests.structured_text`), the overdose text inside the warning box, headings
in the outline at their depth, tables with their header, pictures where the source has them, and the
language in ``/Lang``. The samples are read where they are, never copied.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from leaflet import load_monograph
from leaflet.model import Figure, Section, Table, iter_sections, plain
from tests.cli.helpers import run_cli
from tests.conftest import build
from tests.layout.support import A4_2, Leaflet
from tests.pdf_facts import PdfFacts
from tests.structured_text import sentences, words

SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples"
EPI = sorted((SAMPLES / "epi").glob("*")) if (SAMPLES / "epi").is_dir() else []
SPL = sorted((SAMPLES / "spl").glob("*.xml")) if (SAMPLES / "spl").is_dir() else []
ALL = EPI + SPL
OVERDOSE_TEXT = {
    "gh-focusing-manager-karvea-en.json": "If you accidentally take too many tablets, contact your doctor immediately.",
    "aemps-61863-entocord-es.xml": "En caso de sobredosis o ingestión accidental, consultar al Servicio",
    "openfda-humira-medguide.xml": "If you take more HUMIRA than you were told to take, call your doctor.",
    "openfda-lipitor-orig-ppi.xml": "Or go to the nearest emergency room.",
}
"""Text each sample's overdose advice holds (the HL7 paracetamol example has none)."""
pytestmark = pytest.mark.skipif(not ALL, reason="../shared/samples is not beside the project")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


@pytest.mark.parametrize("source", ALL, ids=lambda p: p.name)
def test_every_sample_builds_and_imports(source: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that `leaflet build X.json|X.xml` makes a PDF and `leaflet import` a YAML monograph
    that loads, with the same title and language."""
    built = run_cli(capsys, "build", source, "-o", tmp_path / "x.pdf")
    assert built.code == 0, built.err
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF-")
    imported = run_cli(capsys, "import", source, "-o", tmp_path / "x.yaml")
    assert imported.code == 0, imported.err
    written = yaml.safe_load((tmp_path / "x.yaml").read_text(encoding="utf-8"))
    monograph = load_monograph(source)
    assert written["title"] == monograph.title and written["language"] == monograph.meta.language


@needs_poppler
@pytest.mark.parametrize("source", ALL, ids=lambda p: p.name)
def test_every_source_sentence_is_in_the_pdf_in_order(source: Path, tmp_path: Path) -> None:
    """This test ensures that pdftotext (content-stream order) reads every sentence of the source's
    patient leaflet, word for word and in order (running header, footer and box marks may come between)."""
    rendered, _ = build(source)
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(rendered.pdf)
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    extracted = words(text)
    position = 0
    expected = sentences(source)
    assert len(expected) > 20  # the walk found the leaflet
    for sentence in expected:
        found = _find(extracted, words(sentence), position)
        assert found is not None, f"not found in order: {sentence[:100]!r}"
        position = found + len(words(sentence))


def _find(haystack: list[str], needle: list[str], start: int) -> int | None:
    """Where ``needle`` starts in ``haystack`` at or after ``start``; a few words (running header and
    footer, box marks) may come between two of its words, and a word may come in up to three pieces (a
    long word broken in a narrow table cell: "België/Belgique/Belgi" "en")."""
    for begin in range(start, len(haystack)):
        if not needle[0].startswith(haystack[begin]):
            continue
        at, matched = begin, 0
        while matched < len(needle) and at < len(haystack) and at - begin - matched <= 40:
            pieces = next((n for n in (1, 2, 3) if "".join(haystack[at : at + n]) == needle[matched]), 0)
            if pieces:
                matched += 1
                at += pieces
            else:
                at += 1
        if matched == len(needle):
            return begin
    return None


@pytest.mark.parametrize("source", [p for p in ALL if p.name in OVERDOSE_TEXT], ids=lambda p: p.name)
def test_the_warning_box_holds_the_overdose_text(source: Path) -> None:
    """This test ensures that the overdose advice is drawn inside a warning box's frame."""
    rendered, facts = build(source)
    leaflet = Leaflet(source.name, A4_2, load_monograph(source), rendered, facts)
    inside = [
        " ".join(plain_text for plain_text in (p.text for p in leaflet.contained(part)))
        for part in leaflet.of_kind("warning-box")
    ]
    wanted = words(OVERDOSE_TEXT[source.name])
    assert any(_find(words(text), wanted, 0) is not None for text in inside), inside


@pytest.mark.parametrize("source", ALL, ids=lambda p: p.name)
def test_headings_tables_pictures_and_language_in_the_pdf(source: Path) -> None:
    """This test ensures that every heading is in the outline at its section's depth, every table's
    header and every picture is placed, and /Lang is the leaflet's language."""
    monograph = load_monograph(source)
    rendered, facts = build(source)
    outline = facts.outline
    for depth, section in iter_sections(monograph.body):
        assert (depth, section.heading) in [(d, " ".join(t.split())) for d, t in outline] or (
            depth,
            section.heading,
        ) in outline, section.heading
    tables = [b for b in _blocks(monograph.body) if isinstance(b, Table)]
    for table in tables:
        for cell in table.header:
            assert _find(words(facts.text), words(plain(cell.runs)), 0) is not None
    figures = [b for b in _blocks(monograph.body) if isinstance(b, Figure)]
    assert len([p for p in rendered.placements if p.kind == "figure"]) == len(figures)
    assert str(facts.reader.trailer["/Root"]["/Lang"]) == monograph.meta.language


def _blocks(blocks: tuple) -> list:
    found = []
    for block in blocks:
        found.append(block)
        if isinstance(block, Section):
            found.extend(_blocks(block.body))
    return found


def test_entocord_places_its_nine_pictures_in_section_3_and_5() -> None:
    """This test ensures that the Spanish ePI's nine inline base64 pictures are placed, eight in "3. Cómo
    usar Entocord" (the instructions) and the SIGRE sign in "5. Conservación", after its sentence."""
    source = SAMPLES / "epi" / "aemps-61863-entocord-es.xml"
    rendered, _ = build(source)
    figures = [p for p in rendered.placements if p.kind == "figure"]
    assert len(figures) == 9
    headings = [p for p in rendered.placements if p.kind == "heading"]
    order = sorted([*figures, *headings], key=lambda p: rendered.placements.index(p))
    kinds = [p.text if p.kind == "heading" else "figure" for p in order]
    section_3, section_5 = kinds.index("3. Cómo usar Entocord"), kinds.index("5. Conservación de Entocord")
    section_4 = kinds.index("4. Posibles efectos adversos")
    assert kinds[section_3:section_4].count("figure") == 8
    assert kinds[section_5:].count("figure") == 1


def test_a_facts_reader_sees_the_language(tmp_path: Path) -> None:
    """This test ensures that the Spanish ePI is built with Spanish labels and /Lang es."""
    rendered, facts = build(SAMPLES / "epi" / "aemps-61863-entocord-es.xml")
    assert str(facts.reader.trailer["/Root"]["/Lang"]) == "es"
    assert "Página 1 de" in PdfFacts(rendered.pdf).text


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize(
    ("name", "code", "line"),
    [("spl/no_patient_section.xml", "spl-no-patient-section", 5), ("spl/entity_bomb.xml", "xml-doctype", 2)],
)
def test_an_unusable_file_is_a_user_error_with_its_line(
    name: str, code: str, line: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """This test ensures that `build` and `import` refuse a label with no patient section, or hostile XML,
    with file:line, the code and exit status 2, no traceback and no output file."""
    source = FIXTURES / name
    for command, target in (("build", tmp_path / "x.pdf"), ("import", tmp_path / "x.yaml")):
        result = run_cli(capsys, command, source, "-o", target)
        assert result.code == 2, result.err
        assert f"{source}:{line}:" in result.err and f"error[{code}]" in result.err
        assert "Traceback" not in result.err and not target.exists()
