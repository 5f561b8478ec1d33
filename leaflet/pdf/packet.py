"""Writing a packet: the parts' pages in order, in one PDF file written here, byte by byte.

Consumes :class:`LeafletPart` values (a :class:`LeafletTemplate` and, when personalised, the
:class:`Band` drawn over it) and :class:`DocumentPart` values (an order's copied pages); returns the
packet's PDF bytes: a classic cross-reference table, every object numbered once, the same bytes for
the same inputs.

Each leaflet page gets the band as a form XObject drawn after its own content, which is wrapped in
``q`` ... ``Q`` so that nothing the page leaves in its graphics state shifts the band. The packet's
outline has one item a part (the order, each leaflet by its title) holding the part's own outline.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from leaflet import __version__
from leaflet.pdf.fragment import Fragment, reference, render_body, stream_body
from leaflet.pdf.packet_structure import PacketStructure
from leaflet.pdf.parts import CopiedDocument, LeafletTemplate, Outline
from leaflet.pdf.syntax import pdf_number, pdf_text

if TYPE_CHECKING:  # data types only: drawing the band is layout's business
    from leaflet.personalise.band import Band
    from leaflet.personalise.band_fonts import SubsetFont

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
CATALOG, PAGES, OUTLINES, INFO = 1, 2, 3, 4
"""The packet's own objects, numbered first."""


@dataclass(frozen=True)
class LeafletPart:
    """A leaflet laid out here, with the band to draw over it when the packet is personalised."""

    template: LeafletTemplate
    band: Band | None = None


@dataclass(frozen=True)
class DocumentPart:
    """The pages of a PDF from elsewhere, and the title of its outline item."""

    document: CopiedDocument
    title: str


@dataclass
class _Item:
    """An outline item of the packet: one part."""

    number: int
    title: str
    first_page: int
    base: int
    outline: Outline | None


class _Objects:
    """The packet's object bodies, numbered from 1 in the order they are reserved."""

    def __init__(self) -> None:
        self.bodies: list[bytes | None] = []
        self._save_state: int | None = None

    def reserve(self) -> int:
        self.bodies.append(None)
        return len(self.bodies)

    def set(self, number: int, body: bytes) -> None:
        self.bodies[number - 1] = body

    def add(self, body: bytes) -> int:
        self.bodies.append(body)
        return len(self.bodies)

    def save_state(self) -> int:
        """The stream ``q`` that opens each page the band is drawn on, written once a packet."""
        if self._save_state is None:
            self._save_state = self.add(stream_body(b"", b"q\n"))
        return self._save_state

    def place(self, fragment: Fragment, slots: dict[str, bytes]) -> int:
        """Number ``fragment``'s objects next; returns the number of its object 0."""
        base = len(self.bodies) + 1
        self.bodies.extend(fragment.render(base, slots))
        return base


def assemble_packet(parts: Sequence[LeafletPart | DocumentPart]) -> bytes:
    """One PDF of every page of ``parts`` in order (see the module docstring)."""
    objects = _Objects()
    for _ in range(INFO):
        objects.reserve()
    kids: list[int] = []
    items: list[_Item] = []
    catalog: dict[bytes, bytes] = {}
    fonts: dict[int, int] = {}
    structure = PacketStructure(objects)
    for part in parts:
        item = objects.reserve()
        slots = {"catalog": reference(CATALOG), "pages": reference(PAGES), "outline": reference(item)}
        source = part.template if isinstance(part, LeafletPart) else part.document
        slots.update(structure.part_slots(source.structure, source.struct_keys))
        if isinstance(part, LeafletPart):
            pages, base = _place_leaflet(objects, part, slots, fonts, structure)
            title, outline, lang = part.template.title, part.template.outline, part.template.lang
            if part.template.lang and b"/Lang" not in catalog:
                catalog[b"/Lang"] = pdf_text(part.template.lang)
        else:
            pages, base = _place_document(objects, part.document, slots, catalog)
            title, outline, lang = part.title, part.document.outline, None
        structure.add_part(source.structure, base, slots, title=title, lang=lang)
        items.append(_Item(item, title, pages[0], base, outline))
        kids.extend(pages)
    title = "; ".join(item.title for item in items)
    producer = f"leaflet {__version__}"
    catalog.update(structure.catalog_entries(title, producer))
    _write_outline(objects, items)
    objects.set(PAGES, b"<</Type /Pages /Kids [%s] /Count %d>>" % (b" ".join(map(reference, kids)), len(kids)))
    entries = b"".join(b" %s %s" % pair for pair in sorted(catalog.items()))
    catalog_body = b"<</Type /Catalog /Pages %s /Outlines %s%s>>" % (reference(PAGES), reference(OUTLINES), entries)
    objects.set(CATALOG, catalog_body)
    objects.set(INFO, b"<</Title %s /Producer %s>>" % (pdf_text(title), pdf_text(producer)))
    return _file(objects)


def _place_leaflet(
    objects: _Objects, part: LeafletPart, slots: dict[str, bytes], fonts: dict[int, int], structure: PacketStructure
) -> tuple[list[int], int]:
    template = part.template
    numbers = [objects.reserve() for _ in template.pages]
    slots = {**slots, **{f"page{index}": reference(number) for index, number in enumerate(numbers)}}
    base = objects.place(template.objects, slots)
    font_entries = _place_fonts(objects, part.band, fonts) if part.band is not None else b""
    for index, (number, page) in enumerate(zip(numbers, template.pages, strict=True)):
        contents = [reference(base + content) for content in page.contents]
        xobjects = render_body(page.xobjects, base, slots)
        if part.band is not None and index < len(part.band.pages):
            form = objects.add(_band_form(part.band, index, font_entries))
            marks = structure.band_marks(template.structure, page.struct_key, number, index, part.band.words_in)
            drawing = objects.add(_draw_form(page.free_name, marks))
            contents = [reference(objects.save_state()), *contents, reference(drawing)]
            xobjects += b" %s %s" % (page.free_name, reference(form))
        objects.set(
            number,
            b"<<%s /Parent %s /Contents [%s] /Resources <<%s /XObject <<%s>>>>>>"
            % (
                render_body(page.entries, base, slots),
                reference(PAGES),
                b" ".join(contents),
                render_body(page.resources, base, slots),
                xobjects,
            ),
        )
    return numbers, base


