"""Type sizes, leading and faces: body 10 pt (16 pt in large print), nothing below 9 pt, line
spacing at least 1.25 times the size, emphasis in its own face and no italics in large print."""

from __future__ import annotations

import itertools

import pytest

from leaflet.style import MIN_BODY_SIZE, MIN_LEADING_RATIO
from tests.layout.support import (
    A4_2,
    A4_LARGE,
    CORE_OPTIONS,
    LETTER_1,
    LETTER_LARGE,
    SOURCES,
    Leaflet,
    Located,
    Options,
    font_is_italic,
    is_bold,
    key,
    leaflet,
    matrix,
    sources_with,
)
from tests.pdf_facts import Char

BODY_SIZE = {False: 10.0, True: 16.0}
"""Body text size by large print (EU readability guideline; UK AAF for large print)."""


@pytest.mark.parametrize(("name", "options"), matrix())
def test_body_text_is_set_at_the_body_size(name: str, options: Options) -> None:
    """This test ensures that every character of every paragraph, lead-in and list item (and every bullet)
    is 10 pt, or 16 pt in large print."""
    doc = leaflet(name, options)
    size = BODY_SIZE[options.large_print]
    wrong = {
        (round(c.size, 2), item.piece.line)
        for item in doc.located_kind("paragraph", "lead", "item")
        for c in item.chars
        if abs(c.size - size) > 0.01
    }
    assert not wrong, f"body text not at {size} pt (size, line): {sorted(wrong)[:10]}"
    bullets = {round(c.size, 2) for c in doc.chars if c.text == "\u2022"}
    assert bullets <= {size}


@pytest.mark.parametrize(("name", "options"), matrix())
def test_no_body_text_is_below_9pt(name: str, options: Options) -> None:
    """This test ensures that no character of the title block, the text, the warning box and its marks
    is smaller than 9 pt, the EU readability guideline's minimum."""
    doc = leaflet(name, options)
    small = sorted(
        {(round(line[0].size, 2), "".join(c.text for c in line)[:50]) for line in _lines(doc.chars)
         if not doc.in_running_bands(line[0]) and line[0].size < MIN_BODY_SIZE - 0.01}
    )  # fmt: skip
    assert not small, f"text below {MIN_BODY_SIZE} pt (size, line): {small[:6]}"


@pytest.mark.parametrize(
    ("name", "options"), sources_with(A4_2, ["sample", "seed"]) + sources_with(LETTER_1, ["sample"])
)
def test_running_header_and_footer_are_at_least_9pt(name: str, options: Options) -> None:
    """This test ensures that the running header and footer, which a patient reads too (the drug name,
    "Page N of M" and the revision date), are not smaller than the 9 pt minimum either."""
    doc = leaflet(name, options)
    small = sorted(
        {(round(line[0].size, 2), "".join(c.text for c in line)) for line in _lines(doc.running_chars)
         if line[0].size < MIN_BODY_SIZE - 0.01}
    )  # fmt: skip
    assert not small, f"running text below {MIN_BODY_SIZE} pt (size, line): {small[:6]}"


def _lines(chars: list[Char]) -> list[list[Char]]:
    """``chars`` grouped into lines (same page, baseline and size)."""
    lines: list[list[Char]] = []
    for c in chars:
        last = lines[-1][-1] if lines else None
        if last and last.page == c.page and abs(last.bottom - c.bottom) < 0.5 and abs(last.size - c.size) < 0.01:
            lines[-1].append(c)
            continue
        lines.append([c])
    return lines


def baseline_steps(item: Located) -> list[tuple[float, float]]:
    """(distance between consecutive baselines, type size) within one column of one page."""
    steps = []
    lines = item.lines()
    for above, below in itertools.pairwise(lines):
        if above[0].page != below[0].page or abs(above[0].x0 - below[0].x0) > 60:
            continue  # the block went on in another column or page
        size = max(c.size for c in above + below)
        steps.append((below[0].bottom - above[0].bottom, size))
    return steps


