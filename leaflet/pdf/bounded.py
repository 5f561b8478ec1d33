"""pypdf bounded in time and memory for one PDF from elsewhere, in any thread (issues 9.3, 10.6).

Consumes the bytes of a PDF and a :class:`Deadline`; returns a :class:`BoundedReader`, a
:class:`pypdf.PdfReader` that stops with :class:`OutOfTime` or :class:`TooLarge` (both
``BaseException`` s, so that pypdf's ``except Exception`` repair paths cannot swallow them) instead of
running away. Nothing process-wide is involved: no signal, no pypdf setting; each reader carries
its own clock, so reads in many threads at once are each bounded on their own.

Where pypdf spends time, and how each is bounded:

* tokens read from the file: pypdf reads through :class:`BoundedStream`, which checks the clock
  every :data:`READS_PER_CHECK` reads, and refuses a run of more than :data:`MAX_RUN_BYTES`
  single-byte reads: pypdf reads strings (and whitespace, and comments) one byte at a time into a
  list of integers, eight bytes of memory a byte of the file (a 40 MB string took 931 MB);
* objects resolved: :meth:`BoundedReader.get_object` checks the clock for each one, pypdf's own
  lookups included;
* a reference to an object missing from the cross-reference table: pypdf searches the whole file
  for it, once per reference, so 20,000 dangling ``/Annots`` references took time growing with their
  square; here the file is indexed once (:meth:`BoundedReader._locate`);
* an object stream: pypdf parses all of it at once from its own buffer, where the clock cannot
  reach, so one unpacking to more than :data:`MAX_OBJECT_STREAM_BYTES` is refused beforehand;
* a cross-reference stream: at most :data:`MAX_XREF_ENTRIES` entries (pypdf's own limit, lowered).
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager

from pypdf import PdfReader
from pypdf.generic import IndirectObject, NullObject, PdfObject, StreamObject

from leaflet.pdf.complaints import complain

TIME_LIMIT_S = 8.0
"""Wall-clock seconds for reading and copying one order (and its leaflet PDFs) together: with the
uninterruptible steps bounded below, every order is refused or done within 10 s."""
READS_PER_CHECK = 1024
"""Reads of the file between two looks at the clock (a look costs about what a read does)."""
MAX_RUN_BYTES = 4 * 1024 * 1024
"""Longest string, comment or run of whitespace read (single-byte reads in a row): about 32 MiB of
pypdf's memory; orders hold strings of a few kilobytes, their images and fonts are streams."""
MAX_OBJECT_STREAM_BYTES = 2 * 1024 * 1024
"""Largest object stream unpacked (pypdf parses one at once, up to a second and a half for 2 MiB of
the slowest syntax); an object stream of a real file holds a hundred or so small objects."""
MAX_XREF_ENTRIES = 500_000
"""Most entries of a cross-reference stream (pypdf allows 2,000,000, some four seconds of parsing)."""
MAX_INDEXED_OBJECTS = 500_000
"""Most object headers indexed when looking for objects the cross-reference table misses."""

_OBJECT_HEADER = re.compile(rb"\s(\d{1,10})\s+(\d{1,5})\s+obj")
"""An object's header, as pypdf searches for it (``N G obj`` after whitespace)."""


class Bound(BaseException):
    """A bound reached while pypdf reads; ``what`` says which, in a fixed sentence (no bytes of the file)."""

    what = "went past a bound"


