"""Reading PDFs from other systems: the bounds and repairs every order (or leaflet PDF) goes through.

Consumes a path; returns the file's bytes and a :class:`pypdf.PdfReader` over them, or raises
:class:`OrderPdfError` naming the file, and saying only the kind of failure: pypdf's messages and
exceptions can quote bytes of an order, which is personal health information.

* bounded: at most :data:`MAX_FILE_BYTES` read, :data:`MAX_PAGES` pages, :data:`TIME_LIMIT_S` seconds
  of wall-clock time a stage (:func:`time_limit`), and the process's data memory capped by the
  commands (:func:`limit_memory`);
* a truncated file is refused; a damaged cross-reference table is repaired by pypdf (``strict=False``)
  and its complaints become one warning about the file, in a fixed sentence (:class:`RepairLog`).
"""

from __future__ import annotations

import io
import logging
import signal
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pypdf import PdfReader

from leaflet.errors import Diagnostic, OrderPdfError

WarningSink = Callable[[Diagnostic], None]

MAX_FILE_BYTES = 50 * 1024 * 1024
"""Largest PDF read (order or leaflet), checked before reading: orders are a few pages of text."""
MAX_PAGES = 2000
"""Most pages an order (or a leaflet PDF) may have."""
MEMORY_LIMIT_BYTES = 2 * 1024**3
"""Most data memory (``RLIMIT_DATA``) the commands that read orders allow themselves (see
:func:`limit_memory`): pypdf parses in memory, and a small hostile file can make it hold gigabytes."""
TIME_LIMIT_S = 30.0
"""Wall-clock seconds allowed for reading the order, and again for copying its pages and writing the packet."""


def read_bounded(path: Path) -> bytes:
    """The bytes of the PDF at ``path``, refusing a missing, oversized, non-PDF or truncated file."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit_mib = MAX_FILE_BYTES // (1024 * 1024)
            raise order_error(path, f"is {size / 2**20:.1f} MiB, over the {limit_mib} MiB limit for a PDF")
        with path.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise order_error(path, f"cannot be read: {exc.strerror}") from None
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


def read_pdf(path: Path, data: bytes) -> PdfReader:
    """Parse ``data`` (from ``path``) with pypdf, repairing what it can; any failure names the file."""
    try:
        return PdfReader(io.BytesIO(data), strict=False)
    except MemoryError:
        raise too_much_memory(path) from None
    except Exception as exc:  # hostile input can break pypdf in any way: the file is at fault, not leaflet
        raise order_error(path, f"is damaged and cannot be read ({type(exc).__name__})") from None


def check_page_count(reader: PdfReader, path: Path) -> None:
    try:
        count = len(reader.pages)
    except MemoryError:
        raise too_much_memory(path) from None
    except Exception as exc:  # a hostile page tree
        raise order_error(path, f"has a page tree that cannot be read ({type(exc).__name__})") from None
    if count == 0:
        raise order_error(path, "has no pages")
    if count > MAX_PAGES:
        raise order_error(path, f"has {count} pages, over the limit of {MAX_PAGES}")


class _OutOfTime(BaseException):
    """Raised by the alarm inside pypdf: a BaseException, so that pypdf's ``except Exception`` repair
    paths cannot swallow it."""


@contextmanager
def time_limit(path: Path, doing: str) -> Iterator[None]:
    """Raise :class:`OrderPdfError` about ``path`` when the block runs longer than :data:`TIME_LIMIT_S`
    (``doing``: what the block does to the order, for the message, e.g. "read").

    Uses ``SIGALRM``, so it bounds only the main thread on POSIX systems; elsewhere (a worker thread,
    Windows) the block runs without a clock, bounded by the size and page limits alone.
    """
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise _OutOfTime

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT_S)
    try:
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)  # an alarm even here is still caught below
    except _OutOfTime:
        raise order_error(
            path, f"took longer than {TIME_LIMIT_S:g} s to {doing}", hint="the PDF may be malformed"
        ) from None
    finally:
        signal.signal(signal.SIGALRM, previous)


class RepairLog:
    """What pypdf logged or warned while reading each file: damage it repaired (``strict=False``)."""

    def __init__(self) -> None:
        self.messages: dict[Path, list[str]] = {}

    @contextmanager
    def capture(self, path: Path) -> Iterator[None]:
        """Record pypdf's messages in the block against ``path``; none of them reaches stderr."""
        messages = self.messages.setdefault(path, [])
        handler = _ListHandler(messages)
        logger = logging.getLogger("pypdf")
        saved = logger.level, logger.propagate
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
        logger.propagate = False  # the library never prints: nothing may reach the root logger's handler
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                yield
            messages.extend(str(item.message) for item in caught)
        finally:
            logger.removeHandler(handler)
            logger.setLevel(saved[0])
            logger.propagate = saved[1]

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


class _ListHandler(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def too_much_memory(path: Path) -> OrderPdfError:
    return order_error(path, "needs more memory to read than leaflet allows", hint="the PDF may be malformed")


def order_error(path: Path, message: str, *, hint: str | None = None) -> OrderPdfError:
    return OrderPdfError(Diagnostic(str(path), message, hint=hint))
