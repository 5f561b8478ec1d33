"""A paragraph longer than a column is broken into lines once per column width (issue 11, part 4): the
part that goes on reuses the lines already made, where reportlab broke all that was left again in every
column (a 20,000-word paragraph took seconds). Checked by the work done, never by the clock."""

from __future__ import annotations

import io
import random
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus import Paragraph

from leaflet import build_leaflet, load_monograph
from leaflet.layout.line_reuse import LineReusingParagraph

WORDS = [
    "tablet",
    "dose",
    "doctor",
    "take",
    "medicine",
    "water",
    "daily",
    "kidney",
    "pharmacist",
    "side",
    "effect",
    "rarely",
    "patients",
]


def _paragraph_monograph(tmp_path: Path, count: int) -> Path:
    rng = random.Random(count)
    text = " ".join(f"{rng.choice(WORDS)}{n}" for n in range(count)) + "."
    source = tmp_path / "long.yaml"
    source.write_text(
        f"title: Long\nlanguage: en\nrevised: '2026-12-01'\nbody:\n  - \"{text}\"\n  - warning: Overdose\n",
        encoding="utf-8",
    )
    return source


@pytest.mark.parametrize("count", [3000, 12000])
def test_long_paragraph_is_broken_once_and_reads_back_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> None:
    """This test ensures that the words reportlab breaks into lines, over the whole build, stay within a
    small multiple of the paragraph's words whatever its length (each column's first part is set again:
    about twice), and that every word is drawn once, in order."""
    broken = [0]
    original = LineReusingParagraph.breakLines

    def counting(self: Paragraph, width: object) -> object:
        broken[0] += sum(len(frag.words) if hasattr(frag, "words") else len(frag.text.split()) for frag in self.frags)
        return original(self, width)

    monkeypatch.setattr(LineReusingParagraph, "breakLines", counting)
    rendered = build_leaflet(load_monograph(_paragraph_monograph(tmp_path, count)))
    assert rendered.pages > 2
    assert broken[0] >= count  # the paragraph went through the line breaker
    assert broken[0] <= 3 * count, f"{broken[0]} words broken into lines for a paragraph of {count}"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(rendered.pdf)).pages)
    numbers = [int(n) for n in re.findall(r"[a-z]+(\d+)\b", text)]
    assert numbers == list(range(count))
