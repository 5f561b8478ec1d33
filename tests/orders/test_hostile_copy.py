"""Hostile and odd order PDFs against the packet writer's copy path (leaflet/pdf): what it copies,
what it refuses, and how much it writes.

The orders are raw PDF bytes written here object by object (:func:`_pdf`, and :func:`_packed_pdf` for
object streams and a cross-reference stream), so that each test holds exactly the structure it is about.
Each order page draws one line of text, "Order 7 line 1", in a font named /F1 unless a test says
otherwise. Tests marked ``xfail`` are bugs found in review: they assert what the packet should be.
"""

from __future__ import annotations

import io
import re
import struct
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import pikepdf
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject

from leaflet.errors import Diagnostic, OrderPdfError
from leaflet.options import BuildOptions
from leaflet.orders import attach as orders
from leaflet.pdf import reading as pdf_input
from tests.cli.helpers import GOOD_YAML, assert_user_error, run_cli, temp_files
from tests.orders.support import check_with_qpdf, write

SECRET = b"Quillonbury Xyzzafrass"
"""A patient's name inside hostile orders: never in a message."""
TEXT = b"Order 7 line 1"
FONT = b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>"
SECONDS = 5.0
"""Longest a small hostile order may take to attach or refuse (the limit is 30 s a phase)."""


# --- orders as raw bytes ----------------------------------------------------------------------------


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<<%s /Length %d>>\nstream\n%s\nendstream" % (dictionary, len(data), data)


def _content(font: bytes = b"/F1", text: bytes = TEXT) -> bytes:
    return _stream(b"", b"BT %s 12 Tf 72 500 Td (%s) Tj ET" % (font, text))


def _objects(
    page: bytes = b"",
    *,
    contents: bytes = b"4 0 R",
    kids: bytes = b"[3 0 R]",
    count: int = 1,
    catalog: bytes = b"",
    font_name: bytes = b"/F1",
    extra: dict[int, bytes] | None = None,
) -> dict[int, bytes]:
    """A one-page order: catalog 1, page tree 2, page 3 (plus ``page`` entries), content 4, font 5."""
    return {
        1: b"<</Type /Catalog /Pages 2 0 R%s>>" % catalog,
        2: b"<</Type /Pages /Kids %s /Count %d>>" % (kids, count),
        3: b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %s /Resources <</Font <<%s 5 0 R>>>>%s>>"
        % (contents, font_name, page),
        4: _content(font_name),
        5: FONT,
        **(extra or {}),
    }


def _inheriting(page: bytes = b"", pages: bytes = b"") -> dict[int, bytes]:
    """A one-page order whose page inherits /Resources, /MediaBox 500 x 700 and /Rotate 90 from its tree."""
    return {
        1: b"<</Type /Catalog /Pages 2 0 R>>",
        2: b"<</Type /Pages /Kids [3 0 R] /Count 1 /Resources <</Font <</F1 5 0 R>>>>"
        b" /MediaBox [0 0 500 700] /Rotate 90%s>>" % pages,
        3: b"<</Type /Page /Parent 2 0 R /Contents 4 0 R%s>>" % page,
        4: _content(),
        5: FONT,
    }


def _pdf(objects: dict[int, bytes], *, root: int = 1, generations: dict[int, int] | None = None) -> bytes:
    """``objects`` (number: body) in a PDF with a classic cross-reference table."""
    generations = generations or {}
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d %d obj\n%s\nendobj\n" % (number, generations.get(number, 0), objects[number])
    size = max(objects) + 1
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        if number in offsets:
            out += b"%010d %05d n \n" % (offsets[number], generations.get(number, 0))
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n<</Size %d /Root %d 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (size, root, start)
    return bytes(out)


