"""The leaflet in the patient's language: a library keeps translations of a monograph beside it.

Consumes the monograph named for an order (``content/baclofen.yaml``) and the patient's languages
(BCP 47 tags, preferred first, from ``Patient.communication``); returns the monograph to build:
``content/baclofen.es.yaml`` for a patient who prefers Spanish, when that file exists beside the one
named (same folder, same suffix, the tag before the suffix: ``baclofen.pt-BR.txt``; a regional tag
falls back to its language, ``es-MX`` to ``baclofen.es.yaml``), else the monograph named. A monograph
named with a tag already (``baclofen.fr.yaml``) has its translations looked up by its base name.
Whether the leaflet built is in one of the patient's languages is told by :func:`speaks`, and reported
by :func:`warn_if_other_language`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from leaflet.errors import Diagnostic
from leaflet.loaders.text_importer import WarningSink

_TAGGED = re.compile(r"^(?P<base>.+)\.(?P<tag>[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)$")


def monograph_in_language(
    path: Path, languages: Iterable[str], *, exists: Callable[[Path], bool] = Path.is_file
) -> Path:
    """The translation of the monograph at ``path`` in the first of ``languages`` the library holds
    (``exists`` says whether a file is there), else ``path`` itself."""
    for candidate in translations(path, languages):
        if candidate == path or exists(candidate):
            return candidate
    return path


def translations(path: Path, languages: Iterable[str]) -> list[Path]:
    """Where the translations of ``path`` in ``languages`` would be, in the order they are looked for."""
    base = _base_name(path)
    found: list[Path] = []
    for language in languages:
        primary = language.split("-")[0]
        for tag in dict.fromkeys((language, primary.lower())):
            candidate = path.with_name(f"{base}.{tag}{path.suffix}")
            if candidate not in found:
                found.append(candidate)
    return found


def _base_name(path: Path) -> str:
    """``baclofen`` for ``baclofen.yaml`` and ``baclofen.es.yaml``."""
    match = _TAGGED.match(path.stem)
    return match.group("base") if match else path.stem


def speaks(languages: Iterable[str], leaflet_language: str | None) -> bool:
    """Whether ``leaflet_language`` (a leaflet's ``/Lang``) is one of ``languages``, by primary subtag
    (a Spanish leaflet serves a patient who speaks ``es-MX``)."""
    if not leaflet_language:
        return False
    primary = leaflet_language.split("-")[0].lower()
    return any(language.split("-")[0].lower() == primary for language in languages)


def warn_if_other_language(
    path: Path, leaflet_language: str | None, languages: tuple[str, ...], on_warning: WarningSink, label: str
) -> None:
    """Tell the caller that the leaflet of ``path`` is in none of the patient's ``languages``."""
    if languages and not speaks(languages, leaflet_language):
        on_warning(
            Diagnostic(
                label,
                f"no leaflet of {path.name} in the patient's language ({languages[0]}); "
                f"the leaflet is in {leaflet_language or 'an unknown language'}",
                hint=f"add {translation_name(path, languages[0])} beside it",
                code="fhir-language",
            )
        )


def translation_name(path: Path, language: str) -> str:
    """The file name a leaflet of ``path`` in ``language`` would have (``name.LANG.yaml``)."""
    return translations(path, [language])[0].name
