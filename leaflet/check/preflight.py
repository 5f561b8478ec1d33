"""Preflight of built leaflet PDFs: what ``leaflet check`` finds in a ``.pdf`` (rules ``pdf-*``).

Consumes a PDF file (and, when it sits in a folder built by ``leaflet build``, the folder's state)
and returns :class:`~leaflet.check.rules.Finding` s whose ``line`` is the page number. This module and
:mod:`leaflet.orders.attach` are the only ones that import pypdf.

How the PDF is read: pypdf opens it (``strict=True``: a file that needs repair is a
``pdf-structure`` error, then it is read again with repairs) and tokenises each page's content
stream (:class:`pypdf.generic.ContentStream`); a small interpreter here follows the graphics state
(``q``/``Q``/``cm``, form XObjects), the text state (``Tm``, ``Td``, ``Tf``, ``Tc``, ``Tw``, ``Tz``, ...)
and the path operators (``re``, ``m``/``l``, ``S``/``f``...). Each character's position and size come
from the text matrix times the CTM; its advance from the font's ``/Widths`` (``/W`` for CID fonts).
A font without widths (the standard 14, which leaflet never uses) is taken as 0.5 em a character,
an approximation good enough to place and compare words. Text is decoded by the font's
``/ToUnicode`` map (``bfchar`` and ``bfrange``), else as Latin-1. Glyph boxes span the font's
``/Ascent`` to ``/Descent`` (else 0.8 and -0.2 em). A page is interpreted up to
:data:`MAX_OPERATIONS_PER_PAGE` operations and :data:`MAX_FORMS_PER_PAGE` form invocations (a form
that draws itself many times over can otherwise multiply into billions); past either, the page is a
``pdf-structure`` error, too complex to check. Each content stream is parsed once per file. The
rules themselves, which need no pypdf, are in :mod:`leaflet.check.preflight_rules`.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream

from leaflet.check.findings import Finding
from leaflet.check.preflight_rules import (
    Box,
    PageContent,
    PreflightOptions,
    Word,
    pdf_finding,
    rule_body_size,
    rule_fonts,
    rule_margins,
    rule_overlap,
    rule_pages,
    rule_placement,
    rule_warning_box,
)
from leaflet.pdf.complaints import collecting

__all__ = ["PreflightOptions", "preflight_pdf"]

Matrix = tuple[float, float, float, float, float, float]
"""A PDF transformation matrix ``a b c d e f``."""
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_OPERATIONS_PER_PAGE = 200_000
"""Content-stream operations interpreted per page, forms included; a leaflet page needs a few thousand."""
MAX_FORMS_PER_PAGE = 10_000
"""Form XObjects drawn per page."""


class _TooComplexError(Exception):
    """A page past :data:`MAX_OPERATIONS_PER_PAGE` or :data:`MAX_FORMS_PER_PAGE`."""


@dataclass
class _Font:
    widths: dict[int, float]
    default_width: float
    to_unicode: dict[int, str]
    code_bytes: int
    ascent: float
    descent: float


# --- entry point ------------------------------------------------------------------------------


def preflight_pdf(path: Path, options: PreflightOptions | None = None) -> list[Finding]:
    """Every preflight finding about the PDF at ``path``, by page."""
    options = options or PreflightOptions()
    with _quiet_pypdf():
        reader, findings = _open(path)
        if reader is None:
            return findings
        try:
            pages, fonts = _read_pages(reader, path)
        except Exception as exc:  # hostile content streams can break pypdf in any way: the file is at fault
            return [*findings, pdf_finding("error", "pdf-structure", path, f"content cannot be read ({exc})")]
    for rule in (rule_body_size, rule_margins, rule_overlap, rule_warning_box, rule_placement):
        findings.extend(rule(path, pages))
    findings.extend(rule_fonts(path, fonts))
    findings.extend(rule_pages(path, pages, options))
    return sorted(findings, key=lambda f: f.diagnostic.line or 0)


@contextlib.contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Keep pypdf's complaints about a damaged file (this thread's) off the terminal: the findings say it."""
    with collecting():
        yield


def _open(path: Path) -> tuple[PdfReader | None, list[Finding]]:
    """The reader, strict if possible; a file pypdf must repair is a ``pdf-structure`` error."""
    findings: list[Finding] = []
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [pdf_finding("error", "pdf-structure", path, f"cannot be read: {exc.strerror}")]
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        _ = [page.mediabox for page in reader.pages]
        return reader, findings
    except Exception as exc:  # any pypdf failure is the file's fault
        findings.append(
            pdf_finding(
                "error",
                "pdf-structure",
                path,
                f"the PDF structure is damaged and needs repair ({type(exc).__name__}: {exc})",
                hint="rebuild the leaflet; do not edit built PDFs",
            )
        )
    try:
        return PdfReader(io.BytesIO(data), strict=False), findings
    except Exception as exc:
        findings.append(pdf_finding("error", "pdf-structure", path, f"cannot be opened at all ({type(exc).__name__})"))
        return None, findings


