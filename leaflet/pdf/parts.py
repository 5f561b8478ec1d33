"""The parts a packet is assembled from: a leaflet laid out here, and the pages of a PDF from elsewhere.

Consumes PDFs read by pypdf; returns plain data of :class:`Fragment` objects:

* :func:`leaflet_template` turns a leaflet built by :mod:`leaflet.render` into a
  :class:`LeafletTemplate`: its objects serialised once, with each page's dictionary kept in
  pieces so that a packet can add the personalisation band to the page without serialising again;
* :func:`copy_document` copies every page of a PDF from another system (an order, a leaflet PDF)
  with all they reference, their inherited attributes resolved, plus its outline, named
  destinations and form fields, as a :class:`CopiedDocument`.
"""

from __future__ import annotations

from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

from leaflet.pdf.boxes import repaired_media_boxes
from leaflet.pdf.copier import Copier, ObjectKey
from leaflet.pdf.fragment import Body, Fragment, Part
from leaflet.pdf.structure import CopiedStructure, copy_structure, structure_slots
from leaflet.pdf.syntax import subset_tag

PAGE_OWN_KEYS = ("/Parent", "/Contents", "/Resources")
"""Keys of a leaflet page that a packet writes itself."""
CATALOG_KEYS = ("/AcroForm", "/Dests", "/OCProperties")
"""Catalog entries of a copied document that its pages need: form fields, named destinations (PDF 1.1
style), and optional content, without which a layer the document hides would be shown and printed."""


@dataclass(frozen=True)
class Outline:
    """A document's outline items, referred to by fragment index."""

    first: int
    last: int
    count: int
    """The root's ``/Count``: items visible when open."""


@dataclass(frozen=True)
class TemplatePage:
    """A leaflet page in pieces (bodies whose references are the template's objects)."""

    entries: Body
    """The page dictionary's entries, but ``/Parent``, ``/Contents`` and ``/Resources``."""
    contents: tuple[int, ...]
    """Its content streams."""
    resources: Body
    """The entries of its resource dictionary, but ``/XObject``."""
    xobjects: Body
    """The entries of its ``/XObject`` resource dictionary."""
    free_name: bytes
    """A resource name not used by the page's XObjects, for the band."""
    struct_key: int | None = None
    """Its ``/StructParents`` (its entry in the leaflet's ParentTree), when tagged."""


@dataclass(frozen=True)
class LeafletTemplate:
    """A leaflet serialised once; pages are written per packet (references ``page0``, ``page1``, ...)."""

    objects: Fragment
    pages: tuple[TemplatePage, ...]
    title: str
    lang: str | None
    outline: Outline | None
    structure: CopiedStructure | None = None
    struct_keys: tuple[int, ...] = ()
    """The ParentTree keys its objects hold (renumbered in a packet: :mod:`leaflet.pdf.structure`)."""


@dataclass(frozen=True)
class CopiedDocument:
    """The pages of a PDF from another system and what they reference."""

    objects: Fragment
    pages: tuple[int, ...]
    outline: Outline | None
    catalog: tuple[tuple[str, int], ...]
    """Entries of its catalog the packet keeps (see :data:`CATALOG_KEYS`): key and object."""
    name_dests: int | None
    """The ``/Dests`` name tree of the catalog's ``/Names``."""
    title: str | None
    """The document's ``/Title``, if it has one."""
    repaired_pages: tuple[int, ...] = ()
    """Pages (from 1) whose MediaBox could not be used and was repaired (:mod:`leaflet.pdf.boxes`)."""
    structure: CopiedStructure | None = None
    struct_keys: tuple[int, ...] = ()


