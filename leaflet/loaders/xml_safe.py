"""Parse untrusted XML (FHIR XML, SPL, the XHTML of ePI sections) into a small tree that keeps lines.

Built on the expat parser of the standard library with the document type declaration refused outright:
ePI and SPL never need one, and without it there is no entity to expand (no "billion laughs" or
quadratic blow-up) and no external entity or DTD to fetch, so a hostile file is refused at its first
line, in microseconds. expat reports where each element starts, so that every block and every error can
name its line (ElementTree's tree keeps no positions).

Consumes the text of a file (already size-checked and decoded by :mod:`leaflet.loaders.source_text`);
returns a :class:`Node` tree or raises :class:`leaflet.errors.ContentError` with the line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat

from leaflet.errors import content_error

MAX_DEPTH = 200
"""Deepest nesting accepted: real files stay under 40; a deeper one is an attack on the recursion."""


@dataclass
class Node:
    """An element: its local name, namespace, attributes, children (text and elements, in order) and line."""

    tag: str
    """The local name (``p``, ``section``), without the namespace."""
    namespace: str = ""
    attrs: dict[str, str] = field(default_factory=dict)
    """Attributes by local name (``xml:lang`` becomes ``lang``)."""
    children: list[Node | str] = field(default_factory=list)
    line: int = 0
    """1-based line of the start tag."""

    def elements(self, tag: str | None = None) -> list[Node]:
        """The child elements, all of them or those named ``tag``."""
        return [child for child in self.children if isinstance(child, Node) and (tag is None or child.tag == tag)]

    def first(self, tag: str) -> Node | None:
        """The first child element named ``tag``, if any."""
        return next(iter(self.elements(tag)), None)

    def text(self) -> str:
        """All the text under this element, in order."""
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)


class _Builder:
    """expat handlers that build :class:`Node` s, refusing any document type declaration."""

    def __init__(self, parser: expat.XMLParserType, name: str, line_offset: int) -> None:
        self.parser, self.name, self.line_offset = parser, name, line_offset
        self.stack: list[Node] = [Node("#document")]

    def start(self, qualified: str, attrs: dict[str, str]) -> None:
        if len(self.stack) > MAX_DEPTH:
            raise self.refusal(f"elements nested more than {MAX_DEPTH} deep", "xml-too-deep")
        namespace, _, local = qualified.rpartition(" ")
        node = Node(local, namespace, {key.rpartition(" ")[2]: value for key, value in attrs.items()})
        node.line = self.parser.CurrentLineNumber + self.line_offset
        self.stack[-1].children.append(node)
        self.stack.append(node)

    def end(self, _qualified: str) -> None:
        self.stack.pop()

    def characters(self, data: str) -> None:
        children = self.stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)

    def doctype(self, *_args: object) -> None:
        raise self.refusal("a document type declaration (<!DOCTYPE ...>) is not allowed", "xml-doctype")

    def refusal(self, message: str, code: str) -> Exception:
        return content_error(
            self.name,
            message,
            line=self.parser.CurrentLineNumber + self.line_offset,
            column=self.parser.CurrentColumnNumber + 1,
            hint="ePI and SPL files need no DTD or entities; this file is not one, or has been tampered with",
            code=code,
        )


def parse_xml(text: str, name: str, *, line_offset: int = 0) -> Node:
    """The root element of the XML ``text`` (``name`` for messages; ``line_offset`` is added to every line,
    for XML found inside another file)."""
    parser = expat.ParserCreate(namespace_separator=" ")
    builder = _Builder(parser, name, line_offset)
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.characters
    parser.StartDoctypeDeclHandler = builder.doctype
    parser.EntityDeclHandler = builder.doctype  # unreachable without a DOCTYPE; a second lock on the door
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(text, True)
    except expat.ExpatError as error:
        raise content_error(
            name,
            f"not well-formed XML: {expat.ErrorString(error.code)}",
            line=error.lineno + line_offset,
            column=error.offset + 1,
            hint="check that the file is whole and was saved as XML",
            code="xml-syntax",
        ) from None
    roots = builder.stack[0].elements()
    return roots[0]
