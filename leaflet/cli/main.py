"""The command line: parse arguments, call the build functions, print results. The only place
that prints or exits.

Exit status: 0 success, 2 input the user must fix (one ``file:line: error: ...`` line each, no
traceback), 1 an internal error (a bug; ``--verbose`` shows its traceback).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from leaflet import __version__
from leaflet.build import build_many, plan_outputs, write_atomically
from leaflet.check.findings import Finding
from leaflet.check.rules import PROFILES, CheckOptions, check_paths
from leaflet.errors import Diagnostic, LeafletError, OptionsError
from leaflet.jobs.library import build_library, snapshot, wait_for_change
from leaflet.loaders import dump_monograph
from leaflet.loaders.text_importer import import_text_monograph
from leaflet.loaders.yaml_loader import is_calendar_date
from leaflet.options import BuildOptions

EXIT_OK, EXIT_INTERNAL, EXIT_USER = 0, 1, 2
EXIT_WARNINGS = 1
"""``check --strict`` with warnings and no errors (shares 1 with an internal error)."""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leaflet", description="Turn drug monographs into patient leaflet PDFs.")
    parser.add_argument("--version", action="version", version=f"leaflet {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="store_true", help="show tracebacks of internal errors")
    common.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", parents=[common], help="build leaflet PDFs from .yaml or .txt monographs")
    build.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="monograph files or folders")
    build.add_argument(
        "-o", "--output", required=True, type=Path, metavar="OUT", help="a .pdf file for one input, else a folder"
    )
    build.add_argument("--paper", choices=("a4", "letter"), default="a4")
    build.add_argument("--columns", type=int, choices=(1, 2), default=2)
    build.add_argument("--large-print", action="store_true", help="body 16 pt, one column")
    build.add_argument("--force", action="store_true", help="rebuild every leaflet, changed or not (folder output)")
    build.add_argument("--prune", action="store_true", help="remove leaflets whose content file is gone")
    build.add_argument("--jobs", type=int, default=1, metavar="N", help="build in N processes (folder output)")
    build.add_argument("--watch", action="store_true", help="rebuild on every save until interrupted (Ctrl-C)")

    imp = commands.add_parser("import", parents=[common], help="convert a plain-text monograph into the YAML format")
    imp.add_argument("text", type=Path, metavar="TEXT")
    imp.add_argument("-o", "--output", required=True, type=Path, metavar="YAML")
    imp.add_argument("--revised", metavar="YYYY-MM-DD", help="revision date to record (default: today)")

    check = commands.add_parser(
        "check", parents=[common], help="check monographs' content and built PDFs against the leaflet rules"
    )
    check.add_argument("inputs", nargs="+", type=Path, metavar="PATH", help="monographs, built PDFs, or folders")
    check.add_argument("--format", choices=("text", "json"), default="text", help="one line per finding, or JSON")
    check.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    check.add_argument("--profile", choices=tuple(PROFILES), default="basic", help="the sections required")
    check.add_argument(
        "--max-grade", type=float, default=8.0, metavar="GRADE", help="highest reading grade (default 8, USP <1265>)"
    )
    check.add_argument("--max-pages", type=int, metavar="N", help="page budget of a built PDF (warning above)")

    attach = commands.add_parser("attach", parents=[common], help="attach leaflets to a pharmacy order PDF")
    attach.add_argument("order", type=Path, metavar="ORDER", help="the order PDF (its pages are kept as they are)")
    attach.add_argument(
        "leaflets", nargs="+", type=Path, metavar="LEAFLET", help="monographs (.yaml, .txt) or built leaflet PDFs"
    )
    attach.add_argument("-o", "--output", required=True, type=Path, metavar="PACKET", help="the packet PDF to write")
    attach.add_argument("--before", action="store_true", help="put the leaflets before the order")
    attach.add_argument(
        "--paper", choices=("auto", "a4", "letter"), default="auto", help="leaflet paper (auto: the order's)"
    )
    attach.add_argument("--password-env", metavar="VAR", help="environment variable holding the order's password")
    attach.add_argument(
        "--allow-restricted", action="store_true", help="use an order restricted by its owner (printing, ...)"
    )
    add_personal_options(attach)
    add_orders_command(commands, common)
    return parser


def add_personal_options(attach: argparse.ArgumentParser) -> None:
    """``attach``'s personalisation options: any of them prints a band of patient details on the leaflets."""
    personal = attach.add_argument_group("personalisation (any of these prints a band on each leaflet)")
    personal.add_argument("--patient", metavar="NAME", help="the patient's name")
    personal.add_argument("--rx", metavar="NUMBER", help="the prescription (Rx) number; the QR code carries it")
    personal.add_argument("--dispensed", metavar="YYYY-MM-DD", help="the date dispensed")
    personal.add_argument("--directions", metavar="TEXT", help='e.g. "take 1 tablet three times a day"')
    personal.add_argument("--pharmacy", metavar="TEXT", help="the pharmacy's name (and address)")


