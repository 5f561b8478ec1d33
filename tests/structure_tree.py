"""An independent reader of a tagged PDF's structure tree, for the tests: pikepdf walks the tree (elements,
MCIDs, MCRs, attributes) and pdfminer (through pdfplumber) reads the characters of each marked-content
sequence, so that a leaf's text is what its marked content draws; nothing here uses leaflet's own code."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pdfplumber
import pikepdf


@dataclass
class Leaf:
    """A structure element in reading order: its type, its marked-content parts, text and entries."""

    role: str
    parts: list[tuple[int, int]]
    """(page index, MCID) in the element's order."""
    element: Any
    depth: int
    parent_roles: tuple[str, ...]
    text: str = ""
    kids: list[Leaf] = field(default_factory=list)

    @property
    def actual_text(self) -> str | None:
        value = self.element.get("/ActualText")
        return str(value) if value is not None else None


def squeeze(text: str) -> str:
    """``text`` without white space (line ends in a PDF are positions, not spaces) and soft hyphens (the
    hyphen of a word divided at a line end is U+00AD, incidental: PDF Reference 1.7, 10.7.1)."""
    return re.sub(r"[\s\u00ad]+", "", text)


class StructureTree:
    """The structure tree of a PDF (bytes) and the text its marked content draws."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pdf = pikepdf.open(io.BytesIO(data))
        self.page_index = {page.obj.objgen: index for index, page in enumerate(self.pdf.pages)}

    @cached_property
    def root(self) -> Any:
        return self.pdf.Root.StructTreeRoot

    @cached_property
    def elements(self) -> list[Leaf]:
        """Every structure element, depth first in reading order."""
        found: list[Leaf] = []
        self._seen: set[tuple[int, int]] = set()
        kids = self.root.K
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            self._walk(kid, None, 0, (), found)
        texts = self.marked_text
        for leaf in found:
            leaf.text = "".join(texts.get(part, "") for part in leaf.parts)
        return found

    def _walk(self, element: Any, page: int | None, depth: int, up: tuple[str, ...], found: list[Leaf]) -> Leaf:
        if "/Pg" in element:
            page = self.page_index[element.Pg.objgen]
        leaf = Leaf(str(element.S)[1:], [], element, depth, up)
        found.append(leaf)
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else ([] if kids is None else [kids]):
            if isinstance(kid, int):
                assert page is not None, f"{leaf.role} has an MCID and no page"
                leaf.parts.append((page, int(kid)))
            elif kid.get("/Type") == "/MCR":
                leaf.parts.append((self.page_index[kid.Pg.objgen] if "/Pg" in kid else page, int(kid.MCID)))
            elif kid.objgen not in self._seen or kid.objgen == (0, 0):  # an element reached twice: not again
                self._seen.add(kid.objgen)
                leaf.kids.append(self._walk(kid, page, depth + 1, (*up, leaf.role), found))
        return leaf

    @cached_property
    def chars(self) -> list[list[dict[str, Any]]]:
        """By page: pdfminer's characters with their MCID and marked-content tag."""
        with pdfplumber.open(io.BytesIO(self.data)) as pdf:
            return [list(page.chars) for page in pdf.pages]

    @cached_property
    def marked_text(self) -> dict[tuple[int, int], str]:
        """By (page index, MCID): the characters drawn in that marked-content sequence, in stream order."""
        texts: dict[tuple[int, int], str] = {}
        for index, chars in enumerate(self.chars):
            for char in chars:
                if char.get("mcid") is not None:
                    key = (index, int(char["mcid"]))
                    texts[key] = texts.get(key, "") + char["text"]
        return texts

    def leaves(self) -> list[Leaf]:
        """Elements holding marked content (text or a picture), in reading order."""
        return [leaf for leaf in self.elements if leaf.parts]

    def parent_tree(self) -> dict[int, list[Any]]:
        """The ParentTree's ``Nums`` as a dict (leaflet writes a flat number tree)."""
        nums = self.root.ParentTree.Nums
        return {int(nums[index]): list(nums[index + 1]) for index in range(0, len(nums), 2)}