def _packed_pdf(direct: dict[int, bytes], packed: dict[int, bytes]) -> bytes:
    """``direct`` objects as they are and ``packed`` ones in one compressed object stream (numbered next),
    indexed by a cross-reference stream (numbered after it), catalog 1."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    rows: dict[int, tuple[int, int, int]] = {}
    for number in sorted(direct):
        rows[number] = (1, len(out), 0)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, direct[number])
    container = max([*direct, *packed]) + 1
    header, body = [], bytearray()
    for index, number in enumerate(sorted(packed)):
        header.append(b"%d %d" % (number, len(body)))
        body += packed[number] + b"\n"
        rows[number] = (2, container, index)
    head = b" ".join(header) + b"\n"
    rows[container] = (1, len(out), 0)
    dictionary = b"/Type /ObjStm /N %d /First %d /Filter /FlateDecode" % (len(packed), len(head))
    out += b"%d 0 obj\n%s\nendobj\n" % (container, _stream(dictionary, zlib.compress(head + body, 9)))
    xref = container + 1
    rows[xref] = (1, len(out), 0)
    table = b"".join(struct.pack(">BIH", *rows.get(n, (0, 0, 65535 if n == 0 else 0))) for n in range(xref + 1))
    dictionary = b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode" % (xref + 1)
    out += b"%d 0 obj\n%s\nendobj\n" % (xref, _stream(dictionary, zlib.compress(table)))
    out += b"startxref\n%d\n%%%%EOF\n" % rows[xref][1]
    return bytes(out)


# --- attaching ----------------------------------------------------------------------------------------

_templates: dict[tuple[str, BuildOptions], orders.LeafletTemplate] = {}


def _cached_builder(path: Path, options: BuildOptions, on_warning: pdf_input.WarningSink) -> orders.LeafletTemplate:
    key = (str(path), options)
    if key not in _templates:
        _templates[key] = orders.build_monograph_template(path, options, on_warning)
    return _templates[key]


def _attach(tmp_path: Path, order: bytes, **options: Any) -> tuple[Path, Path]:
    """Attach the leaflet to ``order`` (written to ``order.pdf``) through the API within :data:`SECONDS`;
    returns the order's path and the packet's. Raises :class:`OrderPdfError` when it is refused."""
    path = write(tmp_path / "order.pdf", order)
    warnings: list[Diagnostic] = []
    started = time.monotonic()
    packet = orders.attach_leaflets(
        path, [GOOD_YAML], leaflet_builder=_cached_builder, on_warning=warnings.append, **options
    )
    assert time.monotonic() - started < SECONDS
    assert all(SECRET.decode() not in str(warning) for warning in warnings)
    return path, write(tmp_path / "packet.pdf", packet)


def _attach_or_refuse(tmp_path: Path, order: bytes) -> Path | None:
    """The packet, or None when the order is refused with an error naming it and no pypdf text."""
    try:
        return _attach(tmp_path, order)[1]
    except OrderPdfError as exc:
        assert exc.diagnostics[0].path.endswith("order.pdf")
        assert SECRET.decode() not in str(exc)
        return None


def _facts(path: Path) -> list[tuple[list[float], int, int, str]]:
    """Of every page: MediaBox and rotation (inherited ones resolved) and text as pypdf reads them, and the
    number of items in /Annots as qpdf reads it (pypdf's page_facts cannot count an /Annots that holds itself)."""
    with pikepdf.open(path) as pdf:
        annotations = [len(page.obj.get("/Annots", [])) for page in pdf.pages]
    pages = PdfReader(path).pages
    return [
        ([float(v) for v in page.mediabox], page.rotation, count, page.extract_text())
        for page, count in zip(pages, annotations, strict=True)
    ]


def _order_pages_intact(order: Path, packet: Path) -> None:
    """The packet starts with the order's pages: size, rotation, annotations and text."""
    before = _facts(order)
    assert _facts(packet)[: len(before)] == before
    assert all(TEXT.decode() in text for *_, text in before)


def _leaflet_pages() -> int:
    template = next(iter(_templates.values()))
    return len(template.pages)


def _qpdf_page_count(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


# --- cases that are handled -------------------------------------------------------------------------

CYCLES = {
    "annotation /P and /Parent loop": _objects(
        b" /Annots [6 0 R]",
        extra={
            6: b"<</Type /Annot /Subtype /Text /Rect [72 600 100 630] /Contents (note) /P 3 0 R /Parent 7 0 R>>",
            7: b"<</Parent 6 0 R /Popup 6 0 R>>",
        },
    ),
    "dictionary referencing itself": _objects(b" /Foo 6 0 R", extra={6: b"<</Self 6 0 R /Both [6 0 R 6 0 R]>>"}),
    "/Annots array holding itself and the page": _objects(b" /Annots 6 0 R", extra={6: b"[6 0 R 3 0 R]"}),
}


@pytest.mark.parametrize("case", CYCLES)
def test_reference_cycles_are_copied_once(tmp_path: Path, case: str) -> None:
    """This test ensures that reference cycles (an annotation whose /P and /Parent loop, a dictionary that
    references itself, an /Annots array holding itself) are copied as they are, each object once, quickly,
    into a packet that passes qpdf's check with the page intact."""
    order, packet = _attach(tmp_path, _pdf(CYCLES[case]))
    _order_pages_intact(order, packet)
    check_with_qpdf(packet)


def test_page_referencing_catalog_and_page_tree(tmp_path: Path) -> None:
    """This test ensures that a page whose /Annots and other keys reference the order's catalog and page
    tree root gets the packet's own catalog and page tree there: neither is copied, no page is added."""
    order, packet = _attach(tmp_path, _pdf(_objects(b" /Annots [1 0 R 2 0 R] /Tree 2 0 R")))
    _order_pages_intact(order, packet)
    check_with_qpdf(packet)
    reader = PdfReader(packet)
    assert len(reader.pages) == 1 + _leaflet_pages()
    page, catalog = reader.pages[0], reader.trailer["/Root"]
    assert isinstance(catalog, DictionaryObject)
    annots = page["/Annots"]
    assert isinstance(annots, ArrayObject)
    catalog_ref, pages_ref = reader.trailer.raw_get("/Root"), catalog.raw_get("/Pages")
    assert [(ref.idnum, ref.generation) for ref in annots] == [(catalog_ref.idnum, 0), (pages_ref.idnum, 0)]
    assert page.raw_get("/Tree").idnum == pages_ref.idnum


UNUSABLE = {
    "page tree cycle": _pdf(_objects(kids=b"[3 0 R 2 0 R]", count=2)),
    "no catalog at all": _pdf({**_objects(), 1: b"<</Pages 2 0 R>>", 6: b"[1 2 3]"}, root=6),
    "/Pages is a string": _pdf({**_objects(), 1: b"<</Type /Catalog /Pages 6 0 R>>", 6: b"(str)"}),
    "object that is a reference to itself": _pdf(_objects(b" /Foo 6 0 R", extra={6: b"6 0 R"})),
    "page given directly in /Kids": _pdf(_objects(kids=b"[<</Type /Page /MediaBox [0 0 612 792] /Contents 4 0 R>>]")),
    "array of a million elements": _packed_pdf(_objects(b" /Foo 6 0 R"), {6: b"[" + b"0 " * 1_000_000 + b"]"}),
}


@pytest.mark.parametrize("case", UNUSABLE)
def test_unusable_structures_are_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str) -> None:
    """This test ensures that an order pypdf cannot give pages of (a page tree cycle, no catalog, a /Pages
    that is a string, an object that is a reference to itself, a direct page in /Kids, an array over
    pypdf's element limit) is exit 2 within seconds, with one error naming the file and only an exception
    type, no traceback, nothing of the order quoted, and no packet or temporary file left."""
    order = write(tmp_path / "order.pdf", UNUSABLE[case].replace(b"/Type /Page ", b"/Type /Page /Who (%s) " % SECRET))
    packet = tmp_path / "packet.pdf"
    started = time.monotonic()
    result = run_cli(capsys, "attach", order, GOOD_YAML, "-o", packet)
    assert time.monotonic() - started < SECONDS
    error = assert_user_error(result, mentions="order.pdf")
    assert re.search(r"\([A-Za-z]+\)$", error["message"]), result.err
    assert SECRET.decode() not in result.err
    assert not packet.exists() and not temp_files(tmp_path)


def test_attributes_inherited_through_an_intermediate_node(tmp_path: Path) -> None:
    """This test ensures that a page inheriting /Resources, /MediaBox and /Rotate from the root and /CropBox
    from an intermediate /Pages node keeps all of them in the packet, where its parent is the packet's tree."""
    objects = _inheriting() | {
        2: b"<</Type /Pages /Kids [6 0 R] /Count 1 /Resources <</Font <</F1 5 0 R>>>> /MediaBox [0 0 500 700]"
        b" /Rotate 90>>",
        6: b"<</Type /Pages /Parent 2 0 R /Kids [3 0 R] /Count 1 /CropBox [10 10 490 690]>>",
        3: b"<</Type /Page /Parent 6 0 R /Contents 4 0 R>>",
    }
    order, packet = _attach(tmp_path, _pdf(objects))
    _order_pages_intact(order, packet)
    check_with_qpdf(packet)
    page = PdfReader(packet).pages[0]
    assert [float(v) for v in page.cropbox] == [10, 10, 490, 690] and page.rotation == 90


@pytest.mark.parametrize(
    ("length", "extra"), [(b"3", {}), (b"9999", {}), (b"6 0 R", {6: b"46"}), (b"6 0 R", {6: b"7"})]
)
def test_wrong_or_indirect_stream_length(tmp_path: Path, length: bytes, extra: dict[int, bytes]) -> None:
    """This test ensures that a content stream whose /Length is too short, too long, indirect, or indirect
    and wrong is copied with its whole data and a correct /Length: the page's text is intact."""
    objects = _objects(extra=extra)
    objects[4] = b"<</Length %s>>\nstream\nBT /F1 12 Tf 72 500 Td (%s) Tj ET\nendstream" % (length, TEXT)
    order, packet = _attach(tmp_path, _pdf(objects))
    assert _facts(packet)[0][3] == TEXT.decode()
    _order_pages_intact(order, packet)
    check_with_qpdf(packet)


def test_generation_numbers_and_duplicate_object_numbers(tmp_path: Path) -> None:
    """This test ensures that objects with generation numbers other than 0 (the page 3, its content 7), and
    an object number defined twice in the file, are copied with the page intact and renumbered cleanly."""
    objects = _objects(contents=b"4 7 R", kids=b"[3 3 R]")
    order, packet = _attach(tmp_path, _pdf(objects, generations={3: 3, 4: 7}))
    _order_pages_intact(order, packet)
    check_with_qpdf(packet)
    twice = _pdf(_objects())
    twice = twice.replace(b"4 0 obj\n", b"4 0 obj\n%s\nendobj\n4 0 obj\n" % _content(text=TEXT + b" decoy"), 1)
    order, packet = _attach(tmp_path, twice)
    _order_pages_intact(order, packet)
    check_with_qpdf(packet)


ODD_STRINGS = [b"<00ff80fe41>", b"<feff00e9>", b"<feff00e900>", b"<feff>", b"<fffee900>", b"(\x80\x81\x9f\xa0\xad)"]


@pytest.mark.parametrize("string", ODD_STRINGS)
def test_odd_strings_are_copied_byte_for_byte(tmp_path: Path, string: bytes) -> None:
    """This test ensures that an annotation's /Contents with odd bytes (binary, UTF-16 with an odd length or
    only a byte order mark, UTF-16LE, PDFDocEncoding's upper half) reaches the packet with the same bytes."""
    annotation = b"<</Type /Annot /Subtype /Text /Rect [72 600 100 630] /Contents %s>>" % string
    order, packet = _attach(tmp_path, _pdf(_objects(b" /Annots [6 0 R]", extra={6: annotation})))
    with pikepdf.open(order) as before, pikepdf.open(packet) as after:
        assert bytes(after.pages[0].Annots[0].Contents) == bytes(before.pages[0].Annots[0].Contents)
    check_with_qpdf(packet)


def _differences(a: Any, b: Any, path: str, seen: set[tuple[Any, Any]]) -> Iterator[str]:
    """Where pikepdf objects ``a`` and ``b`` differ (streams by decoded data, /Parent and /Length aside)."""
    if isinstance(a, pikepdf.Object) and isinstance(b, pikepdf.Object) and a.is_indirect and b.is_indirect:
        if (a.objgen, b.objgen) in seen:
            return
        seen.add((a.objgen, b.objgen))
    if isinstance(a, pikepdf.Stream):
        if not isinstance(b, pikepdf.Stream) or a.read_bytes() != b.read_bytes():
            yield f"{path}: stream data"
            return
        a, b = a.stream_dict, b.stream_dict
    if isinstance(a, pikepdf.Dictionary | pikepdf.Array):
        children_a, children_b = _children(a), _children(b)
        if type(a) is not type(b) or children_a.keys() != children_b.keys():
            yield f"{path}: entries"
            return
        for key, child in children_a.items():
            yield from _differences(child, children_b[key], path + key, seen)
    elif isinstance(a, pikepdf.String) and (not isinstance(b, pikepdf.String) or bytes(a) != bytes(b)):
        yield f"{path}: string"
    elif not isinstance(a, pikepdf.String) and a != b:
        yield f"{path}: {a!r} != {b!r}"


def _children(value: Any) -> dict[str, Any]:
    """The entries of a pikepdf dictionary (/Parent and /Length aside) or the items of an array, by name."""
    if isinstance(value, pikepdf.Dictionary):
        return {key: item for key, item in value.items() if key not in ("/Parent", "/Length")}
    if isinstance(value, pikepdf.Array):
        return {f"[{index}]": item for index, item in enumerate(value)}
    return {}


def _rich_order() -> bytes:
    """An order whose page has an annotation with PDFDocEncoding and UTF-16 strings, a link, a binary
    compressed stream and strings of its own."""
    annotation = b"<</Type /Annot /Subtype /Text /Rect [72 600 100 630] /Contents (Patient %s caf\xe9) /T <feff0416>>>"
    link = b"<</Type /Annot /Subtype /Link /Rect [72 480 300 515] /A <</S /URI /URI (https://pharmacy.example/o/7)>>>>"
    binary = _stream(b"/Filter /FlateDecode", zlib.compress(b"binary \x00\x01\x02 data" * 50))
    page = b" /Annots [6 0 R 7 0 R] /Blob 8 0 R /Raw <00ff10> /Doc (\xe9t\xe9) /Wide <feff00e9004b>"
    return _pdf(_objects(page, extra={6: annotation % SECRET, 7: link, 8: binary}))


def _encrypted(algorithm: str) -> bytes:
    if algorithm.startswith("qpdf"):  # object streams, encrypted by qpdf (R4 without encrypted metadata, R6)
        stream = io.BytesIO()
        with pikepdf.open(io.BytesIO(_rich_order())) as pdf:
            metadata = pdf.make_stream(b"<x:xmpmeta/>", Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
            pdf.pages[0].obj.Metadata = metadata
            revision: Literal[4, 6] = 4 if algorithm == "qpdf-R4" else 6
            encryption = pikepdf.Encryption(owner="own", user="", R=revision, aes=True, metadata=revision == 6)
            pdf.save(stream, encryption=encryption, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return stream.getvalue()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_rich_order())))
    writer.encrypt(user_password="", owner_password="own", algorithm=algorithm)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


