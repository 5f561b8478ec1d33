"""Classify the lines of a plain-text monograph: what each line is, before the lines are grouped.

Consumes the cleaned, numbered lines after the title; returns :class:`TextLine` s in order. A line is
first classified on its own (list mark, numbered line, table row, ▼ statement, heading by shape, paragraph),
then in context: numbered lines in a row are steps, and in an EU leaflet (one with the QRD template's
numbered sections or its contents list, :mod:`leaflet.loaders.qrd`) the title block, the contents list,
the addresses after the marketing authorisation holder and the short lines after a lead-in ending in ``:``
are paragraphs, not headings, and a short line whose list goes on its sentence in lower case is that
list's lead-in.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from leaflet.errors import Diagnostic
from leaflet.loaders import qrd  # its patterns compile when first used: qrd.CONTENTS, ...
from leaflet.loaders.qrd import NUMBERED, is_contact_line, qrd_section_number

BULLET_MARKS = frozenset("-*•‣◦▪–")
_ITEM = re.compile(r"^[-*•‣◦▪–]\s+(?P<text>\S.*)$")
_HEADING_END = re.compile(r"[.:;,!…。．：；，！]$")
MAX_HEADING_WORDS = 12
CELL_SEPARATOR = " | "
BLACK_TRIANGLE = "▼"
_INNER_COLON = re.compile(r"\S: \S")
_CONJUNCTION_LENGTH = 4
"""A word this short between two list items joins them ("O", "or", "oder", "ou") rather than heading one."""


@dataclass(frozen=True)
class TextLine:
    """One line of the text and what it is."""

    kind: str
    """``heading``, ``paragraph``, ``lead`` (a paragraph introducing the list after it), ``item``, ``step`` (a
    numbered line among others), ``row`` (table row),
    ``notice`` (the ▼ statement), ``qrd`` (a numbered QRD section heading) or ``contents``."""
    text: str
    """The text, without its list mark or number."""
    number: int
    """Source line."""
    ordinal: int = 0
    """The number of a ``step`` or ``qrd`` line."""
    source: str = ""
    """The whole line as written (a step or QRD heading keeps its number here)."""


def classify(
    numbered: list[tuple[int, str]], name: str, warn: Callable[[Diagnostic], None]
) -> tuple[list[TextLine], bool]:
    """The lines after the title, each classified (see the module docstring), and whether the text is an EU
    leaflet (two numbered QRD headings or the contents list)."""
    lines = _steps_in_a_row(list(_each_line(numbered, name, warn)))
    eu_leaflet = sum(line.kind == "qrd" for line in lines) >= 2 or any(line.kind == "contents" for line in lines)
    return (_qrd_context(lines) if eu_leaflet else lines), eu_leaflet


def is_heading_shape(line: str) -> bool:
    """A short line (at most 12 words) without final punctuation: the seed's heading rule."""
    return len(line.split()) <= MAX_HEADING_WORDS and not _HEADING_END.search(line)


def _each_line(numbered: list[tuple[int, str]], name: str, warn: Callable[[Diagnostic], None]) -> Iterator[TextLine]:
    index = 0
    while index < len(numbered):
        number, line = numbered[index]
        index += 1
        if line in BULLET_MARKS:
            following = numbered[index][1] if index < len(numbered) else None
            if following is None or following in BULLET_MARKS or _ITEM.match(following):
                warn(
                    Diagnostic(
                        name,
                        f"'{line}' with no list item after it; ignored",
                        number,
                        hint="put the item's text on the next line or delete the mark",
                        code="text-lone-bullet",
                    )
                )
                continue
            yield TextLine("item", numbered[index][1], numbered[index][0])
            index += 1
        elif match := _ITEM.match(line):
            yield TextLine("item", match.group("text"), number)
        else:
            yield _one_line(line, number)


def _one_line(line: str, number: int) -> TextLine:
    if match := NUMBERED.match(line):
        kind = "qrd" if qrd_section_number(line) else "step"
        return TextLine(kind, match.group("text"), number, int(match.group("number")), line)
    if line.startswith(BLACK_TRIANGLE) and qrd.BLACK_TRIANGLE.search(line):  # not "▼ Calmofen": the statement itself
        return TextLine("notice", line.lstrip(BLACK_TRIANGLE).strip(), number, source=line)
    if CELL_SEPARATOR in line:
        return TextLine("row", line, number)
    if qrd.CONTENTS.match(line):
        return TextLine("contents", line, number)
    if qrd.STATEMENT.match(line) or is_contact_line(line):
        return TextLine("paragraph", line, number)
    return TextLine("heading" if is_heading_shape(line) else "paragraph", line, number)


def as_written(line: TextLine) -> TextLine:
    """``line`` reclassified by its shape alone, number and all (a numbered line that is no step after all)."""
    text = line.source or line.text
    return replace(line, kind="heading" if is_heading_shape(text) else "paragraph", text=text, ordinal=0, source="")


def _steps_in_a_row(lines: list[TextLine]) -> list[TextLine]:
    """Numbered lines that follow each other (1, 2, 3...) are steps, as are three or more QRD headings in a
    row (the contents list); a lone numbered line that is no QRD heading is read by its shape, number included.
    """
    result = list(lines)
    for start, end in _numbered_runs(lines):
        run = lines[start:end]
        only_headings = all(line.kind == "qrd" for line in run)
        for index in range(start, end):
            if len(run) >= (3 if only_headings else 2):
                result[index] = replace(lines[index], kind="step")
            elif lines[index].kind == "step":
                result[index] = as_written(lines[index])
    return result


