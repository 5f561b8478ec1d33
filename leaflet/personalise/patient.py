"""Patient details for personalised leaflets: what a pharmacy prints on a leaflet for one order.

Consumes the values given on the command line or in an orders CSV; returns a validated
:class:`PatientDetails` (or None when nothing personal was given). The details are personal health
information: they never appear in a message, a warning or a ``repr``. Problems are reported against
``where`` (the order file, or the CSV line and order id), naming the field and, for a character the
fonts cannot draw, its code point only.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from leaflet.errors import Diagnostic, FontError, OptionsError
from leaflet.text.fonts import missing_characters, register_fonts
from leaflet.text.scripts import needs_shaping

MAX_FIELD_CHARS = 500
"""Longest value accepted for one field (directions included): a band holds a few lines."""
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_FIELDS = (
    ("patient", "the patient name"),
    ("rx", "the Rx number"),
    ("dispensed", "the date dispensed"),
    ("directions", "the directions text"),
    ("pharmacy", "the pharmacy"),
)


@dataclass(frozen=True)
class PatientDetails:
    """One order's personal details, NFC-normalised and stripped; empty strings when not given.

    Every field is left out of ``repr`` so that a stray log line or traceback cannot show them.
    """

    patient: str = field(default="", repr=False)
    rx: str = field(default="", repr=False)
    dispensed: str = field(default="", repr=False)
    """ISO date, ``YYYY-MM-DD``."""
    directions: str = field(default="", repr=False)
    """How to take the medicine, e.g. "take 1 tablet three times a day"."""
    pharmacy: str = field(default="", repr=False)

    def qr_payload(self, order_id: str | None = None) -> str | None:
        """What the QR code carries: the Rx reference (else the order's), never the patient's name."""
        if self.rx:
            return f"RX:{self.rx}"
        return f"ORDER:{order_id}" if order_id else None


def patient_details(
    *,
    where: str,
    patient: str | None = None,
    rx: str | None = None,
    dispensed: str | None = None,
    directions: str | None = None,
    pharmacy: str | None = None,
) -> PatientDetails | None:
    """Validated details, or None when every value is empty (the leaflet is not personalised).

    Raises :class:`OptionsError` (a date that is not a real date, a control character, an overlong
    value) or :class:`FontError` (a character the bundled fonts cannot draw), about ``where``.
    """
    given = {"patient": patient, "rx": rx, "dispensed": dispensed, "directions": directions, "pharmacy": pharmacy}
    values = {name: _clean(value or "") for name, value in given.items()}
    if not any(values.values()):
        return None
    for name, label in _FIELDS:
        _check_field(values[name], label, where)
    if values["dispensed"] and not _is_date(values["dispensed"]):
        raise OptionsError(
            Diagnostic(where, "the date dispensed is not a real date", hint="use YYYY-MM-DD, e.g. 2024-05-01")
        )
    return PatientDetails(**values)


def _clean(value: str) -> str:
    """NFC (so that "Zoë" typed either way draws with one glyph) and runs of white space as one space."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def _is_date(text: str) -> bool:
    if not _DATE.match(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _check_field(value: str, label: str, where: str) -> None:
    """Refuse what cannot be printed: too long, control characters, glyphs the fonts lack.

    The message names the field and the code point, never the value: it is personal health information.
    """
    if len(value) > MAX_FIELD_CHARS:
        raise OptionsError(Diagnostic(where, f"{label} is longer than {MAX_FIELD_CHARS} characters"))
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cs"):
            raise OptionsError(Diagnostic(where, f"{label} has a control character (U+{ord(char):04X})"))
    missing = missing_characters(value, register_fonts(), fallbacks=True)  # the band draws with fallbacks too
    missing += [char for char in dict.fromkeys(value) if needs_shaping(char) and char not in missing]
    if missing:
        points = ", ".join(f"U+{ord(char):04X}" for char in missing)
        raise FontError(
            Diagnostic(
                where,
                f"{label} has a character the fonts cannot draw ({points})",
                hint="write it in a script the band can print (Latin, Greek, Cyrillic, Chinese, Japanese, Korean;"
                " not yet Arabic, Hebrew, Devanagari or Bengali, which need shaping)",
            )
        )
