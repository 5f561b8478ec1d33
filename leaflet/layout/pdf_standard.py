"""PDF/UA-1 and PDF/A-2u: what reportlab does not write, added to its document before it is saved.

- the structure tree :mod:`leaflet.layout.tagging` recorded: StructTreeRoot, one StructElem per element
  (``/P`` parent, ``/K`` kids: MCIDs on the element's page, MCRs for parts on other pages, kid elements),
  the ParentTree (page index -> the element of each MCID) and ``/StructParents`` and ``/Tabs /S`` on pages;
- ``/MarkInfo <</Marked true>>``, ``/ViewerPreferences <</DisplayDocTitle true>>`` (``/Lang`` is reportlab's);
- the XMP metadata stream declaring PDF/A-2u and PDF/UA-1, mirroring the Info dictionary (PDF/A asks
  the two to agree), and the sRGB output intent.

Dates: PDF/A asks the XMP dates to equal the Info dictionary's, which reportlab's invariant mode fixes at
2000-01-01 00:00:00 UTC (or ``SOURCE_DATE_EPOCH``): both are taken from that one timestamp, never from
the clock, so the same input gives the same bytes. The leaflet's revision date is in its footer.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFInfo,
    PDFName,
    PDFObject,
    PDFObjectReference,
    PDFStream,
    PDFString,
    PDFZCompress,
)

from leaflet.layout.icc import srgb_profile
from leaflet.layout.tagging import Element, Tagger

PAGE_KEYS = ("StructParents", "Tabs")
"""Keys reportlab's page object does not write, added to its list of keys on each page."""


class PDFBool(PDFObject):
    """``true`` or ``false`` (reportlab writes names and strings, not booleans)."""

    def __init__(self, value: bool) -> None:
        self.value = value

    def format(self, document: Any) -> bytes:
        return b"true" if self.value else b"false"


class PlainStream(PDFStream):
    """A stream written without filters: PDF/A-2 wants the metadata stream readable as it is."""

    def format(self, document: Any) -> bytes:
        dictionary = PDFDictionary({**self.dictionary.dict, "Length": len(self.content)})
        return bytes(dictionary.format(document)) + b"\nstream\n" + self.content + b"\nendstream\n"


class LeafletInfo(PDFInfo):
    """reportlab's Info dictionary without an empty ``/Author`` (whose XMP twin would be an empty
    creator)."""

    def format(self, document: Any) -> bytes:
        formatted: bytes = super().format(document)
        return formatted.replace(b"\n/Author ()", b"") if not self.author else formatted


def mark_page(page: Any, index: int) -> None:
    """Give reportlab's ``page`` object its ``/StructParents`` key (``index``) and ``/Tabs /S``."""
    page.__NoDefault__ = [*page.__NoDefault__, *PAGE_KEYS]
    page.StructParents = index
    page.Tabs = PDFName("S")


def write_structure(doc: Any, tagger: Tagger) -> None:
    """Add the structure tree of ``tagger`` and the catalog entries of a tagged PDF to ``doc``."""
    names: dict[int, str] = {}
    elements = list(_walk(tagger.document))
    for number, element in enumerate(elements):
        names[id(element)] = f"StructElem{number}"
    root = PDFObjectReference("StructTreeRoot")
    for element in elements:
        parent = names[id(element.parent)] if element.parent else "StructTreeRoot"
        doc.Reference(StructElemObject(element, parent, names), names[id(element)])
    pages = len(doc.Pages.pages)
    parents = [[names[id(element)] for element in tagger.parents.get(page, [])] for page in range(pages)]
    tree = PDFDictionary(
        {
            "Type": PDFName("StructTreeRoot"),
            "K": PDFArray([PDFObjectReference(names[id(tagger.document)])]),
            "ParentTree": doc.Reference(ParentTreeObject(parents)),
            "ParentTreeNextKey": pages,
        }
    )
    doc.Reference(tree, "StructTreeRoot")
    catalog = doc.Catalog
    catalog.StructTreeRoot = root
    catalog.MarkInfo = PDFDictionary({"Marked": PDFBool(True)})
    catalog.ViewerPreferences = PDFDictionary({"DisplayDocTitle": PDFBool(True)})
    info = LeafletInfo()
    info.__dict__.update(doc.info.__dict__)
    doc.info = info


def _walk(element: Element) -> Any:
    yield element
    for kid in element.kids:
        if isinstance(kid, Element):
            yield from _walk(kid)


def _reference(document: Any, name: str) -> bytes:
    return b"%d %d R" % document.idToObjectNumberAndVersion[name]


class StructElemObject(PDFObject):
    """A structure element, written straight to bytes: a long leaflet has over a thousand, and reportlab's
    PDFDictionary formats each key and value through several layers (a third of the save time)."""

    def __init__(self, element: Element, parent: str, names: dict[int, str]) -> None:
        self.element, self.parent, self.names = element, parent, names

    def format(self, document: Any) -> bytes:
        element = self.element
        out = [b"<</Type /StructElem /S /" + element.role.encode("ascii") + b" /P " + _reference(document, self.parent)]
        if element.has_entries:
            out.append(PDFDictionary(_entries(element)).format(document)[2:-2].strip())
        first_page = next((kid[0] for kid in element.kids if isinstance(kid, tuple)), None)
        if first_page is not None:
            out.append(b"/Pg " + _reference(document, f"Page{first_page + 1}"))
        kids: list[bytes] = []
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(_reference(document, self.names[id(kid)]))
            elif kid[0] == first_page:
                kids.append(b"%d" % kid[1])
            else:
                page = _reference(document, f"Page{kid[0] + 1}")
                kids.append(b"<</Type /MCR /Pg %s /MCID %d>>" % (page, kid[1]))
        if kids:  # one kid bare: pdfua 0.1.3 reads no array there
            out.append(b"/K " + (kids[0] if len(kids) == 1 else b"[" + b" ".join(kids) + b"]"))
        return b" ".join(out) + b">>"


