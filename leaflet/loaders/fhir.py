"""FHIR resources from JSON or XML, in one shape: the JSON form, with XHTML ``div`` s parsed.

Consumes the text of a FHIR JSON or XML file; returns the root resource as dictionaries and lists (the
FHIR JSON form; an XML element's ``value`` attribute becomes the value, every repeated element a list),
with each ``div`` parsed by :mod:`leaflet.loaders.xml_safe` into a :class:`Node` and, in XML, each
element's line under :data:`LINE`. The accessors :func:`items` and :func:`first` read either form. JSON
carries no positions after decoding: a section's line is found by its title in the text
(:func:`locate_sections`), for messages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from leaflet.errors import content_error
from leaflet.loaders.xml_safe import Node, parse_xml

FHIR_NAMESPACE = "http://hl7.org/fhir"
LINE = "\x00line"
"""The key under which an element's line is noted; not a FHIR name, and only ever read as a number
(:func:`line_of`), so that a file that holds it anyway can at worst point a message at a wrong line."""
XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"


def read_fhir_json(text: str, name: str) -> dict[str, Any]:
    """The resource in the JSON ``text``; refused with the decoder's line and column when not JSON."""
    try:
        resource = json.loads(text)
    except json.JSONDecodeError as error:
        raise content_error(
            name,
            f"not valid JSON: {error.msg}",
            line=error.lineno,
            column=error.colno,
            hint="check that the file is whole and was saved as JSON",
            code="json-syntax",
        ) from None
    except RecursionError:
        raise content_error(name, "JSON nested too deep", hint="this is not an ePI file", code="json-syntax") from None
    if not isinstance(resource, dict) or "resourceType" not in resource:
        raise content_error(
            name,
            "JSON that is not a FHIR resource (no 'resourceType')",
            line=1,
            hint="give an ePI Bundle or Composition",
            code="file-unknown-format",
        )
    return resource


def fhir_from_xml(node: Node) -> dict[str, Any]:
    """The FHIR resource element ``node`` in the JSON shape."""
    resource: dict[str, Any] = {"resourceType": node.tag, LINE: node.line}
    _children_into(resource, node)
    return resource


def _children_into(target: dict[str, Any], node: Node) -> None:
    for child in node.elements():
        target.setdefault(child.tag, []).append(_value(child))


def _value(node: Node) -> Any:
    if node.tag == "div" and node.namespace == XHTML_NAMESPACE:
        return node
    if node.tag == "resource":
        inner = node.elements()
        return fhir_from_xml(inner[0]) if inner else {}
    if not node.elements():
        return node.attrs.get("value", "")
    value: dict[str, Any] = {LINE: node.line}
    if "value" in node.attrs:
        value["value"] = node.attrs["value"]
    _children_into(value, node)
    return value


def items(value: Any, key: str) -> list[Any]:
    """The values of ``key`` in ``value`` as a list (none, one, or a JSON or XML list)."""
    if not isinstance(value, dict):
        return []
    found = value.get(key)
    if found is None:
        return []
    return found if isinstance(found, list) else [found]


def first(value: Any, *keys: str) -> Any:
    """The first value down the path of ``keys`` (None when any step is missing)."""
    for key in keys:
        found = items(value, key)
        if not found:
            return None
        value = found[0]
    return value


def line_of(value: Any) -> int:
    """The line leaflet noted for ``value`` (0 when none)."""
    line = value.get(LINE) if isinstance(value, dict) else None
    return line if isinstance(line, int) else 0


def sections_of(value: Any) -> list[dict[str, Any]]:
    """The sections under a Composition or section (anything else a malformed file puts there is skipped)."""
    return [section for section in items(value, "section") if isinstance(section, dict)]


def text_of(value: Any) -> str:
    """A primitive value as text (an XML element holding ``value`` reads the same as JSON)."""
    if isinstance(value, dict):
        value = value.get("value", "")
    return value if isinstance(value, str) else "" if value is None else str(value)


def codes(concept: Any) -> list[str]:
    """The codes of a CodeableConcept."""
    return [text_of(first(coding, "code")) for coding in items(concept, "coding")]


def resources(bundle: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every resource in ``bundle``, depth first: bundles inside a collection are opened."""
    yield bundle
    for entry in items(bundle, "entry"):
        resource = first(entry, "resource")
        if isinstance(resource, dict):
            yield from resources(resource)


def div_node(section: dict[str, Any], name: str) -> Node | None:
    """The parsed XHTML of a section's ``text.div`` (JSON holds it as a string)."""
    div = first(section, "text", "div")
    if isinstance(div, Node):
        return div
    if isinstance(div, str) and div.strip():
        return parse_xml(div, name, line_offset=max(line_of(section) - 1, 0))
    return None


def locate_sections(text: str, composition: dict[str, Any]) -> None:
    """Give each section of a JSON ``composition`` the line of its title in ``text`` (``LINE``)."""
    position = 0

    def visit(sections: list[Any]) -> None:
        nonlocal position
        for section in sections:
            title = text_of(first(section, "title"))
            found = -1
            for encoded in (json.dumps(title, ensure_ascii=False), json.dumps(title)):
                found = text.find(encoded, position) if title else -1
                if found >= 0:
                    break
            if found >= 0:
                position = found
                section[LINE] = text.count("\n", 0, found) + 1
            visit(sections_of(section))

    visit(sections_of(composition))
