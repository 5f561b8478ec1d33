"""Regression tests for problems found in review (issue 3): pathological warnings and escaped characters."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet import FontError, build_leaflet, load_monograph


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "m.yaml"
    path.write_text(f"title: T\nlanguage: en\nrevised: 2024-01-01\nbody:\n{body}", encoding="utf-8")
    return path


def test_a_warning_heading_taller_than_a_column_is_laid_out(tmp_path: Path) -> None:
    """This test ensures that a warning whose heading alone is taller than a column (150 words) is
    laid out, with a shortened "Continued:" heading on later parts, instead of a LayoutError or a
    loop that never ends."""
    heading = " ".join(["overdose"] * 150)
    rendered = build_leaflet(load_monograph(write(tmp_path, f"  - warning: {heading}\n    body:\n      - a\n")))
    continued = [p for p in rendered.placements if p.kind == "continued-heading"]
    assert continued and rendered.pages <= 2
    assert all(part.height < 3 * 17 for part in continued)  # the repeated heading is cut to two lines


@pytest.mark.parametrize("escape", ["\\x00", "\\L", "\\P", "\\uFFFF", "\\x07"])
def test_yaml_escapes_cannot_smuggle_unprintable_characters(tmp_path: Path, escape: str) -> None:
    """This test ensures that a control character, a line separator or a non-character written as a
    YAML escape is refused like a missing glyph, although the font maps some of them."""
    with pytest.raises(FontError) as caught:
        build_leaflet(load_monograph(write(tmp_path, f'  - "a{escape}b"\n')))
    assert caught.value.diagnostics[0].line == 5
