"""Tests of the layout of tables, numbered and nested lists, figures and notices (issue 12), read back from
the PDF: text order (pdfplumber and poppler's ``pdftotext``), geometry against the column, the header of
a split table on every page, pictures as image XObjects, the black triangle under the title.

``tests/fixtures/blocks/pen.yaml`` holds every construct: a 70-row table that splits over columns and
pages, steps nested in bullets nested in steps, pictures (PNG with alpha, a tall JPEG), notices.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from leaflet import BuildOptions, build_leaflet, load_monograph
from leaflet.report import Placement, Rendered
from leaflet.style import style_for
from tests.conftest import FIXTURES, build
from tests.pdf_facts import PdfFacts, norm

PEN = FIXTURES / "blocks" / "pen.yaml"
OPTIONS = [
    pytest.param({}, id="a4-2col"),
    pytest.param({"columns": 1, "paper": "letter"}, id="letter-1col"),
    pytest.param({"large_print": True}, id="large-print"),
]
HEAD = "title: Pen\nlanguage: en\nrevised: 2026-12-01\nbody:\n"


def placed(rendered: Rendered, kind: str) -> list[Placement]:
    return [placement for placement in rendered.placements if placement.kind == kind]


def column_bounds(options: dict[str, object], placement: Placement) -> tuple[float, float]:
    """Left and right edges of the text column (or the title frame) ``placement`` landed in."""
    page = style_for(BuildOptions(**options)).page  # type: ignore[arg-type]
    if placement.frame == "title" or page.columns == 1:
        return page.margin, page.width - page.margin
    index = int(placement.frame.removeprefix("column") or 1) - 1
    left = page.margin + index * (page.column_width + page.column_gap)
    return left, left + page.column_width


def build_text(tmp_path: Path, body: str, **options: object) -> tuple[Rendered, PdfFacts]:
    source = tmp_path / "monograph.yaml"
    source.write_text(HEAD + body, encoding="utf-8")
    rendered = build_leaflet(load_monograph(source), BuildOptions(**options))  # type: ignore[arg-type]
    return rendered, PdfFacts(rendered.pdf)


def pdftotext(pdf: bytes, tmp_path: Path, *pages: int) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(["pdftotext", *span, str(path), "-"], capture_output=True, check=True, text=True).stdout


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed")


# --- tables ------------------------------------------------------------------------------------


@needs_poppler
def test_a_table_reads_in_row_order_with_pdftotext(tmp_path: Path) -> None:
    """This test ensures that poppler reads a table row by row, each row's cells left to right, caption first."""
    body = """  - table:
      caption: Dose by body weight
      header: [Weight, Dose]
      rows:
        - [Under 20 kg, "**5 mg** once a day"]
        - [20 kg to 40 kg, 10 mg once a day]
        - [{text: See your doctor above 40 kg, span: 2}]
"""
    rendered, _ = build_text(tmp_path, body, columns=1)
    words = " ".join(pdftotext(rendered.pdf, tmp_path).split())
    expected = (
        "Dose by body weight Weight Dose Under 20 kg 5 mg once a day 20 kg to 40 kg 10 mg once a day See your doctor"
    )
    assert expected in words


@pytest.mark.parametrize("options", OPTIONS)
def test_every_cell_is_inside_its_column_and_its_text_inside_the_cell(options: dict[str, object]) -> None:
    """This test ensures that no table is wider than its column and every character of a cell is drawn
    inside the box the placement report gives that cell (long words broken, not overflowing)."""
    rendered, facts = build(PEN, **options)
    tables, cells = placed(rendered, "table"), placed(rendered, "cell") + placed(rendered, "header-cell")
    assert tables and len(cells) > 140
    for box in tables + cells:
        left, right = column_bounds(options, box)
        assert left - 0.01 <= box.x and box.x + box.width <= right + 0.01, box
    page_height = facts.pages[0].height
    for cell in cells:
        chars = [
            char
            for char in facts.chars
            if char.page == cell.page
            and cell.x - 0.5 <= char.x0
            and char.x1 <= cell.x + cell.width + 0.5
            and page_height - (cell.y + cell.height) - 0.5 <= char.top
            and char.bottom <= page_height - cell.y + 0.5
        ]
        assert norm(cell.text) in norm("".join(char.text for char in chars)), cell


