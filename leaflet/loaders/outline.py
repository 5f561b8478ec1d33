"""Sections from flat narrative blocks: which bold paragraphs are headings, how deep each heading is, and
which part is the boxed overdose warning.

Consumes the blocks of :mod:`leaflet.loaders.narrative` (paragraphs, lists, tables, figures and heading
marks, in reading order); returns the content model's blocks with :class:`~leaflet.model.Section` s.

* A paragraph set all in bold is a heading when it is short and shaped like one (:func:`is_heading_shape`:
  at most :data:`MAX_HEADING_WORDS` words, no final ``.``, ``,``, ``;``, ``:`` or ``!``; a question is a
  heading), never a figure's caption. Of bold lines that follow each other only the first is a heading;
  at the very start of a text such a run is a title block (product name, form), kept as bold paragraphs.
* Depth comes from a rank the format gives each heading (``<h2>`` above ``<h3>``, an SPL part above its
  questions): a heading closes the open sections of its rank or lower and opens under the others.
* The overdose warning (:func:`box_overdose`): a section whose heading names an overdose in any EU
  language (:data:`leaflet.loaders.language.OVERDOSE`), or a paragraph or list item *led* by such words
  ("If you take more X than you should", "If you take too much X, call your doctor."), even one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from leaflet.loaders.language import OVERDOSE
from leaflet.loaders.narrative import CAPTION, Flat, HeadingMark
from leaflet.model import Block, BulletList, Figure, Paragraph, Run, Section, plain

MAX_HEADING_WORDS = 20
"""Longest bold paragraph read as a heading: a bold sentence of 50 words is body text set in bold."""
LEAD_CLAUSE_CHARACTERS = 48
"""How far into a paragraph the overdose words may start for the paragraph to be *led* by them."""
_NOT_HEADING_END = re.compile(r"[.,;:!…。；：！]['’”\")\]]*$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
_REFERENCE = re.compile(r"^\W*(?:see|read|vea|siehe|voir|vedere|zie)\b", re.IGNORECASE)
"""A bold cross-reference ("See “What are the possible side effects?”") is not a heading."""

RankOf = Callable[[HeadingMark], int]


@dataclass
class _Open:
    mark: HeadingMark
    rank: int
    body: list[Block] = field(default_factory=list)


def is_heading_shape(text: str) -> bool:
    """A short line that reads as a heading (see the module docstring)."""
    text = text.strip()
    words = text.split()
    return (
        0 < len(words) <= MAX_HEADING_WORDS
        and any(char.isalpha() for char in text)
        and not _NOT_HEADING_END.search(text)
        and not CAPTION.match(text)
        and not _REFERENCE.match(text)
    )


def bold_only(runs: tuple[Run, ...]) -> bool:
    """Every letter of ``runs`` is bold (punctuation and spaces may be in any style)."""
    lettered = [run for run in runs if any(char.isalnum() for char in run.text)]
    return bool(lettered) and all(run.bold for run in lettered)


def mark_headings(flat: list[Flat], *, title_block: bool = False) -> list[Flat]:
    """``flat`` with bold heading-shaped paragraphs made :class:`HeadingMark` s, and heading marks that
    follow another made bold paragraphs again; with ``title_block``, a leading run of two or more is
    all paragraphs."""
    marked: list[Flat] = []
    for block in flat:
        if isinstance(block, Paragraph) and bold_only(block.runs) and is_heading_shape(plain(block.runs)):
            block = HeadingMark(plain(block.runs).strip(), block.line, 0, block.runs)
        marked.append(block)
    leading = next((index for index, block in enumerate(marked) if not isinstance(block, HeadingMark)), len(marked))
    out: list[Flat] = []
    for index, block in enumerate(marked):
        if isinstance(block, HeadingMark) and block.level == 0:
            follows = index > 0 and isinstance(marked[index - 1], HeadingMark)
            if follows or (title_block and leading >= 2 and index < leading):
                out.append(Paragraph(block.runs, block.line))
                continue
        out.append(block)
    return out


def nest(flat: list[Flat], rank_of: RankOf) -> list[Block]:
    """Sections from heading marks: each holds what follows it until a heading of its rank or above."""
    top: list[Block] = []
    stack: list[_Open] = []

    def close() -> None:
        done = stack.pop()
        mark = done.mark
        if done.body or not mark.runs:
            block: Block = Section(mark.text, tuple(done.body), line=mark.line)
        else:  # a heading over nothing, e.g. a bold "LAB-0348-8.0 October 2012" at the end: a bold line
            block = Paragraph(mark.runs, mark.line)
        (stack[-1].body if stack else top).append(block)

    for block in with_leads(flat):
        if isinstance(block, HeadingMark):
            rank = rank_of(block)
            while stack and stack[-1].rank >= rank:
                close()
            stack.append(_Open(block, rank))
        else:
            (stack[-1].body if stack else top).append(block)
    while stack:
        close()
    return top


def with_leads(flat: list[Flat]) -> Iterator[Flat]:
    """``flat`` with each paragraph that ends in ``:`` right before a list made that list's lead-in."""
    index = 0
    while index < len(flat):
        block = flat[index]
        following = flat[index + 1] if index + 1 < len(flat) else None
        if (
            isinstance(block, Paragraph)
            and isinstance(following, BulletList)
            and following.lead is None
            and plain(block.runs).rstrip().endswith(":")
        ):
            yield BulletList(following.items, block, block.line, following.ordered, following.start)
            index += 2
            continue
        yield block
        index += 1


