"""Leaflets in Arabic, Persian, Urdu, Hebrew, Hindi and Bengali (issue 11, part 3): read back by poppler in
reading order, fonts embedded, right-to-left lines set from the right inside their columns with their
letters placed right to left, the warning sign on the right, labels in the language, nothing imported
for a Latin leaflet."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

from leaflet import BuildOptions, build_leaflet, load_monograph
from leaflet.layout.label_texts import LABEL_TEXTS
from leaflet.style import style_for
from tests.conftest import ROOT, SAMPLE
from tests.layout.scripts_support import (
    FONTS,
    LANGUAGES,
    RTL_LANGUAGES,
    TEXTS,
    built,
    in_order,
    monograph_path,
    pdftotext,
    source_texts,
    words,
)
from tests.pdf_facts import Char


@pytest.mark.parametrize("language", LANGUAGES)
def test_pdftotext_reads_every_word_in_reading_order(language: str, tmp_path: Path) -> None:
    """This test ensures that poppler reads the title, heading, paragraphs, list items and warning of a leaflet
    in each shaped script word for word in the order they are written (numbers and Latin words included),
    with the labels of the language and no private-use character."""
    rendered, _ = built(language)
    text = pdftotext(rendered.pdf, tmp_path)
    found, position = words(text), 0
    for piece in source_texts(language):
        end = in_order(words(piece), found, position)
        assert end is not None, (language, piece, found[position:])
        position = end
    assert not re.search("[\ue000-\uf8ff]", text)
    _header, subtitle, *_ = LABEL_TEXTS[language]
    assert in_order(words(subtitle), found) is not None


@pytest.mark.parametrize("language", LANGUAGES)
def test_script_fonts_are_embedded(language: str) -> None:
    """This test ensures that the script's Noto font is embedded (subset) and every font of the leaflet is."""
    _, facts = built(language)
    assert any(FONTS[language] in name for name in facts.font_names), facts.font_names
    assert not facts.unembedded_fonts()


def _lines(chars: list[Char]) -> dict[tuple[int, float], list[Char]]:
    """The characters of each text line (page, baseline bottom rounded), in content-stream order."""
    lines: dict[tuple[int, float], list[Char]] = defaultdict(list)
    for char in chars:
        if unicodedata.category(char.text[:1] or " ") not in ("Mn", "Co"):  # marks sit above or below the line
            lines[(char.page, round(char.bottom))].append(char)
    return lines


def _is_rtl_letter(text: str) -> bool:
    return len(text) == 1 and unicodedata.bidirectional(text) in ("R", "AL")


@pytest.mark.parametrize("language", RTL_LANGUAGES)
def test_right_to_left_letters_run_from_right_to_left(language: str) -> None:
    """This test ensures that along every line of a right-to-left leaflet the letters of the right-to-left
    script, taken in reading order, stand further and further left (pdfplumber's characters)."""
    _, facts = built(language)
    checked = 0
    for line in _lines(facts.chars).values():
        letters = [char for char in line if _is_rtl_letter(char.text)]
        for before, after in itertools.pairwise(letters):
            assert after.x0 < before.x0 + 0.01, (language, before, after)
            checked += 1
    assert checked > 100


@pytest.mark.parametrize("language", RTL_LANGUAGES)
def test_right_to_left_lines_end_at_the_right_of_their_column(language: str) -> None:
    """This test ensures that a right-to-left leaflet's first column is the right-hand one, that every body line
    lies inside its column, and that the lines of paragraphs and headings end at the column's right edge."""
    rendered, facts = built(language)
    page = style_for(BuildOptions()).page
    columns = [(page.margin, page.margin + page.column_width)]
    columns.append((columns[0][1] + page.column_gap, page.width - page.margin))
    first = next(placement for placement in rendered.placements if placement.kind == "paragraph")
    below_title = page.height - first.y - first.height - 1  # from the top, where the columns start
    body = [chars for chars in _lines(facts.chars).values() if _in_body(chars, below_title)]
    assert len(body) > 10
    first_line = min(body, key=lambda chars: chars[0].top)
    assert min(char.x0 for char in first_line) > columns[1][0] - 0.5  # the first column is on the right
    for chars in body:
        left, right = columns[1] if max(char.x1 for char in chars) > page.width / 2 else columns[0]
        assert min(char.x0 for char in chars) >= left - 0.5, chars
        assert max(char.x1 for char in chars) <= right + 0.5, chars
    checked = 0
    boxes = [placement for placement in rendered.placements if placement.kind == "warning-box"]
    for placement in rendered.placements:
        if placement.kind not in ("paragraph", "heading", "lead") or any(
            box.page == placement.page
            and box.x <= placement.x <= box.x + box.width
            and box.y <= placement.y <= box.y + box.height
            for box in boxes
        ):
            continue  # in the warning box, the heading leaves room for the sign
        top, bottom = page.height - placement.y - placement.height, page.height - placement.y
        for chars in body:
            if chars[0].page == placement.page and top <= chars[0].top and chars[0].bottom <= bottom + 1:
                assert abs(max(char.x1 for char in chars) - (placement.x + placement.width)) < 0.6, (placement, chars)
                checked += 1
    assert checked >= 8


def _in_body(chars: list[Char], below_title: float) -> bool:
    """A line of the columns: below the title block on page 1 (the header on later pages), above the footer."""
    return (below_title if chars[0].page == 1 else 60) < chars[0].top < 780


