"""The stress monographs stress what they are meant to: if a change of layout makes one of them miss
its case (a heading no longer near a column foot, a warning that no longer splits), these tests say
so, and the fixture needs re-tuning."""

from __future__ import annotations

from leaflet.model import BulletList, Section
from tests.layout.support import A4_2, A4_LARGE, SOURCES, leaflet
from tests.layout.test_text import MARKUP


def test_the_long_warning_runs_over_columns_and_pages_with_structure_inside() -> None:
    """This test ensures that long_warning.yaml's box splits into parts on at least two pages (A4, two
    columns; more in large print) and that the warning holds sub-headings two levels deep and
    lists with lead-ins."""
    doc = leaflet("long_warning.yaml", A4_2)
    (parts,) = doc.box_parts().values()
    assert len(parts) >= 4 and len({part.page for part in parts}) >= 2
    assert len({part.page for part in leaflet("long_warning.yaml", A4_LARGE).box_parts()[parts[0].line]}) >= 5
    (warning,) = doc.warning_sections()
    depths = {depth for depth, section in doc.sections() if section is not warning and _within(warning, section)}
    assert depths >= {2, 3}
    leads = [block for block in _blocks(warning) if isinstance(block, BulletList) and block.lead is not None]
    assert len(leads) >= 3
    text = [piece.text for piece in doc.pieces()]
    assert len(text) == len(set(text)), "a sentence repeats"


def test_many_sections_has_over_forty_nested_sections() -> None:
    """This test ensures that many_sections.yaml has more than forty sections nested two, three and four
    levels deep (one of them empty), and many_sections.txt more than forty in groups."""
    sections = leaflet("many_sections.yaml", A4_2).sections()
    assert len(sections) > 40
    assert {depth for depth, _ in sections} == {1, 2, 3, 4}
    assert any(not section.body for _, section in sections)
    text_sections = leaflet("many_sections.txt", A4_2).sections()
    assert len(text_sections) > 40 and {depth for depth, _ in text_sections} == {1, 2}


def test_column_foot_candidates_put_a_heading_at_a_column_foot() -> None:
    """This test ensures that each column_foot_*.yaml monograph (A4, two columns) has a heading or
    lead-in either within five lines of the foot of a column, or moved to the top of the next column
    although the column before it had room for the heading alone."""
    doc_names = [name for name in SOURCES if name.startswith("column_foot_")]
    assert len(doc_names) >= 3
    for name in doc_names:
        doc = leaflet(name, A4_2)
        bottom, leading = doc.page.body_bottom, doc.scale.leading
        hit = False
        placements = doc.placements
        for index, placement in enumerate(placements):
            if placement.kind not in ("heading", "lead") or index == 0:
                continue
            previous = placements[index - 1]
            near_foot = placement.y - bottom <= 5 * leading
            moved = (previous.page, previous.frame) != (placement.page, placement.frame) and (
                previous.y - bottom >= placement.height + leading
            )
            hit = hit or near_foot or moved
        assert hit, f"{name} no longer puts a heading near a column foot"


def test_the_markup_fixtures_hold_every_markup_string() -> None:
    """This test ensures that both markup monographs contain every markup string the text tests look for."""
    for name in ("markup.yaml", "markup.txt"):
        source = SOURCES[name].read_text(encoding="utf-8")
        assert all(text in source for text in MARKUP), name


def test_the_script_fixtures_are_greek_and_cyrillic_throughout() -> None:
    """This test ensures that greek.yaml and russian.yaml have their title, headings (one in capitals
    ending in final-sigma position) and warning in their script, with the right language tag."""
    greek, russian = leaflet("greek.yaml", A4_2), leaflet("russian.yaml", A4_2)
    assert greek.monograph.meta.language == "el" and russian.monograph.meta.language == "ru"
    assert any(section.heading.isupper() and section.heading.endswith("Σ") for _, section in greek.sections())
    for doc, letter in ((greek, "α"), (russian, "о")):
        assert letter in doc.monograph.title.lower()
        assert all(letter in section.heading.lower() for section in doc.warning_sections())


def _blocks(section: Section) -> list[object]:
    found: list[object] = []
    for block in section.body:
        found.append(block)
        if isinstance(block, Section):
            found.extend(_blocks(block))
    return found


def _within(outer: Section, inner: Section) -> bool:
    return any(block is inner for block in _blocks(outer))
