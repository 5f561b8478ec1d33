"""``leaflet check --profile eu-qrd`` (issue 12, part 7): the QRD sections in the leaflet's language, their order
and numbers, the fixed statements (keep out of the sight and reach of children; reporting of side effects) and
the black-triangle statement."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet.check.qrd_rules import (
    missing_sections,
    rule_qrd_black_triangle,
    rule_qrd_section_order,
    rule_qrd_statements,
)
from leaflet.loaders.text_importer import parse_text_monograph
from leaflet.model import Metadata, Monograph, Notice, Paragraph, Run, Section
from tests.check.support import findings, of_rule, write
from tests.samples import EU_TEXT_SAMPLES, import_sample

QRD_RULES = ("profile", "qrd-section-order", "qrd-keep-out-of-reach", "qrd-reporting", "qrd-black-triangle")

SKELETONS = {
    "en": (
        "1. What Calmofen is and what it is used for",
        "2. What you need to know before you take Calmofen",
        "3. How to take Calmofen",
        "4. Possible side effects",
        "5. How to store Calmofen",
        "6. Contents of the pack and other information",
        "Keep this medicine out of the sight and reach of children.",
        "Reporting of side effects",
    ),
    "de": (
        "1. Was ist Calmofen und wofür wird es angewendet?",
        "2. Was sollten Sie vor der Einnahme von Calmofen beachten?",
        "3. Wie ist Calmofen einzunehmen?",
        "4. Welche Nebenwirkungen sind möglich?",
        "5. Wie ist Calmofen aufzubewahren?",
        "6. Inhalt der Packung und weitere Informationen",
        "Bewahren Sie dieses Arzneimittel für Kinder unzugänglich auf.",
        "Meldung von Nebenwirkungen",
    ),
    "fr": (
        "1. Qu’est-ce que Calmofen et dans quels cas est-il utilisé",
        "2. Quelles sont les informations à connaître avant de prendre Calmofen",
        "3. Comment prendre Calmofen",
        "4. Quels sont les effets indésirables éventuels",
        "5. Comment conserver Calmofen",
        "6. Contenu de l’emballage et autres informations",
        "Tenir ce médicament hors de la vue et de la portée des enfants.",
        "Déclaration des effets secondaires",
    ),
    "it": (
        "1. Che cos’è Calmofen e a cosa serve",
        "2. Cosa deve sapere prima di prendere Calmofen",
        "3. Come prendere Calmofen",
        "4. Possibili effetti indesiderati",
        "5. Come conservare Calmofen",
        "6. Contenuto della confezione e altre informazioni",
        "Conservi questo medicinale fuori dalla vista e dalla portata dei bambini.",
        "Segnalazione degli effetti indesiderati",
    ),
    "pt": (
        "1. O que é Calmofen e para que é utilizado",
        "2. O que precisa de saber antes de tomar Calmofen",
        "3. Como tomar Calmofen",
        "4. Efeitos indesejáveis possíveis",
        "5. Como conservar Calmofen",
        "6. Conteúdo da embalagem e outras informações",
        "Manter este medicamento fora da vista e do alcance das crianças.",
        "Comunicação de efeitos indesejáveis",
    ),
    "nl": (
        "1. Wat is Calmofen en waarvoor wordt dit middel gebruikt?",
        "2. Wanneer mag u dit middel niet innemen of moet u er extra voorzichtig mee zijn?",
        "3. Hoe neemt u dit middel in?",
        "4. Mogelijke bijwerkingen",
        "5. Hoe bewaart u dit middel?",
        "6. Inhoud van de verpakking en overige informatie",
        "Buiten het zicht en bereik van kinderen houden.",
        "Het melden van bijwerkingen",
    ),
    "es": (
        "1. Qué es Calmofen y para qué se utiliza",
        "2. Qué necesita saber antes de empezar a tomar Calmofen",
        "3. Cómo tomar Calmofen",
        "4. Posibles efectos adversos",
        "5. Conservación de Calmofen",
        "6. Contenido del envase e información adicional",
        "Mantener este medicamento fuera de la vista y del alcance de los niños.",
        "Comunicación de efectos adversos",
    ),
}
"""Per language: the six headings, the keep-out-of-reach sentence and the reporting heading."""


def skeleton(language: str, *, order: tuple[int, ...] = (1, 2, 3, 4, 5, 6), keep: bool = True) -> Monograph:
    """A leaflet with the template's sections (in ``order``) in ``language``; line N is the heading of ``order[N]``."""
    texts = SKELETONS[language]
    body = []
    for line, number in enumerate(order, start=2):
        content: list[Paragraph | Section] = [Paragraph((Run("Some text."),), line)]
        if number == 4:
            content.append(Section(texts[7], (Paragraph((Run("Tell your doctor."),), line),), line=line))
        if number == 5 and keep:
            content.append(Paragraph((Run(texts[6]),), line))
        body.append(Section(texts[number - 1], tuple(content), line=line))
    return Monograph(
        "Calmofen", Metadata("Calmofen", language, "2024-05-01"), tuple(body), path="x", lines={"title": 1}
    )


def qrd_findings(monograph: Monograph) -> list[tuple[str, int | None]]:
    found = [
        *rule_qrd_section_order(monograph),
        *rule_qrd_statements(monograph),
        *rule_qrd_black_triangle(monograph),
    ]
    return [(finding.rule, finding.diagnostic.line) for finding in found]