@pytest.mark.parametrize("algorithm", ["RC4-40", "RC4-128", "AES-128", "AES-256", "qpdf-R4", "qpdf-R6"])
def test_encrypted_order_is_copied_decrypted(tmp_path: Path, algorithm: str) -> None:
    """This test ensures that an encrypted order (RC4 and AES by pypdf; AES with object streams by qpdf, one
    with unencrypted metadata) is written decrypted: every string and stream the page reaches (annotation
    /Contents, a binary stream, the text) reads the same in the packet as in the decrypted original."""
    order, packet = _attach(tmp_path, _encrypted(algorithm), allow_restricted=True)
    _order_pages_intact(order, packet)
    check_with_qpdf(packet)
    with pikepdf.open(order) as before, pikepdf.open(packet) as after:
        assert not after.is_encrypted
        assert list(_differences(before.pages[0].obj, after.pages[0].obj, "page", set())) == []
        assert f"Patient {SECRET.decode()} café" == str(after.pages[0].Annots[0].Contents)


def test_object_streams_and_xref_stream_referenced_from_a_page(tmp_path: Path) -> None:
    """This test ensures that an order stored in an object stream with a cross-reference stream is copied, even
    when its page references the object stream and the cross-reference stream themselves (copied as plain
    streams), and that the packet, with its classic cross-reference table, passes qpdf's check."""
    objects = _objects(b" /Container 6 0 R /Index 7 0 R")  # objects 1-5, then the object stream, the index
    order, packet = _attach(tmp_path, _packed_pdf({4: objects.pop(4)}, objects))
    _order_pages_intact(order, packet)
    check_with_qpdf(packet)


