"""leaflet: drug monographs in, printable patient leaflets out.

The public API, one function a stage::

    from leaflet import load_monograph, build_leaflet, BuildOptions
    monograph = load_monograph("content/baclofen.yaml")
    rendered = build_leaflet(monograph, BuildOptions(paper="letter"))
    Path("baclofen.pdf").write_bytes(rendered.pdf)

Names are imported on first use, so that ``import leaflet`` (and the command line) stays quick
and does not load reportlab or pypdf before they are needed.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# The library logs through "leaflet" and never configures logging: the command line (or the
# application) does. Without a handler, records would reach Python's last-resort stderr handler.
logging.getLogger("leaflet").addHandler(logging.NullHandler())

_EXPORTS = {
    "attach_leaflets": "leaflet.orders.attach",
    "build_file": "leaflet.build",
    "build_leaflet": "leaflet.build",
    "write_atomically": "leaflet.build",
    "check_paths": "leaflet.check.rules",
    "CheckOptions": "leaflet.check.rules",
    "Finding": "leaflet.check.findings",
    "ContentError": "leaflet.errors",
    "Diagnostic": "leaflet.errors",
    "FontError": "leaflet.errors",
    "LayoutFitError": "leaflet.errors",
    "LeafletError": "leaflet.errors",
    "OptionsError": "leaflet.errors",
    "OrderPdfError": "leaflet.errors",
    "OutputError": "leaflet.errors",
    "build_library": "leaflet.jobs.library",
    "OrdersReport": "leaflet.orders.batch",
    "run_orders": "leaflet.orders.batch",
    "PatientDetails": "leaflet.personalise.patient",
    "patient_details": "leaflet.personalise.patient",
    "dump_monograph": "leaflet.loaders",
    "load_monograph": "leaflet.loaders",
    "Rendered": "leaflet.report",
    "BuildOptions": "leaflet.options",
}

__all__ = [
    "BuildOptions",
    "CheckOptions",
    "ContentError",
    "Diagnostic",
    "Finding",
    "FontError",
    "LayoutFitError",
    "LeafletError",
    "OptionsError",
    "OrderPdfError",
    "OrdersReport",
    "OutputError",
    "PatientDetails",
    "Rendered",
    "__version__",
    "attach_leaflets",
    "build_file",
    "build_leaflet",
    "build_library",
    "check_paths",
    "dump_monograph",
    "load_monograph",
    "patient_details",
    "run_orders",
    "write_atomically",
]

if TYPE_CHECKING:
    from leaflet.build import build_file, build_leaflet, write_atomically
    from leaflet.check.findings import Finding
    from leaflet.check.rules import CheckOptions, check_paths
    from leaflet.errors import (
        ContentError,
        Diagnostic,
        FontError,
        LayoutFitError,
        LeafletError,
        OptionsError,
        OrderPdfError,
        OutputError,
    )
    from leaflet.jobs.library import build_library
    from leaflet.loaders import dump_monograph, load_monograph
    from leaflet.options import BuildOptions
    from leaflet.orders.attach import attach_leaflets
    from leaflet.orders.batch import OrdersReport, run_orders
    from leaflet.personalise.patient import PatientDetails, patient_details
    from leaflet.report import Rendered


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'leaflet' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
