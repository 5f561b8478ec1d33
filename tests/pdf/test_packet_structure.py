"""Packets keep structure (issue 13, part 4): a packet of tagged leaflets is tagged; each tagged part (a
leaflet built for it, a leaflet PDF, a tagged order) is a ``Part`` of the packet's Document holding its own
elements, its ParentTree keys renumbered, its MCIDs unchanged; the personalisation band is a ``P`` of its
leaflet on the first page and an artifact on later pages. Read back with pikepdf, pdfminer and pdfua."""

from __future__ import annotations

import io
from pathlib import Path

import pdfua
import pikepdf

from leaflet import BuildOptions, build_leaflet, load_monograph
from leaflet.orders.attach import attach_leaflets
from leaflet.personalise.patient import PatientDetails, patient_details
from tests.conftest import MONOGRAPHS, SAMPLE
from tests.layout.scripts_support import monograph_path
from tests.orders.support import order_pdf
from tests.pdf.support import pikepdf_check
from tests.structure_tree import Leaf, StructureTree, squeeze

PATIENT = {
    "patient": "Zoë Ångström",
    "rx": "RX-40721",
    "dispensed": "2026-11-24",
    "directions": "take 1 tablet three times a day with food",
    "pharmacy": "High Street Pharmacy, 12 High Street",
}
GREEK = MONOGRAPHS / "greek.yaml"


def details() -> PatientDetails:
    found = patient_details(where="order.pdf", **PATIENT)
    assert found is not None
    return found


def leaflet_texts(data: bytes) -> list[tuple[str, str]]:
    """(type, text) of every leaf of a PDF's structure tree, in order."""
    return [(leaf.role, squeeze(leaf.text)) for leaf in StructureTree(data).leaves()]


def part_texts(part: Leaf, tree: StructureTree) -> list[tuple[str, str]]:
    """(type, text) of the leaves under ``part``, in order."""
    start = tree.elements.index(part)
    inside = [leaf for leaf in tree.elements[start + 1 :] if leaf.depth > part.depth]
    found = []
    for leaf in tree.elements[start + 1 : start + 1 + len(inside)]:
        if leaf.depth <= part.depth:
            break
        if leaf.parts:
            found.append((leaf.role, squeeze(leaf.text)))
    return found


def consistent(tree: StructureTree) -> None:
    """Every MCID of every page belongs to one element and the page's ParentTree entry says which; every
    character is tagged or an artifact."""
    owners: dict[tuple[int, int], Leaf] = {}
    for leaf in tree.leaves():
        for part in leaf.parts:
            assert part not in owners, part
            owners[part] = leaf
    parents = tree.parent_tree()
    keys = set()
    for index, page in enumerate(tree.pdf.pages):
        if "/StructParents" not in page.obj:
            assert not [part for part in owners if part[0] == index]
            continue
        key = int(page.obj.StructParents)
        assert key not in keys
        keys.add(key)
        entry = parents[key]
        assert [element.objgen for element in entry] == [
            owners[(index, mcid)].element.objgen for mcid in range(len(entry))
        ]
    assert int(tree.root.ParentTreeNextKey) > max(parents)


def test_packet_of_tagged_leaflets_keeps_each_leaflets_structure(tmp_path: Path) -> None:
    order = tmp_path / "order.pdf"
    order.write_bytes(order_pdf(1))
    packet = attach_leaflets(order, [SAMPLE, GREEK], patient=details())
    tree = StructureTree(packet)
    document = tree.elements[0]
    assert document.role == "Document" and [kid.role for kid in document.kids] == ["Part", "Part"]
    with pikepdf.open(io.BytesIO(packet)) as pdf:
        assert pdf.Root.MarkInfo.Marked is True and pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.Root.Lang) == "en"
    greek_part = document.kids[1]
    assert str(greek_part.element.Lang) == "el" and str(document.kids[0].element.Lang) == "en"
    for part, source in zip(document.kids, (SAMPLE, GREEK), strict=True):
        alone = build_leaflet(load_monograph(source), BuildOptions(paper="letter", personalised=True)).pdf
        texts = part_texts(part, tree)
        band = texts.pop(0)
        assert band[0] == "P" and squeeze(PATIENT["directions"]) in band[1] and squeeze(PATIENT["patient"]) in band[1]
        assert texts == leaflet_texts(alone)
        assert str(part.element.T) == str(StructureTree(alone).pdf.docinfo.Title)
    consistent(tree)


