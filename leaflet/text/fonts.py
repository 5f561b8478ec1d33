"""The bundled fonts: where they are, registering them with reportlab once, and glyph coverage.

The fonts are TrueType files in the top-level ``fonts/`` folder (with their licence); a wheel
carries them as ``leaflet/fonts``. Every character of a monograph is checked against them
before layout, so a character they cannot draw is an error naming its file and line, never a
blank box in a patient's hands.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from leaflet.errors import Diagnostic, FontError
from leaflet.model import Monograph, iter_text, source_lines
from leaflet.options import language_key


@dataclass(frozen=True)
class FontFamily:
    """The four faces of one family, by the names they are registered under."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    extra: tuple[str, ...] = ()
    """Faces looked up after the bundled fallbacks, by registered name: the CJK faces in the leaflet's
    order (registered on first use), then the fonts the user added (``--font``)."""

    def face(self, *, bold: bool, italic: bool) -> str:
        if bold:
            return self.bold_italic if italic else self.bold
        return self.italic if italic else self.regular


CJK_FACES = {
    "sc": ("LeafletCJK-SC", "NotoSansCJKsc-Regular.ttf"),
    "tc": ("LeafletCJK-TC", "NotoSansCJKtc-Regular.ttf"),
    "jp": ("LeafletCJK-JP", "NotoSansCJKjp-Regular.ttf"),
    "kr": ("LeafletCJK-KR", "NotoSansCJKkr-Regular.ttf"),
}
"""Noto Sans CJK by region (subset and converted to TrueType: ``fonts/build_cjk.py``): a Han character
is drawn in its region's form (Japanese and Chinese forms of the same character differ)."""
LAZY_FACES = dict(CJK_FACES.values())
"""Bundled faces registered with reportlab only when a character needs them (by registered name)."""


def cjk_order(language: str | None) -> tuple[str, ...]:
    """The CJK faces in the order a leaflet in ``language`` looks them up: its own region's first
    (zh-Hant, zh-TW, zh-HK, zh-MO: Traditional; zh: Simplified; ja; ko), else Simplified first."""
    region = {"zh-Hant": "tc", "ja": "jp", "ko": "kr"}.get(language_key(language), "sc")
    return tuple(CJK_FACES[key][0] for key in (region, *(key for key in CJK_FACES if key != region)))


SANS = FontFamily(
    "LeafletSans", "LeafletSans-Bold", "LeafletSans-Italic", "LeafletSans-BoldItalic", extra=cjk_order(None)
)
_FILES = {
    SANS.regular: "NotoSans-Regular.ttf",
    SANS.bold: "NotoSans-Bold.ttf",
    SANS.italic: "NotoSans-Italic.ttf",
    SANS.bold_italic: "NotoSans-BoldItalic.ttf",
}
INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\u061c")
"""Zero-width space, non-joiner and joiner, left-to-right and right-to-left marks, word joiner, Arabic
letter mark: accepted in content, and not drawn (they have no glyph; see :mod:`leaflet.text.paragraphs`)."""
DRAWN_WITHOUT_GLYPH = frozenset(" \t\n\u00ad") | INVISIBLE
"""Characters the layout handles itself (spaces, soft hyphen, invisible marks) rather than drawing a glyph."""
UNPRINTABLE_CATEGORIES = frozenset({"Cf", "Cc", "Zl", "Zp", "Cn", "Cs", "Co"})
"""Invisible format characters, controls, line and paragraph separators, surrogates, private use and
unassigned code points: drawn as nothing or as a box even where a font maps them."""


def font_dir() -> Path:
    """The folder holding the bundled fonts: inside the installed package, else the checkout's."""
    package = Path(__file__).resolve().parents[1]  # leaflet/ (text/fonts.py is one level down)
    for candidate in (package / "fonts", package.parent / "fonts"):
        if (candidate / _FILES[SANS.regular]).is_file():
            return candidate
    raise FontError(
        Diagnostic(
            str(package / "fonts"),
            "the bundled fonts are missing",
            hint="reinstall leaflet; the wheel carries them in leaflet/fonts",
            code="fonts-missing",
        )
    )


def font_files() -> list[Path]:
    """Every bundled font file, fallbacks included, in a stable order (part of a build's identity)."""
    from leaflet.text.fallback import fallback_files

    files = [*_FILES.values(), *fallback_files(), *LAZY_FACES.values()]
    return [font_dir() / name for name in sorted(files)]


