"""The checking reader under the YAML loader: records each mistake with file, line, column and code,
and reads the pieces every block is made of (mappings of known keys, text, prose).

A method that finds a mistake reports it and raises :class:`ReportedError`, which unwinds to the nearest
place the reading can carry on from (the next key, the next block): all of a file's independent mistakes
are reported together.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Callable
from typing import NoReturn, TypeVar

from leaflet.errors import Diagnostic
from leaflet.loaders.inline import parse_inline
from leaflet.loaders.yaml_tree import Mapping, Node, Scalar, Sequence
from leaflet.model import Paragraph

SOFT_HYPHEN = "\u00ad"
_ONE_OF = frozenset(("heading", "warning"))
"""Keys of which a section has one: a misspelt one is not read as the other when that one is there."""
_T = TypeVar("_T")


class ReportedError(Exception):
    """Unwinds to the nearest place the converter can carry on from (the next key, the next block)."""


class Converter:
    """Records mistakes and reads the pieces every block is made of: mappings, text, prose."""

    def __init__(self, path: str, problems: list[Diagnostic]) -> None:
        self.path = path
        self.problems = problems

    def report(self, where: Node | tuple[int, int], message: str, hint: str | None, code: str) -> None:
        line, column = where if isinstance(where, tuple) else (where.line, where.column)
        self.problems.append(Diagnostic(self.path, message, line, column, hint, code))

    def fail(self, node: Node, message: str, hint: str | None, code: str) -> NoReturn:
        """Report a mistake that leaves nothing to check in ``node``, and skip it."""
        self.report(node, message, hint, code)
        raise ReportedError

    def attempt(self, read: Callable[[], _T], default: _T) -> _T:
        """``read()``, or ``default`` when it found a mistake (already reported)."""
        try:
            return read()
        except ReportedError:
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
            if _reads_as_sentence(node, key, close):
                hint = "a sentence with ': ' in it must be in quotes, e.g. - \"Note: take with food\""
                close = []
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
            with contextlib.suppress(ReportedError):
                results.append(read(node))
        return tuple(results)

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


def _reads_as_sentence(node: Mapping, key: str, close: list[str]) -> bool:
    """True when the only key of ``node`` is more likely the start of a sentence with ': ' in it than a
    misspelt key: no key is close to it, or it is not a key's shape (capitals, spaces: "Note: ...")."""
    if len(node.items) != 1 or not isinstance(node.items[key], Scalar):
        return False
    return not close or not key.islower() or " " in key
