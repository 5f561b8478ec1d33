"""Helpers shared by the loader tests: paths, writing files, and comparing models without line numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from leaflet.model import Block, BulletList, Monograph, Paragraph, Section, iter_text

ROOT = Path(__file__).resolve().parents[2]
YAML_FIXTURES = ROOT / "tests" / "fixtures" / "yaml"
VALID = sorted((YAML_FIXTURES / "valid").glob("*.yaml"))
INVALID = sorted((YAML_FIXTURES / "invalid").glob("*.yaml"))
SAMPLE = ROOT / "content" / "baclofen.yaml"
SEED_TEXT = ROOT / "tests" / "fixtures" / "monographs" / "baclofen.txt"
SCHEMA = ROOT / "leaflet" / "schema" / "monograph.schema.json"

HEAD = "title: Baclofen\nlanguage: en\nrevised: 2024-05-01\n"
"""The required keys but 'body', for YAML written inside a test."""


def write(path: Path, content: str | bytes) -> Path:
    """Write ``content`` to ``path`` byte for byte (no newline translation) and return the path."""
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def outline(blocks: tuple[Block, ...]) -> tuple[Any, ...]:
    """The structure and styled text of ``blocks``, without source lines, for comparing two models."""
    shape: list[Any] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            shape.append(("paragraph", block.runs))
        elif isinstance(block, BulletList):
            lead = block.lead.runs if block.lead is not None else None
            shape.append(("list", lead, tuple(item.runs for item in block.items)))
        else:
            assert isinstance(block, Section)
            shape.append(("warning" if block.warning else "heading", block.heading, outline(block.body)))
    return tuple(shape)


def texts(monograph: Monograph) -> list[tuple[str, str]]:
    """(kind, text) of every piece of text but the metadata, in reading order."""
    return [(piece.kind, piece.text) for piece in iter_text(monograph) if piece.kind != "meta"]


def sections(blocks: tuple[Block, ...]) -> list[Section]:
    """Every section under ``blocks``, depth first."""
    found: list[Section] = []
    for block in blocks:
        if isinstance(block, Section):
            found.append(block)
            found.extend(sections(block.body))
    return found


def warning_flags(monograph: Monograph) -> list[tuple[str, bool]]:
    """(heading, is it a boxed warning) of every section, depth first."""
    return [(section.heading, section.warning) for section in sections(monograph.body)]