# --- bugs found in review -----------------------------------------------------------------------------


def test_direct_value_inherited_by_many_pages_is_not_copied_per_page(tmp_path: Path) -> None:
    """This test ensures that an order whose pages all inherit one large direct value (a string inside the
    page tree root's /Resources) cannot multiply it by its page count: the packet stays within a small
    multiple of the order's decompressed size, or the order is refused. The order here is 4.4 kB; written
    once per page, the string alone makes a 40 MB packet."""
    pages = 400
    junk = b"(" + b"a" * 50_000 + b")"
    root = b"<</Type /Pages /Kids [%s] /Count %d /Resources <</Font <</F1 5 0 R>> /Junk %s>>>>" % (
        b" ".join(b"%d 0 R" % (10 + i) for i in range(pages)),
        pages,
        junk,
    )
    page = b"<</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R>>"
    packed = {2: root, **{10 + i: page for i in range(pages)}}
    order = _packed_pdf({1: b"<</Type /Catalog /Pages 2 0 R>>", 4: _content(), 5: FONT}, packed)
    assert len(order) < 5_000
    packet = _attach_or_refuse(tmp_path, order)
    assert packet is None or packet.stat().st_size < 2_000_000


@pytest.mark.parametrize("name", [b"/F#E9", b"/F\xe9", b"/#B0#A1"], ids=["latin-1 escaped", "latin-1 raw", "gbk"])
def test_names_that_are_not_utf8_keep_their_bytes(tmp_path: Path, name: bytes) -> None:
    """This test ensures that a font resource named with bytes that are not UTF-8 (/F#E9 in Latin-1, /#B0#A1 in
    GBK) keeps its bytes in the packet, so that the page's content stream, copied byte for byte, still finds
    its font and the order's text still shows. (pypdf reads such a name as text, which other bytes also
    give: a key is written in each of them, issue 9.3, so the packet may have more names than the order.)"""
    order, packet = _attach(tmp_path, _pdf(_objects(font_name=name)))
    with pikepdf.open(order) as before, pikepdf.open(packet) as after:
        assert set(after.pages[0].Resources.Font.keys()) >= set(before.pages[0].Resources.Font.keys())
        assert len(after.pages[0].Resources.Font.keys()) <= 3
        assert after.pages[0].Contents.read_bytes() == before.pages[0].Contents.read_bytes()


