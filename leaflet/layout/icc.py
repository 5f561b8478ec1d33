"""The sRGB ICC profile of the PDF/A output intent: shipped as ``sRGB.icc`` beside this module, and
made again by ``python -m leaflet.layout.icc`` from LittleCMS's built-in sRGB (through Pillow's
ImageCms; "No copyright, use freely"), so that the bytes are reproducible.

LittleCMS writes a version 4.4 profile stamped with the clock; PDF 1.7 (and so PDF/A-2) knows ICC
profiles up to version 4.2 (ICC.1:2004-10), so the header is set to 4.2.0 (the tags LittleCMS writes for
sRGB are all in 4.2) and the creation date to 2000-01-01 00:00:00, reportlab's invariant date.
"""

from __future__ import annotations

import struct
from functools import cache
from pathlib import Path

PROFILE = Path(__file__).with_name("sRGB.icc")
VERSION_4_2 = bytes([4, 0x20, 0, 0])
FIXED_DATE = struct.pack(">6H", 2000, 1, 1, 0, 0, 0)


@cache
def srgb_profile() -> bytes:
    """The shipped sRGB profile."""
    return PROFILE.read_bytes()


def make_srgb_profile() -> bytes:
    """The sRGB profile made again from LittleCMS (needs Pillow, which reportlab depends on)."""
    from PIL import ImageCms

    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    data[8:12] = VERSION_4_2
    data[24:36] = FIXED_DATE
    data[84:100] = bytes(16)  # no profile ID (allowed: "not computed")
    return bytes(data)


if __name__ == "__main__":  # pragma: no cover - run by hand to remake the shipped file
    PROFILE.write_bytes(make_srgb_profile())
