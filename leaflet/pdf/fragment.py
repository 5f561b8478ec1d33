"""PDF objects as bytes with their references left open, to be numbered when a packet is written.

A :class:`Fragment` is a group of PDF objects serialised once (a leaflet laid out once per batch, an
embedded font subset, the pages copied from an order) whose references to each other are kept as
indices, and whose references to the packet around them (its page tree, a page, an outline item)
are kept as named slots. :meth:`Fragment.render` numbers them from a base: joining bytes, never
serialising again, which is what makes a packet cheap once its leaflet is laid out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

Part = bytes | int | str
"""Of an object's body: literal PDF syntax, a reference to an object of the same fragment (its
index), or a reference to an object of the packet named by a slot (e.g. ``"pages"``)."""
Body = tuple[Part, ...]


@dataclass(frozen=True)
class Fragment:
    """Objects whose references are indices into :attr:`bodies` or named slots."""

    bodies: tuple[Body, ...]

    def __len__(self) -> int:
        return len(self.bodies)

    def render(self, base: int, slots: Mapping[str, bytes]) -> list[bytes]:
        """The objects' bodies, object ``i`` numbered ``base + i``; ``slots`` maps names to ``N 0 R``."""
        return [render_body(body, base, slots) for body in self.bodies]


def render_body(body: Body, base: int, slots: Mapping[str, bytes]) -> bytes:
    """One body with its references filled in (see :class:`Fragment`)."""
    return b"".join(
        part if isinstance(part, bytes) else b"%d 0 R" % (base + part) if isinstance(part, int) else slots[part]
        for part in body
    )


def reference(number: int) -> bytes:
    """``N 0 R``: a reference to object ``number``."""
    return b"%d 0 R" % number


def stream_body(dictionary: bytes, data: bytes) -> bytes:
    """A stream object's body: ``<< dictionary /Length n >>`` then the (already encoded) ``data``."""
    return b"<<" + dictionary + b" /Length %d>>\nstream\n" % len(data) + data + b"\nendstream"