@pytest.mark.parametrize("entry", [b" /Resources null", b" /Resources 99 0 R", b" /MediaBox null", b" /Rotate null"])
def test_null_or_missing_page_attribute_still_inherits(tmp_path: Path, entry: bytes) -> None:
    """This test ensures that a page whose /Resources, /MediaBox or /Rotate is null or a reference to a missing
    object (the same as absent, ISO 32000-1 7.3.9) carries the value it inherits from its page tree into the
    packet, where its parent is the packet's tree: font /F1, MediaBox 500 x 700, rotation 90."""
    _, packet = _attach(tmp_path, _pdf(_inheriting(entry)))
    check_with_qpdf(packet)
    page = PdfReader(packet).pages[0]
    resources, mediabox = page["/Resources"], page["/MediaBox"]
    assert isinstance(resources, DictionaryObject) and "/F1" in resources["/Font"]  # type: ignore[operator]
    assert isinstance(mediabox, ArrayObject) and [float(v) for v in mediabox] == [0, 0, 500, 700]
    assert page["/Rotate"] == 90


def test_large_real_keeps_the_page_readable_by_qpdf(tmp_path: Path) -> None:
    """This test ensures that a page entry holding a large real number (12345678901234567890.5, which qpdf
    reads in the order) is written as a real that qpdf reads too: the packet passes qpdf's check and qpdf
    finds every page of it, the order's included."""
    order, packet = _attach(tmp_path, _pdf(_objects(b" /Big 12345678901234567890.5")))
    check_with_qpdf(order)
    check_with_qpdf(packet)
    assert _qpdf_page_count(packet) == 1 + _leaflet_pages()


