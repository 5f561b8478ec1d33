"""Read YAML into a tree of text, safely: every scalar stays the text that was typed.

PyYAML's own loaders turn ``no`` into False, ``1.10`` into 1.1, ``8:30`` into 510, keep the last of
two duplicate keys and expand aliases. This module builds the tree from the parser's events
instead, so none of that can happen: scalars are strings, duplicate keys, anchors, aliases, tags and
deep nesting are errors that name the file, line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NoReturn

import yaml

from leaflet.errors import ContentError, content_error
from leaflet.model import source_lines

MAX_BYTES = 1024 * 1024
"""Largest monograph accepted: a leaflet is a few pages; anything bigger is a mistake or an attack."""
MAX_DEPTH = 40
"""Deepest nesting of mappings and sequences accepted."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Scalar:
    """A scalar exactly as typed."""

    value: str
    line: int
    column: int
    plain: bool
    """Written without quotes (so an empty plain scalar is an empty value)."""
    comment: tuple[int, int] | None = None
    """Line and column of a '# comment' following the text on its line."""


@dataclass
class Sequence:
    """A YAML sequence."""

    items: list[Node]
    line: int
    column: int


@dataclass
class Mapping:
    """A YAML mapping; keys are text, each with its position."""

    items: dict[str, Node]
    line: int
    column: int
    key_positions: dict[str, tuple[int, int]] = field(default_factory=dict)


Node = Scalar | Sequence | Mapping


def parse_yaml(text: str, path: str) -> Node:
    """Parse one YAML document of ``text`` (from ``path``) into a tree of text."""
    try:
        events = list(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, path, text) from None
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors carry no mark
        raise content_error(path, f"not valid YAML: {exc}") from None
    return _Builder(path, text).build(events)


def _syntax_error(exc: yaml.MarkedYAMLError, path: str, text: str) -> ContentError:
    """A YAML syntax error said the way a content editor can act on."""
    problem = exc.problem or exc.context or "not valid YAML"
    mark = exc.problem_mark or exc.context_mark
    hint = "check the indentation and quoting on this line"
    if "tab character" in problem or _char_at(text, mark) == "\t":
        problem, hint = "a tab character in the indentation", "indent with spaces; YAML does not allow tabs"
    elif "end of stream" in problem and exc.context and "quoted" in exc.context and exc.context_mark:
        problem, hint = "a quoted text that is never closed", "add the closing quote on this line"
        mark = exc.context_mark
    elif exc.context_mark and _only_blank_after(text, mark):
        problem, hint = f"the file ends first ({exc.context} that starts here)", "close the [ or { on this line"
        mark = exc.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    return content_error(path, f"not valid YAML: {problem}", line=line, column=column, hint=hint)


