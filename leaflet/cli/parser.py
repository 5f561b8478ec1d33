"""The argument parser of every command (no command's code is imported to build it)."""

from __future__ import annotations

import argparse
from pathlib import Path

from leaflet import __version__

PROFILE_NAMES = ("basic", "eu-qrd", "us-medguide")
"""The ``check --profile`` choices: the keys of :data:`leaflet.check.rules.PROFILES` (a test keeps them equal),
named here so that parsing arguments does not import the check code."""


def make_parser() -> argparse.ArgumentParser:
    """The parser of ``leaflet`` and its commands."""
    parser = argparse.ArgumentParser(prog="leaflet", description="Turn drug monographs into patient leaflet PDFs.")
    parser.add_argument("--version", action="version", version=f"leaflet {__version__}")
    common = common_options()
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    add_build_command(commands, common)

    imp = commands.add_parser(
        "import", parents=[common], help="convert a plain-text, ePI (.json, .xml) or SPL (.xml) monograph into YAML"
    )
    imp.add_argument("text", type=Path, metavar="TEXT")
    imp.add_argument("-o", "--output", required=True, type=Path, metavar="YAML", help="the YAML file, or - for stdout")
    imp.add_argument("--force", action="store_true", help="overwrite an existing YAML file")
    imp.add_argument("--revised", metavar="YYYY-MM-DD", help="revision date to record (default: today)")
    imp.add_argument("--language", metavar="TAG", help="the text's language, a BCP 47 tag (default: detected)")

    check = commands.add_parser(
        "check", parents=[common], help="check monographs' content and built PDFs against the leaflet rules"
    )
    check.add_argument("inputs", nargs="+", type=Path, metavar="PATH", help="monographs, built PDFs, or folders")
    check.add_argument("--format", choices=("text", "json"), default="text", help="one line per finding, or JSON")
    check.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    check.add_argument("--profile", choices=PROFILE_NAMES, default="basic", help="the sections required")
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
    add_pdf_standard_option(attach)
    add_orders_command(commands, common)
    add_serve_command(commands, common)
    worker = commands.add_parser("worker", parents=[common], help="run a Celery worker for --engine celery batches")
    worker.add_argument("--broker", required=True, metavar="URL", help="the Redis broker, redis://HOST:PORT/DB")
    worker.add_argument("--concurrency", type=int, default=2, metavar="N", help="worker processes (default 2)")
    worker.add_argument(
        "--visibility-timeout",
        type=float,
        default=300.0,
        metavar="S",
        help="seconds before the tasks of a vanished worker go to another (default 300)",
    )
    return parser


def add_engine_options(command: argparse.ArgumentParser) -> None:
    """Where a batch runs: this machine (``--jobs``) or Celery workers (``--engine celery --broker URL``)."""
    command.add_argument(
        "--engine", choices=("local", "celery"), default="local", help="local processes, or Celery workers"
    )
    command.add_argument("--broker", metavar="URL", help="the Redis broker of --engine celery, redis://HOST:PORT/DB")


def common_options() -> argparse.ArgumentParser:
    """The options every command takes: how much to print, and how problems are shown."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="store_true", help="show tracebacks of internal errors")
    common.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    common.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="site configuration, leaflet.toml (default: $LEAFLET_CONFIG, else none)",
    )
    common.add_argument(
        "--log-format", choices=("text", "json"), default="text", help="leaflet's log lines as text or JSON"
    )
    common.add_argument(
        "--diagnostics",
        choices=("full", "concise"),
        help="full: each problem with its source line and a caret (default on a terminal); "
        "concise: one line each (default when piped)",
    )
    return common


def add_personal_options(attach: argparse.ArgumentParser) -> None:
    """``attach``'s personalisation options: any of them prints a band of patient details on the leaflets."""
    personal = attach.add_argument_group("personalisation (any of these prints a band on each leaflet)")
    personal.add_argument("--patient", metavar="NAME", help="the patient's name")
    personal.add_argument("--rx", metavar="NUMBER", help="the prescription (Rx) number; the QR code carries it")
    personal.add_argument("--dispensed", metavar="YYYY-MM-DD", help="the date dispensed")
    personal.add_argument("--directions", metavar="TEXT", help='e.g. "take 1 tablet three times a day"')
    personal.add_argument("--pharmacy", metavar="TEXT", help="the pharmacy's name (and address)")
    personal.add_argument(
        "--fhir",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="FHIR R4 JSON: MedicationDispense, MedicationRequest, Patient, or a Bundle of them (repeatable); "
        "the options above override its values",
    )


