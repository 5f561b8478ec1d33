"""What the command line prints: results on stdout, diagnostics on stderr, a progress counter on a
terminal, and the exit statuses every command shares."""

from __future__ import annotations

import sys

from leaflet.errors import Diagnostic

EXIT_OK, EXIT_INTERNAL, EXIT_USER = 0, 1, 2
EXIT_WARNINGS = 1
"""``check --strict`` with warnings and no errors (shares 1 with an internal error)."""

PRIVATE_COMMANDS = ("attach", "orders")
"""Commands that read patients' orders and details: an internal error names the exception's type only
(its text could quote an order or a patient), unless -v asks for the details."""


class Printer:
    """Writes results to stdout and diagnostics to stderr, honouring --quiet."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet

    def info(self, text: str) -> None:
        if not self.quiet:
            print(text)

    def warning(self, diagnostic: Diagnostic) -> None:
        if not self.quiet:
            print(format_diagnostic("warning", diagnostic), file=sys.stderr)

    def error(self, diagnostic: Diagnostic) -> None:
        print(format_diagnostic("error", diagnostic), file=sys.stderr)


def format_diagnostic(level: str, diagnostic: Diagnostic) -> str:
    """``file:line:column: level: message (hint)``."""
    text = f"{diagnostic.location()}: {level}: {diagnostic.message}"
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