def leaflet_template(reader: PdfReader) -> LeafletTemplate:
    """``reader`` (a leaflet made by :mod:`leaflet.render`) serialised for packets."""
    root = _resolved(reader.trailer.raw_get("/Root"))
    slots: dict[ObjectKey, str] = {_key(reader.trailer.raw_get("/Root")): "catalog"}
    pages = reader.pages
    for number, page in enumerate(pages):
        if page.indirect_reference is not None:
            slots[_key(page.indirect_reference)] = f"page{number}"
    outline_ref = root.raw_get("/Outlines") if "/Outlines" in root else None
    if isinstance(outline_ref, IndirectObject):
        slots[_key(outline_ref)] = "outline"
    slots.update(structure_slots(root))
    for page in pages:
        resources = _resolved(page.get("/Resources"))
        for form in (_resolved(x) for x in _resolved(resources.get("/XObject")).values()):
            _retag_fonts(_resolved(form.get("/Resources")))  # the "Page N of M" form's fonts
        _retag_fonts(resources)
    copier = Copier(slots)
    template_pages = tuple(_template_page(copier, page) for page in pages)
    outline = _outline(copier, root)
    structure = copy_structure(copier, root)
    info = reader.metadata
    title = str(info.title) if info is not None and info.title else "Leaflet"
    lang = root.get("/Lang")
    return LeafletTemplate(
        objects=copier.fragment(),
        pages=template_pages,
        title=title,
        lang=str(lang) if isinstance(lang, TextStringObject) else None,
        outline=outline,
        structure=structure,
        struct_keys=tuple(sorted(copier.struct_keys)),
    )


def _template_page(copier: Copier, page: DictionaryObject) -> TemplatePage:
    contents = page.get("/Contents")
    refs = contents if isinstance(contents, list) else [page.raw_get("/Contents")]
    resources = _resolved(page.get("/Resources"))
    xobjects = _resolved(resources.get("/XObject"))
    name = b"/LeafletBand"
    while name.decode("ascii") in xobjects:
        name += b"x"
    key = page.get("/StructParents")
    return TemplatePage(
        entries=copier.serialize(page, skip=PAGE_OWN_KEYS),
        contents=tuple(copier.add(ref) for ref in refs if isinstance(ref, IndirectObject)),
        resources=copier.serialize(resources, skip=("/XObject",)),
        xobjects=copier.serialize(xobjects),
        free_name=name,
        struct_key=int(key) if type(key) is NumberObject else None,
    )


def copy_document(reader: PdfReader) -> CopiedDocument:
    """Every page of ``reader`` (a PDF from another system), with its outline, named destinations and
    form fields; references to its catalog, page tree root and outline root become slots.
    """
    root_ref = reader.trailer.raw_get("/Root")
    root = _resolved(root_ref)
    slots: dict[ObjectKey, str] = {}
    if isinstance(root_ref, IndirectObject):
        slots[_key(root_ref)] = "catalog"
    pages_ref = root.raw_get("/Pages") if "/Pages" in root else None
    if isinstance(pages_ref, IndirectObject):
        slots[_key(pages_ref)] = "pages"
    outline_ref = root.raw_get("/Outlines") if "/Outlines" in root else None
    if isinstance(outline_ref, IndirectObject):
        slots[_key(outline_ref)] = "outline"
    slots.update(structure_slots(root))
    copier = Copier(slots)
    copied: set[ObjectKey] = set()
    shared: dict[int, int] = {}
    pages = []
    boxes = repaired_media_boxes([_stored_page(page) for page in reader.pages])  # the dictionaries copied
    for page, box in zip(reader.pages, boxes, strict=True):
        if page.indirect_reference is None:
            raise ValueError("a page that is not an indirect object")
        pages.append(_copy_page(copier, page.indirect_reference, copied, shared, media_box=box))
    outline = _outline(copier, root)
    catalog = [(key, _add_entry(copier, root, key)) for key in CATALOG_KEYS]
    name_dests = _add_entry(copier, _resolved(root.get("/Names")), "/Dests")
    kept = tuple((key, index) for key, index in catalog if index is not None)
    repaired = tuple(number for number, box in enumerate(boxes, 1) if box is not None)
    structure = copy_structure(copier, root)
    fragment = copier.fragment()
    keys = tuple(sorted(copier.struct_keys))
    return CopiedDocument(fragment, tuple(pages), outline, kept, name_dests, _title(reader), repaired, structure, keys)


def _stored_page(page: DictionaryObject) -> DictionaryObject:
    """The page's dictionary as the reader stores it (what is copied), not pypdf's page object, which its
    own accessors may have rewritten."""
    ref = getattr(page, "indirect_reference", None)
    return _resolved(ref) if isinstance(ref, IndirectObject) else page


