"""Import the patient part of an FDA Structured Product Labeling (SPL) document into a monograph.

The patient part is the Medication Guide section (LOINC 42231-1), else the Patient Package Insert
(42230-3); a label with neither (a prescribing information alone) is refused at the line of its body.
Its ``<text>`` is read by :mod:`leaflet.loaders.narrative` (SPL's ``paragraph``, ``content
styleCode="bold"``, ``list``, ``table``, ``renderMultiMedia``); titled sub-sections become sections.

SPL has no headings inside a section's text: labellers set them as paragraphs all in bold, and also set
whole sentences of warning in bold. A bold paragraph is a heading only when shaped like one
(:func:`leaflet.loaders.outline.is_heading_shape`). Depth: a heading in capitals ("INSTRUCTIONS FOR
USE") is a part, the others sit under the open part; in a Medication Guide the sub-headings that follow
"What is the most important information I should know about X?" (not questions themselves, such as
"Cancer") stay inside it, and that whole section is the boxed warning (21 CFR 208.20 puts it first).
Pictures are the ``observationMedia`` files named beside the XML (``renderMultiMedia`` places them);
those missing are reported in one warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from leaflet.errors import content_error
from leaflet.loaders.dialects import SPL
from leaflet.loaders.imported import ImportContext, finish_monograph, read_picture
from leaflet.loaders.narrative import HeadingMark, NarrativeReader
from leaflet.loaders.outline import mark_headings, nest
from leaflet.loaders.xml_safe import Node
from leaflet.model import Block, Figure, Monograph, Section

MEDICATION_GUIDE = "42231-1"
PATIENT_PACKAGE_INSERT = "42230-3"
_MOST_IMPORTANT = re.compile(r"^\W*what is the most important information", re.IGNORECASE)
_QUESTION = re.compile(
    r"\?\s*$|^(?:what|how|who|when|where|why|should|can|do|does|is|are|will|general information)\b", re.IGNORECASE
)


def import_spl(root: Node, context: ImportContext) -> Monograph:
    """The monograph of the patient section of the SPL ``document`` element ``root``."""
    sections = list(_sections(root))
    chosen = next((s for s in sections if _code(s) == MEDICATION_GUIDE), None)
    chosen = chosen or next((s for s in sections if _code(s) == PATIENT_PACKAGE_INSERT), None)
    if chosen is None:
        body_node = root.first("component")
        raise content_error(
            context.name,
            "this SPL label has no patient section: no Medication Guide (LOINC 42231-1) and no Patient Package "
            "Insert (42230-3)",
            line=(body_node or root).line,
            hint="leaflet prints the patient part of a label; the prescribing information is for professionals",
            code="spl-no-patient-section",
        )
    media = _media(root)
    reader = NarrativeReader(SPL, lambda node, near: _picture(node, media, context), context.tally)
    body = tuple(_section_body(chosen, reader, context, top=True))
    brand, generic = _product(root)
    title = f"{brand} ({generic})" if brand and generic and generic.casefold() != brand.casefold() else brand
    language = (root.first("languageCode") or Node("")).attrs.get("code", "")
    time = chosen.first("effectiveTime") or root.first("effectiveTime") or Node("")
    return finish_monograph(
        context,
        title=title or _title_text(chosen) or "Patient information",
        drug=brand or title,
        language=language or "en",  # an FDA label is in English unless it says otherwise
        revised=time.attrs.get("value", ""),
        body=body,
        line=chosen.line,
    )


def _sections(node: Node) -> Iterator[Node]:
    for child in node.elements():
        if child.tag == "section":
            yield child
        yield from _sections(child)


def _code(section: Node) -> str:
    return (section.first("code") or Node("")).attrs.get("code", "")


def _title_text(section: Node) -> str:
    title = section.first("title")
    return " ".join(title.text().split()) if title is not None else ""


def _section_body(section: Node, reader: NarrativeReader, context: ImportContext, *, top: bool) -> list[Block]:
    """A section's own text (headings placed) followed by its titled sub-sections."""
    context.heading = _title_text(section) or context.heading
    text = section.first("text")
    flat = reader.read(text) if text is not None else []
    medication_guide = _code(section) == MEDICATION_GUIDE
    blocks = nest(mark_headings(flat, title_block=top), _Ranks())
    if medication_guide:
        blocks = [_boxed_if_most_important(block) for block in blocks]
    for component in section.elements("component"):
        sub = component.first("section")
        if sub is None:
            continue
        inner = _section_body(sub, reader, context, top=False)
        title = _title_text(sub)
        blocks.extend([Section(title, tuple(inner), line=sub.line)] if title else inner)
    return blocks


class _Ranks:
    """The rank of each heading in reading order (see the module docstring)."""

    def __init__(self) -> None:
        self.inside_most_important = False

    def __call__(self, mark: HeadingMark) -> int:
        text = mark.text
        letters = [char for char in text if char.isalpha()]
        if len(letters) > 3 and all(char.isupper() for char in letters):
            self.inside_most_important = False
            return 1
        if _QUESTION.search(text):
            self.inside_most_important = bool(_MOST_IMPORTANT.search(text))
            return 2
        return 3 if self.inside_most_important else 2


def _boxed_if_most_important(block: Block) -> Block:
    if isinstance(block, Section) and _MOST_IMPORTANT.search(block.heading):
        return replace(block, warning=True)
    if isinstance(block, Section):
        return replace(block, body=tuple(_boxed_if_most_important(b) for b in block.body))
    return block


def _media(root: Node) -> dict[str, tuple[str, str]]:
    """Each ``observationMedia`` by ID: the file it names and its text (the picture's alt text)."""
    found: dict[str, tuple[str, str]] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if node.tag == "observationMedia" and "ID" in node.attrs:
            value = node.first("value")
            reference = value.first("reference") if value is not None else None
            text = node.first("text")
            found[node.attrs["ID"]] = (
                reference.attrs.get("value", "") if reference is not None else "",
                " ".join(text.text().split()) if text is not None else "",
            )
        stack.extend(node.elements())
    return found


def _picture(node: Node, media: dict[str, tuple[str, str]], context: ImportContext) -> Figure | None:
    identifier = node.attrs.get("referencedObject", "")
    reference, alt = media.get(identifier, ("", ""))
    if not reference:
        context.tally.missing_pictures.append(f"line {node.line}: no observationMedia {identifier!r} in the file")
        return None
    if "/" in reference or "\\" in reference or reference.startswith("."):
        context.tally.missing_pictures.append(f"line {node.line}: {reference}: not a file name beside the XML")
        return None
    return read_picture(reference, alt, node.line, context)


def _product(root: Node) -> tuple[str, str]:
    """The brand and generic names of the first product the label describes."""
    brand = generic = ""
    stack = [root]
    while stack and not (brand and generic):
        node = stack.pop(0)
        if node.tag in ("manufacturedProduct", "manufacturedMedicine") and not brand:
            name = node.first("name")
            brand = " ".join(name.text().split()) if name is not None else ""
        if node.tag == "genericMedicine" and not generic:
            name = node.first("name")
            generic = " ".join(name.text().split()) if name is not None else ""
        stack.extend(node.elements())
    return brand, generic