class OutOfTime(Bound):
    """The :class:`Deadline` passed."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.what = f"took longer than {seconds:g} s to read and copy"


class TooLarge(Bound):
    """A token or an object stream past its size bound."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class Deadline:
    """A point in time (monotonic clock) after which reading and copying one order stop."""

    __slots__ = ("_end", "seconds")

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = TIME_LIMIT_S if seconds is None else seconds
        self._end = time.monotonic() + self.seconds

    def check(self) -> None:
        """Raise :class:`OutOfTime` if the deadline has passed."""
        if time.monotonic() > self._end:
            raise OutOfTime(self.seconds)

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Stop the clock while inside: for leaflet's own work between reading and copying (building
        leaflets), which the order has no part in."""
        started = time.monotonic()
        try:
            yield
        finally:
            self._end += time.monotonic() - started


class BoundedStream(io.BytesIO):
    """The file's bytes, read by pypdf under the deadline and the run bound (see the module docstring)."""

    def __init__(self, data: bytes, deadline: Deadline) -> None:
        super().__init__(data)
        self._deadline = deadline
        self._reads = 0
        self._run = 0

    def read(self, size: int | None = -1, /) -> bytes:
        # Called for every token pypdf reads: kept lean (no super(), one branch in the common case).
        self._reads += 1
        if size == 1:
            self._run += 1
            if self._run > MAX_RUN_BYTES:
                raise TooLarge(f"has a string, or a run of other syntax, over {MAX_RUN_BYTES // 2**20} MiB")
        else:
            self._run = 0
        if not self._reads % READS_PER_CHECK:
            self._deadline.check()
        return _read_bytes(self, size)


_read_bytes = io.BytesIO.read


class BoundedReader(PdfReader):
    """A non-strict :class:`PdfReader` over ``data`` that resolves objects under ``deadline``."""

    def __init__(self, data: bytes, deadline: Deadline) -> None:
        self._deadline = deadline
        self._headers: dict[tuple[int, int], int] | None = None
        self._object_streams: set[int] = set()
        super().__init__(BoundedStream(data, deadline), strict=False, xref_stream_maximum_entries=MAX_XREF_ENTRIES)

    def get_object(self, indirect_reference: int | IndirectObject) -> PdfObject | None:
        self._deadline.check()
        if isinstance(indirect_reference, int):
            indirect_reference = IndirectObject(indirect_reference, 0, self)
        number, generation = indirect_reference.idnum, indirect_reference.generation
        if (generation, number) not in self.resolved_objects:
            if generation == 0 and number in self.xref_objStm:
                self._check_object_stream(self.xref_objStm[number][0])
            elif number not in self.xref.get(generation, ()):
                self._locate(number, generation)
        return super().get_object(indirect_reference)

    def _check_object_stream(self, number: int) -> None:
        """Refuse the object stream ``number`` if it unpacks to more than :data:`MAX_OBJECT_STREAM_BYTES`."""
        if number in self._object_streams:
            return
        self._object_streams.add(number)
        stream = self.get_object(number)
        if isinstance(stream, StreamObject) and len(stream.get_data()) > MAX_OBJECT_STREAM_BYTES:
            limit = MAX_OBJECT_STREAM_BYTES // 2**20
            raise TooLarge(f"has an object stream of more than {limit} MiB unpacked")

    def _locate(self, number: int, generation: int) -> None:
        """Find an object the cross-reference table misses, as pypdf would by searching the file for its
        header, but in an index of the file's headers made once: a found object joins the table, a
        missing one reads as null (both are complaints about the file, as pypdf logs them)."""
        if self._headers is None:
            self._headers = _object_headers(self.stream)
        offset = self._headers.get((number, generation))
        if offset is None:
            complain("an object referenced is missing")
            self.cache_indirect_object(generation, number, NullObject())
        else:
            complain("an object is missing from the cross-reference table")
            self.xref.setdefault(generation, {})[number] = offset


def _object_headers(stream: object) -> dict[tuple[int, int], int]:
    """Where each object's header is in the file (the first of each number and generation, as pypdf's
    search finds), up to :data:`MAX_INDEXED_OBJECTS` objects."""
    headers: dict[tuple[int, int], int] = {}
    if not isinstance(stream, io.BytesIO):
        return headers
    with stream.getbuffer() as data:
        for match in _OBJECT_HEADER.finditer(data):
            headers.setdefault((int(match[1]), int(match[2])), match.start() + 1)
            if len(headers) >= MAX_INDEXED_OBJECTS:
                break
    return headers
