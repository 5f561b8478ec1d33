"""``leaflet worker`` and ``--engine celery``: batches on Celery workers with a Redis broker.

The worker needs the ``celery`` extra (``pip install 'leaflet[celery]'``). A batch sent to workers names
files by absolute paths, which must be the same on every machine (shared storage mounted alike).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from types import ModuleType

from leaflet.cli.output import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, Printer
from leaflet.errors import Diagnostic, OptionsError


def run_worker_command(args: argparse.Namespace, out: Printer) -> int:
    """Run a worker until it is stopped (Ctrl-C or SIGTERM: it finishes its tasks first)."""
    if args.concurrency < 1:
        raise OptionsError(Diagnostic("--concurrency", f"{args.concurrency} processes", hint="use 1 or more"))
    if args.visibility_timeout <= 0:
        hint = "use a number of seconds longer than any task takes"
        raise OptionsError(Diagnostic("--visibility-timeout", f"{args.visibility_timeout} seconds", hint=hint))
    engine = _celery()
    engine.check_broker_url(args.broker)
    from leaflet.pdf.reading import limit_memory

    limit_memory()  # its processes read order PDFs, as the orders command's do
    ended = engine.run_worker(args.broker, concurrency=args.concurrency, visibility_timeout=args.visibility_timeout)
    return {"stopped": EXIT_OK, "interrupted": EXIT_INTERRUPTED}.get(ended, EXIT_INTERNAL)


def broker_of(args: argparse.Namespace) -> str | None:
    """The broker of ``--engine celery`` (checked), or None for a local batch."""
    if args.engine == "local":
        if args.broker is not None:
            raise OptionsError(Diagnostic("--broker", "applies to --engine celery", hint="add --engine celery"))
        return None
    if not args.broker:
        raise OptionsError(Diagnostic("--engine", "celery needs --broker URL", hint="e.g. redis://127.0.0.1:6379/0"))
    if args.jobs != 1:
        hint = "leave --jobs out: each worker's --concurrency says how many processes it runs"
        raise OptionsError(Diagnostic("--jobs", "applies to --engine local", hint=hint))
    _celery().check_broker_url(args.broker)
    return str(args.broker)


def absolute(path: Path | None) -> Path | None:
    """``path`` made absolute (not resolved), so that a worker elsewhere finds it at the same place."""
    return None if path is None else Path(path).absolute()


def _celery() -> ModuleType:
    try:
        from leaflet.jobs import celery_engine
    except ImportError as exc:
        hint = "pip install 'leaflet[celery]'"
        raise OptionsError(Diagnostic("--engine", f"needs {exc.name}, which is not installed", hint=hint)) from None
    return celery_engine
