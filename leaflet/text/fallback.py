"""Fallback fonts: the characters Noto Sans lacks, drawn from the next font of a chain that has them.

Noto Sans covers Latin, Greek, Cyrillic and Vietnamese, but not the signs real leaflets carry: ≤ ≥ in
side-effect frequencies and kidney-function dosing, − and → in dosing tables (Noto Sans Math), ▼ for a
medicine under additional monitoring (EU Regulation 1235/2010, Art. 23), ⚠ and ✓ (Noto Sans Symbols 2).
Text is split into runs by glyph coverage, character by character, not by a whole-text check: each
character is drawn in the main face when it has it, else in the first fallback that has it. Spaces,
combining marks and joiners stay in the run they stand in, so that a mark is never separated from its
base letter.

Fallback fonts are registered with reportlab only when a character needs them: a leaflet in Latin
script pays nothing for them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from leaflet.text.fonts import (
    DRAWN_WITHOUT_GLYPH,
    INVISIBLE,
    LAZY_FACES,
    UNPRINTABLE_CATEGORIES,
    FontFamily,
    font_dir,
    register_fonts,
)
from leaflet.text.scripts import needs_shaping


@dataclass(frozen=True)
class FallbackFont:
    """A font of the fallback chain: its registered names and files (``bold`` None: no bold face)."""

    regular: str
    regular_file: str
    bold: str | None = None
    bold_file: str | None = None
    blocks: tuple[tuple[int, int], ...] = ()
    """The code point ranges the font is looked up for (none: every character); a character outside them
    passes it by without registering it, so that a leaflet in another script never parses the file."""

    def serves(self, char: str) -> bool:
        return not self.blocks or any(low <= ord(char) <= high for low, high in self.blocks)


FALLBACKS: tuple[FallbackFont, ...] = (
    FallbackFont("LeafletMath", "NotoSansMath-Regular.ttf"),
    FallbackFont("LeafletSymbols2", "NotoSansSymbols2-Regular.ttf"),
    FallbackFont(
        "LeafletArabic",
        "NotoSansArabic-Regular.ttf",
        "LeafletArabic-Bold",
        "NotoSansArabic-Bold.ttf",
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    ),
    FallbackFont(
        "LeafletHebrew",
        "NotoSansHebrew-Regular.ttf",
        "LeafletHebrew-Bold",
        "NotoSansHebrew-Bold.ttf",
        ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    ),
    FallbackFont(
        "LeafletDevanagari",
        "NotoSansDevanagari-Regular.ttf",
        "LeafletDevanagari-Bold",
        "NotoSansDevanagari-Bold.ttf",
        ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF)),
    ),
    FallbackFont(
        "LeafletBengali",
        "NotoSansBengali-Regular.ttf",
        "LeafletBengali-Bold",
        "NotoSansBengali-Bold.ttf",
        ((0x0980, 0x09FF),),
    ),
)
"""The chain after the main family, in the order a character is looked up."""

STAYS_IN_RUN = frozenset(" \t\n\u00a0\u202f\u200d\u200c")
"""Spaces, no-break spaces and joiners: drawn (or not) in the font of the run they stand in."""


_INVISIBLE = re.compile("[" + "".join(sorted(INVISIBLE)) + "]")
_BOUND_SPACE = re.compile(
    r"(?<=\d) (?=(?:mg|g|kg|mcg|µg|μg|ng|ml|mL|l|L|dl|dL|IU|mmol|mEq|mm|cm)\b|%)"  # a dose and its unit
    r"|(?<=[≤≥<>±≈]) (?=\d)"  # a sign and its number: "≥ 1/10"
)
"""Spaces a line must not break at (ISMP: never separate a dose from its unit; "(≥" alone at the end of a
line reads as a different frequency): drawn as no-break spaces."""


def drawable(text: str, *, shaped: bool = False) -> str:
    """``text`` as it is drawn: NFC-composed, invisible marks left out (no font has a glyph for them, and
    no shaping or bidi uses them yet: a zero-width space is not yet a break opportunity), a narrow
    no-break space as a no-break space (reportlab breaks lines at U+202F, never at U+00A0), and the space
    between a dose and its unit, or a sign and its number, made a no-break space."""
    text = unicodedata.normalize("NFC", text).replace("\u202f", "\u00a0")
    if " " in text:
        text = _BOUND_SPACE.sub("\u00a0", text)
    if shaped:  # joiners, bidi marks and zero-width spaces mean something to shaping, bidi and breaking
        return text
    return _INVISIBLE.sub("", text) if _INVISIBLE.search(text) else text


def fallback_files() -> list[str]:
    """The file names of every fallback face."""
    return [name for font in FALLBACKS for name in (font.regular_file, font.bold_file) if name]


@cache
def _register(name: str, filename: str) -> str:
    """Register the bundled fallback face ``name`` (from ``fonts/filename``) once."""
    return register_face(name, str(font_dir() / filename))


def register_face(name: str, source: Any) -> str:
    """Register the TrueType font ``source`` (a path, or a binary stream of its bytes) as the fallback face
    ``name``. Its declared ascent and descent become the main family's: math and symbol fonts declare deep
    descents for their tallest glyphs (Noto Sans Symbols 2: -630 units against -293), which readers would
    take for a taller line than the leading the layout sets; the signs and scripts drawn from fallbacks
    sit within the main family's."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    main = pdfmetrics.getFont(register_fonts().regular).face
    font = TTFont(name, source)
    font.face.ascent, font.face.descent = main.ascent, main.descent
    pdfmetrics.registerFont(font)
    return name


