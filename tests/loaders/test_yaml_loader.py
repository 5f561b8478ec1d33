"""Tests of the strict YAML loader: every invalid input is a located ContentError, every valid one loads as typed.

Invalid cases are data: each file in ``tests/fixtures/yaml/invalid`` starts with
``# expect: LINE:COLUMN <part of the message>`` (``-`` instead of LINE:COLUMN when the error has no
location) and, optionally, ``# hint: <part of the hint>``. Adding a case means adding a file.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from leaflet.errors import ContentError, Diagnostic
from leaflet.loaders import dump_monograph, load_monograph
from leaflet.loaders.source_text import MAX_BYTES
from leaflet.loaders.yaml_tree import MAX_DEPTH
from leaflet.model import BulletList, Monograph, Paragraph, Run, Section, iter_text, plain
from tests.loaders.support import HEAD, INVALID, SAMPLE, VALID, YAML_FIXTURES, outline, write

_EXPECT = re.compile(r"^# expect: (?:(?P<line>\d+):(?P<column>\d+)|-) (?P<message>\S.*)$")
_HINT = re.compile(r"^# hint: (?P<hint>\S.*)$")


@dataclass(frozen=True)
class Expectation:
    line: int | None
    column: int | None
    message: str
    hint: str | None


def expectation(path: Path) -> Expectation:
    """The ``# expect:`` and ``# hint:`` comments at the top of an invalid fixture."""
    first, second = ([*path.read_text(encoding="utf-8").splitlines(), "", ""])[:2]
    match = _EXPECT.match(first)
    assert match, f"{path.name}: the first line must be '# expect: LINE:COLUMN message'"
    hint = _HINT.match(second)
    return Expectation(
        line=int(match["line"]) if match["line"] else None,
        column=int(match["column"]) if match["column"] else None,
        message=match["message"],
        hint=hint["hint"] if hint else None,
    )


def only_diagnostic(error: pytest.ExceptionInfo[ContentError]) -> Diagnostic:
    assert len(error.value.diagnostics) == 1, error.value.diagnostics
    return error.value.diagnostics[0]


def load_text(tmp_path: Path, text: str | bytes, name: str = "monograph.yaml") -> Monograph:
    return load_monograph(write(tmp_path / name, text))


# --- invalid input, data-driven ------------------------------------------------------------------


def test_there_are_invalid_fixtures() -> None:
    """This test ensures that the data-driven invalid cases are found (a moved folder must not pass silently)."""
    assert len(INVALID) >= 50
    assert all(path.read_text(encoding="utf-8").startswith("# expect: ") for path in INVALID)


@pytest.mark.parametrize("path", INVALID, ids=[path.stem for path in INVALID])
def test_invalid_yaml_is_a_located_content_error(path: Path) -> None:
    """This test ensures that each invalid fixture is refused with the file, line, column, message and hint it names."""
    expected = expectation(path)
    with pytest.raises(ContentError) as error:
        load_monograph(path)
    diagnostic = only_diagnostic(error)
    assert diagnostic.path == str(path)
    assert expected.message in diagnostic.message
    assert (diagnostic.line, diagnostic.column) == (expected.line, expected.column), diagnostic
    if expected.hint is not None:
        assert diagnostic.hint is not None and expected.hint in diagnostic.hint, diagnostic
    assert str(diagnostic).startswith(str(path))


def test_error_reads_as_one_file_line_column_line(tmp_path: Path) -> None:
    """This test ensures that a ContentError reads as 'file:line:column: message (hint)' for the command line."""
    path = write(tmp_path / "m.yaml", HEAD + "bdy:\n  - A paragraph.\n")
    with pytest.raises(ContentError) as error:
        load_monograph(path)
    assert str(error.value) == f"{path}:4:1: unknown key 'bdy' in the monograph (did you mean 'body'?)"


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 200, 5000])
def test_deeply_nested_lists_are_a_content_error_not_a_recursion_error(tmp_path: Path, depth: int) -> None:
    """This test ensures that lists nested hundreds deep ([[[[...]]]]) are refused with a line, without recursing."""
    text = HEAD + "body:\n  - " + "[" * depth + "deep" + "]" * depth + "\n"
    with pytest.raises(ContentError) as error:
        load_text(tmp_path, text)
    diagnostic = only_diagnostic(error)
    assert diagnostic.line == 5
    assert diagnostic.column is not None


