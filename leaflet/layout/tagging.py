"""Tagging: the logical structure of a leaflet, recorded while platypus draws it.

One generic hook: a flowable that draws a piece of content wraps its drawing in :func:`tagged` with its
:class:`~leaflet.layout.flowables.BlockRef`. The canvas's :class:`Tagger` then

- closes the artifact sequence that every page runs in by default and opens a marked-content sequence
  ``/P <</MCID n>> BDC ... EMC`` for a piece of text (a *leaf*), or opens a grouping element (a
  *container*, e.g. the warning box's ``Sect``) whose own drawing (fill, frame, icon) stays an artifact;
- adds the structure element under the element open around it, in drawing order, which platypus makes
  the source order; a block drawn in parts (a paragraph or a warning box split over columns or pages)
  keeps one element with several marked-content parts.

Whatever is drawn outside :func:`tagged` (running header and footer, rules, frames, "Continued" notes)
is thus an ``/Artifact``: a new kind of flowable is tagged by naming its kind in :data:`ROLES`, and
drawing nothing untagged by mistake is impossible. The tree is written into the PDF by
:mod:`leaflet.layout.pdf_standard`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

CONTAINERS = {"warning": "Sect", "table": "Table", "row": "TR", "figure-group": "Div", "list": "L"}
"""Block kinds that group other blocks, and their standard structure types (ISO 32000-1, 14.8.4)."""

ROLES = {
    "title": "H1",
    "subtitle": "P",
    "paragraph": "P",
    "lead": "P",
    "item": "LI",
    "notice": "P",
    "caption": "Caption",
    "figure": "Figure",
    "header-cell": "TH",
    "cell": "TD",
}
"""Block kinds drawn as text (leaves) and their structure types; a heading is H2..H6 by section depth
(the title is the one H1). A kind in neither table (``continued-heading``: the repeated heading of a
split box) stays an artifact."""

ARTIFACT_OPEN = "/Artifact BMC"


def role_for(kind: str, level: int) -> str | None:
    """The structure type of a block of ``kind`` (a heading of section depth ``level``), or None for an
    artifact."""
    if kind == "heading":
        return f"H{min(level + 1, 6)}"
    return CONTAINERS.get(kind) or ROLES.get(kind)


@dataclass(eq=False)
class Element:
    """A structure element: its type, its parent, and its kids in reading order (elements, or
    marked-content parts as ``(page index, MCID)``)."""

    role: str
    parent: Element | None
    kids: list[Element | tuple[int, int]] = field(default_factory=list)
    alt: str | None = None
    scope: str | None = None

    def add(self, kid: Element) -> Element:
        self.kids.append(kid)
        return kid


class Tagger:
    """Marks a canvas's content and builds the structure tree (one per canvas, i.e. per build)."""

    def __init__(self) -> None:
        self.document = Element("Document", None)
        self.parents: dict[int, list[Element]] = {}
        """By page index: the element each MCID of the page belongs to, the MCID being the index."""
        self._stack: list[Element] = [self.document]
        self._known: dict[tuple[int, Any], Element] = {}
        self._leaf: Element | None = None
        self._pending_label: Element | None = None
        self._page = 0

    # --- marked content ------------------------------------------------------------------------

    def _open_mark(self, code: list[str], element: Element, page: int) -> None:
        mcids = self.parents.setdefault(page, [])
        element.kids.append((page, len(mcids)))
        code.append(f"EMC /{element.role} <</MCID {len(mcids)}>> BDC")
        mcids.append(element)

    @staticmethod
    def _close_mark(code: list[str]) -> None:
        code.append("EMC " + ARTIFACT_OPEN)

    def page_code(self, code: list[str]) -> None:
        """Wrap a finished page's content ``code`` in the artifact sequence it runs in by default."""
        code.insert(0, ARTIFACT_OPEN)
        code.append("EMC")

    def text_drawn(self, code: list[str], page: int) -> None:
        """A text object was drawn: if it was a list item's bullet, what follows is the item's body."""
        label = self._pending_label
        if label is None or label.parent is None:
            return
        self._pending_label = None
        self._close_mark(code)
        self._open_mark(code, label.parent.kids[-1], page)  # type: ignore[arg-type]

    # --- elements ------------------------------------------------------------------------------

    def _element(self, block: Any, role: str) -> Element:
        """The element of ``block`` under the open element: the one made for an earlier part of the same
        block, or a new one."""
        parent = self._stack[-1]
        key = (id(parent), block)
        known = self._known.get(key)
        if known is not None:
            return known
        if role == "LI":
            parent = self._list_for(parent, getattr(block, "level", 0))
        element = parent.add(Element(role, parent, alt=getattr(block, "alt", None)))
        self._known[key] = element
        return element

    def _list_for(self, parent: Element, level: int) -> Element:
        """The L an item joins: the list just before it under ``parent``, or a new one (an item of a
        deeper ``level`` starts a list inside the last item's body)."""
        last = parent.kids[-1] if parent.kids else None
        if not isinstance(last, Element) or last.role != "L":
            return parent.add(Element("L", parent))
        for _ in range(max(level - 1, 0)):
            item = last.kids[-1] if last.kids else None
            if not isinstance(item, Element):
                break
            body = item.kids[-1]
            assert isinstance(body, Element)
            inner = body.kids[-1] if body.kids else None
            last = inner if isinstance(inner, Element) and inner.role == "L" else body.add(Element("L", body))
        return last

    @contextmanager
    def block(self, code: list[str], page: int, block: Any, *, label: bool = False) -> Iterator[None]:
        """Tag what is drawn inside as ``block`` (see the module's docstring)."""
        role = role_for(block.kind, block.level)
        if role is None or self._leaf is not None:  # an artifact, or a piece of a text already open
            yield
            return
        element = self._element(block, role)
        if block.kind in CONTAINERS:
            self._stack.append(element)
            try:
                yield
            finally:
                self._stack.pop()
            return
        self._leaf = element
        target = element
        if role == "LI":
            target = self._item_parts(element, label=label)
        self._open_mark(code, target, page)
        try:
            yield
        finally:
            self._close_mark(code)
            self._leaf = None
            self._pending_label = None

    def _item_parts(self, item: Element, *, label: bool) -> Element:
        """The element a part of list ``item`` marks: its Lbl (the bullet, drawn first) or its LBody."""
        if not item.kids:
            if label:
                item.add(Element("Lbl", item))
            item.add(Element("LBody", item))
        body = item.kids[-1]
        assert isinstance(body, Element)
        if label and isinstance(item.kids[0], Element) and item.kids[0].role == "Lbl" and len(item.kids[0].kids) == 0:
            self._pending_label = item.kids[0]
            return item.kids[0]
        return body


@contextmanager
def tagged(canvas: Any, block: Any, *, label: bool = False) -> Iterator[None]:
    """Tag what is drawn inside the ``with`` on ``canvas`` as ``block`` (a BlockRef), if the canvas tags.

    ``label``: the drawing starts with a list item's bullet (its first text object), the item's Lbl.
    """
    tagger = getattr(canvas, "tagger", None)
    if tagger is None or block is None or getattr(canvas, "_formData", None) is not None:
        yield
        return
    with tagger.block(canvas._code, canvas.getPageNumber() - 1, block, label=label):
        yield
