"""``leaflet check``: findings about monographs and built PDFs, as lines or JSON."""

from __future__ import annotations

import argparse
import json
import sys

from leaflet.check.findings import Finding
from leaflet.check.rules import CheckOptions, check_paths
from leaflet.cli.output import EXIT_FINDINGS, EXIT_OK, EXIT_USER, Printer, format_diagnostic
from leaflet.errors import Diagnostic, OptionsError


def run_check(args: argparse.Namespace, out: Printer) -> int:
    """Print the findings about every monograph and PDF named; exit 2 on errors, 1 on warnings with --strict."""
    if args.max_pages is not None and args.max_pages < 1:
        raise OptionsError(Diagnostic("--max-pages", f"{args.max_pages} pages", hint="use 1 or more"))
    options = CheckOptions(profile=args.profile, max_grade=args.max_grade, max_pages=args.max_pages)
    findings = check_paths(args.inputs, options)
    shown = [f for f in findings if f.severity == "error" or not args.quiet]
    if args.format == "json":
        print(json.dumps([finding.as_dict() for finding in shown], indent=2, ensure_ascii=False))
    elif shown:
        print_findings(shown, out)
    if any(finding.severity == "error" for finding in findings):
        return EXIT_USER
    return EXIT_FINDINGS if findings and args.strict else EXIT_OK


def print_findings(findings: list[Finding], out: Printer) -> None:
    """Each finding on stdout as the other commands report problems (with the source line in the full
    style; a PDF's page stands where the line would), then the total."""
    from leaflet.cli.diagnostics import summary

    renderer = out.renderer(sys.stdout)
    for finding in findings:
        print(renderer.render(finding.severity, finding.with_code()))
    errors = sum(finding.severity == "error" for finding in findings)
    print(renderer.paint("error" if errors else "warning", summary(errors, len(findings) - errors)))


def format_finding(finding: Finding) -> str:
    """``file:line:column: error[code]: message (hint)``, one line; for a PDF, ``file:page: error[code]: ...``."""
    return format_diagnostic(finding.severity, finding.with_code())
