"""The translation of a monograph for the patient's languages: NAME.TAG.SUFFIX beside NAME.SUFFIX."""

from __future__ import annotations

from pathlib import Path

from leaflet.orders.languages import monograph_in_language, speaks, translations


def test_translation_lookup_order(tmp_path: Path) -> None:
    """This test ensures that the preferred language is looked for first, a regional tag falls back to
    its language, a tagged monograph finds its siblings by its base name, and no translation means the
    monograph named."""
    named = tmp_path / "baclofen.yaml"
    for name in ("baclofen.yaml", "baclofen.es.yaml", "baclofen.pt-BR.yaml", "baclofen.fr.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert monograph_in_language(named, ["es-MX"]) == tmp_path / "baclofen.es.yaml"
    assert monograph_in_language(named, ["de", "pt-BR", "es"]) == tmp_path / "baclofen.pt-BR.yaml"
    assert monograph_in_language(named, ["fr"]) == named  # the suffix must match
    assert monograph_in_language(named, []) == named
    assert monograph_in_language(tmp_path / "baclofen.es.yaml", ["pt-BR"]) == tmp_path / "baclofen.pt-BR.yaml"
    assert monograph_in_language(tmp_path / "baclofen.es.yaml", ["de"]) == tmp_path / "baclofen.es.yaml"
    assert [path.name for path in translations(named, ["es-MX"])] == ["baclofen.es-MX.yaml", "baclofen.es.yaml"]


def test_speaks_by_primary_subtag() -> None:
    """This test ensures that a leaflet's /Lang serves a patient whose tag shares its language."""
    assert speaks(["es-MX"], "es") and speaks(["en"], "en-GB")
    assert not speaks(["es"], "en") and not speaks(["es"], None) and not speaks([], "en")
