"""Read YAML into a tree of text, safely: every scalar stays the text that was typed.

PyYAML's own loaders turn ``no`` into False, ``1.10`` into 1.1, ``8:30`` into 510, keep the last of
two duplicate keys and expand aliases. This module builds the tree from the parser's events
instead, so none of that can happen: scalars are strings, duplicate keys, anchors, aliases, tags and
deep nesting are errors that name the file, line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NoReturn

import yaml

from leaflet.errors import ContentError, Diagnostic, content_error
from leaflet.model import source_lines

MAX_DEPTH = 40
"""Deepest nesting of mappings and sequences accepted."""
MAX_SECTION_DEPTH = (MAX_DEPTH - 2) // 2
"""Deepest nesting of sections that :data:`MAX_DEPTH` allows (19): each level takes two, the section's
mapping and its body's list, under the top-level mapping and its body."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TAB_IN_TEXT = ("a tab inside unquoted text", "use spaces, or put the text in quotes", "yaml-tab-in-text")
"""A tab in plain text: libyaml keeps it, PyYAML's own parser refuses it; leaflet refuses it with either."""
SURROGATE_ESCAPE = (
    "an escape for a lone surrogate (\\uD800 to \\uDFFF), which is not a character",
    "write the character itself",
    "yaml-bad-escape",
)
"""``"\\ud800"``: libyaml refuses it, PyYAML's own parser makes a string no font can draw; leaflet refuses it
with either, at the escape."""
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


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


def parse_yaml(text: str, path: str, problems: list[Diagnostic]) -> Node:
    """Parse one YAML document of ``text`` (from ``path``) into a tree of text.

    Mistakes after which the tree is still sound (a duplicate key: the first is kept; plain text running
    into the next item; a second document: ignored) are appended to ``problems`` for the caller to report
    with its own. A syntax error, an anchor, alias or tag, or too deep a nesting stops the reading: a
    :class:`ContentError` with ``problems`` so far and that one.
    """
    try:
        events = list(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, path, text) from None
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors carry no mark
        raise content_error(path, f"not valid YAML: {exc}", code="yaml-syntax") from None
    return _Builder(path, text, problems).build(events)


def _syntax_error(exc: yaml.MarkedYAMLError, path: str, text: str) -> ContentError:
    """A YAML syntax error said the way a content editor can act on."""
    problem = exc.problem or exc.context or "not valid YAML"
    mark = exc.problem_mark or exc.context_mark
    hint, code = "check the indentation and quoting on this line", "yaml-syntax"
    if _char_at(text, mark) == "\t" and mark and source_lines(text)[mark.line][: mark.column].strip():
        problem, hint, code = TAB_IN_TEXT  # the pure-Python parser's word for what libyaml lets through
    elif "tab character" in problem or _char_at(text, mark) == "\t":
        problem, hint = "a tab character in the indentation", "indent with spaces; YAML does not allow tabs"
    elif "invalid Unicode character escape" in problem and mark:
        problem, hint, code = SURROGATE_ESCAPE  # libyaml's word for what the pure-Python parser lets through
        mark = _surrogate_mark(text, mark.line) or mark
    elif "end of stream" in problem and exc.context and "quoted" in exc.context and exc.context_mark:
        problem, hint = "a quoted text that is never closed", "add the closing quote on this line"
        mark = exc.context_mark
    elif exc.context and "simple key" in exc.context and exc.context_mark:
        problem = "this line has no ':' after its first words, so it is neither a key nor an item"
        hint, mark = "write 'key: value', or start the line with '- ' to make it an item", exc.context_mark
    elif exc.context_mark and _only_blank_after(text, mark):
        problem, hint = f"the file ends first ({exc.context} that starts here)", "close the [ or { on this line"
        mark = exc.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    message = f"not valid YAML: {problem}" if code == "yaml-syntax" else problem  # the same words as the builder's
    return content_error(path, message, line=line, column=column, hint=hint, code=code)


_DROP = object()
"""The pending key of a mapping whose next value is to be dropped (it follows a duplicate key)."""


