"""Tests of issue 9.4, "One error path", in the loaders: every independent mistake of a file in one
:class:`ContentError`, in source order, each with its stable code; mistakes said where they are."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import yaml

from leaflet.errors import ContentError, Diagnostic
from leaflet.loaders import load_monograph, yaml_tree
from leaflet.loaders.source_text import MAX_REPORTED
from leaflet.loaders.yaml_tree import MAX_SECTION_DEPTH
from tests.loaders.support import HEAD, write


def problems(tmp_path: Path, text: str, name: str = "m.yaml") -> list[tuple[int | None, int | None, str]]:
    """(line, column, code) of every diagnostic loading ``text`` raises."""
    with pytest.raises(ContentError) as error:
        load_monograph(write(tmp_path / name, text))
    return [(d.line, d.column, d.code) for d in error.value.diagnostics]


def test_independent_mistakes_are_reported_together(tmp_path: Path) -> None:
    """This test ensures that an unknown key, an impossible date, an empty paragraph and an empty list
    item in one file are four diagnostics of one error, in source order (issue 9.4: three typos used to
    take three runs)."""
    text = (
        "title: Baclofen\nlanguage: en\nrevised: 2024-02-30\nbody:\n"
        "  - heading: Dosages\n    bdy:\n      - Take it.\n"
        "  - ''\n"
        "  - list:\n      - One\n      - ' '\n"
    )
    assert problems(tmp_path, text) == [
        (3, 10, "yaml-bad-date"),
        (6, 5, "yaml-unknown-key"),
        (8, 5, "yaml-empty-text"),
        (11, 9, "yaml-empty-text"),
    ]


def test_a_misspelt_key_is_read_as_the_key_it_meant(tmp_path: Path) -> None:
    """This test ensures that the blocks under a misspelt 'heding:' are still checked (their mistakes
    reported in the same run), and a misspelt key is not read as its alternative already there."""
    text = HEAD + "body:\n  - heding: Dosages\n    body:\n      - ''\n  - heading: Side effects\n    warnig: x\n"
    assert problems(tmp_path, text) == [
        (5, 5, "yaml-unknown-key"),
        (7, 9, "yaml-empty-text"),
        (9, 5, "yaml-unknown-key"),
    ]


def test_missing_keys_are_each_reported(tmp_path: Path) -> None:
    """This test ensures that every missing required key is reported with the other mistakes, and that
    a misspelt 'bdy:' is reported as unknown but read as 'body' (so its emptiness is reported too, and it
    is not also missing)."""
    assert problems(tmp_path, "title: x\nbdy: []\n") == [
        (1, 1, "yaml-missing-key"),
        (1, 1, "yaml-missing-key"),
        (2, 1, "yaml-unknown-key"),
        (2, 6, "yaml-empty-list"),
    ]


def test_misindented_warning_item_is_reported_where_it_is_wrong(tmp_path: Path) -> None:
    """This test ensures that a '- warnnig:' item indented one level too deep (so that its 'body:' lines
    up with the section above) is reported at its '-', saying so, and not as "duplicate key 'body'"
    (issue 9.4)."""
    text = (
        HEAD + "body:\n  - heading: Dosages\n    body:\n      - Take one tablet.\n"
        "      - warnnig: Overdose Caution\n    body:\n      - Seek help.\n"
    )
    with pytest.raises(ContentError) as error:
        load_monograph(write(tmp_path / "m.yaml", text))
    misplaced, typo = error.value.diagnostics
    assert (misplaced.line, misplaced.column, misplaced.code) == (8, 7, "yaml-misplaced-item")
    assert "indented inside 'body' (line 6)" in misplaced.message and "line 9" in misplaced.message
    assert misplaced.hint is not None and "column 3" in misplaced.hint and "column 9" in misplaced.hint
    assert (typo.line, typo.column, typo.code) == (8, 9, "yaml-unknown-key")
    assert not any("duplicate" in d.message for d in error.value.diagnostics)


def test_a_real_duplicate_key_is_still_a_duplicate(tmp_path: Path) -> None:
    """This test ensures that two 'body:' keys of one section, with no item between, stay a duplicate key."""
    text = HEAD + "body:\n  - heading: Dosages\n    body:\n      - One.\n    body:\n      - Two.\n"
    assert problems(tmp_path, text) == [(8, 5, "yaml-duplicate-key")]


def test_glyph_errors_join_the_load_errors(tmp_path: Path) -> None:
    """This test ensures that a character the fonts cannot draw is reported with the file's other
    mistakes, in source order, when the rest of the file could be read."""
    text = "title: Smile 😀\nlanguage: en\nrevised: 2024-13-01\nbody:\n  - Fine.\n  - A ሀ here.\n"
    assert problems(tmp_path, text) == [(1, 14, "glyphs"), (3, 10, "yaml-bad-date"), (6, 7, "glyphs")]


def test_a_syntax_error_stops_reading(tmp_path: Path) -> None:
    """This test ensures that after a YAML syntax error nothing else is reported (it would be noise)."""
    assert problems(tmp_path, HEAD + "body:\n  - a: b: c\n  - bad: key\n") == [(5, 9, "yaml-syntax")]


def test_every_control_character_is_reported_up_to_a_limit(tmp_path: Path) -> None:
    """This test ensures that each control character is its own diagnostic, and that past
    MAX_REPORTED one more diagnostic counts the rest (a binary file must not print thousands)."""
    assert problems(tmp_path, HEAD + "body:\n  - A\x07B\x07.\n") == [
        (5, 6, "control-character"),
        (5, 8, "control-character"),
    ]
    found = problems(tmp_path, HEAD + "body:\n  - " + "\x00" * (MAX_REPORTED + 5) + "\n")
    assert len(found) == MAX_REPORTED + 1
    with pytest.raises(ContentError) as error:
        load_monograph(tmp_path / "m.yaml")
    assert error.value.diagnostics[-1].message == "5 more control or separator characters"


def test_plain_text_errors_have_codes(tmp_path: Path) -> None:
    """This test ensures that the plain-text importer's errors carry their codes."""
    assert problems(tmp_path, "\n\n", "m.txt") == [(None, None, "text-empty-file")]
    assert problems(tmp_path, "Title only\n", "m.txt") == [(1, None, "text-nothing-after-title")]


