"""SPL import into the content model: the patient section chosen, bold lines made headings by their shape,
the Medication Guide's most important information and the overdose advice boxed, pictures placed from
files beside the XML (missing ones reported), and hostile or unusable XML refused quickly.

The real labels are read from ``../shared/samples/spl`` (never copied; a test that needs pictures beside
one links to it from a temporary folder); the edge cases are small files in ``tests/fixtures/spl``.
"""

from __future__ import annotations

import io
import re
import shutil
import time
from pathlib import Path

import pytest
from PIL import Image

from leaflet.errors import ContentError, Diagnostic
from leaflet.loaders import load_monograph
from leaflet.model import BulletList, Figure, Monograph, Paragraph, Section, iter_sections, iter_text, plain

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "spl"
SAMPLES = Path(__file__).resolve().parents[2] / ".." / "shared" / "samples" / "spl"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples is not beside the project")


def load(path: Path) -> tuple[Monograph, list[Diagnostic]]:
    warnings: list[Diagnostic] = []
    return load_monograph(path, on_warning=warnings.append), warnings


def headings(monograph: Monograph) -> list[tuple[int, str]]:
    return [(depth, section.heading) for depth, section in iter_sections(monograph.body)]


def picture(kind: str) -> bytes:
    stream = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(stream, format=kind)
    return stream.getvalue()


def with_pictures(tmp_path: Path) -> Path:
    """The Medication Guide fixture in a folder with its one picture file (the other stays missing)."""
    target = tmp_path / "medguide.xml"
    shutil.copyfile(FIXTURES / "medguide.xml", target)
    (tmp_path / "bottle.png").write_bytes(picture("PNG"))
    return target


def test_a_medication_guide_has_its_headings_by_shape(tmp_path: Path) -> None:
    """This test ensures that short bold lines become headings, a bold sentence of 38 words does not, the
    opening bold lines are the title block, and the title is the product's brand and generic name."""
    monograph, _ = load(with_pictures(tmp_path))
    assert monograph.title == "TESTAMOL (testamol sodium)" and monograph.meta.drug == "TESTAMOL"
    assert monograph.meta.revised == "2024-01-15" and monograph.meta.language == "en"
    assert headings(monograph) == [
        (1, "What is the most important information I should know about TESTAMOL?"),
        (2, "Liver problems"),
        (1, "What is TESTAMOL?"),
        (1, "How should I take TESTAMOL?"),
        (2, "If you take too much TESTAMOL, call your doctor or Poison Control Center right away."),
    ]
    opening = [plain(block.runs) for block in monograph.body[:2] if isinstance(block, Paragraph)]
    assert opening == ["MEDICATION GUIDE", "TESTAMOL (test-a-mol) tablets"]
    what = next(s for _, s in iter_sections(monograph.body) if s.heading == "What is TESTAMOL?")
    assert isinstance(what.body[0], Paragraph) and all(run.bold for run in what.body[0].runs)


def test_the_most_important_information_and_the_overdose_item_are_boxed(tmp_path: Path) -> None:
    """This test ensures that the Medication Guide's first section is the box with its sub-heading inside,
    and that an overdose sentence inside a numbered list is boxed between the list's two parts, the
    numbering going on after it."""
    monograph, _ = load(with_pictures(tmp_path))
    important = monograph.body[3]
    assert isinstance(important, Section) and important.warning
    assert any(isinstance(b, Section) and b.heading == "Liver problems" for b in important.body)
    how = next(s for _, s in iter_sections(monograph.body) if s.heading.startswith("How should I"))
    first, box, rest = how.body[:3]
    assert isinstance(first, BulletList) and first.ordered and len(first.items) == 1
    assert isinstance(box, Section) and box.warning and not box.body
    assert isinstance(rest, BulletList) and rest.start == 3 and plain(rest.items[0].runs) == "Keep taking it every day."


def test_pictures_beside_the_xml_are_placed_and_missing_ones_reported(tmp_path: Path) -> None:
    """This test ensures that a renderMultiMedia whose file is beside the XML is a figure where it stands,
    with its media text as alt text and the "Figure A" line before it as caption; a missing file is named
    in one warning; a table keeps its header and superscript digits."""
    monograph, warnings = load(with_pictures(tmp_path))
    how = next(s for _, s in iter_sections(monograph.body) if s.heading.startswith("How should I"))
    figure = next(block for block in how.body if isinstance(block, Figure))
    assert figure.alt == "A hand holding the TESTAMOL bottle" and plain(figure.caption) == "Figure A"
    assert (figure.format, figure.width, figure.height) == ("png", 40, 30)
    (missing,) = [w for w in warnings if w.code == "import-pictures-not-placed"]
    assert "missing-cap.jpg" in missing.message and missing.message.startswith("1 picture not placed")
    cells = [piece.text for piece in iter_text(monograph) if piece.kind == "cell"]
    assert cells[:2] == ["Age", "Dose"] and "10 mg¹" in cells


def test_a_label_without_a_patient_section_is_a_clear_error(tmp_path: Path) -> None:
    """This test ensures that a label with only professional sections is refused at its body's line."""
    with pytest.raises(ContentError) as error:
        load_monograph(FIXTURES / "no_patient_section.xml")
    (diagnostic,) = error.value.diagnostics
    assert diagnostic.code == "spl-no-patient-section" and diagnostic.line == 5
    assert "Medication Guide" in diagnostic.message


