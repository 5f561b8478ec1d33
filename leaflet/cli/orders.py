"""``leaflet attach`` and ``leaflet orders``: packets of order PDFs with their leaflets."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet.cli.config import configured_options
from leaflet.cli.output import EXIT_INTERNAL, EXIT_OK, EXIT_USER, Printer, Progress
from leaflet.cli.worker import absolute, broker_of
from leaflet.errors import Diagnostic, OptionsError, with_code

if TYPE_CHECKING:
    from leaflet.orders.batch import OrdersReport
    from leaflet.personalise.fhir_record import DispenseRecord


def run_attach(args: argparse.Namespace, out: Printer) -> int:
    """Write the packet: the order's pages with the leaflets after (or before) them."""
    from leaflet.orders.attach import attach_leaflets, write_packet  # pypdf loads only for attach
    from leaflet.orders.languages import monograph_in_language
    from leaflet.pdf.reading import limit_memory
    from leaflet.personalise.fhir_record import details_with_fhir

    limit_memory()
    _check_packet_paths([args.order, *args.leaflets, *args.fhir], args.output)
    record = _fhir_record(args.fhir)
    patient = details_with_fhir(
        record,
        where=str(args.order),
        patient=args.patient,
        rx=args.rx,
        dispensed=args.dispensed,
        directions=args.directions,
        pharmacy=args.pharmacy,
    )
    if record is not None and patient is None:
        out.warning(
            Diagnostic(
                record.source,
                "the FHIR records hold nothing the band prints; the leaflets are not personalised",
                hint="check they are this order's dispense, prescription and patient",
                code="fhir-empty",
            )
        )
    languages = record.languages if record else ()
    packet = attach_leaflets(
        args.order,
        [monograph_in_language(path, languages) for path in args.leaflets],
        languages=languages,
        before=args.before,
        paper=args.paper,
        password=_password_from(args.password_env),
        allow_restricted=args.allow_restricted,
        on_warning=lambda diagnostic: out.warning(with_code(diagnostic, "order-pdf")),
        patient=patient,
        base=configured_options(args, pdf_standard=args.pdf_standard),
    )
    write_packet(args.output, packet)
    out.info(f"wrote {args.output}")
    return EXIT_OK


def run_orders_command(args: argparse.Namespace, out: Printer) -> int:
    """One packet per row of the orders CSV; exit 2 when any row failed."""
    from leaflet.orders.batch import run_orders
    from leaflet.pdf.reading import limit_memory

    limit_memory()  # the worker processes inherit it
    broker = broker_of(args)
    if broker is not None:  # the workers find the files by the same absolute paths
        args.csv, args.output, args.root = absolute(args.csv), absolute(args.output), absolute(args.root)
    progress = Progress(enabled=not args.quiet and sys.stderr.isatty(), what="making packets")
    report = run_orders(
        args.csv,
        args.output,
        jobs=args.jobs,
        paper=args.paper,
        root=args.root,
        options=configured_options(args, pdf_standard=args.pdf_standard),
        broker=broker,
        on_warning=lambda diagnostic: out.warning(with_code(diagnostic, "order")),
        on_progress=progress.update,
    )
    progress.finish()
    if args.report is not None:
        write_report(args.report, report)
    for diagnostic in report.failed:
        out.error(with_code(diagnostic, "order"))
    for diagnostic in report.crashed:
        print(f"{diagnostic.location()}: {diagnostic.message}; please report it", file=sys.stderr)
    failed = len(report.failed) + len(report.crashed)
    out.info(f"{len(report.done)} done, {len(report.skipped)} skipped (unchanged), {failed} failed")
    if report.crashed:
        return EXIT_INTERNAL
    return EXIT_USER if report.failed else EXIT_OK


def _fhir_record(paths: list[Path]) -> DispenseRecord | None:
    """The band's values from the ``--fhir`` files, or None without any."""
    if not paths:
        return None
    from leaflet.personalise.fhir import read_fhir_files
    from leaflet.personalise.fhir_record import dispense_record

    return dispense_record(read_fhir_files(paths))


def write_report(path: Path, report: OrdersReport) -> None:
    """``orders --report FILE``: one JSON object a row, in CSV order (line, order_id, status, code,
    packet); no patient detail. Written atomically."""
    import json
    from dataclasses import asdict

    from leaflet.build import write_atomically

    rows = sorted(report.rows, key=lambda row: row.line)
    write_atomically(path, "".join(json.dumps(asdict(row)) + "\n" for row in rows).encode())


def _password_from(variable: str | None) -> str | None:
    """The order's password from the environment variable named; the value is never printed."""
    if variable is None:
        return None
    password = os.environ.get(variable)
    if password is None:
        raise OptionsError(
            Diagnostic("--password-env", f"environment variable {variable} is not set", hint="export it first")
        )
    return password


def _check_packet_paths(inputs: list[Path], packet: Path) -> None:
    if packet.suffix.lower() != ".pdf":
        raise OptionsError(Diagnostic(str(packet), "the packet is a PDF file", hint="end -o with .pdf"))
    for source in inputs:
        if packet.exists() and source.exists() and packet.resolve() == source.resolve():
            raise OptionsError(Diagnostic(str(packet), f"would overwrite {source}", hint="choose another -o"))
