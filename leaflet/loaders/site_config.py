"""Site configuration: ``leaflet.toml`` -> :class:`SiteConfig` (build defaults and a :class:`Site`).

Strict like the content format: an unknown table or key, a value of the wrong type or out of range is
a :class:`ConfigError` naming ``file:line`` (with a did-you-mean hint for a misspelt key), and every
independent problem of the file is reported in one run.

The TOML is parsed by the standard library's ``tomllib`` (TOML 1.0, no dependency). ``tomllib`` returns
plain dicts without positions, so the line of each key is found by :func:`key_lines`, a small scan of
the text for table headers and ``key =`` lines. tomlkit keeps the document's formatting but gives its
items no line numbers either, and would be a dependency for a file of a dozen keys.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import string
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leaflet.errors import Diagnostic, LeafletError
from leaflet.options import LANGUAGE_TAG, language_key
from leaflet.site import BAND_FIELDS, BAND_LABEL_KEYS, LABEL_PLACEHOLDERS, LEAFLET_LABEL_KEYS, Site

MAX_CONFIG_BYTES = 256 * 1024
MAX_LOGO_BYTES = 1024 * 1024
MAX_TEXT_CHARS = 200
MIN_BRAND_CONTRAST = 4.5
"""WCAG 2.2 1.4.3: headings in the brand colour keep at least 4.5:1 against the white page."""
CONFIG_ENVIRONMENT = "LEAFLET_CONFIG"

SCHEMA: dict[str, tuple[str, ...]] = {
    "defaults": ("paper", "columns", "large_print", "hyphenate", "language"),
    "pharmacy": ("name", "address", "phone", "logo"),
    "brand": ("colour",),
    "band": ("fields",),
}
"""The tables and their keys; ``[labels.<language>]`` tables come besides."""
LABEL_KEYS = LEAFLET_LABEL_KEYS + BAND_LABEL_KEYS


class ConfigError(LeafletError):
    """A site configuration file that cannot be used as written."""

    code = "config"


@dataclass(frozen=True)
class SiteConfig:
    """What ``leaflet.toml`` says: defaults of the build options (None: not set) and the site (with the
    default language of plain-text monographs)."""

    path: str = ""
    paper: str | None = None
    columns: int | None = None
    large_print: bool | None = None
    hyphenate: bool | None = None
    site: Site = field(default_factory=Site)


def load_site_config(path: Path) -> SiteConfig:
    """Read and check the configuration at ``path``; raise :class:`ConfigError` with every problem."""
    import tomllib  # only when a configuration is given: a plain build imports no parser

    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_syntax_diagnostic(str(path), str(exc))) from None
    checker = _Checker(str(path), key_lines(text))
    config = checker.config(data, path.resolve().parent)
    if checker.problems:
        raise ConfigError(checker.problems)
    return config


def _read(path: Path) -> str:
    where = str(path)
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_CONFIG_BYTES else None
    except FileNotFoundError:
        raise ConfigError(Diagnostic(where, "no such file", code="config-not-found", hint="check --config")) from None
    except OSError as exc:
        raise ConfigError(Diagnostic(where, f"cannot be read: {exc.strerror}", code="config-unreadable")) from None
    if data is None:
        raise ConfigError(Diagnostic(where, f"is larger than {MAX_CONFIG_BYTES // 1024} KiB", code="config-unreadable"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(Diagnostic(where, "is not UTF-8", line=line, code="config-syntax")) from None


_TOML_POSITION = re.compile(r"^(.*?)\s*\(at line (\d+), column (\d+)\)$")


def _syntax_diagnostic(path: str, message: str) -> Diagnostic:
    """tomllib's message with its ``(at line L, column C)`` as the diagnostic's position."""
    match = _TOML_POSITION.match(message)
    if match is None:
        return Diagnostic(path, f"not valid TOML: {message}", code="config-syntax")
    text, line, column = match.group(1), int(match.group(2)), int(match.group(3))
    return Diagnostic(path, f"not valid TOML: {text}", line=line, column=column, code="config-syntax")


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")
_PART = re.compile(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""")


