"""Check: the content rules of ``leaflet check`` (monographs), the preflight of built PDFs, and the
acknowledged findings of ``.leaflet-check-ignore``.

Consumes paths (or a loaded monograph) and returns :class:`Finding` lists; prints nothing. Names are
imported on first use, so that importing a submodule (e.g. the findings) does not load the rules.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "PROFILES": "leaflet.check.rules",
    "CheckOptions": "leaflet.check.rules",
    "check_file": "leaflet.check.rules",
    "check_monograph": "leaflet.check.rules",
    "check_paths": "leaflet.check.rules",
    "check_pdf": "leaflet.check.rules",
    "Finding": "leaflet.check.findings",
    "Severity": "leaflet.check.findings",
}

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

if TYPE_CHECKING:
    from leaflet.check.findings import Finding, Severity
    from leaflet.check.rules import PROFILES, CheckOptions, check_file, check_monograph, check_paths, check_pdf


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'leaflet.check' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
