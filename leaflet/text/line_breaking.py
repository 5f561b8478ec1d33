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

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont, stringWidth
from reportlab.platypus.paragraph import ParaLines

from leaflet.text.break_places import (
    MARKERS,
    SOFT_HYPHEN,
    SPACES,
    ZERO_WIDTH_SPACE,
    break_places,
    drawn,
    may_divide,
)
from leaflet.text.hyphenation import MAX_IN_A_ROW, MIN_HEAD, Hyphenator
from leaflet.text.paragraph_lines import SimpleLine, frag_line


@dataclass
class Piece:
    """Text in one fragment's style: ``source`` as written (soft hyphens, zero-width spaces)."""

    frag: Any
    source: str


@dataclass
class Line:
    """One line being made: its items (fragment, text drawn, text as written), words joined by single
    spaces, and its width."""

    limit: float
    items: list[tuple[Any, str, str]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    """The words as drawn (for a paragraph of one fragment: reportlab's simpler lines of kind 0)."""
    sources: list[str] = field(default_factory=list)
    """The words as written (a paragraph of one fragment)."""
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
    lines: list[Any] = []
    if len(frags) != 1:
        words = _words(frags)
        state = _Breaker(widths, hyphenator, lines, shrink, frag=None)
        for index, word in enumerate(words):
            state.place(word, last=index == len(words) - 1)
        state.finish()
        return ParaLines(kind=1, lines=lines)
    _break_simple(_Breaker(widths, hyphenator, lines, shrink, frag=frags[0]), frags[0])
    frag = frags[0]  # drawn as reportlab draws a paragraph of one fragment: one string a line
    ascent, descent = getAscentDescent(frag.fontName, frag.fontSize)
    return frag.clone(kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=frag.fontSize)


def _break_simple(breaker: _Breaker, frag: Any) -> None:
    """The words of a paragraph of one fragment, placed by ``breaker``: a word that fits on the line is
    added here, in local variables (this loop is most of the time a leaflet takes to break its lines);
    the others go to :meth:`_Breaker.place`."""
    sources = [part for part in SPACES.split(getattr(frag, "text", "") or "") if part]
    measure, size, space, shrink = getFont(frag.fontName).stringWidth, frag.fontSize, breaker.space, breaker.shrink
    line = breaker.line
    texts, written, used, gaps, count, limit = line.texts, line.sources, line.width, line.gaps, line.words, line.limit
    last = len(sources) - 1
    for index, source in enumerate(sources):
        shown = MARKERS.sub("", source) if (SOFT_HYPHEN in source or ZERO_WIDTH_SPACE in source) else source
        width = measure(shown, size)
        gap = space if count else 0.0
        if used + gap + width <= limit + shrink * (gaps + gap) + 1e-6:
            texts.append(shown)
            written.append(source)
            used, gaps, count = used + gap + width, gaps + gap, count + 1
            continue
        line.width, line.gaps, line.words, line.space = used, gaps, count, space
        if count and not may_divide(shown, source, breaker.hyphenator):  # the word starts the next line
            breaker._end(space_after=True, hyphen=False)
            if width <= breaker.line.limit + 1e-6:
                line = breaker.line
                line.texts.append(shown)
                line.sources.append(source)
                line.width, line.words, line.space = width, 1, space
                texts, written, used, gaps, count, limit = line.texts, line.sources, width, 0.0, 1, line.limit
                continue
        breaker.place([Piece(frag, source)], last=index == last)
        line = breaker.line
        texts, written, used, gaps, count, limit = (
            line.texts,
            line.sources,
            line.width,
            line.gaps,
            line.words,
            line.limit,
        )
    line.width, line.gaps, line.words, line.space = used, gaps, count, space
    breaker.finish()


class _Breaker:
    def __init__(
        self, widths: list[float], hyphenator: Hyphenator | None, lines: list[Any], shrink: float, *, frag: Any
    ) -> None:
        self.frag = frag
        self.simple = frag is not None
        self.space = _space(frag.fontName, frag.fontSize) if frag is not None else 0.0
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
        if dictionary is not None and not alone and room < _shortest_head(word[0]):
            dictionary = None  # not even the shortest head the dictionary may give fits: no need to ask it
        places = break_places(text, dictionary, hyphens=alone)
        if not places:
            return None
        if len(word) == 1:
            return _split_one(word[0], places, room, hyphens=hyphens)
        for position, hyphen in places:
            if hyphen and not hyphens:
                continue
            head, tail = _split_pieces(word, position)
            if not tail or not any(drawn(piece.source) for piece in head):
                continue
            face = head[-1].frag
            hyphen = hyphen and _hyphen(face.fontName)
            extra = stringWidth(hyphen, face.fontName, face.fontSize) if hyphen else 0.0
            if _width(head) + extra <= room + 1e-6:
                return head, hyphen, tail
        return None

    def _add(self, word: list[Piece], width: float, gap: float, *, hyphen: str = "") -> None:
        line = self.line
        if self.simple:  # one fragment, so one piece a word: the common case, kept short
            piece = word[0]
            line.texts.append(drawn(piece.source) + hyphen)
            line.sources.append(piece.source)
            if hyphen:
                width += stringWidth(hyphen, piece.frag.fontName, piece.frag.fontSize)
            line.width += gap + width
            line.words += 1
            line.gaps += gap
            line.space = _space(piece.frag.fontName, piece.frag.fontSize)
            return
        items = line.items
        if line.words:  # the space between words, drawn at the end of the word before
            items.append((items[-1][0], " ", " "))
        for piece in word:
            source = piece.source
            items.append((piece.frag, drawn(source), source))
        last = word[-1].frag
        if hyphen:
            items.append((last, hyphen, ""))
            width += stringWidth(hyphen, last.fontName, last.fontSize)
        line.width += gap + width
        line.words += 1
        line.gaps += gap
        line.space = _space(last.fontName, last.fontSize)

    def _end(self, *, space_after: bool, hyphen: bool) -> None:
        line = self.line
        self.in_a_row = self.in_a_row + 1 if hyphen else 0
        if self.simple:
            made: Any = SimpleLine((line.limit - line.width, line.texts))
            made.frag, made.sources = self.frag, line.sources
            made.joiner, made.width = " " if space_after else "", line.width
        else:
            if space_after and line.items:
                line.items.append((line.items[-1][0], "", " "))
            made = frag_line(line)
            made.items, made.width = line.items, line.width
        made.divided = hyphen and not space_after
        self.lines.append(made)
        self.line = Line(self._limit())


def _shortest_head(piece: Piece) -> float:
    """The width of the shortest head a dictionary division leaves: its first letters and a hyphen."""
    frag = piece.frag
    return float(stringWidth(piece.source[:MIN_HEAD] + "-", frag.fontName, frag.fontSize))


@cache
def _space(face: str, size: float) -> float:
    return float(stringWidth(" ", face, size))


def _split_one(
    piece: Piece, places: list[tuple[int, str]], room: float, *, hyphens: bool
) -> tuple[list[Piece], str, list[Piece]] | None:
    """:meth:`_Breaker._split` for a word in one fragment (the common case)."""
    source, face, size = piece.source, piece.frag.fontName, piece.frag.fontSize
    for position, hyphen in places:
        if (hyphen and not hyphens) or position >= len(source):
            continue
        head = drawn(source[:position])
        if not head:
            continue
        hyphen = hyphen and _hyphen(face)
        if stringWidth(head + hyphen, face, size) <= room + 1e-6:
            return [Piece(piece.frag, source[:position])], hyphen, [Piece(piece.frag, source[position:])]
    return None


@cache
def _hyphen(face: str) -> str:
    """The hyphen drawn at a word's division in ``face``: the soft hyphen, which the PDF Reference
    (1.7, 10.7.1, "Incidental artifacts") asks for, so that readers can tell it from a hyphen of the
    text (U+002D) and join the word again; U+002D in a face without a glyph for it."""
    font = getFont(face)
    mapped = getattr(getattr(font, "face", None), "charToGlyph", None)
    return SOFT_HYPHEN if mapped is None or 0xAD in mapped else "-"


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


def _width(pieces: list[Piece]) -> float:
    if len(pieces) == 1:
        frag = pieces[0].frag
        return float(stringWidth(drawn(pieces[0].source), frag.fontName, frag.fontSize))
    return sum(stringWidth(drawn(piece.source), piece.frag.fontName, piece.frag.fontSize) for piece in pieces)


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
            width = stringWidth(drawn(char), face, size)
            if used + width > limit + 1e-6 and seen and not unicodedata.combining(char):
                return _split_pieces(word, seen)
            used += width
            seen += 1
    return word, []