def test_deeply_nested_block_sequences_are_a_content_error(tmp_path: Path) -> None:
    """This test ensures that block-style nesting ('- - - - x') beyond the limit is refused with a line."""
    text = HEAD + "body:\n  " + "- " * 200 + "deep\n"
    with pytest.raises(ContentError) as error:
        load_text(tmp_path, text)
    assert only_diagnostic(error).line == 5


def test_nesting_within_the_limit_reaches_the_check_of_the_format(tmp_path: Path) -> None:
    """This test ensures that nesting below the depth limit is parsed and then judged by the format, not the reader."""
    text = HEAD + "body:\n  - " + "[" * 10 + "x" + "]" * 10 + "\n"
    with pytest.raises(ContentError) as error:
        load_text(tmp_path, text)
    assert "must be text, a list" in only_diagnostic(error).message


@pytest.mark.parametrize(
    ("data", "line", "byte"),
    [
        (b"\xff", 1, "0xff"),
        (HEAD.encode() + b"body:\n  - Caf\xe9 au lait.\n", 5, "0xe9"),  # Latin-1, not UTF-8
        (HEAD.encode() + b"body:\n  - A.\n  - \xc3\n", 6, "0xc3"),  # truncated sequence
    ],
    ids=["first-byte", "latin-1", "truncated"],
)
def test_bytes_that_are_not_utf8_are_refused_with_their_line(tmp_path: Path, data: bytes, line: int, byte: str) -> None:
    """This test ensures that a file that is not UTF-8 is refused naming the line of the bad byte and the byte."""
    with pytest.raises(ContentError) as error:
        load_text(tmp_path, data)
    diagnostic = only_diagnostic(error)
    assert diagnostic.line == line
    assert "not UTF-8" in diagnostic.message and byte in diagnostic.message
    assert diagnostic.hint is not None and "UTF-8" in diagnostic.hint


