"""Font subsets for text drawn outside reportlab's canvas (the personalisation band).

Consumes a registered font (one of :class:`leaflet.text.fonts.FontFamily`'s names) and the characters to
draw; returns :class:`SubsetFont` values: simple TrueType fonts of at most 255 glyphs each, with the
code of every character, their widths, the subset font program and its ToUnicode map, as plain
data that :mod:`leaflet.pdf` writes as PDF objects. Subsets are made the way reportlab makes
its own (its ``makeSubset``), so the band embeds the same Noto Sans glyphs as the leaflet.

A face's subsets hold all printable ASCII (the first subset) as well as the characters asked for, so
that the bands of most orders (names, Rx numbers and directions in plain ASCII) share one cached
subset per face, and a name with accents costs one more set of subsets, cached by its extra characters.
"""

from __future__ import annotations

import string
import zlib
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, TTFontFace

from leaflet.pdf.syntax import subset_tag, to_unicode_cmap

GLYPHS_PER_SUBSET = 255
"""Codes 1-255 of a simple font; code 0 is .notdef, as in reportlab's subsets."""
BASE_CHARACTERS = frozenset(string.printable[:95])
"""Printable ASCII, space included: in every subset (see the module docstring)."""
CACHED_SUBSETS = 64


@dataclass(frozen=True, eq=False)
class SubsetFont:
    """One subset of a TrueType face as a simple font: code ``i`` draws :attr:`characters[i - 1]`."""

    base_font: str
    """The PostScript name with its subset tag, e.g. ``ABCDEF+NotoSans-Regular``."""
    characters: str
    """The characters of codes 1, 2, ...; code 0 is .notdef."""
    widths: tuple[int, ...]
    """Advance widths of codes 0, 1, ... in thousandths of the font size."""
    ascent: int
    descent: int
    cap_height: int
    flags: int
    bbox: tuple[int, ...]
    italic_angle: float
    stem_v: int
    missing_width: int
    font_program: bytes
    """The subset font program, zlib-compressed (FlateDecode)."""
    font_program_length: int
    """Its length before compression (``/Length1``)."""
    to_unicode: bytes
    """The ToUnicode CMap, zlib-compressed."""


@lru_cache(maxsize=CACHED_SUBSETS)
def code_table(subsets: tuple[SubsetFont, ...]) -> dict[str, tuple[int, int]]:
    """Each character ``subsets`` hold: (index of the first subset holding it, its code there)."""
    table: dict[str, tuple[int, int]] = {}
    for index, subset in enumerate(subsets):
        for code, character in enumerate(subset.characters, 1):
            table.setdefault(character, (index, code))
    return table


def subset_fonts(font_name: str, characters: frozenset[str]) -> tuple[SubsetFont, ...]:
    """Subsets of the registered font ``font_name`` covering ``characters`` (ASCII always included);
    characters the face lacks are left out (they draw .notdef, as in reportlab)."""
    face = pdfmetrics.getFont(font_name).face
    covered = frozenset(c for c in characters - BASE_CHARACTERS if ord(c) in face.charToGlyph)
    return _subsets(font_name, covered)


@lru_cache(maxsize=CACHED_SUBSETS)
def _subsets(font_name: str, extra: frozenset[str]) -> tuple[SubsetFont, ...]:
    face = pdfmetrics.getFont(font_name).face
    ordered = "".join(sorted(BASE_CHARACTERS)) + "".join(sorted(extra))
    chunks = [ordered[start : start + GLYPHS_PER_SUBSET] for start in range(0, len(ordered), GLYPHS_PER_SUBSET)]
    return tuple(_subset(face, chunk) for chunk in chunks)


def _subset(face: TTFontFace, characters: str) -> SubsetFont:
    codes = [0, *map(ord, characters)]
    tag = subset_tag(face.name, characters.encode("utf-8"))
    name = f"{tag}+{face.name.decode('latin-1')}"
    program = face.makeSubset(codes)
    return SubsetFont(
        base_font=name,
        characters=characters,
        widths=tuple(round(face.getCharWidth(code)) for code in codes),
        ascent=round(face.ascent),
        descent=round(face.descent),
        cap_height=round(face.capHeight),
        flags=(face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
        bbox=tuple(round(value) for value in face.bbox),
        italic_angle=float(face.italicAngle),
        stem_v=round(face.stemV),
        missing_width=round(face.defaultWidth),
        font_program=zlib.compress(program),
        font_program_length=len(program),
        to_unicode=zlib.compress(to_unicode_cmap(name, codes)),
    )
