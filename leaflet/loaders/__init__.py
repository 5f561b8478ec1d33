"""Loaders: read monographs (YAML or plain text) into the content model, and write YAML."""

from __future__ import annotations

from pathlib import Path

from leaflet.errors import content_error
from leaflet.loaders.text_importer import WarningSink, import_text_monograph
from leaflet.loaders.yaml_loader import load_yaml_monograph
from leaflet.loaders.yaml_writer import dump_monograph
from leaflet.model import Monograph

MONOGRAPH_SUFFIXES = (".yaml", ".yml", ".txt")

__all__ = ["MONOGRAPH_SUFFIXES", "dump_monograph", "import_text_monograph", "load_monograph"]


def load_monograph(path: str | Path, *, on_warning: WarningSink | None = None) -> Monograph:
    """Read the monograph at ``path``: YAML (``.yaml``/``.yml``) or plain text (``.txt``)."""
    path = Path(path)
    if not path.exists():
        raise content_error(str(path), "no such file or folder", hint="check the path")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return load_yaml_monograph(path)
    if suffix == ".txt":
        return import_text_monograph(path, on_warning=on_warning)
    raise content_error(
        str(path),
        f"unknown kind of monograph {suffix or '(no suffix)'!r}",
        hint="use a .yaml monograph or a plain-text .txt one",
    )
