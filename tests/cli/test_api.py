"""The importable API's error behaviour: LeafletError subclasses with diagnostics, nothing printed."""

from __future__ import annotations

from pathlib import Path

import pytest

import leaflet
from leaflet import (
    BuildOptions,
    ContentError,
    Diagnostic,
    FontError,
    LeafletError,
    OptionsError,
    OutputError,
    Rendered,
    build_file,
    build_leaflet,
    load_monograph,
)
from tests.cli.helpers import (
    DANGLING_DASH_TXT,
    GLYPHS_YAML,
    GOOD_TXT,
    GOOD_YAML,
    SYNTAX_ERROR_YAML,
    UNKNOWN_KEY_YAML,
    listing,
    temp_files,
)


def test_public_names() -> None:
    """This test ensures that the documented steps and errors are importable from ``leaflet`` and
    every error is a LeafletError."""
    for name in ("load_monograph", "build_leaflet", "build_file", "BuildOptions", "LeafletError"):
        assert name in leaflet.__all__
        assert hasattr(leaflet, name)
    for error in (ContentError, FontError, OptionsError, OutputError):
        assert issubclass(error, LeafletError)
    assert issubclass(LeafletError, Exception)


@pytest.mark.parametrize("source", [GOOD_YAML, str(GOOD_YAML), GOOD_TXT], ids=["path", "str", "txt"])
def test_load_and_build(source: Path | str) -> None:
    """This test ensures that load_monograph (Path or str) and build_leaflet give a PDF in memory."""
    rendered = build_leaflet(load_monograph(source), BuildOptions(paper="letter", columns=1))
    assert isinstance(rendered, Rendered)
    assert rendered.pdf.startswith(b"%PDF-")
    assert rendered.pages >= 1


def test_build_file_writes_what_it_returns(tmp_path: Path) -> None:
    """This test ensures that build_file writes the PDF it returns, creating the folder, and nothing else."""
    out = tmp_path / "new" / "good.pdf"
    rendered = build_file(GOOD_YAML, out, BuildOptions())
    assert out.read_bytes() == rendered.pdf
    assert listing(tmp_path) == ["new/good.pdf"]


@pytest.mark.parametrize(
    ("source", "line", "column"),
    [(SYNTAX_ERROR_YAML, 5, 9), (UNKNOWN_KEY_YAML, 4, 1)],
    ids=["syntax", "unknown-key"],
)
def test_content_errors_carry_location(source: Path, line: int, column: int) -> None:
    """This test ensures that load_monograph raises ContentError whose diagnostic gives file, line,
    column and hint, and whose text is ``path:line:column: message (hint)``."""
    with pytest.raises(ContentError) as caught:
        load_monograph(source)
    (diagnostic,) = caught.value.diagnostics
    assert isinstance(diagnostic, Diagnostic)
    assert (diagnostic.path, diagnostic.line, diagnostic.column) == (str(source), line, column)
    assert diagnostic.hint
    assert str(caught.value) == f"{source}:{line}:{column}: {diagnostic.message} ({diagnostic.hint})"


@pytest.mark.parametrize("name", ["missing.yaml", "missing.txt", "notes.md", "no_suffix"])
def test_load_monograph_bad_paths(tmp_path: Path, name: str) -> None:
    """This test ensures that a missing file or unknown suffix is a ContentError naming the path."""
    path = tmp_path / name
    if name.startswith("notes") or name == "no_suffix":
        path.write_text("Title\nText.\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_monograph(path)
    assert caught.value.diagnostics[0].path == str(path)


def test_missing_glyphs_are_a_font_error() -> None:
    """This test ensures that build_leaflet raises FontError with one diagnostic per character the
    fonts cannot draw, each with the file and a line."""
    with pytest.raises(FontError) as caught:
        build_leaflet(load_monograph(GLYPHS_YAML))
    diagnostics = caught.value.diagnostics
    assert {d.path for d in diagnostics} == {str(GLYPHS_YAML)}
    assert all(d.line is not None for d in diagnostics)
    found = {(d.line, code) for d in diagnostics for code in ("U+1F600", "U+1200") if code in d.message}
    assert found == {(5, "U+1F600"), (8, "U+1200")}


@pytest.mark.parametrize(
    "options",
    [BuildOptions(columns=3), BuildOptions(columns=0), BuildOptions(paper="a5")],  # type: ignore[arg-type]
    ids=["columns-3", "columns-0", "a5"],
)
def test_bad_options_are_an_options_error(options: BuildOptions) -> None:
    """This test ensures that BuildOptions values that make no leaflet are refused with OptionsError."""
    with pytest.raises(OptionsError):
        build_leaflet(load_monograph(GOOD_YAML), options)


def test_unwritable_output_is_an_output_error(tmp_path: Path) -> None:
    """This test ensures that build_file to a path under a regular file raises OutputError naming it."""
    blocker = tmp_path / "file"
    blocker.write_bytes(b"x")
    with pytest.raises(OutputError) as caught:
        build_file(GOOD_YAML, blocker / "out.pdf", BuildOptions())
    assert caught.value.diagnostics[0].path == str(blocker / "out.pdf")
    assert temp_files(tmp_path) == []


def test_api_prints_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that the API never prints: warnings go to on_warning, errors are raised."""
    warnings: list[Diagnostic] = []
    build_file(DANGLING_DASH_TXT, tmp_path / "a.pdf", BuildOptions(), on_warning=warnings.append)
    with pytest.raises(LeafletError):
        build_file(GLYPHS_YAML, tmp_path / "b.pdf", BuildOptions())
    assert capsys.readouterr() == ("", "")
    assert [(w.path, w.line) for w in warnings] == [(str(DANGLING_DASH_TXT), 5)]
