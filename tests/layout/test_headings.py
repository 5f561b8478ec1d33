"""Headings: set apart (bold and larger than the body), never stranded at the foot of a column or page,
and where the placement report says they are."""

from __future__ import annotations

import pytest

from leaflet.report import Placement
from tests.layout.support import Leaflet, Options, inside, is_bold, leaflet, matrix, split_lines

HEADING_KINDS = ("heading", "continued-heading")


def max_gap(doc: Leaflet) -> float:
    """Largest gap allowed between a heading and what follows it: two body lines."""
    return 2 * doc.scale.leading


NO_BOLD_FACE = ("NotoSansMath-Regular", "NotoSansSymbols2-Regular")
"""Fallback fonts with no bold face (issue 11): their signs (≥ → ▼) keep their one weight in a heading."""


def next_content(placements: tuple[Placement, ...], index: int) -> Placement | None:
    """The placement drawn after ``placements[index]``, skipping box frames (reported after their content)."""
    for placement in placements[index + 1 :]:
        if placement.kind != "warning-box":
            return placement
    return None


@pytest.mark.parametrize(("name", "options"), matrix())
def test_headings_are_bold_and_larger_than_body_text(name: str, options: Options) -> None:
    """This test ensures that every heading's characters are in a bold face and larger than body text."""
    doc = leaflet(name, options)
    headings = doc.located_kind("heading")
    assert headings or name == "markup.txt"
    for item in headings:
        chars = [c for c in item.chars if not c.text.isspace()]
        letters = [c for c in chars if not c.font.endswith(NO_BOLD_FACE)]
        assert all(is_bold(c.font) for c in letters), f"not bold: {item.piece.text!r} {sorted({c.font for c in chars})}"
        smallest = min(c.size for c in chars)
        assert smallest > doc.scale.body + 0.4, f"{item.piece.text!r} is {smallest} pt; body is {doc.scale.body} pt"


@pytest.mark.parametrize(("name", "options"), matrix())
def test_headings_are_never_stranded(name: str, options: Options) -> None:
    """This test ensures that, in the placement report, the block drawn after every heading (also the
    repeated heading of a split warning box) is on the same page, in the same frame, and directly
    below it: no heading is left alone at the foot of a column or page."""
    doc = leaflet(name, options)
    placements = doc.placements
    stranded = []
    for index, heading in enumerate(placements):
        if heading.kind not in HEADING_KINDS:
            continue
        following = next_content(placements, index)
        if following is None:
            continue  # the very last block of the leaflet: nothing to keep it with
        gap = heading.y - (following.y + following.height)
        if (following.page, following.frame) != (heading.page, heading.frame) or not -0.5 <= gap <= max_gap(doc):
            stranded.append(
                f"{heading.kind} {heading.text!r} (page {heading.page} {heading.frame}, y={heading.y}) is followed by "
                f"{following.kind} {following.text[:40]!r} (page {following.page} {following.frame}, "
                f"top={following.y + following.height:.2f})"
            )
    assert not stranded, "\n".join(stranded)


@pytest.mark.parametrize(("name", "options"), matrix())
def test_heading_characters_match_the_report_and_lead_into_the_next_block(name: str, options: Options) -> None:
    """This test ensures that, from the characters themselves, every heading lies within the rectangle
    the placement report gives it, and that the first character of the text after it is on the same
    page, in the same column, below the heading's last line."""
    doc = leaflet(name, options)
    located = doc.located
    checked = 0
    for index, item in enumerate(located):
        if item.piece.kind != "heading":
            continue
        reported = [p for p in doc.of_kind("heading") if p.line == item.piece.line and p.text == item.piece.text]
        assert len(reported) == 1, f"{item.piece.text!r} reported {len(reported)} times"
        placement = reported[0]
        outside = [c.text for c in item.chars if not c.text.isspace() and not inside(c, placement, doc.page_height, 1)]
        assert not outside, f"{item.piece.text!r}: characters outside its reported box: {outside}"
        if index + 1 == len(located):
            continue
        last_line = split_lines(item.chars)[-1]
        first = next(c for c in located[index + 1].chars if not c.text.isspace())
        assert first.page == last_line[0].page, f"{item.piece.text!r} ends page {last_line[0].page}"
        assert doc.column_of(first.x0) == doc.column_of(last_line[0].x0), f"{item.piece.text!r} ends its column"
        assert 0 <= first.top - last_line[0].bottom <= max_gap(doc) + doc.scale.leading
        checked += 1
    assert checked or name == "markup.txt"