def _place_fonts(objects: _Objects, band: Band, placed: dict[int, int]) -> bytes:
    """The band's font resource entries, placing each subset once a packet."""
    entries = []
    for name, font in band.fonts:
        number = placed.get(id(font))
        if number is None:
            number = placed[id(font)] = objects.place(font_objects(font), {})
        entries.append(b"%s %s" % (name.encode("ascii"), reference(number)))
    return b" ".join(entries)


def _band_form(band: Band, index: int, font_entries: bytes) -> bytes:
    bbox = b"[0 0 %s %s]" % (pdf_number(band.width), pdf_number(band.height))
    dictionary = b"/Type /XObject /Subtype /Form /BBox %s /Resources <</Font <<%s>>>> /Filter /FlateDecode" % (
        bbox,
        font_entries,
    )
    return stream_body(dictionary, zlib.compress(band.pages[index]))


def _draw_form(name: bytes, marks: bytes = b"%s") -> bytes:
    """Draw the band's form ``name`` inside ``marks`` (its marked content, ``%s`` standing for the ``Do``)."""
    return stream_body(b"", b"\nQ q " + marks.replace(b"%s", name + b" Do") + b" Q\n")


@lru_cache(maxsize=128)
def font_objects(font: SubsetFont) -> Fragment:
    """A subset font as four objects: font, descriptor, font program, ToUnicode map."""
    name = b"/" + font.base_font.encode("ascii")
    widths = b" ".join(b"%d" % width for width in font.widths)
    return Fragment(
        (
            (
                b"<</Type /Font /Subtype /TrueType /BaseFont %s /FirstChar 0 /LastChar %d /Widths [%s] /FontDescriptor "
                % (name, len(font.widths) - 1, widths),
                1,
                b" /ToUnicode ",
                3,
                b">>",
            ),
            (
                b"<</Type /FontDescriptor /FontName %s /Flags %d /FontBBox [%s] /ItalicAngle %s /Ascent %d /Descent %d"
                b" /CapHeight %d /StemV %d /MissingWidth %d /FontFile2 "
                % (
                    name,
                    font.flags,
                    b" ".join(b"%d" % value for value in font.bbox),
                    pdf_number(font.italic_angle),
                    font.ascent,
                    font.descent,
                    font.cap_height,
                    font.stem_v,
                    font.missing_width,
                ),
                2,
                b">>",
            ),
            (stream_body(b"/Filter /FlateDecode /Length1 %d" % font.font_program_length, font.font_program),),
            (stream_body(b"/Filter /FlateDecode", font.to_unicode),),
        )
    )


def _place_document(
    objects: _Objects, document: CopiedDocument, slots: dict[str, bytes], catalog: dict[bytes, bytes]
) -> tuple[list[int], int]:
    base = objects.place(document.objects, slots)
    # A packet has one catalog: the first part with named destinations, a form or layers keeps them.
    for key, index in document.catalog:
        catalog.setdefault(key.encode("ascii"), reference(base + index))
    if document.name_dests is not None and b"/Names" not in catalog:
        catalog[b"/Names"] = b"<</Dests %s>>" % reference(base + document.name_dests)
    return [base + index for index in document.pages], base


def _write_outline(objects: _Objects, items: list[_Item]) -> None:
    visible = len(items)
    for position, item in enumerate(items):
        entries = [
            b"/Title " + pdf_text(item.title),
            b"/Parent " + reference(OUTLINES),
            b"/Dest [%s /Fit]" % reference(item.first_page),
        ]
        if position > 0:
            entries.append(b"/Prev " + reference(items[position - 1].number))
        if position + 1 < len(items):
            entries.append(b"/Next " + reference(items[position + 1].number))
        if item.outline is not None:
            first, last = item.base + item.outline.first, item.base + item.outline.last
            entries.append(b"/First %s /Last %s" % (reference(first), reference(last)))
            entries.append(b"/Count %d" % item.outline.count)
            visible += max(item.outline.count, 0)
        objects.set(item.number, b"<<" + b" ".join(entries) + b">>")
    ends = b"/First %s /Last %s " % (reference(items[0].number), reference(items[-1].number)) if items else b""
    objects.set(OUTLINES, b"<</Type /Outlines %s/Count %d>>" % (ends, visible))


def _file(objects: _Objects) -> bytes:
    """The file: header, objects, cross-reference table, trailer (ISO 32000-1, 7.5)."""
    chunks = [HEADER]
    offsets = []
    position = len(HEADER)
    for number, body in enumerate(objects.bodies, 1):
        chunk = b"%d 0 obj\n%s\nendobj\n" % (number, body if body is not None else b"null")
        offsets.append(position)
        position += len(chunk)
        chunks.append(chunk)
    digest = hashlib.md5(usedforsecurity=False)
    for chunk in chunks:
        digest.update(chunk)
    identifier = digest.hexdigest().encode("ascii")
    xref = [b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)]
    xref.extend(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"trailer\n<</Size %d /Root %s /Info %s /ID [<%s> <%s>]>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(offsets) + 1,
        reference(CATALOG),
        reference(INFO),
        identifier,
        identifier,
        position,
    )
    return b"".join([*chunks, *xref, trailer])
