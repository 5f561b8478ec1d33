"""Text measures for the content rules: sentences, a reading grade (English, German), and where a phrase
stands in the source.

The reading grade is an estimate: the Flesch-Kincaid formula over a heuristic English syllable count, and
for German the first Wiener Sachtextformel (Bamberger & Vanecek 1984) over German vowel groups. Both give
a school grade; other languages have no grade formula here and are not graded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from leaflet.model import Monograph, TextAt, iter_text, source_lines

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def running_text(monograph: Monograph) -> Iterator[TextAt]:
    """Paragraphs, list items and lead-ins: the text read as sentences (not the title or headings)."""
    return (piece for piece in iter_text(monograph) if piece.kind in ("paragraph", "item", "lead"))


def split_sentences(text: str) -> list[str]:
    """``text`` split after ``.``, ``!`` or ``?`` followed by a space; empty pieces dropped."""
    return [sentence for sentence in _SENTENCE_END.split(text.strip()) if sentence.strip()]


def excerpt(sentence: str, words: int = 8) -> str:
    parts = sentence.split()
    return repr(" ".join(parts[:words]) + (" ..." if len(parts) > words else ""))


def count_syllables(word: str) -> int:
    """Estimated syllables of an English ``word``: vowel groups, less a silent final e, -es or -ed.

    A heuristic (``table`` 2, ``takes`` 1, ``reduces`` 3, ``needed`` 2, ``caused`` 1); at least 1
    for any word with a letter, 0 otherwise.
    """
    word = re.sub(r"[^a-z]", "", word.lower())
    if not word:
        return 0
    count = len(re.findall(r"[aeiouy]+", word))
    if count > 1 and word.endswith("e") and not re.search(r"[^aeiouy]le$", word):
        count -= 1  # silent final e: "take", "reduce"; but "table" keeps its "-ble"
    elif count > 1 and re.search(r"[^aeiouytd]ed$", word):
        count -= 1  # "caused", "helped"; but "needed", "started"
    elif count > 1 and re.search(r"[^aeiouysxzhgc]es$", word):
        count -= 1  # "takes", "types"; but "uses", "boxes", "changes", "reduces"
    return max(count, 1)


def reading_grade(texts: Iterable[str]) -> float | None:
    """Flesch-Kincaid grade level of ``texts``; None when there are no words.

    0.39 x words per sentence + 11.8 x syllables per word - 15.59. Each text counts as at least
    one sentence (a list item without a full stop is one).
    """
    words = sentences = syllables = 0
    for text in texts:
        for sentence in split_sentences(text):
            found = _WORD.findall(sentence)
            if found:
                sentences += 1
                words += len(found)
                syllables += sum(count_syllables(word) for word in found)
    if not words:
        return None
    return 0.39 * words / sentences + 11.8 * syllables / words - 15.59


_GERMAN_VOWELS = re.compile(r"[aeiouyäöü]+")


def german_syllables(word: str) -> int:
    """Estimated syllables of a German ``word``: its vowel groups ("ei", "au", "ie", "äu" one each); at
    least 1 for a word with a letter."""
    return max(len(_GERMAN_VOWELS.findall(word.lower())), 1) if any(char.isalpha() for char in word) else 0


def wiener_sachtextformel(texts: Iterable[str]) -> float | None:
    """The first Wiener Sachtextformel of German ``texts`` (a school grade, 4 to 15); None without words.

    0.1935 MS + 0.1672 SL + 0.1297 IW - 0.0327 ES - 0.875, with MS the share (in %) of words of three
    syllables or more, SL the words per sentence, IW the share of words longer than six letters and ES
    the share of one-syllable words.
    """
    words = sentences = polysyllabic = long_words = monosyllabic = 0
    for text in texts:
        for sentence in split_sentences(text):
            found = _WORD.findall(sentence)
            if not found:
                continue
            sentences += 1
            for word in found:
                syllables = german_syllables(word)
                words += 1
                polysyllabic += syllables >= 3
                monosyllabic += syllables == 1
                long_words += len(word) > 6
    if not words:
        return None
    share = 100 / words
    return (
        0.1935 * polysyllabic * share
        + 0.1672 * words / sentences
        + 0.1297 * long_words * share
        - 0.0327 * monosyllabic * share
        - 0.875
    )


GRADE_FORMULAS = {"en": (reading_grade, "Flesch-Kincaid"), "de": (wiener_sachtextformel, "Wiener Sachtextformel")}
"""The reading-grade formula of each language that has one (by primary subtag), and its name."""


class PhraseLocator:
    """Finds where a phrase of a text stands in the source, from the line the text starts on."""

    def __init__(self, source: str) -> None:
        self.lines = source_lines(source)

    def __call__(self, phrase: str, piece: TextAt) -> tuple[int | None, int | None]:
        """Line and column of ``phrase`` (its words may be split across lines); else the text's line."""
        if piece.line <= 0 or not phrase.split():
            return piece.line or None, None
        span = len(piece.text.split()) + 2
        window = "\n".join(self.lines[piece.line - 1 : piece.line - 1 + span])
        pattern = r"\s+".join(re.escape(word) for word in phrase.split())
        match = re.search(pattern, window, re.IGNORECASE)
        if match is None:  # written with escapes or emphasis marks: the text's first line
            return piece.line, None
        before = window[: match.start()]
        return piece.line + before.count("\n"), match.start() - (before.rfind("\n") + 1) + 1
