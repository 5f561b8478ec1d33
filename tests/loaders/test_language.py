"""The language of plain text, and overdose headings in every EU language (issue 11, part 5): a Spanish
leaflet is never labelled English, and its "Si toma más X del que debe" becomes the warning box."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet import BuildOptions, ContentError, OptionsError, build_leaflet, load_monograph
from leaflet.errors import Diagnostic
from leaflet.loaders.language import OVERDOSE, detect_language
from leaflet.loaders.text_importer import parse_text_monograph
from leaflet.model import iter_sections

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples" / "text"

QRD_OVERDOSE_HEADINGS = {
    "en": "If you take more Calmofen than you should",
    "en-pharmacy": "What if I take too many tablets?",
    "bg": "Ако сте приели повече от необходимата доза Calmofen",
    "cs": "Jestliže jste užil(a) více přípravku Calmofen, než jste měl(a)",
    "da": "Hvis du har taget for meget Calmofen",
    "de": "Wenn Sie eine größere Menge von Calmofen eingenommen haben, als Sie sollten",
    "el": "Εάν πάρετε μεγαλύτερη δόση Calmofen από την κανονική",
    "es": "Si toma más Calmofen del que debe",
    "et": "Kui te võtate Calmofen'i rohkem kui ette nähtud",
    "fi": "Jos otat enemmän Calmofenia kuin sinun pitäisi",
    "fr": "Si vous avez pris plus de Calmofen que vous n'auriez dû",
    "hr": "Ako uzmete više lijeka Calmofen nego što ste trebali",
    "hu": "Ha az előírtnál több Calmofent vett be",
    "it": "Se prende più Calmofen di quanto deve",
    "lt": "Ką daryti pavartojus per didelę Calmofen dozę?",
    "lv": "Ja esat lietojis Calmofen vairāk nekā noteikts",
    "mt": "Jekk tieħu Calmofen aktar milli suppost",
    "nl": "Heeft u te veel van Calmofen ingenomen?",
    "pl": "Zastosowanie większej niż zalecana dawki leku Calmofen",
    "pt": "Se tomar mais Calmofen do que deveria",
    "ro": "Dacă luați mai mult Calmofen decât trebuie",
    "sk": "Ak užijete viac Calmofenu, ako máte",
    "sl": "Če ste vzeli večji odmerek zdravila Calmofen, kot bi smeli",
    "sv": "Om du har tagit för stor mängd av Calmofen",
    "ru": "Если вы приняли препарат Calmofen больше, чем следует",
    "uk": "Якщо ви прийняли більше, ніж слід",
}


@pytest.mark.parametrize(("language", "heading"), QRD_OVERDOSE_HEADINGS.items(), ids=list(QRD_OVERDOSE_HEADINGS))
def test_overdose_heading_of_every_eu_language_is_found(language: str, heading: str) -> None:
    """This test ensures that the QRD template's overdose heading in each EU language (and the pharmacy
    wording) makes its section the boxed warning of an imported plain text."""
    assert OVERDOSE.search(heading), heading
    text = f"Calmofen\n\n{heading}\nCall a doctor at once.\n"
    monograph = parse_text_monograph(text, "x.txt", language=language.split("-")[0])
    assert [section.warning for _, section in iter_sections(monograph.body)] == [True]


@pytest.mark.parametrize(
    "heading", ["How to take Calmofen", "Possible side effects", "Cómo tomar Calmofen", "Wie ist Calmofen einzunehmen?"]
)
def test_ordinary_headings_are_not_overdose(heading: str) -> None:
    """This test ensures that ordinary headings in any language are not taken for the overdose section."""
    assert not OVERDOSE.search(heading)


def test_spanish_leaflet_is_detected_and_said() -> None:
    """This test ensures that a real Spanish leaflet in plain text is labelled Spanish, with a warning that
    says what was detected, and that its overdose section is found (it had English labels and no box)."""
    warnings: list[Diagnostic] = []
    monograph = load_monograph(SAMPLES / "pentasa_sobres_es.txt", on_warning=warnings.append)
    assert monograph.meta.language == "es"
    assert [d.code for d in warnings] == ["text-language-detected"]
    assert "Spanish (es)" in warnings[0].message
    assert any(section.warning for _, section in iter_sections(monograph.body))


def test_english_leaflet_is_detected_silently() -> None:
    """This test ensures that an English leaflet is English, without a warning about it."""
    warnings: list[Diagnostic] = []
    monograph = load_monograph(SAMPLES / "remsima_en.txt", on_warning=warnings.append)
    assert monograph.meta.language == "en" and not [d for d in warnings if "language" in d.code]


def test_language_given_overrides_detection() -> None:
    """This test ensures that --language (the options' language) is taken as given, with no detection."""
    warnings: list[Diagnostic] = []
    monograph = load_monograph(SAMPLES / "pentasa_sobres_es.txt", on_warning=warnings.append, language="es-ES")
    assert monograph.meta.language == "es-ES" and not warnings


def test_short_text_of_no_clear_language_is_english_with_a_warning() -> None:
    """This test ensures that a text too short to tell is taken as English, and a warning says so."""
    warnings: list[Diagnostic] = []
    monograph = parse_text_monograph("X\n\nOverdose\nok\n", "x.txt", on_warning=warnings.append)
    assert monograph.meta.language == "en"
    assert [d.code for d in warnings] == ["text-language-unknown"]
    assert detect_language("ok") is None


def test_yaml_stating_another_language_is_refused(tmp_path: Path) -> None:
    """This test ensures that --language with a YAML monograph that states another language is an error
    naming its 'language:' line, and that a bad tag is refused as an option."""
    source = tmp_path / "x.yaml"
    source.write_text("title: X\nlanguage: en\nrevised: '2024-05-01'\nbody:\n  - warning: Overdose\n", encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_monograph(source, language="de")
    assert raised.value.diagnostics[0].code == "language-mismatch" and raised.value.diagnostics[0].line == 2
    assert load_monograph(source, language="EN").meta.language == "en"
    with pytest.raises(OptionsError):
        build_leaflet(load_monograph(source), BuildOptions(language="not a tag"))


def test_a_bad_language_tag_is_refused_as_an_option_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """This test ensures that `build --language` with something that is not a tag is refused as the option
    it is, before the monograph is read (it was reported as the YAML's language not matching)."""
    from tests.cli.helpers import run_cli

    source = tmp_path / "x.yaml"
    source.write_text("title: X\nlanguage: en\nrevised: '2024-05-01'\nbody:\n  - warning: Overdose\n", encoding="utf-8")
    result = run_cli(capsys, "build", source, "-o", tmp_path / "x.pdf", "--language", "not a tag")
    assert result.code == 2 and "--language" in result.err and "not a language tag" in result.err
    assert not (tmp_path / "x.pdf").exists()
