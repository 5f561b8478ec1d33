"""Drawing shaped lines: glyph ids into reportlab's font subsets, each line in an ``/ActualText`` span.

reportlab embeds a TrueType font as subsets of at most 256 codes, each code standing for a character the
font maps to a glyph. A shaped glyph is drawn through the character the font maps to it when it has one
(a plain letter: its ToUnicode entry stays that letter) and otherwise through U+E000 + its glyph id,
entered once in the face's character map (a fixed, process-independent mapping: the same bytes in every
build). The ``/ActualText`` of the marked-content span around a line gives readers the logical text, so
private-use codes never reach ``pdftotext`` or copy and paste.

Glyphs are written in logical order (the order of the characters they draw), each at its visual position:
extractors that read the content stream in order and ignore ``/ActualText`` still meet the letters of a
right-to-left line in reading order.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics

from leaflet.text.fonts import INVISIBLE
from leaflet.text.shaping import PRIVATE_GLYPHS, PlacedGlyph, ShapedText, shape

MAX_PRIVATE = 0xF8FF


def glyph_code(font: Any, gid: int) -> int:
    """The code point ``font`` draws glyph ``gid`` through (see the module docstring)."""
    face = font.face
    chars = face.glyphToChar.get(gid)
    if chars:  # reportlab draws U+00A0 through the space's code, 32: a no-break space's glyph is drawn as one
        usable = [char if char != 0xA0 else 0x20 for char in chars if char < 0x10000]
        if usable:
            return min(usable)
    code = PRIVATE_GLYPHS + gid
    if code > MAX_PRIVATE:  # no bundled font has that many glyphs; a user's font might
        raise ValueError(f"glyph {gid} of {font.fontName} is past the private-use codes")
    if face.charToGlyph.get(code) != gid:
        hb_font = _advance_source(font)
        face.charToGlyph[code] = gid
        face.charWidths[code] = round(hb_font.get_glyph_h_advance(gid) * 1000 / hb_font.face.upem)
    return code


def _advance_source(font: Any) -> Any:
    from leaflet.text.shaping import _hb_font

    return _hb_font(font.fontName)


def actual_text(text: str) -> str:
    """``text`` as a PDF text string (UTF-16BE with its byte-order mark, in hex)."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


@dataclass
class _Cluster:
    """The glyphs that draw characters ``start:`` of a line, what they read, and whether they run left to right."""

    start: int
    glyphs: list[PlacedGlyph]
    reads: str = ""

    @property
    def ltr(self) -> bool:
        return not self.glyphs[0].rtl


def draw_glyphs(canvas: Any, x: float, y: float, shaped: ShapedText, start: int, end: int) -> float:
    """Draw the line ``start:end`` of ``shaped`` from ``x`` (its left end) on the baseline ``y``; returns its width.

    A cluster whose glyphs do not spell its characters (a joining form, a ligature, a conjunct, a vowel sign
    drawn before its consonant) is a span with its ``/ActualText``. Readers lay a span's characters out left
    to right in its box and then read a right-to-left line from the right: a right-to-left cluster of several
    characters (lam-alef, a letter with its marks) is given reversed, as poppler expects, and a left-to-right
    stretch inside a right-to-left line ("10 mg (Baclofen)") is one span, so that its words are not read
    from the right."""
    glyphs, width = shaped.visual(start, end)
    writer = _Operators(canvas._doc, shaped.size, x, y, getattr(canvas, "glyph_marks", None))
    for reads, members, whole in _spans(_clusters(glyphs, shaped.text, end), rtl=shaped.rtl):
        codes = [glyph_code(pdfmetrics.getFont(glyph.face), glyph.gid) for glyph in members]
        writer.run(members, reads if whole or len(codes) > 1 or "".join(map(chr, codes)) != reads else None)
    canvas._code.append(writer.finish())
    return width


class _Operators:
    """The operators of one line: glyphs in a text object, each cluster that needs it in an ActualText span.

    Untagged, a span is marked content nested in the text object. On a tagging canvas (``marks``: see
    :class:`leaflet.layout.tagging.GlyphMarks`) a span is a marked-content sequence of its own, of the
    element being drawn, between text objects: readers that track MCIDs (poppler, pdfminer) lose them
    inside a nested sequence."""

    def __init__(self, doc: Any, size: float, x: float, y: float, marks: Any) -> None:
        self.doc, self.size, self.x, self.y, self.marks = doc, size, x, y, marks
        self.lines: list[str] = ["BT"] if marks is None else []
        self.in_text = marks is None
        self.current = ""

    def _glyphs(self, members: list[PlacedGlyph]) -> list[int]:
        """Draw ``members``; the character codes drawn."""
        codes: list[int] = []
        for glyph in members:
            font = pdfmetrics.getFont(glyph.face)
            code = glyph_code(font, glyph.gid)
            codes.append(code)
            subset, data = font.splitString(chr(code), self.doc)[0]
            name = font.getSubsetInternalName(subset, self.doc)
            if name != self.current:
                self.lines.append(f"{name} {fp_str(self.size)} Tf")
                self.current = name
            self.lines.append(f"1 0 0 1 {fp_str(self.x + glyph.x)} {fp_str(self.y + glyph.dy)} Tm <{data.hex()}> Tj")
        return codes

    def _begin_text(self) -> None:
        if not self.in_text:
            self.lines += [self.marks.resume(), "BT"]
            self.in_text, self.current = True, ""

    def run(self, members: list[PlacedGlyph], actual: str | None) -> None:
        """Draw ``members``; ``actual``: what they read when their glyphs do not spell it."""
        if actual is None:
            self._begin_text()
            self._glyphs(members)
        elif self.marks is None:
            self.lines.append(f"/Span <</ActualText {actual_text(actual)}>> BDC")
            _reach_span_end(self.lines, members, self._glyphs(members), self.size)
            self.lines.append("EMC")
        else:
            if self.in_text:
                self.lines.append("ET")
            opened, closed = self.marks.actual_text(actual_text(actual))
            self.lines += [opened, "BT"]
            self.current = ""
            _reach_span_end(self.lines, members, self._glyphs(members), self.size)
            self.lines += ["ET", closed]
            self.in_text = False

    def finish(self) -> str:
        if self.in_text:
            self.lines.append("ET")
        return "\n".join(line for line in self.lines if line)


