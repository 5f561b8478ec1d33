"""Read facts back out of a produced PDF, independently of how leaflet made it.

Characters and drawings come from pdfplumber (pdfminer), the outline, metadata and fonts from
pypdf: the tests check the PDF itself, and cross-check leaflet's own placement report against it.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pdfplumber
import pypdf


def norm(text: str) -> str:
    """Letters and digits only, lower case, accents kept: for order-insensitive-to-layout matching."""
    text = unicodedata.normalize("NFC", text)
    return "".join(char for char in text.casefold() if char.isalnum())


@dataclass(frozen=True)
class Char:
    text: str
    page: int
    """1-based page number."""
    x0: float
    x1: float
    top: float
    """Distance from the top of the page."""
    bottom: float
    size: float
    font: str


class PdfFacts:
    """Characters, drawings, outline, fonts and metadata of one PDF."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    @cached_property
    def _plumber(self) -> Any:
        return pdfplumber.open(io.BytesIO(self.data))

    @cached_property
    def reader(self) -> pypdf.PdfReader:
        return pypdf.PdfReader(io.BytesIO(self.data))

    @cached_property
    def pages(self) -> list[Any]:
        return list(self._plumber.pages)

    @cached_property
    def chars(self) -> list[Char]:
        """Every drawn character in content-stream order."""
        result = []
        for number, page in enumerate(self.pages, start=1):
            for c in page.chars:
                result.append(
                    Char(c["text"], number, c["x0"], c["x1"], c["top"], c["bottom"], c["size"], c["fontname"])
                )
        return result

    @cached_property
    def stream(self) -> tuple[str, list[int]]:
        """Normalised text of all characters in order, and the index of the char behind each letter."""
        letters: list[str] = []
        owners: list[int] = []
        for index, char in enumerate(self.chars):
            for letter in norm(char.text):
                letters.append(letter)
                owners.append(index)
        return "".join(letters), owners

    def find(self, text: str, start: int = 0) -> tuple[int, list[Char]]:
        """Position after ``text`` in the stream (from ``start``) and its characters; (-1, []) if absent."""
        stream, owners = self.stream
        target = norm(text)
        at = stream.find(target, start)
        if at < 0 or not target:
            return -1, []
        chars = self.chars[owners[at] : owners[at + len(target) - 1] + 1]
        return at + len(target), chars

    def rects(self, page: int) -> list[dict[str, Any]]:
        return list(self.pages[page - 1].rects)

    def lines(self, page: int) -> list[dict[str, Any]]:
        return list(self.pages[page - 1].lines)

    @cached_property
    def outline(self) -> list[tuple[int, str]]:
        """(depth, title) of every outline entry, depth first."""
        entries: list[tuple[int, str]] = []

        def walk(items: list[Any], depth: int) -> None:
            for item in items:
                if isinstance(item, list):
                    walk(item, depth + 1)
                else:
                    entries.append((depth, item.title))

        walk(self.reader.outline, 1)
        return entries

    @cached_property
    def font_names(self) -> set[str]:
        return {str(font["/BaseFont"]) for font, _ in self._fonts()}

    def unembedded_fonts(self) -> set[str]:
        missing = set()
        for font, descriptor in self._fonts():
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(str(font.get("/BaseFont")))
        return missing

    def _fonts(self) -> list[tuple[Any, Any]]:
        found = []
        seen = set()
        for page in self.reader.pages:
            resources = page.get("/Resources")
            stack = [resources.get_object()] if resources else []
            while stack:
                res = stack.pop()
                for font in (res.get("/Font") or {}).values():
                    font = font.get_object()
                    if id(font) in seen:
                        continue
                    seen.add(id(font))
                    descendant = font["/DescendantFonts"][0].get_object() if font.get("/Subtype") == "/Type0" else font
                    descriptor = descendant.get("/FontDescriptor")
                    found.append((font, descriptor.get_object() if descriptor else {}))
                for xobject in (res.get("/XObject") or {}).values():
                    xobject = xobject.get_object()
                    if xobject.get("/Subtype") == "/Form" and xobject.get("/Resources"):
                        stack.append(xobject["/Resources"].get_object())
        return found

    @cached_property
    def page_sizes(self) -> list[tuple[float, float]]:
        return [(float(p.mediabox.width), float(p.mediabox.height)) for p in self.reader.pages]

    @cached_property
    def text(self) -> str:
        return "\n".join(page.extract_text() or "" for page in self.pages)


def is_bold(font: str) -> bool:
    return bool(re.search(r"bold", font, re.I))
