"""Helpers shared by the loader tests: paths, writing files, and comparing models without line numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from leaflet.model import Block, BulletList, Figure, ListItem, Monograph, Notice, Paragraph, Section, Table, iter_text

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
            shape.append(list_outline(block))
        elif isinstance(block, Table):
            shape.append(("table", block.caption, block.header, block.rows))
        elif isinstance(block, Figure):
            shape.append(("figure", block.data, block.format, block.alt, block.caption, block.source))
        elif isinstance(block, Notice):
            shape.append(("notice", block.kind, block.runs))
        else:
            assert isinstance(block, Section)
            shape.append(("warning" if block.warning else "heading", block.heading, outline(block.body)))
    return tuple(shape)


def list_outline(block: BulletList) -> tuple[Any, ...]:
    """A list's lead-in, items and nested lists; numbered lists with their start."""
    lead = block.lead.runs if block.lead is not None else None
    items = tuple(
        (item.runs, list_outline(item.sublist)) if isinstance(item, ListItem) and item.sublist else item.runs
        for item in block.items
    )
    return ("steps", block.start, lead, items) if block.ordered else ("list", lead, items)


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
