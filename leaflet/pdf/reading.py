"""Reading PDFs from other systems: the bounds and repairs every order (or leaflet PDF) goes through.

Consumes a path; returns the file's bytes and a :class:`pypdf.PdfReader` over them, or raises
:class:`OrderPdfError` naming the file, and saying only the kind of failure: pypdf's messages and
exceptions can quote bytes of an order, which is personal health information.

* bounded: at most :data:`MAX_FILE_BYTES` read, :data:`MAX_PAGES` pages; pypdf parses under a
  :class:`~leaflet.pdf.bounded.Deadline` shared by reading and copying, with its slow and
  memory-hungry steps bounded (:mod:`leaflet.pdf.bounded`), in any thread; the command line (never the
  library: the limit is process-wide) also caps the process's data memory (:func:`limit_memory`);
* a truncated file is refused; a damaged cross-reference table is repaired by pypdf (``strict=False``)
  and its complaints become one warning about the file, in a fixed sentence (:class:`RepairLog`,
  collected per thread by :mod:`leaflet.pdf.complaints`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pypdf import PdfReader

from leaflet.errors import Diagnostic, OrderPdfError
from leaflet.files import FileRefusedError, read_regular
from leaflet.pdf.bounded import Bound, BoundedReader, Deadline
from leaflet.pdf.complaints import collecting

WarningSink = Callable[[Diagnostic], None]

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Largest PDF read (order or leaflet), checked before reading: orders are a few pages of text."""
MAX_PAGES = 2000
"""Most pages an order (or a leaflet PDF) may have."""
MEMORY_LIMIT_BYTES = 2 * 1024**3
"""Most data memory (``RLIMIT_DATA``) the commands that read orders allow themselves (see
:func:`limit_memory`): pypdf parses in memory, and a small hostile file can make it hold gigabytes."""


def read_bounded(path: Path) -> bytes:
    """The bytes of the PDF at ``path``, refusing a missing, oversized, non-PDF or truncated file."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit_mib = MAX_FILE_BYTES // (1024 * 1024)
            raise order_error(path, f"is {size / 2**20:.1f} MiB, over the {limit_mib} MiB limit for a PDF")
        data = read_regular(path, limit=MAX_FILE_BYTES)  # a pipe or a device is refused, never read
    except FileRefusedError as exc:
        raise order_error(path, exc.reason, hint=exc.hint) from None
    except OSError as exc:
        raise order_error(path, f"cannot be read: {exc.strerror}") from None
    return check_pdf_bytes(path, data)


def check_pdf_bytes(path: Path, data: bytes) -> bytes:
    """``data`` (the PDF named ``path``), refused when oversized, not a PDF or truncated."""
    if len(data) > MAX_FILE_BYTES:
        limit_mib = MAX_FILE_BYTES // (1024 * 1024)
        raise order_error(path, f"is {len(data) / 2**20:.1f} MiB, over the {limit_mib} MiB limit for a PDF")
    if b"%PDF-" not in data[:1024]:
        raise order_error(path, "is not a PDF (no %PDF- header)")
    # A download or copy cut short loses the end of the file first: the %%EOF marker that closes
    # every PDF (ISO 32000-1 7.5.5). pypdf would rebuild what it could find and drop pages silently.
    if b"%%EOF" not in data[-1024:]:
        raise order_error(path, "is truncated (no %%EOF marker at its end)", hint="get the complete file again")
    return data


def limit_memory(limit: int = MEMORY_LIMIT_BYTES) -> None:
    """Cap this process's data memory at ``limit`` bytes (a lower cap is kept), on POSIX systems.

    Past it an allocation fails with MemoryError, which reading or copying an order reports as the
    order needing too much memory; worker processes started after this inherit the cap. Called by
    the command line for ``attach`` and ``orders``, not by the library functions.
    """
    try:
        import resource
    except ImportError:  # not POSIX: the size and time limits still hold
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    capped = [value for value in (soft, hard, limit) if value != resource.RLIM_INFINITY]
    try:
        resource.setrlimit(resource.RLIMIT_DATA, (min(capped), hard))
    except (ValueError, OSError):  # a system that refuses this limit: the size and time limits still hold
        return


def read_pdf(path: Path, data: bytes, deadline: Deadline | None = None) -> PdfReader:
    """Parse ``data`` (from ``path``) with pypdf under ``deadline`` (default: one of
    :data:`~leaflet.pdf.bounded.TIME_LIMIT_S` from now), repairing what it can; any failure names the
    file. The reader keeps resolving objects under the same deadline."""
    with bounded(path):
        try:
            return BoundedReader(data, deadline or Deadline())
        except MemoryError:
            raise
        except Exception as exc:  # hostile input can break pypdf in any way: the file is at fault, not leaflet
            raise order_error(path, f"is damaged and cannot be read ({type(exc).__name__})") from None


def check_page_count(reader: PdfReader, path: Path) -> None:
    with bounded(path):
        try:
            count = len(reader.pages)
        except MemoryError:
            raise
        except Exception as exc:  # a hostile page tree
            raise order_error(path, f"has a page tree that cannot be read ({type(exc).__name__})") from None
    if count == 0:
        raise order_error(path, "has no pages")
    if count > MAX_PAGES:
        raise order_error(path, f"has {count} pages, over the limit of {MAX_PAGES}")


@contextmanager
def bounded(path: Path) -> Iterator[None]:
    """Turn a bound reached inside the block (:mod:`leaflet.pdf.bounded`, or memory) into an error
    about ``path`` (pypdf reads lazily: copying reads too)."""
    try:
        yield
    except Bound as bound:
        raise order_error(path, bound.what, hint="the PDF may be malformed") from None
    except MemoryError:
        raise too_much_memory(path) from None


class RepairLog:
    """What pypdf complained about while reading each file: damage it repaired (``strict=False``)."""

    def __init__(self) -> None:
        self.messages: dict[Path, list[str]] = {}

    @contextmanager
    def capture(self, path: Path) -> Iterator[None]:
        """Record pypdf's complaints in the block (this thread's only) against ``path``; none of them
        reaches a logging handler (see :mod:`leaflet.pdf.complaints`)."""
        with collecting() as messages:
            try:
                yield
            finally:
                self.messages.setdefault(path, []).extend(messages)

    def report(self, on_warning: WarningSink) -> None:
        """One warning per file that needed repairs, in a fixed sentence with the count of pypdf's
        complaints: their text is never shown, as it can quote bytes of the order (PHI)."""
        for path, messages in self.messages.items():
            if messages:
                count = f"{len(messages)} problem{'s' if len(messages) > 1 else ''}"
                on_warning(
                    Diagnostic(
                        str(path),
                        f"damaged PDF repaired ({count} found while reading it)",
                        hint="check the packet's pages against the original",
                    )
                )


def too_much_memory(path: Path) -> OrderPdfError:
    return order_error(path, "needs more memory to read than leaflet allows", hint="the PDF may be malformed")


def order_error(path: Path, message: str, *, hint: str | None = None) -> OrderPdfError:
    return OrderPdfError(Diagnostic(str(path), message, hint=hint))
