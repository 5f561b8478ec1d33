"""Order PDFs as other systems make them, built with pypdf (not reportlab), and facts read back.

Each order page carries a line of text ("Order 7 line 1"), and optionally a /Link annotation,
a /Rotate, a landscape MediaBox; orders can be encrypted, saved with object streams, or damaged.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pypdf import PdfReader, PdfWriter
from pypdf.constants import UserAccessPermissions as Access
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from leaflet.style import PAPER_SIZES

LETTER = PAPER_SIZES["letter"]
A4 = PAPER_SIZES["a4"]
SAMPLE_PASSWORD = "s3cret-Order-pw"


@dataclass(frozen=True)
class PageFacts:
    """What must survive attaching: size, rotation, annotations and text."""

    mediabox: tuple[float, float, float, float]
    rotate: int
    annotations: int
    text: str


def order_pdf(
    pages: int = 2,
    *,
    size: tuple[float, float] = LETTER,
    rotate: int = 0,
    link: bool = True,
) -> bytes:
    """An order of ``pages`` pages of ``size`` points, each with a text line and (``link``) a /Link."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for number in range(1, pages + 1):
        page = writer.add_blank_page(*size)
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 12 Tf 72 500 Td (Order 7 line {number}) Tj ET".encode("ascii"))
        page[NameObject("/Contents")] = writer._add_object(content)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        if rotate:
            page[NameObject("/Rotate")] = NumberObject(rotate)
        if link:
            writer.add_annotation(page, _link_annotation())
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def _link_annotation() -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (72, 480, 300, 515)]),
            NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/URI"),
                    NameObject("/URI"): TextStringObject("https://pharmacy.example/orders/7"),
                }
            ),
        }
    )


def encrypted(data: bytes, *, user: str, owner: str, algorithm: str = "AES-128", allow_print: bool = True) -> bytes:
    """``data`` encrypted with pypdf: ``user`` opens it; without ``allow_print``, printing and
    modification are forbidden."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    flags = Access.all() if allow_print else Access.all() & ~(Access.PRINT | Access.MODIFY)
    writer.encrypt(user_password=user, owner_password=owner, permissions_flag=flags, algorithm=algorithm)
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def with_object_streams(data: bytes) -> bytes:
    """``data`` saved by qpdf (pikepdf) with its objects packed in object streams."""
    stream = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(stream, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return stream.getvalue()


def with_broken_xref(data: bytes) -> bytes:
    """``data`` with every offset in its cross-reference table off by 7 bytes."""
    start = data.rindex(b"\nxref") + 1
    table = re.sub(rb"(\d{10}) 00000 n", lambda m: b"%010d 00000 n" % (int(m.group(1)) + 7), data[start:])
    return data[:start] + table


def page_facts(pdf: bytes | Path, password: str = "") -> list[PageFacts]:
    """Facts of every page of ``pdf``, read with pypdf."""
    reader = PdfReader(pdf if isinstance(pdf, Path) else io.BytesIO(pdf))
    if reader.is_encrypted:
        reader.decrypt(password)
    return [
        PageFacts(
            mediabox=tuple(float(v) for v in page.mediabox),  # type: ignore[arg-type]
            rotate=page.rotation,
            annotations=len(page.get("/Annots") or []),
            text=page.extract_text(),
        )
        for page in reader.pages
    ]


def check_with_qpdf(path: Path) -> None:
    """``qpdf --check`` through pikepdf: raises on any structural problem."""
    with pikepdf.open(path) as pdf:
        problems = pdf.check_pdf_syntax() if hasattr(pdf, "check_pdf_syntax") else pdf.check()
        assert not problems, problems


def write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` and return ``path``."""
    path.write_bytes(data)
    return path


def raw_pdf(objects: dict[int, bytes]) -> bytes:
    """A PDF of ``objects`` (number -> body) written as they are, with a classic cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number, body in sorted(objects.items()):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    size = max(objects) + 1
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (size, start)
    return bytes(out)


def hostile_order(
    page_entries: bytes = b"", *, mediabox: bytes = b"[0 0 612 792]", extra: dict[int, bytes] | None = None
) -> bytes:
    """A 1-page order (a line of Helvetica) whose page dictionary also holds ``page_entries``, with the
    ``mediabox`` given and ``extra`` objects."""
    content = b"BT /F1 12 Tf 72 700 Td (Order 7 line 1) Tj ET"
    page = b"<</Type /Page /Parent 2 0 R /MediaBox %s /Contents 4 0 R /Resources <</Font <</F1 5 0 R>>>>%s>>"
    return raw_pdf(
        {
            1: b"<</Type /Catalog /Pages 2 0 R>>",
            2: b"<</Type /Pages /Kids [3 0 R] /Count 1>>",
            3: page % (mediabox, page_entries),
            4: b"<</Length %d>>\nstream\n%s\nendstream" % (len(content), content),
            5: b"<</Type /Font /Subtype /Type1 /BaseFont /Helvetica>>",
            **(extra or {}),
        }
    )
