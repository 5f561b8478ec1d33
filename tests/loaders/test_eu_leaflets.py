"""Real EU package leaflets in plain text (``../shared/samples/text/``, read from there, never copied): the QRD
skeleton in the leaflet's language, sub-headings under the right section, addresses never headings, tables
and numbered lists (issue 12, part 4). The built PDFs are checked in ``tests/layout/test_eu_samples.py``."""

from __future__ import annotations

import pytest

from leaflet.loaders.qrd import is_contact_line, qrd_section_number
from leaflet.loaders.text_importer import parse_text_monograph
from leaflet.model import BulletList, Monograph, Notice, Section, Table, iter_sections, plain
from tests.loaders.support import sections
from tests.samples import EU_TEXT_SAMPLES, NOT_HEADINGS, SUB_HEADINGS, import_sample


@pytest.mark.parametrize("sample", EU_TEXT_SAMPLES, ids=lambda p: p.name)
def test_the_six_numbered_sections_are_top_level_in_order(sample: object) -> None:
    """This test ensures that each sample's six numbered QRD sections, however long their heading, are
    top-level sections, in order, each once (a repeated "3." is a sub-heading of the first)."""
    monograph = import_sample(sample)
    numbers = [qrd_section_number(block.heading) for block in monograph.body if isinstance(block, Section)]
    assert [n for n in numbers if n is not None] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize("sample", EU_TEXT_SAMPLES, ids=lambda p: p.name)
def test_sub_headings_are_under_their_section(sample: object) -> None:
    """This test ensures that the sub-headings named for each sample sit under the numbered section they belong
    to ("4. Possible side effects" is not under "Pregnancy and breast-feeding", issue 12)."""
    monograph = import_sample(sample)
    for heading, number in SUB_HEADINGS[sample.name]:  # type: ignore[attr-defined]
        assert _section_holding(monograph, heading) == number, heading


@pytest.mark.parametrize("sample", EU_TEXT_SAMPLES, ids=lambda p: p.name)
def test_contents_list_is_numbered(sample: object) -> None:
    """This test ensures that the list under "What is in this leaflet" (in the leaflet's language) is a numbered
    list starting at 1 whose items name the sections."""
    monograph = import_sample(sample)
    contents = next(block for block in monograph.body if isinstance(block, Section))
    lists = [block for block in contents.body if isinstance(block, BulletList)]
    assert lists and lists[0].ordered and lists[0].start == 1
    assert len(lists[0].items) >= 6


@pytest.mark.parametrize("sample", EU_TEXT_SAMPLES, ids=lambda p: p.name)
def test_no_address_or_phone_line_is_a_heading(sample: object) -> None:
    """This test ensures that no heading holds a postcode, phone number, e-mail or web address, and that the
    address lines named for each sample (firm, street, town, country) are paragraphs."""
    monograph = import_sample(sample)
    headings = [section.heading for section in sections(monograph.body)]
    assert [heading for heading in headings if is_contact_line(heading)] == []
    for line in NOT_HEADINGS[sample.name]:  # type: ignore[attr-defined]
        assert line not in headings
    assert "This leaflet was last revised in" not in headings
    assert "Not all pack sizes may be marketed" not in headings


@pytest.mark.parametrize("sample", EU_TEXT_SAMPLES, ids=lambda p: p.name)
def test_the_overdose_section_is_the_warning(sample: object) -> None:
    """This test ensures that the one boxed warning is the overdose sub-section of section 3, in the leaflet's
    language ("If you take more X than you should", "Si toma más X del que debe")."""
    monograph = import_sample(sample)
    warnings = [section for _, section in iter_sections(monograph.body) if section.warning]
    assert len(warnings) == 1
    assert _section_holding(monograph, warnings[0].heading) == 3
    assert warnings[0].body


def test_local_representatives_are_a_table() -> None:
    """This test ensures that Karvea's ``|`` rows of local representatives are one two-column table, the
    country with a single firm (España) included as a row, and no row a heading."""
    monograph = import_sample(next(p for p in EU_TEXT_SAMPLES if p.name == "karvea_en.txt"))
    tables = [block for _, s in iter_sections(monograph.body) for block in s.body if isinstance(block, Table)]
    assert len(tables) == 1
    table = tables[0]
    assert table.columns == 2 and len(table.rows) == 15
    firsts = [plain(row[0].runs) for row in table.rows]
    assert firsts[0].startswith("België/Belgique/Belgien") and any(cell.startswith("España") for cell in firsts)
    assert table.line == 149