@pytest.mark.parametrize("options", OPTIONS)
def test_a_long_table_repeats_its_header_on_every_part_and_never_splits_a_row(options: dict[str, object]) -> None:
    """This test ensures that the 70-row table splits over columns and pages, that each part starts with
    the header row, and that no row is cut in two."""
    rendered, facts = build(PEN, **options)
    rows = [cell for cell in placed(rendered, "cell") if "row " in cell.text and "kg" not in cell.text]
    parts = {(cell.page, cell.frame) for cell in rows}
    assert len({page for page, _ in parts}) >= 2, "the long table should run over two pages"
    headers = {(cell.page, cell.frame) for cell in placed(rendered, "header-cell") if cell.text == "Body weight"}
    assert parts <= headers
    texts = [cell.text for cell in rows]
    assert len(texts) == len(set(texts)) == 70  # every row drawn once, whole
    for number in {page for page, _ in parts}:
        page_text = norm("".join(char.text for char in facts.chars if char.page == number))
        assert "bodyweight" in page_text
    in_order = [int(text.rsplit(" ", 1)[1]) for text in texts]
    assert in_order == list(range(1, 71))


def test_the_header_row_is_shaded_and_bold(tmp_path: Path) -> None:
    """This test ensures that the header row is set in the bold face on a tint, and that the table has rules."""
    body = "  - table:\n      header: [Weight, Dose]\n      rows:\n        - [Under 20 kg, 5 mg]\n"
    rendered, facts = build_text(tmp_path, body)
    weight = [char for char in facts.chars if char.text == "W"]
    assert weight and all("Bold" in char.font for char in weight)
    under = [char for char in facts.chars if char.text == "U"]
    assert under and not any("Bold" in char.font for char in under)
    fills = [
        rect for rect in facts.rects(1) if rect.get("fill") and rect["non_stroking_color"] not in (None, (1, 1, 1))
    ]
    header = placed(rendered, "header-cell")[0]
    assert any(abs(rect["x0"] - placed(rendered, "table")[0].x) < 1 for rect in fills), header
    assert len(facts.lines(1)) >= 3


def test_a_row_taller_than_a_column_is_split_inside(tmp_path: Path) -> None:
    """This test ensures that a row taller than a whole column is broken inside (the only way it can be
    printed) instead of failing the build, and every word of it is printed."""
    long_text = " ".join(f"word{index}" for index in range(1500))
    body = f"  - table:\n      header: [Step, What to do]\n      rows:\n        - [One, {long_text}]\n"
    rendered, facts = build_text(tmp_path, body)
    assert rendered.pages >= 2
    drawn = norm("".join(char.text for char in facts.chars))
    assert all(f"word{index}" in drawn for index in (0, 750, 1499))


# --- lists ---------------------------------------------------------------------------------------


@needs_poppler
def test_steps_are_numbered_in_order_and_nested_lists_marked(tmp_path: Path) -> None:
    """This test ensures that steps print 1. 2. 3. in order (``start`` honoured), nested steps a. b., and
    nested bullets with an en dash, all read in order by poppler."""
    body = """  - steps:
      - Wash your hands.
      - text: Check the pen.
        list: [The label., The date.]
      - text: Inject.
        steps: [Pinch the skin., Push the button.]
  - steps: [Wait., Remove the pen.]
    start: 9
"""
    rendered, _ = build_text(tmp_path, body, columns=1)
    words = " ".join(pdftotext(rendered.pdf, tmp_path).split())
    expected = (
        "1. Wash your hands. 2. Check the pen. \u2013 The label. \u2013 The date. 3. Inject. a. Pinch the skin. "
        "b. Push the button. 9. Wait. 10. Remove the pen."
    )
    assert expected in words


def test_numbers_are_right_aligned_and_nested_items_indented(tmp_path: Path) -> None:
    """This test ensures that the numbers of a list end at the same x (9. and 10.), that the items' text
    starts at the same x, and that a nested item's text starts further right than its parent's."""
    items = "\n".join(f"      - Step {word}." for word in ("one", "two", "three"))
    body = f"  - steps:\n{items}\n      - text: Step four.\n        list: [Nested.]\n    start: 8\n"
    _, facts = build_text(tmp_path, body, columns=1)
    chars = facts.chars
    dots = [char for index, char in enumerate(chars) if char.text == "." and chars[index - 1].text.isdigit()]
    assert len(dots) == 4 and max(dot.x1 for dot in dots) - min(dot.x1 for dot in dots) < 0.5
    starts = [char.x0 for index, char in enumerate(chars) if char.text == "S" and chars[index + 1].text == "t"]
    assert len(starts) == 4 and max(starts) - min(starts) < 0.01
    nested = next(char.x0 for index, char in enumerate(chars) if char.text == "N" and chars[index + 1].text == "e")
    assert nested > starts[0] + 5


def test_lists_nested_four_deep_lay_out_inside_the_column() -> None:
    """This test ensures that steps in bullets in steps of the fixture stay inside the column."""
    rendered, _ = build(PEN)
    for item in placed(rendered, "item"):
        left, right = column_bounds({}, item)
        assert left - 0.01 <= item.x and item.x + item.width <= right + 0.01


# --- figures -------------------------------------------------------------------------------------


