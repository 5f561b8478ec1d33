"""FHIR XML read into the shape of FHIR JSON, for the elements personalisation reads.

Consumes the bytes of a FHIR R4 XML file (a resource or a Bundle); returns the resource as FHIR JSON
would give it (``resourceType``, primitives from their ``value`` attribute, repeating elements as
lists), so :mod:`leaflet.personalise.fhir_record` reads both forms alike. XML does not say which
elements repeat: those in :data:`REPEATING` (the ones the band reads) are always lists, others are a
list only when they occur twice. Narrative XHTML and extensions are skipped. Read as hostile input:
a document type declaration (the way to entities, internal or external) is refused before parsing,
and elements nested deeper than the JSON limit are refused while parsing. ``xml.etree`` is imported
only here, when an XML file is read.
"""

from __future__ import annotations

from typing import Any

from leaflet.errors import FhirError

FHIR_NS = "{http://hl7.org/fhir}"
REPEATING = frozenset(
    [
        "name",
        "given",
        "prefix",
        "suffix",
        "identifier",
        "dosageInstruction",
        "performer",
        "communication",
        "coding",
        "contained",
        "entry",
        "authorizingPrescription",
        "telecom",
        "address",
        "line",
    ]
)
"""Elements of cardinality 0..* among those the band reads: lists even when they occur once."""
_SKIPPED = frozenset(("extension", "modifierExtension", "div"))


def parse_fhir_xml(data: bytes, label: str, *, max_depth: int) -> dict[str, Any]:
    """The FHIR XML ``data`` (from the file ``label``) as FHIR JSON's dictionaries."""
    from xml.etree import ElementTree  # only for an XML file

    from leaflet.personalise.fhir import fhir_error

    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise fhir_error(label, "has a document type declaration, which FHIR XML never has", "fhir-syntax")
    parser: ElementTree.XMLPullParser = ElementTree.XMLPullParser(events=("start", "end"))
    depth, root = 0, None
    try:
        parser.feed(data)
        parser.close()
        events: list[Any] = [*parser.read_events()]  # (kind, element) pairs: the last is the root's end
        for event in events:
            depth += 1 if event[0] == "start" else -1
            if depth > max_depth:
                raise fhir_error(label, f"is nested more than {max_depth} levels deep", "fhir-too-deep")
            root = event[1]
    except ElementTree.ParseError as exc:  # its message names the syntax and position only
        line, column = exc.position
        raise fhir_error(label, f"is not valid XML (column {column})", "fhir-syntax", line=line) from None
    if root is None:
        raise _not_fhir(label)
    return _resource(root, label)


def _resource(element: Any, label: str) -> dict[str, Any]:
    if not element.tag.startswith(FHIR_NS):
        raise _not_fhir(label)
    resource = _complex(element)
    resource["resourceType"] = element.tag[len(FHIR_NS) :]
    return resource


def _complex(element: Any) -> dict[str, Any]:
    """A complex element's children as a dictionary (a resource's too, without its type)."""
    node: dict[str, Any] = {}
    if "id" in element.attrib:
        node["id"] = element.attrib["id"]
    for child in element:
        if not isinstance(child.tag, str) or not child.tag.startswith(FHIR_NS):
            continue  # comments, narrative XHTML
        name = child.tag[len(FHIR_NS) :]
        if name in _SKIPPED:
            continue
        value = _value(child, name)
        if name in node:
            previous = node[name]
            node[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            node[name] = [value] if name in REPEATING else value
    return node


def _value(child: Any, name: str) -> object:
    if name in ("resource", "contained") and len(child) and str(child[0].tag).startswith(FHIR_NS):
        inner = _complex(child[0])
        inner["resourceType"] = child[0].tag[len(FHIR_NS) :]
        return inner
    if "value" in child.attrib:  # a primitive (its extensions, if any, are not read)
        value = child.attrib["value"]
        return {"true": True, "false": False}.get(value, value) if name == "preferred" else value
    return _complex(child)


def _not_fhir(label: str) -> FhirError:
    from leaflet.personalise.fhir import fhir_error

    return fhir_error(label, "is not a FHIR resource (not in the FHIR namespace)", "fhir-not-a-resource")
