"""``import`` is safe (issue 12, part 5): the YAML written for any plain text loads, keeps every piece of text
and builds: every real EU leaflet of ``../shared/samples/text``, every ``.txt`` fixture of the tests, and texts
made by hypothesis (wrapped lines that start with ``- ``, `` #``, ``:``, numbered steps, ``|`` rows, ▼)."""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from leaflet import BuildOptions, build_leaflet
from leaflet.errors import ContentError
from leaflet.loaders import dump_monograph, load_monograph
from leaflet.loaders.text_importer import parse_text_monograph
from leaflet.model import Block, BulletList, Notice, Paragraph, Run, Section, Table
from tests.loaders.support import texts, write
from tests.samples import EU_TEXT_SAMPLES

ROOT = Path(__file__).resolve().parents[2]
TEXT_FIXTURES = sorted((ROOT / "tests" / "fixtures").rglob("*.txt"))
_counter = itertools.count()


def canonical(runs: tuple[Run, ...]) -> tuple[tuple[str, bool, bool], ...]:
    """``runs`` as the inline syntax can hold them: spaces at a styled run's ends unstyled, a styled run glued
    to a neighbour's letter or digit plain (emphasis cannot open inside a word), neighbours of one style
    merged."""
    pieces: list[tuple[str, bool, bool]] = []
    for index, run in enumerate(runs):
        before = runs[index - 1].text[-1:] if index else ""
        after = runs[index + 1].text[:1] if index + 1 < len(runs) else ""
        core = run.text.strip()
        glued = core == run.text and (before.isalnum() or after.isalnum())
        style = (run.bold, run.italic) if core and not glued else (False, False)
        head = run.text[: len(run.text) - len(run.text.lstrip())]
        tail = run.text[len(run.text.rstrip()) :] if core else ""
        pieces += [(head, False, False), (core, *style), (tail, False, False)]
    merged: list[tuple[str, bool, bool]] = []
    for text, bold, italic in pieces:
        if merged and merged[-1][1:] == (bold, italic):
            merged[-1] = (merged[-1][0] + text, bold, italic)
        elif text:
            merged.append((text, bold, italic))
    return tuple(merged)


def shape(blocks: tuple[Block, ...], *, numbers: bool) -> tuple[Any, ...]:
    """The structure and styled text of ``blocks`` without source lines; list numbering when ``numbers``."""
    result: list[Any] = []
    for block in blocks:
        if isinstance(block, Section):
            result.append((block.heading, block.warning, shape(block.body, numbers=numbers)))
        elif isinstance(block, BulletList):
            result.append(("list", *_list_shape(block, numbers=numbers)))
        elif isinstance(block, Paragraph):
            result.append(("paragraph", canonical(block.runs)))
        elif isinstance(block, Table):
            rows = tuple(
                tuple((canonical(cell.runs), cell.colspan) for cell in row) for row in (block.header, *block.rows)
            )
            result.append(("table", canonical(block.caption), rows))
        elif isinstance(block, Notice):
            result.append(("notice", block.kind, canonical(block.runs)))
        else:
            result.append(replace(block, line=0))
    return tuple(result)


def _list_shape(block: BulletList, *, numbers: bool) -> tuple[Any, ...]:
    lead = canonical(block.lead.runs) if block.lead else None
    numbering = (block.ordered, block.start if block.ordered else 1) if numbers else ()
    items = tuple(
        (canonical(item.runs), _list_shape(item.sublist, numbers=numbers) if getattr(item, "sublist", None) else None)
        for item in block.items
    )
    return lead, numbering, items


def imported_yaml_round_trip(text: str, name: str, directory: Path, *, build: bool) -> None:
    """Import ``text``, write its YAML, load it back: same text, same structure; then build it."""
    try:
        imported = parse_text_monograph(text, name, on_warning=lambda diagnostic: None, language="en")
    except ContentError:
        return  # nothing after the title: refused with a clear error, covered elsewhere
    yaml_text = dump_monograph(imported, revised="2024-02-29")
    loaded = load_monograph(write(directory / f"example-{next(_counter)}.yaml", yaml_text))
    assert texts(loaded) == texts(imported)
    assert shape(loaded.body, numbers=True) == shape(imported.body, numbers=True)
    if build:
        rendered = build_leaflet(loaded, BuildOptions())
        assert rendered.pages >= 1 and rendered.pdf.startswith(b"%PDF-")