def leading_problems(doc: Leaflet, kinds: tuple[str, ...]) -> list[str]:
    problems = []
    for item in doc.located_kind(*kinds):
        for step, size in baseline_steps(item):
            if step < MIN_LEADING_RATIO * size - 0.01:
                problems.append(f"{item.piece.kind} line {item.piece.line}: {step:.2f} pt between lines of {size} pt")
    return problems


@pytest.mark.parametrize(("name", "options"), matrix())
def test_leading_is_at_least_1_25_times_the_size(name: str, options: Options) -> None:
    """This test ensures that, measured between the baselines of consecutive lines of one paragraph,
    lead-in, list item or heading, the line spacing is at least 1.25 times the type
    size (USP <17>)."""
    doc = leaflet(name, options)
    problems = leading_problems(doc, ("paragraph", "lead", "item", "heading"))
    assert not problems, "\n".join(problems[:10])
    if name == "sample":
        assert any(baseline_steps(item) for item in doc.located_kind("paragraph"))


@pytest.mark.parametrize(("name", "options"), matrix(["russian.yaml", "long_tokens.yaml"]))
def test_title_leading_is_at_least_1_25_times_the_size(name: str, options: Options) -> None:
    """This test ensures that a title long enough to wrap has the same minimum line spacing as the rest
    of the leaflet: 1.25 times its size."""
    doc = leaflet(name, options)
    assert any(baseline_steps(item) for item in doc.located_kind("title")), "the title should wrap"
    problems = leading_problems(doc, ("title",))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("name", "options"), sources_with(CORE_OPTIONS[0], ["emphasis.yaml", "markup.yaml"]))
def test_emphasis_is_drawn_in_its_face(name: str, options: Options) -> None:
    """This test ensures that ``**bold**`` runs are drawn in the bold face, ``*italic*`` runs in the
    italic face and plain runs of body text in the regular face, character by character."""
    doc = leaflet(name, options)
    seen = {"bold": 0, "italic": 0}
    for item in doc.located_kind("paragraph", "lead", "item"):
        for text, bold, italic, chars in runs_of(doc, item):
            fonts = {c.font for c in chars}
            assert all(is_bold(f) == bold for f in fonts), f"{text!r} (bold={bold}) drawn in {fonts}"
            assert all(font_is_italic(f) == italic for f in fonts), f"{text!r} (italic={italic}) drawn in {fonts}"
            seen["bold"] += bold
            seen["italic"] += italic
    assert seen["bold"] and seen["italic"]


def runs_of(doc: Leaflet, item: Located) -> list[tuple[str, bool, bool, list]]:
    """(text, bold, italic, characters) of each run of ``item`` that has letters or digits, in order."""
    position = doc.position_of(next(c for c in item.chars if key(c.text)))
    found = []
    for run in item.piece.runs:
        if not key(run.text):
            continue
        at, chars = doc.find(run.text, position)
        assert at >= 0, f"run {run.text!r} not found"
        found.append((run.text, run.bold, run.italic, [c for c in chars if key(c.text)]))
        position = at
    return found


@pytest.mark.parametrize(("name", "options"), sources_with(A4_LARGE, SOURCES) + sources_with(LETTER_LARGE, ["sample"]))
def test_large_print_has_no_italics(name: str, options: Options) -> None:
    """This test ensures that a large-print leaflet uses no italic face anywhere (UK Association for
    Accessible Formats), and that emphasis written as italic is still set apart (in bold)."""
    doc = leaflet(name, options)
    italic = sorted({c.font for c in doc.chars if font_is_italic(c.font)})
    assert not italic, f"italic faces in large print: {italic}"
    for item in doc.located_kind("paragraph", "lead", "item"):
        for text, _, was_italic, chars in runs_of(doc, item):
            if was_italic:
                assert all(is_bold(c.font) for c in chars), f"italic emphasis {text!r} lost in large print"
