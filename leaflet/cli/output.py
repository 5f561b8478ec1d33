"""What the command line prints: results on stdout, diagnostics on stderr (rendered by
:mod:`leaflet.cli.diagnostics`, loaded only when there is one), a progress counter on a terminal, and the
one table of exit statuses every command shares."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from leaflet.errors import Diagnostic

if TYPE_CHECKING:
    from leaflet.cli.diagnostics import Renderer

EXIT_OK = 0
"""Success (``check``: no finding that fails the run)."""
EXIT_FINDINGS = 1
"""``check`` findings that fail the run: warnings with ``--strict`` (errors are input to fix: 2)."""
EXIT_USER = 2
"""Input the user must fix: content, options, paths, order PDFs, the orders CSV; usage errors too."""
EXIT_INTERNAL = 70
"""An internal error, a bug in leaflet (``EX_SOFTWARE`` of sysexits.h); ``-v`` shows the traceback."""
EXIT_INTERRUPTED = 130
"""Ctrl-C (128 + SIGINT, as shells report it)."""
EXIT_BROKEN_PIPE = 141
"""The reader of the output went away (``leaflet check ... | head``): 128 + SIGPIPE, as shells report it."""
EXIT_STATUSES = {
    EXIT_OK: "success",
    EXIT_FINDINGS: "check findings that fail the run (warnings with --strict)",
    EXIT_USER: "input the user must fix",
    EXIT_INTERNAL: "an internal error (a bug; -v shows the traceback)",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C)",
    EXIT_BROKEN_PIPE: "the output's reader went away (e.g. | head); nothing more is printed",
}
"""The one exit-status table of every command (the README's copy is kept equal by a test)."""

PRIVATE_COMMANDS = ("attach", "orders")
"""Commands that read patients' orders and details: an internal error names the exception's type only
(its text could quote an order or a patient), unless -v asks for the details; no source line is quoted."""


class Printer:
    """Writes results to stdout and diagnostics to stderr, honouring --quiet, and counts what it reported."""

    def __init__(self, *, quiet: bool, style: str | None = None, quote: bool = True, log_format: str = "text") -> None:
        self.quiet = quiet
        self.json = log_format == "json"
        """``--log-format json``: every line printed is a JSON object (diagnostics with their fields)."""
        self.style = style
        """``full`` (source line and caret), ``concise`` (one line each) or None: full on a terminal."""
        self.quote = quote
        self.errors = 0
        self.warnings = 0
        self._renderers: list[tuple[TextIO, Renderer]] = []

    def info(self, text: str) -> None:
        if not self.quiet:
            print(json_line("info", text) if self.json else text)

    def warning(self, diagnostic: Diagnostic) -> None:
        if not self.quiet:
            self.report("warning", diagnostic)

    def error(self, diagnostic: Diagnostic) -> None:
        self.report("error", diagnostic)

    def report(self, level: str, diagnostic: Diagnostic, stream: TextIO | None = None) -> None:
        """Print ``diagnostic`` (stderr unless ``stream`` is given) and count it."""
        stream = stream or sys.stderr
        if level == "error":
            self.errors += 1
        else:
            self.warnings += 1
        if self.json:
            print(json_line(level, diagnostic.message, diagnostic), file=stream)
        else:
            print(self.renderer(stream).render(level, diagnostic), file=stream)

    def renderer(self, stream: TextIO) -> Renderer:
        """The renderer for ``stream``, made on first use (the rendering code loads only when needed)."""
        from leaflet.cli.diagnostics import Renderer, use_colour

        for known, renderer in self._renderers:
            if known is stream:
                return renderer
        full = self.style == "full" or (self.style is None and stream.isatty())
        renderer = Renderer(full=full, colour=use_colour(stream), quote=self.quote)
        self._renderers.append((stream, renderer))
        return renderer

    def total(self, stream: TextIO | None = None) -> None:
        """``3 errors`` / ``1 error, 2 warnings`` after the diagnostics, when there was an error."""
        if not self.errors:
            return
        from leaflet.cli.diagnostics import summary

        stream = stream or sys.stderr
        if self.json:
            print(json_line("error", summary(self.errors, self.warnings)), file=stream)
        else:
            print(self.renderer(stream).paint("error", summary(self.errors, self.warnings)), file=stream)


def json_line(level: str, message: str, diagnostic: Diagnostic | None = None) -> str:
    """One JSON log line (``--log-format json``): time, level, message, and a diagnostic's code, path, line,
    column and hint."""
    import datetime
    import json

    line: dict[str, object] = {
        "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds"),
        "level": level,
        "logger": "leaflet",
        "message": message,
    }
    if diagnostic is not None:
        line |= {"code": diagnostic.code, "path": diagnostic.path, "line": diagnostic.line}
        line |= {"column": diagnostic.column, "hint": diagnostic.hint}
    return json.dumps(line, ensure_ascii=False)


def format_diagnostic(level: str, diagnostic: Diagnostic) -> str:
    """``file:line:column: level[code]: message (hint)``: one line, for machines."""
    label = f"{level}[{diagnostic.code}]" if diagnostic.code else level
    text = f"{diagnostic.location()}: {label}: {diagnostic.message}"
    return f"{text} ({diagnostic.hint})" if diagnostic.hint else text


class Progress:
    """A one-line progress counter on a terminal's stderr for long builds."""

    def __init__(self, *, enabled: bool, what: str = "building leaflets") -> None:
        self.enabled = enabled
        self.what = what
        self.shown = False

    def update(self, done: int, total: int) -> None:
        if self.enabled and total >= 20:
            width = len(str(total))
            print(f"\r[{done:>{width}}/{total}] {self.what}", end="", file=sys.stderr, flush=True)
            self.shown = True

    def finish(self) -> None:
        if self.shown:
            print(file=sys.stderr)


def internal_error(exc: BaseException, *, private: bool = False) -> str:
    """The one line an internal error (a bug) prints."""
    what = type(exc).__name__ if private else f"{type(exc).__name__}: {exc}"
    return f"internal error: {what} (a bug in leaflet; please report it, -v shows details)"
