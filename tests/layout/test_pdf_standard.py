"""PDF/A-2u and PDF/UA-1 declarations (issue 13, part 2), read back with pikepdf and pdfminer: the XMP packet
agrees with the Info dictionary, the sRGB output intent, fonts embedded with a Unicode mapping for every code
drawn, nothing PDF/A forbids, the same bytes for the same input, and ``--pdf-standard none`` a plain PDF."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

import pdfplumber
import pikepdf
import pytest

from leaflet import BuildOptions, build_leaflet, load_monograph
from leaflet.layout.icc import make_srgb_profile
from tests.conftest import FIXTURES, SAMPLE
from tests.layout.scripts_support import monograph_path
from tests.structure_tree import StructureTree

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
}
SOURCES = {"sample": SAMPLE, "every-block": FIXTURES / "blocks" / "pen.yaml"}


@cache
def pdf_of(name: str, standard: str = "ua1-a2u") -> bytes:
    source = monograph_path("ar") if name == "arabic" else SOURCES[name]
    return build_leaflet(load_monograph(source), BuildOptions(pdf_standard=standard)).pdf  # type: ignore[arg-type]


def _xmp(document: pikepdf.Pdf) -> ElementTree.Element:
    stream = document.Root.Metadata
    assert "/Filter" not in stream  # PDF/A: the metadata stream readable as it is
    assert stream.Type == "/Metadata" and stream.Subtype == "/XML"
    return ElementTree.fromstring(stream.read_raw_bytes())


@pytest.mark.parametrize("name", ["sample", "every-block", "arabic"])
def test_xmp_declares_pdfa_2u_and_pdfua_1_and_mirrors_the_info_dictionary(name: str) -> None:
    with pikepdf.open(io.BytesIO(pdf_of(name))) as document:
        xmp, info = _xmp(document), document.docinfo
        assert xmp.findtext(".//pdfaid:part", namespaces=NS) == "2"
        assert xmp.findtext(".//pdfaid:conformance", namespaces=NS) == "U"
        assert xmp.findtext(".//pdfuaid:part", namespaces=NS) == "1"
        assert xmp.findtext(".//pdfaSchema:namespaceURI", namespaces=NS) == NS["pdfuaid"]  # extension schema
        assert xmp.findtext(".//dc:title/rdf:Alt/rdf:li", namespaces=NS) == str(info.Title) != ""
        assert xmp.findtext(".//dc:description/rdf:Alt/rdf:li", namespaces=NS) == str(info.Subject)
        assert xmp.findtext(".//pdf:Producer", namespaces=NS) == str(info.Producer)
        assert xmp.findtext(".//pdf:Keywords", namespaces=NS) == str(info.Keywords)
        assert xmp.findtext(".//xmp:CreatorTool", namespaces=NS) == str(info.Creator)
        assert xmp.findtext(".//dc:language/rdf:Bag/rdf:li", namespaces=NS) == str(document.Root.Lang)
        created = str(info.CreationDate)  # D:20000101000000+00'00'
        stamp = xmp.findtext(".//xmp:CreateDate", namespaces=NS)
        assert stamp is not None and stamp.replace("-", "").replace(":", "").replace("T", "")[:14] == created[2:16]
        assert "/Author" not in info  # an empty author would need an empty dc:creator
        assert document.pdf_version == "1.7"
        assert document.Root.MarkInfo.Marked is True
        assert document.Root.ViewerPreferences.DisplayDocTitle is True


def test_srgb_output_intent_with_a_reproducible_icc_profile() -> None:
    with pikepdf.open(io.BytesIO(pdf_of("sample"))) as document:
        (intent,) = document.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1" and str(intent.OutputConditionIdentifier) == "sRGB IEC61966-2.1"
        profile = intent.DestOutputProfile
        assert profile.N == 3
        data = profile.read_bytes()
        assert data[36:40] == b"acsp" and data[16:20] == b"RGB " and data[8:10] == bytes([4, 0x20])
        assert data == make_srgb_profile()  # remade from LittleCMS: the shipped file is what the code makes


@pytest.mark.parametrize("name", ["sample", "every-block", "arabic"])
def test_fonts_embedded_with_a_unicode_mapping_for_every_code(name: str) -> None:
    """Every font is an embedded subset with a ToUnicode CMap; pdfminer maps every character drawn (no
    ``(cid:N)``), including the private-use codes of shaped glyphs, which ActualText spells for readers."""
    data = pdf_of(name)
    with pikepdf.open(io.BytesIO(data)) as document:
        fonts = 0
        for page in document.pages:
            for font in page.obj.Resources.Font.values():
                fonts += 1
                descriptor = font.FontDescriptor
                assert any(key in descriptor for key in ("/FontFile2", "/FontFile", "/FontFile3")), font.BaseFont
                assert "/ToUnicode" in font, font.BaseFont
        assert fonts
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert not [char["text"] for page in pdf.pages for char in page.chars if char["text"].startswith("(cid:")]


@pytest.mark.parametrize("name", ["sample", "every-block"])
def test_nothing_pdfa_forbids(name: str) -> None:
    """No encryption, JavaScript, embedded files, transfer functions or halftones, no soft mask other than a
    picture's own alpha, blend modes only Normal; every annotation printable."""
    with pikepdf.open(io.BytesIO(pdf_of(name))) as document:
        assert not document.is_encrypted
        assert "/Names" not in document.Root or "/JavaScript" not in document.Root.Names
        assert "/OpenAction" not in document.Root and "/AA" not in document.Root
        for page in document.pages:
            for state in page.obj.Resources.get("/ExtGState", {}).values():
                assert not {"/TR", "/TR2", "/HT"} & set(state.keys())
                assert str(state.get("/SMask", "/None")) == "/None"
                assert str(state.get("/BM", "/Normal")) in ("/Normal", "/Compatible")
            for annotation in page.obj.get("/Annots", []):
                assert int(annotation.get("/F", 0)) & 4
        assert len(document.trailer.ID) == 2