def test_errors_with_codes_survive_pickling() -> None:
    """This test ensures that a ContentError of several coded diagnostics comes back from a worker
    process (pickled) equal, codes included."""
    error = ContentError([Diagnostic("m.yaml", "a", 1, 2, "h", "yaml-bad-date"), Diagnostic("m.yaml", "b")])
    again = pickle.loads(pickle.dumps(error))
    assert again.diagnostics == error.diagnostics
    assert [d.code for d in again.diagnostics] == ["yaml-bad-date", "content"]


def test_text_after_a_closing_bracket_is_not_dropped(tmp_path: Path) -> None:
    """This test ensures that ``list: [Muscle spasticity, Pain]#not printed`` is an error at the '#'
    (issue 10.8: YAML read the words as a comment and they vanished), while a comment after a space is
    still a comment."""
    text = HEAD + "body:\n  - lead: 'For:'\n    list: [Muscle spasticity, Pain]#not printed\n"
    assert problems(tmp_path, text) == [(6, 36, "yaml-comment-in-text")]
    load_monograph(write(tmp_path / "ok.yaml", HEAD + "body: [One.]  # a comment\n"))


def test_a_last_line_without_a_colon_gets_the_right_hint(tmp_path: Path) -> None:
    """This test ensures that a line with no ':' at the end of the file is said to need one (or a '- '),
    not to close a bracket that is not there (issue 10.8)."""
    with pytest.raises(ContentError) as error:
        load_monograph(write(tmp_path / "m.yaml", HEAD + "body:\n  - A.\nfoo\n"))
    (diagnostic,) = error.value.diagnostics
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (6, 1, "yaml-syntax")
    assert "no ':'" in diagnostic.message
    assert diagnostic.hint is not None and "[" not in diagnostic.hint and "'- '" in diagnostic.hint


@pytest.mark.parametrize("paragraph", ['"\\u00ad\\u00ad"', "\u00ad", "' \u00ad '"])
def test_soft_hyphens_alone_are_empty_text(tmp_path: Path, paragraph: str) -> None:
    """This test ensures that a paragraph of soft hyphens only (they mark where a word may break, and
    print nothing) is empty text (issue 10.8), in YAML and in plain text."""
    assert problems(tmp_path, HEAD + f"body:\n  - {paragraph}\n") == [(5, 5, "yaml-empty-text")]
    assert problems(tmp_path, "Title\n\u00ad\u00ad\n", "m.txt") == [(1, None, "text-nothing-after-title")]


def _sections(depth: int) -> str:
    lines, indent = [HEAD.rstrip("\n"), "body:"], "  "
    for level in range(depth):
        lines += [f"{indent}- heading: Level {level + 1}", f"{indent}  body:"]
        indent += "    "
    return "\n".join([*lines, f"{indent}- Text.", ""])


def test_sections_nest_up_to_the_documented_depth(tmp_path: Path) -> None:
    """This test ensures that sections nest exactly MAX_SECTION_DEPTH (19) levels, as the README says
    (issue 10.8: it said "any depth"), and one more is a clear error naming that limit."""
    assert MAX_SECTION_DEPTH == 19
    load_monograph(write(tmp_path / "deep.yaml", _sections(MAX_SECTION_DEPTH)))
    with pytest.raises(ContentError) as error:
        load_monograph(write(tmp_path / "deeper.yaml", _sections(MAX_SECTION_DEPTH + 1)))
    (diagnostic,) = error.value.diagnostics
    assert diagnostic.code == "yaml-too-deep"
    assert diagnostic.hint is not None and "sections nest at most 19 levels deep" in diagnostic.hint
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "sections nest up to 19 levels deep" in readme


@pytest.mark.parametrize("parser", ["libyaml", "pyyaml"])
@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("  - Take\tcare.\n", [(5, 9, "yaml-tab-in-text", "a tab inside unquoted text")]),
        (
            '  - "A \\ud800 b"\n',
            [
                (
                    5,
                    8,
                    "yaml-bad-escape",
                    "an escape for a lone surrogate (\\uD800 to \\uDFFF), which is not a character",
                )
            ],
        ),
    ],
    ids=["tab-in-plain-text", "lone-surrogate-escape"],
)
def test_libyaml_and_pyyaml_give_the_same_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parser: str, body: str, expected: list[tuple[object, ...]]
) -> None:
    """This test ensures that a tab inside plain text and a "\\ud800" escape are refused with the same
    diagnostic whether PyYAML runs on libyaml or on its own parser (issue 10.8: one accepted what the
    other refused), and that a tab in quoted text is fine with both."""
    monkeypatch.setattr(yaml_tree, "_Loader", yaml.CSafeLoader if parser == "libyaml" else yaml.SafeLoader)
    with pytest.raises(ContentError) as error:
        load_monograph(write(tmp_path / "m.yaml", HEAD + "body:\n" + body))
    assert [(d.line, d.column, d.code, d.message) for d in error.value.diagnostics] == expected
    load_monograph(write(tmp_path / "ok.yaml", HEAD + "body:\n  - 'Take\tcare.'\n"))
