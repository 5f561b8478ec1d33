"""Packets written by leaflet's own PDF writer (leaflet.pdf): what an order brings along (inherited page
attributes, a two-level page tree, bookmarks, named destinations, a form), the packet's outline, the band and
its fonts, byte-for-byte determinism, and the writer's building blocks.

Every property is read back from the packet's bytes, with pypdf, pdfplumber and pikepdf (qpdf's check).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    TextStringObject,
    read_object,
)

from leaflet import BuildOptions, build_leaflet, load_monograph
from leaflet.errors import Diagnostic
from leaflet.orders.attach import attach_leaflets, build_monograph_template
from leaflet.pdf.copier import MAX_DEPTH, Copier
from leaflet.pdf.fragment import Fragment
from leaflet.pdf.packet import DocumentPart, assemble_packet
from leaflet.pdf.parts import LeafletTemplate, copy_document
from leaflet.pdf.syntax import pdf_text
from leaflet.personalise.patient import PatientDetails, patient_details
from leaflet.style import style_for
from tests.cli.helpers import GOOD_TXT, GOOD_YAML
from tests.conftest import ROOT, SAMPLE
from tests.orders.support import check_with_qpdf, order_pdf, page_facts, write
from tests.pdf.support import (
    BOOKMARKS,
    BRANCH_BOX,
    CATALOG_DEST,
    CROP_BOX,
    FIELD_NAME,
    FIELD_VALUE,
    INHERITABLE,
    ORDER_PAGES,
    OWN_ROTATE,
    ROOT_BOX,
    ROOT_ROTATE,
    TEXTS,
    TREE_DEST,
    Bookmark,
    as_dict,
    as_list,
    font_program,
    fonts_used,
    inherited,
    layered_order,
    number_of,
    outline,
    pikepdf_check,
    plain,
    raw_keys,
    reader_of,
    ref,
    shifted,
    stored,
    structured_order,
    target_of,
)

ORDER_PASSWORD = "order-Pw-7"
LETTER = BuildOptions(paper="letter")
LETTER_PERSONAL = BuildOptions(paper="letter", personalised=True)
PATIENT = {
    "patient": "Zoë Ångström",
    "rx": "RX-40721",
    "dispensed": "2026-11-24",
    "directions": "take 1 tablet three times a day with food",
    "pharmacy": "High Street Pharmacy, 12 High Street",
}
LATIN = "".join(chr(code) for code in range(0x100, 0x180))
"""Latin Extended-A: 128 letters."""
GREEK = "".join(chr(code) for code in [*range(0x391, 0x3AA), *range(0x3B1, 0x3CA)] if code != 0x3A2)
"""The Greek capital and small letters: 49."""
CYRILLIC = "".join(chr(code) for code in range(0x410, 0x450))
"""The basic Cyrillic capital and small letters: 64."""


def words(text: str, length: int) -> str:
    """``text`` cut into words of ``length`` characters, so that the band can wrap it."""
    return " ".join(text[start : start + length] for start in range(0, len(text), length))


def details(**changes: str) -> PatientDetails:
    found = patient_details(where="order.pdf", **{**PATIENT, **changes})
    assert found is not None
    return found


@cache
def template(path: Path, options: BuildOptions) -> LeafletTemplate:
    """A monograph's leaflet laid out once for the whole module (as a batch process keeps it)."""
    return build_monograph_template(path, options, lambda diagnostic: None)


def cached_builder(path: Path, options: BuildOptions, on_warning: Callable[[Diagnostic], None]) -> LeafletTemplate:
    return template(path, options)


@cache
def standalone_outline(path: Path) -> tuple[Bookmark, ...]:
    """The outline of a monograph's leaflet built on its own, on Letter paper."""
    return outline(reader_of(build_leaflet(load_monograph(path), LETTER).pdf))


def pages_of(path: Path, options: BuildOptions = LETTER) -> int:
    return len(template(path, options).pages)


