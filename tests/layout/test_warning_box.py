"""The warning box: every character of the warning inside a drawn frame, on every part of a box that
splits, with "Continued" and "(continued)" marks where it breaks, each part within its column, and
no layout error however long the warning is."""

from __future__ import annotations

from typing import Any

import pytest

from leaflet import build_leaflet
from leaflet.layout.flowables import _short
from leaflet.layout.labels import labels_for
from leaflet.model import BulletList, Metadata, Monograph, Paragraph, Run, Section
from leaflet.report import Placement
from tests.layout.support import A4_2, ALL_OPTIONS, BULLET, Leaflet, Options, inside, key, leaflet, matrix
from tests.pdf_facts import Char

WITH_WARNING = [
    "sample",
    "seed",
    "long_warning.yaml",
    "long_warning.txt",
    "markup.yaml",
    "markup.txt",
    "greek.yaml",
    "russian.yaml",
    "long_tokens.yaml",
    "many_sections.txt",
    "emphasis.yaml",
    "column_foot_warning.yaml",
]
SPLITTING = ["long_warning.yaml", "long_warning.txt"]


def inner(part: Placement, doc: Leaflet) -> Placement:
    """The area inside the frame strokes of a box part."""
    width = doc.box_frame_width
    return Placement(
        part.kind, part.line, part.text, part.page, part.frame,
        part.x + width, part.y + width, part.width - 2 * width, part.height - 2 * width,
    )  # fmt: skip


def test_the_warning_fixtures_have_warnings() -> None:
    """This test ensures that every monograph the box tests run over really has a boxed warning, and
    that the long ones really split."""
    for name in WITH_WARNING:
        assert leaflet(name, ALL_OPTIONS[0]).warning_sections(), name
    for name in SPLITTING:
        assert max(len(parts) for parts in leaflet(name, ALL_OPTIONS[0]).box_parts().values()) >= 3, name


@pytest.mark.parametrize(("name", "options"), matrix(WITH_WARNING))
def test_every_character_of_the_warning_is_inside_its_box(name: str, options: Options) -> None:
    """This test ensures that every character of the warning section (heading, paragraphs, lead-ins,
    items, sub-headings) lies inside the frame of one part of its box, also when the box splits across
    columns and pages."""
    check_warning_inside_box(leaflet(name, options))


def check_warning_inside_box(doc: Leaflet) -> None:
    if not doc.warning_sections():
        return
    parts = [inner(part, doc) for parts in doc.box_parts().values() for part in parts]
    pieces = doc.warning_pieces()
    assert parts and pieces
    outside = []
    for item in pieces:
        for char in item.chars:
            if not char.text.isspace() and not any(inside(char, part, doc.page_height) for part in parts):
                outside.append(f"{char.text!r} of line {item.piece.line} at page {char.page} x={char.x0:.1f}")
    assert not outside, f"{len(outside)} characters outside the box, e.g. {outside[:5]}"


