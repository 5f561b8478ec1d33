"""ePI import (FHIR JSON and XML) into the content model: the leaflet picked from a collection, sections
and headings, the XHTML's blocks, the overdose warning, what is dropped and reported, and refusals.

The real samples are read from ``../shared/samples/epi`` (never copied); the edge cases are small
hand-written files in ``tests/fixtures/epi``.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from leaflet.errors import ContentError, Diagnostic
from leaflet.loaders import load_monograph
from leaflet.model import (
    BulletList,
    Figure,
    ListItem,
    Monograph,
    Paragraph,
    Section,
    Table,
    iter_sections,
    iter_text,
    plain,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "epi"
SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "epi"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples is not beside the project")


def load(path: Path) -> tuple[Monograph, list[Diagnostic]]:
    warnings: list[Diagnostic] = []
    return load_monograph(path, on_warning=warnings.append), warnings


def sections(monograph: Monograph) -> dict[str, Section]:
    return {section.heading: section for _, section in iter_sections(monograph.body)}


def warnings_of(monograph: Monograph) -> list[Section]:
    return [section for _, section in iter_sections(monograph.body) if section.warning]


def test_a_collection_gives_the_leaflet_not_the_smpc() -> None:
    """This test ensures that from a collection holding an SmPC and a package leaflet the leaflet
    (Composition type 100000155538) is read, titled by its product, dated by its Composition."""
    monograph, _ = load(FIXTURES / "collection_smpc_pil.json")
    text = " ".join(piece.text for piece in iter_text(monograph))
    assert "Professional text" not in text
    assert monograph.title == "Testamol 10 mg tablets" and monograph.meta.drug == "Testamol 10 mg tablets"
    assert monograph.meta.language == "en" and monograph.meta.revised == "2025-03-02"
    assert list(sections(monograph))[:2] == ["1. What Testamol is and what it is used for", "3. How to take Testamol"]


def test_the_xhtml_becomes_lists_tables_and_emphasis() -> None:
    """This test ensures that an ordered list with a nested list, a table with its header row and a
    spanning cell, and italic text come through."""
    monograph, _ = load(FIXTURES / "collection_smpc_pil.json")
    how = sections(monograph)["3. How to take Testamol"]
    steps = next(block for block in how.body if isinstance(block, BulletList))
    assert steps.ordered and [plain(item.runs) for item in steps.items] == ["Wash your hands.", "Swallow the tablet"]
    nested = steps.items[1]
    assert isinstance(nested, ListItem) and nested.sublist is not None
    assert [plain(item.runs) for item in nested.sublist.items] == ["with water", "with food"]
    table = next(block for block in how.body if isinstance(block, Table))
    assert [plain(cell.runs) for cell in table.header] == ["Weight", "Dose"]
    assert table.rows[1][0].colspan == 2 and plain(table.rows[1][0].runs) == "Ask your doctor for children."
    what = sections(monograph)["1. What Testamol is and what it is used for"]
    paragraph = what.body[0]
    assert isinstance(paragraph, Paragraph) and any(run.italic and run.text == "made-up" for run in paragraph.runs)


def test_a_paragraph_led_by_the_overdose_words_is_boxed() -> None:
    """This test ensures that "If you take more X than you should, ..." as a plain paragraph becomes the
    warning box, in its place inside section 3."""
    monograph, _ = load(FIXTURES / "collection_smpc_pil.json")
    (box,) = warnings_of(monograph)
    assert box.heading == "If you take more Testamol than you should, talk to your doctor at once."
    how = sections(monograph)["3. How to take Testamol"]
    assert box in how.body


def test_dropped_markup_is_counted_in_one_warning_and_unknown_text_kept() -> None:
    """This test ensures that inline styles, placeholders, empty paragraphs and unknown elements are
    reported together in one warning, and the text of an unknown element is still printed."""
    monograph, warnings = load(FIXTURES / "collection_smpc_pil.json")
    dropped = [w for w in warnings if w.code == "import-dropped-markup"]
    assert len(dropped) == 1
    message = dropped[0].message
    assert "1 inline style" in message and "template leftover" in message and "<blink> x1" in message
    assert "Old markup stays as text." in [piece.text for piece in iter_text(monograph)]
    assert "XXXXXXXXXXXX" not in " ".join(piece.text for piece in iter_text(monograph))


def test_a_title_that_swallowed_its_text_is_split_and_reported() -> None:
    """This test ensures that "Driving and using machinesTestamol has no effect ..." becomes the heading
    "Driving and using machines" over the paragraph, with a warning."""
    monograph, warnings = load(FIXTURES / "collection_smpc_pil.json")
    driving = sections(monograph)["Driving and using machines"]
    assert [plain(block.runs) for block in driving.body if isinstance(block, Paragraph)] == [
        "Testamol has no effect on driving."
    ]
    assert [w.code for w in warnings].count("epi-title-split") == 1


def test_the_xml_form_reads_like_the_json_form() -> None:
    """This test ensures that FHIR XML is read: sections nest, the overdose section (by its QRD code) is
    the box, and elements keep their lines."""
    monograph, _ = load(FIXTURES / "leaflet.xml")
    how = sections(monograph)["3. How to take Testamol"]
    (box,) = warnings_of(monograph)
    assert box.heading == "If you take more Testamol than you should" and box in how.body
    assert box.line == 18 and box.body[0].line == 23 and monograph.meta.revised == "2025-03-02"


def test_an_smpc_only_bundle_is_refused() -> None:
    """This test ensures that a bundle without a package leaflet is a clear error naming what it holds."""
    with pytest.raises(ContentError) as error:
        load_monograph(FIXTURES / "smpc_only.json")
    (diagnostic,) = error.value.diagnostics
    assert diagnostic.code == "epi-no-leaflet" and "SmPC" in diagnostic.message


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ('{"resourceType": "Bundle",\n "entry": [,]}', "json-syntax", 2),
        ("title: Baclofen\nlanguage: en\n", "json-syntax", 1),
        ('[{"not": "fhir"}]', "file-unknown-format", 1),
    ],
)
def test_json_that_is_not_an_epi_is_refused_with_its_line(tmp_path: Path, text: str, code: str, line: int) -> None:
    """This test ensures that broken JSON, YAML in a .json file and JSON that is not FHIR are refused with
    a code and the line."""
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_monograph(path)
    (diagnostic,) = error.value.diagnostics
    assert (diagnostic.code, diagnostic.line) == (code, line)


def test_xml_that_is_neither_fhir_nor_spl_is_refused(tmp_path: Path) -> None:
    """This test ensures that an XML file of another kind is named as such, at its root's line."""
    path = tmp_path / "x.xml"
    path.write_text('<?xml version="1.0"?>\n<html><body>Hi</body></html>\n', encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_monograph(path)
    (diagnostic,) = error.value.diagnostics
    assert diagnostic.code == "file-unknown-format" and diagnostic.line == 2 and "<html>" in diagnostic.message


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    """This test ensures that an ePI file over 16 MiB is refused by its size."""
    path = tmp_path / "x.json"
    with path.open("wb") as stream:
        stream.truncate(16 * 1024 * 1024 + 1)
    with pytest.raises(ContentError) as error:
        load_monograph(path)
    assert error.value.diagnostics[0].code == "file-too-large"


@needs_samples
def test_karvea_boxes_its_overdose_part_and_normalises_its_decomposed_text() -> None:
    """This test ensures that in the Karvea ePI (every section with the document's code) the bold line
    "If you take more Karvea than you should" inside section 3 becomes the box with its text, and the
    table's decomposed Greek and Cyrillic come out composed (NFC)."""
    monograph, _ = load(SAMPLES / "gh-focusing-manager-karvea-en.json")
    (box,) = warnings_of(monograph)
    assert box.heading == "If you take more Karvea than you should"
    assert plain(box.body[0].runs).startswith("If you accidentally take too many tablets")  # type: ignore[union-attr]
    assert box in sections(monograph)["3. How to take Karvea"].body
    assert all(unicodedata.is_normalized("NFC", piece.text) for piece in iter_text(monograph))
    cells = [piece.text for piece in iter_text(monograph) if piece.kind == "cell"]
    assert any(text.startswith("Ελλάδα") for text in cells) and any(text.startswith("България") for text in cells)


@needs_samples
def test_entocord_reads_the_spanish_leaflet_of_the_collection() -> None:
    """This test ensures that the AEMPS collection gives the Spanish leaflet: titled by its product, the
    overdose sub-section boxed, template options cleaned from a title, swallowed titles split, nine
    pictures placed."""
    monograph, warnings = load(SAMPLES / "aemps-61863-entocord-es.xml")
    assert monograph.title == "Entocord 2 mg comprimido y disolvente para suspensión rectal"
    assert monograph.meta.language == "es"
    (box,) = warnings_of(monograph)
    assert box.heading == "Si usa más Entocord del que debe"
    found = sections(monograph)
    assert "2. Qué necesita saber antes de empezar a usar Entocord" in found
    assert "Embarazo y lactancia" in found and "Conducción y uso de máquinas" in found
    assert [w.code for w in warnings].count("epi-title-split") == 3
    text = " ".join(piece.text for piece in iter_text(monograph))
    assert "Ficha técnica" not in text and "<tomar>" not in text
    figures = [block for _, section in iter_sections(monograph.body) for block in section.body]
    assert sum(isinstance(block, Figure) for block in figures) == 9


@needs_samples
def test_paracetamol_repeats_no_title_and_warns_of_no_overdose() -> None:
    """This test ensures that the HL7 example's six QRD sections are top-level headings, each title printed
    once (the div repeats it as <h3>), and that its lack of an overdose section is reported."""
    monograph, warnings = load(SAMPLES / "hl7-epi-type1-paracetamol-en.json")
    top = [block.heading for block in monograph.body if isinstance(block, Section)]
    assert len(top) == 6 and top[0].startswith("1. What Paracetamol")
    headings = [piece.text for piece in iter_text(monograph) if piece.kind == "heading"]
    assert len(headings) == len(set(headings))
    assert all(not isinstance(block, Section) or block.body for block in monograph.body)
    assert "import-no-overdose-section" in [w.code for w in warnings]


def _deep_sections(depth: int) -> dict:
    section: dict = {"title": "Deepest", "text": {"div": '<div xmlns="http://www.w3.org/1999/xhtml"><p>x</p></div>'}}
    for level in range(depth):
        section = {"title": f"Level {level}", "section": [section]}
    return {"resourceType": "Composition", "language": "en", "section": [{"title": "1. A", "section": [section]}]}


@pytest.mark.parametrize(
    ("resource", "code"),
    [
        ({"resourceType": "Bundle", "entry": ["x", 5, None]}, "epi-no-leaflet"),
        ({"resourceType": "Composition", "section": [{"text": {"div": "<div><p>open</div>"}}]}, "xml-syntax"),
        (_deep_sections(30), "import-too-deep"),
        ({"resourceType": "Composition", "section": ["oops", {"text": {"div": 7}}]}, "import-empty"),
    ],
    ids=["entries-not-resources", "broken-xhtml", "sections-30-deep", "sections-not-objects"],
)
def test_malformed_fhir_is_refused_not_a_crash(tmp_path: Path, resource: dict, code: str) -> None:
    """This test ensures that JSON shaped unlike FHIR (strings for resources and sections, a div that is
    not XML, sections nested 30 deep) is a user error with a code, never an exception of leaflet's."""
    path = tmp_path / "x.json"
    path.write_text(json.dumps(resource), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_monograph(path)
    assert error.value.diagnostics[0].code == code
