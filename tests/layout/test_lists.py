"""Bullet lists: a bullet on every item's first line, wrapped lines that hang at the text, not under the
bullet, and lists kept from splitting where a patient would misread them."""

from __future__ import annotations

import pytest

from leaflet import BuildOptions, build_leaflet
from leaflet.model import BulletList, Metadata, Monograph, Paragraph, Run
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


def _list_after_filler(filler_words: int, items: list[str], *, lead: bool = True) -> Monograph:
    filler = " ".join(f"word{index}" for index in range(filler_words))
    bullets = BulletList(
        tuple(Paragraph((Run(text),), line=10 + index) for index, text in enumerate(items)),
        lead=Paragraph((Run("Baclofen comes in these strengths:"),), line=9) if lead else None,
        line=9,
    )
    return Monograph("Baclofen", Metadata("Baclofen", "en", "2026-12-01"), (Paragraph((Run(filler),)), bullets))


def _frames_of_items(monograph: Monograph, options: BuildOptions) -> list[tuple[int, str]]:
    rendered = build_leaflet(monograph, options)
    return [(place.page, place.frame) for place in rendered.placements if place.kind in ("item", "lead")]


@pytest.mark.parametrize(
    "options", [BuildOptions(), BuildOptions(paper="letter", columns=1)], ids=["a4-2col", "letter-1col"]
)
def test_a_short_list_is_never_split_wherever_it_falls(options: BuildOptions) -> None:
    """This test ensures that a lead-in and four one-line items (strengths a patient may otherwise read as
    the only ones) land in one column, at every position of the list down a column: the filler before it
    grows a few words at a time across a whole column."""
    strengths = ["5 mg tablets", "10 mg tablets", "25 mg tablets", "oral solution 5 mg/5 mL"]
    positions = set()
    for words in range(0, 1400, 23):
        frames = _frames_of_items(_list_after_filler(words, strengths), options)
        assert len(frames) == 5 and len(set(frames)) == 1, (words, frames)
        positions.add(frames[0])
    assert len(positions) > 1  # the filler did push the list across a column boundary


def test_a_long_list_never_leaves_its_first_or_last_item_alone() -> None:
    """This test ensures that a list of twelve items, split wherever it falls, never leaves its first item
    (with its lead-in) or its last item alone in a column."""
    items = [f"Item {index} that says something useful about the medicine" for index in range(12)]
    splits = 0
    for words in range(0, 1400, 23):
        frames = _frames_of_items(_list_after_filler(words, items), BuildOptions())
        first, last = frames[1], frames[-1]
        assert frames.count(first) >= 3, (words, frames)  # lead-in, first and second items
        assert frames.count(last) >= 2, (words, frames)
        splits += len(set(frames)) > 1
    assert splits  # some positions did split the list
