"""Write a :class:`Monograph` in leaflet's YAML format (the inverse of the YAML loader)."""

from __future__ import annotations

from typing import Any

import yaml

from leaflet.loaders.inline import format_inline
from leaflet.model import Block, BulletList, Monograph, Paragraph, Section


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
        data: dict[str, Any] = {}
        if block.lead is not None:
            data["lead"] = format_inline(block.lead.runs)
        data["list"] = [format_inline(item.runs) for item in block.items]
        return data
    if not isinstance(block, Section):
        raise TypeError(f"no YAML form for {type(block).__name__} yet")
    section: Section = block
    return {"warning" if section.warning else "heading": section.heading, "body": [_block(b) for b in section.body]}


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