def add_pdf_standard_option(command: argparse.ArgumentParser) -> None:
    """``--pdf-standard``: tagged PDF/UA-1 and PDF/A-2u leaflets (the default), or plain untagged ones."""
    command.add_argument(
        "--pdf-standard",
        choices=("ua1-a2u", "none"),
        default="ua1-a2u",
        help="ua1-a2u: tagged, PDF/UA-1 and PDF/A-2u (default); none: a plain untagged PDF",
    )


def add_orders_command(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """The ``orders`` command: one packet per row of an orders CSV."""
    orders = commands.add_parser("orders", parents=[common], help="make one packet per row of an orders CSV")
    orders.add_argument("csv", type=Path, metavar="ORDERS.csv", help="order_id, order_pdf, monographs, patient, ...")
    orders.add_argument("-o", "--output", required=True, type=Path, metavar="OUTDIR", help="folder for the packets")
    orders.add_argument("--jobs", type=int, default=1, metavar="N", help="make packets in N processes")
    add_engine_options(orders)
    orders.add_argument(
        "--report", type=Path, metavar="FILE", help="write a JSON line per row: id, status, code, packet path"
    )
    orders.add_argument("--root", type=Path, metavar="DIR", help="the CSV's paths stay in DIR (default: its folder)")
    orders.add_argument(
        "--paper", choices=("auto", "a4", "letter"), default="auto", help="leaflet paper (auto: each order's)"
    )
    add_pdf_standard_option(orders)


def add_build_command(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """The ``build`` command: leaflet PDFs from monographs, one file or a folder built incrementally."""
    build = commands.add_parser(
        "build", parents=[common], help="build leaflet PDFs from .yaml, .txt, ePI (.json, .xml) or SPL (.xml) files"
    )
    build.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="monograph files or folders")
    build.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUT",
        help="a .pdf file (or .png previews of its pages) for one input, else a folder",
    )
    build.add_argument("--paper", choices=("a4", "letter"), help="default a4, or the configuration's")
    build.add_argument("--columns", type=int, choices=(1, 2), help="default 2, or the configuration's")
    build.add_argument("--large-print", action="store_true", default=None, help="body 16 pt, one column")
    build.add_argument(
        "--no-hyphenation",
        dest="hyphenate",
        action="store_false",
        default=None,
        help="never hyphenate words at line ends (default: in the leaflet's language)",
    )
    build.add_argument("--language", metavar="TAG", help="language of plain-text monographs (default: detected)")
    build.add_argument(
        "--fit-pages",
        type=int,
        metavar="N",
        help="at most N pages: spacing, leading and size tightened (never below 9 pt), else refused",
    )
    add_pdf_standard_option(build)
    build.add_argument(
        "--font",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="a TrueType font for characters the bundled fonts lack (repeatable; tried in order)",
    )
    build.add_argument("--force", action="store_true", help="rebuild every leaflet, changed or not (folder output)")
    build.add_argument("--prune", action="store_true", help="remove leaflets whose content file is gone")
    build.add_argument("--jobs", type=int, default=1, metavar="N", help="build in N processes (folder output)")
    build.add_argument("--watch", action="store_true", help="rebuild on every save until interrupted (Ctrl-C)")
    build.add_argument("--dpi", type=int, metavar="N", help="resolution of PNG previews (-o x.png; default 150)")
    add_engine_options(build)


def add_serve_command(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """The ``serve`` command: the HTTP API (needs the ``service`` extra)."""
    serve = commands.add_parser("serve", parents=[common], help="serve leaflets and packets over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    serve.add_argument("--library", type=Path, metavar="DIR", help="monographs that packets name")
    serve.add_argument("--workers", type=int, default=1, metavar="N", help="server processes (default 1)")
    serve.add_argument("--threads", type=int, default=4, metavar="N", help="build threads per process (default 4)")
    serve.add_argument("--request-seconds", type=float, default=30.0, metavar="S", help="time per request (30)")
    serve.add_argument("--max-body-mib", type=int, default=58, metavar="MIB", help="largest request body (58)")
    serve.add_argument("--cache-size", type=int, default=256, metavar="N", help="laid-out leaflets kept (256)")
