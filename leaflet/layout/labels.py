"""The words leaflet itself prints (header label, subtitle, page numbers, "continued" notes), in
the leaflet's language, so that a Greek leaflet is Greek throughout: the EU's 24 languages and others
pharmacies are asked for (:mod:`leaflet.layout.label_texts`).

Languages without a table get English labels.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from leaflet.layout.label_texts import LABEL_TEXTS
from leaflet.options import language_key
from leaflet.site import LEAFLET_LABEL_KEYS, Site


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


LABELS = {language: Labels(*texts) for language, texts in LABEL_TEXTS.items()}
"""Labels by primary language subtag (the texts are in :mod:`leaflet.layout.label_texts`)."""


def labels_for(language: str, site: Site | None = None) -> Labels:
    """The labels for a BCP 47 ``language`` tag (by :func:`~leaflet.options.language_key`), English when
    unknown, with the rewordings of the ``site`` configuration for that language."""
    key = language_key(language)
    labels = LABELS.get(key, LABELS["en"])
    words = site.label_overrides(key) if site is not None else {}
    return replace(labels, **{name: text for name, text in words.items() if name in LEAFLET_LABEL_KEYS})
