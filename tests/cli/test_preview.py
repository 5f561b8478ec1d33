"""PNG previews (``-o x.png``) and ``--watch`` on one file (issue 13, item 7)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from leaflet import BuildOptions, build_leaflet
from leaflet.loaders import load_monograph
from leaflet.preview import page_paths, png_pages, stale_pages
from tests.cli.helpers import copy, run_cli
from tests.conftest import SAMPLE


def test_png_output_writes_every_page_at_the_resolution_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """This test ensures that -o x.png writes one PNG per page, named x-N.png, at the --dpi asked (A4 at
    72 dpi is 595 x 842 pixels), and says which files it wrote."""
    result = run_cli(capsys, "build", SAMPLE, "-o", tmp_path / "x.png", "--dpi", "72")
    assert result.code == 0, result.err
    assert sorted(path.name for path in tmp_path.iterdir()) == ["x-1.png", "x-2.png"]
    with Image.open(tmp_path / "x-1.png") as image:
        assert image.format == "PNG" and abs(image.width - 595) <= 1 and abs(image.height - 842) <= 1
    assert "x-1.png ... x-2.png (2 pages)" in result.err + result.out


def test_png_pages_show_the_leaflet(tmp_path: Path) -> None:
    """This test ensures that a preview is the leaflet's page drawn, not a blank: the title's blue ink and
    the body's black text are there, the margins are white."""
    pdf = build_leaflet(load_monograph(SAMPLE), BuildOptions()).pdf
    with Image.open(io.BytesIO(png_pages(pdf, 100)[0])) as image:
        first = image.convert("RGB")
    colours = first.getcolors(maxcolors=1 << 20) or []
    dark = sum(count for count, (r, g, b) in colours if r + g + b < 300)
    blue = sum(count for count, (r, g, b) in colours if b > r + 60)
    assert dark > 0.03 * first.width * first.height and blue > 0.005 * first.width * first.height
    assert all(first.getpixel((x, 3)) == (255, 255, 255) for x in range(0, first.width, 7))


def test_previews_are_deterministic() -> None:
    """This test ensures that the same leaflet gives the same PNG bytes."""
    pdf = build_leaflet(load_monograph(SAMPLE), BuildOptions()).pdf
    assert png_pages(pdf, 40) == png_pages(pdf, 40)


def test_a_page_field_names_each_page_and_stale_pages_go(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that ``{p}`` in the name is the page number, and that the pages of an older,
    longer preview of the same name are removed (they would be read as this leaflet's), nothing else."""
    target = tmp_path / "page-{p}.png"
    assert run_cli(capsys, "build", SAMPLE, "-o", target, "--large-print", "--dpi", "36").code == 0
    assert len(list(tmp_path.glob("page-*.png"))) == 6
    (tmp_path / "page-notes.png").write_bytes(b"mine")
    assert run_cli(capsys, "build", SAMPLE, "-o", target, "--dpi", "36").code == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == ["page-1.png", "page-2.png", "page-notes.png"]


def test_page_names() -> None:
    """This test ensures the naming rule: one page keeps the name, more pages number it, ``{p}`` wins."""
    assert page_paths(Path("a/x.png"), 1) == [Path("a/x.png")]
    assert page_paths(Path("a/x.png"), 2) == [Path("a/x-1.png"), Path("a/x-2.png")]
    assert page_paths(Path("p{p}.png"), 2) == [Path("p1.png"), Path("p2.png")]
    assert stale_pages(Path("/nonexistent/x.png"), 1) == []


def test_a_bad_resolution_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that --dpi outside 36..600 is an options error and nothing is written."""
    result = run_cli(capsys, "build", SAMPLE, "-o", tmp_path / "x.png", "--dpi", "5000")
    assert result.code == 2 and "--dpi" in result.err
    assert not list(tmp_path.iterdir())


def test_watch_rebuilds_one_file_after_a_save(tmp_path: Path) -> None:
    """This test ensures that --watch works for one monograph and one PDF: built at once, built again
    after the file is saved, stopped by Ctrl-C (SIGINT) with status 130."""
    source = copy(SAMPLE, tmp_path / "baclofen.yaml")
    target = tmp_path / "baclofen.pdf"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "leaflet", "build", str(source), "-o", str(target), "--watch"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    try:
        first = _wait_for(lambda: target.exists())
        assert first, "the first build never came"
        built = target.stat().st_mtime_ns
        time.sleep(1.0)
        source.write_text(source.read_text(encoding="utf-8").replace("Baclofen", "Baclofen tablets", 1), "utf-8")
        assert _wait_for(lambda: target.stat().st_mtime_ns != built), "no rebuild after the save"
    finally:
        process.send_signal(2)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert (out + err).count("built ") == 2 and "Traceback" not in err


def _wait_for(condition: object, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False