# --- reading pages ----------------------------------------------------------------------------


def _read_pages(reader: PdfReader, path: Path) -> tuple[list[PageContent | Finding], dict[str, tuple[bool, int]]]:
    """Each page's content (or a ``pdf-structure`` finding for a page with no MediaBox), and the fonts
    referenced: base name -> (embedded, first page)."""
    pages: list[PageContent | Finding] = []
    fonts: dict[str, tuple[bool, int]] = {}
    parsed: dict[int, tuple[Any, list]] = {}  # id(stream) -> (stream, its operations), shared by the pages
    for number, page in enumerate(reader.pages, start=1):
        if "/MediaBox" not in page:
            pages.append(pdf_finding("error", "pdf-structure", path, f"page {number} has no MediaBox", number))
            continue
        box = page.mediabox
        content = PageContent(number, float(box.width), float(box.height))
        interpreter = _Interpreter(reader, content, fonts, parsed)
        contents = page.get_contents()
        try:
            if contents is not None:
                interpreter.run(contents, page.get("/Resources") or {}, IDENTITY)
        except _TooComplexError as exc:
            pages.append(
                pdf_finding(
                    "error",
                    "pdf-structure",
                    path,
                    f"page {number}: too complex to check ({exc})",
                    number,
                    hint="rebuild the leaflet; do not edit built PDFs",
                )
            )
            continue
        pages.append(content)
    return pages, fonts


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


