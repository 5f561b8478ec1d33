"""Copying objects out of a PDF that pypdf has read into a :class:`Fragment`, renumbered.

Consumes objects of a :class:`pypdf.PdfReader` (an order from another system, or a leaflet laid out
here) and returns a :class:`Fragment` of every object they reach. pypdf does the hostile part:
parsing, repairing, decrypting; this module only walks the graph and writes each object once, which
is several times faster than ``PdfWriter.append`` followed by ``PdfWriter.write`` (those clone every
object, filter outlines and resolve every page's inherited attributes again).

Strings are written in hexadecimal and streams with their encoded bytes as read (decrypted), so
nothing of the order's content is reinterpreted; names in UTF-8, dictionary keys also in the other
forms pypdf may have read them from (:func:`key_forms`). A reference to an object that cannot be read is
written as ``null``, as PDF readers treat a missing object.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

from leaflet.pdf.fragment import Body, Fragment, Part

MAX_DEPTH = 64
"""Deepest nesting of arrays and dictionaries inside one object written (pypdf's own parser stops
far earlier on real files; a deeper object is hostile)."""

MAX_COPY_BYTES = 200 * 1024 * 1024
"""Most bytes of objects copied out of one PDF: far above any order's (a copy is about the size of the
file read), a bound on what a hostile file can make leaflet hold in memory."""

ObjectKey = tuple[int, int]
STRUCT_KEYS = ("/StructParent", "/StructParents")
MAX_STRUCT_KEY = 10_000_000
"""Keys into a ParentTree above this are not renumbered (written as read): no real file has that many."""


class CopyTooLargeError(ValueError):
    """The objects copied out of one PDF passed :data:`MAX_COPY_BYTES`."""


class Copier:
    """Collects objects of one PDF, and what they reference, as the objects of one fragment.

    ``slots`` maps objects (``(number, generation)``) that the packet replaces to the slot naming
    the replacement: e.g. the order's catalog to the packet's, its outline root to the packet's
    outline item for the order. Such objects are not copied; references to them are redirected.
    """

    def __init__(self, slots: Mapping[ObjectKey, str] | None = None) -> None:
        self._slots = dict(slots or {})
        self.struct_keys: set[int] = set()
        """The ``/StructParent(s)`` keys met: each is written as the slot ``structkeyN`` (a packet renumbers
        the keys of each part's structure tree into its own ParentTree)."""
        self._indices: dict[ObjectKey, int] = {}
        self._pending: list[tuple[IndirectObject | None, PdfObject | None, frozenset[str], Body]] = []
        self._bodies: list[Body] = []
        self._names: dict[str, bytes] = {}
        self._keys: dict[str, tuple[bytes, ...]] = {}
        self._direct: list[int] = []
        self._size = 0

    def add(self, ref: IndirectObject, *, skip: Iterable[str] = (), extra: Body = ()) -> int:
        """The index of object ``ref`` in the fragment, queued for copying if new.

        ``skip`` names dictionary keys left out and ``extra`` adds entries (e.g. a page's new
        ``/Parent``); they apply when this call is the one that queues the object.
        """
        key = (ref.idnum, ref.generation)
        index = self._indices.get(key)
        if index is None:
            index = self._indices[key] = len(self._indices) + len(self._direct)
            self._pending.append((ref, None, frozenset(skip), extra))
        return index

    def add_value(self, value: PdfObject, *, skip: Iterable[str] = (), extra: Body = ()) -> int:
        """The index of a new object of the fragment holding ``value`` (e.g. a direct dictionary, or a
        second copy of an object), with ``skip`` and ``extra`` as in :meth:`add`."""
        index = len(self._indices) + len(self._direct)
        self._direct.append(index)
        self._pending.append((None, value, frozenset(skip), extra))
        return index

    def slot_of(self, ref: IndirectObject) -> str | None:
        """The slot replacing ``ref``, if the packet replaces it."""
        return self._slots.get((ref.idnum, ref.generation))

    def serialize(self, value: object, *, skip: Iterable[str] = ()) -> Body:
        """``value`` (a direct object) as a body whose references are queued objects of the fragment."""
        out = _Body()
        if isinstance(value, DictionaryObject) and not isinstance(value, StreamObject):
            self._entries(value, out, frozenset(skip), 0)
        else:
            self._write(value, out, 0)
        return out.finish()

    def fragment(self) -> Fragment:
        """Every object added and every object they reach, in the order of their indices."""
        done = len(self._bodies)
        while done < len(self._pending):
            ref, value, skip, extra = self._pending[done]
            body = self._object_body(ref, value, skip, extra)
            self._size += sum(len(part) for part in body if isinstance(part, bytes))
            if self._size > MAX_COPY_BYTES:
                raise CopyTooLargeError(f"over {MAX_COPY_BYTES} bytes")
            self._bodies.append(body)
            done += 1
        return Fragment(tuple(self._bodies))

    def _object_body(
        self, ref: IndirectObject | None, value: PdfObject | None, skip: frozenset[str], extra: Body
    ) -> Body:
        if ref is not None:
            value = ref.get_object()
        out = _Body()
        if isinstance(value, StreamObject):
            self._stream(value, out, skip, extra)
        elif isinstance(value, DictionaryObject):
            out.text(b"<<")
            self._entries(value, out, skip, 0)
            out.parts(extra)
            out.text(b">>")
        else:
            self._write(value, out, 0)
        return out.finish()

    def _stream(self, stream: StreamObject, out: _Body, skip: frozenset[str], extra: Body) -> None:
        data = stream._data  # the bytes as stored (decrypted), still encoded: pypdf has no public accessor
        out.text(b"<<")
        self._entries(stream, out, skip | {"/Length"}, 0)
        out.parts(extra)
        out.text(b" /Length %d>>\nstream\n" % len(data))
        out.text(data)
        out.text(b"\nendstream")

    def _entries(self, dictionary: DictionaryObject, out: _Body, skip: frozenset[str], depth: int) -> None:
        for key, value in dictionary.items():
            if key in skip or not isinstance(key, NameObject):
                continue
            for form in self._key_forms(key):  # one form but for a key pypdf read from bytes not UTF-8
                out.text(form + b" ")
                if key in STRUCT_KEYS and type(value) is NumberObject and 0 <= value < MAX_STRUCT_KEY:
                    self.struct_keys.add(int(value))
                    out.slot(f"structkey{int(value)}")
                else:
                    self._write(value, out, depth + 1)
                out.text(b" ")

    def _write(self, value: object, out: _Body, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise ValueError("objects nested too deeply")
        if isinstance(value, IndirectObject):
            self._reference(value, out)
        elif isinstance(value, ArrayObject):
            out.text(b"[")
            for item in value:
                self._write(item, out, depth + 1)
                out.text(b" ")
            out.text(b"]")
        elif isinstance(value, StreamObject):  # a stream must be indirect: a direct one is dropped
            out.text(b"null")
        elif isinstance(value, DictionaryObject):
            out.text(b"<<")
            self._entries(value, out, frozenset(), depth)
            out.text(b">>")
        else:
            out.text(self._scalar(value))

    def _scalar(self, value: object) -> bytes:
        """A name, number, boolean, string or null as PDF syntax (strings in hexadecimal)."""
        if isinstance(value, NameObject):
            return self._name(value)
        if isinstance(value, BooleanObject):
            return b"true" if value.value else b"false"
        if isinstance(value, NumberObject):
            # Readers hold integers in 64 bits (qpdf drops an object with a larger one): a real then.
            return b"%d" % value if -(2**63) <= value < 2**63 else b"%d.0" % value
        if isinstance(value, FloatObject):
            text = value.myrepr()  # fixed-point, no exponent; a whole number loses its point
            return (text if "." in text else text + ".0").encode("ascii")
        if isinstance(value, TextStringObject):
            return b"<" + value.get_encoded_bytes().hex().encode("ascii") + b">"
        if isinstance(value, ByteStringObject):
            return b"<" + bytes(value).hex().encode("ascii") + b">"
        if isinstance(value, PdfObject) and not isinstance(value, NullObject):
            buffer = io.BytesIO()
            value.write_to_stream(buffer)
            return buffer.getvalue()
        return b"null"

    def _reference(self, ref: IndirectObject, out: _Body) -> None:
        slot = self._slots.get((ref.idnum, ref.generation))
        if slot is not None:
            out.slot(slot)
        elif isinstance(ref.get_object(), NullObject | None):  # points nowhere (a damaged file)
            out.text(b"null")
        else:
            out.reference(self.add(ref))

    def _name(self, name: NameObject) -> bytes:
        written = self._names.get(name)
        if written is None:
            written = self._names[name] = name_bytes(name)
        return written

    def _key_forms(self, name: NameObject) -> tuple[bytes, ...]:
        forms = self._keys.get(name)
        if forms is None:
            forms = self._keys[name] = key_forms(name)
        return forms


_NAME_BYTES = [
    bytes([byte]) if 0x21 <= byte <= 0x7E and byte not in b"#()<>[]{}/%" else b"#%02X" % byte for byte in range(256)
]


def name_bytes(name: str) -> bytes:
    """``name`` (``/...``) as PDF syntax: its characters in UTF-8 (ISO 32000-2 7.3.5), each byte outside
    the regular characters as ``#XX``. A NUL byte, which no PDF name may hold (7.3.5), is refused."""
    return _name_syntax(name[1:].encode("utf-8"))


def key_forms(name: str) -> tuple[bytes, ...]:
    """Every way of writing ``name`` (``/...``) as PDF syntax that pypdf reads back as ``name``: UTF-8
    first, then each other charset pypdf tries that would give it (see :func:`name_bytes`).

    pypdf decodes a name's bytes as UTF-8, else GBK, else Latin-1 (``NameObject.CHARSETS``), so the
    bytes of a name that is not UTF-8 are lost: ``/F#E9`` (Latin-1) and ``/F#C3#A9`` (UTF-8) both read
    as ``/Fé``. A dictionary key is written in every form, so that whichever bytes the file had, a
    content stream copied byte for byte (``/F#E9 12 Tf``) still finds its resource; the other forms are
    resources nobody uses. (Changing ``NameObject.CHARSETS`` to keep the bytes would change how every
    thread of the process reads names, issue 9.3.)
    """
    text = name[1:]
    if text.isascii():
        return (_name_syntax(text.encode("ascii")),)
    forms: list[bytes] = []
    for charset in ("utf-8", *NameObject.CHARSETS):
        try:
            data = text.encode(charset)
        except (UnicodeEncodeError, LookupError):
            continue
        if data not in forms and _read_as_pypdf(data) == text:
            forms.append(data)
    return tuple(_name_syntax(data) for data in forms)


def _read_as_pypdf(data: bytes) -> str | None:
    """``data`` decoded as pypdf decodes a name's bytes."""
    for charset in NameObject.CHARSETS:
        try:
            return data.decode(charset)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def _name_syntax(data: bytes) -> bytes:
    if 0 in data:
        raise ValueError("a name with a NUL byte")
    return b"/" + b"".join(_NAME_BYTES[byte] for byte in data)


class _Body:
    """Accumulates one body: runs of literal bytes joined, references kept apart."""

    def __init__(self) -> None:
        self._parts: list[Part] = []
        self._text: list[bytes] = []

    def text(self, data: bytes) -> None:
        self._text.append(data)

    def reference(self, index: int) -> None:
        self._flush()
        self._parts.append(index)

    def slot(self, name: str) -> None:
        self._flush()
        self._parts.append(name)

    def parts(self, body: Body) -> None:
        for part in body:
            if isinstance(part, bytes):
                self.text(part)
            elif isinstance(part, int):
                self.reference(part)
            else:
                self.slot(part)

    def finish(self) -> Body:
        self._flush()
        return tuple(self._parts)

    def _flush(self) -> None:
        if self._text:
            self._parts.append(b"".join(self._text))
            self._text = []
