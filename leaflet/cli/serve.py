"""``leaflet serve``: the HTTP API of :mod:`leaflet.service`, run by uvicorn.

FastAPI and uvicorn are the ``service`` extra (``pip install 'leaflet[service]'``), imported here only.
The process limits its memory as ``attach`` does (order PDFs are read in it); the request log goes
through leaflet's logger (uvicorn's access log is off: it prints query strings), as text or JSON lines.
"""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet.cli.output import EXIT_OK, Printer
from leaflet.errors import Diagnostic, OptionsError

if TYPE_CHECKING:
    from leaflet.service.settings import ServiceSettings


def run_serve(args: argparse.Namespace, out: Printer) -> int:
    """Serve until interrupted."""
    settings = _settings(args)
    try:
        import uvicorn

        from leaflet.service.app import create_app
    except ImportError as exc:
        hint = "pip install 'leaflet[service]'"
        raise OptionsError(Diagnostic("serve", f"needs {exc.name}, which is not installed", hint=hint)) from None
    from leaflet.cli.main import _configure_logging
    from leaflet.pdf.reading import limit_memory
    from leaflet.service.settings import SETTINGS_ENVIRONMENT

    limit_memory()
    _configure_logging(verbose=args.verbose, quiet=args.quiet, log_format=args.log_format)
    _configure_logging(verbose=args.verbose, quiet=args.quiet, log_format=args.log_format, name="uvicorn")
    if not args.quiet:
        logging.getLogger("leaflet.service").setLevel(logging.INFO)
        logging.getLogger("uvicorn").setLevel(logging.INFO)
    settings.site_config()  # a bad configuration stops here, at file:line, before listening
    common = {"host": args.host, "port": args.port, "log_config": None, "access_log": False}
    if args.workers == 1:
        uvicorn.run(create_app(settings), **common)
    else:
        os.environ[SETTINGS_ENVIRONMENT] = settings.to_json()
        uvicorn.run("leaflet.service.asgi:app_from_environment", factory=True, workers=args.workers, **common)
    return EXIT_OK


def _settings(args: argparse.Namespace) -> ServiceSettings:
    from leaflet.service.settings import ServiceSettings

    for flag, value in (("--workers", args.workers), ("--threads", args.threads), ("--cache-size", args.cache_size)):
        if value < 1:
            raise OptionsError(Diagnostic(flag, f"{value}", hint="use 1 or more"))
    if args.request_seconds <= 0 or args.max_body_mib < 1:
        raise OptionsError(Diagnostic("--request-seconds", "limits must be positive", hint="e.g. 30"))
    if args.library is not None and not args.library.is_dir():
        raise OptionsError(
            Diagnostic(str(args.library), "is not a folder", hint="give --library a folder of monographs")
        )
    config = args.config or os.environ.get("LEAFLET_CONFIG") or None
    return ServiceSettings(
        library=args.library,
        config=None if config is None else Path(config),
        max_body_bytes=args.max_body_mib * 1024 * 1024,
        request_seconds=args.request_seconds,
        threads=args.threads,
        cache_size=args.cache_size,
    )