class ParentTreeObject(PDFObject):
    """The ParentTree: by page index, the element of each MCID (a flat number tree), written straight to bytes."""

    def __init__(self, parents: list[list[str]]) -> None:
        self.parents = parents

    def format(self, document: Any) -> bytes:
        entries = [
            b"%d [%s]" % (page, b" ".join(_reference(document, name) for name in names))
            for page, names in enumerate(self.parents)
        ]
        return b"<</Nums [" + b"\n".join(entries) + b"]>>"


def _entries(element: Element) -> dict[str, Any]:
    """The optional entries of ``element``: Alt, ActualText, T (title), Lang and A (attributes)."""
    texts = {"Alt": element.alt, "ActualText": element.actual_text, "T": element.title, "Lang": element.lang}
    entries: dict[str, Any] = {key: PDFString(value) for key, value in texts.items() if value}
    attributes = _attributes(element)
    if attributes is not None:
        entries["A"] = attributes
    return entries


def _attributes(element: Element) -> PDFDictionary | None:
    """The standard attributes of ``element``: a header cell's Scope, a cell's ColSpan, a list's
    ListNumbering, a figure's BBox."""
    if element.scope or element.colspan > 1:
        table: dict[str, Any] = {"O": PDFName("Table")}
        if element.scope:
            table["Scope"] = PDFName(element.scope)
        if element.colspan > 1:
            table["ColSpan"] = element.colspan
        return PDFDictionary(table)
    if element.numbering:
        return PDFDictionary({"O": PDFName("List"), "ListNumbering": PDFName(element.numbering)})
    if element.bbox:
        box = PDFArray([round(value, 2) for value in element.bbox])
        return PDFDictionary({"O": PDFName("Layout"), "BBox": box, "Placement": PDFName("Block")})
    return None


# --- PDF/A-2u ------------------------------------------------------------------------------------

PDFA_PART, PDFA_CONFORMANCE, PDFUA_PART = 2, "U", 1


def write_archival(doc: Any, language: str) -> None:
    """Add the XMP metadata (PDF/A-2u and PDF/UA-1 identification) and the sRGB output intent."""
    xmp = PlainStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}))
    xmp.content = _xmp(doc, language).encode("utf-8")
    doc.Catalog.Metadata = xmp
    profile = PDFStream(PDFDictionary({"N": 3}), srgb_profile(), filters=[PDFZCompress])
    intent = PDFDictionary(
        {
            "Type": PDFName("OutputIntent"),
            "S": PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": PDFString("sRGB IEC61966-2.1"),
            "RegistryName": PDFString("http://www.color.org"),
            "Info": PDFString("sRGB IEC61966-2.1"),
            "DestOutputProfile": doc.Reference(profile),
        }
    )
    doc.Catalog.__NoDefault__ = [*doc.Catalog.__NoDefault__, "OutputIntents"]
    doc.Catalog.OutputIntents = PDFArray([intent])


def _xmp_date(doc: Any) -> str:
    """The Info dictionary's date (reportlab's invariant timestamp) as XMP writes dates."""
    stamp = doc._timeStamp
    year, month, day, hour, minute, second = stamp.YMDhms
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}+{stamp.dhh:02d}:{stamp.dmm:02d}"


def _xmp(doc: Any, language: str) -> str:
    """The XMP packet: Dublin Core, PDF and XMP basic properties equal to the Info dictionary's, the
    PDF/A and PDF/UA identifications, and the extension schema PDF/A-2 asks for pdfuaid (not predefined)."""
    info, date = doc.info, _xmp_date(doc)

    def alt(text: str) -> str:
        return f'<rdf:Alt><rdf:li xml:lang="x-default">{escape(text)}</rdf:li></rdf:Alt>'

    author = f"<rdf:Seq><rdf:li>{escape(info.author)}</rdf:li></rdf:Seq>"
    creator = f"<dc:creator>{author}</dc:creator>" if info.author else ""
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
 xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title>{alt(info.title)}</dc:title>
<dc:description>{alt(info.subject)}</dc:description>{creator}
<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>
<pdf:Producer>{escape(info.producer)}</pdf:Producer>
<pdf:Keywords>{escape(info.keywords)}</pdf:Keywords>
<pdf:Trapped>False</pdf:Trapped>
<xmp:CreatorTool>{escape(info.creator)}</xmp:CreatorTool>
<xmp:CreateDate>{date}</xmp:CreateDate>
<xmp:ModifyDate>{date}</xmp:ModifyDate>
<pdfaid:part>{PDFA_PART}</pdfaid:part>
<pdfaid:conformance>{PDFA_CONFORMANCE}</pdfaid:conformance>
<pdfuaid:part>{PDFUA_PART}</pdfuaid:part>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
