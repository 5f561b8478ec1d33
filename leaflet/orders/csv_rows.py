"""The orders CSV: its rows as dictionaries, read strictly, and its header checked.

Consumes the path of an orders CSV (UTF-8, a header row naming :data:`COLUMNS`); yields each row as a
dictionary with names and values stripped of surrounding spaces. A file that is not UTF-8, breaks the
CSV format or lacks columns raises :class:`OptionsError` naming the CSV and the line, never quoting
it (its rows hold patient details).
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from leaflet.errors import Diagnostic, OptionsError

COLUMNS = ("order_id", "order_pdf", "monographs", "patient", "rx", "dispensed", "directions", "pharmacy")
OPTIONAL_COLUMNS = ("fhir",)
"""Columns a CSV may have: ``fhir``, the row's FHIR files (``;``-separated), read like ``--fhir``."""


class CsvRows:
    """The rows of an orders CSV as dictionaries, names and values stripped of surrounding spaces.

    A file that is not UTF-8, or that breaks the CSV format (e.g. a field over the csv module's limit
    of 131072 characters), raises :class:`OptionsError` naming the CSV and the line, never quoting it.
    """

    def __init__(self, path: Path, stream: Iterable[str]) -> None:
        self.path = path
        self.reader = csv.DictReader(stream)
        self._names: list[str] | None = None

    @property
    def line_num(self) -> int:
        return self.reader.line_num

    @property
    def fieldnames(self) -> list[str] | None:
        if self._names is None:
            with self._guarded():
                names = self.reader.fieldnames
            if names is None:
                return None
            self._names = [name.strip() for name in names]
            self.reader.fieldnames = self._names
        return self._names

    def __iter__(self) -> Iterator[dict]:
        self.fieldnames  # noqa: B018 - reads (and strips) the header row first
        while True:
            with self._guarded():
                try:
                    row = next(self.reader)
                except StopIteration:
                    return
            yield {name: value.strip() if isinstance(value, str) else value for name, value in row.items()}

    @contextlib.contextmanager
    def _guarded(self) -> Iterator[None]:
        try:
            yield
        except UnicodeDecodeError:
            raise OptionsError(
                Diagnostic(
                    str(self.path),
                    "is not UTF-8 text",
                    line=_first_bad_utf8_line(self.path) or self.reader.line_num + 1,
                    hint="save the CSV as UTF-8",
                )
            ) from None
        except csv.Error as exc:
            too_long = "field larger than field limit" in str(exc)
            message = (
                f"a field is longer than the limit of {csv.field_size_limit()} characters"
                if too_long
                else "breaks the CSV format (csv.Error)"
            )
            raise OptionsError(
                Diagnostic(
                    str(self.path),
                    message,
                    line=max(self.reader.reader.line_num, 1),  # the line being parsed, not the last row's
                    hint="check the quoting on this line" if not too_long else "shorten the field",
                )
            ) from None


def _first_bad_utf8_line(path: Path) -> int | None:
    """The 1-based number of the first line of ``path`` that is not UTF-8 (a newline never falls
    inside a UTF-8 sequence, so lines decode on their own), or None if it cannot tell."""
    try:
        with path.open("rb") as stream:
            for number, raw in enumerate(stream, 1):
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError:
                    return number
    except OSError:
        return None
    return None


@contextlib.contextmanager
def open_csv(path: Path) -> Iterator[CsvRows]:
    try:
        stream = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise OptionsError(Diagnostic(str(path), f"cannot be read: {exc.strerror}")) from None
    with stream:
        yield CsvRows(path, stream)


def count_rows(path: Path) -> int:
    with open_csv(path) as reader:
        return sum(1 for _ in reader)


def check_header(path: Path, names: object) -> None:
    given = [name.strip() for name in names] if isinstance(names, list) else []
    missing = [name for name in COLUMNS if name not in given]
    unknown = [name for name in given if name not in (*COLUMNS, *OPTIONAL_COLUMNS)]
    if missing or unknown:
        problems = [f"missing {', '.join(missing)}"] if missing else []
        problems += [f"unknown {', '.join(unknown)}"] if unknown else []
        raise OptionsError(
            Diagnostic(
                str(path),
                f"the header row does not name the order columns ({'; '.join(problems)})",
                line=1,
                hint=f"the columns are {', '.join(COLUMNS)} (and optionally {', '.join(OPTIONAL_COLUMNS)})",
            )
        )