@pytest.mark.parametrize("options", OPTIONS)
def test_figures_are_image_xobjects_inside_the_column_at_most_half_its_height(options: dict[str, object]) -> None:
    """This test ensures that each picture is an image XObject of its own pixel size, drawn inside the
    column where the placement report says, with its aspect kept and at most half a column high."""
    rendered, facts = build(PEN, **options)
    figures = placed(rendered, "figure")
    assert len(figures) == 3
    page = style_for(BuildOptions(**options)).page  # type: ignore[arg-type]
    column_height = page.body_top - page.reminder_height - page.body_bottom
    sizes = {(300, 180), (1600, 500), (600, 1400)}
    images = [image for pdf_page in facts.pages for image in pdf_page.images]
    assert {tuple(image["srcsize"]) for image in images} == sizes
    for figure in figures:
        left, right = column_bounds(options, figure)
        assert left - 0.01 <= figure.x and figure.x + figure.width <= right + 0.01
        assert figure.height <= column_height / 2 + 0.01
        image = next(
            image
            for image in facts.pages[figure.page - 1].images
            if abs(image["x0"] - figure.x) < 0.5 and abs(image["width"] - figure.width) < 0.5
        )
        assert abs(image["height"] - figure.height) < 0.5
        width, height = image["srcsize"]
        assert abs(figure.width / figure.height - width / height) < 0.01


def test_a_caption_is_printed_under_its_picture() -> None:
    """This test ensures that a figure's caption is in the same column, right under the picture."""
    rendered, _ = build(PEN)
    figure = placed(rendered, "figure")[0]
    caption = next(c for c in placed(rendered, "caption") if c.line == figure.line)
    assert (caption.page, caption.frame) == (figure.page, figure.frame)
    assert 0 <= figure.y - (caption.y + caption.height) < 12


# --- notices -------------------------------------------------------------------------------------


@needs_poppler
@pytest.mark.parametrize("options", OPTIONS)
def test_the_black_triangle_statement_comes_first_under_the_title(options: dict[str, object], tmp_path: Path) -> None:
    """This test ensures that the additional-monitoring notice, written inside section 1, is printed first
    under the title, after a ▼ drawn from Noto Sans Symbols 2, and once."""
    rendered, facts = build(PEN, **options)
    text = pdftotext(rendered.pdf, tmp_path, 1)
    triangle = text.index("\u25bc")
    assert text.count("\u25bc") == 1
    assert text.index("pre-filled pen") < triangle < text.index("Examplumab is a synthetic")
    assert " ".join(text[triangle + 1 :].split()).startswith("This medicine is subject to additional monitoring.")
    drawn = next(char for char in facts.chars if char.text == "\u25bc")
    assert "Symbols2" in drawn.font
    notice = placed(rendered, "notice")[0]
    assert notice.frame == "title" and notice.page == 1


def test_a_statement_is_set_apart_in_a_panel_where_it_stands() -> None:
    """This test ensures that a plain statement stays where it is written, in a tinted panel with its text
    inside it."""
    rendered, _ = build(PEN)
    statement = next(n for n in placed(rendered, "notice") if n.text.startswith("Keep this medicine"))
    panel = next(p for p in placed(rendered, "notice-box") if p.line == statement.line)
    assert panel.x <= statement.x and statement.x + statement.width <= panel.x + panel.width
    assert panel.y <= statement.y and statement.y + statement.height <= panel.y + panel.height
    heading = next(p for p in rendered.placements if p.kind == "heading" and p.text.startswith("5."))
    assert (heading.page, heading.frame) == (panel.page, panel.frame) and heading.y > panel.y


def test_a_table_in_a_warning_box_splits_with_the_box_and_repeats_its_header(tmp_path: Path) -> None:
    """This test ensures that a long table inside a warning box goes over columns and pages with the box,
    each part of the box holding the header row, and every cell inside the box's frame."""
    rows = "\n".join(f'            - [Row {index}, "**{index} mg** then wait"]' for index in range(1, 90))
    body = (
        "  - warning: If you use more than you should\n    body:\n      - steps: [Call your doctor.]\n"
        f"      - table:\n          header: [Row, Dose]\n          rows:\n{rows}\n  - After the box.\n"
    )
    rendered, _ = build_text(tmp_path, body)
    boxes = placed(rendered, "warning-box")
    cells = placed(rendered, "cell")
    assert len(boxes) >= 3 and len({cell.page for cell in cells}) == 2
    headers = {(cell.page, cell.frame) for cell in placed(rendered, "header-cell") if cell.text == "Row"}
    assert {(cell.page, cell.frame) for cell in cells} <= headers
    for cell in cells:
        box = next(box for box in boxes if (box.page, box.frame) == (cell.page, cell.frame))
        assert box.x < cell.x and cell.x + cell.width < box.x + box.width
        assert box.y < cell.y and cell.y + cell.height < box.y + box.height
