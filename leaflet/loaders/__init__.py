"""Loaders: read monographs (YAML, plain text, EU ePI and FDA SPL) into the content model, and write YAML.

The YAML reader and writer (and PyYAML), and the ePI and SPL importers (json, expat), are imported when
such a file is read or written, so that a plain-text build does not load them.
"""

from __future__ import annotations

from pathlib import Path

from leaflet.errors import ContentError, Diagnostic, content_error
from leaflet.loaders.text_importer import WarningSink, import_text_monograph
from leaflet.model import Monograph
from leaflet.options import BuildOptions

MONOGRAPH_SUFFIXES = (".yaml", ".yml", ".txt")
"""What a folder is searched for. ePI (``.json``, ``.xml``) and SPL (``.xml``) files are built when named
one by one: a folder of content also holds other JSON and XML (a build's state file, FHIR records)."""
IMPORTED_SUFFIXES = (".json", ".xml")
"""ePI (FHIR JSON or XML) and SPL (XML) files, read by :mod:`leaflet.loaders.imported`."""

__all__ = [
    "IMPORTED_SUFFIXES",
    "MONOGRAPH_SUFFIXES",
    "dump_monograph",
    "import_text_monograph",
    "load_for_build",
    "load_monograph",
]


def load_monograph(
    path: str | Path,
    *,
    on_warning: WarningSink | None = None,
    language: str | None = None,
    default_language: str | None = None,
) -> Monograph:
    """Read the monograph at ``path``: YAML (``.yaml``/``.yml``), plain text (``.txt``), or an ePI or SPL file
    (``.json``/``.xml``). ``language`` is a plain text's language (else ``default_language``, the site's,
    else detected); a YAML, ePI or SPL monograph that states another than ``language`` is refused
    (``default_language`` does not apply to it)."""
    path = Path(path)
    if not path.exists():
        raise content_error(str(path), "no such file or folder", hint="check the path", code="file-not-found")
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        from leaflet.loaders.yaml_loader import read_yaml_monograph

        monograph, problems = read_yaml_monograph(path)
        if problems or monograph is None:
            raise ContentError(_with_glyph_problems(monograph, problems))
        _refuse_other_language(monograph, language)
        return monograph
    if suffix == ".txt":
        return import_text_monograph(path, on_warning=on_warning, language=language or default_language)
    if suffix in IMPORTED_SUFFIXES:
        from leaflet.loaders.imported import import_structured

        return import_structured(path, on_warning=on_warning, language=language)
    raise content_error(
        str(path),
        f"unknown kind of monograph {suffix or '(no suffix)'!r}",
        hint="use a .yaml monograph, a plain-text .txt one, or an ePI (.json, .xml) or SPL (.xml) file",
        code="file-unknown-kind",
    )


def load_for_build(path: str | Path, options: BuildOptions, *, on_warning: WarningSink | None = None) -> Monograph:
    """:func:`load_monograph` with the languages ``options`` give: ``--language``, else the site's default."""
    default = options.site.text_language or None
    return load_monograph(path, on_warning=on_warning, language=options.language, default_language=default)


def _refuse_other_language(monograph: Monograph, language: str | None) -> None:
    if language is not None and language.lower() != monograph.meta.language.lower():
        raise content_error(
            monograph.path,
            f"the monograph states language {monograph.meta.language!r}, not {language!r}",
            line=monograph.lines.get("language"),
            hint="--language sets the language of plain text; edit 'language:' in a YAML monograph",
            code="language-mismatch",
        )


def dump_monograph(monograph: Monograph, *, revised: str) -> str:
    """The YAML text of ``monograph``; ``revised`` stands in when the monograph has no date."""
    from leaflet.loaders.yaml_writer import dump_monograph as dump

    return dump(monograph, revised=revised)


def _with_glyph_problems(partial: Monograph | None, problems: list[Diagnostic]) -> list[Diagnostic]:
    """``problems``, and the characters of what could be read that the fonts cannot draw: every mistake
    of the file in one report. The fonts (and reportlab) load only on this path, a file with mistakes."""
    if partial is None:
        return problems
    from leaflet.text.fonts import glyph_problems, register_fonts

    found = problems + [d for d in glyph_problems(partial, register_fonts()) if d not in problems]
    return sorted(found, key=lambda d: (d.line or 0, d.column or 0))
