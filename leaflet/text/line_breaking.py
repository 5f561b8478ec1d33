"""Lines of a paragraph in Latin, Greek or Cyrillic script (issue 11, part 4), for reportlab to draw.

reportlab's ``Paragraph.breakLines`` breaks only at spaces (a zero-width space becomes a visible one),
splits a URL once and then lets its rest run into the margin, knows only the letters of Latin and basic
Cyrillic for hyphenation, and cannot say "at most two hyphenated lines in a row". Lines are broken here
instead, greedily as reportlab does, into reportlab's own line structure (``ParaLines`` of kind 1), so
reportlab still draws them. Where a line may end, by preference of the longest head that fits:

- at a space (never at a no-break space: "10 mg" stays together);
- at a zero-width space, with nothing drawn;
- at a soft hyphen (U+00AD), drawn as a hyphen; a word carrying soft hyphens is broken only there;
- after a hyphen of the word itself ("Anti-Baby-Pille", Duden rule 112), with no second hyphen;
- in a URL or e-mail address, after / . - ? & = and @ (UAX #14 and the Chicago Manual's practice),
  with no hyphen added (a hyphen would read as part of the address);
- in a word of letters, where the leaflet's language's dictionary allows (:mod:`.hyphenation`), with
  a hyphen; never in the last word of a paragraph, nor on a third line in a row ending with a hyphen;
- anywhere in a word wider than the whole line.

Each line keeps the source text it was made from (soft hyphens and zero-width spaces included, no added
hyphen), so that what is left of a paragraph can be given back as fragments and set at another width.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont, stringWidth
from reportlab.platypus.paragraph import FragLine, ParaLines

from leaflet.text.hyphenation import MAX_IN_A_ROW, Hyphenator

SOFT_HYPHEN = "\u00ad"
ZERO_WIDTH_SPACE = "\u200b"
MARKERS = re.compile("[\u00ad\u200b]")
SPACES = re.compile("[ \t\n\r\f\v\u1680\u2000-\u200a\u2028\u2029\u205f\u3000]+")
"""Where words end (reportlab's white space, less the zero-width and no-break spaces); drawn as one space."""
URL = re.compile(r"^[(\[<\"']?(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)\S+$|^[^\s@/]+@[^\s@/]+\.[a-z]{2,}", re.I)
URL_BREAKS = frozenset("/.-?&=@")
LETTERS = re.compile(r"^(\W*)(\w+?)(\W*)$")


@dataclass
class Piece:
    """Text in one fragment's style: ``source`` as written (soft hyphens, zero-width spaces)."""

    frag: Any
    source: str


@dataclass
class Line:
    """One line being made: its pieces (words joined by single spaces) and width."""

    limit: float
    pieces: list[Piece] = field(default_factory=list)
    drawn: list[tuple[Any, str]] = field(default_factory=list)
    width: float = 0.0
    words: int = 0
    space: float = 0.0
    """Width of the space after the last word (the face of its last piece)."""
    gaps: float = 0.0
    """Width of the spaces between the words so far."""


def break_paragraph(
    frags: list[Any], widths: list[float], hyphenator: Hyphenator | None, *, shrink: float = 0.0
) -> ParaLines:
    """reportlab's kind-1 lines of ``frags`` set ``widths`` wide (the first line's, then the others');
    each line's ``source`` holds the pieces it was made from (:func:`gather_lines`). ``shrink``: the
    share by which a line's spaces may narrow to take one more word (reportlab's ``spaceShrinkage``,
    which draws such a line with its spaces narrowed)."""
    words = _words(frags)
    lines: list[FragLine] = []
    state = _Breaker(widths, hyphenator, lines, shrink)
    for index, word in enumerate(words):
        state.place(word, last=index == len(words) - 1)
    state.finish()
    return ParaLines(kind=1, lines=lines)


class _Breaker:
    def __init__(
        self, widths: list[float], hyphenator: Hyphenator | None, lines: list[FragLine], shrink: float
    ) -> None:
        self.widths = widths
        self.hyphenator = hyphenator
        self.lines = lines
        self.shrink = shrink
        self.in_a_row = 0
        self.line = Line(self._limit())

    def _limit(self) -> float:
        return self.widths[min(len(self.lines), len(self.widths) - 1)]

    def place(self, word: list[Piece], *, last: bool) -> None:
        while word:
            line = self.line
            gap = line.space if line.words else 0.0
            width = _width(word)
            limit = line.limit + self.shrink * (line.gaps + gap)
            if line.width + gap + width <= limit + 1e-6:
                self._add(word, width, gap)
                return
            split = self._split(word, limit - line.width - gap, last=last, alone=not line.words)
            if split is not None:
                head, hyphen, tail = split
                self._add(head, _width(head), gap, hyphen=hyphen)
                self._end(space_after=False, hyphen=bool(hyphen) or head[-1].source.endswith("-"))
                word = tail
            elif line.words:
                self._end(space_after=True, hyphen=False)
            else:  # a word wider than the line, with no place to break: cut it where the line ends
                head, tail = _cut(word, line.limit)
                self._add(head, _width(head), 0.0)
                self._end(space_after=False, hyphen=False)
                word = tail

    def finish(self) -> None:
        if self.line.words:
            self._end(space_after=False, hyphen=False)

    def _split(
        self, word: list[Piece], room: float, *, last: bool, alone: bool
    ) -> tuple[list[Piece], str, list[Piece]] | None:
        """The longest head of ``word`` that fits ``room`` at a place it may break: (head, hyphen drawn
        after it, tail)."""
        text = "".join(piece.source for piece in word)
        hyphens = alone or self.in_a_row < MAX_IN_A_ROW
        dictionary = self.hyphenator if hyphens and (alone or not last) else None
        places = _break_places(text, dictionary, hyphens=alone)
        for position, hyphen in places:
            if hyphen and not hyphens:
                continue
            head, tail = _split_pieces(word, position)
            if not tail or not any(_drawn(piece.source) for piece in head):
                continue
            face = head[-1].frag
            hyphen = hyphen and _hyphen(face.fontName)
            extra = stringWidth(hyphen, face.fontName, face.fontSize) if hyphen else 0.0
            if _width(head) + extra <= room + 1e-6:
                return head, hyphen, tail
        return None

    def _add(self, word: list[Piece], width: float, gap: float, *, hyphen: str = "") -> None:
        line = self.line
        if line.words and line.drawn:  # the space between words, drawn at the end of the word before
            frag, text = line.drawn[-1]
            line.drawn[-1] = (frag, text + " ")
            line.pieces[-1] = Piece(line.pieces[-1].frag, line.pieces[-1].source + " ")
        for piece in word:
            text = _drawn(piece.source)
            line.pieces.append(piece)
            if text:
                line.drawn.append((piece.frag, text))
        if hyphen:
            frag, text = line.drawn[-1]
            line.drawn[-1] = (frag, text + hyphen)
        line.width += (
            gap + width + (stringWidth(hyphen, word[-1].frag.fontName, word[-1].frag.fontSize) if hyphen else 0)
        )
        line.words += 1
        line.gaps += gap
        last = word[-1].frag
        line.space = stringWidth(" ", last.fontName, last.fontSize)

    def _end(self, *, space_after: bool, hyphen: bool) -> None:
        line = self.line
        self.in_a_row = self.in_a_row + 1 if hyphen else 0
        if space_after and line.pieces:
            line.pieces[-1] = Piece(line.pieces[-1].frag, line.pieces[-1].source + " ")
        frag_line = _frag_line(line)
        frag_line.source = _merged(line.pieces)
        frag_line.divided = hyphen and not space_after
        self.lines.append(frag_line)
        self.line = Line(self._limit())


@cache
def _hyphen(face: str) -> str:
    """The hyphen drawn at a word's division in ``face``: the soft hyphen, which the PDF Reference
    (1.7, 10.7.1, "Incidental artifacts") asks for, so that readers can tell it from a hyphen of the
    text (U+002D) and join the word again; U+002D in a face without a glyph for it."""
    font = getFont(face)
    mapped = getattr(getattr(font, "face", None), "charToGlyph", None)
    return SOFT_HYPHEN if mapped is None or 0xAD in mapped else "-"


def _frag_line(line: Line) -> FragLine:
    words: list[Any] = []
    size, ascent, descent = 0.0, 0.0, 0.0
    for frag, text in line.drawn:
        if words and words[-1].fontName == frag.fontName and _same_look(words[-1], frag):
            words[-1].text += text
        else:
            clone = frag.clone()
            clone.text = text
            words.append(clone)
        size = max(size, frag.fontSize)
        up, down = getAscentDescent(frag.fontName, frag.fontSize)
        ascent, descent = max(ascent, up), min(descent, down)
    if words:
        words[-1].text = words[-1].text.rstrip(" ")
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


def _merged(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if merged and merged[-1].frag is piece.frag:
            merged[-1] = Piece(piece.frag, merged[-1].source + piece.source)
        else:
            merged.append(piece)
    return merged


def _words(frags: list[Any]) -> list[list[Piece]]:
    """The words of ``frags``: pieces of text between spaces (a word may span fragments)."""
    words: list[list[Piece]] = []
    current: list[Piece] = []
    for frag in frags:
        parts = SPACES.split(getattr(frag, "text", "") or "")
        for index, part in enumerate(parts):
            if index and current:
                words.append(current)
                current = []
            if part:
                current.append(Piece(frag, part))
    if current:
        words.append(current)
    return words


def _drawn(source: str) -> str:
    return MARKERS.sub("", source) if ("\u00ad" in source or "\u200b" in source) else source


def _width(pieces: list[Piece]) -> float:
    return sum(stringWidth(_drawn(piece.source), piece.frag.fontName, piece.frag.fontSize) for piece in pieces)


def _break_places(text: str, hyphenator: Hyphenator | None, *, hyphens: bool) -> list[tuple[int, str]]:
    """Where ``text`` (one word as written) may break, longest head first: (length of the head, the
    hyphen to draw after it). ``hyphens``: after the word's own hyphens too, for a word wider than the
    line (poppler's pdftotext, joining lines, drops a hyphen that ends one: "long-term" would read
    "longterm", and an address would change)."""
    places: dict[int, str] = {}
    soft = SOFT_HYPHEN in text
    for index, char in enumerate(text):
        if char == ZERO_WIDTH_SPACE:
            places[index + 1] = ""
        elif char == SOFT_HYPHEN:
            places[index + 1] = SOFT_HYPHEN
        elif (
            hyphens
            and char == "-"
            and 0 < index < len(text) - 1
            and text[index - 1].isalpha()
            and text[index + 1].isalpha()
        ):
            places[index + 1] = ""
    plain = _drawn(text)
    if URL.match(plain):
        places.update(_url_places(text, hyphens=hyphens))
    elif hyphenator is not None and not soft and plain == text:
        places.update(_dictionary_places(text, hyphenator))
    return sorted(places.items(), reverse=True)


def address_breaks(text: str) -> set[int]:
    """The places (character offsets) a line of ``text`` may end inside a URL or e-mail address, after
    / . ? & = @ (for the shaped paragraphs of :mod:`.shaping`, whose lines otherwise end at spaces)."""
    found: set[int] = set()
    for match in re.finditer(r"\S+", text):
        word = match.group()
        if URL.match(_drawn(word)):
            found.update(match.start() + place for place in _url_places(word, hyphens=False))
    return found


def _url_places(text: str, *, hyphens: bool) -> dict[int, str]:
    """After / . ? & = @ in an address (and - when ``hyphens``), never inside "//", nor before the
    punctuation that ends it."""
    places = {}
    end = len(text.rstrip(".,;:)]>'\""))
    breaks = URL_BREAKS if hyphens else URL_BREAKS - {"-"}
    for index in range(len(text) - 1):
        if text[index] in breaks and text[index + 1] != "/" and index + 1 < end:
            places[index + 1] = ""
    return places


def _dictionary_places(text: str, hyphenator: Hyphenator) -> dict[int, str]:
    """Where the dictionary hyphenates the letters of ``text`` (punctuation around them left out)."""
    match = LETTERS.match(text)
    if match is None or not match.group(2).isalpha():
        return {}
    offset, letters = len(match.group(1)), match.group(2)
    return {offset + len(head): SOFT_HYPHEN for head, _ in hyphenator.pairs(letters) if not head.endswith("-")}


def _split_pieces(word: list[Piece], position: int) -> tuple[list[Piece], list[Piece]]:
    head: list[Piece] = []
    tail: list[Piece] = []
    seen = 0
    for piece in word:
        length = len(piece.source)
        if seen + length <= position:
            head.append(piece)
        elif seen >= position:
            tail.append(piece)
        else:
            cut = position - seen
            head.append(Piece(piece.frag, piece.source[:cut]))
            tail.append(Piece(piece.frag, piece.source[cut:]))
        seen += length
    return head, tail


def _cut(word: list[Piece], limit: float) -> tuple[list[Piece], list[Piece]]:
    """The longest head of ``word`` (one character at least) that fits ``limit``, and the rest; a
    combining mark stays with its letter."""
    used, seen = 0.0, 0
    for piece in word:
        face, size = piece.frag.fontName, piece.frag.fontSize
        for char in piece.source:
            width = stringWidth(_drawn(char), face, size)
            if used + width > limit + 1e-6 and seen and not unicodedata.combining(char):
                return _split_pieces(word, seen)
            used += width
            seen += 1
    return word, []


def gather_lines(blPara: Any, start: int, stop: int) -> list[Any]:
    """The fragments of lines ``start:stop`` of ``blPara`` as written (soft hyphens and zero-width spaces
    kept, no hyphen added), for setting them again at another width."""
    frags = []
    for line in blPara.lines[start:stop]:
        for piece in line.source:
            clone = piece.frag.clone()
            clone.text = piece.source
            frags.append(clone)
    if frags:
        frags[-1].text = frags[-1].text.rstrip(" ")
    return frags
