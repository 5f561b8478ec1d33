"""Load a monograph written in leaflet's YAML format into the content model, strictly.

The format (see README, and ``leaflet/schema/monograph.schema.json``)::

    title: Baclofen
    drug: Baclofen            # optional, defaults to the title
    language: en
    revised: 2024-05-01
    version: "3"              # optional
    source: ...               # optional
    body:
      - A paragraph.
      - lead: "Baclofen is mainly prescribed for:"   # optional
        list: [Muscle spasticity, ...]
      - heading: Dosages
        body: [...]
      - warning: Overdose Caution                    # a section set apart in a box
        body: [...]

and the lists, tables, figures and notices of :mod:`leaflet.loaders.yaml_blocks`.

Unknown keys, wrong types, empty text and impossible dates are errors with file, line, code and hint. All of
a file's independent mistakes are reported together, as ruff and mypy do: the converter records each one
and carries on with the next key or block (a misspelt key it recognises is read as the key it meant),
then raises one :class:`ContentError` with every diagnostic in source order.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from leaflet.errors import ContentError, Diagnostic
from leaflet.loaders.source_text import decode_text, read_text
from leaflet.loaders.yaml_blocks import FIGURE_KEYS, LIST_KEYS, NOTICE_KEYS, BlockConverter
from leaflet.loaders.yaml_convert import ReportedError
from leaflet.loaders.yaml_tree import Mapping, Node, Scalar, Sequence, parse_yaml
from leaflet.model import Block, Metadata, Monograph, Section

__all__ = ["decode_text", "is_calendar_date", "load_yaml_monograph", "read_text", "read_yaml_monograph"]

TOP_KEYS = ("title", "drug", "language", "revised", "version", "source", "body")
REQUIRED_TOP_KEYS = ("title", "language", "revised", "body")
SECTION_KEYS = ("heading", "warning", "body")
BLOCK_MARKERS = frozenset(("list", "steps", "table", "figure", "notice", "heading", "warning"))
"""The keys that say what kind of block a mapping is."""
BLOCK_KEYS = tuple(dict.fromkeys(SECTION_KEYS + LIST_KEYS + ("table",) + FIGURE_KEYS + NOTICE_KEYS))
"""Every key a block may have, for "did you mean" hints."""
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def is_calendar_date(value: str) -> bool:
    """True for a real date written ``YYYY-MM-DD`` (not 2024-02-30, not 20240101)."""
    if not _DATE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def load_yaml_monograph(path: Path) -> Monograph:
    """Read a YAML monograph from ``path`` into a :class:`Monograph`.

    Raises one :class:`ContentError` carrying every mistake found, in source order.
    """
    monograph, problems = read_yaml_monograph(path)
    if problems or monograph is None:
        raise ContentError(problems)
    return monograph


def read_yaml_monograph(path: Path) -> tuple[Monograph | None, list[Diagnostic]]:
    """The monograph at ``path`` as far as it could be read, and every mistake found, in source order.

    With mistakes, the model holds what could be checked (bad blocks left out), so that later checks
    (the fonts' coverage) can add theirs to the same report; it must not be built. Raises
    :class:`ContentError` where reading had to stop (a file that is not text, a YAML syntax error).
    """
    name = str(path)
    text = read_text(path)
    problems: list[Diagnostic] = []
    root = parse_yaml(text, name, problems)
    converter = _Converter(name, problems)
    monograph = converter.attempt(lambda: converter.monograph(root), None)
    problems.sort(key=lambda d: (d.line or 0, d.column or 0))
    return (None if monograph is None else replace(monograph, source_text=text)), problems


class _Converter(BlockConverter):
    """Checks the tree against the format and builds the model, recording every mistake."""

    def field(self, top: Mapping, key: str, read: Callable[[Node], str]) -> str | None:
        """The top-level ``key`` read by ``read``; None when absent or wrong (reported)."""
        node = top.items.get(key)
        return None if node is None else self.attempt(lambda: read(node), None)

    def monograph(self, root: Node) -> Monograph:
        top = self.mapping(root, "the monograph", TOP_KEYS)
        for key in REQUIRED_TOP_KEYS:
            if key not in top.items:
                self.report(top, f"missing required key {key!r}", f"add '{key}:' at the top level", "yaml-missing-key")
        title = self.field(top, "title", lambda node: self.text(node, "'title'")) or ""
        meta = Metadata(
            drug=self.field(top, "drug", lambda node: self.text(node, "'drug'")) or title,
            language=self.field(top, "language", self.language) or "",
            revised=self.field(top, "revised", self.date) or "",
            version=self.field(top, "version", lambda node: self.text(node, "'version'")),
            source=self.field(top, "source", lambda node: self.text(node, "'source'")),
        )
        body: tuple[Block, ...] = ()
        if "body" in top.items:
            body = self.attempt(lambda: self.blocks(top.items["body"], "'body'", allow_empty=False), body)
        lines = {key: top.items[key].line for key in top.items}
        lines.setdefault("drug", lines.get("title", 0))
        return Monograph(title=title, meta=meta, body=body, path=self.path, lines=lines)

    def language(self, node: Node) -> str:
        value = self.text(node, "'language'")
        if not _LANGUAGE.match(value):
            hint = "use a BCP 47 tag such as 'en' or 'pt-BR'"
            self.fail(node, f"'language' is {value!r}, not a language tag", hint, "yaml-bad-language")
        return value

    def date(self, node: Node) -> str:
        value = self.text(node, "'revised'")
        if not is_calendar_date(value):
            hint = "write it as YYYY-MM-DD, e.g. 2024-02-29"
            self.fail(node, f"'revised' is {value!r}, not a real date", hint, "yaml-bad-date")
        return value

    def blocks(self, node: Node, what: str, *, allow_empty: bool) -> tuple[Block, ...]:
        if isinstance(node, Scalar) and not node.value and allow_empty:
            return ()  # 'body:' left empty, or '' (the schema cannot tell them apart, so neither does this)
        if not isinstance(node, Sequence):
            self.fail(
                node,
                f"{what} must be a list of blocks",
                "start each block on its own line with '- '",
                "yaml-wrong-type",
            )
        if not node.items and not allow_empty:
            self.fail(node, f"{what} is empty", "add at least one paragraph or section", "yaml-empty-list")
        return self.each(node.items, self.block)

    def block(self, node: Node) -> Block:
        if isinstance(node, Scalar):
            return self.prose(node, "a paragraph")
        if isinstance(node, Mapping) and not BLOCK_MARKERS & node.items.keys():
            node = self.unmarked_block(node)
        if isinstance(node, Mapping):
            if "list" in node.items or "steps" in node.items:
                return self.bullet_list(node)
            for marker, read in (("table", self.table), ("figure", self.figure), ("notice", self.notice)):
                if marker in node.items:
                    return read(node)
            if "heading" in node.items or "warning" in node.items:
                return self.section(node)
        message = (
            "a block must be text, a list ('list:' or 'steps:'), a table, a figure, a notice "
            "or a section ('heading:' or 'warning:')"
        )
        self.fail(node, message, None, "yaml-not-a-block")

    def unmarked_block(self, node: Mapping) -> Mapping:
        """A mapping with no key that says what block it is: its misspelt key read as meant, or refused."""
        reported = len(self.problems)
        node = self.mapping(node, "a block", BLOCK_KEYS)
        if not BLOCK_MARKERS & node.items.keys():
            if "lead" in node.items:
                hint = "add 'list:' (bullets) or 'steps:' (numbered) with the items under 'lead:'"
                self.fail(node, "a lead-in without its list", hint, "yaml-lead-without-list")
            if len(self.problems) > reported:
                raise ReportedError  # its unknown key says what is wrong
        return node

    def section(self, node: Mapping) -> Section:
        node = self.mapping(node, "a section", SECTION_KEYS)
        if "heading" in node.items and "warning" in node.items:
            hint = "use 'warning:' for a boxed section"
            message = "a section has either 'heading:' or 'warning:', not both"
            self.report(node, message, hint, "yaml-heading-and-warning")
        key = "warning" if "warning" in node.items else "heading"
        heading_node = node.items[key]
        heading = self.attempt(lambda: self.text(heading_node, f"'{key}'"), "")
        body: tuple[Block, ...] = ()
        if "body" in node.items:
            what = f"the body of {heading!r}" if heading else "the body of this section"
            body = self.attempt(lambda: self.blocks(node.items["body"], what, allow_empty=True), ())
        return Section(heading=heading, body=body, warning=key == "warning", line=heading_node.line)
