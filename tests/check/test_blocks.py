"""Tests of ``leaflet check`` on a leaflet with tables, steps, figures and notices (issue 12): the content
rules read them without a crash, and the preflight's cross-check with the build's placement report finds
every cell, caption and notice where the build put it."""

from __future__ import annotations

import shutil
from pathlib import Path

from leaflet.check.preflight import preflight_pdf
from leaflet.check.rules import check_file
from leaflet.jobs.library import build_library
from leaflet.options import BuildOptions
from tests.conftest import FIXTURES

BLOCKS = FIXTURES / "blocks"


def test_content_rules_read_every_block(tmp_path: Path) -> None:
    """This test ensures that the content rules run over tables, figures and notices, finding only what the
    fixture's synthetic text earns (no glyph, layout or empty-section finding)."""
    found = check_file(BLOCKS / "pen.yaml")
    assert {finding.rule for finding in found} <= {"profile", "reading-grade", "long-sentence", "no-warning-box"}


def test_a_built_leaflet_with_every_block_passes_the_preflight_and_its_placement_check(tmp_path: Path) -> None:
    """This test ensures that the built PDF passes every preflight rule, the placement cross-check
    included: each cell (header cells repeated on later pages too), caption, item and notice is drawn
    inside the box the build reported."""
    source = tmp_path / "src"
    shutil.copytree(BLOCKS, source)
    out = tmp_path / "out"
    build_library([(source / "pen.yaml", out / "pen.pdf")], out, BuildOptions())
    assert preflight_pdf(out / "pen.pdf") == []
