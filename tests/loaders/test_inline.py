"""Tests of the inline syntax of the YAML format: **bold**, *italic*, backslash escapes, and its writer."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from leaflet.loaders.inline import escape_text, format_inline, parse_inline
from leaflet.model import Run, plain


@pytest.mark.parametrize(
    ("source", "runs"),
    [
        ("**bold**", (Run("bold", bold=True),)),
        ("*italic*", (Run("italic", italic=True),)),
        (
            "Take **2 tablets** *daily*.",
            (Run("Take "), Run("2 tablets", bold=True), Run(" "), Run("daily", italic=True), Run(".")),
        ),
        ("**5 mg**", (Run("5 mg", bold=True),)),
        ("**x**", (Run("x", bold=True),)),
        ("*x*", (Run("x", italic=True),)),
    ],
)
def test_emphasis(source: str, runs: tuple[Run, ...]) -> None:
    """This test ensures that **bold** and *italic* become styled runs without their markers."""
    assert parse_inline(source) == runs


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("2 \\* 5 mg", "2 * 5 mg"),
        ("a \\\\ b", "a \\ b"),
        ("\\*not italic\\*", "*not italic*"),
        ("\\*\\*not bold\\*\\*", "**not bold**"),
        ("\\\\", "\\"),
        ("C:\\temp\\new", "C:\\temp\\new"),  # any other backslash is literal
        ("ends with \\", "ends with \\"),
    ],
)
def test_escapes(source: str, text: str) -> None:
    """This test ensures that \\* is a literal asterisk, \\\\ a literal backslash, and other backslashes literal."""
    assert parse_inline(source) == (Run(text),)


def test_escape_inside_emphasis() -> None:
    """This test ensures that escapes work inside emphasis too."""
    assert parse_inline("*a\\*b*") == (Run("a*b", italic=True),)
    assert parse_inline("**x \\\\ y**") == (Run("x \\ y", bold=True),)


@pytest.mark.parametrize(
    "source",
    [
        "**unclosed bold",
        "*unclosed italic",
        "closing only**",
        "5 * 3",
        "5 * 3 * 2",
        "a ** b",
        "* not italic*",
        "*not italic *",
        "** not bold**",
        "**not bold **",
        "*",
        "**",
        "***",
        "a**b",
        "*a**",
        "*a\\ *",
    ],
)
def test_unclosed_or_spaced_markers_are_literal(source: str) -> None:
    """This test ensures that markers that are not closed, or that touch a space on the inner side, are text."""
    assert parse_inline(source) == (Run(source),)


def test_bold_and_italic_do_not_nest() -> None:
    """This test ensures that italic markers inside bold stay literal (the two do not nest)."""
    assert parse_inline("**a *b* c**") == (Run("a *b* c", bold=True),)


def test_empty_text_has_no_runs() -> None:
    """This test ensures that empty text is no runs at all (not one empty run)."""
    assert parse_inline("") == ()


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_escaped_text_reads_back_as_itself(text: str) -> None:
    """This test ensures that for any text t, parse_inline(escape_text(t)) is the single plain run t."""
    assert parse_inline(escape_text(text)) == ((Run(text),) if text else ())


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab *\\\t.:"), max_size=16) | st.text(max_size=16))
def test_parsed_text_keeps_every_character_but_markers(source: str) -> None:
    """This test ensures that parsing never invents characters: the runs' text is the source minus markers."""
    runs = parse_inline(source)
    assert all(run.text for run in runs)
    assert not any(run.bold and run.italic for run in runs)
    assert len(plain(runs)) <= len(source)
    stripped = source.replace("\\", "").replace("*", "")
    assert plain(runs).replace("\\", "").replace("*", "") == stripped


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab *\\"), max_size=14))
@example("*a\\ *")  # found by this test: kept so that it always runs
def test_format_inline_inverts_parse_inline(source: str) -> None:
    """This test ensures that writing parsed runs back (what the YAML writer does) reads back as the same runs."""
    runs = parse_inline(source)
    assert parse_inline(format_inline(runs)) == runs


@pytest.mark.parametrize(
    "runs",
    [
        (Run("Take "), Run("2 tablets", bold=True), Run(" "), Run("daily", italic=True), Run(".")),
        (Run("a*b", bold=True),),
        (Run("\\", italic=True),),
        (Run("5 * 3"),),
        (Run("*"), Run("x", italic=True), Run("*")),
    ],
)
def test_format_inline_examples(runs: tuple[Run, ...]) -> None:
    """This test ensures that typical runs are written so that they read back unchanged."""
    assert parse_inline(format_inline(runs)) == runs


def test_styled_runs_with_edge_spaces_or_glued_to_a_word_are_written_so_they_read_back() -> None:
    """This test ensures that the writer puts a styled run's edge spaces outside its markers (bold kept), and
    writes plain a styled run glued to a neighbour's letter (emphasis cannot open inside a word), so that
    what it writes reads back with the same text and never shows a literal ``**``."""
    spaced = (Run("Patients with high blood pressure ", bold=True), Run("The usual dose is 150 mg."))
    assert format_inline(spaced) == "**Patients with high blood pressure** The usual dose is 150 mg."
    assert parse_inline(format_inline(spaced))[0] == Run("Patients with high blood pressure", bold=True)
    glued = (Run("Acuéstese sobre su lado"), Run("izquierdo", bold=True), Run(". Agite"), Run(".", bold=True))
    written = format_inline(glued)
    assert "*" not in written
    assert "".join(run.text for run in parse_inline(written)) == "Acuéstese sobre su ladoizquierdo. Agite."
    kept = (Run("Take "), Run("one", bold=True), Run(" tablet"))
    assert parse_inline(format_inline(kept)) == kept
