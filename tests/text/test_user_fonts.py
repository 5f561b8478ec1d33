"""Fonts the user adds (``--font FILE``, issue 11, part 1): a character none of the bundled fonts has is
drawn from the user's TrueType font, which is embedded and read back; a file that is not a usable font is
an error naming it; an edited font rebuilds the leaflets of a library."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from pypdf import PdfReader

from leaflet import BuildOptions, FontError, build_leaflet, build_library, load_monograph
from tests.cli.helpers import run_cli

KA = "\u0f40"
"""TIBETAN LETTER KA: in none of the bundled fonts."""


def make_font(path: Path, *, width: int = 600) -> Path:
    """A TrueType font with a space and a square for U+0F40, ``width`` units wide."""
    pen = TTGlyphPen(None)
    for point in ((100, 0), (100, 700), (500, 700), (500, 0)):
        (pen.moveTo if point == (100, 0) else pen.lineTo)(point)
    pen.closePath()
    square, empty = pen.glyph(), TTGlyphPen(None).glyph()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "space", "ka"])
    builder.setupCharacterMap({0x20: "space", 0x0F40: "ka"})
    builder.setupGlyf({".notdef": square, "space": empty, "ka": square})
    builder.setupHorizontalMetrics({".notdef": (width, 100), "space": (300, 0), "ka": (width, 100)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": f"TestKa{width}", "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    builder.save(str(path))
    return path


def monograph_with_ka(folder: Path) -> Path:
    source = folder / "ka.yaml"
    source.write_text(
        f"title: Calmofen\nlanguage: en\nrevised: '2026-12-01'\nbody:\n  - The letter {KA} is Tibetan.\n"
        "  - warning: Overdose\n    body:\n      - Call a doctor.\n",
        encoding="utf-8",
    )
    return source


def test_a_users_font_draws_what_no_bundled_font_has(tmp_path: Path) -> None:
    """This test ensures that a character no bundled font has is refused without --font, and drawn from the
    user's font with it: the font embedded, the character read back in its sentence."""
    monograph = load_monograph(monograph_with_ka(tmp_path))
    with pytest.raises(FontError, match="U\\+0F40"):
        build_leaflet(monograph)
    font = make_font(tmp_path / "ka.ttf")
    rendered = build_leaflet(monograph, BuildOptions(fonts=(str(font),)))
    reader = PdfReader(io.BytesIO(rendered.pdf))
    assert f"The letter {KA} is Tibetan." in reader.pages[0].extract_text()
    fonts = {str(f["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert any(name.endswith("TestKa600") for name in fonts), fonts


@pytest.mark.parametrize("kind", ["text", "missing"])
def test_an_unusable_font_is_an_error_naming_it(tmp_path: Path, kind: str) -> None:
    """This test ensures that a --font that is not a TrueType font, or is missing, is an error naming it."""
    font = tmp_path / "font.ttf"
    if kind == "text":
        font.write_text("not a font", encoding="utf-8")
    with pytest.raises(FontError) as raised:
        build_leaflet(load_monograph(monograph_with_ka(tmp_path)), BuildOptions(fonts=(str(font),)))
    diagnostic = raised.value.diagnostics[0]
    assert diagnostic.code == "font-unusable" and diagnostic.path.endswith("font.ttf")


def test_an_edited_font_rebuilds_the_library(tmp_path: Path) -> None:
    """This test ensures that a library build keyed with a --font rebuilds when the font's bytes change,
    and not otherwise."""
    source = monograph_with_ka(tmp_path)
    font = make_font(tmp_path / "ka.ttf")
    out = tmp_path / "out"
    pairs = [(source, out / "ka.pdf")]
    options = BuildOptions(fonts=(str(font),))
    assert len(build_library(pairs, out, options).rebuilt) == 1
    assert len(build_library(pairs, out, options).unchanged) == 1
    make_font(font, width=800)
    assert len(build_library(pairs, out, options).rebuilt) == 1


def test_font_option_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that `leaflet build --font FILE` builds what the bundled fonts alone refuse."""
    source, font = monograph_with_ka(tmp_path), make_font(tmp_path / "ka.ttf")
    assert run_cli(capsys, "build", source, "-o", tmp_path / "a.pdf").code == 2
    assert run_cli(capsys, "build", source, "-o", tmp_path / "b.pdf", "--font", font).code == 0
