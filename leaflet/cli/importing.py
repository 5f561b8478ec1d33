"""``leaflet import``: a plain-text monograph, an EU ePI (FHIR JSON or XML) or an FDA SPL file converted into
the YAML format for editing."""

from __future__ import annotations

import argparse
import datetime
import sys
from pathlib import Path

from leaflet.build import write_atomically
from leaflet.cli.output import EXIT_OK, Printer
from leaflet.errors import Diagnostic, OptionsError
from leaflet.loaders import IMPORTED_SUFFIXES, dump_monograph
from leaflet.loaders.text_importer import import_text_monograph
from leaflet.loaders.yaml_loader import is_calendar_date
from leaflet.options import BuildOptions, validate_options


def run_import(args: argparse.Namespace, out: Printer) -> int:
    """Write the YAML of the plain-text, ePI or SPL monograph named."""
    revised = datetime.date.today().isoformat() if args.revised is None else args.revised
    if not is_calendar_date(revised):
        raise OptionsError(
            Diagnostic("--revised", f"{revised!r} is not a date", hint="use YYYY-MM-DD, e.g. 2024-05-01")
        )
    to_stdout = str(args.output) == STDOUT
    _check_import_paths(args.text, args.output, to_stdout=to_stdout, force=args.force)
    if args.language is not None:
        validate_options(BuildOptions(language=args.language))
    if args.text.suffix.lower() in IMPORTED_SUFFIXES:
        from leaflet.loaders.imported import import_structured

        monograph = import_structured(args.text, on_warning=out.warning, language=args.language)
    else:
        monograph = import_text_monograph(args.text, on_warning=out.warning, language=args.language)
    text = dump_monograph(monograph, revised=revised)
    if to_stdout:  # UTF-8 whatever the locale: the YAML is read back as UTF-8
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
        return EXIT_OK
    write_atomically(args.output, text.encode("utf-8"))
    out.info(f"wrote {args.output}")
    return EXIT_OK


STDOUT = "-"
"""``-o -``: the YAML goes to standard output (and the messages to standard error)."""


def _check_import_paths(source: Path, target: Path, *, to_stdout: bool, force: bool) -> None:
    if source.suffix.lower() not in (".txt", *IMPORTED_SUFFIXES):
        raise OptionsError(
            Diagnostic(
                str(source),
                "import reads plain-text monographs (.txt), ePI (.json, .xml) and SPL (.xml) files",
                hint="a .yaml monograph needs no import; build it directly",
            )
        )
    if to_stdout:
        return
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise OptionsError(Diagnostic(str(target), "the output of import is a YAML file", hint="end -o with .yaml"))
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise OptionsError(Diagnostic(str(target), "would overwrite the text being imported", hint="choose another -o"))
    if (target.exists() or target.is_symlink()) and not force:
        # A YAML file may have been edited by hand since the last import (issue 12, part 5).
        raise OptionsError(
            Diagnostic(
                str(target),
                "already exists; import does not overwrite it",
                hint="give --force to replace it, or choose another -o",
                code="import-exists",
            )
        )
