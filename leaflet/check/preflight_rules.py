"""The preflight rules (``pdf-*``) of ``leaflet check``, on what :mod:`leaflet.check.preflight` read from a PDF.

Consumes each page's words (position, size), filled rectangles and stroked segments, and the fonts
referenced; yields :class:`~leaflet.check.rules.Finding` s whose ``line`` is the page number. No pypdf here:
reading the PDF is :mod:`leaflet.check.preflight`'s job. ``pdf-placement`` lays the source out again with
the options recorded in the build folder's state and compares the builder's placement report.
"""

from __future__ import annotations

import itertools
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leaflet.check.findings import Finding, Severity
from leaflet.errors import Diagnostic
from leaflet.style import MIN_BODY_SIZE, MM, PAPER_SIZES

STANDARD_14 = frozenset(
    (
        *("Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique"),
        *("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique"),
        *("Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic", "Symbol", "ZapfDingbats"),
    )
)
"""The PDF base-14 fonts: readers substitute their own, so a leaflet must not rely on them."""
STANDARD_ALIASES = frozenset(("Arial", "ArialMT", "TimesNewRoman", "CourierNew", "Times", "Arial-BoldMT"))
MARGIN = 15 * MM
"""Nothing printed closer than this to a paper edge (style.py)."""
TOLERANCE = 0.5
"""Points of rounding a measure may be off by before it is reported."""
PLACEMENT_TOLERANCE = 2.0
"""How far (points) text may stand outside the box the builder reported for it."""


@dataclass(frozen=True)
class PreflightOptions:
    """What the preflight rules check against."""

    max_pages: int | None = None
    """Page budget: more pages is a ``pdf-pages`` warning (None: no budget)."""


@dataclass(frozen=True)
class Word:
    """A run of non-space characters drawn by one text operation, in page coordinates (points)."""

    text: str
    x0: float
    x1: float
    baseline: float
    bottom: float
    top: float
    size: float
    """Effective size: font size times the text matrix and CTM's vertical scale."""


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle, left/bottom/right/top in points."""

    x0: float
    y0: float
    x1: float
    y1: float

    def holds(self, word: Word, slack: float) -> bool:
        """``word`` lies inside the box grown by ``slack`` on every side (by its baseline vertically)."""
        return (
            word.x0 >= self.x0 - slack
            and word.x1 <= self.x1 + slack
            and self.y0 - slack <= word.baseline <= self.y1 + slack
        )


@dataclass
class PageContent:
    """What one page draws: words, filled rectangles and stroked segments."""

    number: int
    width: float
    height: float
    words: list[Word] = field(default_factory=list)
    filled: list[Box] = field(default_factory=list)
    strokes: list[Box] = field(default_factory=list)
    """Stroked straight segments, each as its bounding box (a horizontal line has y0 == y1)."""


def pdf_finding(
    severity: Severity, rule: str, path: Path, message: str, page: int | None = None, hint: str = ""
) -> Finding:
    return Finding(severity, rule, Diagnostic(str(path), message, page, None, hint or None))


# --- the rules --------------------------------------------------------------------------------


def _content(pages: list[PageContent | Finding]) -> Iterator[PageContent]:
    return (page for page in pages if isinstance(page, PageContent))


def rule_body_size(path: Path, pages: list[PageContent | Finding]) -> Iterator[Finding]:
    """Error: text below 9 pt (EU guideline on the readability of the package leaflet)."""
    for page in _content(pages):
        small = [word for word in page.words if word.size < MIN_BODY_SIZE - 0.05]
        if small:
            smallest = min(small, key=lambda word: word.size)
            yield pdf_finding(
                "error",
                "pdf-body-size",
                path,
                f"{len(small)} word(s) below {MIN_BODY_SIZE:g} pt on page {page.number}, the smallest "
                f"{smallest.size:g} pt ({smallest.text!r})",
                page.number,
                "the EU readability guideline asks for at least 9 pt for any text a patient reads",
            )


def rule_margins(path: Path, pages: list[PageContent | Finding]) -> Iterator[Finding]:
    """Error: text closer than 15 mm to a paper edge."""
    for page in _content(pages):
        worst: tuple[float, str, Word] | None = None
        for word in page.words:
            for side, inside in (
                ("left", word.x0 - MARGIN),
                ("right", page.width - MARGIN - word.x1),
                ("bottom", word.bottom - MARGIN),
                ("top", page.height - MARGIN - word.top),
            ):
                if inside < -TOLERANCE and (worst is None or inside < worst[0]):
                    worst = (inside, side, word)
        if worst is not None:
            depth, side, word = worst
            yield pdf_finding(
                "error",
                "pdf-margins",
                path,
                f"text in the {side} margin on page {page.number}: {word.text!r} reaches {-depth:.1f} pt "
                f"({-depth / MM:.1f} mm) into the 15 mm margin",
                page.number,
                "nothing may be printed within 15 mm of the paper edge",
            )


def rule_overlap(path: Path, pages: list[PageContent | Finding]) -> Iterator[Finding]:
    """Error: two words drawn over each other on the same line band."""
    for page in _content(pages):
        clashes = [
            (first, second)
            for band in _line_bands(page.words)
            for first, second in itertools.pairwise(sorted(band, key=lambda word: word.x0))
            if second.x0 < first.x1 - 1.0  # 1 pt: kerning may bring neighbours that close
        ]
        if clashes:
            first, second = clashes[0]
            yield pdf_finding(
                "error",
                "pdf-overlap",
                path,
                f"text drawn over other text on page {page.number}: {first.text!r} overlaps {second.text!r}"
                + (f" (and {len(clashes) - 1} more)" if len(clashes) > 1 else ""),
                page.number,
                "rebuild the leaflet; do not add text to a built PDF",
            )


def _line_bands(words: list[Word]) -> Iterator[list[Word]]:
    """Words grouped by line: baselines less than half the type size from the band's first word."""
    band: list[Word] = []
    for word in sorted(words, key=lambda word: word.baseline):
        if band and word.baseline - band[0].baseline >= 0.5 * min(word.size, band[0].size):
            yield band
            band = []
        band.append(word)
    if band:
        yield band


