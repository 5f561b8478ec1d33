"""Text is NFC-normalised on load and variation selectors are dropped (issue 11, part 2): decomposed
Greek and Cyrillic, as ePI files carry them, load as the composed characters the fonts draw."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from leaflet import build_leaflet, load_monograph
from leaflet.model import iter_text

GREEK = "Φαρμακευτικό προϊόν: ένα δισκίο την ημέρα."
RUSSIAN = "Йод и ёлка: принимайте одну таблетку."


def test_decomposed_text_loads_composed(tmp_path: Path) -> None:
    """This test ensures that decomposed Greek and Cyrillic (NFD) in YAML and plain text load as NFC, build,
    and read back as the composed words."""
    body = unicodedata.normalize("NFD", f"{GREEK} {RUSSIAN}")
    assert body != f"{GREEK} {RUSSIAN}"
    yaml_source = tmp_path / "x.yaml"
    yaml_source.write_text(
        f"title: X\nlanguage: el\nrevised: '2024-05-01'\nbody:\n  - \"{body}\"\n  - warning: Overdose\n",
        encoding="utf-8",
    )
    text_source = tmp_path / "x.txt"
    text_source.write_text(f"X\n\n{body}\n\nOverdose\nCall a doctor.\n", encoding="utf-8")
    for source in (yaml_source, text_source):
        monograph = load_monograph(source, language="el" if source.suffix == ".txt" else None)
        texts = [piece.text for piece in iter_text(monograph)]
        assert f"{GREEK} {RUSSIAN}" in texts, texts
        build_leaflet(monograph)


def test_variation_selectors_are_dropped(tmp_path: Path) -> None:
    """This test ensures that a variation selector after a character (U+FE0F after ✓, as emoji keyboards
    type it) is dropped rather than refused, and the character is drawn from the fallback fonts."""
    source = tmp_path / "x.txt"
    source.write_text("X\n\nDone \u2713\ufe0f today.\n\nOverdose\nCall a doctor.\n", encoding="utf-8")
    monograph = load_monograph(source, language="en")
    assert "Done \u2713 today." in [piece.text for piece in iter_text(monograph)]
    build_leaflet(monograph)