def string_bytes(value: object) -> bytes:
    """The bytes of a PDF string as pypdf read it (it decodes some as text)."""
    if isinstance(value, TextStringObject):
        return value.original_bytes
    assert isinstance(value, ByteStringObject), value
    return bytes(value)


def reserved_text(packet: bytes, page_index: int, number: int) -> str:
    """The characters pdfplumber finds in the reserved box of leaflet page ``number`` (1-based, Letter,
    personalised), drawn on packet page ``page_index`` (0-based)."""
    box = style_for(LETTER_PERSONAL).page.reserved_box(number)
    assert box is not None
    x, y, width, height = box
    with pdfplumber.open(io.BytesIO(packet)) as pdf:
        page = pdf.pages[page_index]
        top, bottom = float(page.height) - (y + height), float(page.height) - y
        return "".join(
            char["text"]
            for char in page.chars
            if char["x1"] > x and char["x0"] < x + width and char["bottom"] > top and char["top"] < bottom
        )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("assembly")


@pytest.fixture(scope="module")
def structured(folder: Path) -> Path:
    """The structured order (see tests/pdf/support.py), unencrypted."""
    return write(folder / "structured.pdf", structured_order())


@pytest.fixture(scope="module")
def structured_encrypted(folder: Path) -> Path:
    """The structured order, AES-256 encrypted with :data:`ORDER_PASSWORD`."""
    return write(folder / "structured-encrypted.pdf", structured_order(ORDER_PASSWORD))


@pytest.fixture(scope="module")
def simple(folder: Path) -> Path:
    """A plain one-page Letter order."""
    return write(folder / "simple.pdf", order_pdf(1))


def order_file(request: pytest.FixtureRequest, encrypted: bool) -> tuple[Path, str | None]:
    """The structured order, plain or encrypted, and its password."""
    if encrypted:
        return request.getfixturevalue("structured_encrypted"), ORDER_PASSWORD
    return request.getfixturevalue("structured"), None


# --------------------------------------------------------------------------------------------------
# 1. What an order made elsewhere brings along


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "aes256"])
def test_inherited_attributes_are_on_every_copied_order_page(request: pytest.FixtureRequest, encrypted: bool) -> None:
    """This test ensures that an order whose MediaBox, CropBox, /Rotate and /Resources are set only on its /Pages
    nodes (a two-level tree: Pages -> Pages -> Page, one intermediate node giving a CropBox, the other
    overriding the MediaBox, one page its own /Rotate) reaches the packet with every page showing the same
    effective MediaBox, CropBox, /Rotate and /Resources and the same text as in the order, each page holding
    them itself (the packet's /Pages node carries none), and that the packet, written without encryption,
    passes qpdf's check."""
    order, password = order_file(request, encrypted)
    shape = raw_keys(order.read_bytes(), password)
    assert {"/MediaBox", "/Rotate", "/Resources"} <= set(shape["root"][0])
    assert "/MediaBox" in shape["middle"][1] and "/MediaBox" not in shape["middle"][0]
    assert "/CropBox" in shape["middle"][0] and "/CropBox" not in shape["middle"][1]
    assert all("/MediaBox" not in keys and "/Resources" not in keys for keys in shape["leaves"])
    assert [("/Rotate" in keys) for keys in shape["leaves"]] == [False, False, False, True]

    packet = attach_leaflets(order, [GOOD_YAML], password=password, leaflet_builder=cached_builder)
    pikepdf_check(packet)
    source, copied = reader_of(order.read_bytes(), password), reader_of(packet)
    assert not copied.is_encrypted
    assert len(copied.pages) == ORDER_PAGES + pages_of(GOOD_YAML)
    root_ref = ref(copied.root_object.raw_get("/Pages"))
    root = as_dict(root_ref)
    assert not set(INHERITABLE) & set(root)
    assert all(ref(as_dict(kid).raw_get("/Parent")).idnum == root_ref.idnum for kid in as_list(root["/Kids"]))
    boxes = [ROOT_BOX, ROOT_BOX, BRANCH_BOX, BRANCH_BOX]
    rotations = [ROOT_ROTATE, ROOT_ROTATE, ROOT_ROTATE, OWN_ROTATE]
    for index in range(ORDER_PAGES):
        before, after = stored(source.pages[index]), stored(copied.pages[index])
        for key in INHERITABLE:
            assert (key in after) == (key != "/CropBox" or index < 2), (index, key)
            assert inherited(after, key) == inherited(before, key), (index, key)
        assert plain(after["/MediaBox"]) == [float(value) for value in boxes[index]]
        assert inherited(after, "/CropBox") == ([float(value) for value in CROP_BOX] if index < 2 else None)
        assert after["/Rotate"] == rotations[index]
        assert plain(after["/Resources"])["/Font"]["/F1"]["/BaseFont"] == "/Helvetica"
        assert copied.pages[index].extract_text() == source.pages[index].extract_text() == TEXTS[index]