@cache
def register_fonts() -> FontFamily:
    """Register the bundled family with reportlab (once per process) and return its names."""
    from reportlab.pdfbase import pdfmetrics  # imported here: finding fonts must not cost reportlab's import
    from reportlab.pdfbase.ttfonts import TTFont

    folder = font_dir()
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    pdfmetrics.registerFontFamily(
        SANS.regular, normal=SANS.regular, bold=SANS.bold, italic=SANS.italic, boldItalic=SANS.bold_italic
    )
    return SANS


@cache
def covered_code_points(family: FontFamily) -> frozenset[int]:
    """Code points that every face of ``family`` can draw."""
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    faces = (family.regular, family.bold, family.italic, family.bold_italic)
    return frozenset.intersection(*(frozenset(pdfmetrics.getFont(face).face.charToGlyph) for face in faces))


@cache
def printable(family: FontFamily) -> frozenset[str]:
    """Characters leaflet can print with ``family``: covered by every face and not invisible.

    Invisible format characters (zero-width space, joiners, bidi controls, BOM: Unicode category
    Cf), control characters, line/paragraph separators and unassigned code points are left out even
    where the font maps them (a YAML escape such as "\\x00" or "\\L" can carry them): they would be
    drawn as nothing or as a box. The soft hyphen is the exception: it only marks where to hyphenate.
    """
    covered = {chr(point) for point in covered_code_points(family)}
    return frozenset(c for c in covered if unicodedata.category(c) not in UNPRINTABLE_CATEGORIES) | DRAWN_WITHOUT_GLYPH


def missing_characters(text: str, family: FontFamily, *, fallbacks: bool = False) -> list[str]:
    """The distinct characters of ``text`` that ``family`` cannot print (with ``fallbacks``: nor any font
    of the fallback chain, :mod:`leaflet.text.fallback`), in order of appearance."""
    missing = set(text) - printable(family)
    if missing and fallbacks:
        from leaflet.text.fallback import unprintable

        missing = unprintable(missing, family)
    return sorted(missing, key=text.index) if missing else []


def check_coverage(monograph: Monograph, family: FontFamily, extra: Iterable[tuple[str, str]] = ()) -> None:
    """Raise :class:`FontError` listing every character of ``monograph`` the fonts cannot draw."""
    problems = glyph_problems(monograph, family, extra)
    if problems:
        raise FontError(problems)


def glyph_problems(monograph: Monograph, family: FontFamily, extra: Iterable[tuple[str, str]] = ()) -> list[Diagnostic]:
    """One diagnostic (code ``glyphs``) per character of ``monograph`` the fonts cannot draw, where it stands.

    ``extra`` are labelled texts from elsewhere (patient details): reported by label, never quoted.
    """
    problems: dict[Diagnostic, None] = {}
    locate = CharacterLocator(monograph.source_text)
    for piece in iter_text(monograph):
        for char in missing_characters(unicodedata.normalize("NFC", piece.text), family, fallbacks=True):
            line, column = locate(char, piece.line)
            problems[_glyph_problem(monograph.path, char, line, column)] = None
    for label, text in extra:
        for char in missing_characters(unicodedata.normalize("NFC", text), family):
            problems[_glyph_problem(label, char, None, None)] = None
    return list(problems)


def _glyph_problem(path: str, char: str, line: int | None, column: int | None) -> Diagnostic:
    return Diagnostic(
        path,
        f"character {describe(char)} cannot be drawn by the bundled fonts",
        line=line,
        column=column,
        hint="delete or replace it"
        if unicodedata.category(char) == "Cf"
        else "replace it, or ask for a font that covers it",
        code="glyphs",
    )


class CharacterLocator:
    """Finds where a character stands in the source, from the line its text starts on."""

    def __init__(self, source: str) -> None:
        self.lines = source_lines(source)
        self.seen: set[tuple[str, int, int]] = set()

    def __call__(self, char: str, start_line: int) -> tuple[int | None, int | None]:
        if start_line <= 0:
            return None, None
        for number in range(start_line, len(self.lines) + 1):
            line = unicodedata.normalize("NFC", self.lines[number - 1])
            column = line.find(char)
            while column >= 0 and (char, number, column) in self.seen:
                column = line.find(char, column + 1)
            if column >= 0:
                self.seen.add((char, number, column))
                return number, column + 1
        return start_line, None  # written as an escape: the line the text starts on


def describe(char: str) -> str:
    """``U+2603 SNOWMAN ('☃')`` for messages."""
    name = unicodedata.name(char, "unnamed character")
    shown = f" ({char!r})" if char.isprintable() else ""
    return f"U+{ord(char):04X} {name}{shown}"
