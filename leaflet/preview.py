"""Previews: a built leaflet's pages as PNG images (``leaflet build x.yaml -o x.png``).

Consumes PDF bytes; returns one PNG file's bytes per page. Pages are rasterised by PDFium (through
pypdfium2, the PDF engine of Chromium: a wheel with no system dependency, rendering every font and form
the leaflets use) and encoded by Pillow, both deterministic: the same PDF gives the same PNG bytes.
pypdfium2 is imported only here, when a preview is asked for.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

DEFAULT_DPI = 150
"""Resolution of previews: a page of A4 at 150 dpi is 1240 x 1754 pixels, sharp on screen."""
MAX_DPI = 600
"""Highest resolution accepted (an A4 page at 600 dpi is 35 million pixels)."""
PAGE_FIELD = "{p}"
"""Stands for the page number in an output name (``page-{p}.png``)."""


def png_pages(pdf: bytes, dpi: int = DEFAULT_DPI) -> list[bytes]:
    """Each page of ``pdf`` as a PNG image at ``dpi``, white background, greyscale-safe RGB."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        images = []
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, may_draw_forms=True)
            buffer = io.BytesIO()
            bitmap.to_pil().save(buffer, format="PNG", optimize=False, dpi=(dpi, dpi))
            images.append(buffer.getvalue())
            page.close()
        return images
    finally:
        document.close()


def page_paths(output: Path, pages: int) -> list[Path]:
    """Where each of ``pages`` pages goes for the output name ``output``: ``{p}`` in the name is the page
    number; without it, one page is ``output`` itself and more pages are ``name-1.png``, ``name-2.png``, ..."""
    if PAGE_FIELD in output.name:
        return [output.with_name(output.name.replace(PAGE_FIELD, str(number))) for number in range(1, pages + 1)]
    if pages == 1:
        return [output]
    return [output.with_name(f"{output.stem}-{number}{output.suffix}") for number in range(1, pages + 1)]


def stale_pages(output: Path, pages: int) -> list[Path]:
    """Pages of an earlier, longer preview with the same name (``name-N.png`` for N past ``pages``), which
    would otherwise be mistaken for pages of this one."""
    if PAGE_FIELD in output.name:
        prefix, suffix = output.name.split(PAGE_FIELD, 1)
    else:
        prefix, suffix = f"{output.stem}-", output.suffix
    pattern = re.compile(re.escape(prefix) + r"(\d+)" + re.escape(suffix) + r"$")
    if not output.parent.is_dir():
        return []
    found = []
    for path in output.parent.iterdir():
        match = pattern.match(path.name)
        if match and int(match[1]) > pages and not match[1].startswith("0"):
            found.append(path)
    return sorted(found)
