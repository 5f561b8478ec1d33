"""Check: the content rules of ``leaflet check`` (monographs), the preflight of built PDFs, and the
acknowledged findings of ``.leaflet-check-ignore``.

Consumes paths (or a loaded monograph) and returns :class:`Finding` lists; prints nothing.
"""

from leaflet.check.findings import Finding, Severity
from leaflet.check.rules import PROFILES, CheckOptions, check_file, check_monograph, check_paths, check_pdf

__all__ = [
    "PROFILES",
    "CheckOptions",
    "Finding",
    "Severity",
    "check_file",
    "check_monograph",
    "check_paths",
    "check_pdf",
]
