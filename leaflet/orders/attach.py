"""Pharmacy orders: attach leaflets to an order PDF made by another system.

Consumes an order PDF and leaflets (monographs, built here to the order's paper, or leaflet PDFs
appended as they are); returns the PDF bytes of the packet: the order's pages untouched, then the
leaflets (or the leaflets first). pypdf reads the PDFs; :mod:`leaflet.pdf` copies their pages
and writes the packet.

Order PDFs come from other systems, so they are read as hostile input:

* bounded, as every PDF from elsewhere (:mod:`leaflet.pdf.reading`): size, pages, time and memory,
  with one clock for reading and copying the order and its leaflet PDFs, in any thread;
* encrypted orders open only with their password; an order restricted by an owner password is
  refused, naming the restrictions, unless the caller allows it, and the packet is then written
  without encryption, which the caller is told about (a warning: leaflet never silently drops
  protection);
* a truncated file is refused; a damaged cross-reference table is repaired by pypdf (``strict=False``)
  and its complaints become one warning about the file, in a fixed sentence: pypdf's own messages can
  quote bytes of the order, which is personal health information;
* any exception while reading or copying a PDF becomes :class:`OrderPdfError` naming
  the file and the exception's type only, never its text, for the same reason.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError
from pypdf.generic import DictionaryObject

from leaflet.build import build_leaflet, write_atomically
from leaflet.errors import Diagnostic, OptionsError, OutputError
from leaflet.loaders import IMPORTED_SUFFIXES, MONOGRAPH_SUFFIXES, load_for_build
from leaflet.options import BuildOptions, Paper
from leaflet.orders.languages import warn_if_other_language
from leaflet.pdf.bounded import Deadline
from leaflet.pdf.boxes import media_box
from leaflet.pdf.copier import MAX_COPY_BYTES, CopyTooLargeError
from leaflet.pdf.packet import DocumentPart, LeafletPart, assemble_packet
from leaflet.pdf.parts import CopiedDocument, LeafletTemplate, copy_document, leaflet_template
from leaflet.pdf.reading import (
    RepairLog,
    WarningSink,
    bounded,
    check_page_count,
    check_pdf_bytes,
    order_error,
    read_bounded,
    read_pdf,
)
from leaflet.personalise.patient import PatientDetails
from leaflet.style import PAPER_SIZES

if TYPE_CHECKING:
    from leaflet.personalise.band import Band

PaperChoice = Literal["auto", "a4", "letter"]
LeafletBuilder = Callable[[Path, BuildOptions, WarningSink], "LeafletTemplate"]
"""Builds the leaflet of a monograph: (path, options, warning sink) -> template for packets."""

# /P bits (1-based, ISO 32000-1 table 22) and what a cleared bit forbids. Bits 9-12 mean something
# only from security handler revision 3 on.
_PERMISSIONS = (
    (3, "printing not allowed", 2),
    (4, "modification not allowed", 2),
    (5, "copying text and graphics not allowed", 2),
    (6, "adding annotations not allowed", 2),
    (9, "filling forms not allowed", 3),
    (10, "extraction for accessibility not allowed", 3),
    (11, "assembling pages not allowed", 3),
    (12, "high-quality printing not allowed", 3),
)


def attach_leaflets(
    order: Path,
    leaflets: list[Path],
    *,
    before: bool = False,
    paper: PaperChoice = "auto",
    password: str | None = None,
    allow_restricted: bool = False,
    on_warning: WarningSink | None = None,
    patient: PatientDetails | None = None,
    order_label: str | None = None,
    order_ref: str | None = None,
    leaflet_builder: LeafletBuilder | None = None,
    languages: tuple[str, ...] = (),
    base: BuildOptions | None = None,
    order_data: bytes | None = None,
) -> bytes:
    """The packet: the pages of ``order`` untouched, followed (``before``: preceded) by the leaflets.

    Each of ``leaflets`` is a monograph (YAML, text, ePI, SPL), built on ``paper`` ("auto": the paper
    of the order's first page), or a leaflet ``.pdf`` appended as it is. ``password``
    opens an encrypted order; ``allow_restricted`` accepts an order whose owner restricts its use.
    With ``patient``, each leaflet is built personalised and the band is drawn over it (a leaflet
    PDF is refused: its layout reserved no room); problems about the details are reported against
    ``order_label`` (default: the order's path), never quoting them; the QR code carries the Rx number,
    else ``order_ref`` (default: the order file's stem). ``leaflet_builder`` (path,
    options, warning sink) -> :class:`LeafletTemplate` replaces building, e.g. with a cache for a batch.
    A leaflet in none of the patient's ``languages`` (BCP 47 tags, preferred first) is reported.
    ``base`` gives the leaflets' other options (the site configuration, columns, large print).
    ``order_data`` is the order's bytes when not in a file (a service's upload; the same bounds hold).
    Raises :class:`OrderPdfError` (naming the file) for an order or leaflet PDF that cannot be used.
    """
    order, sink = Path(order), on_warning or (lambda diagnostic: None)
    builder: LeafletBuilder = leaflet_builder or build_monograph_template
    if paper not in ("auto", *PAPER_SIZES):
        raise OptionsError(Diagnostic("--paper", f"unknown paper {paper!r}", hint="use auto, a4 or letter"))
    repairs, deadline = RepairLog(), Deadline()  # one clock for reading and copying (issue 10.6)
    order_reader = open_order(
        order,
        password=password,
        allow_restricted=allow_restricted,
        repairs=repairs,
        deadline=deadline,
        data=order_data,
    )
    with bounded(order):
        chosen: Paper = detect_paper(order_reader) if paper == "auto" else paper
    options = replace(base or BuildOptions(), paper=chosen, personalised=patient is not None)
    with deadline.paused():  # building leaflets is leaflet's own work, not the order's
        sources = [(Path(path), _leaflet_source(Path(path), options, sink, builder)) for path in leaflets]
    names = (order_label or str(order), order_ref or order.stem)
    parts = _leaflet_parts(
        sources, patient, options, sink, names=names, repairs=repairs, deadline=deadline, languages=languages
    )
    order_part = DocumentPart(_copy(order, order_reader, repairs), title="Order")
    packet = assemble_packet([*parts, order_part] if before else [order_part, *parts])
    _warn_if_encrypted(order, order_reader, sink)
    _warn_if_repaired(order, order_part.document, sink)
    repairs.report(sink)
    return packet


def _leaflet_parts(
    sources: list[tuple[Path, LeafletTemplate | bytes]],
    patient: PatientDetails | None,
    options: BuildOptions,
    sink: WarningSink,
    *,
    names: tuple[str, str],
    repairs: RepairLog,
    deadline: Deadline,
    languages: tuple[str, ...] = (),
) -> list[LeafletPart | DocumentPart]:
    """The packet's leaflets: built ones with the band of ``patient`` (reported against ``names``: the
    order's label and reference), leaflet PDFs copied as they are; a built leaflet in none of the patient's
    ``languages`` is reported."""
    parts: list[LeafletPart | DocumentPart] = []
    for path, source in sources:
        if isinstance(source, LeafletTemplate):
            warn_if_other_language(path, source.lang, languages, sink, names[0])
            band = None
            if patient is not None:
                label, reference = names
                band = _band(source, patient, options, on_warning=sink, label=label, reference=reference)
            parts.append(LeafletPart(source, band))
        else:
            copied = _copy(path, _open_leaflet(path, source, repairs, deadline), repairs)
            parts.append(DocumentPart(copied, title=copied.title or path.stem))
    return parts


def _warn_if_repaired(order: Path, document: CopiedDocument, on_warning: WarningSink) -> None:
    """Tell the caller which pages of the order had a MediaBox that could not be used (issue 10.5)."""
    if document.repaired_pages:
        pages = ", ".join(map(str, document.repaired_pages[:10])) + (
            ", ..." if len(document.repaired_pages) > 10 else ""
        )
        on_warning(
            Diagnostic(
                str(order),
                f"{'pages' if len(document.repaired_pages) > 1 else 'page'} {pages}: no usable MediaBox (page size); "
                "repaired from the page's other boxes or pages",
                hint="check the size of these pages in the packet",
            )
        )


def _warn_if_encrypted(order: Path, reader: PdfReader, on_warning: WarningSink) -> None:
    """Tell the caller that the packet of an encrypted order is written without its protection."""
    if reader.is_encrypted:
        on_warning(
            Diagnostic(
                str(order),
                "the order is encrypted; the packet is written without encryption or restrictions",
                hint="keep the packet private: it is created readable by you only",
            )
        )


def open_order(
    order: Path,
    *,
    password: str | None = None,
    allow_restricted: bool = False,
    repairs: RepairLog,
    deadline: Deadline | None = None,
    data: bytes | None = None,
) -> PdfReader:
    """Read the order PDF at ``order`` (or its bytes, ``data``) under ``deadline``, unlocked; refuse it if
    it is encrypted or restricted past use."""
    data = read_bounded(order) if data is None else check_pdf_bytes(order, data)
    with repairs.capture(order):
        reader = read_pdf(order, data, deadline)
        if reader.is_encrypted:
            _unlock(reader, order, password=password, allow_restricted=allow_restricted)
        check_page_count(reader, order)
    return reader


def _unlock(reader: PdfReader, order: Path, *, password: str | None, allow_restricted: bool) -> None:
    """Decrypt ``reader`` with ``password`` (else the empty user password), or raise why not."""
    try:
        with bounded(order):
            opened = reader.decrypt(password if password is not None else "")
    except DependencyError:
        raise order_error(
            order, "uses AES encryption, which needs the cryptography package", hint="pip install cryptography"
        ) from None
    except Exception as exc:  # a hostile /Encrypt dictionary can break pypdf in any way
        raise order_error(order, f"has an encryption leaflet cannot use ({type(exc).__name__})") from None
    if opened == PasswordType.NOT_DECRYPTED and password is None:
        raise order_error(order, "is encrypted and needs a password to open", hint="give it with --password-env VAR")
    if opened == PasswordType.NOT_DECRYPTED:
        raise order_error(order, "is encrypted and the password given is wrong", hint="check --password-env")
    restrictions = describe_restrictions(reader) if opened == PasswordType.USER_PASSWORD else []
    if restrictions and not allow_restricted:
        raise order_error(
            order,
            f"is restricted by its owner: {', '.join(restrictions)}",
            hint="pass --allow-restricted if you are entitled to use it; the packet will not be encrypted",
        )


def describe_restrictions(reader: PdfReader) -> list[str]:
    """What the permission bits (/P) of an encrypted PDF forbid, e.g. ``["printing not allowed"]``."""
    encrypt = reader.trailer["/Encrypt"].get_object()
    if not isinstance(encrypt, DictionaryObject):  # pypdf could not have decrypted it: nothing to describe
        return []
    flags = int(encrypt.get("/P", -1)) & 0xFFFFFFFF
    revision = int(encrypt.get("/R", 2))
    return [text for bit, text, since in _PERMISSIONS if revision >= since and not flags & (1 << (bit - 1))]


def detect_paper(reader: PdfReader) -> Paper:
    """The paper of the first page: the nearer of A4 and Letter to its MediaBox, whatever its orientation.

    Width and height are compared sorted, so a landscape page, or one turned by /Rotate, is still the
    paper it was cut from. A page that cannot be measured counts as A4 (the default paper).
    """
    try:
        page = reader.pages[0]
        ref = page.indirect_reference
        stored = ref.get_object() if ref is not None else page
        box = media_box(stored) if isinstance(stored, DictionaryObject) else None  # not page.mediabox: it logs
        unit = float(page.user_unit)
    except Exception:  # an unreadable page: fall back to the default paper
        return "a4"
    if box is None:  # no usable MediaBox: the default paper (the page's box is repaired when copied)
        return "a4"
    size = sorted((abs(box[2] - box[0]) * unit, abs(box[3] - box[1]) * unit))

    def distance(name: Paper) -> float:
        short, long = sorted(PAPER_SIZES[name])
        return abs(size[0] - short) + abs(size[1] - long)

    return "letter" if distance("letter") < distance("a4") else "a4"


def build_monograph_template(path: Path, options: BuildOptions, on_warning: WarningSink) -> LeafletTemplate:
    """The leaflet of the monograph at ``path``, built with ``options``, serialised for packets."""
    pdf = build_leaflet(load_for_build(path, options, on_warning=on_warning), options).pdf
    return leaflet_template(PdfReader(io.BytesIO(pdf)))


def _leaflet_source(
    path: Path, options: BuildOptions, on_warning: WarningSink, builder: LeafletBuilder
) -> LeafletTemplate | bytes:
    """One leaflet: a monograph built with ``options``, or the bytes of a leaflet PDF to copy as it is."""
    suffix = path.suffix.lower()
    if suffix == ".pdf" and options.personalised:
        raise OptionsError(
            Diagnostic(
                str(path),
                "a leaflet PDF cannot be personalised: its layout keeps no room for the patient's details",
                hint="give the monograph instead",
            )
        )
    if suffix == ".pdf":
        return read_bounded(path)
    if suffix in (*MONOGRAPH_SUFFIXES, *IMPORTED_SUFFIXES):  # ePI and SPL files are monographs too
        return builder(path, options, on_warning)
    raise OptionsError(
        Diagnostic(
            str(path),
            "is neither a monograph nor a leaflet PDF",
            hint="give .yaml, .txt, ePI (.json, .xml), SPL (.xml) or .pdf files",
        )
    )


def _open_leaflet(path: Path, data: bytes, repairs: RepairLog, deadline: Deadline) -> PdfReader:
    """Parse one leaflet's PDF; a leaflet PDF given by the user is refused if encrypted."""
    with repairs.capture(path):
        reader = read_pdf(path, data, deadline)
        if reader.is_encrypted:
            raise order_error(path, "is an encrypted PDF", hint="attach the leaflet's monograph, or an unencrypted PDF")
        check_page_count(reader, path)
    return reader


def _band(
    template: LeafletTemplate,
    patient: PatientDetails,
    options: BuildOptions,
    *,
    on_warning: WarningSink,
    label: str,
    reference: str,
) -> Band:
    """The band over a personalised leaflet: the details on page 1, reminders on later pages.

    The QR code carries the Rx number, else ``reference`` (the order); warnings name ``label``.
    """
    from leaflet.personalise.band import render_band  # reportlab loads only when personalising

    band = render_band(
        patient, options, pages=len(template.pages), qr_payload=patient.qr_payload(reference), language=template.lang
    )
    if band.cut:
        on_warning(
            Diagnostic(
                label,
                "the patient details were cut with an ellipsis to fit the band, even at 9 pt",
                hint="shorten the directions or the pharmacy's name",
            )
        )
    return band


def _copy(path: Path, reader: PdfReader, repairs: RepairLog) -> CopiedDocument:
    """The pages of ``reader`` (read from ``path``) and all they reference, copied for the packet."""
    with repairs.capture(path), bounded(path):
        try:
            return copy_document(reader)
        except CopyTooLargeError:
            limit_mib = MAX_COPY_BYTES // (1024 * 1024)
            raise order_error(path, f"reaches more than {limit_mib} MiB of objects from its pages") from None
        except MemoryError:
            raise
        except Exception as exc:  # the file is at fault, not leaflet; its text may quote the order
            raise order_error(path, f"is damaged and cannot be attached ({type(exc).__name__})") from None


def write_packet(path: Path, packet: bytes) -> None:
    """Write ``packet`` atomically to ``path``, readable and writable by the owner only (mode 0600).

    A packet carries a pharmacy order, which is personal health information: a new file is created
    0600, and an older packet at ``path`` is narrowed to 0600 before it is replaced (its bytes stay as
    they were if the write fails). A link at ``path`` is replaced by the packet; what it points to is
    left alone.
    """
    mode = 0o600
    try:
        if not path.is_symlink() and path.is_file():  # a link is replaced, never followed (issue 10.4)
            mode = path.stat().st_mode & 0o600
            os.chmod(path, mode)
    except OSError as exc:
        raise OutputError(
            Diagnostic(
                str(path),
                f"cannot narrow the existing file to mode 0600: {exc.strerror}",
                hint="remove it or choose another path",
            )
        ) from None
    write_atomically(path, packet, mode=mode)
