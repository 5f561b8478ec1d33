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