class _Builder:
    """Turns the parser's events into nodes, refusing what the format does not allow."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = source_lines(text)

    def fail(self, event: yaml.Event, message: str, hint: str | None = None) -> NoReturn:
        line, column = _position(event)
        raise content_error(self.path, message, line=line, column=column, hint=hint)

    def build(self, events: list[yaml.Event]) -> Node:
        documents = [i for i, event in enumerate(events) if isinstance(event, yaml.DocumentStartEvent)]
        if not documents:
            raise content_error(self.path, "the file is empty", hint="start from content/baclofen.yaml")
        if len(documents) > 1:
            self.fail(events[documents[1]], "more than one YAML document", "keep one monograph per file")
        stack: list[tuple[Node, str | None]] = []
        root: Node | None = None
        for event in events[documents[0] + 1 :]:
            if isinstance(event, yaml.DocumentEndEvent):
                break
            node = self.node_for(event, len(stack))
            if node is None:  # end of a collection
                node = stack.pop()[0]
            elif isinstance(node, (Sequence, Mapping)):
                stack.append((node, None))
                continue
            if not stack:
                root = node
                continue
            self.attach(stack, node, event)
        if root is None:
            raise content_error(self.path, "the file is empty", hint="start from content/baclofen.yaml")
        return root

    def node_for(self, event: yaml.Event, depth: int) -> Node | None:
        if isinstance(event, yaml.AliasEvent):
            self.fail(event, "YAML aliases (*name) are not allowed", "write the text out in full")
        if getattr(event, "anchor", None):
            self.fail(event, "YAML anchors (&name) are not allowed", "remove the anchor")
        tag = getattr(event, "tag", None)
        if tag not in (None, "!", "tag:yaml.org,2002:str"):
            self.fail(event, f"YAML tags such as {tag!r} are not allowed", "remove the tag; every value is text")
        if depth > MAX_DEPTH:
            self.fail(event, f"nested more than {MAX_DEPTH} levels deep", "flatten the structure")
        line, column = _position(event)
        if isinstance(event, yaml.ScalarEvent):
            plain = not event.style  # libyaml says '' for plain scalars, PyYAML None
            if plain:
                self.check_plain_text(event)
            return Scalar(event.value, line, column, plain=plain, comment=self.trailing_comment(event))
        if isinstance(event, yaml.SequenceStartEvent):
            return Sequence([], line, column)
        if isinstance(event, yaml.MappingStartEvent):
            return Mapping({}, line, column)
        return None

    def check_plain_text(self, event: yaml.ScalarEvent) -> None:
        """Refuse unquoted text that YAML would silently run together with the next item."""
        start, end = event.start_mark, event.end_mark
        if start is None or end is None:
            return
        for number in range(start.line + 1, min(end.line, len(self.lines) - 1) + 1):
            if self.lines[number].lstrip(" ").startswith("- "):
                raise content_error(
                    self.path,
                    "this line continues the text above instead of starting a new item",
                    line=number + 1,
                    column=len(self.lines[number]) - len(self.lines[number].lstrip(" ")) + 1,
                    hint="line its '-' up with the '-' of the item above",
                )

    def trailing_comment(self, event: yaml.ScalarEvent) -> tuple[int, int] | None:
        """Line and column of a '#' comment right after the scalar on its last line, if any."""
        end = event.end_mark
        if end is None or end.line >= len(self.lines):
            return None
        rest = self.lines[end.line][end.column :]
        if not rest.lstrip(" ").startswith("#"):
            return None
        return end.line + 1, end.column + 1 + len(rest) - len(rest.lstrip(" "))

    def attach(self, stack: list[tuple[Node, str | None]], node: Node, event: yaml.Event) -> None:
        parent, pending_key = stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
        elif isinstance(parent, Mapping) and pending_key is None:
            if not isinstance(node, Scalar):
                raise content_error(
                    self.path,
                    "a key must be plain text",
                    line=node.line,
                    column=node.column,
                    hint="write the key as a word followed by ':'",
                )
            if node.value in parent.key_positions:
                first = parent.key_positions[node.value][0]
                self.fail(
                    event,
                    f"duplicate key {node.value!r} (first on line {first})",
                    "keep one of them; YAML would silently drop the other",
                )
            stack[-1] = (parent, node.value)
            parent.key_positions[node.value] = (node.line, node.column)
        elif isinstance(parent, Mapping) and pending_key is not None:
            parent.items[pending_key] = node
            stack[-1] = (parent, None)


def _position(event: yaml.Event) -> tuple[int, int]:
    """1-based line and column where ``event`` starts."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _char_at(text: str, mark: yaml.Mark | None) -> str:
    """The character of ``text`` at ``mark`` ('' when there is none)."""
    if mark is None:
        return ""
    lines = source_lines(text)
    if mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _only_blank_after(text: str, mark: yaml.Mark | None) -> bool:
    """True when nothing but white space follows ``mark`` (the parser ran off the end of the file)."""
    if mark is None:
        return False
    lines = source_lines(text)
    rest = "\n".join([lines[mark.line][mark.column :], *lines[mark.line + 1 :]]) if mark.line < len(lines) else ""
    return not rest.strip()
