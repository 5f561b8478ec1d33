"""The tags of the two narrative markups leaflet reads: XHTML (ePI sections) and SPL's ``<text>``.

A :class:`Dialect` says which elements are paragraphs, containers, lists and their items, emphasis,
pictures and headings; :mod:`leaflet.loaders.narrative` reads either markup through it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from leaflet.loaders.xml_safe import Node


@dataclass(frozen=True)
class Dialect:
    """The tags of one markup: which are paragraphs, lists, emphasis, pictures..."""

    paragraphs: frozenset[str]
    containers: frozenset[str]
    lists: frozenset[str]
    item: str
    bold: frozenset[str]
    italic: frozenset[str]
    transparent: frozenset[str]
    """Inline elements whose text is kept as it is (``span``, ``a``)."""
    picture: str
    headings: frozenset[str] = frozenset()
    style_of: Callable[[Node], tuple[bool, bool]] = lambda node: (False, False)
    """(bold, italic) an element sets besides its tag (SPL's ``styleCode``)."""
    ordered: Callable[[Node], bool] = lambda node: node.tag == "ol"


XHTML = Dialect(
    paragraphs=frozenset({"p", "dt", "dd", "caption", "figcaption", "pre", "address"}),
    containers=frozenset(
        {"div", "section", "article", "blockquote", "body", "main", "header", "footer", "dl", "center"}
    ),
    lists=frozenset({"ul", "ol"}),
    item="li",
    bold=frozenset({"b", "strong"}),
    italic=frozenset({"i", "em", "cite", "dfn", "var"}),
    transparent=frozenset(
        {"span", "a", "u", "font", "small", "big", "abbr", "acronym", "code", "q", "s", "strike", "del", "ins"}
        | {"mark", "tt", "kbd", "samp", "label", "bdi", "bdo", "time", "data", "wbr", "nobr"}
    ),
    picture="img",
    headings=frozenset({"h1", "h2", "h3", "h4", "h5", "h6"}),
)


def _spl_style(node: Node) -> tuple[bool, bool]:
    codes = node.attrs.get("styleCode", "").lower().split()
    return "bold" in codes, "italics" in codes or "italic" in codes or "emphasis" in codes


SPL = Dialect(
    paragraphs=frozenset({"paragraph", "caption"}),
    containers=frozenset({"text", "footnote", "excerpt"}),
    lists=frozenset({"list"}),
    item="item",
    bold=frozenset(),
    italic=frozenset(),
    transparent=frozenset({"content", "linkHtml", "footnoteRef"}),
    picture="renderMultiMedia",
    style_of=_spl_style,
    ordered=lambda node: node.attrs.get("listType", "").lower() == "ordered",
)


__all__ = ["SPL", "XHTML", "Dialect"]