@pytest.mark.parametrize("name", ["entity_bomb.xml", "external_entity.xml"])
def test_hostile_xml_is_refused_at_once(name: str) -> None:
    """This test ensures that XML declaring entities (a billion laughs, an external file) is refused at
    its DOCTYPE, before anything expands or is read, in well under a second."""
    started = time.perf_counter()
    with pytest.raises(ContentError) as error:
        load_monograph(FIXTURES / name)
    assert time.perf_counter() - started < 0.5
    (diagnostic,) = error.value.diagnostics
    assert diagnostic.code == "xml-doctype" and diagnostic.line == 2
    assert "root:" not in str(error.value)


def test_broken_xml_names_its_line(tmp_path: Path) -> None:
    """This test ensures that XML that is not well-formed is refused with its line and column."""
    path = tmp_path / "x.xml"
    path.write_text('<document xmlns="urn:hl7-org:v3">\n  <title>Open\n</document>\n', encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_monograph(path)
    (diagnostic,) = error.value.diagnostics
    assert diagnostic.code == "xml-syntax" and diagnostic.line == 3


@needs_samples
def test_humira_reads_its_medication_guide() -> None:
    """This test ensures that the Humira label gives its Medication Guide (not the prescribing
    information): the most important information boxed with "Cancer" inside, the overdose sentence boxed,
    the cross-reference "See “What is the most important ...”" left a bold line, and the 25 pictures it
    names (none beside the sample) reported in one warning."""
    monograph, warnings = load(SAMPLES / "openfda-humira-medguide.xml")
    boxes = [section for _, section in iter_sections(monograph.body) if section.warning]
    assert [box.heading for box in boxes] == [
        "What is the most important information I should know about HUMIRA?",
        "If you take more HUMIRA than you were told to take, call your doctor.",
    ]
    assert "Cancer" in [b.heading for b in boxes[0].body if isinstance(b, Section)]
    assert all(not heading.startswith("See ") for _, heading in headings(monograph))
    assert "INDICATIONS" not in " ".join(piece.text for piece in iter_text(monograph))
    (missing,) = [w for w in warnings if w.code == "import-pictures-not-placed"]
    assert missing.message.startswith("25 pictures not placed")


@needs_samples
def test_humira_places_its_25_pictures_when_they_are_beside_it(tmp_path: Path) -> None:
    """This test ensures that with the picture files beside the label (a link to the sample, never a
    copy) all 25 are placed, each after its "Figure X" caption line, in the instructions for use."""
    (tmp_path / "humira.xml").symlink_to((SAMPLES / "openfda-humira-medguide.xml").resolve())
    text = (SAMPLES / "openfda-humira-medguide.xml").read_text(encoding="utf-8")
    for name in sorted(set(re.findall(r'<reference value="([^"]+\.jpg)"', text))):
        (tmp_path / name).write_bytes(picture("JPEG"))
    monograph, warnings = load(tmp_path / "humira.xml")
    figures = [
        block for _, section in iter_sections(monograph.body) for block in section.body if isinstance(block, Figure)
    ]
    figures += [block for block in monograph.body if isinstance(block, Figure)]
    assert len(figures) == 25
    assert "import-pictures-not-placed" not in [w.code for w in warnings]
    assert sum(1 for f in figures if plain(f.caption).startswith("Figure ")) >= 20


@needs_samples
def test_lipitor_boxes_its_one_sentence_of_overdose_advice() -> None:
    """This test ensures that the Patient Package Insert (no sub-sections, bold lines as headings) gives
    its question headings at one level and boxes the overdose list item, one sentence and its follow-up."""
    monograph, _ = load(SAMPLES / "openfda-lipitor-orig-ppi.xml")
    top = [heading for depth, heading in headings(monograph) if depth == 1]
    assert top[:4] == [
        "What is LIPITOR?",
        "What is Cholesterol?",
        "Who Should Not Take LIPITOR?",
        "Before You Start LIPITOR",
    ]
    (box,) = [section for _, section in iter_sections(monograph.body) if section.warning]
    assert box.heading.startswith("If you take too much LIPITOR or overdose")
    assert [plain(b.runs) for b in box.body if isinstance(b, Paragraph)] == ["Or go to the nearest emergency room."]
    assert "LAB-0348-8.0 October 2012" not in [heading for _, heading in headings(monograph)]


def test_pictures_past_the_bounds_are_reported_not_placed(tmp_path: Path) -> None:
    """This test ensures that a label naming one picture 150 times gets 100 figures (the YAML loader's
    bound), the others reported as not placed."""
    media = (
        '<component><observationMedia ID="MM1"><value><reference value="p.png"/></value></observationMedia></component>'
    )
    steps = "".join(f'<paragraph>Step {n}.</paragraph><renderMultiMedia referencedObject="MM1"/>' for n in range(150))
    (tmp_path / "p.png").write_bytes(picture("PNG"))
    (tmp_path / "x.xml").write_text(
        '<document xmlns="urn:hl7-org:v3"><component><structuredBody><component><section>'
        f'<code code="42230-3"/><text>{steps}</text>{media}</section></component></structuredBody></component>'
        "</document>",
        encoding="utf-8",
    )
    monograph, warnings = load(tmp_path / "x.xml")
    assert sum(isinstance(block, Figure) for block in monograph.body) == 100
    (missing,) = [w for w in warnings if w.code == "import-pictures-not-placed"]
    assert missing.message.startswith("50 pictures not placed")
