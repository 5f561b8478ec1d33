"""The exceptions leaflet raises, and the diagnostics it reports.

Everything a user can cause is a :class:`LeafletError` carrying one or more :class:`Diagnostic` s; the
command line prints each one (``file:line:column: error[code]: message``, with the source line and a
caret on a terminal) and exits 2. Any other exception is a bug in leaflet.

Every diagnostic has a stable ``code`` (the README's table lists them): the place that finds the problem
names it (``yaml-unknown-key``); a diagnostic raised without one takes its error class's
:attr:`LeafletError.code` (``options``, ``output``, ``order-pdf``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, replace


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
    code: str = ""
    """Stable, greppable name of the kind of problem (``yaml-unknown-key``); '' until an error class gives
    its default (see :class:`LeafletError`)."""

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

    code = "leaflet"
    """The code of this error's diagnostics that were raised without one."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic) -> None:
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: tuple[Diagnostic, ...] = tuple(with_code(d, self.code) for d in diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def __reduce__(self) -> tuple[type[LeafletError], tuple[list[Diagnostic]]]:
        """Pickle by the diagnostics, so errors survive the trip back from a worker process."""
        return (self.__class__, (list(self.diagnostics),))


class ContentError(LeafletError):
    """A monograph (YAML or plain text) that cannot be read as written."""

    code = "content"


class FontError(LeafletError):
    """Content with characters the bundled fonts cannot draw, or a missing font file."""

    code = "glyphs"


class LayoutFitError(LeafletError):
    """Content that cannot be laid out on the page as written (e.g. a title taller than the page)."""

    code = "layout-fit"


class OptionsError(LeafletError):
    """Build options or command-line paths that do not make sense."""

    code = "options"


class OutputError(LeafletError):
    """The output could not be written where it was asked for."""

    code = "output"


class OrderPdfError(LeafletError):
    """An order PDF (or a leaflet PDF to attach) that cannot be used: unreadable, damaged, truncated,
    too large or slow to read, encrypted without its password, or restricted by its owner."""

    code = "order-pdf"


class FhirError(LeafletError):
    """A FHIR file of dispensing records (``--fhir``) that cannot be used: not JSON, too large or deep,
    no resource to personalise from, records that contradict each other, or a value of the wrong form."""

    code = "fhir"


def with_code(diagnostic: Diagnostic, code: str) -> Diagnostic:
    """``diagnostic``, with ``code`` when it has none yet."""
    return diagnostic if diagnostic.code else replace(diagnostic, code=code)


def content_error(
    path: str,
    message: str,
    *,
    line: int | None = None,
    column: int | None = None,
    hint: str | None = None,
    code: str = "",
) -> ContentError:
    """Shorthand for a :class:`ContentError` about one place in one file."""
    return ContentError(Diagnostic(path, message, line, column, hint, code))
