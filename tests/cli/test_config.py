"""The site configuration applied by the command line: defaults, pharmacy footer, brand colour, wording,
band fields; ``--config`` and ``$LEAFLET_CONFIG``; errors at file:line (issue 14, part 2)."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from tests.cli.helpers import assert_user_error, run_cli
from tests.conftest import SAMPLE
from tests.orders.support import order_pdf

BRAND = (11 / 255, 94 / 255, 60 / 255)
CONFIG = """\
[defaults]
paper = "letter"
columns = 1

[pharmacy]
name = "Green Cross Pharmacy"
phone = "0113 496 0000"

[brand]
colour = "#0B5E3C"

[band]
fields = ["rx", "dispensed"]

[labels.en]
header = "Your medicine explained"
rx = "Prescription {rx}"
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "leaflet.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def colours_of(pdf: Path, words: str) -> set[tuple[float, ...]]:
    """The fill colours of the characters of the first line holding ``words``."""
    with pdfplumber.open(pdf) as document:
        for line in document.pages[0].extract_text_lines():
            if words in line["text"]:
                return {tuple(round(c, 3) for c in char["non_stroking_color"]) for char in line["chars"]}
    raise AssertionError(f"{words!r} not on page 1")


def test_the_configuration_shapes_the_leaflet(capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path) -> None:
    """This test ensures that the paper, the pharmacy's footer line, the header wording and the brand colour
    of headings come from the configuration, and that the warning box keeps its own dark red."""
    out = tmp_path / "b.pdf"
    assert run_cli(capsys, "build", SAMPLE, "-o", out, "--config", config).code == 0
    reader = PdfReader(out)
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [612, 792]
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert text.count("Green Cross Pharmacy \u00b7 0113 496 0000") == len(reader.pages)
    assert "Your medicine explained" in text and "Patient information leaflet\n" not in text
    assert colours_of(out, "What is Baclofen?") == {tuple(round(c, 3) for c in BRAND)}
    with pdfplumber.open(out) as document:
        reds = {
            tuple(round(c, 3) for c in char["non_stroking_color"])
            for page in document.pages
            for char in page.chars
            if char["non_stroking_color"] and round(char["non_stroking_color"][0], 3) == round(0x8C / 255, 3)
        }
    assert reds, "the warning box's heading keeps its dark red"


def test_the_command_line_wins_over_the_configuration(
    capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that $LEAFLET_CONFIG is read when --config is not given, and that --paper beats it."""
    monkeypatch.setenv("LEAFLET_CONFIG", str(config))
    out = tmp_path / "b.pdf"
    assert run_cli(capsys, "build", SAMPLE, "-o", out, "--paper", "a4").code == 0
    assert [round(float(v)) for v in PdfReader(out).pages[0].mediabox[2:]] == [595, 842]
    assert "Green Cross Pharmacy" in PdfReader(out).pages[0].extract_text()


def test_a_bad_configuration_is_an_error_at_its_line(
    capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path
) -> None:
    """This test ensures that a typo in the configuration stops the build at file:line, writing nothing."""
    config.write_text(CONFIG.replace("columns = 1", "colour = 1"), encoding="utf-8")
    out = tmp_path / "b.pdf"
    error = assert_user_error(run_cli(capsys, "build", SAMPLE, "-o", out, "--config", config), mentions="leaflet.toml")
    assert (error["line"], error["code"]) == ("3", "config-unknown-key")
    assert "did you mean 'columns'?" in error["message"]
    assert not out.exists()


def test_band_fields_and_wording_apply_to_packets(
    capsys: pytest.CaptureFixture[str], config: Path, tmp_path: Path
) -> None:
    """This test ensures that the band prints only the configured fields, in the configured words: the
    patient's name and directions are left out, the Rx number is printed as the site words it."""
    order = tmp_path / "order.pdf"
    order.write_bytes(order_pdf(1))
    packet = tmp_path / "packet.pdf"
    args = ["attach", order, SAMPLE, "-o", packet, "--config", config]
    result = run_cli(capsys, *args, "--patient", "Zed Marker", "--rx", "RX-991", "--directions", "Take one nightly")
    assert result.code == 0, result.err
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(packet.read_bytes())).pages)
    assert "Prescription RX-991" in text
    assert "Zed Marker" not in text and "Take one nightly" not in text


def test_a_footer_too_narrow_drops_the_address_never_the_phone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """This test ensures that a pharmacy line too long for the footer (large print on Letter) drops the
    address and keeps the name and the whole phone number, and prints all three where they fit (A4, two
    columns: the footer spans both)."""
    config = tmp_path / "leaflet.toml"
    config.write_text(
        '[pharmacy]\nname = "Green Cross Pharmacy"\naddress = "12 High Street, Leeds LS1 4AB, United Kingdom"\n'
        'phone = "0113 496 0000"\n',
        encoding="utf-8",
    )
    large, normal = tmp_path / "large.pdf", tmp_path / "normal.pdf"
    common = ["--config", config, "-q"]
    assert run_cli(capsys, "build", SAMPLE, "-o", large, "--large-print", "--paper", "letter", *common).code == 0
    assert run_cli(capsys, "build", SAMPLE, "-o", normal, *common).code == 0
    large_text = PdfReader(large).pages[0].extract_text()
    assert "Green Cross Pharmacy \u00b7 0113 496 0000" in large_text and "High Street" not in large_text
    assert "Leeds LS1 4AB, United Kingdom \u00b7 0113 496 0000" in PdfReader(normal).pages[0].extract_text()


def test_hyphenation_is_a_site_default_the_command_line_can_turn_off(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """This test ensures that ``hyphenate = false`` in the configuration builds what ``--no-hyphenation``
    builds, that a bad value is an error at its line, and that without the key leaflet's default holds."""
    import leaflet

    config = tmp_path / "leaflet.toml"
    config.write_text("[defaults]\nhyphenate = false\n", encoding="utf-8")
    out = tmp_path / "b.pdf"
    assert run_cli(capsys, "build", SAMPLE, "-o", out, "--config", config, "-q").code == 0
    unhyphenated = leaflet.build_leaflet(leaflet.load_monograph(SAMPLE), leaflet.BuildOptions(hyphenate=False)).pdf
    assert out.read_bytes() == unhyphenated
    config.write_text('[defaults]\nhyphenate = "no"\n', encoding="utf-8")
    result = run_cli(capsys, "build", SAMPLE, "-o", tmp_path / "c.pdf", "--config", config)
    error = assert_user_error(result, mentions="leaflet.toml")
    assert error["line"] == "2" and "hyphenate" in error.string
