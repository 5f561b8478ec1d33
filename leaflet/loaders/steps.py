"""Numbered steps written as paragraphs ("1. Wash your hands.", "2. Do not use ...") made numbered lists.

SPL Medication Guides and ePI instructions for use often number their steps by hand, one paragraph each,
with bulleted details under some steps and headings between groups of steps ("Prepare the injection
site" between steps 9 and 10). A run of two or more paragraphs numbered one after the other becomes an
ordered list counting from the first number, and so does a single step numbered 2 or more (the steps
before it stand under another heading); a bulleted list right after a step, or led by it, becomes that
step's nested list; a heading or any other block ends the run, and the next run starts from its own
number. A lone paragraph numbered 1 stays as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from leaflet.model import Block, BulletList, ListItem, Paragraph, Run, Section, plain

_STEP = re.compile(r"^\s*(\d{1,3})[.)]\s+(?=\S)")
"""A step's number at the start of a paragraph: ``12.`` or ``12)`` and a space."""


@dataclass
class _Step:
    number: int
    paragraph: Paragraph
    """The paragraph as written, number included (kept as it is when the run has a single step)."""
    sublist: BulletList | None = None


def with_steps(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """``blocks`` (and their sections') with runs of numbered step paragraphs made numbered lists."""
    out: list[Block] = []
    run: list[_Step] = []
    for block in blocks:
        if isinstance(block, Section):
            block = replace(block, body=with_steps(block.body))
        step = _as_step(block)
        if step is not None and run and step.number == run[0].number + len(run):
            run.append(step)
            continue
        if run and isinstance(block, BulletList) and not block.ordered and run[-1].sublist is None:
            run[-1].sublist = block  # the details of the step before
            continue
        out.extend(_flush(run))
        run = [step] if step is not None else []
        if step is None:
            out.append(block)
    out.extend(_flush(run))
    return tuple(out)


def _as_step(block: Block) -> _Step | None:
    """A numbered paragraph as a step; a bulleted list led by one ("2. Do not use it if:") as a step with
    its details."""
    if isinstance(block, BulletList) and not block.ordered and block.lead is not None:
        step = _as_step(block.lead)
        if step is not None:
            step.sublist = replace(block, lead=None)
        return step
    if type(block) is not Paragraph:
        return None
    match = _STEP.match(plain(block.runs))
    return _Step(int(match.group(1)), block) if match else None


def _flush(run: list[_Step]) -> list[Block]:
    """The run as a numbered list (see the module docstring), else as the blocks it was."""
    if len(run) >= 2 or (run and run[0].number >= 2):  # a lone "10." goes on the steps before a heading
        items = tuple(ListItem(_without_number(step.paragraph), step.paragraph.line, step.sublist) for step in run)
        return [BulletList(items, line=run[0].paragraph.line, ordered=True, start=run[0].number)]
    blocks: list[Block] = []
    for step in run:
        if step.sublist is not None and step.sublist.lead is None and plain(step.paragraph.runs).rstrip().endswith(":"):
            blocks.append(replace(step.sublist, lead=step.paragraph))  # as it was: a list and its lead-in
        else:
            blocks.extend([step.paragraph] if step.sublist is None else [step.paragraph, step.sublist])
    return blocks


def _without_number(paragraph: Paragraph) -> tuple[Run, ...]:
    match = _STEP.match(plain(paragraph.runs))
    count = match.end() if match else 0
    out: list[Run] = []
    for run in paragraph.runs:
        if count >= len(run.text):
            count -= len(run.text)
            continue
        out.append(Run(run.text[count:], run.bold, run.italic))
        count = 0
    return tuple(out)
