"""Tagging: the logical structure of a leaflet, recorded while platypus draws it.

One generic hook: a flowable that draws a piece of content wraps its drawing in :func:`tagged` with its
:class:`~leaflet.layout.flowables.BlockRef`. The canvas's :class:`Tagger` then

- closes the artifact sequence that every page runs in by default and opens a marked-content sequence
  ``/P <</MCID n>> BDC ... EMC`` for a piece of text (a *leaf*), or opens a grouping element (a
  *container*: the warning box's ``Sect``) whose own drawing (fill, frame, icon) stays an artifact;
- puts the element under the :class:`Node` chain its block names (``groups``: a list's ``L``/``LI``, a
  table's ``Table``/``THead``/``TR``, a notice's ``Div``), under the container open around it, in drawing
  order, which platypus makes the source order. Nodes are compared by identity: a block drawn in parts
  (a paragraph, a list, a table or a warning box split over columns or pages) keeps one element with
  several marked-content parts, and two cells reading "5 mg" stay two cells.

Whatever is drawn outside :func:`tagged` (rules, frames, fills, "Continued" notes, a table's header row
repeated on the next page) is thus an ``/Artifact``; the running header and footer are drawn in
:func:`pagination` (``/Artifact`` of type ``/Pagination``). A new kind of flowable is tagged by naming its
kind in :data:`ROLES`: drawing nothing untagged by mistake is impossible. Shaped text
(:func:`leaflet.text.glyph_draw.draw_glyphs`) asks the canvas's :class:`GlyphMarks` for its ActualText
spans, which become sequences of the element's own rather than sequences nested in it. The tree is
written into the PDF by :mod:`leaflet.layout.pdf_standard`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

CONTAINERS = {"warning": "Sect"}
"""Block kinds drawn around other blocks, and their standard structure types (ISO 32000-1, 14.8.4)."""

ROLES = {
    "title": "H1",
    "subtitle": "P",
    "paragraph": "P",
    "lead": "P",
    "item": "LBody",
    "notice": "P",
    "caption": "Caption",
    "figure": "Figure",
    "header-cell": "TH",
    "cell": "TD",
}
"""Block kinds drawn as text or pictures (leaves) and their structure types; a heading is H2..H6 by section
depth (the title is the one H1). A kind in neither table (``continued-heading``: the repeated heading of a
split box) stays an artifact."""

ARTIFACT_OPEN = "/Artifact BMC"


def role_for(kind: str, level: int) -> str | None:
    """The structure type of a block of ``kind`` (a heading of section depth ``level``), or None for an
    artifact."""
    if kind == "heading":
        return f"H{min(level + 1, 6)}"
    return CONTAINERS.get(kind) or ROLES.get(kind)


@dataclass(eq=False)
class Node:
    """A structure element the story declares before drawing (a list, an item, a table, a row, a cell, a
    notice's group): compared by identity. ``kids`` are made with it, in order (a table's rows and cells,
    also those left empty)."""

    role: str
    kids: list[Node] = field(default_factory=list)
    title: str | None = None
    scope: str | None = None
    colspan: int = 1
    lang: str | None = None
    numbering: str | None = None
    """A list's ListNumbering attribute (Decimal, LowerAlpha, Disc...)."""


@dataclass(eq=False)
class Element:
    """A structure element: its type, its parent, and its kids in reading order (elements, or
    marked-content parts as ``(page index, MCID)``)."""

    role: str
    parent: Element | None
    kids: list[Element | tuple[int, int]] = field(default_factory=list)
    alt: str | None = None
    title: str | None = None
    scope: str | None = None
    colspan: int = 1
    lang: str | None = None
    numbering: str | None = None
    actual_text: str | None = None
    bbox: tuple[float, float, float, float] | None = None

    def add(self, kid: Element) -> Element:
        self.kids.append(kid)
        return kid

    @property
    def has_entries(self) -> bool:
        """Whether it has an entry beyond its type, parent and kids (text entries or attributes)."""
        return bool(
            self.alt or self.actual_text or self.title or self.lang or self.scope or self.numbering or self.bbox
        ) or (self.colspan > 1)


