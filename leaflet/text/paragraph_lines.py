"""The lines of :mod:`.line_breaking` in reportlab's own structure, which reportlab's ``Paragraph`` draws:
a paragraph of one fragment as kind 0 (space left and the words of each line, drawn as one string), one
of several fragments as kind 1 (a fragment for each run of one look); and the fragments of some lines
given back as written, to set them again at another width."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reportlab.pdfbase.pdfmetrics import getAscentDescent
from reportlab.platypus.paragraph import FragLine

if TYPE_CHECKING:
    from leaflet.text.line_breaking import Line


class SimpleLine(tuple):
    """A line of a paragraph of one fragment, as reportlab's kind 0 has it: (space left, [words]), with
    its words as written (``sources``, joined by spaces, then ``joiner`` before the next line)."""

    frag: Any
    sources: list[str]
    joiner: str
    divided: bool
    width: float


def frag_line(line: Line) -> FragLine:
    """reportlab's line: one fragment per run of items in one fragment's look, with its text drawn."""
    words: list[Any] = []
    texts: list[str] = []
    current = None
    for frag, drawn, _ in line.items:
        if frag is not current:
            if words and _same_look(words[-1], frag):
                current = frag
            else:
                if words:
                    words[-1].text = "".join(texts)
                clone = frag.clone()
                words.append(clone)
                texts, current = [], frag
        texts.append(drawn)
    size, ascent, descent = 0.0, 0.0, 0.0
    if words:
        words[-1].text = "".join(texts).rstrip(" ")
        for face, font_size in {(word.fontName, word.fontSize) for word in words}:
            up, down = getAscentDescent(face, font_size)
            size, ascent, descent = max(size, font_size), max(ascent, up), min(descent, down)
    return FragLine(
        extraSpace=line.limit - line.width,
        wordCount=line.words,
        lineBreak=False,
        words=words,
        fontSize=size,
        ascent=ascent,
        descent=descent,
        maxWidth=line.limit,
        currentWidth=line.width,
        sFW=0,
    )


def _same_look(one: Any, other: Any) -> bool:
    return all(
        getattr(one, name, None) == getattr(other, name, None)
        for name in ("fontName", "fontSize", "textColor", "rise", "bold", "italic")
    )


def gather_lines(blPara: Any, start: int, stop: int) -> list[Any]:
    """The fragments of lines ``start:stop`` of ``blPara`` as written (soft hyphens and zero-width spaces
    kept, no hyphen added), for setting them again at another width."""
    lines = blPara.lines[start:stop]
    if lines and isinstance(lines[0], SimpleLine):
        frag = lines[0].frag.clone()
        frag.text = "".join(" ".join(line.sources) + line.joiner for line in lines).rstrip(" ")
        return [frag]
    frags: list[Any] = []
    texts: list[str] = []
    current = None
    for line in lines:
        for frag, _, source in line.items:
            if frag is not current:
                if frags:
                    frags[-1].text = "".join(texts)
                frags.append(frag.clone())
                texts, current = [], frag
            texts.append(source)
    if frags:
        frags[-1].text = "".join(texts).rstrip(" ")
    return frags