def test_black_triangle_line_is_the_additional_monitoring_notice() -> None:
    """This test ensures that Talzenna's line starting with ▼ is the additional-monitoring notice, before the
    contents, with the statement's text after the triangle."""
    monograph = import_sample(next(p for p in EU_TEXT_SAMPLES if p.name == "talzenna_uk_en.txt"))
    notices = [block for block in monograph.body if isinstance(block, Notice)]
    assert len(notices) == 1 and notices[0].kind == "additional-monitoring" and notices[0].line == 6
    assert plain(notices[0].runs).startswith("This medicine is subject to additional monitoring.")


def test_spanish_title_block_and_closing_lines_are_paragraphs() -> None:
    """This test ensures that Pentasa's title block ("Prospecto", "Mesalazina"), the product names by country
    ("Pentasa: Eslovenia") and the "O" (or) between two list items are not headings."""
    monograph = import_sample(next(p for p in EU_TEXT_SAMPLES if p.name == "pentasa_sobres_es.txt"))
    headings = [section.heading for section in sections(monograph.body)]
    for line in ("Prospecto", "Mesalazina", "Pentasa: Eslovenia", "Quintasa Sobres: Dinamarca", "O"):
        assert line not in headings


def test_numbered_steps_become_an_ordered_list() -> None:
    """This test ensures that numbered lines in a row ("1.", "2)") that are not QRD headings become one numbered
    list starting at the first number, with the number taken out of the items' text, a lead-in kept."""
    text = "Pen\nUsing the pen\nDo this:\n1. Wash your hands.\n2) Attach the needle.\n3. Dial 2 units\nThen inject.\n"
    monograph = parse_text_monograph(text, "pen.txt", language="en")
    section = monograph.body[0]
    assert isinstance(section, Section)
    steps = section.body[0]
    assert isinstance(steps, BulletList) and steps.ordered and steps.start == 1
    assert [plain(item.runs) for item in steps.items] == ["Wash your hands.", "Attach the needle.", "Dial 2 units"]
    assert steps.lead is not None and plain(steps.lead.runs) == "Do this:"


def test_a_lone_numbered_line_keeps_its_number() -> None:
    """This test ensures that a single numbered line that is no QRD heading is read by its shape, number and
    all (a paragraph here), not a one-item list."""
    monograph = parse_text_monograph("Pen\nOverdose\n2. Take one tablet a day.\n", "pen.txt", language="en")
    section = monograph.body[0]
    assert isinstance(section, Section)
    assert [plain(block.runs) for block in section.body if not isinstance(block, (Section, BulletList, Table))] == [
        "2. Take one tablet a day."
    ]


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("de", "3. Wie ist Ibuprofen AL einzunehmen?"),
        ("fr", "3. Comment prendre Doliprane"),
        ("it", "3. Come prendere Tachipirina"),
        ("pt", "3. Como tomar Ben-u-ron"),
        ("nl", "3. Hoe neemt u dit middel in?"),
        ("es", "3. Cómo tomar Pentasa"),
        ("en", "3. How to take Remsima 100 mg powder for concentrate for solution for infusion"),
    ],
)
def test_numbered_qrd_headings_in_each_language(language: str, heading: str) -> None:
    """This test ensures that section 3's heading is recognised in every language of the tables, and that the
    number must agree with the wording."""
    assert qrd_section_number(heading) == 3
    assert qrd_section_number(heading.replace("3.", "5.", 1)) is None


def _section_holding(monograph: Monograph, heading: str) -> int | None:
    """The number of the QRD section whose sub-tree holds the heading ``heading``."""
    for block in monograph.body:
        number = qrd_section_number(block.heading) if isinstance(block, Section) else None
        if number and any(section.heading == heading for _, section in iter_sections(block.body)):  # type: ignore[union-attr]
            return number
    return None


def test_a_triangle_without_the_statement_is_no_notice() -> None:
    """This test ensures that "▼ Calmofen" (a product name marked with the triangle) stays a line of text: only
    the additional-monitoring statement, in a language the tables know, becomes the notice."""
    text = "Calmofen\n▼ Calmofen\n▼ Este medicamento está sujeto a seguimiento adicional.\n"
    monograph = parse_text_monograph(text, "t.txt", language="es")
    [section] = monograph.body
    assert isinstance(section, Section) and section.heading == "▼ Calmofen"
    [notice] = section.body
    assert isinstance(notice, Notice) and plain(notice.runs).startswith("Este medicamento")