@pytest.mark.parametrize("before", [False, True], ids=["order-first", "leaflets-first"])
def test_order_bookmarks_become_children_of_the_order_item(structured: Path, before: bool) -> None:
    """This test ensures that the order's bookmarks (two levels, one going through a GoTo action to a named
    destination) are, in the packet, the children of its "Order" outline item, in their order, with their
    titles, each still going to the copied page it went to in the order, whether the leaflets come after or
    before the order."""
    packet = attach_leaflets(structured, [GOOD_YAML], before=before, leaflet_builder=cached_builder)
    offset = pages_of(GOOD_YAML) if before else 0
    reader = reader_of(packet)
    items = {item.title: item for item in outline(reader)}
    assert items["Order"].page == offset
    order_bookmarks = outline(reader_of(structured.read_bytes()))
    assert [(b.title, b.page) for b in order_bookmarks] == [(title, page) for title, page, _ in BOOKMARKS]
    assert [(b.title, b.page) for b in order_bookmarks[1].children] == [("Delivery note", 3)]
    assert items["Order"].children == shifted(order_bookmarks, offset)
    texts = [reader.pages[b.page].extract_text() for b in items["Order"].children if b.page is not None]
    assert texts == [TEXTS[0], TEXTS[2]]


@pytest.mark.parametrize("before", [False, True], ids=["order-first", "leaflets-first"])
@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "aes256"])
def test_named_destinations_and_links_still_resolve(
    request: pytest.FixtureRequest, encrypted: bool, before: bool
) -> None:
    """This test ensures that the order's named destinations, in the catalog's /Dests and in the /Names /Dests
    name tree, are in the packet's catalog and go to the same (copied) order pages, and that the order's
    /Link annotations using them (a name, a string, a GoTo action) still land on those pages."""
    order, password = order_file(request, encrypted)
    packet = attach_leaflets(order, [GOOD_YAML], before=before, password=password, leaflet_builder=cached_builder)
    offset = pages_of(GOOD_YAML) if before else 0
    reader = reader_of(packet)
    # pypdf reads the catalog's /Dests when there is one, and the name tree only when there is not
    destinations = {
        str(name).lstrip("/"): reader.get_destination_page_number(dest)
        for name, dest in reader.named_destinations.items()
    }
    assert destinations == {CATALOG_DEST: offset + 2}
    tree = as_dict(as_dict(reader.root_object["/Names"])["/Dests"])
    leaves = [as_dict(kid) for kid in as_list(tree["/Kids"])]
    assert [[str(value) for value in as_list(leaf["/Names"])[::2]] for leaf in leaves] == [[TREE_DEST]]
    links = [as_dict(annot) for annot in as_list(reader.pages[offset]["/Annots"])]
    assert [link["/Subtype"] for link in links] == ["/Link"] * 3
    assert [target_of(reader, link) for link in links] == [offset + 2, offset + 3, offset + 3]
    assert [reader.pages[offset + page].extract_text() for page in (2, 3)] == [TEXTS[2], TEXTS[3]]
    pikepdf_check(packet)


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "aes256"])
def test_form_field_and_its_value_survive(request: pytest.FixtureRequest, encrypted: bool) -> None:
    """This test ensures that the packet's catalog has the order's /AcroForm, whose text field keeps its name
    and value (non-ASCII included, decrypted from an encrypted order), and whose widget is an annotation of
    the copied page 2, pointing back at that page."""
    order, password = order_file(request, encrypted)
    packet = attach_leaflets(order, [GOOD_YAML], password=password, leaflet_builder=cached_builder)
    reader = reader_of(packet)
    form = as_dict(reader.root_object["/AcroForm"])
    fields = as_list(form.raw_get("/Fields"))
    assert [(str(as_dict(field)["/T"]), str(as_dict(field)["/V"])) for field in fields] == [(FIELD_NAME, FIELD_VALUE)]
    assert reader.get_form_text_fields() == {FIELD_NAME: FIELD_VALUE}
    widget = ref(fields[0])
    page = reader.pages[1]
    assert [ref(annot).idnum for annot in as_list(page.raw_get("/Annots"))] == [widget.idnum]
    assert ref(as_dict(widget).raw_get("/P")).idnum == number_of(page)
    assert "/Helv" in as_dict(as_dict(form["/DR"])["/Font"])


