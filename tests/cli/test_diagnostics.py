"""How diagnostics read (issue 9.4): the greppable first line with its code, the source line with a caret
under the column, colour only on a terminal, one line each when piped, a total, and never a quoted order
or patient."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from leaflet.cli.diagnostics import Renderer, summary, use_colour
from leaflet.cli.output import EXIT_INTERNAL, EXIT_STATUSES, EXIT_USER, Printer
from leaflet.errors import Diagnostic
from tests.cli.helpers import run_cli
from tests.conftest import ROOT
from tests.orders.support import order_pdf, write

THREE_MISTAKES = (
    "title: Baclofen\n"
    "language: en\n"
    "revised: 2024-02-30\n"
    "body:\n"
    "  - heading: Dosages\n"
    "    body:\n"
    "      - Take one tablet.\n"
    "      - warnnig: Overdose Caution\n"
    "    body:\n"
    "      - Seek help.\n"
)
"""An impossible date, and a '- warnnig:' indented one level too deep: three errors."""


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_full_style_shows_the_line_and_a_caret_under_the_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """This test ensures that ``--diagnostics full`` prints, for each of the three mistakes of one file,
    the greppable ``path:line:column: error[code]: message`` line, then the source line with carets under
    the column and the hint beside them, then the total ``3 errors`` (issue 9.4)."""
    source = write(tmp_path / "x.yaml", THREE_MISTAKES.encode())
    result = run_cli(capsys, "build", source, "-o", tmp_path / "x.pdf", "--diagnostics", "full")
    assert result.code == EXIT_USER
    assert result.err.split("\n\n") == [
        f"{source}:3:10: error[yaml-bad-date]: 'revised' is '2024-02-30', not a real date\n"
        "  |\n"
        "3 | revised: 2024-02-30\n"
        "  |          ^^^^^^^^^^ write it as YYYY-MM-DD, e.g. 2024-02-29",
        f"{source}:8:7: error[yaml-misplaced-item]: this item is indented inside 'body' (line 6), but the 'body:' "
        "below it on line 9 lines up with 'heading:' on line 5\n"
        "  |\n"
        "8 |       - warnnig: Overdose Caution\n"
        "  |       ^ move this '-' out to column 3, under the '-' on line 5, or indent 'body:' on line 9 to column 9",
        f"{source}:8:9: error[yaml-unknown-key]: unknown key 'warnnig' in a block\n"
        "  |\n"
        "8 |       - warnnig: Overdose Caution\n"
        "  |         ^^^^^^^ did you mean 'warning'?",
        "3 errors\n",
    ]


def test_caret_counts_wide_characters_and_tabs() -> None:
    """This test ensures that the caret stands under the character on a terminal: a CJK character or an
    emoji before it takes two columns, a tab four (as the excerpt shows it)."""
    renderer = Renderer(full=True, colour=False)
    renderer.files["m.yaml"] = ["- 漢字 and\t😀 here"]
    text = renderer.render("error", Diagnostic("m.yaml", "no glyph", 1, 10, code="glyphs"))
    source, caret = text.splitlines()[2:4]
    assert source == "1 | - 漢字 and    😀 here"
    assert caret == "  | " + " " * len("- xxxx and    ") + "^^"


def test_control_characters_are_not_sent_to_the_terminal(tmp_path: Path) -> None:
    """This test ensures that a quoted line never carries a control character (an escape sequence in a
    file must not drive the terminal): it is shown as U+FFFD, in its column."""
    path = write(tmp_path / "m.yaml", b"title: A\x1b[2Jb\n")
    text = Renderer(full=True, colour=False).render("error", Diagnostic(str(path), "control", 1, 9))
    assert "\x1b" not in text
    assert "1 | title: A\ufffd[2Jb" in text


@pytest.mark.parametrize("name", ["orders.csv", "order.pdf", "notes"])
def test_only_content_files_are_quoted(tmp_path: Path, name: str) -> None:
    """This test ensures that an orders CSV, an order PDF or any file that is not a monograph is never
    quoted, even in the full style: they hold patients' details."""
    path = write(tmp_path / name, b"order_id,patient\nA1,Jane Secret\n")
    text = Renderer(full=True, colour=False).render("error", Diagnostic(str(path), "bad row", 2, 4, "fix it"))
    assert text == f"{path}:2:4: error: bad row (fix it)"