def rule_warning_box(path: Path, pages: list[PageContent | Finding]) -> Iterator[Finding]:
    """Error: no framed region with text in it (leaflet's warning box: a filled rect, four strokes)."""
    if any(_framed_text(page) for page in _content(pages)):
        return
    yield pdf_finding(
        "error",
        "pdf-warning-box",
        path,
        "no warning box: no framed region with text in it on any page",
        None,
        "the overdose warning must be boxed (USP <1265>); build from a monograph with a 'warning:' section",
    )


def _framed_text(page: PageContent) -> bool:
    """A filled rectangle (or the space four strokes enclose) with its four sides stroked and a word inside."""
    slack = 3.0
    for box in page.filled + _stroked_rects(page):
        if box.x1 - box.x0 < 30 or box.y1 - box.y0 < 10:
            continue
        sides = [
            any(
                abs(s.y0 - y) <= slack and abs(s.y1 - y) <= slack and s.x0 <= box.x0 + slack and s.x1 >= box.x1 - slack
                for s in page.strokes
            )
            for y in (box.y0, box.y1)
        ] + [
            any(
                abs(s.x0 - x) <= slack and abs(s.x1 - x) <= slack and s.y0 <= box.y0 + slack and s.y1 >= box.y1 - slack
                for s in page.strokes
            )
            for x in (box.x0, box.x1)
        ]
        if all(sides) and any(box.holds(word, 0) for word in page.words):
            return True
    return False


def _stroked_rects(page: PageContent) -> list[Box]:
    """Rectangles a pair of stroked horizontal lines spans (frames drawn without a fill); at most 50,
    so that a page of ruled lines costs no more than a leaflet's."""
    flat = [s for s in page.strokes if abs(s.y1 - s.y0) < 0.5]
    pairs = (
        Box(max(a.x0, b.x0), min(a.y0, b.y0), min(a.x1, b.x1), max(a.y0, b.y0))
        for i, a in enumerate(flat)
        for b in flat[i + 1 :]
        if abs(a.x0 - b.x0) < 3 and abs(a.x1 - b.x1) < 3 and abs(a.y0 - b.y0) > 10
    )
    return list(itertools.islice(pairs, 50))


def rule_fonts(path: Path, fonts: dict[str, tuple[bool, int]]) -> Iterator[Finding]:
    """Error: a font not embedded, or a standard (base-14) font referenced at all."""
    for name, (embedded, page) in fonts.items():
        base = name.split("+", 1)[-1]
        problems = []
        if base in STANDARD_14 or base in STANDARD_ALIASES:
            problems.append("is a standard (base-14) font")
        if not embedded:
            problems.append("is not embedded")
        if problems:
            yield pdf_finding(
                "error",
                "pdf-fonts",
                path,
                f"font {name} {' and '.join(problems)} (referenced on page {page})",
                page,
                "embed every font (leaflet embeds Noto Sans); a reader substitutes its own for missing ones",
            )