def test_hidden_layer_of_the_order_stays_hidden(folder: Path) -> None:
    """This test ensures that an order's optional content stays as the order shows it: the packet's catalog has
    /OCProperties listing the (copied) group the order's page marks its VOID stamp with, in /OCGs and in the
    default configuration's /OFF, so the stamp stays hidden as in the order."""
    order = write(folder / "layered.pdf", layered_order())
    packet = attach_leaflets(order, [GOOD_YAML], leaflet_builder=cached_builder)
    reader = reader_of(packet)
    page = reader.pages[0]
    group = ref(as_dict(as_dict(page["/Resources"])["/Properties"]).raw_get("/stamp"))
    assert page.extract_text().startswith(TEXTS[0])
    properties = reader.root_object.get("/OCProperties")
    assert properties is not None, "the packet's catalog has no /OCProperties: the hidden VOID stamp shows"
    assert group.idnum in [ref(item).idnum for item in as_list(as_dict(properties)["/OCGs"])]
    assert group.idnum in [ref(item).idnum for item in as_list(as_dict(as_dict(properties)["/D"])["/OFF"])]


# --------------------------------------------------------------------------------------------------
# 2. The packet's outline


@pytest.mark.parametrize("before", [False, True], ids=["order-first", "leaflets-first"])
def test_outline_has_one_item_per_part_in_page_order(simple: Path, before: bool) -> None:
    """This test ensures that the packet's outline has one top-level item per part, in page order ("Order",
    then "Testofen" and "Testotext"; with before the leaflets first), each going to its part's first page,
    that each leaflet's headings are the children of its item, as in the leaflet built on its own, going to
    that leaflet's pages, and that every item's /Parent, /Prev, /Next, /First and /Last agree."""
    packet = attach_leaflets(simple, [GOOD_YAML, GOOD_TXT], before=before, leaflet_builder=cached_builder)
    sources = {"Testofen": GOOD_YAML, "Testotext": GOOD_TXT}
    sizes = {"Order": 1, **{title: pages_of(path) for title, path in sources.items()}}
    items = outline(reader_of(packet))
    assert [item.title for item in items] == (["Testofen", "Testotext", "Order"] if before else list(sizes))
    first = 0
    for item in items:
        assert item.page == first, item.title
        if item.title in sources:
            assert item.children == shifted(standalone_outline(sources[item.title]), first)
            pages = [child.page for child in item.children]
            assert pages and all(page is not None and first <= page < first + sizes[item.title] for page in pages)
        first += sizes[item.title]
    assert first == len(reader_of(packet).pages)