def _numbered_runs(lines: list[TextLine]) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of numbered lines counting up by one."""
    index = 0
    while index < len(lines):
        if lines[index].kind not in ("step", "qrd"):
            index += 1
            continue
        end = index + 1
        while end < len(lines) and _counts_on(lines[end - 1], lines[end]):
            end += 1
        yield index, end
        index = end


def _counts_on(before: TextLine, line: TextLine) -> bool:
    return line.kind in ("step", "qrd") and line.ordinal == before.ordinal + 1


def _qrd_context(lines: list[TextLine]) -> list[TextLine]:
    """The context rules of an EU leaflet (see the module docstring)."""
    result: list[TextLine] = []
    started = in_address = False
    lead_run: int | None = None  # short lines since a paragraph ending in ":", None when not after one
    for index, line in enumerate(lines):
        previous = result[-1] if result else None
        following = lines[index + 1] if index + 1 < len(lines) else None
        if line.kind in ("qrd", "contents"):
            started, in_address = True, False
            if previous is not None and previous.kind == line.kind and previous.ordinal == line.ordinal:
                line = replace(line, kind="paragraph")  # the heading repeated ("3. How to take X", "3. How to use X")
        elif not started and line.kind == "heading":
            line = replace(line, kind="paragraph")  # the title block: product name, "Package leaflet: ..."
        elif started and qrd.HOLDER.match(line.text) and line.kind in ("heading", "paragraph"):
            line, in_address = replace(line, kind="heading"), True
        elif in_address:
            line, in_address = _address_line(line)
        else:
            line = _in_context(line, previous, following, lead_run)
        result.append(line)
        lead_run = _lead_run(lead_run, line)
    return result


def _in_context(
    line: TextLine, previous: TextLine | None, following: TextLine | None, lead_run: int | None
) -> TextLine:
    """``line`` of an EU leaflet's body reclassified by the lines around it (see the module docstring)."""
    if line.kind == "heading" and previous is not None and previous.kind == "contents":
        return replace(line, kind="paragraph")  # "What in this leaflet" repeating the contents heading
    if line.kind == "heading" and _not_a_heading(lead_run, previous, line, following):
        return replace(line, kind="paragraph")
    if line.kind == "heading" and _introduces_list(line, following):
        return replace(line, kind="lead")
    if line.kind == "item" and qrd.REPORTING.fullmatch(line.text) and (following is None or following.kind != "item"):
        return replace(line, kind="heading")  # "Reporting of side effects" set as the last item of a list
    return line


def _lead_run(run: int | None, line: TextLine) -> int | None:
    """How many short paragraphs follow the last lead-in ending in ``:`` once ``line`` is added (None: none)."""
    if line.kind == "paragraph" and line.text.endswith(":"):
        return 0
    if run is not None and line.kind == "paragraph" and is_heading_shape(line.text):
        return run + 1
    return None


def _address_line(line: TextLine) -> tuple[TextLine, bool]:
    """An address line after the holder or manufacturer heading is a paragraph; a sentence ends the address."""
    if line.kind in ("heading", "item"):
        return replace(line, kind="paragraph"), True
    return line, line.kind == "paragraph" and len(line.text.split()) <= MAX_HEADING_WORDS


def _not_a_heading(run: int | None, previous: TextLine | None, line: TextLine, following: TextLine | None) -> bool:
    """Whether a heading-shaped line is running text by its context: it continues a lead-in ending in ``:``
    (the frequency convention's lines, ``run`` short lines after it), it is one of several "label: text"
    lines in a row ("Very common: may affect more than 1 in 10 people", "Pentasa: Slovenia"), or it stands
    between two list items (the Spanish "O", or)."""
    if run is not None and (run > 0 or _ends_a_lead_in(following)):
        return True
    if _INNER_COLON.search(line.text) and any(
        neighbour is not None
        and neighbour.kind in ("heading", "paragraph")
        and _INNER_COLON.search(neighbour.text)
        and is_heading_shape(neighbour.text)
        for neighbour in (previous, following)
    ):
        return True
    after_item = previous is not None and previous.kind == "item"
    return after_item and following is not None and following.kind == "item" and len(line.text) <= _CONJUNCTION_LENGTH


def _introduces_list(line: TextLine, following: TextLine | None) -> bool:
    """Whether a heading-shaped line is a lead-in that lost its ``:`` ("You may need to have blood checks if you
    take", then "- potassium supplements"): the list after it goes on its sentence in lower case. The template's
    own sub-headings ("Do not take X", then "- if you are allergic ...") stay headings."""
    if following is None or following.kind != "item" or not following.text[:1].islower():
        return False
    return not qrd.SUBHEADING.match(line.text) and not qrd.HOLDER.match(line.text)


def _ends_a_lead_in(following: TextLine | None) -> bool:
    """Whether the line after a lead-in's first short line shows that short line heads nothing (a heading, or
    another short line, follows it; a list or text would make it a heading)."""
    return (
        following is None
        or following.kind in ("heading", "qrd", "contents")
        or (following.kind == "paragraph" and is_heading_shape(following.text))
    )
