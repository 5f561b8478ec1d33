"""The exceptions leaflet raises, and the diagnostics it reports.

Everything a user can cause is a :class:`LeafletError`; the command line turns each one into a
single ``file:line:column: error: message (hint)`` line and exit status 2. Any other exception
is a bug in leaflet.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Diagnostic:
    """One finding about an input file, with where it is and what to do about it."""

    path: str
    """The file the finding is about."""
    message: str
    """What is wrong, in one sentence."""
    line: int | None = None
    """1-based line in the file, when the finding has one."""
    column: int | None = None
    """1-based column in the line, when the finding has one."""
    hint: str | None = None
    """What the user can do about it."""

    def location(self) -> str:
        """``file:line:column`` with only the parts that are known."""
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class LeafletError(Exception):
    """Base of every error a user can cause and fix."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic) -> None:
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def __reduce__(self) -> tuple[type[LeafletError], tuple[list[Diagnostic]]]:
        """Pickle by the diagnostics, so errors survive the trip back from a worker process."""
        return (self.__class__, (list(self.diagnostics),))


class ContentError(LeafletError):
    """A monograph (YAML or plain text) that cannot be read as written."""


class FontError(LeafletError):
    """Content with characters the bundled fonts cannot draw, or a missing font file."""


class LayoutFitError(LeafletError):
    """Content that cannot be laid out on the page as written (e.g. a title taller than the page)."""


class OptionsError(LeafletError):
    """Build options or command-line paths that do not make sense."""


class OutputError(LeafletError):
    """The output could not be written where it was asked for."""


class OrderPdfError(LeafletError):
    """An order PDF (or a leaflet PDF to attach) that cannot be used: unreadable, damaged, truncated,
    too large or slow to read, encrypted without its password, or restricted by its owner."""


def content_error(
    path: str, message: str, *, line: int | None = None, column: int | None = None, hint: str | None = None
) -> ContentError:
    """Shorthand for a :class:`ContentError` about one place in one file."""
    return ContentError(Diagnostic(path, message, line, column, hint))