# --------------------------------------------------------------------------------------------------
# 3. Determinism


def test_same_inputs_give_the_same_bytes_in_one_process(structured: Path, simple: Path) -> None:
    """This test ensures that attaching the same leaflets to the same order twice, each time laying the
    leaflets out anew, gives byte-identical packets, personalised or not, with an /ID of two equal 16-byte
    strings that changes with the content, and that the packets pass qpdf's check."""
    first = attach_leaflets(structured, [GOOD_YAML, SAMPLE], patient=details())
    assert attach_leaflets(structured, [GOOD_YAML, SAMPLE], patient=details()) == first
    other = attach_leaflets(structured, [GOOD_YAML, SAMPLE], patient=details(rx="RX-40722"))
    unpersonalised = attach_leaflets(simple, [GOOD_TXT])
    assert attach_leaflets(simple, [GOOD_TXT]) == unpersonalised
    identifiers = []
    for packet in (first, other, unpersonalised):
        pikepdf_check(packet)
        identifier = [string_bytes(value) for value in as_list(reader_of(packet).trailer["/ID"])]
        assert len(identifier) == 2 and identifier[0] == identifier[1] and len(identifier[0]) == 16
        identifiers.append(identifier[0])
    assert len(set(identifiers)) == 3


def test_same_inputs_give_the_same_bytes_across_processes(structured: Path, tmp_path: Path) -> None:
    """This test ensures that two separate runs of `python -m leaflet attach` (with different hash seeds)
    write byte-identical personalised packets, identical to the packet the Python API returns for the same
    inputs, and that the written packet passes qpdf's check and has an /ID."""
    personal = ["--patient", PATIENT["patient"], "--rx", PATIENT["rx"], "--directions", PATIENT["directions"]]
    seeds = (0, 4242)
    command = [sys.executable, "-m", "leaflet", "attach", str(structured), str(GOOD_YAML), str(SAMPLE), *personal]
    outputs = [tmp_path / f"packet-{seed}.pdf" for seed in seeds]
    runs = [
        subprocess.Popen(
            [*command, "-o", str(out)],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for seed, out in zip(seeds, outputs, strict=True)
    ]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err.decode()
    first, second = (path.read_bytes() for path in outputs)
    assert first == second
    assert attach_leaflets(structured, [GOOD_YAML, SAMPLE], patient=details(dispensed="", pharmacy="")) == first
    check_with_qpdf(outputs[0])
    assert "/ID" in reader_of(first).trailer


# --------------------------------------------------------------------------------------------------
# 4. Several personalised leaflets: the band on each, its fonts once


@cache
def several_leaflets_packet(order: Path) -> bytes:
    """A personalised packet: a one-page order, the sample monograph twice and a text monograph."""
    return attach_leaflets(order, [SAMPLE, SAMPLE, GOOD_TXT], patient=details(), leaflet_builder=cached_builder)


def test_every_leaflet_of_a_packet_carries_the_band(simple: Path) -> None:
    """This test ensures that in a personalised packet of three leaflets (the sample monograph twice and a
    text monograph), the first page of each leaflet shows the band's details inside its reserved box, drawn
    as a /LeafletBand form after the leaflet's own content, which is wrapped in q ... Q (balanced); the
    tagged leaflet's band is drawn in its own marked content (its P element)."""
    packet = several_leaflets_packet(simple)
    reader = reader_of(packet)
    items = outline(reader)
    assert [item.title for item in items] == ["Order", "Baclofen", "Baclofen", "Testotext"]
    for item in items[1:]:
        assert item.page is not None
        text = reserved_text(packet, item.page, 1).replace(" ", "")
        for value in ("Zoë Ångström", "Rx RX-40721", "High Street Pharmacy", PATIENT["directions"]):
            assert value.replace(" ", "") in text, (item.title, value)
        page = reader.pages[item.page]
        assert "/LeafletBand" in as_dict(as_dict(page["/Resources"])["/XObject"])
        operations = ContentStream(page["/Contents"], reader).operations
        operators = [operator for _, operator in operations]
        assert operators[0] == b"q" and operators[-6:] == [b"Q", b"q", b"BDC", b"Do", b"EMC", b"Q"]
        assert operations[-3][0] == [NameObject("/LeafletBand")]
        depth = 0
        for operator in operators:
            depth += {b"q": 1, b"Q": -1}.get(operator, 0)
            assert depth >= 0
        assert depth == 0
    pikepdf_check(packet)


def test_band_fonts_are_embedded_once_per_packet(simple: Path) -> None:
    """This test ensures that the band's font subsets are written once in a packet of three personalised
    leaflets: as many band font programs as faces the band uses (regular and bold), not faces x leaflets,
    every band form using the same font objects; and that every font the leaflet pages draw with is an
    embedded TrueType Noto Sans subset, none of them Helvetica."""
    reader = reader_of(several_leaflets_packet(simple))
    leaflet_pages = reader.pages[1:]
    band_fonts: list[set[int | None]] = []
    programs: set[int] = set()
    faces: set[str] = set()
    for page in leaflet_pages:
        uses = fonts_used(page)
        for use in uses:
            assert "Helvetica" not in use.base_font
            assert "+NotoSans" in use.base_font and font_program(use.font) is not None, use.base_font
        band = [use for use in uses if use.xobject == "/LeafletBand"]
        assert band
        band_fonts.append({use.number for use in band})
        for use in band:
            programs.add(ref(as_dict(use.font["/FontDescriptor"]).raw_get("/FontFile2")).idnum)
            faces.add(use.base_font.split("+", 1)[1])
    assert (
        len(band_fonts)
        == len(leaflet_pages)
        == 2 * pages_of(SAMPLE, LETTER_PERSONAL) + pages_of(GOOD_TXT, LETTER_PERSONAL)
    )
    assert all(numbers == band_fonts[0] for numbers in band_fonts)
    assert faces == {"NotoSans-Regular", "NotoSans-Bold"}
    assert len(programs) == len(faces)


def test_different_font_subsets_have_different_names(simple: Path) -> None:
    """This test ensures that in a packet of two different leaflets, no two different embedded font programs
    share one /BaseFont name (ISO 32000-1, 9.6.4: different subsets in one file have different tags), so a
    viewer or printer that caches fonts by name cannot draw one leaflet with the other's glyphs."""
    reader = reader_of(attach_leaflets(simple, [SAMPLE, GOOD_YAML], leaflet_builder=cached_builder))
    programs: dict[str, set[bytes]] = {}
    for page in reader.pages[1:]:
        for use in fonts_used(page):
            program = font_program(use.font)
            assert program is not None
            programs.setdefault(use.base_font, set()).add(program.get_data())
    assert {name: len(found) for name, found in programs.items()} == dict.fromkeys(programs, 1)


# --------------------------------------------------------------------------------------------------
# 5. More than 255 glyphs of one face in the band


def test_band_with_more_than_255_glyphs_of_one_face(simple: Path) -> None:
    """This test ensures that a band whose regular face needs more than 255 glyphs (directions and pharmacy in
    Latin Extended-A, Greek and Cyrillic letters, 241 of them, beside ASCII) is drawn from two subsets of that
    face, each of at most 255 codes, that the packet passes qpdf's check, and that every one of those letters
    comes out of the band's box as text, uncut."""
    directions, pharmacy = words(LATIN + CYRILLIC, 9), words(GREEK, 10)
    assert len(directions) <= 500 and len(pharmacy) <= 500
    warnings: list[Diagnostic] = []
    packet = attach_leaflets(
        simple,
        [GOOD_TXT],
        patient=details(directions=directions, pharmacy=pharmacy),
        on_warning=warnings.append,
        leaflet_builder=cached_builder,
    )
    assert warnings == []
    pikepdf_check(packet)
    band = [use for use in fonts_used(reader_of(packet).pages[1]) if use.xobject == "/LeafletBand"]
    assert len({use.base_font for use in band if use.base_font.endswith("+NotoSans-Regular")}) == 2
    assert all(0 < len(as_list(use.font["/Widths"])) <= 256 for use in band)
    assert all(int(str(use.font["/LastChar"])) <= 255 for use in band)
    text = reserved_text(packet, 1, 1)
    for script in (LATIN, GREEK, CYRILLIC):
        assert set(script) <= set(text), sorted(set(script) - set(text))
    for spot in ("ĀāŽž", "ΑΩαως", "АЯая", "ŉſĳ"):
        assert all(char in text for char in spot), spot


# --------------------------------------------------------------------------------------------------
# 6. The writer's building blocks


def test_fragment_render_numbers_from_base_and_fills_slots() -> None:
    """This test ensures that Fragment.render numbers object i as base + i in references given as indices,
    puts the slots' references where they are named, and leaves literal bytes as they are."""
    fragment = Fragment(
        (
            (b"<</Type /Page /Parent ", "pages", b" /Contents ", 1, b">>"),
            (b"<</Length 0>>stream\n\nendstream",),
            (b"[", 0, b" ", 2, b" ", "page0", b"]"),
        )
    )
    assert len(fragment) == 3
    slots = {"pages": b"2 0 R", "page0": b"9 0 R", "unused": b"1 0 R"}
    assert fragment.render(40, slots) == [
        b"<</Type /Page /Parent 2 0 R /Contents 41 0 R>>",
        b"<</Length 0>>stream\n\nendstream",
        b"[40 0 R 42 0 R 9 0 R]",
    ]
    assert fragment.render(1, slots)[2] == b"[1 0 R 3 0 R 9 0 R]"
    with pytest.raises(KeyError):
        fragment.render(1, {"pages": b"2 0 R"})


def read_string(written: bytes) -> str:
    """A PDF string as pypdf reads it."""
    value = read_object(io.BytesIO(written), None)
    assert isinstance(value, TextStringObject | ByteStringObject), value
    return str(value)


def one_part_packet(title: str) -> bytes:
    """A packet of a one-page order under an outline item titled ``title``."""
    document = copy_document(PdfReader(io.BytesIO(order_pdf(1, link=False))))
    return assemble_packet([DocumentPart(document, title=title)])


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("Testofen", b"(Testofen)"),
        ("a (b) c", b"(a \\(b\\) c)"),
        ("back\\slash (", b"(back\\\\slash \\()"),
        (")\\(", b"(\\)\\\\\\()"),
        ("", b"()"),
    ],
)
def test_pdf_text_escapes_ascii(text: str, written: bytes) -> None:
    """This test ensures that pdf_text writes printable ASCII as a literal string with parentheses and
    backslashes escaped, which pypdf reads back as the same text, alone and as a packet's outline title."""
    assert pdf_text(text) == written
    assert read_string(written) == text
    packet = one_part_packet(text)
    pikepdf_check(packet)
    assert [item.title for item in outline(reader_of(packet))] == [text]


