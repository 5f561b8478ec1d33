"""Shared fixtures: paths, and leaflets built once per test session and read back as PDF facts."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from leaflet import BuildOptions, Rendered, build_leaflet, load_monograph
from tests.pdf_facts import PdfFacts

# CI replays the same examples every run (a red build must be reproducible); local runs explore.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
MONOGRAPHS = FIXTURES / "monographs"
SAMPLE = ROOT / "content" / "baclofen.yaml"
SEED_TEXT = MONOGRAPHS / "baclofen.txt"

_built: dict[tuple[str, BuildOptions], tuple[Rendered, PdfFacts]] = {}


def build(source: Path, **options: object) -> tuple[Rendered, PdfFacts]:
    """Build ``source`` with ``options`` (cached for the session) and return the result and its facts."""
    key = (str(source), BuildOptions(**options))  # type: ignore[arg-type]
    if key not in _built:
        rendered = build_leaflet(load_monograph(source), key[1])
        _built[key] = (rendered, PdfFacts(rendered.pdf))
    return _built[key]


@pytest.fixture
def built() -> Callable[..., tuple[Rendered, PdfFacts]]:
    """``built(path, paper=..., columns=..., large_print=...)`` -> (Rendered, PdfFacts), cached per session."""
    return build
