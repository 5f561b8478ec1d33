"""leaflet: drug monographs in, printable patient leaflets out.

The public API, one function a stage::

    from leaflet import load_monograph, build_leaflet, BuildOptions
    monograph = load_monograph("content/baclofen.yaml")
    rendered = build_leaflet(monograph, BuildOptions(paper="letter"))
    Path("baclofen.pdf").write_bytes(rendered.pdf)
"""

__version__ = "0.1.0"

from leaflet.build import build_file, build_leaflet, write_atomically
from leaflet.check import CheckOptions, Finding, check_paths
from leaflet.errors import (
    ContentError,
    Diagnostic,
    FontError,
    LayoutFitError,
    LeafletError,
    OptionsError,
    OutputError,
)
from leaflet.loaders import dump_monograph, load_monograph
from leaflet.render import Rendered
from leaflet.style import BuildOptions

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
    "OutputError",
    "Rendered",
    "__version__",
    "build_file",
    "build_leaflet",
    "check_paths",
    "dump_monograph",
    "load_monograph",
    "write_atomically",
]
