"""leaflet attach: the order's pages untouched, the leaflets after (or before) them, on the order's paper."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet import OptionsError, attach_leaflets, load_monograph
from leaflet.style import PAPER_SIZES
from tests.cli.helpers import GOOD_TXT, GOOD_YAML, run_cli
from tests.conftest import ROOT, build
from tests.orders.support import A4, LETTER, check_with_qpdf, order_pdf, page_facts, with_object_streams, write

LEAFLET_PAGES = build(GOOD_YAML)[0].pages


def leaflet_sizes(packet: Path, first: int) -> set[tuple[float, float]]:
    """The (width, height) of every page of ``packet`` from index ``first`` on, rounded to points."""
    return {
        (round(f.mediabox[2] - f.mediabox[0]), round(f.mediabox[3] - f.mediabox[1])) for f in page_facts(packet)[first:]
    }


def rounded(size: tuple[float, float]) -> tuple[int, int]:
    return round(size[0]), round(size[1])


@pytest.mark.parametrize(
    ("size", "rotate", "objstm"),
    [(LETTER, 0, False), ((792.0, 612.0), 90, False), (A4, 270, True)],
    ids=["letter", "landscape-rotated", "a4-object-streams"],
)
def test_order_pages_are_kept_as_they_were(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, size: tuple[float, float], rotate: int, objstm: bool
) -> None:
    """This test ensures that the order's pages reach the packet first and unchanged (MediaBox, /Rotate,
    annotations, extracted text), with the leaflet after them, and that the packet passes qpdf's check."""
    data = order_pdf(3, size=size, rotate=rotate)
    order = write(tmp_path / "order.pdf", with_object_streams(data) if objstm else data)
    packet = tmp_path / "packet.pdf"
    result = run_cli(capsys, "attach", order, GOOD_YAML, "-o", packet)
    assert result.code == 0, result
    before, after = page_facts(order), page_facts(packet)
    assert len(after) == 3 + LEAFLET_PAGES
    assert after[:3] == before
    assert [f.text for f in after[:3]] == [f"Order 7 line {n}" for n in (1, 2, 3)]
    assert all(f.annotations == 1 for f in after[:3])
    assert "Testofen" in after[3].text
    check_with_qpdf(packet)