def key_lines(text: str) -> dict[tuple[str, ...], tuple[int, int]]:
    """The 1-based line and column of every table header and ``key =`` in TOML ``text``, by its full key path.

    Lines inside multi-line strings are skipped; a key in an inline table is not listed (its table's
    line stands for it)."""
    found: dict[tuple[str, ...], tuple[int, int]] = {}
    table: tuple[str, ...] = ()
    in_string: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string is not None:
            if line.count(in_string) % 2 == 1:
                in_string = None
            continue
        header = _HEADER.match(line)
        key = None if header else _KEY.match(line)
        if header:
            table = _parts(header.group(1))
            found.setdefault(table, (number, header.start(1) + 1))
        elif key:
            found.setdefault((*table, *_parts(key.group(1))), (number, key.start(1) + 1))
        for quotes in ('"""', "'''"):
            if line.count(quotes) % 2 == 1:
                in_string = quotes
    return found


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in _PART.findall(dotted))


class _Checker:
    """Checks the parsed tables, collecting a diagnostic for each problem."""

    def __init__(self, path: str, lines: dict[tuple[str, ...], tuple[int, int]]) -> None:
        self.path = path
        self.lines = lines
        self.problems: list[Diagnostic] = []

    def position(self, keys: tuple[str, ...]) -> tuple[int | None, int | None]:
        """Where ``keys`` is written, else where the nearest table holding it is."""
        while keys:
            if keys in self.lines:
                return self.lines[keys]
            keys = keys[:-1]
        return None, None

    def problem(
        self, keys: tuple[str, ...], message: str, *, code: str = "config-value", hint: str | None = None
    ) -> None:
        line, column = self.position(keys)
        self.problems.append(Diagnostic(self.path, message, line=line, column=column, hint=hint, code=code))

    def unknown(self, keys: tuple[str, ...], known: tuple[str, ...], what: str) -> None:
        close = difflib.get_close_matches(keys[-1], known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"known {what}: {', '.join(known)}"
        kind = what.removesuffix("s")
        self.problem(keys, f"unknown {kind} '{'.'.join(keys)}'", code="config-unknown-key", hint=hint)

    def table(self, data: dict[str, Any], name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            self.problem((name,), f"'{name}' must be a table", hint=f"write it as [{name}]")
            return {}
        for key in value:
            if key not in SCHEMA[name]:
                self.unknown((name, key), SCHEMA[name], "keys")
        return value

    def config(self, data: dict[str, Any], folder: Path) -> SiteConfig:
        for name in data:
            if name not in (*SCHEMA, "labels"):
                self.unknown((name,), (*SCHEMA, "labels"), "tables")
        defaults = self.table(data, "defaults")
        pharmacy = self.table(data, "pharmacy")
        brand = self.table(data, "brand")
        band = self.table(data, "band")
        logo, digest = self.logo(pharmacy.get("logo"), folder)
        chosen = self.defaults(defaults)
        site = Site(
            pharmacy_name=self.text(pharmacy, ("pharmacy", "name")),
            pharmacy_address=self.text(pharmacy, ("pharmacy", "address")),
            pharmacy_phone=self.text(pharmacy, ("pharmacy", "phone")),
            logo=logo,
            logo_digest=digest,
            brand_colour=self.colour(brand.get("colour")),
            text_language=chosen.pop("language", ""),
            band_fields=self.band_fields(band.get("fields", list(BAND_FIELDS))),
            labels=self.labels(data.get("labels", {})),
        )
        return SiteConfig(path=self.path, site=site, **chosen)

    def defaults(self, table: dict[str, Any]) -> dict[str, Any]:
        chosen: dict[str, Any] = {}
        checks = {
            "paper": (lambda v: v in ("a4", "letter"), "a4 or letter"),
            "columns": (lambda v: type(v) is int and v in (1, 2), "1 or 2"),
            "large_print": (lambda v: type(v) is bool, "true or false"),
            "hyphenate": (lambda v: type(v) is bool, "true or false"),
            "language": (lambda v: isinstance(v, str) and bool(LANGUAGE_TAG.match(v)), "a BCP 47 tag: es, pt-BR"),
        }
        for key, (valid, allowed) in checks.items():
            if key in table and not valid(table[key]):
                self.problem(("defaults", key), f"'{key}' cannot be {table[key]!r}", hint=f"use {allowed}")
            elif key in table:
                chosen[key] = table[key]
        return chosen

    def text(self, table: dict[str, Any], keys: tuple[str, ...], *, limit: int = MAX_TEXT_CHARS) -> str:
        value = table.get(keys[-1], "")
        if not isinstance(value, str):
            self.problem(keys, f"'{keys[-1]}' must be text", hint='put it in quotes: "..."')
            return ""
        if len(value) > limit:
            self.problem(keys, f"'{keys[-1]}' is longer than {limit} characters")
        elif any(unicodedata.category(char) in ("Cc", "Cs") for char in value):
            self.problem(keys, f"'{keys[-1]}' has a control character (a line break, a tab)", hint="use one line")
        return " ".join(unicodedata.normalize("NFC", value).split())

    def colour(self, value: object) -> str:
        if value is None:
            return ""
        if not isinstance(value, str) or not re.fullmatch(r"#[0-9A-Fa-f]{6}", value):
            self.problem(("brand", "colour"), f"'colour' cannot be {value!r}", hint='use "#RRGGBB", e.g. "#0B5E3C"')
            return ""
        ratio = contrast_with_white(value)
        if ratio < MIN_BRAND_CONTRAST:
            self.problem(
                ("brand", "colour"),
                f"'colour' {value} has {ratio:.1f}:1 contrast with the white page; headings need "
                f"{MIN_BRAND_CONTRAST}:1",
                hint="choose a darker shade of the brand colour",
            )
            return ""
        return value.upper()

    def logo(self, value: object, folder: Path) -> tuple[str, str]:
        if value is None:
            return "", ""
        keys = ("pharmacy", "logo")
        if not isinstance(value, str) or not value:
            self.problem(keys, "'logo' must be the path of a PNG or JPEG file", hint='e.g. logo = "logo.png"')
            return "", ""
        path = (folder / value).resolve()
        try:
            data = path.read_bytes() if path.stat().st_size <= MAX_LOGO_BYTES else b""
        except OSError:
            self.problem(keys, f"the logo {value} cannot be read", hint="paths are relative to the configuration file")
            return "", ""
        if not data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
            self.problem(keys, f"the logo {value} is not a PNG or JPEG of at most 1 MiB")
            return "", ""
        return str(path), hashlib.sha256(data).hexdigest()

    def band_fields(self, value: object) -> tuple[str, ...]:
        keys = ("band", "fields")
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(keys, "'fields' must be a list of field names", hint=f"e.g. {list(BAND_FIELDS)}")
            return BAND_FIELDS
        for item in value:
            if item not in BAND_FIELDS:
                close = difflib.get_close_matches(item, BAND_FIELDS, n=1)
                hint = f"did you mean '{close[0]}'?" if close else f"known fields: {', '.join(BAND_FIELDS)}"
                self.problem(keys, f"unknown band field '{item}'", hint=hint)
        if len(set(value)) != len(value):
            self.problem(keys, "a band field is named twice")
        return tuple(name for name in BAND_FIELDS if name in value)

    def labels(self, tables: object) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
        if not isinstance(tables, dict):
            self.problem(("labels",), "'labels' must hold one table a language", hint="write [labels.es]")
            return ()
        found: dict[str, dict[str, str]] = {}
        for language, table in tables.items():
            keys = ("labels", language)
            if not LANGUAGE_TAG.match(language):
                self.problem(keys, f"'{language}' is not a language tag", hint="use a BCP 47 tag: es, pt-BR")
                continue
            if not isinstance(table, dict):
                self.problem(keys, f"'labels.{language}' must be a table", hint=f"write [labels.{language}]")
                continue
            words = found.setdefault(language_key(language), {})
            for key in table:
                if key not in LABEL_KEYS:
                    self.unknown((*keys, key), LABEL_KEYS, "labels")
                    continue
                text = self.text(table, (*keys, key))
                if text and self.placeholders_fit(key, text, (*keys, key)):
                    words[key] = text
        return tuple(sorted((language, tuple(sorted(words.items()))) for language, words in found.items() if words))

    def placeholders_fit(self, key: str, text: str, keys: tuple[str, ...]) -> bool:
        wanted = set(LABEL_PLACEHOLDERS.get(key, ()))
        try:
            given = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
        except ValueError:
            given = {"{"}
        if given != wanted:
            needs = ", ".join(f"{{{name}}}" for name in sorted(wanted)) or "no {...} field"
            self.problem(keys, f"'{key}' must contain {needs}", hint="write a brace as {{ or }}")
            return False
        return True


def contrast_with_white(colour: str) -> float:
    """WCAG 2.2 contrast ratio of ``#RRGGBB`` against white."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)
