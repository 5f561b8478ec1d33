"""Where a word may be divided at the end of a line (issue 11, part 4): soft hyphens and zero-width
spaces in the text, the places of a URL or e-mail address, the hyphens of a compound, and the places the
leaflet's language's dictionary gives (:mod:`.hyphenation`). Used by :mod:`.line_breaking` and, for
addresses, by the shaped paragraphs' breaker (:mod:`.shaping`)."""

from __future__ import annotations

import re

from leaflet.text.hyphenation import MIN_WORD, Hyphenator

SOFT_HYPHEN = "\u00ad"
ZERO_WIDTH_SPACE = "\u200b"
MARKERS = re.compile("[\u00ad\u200b]")
SPACES = re.compile("[ \t\n\r\f\v\u1680\u2000-\u200a\u2028\u2029\u205f\u3000]+")
"""Where words end (reportlab's white space, less the zero-width and no-break spaces); drawn as one space."""
URL = re.compile(r"^[(\[<\"']?(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)\S+$|^[^\s@/]+@[^\s@/]+\.[a-z]{2,}", re.I)
URL_BREAKS = frozenset("/.-?&=@")


def drawn(source: str) -> str:
    """``source`` as drawn: soft hyphens and zero-width spaces left out."""
    return MARKERS.sub("", source) if ("\u00ad" in source or "\u200b" in source) else source


def may_divide(shown: str, source: str, hyphenator: Hyphenator | None) -> bool:
    """Whether a word might be divided at a line end (a quick test: :func:`break_places` says where)."""
    if source is not shown or "/" in shown or "@" in shown or "www." in shown:
        return True
    return hyphenator is not None and len(shown) >= MIN_WORD


def break_places(text: str, hyphenator: Hyphenator | None, *, hyphens: bool) -> list[tuple[int, str]]:
    """Where ``text`` (one word as written) may break, longest head first: (length of the head, the
    hyphen to draw after it). ``hyphens``: after the word's own hyphens too, for a word wider than the
    line (poppler's pdftotext, joining lines, drops a hyphen that ends one: "long-term" would read
    "longterm", and an address would change)."""
    soft = SOFT_HYPHEN in text
    marked = soft or ZERO_WIDTH_SPACE in text or (hyphens and "-" in text)
    if not marked and "/" not in text and "@" not in text and "www." not in text:  # the usual word
        return _dictionary_places(text, hyphenator) if hyphenator is not None else []
    places: dict[int, str] = {}
    for index, char in enumerate(text if marked else ""):
        if char == ZERO_WIDTH_SPACE:
            places[index + 1] = ""
        elif char == SOFT_HYPHEN:
            places[index + 1] = SOFT_HYPHEN
        elif (
            hyphens
            and char == "-"
            and 0 < index < len(text) - 1
            and text[index - 1].isalpha()
            and text[index + 1].isalpha()
        ):
            places[index + 1] = ""
    plain = drawn(text)
    if ("/" in plain or "@" in plain or "www." in plain) and URL.match(plain):
        places.update(_url_places(text, hyphens=hyphens))
    elif hyphenator is not None and not soft and plain == text:
        places.update(_dictionary_places(text, hyphenator))
    return sorted(places.items(), reverse=True)


def address_breaks(text: str) -> set[int]:
    """The places (character offsets) a line of ``text`` may end inside a URL or e-mail address, after
    / . ? & = @ (for the shaped paragraphs of :mod:`.shaping`, whose lines otherwise end at spaces)."""
    found: set[int] = set()
    for match in re.finditer(r"\S+", text):
        word = match.group()
        if URL.match(drawn(word)):
            found.update(match.start() + place for place in _url_places(word, hyphens=False))
    return found


def _url_places(text: str, *, hyphens: bool) -> dict[int, str]:
    """After / . ? & = @ in an address (and - when ``hyphens``), never inside "//", nor before the
    punctuation that ends it."""
    places = {}
    end = len(text.rstrip(".,;:)]>'\""))
    breaks = URL_BREAKS if hyphens else URL_BREAKS - {"-"}
    for index in range(len(text) - 1):
        if text[index] in breaks and text[index + 1] != "/" and index + 1 < end:
            places[index + 1] = ""
    return places


def _dictionary_places(text: str, hyphenator: Hyphenator) -> list[tuple[int, str]]:
    """Where the dictionary hyphenates the letters of ``text`` (punctuation around them left out), longest
    head first."""
    start, end = 0, len(text)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return [(start + place, SOFT_HYPHEN) for place in hyphenator.places(text[start:end])]
