"""Structure trees in packets: a tagged part's (a leaflet's, an order's) structure tree copied with its pages.

Consumes a catalog read by pypdf and the :class:`~leaflet.pdf.copier.Copier` copying its pages; returns a
:class:`CopiedStructure`: the part's top structure elements and its ParentTree entries, as bodies of the
part's fragment. The packet (:mod:`leaflet.pdf.packet_structure`) puts each part's elements under a ``Part``
element of its own Document and renumbers the ParentTree keys (``/StructParents`` of pages,
``/StructParent`` of annotations: the copier writes them as ``structkeyN`` slots). MCIDs are per page
and stay as they are.

The StructTreeRoot, and a single ``Document`` element under it, are replaced by the part's ``Part``
(the slot :data:`STRUCTURE_SLOT`): their kids' ``/P`` then points at it.
"""

from __future__ import annotations

from dataclasses import dataclass

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, NumberObject

from leaflet.pdf.copier import Copier, ObjectKey
from leaflet.pdf.fragment import Body

STRUCTURE_SLOT = "structure"
MAX_TREE_DEPTH = 32
MAX_ENTRIES = 100_000
"""Most ParentTree entries and top elements read from one part (a hostile tree is cut there)."""


@dataclass(frozen=True)
class CopiedStructure:
    """A part's structure tree, its objects in the part's fragment."""

    kids: tuple[int, ...]
    """The top structure elements (under the StructTreeRoot, or under its one Document)."""
    parents: tuple[tuple[int, Body, int], ...]
    """The ParentTree's entries: key (a page's ``/StructParents``, an annotation's ``/StructParent``), value
    (an array of elements by MCID, or one element) and the length of a direct array (else -1)."""
    role_map: Body | None
    """The ``/RoleMap`` (custom structure types mapped to standard ones), when the part has one."""
    lang: str | None
    """The catalog's ``/Lang``."""


def structure_slots(root: DictionaryObject) -> dict[ObjectKey, str]:
    """The objects of ``root``'s structure tree a packet replaces by the part's element (see the module)."""
    ref = root.raw_get("/StructTreeRoot") if "/StructTreeRoot" in root else None
    if not isinstance(ref, IndirectObject):
        return {}
    slots = {(ref.idnum, ref.generation): STRUCTURE_SLOT}
    document = _single_document(ref.get_object())
    if document is not None:
        slots[(document.idnum, document.generation)] = STRUCTURE_SLOT
    return slots


def _single_document(tree: object) -> IndirectObject | None:
    """The tree's one top element when it is a ``Document`` (an indirect one), else None."""
    if not isinstance(tree, DictionaryObject):
        return None
    kids = tree.raw_get("/K") if "/K" in tree else None
    if isinstance(kids, ArrayObject) and len(kids) == 1:
        kids = kids[0]
    if isinstance(kids, IndirectObject):
        element = kids.get_object()
        if isinstance(element, DictionaryObject) and element.get("/S") == NameObject("/Document"):
            return kids
    return None


def copy_structure(copier: Copier, root: DictionaryObject) -> CopiedStructure | None:
    """``root``'s structure tree queued on ``copier`` (built with :func:`structure_slots`); None without a
    usable one."""
    ref = root.raw_get("/StructTreeRoot") if "/StructTreeRoot" in root else None
    tree = ref.get_object() if isinstance(ref, IndirectObject) else None
    if not isinstance(tree, DictionaryObject):
        return None
    document = _single_document(tree)
    top = document.get_object() if document is not None else tree
    assert isinstance(top, DictionaryObject)  # _single_document checked it
    kids_value = top.get("/K")
    listed = list(kids_value) if isinstance(kids_value, ArrayObject) else [top.raw_get("/K")] if "/K" in top else []
    kids = tuple(dict.fromkeys(copier.add(kid) for kid in listed[:MAX_ENTRIES] if _is_element(kid, copier)))
    parents = tuple(
        (key, copier.serialize(value), len(value) if isinstance(value, ArrayObject) else -1)
        for key, value in _number_tree(tree.get("/ParentTree"), 0, set())
    )
    role_map = tree.get("/RoleMap")
    lang = root.get("/Lang")
    return CopiedStructure(
        kids,
        parents,
        copier.serialize(role_map) if isinstance(role_map, DictionaryObject) else None,
        str(lang) if isinstance(lang, str) else None,
    )


def _is_element(kid: object, copier: Copier) -> bool:
    """An indirect structure element (not a marked-content kid, not an object the packet replaces)."""
    if not isinstance(kid, IndirectObject) or copier.slot_of(kid):
        return False
    element = kid.get_object()
    return isinstance(element, DictionaryObject) and "/S" in element


def _number_tree(node: object, depth: int, seen: set[int]) -> list[tuple[int, object]]:
    """The (key, value) entries of a number tree, in key order (``Nums`` and ``Kids``); a loop or an
    over-deep or over-large tree is cut."""
    if isinstance(node, IndirectObject):
        if node.idnum in seen:
            return []
        seen.add(node.idnum)
        node = node.get_object()
    if not isinstance(node, DictionaryObject) or depth > MAX_TREE_DEPTH:
        return []
    entries: list[tuple[int, object]] = []
    nums = node.get("/Nums")
    if isinstance(nums, ArrayObject):
        for index in range(0, len(nums) - 1, 2):
            if type(nums[index]) is NumberObject:
                entries.append((int(nums[index]), nums[index + 1]))
    kids = node.get("/Kids")
    for kid in kids if isinstance(kids, ArrayObject) else []:
        if len(entries) >= MAX_ENTRIES:
            break
        entries.extend(_number_tree(kid, depth + 1, seen))
    return sorted(entries[:MAX_ENTRIES], key=lambda entry: entry[0])
