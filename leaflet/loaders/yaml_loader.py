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

Unknown keys, wrong types, empty text and impossible dates are errors with file, line and hint.
"""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

from leaflet.errors import content_error
from leaflet.files import FileRefusedError, read_regular
from leaflet.loaders.inline import parse_inline
from leaflet.loaders.yaml_tree import MAX_BYTES, Mapping, Node, Scalar, Sequence, parse_yaml
from leaflet.model import Block, BulletList, Metadata, Monograph, Paragraph, Section, source_lines

TOP_KEYS = ("title", "drug", "language", "revised", "version", "source", "body")
REQUIRED_TOP_KEYS = ("title", "language", "revised", "body")
SECTION_KEYS = ("heading", "warning", "body")
LIST_KEYS = ("lead", "list")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read_text(path: Path, *, allow_form_feed: bool = False) -> str:
    """The text of ``path``: UTF-8 (a BOM is allowed), at most :data:`MAX_BYTES`."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise content_error(
                name,
                f"the file is {size:,} bytes; the limit is {MAX_BYTES:,}",
                hint="split it or remove what is not leaflet text",
            )
        data = read_regular(path, limit=MAX_BYTES)  # a device or a pipe is refused, not read (issue 10.4)
    except FileRefusedError as exc:
        raise content_error(name, exc.reason, hint=exc.hint) from None
    except FileNotFoundError:
        raise content_error(name, "no such file", hint="check the path") from None
    except IsADirectoryError:
        raise content_error(name, "is a directory, not a file") from None
    except OSError as exc:
        raise content_error(name, f"cannot be read: {exc.strerror}") from None
    return decode_text(data, name, allow_form_feed=allow_form_feed)


