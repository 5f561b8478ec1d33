"""Orders with the structures a packet must carry over, built with pypdf object by object, and readers of
what a packet holds: its page tree as stored, its outline, destinations and the fonts its pages reach.

:func:`structured_order` is an order as a document system might write it: a two-level page tree whose
root and intermediate nodes hold the MediaBox, CropBox, /Rotate and /Resources the pages inherit,
bookmarks, named destinations both in the catalog's /Dests and in a /Names /Dests name tree, links that use
them, and a form with a filled-in text field. :func:`layered_order` has a layer hidden by default.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pikepdf
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

ORDER_PAGES = 4
ROOT_BOX = (0, 0, 612, 792)
"""The MediaBox the page tree's root gives pages 1-2 (Letter)."""
BRANCH_BOX = (0, 0, 595, 842)
"""The MediaBox the second intermediate node gives pages 3-4 (A4), overriding the root's."""
CROP_BOX = (10, 10, 602, 782)
"""The CropBox the first intermediate node gives pages 1-2 (pages 3-4 have none)."""
ROOT_ROTATE = 90
OWN_ROTATE = 180
"""Page 4's own /Rotate, overriding the inherited one."""
FIELD_NAME = "pharmacist"
FIELD_VALUE = "Checked by A. Pharmacist (ÅP)"
BOOKMARKS: tuple[tuple[str, int, tuple[tuple[str, int], ...]], ...] = (
    ("Prescription", 0, ()),
    ("Invoice", 2, (("Delivery note", 3),)),
)
"""(title, 0-based order page, children) of the order's outline; "Delivery note" goes there through a GoTo
action naming :data:`TREE_DEST`."""
CATALOG_DEST = "Chapter2"
"""A name of the catalog's /Dests (PDF 1.1 style), for page 3."""
TREE_DEST = "delivery-note"
"""A name of the /Names /Dests name tree, for page 4."""
TEXTS = tuple(f"Order 7 line {number}" for number in range(1, ORDER_PAGES + 1))
INHERITABLE = ("/MediaBox", "/CropBox", "/Rotate", "/Resources")

Add = Callable[[PdfObject], IndirectObject]


def name(value: str) -> NameObject:
    return NameObject(value)


def dictionary(**entries: PdfObject) -> DictionaryObject:
    """A dictionary of ``entries`` (keys without their slash)."""
    return DictionaryObject({NameObject("/" + key): value for key, value in entries.items()})


def numbers(*values: float) -> ArrayObject:
    return ArrayObject([NumberObject(value) if float(value).is_integer() else FloatObject(value) for value in values])


def _written(writer: PdfWriter) -> bytes:
    stream = io.BytesIO()
    writer.write(stream)
    return stream.getvalue()