def test_integer_beyond_64_bits_is_not_written_as_it_is(tmp_path: Path) -> None:
    """This test ensures that a page entry holding an integer too large for a 64-bit reader
    (99999999999999999999) does not make the packet fail qpdf's check and lose the page there: it is written
    as something qpdf reads, or the order is refused."""
    packet = _attach_or_refuse(tmp_path, _pdf(_objects(b" /Huge 99999999999999999999")))
    if packet is not None:
        check_with_qpdf(packet)
        assert _qpdf_page_count(packet) == 1 + _leaflet_pages()


@pytest.mark.parametrize("contents", [b"[4 0 R 99 0 R]", b"[4 0 R null]", b"[4 0 R 5 0 R]", b"5 0 R"])
def test_contents_with_missing_or_non_stream_items(tmp_path: Path, contents: bytes) -> None:
    """This test ensures that a page whose /Contents holds a missing object, null or a dictionary (a damaged
    file) is written with its content streams only, so that the packet passes qpdf's check."""
    _, packet = _attach(tmp_path, _pdf(_objects(contents=contents)))
    check_with_qpdf(packet)
    if contents.startswith(b"["):
        assert _facts(packet)[0][3] == TEXT.decode()


def test_page_listed_twice_in_kids(tmp_path: Path) -> None:
    """This test ensures that an order whose page tree lists one page twice gets two pages in the packet that
    are distinct objects, so that the packet passes qpdf's check, both with the order's text."""
    order, packet = _attach(tmp_path, _pdf(_objects(kids=b"[3 0 R 3 0 R]", count=2)))
    _order_pages_intact(order, packet)
    check_with_qpdf(packet)


