"""Page geometry: the exact paper size, nothing within 15 mm of a paper edge, every line inside its
column (or its box), and no two characters drawn over each other."""

from __future__ import annotations

import pytest

from tests.layout.support import (
    A4_2,
    LETTER_1,
    LETTER_LARGE,
    MARGIN,
    PAPER_POINTS,
    Leaflet,
    Options,
    leaflet,
    matrix,
    sources_with,
    split_lines,
)
from tests.pdf_facts import Char


@pytest.mark.parametrize(("name", "options"), matrix())
def test_every_page_is_exactly_the_paper_asked_for(name: str, options: Options) -> None:
    """This test ensures that every page is exactly A4 (595.28 x 841.89 pt) or US Letter (612 x 792 pt)."""
    width, height = PAPER_POINTS[options.paper]
    sizes = leaflet(name, options).facts.page_sizes
    assert sizes
    for number, (w, h) in enumerate(sizes, start=1):
        assert abs(w - width) < 0.01 and abs(h - height) < 0.01, f"page {number} is {w} x {h}, not {options.paper}"


def too_close(doc: Leaflet, chars: list[Char]) -> list[str]:
    """Lines of ``chars`` with a character closer than 15 mm to a paper edge, and by how much."""
    width, height = doc.page.width, doc.page.height
    found = {}
    for char in chars:
        if char.text.isspace():
            continue
        worst = min(char.x0, width - char.x1, char.top, height - char.bottom)
        if worst < MARGIN - 0.01:
            where = (char.page, round(char.bottom, 1))
            found[where] = min(found.get(where, worst), worst)
    return [f"page {page}, line at {bottom} pt from the top: {MARGIN - worst:.2f} pt into the margin"
            for (page, bottom), worst in sorted(found.items())]  # fmt: skip


@pytest.mark.parametrize(("name", "options"), matrix())
def test_body_characters_keep_15mm_from_every_paper_edge(name: str, options: Options) -> None:
    """This test ensures that no character of the title block, the text and the warning boxes (the glyph
    box, from the left of its advance to the right, from its descent to its ascent) comes closer than
    15 mm to any edge of the paper, even for a long URL or an unbroken word."""
    doc = leaflet(name, options)
    problems = too_close(doc, [c for c in doc.chars if not doc.in_running_bands(c)])
    assert not problems, "\n".join(problems[:8])


@pytest.mark.parametrize(
    ("name", "options"), sources_with(A4_2, ["sample", "seed"]) + sources_with(LETTER_1, ["sample"])
)
def test_running_header_and_footer_keep_15mm_from_every_paper_edge(name: str, options: Options) -> None:
    """This test ensures that the running header and footer, descenders included, also stay 15 mm from
    the paper edges."""
    doc = leaflet(name, options)
    problems = too_close(doc, doc.running_chars)
    assert not problems, "\n".join(problems[:8])


def column_bounds(doc: Leaflet, line: list[Char], boxed: bool) -> tuple[float, float]:
    """Left and right edge of the column (or the box inside it) where ``line`` starts."""
    left = doc.column_lefts()[doc.column_of(line[0].x0)]
    right = left + doc.page.column_width
    if boxed:
        return left + doc.box_inset, right - doc.box_inset
    return left, right


@pytest.mark.parametrize(("name", "options"), matrix())
def test_every_line_stays_inside_its_column(name: str, options: Options) -> None:
    """This test ensures that every line of every heading, paragraph, lead-in and list item lies within the
    column it starts in (and within the padding of the box, inside a warning), so that a long URL or
    unbroken word never runs into the next column, out of its box or off the page."""
    doc = leaflet(name, options)
    boxed = {id(item) for item in doc.warning_pieces()}
    problems = []
    for item in doc.located_kind("heading", "paragraph", "lead", "item"):
        for line in split_lines(item.chars):
            left, right = column_bounds(doc, line, id(item) in boxed)
            over = max(c.x1 for c in line) - right
            under = left - min(c.x0 for c in line)
            if over > 0.5 or under > 0.5:
                text = "".join(c.text for c in line)
                how = f"ends {over:.1f} pt past its right edge" if over > 0.5 else f"starts {under:.1f} pt left of it"
                problems.append(f"{item.piece.kind} line {item.piece.line}, page {line[0].page}: {text[:50]!r} {how}")
    title_right = doc.page.width - doc.page.side_margin
    for item in doc.located_kind("title"):
        assert max(c.x1 for c in item.chars) <= title_right + 0.5, "the title runs past the right margin"
    assert not problems, "\n".join(problems[:8])


def overlaps(chars: list[Char]) -> list[tuple[Char, Char]]:
    """Pairs of characters on one page whose boxes overlap by more than 0.3 pt across and a third of
    the smaller one's height."""
    cell = 24.0
    grid: dict[tuple[int, int, int], list[Char]] = {}
    for char in chars:
        if char.text.isspace() or char.x1 <= char.x0:
            continue
        for column in range(int(char.x0 // cell), int(char.x1 // cell) + 1):
            for row in range(int(char.top // cell), int(char.bottom // cell) + 1):
                grid.setdefault((char.page, column, row), []).append(char)
    found: dict[tuple[int, int], tuple[Char, Char]] = {}
    for members in grid.values():
        for index, a in enumerate(members):
            for b in members[index + 1 :]:
                across = min(a.x1, b.x1) - max(a.x0, b.x0)
                down = min(a.bottom, b.bottom) - max(a.top, b.top)
                if across > 0.3 and down > min(a.bottom - a.top, b.bottom - b.top) / 3:
                    found[(id(a), id(b))] = (a, b)
    return sorted(found.values(), key=lambda pair: (pair[0].page, pair[0].top, pair[0].x0))


@pytest.mark.parametrize(("name", "options"), matrix())
def test_no_two_characters_are_drawn_over_each_other(name: str, options: Options) -> None:
    """This test ensures that no two characters anywhere on a page (text, headings, bullets, box marks,
    running header and footer) overlap, so no words collide."""
    doc = leaflet(name, options)
    found = overlaps(doc.chars)
    shown = [f"page {a.page}: {a.text!r} at x={a.x0:.1f} over {b.text!r} at x={b.x0:.1f}, top {a.top:.1f}"
             for a, b in found[:6]]  # fmt: skip
    assert not found, f"{len(found)} overlapping pairs:\n" + "\n".join(shown)


@pytest.mark.parametrize(("name", "options"), sources_with(LETTER_LARGE, ["long_tokens.yaml"]))
def test_a_long_drug_name_does_not_run_into_the_header_label(name: str, options: Options) -> None:
    """This test ensures that a drug name long enough to fill the running header (a combination product
    in large print on Letter) neither runs into the header's label nor past the right margin."""
    doc = leaflet(name, options)
    header = [c for c in doc.running_chars if c.top < doc.page.height / 2 and c.page == 1]
    assert not overlaps(header), "the drug name and the label are drawn over each other"
    assert max(c.x1 for c in header) <= doc.page.width - MARGIN + 0.01
