"""Hyphenation in the leaflet's language (issue 11, part 4), with pyphen's dictionaries (LibreOffice's).

The line breaker (:mod:`.line_breaking`) asks for a word only when it does not fit at the end of a line,
and only for a word of letters (any script's): a word with a digit, a dose bound to its unit by a
no-break space ("10 mg"), a URL, an e-mail address or a word carrying soft hyphens is never offered.
The rules kept here:

- a word shorter than :data:`MIN_WORD` letters, or in capitals (an acronym: NSAID), is not hyphenated;
- at least :data:`MIN_HEAD` letters stay on the line and :data:`MIN_TAIL` go to the next: a line is only
  hyphenated when it would otherwise leave a wide gap (the role of a word processor's hyphenation zone);
- at most :data:`MAX_IN_A_ROW` lines in a row end with a hyphen (kept by the line breaker).

pyphen and its dictionary are loaded on the first word that needs them, not when a leaflet starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path

MIN_WORD = 6
MIN_HEAD = 3
MIN_TAIL = 3
MAX_IN_A_ROW = 2

DICTIONARIES = {
    "bg": "bg_BG",
    "ca": "ca",
    "cs": "cs_CZ",
    "da": "da_DK",
    "de": "de_DE",
    "de-at": "de_AT",
    "de-ch": "de_CH",
    "el": "el_GR",
    "en": "en_US",
    "en-gb": "en_GB",
    "en-ie": "en_GB",
    "es": "es",
    "et": "et_EE",
    "eu": "eu",
    "fr": "fr",
    "gl": "gl",
    "hr": "hr_HR",
    "hu": "hu_HU",
    "is": "is",
    "it": "it_IT",
    "lt": "lt",
    "lv": "lv_LV",
    "nb": "nb_NO",
    "nl": "nl_NL",
    "nn": "nn_NO",
    "no": "nb_NO",
    "pl": "pl_PL",
    "pt": "pt_PT",
    "pt-br": "pt_BR",
    "ro": "ro_RO",
    "ru": "ru_RU",
    "sk": "sk_SK",
    "sl": "sl_SI",
    "sq": "sq_AL",
    "sr": "sr",
    "sr-latn": "sr_Latn",
    "sv": "sv",
    "uk": "uk_UA",
}
"""pyphen's dictionary for a language tag (lower case; the language alone, or language-region where the
region's rules differ). Of the 24 EU languages, Finnish, Irish and Maltese have none, nor have Turkish,
Vietnamese and Haitian Creole: their words are not hyphenated. Chinese, Japanese, Korean and the shaped
scripts (Arabic, Hebrew, Devanagari, Bengali) are never hyphenated."""


def dictionary_for(language: str) -> str | None:
    """The pyphen dictionary for the BCP 47 tag ``language`` (None: its words are not hyphenated)."""
    parts = language.lower().replace("_", "-").split("-")
    for length in range(len(parts), 0, -1):
        name = DICTIONARIES.get("-".join(parts[:length]))
        if name:
            return name
    return None


class Hyphenator:
    """Where the words of one language may break: called by reportlab with a word, it gives the
    (head, tail) pairs, longest head first."""

    def __init__(self, dictionary: str) -> None:
        self.dictionary = dictionary

    def __repr__(self) -> str:  # reportlab's style listings print it
        return f"Hyphenator({self.dictionary!r})"

    def places(self, word: str) -> list[int]:
        """Where the letters ``word`` may break (lengths of the heads), longest head first."""
        if len(word) < MIN_WORD or word.isupper() or not word.isalpha():
            return []
        lower = word.lower()
        if len(lower) != len(word):  # a letter whose lower case is longer: positions would not match
            return []
        last = len(word) - MIN_TAIL
        return [index for index in reversed(_positions(self.dictionary, lower)) if MIN_HEAD <= index <= last]

    def pairs(self, word: str) -> list[tuple[str, str]]:
        """The places the letters ``word`` may break, as (head, tail), longest head first (none for a short
        word or an acronym)."""
        return [(word[:index], word[index:]) for index in self.places(word)]

    def __call__(self, word: str) -> Iterator[tuple[str, str]]:
        """reportlab's hyphenation hook (``ParagraphStyle.hyphenationLang``)."""
        return iter(self.pairs(word))


