"""The small inline syntax of the YAML format: ``**bold**``, ``*italic*`` and backslash escapes.

Rules: ``**`` and ``*`` open emphasis only before a non-space character and close only after
one, not inside a word (``2*3*4`` stays as typed), and must be closed in the same text; an
unclosed marker is an ordinary character.
``\\*`` is a literal asterisk and ``\\\\`` a literal backslash; any other backslash is literal.
Bold and italic do not nest.
"""

from __future__ import annotations

import re

from leaflet.model import Inline, Run

_ESC = r"\\[\\*]"  # an escape: \\ or \*
_LONE = r"\\(?![\\*])"  # a backslash that escapes nothing is literal
_FIRST = "(?:" + _ESC + "|" + _LONE + r"|[^\s*\\])"


def _span(name: str, marker: str, middle: str, last: str) -> str:
    """Emphasis between ``marker``s: not inside a word, no space just inside the markers."""
    inner = f"(?:{_ESC}|{_LONE}|{middle})*?(?:{_ESC}|{_LONE}|{last})"
    return rf"(?<!\w){marker}(?P<{name}>{_FIRST}(?:{inner})?){marker}(?!\*)(?!\w)"


_BOLD = _span("bold", r"\*\*", middle=r"[^\\]", last=r"[^\s\\]")
_ITALIC = _span("italic", r"\*", middle=r"[^\\*]", last=r"[^\s*\\]")
_TOKEN = re.compile(r"\\(?P<escaped>[\\*])|" + _BOLD + "|" + _ITALIC)
_ESCAPE = re.compile(r"\\([\\*])")


def parse_inline(text: str) -> Inline:
    """Split ``text`` written in the inline syntax into styled runs."""
    runs: list[Run] = []
    buffer: list[str] = []
    position = 0
    for match in _TOKEN.finditer(text):
        buffer.append(text[position : match.start()])
        position = match.end()
        if match.group("escaped") is not None:
            buffer.append(match.group("escaped"))
            continue
        _flush(buffer, runs)
        if match.group("bold") is not None:
            runs.append(Run(_unescape(match.group("bold")), bold=True))
        else:
            runs.append(Run(_unescape(match.group("italic")), italic=True))
    buffer.append(text[position:])
    _flush(buffer, runs)
    return tuple(runs)


def _flush(buffer: list[str], runs: list[Run]) -> None:
    text = "".join(buffer)
    buffer.clear()
    if text:
        runs.append(Run(text))


def _unescape(text: str) -> str:
    return _ESCAPE.sub(r"\1", text)


def escape_text(text: str) -> str:
    """``text`` written so that :func:`parse_inline` reads it back as one plain run."""
    return text.replace("\\", "\\\\").replace("*", "\\*")


def format_inline(runs: Inline) -> str:
    """The inline-syntax source of ``runs`` (the inverse of :func:`parse_inline`): spaces at the ends of a
    styled run are written outside its markers; a styled run glued to a letter or digit of its neighbour
    ("lado" + bold "izquierdo", bold "." after "feeding", as imported files have them) cannot be marked
    inside a word and is written plain, its text kept."""
    parts = []
    for index, run in enumerate(runs):
        core = run.text.strip()
        before = runs[index - 1].text[-1:] if index else ""
        after = runs[index + 1].text[:1] if index + 1 < len(runs) else ""
        glued = (core == run.text) and (_wordy(before) or _wordy(after))
        marker = "**" if run.bold else "*" if run.italic else ""
        if not marker or not core or glued:
            parts.append(escape_text(run.text))
            continue
        start = run.text.index(core)
        head, tail = run.text[:start], run.text[start + len(core) :]
        parts.append(f"{escape_text(head)}{marker}{escape_text(core)}{marker}{escape_text(tail)}")
    return "".join(parts)


def _wordy(char: str) -> bool:
    return char.isalnum() or char == "_"
