"""Pictures for figures: PNG or JPEG bytes, from a file inside the content folder or a ``data:`` URI,
checked before the layout ever sees them.

The format is told by the bytes (magic numbers), never by the name. The dimensions are read from the
file's own header (PNG ``IHDR``, JPEG ``SOFn``) and bounded *before* anything decodes the pixels, so a
small file that would unpack into gigabytes (a decompression bomb) is refused cheaply; then Pillow
decodes the whole picture once, so that a truncated or corrupt file is a content error with a line
rather than a crash in the layout. A file is read with :func:`leaflet.files.read_regular` confined to
the content folder: no absolute path, no ``..``, no link out of it.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import struct
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

from leaflet.files import FileRefusedError, read_regular

MAX_IMAGE_BYTES = 4 * 2**20
"""Largest picture file accepted (4 MiB): a leaflet's pictures are line drawings and photos of a pen."""
MAX_PIXELS = 16_000_000
"""Most pixels a picture may have (16 megapixels, e.g. 4000 x 4000): about 64 MB once decoded."""
MAX_SIDE = 12_000
"""Longest side in pixels."""
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
_DATA_URI = re.compile(r"^data:image/(?P<type>png|jpeg|jpg);base64,(?P<data>[A-Za-z0-9+/=\s]*)$", re.IGNORECASE)
_OTHER_FORMATS = ((b"GIF8", "a GIF"), (b"<svg", "an SVG"), (b"<?xml", "an SVG or other XML"), (b"RIFF", "a WebP"))


class ImageRefusedError(Exception):
    """A figure's picture that leaflet will not print: why, what to do, and the diagnostic code."""

    def __init__(self, message: str, hint: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code


@dataclass(frozen=True)
class CheckedImage:
    """The bytes of a picture that decodes, with its format and size in pixels."""

    data: bytes
    format: str
    """``png`` or ``jpeg``."""
    width: int
    height: int


def read_image(source: str, root: Path) -> CheckedImage:
    """The picture ``source`` names: a ``data:image/png;base64,...`` URI, or a path relative to ``root``
    (the content folder) that stays inside it. Raises :class:`ImageRefusedError`."""
    data = _from_data_uri(source) if source[:5].lower() == "data:" else _from_file(source, root)
    return check_image(data)


def _from_data_uri(source: str) -> bytes:
    match = _DATA_URI.match(source)
    if match is None:
        hint = "write data:image/png;base64,... or data:image/jpeg;base64,..."
        raise ImageRefusedError("the data URI is not a base64 PNG or JPEG picture", hint, "figure-bad-uri")
    encoded = re.sub(r"\s+", "", match.group("data"))
    if len(encoded) > (MAX_IMAGE_BYTES + 2) // 3 * 4:
        raise ImageRefusedError(f"the picture is over the {_mib(MAX_IMAGE_BYTES)} limit", _SMALLER, "figure-too-large")
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        hint = "check that the URI was copied whole"
        raise ImageRefusedError("the data URI's base64 text is damaged", hint, "figure-bad-uri") from None


def _from_file(source: str, root: Path) -> bytes:
    relative = PurePosixPath(source.replace("\\", "/"))
    if relative.is_absolute() or PureWindowsPath(source).drive or ".." in relative.parts:
        raise ImageRefusedError(
            "the picture's path must stay inside the content folder (no absolute path, no '..')",
            f"put the picture in {root} or a folder under it and give its path from there",
            "figure-outside-root",
        )
    try:
        return read_regular(root / relative, limit=MAX_IMAGE_BYTES, root=root)
    except FileRefusedError as refused:
        if "outside" in refused.reason:
            message = "the picture file is a link to a file outside the content folder"
            raise ImageRefusedError(
                message, "copy the picture into the content folder", "figure-outside-root"
            ) from None
        raise ImageRefusedError(f"the picture file {refused.reason}", refused.hint, "figure-refused") from None
    except FileNotFoundError:
        hint = "check the spelling; the path is relative to the folder of the monograph"
        raise ImageRefusedError("no picture file at this path", hint, "figure-not-found") from None
    except OSError as error:
        hint = "check the file's permissions"
        raise ImageRefusedError(f"the picture file cannot be read ({error.strerror})", hint, "figure-refused") from None


_SMALLER = "save it smaller (a leaflet needs about 1200 pixels across at most)"


def check_image(data: bytes) -> CheckedImage:
    """``data`` as a :class:`CheckedImage`: a PNG or JPEG within the limits that decodes whole."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageRefusedError(f"the picture is over the {_mib(MAX_IMAGE_BYTES)} limit", _SMALLER, "figure-too-large")
    kind = "png" if data.startswith(PNG_MAGIC) else "jpeg" if data.startswith(JPEG_MAGIC) else None
    if kind is None:
        what = next((name for magic, name in _OTHER_FORMATS if data.lstrip()[:5].startswith(magic)), "not")
        message = "the file is not a PNG or JPEG picture" if what == "not" else f"the file is {what} picture"
        raise ImageRefusedError(message, "save the picture as PNG or JPEG", "figure-not-image")
    width, height = header_size(data, kind)
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        message = f"the picture is {width} x {height} pixels, over the limit of {MAX_PIXELS // 10**6} megapixels"
        raise ImageRefusedError(message, _SMALLER, "figure-too-many-pixels")
    _decode(data, kind, (width, height))
    return CheckedImage(data, kind, width, height)


def header_size(data: bytes, kind: str) -> tuple[int, int]:
    """Width and height written in the header of a PNG or JPEG, read without decoding anything."""
    size = _png_size(data) if kind == "png" else _jpeg_size(data)
    if size is None or min(size) < 1:
        raise ImageRefusedError(
            f"the {kind.upper()} picture is damaged (no size in its header)", _RESAVE, "figure-broken"
        )
    return size


_RESAVE = "open it in an image editor and save it again as PNG or JPEG"


def _png_size(data: bytes) -> tuple[int, int] | None:
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


_SOF_MARKERS = frozenset((0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF))


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """The size in the first start-of-frame segment, walking the segments from the start."""
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if marker in _SOF_MARKERS:
            if position + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return int(width), int(height)
        position += 2 + length
    return None


def _decode(data: bytes, kind: str, size: tuple[int, int]) -> None:
    """Decode every pixel once (Pillow, installed with reportlab), refusing what does not decode."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data), formats=[kind.upper()]) as image:
            if image.size != size:
                raise ValueError("the header and the picture disagree on its size")
            image.load()
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        message = f"the {kind.upper()} picture is damaged and cannot be decoded"
        raise ImageRefusedError(message, _RESAVE, "figure-broken") from None


def _mib(count: int) -> str:
    return f"{count / 2**20:g} MiB"