class Tagger:
    """Marks a canvas's content and builds the structure tree (one per canvas, i.e. per build)."""

    def __init__(self) -> None:
        self.document = Element("Document", None)
        self.parents: dict[int, list[Element]] = {}
        """By page index: the element each MCID of the page belongs to, the MCID being the index."""
        self._stack: list[Element] = [self.document]
        self._known: dict[int, tuple[object, Element]] = {}
        """By ``id`` of a node or block (kept alive beside it): its element."""
        self._drawn: dict[int, object] = {}
        """Flowables drawn so far: one drawn again (a table's repeated header row) is an artifact."""
        self._leaf: Element | None = None
        self._pending_label: Element | None = None
        self._marked: Element | None = None
        """The element the leaf's marked content belongs to (its Lbl, then its body)."""
        self._open = False
        """Whether a marked-content sequence of the leaf is open (after an ActualText span it is not)."""
        self._artifact = ARTIFACT_OPEN
        """The artifact sequence content outside leaves runs in (the header's and footer's pagination one)."""
        self._lazy = False

    # --- marked content ------------------------------------------------------------------------

    def _mark(self, element: Element, page: int, tag: str | None = None, actual: str | None = None) -> str:
        """Operators opening a marked-content sequence of ``element`` with the page's next MCID."""
        mcids = self.parents.setdefault(page, [])
        element.kids.append((page, len(mcids)))
        mcids.append(element)
        extra = f" /ActualText {actual}" if actual else ""
        return f"/{tag or element.role} <</MCID {len(mcids) - 1}{extra}>> BDC"

    def _open_mark(self, code: list[str], element: Element, page: int) -> None:
        code.append("EMC " + self._mark(element, page))
        self._marked, self._open = element, True

    def _close_mark(self, code: list[str]) -> None:
        code.append(("EMC " if self._open else "") + self._artifact)
        self._open = False

    def actual_text_marks(self, page: int, actual: str) -> tuple[str, str]:
        """Operators around glyphs that read ``actual`` (a PDF string): in a leaf, a ``Span`` sequence of the
        leaf's own with the ActualText, after which the leaf's content resumes in a new sequence
        (:meth:`resume_marks`): never nested in the leaf's, as poppler and pdfminer lose the MCID around a
        nested sequence. Outside a leaf, a ``Span`` nested in the artifact (poppler reads ActualText only
        from a ``Span``)."""
        if self._marked is None:
            return f"/Span <</ActualText {actual}>> BDC", "EMC"
        opened = ("EMC " if self._open else "") + self._mark(self._marked, page, "Span", actual)
        self._open = False
        return opened, "EMC"

    def resume_marks(self, page: int) -> str:
        """Operators before glyphs drawn without ActualText: a new sequence of the leaf if an ActualText
        span closed the last one."""
        if self._marked is None or self._open:
            return ""
        self._open = True
        return self._mark(self._marked, page)

    def artifact_marks(self, properties: str | None) -> str:
        """Switch the artifact sequence to one with ``properties`` (None: back to the plain one)."""
        self._artifact = f"/Artifact {properties} BDC" if properties else ARTIFACT_OPEN
        return "EMC " + self._artifact

    def page_code(self, code: list[str]) -> None:
        """Wrap a finished page's content ``code`` in the artifact sequence it runs in by default."""
        code.insert(0, ARTIFACT_OPEN)
        code.append("EMC")

    def text_drawn(self, code: list[str], page: int) -> None:
        """A text object was drawn: if it was a list item's label, what follows is the item's body."""
        label = self._pending_label
        if label is None or label.parent is None:
            return
        self._pending_label = None
        body = label.parent.kids[-1]
        assert isinstance(body, Element)
        self._start(code, body, page)

    def _start(self, code: list[str], element: Element, page: int) -> None:
        """Start marking ``element``: at once, or (a shaped paragraph's, drawn by glyph runs that ask for
        their own sequences) when its first glyphs are drawn, so that no sequence is left empty."""
        if self._lazy:
            code.append("EMC")
            self._marked, self._open = element, False
        else:
            self._open_mark(code, element, page)

    # --- elements ------------------------------------------------------------------------------

    def _keyed(self, key: object, parent: Element, make: Any) -> Element:
        """The element of ``key`` (a node or block): the one made for an earlier part, or ``make(parent)``
        added under ``parent``."""
        known = self._known.get(id(key))
        if known is not None:
            return known[1]
        element = parent.add(make(parent))
        self._known[id(key)] = (key, element)
        return element

    def _node(self, node: Node, parent: Element) -> Element:
        known = self._known.get(id(node))
        if known is not None:
            return known[1]
        element = self._keyed(
            node,
            parent,
            lambda up: Element(
                node.role,
                up,
                title=node.title,
                scope=node.scope,
                colspan=node.colspan,
                lang=node.lang,
                numbering=node.numbering,
            ),
        )
        for kid in node.kids:
            self._node(kid, element)
        return element

    def _under(self, block: Any) -> Element:
        """The element a block's own element goes under: its group chain, under the open container."""
        parent = self._stack[-1]
        for node in getattr(block, "groups", ()):
            parent = self._node(node, parent)
        return parent

    def _leaf_element(self, block: Any, role: str) -> Element:
        parent = self._under(block)
        node = getattr(block, "node", None)
        if node is not None:
            return self._node(node, parent)
        return self._keyed(block, parent, lambda up: Element(role, up, alt=getattr(block, "alt", None)))

    @contextmanager
    def block(
        self,
        code: list[str],
        page: int,
        block: Any,
        *,
        flowable: object = None,
        label: bool = False,
        actual_text: str | None = None,
        lazy: bool = False,
    ) -> Iterator[Element | None]:
        """Tag what is drawn inside as ``block`` (see the module's docstring); yields its element (None: an
        artifact)."""
        role = role_for(block.kind, block.level)
        if role == "Figure" and not getattr(block, "alt", None):
            role = None  # a picture without alternative text or caption: a decoration
        if role is None or self._leaf is not None or id(flowable) in self._drawn:
            yield None  # an artifact, a piece of a text already open, or a repeat
            return
        if flowable is not None:
            self._drawn[id(flowable)] = flowable
        if block.kind in CONTAINERS:
            element = self._keyed(block, self._under(block), lambda up: Element(role, up, title=block.text))
            self._stack.append(element)
            try:
                yield element
            finally:
                self._stack.pop()
            return
        element = self._leaf_element(block, role)
        if actual_text:
            element.actual_text = actual_text
        self._leaf = element
        self._lazy = lazy
        if label:
            self._open_mark(code, self._label(element), page)  # the bullet, drawn as text first
        else:
            self._start(code, element, page)
        try:
            yield element
        finally:
            self._close_mark(code)
            self._leaf = self._marked = None
            self._pending_label, self._lazy = None, False

    def _label(self, body: Element) -> Element:
        """The Lbl of a list item (``body``'s LI) when its first part draws the bullet, else ``body``: the
        Lbl goes before the LBody, and the first text object drawn (the bullet) is marked as it."""
        item = body.parent
        if item is None or body.kids or item.kids[0] is not body:
            return body
        label = Element("Lbl", item)
        item.kids.insert(0, label)
        self._pending_label = label
        return label


