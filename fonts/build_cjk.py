"""How the CJK fonts in this folder were made (issue 11): Noto Sans CJK, which is CFF (reportlab embeds
TrueType outlines only), subset per region to the characters of its national standard and converted to
TrueType (quadratic) outlines with fontTools.

    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb cjk
    python fonts/build_cjk.py cjk/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc Regular SC TC JP KR

Character sets: Simplified Chinese, GB 2312 (6,763 hanzi); Traditional Chinese, Big5 level 1 (5,401 common
hanzi); Japanese, JIS X 0208 (kana and 6,355 kanji); Korean, all 11,172 Hangul syllables, the jamo and the
KS X 1001 symbols (no hanja); each with ASCII, CJK punctuation and the full-width forms. The source is
Debian's fonts-noto-cjk 1:20220127 (SIL Open Font License 1.1, like the other bundled fonts: OFL.txt).
"""

from __future__ import annotations

import sys

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

REGIONS = {"JP": 0, "KR": 1, "SC": 2, "TC": 3}
"""Each region's font in the Noto Sans CJK collection."""
CODECS = {"SC": "gb2312", "TC": "big5", "JP": "euc_jp", "KR": "euc_kr"}
COMMON = {*range(0x20, 0x7F), *range(0x2010, 0x2030), *range(0x3000, 0x3100), *range(0xFF00, 0xFFF0)}
MAXP_ZEROS = [
    "maxTwilightPoints",
    "maxStorage",
    "maxFunctionDefs",
    "maxInstructionDefs",
    "maxStackElements",
    "maxSizeOfInstructions",
    "maxComponentElements",
    "maxPoints",
    "maxContours",
    "maxCompositePoints",
    "maxCompositeContours",
    "maxComponentDepth",
]


def charset(region: str) -> set[int]:
    """The code points of ``region``'s national standard (see the module docstring)."""
    codec = CODECS[region]
    rows = {"big5": range(0xA4, 0xC7), "euc_kr": range(0xA1, 0xB0)}.get(codec, range(0xA1, 0xFF))
    cells = [*range(0x40, 0x7F), *range(0xA1, 0xFF)] if codec == "big5" else range(0xA1, 0xFF)
    chars = set(COMMON)
    for row in rows:
        for cell in cells:
            try:
                chars.update(map(ord, bytes([row, cell]).decode(codec)))
            except UnicodeDecodeError:
                continue
    if region == "KR":
        chars |= {*range(0xAC00, 0xD7A4), *range(0x1100, 0x1200), *range(0x3130, 0x3190)}
    return chars


def to_truetype(font: TTFont) -> None:
    """Replace ``font``'s CFF outlines by TrueType ones (cubic curves approximated by quadratic)."""
    order, glyphs = font.getGlyphOrder(), font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"], font["glyf"] = newTable("loca"), glyf
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion, maxp.numGlyphs, maxp.maxZones = 0x00010000, len(order), 1
    for name in MAXP_ZEROS:
        setattr(maxp, name, 0)
    font["head"].indexToLocFormat = font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    font.sfntVersion = "\x00\x01\x00\x00"


def build(source: str, weight: str, region: str) -> str:
    """Write ``fonts/NotoSansCJK<region>-<weight>.ttf`` from the collection ``source``; its path."""
    font = TTCollection(source).fonts[REGIONS[region]]
    options = subset.Options()
    options.layout_features = []  # horizontal text only: no alternates
    options.name_IDs, options.notdef_outline, options.hinting, options.glyph_names = ["*"], True, False, True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=charset(region))
    subsetter.subset(font)
    to_truetype(font)
    font.recalcTimestamp = False  # the source's dates: the same bytes on every run
    path = f"fonts/NotoSansCJK{region.lower()}-{weight}.ttf"
    font.save(path)
    return path


if __name__ == "__main__":
    for name in sys.argv[3:]:
        sys.stdout.write(build(sys.argv[1], sys.argv[2], name) + "\n")
