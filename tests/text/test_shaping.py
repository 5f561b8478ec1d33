"""Shaping and the bidi algorithm (issue 11, part 3): HarfBuzz's joining forms, ligatures, conjuncts and
reordered vowel signs in the bundled fonts; embedding levels with bracket pairs; visual order of a line;
lines broken by shaped widths once per width and reused by the parts of a split paragraph."""

from __future__ import annotations

import pytest
from reportlab.lib.styles import ParagraphStyle

from leaflet.layout.shaped_paragraph import ShapedParagraph, plain_shaped
from leaflet.text.fallback import font_runs
from leaflet.text.fonts import register_fonts
from leaflet.text.shaping import ShapedText, bidi_levels, break_lines, paragraph_level, reorder, shape


def _shaped(text: str, *, rtl: bool = False) -> ShapedText:
    family = register_fonts()
    return shape(font_runs(text, family.regular, family.extra), 10, rtl=rtl)


def _glyphs(text: str) -> list[int]:
    """The glyph ids of ``text`` in visual order."""
    shaped = _shaped(text)
    return [glyph.gid for glyph in shaped.visual(0, len(text))[0]]


def test_arabic_letters_join() -> None:
    """This test ensures that a letter between two others takes a joining form: beh alone, and beh initial,
    medial and final are four different glyphs."""
    alone = _glyphs("ب")
    joined = _glyphs("ببب")
    assert len(joined) == 3 and len({*joined, *alone}) == 4


def test_lam_alef_is_one_glyph() -> None:
    """This test ensures that lam followed by alef is drawn as the lam-alef ligature (one glyph)."""
    assert len(_glyphs("لا")) == 1


@pytest.mark.parametrize(("conjunct", "letters"), [("क्ष", 3), ("ক্ষ", 3)])
def test_indic_conjuncts_are_one_glyph(conjunct: str, letters: int) -> None:
    """This test ensures that क्ष (Devanagari) and ক্ষ (Bengali), three characters each, are one conjunct glyph."""
    assert len(conjunct) == letters
    assert len(_glyphs(conjunct)) == 1


@pytest.mark.parametrize(("syllable", "sign"), [("कि", "ि"), ("কি", "ি"), ("কে", "ে")])
def test_vowel_signs_are_drawn_before_their_consonant(syllable: str, sign: str) -> None:
    """This test ensures that the short i (and Bengali e) sign, written after its consonant, is drawn left of it."""
    glyphs = _glyphs(syllable)
    assert glyphs[0] == _glyphs(sign)[-1] or glyphs[0] != _glyphs(syllable[0])[0]
    assert glyphs[-1] == _glyphs(syllable[0])[0]


def test_hindi_word_reads_back_through_its_cluster() -> None:
    """This test ensures that हिन्दी is one cluster per syllable whose glyphs come in visual order, the i sign
    first, and that the text of the line is the word as written."""
    shaped = _shaped("हिन्दी")
    placed, width = shaped.visual(0, len(shaped.text))
    assert placed[0].cluster == 0 and width > 0
    assert shaped.logical(0, len(shaped.text)) == "हिन्दी"


def test_paragraph_direction_follows_the_first_strong_letter() -> None:
    """This test ensures that rules P2-P3 hold: the first strong letter decides, else the leaflet's direction."""
    assert paragraph_level("10 مرة mg", None) == 1
    assert paragraph_level("Baclofen مرة", None) == 0
    assert paragraph_level("10 - 20", True) == 1 and paragraph_level("10 - 20", None) == 0


def test_numbers_and_latin_inside_arabic_are_left_to_right() -> None:
    """This test ensures that numbers and a Latin word inside an Arabic paragraph get an even (left-to-right)
    level and the Arabic letters an odd one."""
    text = "مرة 10 mg Baclofen يوميا"
    levels = bidi_levels(text, 1)
    assert all(levels[text.index(word) + i] % 2 == 0 for word in ("10", "mg", "Baclofen") for i in range(len(word)))
    assert levels[0] == 1 and levels[-1] == 1


def test_brackets_around_a_latin_word_stay_with_it() -> None:
    """This test ensures that rule N0 holds: in "10 mg (Baclofen) בדיקה" both brackets take the Latin word's
    direction, so the pair is drawn around it (python-bidi's resolver alone flips the closing one)."""
    text = "שלום 10 mg (Baclofen) בדיקה"
    levels = bidi_levels(text, 1)
    assert levels[text.index("(")] == levels[text.index(")")] == levels[text.index("B")] == 2


def test_reorder_reverses_runs_from_the_highest_level_down() -> None:
    """This test ensures that rule L2 holds: levels 1 1 2 2 1 read in visual order as 1 2 2 1 1 reversed."""
    pieces = [(1, "a"), (1, "b"), (2, "c"), (2, "d"), (1, "e")]
    assert reorder(pieces) == ["e", "c", "d", "b", "a"]
    assert reorder([(0, "x"), (0, "y")]) == ["x", "y"]


def test_lines_fit_their_width_and_are_reused_from_any_line_start() -> None:
    """This test ensures that no line is wider than the width (unless one word is), that the lines of the
    rest of a paragraph are the tail of the whole paragraph's lines, as breaking it again would make them."""
    shaped = _shaped("اقرأ هذه النشرة كاملة بعناية قبل أن تبدأ في تناول الدواء " * 20)
    lines = shaped.lines(150)
    assert len(lines) > 10
    assert all(shaped.width(start, end) <= 150 for start, end in lines)
    assert shaped.lines(150, lines[4][0]) == lines[4:]
    assert break_lines(shaped.text, shaped.advances, 150, lines[4][0]) == lines[4:]


def test_a_word_wider_than_the_line_is_cut_between_clusters() -> None:
    """This test ensures that a word wider than the line is cut, never inside a cluster (a letter and its marks)."""
    shaped = _shaped("क्षि" * 40)
    lines = shaped.lines(50)
    assert len(lines) > 1
    for start, _ in lines[1:]:
        assert shaped.advances[start] > 0


def test_a_split_paragraph_keeps_its_lines() -> None:
    """This test ensures that the two parts of a shaped paragraph split across columns draw exactly the lines
    the whole paragraph had, and that a part split again at the same width reuses them."""
    family = register_fonts()
    style = ParagraphStyle("body", fontName=family.regular, fontSize=10, leading=12, allowOrphans=0, allowWidows=0)
    paragraph = plain_shaped(ShapedParagraph, "שלום עולם 10 mg בדיקה " * 60, style, family, rtl=True)
    paragraph.wrap(200, 1000)
    whole = paragraph.lines_at(200)
    first, rest = paragraph.split(200, 12 * 5)
    assert first.lines_at(200) == whole[:5]
    assert rest.lines_at(200) == whole[5:]
    again = rest.split(200, 12 * 3)
    assert [*first.lines_at(200), *again[0].lines_at(200), *again[1].lines_at(200)] == whole
    assert first.bulletText is None or rest.bulletText is None
