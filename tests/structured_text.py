"""The text of an ePI or SPL file's patient leaflet, read independently of leaflet's importer.

A deliberately plain walk with the standard library's ElementTree and json: every block-level element
(paragraph, list item, table cell, heading) gives its own text, in document order; section titles come
before their text. The tests check that each sentence of it reaches the PDF, in order. What the
importer drops on purpose is left out here too, and only that: template placeholders
(``XXXXXXXXXXXX``, "unavailable"), a title holding the QRD template's ``<options>``, and a chunk that
repeats the one before it (the HL7 example repeats each title as an ``<h3>``), and the title of the one
section that wraps all the others ("B. Package Leaflet": the document's kind, which the leaflet's own
label line says).
"""

from __future__ import annotations

import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FHIR = "{http://hl7.org/fhir}"
V3 = "{urn:hl7-org:v3}"
XHTML_BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "div", "caption", "dt", "dd", "ul", "ol"}
XHTML_BLOCKS |= {"table", "thead", "tbody", "tfoot", "tr"}
SPL_BLOCKS = {"paragraph", "item", "td", "th", "caption", "list", "table", "text", "tr", "tbody", "thead"}
CAMEL = re.compile(r"(?<=[^\W\d_])(?<=[a-zß-ÿ])(?=[A-ZÀ-Þ][a-zß-ÿ])")
PLACEHOLDERS = re.compile(r"^(?:X{4,}|unavailable|\W*)$", re.IGNORECASE)


def words(text: str) -> list[str]:
    """The words of ``text``, compared loosely: NFKC (10⁹ reads 109), case-folded, soft hyphens dropped, and
    split where a lower-case letter runs into a capitalised word (a title that swallowed its text,
    "lactanciaSi", is printed split)."""
    text = CAMEL.sub(" ", unicodedata.normalize("NFKC", text.replace("\u00ad", "")))
    return re.findall(r"\w+", text.casefold())


def sentences(path: Path) -> list[str]:
    """Every sentence of the patient leaflet in the file at ``path``, in order."""
    chunks = list(_epi_chunks(path) if _is_fhir(path) else _spl_chunks(path))
    found: list[str] = []
    previous = ""
    for chunk in chunks:
        text = " ".join(chunk.split())
        if not text or PLACEHOLDERS.match(text) or words(text) == words(previous):
            continue
        previous = text
        found.extend(part for part in re.split(r"(?<=[.!?])\s+", text) if words(part))
    return found


def _is_fhir(path: Path) -> bool:
    return path.suffix == ".json" or ET.parse(path).getroot().tag.startswith(FHIR)


def _epi_chunks(path: Path) -> Iterator[str]:
    if path.suffix == ".json":
        root = json.loads(path.read_text(encoding="utf-8"))
        composition = next(r for r in _json_resources(root) if _json_type(r) == "100000155538")
        sections = composition.get("section", [])
        if len(sections) == 1 and sections[0].get("section"):
            sections = [{**sections[0], "title": ""}]
        yield from _json_sections(sections)
        return
    root = ET.parse(path).getroot()
    for composition in root.iter(FHIR + "Composition"):
        code = composition.find(f"{FHIR}type/{FHIR}coding/{FHIR}code")
        if code is not None and code.get("value") == "100000155538":
            yield from _xml_sections(composition, top=True)


def _json_resources(resource: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield resource
    for entry in resource.get("entry", []):
        yield from _json_resources(entry.get("resource", {}))


def _json_type(resource: dict[str, Any]) -> str:
    codings = resource.get("type", {}).get("coding", []) if resource.get("resourceType") == "Composition" else []
    return codings[0].get("code", "") if codings else ""


def _json_sections(sections: list[dict[str, Any]]) -> Iterator[str]:
    for section in sections:
        title = section.get("title", "")
        if "<" not in title:
            yield title
        div = section.get("text", {}).get("div")
        if div:
            yield from _blocks(ET.fromstring(div), XHTML_BLOCKS, "{http://www.w3.org/1999/xhtml}")
        yield from _json_sections(section.get("section", []))


def _xml_sections(parent: ET.Element, *, top: bool = False) -> Iterator[str]:
    sections = parent.findall(FHIR + "section")
    wrapper = top and len(sections) == 1 and sections[0].find(FHIR + "section") is not None
    for section in sections:
        title = section.find(FHIR + "title")
        if title is not None and "<" not in title.get("value", "") and not wrapper:
            yield title.get("value", "")
        div = section.find(f"{FHIR}text/{{http://www.w3.org/1999/xhtml}}div")
        if div is not None:
            yield from _blocks(div, XHTML_BLOCKS, "{http://www.w3.org/1999/xhtml}")
        yield from _xml_sections(section)


def _spl_chunks(path: Path) -> Iterator[str]:
    root = ET.parse(path).getroot()
    sections = list(root.iter(V3 + "section"))
    chosen = next((s for s in sections if _spl_code(s) == "42231-1"), None)
    chosen = chosen or next(s for s in sections if _spl_code(s) == "42230-3")
    yield from _spl_section(chosen)


def _spl_code(section: ET.Element) -> str:
    code = section.find(V3 + "code")
    return code.get("code", "") if code is not None else ""


def _spl_section(section: ET.Element) -> Iterator[str]:
    title = section.find(V3 + "title")
    if title is not None:
        yield "".join(title.itertext())
    text = section.find(V3 + "text")
    if text is not None:
        yield from _blocks(text, SPL_BLOCKS, V3)
    for component in section.findall(V3 + "component"):
        sub = component.find(V3 + "section")
        if sub is not None:
            yield from _spl_section(sub)


def _blocks(element: ET.Element, blocks: set[str], namespace: str) -> Iterator[str]:
    """The text of ``element`` outside its block-level children, then each child block's, in order: a
    block's own text is one chunk, cut where a nested block interrupts it."""
    own: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag.removeprefix(namespace)
        if tag in blocks:
            yield "".join(own)
            own = []
            yield from _blocks(child, blocks, namespace)
        else:
            own.append(_inline(child, blocks, namespace))
        own.append(child.tail or "")
    yield "".join(own)


def _inline(element: ET.Element, blocks: set[str], namespace: str) -> str:
    parts = [element.text or ""]
    for child in element:
        tag = child.tag.removeprefix(namespace)
        parts.append(" " if tag == "br" else _inline(child, blocks, namespace))
        parts.append(child.tail or "")
    return "".join(parts)
