"""Import an EU electronic product information (ePI) file: a FHIR Bundle, JSON or XML, into a monograph.

The patient leaflet is the Composition of type 100000155538 (EMA SPOR "Package Leaflet"); a ``document``
Bundle holds one Composition, a ``collection`` may hold several (the SmPC, 100000155532, beside the
leaflet). A bundle without a leaflet is refused, naming what it holds.

Sections are read in order, nested sections as headings one level deeper; the section that wraps the
whole leaflet ("Package leaflet", code 200000029894, or the only section holding all the others) is
unwrapped, its own text kept as the introduction. A section is known by its QRD code (the HL7 example's
"1".."6", the EMA list's 200000029895..200000029921) and otherwise by its title (ePI files also put the
document's code, or ``XXXXXXXXXXXX``, on every section): the overdose section, code 200000029907 or a
title such as "If you take more X than you should" in any EU language, is the boxed warning. A title
that swallowed its text ("Embarazo y lactanciaSi está embarazada...") is split and reported; a title
with the QRD template's options left in ("antes de empezar a <tomar><usar> ...") is cleaned. The XHTML
is read by :mod:`leaflet.loaders.narrative`; what is dropped is reported in one warning.
"""

from __future__ import annotations

import re
from typing import Any

from leaflet.errors import Diagnostic, content_error
from leaflet.loaders.dialects import XHTML
from leaflet.loaders.fhir import (
    codes,
    div_node,
    first,
    line_of,
    locate_sections,
    resources,
    sections_of,
    text_of,
)
from leaflet.loaders.imported import ImportContext, finish_monograph, read_picture
from leaflet.loaders.narrative import Flat, HeadingMark, NarrativeReader
from leaflet.loaders.outline import mark_headings, nest
from leaflet.loaders.xml_safe import Node
from leaflet.model import Block, Figure, Monograph, Paragraph, Run, Section, plain

LEAFLET_TYPE = "100000155538"
SMPC_TYPE = "100000155532"
WRAPPER_CODES = frozenset({"200000029894"})
OVERDOSE_CODES = frozenset({"200000029907"})
MAX_SECTION_DEPTH = 19
"""Deepest section accepted, as in the YAML format."""
PLACEHOLDER_TEXTS = frozenset({"unavailable", "not available", "n/a", "-", "–"})
_TEMPLATE_OPTION = re.compile(r"(?:\s*<[^<>\s][^<>]{0,40}>)+\s*")
_NUMBER = re.compile(r"^\s*\d{1,2}\s*[.)]\s*")


def import_epi(resource: dict[str, Any], context: ImportContext, *, text: str = "") -> Monograph:
    """The monograph of the patient leaflet in the FHIR ``resource`` (``text``: the JSON it came from)."""
    composition, bundle = _leaflet_composition(resource, context.name)
    if text:
        locate_sections(text, composition)
    reader = NarrativeReader(XHTML, lambda node, near: _picture(node, context), context.tally)
    body = _leaflet_body(composition, reader, context)
    language = text_of(first(composition, "language")) or text_of(first(resource, "language"))
    title = text_of(first(composition, "title"))
    product = _product_name(bundle, composition) or _named_in_introduction(body, title)
    if not title or title.casefold() in {"prospecto", "package leaflet", _type_name(composition).casefold()}:
        title = product or title or "Package leaflet"
    date = text_of(first(composition, "date"))[:10]
    return finish_monograph(
        context,
        title=title,
        drug=product or title,
        language=language,
        revised=date,
        body=body,
        line=line_of(composition) or 1,
    )


