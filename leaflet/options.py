"""Build options: what the user chooses about a leaflet's form, and their validation.

Plain data (no reportlab): options travel to worker processes and into state files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from leaflet.errors import Diagnostic, OptionsError
from leaflet.site import Site, site_from_record

Paper = Literal["a4", "letter"]
PdfStandard = Literal["ua1-a2u", "none"]
PDF_STANDARDS: tuple[PdfStandard, ...] = ("ua1-a2u", "none")
"""``--pdf-standard``: tagged PDF/UA-1 that is also PDF/A-2u (the default), or a plain untagged PDF."""
MAX_FIT_PAGES = 100
"""Largest ``--fit-pages`` (a leaflet of more pages is not being fitted)."""
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
"""A BCP 47 language tag, as the YAML format's ``language`` (primary subtag, then subtags)."""
TRADITIONAL_CHINESE = re.compile(r"^zh(-.*)?-(hant|tw|hk|mo)(-|$)", re.IGNORECASE)
"""Chinese written in Traditional characters: zh-Hant, and the regions that write it (Taiwan, Hong Kong,
Macao)."""


def language_key(language: str | None) -> str:
    """The key of a BCP 47 tag in leaflet's tables by language (labels, band words, CJK fonts): its primary
    subtag lower-cased, but Chinese by script, ``zh-Hant`` or ``zh-Hans``; ``en`` for none."""
    tag = (language or "en").lower()
    primary = tag.split("-")[0]
    if primary != "zh":
        return primary
    return "zh-Hant" if TRADITIONAL_CHINESE.match(tag) else "zh-Hans"


@dataclass(frozen=True)
class BuildOptions:
    """What the user chooses about a leaflet's form."""

    paper: Paper = "a4"
    """Paper size: ``a4`` or ``letter``."""
    columns: int = 2
    """1 or 2 text columns (large print is always one column)."""
    large_print: bool = False
    """Large print edition: body 16 pt, one column, no italics."""
    personalised: bool = False
    """Reserve room for a personalisation band on page 1 and a reminder line on later pages (filled
    in per order by :mod:`leaflet.orders.attach`, so that a leaflet is laid out once per batch)."""
    fonts: tuple[str, ...] = ()
    """TrueType files to draw from after the bundled fonts (``--font``), for characters they lack."""
    language: str | None = None
    """The BCP 47 tag of a plain-text monograph's language (None: detected from the text); a YAML
    monograph states its own, and one that states another is refused."""
    hyphenate: bool = True
    """Hyphenate words at line ends in the leaflet's language (``--no-hyphenation`` turns it off; large
    print never hyphenates)."""
    fit_pages: int | None = None
    """Most pages the leaflet may take (``--fit-pages``): spacing, leading and size are tightened step by
    step, never below 9 pt body (16 pt in large print), and a leaflet that still needs more is refused."""
    pdf_standard: PdfStandard = "ua1-a2u"
    """``ua1-a2u``: tagged (structure tree, artifacts, reading order) and declared PDF/UA-1 and PDF/A-2u;
    ``none``: a plain PDF without structure or declarations."""
    site: Site = field(default_factory=Site)
    """The pharmacy's configuration (``leaflet.toml``): its name, logo, brand colour, wording, band fields."""


def validate_options(options: BuildOptions) -> None:
    """Refuse option values that make no leaflet."""
    if options.paper not in ("a4", "letter"):
        raise OptionsError(Diagnostic("--paper", f"unknown paper {options.paper!r}", hint="use a4 or letter"))
    if options.columns not in (1, 2):
        raise OptionsError(Diagnostic("--columns", f"{options.columns} columns", hint="use 1 or 2"))
    if options.fit_pages is not None and not 1 <= options.fit_pages <= MAX_FIT_PAGES:
        raise OptionsError(
            Diagnostic("--fit-pages", f"{options.fit_pages} pages", hint=f"give a number from 1 to {MAX_FIT_PAGES}")
        )
    if options.pdf_standard not in PDF_STANDARDS:
        raise OptionsError(
            Diagnostic("--pdf-standard", f"unknown standard {options.pdf_standard!r}", hint="use ua1-a2u or none")
        )
    if options.language is not None and not LANGUAGE_TAG.match(options.language):
        raise OptionsError(
            Diagnostic("--language", f"{options.language!r} is not a language tag", hint="use a BCP 47 tag: es, pt-BR")
        )


def options_from_record(record: object) -> BuildOptions | None:
    """The options a state file recorded (``asdict(options)``), or None when the record is not exactly
    what leaflet writes: each field present once with its own type (``"columns": 2.0`` or ``"2"`` is not
    a column count) and a valid value."""
    if not isinstance(record, dict) or set(record) != set(BuildOptions.__dataclass_fields__):
        return None
    expected = {
        "paper": str,
        "columns": int,
        "large_print": bool,
        "personalised": bool,
        "hyphenate": bool,
        "pdf_standard": str,
    }
    if any(type(record[name]) is not kind for name, kind in expected.items()):  # bool is not an int here
        return None
    if record["language"] is not None and type(record["language"]) is not str:
        return None
    if record["fit_pages"] is not None and type(record["fit_pages"]) is not int:
        return None
    fonts = record["fonts"]
    if not isinstance(fonts, list | tuple) or not all(type(name) is str for name in fonts):
        return None
    site = site_from_record(record["site"])
    if site is None:
        return None
    record = {**record, "fonts": tuple(fonts), "site": site}
    options = BuildOptions(**record)
    try:
        validate_options(options)
    except OptionsError:
        return None
    return options
