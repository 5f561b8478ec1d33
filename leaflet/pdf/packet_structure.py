"""A packet's structure tree: the structure of each tagged part (:mod:`leaflet.pdf.structure`) under one
Document, so that a packet holding a tagged leaflet is tagged.

StructTreeRoot > Document > one ``Part`` per tagged part, in page order (titled by the part's outline
title, with the part's ``/Lang``), holding the part's own elements; the ParentTree gathers every part's
entries, each part's keys moved past the previous part's. The personalisation band drawn on a leaflet's
first page is a ``P`` of the leaflet's Part (before its title: it is drawn above it), marked around the
form that draws it; on later pages it repeats and is an artifact. An untagged part adds nothing: its
pages' content stays unmarked (the packet is then tagged only as far as its parts are).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol
from xml.sax.saxutils import escape

from leaflet.pdf.fragment import reference, render_body, stream_body
from leaflet.pdf.structure import STRUCTURE_SLOT, CopiedStructure
from leaflet.pdf.syntax import pdf_text


class Objects(Protocol):
    """The packet's objects (:class:`leaflet.pdf.packet._Objects`)."""

    def reserve(self) -> int: ...

    def set(self, number: int, body: bytes) -> None: ...

    def add(self, body: bytes) -> int: ...


@dataclass
class _Band:
    """The band's element on a leaflet's first page: its number, the page, its MCID and ParentTree key."""

    number: int
    page: int
    mcid: int
    key: int
    lang: str | None


@dataclass
class PacketStructure:
    """Collects the parts' structure while the packet is written, then writes the tree."""

    objects: Objects
    next_key: int = 0
    parts: list[int] = field(default_factory=list)
    nums: list[bytes] = field(default_factory=list)
    role_map: bytes | None = None
    languages: list[str] = field(default_factory=list)
    untagged: int = 0
    """Parts without a structure tree."""
    _band: _Band | None = None
    _offset: int = 0
    _document: int | None = None

    def part_slots(self, structure: CopiedStructure | None, keys: tuple[int, ...]) -> dict[str, bytes]:
        """Slots for the next part: its ParentTree keys moved past the previous parts', and its ``Part``."""
        self._offset = offset = self.next_key
        self.untagged += structure is None
        known = [*keys, *(key for key, _, _ in structure.parents)] if structure is not None else list(keys)
        self.next_key = offset + max(known, default=-1) + 1
        slots = {f"structkey{key}": b"%d" % (offset + key) for key in keys}
        slots[STRUCTURE_SLOT] = reference(self.objects.reserve()) if structure is not None else b"null"
        self._band = None
        return slots

    def band_marks(
        self, structure: CopiedStructure | None, key: int | None, page: int, index: int, lang: str | None = None
    ) -> bytes:
        """The operators around the band's ``Do`` on page ``index`` (object ``page``) of a leaflet: ``%s``
        stands for the ``Do``. Tagged on the first page (``lang``: its words' language when not the
        leaflet's), an artifact after; plain when untagged."""
        if structure is None:
            return b"%s"
        sizes = {entry_key: size for entry_key, _, size in structure.parents}
        if index > 0 or key is None or sizes.get(key, -1) < 0:
            return b"/Artifact BMC %s EMC"
        self._band = _Band(self.objects.reserve(), page, sizes[key], key, lang)
        return b"/P <</MCID %d>> BDC %%s EMC" % sizes[key]

    def add_part(
        self, structure: CopiedStructure | None, base: int, slots: dict[str, bytes], *, title: str, lang: str | None
    ) -> None:
        """Write the part's ``Part`` element and gather its ParentTree entries (after its objects are placed)."""
        if structure is None:
            return
        number = int(slots[STRUCTURE_SLOT].split()[0])
        band = self._band
        kids = [reference(base + kid) for kid in structure.kids]
        if band is not None:
            kids.insert(0, reference(band.number))
            band_lang = b" /Lang " + pdf_text(band.lang) if band.lang else b""
            body = b"<</Type /StructElem /S /P /P %s /Pg %s /K %d%s>>" % (
                reference(number),
                reference(band.page),
                band.mcid,
                band_lang,
            )
            self.objects.set(band.number, body)
        for key, value, _ in structure.parents:
            rendered = render_body(value, base, slots)
            if band is not None and key == band.key:
                rendered = rendered[:-1] + b" " + reference(band.number) + b"]"
            self.nums.append(b"%d %s" % (self._offset + key, rendered))
        if structure.role_map is not None and self.role_map is None:
            self.role_map = b"<<" + render_body(structure.role_map, base, slots) + b">>"
        language = lang or structure.lang
        entries = b" /T " + pdf_text(title) + (b" /Lang " + pdf_text(language) if language else b"")
        if language and language not in self.languages:
            self.languages.append(language)
        self.objects.set(
            number,
            b"<</Type /StructElem /S /Part /P %s /K [%s]%s>>"
            % (reference(self._document_number()), b" ".join(kids), entries),
        )
        self.parts.append(number)

    def _document_number(self) -> int:
        if self._document is None:
            self._document = self.objects.reserve()
        return self._document

    def catalog_entries(self, title: str, producer: str) -> dict[bytes, bytes]:
        """The catalog's ``/StructTreeRoot``, ``/MarkInfo``, ``/ViewerPreferences`` and ``/Metadata`` (an XMP
        packet with the packet's ``title``, its parts' languages and, when every part is tagged, the PDF/UA-1
        identification the leaflets carry); none when no part is tagged."""
        if not self.parts:
            return {}
        xmp = packet_xmp(title, self.languages, producer, tagged=not self.untagged)
        metadata = self.objects.add(stream_body(b"/Type /Metadata /Subtype /XML", xmp))
        document, root = self._document_number(), self.objects.reserve()
        parent_tree = self.objects.add(b"<</Nums [%s]>>" % b" ".join(self.nums))
        role_map = b" /RoleMap " + self.role_map if self.role_map is not None else b""
        self.objects.set(
            root,
            b"<</Type /StructTreeRoot /K %s /ParentTree %s /ParentTreeNextKey %d%s>>"
            % (reference(document), reference(parent_tree), self.next_key, role_map),
        )
        kids = b" ".join(map(reference, self.parts))
        self.objects.set(document, b"<</Type /StructElem /S /Document /P %s /K [%s]>>" % (reference(root), kids))
        return {
            b"/StructTreeRoot": reference(root),
            b"/MarkInfo": b"<</Marked true>>",
            b"/ViewerPreferences": b"<</DisplayDocTitle true>>",
            b"/Metadata": reference(metadata),
        }


def packet_xmp(title: str, languages: list[str], producer: str, *, tagged: bool) -> bytes:
    """An XMP packet (unfiltered, as PDF/A and PDF/UA read it): title, languages, producer, and ``pdfuaid``
    part 1 when ``tagged``. No PDF/A identification: an order from elsewhere is not known to be PDF/A."""
    bag = "".join(f"<rdf:li>{escape(language)}</rdf:li>" for language in languages)
    ua = "\n<pdfuaid:part>1</pdfuaid:part>" if tagged else ""
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>
<dc:language><rdf:Bag>{bag}</rdf:Bag></dc:language>
<pdf:Producer>{escape(producer)}</pdf:Producer>{ua}
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="r"?>""".encode()
