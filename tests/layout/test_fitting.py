"""Fitting a leaflet to pages (``--fit-pages``), the short last page pulled back, and the print details of
issue 13: large print's running text at the body size, a readable one-column measure, and a warning box
that stays distinct when printed in greyscale."""

from __future__ import annotations

import io
import subprocess
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from leaflet import BuildOptions, build_leaflet
from leaflet.errors import LayoutFitError
from leaflet.loaders import load_monograph
from leaflet.model import Paragraph, Run, Section
from leaflet.render import SHORT_LAST_PAGE_LINES, _last_page_lines, _render
from leaflet.style import MIN_BODY_SIZE, style_for
from tests.cli.helpers import assert_user_error, run_cli
from tests.conftest import MONOGRAPHS, SAMPLE
from tests.layout.test_poppler import _poppler

MANY = MONOGRAPHS / "many_sections.yaml"


def _body_sizes(pdf: bytes) -> set[float]:
    """The sizes of every character between the running header and footer."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return {
            round(char["size"], 2)
            for page in document.pages
            for char in page.chars
            if 60 < char["top"] < page.height - 60
        }


def test_fit_pages_tightens_until_the_leaflet_fits_and_never_below_9_pt() -> None:
    """This test ensures that --fit-pages brings a three-page leaflet to two, saying the type got
    smaller, with no text under 9 pt and every piece still in the PDF."""
    monograph = load_monograph(MANY)
    loose = build_leaflet(monograph, BuildOptions())
    assert loose.pages == 3
    fitted = build_leaflet(monograph, BuildOptions(fit_pages=2))
    assert fitted.pages == 2
    assert min(_body_sizes(fitted.pdf)) >= MIN_BODY_SIZE
    assert [w.code for w in fitted.warnings] == ["fit-pages"]
    assert "9 pt" in fitted.warnings[0].message
    assert {(p.kind, p.line) for p in fitted.placements} == {(p.kind, p.line) for p in loose.placements}


def test_fit_pages_leaves_a_leaflet_that_already_fits_as_it_is() -> None:
    """This test ensures that --fit-pages changes nothing (same bytes) for a leaflet that already fits."""
    monograph = load_monograph(SAMPLE)
    assert build_leaflet(monograph, BuildOptions(fit_pages=5)).pdf == build_leaflet(monograph, BuildOptions()).pdf


def test_fit_pages_refuses_what_cannot_fit_naming_the_pages_needed() -> None:
    """This test ensures that a leaflet that cannot fit even at 9 pt is refused with the pages it needs."""
    with pytest.raises(LayoutFitError) as caught:
        build_leaflet(load_monograph(MANY), BuildOptions(fit_pages=1))
    diagnostic = caught.value.diagnostics[0]
    assert diagnostic.code == "fit-pages"
    assert "needs 2 pages" in diagnostic.message and "--fit-pages 2" in (diagnostic.hint or "")


def test_large_print_is_never_fitted_below_its_own_size() -> None:
    """This test ensures that fitting a large-print leaflet tightens spacing only: the body stays 16 pt."""
    monograph = load_monograph(SAMPLE)
    pages = build_leaflet(monograph, BuildOptions(large_print=True)).pages
    with pytest.raises(LayoutFitError):
        build_leaflet(monograph, BuildOptions(large_print=True, fit_pages=pages - 2))


def test_cli_fit_pages_that_cannot_fit_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """This test ensures that the command line refuses an impossible --fit-pages with status 2, naming the
    pages needed, and leaves the previous PDF untouched."""
    out = tmp_path / "leaflet.pdf"
    out.write_bytes(b"previous")
    result = run_cli(capsys, "build", MANY, "-o", out, "--fit-pages", "1")
    error = assert_user_error(result, mentions="many_sections.yaml")
    assert "needs 2 pages" in error.string
    assert out.read_bytes() == b"previous"


def _short_last_page_monograph() -> tuple[object, int]:
    """A monograph whose plain layout spills a few lines onto a last page (paragraphs added until it does)."""
    base = load_monograph(SAMPLE)
    sentence = "Keep this medicine out of the sight and reach of children and store it below 25 degrees. "
    options = BuildOptions(columns=1)
    style = style_for(options)
    first = _render(base, style).pages
    for count in range(1, 200):
        extra = Section("More advice", tuple(Paragraph((Run(sentence * 3),), line=1) for _ in range(count)))
        monograph = replace(base, body=(*base.body, extra))
        plain = _render(monograph, style)
        if plain.pages > first and _last_page_lines(plain, style) <= SHORT_LAST_PAGE_LINES:
            return monograph, plain.pages
        if plain.pages > first:
            first = plain.pages
    raise AssertionError("no count of paragraphs left a short last page")


def test_a_last_page_of_a_few_lines_is_pulled_back_by_tighter_spacing() -> None:
    """This test ensures that a leaflet whose last page would hold a few lines is set with tighter spacing
    (never smaller type) on one page fewer."""
    monograph, plain_pages = _short_last_page_monograph()
    rendered = build_leaflet(monograph, BuildOptions(columns=1))  # type: ignore[arg-type]
    assert rendered.pages == plain_pages - 1
    assert rendered.body_size == 10
    assert not rendered.warnings


def test_large_print_running_header_and_footer_are_at_the_body_size() -> None:
    """This test ensures that large print sets the running header and footer (page numbers) at 16 pt in
    black, as UKAAF asks, not at a smaller grey size."""
    rendered = build_leaflet(load_monograph(SAMPLE), BuildOptions(large_print=True))
    with pdfplumber.open(io.BytesIO(rendered.pdf)) as document:
        page = document.pages[1]
        footer = [c for c in page.chars if c["top"] > page.height - 60]
        header = [c for c in page.chars if c["top"] < 60]
    assert footer and header
    assert {round(c["size"]) for c in footer + header} == {16}
    assert {tuple(c["non_stroking_color"] or (0,)) for c in footer} <= {(0,), (0, 0, 0), (0.0, 0.0, 0.0)}


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_one_column_lines_keep_a_readable_measure(paper: str, tmp_path: Path) -> None:
    """This test ensures that one-column lines hold about 90 characters at most (they ran to 115 on Letter)
    and still use most of that measure."""
    rendered = build_leaflet(load_monograph(SAMPLE), BuildOptions(paper=paper, columns=1))  # type: ignore[arg-type]
    lines = _poppler("pdftotext", rendered.pdf, tmp_path).splitlines()
    longest = max(len(line.strip().rstrip("\u00ad")) for line in lines)  # the hyphen of a divided word: a mark
    assert 80 <= longest <= 92


def test_warning_box_stays_distinct_in_greyscale(tmp_path: Path) -> None:
    """This test ensures that the warning box, rendered in greyscale as a black-and-white printer would,
    has a visibly grey tint inside and a dark frame, not a faint grey outline on white."""
    rendered = build_leaflet(load_monograph(SAMPLE), BuildOptions())
    box = next(p for p in rendered.placements if p.kind == "warning-box")
    pdf = tmp_path / "leaflet.pdf"
    pdf.write_bytes(rendered.pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-r",
            "72",
            "-f",
            str(box.page),
            "-l",
            str(box.page),
            "-png",
            str(pdf),
            str(tmp_path / "g"),
        ],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("g*.png"))).convert("L")
    top = image.height - (box.y + box.height)

    def grey(x: float, y: float) -> float:
        return image.getpixel((round(x), round(y))) / 255

    inside = [grey(box.x + 4 + i * 2, top + box.height - 6) for i in range(20)]  # along the bottom padding
    assert 0.75 <= sorted(inside)[len(inside) // 2] <= 0.92
    frame = min(grey(box.x + box.width / 2, top + dy / 2) for dy in range(-2, 5))
    assert frame <= 0.5
    assert grey(box.x - 8, top + box.height / 2) >= 0.98  # the page around it is white