def tagged(
    canvas: Any,
    block: Any,
    *,
    flowable: object = None,
    label: bool = False,
    actual_text: str | None = None,
    lazy: bool = False,
) -> AbstractContextManager[Element | None]:
    """Tag what is drawn inside the ``with`` on ``canvas`` as ``block`` (a BlockRef), if the canvas tags;
    yields the element (None when untagged or an artifact).

    ``flowable``: what draws it (drawn a second time, it is an artifact); ``label``: the drawing starts with
    a list item's bullet (its first text object), the item's Lbl; ``actual_text``: the element's text
    (a shaped paragraph's, whose glyphs do not spell it); ``lazy``: everything inside is drawn by
    :func:`leaflet.text.glyph_draw.draw_glyphs` (after a bullet), which opens the sequences it needs.
    """
    tagger = getattr(canvas, "tagger", None)
    if tagger is None or block is None or getattr(canvas, "_formData", None) is not None:
        return nullcontext()
    page = canvas.getPageNumber() - 1
    return tagger.block(canvas._code, page, block, flowable=flowable, label=label, actual_text=actual_text, lazy=lazy)


@contextmanager
def pagination(canvas: Any, subtype: str) -> Iterator[None]:
    """Draw the running ``Header`` or ``Footer`` inside as a pagination artifact (when the canvas tags), in
    place of the page's default artifact sequence rather than inside it (pdfminer forgets an outer tag
    after an inner one ends)."""
    tagger = getattr(canvas, "tagger", None)
    if tagger is None:
        yield
        return
    canvas._code.append(tagger.artifact_marks(f"<</Type /Pagination /Subtype /{subtype}>>"))
    try:
        yield
    finally:
        canvas._code.append(tagger.artifact_marks(None))


class GlyphMarks:
    """What :func:`leaflet.text.glyph_draw.draw_glyphs` asks a tagging canvas for (``canvas.glyph_marks``):
    the marked content around a run of glyphs, on the canvas's current page."""

    def __init__(self, canvas: Any) -> None:
        self.canvas = canvas

    def actual_text(self, actual: str) -> tuple[str, str]:
        return self.canvas.tagger.actual_text_marks(self.canvas.getPageNumber() - 1, actual)

    def resume(self) -> str:
        return self.canvas.tagger.resume_marks(self.canvas.getPageNumber() - 1)