@pytest.mark.parametrize(
    ("old", "new"), [(b"/Type /Page ", b""), (b"/Resources <</Font <</F1 5 0 R>>>>", b"/Resources 5")]
)
def test_damaged_page_dictionary_is_written_valid(tmp_path: Path, old: bytes, new: bytes) -> None:
    """This test ensures that a page dictionary without /Type, or whose /Resources is not a dictionary, is
    written valid (/Type /Page; /Resources a dictionary or left out), so that the packet passes qpdf's check."""
    objects = _objects()
    objects[3] = objects[3].replace(old, new)
    _, packet = _attach(tmp_path, _pdf(objects))
    check_with_qpdf(packet)


def test_outline_that_loops(tmp_path: Path) -> None:
    """This test ensures that an order whose outline item is its own /Next and /First gives a packet that passes
    qpdf's check (the loop cut, or the order's outline left out), with the order's page intact."""
    outline = {
        6: b"<</Type /Outlines /First 7 0 R /Last 7 0 R /Count 1>>",
        7: b"<</Title (A) /Parent 6 0 R /Next 7 0 R /First 7 0 R /Last 7 0 R /Count 1 /Dest [3 0 R /Fit]>>",
    }
    order, packet = _attach(tmp_path, _pdf(_objects(catalog=b" /Outlines 6 0 R", extra=outline)))
    _order_pages_intact(order, packet)
    check_with_qpdf(packet)


def test_name_with_a_nul_byte(tmp_path: Path) -> None:
    """This test ensures that an order using a name with a NUL byte (forbidden by ISO 32000-1 7.3.5) gives a
    packet that passes qpdf's check, or is refused naming the file."""
    packet = _attach_or_refuse(tmp_path, _pdf(_objects(font_name=b"/F#00x")))
    if packet is not None:
        check_with_qpdf(packet)
