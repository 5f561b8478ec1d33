"""Shaped and bidirectional text: Arabic, Urdu, Persian, Hebrew, Devanagari and Bengali (issue 11, part 3).

A paragraph is handled in logical (reading) order until a line is drawn:

1. the Unicode bidi algorithm (UAX #9, python-bidi's resolver) gives each character its embedding level,
   the paragraph's own level coming from its first strong letter, else from the leaflet's language;
2. the text is cut into items of one font (the fallback chain, :mod:`.fallback`) and one level, and
   HarfBuzz shapes each item (joining forms, lam-alef, conjuncts, reordered vowel signs, marks) with the
   paragraph around it as context;
3. lines are broken at spaces (and zero-width spaces) by the shaped advances, so a line measures what it
   draws;
4. each line's items are put in visual order (rules L1 and L2: numbers and Latin words inside a
   right-to-left line stay left to right) and drawn glyph by glyph, inside a ``/Span`` whose
   ``/ActualText`` is the line's logical text: readers (poppler's ``pdftotext``, copy and paste) give
   back the words as written, whatever glyphs, ligatures and order were drawn.

reportlab's own shaping is switched on process-wide (``rl_config.shapedFontGlob``), skips shaping and
bidi in paragraphs of several fragments (every paragraph here: one per run and font) and records the
glyphs it makes under private-use code points numbered in the order a process first meets them, so one
build's bytes would depend on what was built before it. Here a glyph with no character of its own is
given the code U+E000 + its glyph id in that font: a fixed mapping, the same bytes in every process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

import uharfbuzz as hb
from bidi import algorithm as uax9
from reportlab.pdfbase import pdfmetrics

from leaflet.text.fonts import INVISIBLE

BREAKS = frozenset(" \u200b")
"""Where a line may end: after a space or a zero-width space (neither is drawn at a line's end)."""
PRIVATE_GLYPHS = 0xE000
"""A glyph with no character of its own is encoded as U+E000 + its glyph id."""
OFF_FEATURES = {"liga": False, "clig": False, "dlig": False}
"""Latin ligatures (fi, fl) stay separate letters inside a shaped line; Arabic's required ligatures
(rlig: lam-alef) and the Indic features are not affected."""


@dataclass(frozen=True)
class Glyph:
    """One glyph HarfBuzz placed: font glyph id, the character it starts at, advance and offsets (points)."""

    gid: int
    cluster: int
    advance: float
    dx: float
    dy: float


@dataclass(frozen=True)
class Item:
    """Characters ``start:end`` in one face at one bidi level, shaped (glyphs in HarfBuzz's, visual, order)."""

    start: int
    end: int
    face: str
    level: int
    glyphs: tuple[Glyph, ...]


@dataclass(frozen=True)
class PlacedGlyph:
    """A glyph of a drawn line: face, glyph id, position from the line's left end, the character it starts at."""

    face: str
    gid: int
    x: float
    dy: float
    cluster: int
    rtl: bool


@dataclass
class ShapedText:
    """A paragraph's text (logical order) in font runs, shaped once and broken into lines per width."""

    text: str
    size: float
    base_level: int
    items: list[Item]
    advances: list[float]
    _lines: dict[tuple[float, int], list[tuple[int, int]]] = field(default_factory=dict)

    @property
    def rtl(self) -> bool:
        return self.base_level % 2 == 1

    def width(self, start: int = 0, end: int | None = None) -> float:
        return sum(self.advances[start:end])

    def lines(self, width: float, start: int = 0) -> list[tuple[int, int]]:
        """The lines (start, end) of the text from ``start`` broken to ``width``: greedy, as reportlab's;
        the lines from a line start are the tail of the lines from the text's start (reused, not broken again)."""
        whole = self._lines.get((width, 0))
        if whole is None:
            whole = self._lines[(width, 0)] = break_lines(self.text, self.advances, width, 0)
        for index, (line_start, _) in enumerate(whole):
            if line_start == start:
                return whole[index:]
        if (width, start) not in self._lines:
            self._lines[(width, start)] = break_lines(self.text, self.advances, width, start)
        return self._lines[(width, start)]

    def visual(self, start: int, end: int) -> tuple[list[PlacedGlyph], float]:
        """The glyphs of characters ``start:end`` in visual order, placed from the line's left end, and the
        line's width."""
        pieces = [item for item in self.items if item.start < end and item.end > start]
        placed: list[PlacedGlyph] = []
        x = 0.0
        for item in reorder([(item.level, item) for item in pieces]):
            for glyph in item.glyphs:
                if start <= glyph.cluster < end:
                    if self.text[glyph.cluster] not in INVISIBLE:
                        placed.append(
                            PlacedGlyph(
                                item.face, glyph.gid, x + glyph.dx, glyph.dy, glyph.cluster, item.level % 2 == 1
                            )
                        )
                    x += glyph.advance
        return placed, x

    def logical(self, start: int, end: int) -> str:
        """The characters ``start:end`` as a reader should give them back (invisible marks left out)."""
        return "".join(char for char in self.text[start:end] if char not in INVISIBLE)


def shape(
    runs: list[tuple[str, str]], size: float, *, rtl: bool | None = None, language: str | None = None
) -> ShapedText:
    """Shape ``runs`` ((text, face) in logical order, as :func:`.fallback.font_runs` makes them) at ``size``.
    ``rtl`` is the paragraph's direction when it has no strong letter (None: left to right)."""
    text = "".join(piece for piece, _ in runs)
    faces = [face for piece, face in runs for _ in piece]
    base = paragraph_level(text, rtl)
    levels = bidi_levels(text, base)
    items: list[Item] = []
    advances = [0.0] * len(text)
    codepoints = [ord(char) for char in text]
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or faces[index] != faces[start] or levels[index] != levels[start]:
            item = _shape_item(codepoints, start, index, faces[start], levels[start], size, language)
            for glyph in item.glyphs:
                advances[glyph.cluster] += glyph.advance
            items.append(item)
            start = index
    return ShapedText(text, size, base, items, advances)


def paragraph_level(text: str, rtl: bool | None) -> int:
    """0 (left to right) or 1: the first strong letter's direction (rules P2, P3), else ``rtl``'s."""
    import unicodedata

    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return 1
        if kind == "L":
            return 0
    return 1 if rtl else 0


def bidi_levels(text: str, base: int) -> list[int]:
    """Each character's resolved embedding level (rules X1-I2) in a paragraph at level ``base``.

    python-bidi's resolver drops the explicit embedding controls and boundary neutrals (rule X9: joiners,
    zero-width space); they take the level of the character before them, so they stay in its run."""
    storage = uax9.get_empty_storage()
    storage["base_level"], storage["base_dir"] = base, "LR"[base]
    uax9.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    uax9.explicit_embed_and_overrides(storage)
    uax9.resolve_weak_types(storage, False)
    resolve_brackets(storage["chars"], base)
    uax9.resolve_neutral_types(storage, False)
    uax9.resolve_implicit_levels(storage, False)
    resolved = {char["index"]: char["level"] for char in storage["chars"]}
    levels, previous = [], base
    for index in range(len(text)):
        previous = resolved.get(index, previous)
        levels.append(previous)
    return levels


BRACKETS = {
    "(": ")",
    "[": "]",
    "{": "}",
    "\uff08": "\uff09",
    "\uff3b": "\uff3d",
    "\uff5b": "\uff5d",
    "\ufd3e": "\ufd3f",
}
"""Paired brackets (Bidi_Paired_Bracket_Type Open: their Close), for rule N0."""
BRACKET_STACK_LIMIT = 63


def resolve_brackets(chars: list[dict[str, Any]], base: int) -> None:
    """Rule N0 (Unicode 6.3; python-bidi's resolver predates it): a pair of brackets takes the direction of
    the strong text inside it when that matches the embedding direction, else the direction of the text
    inside when the text before the pair has it too, else the embedding direction. "(Baclofen)" inside
    Hebrew keeps both brackets around the word instead of one bracket flipping to the far side.
    Simplified to one isolating run per embedding level (leaflets do not nest explicit embeddings)."""
    for opening, closing in _bracket_pairs(chars):
        level = chars[opening]["level"]
        embedding = "R" if level % 2 else "L"
        inside = {_strong(char["type"]) for char in chars[opening + 1 : closing]} - {None}
        if embedding in inside:
            direction = embedding
        elif inside:
            before = next((_strong(char["type"]) for char in reversed(chars[:opening]) if _strong(char["type"])), None)
            direction = (before or ("R" if base % 2 else "L")) if (before or "") != embedding else embedding
        else:
            continue
        chars[opening]["type"] = chars[closing]["type"] = direction


def _strong(kind: str) -> str | None:
    """A resolved type as rule N0 sees it: L, or R (numbers count as R), or None for a neutral."""
    return "L" if kind == "L" else "R" if kind in ("R", "AL", "EN", "AN") else None


def _bracket_pairs(chars: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Rule BD16: the indexes of matching bracket pairs (neutral ones at one level), in order of opening."""
    stack: list[tuple[str, int]] = []
    pairs = []
    for index, char in enumerate(chars):
        if char["type"] != "ON":
            continue
        if char["ch"] in BRACKETS:
            if len(stack) == BRACKET_STACK_LIMIT:
                break
            stack.append((BRACKETS[char["ch"]], index))
        elif char["ch"] in BRACKETS.values():
            for depth in range(len(stack) - 1, -1, -1):
                closing, opening = stack[depth]
                if closing == char["ch"] and chars[opening]["level"] == char["level"]:
                    pairs.append((opening, index))
                    del stack[depth:]
                    break
    return sorted(pairs)


def reorder(pieces: list[tuple[int, Any]]) -> list[Any]:
    """Rule L2: from the highest level down to the lowest odd one, reverse every run of pieces at that
    level or higher. ``pieces`` are (level, piece) in logical order; the pieces come back in visual order."""
    if not pieces:
        return []
    order = list(pieces)
    highest = max(level for level, _ in order)
    lowest_odd = min((level for level, _ in order if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        index = 0
        while index < len(order):
            if order[index][0] < level:
                index += 1
                continue
            end = index
            while end < len(order) and order[end][0] >= level:
                end += 1
            order[index:end] = reversed(order[index:end])
            index = end
    return [piece for _, piece in order]


def break_lines(text: str, advances: list[float], width: float, start: int) -> list[tuple[int, int]]:
    """Greedy lines of ``text`` from ``start`` no wider than ``width``: (start, end) with the spaces at a
    break left out; a word wider than a line is cut between clusters."""
    lines = []
    length = len(text)
    while start < length and text[start] in BREAKS:
        start += 1
    while start < length:
        used, index, last_break = 0.0, start, None
        while index < length:
            if text[index] in BREAKS:
                last_break = index
            elif used + advances[index] > width and index > start:
                break
            used += advances[index]
            index += 1
        if index == length:
            end = next_start = length
        elif last_break is not None and last_break > start:
            end, next_start = last_break, last_break
        else:  # one word wider than the line: cut it before the cluster that overflows
            end = next_start = _cluster_start(advances, start, index)
        while end > start and text[end - 1] in BREAKS:
            end -= 1
        lines.append((start, end))
        start = next_start
        while start < length and text[start] in BREAKS:
            start += 1
    return lines


def _cluster_start(advances: list[float], start: int, index: int) -> int:
    """The start of the cluster ``index`` is in (its marks have no advance of their own), after ``start``."""
    while index > start + 1 and advances[index] == 0:
        index -= 1
    return index


@cache
def _hb_font(face: str) -> Any:
    """A HarfBuzz font for the registered reportlab face ``face`` (its TrueType bytes)."""
    font = hb.Font(hb.Face(hb.Blob(pdfmetrics.getFont(face).face._ttf_data)))
    return font


def _shape_item(
    codepoints: list[int], start: int, end: int, face: str, level: int, size: float, language: str | None
) -> Item:
    font = _hb_font(face)
    buffer = hb.Buffer()
    buffer.add_codepoints(codepoints, start, end - start)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if level % 2 else "ltr"
    if language:
        buffer.language = language
    buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_GRAPHEMES
    hb.shape(font, buffer, OFF_FEATURES if buffer.script == "Latn" else {})
    scale = size / font.face.upem
    glyphs = tuple(
        Glyph(info.codepoint, info.cluster, position.x_advance * scale, position.x_offset * scale,
              position.y_offset * scale)
        for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)
    )  # fmt: skip
    return Item(start, end, face, level, glyphs)
