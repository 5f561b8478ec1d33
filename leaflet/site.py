"""A pharmacy's site configuration as plain data: who the pharmacy is, its brand colour and logo, the
words it prefers, and which band fields it prints.

Read from ``leaflet.toml`` by :mod:`leaflet.loaders.site_config`; carried by
:class:`~leaflet.options.BuildOptions` (so that a library rebuilds when the configuration changes, and
worker processes get it with the job). No I/O, no reportlab: layout and the band read it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

BAND_FIELDS = ("patient", "rx", "dispensed", "directions", "pharmacy", "qr")
"""What the personalisation band can print, in the band's order; all of them by default."""
LEAFLET_LABEL_KEYS = ("header", "subtitle", "page", "revised", "next_column", "next_page", "continued")
"""Words of the leaflet itself (:class:`leaflet.layout.labels.Labels`) a site may reword."""
BAND_LABEL_KEYS = ("rx", "dispensed", "reminder")
"""Words of the band (:class:`leaflet.personalise.band_labels.BandLabels`) a site may reword."""
LABEL_PLACEHOLDERS = {
    "page": ("page",),
    "revised": ("date",),
    "continued": ("heading",),
    "rx": ("rx",),
    "dispensed": ("date",),
    "reminder": ("name",),
}
"""The ``{field}`` each wording must keep (the others have none)."""

LabelOverrides = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
"""``((language key, ((label key, text), ...)), ...)``, sorted: hashable, so options stay a cache key."""


@dataclass(frozen=True)
class Site:
    """What a pharmacy's configuration changes in every leaflet it builds."""

    pharmacy_name: str = ""
    pharmacy_address: str = ""
    pharmacy_phone: str = ""
    logo: str = ""
    """Absolute path of a PNG or JPEG drawn in the footer ('' for none)."""
    logo_digest: str = ""
    """SHA-256 of the logo's bytes: a changed logo changes the options, so leaflets are rebuilt."""
    brand_colour: str = ""
    """``#RRGGBB`` of headings and rules ('' keeps leaflet's blue); never the warning box's colours."""
    text_language: str = ""
    """The language of plain-text monographs when ``--language`` is not given ('' : detected)."""
    band_fields: tuple[str, ...] = BAND_FIELDS
    labels: LabelOverrides = ()

    def pharmacy_line(self) -> str:
        """Name, address and phone on one line ('' when none is set)."""
        return self.pharmacy_lines()[0]

    def pharmacy_lines(self) -> tuple[str, ...]:
        """The pharmacy's line, longest first, for a footer too narrow for all of it: name, address and
        phone; then name and phone (a patient calls the number: it is never cut); then the name alone."""
        name, address, phone = self.pharmacy_name, self.pharmacy_address, self.pharmacy_phone
        choices = ((name, address, phone), (name, phone), (name,) if name else (phone,))
        lines = [" \u00b7 ".join(part for part in parts if part) for parts in choices]
        return tuple(dict.fromkeys(lines))  # in order, without repeats

    def label_overrides(self, key: str) -> dict[str, str]:
        """The rewordings for one language key (``es``, ``zh-Hant``) of :func:`leaflet.options.language_key`."""
        for language, pairs in self.labels:
            if language == key:
                return dict(pairs)
        return {}


def site_from_record(record: object) -> Site | None:
    """The :class:`Site` a state file recorded (``asdict``, then JSON), or None when it is not exactly that."""
    if not isinstance(record, dict) or set(record) != {f.name for f in fields(Site)}:
        return None
    texts = [f.name for f in fields(Site) if f.type == "str"]
    if any(type(record[name]) is not str for name in texts):
        return None
    band = record["band_fields"]
    if not isinstance(band, list | tuple) or not all(name in BAND_FIELDS for name in band):
        return None
    try:
        labels = tuple(
            (str(language), tuple((str(key), str(text)) for key, text in pairs)) for language, pairs in record["labels"]
        )
    except (TypeError, ValueError):
        return None
    return Site(**{**record, "band_fields": tuple(band), "labels": labels})
