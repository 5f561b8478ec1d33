"""The placement report against the PDF: every piece of text drawn where the report says, no page
without content, and no paragraph or list item split so that one line is left on its own."""

from __future__ import annotations

from collections import defaultdict

import pytest

from leaflet.report import Placement
from tests.layout.support import Options, inside, leaflet, matrix


@pytest.mark.parametrize(("name", "options"), matrix())
def test_every_character_lies_where_the_report_puts_its_block(name: str, options: Options) -> None:
    """This test ensures that every character of every title, heading, paragraph, lead-in and list item
    lies inside a rectangle the placement report gives that same block (same kind and source line),
    and that every reported rectangle has characters in it."""
    doc = leaflet(name, options)
    by_block: dict[tuple[str, int], list[Placement]] = defaultdict(list)
    for placement in doc.placements:
        by_block[(placement.kind, placement.line)].append(placement)
    stray = []
    for item in doc.located:
        boxes = by_block[(item.piece.kind, item.piece.line)]
        assert boxes, f"{item.piece.kind} on line {item.piece.line} is not in the placement report"
        for char in item.chars:
            slack = max(1.0, 0.06 * char.size)  # descenders may reach a little below a block's last line
            if not char.text.isspace() and not any(inside(char, box, doc.page_height, slack) for box in boxes):
                stray.append(f"{char.text!r} of {item.piece.kind} line {item.piece.line} (page {char.page})")
    assert not stray, f"{len(stray)} characters outside their block's reported box, e.g. {stray[:5]}"
    empty = [p for p in doc.placements if p.kind != "warning-box" and not doc.chars_in(p, slack=2.0)]
    assert not empty, f"reported blocks with nothing drawn in them: {empty[:3]}"


@pytest.mark.parametrize(("name", "options"), matrix())
def test_every_page_has_content(name: str, options: Options) -> None:
    """This test ensures that no page of the leaflet is empty apart from its running header and footer."""
    doc = leaflet(name, options)
    pages = {placement.page for placement in doc.placements}
    assert pages == set(range(1, doc.rendered.pages + 1))


@pytest.mark.parametrize(("name", "options"), matrix())
def test_no_split_leaves_a_single_line_behind(name: str, options: Options) -> None:
    """This test ensures that a paragraph, lead-in or list item that runs over a column, page or box
    break keeps at least two lines on each side of the break (no orphans, no widows)."""
    doc = leaflet(name, options)
    parts: dict[tuple[str, int, str], list[Placement]] = defaultdict(list)
    for placement in doc.placements:
        if placement.kind in ("paragraph", "lead", "item"):
            parts[(placement.kind, placement.line, placement.text)].append(placement)
    lone = [
        f"{kind} line {line}: parts of {[round(p.height / doc.scale.leading) for p in pieces]} lines"
        for (kind, line, _), pieces in parts.items()
        if len(pieces) > 1 and any(p.height < 2 * doc.scale.leading - 0.01 for p in pieces)
    ]
    assert not lone, "\n".join(lone)
    if name == "column_foot_heading.yaml" and options.name == "a4-2col":
        assert any(len(pieces) > 1 for pieces in parts.values()), "expected some paragraphs to split"