def box_overdose(blocks: list[Block] | tuple[Block, ...], *, inside: bool = False) -> tuple[Block, ...]:
    """``blocks`` with the overdose advice in warning boxes (see the module docstring)."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Section):
            warning = block.warning or (not inside and bool(OVERDOSE.search(block.heading)))
            body = box_overdose(block.body, inside=inside or warning)
            out.append(Section(block.heading, body, warning, block.line))
        elif isinstance(block, Paragraph) and not inside and led_by_overdose(block.runs):
            out.append(overdose_box(block))
        elif isinstance(block, BulletList) and not inside and any(led_by_overdose(i.runs) for i in block.items):
            out.extend(_split_list(block))
        else:
            out.append(block)
    return tuple(out)


def led_by_overdose(runs: tuple[Run, ...]) -> bool:
    """The text opens with words that name an overdose (within its first clause)."""
    text = plain(runs).lstrip()
    first_clause = re.split(r"[,;:.!?]", text, maxsplit=1)[0]
    match = OVERDOSE.search(first_clause)
    return match is not None and match.start() <= LEAD_CLAUSE_CHARACTERS


def overdose_box(paragraph: Paragraph) -> Section:
    """A paragraph of overdose advice as a warning section: its bold lead (or first sentence) is the
    heading, the rest its text."""
    runs = paragraph.runs
    if len(runs) > 1 and runs[0].bold and led_by_overdose(runs[:1]):
        heading, rest = runs[0].text.strip(), runs[1:]
    else:
        text = plain(runs).strip()
        parts = _SENTENCE_END.split(text, maxsplit=1)
        heading = parts[0]
        rest = _drop_chars(runs, len(plain(runs)) - len(plain(runs).lstrip()) + len(heading))
    rest = _strip_runs(rest)
    body: tuple[Block, ...] = (Paragraph(rest, paragraph.line),) if rest else ()
    return Section(heading, body, True, paragraph.line)


def _split_list(block: BulletList) -> Iterator[Block]:
    """A list with overdose advice among its items: the items before, the box, the items after."""
    items: list[Paragraph] = []
    lead = block.lead
    start = block.start
    for item in block.items:
        if not led_by_overdose(item.runs):
            items.append(item)
            continue
        if items:
            yield BulletList(tuple(items), lead, block.line, block.ordered, start)
            start, lead = start + len(items), None
            items = []
        elif lead is not None:
            yield lead
            lead = None
        box = overdose_box(Paragraph(item.runs, item.line))
        sublist = getattr(item, "sublist", None)
        yield Section(box.heading, box.body + ((sublist,) if sublist else ()), True, box.line)
        start += 1
    if items:
        yield BulletList(tuple(items), lead, block.line, block.ordered, start)


def _drop_chars(runs: tuple[Run, ...], count: int) -> tuple[Run, ...]:
    out: list[Run] = []
    for run in runs:
        if count >= len(run.text):
            count -= len(run.text)
            continue
        out.append(Run(run.text[count:], run.bold, run.italic))
        count = 0
    return tuple(out)


def _strip_runs(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    runs = tuple(run for run in runs if run.text)
    if not runs or not plain(runs).strip():
        return ()
    first, last = runs[0], runs[-1]
    runs = (Run(first.text.lstrip(), first.bold, first.italic), *runs[1:])
    runs = (*runs[:-1], Run(runs[-1].text.rstrip(), last.bold, last.italic))
    return tuple(run for run in runs if run.text)


def has_warning(blocks: tuple[Block, ...]) -> bool:
    """Some section under ``blocks`` is a warning box."""
    return any(isinstance(block, Section) and (block.warning or has_warning(block.body)) for block in blocks)


def count_figures(blocks: tuple[Block, ...]) -> int:
    """How many figures are under ``blocks`` (for the report of what was placed)."""
    count = 0
    for block in blocks:
        if isinstance(block, Figure):
            count += 1
        elif isinstance(block, Section):
            count += count_figures(block.body)
    return count
