"""Numbered steps written as paragraphs, as SPL and ePI files carry them, made numbered lists on import."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leaflet import load_monograph
from leaflet.loaders.steps import with_steps
from leaflet.model import BulletList, ListItem, Paragraph, Run, Section, iter_text, plain
from tests.conftest import ROOT

HUMIRA = ROOT.parent / "shared" / "samples" / "spl" / "openfda-humira-medguide.xml"


def _p(text: str, *, bold_number: bool = False) -> Paragraph:
    if bold_number:
        number, rest = text.split(" ", 1)
        return Paragraph((Run(number + " ", bold=True), Run(rest)))
    return Paragraph((Run(text),))


def _bullets(*texts: str, lead: Paragraph | None = None) -> BulletList:
    return BulletList(tuple(_p(text) for text in texts), lead=lead)


def test_consecutive_numbered_paragraphs_become_one_numbered_list_with_details_nested() -> None:
    """This test ensures that paragraphs numbered 1, 2, 3 become one ordered list from 1 without their
    typed numbers (bold runs kept), that a bulleted list after a step, or led by a step ending in ':',
    nests under that step, and that what follows the run is left as it was."""
    blocks = (
        _p("1. Wash your hands."),
        _bullets("with soap", "for 20 seconds"),
        _bullets("you drop it", "it is cloudy", lead=_p("2. Do not use the pen if:", bold_number=True)),
        _p("3) Hold the pen."),
        _p("Keep the cap."),
    )
    steps, after = with_steps(blocks)
    assert isinstance(steps, BulletList) and steps.ordered and steps.start == 1
    assert [plain(item.runs) for item in steps.items] == ["Wash your hands.", "Do not use the pen if:", "Hold the pen."]
    first, second, third = steps.items
    assert isinstance(first, ListItem) and first.sublist is not None and len(first.sublist.items) == 2
    assert isinstance(second, ListItem) and second.sublist is not None and second.sublist.lead is None
    assert [plain(item.runs) for item in second.sublist.items] == ["you drop it", "it is cloudy"]
    assert isinstance(third, ListItem) and third.sublist is None
    assert after == blocks[-1]


def test_runs_break_at_headings_and_gaps_and_count_on_from_their_number() -> None:
    """This test ensures that a heading or a jump in the numbers ends a run, the steps under the next heading
    count on from their own number (even a single one), and a lone paragraph numbered 1 or a numbered
    sentence among ordinary text stays a paragraph."""
    section = Section("Prepare", (_p("10. Wipe the site."), _p("Let it dry.")))
    blocks = (_p("8. Wash."), _p("9. Choose a site."), section, _p("1. A lone note."), _p("3. Three."), _p("5. Five."))
    out = with_steps(blocks)
    assert isinstance(out[0], BulletList) and out[0].start == 8 and len(out[0].items) == 2
    inner = out[1]
    assert isinstance(inner, Section) and isinstance(inner.body[0], BulletList) and inner.body[0].start == 10
    assert out[2] == blocks[3]  # "1." alone
    assert isinstance(out[3], BulletList) and out[3].start == 3 and len(out[3].items) == 1
    assert isinstance(out[4], BulletList) and out[4].start == 5


def _ordered_lists(blocks: tuple[object, ...]) -> list[BulletList]:
    found: list[BulletList] = []
    for block in blocks:
        if isinstance(block, Section):
            found.extend(_ordered_lists(block.body))
        elif isinstance(block, BulletList) and block.ordered:
            found.append(block)
    return found


@pytest.mark.skipif(not HUMIRA.exists(), reason="the shared samples are not beside the project")
def test_the_humira_pen_instructions_are_numbered_lists_and_keep_every_word(tmp_path: Path) -> None:
    """This test ensures that the Humira Medication Guide's pen instructions (steps typed '1.' to '14.'
    among headings, figure labels and bulleted details) import as numbered lists starting where the source
    counts, with no typed number left at the start of an item, and that no word of the guide is lost."""
    monograph = load_monograph(HUMIRA)
    lists = _ordered_lists(monograph.body)
    starts = [steps.start for steps in lists]
    assert 1 in starts and any(start > 1 for start in starts), starts
    numbers = sorted(steps.start + index for steps in lists for index in range(len(steps.items)))
    assert set(range(1, 15)) <= set(numbers), numbers
    for steps in lists:
        for item in steps.items:
            assert not re.match(r"\s*\d{1,3}[.)]\s", plain(item.runs)), plain(item.runs)
    text = " ".join(piece.text for piece in iter_text(monograph))
    assert "Wash and dry your hands well." in text and "Throw away the gray cap" in text