def structured_order(password: str | None = None) -> bytes:
    """The order described in the module docstring (4 pages; see the constants for what each holds),
    AES-256 encrypted with the user password ``password`` when one is given."""
    writer = PdfWriter()
    add: Add = writer._add_object
    helvetica = add(dictionary(Type=name("/Font"), Subtype=name("/Type1"), BaseFont=name("/Helvetica")))
    resources = add(dictionary(Font=dictionary(F1=helvetica)))
    root_ref = ref(writer._root_object.raw_get("/Pages"))
    branches = [add(dictionary(Type=name("/Pages"), Parent=root_ref)) for _ in range(2)]
    as_dict(branches[0])[name("/CropBox")] = numbers(*CROP_BOX)
    as_dict(branches[1])[name("/MediaBox")] = numbers(*BRANCH_BOX)
    pages: list[IndirectObject] = []
    for number, text in enumerate(TEXTS):
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 12 Tf 72 500 Td ({text}) Tj ET".encode("ascii"))
        pages.append(add(dictionary(Type=name("/Page"), Parent=branches[number // 2], Contents=add(content))))
    as_dict(pages[3])[name("/Rotate")] = NumberObject(OWN_ROTATE)
    for index, branch in enumerate(branches):
        kids = pages[2 * index : 2 * index + 2]
        as_dict(branch).update(dictionary(Kids=ArrayObject(kids), Count=NumberObject(len(kids))))
    as_dict(root_ref).update(
        dictionary(
            Kids=ArrayObject(branches),
            Count=NumberObject(len(pages)),
            MediaBox=numbers(*ROOT_BOX),
            Rotate=NumberObject(ROOT_ROTATE),
            Resources=resources,
        )
    )
    catalog = writer._root_object
    _add_links(add, pages)
    _add_form(add, catalog, pages[1], helvetica)
    explicit = ArrayObject([pages[2], name("/XYZ"), NumberObject(0), NumberObject(842), NumberObject(0)])
    catalog[name("/Dests")] = add(dictionary(**{CATALOG_DEST: explicit}))
    leaf = add(
        dictionary(
            Limits=ArrayObject([TextStringObject(TREE_DEST)] * 2),
            Names=ArrayObject([TextStringObject(TREE_DEST), ArrayObject([pages[3], name("/Fit")])]),
        )
    )
    catalog[name("/Names")] = dictionary(Dests=add(dictionary(Kids=ArrayObject([leaf]))))
    catalog[name("/Outlines")] = _outline(add, pages)
    if password is not None:
        writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm="AES-256")
    return _written(writer)


def _add_links(add: Add, pages: list[IndirectObject]) -> None:
    """Page 1 links to the catalog's named destination (a name) and to the name tree's (a string and a
    GoTo action)."""
    links = [
        dictionary(Dest=name("/" + CATALOG_DEST)),
        dictionary(Dest=TextStringObject(TREE_DEST)),
        dictionary(A=dictionary(S=name("/GoTo"), D=TextStringObject(TREE_DEST))),
    ]
    annots = ArrayObject()
    for index, link in enumerate(links):
        link.update(
            dictionary(
                Type=name("/Annot"),
                Subtype=name("/Link"),
                Rect=numbers(72, 400 - 40 * index, 300, 430 - 40 * index),
                Border=numbers(0, 0, 0),
                P=pages[0],
            )
        )
        annots.append(add(link))
    as_dict(pages[0])[name("/Annots")] = annots


def _add_form(add: Add, catalog: DictionaryObject, page: IndirectObject, font: IndirectObject) -> None:
    """A text field filled in with :data:`FIELD_VALUE`, its widget on ``page``."""
    appearance = DecodedStreamObject()
    appearance.set_data(b"/Tx BMC BT /Helv 10 Tf 2 6 Td (" + FIELD_VALUE.encode("latin-1") + b") Tj ET EMC")
    appearance.update(dictionary(Type=name("/XObject"), Subtype=name("/Form"), BBox=numbers(0, 0, 300, 20)))
    widget = add(
        dictionary(
            Type=name("/Annot"),
            Subtype=name("/Widget"),
            FT=name("/Tx"),
            T=TextStringObject(FIELD_NAME),
            V=TextStringObject(FIELD_VALUE),
            DA=TextStringObject("/Helv 10 Tf 0 g"),
            Rect=numbers(72, 300, 372, 320),
            F=NumberObject(4),
            P=page,
            AP=dictionary(N=add(appearance)),
        )
    )
    as_dict(page)[name("/Annots")] = ArrayObject([widget])
    catalog[name("/AcroForm")] = add(
        dictionary(
            Fields=ArrayObject([widget]),
            DR=dictionary(Font=dictionary(Helv=font)),
            DA=TextStringObject("/Helv 0 Tf 0 g"),
        )
    )


def _outline(add: Add, pages: list[IndirectObject]) -> IndirectObject:
    """The order's bookmarks (:data:`BOOKMARKS`), all open."""
    root = add(dictionary(Type=name("/Outlines")))

    def items(entries: tuple[tuple[str, int, tuple[Any, ...]], ...], parent: IndirectObject) -> int:
        refs = [add(dictionary(Title=TextStringObject(title), Parent=parent)) for title, _, _ in entries]
        visible = len(refs)
        for index, (item_ref, (title, page, children)) in enumerate(zip(refs, entries, strict=True)):
            item = as_dict(item_ref)
            if title == "Delivery note":
                item[name("/A")] = dictionary(S=name("/GoTo"), D=TextStringObject(TREE_DEST))
            else:
                item[name("/Dest")] = ArrayObject([pages[page], name("/Fit")])
            if index:
                item[name("/Prev")] = refs[index - 1]
            if index + 1 < len(refs):
                item[name("/Next")] = refs[index + 1]
            if children:
                count = items(tuple((child, at, ()) for child, at in children), item_ref)
                item[name("/Count")] = NumberObject(count)
                visible += count
        as_dict(parent).update(dictionary(First=refs[0], Last=refs[-1]))
        return visible

    as_dict(root)[name("/Count")] = NumberObject(items(BOOKMARKS, root))
    return root


def layered_order() -> bytes:
    """A one-page order with optional content: a "VOID" stamp in a layer that is off by default (as a system
    shows on screen a stamp it does not print), declared in the catalog's /OCProperties."""
    writer = PdfWriter()
    add: Add = writer._add_object
    page = writer.add_blank_page(612, 792)
    font = add(dictionary(Type=name("/Font"), Subtype=name("/Type1"), BaseFont=name("/Helvetica")))
    group = add(dictionary(Type=name("/OCG"), Name=TextStringObject("Void stamp")))
    content = DecodedStreamObject()
    content.set_data(
        b"BT /F1 12 Tf 72 500 Td (Order 7 line 1) Tj ET /OC /stamp BDC BT /F1 48 Tf 72 300 Td (VOID) Tj ET EMC"
    )
    page[name("/Contents")] = add(content)
    page[name("/Resources")] = dictionary(Font=dictionary(F1=font), Properties=dictionary(stamp=group))
    writer._root_object[name("/OCProperties")] = dictionary(
        OCGs=ArrayObject([group]), D=dictionary(OFF=ArrayObject([group]))
    )
    return _written(writer)


# ---------------------------------------------------------------------------------------------------
# Reading a packet back: raw objects through pypdf, without its page-tree flattening where it matters.


@dataclass(frozen=True)
class Bookmark:
    """An outline item: its title, the 0-based page it goes to, its children."""

    title: str
    page: int | None
    children: tuple[Bookmark, ...] = ()


def resolved(value: object) -> object:
    return value.get_object() if isinstance(value, IndirectObject) else value


def as_dict(value: object) -> DictionaryObject:
    """``value`` resolved, which must be a dictionary (a stream's dictionary included)."""
    value = resolved(value)
    assert isinstance(value, DictionaryObject), value
    return value


def as_list(value: object) -> ArrayObject:
    """``value`` resolved, which must be an array."""
    value = resolved(value)
    assert isinstance(value, ArrayObject), value
    return value


def ref(value: object) -> IndirectObject:
    """``value``, which must be an indirect reference (as ``raw_get`` returns it)."""
    assert isinstance(value, IndirectObject), value
    return value


def number_of(page: PageObject) -> int:
    """The object number of a page read from a file."""
    return ref(page.indirect_reference).idnum


def stored(page: PageObject) -> DictionaryObject:
    """The page's dictionary as the file stores it (pypdf's PageObject has the inherited attributes added)."""
    return as_dict(page.indirect_reference)


def reader_of(data: bytes, password: str | None = None) -> PdfReader:
    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        reader.decrypt(password or "")
    return reader


def page_numbers(reader: PdfReader) -> dict[int, int]:
    """Object number of each page -> its 0-based index."""
    return {number_of(page): index for index, page in enumerate(reader.pages)}


def inherited(node: DictionaryObject, key: str) -> Any:
    """``key`` of a page as a reader sees it: the page's own, else its nearest ancestor's (raw, unflattened)."""
    current: object = node
    for _ in range(32):
        if not isinstance(current, DictionaryObject):
            break
        if key in current:
            return plain(current.raw_get(key))
        current = resolved(current.get("/Parent"))
    return None


def plain(value: object, depth: int = 0) -> Any:
    """``value`` resolved into Python values to compare across files (numbers as floats, streams as their
    decoded data, /Parent and /P left out: they point back up)."""
    value = resolved(value)
    if depth > 8:
        return "..."
    if isinstance(value, DictionaryObject):
        entries = {str(key): plain(item, depth + 1) for key, item in value.items() if key not in ("/Parent", "/P")}
        if isinstance(value, StreamObject):
            entries["stream"] = value.get_data()
        return entries
    if isinstance(value, list):
        return [plain(item, depth + 1) for item in value]
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        return float(value)
    return repr(value)


def name_tree_lookup(node: object, key: str, depth: int = 0) -> object:
    """The value of ``key`` in a name tree (its /Names pairs and /Kids), or None."""
    node = resolved(node)
    if not isinstance(node, DictionaryObject) or depth > 16:
        return None
    names = as_list(node.get("/Names", ArrayObject()))
    for index in range(0, len(names) - 1, 2):
        if str(names[index]) == key:
            return names[index + 1]
    for kid in as_list(node.get("/Kids", ArrayObject())):
        found = name_tree_lookup(kid, key, depth + 1)
        if found is not None:
            return found
    return None


def destination_page(reader: PdfReader, destination: object) -> int | None:
    """The 0-based page a destination goes to: an explicit array, a name of the catalog's /Dests, a string
    of the /Names /Dests tree, or a dictionary with /D; None when it goes nowhere."""
    catalog = reader.root_object
    for _ in range(4):
        destination = resolved(destination)
        if isinstance(destination, NameObject):
            destination = as_dict(catalog["/Dests"]).get(destination) if "/Dests" in catalog else None
        elif isinstance(destination, str):
            tree = as_dict(catalog["/Names"]).get("/Dests") if "/Names" in catalog else None
            destination = name_tree_lookup(tree, str(destination))
        elif isinstance(destination, DictionaryObject) and "/D" in destination:
            destination = destination["/D"]
        else:
            break
    if isinstance(destination, list) and destination and isinstance(destination[0], IndirectObject):
        return page_numbers(reader).get(destination[0].idnum)
    return None


def target_of(reader: PdfReader, item: DictionaryObject) -> int | None:
    """The page an outline item or a link annotation goes to (its /Dest, else its GoTo action's /D)."""
    if "/Dest" in item:
        return destination_page(reader, item["/Dest"])
    if "/A" in item:
        action = as_dict(item["/A"])
        if action.get("/S") == "/GoTo":
            return destination_page(reader, action["/D"])
    return None


def outline(reader: PdfReader) -> tuple[Bookmark, ...]:
    """The document's outline as :class:`Bookmark` trees, asserting that its links are consistent: each item's
    /Parent is the node listing it, /Prev and /Next are mirror images, /First and /Last are the ends."""
    return _outline_items(reader, ref(reader.root_object.raw_get("/Outlines")), 0)


def _outline_items(reader: PdfReader, parent_ref: IndirectObject, depth: int) -> tuple[Bookmark, ...]:
    parent = as_dict(parent_ref)
    assert depth < 16
    if "/First" not in parent:
        assert "/Last" not in parent
        return ()
    items: list[Bookmark] = []
    previous: IndirectObject | None = None
    current: IndirectObject | None = ref(parent.raw_get("/First"))
    while current is not None:
        assert len(items) < 500, "an outline loop"
        item = as_dict(current)
        title = str(item["/Title"])
        assert ref(item.raw_get("/Parent")).idnum == parent_ref.idnum, f"/Parent of {title!r}"
        if previous is None:
            assert "/Prev" not in item, f"/Prev of {title!r}"
        else:
            assert ref(item.raw_get("/Prev")).idnum == previous.idnum, f"/Prev of {title!r}"
        items.append(Bookmark(title, target_of(reader, item), _outline_items(reader, current, depth + 1)))
        previous = current
        current = ref(item.raw_get("/Next")) if "/Next" in item else None
    assert previous is not None and ref(parent.raw_get("/Last")).idnum == previous.idnum
    return tuple(items)


def shifted(bookmarks: tuple[Bookmark, ...], offset: int) -> tuple[Bookmark, ...]:
    """``bookmarks`` with every page moved ``offset`` pages on."""
    return tuple(
        Bookmark(b.title, None if b.page is None else b.page + offset, shifted(b.children, offset)) for b in bookmarks
    )


@dataclass(frozen=True)
class FontUse:
    """A font a page draws with, and the form XObject it is drawn through (None: the page's own resources)."""

    xobject: str | None
    number: int | None
    """The font dictionary's object number (None: a direct dictionary)."""
    font: DictionaryObject

    @property
    def base_font(self) -> str:
        return str(self.font.get("/BaseFont"))


def fonts_used(page: DictionaryObject) -> list[FontUse]:
    """Every font of the page's resources and of the resources of its form XObjects (recursively)."""
    found: list[FontUse] = []

    def walk(resources: object, via: str | None, depth: int) -> None:
        resources = resolved(resources)
        if not isinstance(resources, DictionaryObject) or depth > 8:
            return
        for font in as_dict(resources.get("/Font", DictionaryObject())).values():
            number = font.idnum if isinstance(font, IndirectObject) else None
            found.append(FontUse(via, number, as_dict(font)))
        for key, xobject in as_dict(resources.get("/XObject", DictionaryObject())).items():
            form = as_dict(xobject)
            if form.get("/Subtype") == "/Form":
                walk(form.get("/Resources"), via or str(key), depth + 1)

    walk(page.get("/Resources"), None, 0)
    return found


def font_program(font: DictionaryObject) -> StreamObject | None:
    """The embedded TrueType program (/FontFile2) of a simple or composite font, or None."""
    if font.get("/Subtype") == "/Type0":
        font = as_dict(as_list(font["/DescendantFonts"])[0])
    if "/FontDescriptor" not in font:
        return None
    program = resolved(as_dict(font["/FontDescriptor"]).get("/FontFile2"))
    return program if isinstance(program, StreamObject) else None


def raw_keys(data: bytes, password: str | None = None) -> dict[str, list[list[str]]]:
    """The keys of the page tree's nodes, level by level (root, middle, leaves), as stored: read with pypdf's
    raw objects, as pikepdf (qpdf) pushes inherited attributes down to the pages when it opens a file."""
    reader = reader_of(data, password)
    levels: dict[str, list[list[str]]] = {}
    nodes = [as_dict(reader.root_object["/Pages"])]
    for level in ("root", "middle", "leaves"):
        levels[level] = [sorted(str(key) for key in node) for node in nodes]
        nodes = [as_dict(kid) for node in nodes for kid in as_list(node.get("/Kids", ArrayObject()))]
    return levels


def pikepdf_check(data: bytes) -> None:
    """qpdf's structural check (through pikepdf) of a packet held in memory (as check_with_qpdf on a file)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        check = getattr(pdf, "check_pdf_syntax", None) or pdf.check  # type: ignore[attr-defined]
        problems = check()
        assert not problems, problems
