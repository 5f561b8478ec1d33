"""The text stage on its own: which characters the bundled fonts print, where a missing one stands in
the source, and inline runs turned into the fragments reportlab sets (faces, spaces, composition)."""

from __future__ import annotations

import unicodedata

import pytest
from reportlab.lib.styles import ParagraphStyle

from leaflet.model import Run
from leaflet.text.fonts import CharacterLocator, describe, font_files, missing_characters, register_fonts
from leaflet.text.paragraphs import text_frags


def test_bundled_fonts_are_found_with_their_licence() -> None:
    """This test ensures that the four Noto Sans faces and the OFL licence are found beside the code."""
    files = font_files()
    assert len(files) == 4 and all(path.is_file() for path in files)
    assert (files[0].parent / "OFL.txt").is_file()


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Baclofen 10 mg, Ωμέγα, Жук, Zoë", []),
        ("soft\u00adhyphen and tab\tkept", []),
        ("a zero-width\u200bspace", ["\u200b"]),
        ("snow \u2603 and \u2603 again", ["\u2603"]),
        ("nul\x00", ["\x00"]),
    ],
    ids=["latin-greek-cyrillic", "soft-hyphen", "zero-width-space", "snowman-once", "control"],
)
def test_missing_characters(text: str, missing: list[str]) -> None:
    """This test ensures that the printable set is what every face draws, less invisible and control
    characters (the soft hyphen excepted), each missing character named once, in order."""
    assert missing_characters(text, register_fonts()) == missing


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
