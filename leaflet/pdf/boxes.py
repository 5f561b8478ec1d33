"""Page boxes of a PDF from elsewhere: a MediaBox that cannot be used is repaired (issue 10.5).

Consumes the pages of a PDF read by pypdf; returns, for each page, ``None`` when its MediaBox (its
own or inherited) is usable, else the box to write in its place, as PDF syntax. A usable box is an
array of four finite numbers enclosing some area (its corners in either order, ISO 32000-1 7.9.5).
Printers' interpreters (Ghostscript) abort a whole packet, leaflet pages included, on a page whose
MediaBox is ``[0 0 0 0]``, empty, short or not numbers; such a page takes its CropBox (or its
BleedBox, TrimBox, ArtBox), else the box of the nearest usable page before it, else after it, else
US Letter, the size PDF readers assume.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, IndirectObject, NumberObject

from leaflet.pdf.syntax import pdf_number

Box = tuple[float, float, float, float]
DEFAULT_BOX: Box = (0.0, 0.0, 612.0, 792.0)
OTHER_BOXES = ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox")
MAX_TREE_DEPTH = 64


def repaired_media_boxes(pages: Sequence[DictionaryObject]) -> list[bytes | None]:
    """For each page, ``None`` if its MediaBox is usable, else the box to write (see the module docstring)."""
    own = [usable_box(_inherited(page, "/MediaBox")) for page in pages]
    repaired: list[bytes | None] = []
    for number, page in enumerate(pages):
        if own[number] is not None:
            repaired.append(None)
            continue
        box = next((b for b in (usable_box(_inherited(page, key)) for key in OTHER_BOXES) if b), None)
        box = box or _nearest(own, number) or DEFAULT_BOX
        repaired.append(b"[" + b" ".join(pdf_number(value) for value in box) + b"]")
    return repaired


def media_box(page: DictionaryObject) -> Box | None:
    """The usable MediaBox of ``page`` (its own or inherited), or None. Read from the stored dictionary,
    never through pypdf's ``PageObject.mediabox``, which logs the box's contents and rewrites it."""
    return usable_box(_inherited(page, "/MediaBox"))


def usable_box(value: object) -> Box | None:
    """``value`` as a box, if it is an array of four finite numbers enclosing some area; else None."""
    value = value.get_object() if isinstance(value, IndirectObject) else value
    if not isinstance(value, ArrayObject) or len(value) != 4:
        return None
    numbers = [item.get_object() if isinstance(item, IndirectObject) else item for item in value]
    if not all(isinstance(item, NumberObject | FloatObject) for item in numbers):
        return None
    x1, y1, x2, y2 = (float(item) for item in numbers)  # type: ignore[arg-type]
    if not all(math.isfinite(v) for v in (x1, y1, x2, y2)) or x1 == x2 or y1 == y2:
        return None
    return (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2))


def _nearest(boxes: list[Box | None], number: int) -> Box | None:
    """The usable box of the nearest page before ``number``, else after it."""
    before = next((box for box in reversed(boxes[:number]) if box), None)
    return before or next((box for box in boxes[number + 1 :] if box), None)


def _inherited(page: DictionaryObject, key: str) -> object:
    """The page's ``key``, from the page or its nearest ancestor having an array there (ISO 32000-1 7.7.3.4;
    a null or other value counts as absent, as when the page is copied)."""
    node: object = page
    for _ in range(MAX_TREE_DEPTH):
        if not isinstance(node, DictionaryObject):
            return None
        value = node.raw_get(key) if key in node else None
        if isinstance(value.get_object() if isinstance(value, IndirectObject) else value, ArrayObject):
            return value
        node = node.raw_get("/Parent") if "/Parent" in node else None
        node = node.get_object() if isinstance(node, IndirectObject) else node
    return None