@pytest.mark.parametrize(
    "char",
    ["\x00", "\x07", "\x08", "\x1b", "\x7f", "\x9b", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85"],
    ids=lambda char: f"U+{ord(char):04X}",
)
def test_control_characters_are_refused_at_their_line_and_column(tmp_path: Path, char: str) -> None:
    """This test ensures that every control character but tab and newline is refused at its line and column.

    Line and column are those a text editor shows: lines end at LF only.
    """
    text = HEAD + "body:\n  - A paragraph.\n  - Take" + char + "care.\n"
    with pytest.raises(ContentError) as error:
        load_text(tmp_path, text)
    diagnostic = only_diagnostic(error)
    assert f"control character U+{ord(char):04X}" in diagnostic.message
    assert (diagnostic.line, diagnostic.column) == (6, 9)


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    """This test ensures that a file one byte over the 1 MiB limit is refused before it is parsed."""
    text = HEAD + "body:\n  - " + "a" * MAX_BYTES + "\n"
    with pytest.raises(ContentError) as error:
        load_text(tmp_path, text)
    diagnostic = only_diagnostic(error)
    assert "limit" in diagnostic.message and f"{MAX_BYTES:,}" in diagnostic.message
    assert diagnostic.hint


def test_a_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    """This test ensures that a file of exactly 1 MiB is still accepted (the limit is inclusive)."""
    start = HEAD + "body:\n  - "
    text = start + "a" * (MAX_BYTES - len(start) - 1) + "\n"
    assert len(text.encode()) == MAX_BYTES
    monograph = load_text(tmp_path, text)
    assert len(plain(monograph.body[0].runs)) == MAX_BYTES - len(start) - 1


@pytest.mark.parametrize("content", [b"", b"\n\n", b"   \n", b"\xef\xbb\xbf", b"---\n...\n"], ids=repr)
def test_an_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    """This test ensures that an empty (or blank, or BOM-only) file is a ContentError saying it is empty."""
    with pytest.raises(ContentError) as error:
        load_text(tmp_path, content)
    diagnostic = only_diagnostic(error)
    assert diagnostic.path == str(tmp_path / "monograph.yaml")
    assert "empty" in diagnostic.message or "mapping" in diagnostic.message


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    """This test ensures that a path that does not exist is a ContentError naming it, not FileNotFoundError."""
    path = tmp_path / "nowhere" / "baclofen.yaml"
    with pytest.raises(ContentError) as error:
        load_monograph(path)
    diagnostic = only_diagnostic(error)
    assert diagnostic.path == str(path)
    assert "no such file" in diagnostic.message


def test_a_directory_is_refused(tmp_path: Path) -> None:
    """This test ensures that a directory named like a monograph is a ContentError, not IsADirectoryError."""
    path = tmp_path / "baclofen.yaml"
    path.mkdir()
    with pytest.raises(ContentError) as error:
        load_monograph(path)
    assert "directory" in only_diagnostic(error).message


@pytest.mark.parametrize("name", ["baclofen.toml", "baclofen.csv", "baclofen", "baclofen.yaml.bak", "baclofen.md"])
def test_an_unknown_suffix_is_refused(tmp_path: Path, name: str) -> None:
    """This test ensures that a file that is neither .yaml/.yml, .txt nor .json/.xml is refused, naming its suffix
    (YAML text in a .json file is refused as JSON: tests/loaders/test_epi.py)."""
    path = write(tmp_path / name, HEAD + "body:\n  - A paragraph.\n")
    with pytest.raises(ContentError) as error:
        load_monograph(path)
    diagnostic = only_diagnostic(error)
    assert diagnostic.path == str(path)
    assert "unknown kind of monograph" in diagnostic.message
    assert (path.suffix or "(no suffix)") in diagnostic.message
    assert diagnostic.hint and ".yaml" in diagnostic.hint


@pytest.mark.parametrize("name", ["m.yml", "m.YAML", "m.Yml"])
def test_yaml_suffixes_are_recognised_in_any_case(tmp_path: Path, name: str) -> None:
    """This test ensures that .yml and upper-case suffixes load as YAML."""
    assert load_text(tmp_path, HEAD + "body:\n  - A paragraph.\n", name).title == "Baclofen"


# --- valid input ---------------------------------------------------------------------------------


def test_there_are_valid_fixtures() -> None:
    """This test ensures that the valid fixtures are found."""
    assert len(VALID) >= 5


@pytest.mark.parametrize("path", [*VALID, SAMPLE], ids=[*(path.stem for path in VALID), "content-baclofen"])
def test_valid_yaml_loads(path: Path) -> None:
    """This test ensures that each valid fixture loads, with every piece of text non-empty and trimmed."""
    monograph = load_monograph(path)
    assert monograph.path == str(path)
    assert monograph.body
    for piece in iter_text(monograph):
        assert piece.text and piece.text == piece.text.strip(), piece
        assert piece.line >= 1, piece


@pytest.mark.parametrize("path", [*VALID, SAMPLE], ids=[*(path.stem for path in VALID), "content-baclofen"])
def test_valid_yaml_survives_the_writer(tmp_path: Path, path: Path) -> None:
    """This test ensures that dumping a loaded monograph and loading the result gives the same content."""
    monograph = load_monograph(path)
    if (path.parent / "images").is_dir():  # figures are written back as paths relative to the monograph
        shutil.copytree(path.parent / "images", tmp_path / "images")
    again = load_text(tmp_path, dump_monograph(monograph, revised="1999-01-01"))
    assert again.title == monograph.title
    assert again.meta == monograph.meta
    assert outline(again.body) == outline(monograph.body)


def test_full_fixture_reaches_the_model_as_written() -> None:
    """This test ensures that every kind of block, nesting, emphasis, escape and metadata reaches the model."""
    monograph = load_monograph(YAML_FIXTURES / "valid" / "full.yaml")
    assert monograph.title == "Baclofen 10 mg tablets"
    assert monograph.meta.drug == "Baclofen" and monograph.meta.language == "en-GB"
    assert (monograph.meta.revised, monograph.meta.version) == ("2024-05-01", "3.1")
    assert monograph.meta.source == "Seed monograph, edited by hand"
    intro, used_for, dosages, storage = monograph.body
    assert intro.runs == (
        Run("Baclofen is a "),
        Run("muscle relaxant", bold=True),
        Run(". Take it "),
        Run("exactly", italic=True),
        Run(" as prescribed; 2 * 5 mg is 10 mg."),
    )
    assert isinstance(used_for, Section) and not used_for.warning
    lead_list, bare_list = used_for.body
    assert isinstance(lead_list, BulletList) and lead_list.lead is not None
    assert plain(lead_list.lead.runs) == "Baclofen is mainly prescribed for:"
    assert [plain(item.runs) for item in lead_list.items] == [
        "Muscle spasticity",
        "Multiple sclerosis–related stiffness",
    ]
    assert isinstance(bare_list, BulletList) and bare_list.lead is None
    assert isinstance(dosages, Section)
    folded, how, overdose = dosages.body
    assert folded == Paragraph((Run("A paragraph written over two lines, folded into one."),), line=20)
    assert isinstance(how, Section) and isinstance(how.body[0], Section)
    assert plain(how.body[0].body[0].runs) == "Take it with a meal. A backslash \\ stays a backslash, C:\\temp too."
    assert isinstance(overdose, Section) and overdose.warning and overdose.heading == "Overdose Caution"
    assert isinstance(storage, Section) and storage.body == ()


def test_source_lines_are_kept(tmp_path: Path) -> None:
    """This test ensures that the model remembers the line of the title, each key and each block."""
    text = (
        "# comment\n"
        "title: Baclofen\n"
        "language: en\n"
        "revised: 2024-05-01\n"
        "body:\n"
        "  - First.\n"
        "  - heading: Dosages\n"
        "    body:\n"
        "      - lead: 'Available in:'\n"
        "        list:\n"
        "          - 5 mg\n"
    )
    monograph = load_text(tmp_path, text)
    assert monograph.lines["title"] == 2 and monograph.lines["drug"] == 2 and monograph.lines["body"] == 6
    assert [(piece.kind, piece.line) for piece in iter_text(monograph) if piece.kind != "meta"] == [
        ("title", 2),
        ("paragraph", 6),
        ("heading", 7),
        ("lead", 9),
        ("item", 11),
    ]


SCALARS = ["no", "yes", "on", "off", "1.10", "8:30", "null", "~", "0x1F", "1e3", ".inf", "2024-02-29", "0o17", "-0"]


def test_scalars_fixture_stays_text() -> None:
    """This test ensures that YAML 1.1 booleans, numbers, times, nulls and dates in the fixture stay as typed."""
    monograph = load_monograph(YAML_FIXTURES / "valid" / "scalars_are_text.yaml")
    assert (monograph.title, monograph.meta.drug) == ("no", "yes")
    assert (monograph.meta.version, monograph.meta.source, monograph.meta.revised) == ("1.10", "0x1F", "2024-02-29")
    typed = ["no", "yes", "on", "1.10", "8:30", "null", "~", "0x1F", "1e3", ".inf", "2024-02-29"]
    *paragraphs, bullets = monograph.body
    assert [plain(paragraph.runs) for paragraph in paragraphs] == typed
    assert [plain(item.runs) for item in bullets.items] == typed


@pytest.mark.parametrize("scalar", SCALARS)
def test_scalars_are_text_everywhere(tmp_path: Path, scalar: str) -> None:
    """This test ensures that a scalar YAML would convert reaches the model exactly as typed, wherever it stands."""
    text = (
        f"title: {scalar}\nlanguage: en\nrevised: 2024-02-29\nversion: {scalar}\nsource: {scalar}\n"
        f"body:\n  - {scalar}\n  - lead: {scalar}\n    list:\n      - {scalar}\n"
        f"  - heading: {scalar}\n    body: [{scalar}]\n"
    )
    monograph = load_text(tmp_path, text)
    assert monograph.title == monograph.meta.drug == scalar
    assert monograph.meta.version == monograph.meta.source == scalar
    assert [(piece.kind, piece.text) for piece in iter_text(monograph) if piece.kind != "meta"] == [
        ("title", scalar),
        ("paragraph", scalar),
        ("lead", scalar),
        ("item", scalar),
        ("heading", scalar),
        ("paragraph", scalar),
    ]
    assert all(isinstance(piece.text, str) for piece in iter_text(monograph))


def test_revised_leap_day_is_accepted(tmp_path: Path) -> None:
    """This test ensures that 29 February of a leap year is a real date, kept as the text typed."""
    monograph = load_text(tmp_path, "title: T\nlanguage: en\nrevised: 2024-02-29\nbody: [x]\n")
    assert monograph.meta.revised == "2024-02-29"


def test_drug_defaults_to_the_title(tmp_path: Path) -> None:
    """This test ensures that without 'drug:' the running-header drug name is the title."""
    monograph = load_text(tmp_path, HEAD + "body: [x]\n")
    assert monograph.meta.drug == "Baclofen"
    assert monograph.meta.version is None and monograph.meta.source is None


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    """This test ensures that a UTF-8 BOM (as Windows editors write) is dropped, not read into the title."""
    plain_yaml = HEAD + "body:\n  - A paragraph.\n"
    with_bom = load_text(tmp_path, b"\xef\xbb\xbf" + plain_yaml.encode(), "bom.yaml")
    without = load_text(tmp_path, plain_yaml, "plain.yaml")
    assert with_bom.title == "Baclofen"
    assert with_bom.body == without.body and with_bom.lines == without.lines


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["CRLF", "CR"])
def test_other_line_endings_are_accepted(tmp_path: Path, newline: str) -> None:
    """This test ensures that CRLF (and old Mac CR) line endings give the same model, line numbers included."""
    text = HEAD + "body:\n  - A paragraph\n    over two lines.\n  - heading: Dosages\n    body:\n      - list: [5 mg]\n"
    expected = load_text(tmp_path, text, "lf.yaml")
    monograph = load_text(tmp_path, text.replace("\n", newline), "other.yaml")
    assert monograph.body == expected.body
    assert plain(monograph.body[0].runs) == "A paragraph over two lines."