class _Interpreter:
    """Follows one page's content stream (and the forms it draws) and records text and drawings."""

    def __init__(
        self,
        reader: PdfReader,
        page: PageContent,
        fonts: dict[str, tuple[bool, int]],
        parsed: dict[int, tuple[Any, list]] | None = None,
    ) -> None:
        self.reader, self.page, self.fonts = reader, page, fonts
        self.font_cache: dict[int, _Font] = {}
        self.parsed = parsed if parsed is not None else {}
        self.depth = 0
        self.operations = 0
        self.forms = 0

    def _operations(self, stream: Any) -> list:
        """The operations of ``stream``, parsed once (a form is often drawn many times), counted against
        :data:`MAX_OPERATIONS_PER_PAGE`."""
        cached = self.parsed.get(id(stream))
        if cached is None or cached[0] is not stream:
            cached = (stream, ContentStream(stream, self.reader).operations)
            self.parsed[id(stream)] = cached  # keeps ``stream`` alive, so its id is not reused
        self.operations += len(cached[1])
        if self.operations > MAX_OPERATIONS_PER_PAGE:
            raise _TooComplexError(f"more than {MAX_OPERATIONS_PER_PAGE} drawing operations")
        return cached[1]

    def run(self, stream: Any, resources: Any, ctm: Matrix) -> None:
        """Interpret ``stream`` with ``resources`` under ``ctm``."""
        resources = _resolve(resources)
        font_dicts = {str(k): _resolve(v) for k, v in _resolve(resources.get("/Font") or {}).items()}
        for font in font_dicts.values():
            self._note_font(font)
        stack: list[Matrix] = []
        path: list[tuple[str, tuple[float, ...]]] = []
        current = (0.0, 0.0)
        text = _TextState()
        for operands, op in self._operations(stream):
            if op in (b"q", b"Q", b"cm"):
                ctm = _graphics(op, operands, ctm, stack)
            elif op in _PATH_OPS:
                current = self._path(op, operands, ctm, path, current)
            elif op in _PAINT_OPS:
                self._paint(op, path)
                path = []
            elif op == b"Do" and operands:
                self._form(resources, operands[0], ctm)
            elif op in _TEXT_OPS:
                text.apply(op, operands, font_dicts, self._font)
            if op in _SHOW_OPS:
                for piece in operands[-1] if op == b"TJ" else operands[-1:]:
                    self._show(text, piece, ctm)

    def _path(self, op: bytes, operands: list[Any], ctm: Matrix, path: list, current: tuple) -> tuple[float, float]:
        values = [float(v) for v in operands]
        if op == b"re" and len(values) == 4:
            x, y, w, h = values
            corners = [_apply(ctm, x + dx, y + dy) for dx in (0, w) for dy in (0, h)]
            path.append(("re", _bounds(corners)))
            return _apply(ctm, x, y)
        if op in (b"m", b"l", b"c", b"v", b"y") and len(values) >= 2:
            point = _apply(ctm, values[-2], values[-1])
            if op == b"l":
                path.append(("l", _bounds([current, point])))
            return point
        return current

    def _paint(self, op: bytes, path: list[tuple[str, tuple[float, ...]]]) -> None:
        fills = op not in (b"S", b"s", b"n")
        strokes = op in (b"S", b"s", b"B", b"B*", b"b", b"b*")
        for kind, (x0, y0, x1, y1) in path:
            if kind == "re" and fills:
                self.page.filled.append(Box(x0, y0, x1, y1))
            if kind == "re" and strokes:
                for edge in ((x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)):
                    self.page.strokes.append(Box(*edge))
            if kind == "l" and strokes:
                self.page.strokes.append(Box(x0, y0, x1, y1))

    def _form(self, resources: Any, name: Any, ctm: Matrix) -> None:
        xobject = _resolve(_resolve(resources.get("/XObject") or {}).get(name))
        if xobject is None or xobject.get("/Subtype") != "/Form" or self.depth > 8:
            return
        self.forms += 1
        if self.forms > MAX_FORMS_PER_PAGE:
            raise _TooComplexError(f"more than {MAX_FORMS_PER_PAGE} forms drawn")
        matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
        self.depth += 1
        try:
            self.run(xobject, _resolve(xobject.get("/Resources")) or resources, _multiply(matrix, ctm))  # type: ignore[arg-type]
        finally:
            self.depth -= 1

    def _note_font(self, font: Any) -> None:
        name = str(font.get("/BaseFont", "/(unnamed)"))[1:]
        if name not in self.fonts:
            self.fonts[name] = (_embedded(font), self.page.number)

    def _font(self, font: Any) -> _Font:
        key = id(font)
        if key not in self.font_cache:
            self.font_cache[key] = _load_font(font)
        return self.font_cache[key]

    def _show(self, text: _TextState, piece: Any, ctm: Matrix) -> None:
        if isinstance(piece, (int, float)):
            text.advance(-float(piece) / 1000 * text.size * text.scale)
            return
        font = text.font
        if font is None:
            return
        matrix = _multiply(text.matrix, ctm)
        raw = piece.original_bytes if hasattr(piece, "original_bytes") else bytes(piece)
        step, offset = font.code_bytes, 0.0
        chars: list[tuple[str, float, float]] = []  # character, start and end along the line (text space)
        for i in range(0, len(raw) - step + 1, step):
            code = int.from_bytes(raw[i : i + step], "big")
            width = font.widths.get(code, font.default_width) * text.size + text.char_spacing
            if step == 1 and code == 32:
                width += text.word_spacing
            chars.append(
                (font.to_unicode.get(code, chr(code) if step == 1 else "\ufffd"), offset, offset + width * text.scale)
            )
            offset += width * text.scale
        text.advance(offset)
        self._words(text, font, chars, matrix)

    def _words(self, text: _TextState, font: _Font, chars: list[tuple[str, float, float]], matrix: Matrix) -> None:
        size = text.size * math.hypot(matrix[2], matrix[3])
        run: list[tuple[str, float, float]] = []
        for item in [*chars, (" ", 0.0, 0.0)]:
            if not item[0].isspace():
                run.append(item)
                continue
            if run:
                left = _apply(matrix, run[0][1], text.rise)
                right = _apply(matrix, run[-1][2], text.rise)
                self.page.words.append(
                    Word(
                        "".join(c for c, _, _ in run),
                        min(left[0], right[0]),
                        max(left[0], right[0]),
                        left[1],
                        left[1] + font.descent * size,
                        left[1] + font.ascent * size,
                        round(size, 2),
                    )
                )
            run = []