def test_commands_that_read_orders_quote_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that ``attach`` shows a bad monograph's errors without its source lines, even
    in the full style (nothing an order command prints may quote a file)."""
    order = write(tmp_path / "order.pdf", order_pdf(1))
    monograph = write(tmp_path / "x.yaml", THREE_MISTAKES.encode())
    result = run_cli(capsys, "attach", order, monograph, "-o", tmp_path / "p.pdf", "--diagnostics", "full")
    assert result.code == EXIT_USER
    assert " | " not in result.err and "Seek" not in result.err
    assert result.err_lines[-1] == "3 errors"


def test_concise_style_is_one_line_each(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that when stderr is not a terminal, each diagnostic is one line with its hint
    in parentheses, then the total."""
    source = write(tmp_path / "x.yaml", THREE_MISTAKES.encode())
    result = run_cli(capsys, "build", source, "-o", tmp_path / "x.pdf")
    assert len(result.diagnostics()) == 3
    assert result.err_lines[0] == (
        f"{source}:3:10: error[yaml-bad-date]: 'revised' is '2024-02-30', not a real date "
        "(write it as YYYY-MM-DD, e.g. 2024-02-29)"
    )
    assert result.total == "3 errors"


def test_full_style_is_the_default_on_a_terminal() -> None:
    """This test ensures that the excerpt is shown by default on a terminal, and not when piped."""
    printer = Printer(quiet=False)
    assert printer.renderer(Terminal()).full
    assert not printer.renderer(io.StringIO()).full
    assert not Printer(quiet=False, style="concise").renderer(Terminal()).full


@pytest.mark.parametrize(
    ("environ", "tty", "expected"),
    [
        ({}, True, True),
        ({}, False, False),
        ({"NO_COLOR": "1"}, True, False),
        ({"FORCE_COLOR": "1"}, False, True),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, True, False),
        ({"NO_COLOR": ""}, True, True),
    ],
)
def test_colour_only_on_a_terminal_without_no_color(
    monkeypatch: pytest.MonkeyPatch, environ: dict[str, str], tty: bool, expected: bool
) -> None:
    """This test ensures that ANSI colours are used on a terminal only, never with NO_COLOR set (and not
    empty, as no-color.org says), and when piped only with FORCE_COLOR."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    assert use_colour(Terminal() if tty else io.StringIO()) is expected


def test_colour_marks_the_level_and_the_caret(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """This test ensures that in colour the level and the carets are red, and that removing the escape
    codes gives the plain text back."""
    path = write(tmp_path / "m.yaml", b"title: x\n")
    diagnostic = Diagnostic(str(path), "bad", 1, 8, "fix", "yaml-bad-date")
    coloured = Renderer(full=True, colour=True).render("error", diagnostic)
    assert "\x1b[1;31merror[yaml-bad-date]:\x1b[0m" in coloured and "\x1b[1;31m^\x1b[0m" in coloured
    plain = Renderer(full=True, colour=False).render("error", diagnostic)
    assert re.sub("\x1b\\[[0-9;]*m", "", coloured) == plain


def test_totals_read_as_counts() -> None:
    """This test ensures that the total reads '1 error', '3 errors', '1 error, 2 warnings', '1 warning'."""
    assert [summary(1, 0), summary(3, 0), summary(1, 2), summary(0, 1)] == [
        "1 error",
        "3 errors",
        "1 error, 2 warnings",
        "1 warning",
    ]


def test_check_full_style_quotes_findings_on_stdout(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """This test ensures that ``check --diagnostics full`` shows each finding with its source line and
    code, load errors and rule findings alike, then the total."""
    source = write(tmp_path / "x.yaml", b"title: Cheap\nlanguage: en\nrevised: 2024-01-01\nbody:\n  - Buy it.\n")
    result = run_cli(capsys, "check", source, "--diagnostics", "full")
    assert f"{source}:5:5: error[promotional]: promotional wording (buy): 'Buy'\n  |\n5 |   - Buy it.\n" in result.out
    assert "    ^^^ remove it" in result.out
    assert result.out_lines[-1] == "3 errors, 5 warnings"


def test_exit_statuses_are_one_table_in_the_readme() -> None:
    """This test ensures that the README's exit-status table is the one of leaflet/cli/output.py, and
    that an internal error is 70, not 1 (issue 9.4)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for status, meaning in EXIT_STATUSES.items():
        assert f"| `{status}` | {meaning} |" in readme
    assert EXIT_INTERNAL == 70


def test_every_code_is_in_the_readme_table() -> None:
    """This test ensures that every code leaflet gives a diagnostic is in the README's table of codes
    (a stable code is documented), or is a check rule of the README's rule tables."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    source = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "leaflet").rglob("*.py"))
    codes = set(re.findall(r'code(?:=| = )"([a-z0-9-]+)"', source))
    codes |= set(re.findall(r'"((?:yaml|text|file)-[a-z0-9-]+)"', source))
    assert len(codes) > 30
    missing = sorted(code for code in codes if f"`{code}`" not in readme)
    assert not missing
