"""The command line's entry: parse the arguments, run the command, turn what went wrong into
diagnostics, a total and an exit status. Each command's module is imported only when that command runs,
so that ``leaflet build x.txt`` does not load the check, import or order code.

Exit status (the table is :data:`leaflet.cli.output.EXIT_STATUSES`): 0 success; 1 ``check`` findings that
fail the run (warnings with ``--strict``); 2 input the user must fix (every diagnostic of each file, then
a total such as ``3 errors``; no traceback); 70 an internal error (a bug; ``--verbose`` shows its
traceback); 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence

from leaflet.cli.output import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_USER,
    PRIVATE_COMMANDS,
    Printer,
    internal_error,
)
from leaflet.cli.parser import make_parser
from leaflet.errors import LeafletError

COMMANDS = {
    "build": ("leaflet.cli.build", "run_build"),
    "import": ("leaflet.cli.importing", "run_import"),
    "check": ("leaflet.cli.check", "run_check"),
    "attach": ("leaflet.cli.orders", "run_attach"),
    "orders": ("leaflet.cli.orders", "run_orders_command"),
    "serve": ("leaflet.cli.serve", "run_serve"),
    "worker": ("leaflet.cli.worker", "run_worker_command"),
}
"""Each command's module and function."""


def _command(name: str) -> Callable:
    module, function = COMMANDS[name]
    return getattr(importlib.import_module(module), function)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = make_parser().parse_args(argv)
    _configure_logging(verbose=args.verbose, quiet=args.quiet, log_format=args.log_format)
    quote = args.command not in PRIVATE_COMMANDS
    out = Printer(quiet=args.quiet, style=args.diagnostics, quote=quote, log_format=args.log_format)
    status = _run(args, out)
    out.total()
    return status


def _run(args: argparse.Namespace, out: Printer) -> int:
    """The command's exit status; what went wrong reported through ``out`` (a bug: one line on stderr)."""
    try:
        return _command(args.command)(args, out)
    except LeafletError as error:
        for diagnostic in error.diagnostics:
            out.error(diagnostic)
        return EXIT_USER
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # a bug: say so in one line, keep the traceback for --verbose
        if args.verbose:
            traceback.print_exc()
        private = args.command in PRIVATE_COMMANDS and not args.verbose
        print(f"leaflet: {internal_error(exc, private=private)}", file=sys.stderr)
        return EXIT_INTERNAL


def _configure_logging(*, verbose: bool, quiet: bool, log_format: str = "text", name: str = "leaflet") -> None:
    """Show leaflet's own log (the ``leaflet`` logger; the library only logs, never configures) on stderr:
    warnings, everything with ``-v``, errors only with ``-q``; as text or JSON lines. Other libraries'
    loggers are left alone."""
    logger = logging.getLogger(name)
    handler = next((handler for handler in logger.handlers if isinstance(handler, _StderrHandler)), None)
    if handler is None:
        handler = _StderrHandler()
        logger.addHandler(handler)
    if log_format == "json":
        from leaflet.cli.logs import JsonFormatter  # json loads only for JSON logs

        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("leaflet: %(message)s"))
    logger.setLevel(logging.DEBUG if verbose else logging.ERROR if quiet else logging.WARNING)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record comes (the command line may run many times in
    one process, as the tests run it)."""

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that Python's flush at exit does not fail on the closed pipe again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def entry_point() -> None:
    """Console-script entry point."""
    status = main()
    try:
        sys.stdout.flush()  # output still buffered meets a reader that went away here
    except BrokenPipeError:
        _silence_stdout()
        status = EXIT_BROKEN_PIPE
    sys.exit(status)