def test_band_in_english_words_on_an_arabic_leaflet_says_so(tmp_path: Path) -> None:
    """The band's words are English on an Arabic leaflet (it cannot shape them yet): its P says /Lang (en),
    inside the leaflet's Part in Arabic."""
    order = tmp_path / "order.pdf"
    order.write_bytes(order_pdf(1))
    packet = attach_leaflets(order, [monograph_path("ar")], patient=details())
    tree = StructureTree(packet)
    part = tree.elements[0].kids[0]
    assert str(part.element.Lang) == "ar"
    assert part.kids[0].role == "P" and str(part.kids[0].element.Lang) == "en"


def test_band_on_a_later_page_is_an_artifact(tmp_path: Path) -> None:
    order = tmp_path / "order.pdf"
    order.write_bytes(order_pdf(1))
    packet = attach_leaflets(order, [SAMPLE], patient=details())
    with pikepdf.open(io.BytesIO(packet)) as pdf:
        marks = [page.obj.Contents[-1].read_bytes() for page in pdf.pages[1:]]  # the leaflet's pages
    assert b"/P <</MCID" in marks[0]
    assert all(b"/Artifact BMC" in mark and b"MCID" not in mark for mark in marks[1:])


def test_tagged_order_and_leaflet_pdf_keep_their_trees_and_pass_pdfua(tmp_path: Path) -> None:
    """An order that is itself tagged (here a tagged leaflet standing in for one), a leaflet PDF copied as
    it is and a monograph built for the packet: three Parts, keys renumbered, MCIDs as they were, pdfua
    passes on the packet."""
    order = tmp_path / "tagged-order.pdf"
    order.write_bytes(build_leaflet(load_monograph(GREEK), BuildOptions(paper="a4")).pdf)
    copied = tmp_path / "leaflet.pdf"
    copied.write_bytes(build_leaflet(load_monograph(SAMPLE), BuildOptions(paper="a4")).pdf)
    packet = attach_leaflets(order, [copied, SAMPLE])
    tree = StructureTree(packet)
    parts = tree.elements[0].kids
    assert [kid.role for kid in parts] == ["Part", "Part", "Part"]
    assert part_texts(parts[0], tree) == leaflet_texts(order.read_bytes())
    assert part_texts(parts[1], tree) == leaflet_texts(copied.read_bytes())
    assert part_texts(parts[2], tree) == leaflet_texts(copied.read_bytes())  # built for the packet on A4
    consistent(tree)
    path = tmp_path / "packet.pdf"
    path.write_bytes(packet)
    report = pdfua.validate(str(path))
    assert not report.findings, [(finding.rule_id, finding.message) for finding in report.findings]


def hostile_tagged_order(path: Path) -> Path:
    """A one-page order whose structure tree a careless copy would loop on or trust: an element that is
    its own kid, a ParentTree whose Kids hold itself, a second page tree key far out of range, a ParentTree
    value that is a string, a RoleMap mapping to a name."""
    with pikepdf.open(io.BytesIO(order_pdf(1))) as pdf:
        page = pdf.pages[0].obj
        element = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name("/Custom")))
        element.K = pikepdf.Array([element, 0])
        element.Pg = page
        tree = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        element.P = tree
        number_tree = pdf.make_indirect(pikepdf.Dictionary())
        number_tree.Nums = pikepdf.Array([0, pikepdf.Array([element]), 5, pikepdf.String("not an array")])
        number_tree.Kids = pikepdf.Array([number_tree])
        tree.K = pikepdf.Array([element, element])
        tree.ParentTree = number_tree
        tree.RoleMap = pikepdf.Dictionary(Custom=pikepdf.Name.P)
        pdf.Root.StructTreeRoot = tree
        page.StructParents = 10**12
        pdf.save(path)
    return path


def test_hostile_structure_tree_of_an_order_is_copied_within_bounds(tmp_path: Path) -> None:
    """A looping or malformed structure tree in an order neither hangs nor breaks the packet: qpdf finds it
    sound, the order's Part holds its element once, and the leaflet's structure follows intact."""
    order = hostile_tagged_order(tmp_path / "order.pdf")
    packet = attach_leaflets(order, [SAMPLE])
    pikepdf_check(packet)
    with pikepdf.open(io.BytesIO(packet)) as pdf:
        assert pdf.Root.StructTreeRoot.RoleMap.Custom == "/P"
    tree = StructureTree(packet)
    parts = tree.elements[0].kids
    assert [part.role for part in parts] == ["Part", "Part"]
    assert [kid.role for kid in parts[0].kids] == ["Custom"]
    alone = build_leaflet(load_monograph(SAMPLE), BuildOptions(paper="letter")).pdf
    assert part_texts(parts[1], tree) == leaflet_texts(alone)
