"""The syllable counter and the Flesch-Kincaid grade behind rule 'reading-grade' (an English estimate)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaflet.check.measures import count_syllables, reading_grade


@pytest.mark.parametrize(
    ("word", "syllables"),
    [
        ("the", 1),
        ("take", 1),
        ("takes", 1),
        ("caused", 1),
        ("you", 1),
        ("table", 2),
        ("needed", 2),
        ("uses", 2),
        ("water", 2),
        ("reduces", 3),
        ("medicine", 3),
        ("doctor's", 2),
        ("Baclofen", 3),
        ("pregnant", 2),
        ("medication", 4),
    ],
)
def test_count_syllables(word: str, syllables: int) -> None:
    """This test ensures that the syllable counter gets common leaflet words right."""
    assert count_syllables(word) == syllables


@given(st.text())
def test_count_syllables_never_fails(word: str) -> None:
    """This test ensures that any text gives a count: at least 1 with an ASCII letter, else 0."""
    count = count_syllables(word)
    assert count >= (1 if any(c.isascii() and c.isalpha() for c in word) else 0)


def test_reading_grade_orders_texts() -> None:
    """This test ensures that short plain sentences score below grade 8 and long learned ones above it."""
    easy = reading_grade(["Take one tablet a day. Call your doctor if you feel sick."])
    hard = reading_grade(
        ["Concomitant administration necessitates comprehensive pharmacological evaluation and monitoring."]
    )
    assert easy is not None and hard is not None
    assert easy < 8 < hard


def test_reading_grade_formula() -> None:
    """This test ensures that the grade is 0.39 x words/sentence + 11.8 x syllables/word - 15.59."""
    assert reading_grade(["The cat sat."]) == pytest.approx(0.39 * 3 + 11.8 * 1 - 15.59)


def test_reading_grade_without_words() -> None:
    """This test ensures that text without words has no grade (None) rather than a division by zero."""
    assert reading_grade([]) is None
    assert reading_grade(["5", "10 - 20."]) is None
