"""The text stage on its own: which characters the bundled fonts print, where a missing one stands in
the source, and inline runs turned into the fragments reportlab sets (faces, spaces, composition)."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle

from leaflet.model import Run
from leaflet.options import BuildOptions
from leaflet.text.fallback import font_runs
from leaflet.text.fonts import CharacterLocator, describe, font_files, missing_characters, register_fonts
from leaflet.text.paragraphs import text_frags
from tests.conftest import SAMPLE


def test_bundled_fonts_are_found_with_their_licence() -> None:
    """This test ensures that the four Noto Sans faces, the fallback fonts and the OFL licence are found
    beside the code."""
    files = font_files()
    names = {path.name for path in files}
    assert {"NotoSans-Regular.ttf", "NotoSansMath-Regular.ttf", "NotoSansSymbols2-Regular.ttf"} <= names
    # 4 Noto Sans, Math, Symbols 2, 4 CJK, Arabic, Hebrew, Devanagari, Bengali (regular and bold)
    assert len(files) == 18 and all(path.is_file() for path in files)
    assert (files[0].parent / "OFL.txt").is_file()


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Baclofen 10 mg, Ωμέγα, Жук, Zoë", []),
        ("soft\u00adhyphen and tab\tkept", []),
        ("a zero-width\u200bspace, a\u200djoiner, a\u200emark", []),
        ("Tibetan \u0f40 and \u0f40 again", ["\u0f40"]),
        ("nul\x00", ["\x00"]),
    ],
    ids=["latin-greek-cyrillic", "soft-hyphen", "invisible-marks", "tibetan-once", "control"],
)
def test_missing_characters(text: str, missing: list[str]) -> None:
    """This test ensures that the printable set is what every face draws, less invisible and control
    characters (the soft hyphen excepted), each missing character named once, in order."""
    assert missing_characters(text, register_fonts(), fallbacks=True) == missing


def test_signs_come_from_the_fallback_fonts_only_where_asked() -> None:
    """This test ensures that ≤ ≥ − → ▼ ⚠ ✓ are printable through the fallback chain (issue 11), and that
    the main family alone (what the personalisation band draws with) still lacks them."""
    family = register_fonts()
    signs = "≤≥−→▼⚠✓"
    assert missing_characters(signs, family, fallbacks=True) == []
    assert missing_characters(signs, family) == list(signs)


def test_runs_split_by_coverage_and_keep_marks_with_their_base() -> None:
    """This test ensures that text is split into runs by glyph coverage, character by character: the
    main face where it has the character, else the first fallback that has it, spaces in the main face."""
    family = register_fonts()
    assert font_runs("Take ≥ 2 → ▼", family.regular) == [
        ("Take ", family.regular),
        ("≥", "LeafletMath"),
        (" 2 ", family.regular),
        ("→", "LeafletMath"),
        (" ", family.regular),
        ("▼", "LeafletSymbols2"),
    ]
    assert font_runs("plain text", family.bold) == [("plain text", family.bold)]


def test_latin_leaflet_registers_no_fallback_font(tmp_path: Path) -> None:
    """This test ensures that a leaflet in Latin script does not load the fallback fonts (issue 11: no cost
    for what is not used), and that one with ≥ loads only the font it needs."""
    script = (
        "import sys\nfrom reportlab.pdfbase import pdfmetrics\nfrom leaflet import build_leaflet, load_monograph\n"
        "build_leaflet(load_monograph(sys.argv[1]))\n"
        "print(' '.join(sorted(n for n in pdfmetrics.getRegisteredFontNames() if n.startswith('Leaflet'))))\n"
    )
    plain = subprocess.run([sys.executable, "-c", script, str(SAMPLE)], capture_output=True, text=True, check=True)
    assert "LeafletMath" not in plain.stdout and "LeafletSymbols2" not in plain.stdout
    assert "LeafletCJK" not in plain.stdout
    source = tmp_path / "ge.yaml"
    source.write_text(SAMPLE.read_text(encoding="utf-8").replace("Baclofen tablets", "Baclofen ≥ tablets", 1))
    signs = subprocess.run([sys.executable, "-c", script, str(source)], capture_output=True, text=True, check=True)
    assert "LeafletMath" in signs.stdout and "LeafletSymbols2" not in signs.stdout


def test_locator_finds_each_occurrence_in_turn() -> None:
    """This test ensures that a character repeated in the source is located at each occurrence in turn,
    from the line its text starts on, with 1-based columns."""
    locate = CharacterLocator("title: x\nbody:\n  - a \u2603 b \u2603\n")
    assert locate("\u2603", 3) == (3, 7)
    assert locate("\u2603", 3) == (3, 11)
    assert locate("\u2603", 3) == (3, None)  # written as an escape: the line the text starts on
    assert locate("\u2603", 0) == (None, None)


def test_describe_names_the_code_point() -> None:
    """This test ensures that messages name a character by code point, name and, when printable, itself."""
    assert describe("\u2603") == "U+2603 SNOWMAN ('☃')"
    assert describe("\u200b") == "U+200B ZERO WIDTH SPACE"


def test_runs_become_fragments_in_their_faces() -> None:
    """This test ensures that runs become fragments in the right faces, white space collapsed across runs,
    decomposed text composed (NFC), and emphasis kept as bold where italics are not allowed (large print)."""
    family = register_fonts()
    style = ParagraphStyle("body", fontName=family.regular, fontSize=10)
    decomposed = unicodedata.normalize("NFD", "Zoë ")
    runs = (Run("  Take "), Run("two", bold=True), Run("  tablets ", italic=True), Run(decomposed))
    frags = text_frags(runs, style, family, italics=True)
    assert [frag.text for frag in frags] == ["Take ", "two", " tablets ", "Zoë"]
    assert [frag.fontName for frag in frags] == [family.regular, family.bold, family.italic, family.regular]
    large = text_frags(runs, style, family, italics=False)
    assert large[2].fontName == family.bold


def test_invisible_marks_are_not_drawn_and_narrow_no_break_space_does_not_break() -> None:
    """This test ensures that zero-width spaces, joiners and bidi marks are accepted but never drawn (no
    font has a glyph for them: they would be boxes), and that a narrow no-break space (French before
    ; : ! ?) is drawn as a no-break space, where reportlab never breaks a line (issue 11, part 2)."""
    family = register_fonts()
    style = ParagraphStyle("body", fontName=family.regular, fontSize=10)
    frags = text_frags((Run("http://a.example/\u200blong\u200d\u200e path\u202f: ok"),), style, family, italics=True)
    assert "".join(frag.text for frag in frags) == "http://a.example/long path\u00a0: ok"


@pytest.mark.parametrize(
    ("text", "drawn"),
    [
        ("Take 10 mg or 2.5 ml", "Take 10\u00a0mg or 2.5\u00a0ml"),
        ("up to 1 in 10 people (≥ 1/100 to < 1/10)", "up to 1 in 10 people (≥\u00a01/100 to <\u00a01/10)"),
        ("20 % of 3 patients", "20\u00a0% of 3 patients"),
        ("10 mgs of 3 grams", "10 mgs of 3 grams"),
    ],
    ids=["dose-and-unit", "sign-and-number", "percent", "not-a-unit"],
)
def test_doses_and_signs_are_bound_to_their_numbers(text: str, drawn: str) -> None:
    """This test ensures that the space between a dose and its unit, or a sign and its number, is drawn as
    a no-break space: a line never ends in "10" with "mg" on the next, nor in "(≥" (ISMP; issue 11)."""
    from leaflet.text.fallback import drawable

    assert drawable(text) == drawn


def test_no_line_ends_with_a_sign_or_a_bare_dose(tmp_path: Path) -> None:
    """This test ensures that in the stress leaflet of signs no line of the PDF ends with ≥, ≤, < or >, nor
    starts with a unit (the lines it used to break: "(≥" / "1/100")."""
    import io
    import re

    from pypdf import PdfReader

    from leaflet import build_leaflet, load_monograph
    from tests.conftest import MONOGRAPHS

    for options in ({}, {"large_print": True}):
        rendered = build_leaflet(load_monograph(MONOGRAPHS / "symbols.yaml"), BuildOptions(**options))
        lines = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.pdf)).pages).splitlines()
        assert not [line for line in lines if re.search(r"[≤≥<>]\s*$", line)], lines
        assert not [line for line in lines if re.match(r"\s*(mg|ml)\b", line)], lines
