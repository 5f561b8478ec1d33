"""Tests of the YAML form of tables, numbered and nested lists, figures and notices: what the loader
builds, what the writer writes back (load(write(m)) keeps every construct), and the limits."""

from __future__ import annotations

import base64
import shutil
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaflet.errors import ContentError
from leaflet.loaders import dump_monograph, load_monograph
from leaflet.model import (
    BulletList,
    Cell,
    Figure,
    ListItem,
    Metadata,
    Monograph,
    Notice,
    Paragraph,
    Run,
    Section,
    Table,
)
from tests.loaders.support import HEAD, YAML_FIXTURES, outline, write

VALID = YAML_FIXTURES / "valid"
DOT_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAADklEQVR4nGNgYGD4/x8AAwMB/0XBn18AAAAASUVORK5CYII="
)


def reload(tmp_path: Path, monograph: Monograph) -> Monograph:
    return load_monograph(write(tmp_path / "again.yaml", dump_monograph(monograph, revised="2026-01-01")))


def test_the_blocks_fixture_reaches_the_model_as_written() -> None:
    """This test ensures that steps, nested lists, tables, figures and notices reach the model as written."""
    body = load_monograph(VALID / "blocks.yaml").body
    notice, section, statement = body
    assert notice == Notice(notice.runs, "additional-monitoring", 6)
    assert isinstance(statement, Notice) and statement.kind == "statement"
    assert isinstance(section, Section)
    steps, numbered, table, bare, pen, cap, dot = section.body
    assert isinstance(steps, BulletList) and steps.ordered and steps.start == 1
    assert steps.lead is not None and steps.lead.runs == (Run("To inject:"),)
    check = steps.items[1]
    assert isinstance(check, ListItem) and check.sublist is not None and not check.sublist.ordered
    expiry = check.sublist.items[1]
    assert isinstance(expiry, ListItem) and expiry.sublist is not None
    assert (expiry.sublist.ordered, expiry.sublist.start, len(expiry.sublist.items)) == (True, 2, 2)
    assert isinstance(numbered, BulletList) and numbered.start == 4
    assert isinstance(table, Table) and table.columns == 2
    assert table.header[1].runs == (Run("Dose ("), Run("mg", bold=True), Run(")"))
    assert table.rows[1][0] == Cell(()) and table.rows[2] == (Cell((Run("See your doctor"),), 2),)
    assert isinstance(bare, Table) and bare.header == () and bare.caption == ()
    assert isinstance(pen, Figure) and (pen.format, pen.width, pen.height, pen.source) == (
        "png",
        300,
        180,
        "images/pen.png",
    )
    assert pen.data == (VALID / "images" / "pen.png").read_bytes()
    assert isinstance(cap, Figure) and cap.format == "jpeg" and cap.caption == ()
    assert isinstance(dot, Figure) and (dot.data, dot.source, dot.width) == (DOT_PNG, "data:", 2)


def test_every_construct_survives_the_writer(tmp_path: Path) -> None:
    """This test ensures that load(write(m)) keeps every construct, a figure from a file written back as
    its path (not its bytes) and one from a data URI as the URI."""
    monograph = load_monograph(VALID / "blocks.yaml")
    shutil.copytree(VALID / "images", tmp_path / "images")
    text = dump_monograph(monograph, revised="2026-01-01")
    assert "figure: images/pen.png" in text and "data:image/png;base64,iVBOR" in text
    assert "- [Under 20 kg, '**5 mg** once a day']" in text  # a row reads as a row
    again = load_monograph(write(tmp_path / "again.yaml", text))
    assert outline(again.body) == outline(monograph.body)


def test_a_model_made_in_memory_survives_the_writer(tmp_path: Path) -> None:
    """This test ensures that blocks as an importer makes them (a figure with bytes and no path, a notice
    nested in a section, steps nested four deep) are written so that they load back the same."""
    deepest = BulletList((Paragraph((Run("d"),)),), ordered=True, start=7)
    third = BulletList((ListItem((Run("c"),), sublist=deepest),))
    second = BulletList((ListItem((Run("b"),), sublist=third),), ordered=True)
    steps = BulletList((ListItem((Run("a"),), sublist=second), Paragraph((Run("a2"),))), ordered=True, start=3)
    figure = Figure(DOT_PNG, "A dot", "png", 2, 2, (Run("Dot", italic=True),), source="data:")
    table = Table(((Cell((Run("x: y"),)), Cell(())), (Cell((Run("*"),), 2),)), caption=(Run("#1"),))
    notice = Notice((Run("Keep out of reach"),), "statement")
    body = (Section("One", (steps, figure, table, notice)),)
    monograph = Monograph("T", Metadata("T", "en", "2026-01-01"), body)
    again = reload(tmp_path, monograph)
    assert outline(again.body) == outline(body)
    assert "data:image/png;base64," in dump_monograph(
        replace(monograph, body=(replace(figure, source=""),)), revised=""
    )


_CELL_TEXT = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), max_size=12).filter(
    lambda text: unicodedata.normalize("NFC", text) == text  # the loader composes text (its own test)
)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.lists(_CELL_TEXT, min_size=3, max_size=3), min_size=1, max_size=4),
    header=st.booleans(),
)
def test_any_table_of_text_survives_the_writer(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], header: bool
) -> None:
    """This test ensures that tables of any text (colons, quotes, brackets, '#', empty cells) are written
    in a form that loads back cell for cell."""

    def cell(text: str) -> Cell:
        return Cell((Run(" ".join(text.split())),) if text.strip() else ())

    cells = tuple(tuple(cell(text) for text in row) for row in rows)
    if any(
        run.text.startswith(("*", "\\")) or "*" in run.text or "\\" in run.text
        for row in cells
        for c in row
        for run in c.runs
    ):
        return  # inline markup is the inline module's own round trip
    table = Table(cells[1:] or cells, header=cells[0] if header and len(cells) > 1 else ())
    monograph = Monograph("T", Metadata("T", "en", "2026-01-01"), (table,))
    again = reload(tmp_path_factory.mktemp("table"), monograph)
    assert outline(again.body) == outline(monograph.body)


def test_a_misspelt_block_key_is_read_as_meant_and_reported(tmp_path: Path) -> None:
    """This test ensures that 'tabel:' is reported with a did-you-mean and its table still checked."""
    text = HEAD + "body:\n  - tabel:\n      rows:\n        - [a, b]\n        - [c]\n"
    with pytest.raises(ContentError) as caught:
        load_monograph(write(tmp_path / "m.yaml", text))
    found = [(d.code, d.line) for d in caught.value.diagnostics]
    assert found == [("yaml-unknown-key", 5), ("yaml-table-columns", 8)]
    assert caught.value.diagnostics[0].hint == "did you mean 'table'?"


def test_a_figure_path_is_relative_to_the_monograph_not_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures that a figure's path is resolved from the monograph's folder whatever the
    working folder is."""
    folder = tmp_path / "content"
    shutil.copytree(VALID / "images", folder / "images")
    source = write(folder / "m.yaml", HEAD + "body:\n  - figure: images/pen.png\n    alt: Pen\n")
    monkeypatch.chdir(tmp_path)
    figure = load_monograph(source).body[0]
    assert isinstance(figure, Figure) and figure.width == 300
