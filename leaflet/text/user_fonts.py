"""Fonts the user adds (``leaflet build --font FILE``): TrueType files looked up after the bundled
fallbacks, for scripts the bundled fonts do not cover (a pharmacy's CJK font, say).

A font is read as an untrusted input (a regular file, at most :data:`MAX_FONT_BYTES`), parsed by
reportlab, and registered under a name made from a digest of its bytes, so that two files never share
a name and the same file is registered once per process. One that cannot be used is an error naming it.
"""

from __future__ import annotations

import hashlib
import io
from functools import cache
from pathlib import Path

from leaflet.errors import Diagnostic, FontError
from leaflet.files import FileRefusedError, read_regular
from leaflet.text.fallback import register_face
from leaflet.text.fonts import FontFamily, cjk_order, register_fonts

MAX_FONT_BYTES = 64 * 1024 * 1024
"""Largest font file read: a full CJK TrueType font is about 20 MB."""


def font_family(font_files: tuple[str, ...] = (), language: str | None = None) -> FontFamily:
    """The bundled family for a leaflet in ``language`` (its CJK region's faces first), with the user's
    ``font_files`` registered after the bundled fallbacks."""
    family = register_fonts()
    extra = cjk_order(language) + user_fonts(font_files)
    if extra == family.extra:
        return family
    return FontFamily(family.regular, family.bold, family.italic, family.bold_italic, extra=extra)


def user_fonts(font_files: tuple[str, ...]) -> tuple[str, ...]:
    """The registered names of ``font_files``, in order."""
    return tuple(_register_file(str(Path(name).resolve())) for name in font_files)


def font_file_digest(font_files: tuple[str, ...]) -> str:
    """A digest of the bytes of ``font_files`` (part of a build's identity: an edited font rebuilds)."""
    digest = hashlib.sha256()
    for name in font_files:
        digest.update(_read(Path(name)))
    return digest.hexdigest()


@cache
def _register_file(path: str) -> str:
    data = _read(Path(path))
    name = "LeafletUser-" + hashlib.sha256(data).hexdigest()[:16]
    try:
        return register_face(name, io.BytesIO(data))  # the bytes checked, not the file read again
    except Exception:  # reportlab refuses what it cannot embed (CFF outlines, damaged tables): say so
        raise FontError(
            Diagnostic(
                path,
                "is not a TrueType font leaflet can embed",
                hint="give a .ttf with TrueType (glyf) outlines; convert an OpenType CFF font first",
                code="font-unusable",
            )
        ) from None


def _read(path: Path) -> bytes:
    try:
        return read_regular(path, limit=MAX_FONT_BYTES)
    except FileRefusedError as exc:
        raise FontError(Diagnostic(str(path), exc.reason, hint=exc.hint, code="font-unusable")) from None
    except OSError as exc:
        raise FontError(
            Diagnostic(str(path), f"cannot be read: {exc.strerror}", hint="check the path", code="font-unusable")
        ) from None
