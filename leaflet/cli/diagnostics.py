"""How a diagnostic reads on screen: one greppable line, and under it the source line with a caret.

The first line is always ``path:line:column: error[code]: message``, so that editors, CI problem
matchers and ``grep`` find it. In the ``full`` style (the default on a terminal) the line of the content
file follows, with a caret under the column and the hint beside it, as rustc, Typst and ruff show them::

    content/x.yaml:14:5: error[yaml-unknown-key]: unknown key 'overdose_warnnig' in a section
       |
    14 |     overdose_warnnig: Overdose
       |     ^^^^^^^^^^^^^^^^ did you mean 'warning'?

The ``concise`` style (the default when piped) keeps one line per diagnostic, the hint in parentheses.
Only monographs (``.yaml``, ``.yml``, ``.txt``) are ever quoted: an orders CSV or an order PDF holds
patients' details, and no message may show them. This module is imported only when there is something
to report.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from leaflet.errors import Diagnostic
from leaflet.model import source_lines

QUOTABLE_SUFFIXES = (".yaml", ".yml", ".txt", ".toml")
"""Files whose lines may be shown: content files (monographs) and the site configuration, which hold no
patient's details."""
MAX_QUOTED_BYTES = 1024 * 1024
"""Files larger than a monograph can be are never read for an excerpt."""
_TOKEN = re.compile(r"[^\s:,\[\]{}]+|\S")
"""What the caret underlines from the column: a key, a value, a word (or the one character there)."""
_ONE_CHARACTER_CODES = ("glyphs", "control-character")
_STYLES = {"error": "1;31", "warning": "1;33", "location": "1", "gutter": "1;34", "hint": "36"}


def use_colour(stream: TextIO) -> bool:
    """ANSI colours on a terminal, unless ``NO_COLOR`` is set (https://no-color.org); ``FORCE_COLOR`` forces them."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


@dataclass
class Renderer:
    """Formats diagnostics in one style, reading each quoted file once."""

    full: bool
    """Show the source line and a caret (else one line per diagnostic)."""
    colour: bool
    quote: bool = True
    """May quote content files at all (never for the commands that read orders and patients' details)."""
    files: dict[str, list[str] | None] = field(default_factory=dict)

    def paint(self, style: str, text: str) -> str:
        return f"\x1b[{_STYLES[style]}m{text}\x1b[0m" if self.colour and text else text

    def render(self, level: str, diagnostic: Diagnostic) -> str:
        """The diagnostic as text (one line, or several with the excerpt), without a final newline."""
        label = f"{level}[{diagnostic.code}]" if diagnostic.code else level
        head = f"{self.paint('location', diagnostic.location() + ':')} {self.paint(level, label + ':')}"
        source = self.source_line(diagnostic) if self.full else None
        if source is None:
            hint = f" ({diagnostic.hint})" if diagnostic.hint else ""
            return f"{head} {diagnostic.message}{hint}"
        assert diagnostic.line is not None
        number = str(diagnostic.line)
        gutter = " " * len(number) + " |"
        lines = [f"{head} {diagnostic.message}", self.paint("gutter", gutter)]
        lines.append(f"{self.paint('gutter', number + ' |')} {_expand(source)}".rstrip())
        if diagnostic.column is not None:
            lead, width = _caret(source, diagnostic.column, diagnostic.code)
            hint = f" {self.paint('hint', diagnostic.hint)}" if diagnostic.hint else ""
            lines.append(f"{self.paint('gutter', gutter)} {' ' * lead}{self.paint(level, '^' * width)}{hint}")
        elif diagnostic.hint:
            lines.append(f"{self.paint('gutter', ' ' * len(number) + ' =')} {self.paint('hint', diagnostic.hint)}")
        return "\n".join([*lines, ""])  # a blank line after an excerpt, as rustc leaves

    def source_line(self, diagnostic: Diagnostic) -> str | None:
        """The line the diagnostic points at, when it is in a content file that can be read."""
        if not self.quote or diagnostic.line is None or not diagnostic.path.lower().endswith(QUOTABLE_SUFFIXES):
            return None
        if diagnostic.path not in self.files:
            self.files[diagnostic.path] = _read_lines(Path(diagnostic.path))
        lines = self.files[diagnostic.path]
        if lines is None or not 1 <= diagnostic.line <= len(lines):
            return None
        return lines[diagnostic.line - 1]


def _read_lines(path: Path) -> list[str] | None:
    try:
        if not path.is_file() or path.stat().st_size > MAX_QUOTED_BYTES:
            return None
        data = path.read_bytes()
    except OSError:
        return None
    text = data.decode("utf-8-sig", errors="replace")
    return [_printable(line) for line in source_lines(text)]


def _printable(line: str) -> str:
    """``line`` with characters that would upset a terminal (escape sequences, ...) shown as a replacement mark."""
    return "".join(
        "\ufffd" if unicodedata.category(char) in ("Cc", "Zl", "Zp") and char != "\t" else char for char in line
    )


def _expand(text: str) -> str:
    return text.replace("\t", "    ")


def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal: wide (CJK, emoji) characters take two, combining marks none."""
    total = 0
    for char in _expand(text):
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def _caret(line: str, column: int, code: str) -> tuple[int, int]:
    """Spaces before the caret, and how many carets: under the token at ``column`` (1-based)."""
    start = min(max(column - 1, 0), len(line))
    match = _TOKEN.match(line, start) if code not in _ONE_CHARACTER_CODES else None
    token = match.group(0) if match else line[start : start + 1]
    return _width(line[:start]), max(_width(token), 1)


def summary(errors: int, warnings: int) -> str:
    """``3 errors``, ``1 error, 2 warnings``, ``1 warning``."""
    parts = [f"{errors} error{'s' if errors != 1 else ''}"] if errors else []
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts)
