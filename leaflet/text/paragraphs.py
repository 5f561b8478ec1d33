"""The one place where content text meets reportlab: styled runs become paragraph fragments.

reportlab's ``Paragraph`` normally parses its text as markup: ``AT&T`` would become ``AT&T;``,
``<b>`` would vanish, ``</para>`` would break the parse and ``<img src=...>`` would read a local
file (see also CVE-2023-33733). leaflet never hands content to that parser: it builds the
fragments the parser would have produced directly from the model's runs, so every character is
drawn as written and styles come only from the runs. (It is also a third faster.)
"""

from __future__ import annotations

import re
from typing import TypeVar

from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import ParagraphStyle
from reportlab.platypus.paraparser import ParaFrag

from leaflet.model import Inline, Run
from leaflet.text.fallback import drawable, font_runs
from leaflet.text.fonts import FontFamily, register_fonts

_SPACES = re.compile(r"[ \t\r\n\f\v]+")
P = TypeVar("P", bound=Paragraph)


def make_paragraph(
    cls: type[P],
    runs: Inline,
    style: ParagraphStyle,
    family: FontFamily,
    *,
    italics: bool = True,
    bullet: str | None = None,
) -> P:
    """A paragraph of class ``cls`` drawing ``runs`` in ``style``; ``italics=False`` sets italic as bold."""
    return cls(None, style, bulletText=bullet, frags=text_frags(runs, style, family, italics=italics))


def plain_paragraph(cls: type[P], text: str, style: ParagraphStyle, family: FontFamily | None = None) -> P:
    """A paragraph of plain ``text`` in ``style``'s own font, with ``family``'s fallbacks (the bundled ones
    without it)."""
    return cls(None, style, frags=text_frags((Run(text),), style, family, italics=True))


def text_frags(
    runs: Inline, style: ParagraphStyle, family: FontFamily | None, *, italics: bool, shaped: bool = False
) -> list[ParaFrag]:
    """One fragment per run and font, white space collapsed as in any paragraph, NFC-composed for the
    fonts; characters the run's face lacks go to the fallback font that has them (:mod:`.fallback`).
    ``shaped``: for :mod:`.shaping`, which keeps the joiners and bidi marks."""
    frags = []
    for run, text in zip(runs, _collapse_spaces([run.text for run in runs]), strict=True):
        if not text:
            continue
        extra = (family or register_fonts()).extra  # the CJK faces, the user's fonts
        for piece, face in font_runs(drawable(text, shaped=shaped), _face(run, style, family, italics), extra):
            frag = ParaFrag()
            frag.text = piece
            frag.fontName = face
            frag.fontSize = style.fontSize
            frag.textColor = style.textColor
            frag.bold, frag.italic = int(run.bold), int(run.italic)
            frag.rise, frag.greek, frag.link, frag.us_lines = 0, 0, [], []
            frags.append(frag)
    return frags


def _face(run: Run, style: ParagraphStyle, family: FontFamily | None, italics: bool) -> str:
    if family is None or not (run.bold or run.italic):
        return str(style.fontName)
    if run.italic and not italics:  # large print: no italics (UK AAF); keep the emphasis as bold
        return family.bold
    bold = run.bold or style.fontName in (family.bold, family.bold_italic)
    return family.face(bold=bold, italic=run.italic)


def _collapse_spaces(texts: list[str]) -> list[str]:
    """Each text with runs of white space made one space, none at the ends or doubled across texts."""
    result = []
    previous_space = True  # nothing before the first text: drop its leading space
    for text in texts:
        text = _SPACES.sub(" ", text)
        if previous_space:
            text = text.lstrip(" ")
        if text:
            previous_space = text.endswith(" ")
        result.append(text)
    for index in range(len(result) - 1, -1, -1):
        if result[index]:
            result[index] = result[index].rstrip(" ")
            break
    return result
