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

Unknown keys, wrong types, empty text and impossible dates are errors with file, line, code and hint. All of
a file's independent mistakes are reported together, as ruff and mypy do: the converter records each one
and carries on with the next key or block (a misspelt key it recognises is read as the key it meant),
then raises one :class:`ContentError` with every diagnostic in source order.
"""

from __future__ import annotations

import contextlib
import datetime
import difflib
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import NoReturn, TypeVar

from leaflet.errors import ContentError, Diagnostic
from leaflet.loaders.inline import parse_inline
from leaflet.loaders.source_text import decode_text, read_text
from leaflet.loaders.yaml_tree import Mapping, Node, Scalar, Sequence, parse_yaml
from leaflet.model import Block, BulletList, Metadata, Monograph, Paragraph, Section

__all__ = ["decode_text", "is_calendar_date", "load_yaml_monograph", "read_text", "read_yaml_monograph"]

TOP_KEYS = ("title", "drug", "language", "revised", "version", "source", "body")
REQUIRED_TOP_KEYS = ("title", "language", "revised", "body")
SECTION_KEYS = ("heading", "warning", "body")
LIST_KEYS = ("lead", "list")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SOFT_HYPHEN = "\u00ad"
_ONE_OF = frozenset(("heading", "warning"))
"""Keys of which a section has one: a misspelt one is not read as the other when that one is there."""
_T = TypeVar("_T")


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


class _ReportedError(Exception):
    """Unwinds to the nearest place the converter can carry on from (the next key, the next block)."""


class _Converter:
    """Checks the tree against the format and builds the model, recording every mistake."""

    def __init__(self, path: str, problems: list[Diagnostic]) -> None:
        self.path = path
        self.problems = problems

    def report(self, where: Node | tuple[int, int], message: str, hint: str | None, code: str) -> None:
        line, column = where if isinstance(where, tuple) else (where.line, where.column)
        self.problems.append(Diagnostic(self.path, message, line, column, hint, code))

    def fail(self, node: Node, message: str, hint: str | None, code: str) -> NoReturn:
        """Report a mistake that leaves nothing to check in ``node``, and skip it."""
        self.report(node, message, hint, code)
        raise _ReportedError

    def attempt(self, read: Callable[[], _T], default: _T) -> _T:
        """``read()``, or ``default`` when it found a mistake (already reported)."""
        try:
            return read()
        except _ReportedError:
            return default

    def mapping(self, node: Node, what: str, allowed: tuple[str, ...]) -> Mapping:
        """``node`` as a mapping of ``allowed`` keys; each unknown key is reported, and one that is a
        likely typo of an allowed key absent here is read as that key (so its value is checked too)."""
        if not isinstance(node, Mapping):
            hint = f"expected keys: {', '.join(allowed)}"
            self.fail(node, f"{what} must be a mapping of keys to values", hint, "yaml-wrong-type")
        unknown = [key for key in node.items if key not in allowed]
        if not unknown:
            return node
        items, positions = dict(node.items), dict(node.key_positions)
        for key in unknown:
            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"allowed keys here: {', '.join(allowed)}"
            if not close and len(node.items) == 1 and isinstance(node.items[key], Scalar):
                hint = "a sentence with ': ' in it must be in quotes, e.g. - \"Note: take with food\""
            self.report(node.key_positions[key], f"unknown key {key!r} in {what}", hint, "yaml-unknown-key")
            value, position = items.pop(key), positions.pop(key)
            if close and close[0] not in items and not (close[0] in _ONE_OF and _ONE_OF & items.keys()):
                items[close[0]], positions[close[0]] = value, position
        return Mapping(items, node.line, node.column, positions)

    def text(self, node: Node, what: str) -> str:
        if not isinstance(node, Scalar):
            kind = "a list" if isinstance(node, Sequence) else "a mapping"
            hint = "write it on one line after the key, quoted if it has ':'"
            self.fail(node, f"{what} must be text, not {kind}", hint, "yaml-wrong-type")
        value = node.value.strip()
        if not value.replace(SOFT_HYPHEN, "").strip():  # soft hyphens only mark where to break: no text
            where = "delete this line" if what in ("a paragraph", "a list item") else "remove the key"
            self.fail(node, f"{what} is empty", f"write the text, or {where}", "yaml-empty-text")
        return value

    def each(self, nodes: list[Node], read: Callable[[Node], _T]) -> tuple[_T, ...]:
        """``read`` of each of ``nodes``, leaving out those with a mistake (reported)."""
        results = []
        for node in nodes:
            with contextlib.suppress(_ReportedError):
                results.append(read(node))
        return tuple(results)

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

    def prose(self, node: Node, what: str) -> Paragraph:
        """Leaflet text (a paragraph, item, lead-in): also refused when a '#' would cut it short."""
        text = self.text(node, what)
        if isinstance(node, Scalar) and node.comment is not None:
            self.report(
                node.comment,
                "the text after ' #' is a YAML comment and would not be printed",
                "put the whole text in quotes if the '#' belongs to it",
                "yaml-comment-in-text",
            )
        return Paragraph(parse_inline(text), node.line)

    def block(self, node: Node) -> Block:
        if isinstance(node, Scalar):
            return self.prose(node, "a paragraph")
        if isinstance(node, Mapping) and not {"list", "heading", "warning"} & node.items.keys():
            reported = len(self.problems)
            node = self.mapping(node, "a block", SECTION_KEYS + LIST_KEYS)
            if not {"list", "heading", "warning"} & node.items.keys():
                if "lead" in node.items:
                    hint = "add 'list:' with the items under 'lead:'"
                    self.fail(node, "a lead-in without its list", hint, "yaml-lead-without-list")
                if len(self.problems) > reported:
                    raise _ReportedError  # its unknown key says what is wrong
        if isinstance(node, Mapping) and "list" in node.items:
            return self.bullet_list(node)
        if isinstance(node, Mapping) and ("heading" in node.items or "warning" in node.items):
            return self.section(node)
        message = "a block must be text, a list ('list:') or a section ('heading:' or 'warning:')"
        self.fail(node, message, None, "yaml-not-a-block")

    def bullet_list(self, node: Mapping) -> BulletList:
        node = self.mapping(node, "a list", LIST_KEYS)
        items_node = node.items["list"]
        if not isinstance(items_node, Sequence) or not items_node.items:
            code = "yaml-empty-list" if isinstance(items_node, Sequence) else "yaml-wrong-type"
            self.fail(items_node, "'list' must be a non-empty list of items", "start each item with '- '", code)
        items = self.each(items_node.items, lambda item: self.prose(item, "a list item"))
        lead = self.attempt(lambda: self.prose(node.items["lead"], "'lead'"), None) if "lead" in node.items else None
        return BulletList(items=items, lead=lead, line=node.line)

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