def _reach_span_end(operators: list[str], members: list[PlacedGlyph], codes: list[int], size: float) -> None:
    """Make the span's last glyph advance to where the span ends, with character spacing (``Tc``: no ink
    moves, every glyph has its own ``Tm``). poppler sets a span's ``/ActualText`` in the box from its first
    glyph's origin to its last glyph's advance: a zero-width mark drawn last ("कं", "र्क", a vowel sign)
    left the box short of the next letter by the width of its base, and poppler read that gap as a space
    inside the word."""
    last = members[-1]
    font = pdfmetrics.getFont(last.face)
    reaches = last.x + font.face.charWidths.get(codes[-1], font.face.defaultWidth) * size / 1000
    short = max(glyph.end for glyph in members) - reaches
    if short > 0.01:
        operators[-1:] = [f"{fp_str(short)} Tc", operators[-1], "0 Tc"]


def _clusters(glyphs: list[PlacedGlyph], text: str, end: int) -> list[_Cluster]:
    """The glyphs grouped by the cluster they draw (in logical order), each with the characters it reads."""
    clusters: list[_Cluster] = []
    for glyph in sorted(glyphs, key=lambda placed: placed.cluster):
        if clusters and clusters[-1].start == glyph.cluster:
            clusters[-1].glyphs.append(glyph)
        else:
            clusters.append(_Cluster(glyph.cluster, [glyph]))
    for index, cluster in enumerate(clusters):
        stop = clusters[index + 1].start if index + 1 < len(clusters) else end
        reads = "".join(char for char in text[cluster.start : stop] if char not in INVISIBLE)
        reads = reads.rstrip(" ") or reads
        cluster.reads = reads[::-1] if not cluster.ltr and len(reads) > 1 else reads
    return clusters


def _spans(clusters: list[_Cluster], *, rtl: bool) -> list[tuple[str, list[PlacedGlyph], bool]]:
    """(what it reads, glyphs, whether it must be a span): clusters, and in a right-to-left line each
    left-to-right stretch (with the spaces inside it) as one."""
    spans: list[tuple[str, list[PlacedGlyph], bool]] = []
    index = 0
    while index < len(clusters):
        stop = index + 1
        if rtl and clusters[index].ltr:
            while stop < len(clusters) and (clusters[stop].ltr or _joins(clusters, stop)):
                stop += 1
            while stop - 1 > index and not clusters[stop - 1].ltr:
                stop -= 1
        if stop - index > 1:
            stretch = clusters[index:stop]
            glyphs = sorted((glyph for cluster in stretch for glyph in cluster.glyphs), key=lambda glyph: glyph.x)
            spans.append(("".join(cluster.reads for cluster in stretch), glyphs, True))
        else:
            spans.append((clusters[index].reads, clusters[index].glyphs, False))
        index = stop
    return spans


def _joins(clusters: list[_Cluster], index: int) -> bool:
    """Spaces and signs (no letter) between left-to-right clusters of a right-to-left line: they belong to
    the stretch ("2026-12-01", "10 mg")."""
    while (
        index < len(clusters) and not clusters[index].ltr and not any(char.isalpha() for char in clusters[index].reads)
    ):
        index += 1
    return index < len(clusters) and clusters[index].ltr


def shaped_line(text: str, face: str, size: float, extra: tuple[str, ...] | None, *, rtl: bool) -> ShapedText:
    """``text`` (one line: page furniture, band words) shaped in ``face`` with fallbacks."""
    from leaflet.text.fallback import font_runs

    return shape(font_runs(unicodedata.normalize("NFC", text), face, extra), size, rtl=rtl)


def shaped_width(text: str, face: str, size: float, extra: tuple[str, ...] | None, *, rtl: bool = False) -> float:
    """The width of ``text`` shaped on one line."""
    return shaped_line(text, face, size, extra, rtl=rtl).width()


def draw_shaped(
    canvas: Any, x: float, y: float, text: str, face: str, size: float, extra: tuple[str, ...] | None, *, rtl: bool
) -> float:
    """Draw ``text`` shaped on one line from ``x`` (its left end); returns its width."""
    shaped = shaped_line(text, face, size, extra, rtl=rtl)
    return draw_glyphs(canvas, x, y, shaped, 0, len(shaped.text))
