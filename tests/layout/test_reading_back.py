"""The tests' own PDF reader agrees with PdfFacts (pdfplumber): same characters, same drawings."""

from __future__ import annotations

import pytest

from tests.layout.support import A4_2, LETTER_LARGE, Options, leaflet, sources_with


@pytest.mark.parametrize(
    ("name", "options"),
    sources_with(A4_2, ["sample", "long_warning.yaml"]) + sources_with(LETTER_LARGE, ["greek.yaml"]),
)
def test_the_fast_reader_reads_what_pdfplumber_reads(name: str, options: Options) -> None:
    """This test ensures that the characters, rectangles and lines the layout tests read with pdfminer
    directly are the ones PdfFacts reads with pdfplumber: same text, page, box, size and font, in the
    same order."""
    doc = leaflet(name, options)
    assert doc.chars == doc.facts.chars
    keys = ("x0", "x1", "top", "bottom", "width", "height", "fill", "stroke", "linewidth")
    for page in range(1, len(doc.facts.pages) + 1):
        for mine, theirs in ((doc.rects(page), doc.facts.rects(page)), (doc.lines(page), doc.facts.lines(page))):
            assert [[round(float(r[k]), 3) for k in keys] for r in mine] == [
                [round(float(r[k]), 3) for k in keys] for r in theirs
            ]
