"""The site configuration a command runs with: ``--config FILE``, else ``$LEAFLET_CONFIG``, else none;
and the build options it gives where the command line leaves an option out."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from leaflet.options import BuildOptions, validate_options

if TYPE_CHECKING:
    from leaflet.loaders.site_config import SiteConfig

CONFIG_ENVIRONMENT = "LEAFLET_CONFIG"


def site_config(args: argparse.Namespace) -> SiteConfig | None:
    """The configuration named by ``--config`` or ``$LEAFLET_CONFIG`` (checked), or None."""
    path = getattr(args, "config", None) or os.environ.get(CONFIG_ENVIRONMENT) or None
    if path is None:
        return None
    from leaflet.loaders.site_config import load_site_config  # tomllib loads only when configured

    return load_site_config(Path(path))


def configured_options(args: argparse.Namespace, **given: object) -> BuildOptions:
    """Build options from ``given`` (the command line's values; None: not given), else the configuration's
    defaults, else leaflet's; validated before any monograph is read."""
    config = site_config(args)
    chosen: dict[str, object] = {name: value for name, value in given.items() if value is not None}
    for name in ("paper", "columns", "large_print", "hyphenate", "fonts"):  # what the configuration may set
        value = getattr(config, name, None) if config is not None else None
        if chosen.get(name) in (None, ()) and value is not None:  # no --font: the configured fonts
            chosen[name] = value
    if config is not None:
        chosen["site"] = config.site
    options = BuildOptions(**chosen)  # type: ignore[arg-type]
    validate_options(options)
    return options
