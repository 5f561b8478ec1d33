"""PDF syntax that more than one stage writes: numbers, text strings, font subset tags, ToUnicode maps.

Plain functions from values to bytes (ISO 32000-1), used by the band drawing (:mod:`leaflet.personalise.band`)
and the packet writer (:mod:`leaflet.pdf`); no PDF library involved.
"""

from __future__ import annotations

import hashlib

CMAP_ENTRIES_PER_BLOCK = 100
"""Most entries a ``beginbfchar`` block may hold (Adobe Technical Note 5014, 'CMap limits')."""


def pdf_number(value: float) -> bytes:
    """``value`` as a PDF number: an integer when whole, else at most 4 decimals, never an exponent."""
    if value == int(value):
        return b"%d" % int(value)
    return (b"%.4f" % value).rstrip(b"0").rstrip(b".")


def pdf_numbers(*values: float) -> bytes:
    """Several numbers, space-separated (operands of a content-stream operator)."""
    return b" ".join(pdf_number(value) for value in values)


def pdf_text(text: str) -> bytes:
    """``text`` as a PDF text string: literal PDFDocEncoding when ASCII, else UTF-16BE with a BOM.

    A character UTF-16 cannot hold (a lone surrogate, e.g. from a file name that is not UTF-8) is
    written as U+FFFD.
    """
    if text.isascii() and text.isprintable():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("ascii") + b")"
    clean = text.encode("utf-16-be", "surrogatepass").decode("utf-16-be", "replace")
    return b"<feff" + clean.encode("utf-16-be", "replace").hex().encode("ascii") + b">"


def subset_tag(*parts: bytes) -> str:
    """Six capital letters naming a font subset (ISO 32000-1 9.6.4), made from what identifies it
    (e.g. its font program): the same subset gets the same tag, different ones different tags."""
    digest = hashlib.sha256(b"\0".join(parts)).digest()
    return "".join(chr(ord("A") + byte % 26) for byte in digest[:6])


def to_unicode_cmap(name: str, characters: list[int]) -> bytes:
    """A ToUnicode CMap mapping code ``i`` to ``characters[i]`` (a code point), in blocks of at most
    :data:`CMAP_ENTRIES_PER_BLOCK` entries."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        f"/CMapName /{name}-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<00> <FF>",
        "endcodespacerange",
    ]
    for start in range(0, len(characters), CMAP_ENTRIES_PER_BLOCK):
        block = characters[start : start + CMAP_ENTRIES_PER_BLOCK]
        lines.append(f"{len(block)} beginbfchar")
        lines += [f"<{start + index:02X}> <{_utf16_hex(code)}>" for index, code in enumerate(block)]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def _utf16_hex(code: int) -> str:
    return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()
