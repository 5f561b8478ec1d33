"""leaflet attach --patient ...: the band on page 1, reminders on later pages, and no patient details in messages."""

from __future__ import annotations

import io
import stat
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pdfplumber
import pytest

from leaflet import BuildOptions, build_leaflet, load_monograph
from leaflet.orders.attach import attach_leaflets
from leaflet.personalise.band import render_band
from leaflet.personalise.patient import PatientDetails, patient_details
from leaflet.style import MIN_BODY_SIZE, style_for
from tests.cli.helpers import run_cli
from tests.conftest import SAMPLE
from tests.orders.support import order_pdf, page_facts, write

OPTIONS = BuildOptions(paper="letter", personalised=True)
SECRET = "Quillonbury Xyzzafrass"
"""A patient name that cannot occur by chance in any message."""
DETAILS = dict(
    patient="Zoë Ångström",
    rx="RX-40721",
    dispensed="2026-11-24",
    directions="take 1 tablet three times a day with food",
    pharmacy="High Street Pharmacy, 12 High Street",
)
TOLERANCE = 0.5


def details(**changes: str) -> PatientDetails:
    found = patient_details(where="order.pdf", **{**DETAILS, **changes})
    assert found is not None
    return found


@cache
def leaflet_pages() -> int:
    return build_leaflet(load_monograph(SAMPLE), OPTIONS).pages


def packet_for(tmp_path: Path, patient: PatientDetails, warnings: list | None = None) -> bytes:
    order = write(tmp_path / "order.pdf", order_pdf(1))
    sink = warnings.append if warnings is not None else None
    return attach_leaflets(order, [SAMPLE], paper="letter", patient=patient, on_warning=sink)


@dataclass(frozen=True)
class PlumbedPage:
    """What pdfplumber finds on a page: its characters and rectangles."""

    chars: list[dict]
    rects: list[dict]
    height: float

    def chars_in(self, box: tuple[float, float, float, float]) -> list[dict]:
        return [c for c in self.chars if touches(c, box, self.height)]


def first_leaflet_page(tmp_path: Path, patient: PatientDetails) -> PlumbedPage:
    """Page 1 of the leaflet in a packet for ``patient`` (the band is drawn there)."""
    with pdfplumber.open(io.BytesIO(packet_for(tmp_path, patient))) as pdf:
        page = pdf.pages[1]
        return PlumbedPage(list(page.chars), list(page.rects), float(page.height))


def inside(char: dict, box: tuple[float, float, float, float], height: float) -> bool:
    """Whether a pdfplumber character lies wholly inside ``box`` (PDF coordinates, y up)."""
    x, y, w, h = box
    top, bottom = height - (y + h), height - y
    return (
        char["x0"] >= x - TOLERANCE
        and char["x1"] <= x + w + TOLERANCE
        and char["top"] >= top - TOLERANCE
        and char["bottom"] <= bottom + TOLERANCE
    )


def touches(char: dict, box: tuple[float, float, float, float], height: float) -> bool:
    x, y, w, h = box
    top, bottom = height - (y + h), height - y
    return char["x1"] > x and char["x0"] < x + w and char["bottom"] > top and char["top"] < bottom


def test_band_lies_in_the_reserved_box_and_covers_no_leaflet_text(tmp_path: Path) -> None:
    """This test ensures that every character of the band lies inside page 1's reserved box (so inside the
    margins), that no character of the personalised leaflet lies in that box, and that in the packet the
    only text inside the box is the band's."""
    page = style_for(OPTIONS).page
    box = page.reserved_box(1)
    assert box is not None
    assert box[0] >= page.margin and box[0] + box[2] <= page.width - page.margin
    leaflet = build_leaflet(load_monograph(SAMPLE), OPTIONS).pdf
    with pdfplumber.open(io.BytesIO(leaflet)) as pdf:
        assert not [c["text"] for c in pdf.pages[0].chars if touches(c, box, page.height)]
    band_chars = first_leaflet_page(tmp_path, details()).chars_in(box)
    assert band_chars and all(inside(char, box, page.height) for char in band_chars)
    lines = ["Zoë Ångström", "Rx RX-40721   Dispensed 2026-11-24", "High Street Pharmacy, 12 High Street"]
    assert "".join(c["text"] for c in band_chars) == "".join([*lines, DETAILS["directions"]])


def test_band_carries_the_details_and_a_qr_code_of_the_rx_only(tmp_path: Path) -> None:
    """This test ensures that page 1 of the leaflet shows name, Rx, date, pharmacy and directions, that a QR
    drawing (many small squares) sits at the band's right, and that its payload has the Rx, not the name."""
    patient = details()
    assert patient.qr_payload("order-7") == "RX:RX-40721"
    assert "Zoë" not in (patient.qr_payload() or "")
    assert details(rx="").qr_payload("order-7") == "ORDER:order-7"
    assert "Zoë" not in repr(patient)
    text = page_facts(packet_for(tmp_path, patient))[1].text
    for value in DETAILS.values():
        assert value in text
    page = style_for(OPTIONS).page
    x, _, w, h = page.reserved_box(1)  # type: ignore[misc]
    rects = first_leaflet_page(tmp_path, patient).rects
    squares = [r for r in rects if r["x0"] >= x + w - h and r["width"] < 5]
    assert len(squares) > 50