def test_a_section_with_an_empty_body_key_is_an_empty_section(tmp_path: Path) -> None:
    """This test ensures that 'body:' with nothing after it, in a section, means an empty section.

    The loader accepts an empty *plain* scalar there (not a quoted one); whether libyaml is installed
    must not change that.
    """
    text = HEAD + "body:\n  - A paragraph.\n  - heading: Storage\n    body:\n"
    monograph = load_text(tmp_path, text)
    assert monograph.body[1] == Section("Storage", (), warning=False, line=6)


def test_a_section_with_a_quoted_empty_body_is_an_empty_body(tmp_path: Path) -> None:
    """This test ensures that body: '' is a section with nothing under it, as the schema says (issue 10.8:
    the schema allowed what the loader refused; a JSON schema cannot tell '' from 'body:' left empty),
    while a quoted empty top-level body is still refused by both."""
    monograph = load_text(tmp_path, HEAD + "body:\n  - heading: Storage\n    body: ''\n")
    assert monograph.body[0] == Section("Storage", (), warning=False, line=5)
    with pytest.raises(ContentError) as error:
        load_text(tmp_path, HEAD + "body: ''\n")
    assert "must be a list of blocks" in only_diagnostic(error).message


def test_the_explicit_text_tag_is_accepted(tmp_path: Path) -> None:
    """This test ensures that !!str (the one tag that changes nothing) is allowed and keeps the text."""
    monograph = load_text(tmp_path, HEAD + "version: !!str 1.10\nbody: [!!str no]\n")
    assert monograph.meta.version == "1.10"
    assert plain(monograph.body[0].runs) == "no"