class _Builder:
    """Turns the parser's events into nodes, refusing what the format does not allow."""

    def __init__(self, path: str, text: str, problems: list[Diagnostic]) -> None:
        self.path = path
        self.source = text
        self.lines = source_lines(text)
        self.problems = problems

    def report(self, where: tuple[int, int] | None, message: str, hint: str | None, code: str) -> None:
        line, column = where if where is not None else (None, None)
        self.problems.append(Diagnostic(self.path, message, line, column, hint, code))

    def stop(self, where: yaml.Event | Node | None, message: str, hint: str, code: str) -> NoReturn:
        """Report this problem and stop reading: what follows would only bring noise."""
        if isinstance(where, (Scalar, Sequence, Mapping)):
            self.report((where.line, where.column), message, hint, code)
        else:
            self.report(_position(where) if where is not None else None, message, hint, code)
        raise ContentError(self.problems)

    def build(self, events: list[yaml.Event]) -> Node:
        documents = [i for i, event in enumerate(events) if isinstance(event, yaml.DocumentStartEvent)]
        if not documents:
            self.stop(None, "the file is empty", "start from content/baclofen.yaml", "yaml-empty-file")
        if len(documents) > 1:
            self.report(
                _position(events[documents[1]]),
                "more than one YAML document",
                "keep one monograph per file",
                "yaml-multiple-documents",
            )
        stack: list[tuple[Node, object]] = []
        root: Node | None = None
        for event in events[documents[0] + 1 :]:
            if isinstance(event, yaml.DocumentEndEvent):
                break
            node = self.node_for(event, len(stack))
            if node is None:  # end of a collection
                self.check_after_flow(event)
                node = stack.pop()[0]
            elif isinstance(node, (Sequence, Mapping)):
                stack.append((node, None))
                continue
            if not stack:
                root = node
                continue
            self.attach(stack, node, event)
        if root is None:
            self.stop(None, "the file is empty", "start from content/baclofen.yaml", "yaml-empty-file")
        return root

    def node_for(self, event: yaml.Event, depth: int) -> Node | None:
        if isinstance(event, yaml.AliasEvent):
            self.stop(event, "YAML aliases (*name) are not allowed", "write the text out in full", "yaml-alias")
        if getattr(event, "anchor", None):
            self.stop(event, "YAML anchors (&name) are not allowed", "remove the anchor", "yaml-anchor")
        tag = getattr(event, "tag", None)
        if tag not in (None, "!", "tag:yaml.org,2002:str"):
            hint = "remove the tag; every value is text"
            self.stop(event, f"YAML tags such as {tag!r} are not allowed", hint, "yaml-tag")
        if depth > MAX_DEPTH:
            hint = f"flatten the structure; sections nest at most {MAX_SECTION_DEPTH} levels deep"
            self.stop(event, f"nested more than {MAX_DEPTH} levels deep", hint, "yaml-too-deep")
        line, column = _position(event)
        if isinstance(event, yaml.ScalarEvent):
            plain = not event.style  # libyaml says '' for plain scalars, PyYAML None
            if plain:
                self.check_plain_text(event)
            self.check_same_with_either_parser(event, plain=plain)
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
                self.report(
                    (number + 1, len(self.lines[number]) - len(self.lines[number].lstrip(" ")) + 1),
                    "this line continues the text above instead of starting a new item",
                    "line its '-' up with the '-' of the item above",
                    "yaml-item-continues-text",
                )

    def check_same_with_either_parser(self, event: yaml.ScalarEvent, *, plain: bool) -> None:
        """Refuse what libyaml and PyYAML's own parser read differently, as the other one does."""
        line, column = _position(event)
        if plain and "\t" in event.value:
            at = next((n, text.find("\t")) for n, text in enumerate(self.lines[line - 1 :], line) if "\t" in text)
            self.report((at[0], at[1] + 1), TAB_IN_TEXT[0], TAB_IN_TEXT[1], TAB_IN_TEXT[2])
        if any(0xD800 <= ord(char) <= 0xDFFF for char in event.value):
            where = _surrogate_mark(self.source, line - 1)
            self.report((where.line + 1, where.column + 1) if where else (line, column), *SURROGATE_ESCAPE)
            raise ContentError(self.problems)

    def check_after_flow(self, event: yaml.Event) -> None:
        """Refuse a '#' right after a closing ']' or '}': YAML takes the rest of the line as a comment, so
        ``[Muscle spasticity, Pain]#not printed`` would drop the words without a word."""
        start, end = event.start_mark, event.end_mark
        if start is None or end is None or start.line >= len(self.lines):
            return
        line = self.lines[start.line]
        if line[start.column : start.column + 1] in ("]", "}") and line[end.column :].startswith("#"):
            self.report(
                (end.line + 1, end.column + 1),
                f"the text after {line[start.column]!r} is a YAML comment and would not be printed",
                "move the text inside the brackets, or put a space before '#' if it is a comment",
                "yaml-comment-in-text",
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

    def attach(self, stack: list[tuple[Node, object]], node: Node, event: yaml.Event) -> None:
        parent, pending_key = stack[-1]
        if isinstance(parent, Sequence):
            parent.items.append(node)
        elif isinstance(parent, Mapping) and pending_key is None:
            if not isinstance(node, Scalar):
                hint = "write the key as a word followed by ':'"
                self.stop(node, "a key must be plain text", hint, "yaml-key-not-text")
            stack[-1] = (parent, self.key(parent, node))
        elif isinstance(parent, Mapping):
            if isinstance(pending_key, str):
                parent.items[pending_key] = node
            stack[-1] = (parent, None)

    def key(self, parent: Mapping, node: Scalar) -> object:
        """The key ``node`` of ``parent``, or :data:`_DROP` for a duplicate (reported; the first one stays)."""
        if node.value not in parent.key_positions:
            parent.key_positions[node.value] = (node.line, node.column)
            return node.value
        misplaced = misplaced_item(parent, node, self.lines)
        if misplaced is not None:
            self.report(misplaced[0], misplaced[1], misplaced[2], "yaml-misplaced-item")
            return _DROP
        first = parent.key_positions[node.value][0]
        self.report(
            (node.line, node.column),
            f"duplicate key {node.value!r} (first on line {first})",
            "keep one of them; YAML would silently drop the other",
            "yaml-duplicate-key",
        )
        return _DROP


def misplaced_item(parent: Mapping, key: Scalar, lines: list[str]) -> tuple[tuple[int, int], str, str] | None:
    """Where, what and hint when the duplicate ``key`` of ``parent`` was meant for the item just above it.

    A mapping item indented one level too deep (``- warning:`` under the previous section's ``body``)
    leaves its next key lined up with that section's keys, so YAML reads it as a second ``body`` of the
    section. The mistake is where the item is, so that is where it is reported.
    """
    if not parent.items:
        return None
    last_key, last_value = list(parent.items.items())[-1]
    if not isinstance(last_value, Sequence) or not last_value.items:
        return None
    item = last_value.items[-1]
    if not isinstance(item, Mapping) or key.value in item.items or item.column <= key.column:
        return None
    dash, parent_dash = _dash_column(lines, item), _dash_column(lines, parent)
    first_key = next(iter(parent.key_positions))
    message = (
        f"this item is indented inside {last_key!r} (line {parent.key_positions[last_key][0]}), but the "
        f"{key.value + ':'!r} below it on line {key.line} lines up with {first_key + ':'!r} on line {parent.line}"
    )
    hint = f"indent {key.value + ':'!r} on line {key.line} to column {item.column}"
    if parent_dash is not None and dash is not None:
        hint = f"move this '-' out to column {parent_dash}, under the '-' on line {parent.line}, or {hint}"
    return (item.line, dash or item.column), message, hint


def _dash_column(lines: list[str], node: Mapping) -> int | None:
    """1-based column of the '-' that starts the sequence item ``node``, when it is on the same line."""
    before = lines[node.line - 1][: node.column - 1].rstrip(" ") if node.line <= len(lines) else ""
    return len(before) if before.endswith("-") else None


def _position(event: yaml.Event) -> tuple[int, int]:
    """1-based line and column where ``event`` starts."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _surrogate_mark(text: str, from_line: int) -> yaml.Mark | None:
    """Where the first ``\\uD800``-``\\uDFFF`` escape stands, from line ``from_line`` (0-based) on."""
    for number, line in enumerate(source_lines(text)[from_line:], from_line):
        if found := _SURROGATE.search(line):
            return yaml.Mark("", 0, number, found.start(), None, 0)
    return None


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
