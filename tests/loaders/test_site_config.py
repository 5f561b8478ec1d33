"""The site configuration (leaflet.toml): strict reading with file:line:column errors (issue 14, part 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet.loaders.site_config import ConfigError, contrast_with_white, key_lines, load_site_config
from leaflet.site import BAND_FIELDS

GOOD = """\
# a chain's branch
[defaults]
paper = "letter"
columns = 1
large_print = true
language = "es"

[pharmacy]
name = "Farmacia Verde"
address = "Calle Mayor 1, Madrid"
phone = "+34 910 000 000"

[brand]
colour = "#0B5E3C"

[band]
fields = ["patient", "rx", "qr"]

[labels.es]
header = "Su medicamento"
rx = "Receta {rx}"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "leaflet.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[tuple[int | None, int | None, str, str]]:
    with pytest.raises(ConfigError) as caught:
        load_site_config(write(tmp_path, text))
    return [(d.line, d.column, d.code, d.message) for d in caught.value.diagnostics]


def test_a_good_configuration_gives_defaults_and_the_site(tmp_path: Path) -> None:
    """This test ensures that every table of a good file lands where builds read it."""
    config = load_site_config(write(tmp_path, GOOD))
    assert (config.paper, config.columns, config.large_print) == ("letter", 1, True)
    site = config.site
    assert site.text_language == "es"
    assert site.pharmacy_line() == "Farmacia Verde \u00b7 Calle Mayor 1, Madrid \u00b7 +34 910 000 000"
    assert site.brand_colour == "#0B5E3C"
    assert site.band_fields == ("patient", "rx", "qr")
    assert site.label_overrides("es") == {"header": "Su medicamento", "rx": "Receta {rx}"}
    assert site.label_overrides("en") == {}


def test_every_problem_is_reported_at_its_line_and_column(tmp_path: Path) -> None:
    """This test ensures that unknown keys and bad values are each reported at the line (and column)
    of the key, all in one run, with did-you-mean hints."""
    text = GOOD.replace("columns = 1", "  colums = 1").replace('"#0B5E3C"', '"#99DD99"')
    text = text.replace('"rx", "qr"', '"rx", "qrcode"').replace("Receta {rx}", "Receta {numero}")
    text += "\n[footer]\nshow = true\n"
    found = problems(tmp_path, text)
    assert (4, 3, "config-unknown-key", "unknown key 'defaults.colums'") in found
    assert any(f[0] == 14 and f[2] == "config-value" and "contrast" in f[3] for f in found)
    assert (17, 1, "config-value", "unknown band field 'qrcode'") in found
    assert (21, 1, "config-value", "'rx' must contain {rx}") in found
    assert (23, 2, "config-unknown-key", "unknown table 'footer'") in found
    assert len(found) == 5


def test_a_toml_syntax_error_names_its_line(tmp_path: Path) -> None:
    """This test ensures that tomllib's own position becomes the diagnostic's line and column."""
    [(line, column, code, message)] = problems(tmp_path, '[defaults]\npaper = "a4\n')
    assert (line, code) == (2, "config-syntax")
    assert column is not None and message.startswith("not valid TOML")


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("columns = 3", "'columns' cannot be 3"),
        ("columns = true", "'columns' cannot be True"),
        ('paper = "a3"', "'paper' cannot be 'a3'"),
        ('language = "not a tag"', "'language' cannot be 'not a tag'"),
        ('large_print = "yes"', "'large_print' cannot be 'yes'"),
    ],
)
def test_bad_defaults_are_refused(tmp_path: Path, line: str, message: str) -> None:
    """This test ensures that each default is checked for its type and range (a bool is not a column count)."""
    [(number, _, code, text)] = problems(tmp_path, f"[defaults]\n\n{line}\n")
    assert (number, code, text) == (3, "config-value", message)


def test_a_logo_must_be_a_png_or_jpeg_beside_the_file(tmp_path: Path) -> None:
    """This test ensures that the logo path is read relative to the configuration and checked by its bytes."""
    (tmp_path / "logo.png").write_bytes(b"GIF89a not a png")
    [(line, _, _, message)] = problems(tmp_path, '[pharmacy]\nlogo = "logo.png"\n')
    assert line == 2 and "not a PNG or JPEG" in message
    [(line, _, _, message)] = problems(tmp_path, '[pharmacy]\nlogo = "missing.png"\n')
    assert line == 2 and "cannot be read" in message


def test_keys_in_multiline_strings_are_not_taken_for_keys() -> None:
    """This test ensures that the line scan skips the inside of multi-line strings and follows dotted keys."""
    text = '[pharmacy]\naddress = """\nname = not a key\n"""\nname = "x"\n[labels."pt-BR"]\nrx = "Receita {rx}"\n'
    lines = key_lines(text)
    assert lines[("pharmacy", "name")] == (5, 1)
    assert lines[("labels", "pt-BR", "rx")] == (7, 1)


def test_contrast_follows_wcag() -> None:
    """This test ensures the contrast formula gives WCAG's known values (black 21:1, leaflet's blue over 7:1)."""
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#FFFFFF") == pytest.approx(1.0)
    assert contrast_with_white("#0B3D6E") > 7
    assert BAND_FIELDS[-1] == "qr"
