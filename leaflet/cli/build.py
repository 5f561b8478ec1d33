"""``leaflet build``: one monograph into one PDF, or a folder of leaflets built incrementally."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from leaflet.build import OUTPUT_SUFFIXES, build_many, plan_outputs
from leaflet.cli.config import configured_options
from leaflet.cli.output import EXIT_INTERNAL, EXIT_OK, EXIT_USER, Printer, Progress
from leaflet.cli.worker import absolute, broker_of
from leaflet.errors import Diagnostic, LeafletError, OptionsError
from leaflet.options import BuildOptions

MIN_DPI, MAX_DPI = 36, 600
"""Resolutions accepted for PNG previews (an A4 page at 600 dpi is 35 million pixels)."""


def run_build(args: argparse.Namespace, out: Printer) -> int:
    if args.jobs < 1:
        raise OptionsError(Diagnostic("--jobs", f"{args.jobs} processes", hint="use 1 or more"))
    if args.dpi is not None and not MIN_DPI <= args.dpi <= MAX_DPI:
        raise OptionsError(Diagnostic("--dpi", f"{args.dpi} dots per inch", hint=f"use {MIN_DPI} to {MAX_DPI}"))
    if args.output.suffix.lower() not in OUTPUT_SUFFIXES:
        return watch_library(args, out) if args.watch else run_library(args, out)
    folder_only = [
        flag
        for flag, given in (
            ("--force", args.force),
            ("--prune", args.prune),
            ("--jobs", args.jobs != 1),
            ("--engine", args.engine != "local"),
            ("--broker", args.broker is not None),
        )
        if given
    ]
    if folder_only:
        raise OptionsError(
            Diagnostic(
                folder_only[0],
                "applies to a folder of leaflets, not to one file",
                hint="give a folder as -o, or leave the option out",
            )
        )
    return watch_single(args, out) if args.watch else run_single(args, out)


def _options(args: argparse.Namespace) -> BuildOptions:
    """The build options the arguments ask for, refused before any monograph is read if they make no sense."""
    return configured_options(
        args,
        paper=args.paper,
        columns=args.columns,
        large_print=args.large_print,
        hyphenate=args.hyphenate,
        language=args.language,
        fonts=tuple(str(path) for path in args.font),
        fit_pages=args.fit_pages,
        pdf_standard=args.pdf_standard,
    )


def run_library(args: argparse.Namespace, out: Printer) -> int:
    """Incremental build of every monograph into the folder OUT."""
    from leaflet.jobs.library import build_library  # process pools load only for folder builds

    broker = broker_of(args)
    if broker is not None:  # the workers find the files by the same absolute paths
        args.inputs, args.output = [absolute(path) for path in args.inputs], absolute(args.output)
        args.font = [absolute(path) for path in args.font]
    options = _options(args)
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
        broker=broker,
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
    """Build a folder, then rebuild after every save, until interrupted."""
    return _watch(args, out, run_library)


def watch_single(args: argparse.Namespace, out: Printer) -> int:
    """Build one leaflet, then again after every save of its monograph, until interrupted."""
    return _watch(args, out, run_single)


def _watch(args: argparse.Namespace, out: Printer, build: Callable[[argparse.Namespace, Printer], int]) -> int:
    """``build``, then again after every save of the inputs; a problem of one round (a bad configuration
    saved meanwhile) is printed and the watch goes on."""
    from leaflet.jobs.library import snapshot, wait_for_change

    status = build(args, out)
    seen = snapshot(args.inputs)
    out.info("watching for changes (Ctrl-C to stop)")
    while (changed := wait_for_change(args.inputs, seen)) is not None:
        seen = changed
        try:
            status = build(args, out)
        except LeafletError as error:
            for diagnostic in error.diagnostics:
                out.error(diagnostic)
            status = EXIT_USER
    return status


def run_single(args: argparse.Namespace, out: Printer) -> int:
    """One monograph into one PDF (or its PNG pages)."""
    options = _options(args)
    pairs = plan_outputs(args.inputs, args.output)
    report = build_many(pairs, options, on_warning=out.warning, on_done=_report_built(out, args.output), dpi=args.dpi)
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


def _report_built(out: Printer, target: Path) -> Callable[[Path, tuple[Path, ...]], None]:
    """Say what was written: the PDF, or the PNG pages (removing those of an older, longer preview)."""

    def built(source: Path, written: tuple[Path, ...]) -> None:
        if target.suffix.lower() == ".png":
            from leaflet.preview import stale_pages

            for stale in stale_pages(target, len(written)):
                stale.unlink(missing_ok=True)
        if len(written) > 1:
            out.info(f"built {written[0]} ... {written[-1].name} ({len(written)} pages)")
        else:
            out.info(f"built {written[0] if written else target}")

    return built