def test_warning_sign_stands_right_of_the_heading_in_a_right_to_left_leaflet() -> None:
    """This test ensures that the warning box's sign is drawn at the box's right, beside the heading's start."""
    rendered, facts = built("ar")
    box = next(placement for placement in rendered.placements if placement.kind == "warning-box")
    signs = [curve for curve in facts.pages[box.page - 1].curves if curve["x1"] > box.x + box.width - 30]
    assert signs, "no warning sign at the right of the box"
    sign = signs[0]
    beside = [
        char
        for char in facts.chars
        if char.page == box.page
        and char.top < sign["bottom"]
        and char.bottom > sign["top"]
        and _is_rtl_letter(char.text)
    ]
    assert beside, "no heading beside the sign"
    assert sign["x0"] > max(char.x1 for char in beside), (sign, beside)
    assert sign["x1"] <= box.x + box.width


@pytest.mark.parametrize("language", LANGUAGES)
def test_mixed_paragraph_keeps_latin_and_numbers_left_to_right(language: str) -> None:
    """This test ensures that "Baclofen" and "10 mg" inside a paragraph of another script are drawn left to
    right (each letter right of the one before) and read back whole."""
    _rendered, facts = built(language)
    latin = [char for char in facts.chars if char.text in "Baclofen"]
    stream = "".join(char.text for char in facts.chars)
    start = stream.find("Baclofen", stream.find("Baclofen") + 1)  # the first is the running header
    assert start > 0
    word = facts.chars[start : start + len("Baclofen")]
    assert all(after.x0 > before.x0 for before, after in itertools.pairwise(word)), word
    assert latin


SHAPING_MODULES = ("bidi", "leaflet.text.shaping", "leaflet.text.glyph_draw", "leaflet.layout.shaped_paragraph")


JAPANESE = (
    "title: バクロフェン錠\nlanguage: ja\nrevised: 2026-11-24\nbody:\n"
    "  - バクロフェンは筋肉の緊張をやわらげる薬です。\n"
)


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_latin_or_cjk_leaflet_imports_no_shaping(language: str, tmp_path: Path) -> None:
    """This test ensures that building the English sample or a Japanese leaflet loads neither leaflet's shaping
    nor the bidi algorithm: leaflets that need neither do not pay for them. (reportlab itself imports
    uharfbuzz whenever it is installed: its ``ttfonts`` module tries to at import, some 7 ms a process.)"""
    source = SAMPLE
    if language == "ja":
        source = tmp_path / "ja.yaml"
        source.write_text(JAPANESE, encoding="utf-8")
    code = (
        "import sys\nfrom leaflet import build_leaflet, load_monograph\n"
        f"build_leaflet(load_monograph({str(source)!r}))\n"
        f"print(sorted(name for name in sys.modules if name.startswith({SHAPING_MODULES!r})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]", result.stdout


def test_an_arabic_plain_text_leaflet_is_detected_and_labelled(tmp_path: Path) -> None:
    """This test ensures that a plain-text Arabic monograph without --language is detected as Arabic, its
    overdose section becomes the warning box, and its labels are Arabic."""
    title, first, heading, paragraph, _, _, warning, warning_text = TEXTS["ar"]
    source = tmp_path / "ar.txt"
    source.write_text(
        f"{title}\n{first}\n{heading}\n{paragraph.replace('**', '')}\n{warning}\n{warning_text}\n", encoding="utf-8"
    )
    monograph = load_monograph(source)
    assert monograph.meta.language == "ar"
    rendered = build_leaflet(monograph)
    assert any(placement.kind == "warning-box" for placement in rendered.placements)
    assert LABEL_TEXTS["ar"][0] in pdftotext(rendered.pdf, tmp_path)


@pytest.mark.parametrize("language", LANGUAGES)
def test_leaflets_in_shaped_scripts_are_deterministic(language: str) -> None:
    """This test ensures that building a shaped leaflet twice gives the same bytes."""
    rendered, _ = built(language)
    again = build_leaflet(load_monograph(monograph_path(language)))
    assert again.pdf == rendered.pdf


def test_readme_mentions_the_scripts() -> None:
    """This test ensures that the README no longer says these scripts are refused."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Arabic, Hebrew, Urdu, Devanagari and Bengali are still refused" not in readme


@pytest.mark.parametrize("language", RTL_LANGUAGES)
def test_the_page_total_of_a_right_to_left_footer_is_painted(language: str) -> None:
    """This test ensures that the total in "Page N of M" of a right-to-left footer (drawn ending where the
    total's form is placed) is painted, not clipped by the form's box: the pixels under the total's digits,
    rendered by PDFium, are dark."""
    import pypdfium2

    rendered, facts = built(language)
    page_height = facts.pages[0].height
    footer = sorted(
        (char for char in facts.chars if char.page == 1 and char.top > page_height - 60), key=lambda c: c.x0
    )
    digits_right = [char for char in footer if char.text.isdigit() and char.x0 > facts.pages[0].width / 2]
    total = digits_right[0]  # the leftmost digit of the right-hand label is the total
    scale = 4.0
    image = pypdfium2.PdfDocument(rendered.pdf)[0].render(scale=scale, grayscale=True).to_pil()
    box = (int(total.x0 * scale), int(total.top * scale), int(total.x1 * scale) + 1, int(total.bottom * scale) + 1)
    darkest = image.crop(box).getextrema()[0]
    assert darkest < 128, (language, total, darkest)
