"""Which text needs shaping or right-to-left lines, told cheaply (no HarfBuzz, no bidi imported here).

Arabic (also Urdu, Persian), Hebrew, Devanagari and Bengali are set by :mod:`leaflet.text.shaping`: their
letters change form with their neighbours, combine into conjuncts or ligatures, and (Arabic, Hebrew)
run right to left. Every other text keeps reportlab's own paragraphs, so a Latin or CJK leaflet never
imports the shaping engine and its bytes do not change.
"""

from __future__ import annotations

import re

COMPLEX = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"  # Hebrew, Arabic (and Syriac, Thaana, NKo between them)
    "\u0900-\u09ff\ua8e0-\ua8ff\u1cd0-\u1cff"  # Devanagari, Bengali, Vedic extensions
    "\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]"  # explicit bidi marks
)
"""A character that asks for shaping or the bidi algorithm."""

RTL_LANGUAGES = frozenset({"ar", "he", "iw", "ur", "fa", "yi", "ps", "sd", "ug", "dv", "ckb"})
"""Languages written right to left: their paragraphs without a strong letter, the page furniture and the
warning box are laid out from the right."""


def needs_shaping(text: str) -> bool:
    """Whether ``text`` holds a character that only :mod:`leaflet.text.shaping` sets right."""
    return COMPLEX.search(text) is not None


def is_rtl(language: str | None) -> bool:
    """Whether a leaflet in the BCP 47 ``language`` reads right to left."""
    return (language or "").split("-")[0].lower() in RTL_LANGUAGES