def test_before_puts_leaflets_first(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that --before puts every leaflet, in the order given, ahead of the order's pages."""
    order = write(tmp_path / "order.pdf", order_pdf(2))
    packet = tmp_path / "packet.pdf"
    result = run_cli(capsys, "attach", order, GOOD_YAML, GOOD_TXT, "-o", packet, "--before")
    assert result.code == 0, result
    facts = page_facts(packet)
    txt_pages = len(facts) - 2 - LEAFLET_PAGES
    assert txt_pages >= 1
    assert "Testofen" in facts[0].text
    assert facts[-2:] == page_facts(order)


@pytest.mark.parametrize(
    ("size", "rotate", "paper"),
    [(LETTER, 0, "letter"), (A4, 0, "a4"), ((792.0, 612.0), 90, "letter"), ((612.0, 792.0), 270, "letter")],
    ids=["letter", "a4", "landscape-letter-rotated", "letter-rotated"],
)
def test_auto_paper_follows_the_first_order_page(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, size: tuple[float, float], rotate: int, paper: str
) -> None:
    """This test ensures that --paper auto (the default) builds the leaflets on the paper of the order's first
    page: Letter for Letter, A4 for A4, and Letter for a landscape or /Rotate'd Letter page."""
    order = write(tmp_path / "order.pdf", order_pdf(1, size=size, rotate=rotate))
    packet = tmp_path / "packet.pdf"
    assert run_cli(capsys, "attach", order, GOOD_YAML, "-o", packet).code == 0
    assert leaflet_sizes(packet, 1) == {rounded(PAPER_SIZES[paper])}


def test_paper_option_overrides_the_order(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that --paper a4 builds A4 leaflets after a Letter order."""
    order = write(tmp_path / "order.pdf", order_pdf(1, size=LETTER))
    packet = tmp_path / "packet.pdf"
    assert run_cli(capsys, "attach", order, GOOD_YAML, "-o", packet, "--paper", "a4").code == 0
    assert leaflet_sizes(packet, 1) == {rounded(A4)}


def test_built_leaflet_pdf_is_appended_as_is(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that a leaflet PDF built earlier is appended as it is (its A4 pages after a Letter
    order, its text unchanged)."""
    leaflet = tmp_path / "testofen.pdf"
    assert run_cli(capsys, "build", GOOD_YAML, "-o", leaflet, "--paper", "a4").code == 0
    order = write(tmp_path / "order.pdf", order_pdf(1, size=LETTER))
    packet = tmp_path / "packet.pdf"
    assert run_cli(capsys, "attach", order, leaflet, "-o", packet).code == 0
    assert page_facts(packet)[1:] == page_facts(leaflet)


def test_fifty_page_order(tmp_path: Path) -> None:
    """This test ensures that a 50-page order keeps all its pages, in order, through the Python API."""
    order = write(tmp_path / "order.pdf", order_pdf(50, link=False))
    packet = attach_leaflets(order, [GOOD_YAML])
    facts = page_facts(packet)
    assert len(facts) == 50 + LEAFLET_PAGES
    assert [f.text for f in facts[:50]] == [f"Order 7 line {n}" for n in range(1, 51)]


def test_unknown_leaflet_kind_is_refused(tmp_path: Path) -> None:
    """This test ensures that a leaflet that is neither a monograph nor a PDF is an OptionsError naming it."""
    order = write(tmp_path / "order.pdf", order_pdf(1))
    notes = write(tmp_path / "notes.docx", b"x")
    with pytest.raises(OptionsError, match=r"notes\.docx"):
        attach_leaflets(order, [notes])


def test_packet_may_not_overwrite_the_order(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that -o naming the order itself is exit 2 and leaves the order as it was."""
    data = order_pdf(1)
    order = write(tmp_path / "order.pdf", data)
    result = run_cli(capsys, "attach", order, GOOD_YAML, "-o", order)
    assert result.code == 2, result
    assert "would overwrite" in result.err
    assert order.read_bytes() == data


EPI_SAMPLE = ROOT.parent / "shared" / "samples" / "epi" / "hl7-epi-type1-paracetamol-en.json"
SPL_FIXTURE = ROOT / "tests" / "fixtures" / "spl" / "medguide.xml"


@pytest.mark.parametrize("source", [EPI_SAMPLE, SPL_FIXTURE], ids=["epi-json", "spl-xml"])
def test_epi_and_spl_files_are_attached_as_monographs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, source: Path
) -> None:
    """This test ensures that an ePI or SPL file is attached as a monograph (imported and built, on the order's
    paper, personalised when asked): the packet holds the order's pages, then the leaflet's, and the leaflet
    pages carry the imported title and the patient's name in the band."""
    if not source.exists():
        pytest.skip(f"{source} is missing")
    order = write(tmp_path / "order.pdf", order_pdf(1, size=LETTER))
    packet = tmp_path / "packet.pdf"
    result = run_cli(capsys, "attach", order, source, "-o", packet, "--patient", "Ana Ruiz")
    assert result.code == 0, result
    facts = page_facts(packet)
    assert len(facts) >= 2 and facts[0] == page_facts(order)[0]
    assert all(rounded(f.mediabox[2:]) == rounded(LETTER) for f in facts[1:])
    assert "Ana Ruiz" in facts[1].text
    title = load_monograph(source).title
    assert " ".join(title.split()[:2]) in " ".join(facts[1].text.split())
    check_with_qpdf(packet)


@pytest.mark.parametrize("command", ["attach", "orders"])
def test_packets_are_tagged_unless_asked_for_plain_pdf(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    """This test ensures that a packet's leaflet keeps its structure tree by default, and that
    ``--pdf-standard none`` on attach and orders makes plain, untagged packets (as build does)."""
    from pypdf import PdfReader

    order = write(tmp_path / "order.pdf", order_pdf(1))
    packets = {}
    for standard in ("ua1-a2u", "none"):
        if command == "attach":
            packet = tmp_path / f"packet-{standard}.pdf"
            args = ["attach", order, GOOD_YAML, "-o", packet]
        else:
            csv = tmp_path / "orders.csv"
            csv.write_text(
                f"order_id,order_pdf,monographs,patient,rx,dispensed,directions,pharmacy\nA1,order.pdf,{GOOD_YAML},,,,,\n"
            )
            args, packet = ["orders", csv, "-o", tmp_path / standard, "--root", "/"], tmp_path / standard / "A1.pdf"
        assert run_cli(capsys, *args, "--pdf-standard", standard).code == 0
        packets[standard] = PdfReader(packet).trailer["/Root"]
    assert "/StructTreeRoot" in packets["ua1-a2u"]
    assert "/StructTreeRoot" not in packets["none"] and "/MarkInfo" not in packets["none"]
