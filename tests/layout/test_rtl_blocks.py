"""Tables, captions and notices in the shaped scripts (issue 11, part 3, with issue 12's blocks): table
cells, table and figure captions and notices are shaped and set in their direction like paragraphs; in a
right-to-left leaflet a table's first column stands on the right and its cells are aligned right. Read
back by poppler in order, and checked on the characters' positions."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from leaflet import BuildOptions, build_leaflet, load_monograph
from leaflet.report import Placement, Rendered
from tests.conftest import FIXTURES
from tests.layout.scripts_support import in_order, pdftotext, words
from tests.pdf_facts import Char, PdfFacts

HEADER = ("الوزن", "الجرعة", "ملاحظات")
ROWS = (
    ("أقل من 20 kg", "مرة واحدة يومياً مع الماء", "قبل الطعام"),
    ("من 20 إلى 40 kg", "مرتين يومياً 10 mg", "بعد الطعام"),
)
SPANNED = ("استشر طبيبك إذا كان الوزن أكثر من 40 kg", "لا شيء")
CAPTION, FIGURE_CAPTION = "الجرعة حسب وزن الجسم", "القلم بدون الغطاء. تصبح النافذة داكنة عند انتهاء الجرعة."
MONITORING, STATEMENT = "يخضع هذا الدواء لمراقبة إضافية.", "احفظ هذا الدواء بعيداً عن متناول الأطفال."
PARAGRAPH = "يُستخدم باكلوفين لعلاج تشنج العضلات الشديد."


def _yaml() -> str:
    rows = "".join(f"        - [{', '.join(row)}]\n" for row in ROWS)
    return (
        "title: باكلوفين 10 mg\nlanguage: ar\nrevised: 2026-12-01\nbody:\n"
        f"  - notice: {MONITORING}\n    kind: additional-monitoring\n  - {PARAGRAPH}\n"
        f"  - table:\n      caption: {CAPTION}\n      header: [{', '.join(HEADER)}]\n      rows:\n{rows}"
        f"        - [{{text: {SPANNED[0]}, span: 2}}, {SPANNED[1]}]\n"
        f"  - figure: pen.png\n    alt: القلم\n    caption: {FIGURE_CAPTION}\n  - notice: {STATEMENT}\n"
    )


def _built(tmp_path: Path) -> tuple[Rendered, PdfFacts]:
    (tmp_path / "pen.png").write_bytes((FIXTURES / "blocks" / "images" / "pen.png").read_bytes())
    source = tmp_path / "ar.yaml"
    source.write_text(_yaml(), encoding="utf-8")
    rendered = build_leaflet(load_monograph(source), BuildOptions(columns=1))
    return rendered, PdfFacts(rendered.pdf)


def test_poppler_reads_an_arabic_table_row_by_row_from_the_right(tmp_path: Path) -> None:
    """This test ensures that poppler reads the notice, the caption, then the table row by row, each row's
    cells from the right (the first column) to the left, then the figure's caption and the statement, word
    for word in reading order."""
    rendered, _ = _built(tmp_path)
    found, position = words(pdftotext(rendered.pdf, tmp_path)), 0
    cells = [cell for row in (HEADER, *ROWS, SPANNED) for cell in row]
    for piece in (MONITORING, PARAGRAPH, CAPTION, *cells, FIGURE_CAPTION, STATEMENT):
        end = in_order(words(piece), found, position)
        assert end is not None, (piece, found[position:])
        position = end


def _cell(rendered: Rendered, text: str) -> Placement:
    return next(place for place in rendered.placements if place.kind in ("cell", "header-cell") and place.text == text)


def _inside(chars: list[Char], place: Placement, page_height: float) -> list[Char]:
    top = page_height - place.y - place.height
    return [
        char
        for char in chars
        if char.page == place.page and place.x - 1 <= char.x0 and char.x1 <= place.x + place.width + 1
        if top - 1 <= char.top and char.bottom <= page_height - place.y + 1
    ]


def test_the_first_column_stands_on_the_right_and_cells_are_shaped_and_aligned_right(tmp_path: Path) -> None:
    """This test ensures that in an Arabic leaflet the table's first column is the rightmost, a cell spanning
    the first two columns covers the right of the table, every cell's text ends at its right edge, is drawn
    in Arabic joining forms (shaped, not isolated letters) and runs from right to left."""
    rendered, facts = _built(tmp_path)
    height = facts.pages[0].height
    first, last = _cell(rendered, HEADER[0]), _cell(rendered, HEADER[-1])
    assert first.x > last.x
    table = next(place for place in rendered.placements if place.kind == "table")
    spanned = _cell(rendered, SPANNED[0])
    assert spanned.x + spanned.width > first.x + first.width - 1 and spanned.x < first.x - 20
    assert abs(first.x + first.width - (table.x + table.width)) < 6
    for text in (*HEADER, *(cell for row in ROWS for cell in row), *SPANNED):
        place = _cell(rendered, text)
        chars = [char for char in _inside(facts.chars, place, height) if char.text.strip()]
        assert chars and abs(max(char.x1 for char in chars) - (place.x + place.width)) < 1.5, text
        letters = [char for char in chars if unicodedata.bidirectional(char.text[0]) == "AL"]
        assert any("\ufe70" <= char.text <= "\ufeff" for char in letters), text  # joining forms: shaped
        first_line = [char for char in letters if abs(char.top - letters[0].top) < 1]
        assert [char.x0 for char in first_line] == sorted((char.x0 for char in first_line), reverse=True), text


def test_captions_and_notices_are_shaped_and_set_from_the_right(tmp_path: Path) -> None:
    """This test ensures that a table's caption, a figure's caption and a notice in Arabic are shaped (joining
    forms) and end at the right of the column."""
    rendered, facts = _built(tmp_path)
    height = facts.pages[0].height
    for kind, text in (("caption", CAPTION), ("caption", FIGURE_CAPTION), ("notice", STATEMENT)):
        place = next(place for place in rendered.placements if place.kind == kind and place.text == text)
        chars = [char for char in _inside(facts.chars, place, height) if char.text.strip()]
        assert any("\ufe70" <= char.text <= "\ufeff" for char in chars), text
        assert abs(max(char.x1 for char in chars) - (place.x + place.width)) < 1.5, text