@pytest.mark.parametrize("language", sorted(SKELETONS))
def test_template_in_each_language_passes(language: str) -> None:
    """This test ensures that a leaflet with the template's six sections and statements in its language has no
    eu-qrd finding."""
    monograph = skeleton(language)
    assert list(missing_sections(monograph)) == []
    assert qrd_findings(monograph) == []


@pytest.mark.parametrize("language", sorted(SKELETONS))
def test_out_of_order_section_is_reported_at_its_heading(language: str) -> None:
    """This test ensures that section 5 before section 4 is one qrd-section-order warning at section 5's line."""
    monograph = skeleton(language, order=(1, 2, 3, 5, 4, 6))
    assert qrd_findings(monograph) == [("qrd-section-order", 5)]


def test_section_numbered_otherwise_is_reported() -> None:
    """This test ensures that "2. How to take X" (the template's section 3, numbered 2) is reported."""
    monograph = skeleton("en")
    wrong = Section("2. How to take Calmofen", monograph.body[2].body, line=4)  # type: ignore[union-attr]
    monograph = Monograph(monograph.title, monograph.meta, (*monograph.body[:2], wrong, *monograph.body[3:]), "x")
    assert ("qrd-section-order", 4) in qrd_findings(monograph)


def test_a_language_checks_its_own_wording() -> None:
    """This test ensures that a German leaflet with English headings lacks the six German sections."""
    english = skeleton("en")
    german = Monograph(english.title, Metadata("Calmofen", "de", "2024-05-01"), english.body, "x")
    assert len(list(missing_sections(german))) == 6


def test_missing_keep_out_of_reach_statement(tmp_path: Path) -> None:
    """This test ensures that a leaflet without "keep out of the sight and reach of children" has a
    qrd-keep-out-of-reach warning at section 5, with a hint, through check_file (YAML)."""
    body = "body:\n" + "".join(
        f"  - heading: {heading}\n    body: [Some text.]\n" for heading in SKELETONS["en"][:6]
    ).replace("  - heading: 4. Possible side effects\n    body: [Some text.]\n", _REPORTING)
    path = write(tmp_path / "x.yaml", "title: Calmofen\nlanguage: en\nrevised: '2024-05-01'\n" + body)
    found = [f for f in findings(path, profile="eu-qrd") if f.rule in QRD_RULES]
    assert [(f.rule, f.severity, f.diagnostic.line) for f in found] == [("qrd-keep-out-of-reach", "warning", 16)]
    assert "section 5" in (found[0].diagnostic.hint or "")


_REPORTING = (
    "  - heading: 4. Possible side effects\n    body:\n      - Some text.\n"
    "      - heading: Reporting of side effects\n        body: [Tell your doctor.]\n"
)


def test_the_profile_is_needed_for_the_qrd_rules(tmp_path: Path) -> None:
    """This test ensures that without --profile eu-qrd no qrd-* finding is made."""
    path = write(tmp_path / "x.yaml", "title: Calmofen\nlanguage: en\nrevised: '2024-05-01'\nbody: [Some text.]\n")
    assert [f for f in findings(path) if f.rule.startswith("qrd-")] == []
    assert of_rule(findings(path, profile="eu-qrd"), "qrd-reporting")


def test_black_triangle_without_statement_and_statement_without_triangle() -> None:
    """This test ensures that a ▼ without the additional-monitoring statement, and the statement without a ▼,
    are each a qrd-black-triangle warning at their line; a notice of kind additional-monitoring is the ▼."""
    base = skeleton("en")

    def with_first(block: Paragraph | Notice) -> Monograph:
        return Monograph(base.title, base.meta, (block, *base.body), "x")

    assert qrd_findings(with_first(Paragraph((Run("▼ Calmofen"),), 1))) == [("qrd-black-triangle", 1)]
    statement = "This medicine is subject to additional monitoring. You can help by reporting any side effects."
    assert qrd_findings(with_first(Paragraph((Run(statement),), 1))) == [("qrd-black-triangle", 1)]
    assert qrd_findings(with_first(Paragraph((Run("▼ " + statement),), 1))) == []
    assert qrd_findings(with_first(Notice((Run(statement),), kind="additional-monitoring", line=1))) == []


def test_black_triangle_statement_after_section_one() -> None:
    """This test ensures that the ▼ statement placed after section 1 is reported: the template puts it on top."""
    en = SKELETONS["en"]
    lines = ["Calmofen", en[0], "Text.", en[1], "Text.", en[2], "If you take more Calmofen than you should", "Call us."]
    lines += [en[3], en[7], "Tell us.", en[4], en[6], en[5], "Text."]
    text = "\n".join([*lines, "▼ This medicine is subject to additional monitoring."])
    monograph = parse_text_monograph(text, "late.txt", language="en")
    assert qrd_findings(monograph) == [("qrd-black-triangle", 16)]


@pytest.mark.parametrize("sample", EU_TEXT_SAMPLES, ids=lambda p: p.name)
def test_real_leaflets_pass_the_qrd_profile(sample: Path) -> None:
    """This test ensures that every real EU leaflet of the samples (English and Spanish), imported from plain
    text, has the six sections in order and the fixed statements (Talzenna: ▼ and its statement on top)."""
    monograph = import_sample(sample)
    assert list(missing_sections(monograph)) == []
    assert qrd_findings(monograph) == []
