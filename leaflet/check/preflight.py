"""Preflight of built leaflet PDFs: what ``leaflet check`` finds in a ``.pdf`` (rules ``pdf-*``).

Consumes a PDF file (and, when it sits in a folder built by ``leaflet build``, the folder's state)
and returns :class:`~leaflet.check.findings.Finding` s whose ``line`` is the page number.

How the PDF is read: pypdf opens it (``strict=True``: a file that needs repair is a
``pdf-structure`` error, then it is read again with repairs); each page's content stream is
interpreted by :mod:`leaflet.check.pdf_content` (positions, sizes and fonts of every character, and
the frames drawn); a page past its operation or form budget is a ``pdf-structure`` error, too complex
to check. Each content stream is parsed once per file. The rules themselves, which need no pypdf, are
in :mod:`leaflet.check.preflight_rules`.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from leaflet.check.findings import Finding
from leaflet.check.pdf_content import IDENTITY, Interpreter, TooComplexError
from leaflet.check.preflight_rules import (
    PageContent,
    PreflightOptions,
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
        interpreter = Interpreter(reader, content, fonts, parsed)
        contents = page.get_contents()
        try:
            if contents is not None:
                interpreter.run(contents, page.get("/Resources") or {}, IDENTITY)
        except TooComplexError as exc:
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