def rule_pages(path: Path, pages: list[PageContent | Finding], options: PreflightOptions) -> Iterator[Finding]:
    """Structure findings per page (no MediaBox, paper neither A4 nor Letter) and the page budget."""
    for page in pages:
        if isinstance(page, Finding):
            yield Finding(
                page.severity, page.rule, Diagnostic(str(path), page.diagnostic.message, page.diagnostic.line)
            )
        elif not any(
            abs(page.width - w) <= 1.5 and abs(page.height - h) <= 1.5
            for width, height in PAPER_SIZES.values()
            for w, h in ((width, height), (height, width))
        ):
            yield pdf_finding(
                "warning",
                "pdf-structure",
                path,
                f"page {page.number} is {page.width:.0f} x {page.height:.0f} pt, neither A4 nor Letter",
                page.number,
                "build with --paper a4 or --paper letter",
            )
    if options.max_pages is not None and len(pages) > options.max_pages:
        yield pdf_finding(
            "warning",
            "pdf-pages",
            path,
            f"{len(pages)} pages, more than the budget of {options.max_pages} (page {options.max_pages + 1} is over)",
            options.max_pages + 1,
            "shorten the text, or raise --max-pages",
        )


# --- cross-check with the builder's placement report --------------------------------------------


def rule_placement(path: Path, pages: list[PageContent | Finding]) -> Iterator[Finding]:
    """Error: a block is not on the page, inside the box, where the builder placed it.

    Runs only for a PDF in a folder built by ``leaflet build`` whose state names the source and the
    options, and whose source has not changed since (the layout is run again in memory).
    """
    placements = _rebuilt_placements(path)
    if placements is None:
        return
    by_page = {page.number: page for page in _content(pages)}
    groups: dict[tuple[str, int, str], list[Any]] = {}
    for placement in placements:
        groups.setdefault((placement.kind, placement.line, placement.text), []).append(placement)
    for (kind, line, text), parts in groups.items():
        found = "".join(_text_in(by_page.get(part.page), part) for part in parts)
        if _normal(text) and _normal(text) not in found:
            first = parts[0]
            yield pdf_finding(
                "error",
                "pdf-placement",
                path,
                f"{kind} {_short(text)} (source line {line}) is not where the build placed it on page {first.page} "
                f"(box at {first.x:.0f}, {first.y:.0f}, {first.width:.0f} x {first.height:.0f} pt)",
                first.page,
                "the PDF differs from what its source builds: rebuild it (leaflet build --force)",
            )


def _text_in(page: PageContent | None, placement: Any) -> str:
    if page is None:
        return ""
    box = Box(placement.x, placement.y, placement.x + placement.width, placement.y + placement.height)
    return "".join(_normal(word.text) for word in page.words if box.holds(word, PLACEMENT_TOLERANCE))


def _normal(text: str) -> str:
    """Letters and digits only, lower case, accents apart: what survives any way of drawing text."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text).casefold() if ch.isalnum())


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:39] + "\u2026")


def _rebuilt_placements(path: Path) -> tuple[Any, ...] | None:
    """The placement report of the PDF's source, laid out again, or None when it cannot be known."""
    from leaflet.build import build_leaflet
    from leaflet.errors import LeafletError
    from leaflet.jobs.library import STATE_NAME, build_identity, build_key
    from leaflet.loaders import load_for_build
    from leaflet.options import options_from_record

    for folder in path.resolve().parents:
        state_file = folder / STATE_NAME
        if state_file.is_file():
            break
    else:
        return None
    try:
        outputs = json.loads(state_file.read_text(encoding="utf-8"))["outputs"]
        entry = outputs[path.resolve().relative_to(folder).as_posix()]
        source, options = Path(entry["source"]), options_from_record(entry["options"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if options is None:
        return None  # a damaged or hand-edited state: nothing to compare with
    if not source.is_file() or build_key(source, build_identity(options)) != entry.get("key"):
        return None  # the source changed since the build: its layout says nothing about this PDF
    try:
        return build_leaflet(load_for_build(source, options), options).placements
    except LeafletError:
        return None