def decode_text(data: bytes, name: str, *, allow_form_feed: bool = False) -> str:
    """Decode ``data`` as UTF-8 (dropping a BOM), refusing bytes and characters that cannot be text.

    Lines are counted at LF, CR or CRLF only, as editors count them; other control characters and
    Unicode line separators are refused with their line and column. ``allow_form_feed`` lets the
    page breaks of text extracted from PDFs through.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise content_error(
            name, f"not UTF-8 text (byte 0x{data[exc.start]:02x})", line=line, hint="save the file as UTF-8"
        ) from None
    allowed = "\t\n\r\f" if allow_form_feed else "\t\n\r"
    for number, line_text in enumerate(source_lines(text), start=1):
        for column, char in enumerate(line_text, start=1):
            category = unicodedata.category(char)
            if (category == "Cc" and char not in allowed) or category in ("Zl", "Zp"):
                kind = "control character" if category == "Cc" else "line separator character"
                raise content_error(
                    name,
                    f"{kind} U+{ord(char):04X} in the text",
                    line=number,
                    column=column,
                    hint="delete it; it cannot be printed" if category == "Cc" else "use an ordinary line break",
                )
    return text


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
    """Read a YAML monograph from ``path`` into a :class:`Monograph`."""
    name = str(path)
    text = read_text(path)
    return replace(_Converter(name).monograph(parse_yaml(text, name)), source_text=text)


class _Converter:
    """Checks the tree against the format and builds the model."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, node: Node, message: str, hint: str | None = None) -> NoReturn:
        raise content_error(self.path, message, line=node.line, column=node.column, hint=hint)

    def mapping(self, node: Node, what: str, allowed: tuple[str, ...]) -> Mapping:
        if not isinstance(node, Mapping):
            self.fail(node, f"{what} must be a mapping of keys to values", f"expected keys: {', '.join(allowed)}")
        for key in node.items:
            if key not in allowed:
                line, column = node.key_positions[key]
                close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else f"allowed keys here: {', '.join(allowed)}"
                if not close and len(node.items) == 1 and isinstance(node.items[key], Scalar):
                    hint = "a sentence with ': ' in it must be in quotes, e.g. - \"Note: take with food\""
                raise content_error(self.path, f"unknown key {key!r} in {what}", line=line, column=column, hint=hint)
        return node

    def text(self, node: Node, what: str) -> str:
        if not isinstance(node, Scalar):
            kind = "a list" if isinstance(node, Sequence) else "a mapping"
            self.fail(
                node, f"{what} must be text, not {kind}", "write it on one line after the key, quoted if it has ':'"
            )
        value = node.value.strip()
        if not value:
            where = "delete this line" if what in ("a paragraph", "a list item") else "remove the key"
            self.fail(node, f"{what} is empty", f"write the text, or {where}")
        return value

    def monograph(self, root: Node) -> Monograph:
        top = self.mapping(root, "the monograph", TOP_KEYS)
        for key in REQUIRED_TOP_KEYS:
            if key not in top.items:
                self.fail(top, f"missing required key {key!r}", f"add '{key}:' at the top level")
        title = self.text(top.items["title"], "'title'")
        meta = Metadata(
            drug=self.text(top.items["drug"], "'drug'") if "drug" in top.items else title,
            language=self.language(top.items["language"]),
            revised=self.date(top.items["revised"]),
            version=self.text(top.items["version"], "'version'") if "version" in top.items else None,
            source=self.text(top.items["source"], "'source'") if "source" in top.items else None,
        )
        body = self.blocks(top.items["body"], "'body'", allow_empty=False)
        lines = {key: top.items[key].line for key in top.items}
        lines.setdefault("drug", lines["title"])
        return Monograph(title=title, meta=meta, body=body, path=self.path, lines=lines)

    def language(self, node: Node) -> str:
        value = self.text(node, "'language'")
        if not _LANGUAGE.match(value):
            self.fail(node, f"'language' is {value!r}, not a language tag", "use a BCP 47 tag such as 'en' or 'pt-BR'")
        return value

    def date(self, node: Node) -> str:
        value = self.text(node, "'revised'")
        if not is_calendar_date(value):
            self.fail(node, f"'revised' is {value!r}, not a real date", "write it as YYYY-MM-DD, e.g. 2024-02-29")
        return value

    def blocks(self, node: Node, what: str, *, allow_empty: bool) -> tuple[Block, ...]:
        if isinstance(node, Scalar) and node.plain and not node.value and allow_empty:
            return ()
        if not isinstance(node, Sequence):
            self.fail(node, f"{what} must be a list of blocks", "start each block on its own line with '- '")
        if not node.items and not allow_empty:
            self.fail(node, f"{what} is empty", "add at least one paragraph or section")
        return tuple(self.block(item) for item in node.items)

    def prose(self, node: Node, what: str) -> Paragraph:
        """Leaflet text (a paragraph, item, lead-in): also refused when a '#' would cut it short."""
        text = self.text(node, what)
        if isinstance(node, Scalar) and node.comment is not None:
            line, column = node.comment
            raise content_error(
                self.path,
                "the text after ' #' is a YAML comment and would not be printed",
                line=line,
                column=column,
                hint="put the whole text in quotes if the '#' belongs to it",
            )
        return Paragraph(parse_inline(text), node.line)

    def block(self, node: Node) -> Block:
        if isinstance(node, Scalar):
            return self.prose(node, "a paragraph")
        if isinstance(node, Mapping) and "list" in node.items:
            return self.bullet_list(node)
        if isinstance(node, Mapping) and ("heading" in node.items or "warning" in node.items):
            return self.section(node)
        if isinstance(node, Mapping):
            self.mapping(node, "a block", SECTION_KEYS + LIST_KEYS)
            if "lead" in node.items:
                self.fail(node, "a lead-in without its list", "add 'list:' with the items under 'lead:'")
        self.fail(node, "a block must be text, a list ('list:') or a section ('heading:' or 'warning:')")

    def bullet_list(self, node: Mapping) -> BulletList:
        self.mapping(node, "a list", LIST_KEYS)
        items_node = node.items["list"]
        if not isinstance(items_node, Sequence) or not items_node.items:
            self.fail(items_node, "'list' must be a non-empty list of items", "start each item with '- '")
        items = tuple(self.prose(item, "a list item") for item in items_node.items)
        lead = None
        if "lead" in node.items:
            lead_node = node.items["lead"]
            lead = self.prose(lead_node, "'lead'")
        return BulletList(items=items, lead=lead, line=node.line)

    def section(self, node: Mapping) -> Section:
        self.mapping(node, "a section", SECTION_KEYS)
        if "heading" in node.items and "warning" in node.items:
            self.fail(
                node, "a section has either 'heading:' or 'warning:', not both", "use 'warning:' for a boxed section"
            )
        key = "warning" if "warning" in node.items else "heading"
        heading_node = node.items[key]
        heading = self.text(heading_node, f"'{key}'")
        body: tuple[Block, ...] = ()
        if "body" in node.items:
            body = self.blocks(node.items["body"], f"the body of {heading!r}", allow_empty=True)
        return Section(heading=heading, body=body, warning=key == "warning", line=heading_node.line)
