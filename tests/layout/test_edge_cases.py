"""Structures at the edge of what the formats allow: a warning nested first inside another warning,
and a title too long for the first page. Each must be laid out properly or refused with a
LeafletError; reportlab's LayoutError (or text in the margins) is a bug."""

from __future__ import annotations

import pytest

from leaflet import LeafletError
from leaflet.model import Metadata, Monograph, Paragraph, Run, Section
from tests.conftest import MONOGRAPHS
from tests.layout.support import ALL_OPTIONS, MARGIN, Leaflet, Options, key
from tests.layout.test_warning_box import check_continued_marks, check_parts_fit, check_warning_inside_box


@pytest.mark.parametrize("options", ALL_OPTIONS, ids=lambda o: o.name)
def test_a_warning_nested_first_in_a_warning_is_laid_out(options: Options) -> None:
    """This test ensures that a warning whose first block is another warning (nested_warning.yaml: the
    outer box a little taller than a first-page column, shorter than a full one) builds in every
    option set, with all its text in order and inside its boxes, and the boxes marked where they
    split."""
    doc = Leaflet.of_source("nested_warning.yaml", options, MONOGRAPHS / "nested_warning.yaml")
    assert len(doc.located) == len([piece for piece in doc.pieces() if key(piece.text)])
    check_warning_inside_box(doc)
    check_continued_marks(doc)
    check_parts_fit(doc)


def long_title_monograph(words: int) -> Monograph:
    title = " ".join(f"Ingredient{index}" for index in range(words))
    warning = Section("Overdose", (Paragraph((Run("Call a doctor at once."),)),), warning=True)
    body = (Paragraph((Run("The first paragraph of the leaflet."),)), warning)
    return Monograph(title=title, meta=Metadata(drug="Combination", language="en", revised="2024-01-01"), body=body)


@pytest.mark.parametrize("options", [ALL_OPTIONS[0], ALL_OPTIONS[4]], ids=lambda o: o.name)
@pytest.mark.parametrize("words", [60, 150])
def test_a_very_long_title_is_laid_out_within_the_page_or_refused(words: int, options: Options) -> None:
    """This test ensures that a title too long for one page's title area (a product name of dozens of
    words) is either refused with a LeafletError or laid out with every character inside the text
    area of the page: never a reportlab LayoutError, and never over the running footer or into the
    margin."""
    try:
        doc = Leaflet.of_monograph(long_title_monograph(words), options)
    except LeafletError:
        return
    title = [c for c in doc.chars if c.page == 1 and c.size > doc.scale.heading1 + 1]
    lowest = max(c.bottom for c in title)
    text_bottom = doc.page.height - doc.page.body_bottom
    assert lowest <= text_bottom + 0.5, f"the title reaches {lowest - text_bottom:.1f} pt into the footer band"
    assert lowest <= doc.page.height - MARGIN
    assert len(doc.located) == len(doc.pieces())


@pytest.mark.parametrize("options", [ALL_OPTIONS[0], ALL_OPTIONS[4]], ids=lambda o: o.name)
@pytest.mark.parametrize("follows", ["a paragraph", "nothing"])
def test_a_heading_taller_than_a_column_is_laid_out_or_refused(follows: str, options: Options) -> None:
    """This test ensures that a heading too long for a whole column (some 1,500 characters, followed by a
    paragraph or by nothing) is refused with a LeafletError or laid out with all its text, like an
    oversized title: never a reportlab LayoutError."""
    heading = " ".join(f"heading{index}" for index in range(150))
    body = (Paragraph((Run("The text under the heading."),)),) if follows == "a paragraph" else ()
    monograph = Monograph(
        title="Tall heading",
        meta=Metadata(drug="Tall", language="en", revised=None),
        body=(Section(heading, body), Paragraph((Run("A paragraph after the section."),))),
    )
    try:
        doc = Leaflet.of_monograph(monograph, options)
    except LeafletError:
        return
    assert len(doc.located) == len(doc.pieces())