@pytest.mark.parametrize("source", [*EU_TEXT_SAMPLES, *TEXT_FIXTURES], ids=lambda p: getattr(p, "name", str(p)))
def test_every_sample_and_fixture_imports_loads_and_builds(source: Path, tmp_path: Path) -> None:
    """This test ensures that the YAML import writes for every real leaflet and every text fixture loads with the
    same text and structure, and builds."""
    imported_yaml_round_trip(source.read_text(encoding="utf-8-sig"), source.name, tmp_path, build=True)


_WORD = st.sampled_from(
    ["take", "tablet", "-", "- ", "–", "#", " #", ":", "x:", "1.", "2)", "&", "<b>", "'", '"', "%", "@", "`", "é", "|"]
) | st.text(alphabet=st.characters(codec="ascii", categories=("L", "N")), min_size=1, max_size=12)


@st.composite
def leaflet_texts(draw: st.DrawFn) -> str:
    """A plain-text leaflet whose lines are long enough to wrap in YAML, with the constructs of real leaflets."""
    lines = [draw(_WORD.filter(str.strip)).strip() + " tablets"]
    for _ in range(draw(st.integers(1, 10))):
        words = " ".join(draw(st.lists(_WORD, min_size=1, max_size=40))).strip() or "text"
        kind = draw(st.sampled_from(["heading", "overdose", "paragraph", "item", "steps", "row", "notice", "qrd"]))
        if kind == "heading":
            lines.append(" ".join(words.split()[:6]))
        elif kind == "overdose":
            lines.append("If you take more Foo than you should")
        elif kind == "item":
            lines.extend(["-", words])
        elif kind == "steps":
            lines.extend([f"1. {words}", f"2) {words}."])
        elif kind == "row":
            lines.append(f"{words} | {words}")
        elif kind == "notice":
            lines.append(f"▼ {words}")
        elif kind == "qrd":
            lines.append(f"{draw(st.integers(1, 6))}. How to take {words}")
        else:
            lines.append(words + ".")
    return "\n".join(lines) + "\n"


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(leaflet_texts())
@example(  # issue 12: a wrapped line starting with "- " that build refused
    "Foo\nOverdose\n" + "a " * 46 + "b - and then a dash follows here.\n"
)
def test_generated_texts_import_load_and_build(tmp_path: Path, text: str) -> None:
    """This test ensures that for any generated leaflet text the imported YAML loads back unchanged and builds."""
    imported_yaml_round_trip(text, "generated.txt", tmp_path, build=True)


STRUCTURED = [
    *sorted((ROOT.parent / "shared" / "samples" / "epi").glob("*")),
    *sorted((ROOT.parent / "shared" / "samples" / "spl").glob("*.xml")),
    ROOT / "tests" / "fixtures" / "epi" / "collection_smpc_pil.json",
    ROOT / "tests" / "fixtures" / "epi" / "leaflet.xml",
    ROOT / "tests" / "fixtures" / "spl" / "medguide.xml",
]


@pytest.mark.parametrize("source", STRUCTURED, ids=lambda p: p.name)
def test_every_epi_and_spl_file_imports_to_yaml_that_loads_the_same_and_builds(source: Path, tmp_path: Path) -> None:
    """This test ensures that the YAML ``import`` writes for every ePI and SPL sample and fixture loads with the
    same text and structure (tables, numbered steps and their start, figures, notices, the box) and builds."""
    imported = load_monograph(source)
    yaml_text = dump_monograph(imported, revised="2024-02-29")
    loaded = load_monograph(write(tmp_path / f"{source.stem}.yaml", yaml_text))
    assert texts(loaded) == texts(imported)
    assert shape(loaded.body, numbers=True) == shape(imported.body, numbers=True)
    rendered = build_leaflet(loaded, BuildOptions())
    assert rendered.pages >= 1
