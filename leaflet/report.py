"""The placement report: where each block of a leaflet landed, and the built leaflet itself.

Plain data, no reportlab: tests, ``leaflet check`` (the pdf-placement rule) and worker processes read
it instead of guessing from PDF bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

from leaflet.errors import Diagnostic


@dataclass(frozen=True)
class Placement:
    """Where one piece of content landed: page (1-based), frame, and its box in points."""

    kind: str
    line: int
    text: str
    page: int
    frame: str
    x: float
    y: float
    """Bottom edge, from the bottom of the page."""
    width: float
    height: float


@dataclass(frozen=True)
class Rendered:
    """A built leaflet: the PDF and where everything went."""

    pdf: bytes
    pages: int
    placements: tuple[Placement, ...]
    warnings: tuple[Diagnostic, ...] = ()
    """What the layout had to do that the content's author should know (e.g. a drug name cut short in
    the running header)."""
    body_size: float = 0.0
    """The body text's size in points (smaller than the options' when fitted to fewer pages)."""
    leading: float = 0.0
    """The body text's leading in points (tighter than the options' when fitted to fewer pages)."""
