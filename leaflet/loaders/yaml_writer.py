"""Write a :class:`Monograph` in leaflet's YAML format (the inverse of the YAML loader)."""

from __future__ import annotations

import base64
from typing import Any

import yaml

from leaflet.loaders.inline import format_inline
from leaflet.model import Block, BulletList, Cell, Figure, ListItem, Monograph, Notice, Paragraph, Section, Table


def dump_monograph(monograph: Monograph, *, revised: str) -> str:
    """The YAML text of ``monograph``; ``revised`` stands in when the monograph has no date."""
    meta = monograph.meta
    document: dict[str, Any] = {"title": monograph.title, "drug": meta.drug}
    document["language"] = meta.language
    document["revised"] = meta.revised or revised
    if meta.version:
        document["version"] = meta.version
    if meta.source:
        document["source"] = meta.source
    document["body"] = [_block(block) for block in monograph.body]
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _block(block: Block) -> Any:
    if isinstance(block, Paragraph):
        return format_inline(block.runs)
    if isinstance(block, BulletList):
        return _list(block, top=True)
    if isinstance(block, Table):
        return {"table": _table(block)}
    if isinstance(block, Figure):
        return _figure(block)
    if isinstance(block, Notice):
        notice: dict[str, Any] = {"notice": format_inline(block.runs)}
        if block.kind != "statement":
            notice["kind"] = block.kind
        return notice
    section: Section = block
    return {"warning" if section.warning else "heading": section.heading, "body": [_block(b) for b in section.body]}


def _list(block: BulletList, *, top: bool) -> dict[str, Any]:
    """A list's keys: ``lead`` (top-level lists only), ``list`` or ``steps``, and ``start`` when not 1."""
    data: dict[str, Any] = {}
    if block.lead is not None and top:
        data["lead"] = format_inline(block.lead.runs)
    data["steps" if block.ordered else "list"] = [_item(item) for item in block.items]
    if block.ordered and block.start != 1:
        data["start"] = str(block.start)
    return data


def _item(item: Paragraph) -> Any:
    if isinstance(item, ListItem) and item.sublist is not None:
        return {"text": format_inline(item.runs), **_list(item.sublist, top=False)}
    return format_inline(item.runs)


def _table(table: Table) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if table.caption:
        data["caption"] = format_inline(table.caption)
    if table.header:
        data["header"] = _Row(_cell(cell) for cell in table.header)
    data["rows"] = [_Row(_cell(cell) for cell in row) for row in table.rows]
    return data


def _cell(cell: Cell) -> Any:
    text = format_inline(cell.runs)
    return text if cell.colspan == 1 else {"text": text, "span": str(cell.colspan)}


def _figure(figure: Figure) -> dict[str, Any]:
    """A figure read from a file names that file (relative to the content folder); any other (a data
    URI, or made by an importer) carries its bytes as a data URI."""
    source = figure.source
    if not source or source.startswith("data:"):
        source = f"data:image/{figure.format};base64," + base64.b64encode(figure.data).decode("ascii")
    data: dict[str, Any] = {"figure": source, "alt": figure.alt}
    if figure.caption:
        data["caption"] = format_inline(figure.caption)
    return data


class _Row(list[Any]):
    """A table row, written on one line as ``[cell, cell]``, so that the rows read as a grid."""


class _Dumper(yaml.SafeDumper):
    """Indents lists under their key, which reads better in hand-edited files."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    """Text that a wrapped line could start with ``- `` is written in double quotes: unquoted, the loader
    refuses such a line (it reads like a new list item that YAML would run into the text above)."""
    style = '"' if " - " in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


_Dumper.add_representer(
    _Row, lambda dumper, row: dumper.represent_sequence("tag:yaml.org,2002:seq", row, flow_style=True)
)
