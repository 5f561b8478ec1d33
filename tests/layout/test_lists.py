"""Bullet lists: a bullet on every item's first line, and wrapped lines that hang at the text, not
under the bullet."""

from __future__ import annotations

import pytest

from tests.layout.support import BULLET, Options, leaflet, matrix


@pytest.mark.parametrize(("name", "options"), matrix())
def test_every_item_has_a_bullet_on_its_first_baseline(name: str, options: Options) -> None:
    """This test ensures that each list item's first line has a bullet glyph to the left of the item's
    first character, on the same baseline, in the same size, within two ems of the text."""
    doc = leaflet(name, options)
    bullets = [c for c in doc.chars if c.text == BULLET]
    items = doc.located_kind("item")
    missing = []
    for item in items:
        first = next(c for c in item.chars if not c.text.isspace())
        found = [
            b
            for b in bullets
            if b.page == first.page
            and abs(b.bottom - first.bottom) <= 0.5
            and b.x1 <= first.x0 + 0.01
            and first.x0 - b.x0 <= 2 * doc.scale.body
            and abs(b.size - doc.scale.body) < 0.01
        ]
        if len(found) != 1:
            missing.append(f"line {item.piece.line}: {item.piece.text[:50]!r} ({len(found)} bullets)")
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize(("name", "options"), matrix())
def test_wrapped_item_lines_hang_at_the_item_text(name: str, options: Options) -> None:
    """This test ensures that items hang: every further line of a list item starts where the item's
    text starts (within 1 pt), not under the bullet, also when the item runs on into the next column."""
    doc = leaflet(name, options)
    wrong = []
    wrapped = 0
    for item in doc.located_kind("item"):
        lines = item.lines()
        first = lines[0][0]
        indent = first.x0 - doc.column_lefts()[doc.column_of(first.x0)]
        for line in lines[1:]:
            wrapped += 1
            start = line[0].x0 - doc.column_lefts()[doc.column_of(line[0].x0)]
            if abs(start - indent) > 1.0:
                wrong.append(
                    f"line {item.piece.line}: {item.piece.text[:40]!r} wraps at +{start:.2f}, text at +{indent:.2f}"
                )
    assert not wrong, "\n".join(wrong)
    if name in ("sample", "long_warning.yaml") and options.name == "a4-2col":
        assert wrapped, "expected some items to wrap"