INHERITED = {"/Resources": (DictionaryObject,), "/MediaBox": (ArrayObject,), "/CropBox": (ArrayObject,)}
"""Page attributes a page may inherit from its page tree (ISO 32000-1 7.7.3.4), with the types they must
have; ``/Rotate`` (an integer) is handled beside them."""
REQUIRED_DEFAULTS = {"/Resources": b"<<>>", "/MediaBox": b"[0 0 612 792]"}
"""What a page without a valid required attribute gets: no resources, and the size readers assume."""
MAX_TREE_DEPTH = 64
MAX_OUTLINE_ITEMS = 100_000


def _copy_page(
    copier: Copier, ref: IndirectObject, copied: set[ObjectKey], shared: dict[int, int], *, media_box: bytes | None
) -> int:
    """Queue the page ``ref`` for copying, written so that it stands on its own under the packet's tree:
    ``/Type /Page``, the attributes it inherits resolved onto it (a null or invalid entry counts as
    absent, ISO 32000-1 7.3.9), and ``/Contents`` holding only streams. A page listed twice is copied
    twice (a page tree lists each page once). Inherited direct values are written once, as objects
    shared by the pages, so a hostile tree cannot multiply one large value by its page count. ``media_box``
    replaces a MediaBox that cannot be used.
    """
    stored = _resolved(ref)
    skip = {"/Parent", "/Type", "/Contents", "/Rotate", "/Kids", "/Count", *INHERITED}  # a leaf has no kids
    extra: list[Part] = [b" /Type /Page /Parent ", "pages"]
    for key in [*INHERITED, "/Rotate"]:
        value = _attribute(stored, key)
        if key == "/MediaBox" and media_box is not None:
            extra += [b" /MediaBox " + media_box]
        elif value is not None:
            extra += [b" " + key.encode("ascii") + b" ", *_value_once(copier, value, shared)]
        elif key in REQUIRED_DEFAULTS:
            extra += [b" " + key.encode("ascii") + b" " + REQUIRED_DEFAULTS[key]]
    streams = [copier.add(content) for content in _content_streams(stored)]
    if len(streams) == 1 and not isinstance(_object(stored.raw_get("/Contents")), ArrayObject):
        extra += [b" /Contents ", streams[0]]
    elif streams:
        extra += [b" /Contents [", *_interleaved(streams, b" "), b"]"]
    if _key(ref) in copied:
        return copier.add_value(stored, skip=skip, extra=tuple(extra))
    copied.add(_key(ref))
    return copier.add(ref, skip=skip, extra=tuple(extra))


def _attribute(page: DictionaryObject, key: str) -> PdfObject | None:
    """The page's ``key`` as stored, from the page or its nearest ancestor holding a valid one; None."""
    node, seen = page, set()
    for _ in range(MAX_TREE_DEPTH):
        if key in node and _valid(key, node.raw_get(key)):
            return node.raw_get(key)
        parent = node.raw_get("/Parent") if "/Parent" in node else None
        node = _resolved(parent)
        if not node or id(node) in seen:
            return None
        seen.add(id(node))
    return None


def _valid(key: str, value: PdfObject) -> bool:
    resolved = _object(value)
    if key == "/Rotate":
        return isinstance(resolved, NumberObject)
    return isinstance(resolved, INHERITED[key])


def _value_once(copier: Copier, value: PdfObject, shared: dict[int, int]) -> Body:
    """``value`` as a body: a reference for an indirect object or a direct array or dictionary (written
    once for all the pages sharing it), else the value itself."""
    if isinstance(value, IndirectObject):
        return (copier.add(value),)
    if isinstance(value, DictionaryObject | ArrayObject):
        if id(value) not in shared:
            shared[id(value)] = copier.add_value(value)
        return (shared[id(value)],)
    return copier.serialize(value)


def _content_streams(page: DictionaryObject) -> list[IndirectObject]:
    """The page's content streams: ``/Contents``, or the streams its array holds (anything else dropped)."""
    contents = page.raw_get("/Contents") if "/Contents" in page else None
    resolved = _object(contents)
    items = list(resolved) if isinstance(resolved, ArrayObject) else [contents]
    return [item for item in items if isinstance(item, IndirectObject) and isinstance(item.get_object(), StreamObject)]


def _interleaved(parts: list[int], separator: bytes) -> list[Part]:
    joined: list[Part] = []
    for part in parts:
        joined += [part, separator]
    return joined[:-1]


