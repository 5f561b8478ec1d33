"""Read a monograph's file as text: at most :data:`MAX_BYTES`, UTF-8, and no character that cannot be text.

Shared by the YAML loader and the plain-text importer. Every control character is reported (up to
:data:`MAX_REPORTED`), each at the line and column an editor shows, in one :class:`ContentError`.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from leaflet.errors import ContentError, Diagnostic, content_error
from leaflet.files import FileRefusedError, read_regular
from leaflet.model import source_lines

MAX_BYTES = 1024 * 1024
"""Largest monograph accepted: a leaflet is a few pages; anything bigger is a mistake or an attack."""
MAX_REPORTED = 20
"""Control characters reported one by one; past them one line counts the rest (a binary file has thousands)."""


def read_text(path: Path, *, allow_form_feed: bool = False, limit: int = MAX_BYTES) -> str:
    """The text of ``path``: UTF-8 (a BOM is allowed), at most ``limit`` bytes (:data:`MAX_BYTES`)."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > limit:
            raise content_error(
                name,
                f"the file is {size:,} bytes; the limit is {limit:,}",
                hint="split it or remove what is not leaflet text",
                code="file-too-large",
            )
        data = read_regular(path, limit=limit)  # a device or a pipe is refused, not read (issue 10.4)
    except FileRefusedError as exc:
        raise content_error(name, exc.reason, hint=exc.hint, code="file-unreadable") from None
    except FileNotFoundError:
        raise content_error(name, "no such file", hint="check the path", code="file-not-found") from None
    except IsADirectoryError:
        raise content_error(name, "is a directory, not a file", code="file-unreadable") from None
    except OSError as exc:
        raise content_error(name, f"cannot be read: {exc.strerror}", code="file-unreadable") from None
    return decode_text(data, name, allow_form_feed=allow_form_feed)


def decode_text(data: bytes, name: str, *, allow_form_feed: bool = False) -> str:
    """Decode ``data`` as UTF-8 (dropping a BOM), refusing bytes and characters that cannot be text.

    Lines are counted at LF, CR or CRLF only, as editors count them; other control characters and
    Unicode line separators are refused with their line and column. ``allow_form_feed`` lets the
    page breaks of text extracted from PDFs through.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise content_error(
            name,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x})",
            line=line,
            hint="save the file as UTF-8",
            code="file-not-utf8",
        ) from None
    problems = _control_characters(text, name, "\t\n\r\f" if allow_form_feed else "\t\n\r")
    if problems:
        if len(problems) > MAX_REPORTED:
            more = f"{len(problems) - MAX_REPORTED} more control or separator characters"
            problems = [*problems[:MAX_REPORTED], Diagnostic(name, more, code="control-character")]
        raise ContentError(problems)
    return normalized(text)


VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
"""Variation selectors: they choose a glyph variant (an emoji's colour form) the bundled fonts do not
have; dropped on load, so that the character they follow is drawn as it is (issue 11)."""


def normalized(text: str) -> str:
    """``text`` in Unicode NFC with variation selectors dropped: decomposed Greek or Cyrillic (as ePI
    files carry) becomes the composed characters the fonts draw (issue 11)."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return VARIATION_SELECTORS.sub("", text) if VARIATION_SELECTORS.search(text) else text


def _control_characters(text: str, name: str, allowed: str) -> list[Diagnostic]:
    """Every control character of ``text`` not in ``allowed``, and every Unicode line separator."""
    problems = []
    for number, line_text in enumerate(source_lines(text), start=1):
        for column, char in enumerate(line_text, start=1):
            category = unicodedata.category(char)
            if (category == "Cc" and char not in allowed) or category in ("Zl", "Zp"):
                kind = "control character" if category == "Cc" else "line separator character"
                hint = "delete it; it cannot be printed" if category == "Cc" else "use an ordinary line break"
                message = f"{kind} U+{ord(char):04X} in the text"
                problems.append(Diagnostic(name, message, number, column, hint, "control-character"))
    return problems
