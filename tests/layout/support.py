"""What the layout tests share: the monographs and option sets they run over, and a read-back of
one built leaflet that ties the monograph's text to the characters and drawings of its PDF.

Characters and drawings are read with pdfminer directly (:func:`read_page_objects`): the same
characters as ``PdfFacts.chars`` (``test_reading_back.py`` checks that), without pdfplumber's
per-object conversions, which would take most of the run time of these tests.

Characters are matched to the monograph's text in a *body stream*: every character of the PDF in
content-stream order, less the running header and footer bands and the marks leaflet adds where a
warning box splits ("Continued in/on ...", "Continued: heading"). Those marks and the running text are drawn
between the two halves of a paragraph that runs over a column or page break, so a search over all
characters (``PdfFacts.find``) cannot find such a paragraph whole. The body stream is normalised
exactly like ``PdfFacts.stream``, one character at a time (see :func:`key`).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any

import pytest
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTComponent, LTFigure, LTLine, LTRect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

from leaflet import BuildOptions, Rendered, build_leaflet
from leaflet.loaders import load_monograph
from leaflet.model import Block, BulletList, Monograph, Paragraph, Section, TextAt, iter_sections, iter_text, plain
from leaflet.report import Placement
from leaflet.style import MM, PageGeometry, TypeScale, style_for
from tests.conftest import MONOGRAPHS, SAMPLE, SEED_TEXT, build
from tests.pdf_facts import Char, PdfFacts, is_bold, norm

MARGIN = 15 * MM
"""Nothing printed closer than this to a paper edge (print shops' safe area)."""
PAPER_POINTS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
CONTENT_KINDS = ("title", "heading", "paragraph", "lead", "item")
"""Kinds of monograph text a patient reads in the body of the leaflet (``iter_text`` less meta)."""
BULLET = "\u2022"


def key(text: str) -> str:
    """``text`` normalised like ``PdfFacts.stream``: one character at a time.

    ``PdfFacts.find`` lower-cases the whole target string, which turns a word-final capital sigma
    into final sigma while the PDF side, lower-cased one character at a time, keeps plain sigma:
    "ΠΡΟΦΥΛΑΞΕΙΣ" would never be found. Normalising each character on its own avoids that.
    """
    return "".join(norm(char) for char in unicodedata.normalize("NFC", text))


# --- what the tests run over ---------------------------------------------------------------


OWN_TEST_ONLY = {"nested_warning.yaml": "test_edge_cases.py"}
"""Monographs built only by their own test (in every option set, with its own checks): each was a
crash case, and one crash should fail one test, not dozens."""


def _sources() -> dict[str, Path]:
    found = {"sample": SAMPLE, "seed": SEED_TEXT}
    for path in sorted(MONOGRAPHS.iterdir()):
        if path.suffix in (".yaml", ".txt") and path != SEED_TEXT and path.name not in OWN_TEST_ONLY:
            found[path.name] = path
    return found


SOURCES = _sources()


@dataclass(frozen=True)
class Options:
    """One option set, with a short name for test ids."""

    name: str
    paper: str
    columns: int
    large_print: bool

    def kwargs(self) -> dict[str, object]:
        return {"paper": self.paper, "columns": self.columns, "large_print": self.large_print}

    def build_options(self) -> BuildOptions:
        return BuildOptions(paper=self.paper, columns=self.columns, large_print=self.large_print)  # type: ignore[arg-type]


A4_2 = Options("a4-2col", "a4", 2, False)
A4_1 = Options("a4-1col", "a4", 1, False)
LETTER_2 = Options("letter-2col", "letter", 2, False)
LETTER_1 = Options("letter-1col", "letter", 1, False)
A4_LARGE = Options("a4-large", "a4", 1, True)
LETTER_LARGE = Options("letter-large", "letter", 1, True)
ALL_OPTIONS = [A4_2, A4_1, LETTER_2, LETTER_1, A4_LARGE, LETTER_LARGE]
CORE_OPTIONS = [A4_2, LETTER_1, A4_LARGE]
"""Every monograph is built with these: both papers, both column counts, and large print."""
FULL_MATRIX_SOURCES = ("sample", "seed", "long_warning.yaml", "long_tokens.yaml")
"""These are also built with every other option set."""


def matrix(names: Iterable[str] | None = None) -> list[pytest.param]:
    """``pytest.param(name, options)`` for every monograph in ``names`` (default: all) and its option sets."""
    params = []
    for name in names if names is not None else SOURCES:
        option_sets = ALL_OPTIONS if name in FULL_MATRIX_SOURCES else CORE_OPTIONS
        params.extend(pytest.param(name, options, id=f"{name}-{options.name}") for options in option_sets)
    return params


def sources_with(options: Options, names: Iterable[str] | None = None) -> list[pytest.param]:
    """``pytest.param(name, options)`` for every monograph in ``names`` (default: all) with one option set."""
    return [pytest.param(name, options, id=f"{name}-{options.name}") for name in names or SOURCES]


# --- reading a PDF ------------------------------------------------------------------------


@dataclass(frozen=True)
class PageObjects:
    """The characters (in content-stream order, forms included) and drawings of a PDF, by page."""

    chars: list[Char]
    rects: dict[int, list[dict[str, Any]]]
    """Rectangles as pdfplumber describes them: x0, x1, top, bottom, width, height, fill, stroke, linewidth."""
    lines: dict[int, list[dict[str, Any]]]
    """Straight lines, described the same way."""


def read_page_objects(data: bytes) -> PageObjects:
    """Every character, rectangle and line of the PDF ``data``, in pdfplumber's coordinates (from the top)."""
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    chars: list[Char] = []
    rects: dict[int, list[dict[str, Any]]] = {}
    lines: dict[int, list[dict[str, Any]]] = {}

    def shape(item: LTComponent, height: float) -> dict[str, Any]:
        return {
            "x0": item.x0, "x1": item.x1, "top": height - item.y1, "bottom": height - item.y0,
            "width": item.width, "height": item.height, "fill": getattr(item, "fill", False),
            "stroke": getattr(item, "stroke", False), "linewidth": getattr(item, "linewidth", 0),
        }  # fmt: skip

    def walk(items: Iterable[LTComponent], number: int, height: float) -> None:
        for item in items:
            if isinstance(item, LTChar):
                top, bottom = height - item.y1, height - item.y0
                chars.append(Char(item.get_text(), number, item.x0, item.x1, top, bottom, item.size, item.fontname))
            elif isinstance(item, LTFigure):
                walk(item, number, height)
            elif isinstance(item, LTRect):
                rects.setdefault(number, []).append(shape(item, height))
            elif isinstance(item, LTLine):
                lines.setdefault(number, []).append(shape(item, height))

    for number, page in enumerate(PDFPage.get_pages(io.BytesIO(data)), start=1):
        interpreter.process_page(page)
        layout = device.get_result()
        walk(layout, number, layout.height)
    return PageObjects(chars, rects, lines)


# --- one built leaflet, read back --------------------------------------------------------


@dataclass(frozen=True)
class Located:
    """One piece of the monograph's text and the characters that draw it."""

    piece: TextAt
    chars: list[Char]

    @property
    def text(self) -> str:
        """The characters drawn, less the soft hyphens that mark where the layout divided a word."""
        return "".join(char.text for char in self.chars if char.text != "\u00ad")

    def lines(self) -> list[list[Char]]:
        """The piece's characters line by line (a new line where the baseline or page changes)."""
        return split_lines(self.chars)


def split_lines(chars: list[Char]) -> list[list[Char]]:
    lines: list[list[Char]] = []
    for char in chars:
        if char.text.isspace():
            continue
        if lines and lines[-1][-1].page == char.page and abs(lines[-1][-1].bottom - char.bottom) < 1.0:
            lines[-1].append(char)
        else:
            lines.append([char])
    return lines


def inside(char: Char, placement: Placement, page_height: float, slack: float = 0.5) -> bool:
    """Whether ``char``'s box lies within ``placement``'s rectangle (PDF coordinates), give or take ``slack``."""
    top = page_height - (placement.y + placement.height)
    bottom = page_height - placement.y
    return (
        char.page == placement.page
        and char.x0 >= placement.x - slack
        and char.x1 <= placement.x + placement.width + slack
        and char.top >= top - slack
        and char.bottom <= bottom + slack
    )


class Leaflet:
    """A monograph built with one option set, and what its PDF says about it."""

    def __init__(self, name: str, options: Options, monograph: Monograph, rendered: Rendered, facts: PdfFacts) -> None:
        self.name = name
        self.options = options
        self.monograph = monograph
        self.rendered = rendered
        self.facts = facts
        style = style_for(options.build_options())
        self.page: PageGeometry = style.page
        self.scale: TypeScale = replace(style.scale, body=rendered.body_size, leading=rendered.leading)
        """The sizes the leaflet was set in: the options' own, but tighter if pulled back onto fewer pages."""
        self.box_inset = style.box_padding + style.box_frame_width
        self.box_frame_width = style.box_frame_width

    @classmethod
    def of_source(cls, name: str, options: Options, path: Path | None = None) -> Leaflet:
        """Monograph ``name`` of :data:`SOURCES` (or at ``path``), built through the session cache."""
        path = path or SOURCES[name]
        rendered, facts = build(path, **options.kwargs())
        return cls(name, options, load_monograph(path), rendered, facts)

    @classmethod
    def of_monograph(cls, monograph: Monograph, options: Options, name: str = "<memory>") -> Leaflet:
        """``monograph`` built now (not cached), its blocks numbered first (see :func:`numbered`)."""
        monograph = numbered(monograph)
        rendered = build_leaflet(monograph, options.build_options())
        return cls(name, options, monograph, rendered, PdfFacts(rendered.pdf))

    def __repr__(self) -> str:
        return f"<Leaflet {self.name} {self.options.name}>"

    @cached_property
    def objects(self) -> PageObjects:
        return read_page_objects(self.rendered.pdf)

    @property
    def chars(self) -> list[Char]:
        """Every character drawn, in content-stream order (as ``PdfFacts.chars``)."""
        return self.objects.chars

    def rects(self, page: int) -> list[dict[str, Any]]:
        return self.objects.rects.get(page, [])

    def lines(self, page: int) -> list[dict[str, Any]]:
        return self.objects.lines.get(page, [])

    # geometry -------------------------------------------------------------------------

    @property
    def page_height(self) -> float:
        return self.page.height

    def column_lefts(self) -> list[float]:
        return [
            self.page.side_margin + i * (self.page.column_width + self.page.column_gap)
            for i in range(self.page.columns)
        ]

    def column_of(self, x: float) -> int:
        """Index of the column whose left edge is the nearest at or left of ``x``."""
        lefts = self.column_lefts()
        return max((i for i, left in enumerate(lefts) if left <= x + 0.5), default=0)

    def in_running_bands(self, char: Char) -> bool:
        """Whether ``char`` lies in the running header or footer band, outside the text area."""
        body_top = self.page_height - self.page.body_top  # from the top of the page
        body_bottom = self.page_height - self.page.body_bottom
        return char.bottom <= body_top + 0.5 or char.top >= body_bottom - 0.5

    # the placement report ----------------------------------------------------------------

    @property
    def placements(self) -> tuple[Placement, ...]:
        return self.rendered.placements

    def of_kind(self, *kinds: str) -> list[Placement]:
        return [p for p in self.placements if p.kind in kinds]

    def box_parts(self) -> dict[int, list[Placement]]:
        """The drawn parts of each warning box, by the warning's source line, in drawing order."""
        parts: dict[int, list[Placement]] = {}
        for placement in self.of_kind("warning-box"):
            parts.setdefault(placement.line, []).append(placement)
        return parts

    def contained(
        self, part: Placement, kinds: tuple[str, ...] = (*CONTENT_KINDS, "continued-heading")
    ) -> list[Placement]:
        """Placements of ``kinds`` that lie within the rectangle of ``part``."""
        return [
            p
            for p in self.placements
            if p.kind in kinds
            and p.page == part.page
            and p.x >= part.x - 0.5
            and p.x + p.width <= part.x + part.width + 0.5
            and p.y >= part.y - 0.5
            and p.y + p.height <= part.y + part.height + 0.5
        ]

    def chars_in(self, placement: Placement, slack: float = 0.5, *, spaces: bool = False) -> list[Char]:
        """The characters within ``placement``'s rectangle (white space only if ``spaces``)."""
        return [
            c for c in self.chars if (spaces or not c.text.isspace()) and inside(c, placement, self.page_height, slack)
        ]

    @cached_property
    def continuation_marks(self) -> dict[tuple[int, int], list[Char]]:
        """The characters of the mark at the foot of every non-final box part, by (line, part index).

        The mark is whatever a part draws below its lowest piece of content.
        """
        marks: dict[tuple[int, int], list[Char]] = {}
        for line, parts in self.box_parts().items():
            for index, part in enumerate(parts[:-1]):
                content = self.contained(part)
                lowest = min((p.y for p in content), default=part.y + part.height)
                floor = self.page_height - lowest  # from the top of the page
                marks[(line, index)] = [c for c in self.chars_in(part, spaces=True) if c.top >= floor - 1.0]
        return marks

    @cached_property
    def continuation_chars(self) -> set[int]:
        """ids of the characters of "Continued" marks and "(continued)" headings."""
        ids = {id(char) for chars in self.continuation_marks.values() for char in chars}
        for placement in self.of_kind("continued-heading"):
            ids.update(id(char) for char in self.chars_in(placement, slack=1.0, spaces=True))
        return ids

    # the text ---------------------------------------------------------------------------

    @cached_property
    def body_chars(self) -> list[Char]:
        """The characters of the body stream (see the module docstring)."""
        skip = self.continuation_chars
        return [c for c in self.chars if not self.in_running_bands(c) and id(c) not in skip]

    @cached_property
    def running_chars(self) -> list[Char]:
        return [c for c in self.chars if self.in_running_bands(c)]

    @cached_property
    def _stream(self) -> tuple[str, list[int]]:
        letters: list[str] = []
        owners: list[int] = []
        for index, char in enumerate(self.body_chars):
            for letter in norm(char.text):
                letters.append(letter)
                owners.append(index)
        return "".join(letters), owners

    def position_of(self, char: Char) -> int:
        """Where the first letter of ``char`` is in the body stream."""
        index = next(i for i, c in enumerate(self.body_chars) if c is char)
        return self._stream[1].index(index)

    def find(self, text: str, start: int = 0) -> tuple[int, list[Char]]:
        """Like ``PdfFacts.find`` over the body stream: the position after ``text`` and its characters.

        The characters are widened to take in the punctuation at either end of ``text`` (which the
        normalised stream leaves out), so that they draw ``text`` whole.
        """
        stream, owners = self._stream
        target = key(text)
        at = stream.find(target, start) if target else -1
        if at < 0:
            return -1, []
        first, last = owners[at], owners[at + len(target) - 1]
        first, last = self._widen(text, first, last)
        return at + len(target), self.body_chars[first : last + 1]

    def _widen(self, text: str, first: int, last: int) -> tuple[int, int]:
        text = unicodedata.normalize("NFC", text)
        letters = [i for i, c in enumerate(text) if norm(c)]
        if not letters:
            return first, last
        chars = self.body_chars
        for expected in reversed([c for c in text[: letters[0]] if not c.isspace()]):
            step = first - 1
            while step >= 0 and chars[step].text.isspace():
                step -= 1
            if step < 0 or chars[step].text != expected:
                break
            first = step
        for expected in [c for c in text[letters[-1] + 1 :] if not c.isspace()]:
            step = last + 1
            while step < len(chars) and chars[step].text.isspace():
                step += 1
            if step == len(chars) or chars[step].text != expected:
                break
            last = step
        return first, last

    def pieces(self) -> list[TextAt]:
        """The monograph's text a patient reads in the body, in reading order."""
        return [piece for piece in iter_text(self.monograph) if piece.kind in CONTENT_KINDS]

    @cached_property
    def located(self) -> list[Located]:
        """Every piece found in the body stream in reading order; fails the test at the first one missing."""
        found = []
        position = 0
        for piece in self.pieces():
            if not key(piece.text):
                continue
            at, chars = self.find(piece.text, position)
            if at < 0:
                anywhere = self.find(piece.text)[0] >= 0
                problem = "out of order" if anywhere else "missing"
                pytest.fail(f"{self}: {piece.kind} on line {piece.line} {problem}: {piece.text[:80]!r}")
            found.append(Located(piece, chars))
            position = at
        return found

    def located_kind(self, *kinds: str) -> list[Located]:
        return [item for item in self.located if item.piece.kind in kinds]

    # structure ----------------------------------------------------------------------------

    def sections(self) -> list[tuple[int, Section]]:
        return list(iter_sections(self.monograph.body))

    def warning_sections(self) -> list[Section]:
        return [section for _, section in self.sections() if section.warning]

    def warning_pieces(self) -> list[Located]:
        """The located pieces that belong to a warning section (its heading and everything under it)."""
        wanted: set[tuple[str, int, str]] = set()
        for section in self.warning_sections():
            wanted.update(_section_pieces(section))
        return [item for item in self.located if (item.piece.kind, item.piece.line, item.piece.text) in wanted]


def _section_pieces(section: Section) -> Iterator[tuple[str, int, str]]:
    """(kind, line, text) of the heading of ``section`` and of everything under it."""
    yield "heading", section.line, section.heading
    for block in section.body:
        if isinstance(block, Paragraph):
            yield "paragraph", block.line, plain(block.runs)
        elif isinstance(block, BulletList):
            if block.lead is not None:
                yield "lead", block.lead.line, plain(block.lead.runs)
            for item in block.items:
                yield "item", item.line, plain(item.runs)
        else:
            yield from _section_pieces(block)


def numbered(monograph: Monograph) -> Monograph:
    """``monograph`` with every block on a line of its own (1, 2, 3, ... in reading order), as if read from
    a file: the tests tell pieces and warning boxes apart by their source lines."""
    counter = iter(range(2, 1_000_000))

    def paragraph(block: Paragraph) -> Paragraph:
        return replace(block, line=next(counter))

    def blocks(items: tuple[Block, ...]) -> tuple[Block, ...]:
        result: list[Block] = []
        for block in items:
            if isinstance(block, Paragraph):
                result.append(paragraph(block))
            elif isinstance(block, BulletList):
                line = next(counter)
                lead = paragraph(block.lead) if block.lead is not None else None
                result.append(replace(block, line=line, lead=lead, items=tuple(paragraph(i) for i in block.items)))
            else:
                line = next(counter)
                result.append(replace(block, line=line, body=blocks(block.body)))
        return tuple(result)

    return replace(monograph, body=blocks(monograph.body), lines={"title": 1, "drug": 1})


_leaflets: dict[tuple[str, str], Leaflet] = {}


def leaflet(name: str, options: Options) -> Leaflet:
    """The built leaflet of monograph ``name`` with ``options`` (one per session)."""
    cache_key = (name, options.name)
    if cache_key not in _leaflets:
        _leaflets[cache_key] = Leaflet.of_source(name, options)
    return _leaflets[cache_key]


def font_is_italic(font: str) -> bool:
    return "italic" in font.lower() or "oblique" in font.lower()


__all__ = [
    "ALL_OPTIONS",
    "BULLET",
    "CONTENT_KINDS",
    "CORE_OPTIONS",
    "MARGIN",
    "PAPER_POINTS",
    "SOURCES",
    "Leaflet",
    "Located",
    "Options",
    "font_is_italic",
    "inside",
    "is_bold",
    "key",
    "leaflet",
    "matrix",
    "numbered",
    "sources_with",
    "split_lines",
]