def _near(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance


def drawn_frame(doc: Leaflet, part: Placement) -> list[str]:
    """What is missing of the fill and four strokes that should draw ``part``."""
    page_height, stroke = doc.page_height, doc.box_frame_width
    left, right = part.x, part.x + part.width
    top, bottom = page_height - (part.y + part.height), page_height - part.y
    missing = []
    fills = [
        r
        for r in doc.rects(part.page)
        if r.get("fill")
        and _near(r["x0"], left, 1)
        and _near(r["x1"], right, 1)
        and _near(r["top"], top, 1)
        and _near(r["bottom"], bottom, 1)
    ]
    if not fills:
        missing.append("fill")
    lines = doc.lines(part.page)
    tolerance = stroke + 0.5

    def horizontal(y: float) -> bool:
        return any(
            _near(ln["top"], y, tolerance) and ln["x0"] <= left + tolerance and ln["x1"] >= right - tolerance
            for ln in lines
        )

    def vertical(x: float) -> bool:
        return any(
            _near(ln["x0"], x, tolerance) and ln["top"] <= top + tolerance and ln["bottom"] >= bottom - tolerance
            for ln in lines
        )

    missing += [side for side, ok in (("top", horizontal(top)), ("bottom", horizontal(bottom))) if not ok]
    missing += [side for side, ok in (("left", vertical(left)), ("right", vertical(right))) if not ok]
    return missing


@pytest.mark.parametrize(("name", "options"), matrix(WITH_WARNING))
def test_every_box_part_is_drawn_as_a_fill_and_four_strokes(name: str, options: Options) -> None:
    """This test ensures that, in the drawings read back from the PDF, each part of a warning
    box in the placement report is drawn: a filled rectangle and four stroked sides along its edges."""
    doc = leaflet(name, options)
    problems = []
    for parts in doc.box_parts().values():
        for part in parts:
            missing = drawn_frame(doc, part)
            if missing:
                problems.append(f"part on page {part.page} {part.frame}: no {', '.join(missing)}")
    assert not problems, "\n".join(problems)


def framing_fill(char: Char, rects: list[dict[str, Any]]) -> dict[str, Any] | None:
    for rect in rects:
        if (
            rect.get("fill")
            and rect["width"] > 60
            and rect["height"] > 10
            and rect["x0"] - 0.5 <= char.x0
            and char.x1 <= rect["x1"] + 0.5
            and rect["top"] - 0.5 <= char.top
            and char.bottom <= rect["bottom"] + 0.5
        ):
            return rect
    return None


@pytest.mark.parametrize(("name", "options"), matrix(WITH_WARNING))
def test_warning_characters_are_framed_in_the_drawing_itself(name: str, options: Options) -> None:
    """This test ensures that, from the PDF's drawings alone (no placement report), every character of the
    warning lies on a tinted rectangle whose four sides are stroked lines above, below, left and right
    of the character."""
    doc = leaflet(name, options)
    unframed = []
    for item in doc.warning_pieces():
        for char in item.chars:
            if char.text.isspace():
                continue
            rect = framing_fill(char, doc.rects(char.page))
            lines = doc.lines(char.page)
            framed = rect is not None and (
                any(ln["top"] <= char.top and ln["x0"] <= char.x0 and ln["x1"] >= char.x1 for ln in lines)
                and any(ln["top"] >= char.bottom and ln["x0"] <= char.x0 and ln["x1"] >= char.x1 for ln in lines)
                and any(ln["x0"] <= char.x0 and ln["top"] <= char.top and ln["bottom"] >= char.bottom for ln in lines)
                and any(ln["x0"] >= char.x1 and ln["top"] <= char.top and ln["bottom"] >= char.bottom for ln in lines)
            )
            if not framed:
                unframed.append(f"{char.text!r} (line {item.piece.line}, page {char.page})")
    assert not unframed, f"{len(unframed)} warning characters not framed, e.g. {unframed[:5]}"


@pytest.mark.parametrize(("name", "options"), matrix(WITH_WARNING))
def test_a_split_box_says_continued_at_every_break(name: str, options: Options) -> None:
    """This test ensures that a box split over columns or pages has a "Continued" mark at the foot of
    each part but the last (true to where the box goes on, if it names the next column or page), and
    its heading marked "Continued:" at the head of each part but the first; the first part starts
    with the heading itself."""
    check_continued_marks(leaflet(name, options))


def check_continued_marks(doc: Leaflet) -> None:
    labels = labels_for(doc.monograph.meta.language)  # the marks are in the leaflet's language
    headings = {section.line: section.heading for section in doc.warning_sections()}
    for line, parts in doc.box_parts().items():
        first = [p for p in doc.contained(parts[0], ("heading",)) if p.line == line]
        assert first and first[0].text == headings[line], f"first part does not start with {headings[line]!r}"
        for index, part in enumerate(parts):
            if index < len(parts) - 1:
                mark = "".join(c.text for c in doc.continuation_marks[(line, index)])
                assert mark in (labels.next_column, labels.next_page), (
                    f"part {index + 1} of {len(parts)} ends with {mark!r}"
                )
                following = parts[index + 1]
                if mark == "".join(labels.next_column.split()):
                    assert following.page == part.page, f"{mark!r}, but the box goes on on page {following.page}"
                if mark == "".join(labels.next_page.split()):
                    assert following.page == part.page + 1, f"{mark!r}, but the box goes on on page {following.page}"
                lowest = max(c.bottom for c in doc.continuation_marks[(line, index)])
                assert doc.page_height - part.y - lowest <= doc.box_inset + doc.scale.leading
            if index > 0:
                again = [p for p in doc.contained(part, ("continued-heading",)) if p.line == line]
                assert len(again) == 1, f"part {index + 1} of {len(parts)} has {len(again)} continued headings"
                top_gap = (part.y + part.height) - (again[0].y + again[0].height)
                assert top_gap <= doc.box_inset + 1, f"the continued heading is {top_gap:.1f} pt below the top"
                text = "".join(c.text for c in doc.chars_in(again[0], slack=1.0))
                assert text == "".join(labels.continued.format(heading=_short(headings[line])).split())


@pytest.mark.parametrize(("name", "options"), matrix(WITH_WARNING))
def test_box_parts_fit_their_column_and_cover_nothing_else(name: str, options: Options) -> None:
    """This test ensures that no part of a warning box is taller than its column or sticks out of it,
    and that no character other than the warning's own (and its marks) lies under a box."""
    check_parts_fit(leaflet(name, options))


def check_parts_fit(doc: Leaflet) -> None:
    page = doc.page
    column_height = page.body_top - page.body_bottom
    own = {id(char) for item in doc.warning_pieces() for char in item.chars} | doc.continuation_chars
    for parts in doc.box_parts().values():
        for part in parts:
            where = f"part on page {part.page} {part.frame}"
            assert part.height <= column_height + 0.01, f"{where} is {part.height} pt tall; columns are {column_height}"
            assert part.y >= page.body_bottom - 0.01, f"{where} reaches below the text area"
            assert part.y + part.height <= page.body_top + 0.01, f"{where} reaches above the text area"
            left = doc.column_lefts()[doc.column_of(part.x)]
            assert part.x >= left - 0.01, f"{where} starts left of its column"
            assert part.x + part.width <= left + page.column_width + 0.01, f"{where} sticks out of its column"
            foreign = [
                c.text
                for c in doc.chars_in(part, slack=-0.5)
                if id(c) not in own and c.text != BULLET and not c.text.isspace()
            ]
            assert not foreign, f"{where} covers other text: {''.join(foreign)[:80]!r}"


def sentence(index: int) -> str:
    """A different sentence for every index."""
    numbers = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    words = " ".join(numbers[int(d)] for d in str(index))
    return f"Sentence {words} of the warning says something that no other sentence says in quite this way."


def huge_warnings() -> dict[str, Section]:
    para = Paragraph((Run(" ".join(sentence(i) for i in range(120))),))
    many_items = BulletList(
        items=tuple(Paragraph((Run(f"Symptom {sentence(i)}"),)) for i in range(100)),
        lead=Paragraph((Run("Watch for all of these:"),)),
    )
    nested = Section(
        "Nested",
        warning=True,
        body=tuple(
            Section(
                f"Sub-heading {i}",
                body=(
                    Paragraph((Run(sentence(i)),)),
                    Section(f"Sub-sub-heading {i}", body=(Paragraph((Run(sentence(i + 500)),)),)),
                ),
            )
            for i in range(30)
        ),
    )
    return {
        "one paragraph several pages long": Section("Overdose", (para,), warning=True),
        "a list of 100 items": Section("Overdose", (many_items,), warning=True),
        "thirty nested sub-sections": nested,
        "a heading with an empty body": Section("Overdose with nothing under it", (), warning=True),
    }


HUGE = huge_warnings()


@pytest.mark.parametrize("case", sorted(HUGE))
def test_huge_warnings_build_without_layout_error(case: str) -> None:
    """This test ensures that however long a warning section is (a paragraph of several pages, a list of
    hundreds of items, dozens of nested sub-sections) or however short, every option set builds it
    without a LayoutError, and all of its text comes out in order in the A4 two-column leaflet."""
    monograph = Monograph(
        title="Huge warning",
        meta=Metadata(drug="Huge", language="en", revised="2024-01-01"),
        body=(
            Paragraph((Run("An opening paragraph before the warning."),)),
            HUGE[case],
            Paragraph((Run("A closing paragraph after the warning."),)),
        ),
    )
    for options in ALL_OPTIONS:
        rendered = build_leaflet(monograph, options.build_options())
        assert rendered.pages >= 1
        parts = [p for p in rendered.placements if p.kind == "warning-box"]
        assert parts, f"no box drawn with {options.name}"
    doc = Leaflet.of_monograph(monograph, A4_2, name=case)
    assert len(doc.located) == len([piece for piece in doc.pieces() if key(piece.text)])
    check_warning_inside_box(doc)
    check_continued_marks(doc)
    check_parts_fit(doc)
