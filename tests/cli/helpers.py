"""Shared helpers for the command-line tests: run the CLI in-process, parse its diagnostics."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from leaflet.cli.main import main
from leaflet.jobs.library import LOCK_NAME, STATE_NAME
from tests.conftest import FIXTURES

CLI = FIXTURES / "cli"
GOOD_YAML = CLI / "good.yaml"
GOOD_TXT = CLI / "good.txt"
DANGLING_DASH_TXT = CLI / "dangling_dash.txt"
NO_OVERDOSE_TXT = CLI / "no_overdose.txt"
SYNTAX_ERROR_YAML = CLI / "syntax_error.yaml"
UNKNOWN_KEY_YAML = CLI / "unknown_key.yaml"
GLYPHS_YAML = CLI / "glyphs.yaml"

DIAGNOSTIC = re.compile(
    r"^(?P<path>.+?)(?::(?P<line>\d+)(?::(?P<column>\d+))?)?: (?P<level>error|warning)\[(?P<code>[a-z0-9-]+)\]: "
    r"(?P<message>.+)$"
)
"""``path:line:column: error[code]: message (hint)``, with line and column optional (the concise style, used
when stderr is not a terminal)."""
TOTAL = re.compile(r"^(?:\d+ errors?(?:, \d+ warnings?)?|\d+ warnings?)$")
"""The total after the diagnostics: ``3 errors``, ``1 error, 2 warnings``."""

TEMP_NAME = re.compile(r"^\..+\.tmp$")


@dataclass
class Result:
    """What one run of the command line did."""

    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]

    @property
    def out_lines(self) -> list[str]:
        return [line for line in self.out.splitlines() if line.strip()]

    @property
    def total(self) -> str | None:
        """The last line of stderr when it is the total (``3 errors``)."""
        lines = self.err_lines
        return lines[-1] if lines and TOTAL.match(lines[-1]) else None

    def diagnostics(self, level: str = "error") -> list[re.Match[str]]:
        """Every stderr line of ``level``, parsed."""
        found = [DIAGNOSTIC.match(line) for line in self.err_lines]
        return [match for match in found if match is not None and match["level"] == level]


def run_cli(capsys: pytest.CaptureFixture[str], *args: object) -> Result:
    """Run ``leaflet ARGS`` in this process and return its exit status and output."""
    capsys.readouterr()
    try:
        code = main([str(arg) for arg in args])
    except SystemExit as exc:  # argparse: --version, usage errors
        code = exc.code if isinstance(exc.code, int) else 1
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def copy(source: Path, target: Path) -> Path:
    """Copy the fixture ``source`` to ``target`` (creating folders) and return ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def temp_files(folder: Path) -> list[str]:
    """Names of leftover temporary files (``.X.pdf.*.tmp``) anywhere under ``folder``."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if TEMP_NAME.match(path.name))


def listing(folder: Path) -> list[str]:
    """Every file under ``folder``, relative, sorted, without the incremental build's state and lock."""
    book_keeping = {STATE_NAME, LOCK_NAME}
    return sorted(
        str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file() and path.name not in book_keeping
    )


def assert_user_error(result: Result, *, mentions: str) -> re.Match[str]:
    """Exit 2, exactly one ``error[code]:`` line that names ``mentions`` and the total ``1 error``, and no
    traceback."""
    assert result.code == 2, result
    assert "Traceback" not in result.err, result.err
    errors = result.diagnostics("error")
    assert len(errors) == 1, result.err
    assert result.err_lines == [errors[0].string, "1 error"], result.err
    assert mentions in errors[0]["path"], result.err
    return errors[0]