def test_same_input_same_bytes_in_another_process(tmp_path: Path) -> None:
    """No clock, no random IDs: a build in a fresh process (another hash seed) gives the same bytes."""
    out = tmp_path / "again.pdf"
    script = (
        "import sys; from leaflet import BuildOptions, build_leaflet, load_monograph; "
        "open(sys.argv[2], 'wb').write(build_leaflet(load_monograph(sys.argv[1]), BuildOptions()).pdf)"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "SOURCE_DATE_EPOCH": ""}
    env.pop("SOURCE_DATE_EPOCH")
    subprocess.run([sys.executable, "-c", script, str(SAMPLE), str(out)], check=True, env=env)
    assert out.read_bytes() == pdf_of("sample")


def test_outline_lists_the_headings_of_the_structure_tree() -> None:
    """Bookmarks and structure agree: one outline entry per heading element (H2..H6), same text, same order."""
    data = pdf_of("every-block")
    headings = [leaf.text for leaf in StructureTree(data).leaves() if leaf.role in ("H2", "H3", "H4", "H5", "H6")]
    with pikepdf.open(io.BytesIO(data)) as document, document.open_outline() as outline:
        titles: list[str] = []

        def walk(items: list[pikepdf.OutlineItem]) -> None:
            for item in items:
                titles.append(item.title)
                walk(item.children)

        walk(outline.root)
    assert ["".join(title.split()) for title in titles] == ["".join(text.split()) for text in headings]


def test_plain_pdf_has_no_structure_and_no_declarations() -> None:
    data = pdf_of("sample", "none")
    with pikepdf.open(io.BytesIO(data)) as document:
        for key in ("/StructTreeRoot", "/MarkInfo", "/Metadata", "/OutputIntents", "/ViewerPreferences"):
            assert key not in document.Root, key
        assert document.pdf_version == "1.4"
        for page in document.pages:
            assert b"BDC" not in page.obj.Contents.read_bytes() and "/StructParents" not in page.obj
