"""The rules of ``leaflet check --profile eu-qrd``: the EU package leaflet's QRD template, in the leaflet's language.

The template (:mod:`leaflet.loaders.qrd`, EMA QRD human product-information template, version 10) fixes six
numbered sections in a fixed order and statements every leaflet carries: "Keep this medicine out of the sight
and reach of children" (section 5), "Reporting of side effects" (section 4), and for a medicine under
additional monitoring the black triangle ▼ with its statement at the top (Commission Implementing Regulation
(EU) No 198/2013). The headings and statements are matched in the leaflet's ``language`` when the tables know
it, else in any language they know. Every finding is a warning, as the other profile findings (``--strict``
makes them fail a run).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from leaflet.check.findings import Finding
from leaflet.errors import Diagnostic
from leaflet.loaders.qrd import (
    BLACK_TRIANGLE,
    KEEP_OUT_OF_REACH,
    NUMBERED,
    REPORTING,
    SECTION_PATTERNS,
    SECTION_TITLES,
    phrase,
    section_pattern,
)
from leaflet.model import Block, Monograph, Notice, Section, TextAt, iter_sections, iter_text

TRIANGLE = "▼"


def qrd_sections(monograph: Monograph) -> dict[int, Section]:
    """The section heading each of the six QRD sections (1-6) in ``monograph``, where found: the shallowest,
    then the first, heading that matches the template's wording (its number, if any, aside)."""
    patterns = _section_patterns(monograph.meta.language)
    found: dict[int, tuple[int, Section]] = {}
    for depth, section in iter_sections(monograph.body):
        text = _without_number(section.heading)
        number = next((n for n, pattern in enumerate(patterns, start=1) if pattern.search(text)), None)
        if number is not None and (number not in found or found[number][0] > depth):
            found[number] = (depth, section)
    return {number: section for number, (_, section) in sorted(found.items())}


def missing_sections(monograph: Monograph) -> Iterator[str]:
    """The English names of the QRD sections ``monograph`` lacks (for the ``profile`` rule)."""
    found = qrd_sections(monograph)
    for number, title in enumerate(SECTION_TITLES, start=1):
        if number not in found:
            yield title


def rule_qrd_section_order(monograph: Monograph) -> Iterator[Finding]:
    """The six sections out of the template's order, or numbered otherwise than the template numbers them."""
    latest: tuple[int, Section] | None = None
    for number, section in qrd_sections(monograph).items():
        if latest is not None and section.line < latest[1].line:
            yield _finding(
                monograph,
                "qrd-section-order",
                f"section {SECTION_TITLES[number - 1]!r} comes before section {SECTION_TITLES[latest[0] - 1]!r}",
                section.line,
                "put the six sections in the template's order, 1 to 6",
            )
        elif latest is None or section.line > latest[1].line:
            latest = (number, section)
        written = NUMBERED.match(section.heading)
        if written and int(written.group("number")) != number:
            yield _finding(
                monograph,
                "qrd-section-order",
                f"{section.heading!r} is numbered {written.group('number')}, but it is the template's section {number}",
                section.line,
                f"number it {number}. as the QRD template does",
            )


def rule_qrd_statements(monograph: Monograph) -> Iterator[Finding]:
    """The template's fixed statements: keep out of the sight and reach of children; reporting of side effects."""
    pieces = list(iter_text(monograph))
    language = monograph.meta.language
    sections = qrd_sections(monograph)
    checks = (
        ("keep-out-of-reach", KEEP_OUT_OF_REACH, "Keep this medicine out of the sight and reach of children", 5),
        ("reporting", REPORTING, "Reporting of side effects", 4),
    )
    for kind, any_language, statement, number in checks:
        pattern = phrase(kind, language) or any_language
        if not any(pattern.search(piece.text) for piece in pieces):
            where = sections.get(number)
            yield _finding(
                monograph,
                f"qrd-{kind}",
                f"no {statement!r} (the QRD template's statement of section {number}, in the leaflet's language)",
                where.line if where else monograph.lines.get("title"),
                f"add the template's wording to section {number}",
            )


def rule_qrd_black_triangle(monograph: Monograph) -> Iterator[Finding]:
    """A leaflet with the black triangle ▼, or saying it is subject to additional monitoring, carries both the
    ▼ and the statement, at the top, before section 1."""
    pieces = list(iter_text(monograph))
    pattern = phrase("black-triangle", monograph.meta.language) or BLACK_TRIANGLE
    statement = next((piece for piece in pieces if pattern.search(piece.text)), None)
    triangle = _triangle_line(monograph.body, pieces)
    if triangle is None and statement is None:
        return
    if statement is None:
        yield _finding(
            monograph,
            "qrd-black-triangle",
            "the black triangle ▼ without the statement 'This medicine is subject to additional monitoring. ...'",
            triangle,
            "add the template's statement after the ▼, or remove the ▼ if the medicine is not monitored",
        )
        return
    if triangle is None:
        yield _finding(
            monograph,
            "qrd-black-triangle",
            "the additional-monitoring statement without the black triangle ▼ before it",
            statement.line,
            "start the statement with ▼ (in YAML, a notice of kind additional-monitoring)",
        )
    first = qrd_sections(monograph).get(1)
    if first is not None and statement.line > first.line:
        yield _finding(
            monograph,
            "qrd-black-triangle",
            "the additional-monitoring statement comes after section 1; the template puts it at the top",
            statement.line,
            "move the ▼ and its statement before 'What is in this leaflet'",
        )


def _triangle_line(blocks: tuple[Block, ...], pieces: list[TextAt]) -> int | None:
    """The line of the first additional-monitoring notice or ▼ in the text; None when there is neither."""
    for block in _walk(blocks):
        if isinstance(block, Notice) and block.kind == "additional-monitoring":
            return block.line or 1
    return next((piece.line or 1 for piece in pieces if TRIANGLE in piece.text), None)


def _walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
    for block in blocks:
        yield block
        if isinstance(block, Section):
            yield from _walk(block.body)


def _section_patterns(language: str) -> list[re.Pattern[str]]:
    if language.split("-")[0].lower() in SECTION_PATTERNS:
        return [pattern for number in range(1, 7) if (pattern := section_pattern(number, language))]
    return [
        re.compile("|".join(f"(?:{patterns[number]})" for patterns in SECTION_PATTERNS.values()), re.IGNORECASE)
        for number in range(6)
    ]


def _without_number(heading: str) -> str:
    match = NUMBERED.match(heading.strip())
    return match.group("text") if match else heading.strip()


def _finding(monograph: Monograph, rule: str, message: str, line: int | None, hint: str) -> Finding:
    return Finding("warning", rule, Diagnostic(monograph.path, message, line or None, None, hint))