@pytest.mark.parametrize("name", ["Zoë Ångström", "Łukasz Żak", "Σοφία Παπαδοπούλου"])
def test_names_in_every_covered_script_render(tmp_path: Path, name: str) -> None:
    """This test ensures that names in Latin with diacritics, Polish and Greek come out of the packet as given."""
    facts = page_facts(packet_for(tmp_path, details(patient=name)))
    assert name in facts[1].text
    assert name in facts[2].text  # the reminder


def test_later_pages_carry_a_one_line_reminder(tmp_path: Path) -> None:
    """This test ensures that every leaflet page after the first shows the name and Rx in its reminder strip
    and nothing else there."""
    page = style_for(OPTIONS).page
    with pdfplumber.open(io.BytesIO(packet_for(tmp_path, details()))) as pdf:
        leaflet = pdf.pages[1:]
        assert len(leaflet) == leaflet_pages() > 1
        for number, plumbed in enumerate(leaflet[1:], start=2):
            box = page.reserved_box(number)
            assert box is not None
            strip = "".join(c["text"] for c in plumbed.chars if touches(c, box, page.height))
            assert strip == "Dispensed for Zoë Ångström   Rx RX-40721"


def test_long_directions_shrink_then_are_cut_with_a_warning(tmp_path: Path) -> None:
    """This test ensures that directions too long for the band are set no smaller than 9 pt, cut with an
    ellipsis, and that the warning about it does not quote the patient's details."""
    long = " ".join(["take one tablet by mouth every eight hours with a full glass of water"] * 7)
    patient = details(patient=SECRET, directions=long)
    band = render_band(patient, OPTIONS, pages=1, qr_payload=patient.qr_payload())
    assert band.cut
    page = style_for(OPTIONS).page
    chars = first_leaflet_page(tmp_path, patient).chars_in(page.reserved_box(1))  # type: ignore[arg-type]
    assert min(c["size"] for c in chars) >= MIN_BODY_SIZE - 0.01
    assert all(inside(c, page.reserved_box(1), page.height) for c in chars)  # type: ignore[arg-type]
    assert "\u2026" in "".join(c["text"] for c in chars)
    warnings: list = []
    packet_for(tmp_path, patient, warnings)
    assert len(warnings) == 1 and "cut" in warnings[0].message
    assert SECRET.split()[0] not in str(warnings[0])


def test_cli_personalised_packet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that attach with personalisation options writes an owner-only packet with the band,
    and says nothing about the patient."""
    order = write(tmp_path / "order.pdf", order_pdf(1))
    packet = tmp_path / "packet.pdf"
    result = run_cli(
        capsys, "attach", order, SAMPLE, "-o", packet, "--patient", SECRET, "--rx", "55", "--dispensed", "2026-01-31"
    )
    assert result.code == 0, result
    assert SECRET not in result.out + result.err
    assert stat.S_IMODE(packet.stat().st_mode) == 0o600
    assert SECRET in page_facts(packet)[1].text


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (["--patient", SECRET + " \u0f40"], "the patient name has a character the fonts cannot draw (U+0F40)"),
        (["--patient", SECRET, "--dispensed", "2026-02-30"], "the date dispensed is not a real date"),
        (["--patient", SECRET, "--directions", "take\u0007 one"], "the directions text has a control character"),
    ],
    ids=["glyph", "date", "control"],
)
def test_errors_do_not_echo_patient_details(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, extra: list[str], expected: str
) -> None:
    """This test ensures that a bad personal detail is a clear error naming the order file and the field
    (and the code point of an undrawable character) but never the patient's details."""
    order = write(tmp_path / "order.pdf", order_pdf(1))
    packet = tmp_path / "packet.pdf"
    result = run_cli(capsys, "attach", order, SAMPLE, "-o", packet, *extra)
    assert result.code == 2, result
    assert expected in result.err and str(order) in result.err
    assert "Quillonbury" not in result.out + result.err and "Xyzz" not in result.err
    assert not packet.exists()


def test_built_leaflet_pdf_cannot_be_personalised(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a leaflet PDF given to a personalised attach is refused, pointing to the monograph."""
    order = write(tmp_path / "order.pdf", order_pdf(1))
    leaflet = write(tmp_path / "leaflet.pdf", build_leaflet(load_monograph(SAMPLE), BuildOptions()).pdf)
    result = run_cli(capsys, "attach", order, leaflet, "-o", tmp_path / "p.pdf", "--patient", SECRET)
    assert result.code == 2
    assert "cannot be personalised" in result.err and "give the monograph instead" in result.err
    assert SECRET not in result.err