@pytest.mark.parametrize(
    "text", ["Zoë Ångström", "Σοφία (Παπαδοπούλου)", "Ибупрофен \\ 200 мг", "tab\there", "emoji \U0001f600", "a\u2026"]
)
def test_pdf_text_round_trips_other_text(text: str) -> None:
    """This test ensures that pdf_text writes text that is not printable ASCII as UTF-16BE with a byte order
    mark, which pypdf reads back as the same text, alone and as a packet's outline title."""
    written = pdf_text(text)
    assert written.startswith(b"<feff") and written.endswith(b">")
    assert read_string(written) == text
    assert [item.title for item in outline(reader_of(one_part_packet(text)))] == [text]


def dangling_order() -> PdfReader:
    """A one-page order whose page has /Annots [99 0 R (no such object) 5] and /PieceInfo -> a null object."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(order_pdf(1, link=False))))
    page = writer.pages[0]
    page[NameObject("/Annots")] = ArrayObject([IndirectObject(99, 0, writer), NumberObject(5)])
    page[NameObject("/PieceInfo")] = writer._add_object(NullObject())
    stream = io.BytesIO()
    writer.write(stream)
    return PdfReader(io.BytesIO(stream.getvalue()))


def test_copier_writes_a_dangling_reference_as_null() -> None:
    """This test ensures that the Copier writes a reference to an object the file does not have, or to a null
    object, as null (as readers treat it), copying nothing for it."""
    reader = dangling_order()
    copier = Copier({})
    page = reader.pages[0]
    index = copier.add(ref(page.indirect_reference), skip=("/Parent",))
    bodies = copier.fragment().render(1, {})
    assert b"/Annots [null 5 ]" in bodies[index]
    assert b"/PieceInfo null" in bodies[index]
    assert len(bodies) == 3  # the page, its content stream and its font: nothing for the dangling references
    assert Copier().serialize(ArrayObject([IndirectObject(99, 0, reader), NumberObject(1)])) == (b"[null 1 ]",)


def nested(levels: int, container: str) -> PdfObject:
    """A number inside ``levels`` arrays or dictionaries."""
    value: PdfObject = NumberObject(1)
    for _ in range(levels):
        value = ArrayObject([value]) if container == "array" else DictionaryObject({NameObject("/K"): value})
    return value


@pytest.mark.parametrize("container", ["array", "dictionary"])
def test_copier_refuses_nesting_beyond_max_depth(container: str) -> None:
    """This test ensures that the Copier writes an object nested MAX_DEPTH arrays or dictionaries deep (the
    number inside intact) and raises ValueError for one nested deeper, at the top of an object or inside a
    dictionary."""
    written = b"".join(part for part in Copier().serialize(nested(MAX_DEPTH, container)) if isinstance(part, bytes))
    # serialize writes a dictionary's entries: the outermost << >> are its caller's
    opened = written.count(b"[") if container == "array" else written.count(b"<<") + 1
    assert opened == MAX_DEPTH and written.replace(b" ", b"").strip(b"[]<>/K") == b"1"
    with pytest.raises(ValueError, match="nested too deeply"):
        Copier().serialize(nested(MAX_DEPTH + 1, container))
    with pytest.raises(ValueError, match="nested too deeply"):
        Copier().serialize(DictionaryObject({NameObject("/Deep"): nested(MAX_DEPTH, container)}))
    with pytest.raises(ValueError, match="nested too deeply"):
        Copier().serialize(nested(3 * MAX_DEPTH, container))


def test_copied_streams_keep_their_stored_bytes() -> None:
    """This test ensures that streams copied from an order keep their bytes and filter as stored (a Flate
    stream is not decoded, a plain one not encoded) with a /Length that matches, so their content is the
    order's."""
    plain_content = b"BT /F1 12 Tf 72 500 Td (Order 7 line 2) Tj ET"
    compressed = zlib.compress(b"BT /F1 12 Tf 72 500 Td (Order 7 line 1) Tj ET")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(order_pdf(2, link=False))))
    stream = DecodedStreamObject()
    stream.set_data(compressed)  # the bytes as stored, the filter beside them
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    writer.pages[0][NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    document = copy_document(PdfReader(io.BytesIO(buffer.getvalue())))
    packet = assemble_packet([DocumentPart(document, title="Order")])
    pikepdf_check(packet)
    flate = rb"/Filter /FlateDecode\s+/Length %d\s*>>\nstream\n%s\nendstream" % (len(compressed), re.escape(compressed))
    assert re.search(flate, packet)
    assert re.search(
        rb"<<\s*/Length %d\s*>>\nstream\n%s\nendstream" % (len(plain_content), re.escape(plain_content)), packet
    )
    assert [facts.text for facts in page_facts(packet)] == [TEXTS[0], TEXTS[1]]
