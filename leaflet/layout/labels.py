"""The words leaflet itself prints (header label, subtitle, page numbers, "continued" notes), in
the leaflet's language, so that a Greek leaflet is Greek throughout.

Languages without a table here get English labels.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Labels:
    """Leaflet's own words; ``{...}`` fields are filled in when drawn."""

    header: str
    """Right-hand side of the running header."""
    subtitle: str
    """Line under the title."""
    page: str
    """Footer, before the page total: ``{page}`` is the page number."""
    revised: str
    """Footer: ``{date}`` is the revision date."""
    next_column: str
    """Foot of a warning box part that goes on in the next column."""
    next_page: str
    """Foot of a warning box part that goes on on the next page."""
    continued: str
    """Head of a later warning box part: ``{heading}`` is the warning's heading."""


LABELS = {
    "en": Labels(
        "Patient information leaflet",
        "Patient information leaflet \u2013 read all of this leaflet carefully",
        "Page {page} of ",
        "Revised {date}",
        "Continued in the next column",
        "Continued on the next page",
        "Continued: {heading}",
    ),
    "de": Labels(
        "Gebrauchsinformation",
        "Gebrauchsinformation \u2013 lesen Sie die gesamte Packungsbeilage sorgfältig durch",
        "Seite {page} von ",
        "Stand {date}",
        "Fortsetzung in der nächsten Spalte",
        "Fortsetzung auf der nächsten Seite",
        "Fortsetzung: {heading}",
    ),
    "es": Labels(
        "Prospecto",
        "Prospecto: información para el paciente \u2013 lea todo el prospecto detenidamente",
        "Página {page} de ",
        "Revisado {date}",
        "Continúa en la columna siguiente",
        "Continúa en la página siguiente",
        "Continuación: {heading}",
    ),
    "fr": Labels(
        "Notice",
        "Notice : information du patient \u2013 lisez attentivement l'intégralité de cette notice",
        "Page {page} sur ",
        "Révisé le {date}",
        "Suite dans la colonne suivante",
        "Suite à la page suivante",
        "Suite : {heading}",
    ),
    "el": Labels(
        "Φύλλο οδηγιών χρήσης",
        "Φύλλο οδηγιών χρήσης \u2013 διαβάστε προσεκτικά ολόκληρο το φύλλο οδηγιών",
        "Σελίδα {page} από ",
        "Αναθεώρηση {date}",
        "Συνεχίζεται στην επόμενη στήλη",
        "Συνεχίζεται στην επόμενη σελίδα",
        "Συνέχεια: {heading}",
    ),
    "ru": Labels(
        "Листок-вкладыш",
        "Листок-вкладыш: информация для пациента \u2013 внимательно прочитайте его целиком",
        "Страница {page} из ",
        "Пересмотрено {date}",
        "Продолжение в следующей колонке",
        "Продолжение на следующей странице",
        "Продолжение: {heading}",
    ),
}


def labels_for(language: str) -> Labels:
    """The labels for a BCP 47 ``language`` tag (by its primary subtag), English when unknown."""
    return LABELS.get(language.split("-")[0].lower(), LABELS["en"])