def _leaflet_composition(resource: dict[str, Any], name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The leaflet's Composition and the bundle it is in; refused when there is none."""
    found: list[tuple[dict[str, Any], dict[str, Any]]] = []
    bundle = resource
    for item in resources(resource):
        if item.get("resourceType") == "Bundle":
            bundle = item
        elif item.get("resourceType") == "Composition":
            found.append((item, bundle))
    leaflets = [pair for pair in found if LEAFLET_TYPE in codes(first(pair[0], "type"))]
    untyped = [pair for pair in found if not codes(first(pair[0], "type"))]
    if leaflets or (len(found) == 1 and untyped):
        return (leaflets or untyped)[0]
    kinds = sorted({_type_name(composition) or "untyped" for composition, _ in found})
    held = f"it holds {', '.join(kinds)}" if found else "it holds no Composition"
    raise content_error(
        name,
        f"no patient leaflet (a Composition of type {LEAFLET_TYPE}) in this file; {held}",
        line=line_of(resource) or 1,
        hint="leaflet prints package leaflets; an SmPC is for healthcare professionals",
        code="epi-no-leaflet",
    )


def _type_name(composition: dict[str, Any]) -> str:
    concept = first(composition, "type")
    display = text_of(first(concept, "coding", "display")) or text_of(first(concept, "text"))
    known = {SMPC_TYPE: "an SmPC", LEAFLET_TYPE: "a package leaflet"}
    code = next(iter(codes(concept)), "")
    return display or known.get(code, code)


def _leaflet_body(composition: dict[str, Any], reader: NarrativeReader, context: ImportContext) -> tuple[Block, ...]:
    sections = sections_of(composition)
    introduction: list[Block] = []
    while any(_is_wrapper(s, alone=len(sections) == 1) for s in sections):
        wrapper = next(s for s in sections if _is_wrapper(s, alone=len(sections) == 1))
        title = text_of(first(wrapper, "title"))
        introduction.extend(_own_blocks(wrapper, reader, context, title, title_block=True))
        index = sections.index(wrapper)
        sections = sections[:index] + sections_of(wrapper) + sections[index + 1 :]
    body = list(introduction)
    for section in sections:
        body.extend(_section_blocks(section, reader, context))
    return tuple(body)


def _is_wrapper(section: dict[str, Any], *, alone: bool) -> bool:
    """The section wrapping the whole leaflet: coded so, or the only one, holding others, and not itself a
    numbered QRD section ("3. How to take X" may hold all a short file has)."""
    if not sections_of(section):
        return False
    coded = bool(WRAPPER_CODES & set(codes(first(section, "code"))))
    return coded or (alone and not _NUMBER.match(text_of(first(section, "title"))))


def _section_blocks(
    section: dict[str, Any], reader: NarrativeReader, context: ImportContext, depth: int = 1
) -> list[Block]:
    """A section as a :class:`Section` (its sub-sections inside), or its blocks alone when it has no title."""
    line = line_of(section)
    section_codes = codes(first(section, "code"))
    context.tally.leftovers += sum(1 for code in section_codes if re.fullmatch(r"X{4,}", code))
    heading, spilled = clean_title(text_of(first(section, "title")), context, line)
    own = _own_blocks(section, reader, context, heading)
    if spilled:
        own = [Paragraph((Run(spilled),), line), *own]
    if depth > MAX_SECTION_DEPTH:
        raise content_error(
            context.name,
            f"sections nested more than {MAX_SECTION_DEPTH} deep",
            line=line or None,
            hint="a leaflet's sections nest a few levels; this file is not one",
            code="import-too-deep",
        )
    children = [block for sub in sections_of(section) for block in _section_blocks(sub, reader, context, depth + 1)]
    if not heading:
        return own + children
    warning = bool(OVERDOSE_CODES & set(section_codes))
    return [Section(heading, tuple(own + children), warning, line)]


def _own_blocks(
    section: dict[str, Any], reader: NarrativeReader, context: ImportContext, title: str, *, title_block: bool = False
) -> list[Block]:
    """The blocks of a section's own XHTML, a repeated title and placeholder text dropped."""
    div = div_node(section, context.name)
    if div is None:
        return []
    context.heading = title
    flat = reader.read(div)
    flat = _without_repeated_title(flat, title, context)
    return nest(mark_headings(flat, title_block=title_block), _rank)


def _rank(mark: HeadingMark) -> int:
    """``<h1>``..``<h6>`` by their number; bold paragraphs below them all."""
    return mark.level or 7


def _without_repeated_title(flat: list[Flat], title: str, context: ImportContext) -> list[Flat]:
    """``flat`` without a first block repeating the section's title (the HL7 example's ``<h3>``), and
    empty of a text that is only a placeholder ("unavailable", or the title again)."""
    key = _key(title)
    if flat and isinstance(flat[0], HeadingMark | Paragraph):
        first_text = flat[0].text if isinstance(flat[0], HeadingMark) else plain(flat[0].runs)
        if key and _key(first_text) == key:
            context.tally.leftovers += 1
            flat = flat[1:]
    if len(flat) == 1 and isinstance(flat[0], Paragraph) and _key(plain(flat[0].runs)) in PLACEHOLDER_TEXTS | {key}:
        context.tally.leftovers += 1
        return []
    return flat


def _key(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(":.")


def clean_title(title: str, context: ImportContext, line: int) -> tuple[str, str]:
    """The section title without template options, and the text it swallowed (reported), if any."""
    title = " ".join(title.split())
    if _TEMPLATE_OPTION.search(title):
        context.tally.leftovers += 1
        left, right = _TEMPLATE_OPTION.split(title, maxsplit=1)
        number = _NUMBER.match(left)
        core = left[number.end() :] if number else left
        if core.strip() and right.startswith(core.strip()):
            title = (number.group(0) if number else "") + right
        else:
            title = " ".join(_TEMPLATE_OPTION.sub(" ", title).split())
    heading, spilled = split_swallowed(title)
    if spilled:
        context.warn(
            Diagnostic(
                context.name,
                f"the section title {heading!r} ran into its text; the text is printed as a paragraph under it",
                line=line or None,
                hint="fix the title in the source (a missing line break)",
                code="epi-title-split",
            )
        )
    return heading, spilled


def split_swallowed(title: str) -> tuple[str, str]:
    """``title`` split where its text begins without a break: a lower-case letter straight before a
    capitalised sentence ("lactanciaSi está ..."), or a colon straight before text ("prospecto:Julio")."""
    for index in range(1, len(title) - 1):
        before, here, after = title[index - 1], title[index], title[index + 1]
        rest = title[index:].strip()
        if before == ":" and not here.isspace():
            return title[:index].strip(), rest
        sentence = len(rest.split()) >= 3 or rest.endswith((".", "!", "?"))
        if before.islower() and here.isupper() and after.islower() and sentence:
            return title[:index].strip(), rest
    return title, ""


def _product_name(bundle: dict[str, Any], composition: dict[str, Any]) -> str:
    for resource in resources(bundle):
        if resource.get("resourceType") == "MedicinalProductDefinition":
            name = text_of(first(resource, "name", "productName"))
            if name:
                return name
    return text_of(first(composition, "subject", "display"))


def _named_in_introduction(body: tuple[Block, ...], title: str) -> str:
    """The product named in the QRD introduction: the line after "Package leaflet: Information for ..."."""
    paragraphs = [plain(block.runs) for block in body[:6] if isinstance(block, Paragraph)]
    for index, text in enumerate(paragraphs[:-1]):
        if title and text.casefold().startswith(title.casefold()) and ":" in text:
            return paragraphs[index + 1].strip()
    return ""


def _picture(node: Node, context: ImportContext) -> Figure | None:
    source = node.attrs.get("src", "").strip()
    alt = node.attrs.get("alt", "").strip() or node.attrs.get("title", "").strip()
    if not source.lower().startswith("data:"):
        context.tally.missing_pictures.append(f"line {node.line}: not inside the file (only data: pictures are read)")
        return None
    return read_picture(source, alt, node.line, context)