@cache
def coverage(face: str) -> frozenset[str]:
    """The characters the face ``face`` can print (invisible and control characters left out); a bundled
    face registered only on use (the CJK faces) is registered now."""
    from reportlab.pdfbase import pdfmetrics

    if face in LAZY_FACES:
        _register(face, LAZY_FACES[face])
    mapped = pdfmetrics.getFont(face).face.charToGlyph
    return (
        frozenset(char for char in map(chr, mapped) if unicodedata.category(char) not in UNPRINTABLE_CATEGORIES)
        | DRAWN_WITHOUT_GLYPH
    )


def fallback_face(char: str, *, bold: bool, extra: tuple[str, ...] = ()) -> str | None:
    """The registered name of the first fallback face that has ``char`` (bold where the font has a bold
    face and ``bold``), registering it on first use, then of the user's fonts ``extra``; None when no font
    has it."""
    for font in FALLBACKS:
        if not font.serves(char):
            continue
        regular = _register(font.regular, font.regular_file)
        if char in coverage(regular):
            if bold and font.bold and font.bold_file:
                return _register(font.bold, font.bold_file)
            return regular
    return next((name for name in extra if char in coverage(name)), None)


def unprintable(chars: set[str], family: FontFamily) -> set[str]:
    """The characters of ``chars`` that neither every face of ``family`` nor any fallback can print."""
    from leaflet.text.fonts import printable

    left = chars - printable(family)
    return {char for char in left if fallback_face(char, bold=False, extra=family.extra) is None} if left else left


def font_runs(text: str, face: str, extra: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """``text`` as (piece, face) runs: each character in ``face`` when it has it, else in the first
    fallback that has it (kept in ``face`` when none has: the coverage check refuses those first)."""
    own = coverage(face)
    if own.issuperset(text):
        return [(text, face)]
    if extra is None:  # the bundled chain: the CJK faces, Simplified Chinese first
        extra = register_fonts().extra
    bold = _is_bold(face)
    runs: list[list[Any]] = []
    for char in text:
        if char in own:
            wanted = face
        elif char in STAYS_IN_RUN or unicodedata.combining(char):
            wanted = runs[-1][1] if runs else face
        else:
            wanted = fallback_face(char, bold=bold, extra=extra) or face
        if runs and runs[-1][1] == wanted:
            runs[-1][0].append(char)
        else:
            runs.append([[char], wanted])
    return [("".join(chars), name) for chars, name in runs]


def _is_bold(face: str) -> bool:
    family = register_fonts()
    return face in (family.bold, family.bold_italic)


def string_width(text: str, face: str, size: float, extra: tuple[str, ...] | None = None) -> float:
    """The width of ``text`` set in ``face`` with fallbacks (and the user's fonts ``extra``), at ``size``."""
    from reportlab.pdfbase import pdfmetrics

    if needs_shaping(text):
        from leaflet.text.glyph_draw import shaped_width

        return shaped_width(text, face, size, extra)
    runs = font_runs(drawable(text), face, extra)
    return sum(pdfmetrics.stringWidth(piece, name, size) for piece, name in runs)


def draw_string(
    canvas: Any,
    x: float,
    y: float,
    text: str,
    face: str,
    size: float,
    *,
    right: bool = False,
    extra: tuple[str, ...] | None = None,
) -> None:
    """Draw ``text`` at (``x``, ``y``) in ``face`` with fallbacks (ending at ``x`` when ``right``); Arabic,
    Hebrew, Devanagari and Bengali are shaped (:mod:`.glyph_draw`)."""
    if right:
        x -= string_width(text, face, size, extra)
    if needs_shaping(text):
        from leaflet.text.glyph_draw import draw_shaped

        draw_shaped(canvas, x, y, text, face, size, extra, rtl=False)
        return
    for piece, name in font_runs(drawable(text), face, extra):
        canvas.setFont(name, size)
        canvas.drawString(x, y, piece)
        x += canvas.stringWidth(piece, name, size)