def _graphics(op: bytes, operands: list[Any], ctm: Matrix, stack: list[Matrix]) -> Matrix:
    """The CTM after ``q`` (save), ``Q`` (restore) or ``cm`` (concatenate)."""
    if op == b"q":
        stack.append(ctm)
    elif op == b"Q":
        return stack.pop() if stack else ctm
    elif len(operands) == 6:
        return _multiply(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
    return ctm


def _resolve(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


_PATH_OPS = frozenset((b"re", b"m", b"l", b"c", b"v", b"y", b"h"))
_PAINT_OPS = frozenset((b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n"))
_TEXT_OPS = frozenset((b"BT", b"Tf", b"Tm", b"Td", b"TD", b"T*", b"TL", b"Tc", b"Tw", b"Tz", b"Ts", b"'", b'"'))
_SHOW_OPS = frozenset((b"Tj", b"TJ", b"'", b'"'))


@dataclass
class _TextState:
    """The text state: matrix, line matrix, font and spacing (PDF 32000-1, 9.3 and 9.4)."""

    matrix: Matrix = IDENTITY
    line: Matrix = IDENTITY
    font: _Font | None = None
    size: float = 0.0
    leading: float = 0.0
    char_spacing: float = 0.0
    word_spacing: float = 0.0
    scale: float = 1.0
    rise: float = 0.0

    def advance(self, tx: float) -> None:
        self.matrix = _multiply((1, 0, 0, 1, tx, 0), self.matrix)

    def next_line(self, tx: float, ty: float) -> None:
        self.line = self.matrix = _multiply((1, 0, 0, 1, tx, ty), self.line)

    def apply(self, op: bytes, operands: list[Any], fonts: dict[str, Any], load: Any) -> None:
        values = [float(v) for v in operands if isinstance(v, (int, float))]
        if op == b"BT":
            self.matrix = self.line = IDENTITY
        elif op == b"Tf" and len(operands) == 2:
            font = fonts.get(str(operands[0]))
            self.font, self.size = (load(font) if font is not None else None), float(operands[1])
        elif op == b"Tm" and len(values) == 6:
            self.matrix = self.line = tuple(values)  # type: ignore[assignment]
        elif op in (b"Td", b"TD") and len(values) == 2:
            self.leading = -values[1] if op == b"TD" else self.leading
            self.next_line(*values)
        elif op in (b"T*", b"'", b'"'):
            if op == b'"' and len(values) >= 2:
                self.word_spacing, self.char_spacing = values[0], values[1]
            self.next_line(0, -self.leading)
        elif values:
            self._set_spacing(op, values[0])

    def _set_spacing(self, op: bytes, value: float) -> None:
        if op == b"TL":
            self.leading = value
        elif op == b"Tc":
            self.char_spacing = value
        elif op == b"Tw":
            self.word_spacing = value
        elif op == b"Tz":
            self.scale = value / 100
        elif op == b"Ts":
            self.rise = value


def _bounds(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _descriptor(font: Any) -> Any:
    if font.get("/Subtype") == "/Type0" and font.get("/DescendantFonts"):
        font = font["/DescendantFonts"][0].get_object()
    return _resolve(font.get("/FontDescriptor")) or {}


def _embedded(font: Any) -> bool:
    """The font program is in the file (a Type 3 font is drawn by its own procedures)."""
    if font.get("/Subtype") == "/Type3":
        return True
    descriptor = _descriptor(font)
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _load_font(font: Any) -> _Font:
    descriptor = _descriptor(font)
    ascent = float(descriptor.get("/Ascent", 800)) / 1000 or 0.8
    descent = float(descriptor.get("/Descent", -200)) / 1000
    to_unicode = _parse_to_unicode(font["/ToUnicode"].get_object().get_data()) if "/ToUnicode" in font else {}
    if font.get("/Subtype") == "/Type0":
        widths, default = _cid_widths(font["/DescendantFonts"][0].get_object())
        return _Font(widths, default, to_unicode, 2, ascent, descent)
    first = int(font.get("/FirstChar", 0))
    widths = {first + i: float(w) / 1000 for i, w in enumerate(font.get("/Widths") or [])}
    default = float(descriptor.get("/MissingWidth", 500)) / 1000 if widths else 0.5  # base 14: the estimate
    return _Font(widths, default, to_unicode, 1, ascent, descent)


def _cid_widths(font: Any) -> tuple[dict[int, float], float]:
    widths: dict[int, float] = {}
    items = list(font.get("/W") or [])
    i = 0
    while i + 1 < len(items):
        start, nxt = int(items[i]), items[i + 1]
        if isinstance(nxt, list):
            widths.update({start + k: float(w) / 1000 for k, w in enumerate(nxt)})
            i += 2
        elif i + 2 < len(items):
            widths.update({code: float(items[i + 2]) / 1000 for code in range(start, int(nxt) + 1)})
            i += 3
        else:
            break
    return widths, float(font.get("/DW", 1000)) / 1000


_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _parse_to_unicode(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap's ``bfchar`` and ``bfrange`` entries: code -> text."""
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        values = _HEX.findall(block)
        for code, text in zip(values[::2], values[1::2], strict=False):
            mapping[int(code, 16)] = _utf16(text)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for line in block.splitlines():
            values = _HEX.findall(line)
            if len(values) < 3:
                continue
            low, high = int(values[0], 16), int(values[1], 16)
            if b"[" in line:
                mapping.update({low + k: _utf16(text) for k, text in enumerate(values[2:])})
            else:
                base = int(values[2], 16)
                mapping.update({code: chr(base + code - low) for code in range(low, min(high, low + 65535) + 1)})
    return mapping


def _utf16(hex_text: bytes) -> str:
    return bytes.fromhex(hex_text.decode()).decode("utf-16-be", errors="replace")