@cache
def _dictionary(name: str) -> Patterns:
    from pyphen import LANGUAGES  # the dictionaries' files; reportlab imports pyphen anyway when installed

    return Patterns(Path(str(LANGUAGES[name])))


@lru_cache(maxsize=1 << 16)
def _positions(name: str, word: str) -> tuple[int, ...]:
    """Where the dictionary ``name`` hyphenates the lower-case ``word`` (remembered: a leaflet repeats its
    words, and a library its leaflets' words)."""
    return tuple(_dictionary(name).positions(word))


_DIGIT_RUNS = re.compile("[0-9]+")
_HEX = re.compile(r"\^{2}([0-9a-f]{2})")
_IGNORED = ("%", "#", "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN", "COMPOUNDRIGHTHYPHENMIN")


def _plain_pattern(line: str) -> str:
    """A pattern line with its hexadecimal escapes (^^e4) decoded and its non-standard part ("/ff=f,...")
    left out."""
    if "^^" in line:
        line = _HEX.sub(lambda match: chr(int(match.group(1), 16)), line)
    return line.split("/", 1)[0] if "/" in line and "=" in line else line


class Patterns:
    """Liang's hyphenation patterns of one of pyphen's dictionaries (LibreOffice's ``hyph_*.dic``), each
    parsed the first time a word needs it, with pyphen's rules (``pyphen.HyphDict.positions``; its
    non-standard spelling changes at a break, as in old German "Schiff-fahrt", are not used here).

    pyphen parses every pattern when it opens a dictionary: 0.84 s for German's 78,000, 0.09 s for
    English, on every start of a process. Here a dictionary opens in a fraction of that, and a build
    parses only the few hundred patterns its words meet."""

    def __init__(self, path: Path) -> None:
        data = path.read_bytes()
        first, _, body = data.partition(b"\n")
        encoding = first.decode("ascii", "replace").strip()
        if encoding.lower() == "microsoft-cp1251":
            encoding = "cp1251"
        text = body.decode(encoding)
        lines = text.split("\n")
        if "^^" in text or "/" in text:  # hexadecimal escapes, non-standard breaks: line by line
            lines = [_plain_pattern(line) for line in lines]
        keys = _DIGIT_RUNS.sub("", "\n".join(lines)).split("\n")  # the letters of every pattern at once
        self.raw: dict[str, str] = {
            key.strip(): line.strip()
            for key, line in zip(keys, lines, strict=True)
            if key.strip() and not line.lstrip().startswith(_IGNORED)
        }
        self.longest = max(map(len, self.raw), default=0)
        self.parsed: dict[str, tuple[int, ...] | None] = {}

    def _values(self, key: str) -> tuple[int, ...] | None:
        """The digits of the pattern whose letters are ``key``: the value before each letter, and after
        the last (None: no pattern)."""
        if key in self.parsed:
            return self.parsed[key]
        pattern = self.raw.get(key)
        values = None
        if pattern is not None:
            found = [0] * (len(key) + 1)
            index = 0
            for char in pattern:
                if char.isdigit():
                    found[index] = int(char)
                else:
                    index += 1
            values = tuple(found) if any(found) else None
        self.parsed[key] = values
        return values

    def positions(self, word: str) -> list[int]:
        """Where the lower-case ``word`` may be hyphenated (pyphen's ``HyphDict.positions``)."""
        pointed = f".{word}."
        references = [0] * (len(pointed) + 1)
        for start in range(len(pointed) - 1):
            for end in range(start + 1, min(start + self.longest, len(pointed)) + 1):
                values = self._values(pointed[start:end])
                if values is None:
                    continue
                for offset, value in enumerate(values):
                    if value > references[start + offset]:
                        references[start + offset] = value
        return [index - 1 for index, value in enumerate(references) if value % 2]