def add_orders_command(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    orders = commands.add_parser("orders", parents=[common], help="make one packet per row of an orders CSV")
    orders.add_argument("csv", type=Path, metavar="ORDERS.csv", help="order_id, order_pdf, monographs, patient, ...")
    orders.add_argument("-o", "--output", required=True, type=Path, metavar="OUTDIR", help="folder for the packets")
    orders.add_argument("--jobs", type=int, default=1, metavar="N", help="make packets in N processes")
    orders.add_argument("--root", type=Path, metavar="DIR", help="the CSV's paths stay in DIR (default: its folder)")
    orders.add_argument(
        "--paper", choices=("auto", "a4", "letter"), default="auto", help="leaflet paper (auto: each order's)"
    )


class Printer:
    """Writes results to stdout and diagnostics to stderr, honouring --quiet."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet

    def info(self, text: str) -> None:
        if not self.quiet:
            print(text)

    def warning(self, diagnostic: Diagnostic) -> None:
        if not self.quiet:
            print(_format("warning", diagnostic), file=sys.stderr)

    def error(self, diagnostic: Diagnostic) -> None:
        print(_format("error", diagnostic), file=sys.stderr)


def _format(level: str, diagnostic: Diagnostic) -> str:
    text = f"{diagnostic.location()}: {level}: {diagnostic.message}"
    return f"{text} ({diagnostic.hint})" if diagnostic.hint else text


def run_build(args: argparse.Namespace, out: Printer) -> int:
    if args.jobs < 1:
        raise OptionsError(Diagnostic("--jobs", f"{args.jobs} processes", hint="use 1 or more"))
    if args.output.suffix.lower() != ".pdf":
        return watch_library(args, out) if args.watch else run_library(args, out)
    folder_only = [
        flag
        for flag, given in (
            ("--force", args.force),
            ("--prune", args.prune),
            ("--watch", args.watch),
            ("--jobs", args.jobs != 1),
        )
        if given
    ]
    if folder_only:
        raise OptionsError(
            Diagnostic(
                folder_only[0],
                "applies to a folder of leaflets, not to one .pdf",
                hint="give a folder as -o, or leave the option out",
            )
        )
    return run_single(args, out)


def run_library(args: argparse.Namespace, out: Printer) -> int:
    """Incremental build of every monograph into the folder OUT."""
    options = BuildOptions(paper=args.paper, columns=args.columns, large_print=args.large_print)
    pairs = plan_outputs(args.inputs, args.output)
    progress = Progress(enabled=not args.quiet and sys.stderr.isatty())
    report = build_library(
        pairs,
        args.output,
        options,
        force=args.force,
        prune=args.prune,
        jobs=args.jobs,
        on_warning=out.warning,
        on_progress=progress.update,
    )
    progress.finish()
    for _, target, changes in report.rebuilt:
        out.info(f"built {target}" if changes.new else f"rebuilt {target} ({changes.describe()})")
    for _, error in report.failed:
        for diagnostic in error.diagnostics:
            out.error(diagnostic)
    for (source, message), trace in zip(report.crashed, report.traces, strict=True):
        if args.verbose:
            print(trace, file=sys.stderr, end="")
        print(f"{source}: internal error: {message} (a bug in leaflet; please report it)", file=sys.stderr)
    for target in report.orphans:
        out.info(f"orphaned {target}: its content file is gone (--prune removes it)")
    for target in report.pruned:
        out.info(f"removed {target}")
    failed = len(report.failed) + len(report.crashed)
    out.info(f"{len(report.rebuilt)} rebuilt, {len(report.unchanged)} unchanged, {failed} failed")
    if report.crashed:
        return EXIT_INTERNAL
    return EXIT_USER if report.failed else EXIT_OK


def watch_library(args: argparse.Namespace, out: Printer) -> int:
    """Build, then rebuild after every save, until interrupted."""
    status = run_library(args, out)
    seen = snapshot(args.inputs)
    out.info("watching for changes (Ctrl-C to stop)")
    while (changed := wait_for_change(args.inputs, seen)) is not None:
        seen = changed
        try:
            status = run_library(args, out)
        except LeafletError as error:
            for diagnostic in error.diagnostics:
                out.error(diagnostic)
    return status


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


def run_single(args: argparse.Namespace, out: Printer) -> int:
    """One monograph into one PDF."""
    options = BuildOptions(paper=args.paper, columns=args.columns, large_print=args.large_print)
    pairs = plan_outputs(args.inputs, args.output)
    report = build_many(
        pairs, options, on_warning=out.warning, on_done=lambda source, target: out.info(f"built {target}")
    )
    for _, error in report.failed:
        for diagnostic in error.diagnostics:
            out.error(diagnostic)
    for source, message, trace in report.crashed:
        if args.verbose:
            print(trace, file=sys.stderr, end="")
        print(
            f"{source}: internal error: {message} (a bug in leaflet; please report it, -v shows details)",
            file=sys.stderr,
        )
    if len(pairs) > 1:
        failed = len(report.failed) + len(report.crashed)
        out.info(f"{len(report.built)} built, {failed} failed")
    if report.crashed:
        return EXIT_INTERNAL
    return EXIT_USER if report.failed else EXIT_OK


PRIVATE_COMMANDS = ("attach", "orders")
"""Commands that read patients' orders and details: an internal error names the exception's type only
(its text could quote an order or a patient), unless -v asks for the details."""


def _internal_error(exc: BaseException, *, private: bool = False) -> str:
    what = type(exc).__name__ if private else f"{type(exc).__name__}: {exc}"
    return f"internal error: {what} (a bug in leaflet; please report it, -v shows details)"


def run_import(args: argparse.Namespace, out: Printer) -> int:
    revised = datetime.date.today().isoformat() if args.revised is None else args.revised
    if not is_calendar_date(revised):
        raise OptionsError(
            Diagnostic("--revised", f"{revised!r} is not a date", hint="use YYYY-MM-DD, e.g. 2024-05-01")
        )
    _check_import_paths(args.text, args.output)
    monograph = import_text_monograph(args.text, on_warning=out.warning)
    write_atomically(args.output, dump_monograph(monograph, revised=revised).encode("utf-8"))
    out.info(f"wrote {args.output}")
    return EXIT_OK


def run_check(args: argparse.Namespace, out: Printer) -> int:
    """Print the findings about every monograph and PDF named; exit 2 on errors, 1 on warnings with --strict."""
    if args.max_pages is not None and args.max_pages < 1:
        raise OptionsError(Diagnostic("--max-pages", f"{args.max_pages} pages", hint="use 1 or more"))
    options = CheckOptions(profile=args.profile, max_grade=args.max_grade, max_pages=args.max_pages)
    findings = check_paths(args.inputs, options)
    shown = [f for f in findings if f.severity == "error" or not args.quiet]
    if args.format == "json":
        print(json.dumps([finding.as_dict() for finding in shown], indent=2, ensure_ascii=False))
    else:
        for finding in shown:
            print(format_finding(finding))
    if any(finding.severity == "error" for finding in findings):
        return EXIT_USER
    return EXIT_WARNINGS if findings and args.strict else EXIT_OK


def format_finding(finding: Finding) -> str:
    """``file:line:column: error: message (hint)``, as the other commands report problems; for a PDF,
    ``file:page: error: ...`` (the page stands where the line would)."""
    return _format(finding.severity, finding.diagnostic)


def _check_import_paths(source: Path, target: Path) -> None:
    if source.suffix.lower() != ".txt":
        raise OptionsError(
            Diagnostic(
                str(source),
                "import reads plain-text monographs (.txt)",
                hint="a .yaml monograph needs no import; build it directly",
            )
        )
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise OptionsError(Diagnostic(str(target), "the output of import is a YAML file", hint="end -o with .yaml"))
    if target.exists() and source.exists() and target.resolve() == source.resolve():
        raise OptionsError(Diagnostic(str(target), "would overwrite the text being imported", hint="choose another -o"))


def run_attach(args: argparse.Namespace, out: Printer) -> int:
    """Write the packet: the order's pages with the leaflets after (or before) them."""
    from leaflet.orders.attach import attach_leaflets, write_packet  # pypdf loads only for attach
    from leaflet.pdf.reading import limit_memory
    from leaflet.personalise.patient import patient_details

    limit_memory()
    _check_packet_paths([args.order, *args.leaflets], args.output)
    patient = patient_details(
        where=str(args.order),
        patient=args.patient,
        rx=args.rx,
        dispensed=args.dispensed,
        directions=args.directions,
        pharmacy=args.pharmacy,
    )
    packet = attach_leaflets(
        args.order,
        args.leaflets,
        before=args.before,
        paper=args.paper,
        password=_password_from(args.password_env),
        allow_restricted=args.allow_restricted,
        on_warning=out.warning,
        patient=patient,
    )
    write_packet(args.output, packet)
    out.info(f"wrote {args.output}")
    return EXIT_OK


def run_orders(args: argparse.Namespace, out: Printer) -> int:
    """One packet per row of the orders CSV; exit 2 when any row failed."""
    from leaflet.orders.batch import run_orders as make_packets
    from leaflet.pdf.reading import limit_memory

    limit_memory()  # the worker processes inherit it
    progress = Progress(enabled=not args.quiet and sys.stderr.isatty(), what="making packets")
    report = make_packets(
        args.csv,
        args.output,
        jobs=args.jobs,
        paper=args.paper,
        root=args.root,
        on_warning=out.warning,
        on_progress=progress.update,
    )
    progress.finish()
    for diagnostic in report.failed:
        out.error(diagnostic)
    for diagnostic in report.crashed:
        print(f"{diagnostic.location()}: {diagnostic.message}; please report it", file=sys.stderr)
    failed = len(report.failed) + len(report.crashed)
    out.info(f"{len(report.done)} done, {len(report.skipped)} skipped (unchanged), {failed} failed")
    if report.crashed:
        return EXIT_INTERNAL
    return EXIT_USER if report.failed else EXIT_OK


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = make_parser().parse_args(argv)
    out = Printer(quiet=args.quiet)
    commands = {
        "build": run_build,
        "import": run_import,
        "check": run_check,
        "attach": run_attach,
        "orders": run_orders,
    }
    try:
        return commands[args.command](args, out)
    except LeafletError as error:
        for diagnostic in error.diagnostics:
            out.error(diagnostic)
        return EXIT_USER
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so in one line, keep the traceback for --verbose
        if args.verbose:
            traceback.print_exc()
        private = args.command in PRIVATE_COMMANDS and not args.verbose
        print(f"leaflet: {_internal_error(exc, private=private)}", file=sys.stderr)
        return EXIT_INTERNAL


def entry_point() -> None:
    """Console-script entry point."""
    sys.exit(main())