def _outline(copier: Copier, catalog: DictionaryObject) -> Outline | None:
    """The outline's first and last items and the number of items visible when it is open, queued for
    copying; None without items, or when the items do not form a tree (see :func:`_outline_items`).

    The count is counted, not read: reportlab's root ``/Count`` includes items under closed parents,
    and a hostile one can be any number.
    """
    outlines = _resolved(catalog.get("/Outlines"))
    first, last = outlines.raw_get("/First") if "/First" in outlines else None, None
    if "/Last" in outlines:
        last = outlines.raw_get("/Last")
    if not isinstance(first, IndirectObject) or not isinstance(last, IndirectObject):
        return None
    if copier.slot_of(first) or copier.slot_of(last):  # a hostile outline pointing at the catalog or tree
        return None
    visible = _outline_items(first)
    if visible is None:
        return None
    return Outline(copier.add(first), copier.add(last), visible)


def _outline_items(first: IndirectObject, limit: int = MAX_OUTLINE_ITEMS) -> int | None:
    """How many items of the outline from ``first`` are visible when it is open (the items of each
    chain, and those under each item whose ``/Count`` is positive); None if an item is reached twice
    (a loop a viewer might never leave) or there are more than ``limit`` items."""
    seen: set[ObjectKey] = set()
    visible = 0
    pending: list[tuple[object, bool]] = [(first, True)]  # (item, shown when the outline is open)
    while pending:
        ref, shown = pending.pop()
        if not isinstance(ref, IndirectObject):
            continue
        if _key(ref) in seen or len(seen) >= limit:
            return None
        seen.add(_key(ref))
        item = _resolved(ref)
        visible += shown
        count = _object(item.get("/Count", 0))
        opened = isinstance(count, int) and count > 0
        pending += [
            (item.raw_get(key), shown and (key == "/Next" or opened)) for key in ("/First", "/Next") if key in item
        ]
    return visible


def _title(reader: PdfReader) -> str | None:
    """The document information's ``/Title``, when it is a non-empty string."""
    try:
        info = reader.metadata
        title = info.title if info is not None else None
    except Exception:  # a hostile /Info: the part gets the file's name instead
        return None
    return str(title).strip() or None if isinstance(title, str) else None


def _retag_fonts(resources: DictionaryObject) -> None:
    """Give each embedded subset of a leaflet's fonts a tag made from its glyphs (ISO 32000-1 9.6.4).

    reportlab tags subsets by their order in the document (``AAAAAA``, ``AAAAAB``, ...), so two
    leaflets in one packet would have different subsets of a face under one name, which a printer
    caching fonts by name could mix up. Changes ``resources``' font objects in place: the reader is
    leaflet's own, read to make the template.
    """
    for font in _resolved(resources.get("/Font")).values():
        font = _resolved(font)
        descriptor = _resolved(font.get("/FontDescriptor"))
        program = descriptor.get("/FontFile2")
        program = program.get_object() if isinstance(program, IndirectObject) else program
        name = str(font.get("/BaseFont", ""))
        if "+" not in name or not isinstance(program, StreamObject):
            continue
        tag = subset_tag(program.get_data())
        renamed = NameObject("/" + tag + name[name.index("+") :])
        font[NameObject("/BaseFont")] = renamed
        descriptor[NameObject("/FontName")] = renamed


def _add_entry(copier: Copier, dictionary: DictionaryObject, key: str) -> int | None:
    """The object holding ``dictionary[key]`` (a dictionary), queued for copying; None without one."""
    value = dictionary.raw_get(key) if key in dictionary else None
    if isinstance(value, IndirectObject):
        usable = isinstance(value.get_object(), DictionaryObject) and not copier.slot_of(value)
        return copier.add(value) if usable else None
    return copier.add_value(value) if isinstance(value, DictionaryObject) else None


def _object(value: object) -> object:
    """``value``, or the object it refers to."""
    return value.get_object() if isinstance(value, IndirectObject) else value


def _resolved(value: object) -> DictionaryObject:
    """``value`` resolved to a dictionary; an empty one when it is missing or not a dictionary."""
    resolved = _object(value)
    return resolved if isinstance(resolved, DictionaryObject) else DictionaryObject()


def _key(ref: IndirectObject) -> ObjectKey:
    return (ref.idnum, ref.generation)
