"""Each rule of ``leaflet check`` on a monograph that breaks it and on one that keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaflet import BuildOptions, LeafletError, build_leaflet, load_monograph
from leaflet.check.rules import PROFILES, RULES, CheckOptions, check_paths
from leaflet.errors import OptionsError
from leaflet.model import iter_text
from leaflet.render import check_fits
from tests.check.support import (
    CLEAN_BODY,
    CLEAN_TXT,
    CLEAN_YAML,
    HEAD,
    NESTED,
    WARNINGS_ONLY,
    findings,
    of_rule,
    write,
)
from tests.cli.helpers import DANGLING_DASH_TXT, GLYPHS_YAML, NO_OVERDOSE_TXT, SYNTAX_ERROR_YAML
from tests.conftest import MONOGRAPHS, SEED_TEXT


@pytest.mark.parametrize("path", [CLEAN_YAML, CLEAN_TXT], ids=["yaml", "txt"])
def test_clean_monograph_has_no_findings(path: Path) -> None:
    """This test ensures that a monograph keeping every rule (YAML and plain text) has no findings."""
    assert findings(path) == []


def test_every_rule_is_tested_clean() -> None:
    """This test ensures that the rules run by check_file are the ones the tests below exercise."""
    assert set(RULES) == {
        "no-warning-box",
        "empty-section",
        "duplicate-heading",
        "glyphs",
        "layout-fit",
        "header-fit",
        "long-sentence",
        "reading-grade",
        "promotional",
        "profile",
        "qrd",
    }


# --- load -------------------------------------------------------------------------------------


def test_load_error_is_reported_with_position() -> None:
    """This test ensures that what the loader rejects is a 'load' error with its line and column, and
    that no other rule runs on a file that could not be read."""
    found = findings(SYNTAX_ERROR_YAML)
    assert [(f.rule, f.severity, f.diagnostic.line, f.diagnostic.column) for f in found] == [("load", "error", 5, 9)]
    assert "YAML" in found[0].diagnostic.message


def test_missing_and_unknown_files_are_load_errors(tmp_path: Path) -> None:
    """This test ensures that a missing file and a file of an unknown kind are 'load' errors naming them."""
    notes = write(tmp_path / "notes.md", "Calmofen\nSome text.\n")
    for path in (tmp_path / "missing.yaml", notes):
        found = findings(path)
        assert [(f.rule, f.severity, f.diagnostic.path) for f in found] == [("load", "error", str(path))]


def test_loader_warnings_become_warnings() -> None:
    """This test ensures that the plain-text importer's warnings are 'load' warnings with their line."""
    found = of_rule(findings(DANGLING_DASH_TXT), "load")
    assert [(f.severity, f.diagnostic.line) for f in found] == [("warning", 5)]


def test_load_passes_clean_files() -> None:
    """This test ensures that a monograph the loader accepts without comment has no 'load' finding."""
    assert of_rule(findings(CLEAN_TXT), "load") == []


# --- no-warning-box ---------------------------------------------------------------------------


def test_no_warning_box_in_yaml(tmp_path: Path) -> None:
    """This test ensures that a YAML monograph without a warning section is an error at its title."""
    path = write(tmp_path / "x.yaml", HEAD + CLEAN_BODY.replace("- warning:", "- heading:"))
    found = of_rule(findings(path), "no-warning-box")
    assert [(f.severity, f.diagnostic.line) for f in found] == [("error", 1)]


def test_no_warning_box_in_text_is_reported_once() -> None:
    """This test ensures that plain text without an overdose section is one 'no-warning-box' error, the
    importer's own warning about it not repeated."""
    found = findings(NO_OVERDOSE_TXT)
    about_overdose = [f for f in found if "overdose" in f.diagnostic.message and f.rule != "profile"]
    assert [(f.rule, f.severity) for f in about_overdose] == [("no-warning-box", "error")]
    assert of_rule(found, "load") == []


def test_warning_box_present() -> None:
    """This test ensures that a monograph with a warning section has no 'no-warning-box' finding."""
    assert of_rule(findings(CLEAN_YAML), "no-warning-box") == []


# --- empty-section ----------------------------------------------------------------------------


def test_empty_section() -> None:
    """This test ensures that a heading with nothing under it is a warning at the heading's line."""
    found = of_rule(findings(WARNINGS_ONLY), "empty-section")
    assert [(f.severity, f.diagnostic.line) for f in found] == [("warning", 15)]
    assert "Side effects" in found[0].diagnostic.message


def test_section_holding_only_sections_is_not_empty(tmp_path: Path) -> None:
    """This test ensures that a section whose body is only sub-sections is not reported as empty."""
    assert of_rule(findings(CLEAN_YAML), "empty-section") == []  # "How to take" holds the warning too
    path = write(
        tmp_path / "x.yaml",
        HEAD + CLEAN_BODY + "  - heading: More\n    body:\n      - heading: Even more\n"
        "        body:\n          - Some text.\n",
    )
    assert of_rule(findings(path), "empty-section") == []


# --- duplicate-heading ------------------------------------------------------------------------


def test_duplicate_heading_names_both_lines() -> None:
    """This test ensures that the same heading twice (ignoring case and spaces) is a warning at the second
    one that names both lines."""
    found = of_rule(findings(NESTED / "deeper" / "duplicate_heading.yaml"), "duplicate-heading")
    assert [(f.severity, f.diagnostic.line) for f in found] == [("warning", 21)]
    assert "lines 15 and 21" in found[0].diagnostic.message


def test_distinct_headings() -> None:
    """This test ensures that distinct headings give no 'duplicate-heading' finding."""
    assert of_rule(findings(CLEAN_YAML), "duplicate-heading") == []


# --- glyphs -----------------------------------------------------------------------------------


def test_glyphs_the_fonts_cannot_draw() -> None:
    """This test ensures that every character the fonts cannot draw is an error with its line and column."""
    found = of_rule(findings(GLYPHS_YAML), "glyphs")
    assert [(f.severity, f.diagnostic.line, f.diagnostic.column) for f in found] == [
        ("error", 5, 13),
        ("error", 8, 23),
        ("error", 9, 33),
    ]
    assert "U+1F600" in found[0].diagnostic.message


def test_glyphs_greek_and_cyrillic_pass(tmp_path: Path) -> None:
    """This test ensures that Latin, Greek and Cyrillic text (which the fonts cover) passes 'glyphs'."""
    path = write(tmp_path / "x.yaml", HEAD + CLEAN_BODY + "  - heading: Más\n    body:\n      - Ωμέγα и Жук.\n")
    assert of_rule(findings(path), "glyphs") == []


# --- layout-fit -----------------------------------------------------------------------------


def test_layout_fit_refuses_what_build_refuses(tmp_path: Path) -> None:
    """This test ensures that a title too tall for the first page, which build refuses, is a check error
    on the title's line too (issue 10, item 8: check accepted a title that build refused)."""
    path = write(tmp_path / "x.yaml", HEAD.replace("Calmofen", "Calmofen " * 250) + CLEAN_BODY)
    found = of_rule(findings(path), "layout-fit")
    assert [(f.severity, f.diagnostic.line) for f in found] == [("error", 1)]
    with pytest.raises(LeafletError):
        build_leaflet(load_monograph(path))


def test_layout_fit_warns_about_large_print_only(tmp_path: Path) -> None:
    """This test ensures that a title that fits in standard print but not in large print is a warning."""
    words = next(n for n in range(10, 200, 5) if _title_fits_standard_only(tmp_path, n))
    path = write(tmp_path / "x.yaml", HEAD.replace("Calmofen", "Calmofen " * words) + CLEAN_BODY)
    found = of_rule(findings(path), "layout-fit")
    assert [(f.severity, f.diagnostic.message.endswith("in large print")) for f in found] == [("warning", True)]


def _title_fits_standard_only(tmp_path: Path, words: int) -> bool:
    text = HEAD.replace("Calmofen", "Calmofen " * words) + CLEAN_BODY
    monograph = load_monograph(write(tmp_path / "probe.yaml", text))
    try:
        check_fits(monograph, BuildOptions())
    except LeafletError:
        return False
    try:
        check_fits(monograph, BuildOptions(large_print=True))
    except LeafletError:
        return True
    return False


def test_layout_fit_refuses_a_book(tmp_path: Path) -> None:
    """This test ensures that a monograph of more than 5,000 pieces of text is refused by build and check
    on the line of the first piece over, at once rather than after seconds of layout (issue 10, item 8:
    a 50,000-item list took 11 s)."""
    items = "".join(f"      - I{n}\n" for n in range(6000))
    path = write(tmp_path / "x.yaml", HEAD + CLEAN_BODY + "  - list:\n" + items)
    found = of_rule(findings(path), "layout-fit")
    first_over = list(iter_text(load_monograph(path)))[5000]
    assert [(f.severity, f.diagnostic.line) for f in found] == [("error", first_over.line)]
    with pytest.raises(LeafletError, match="more than 5,000 pieces"):
        build_leaflet(load_monograph(path))


def test_layout_fit_passes_the_seed() -> None:
    """This test ensures that an ordinary title passes 'title-fit'."""
    assert of_rule(findings(SEED_TEXT), "layout-fit") == []


# --- header-fit -----------------------------------------------------------------------------


def test_header_fit_warns_about_a_drug_name_cut_short(tmp_path: Path) -> None:
    """This test ensures that a drug name too wide for the running header is a warning on its line, in
    check and in build (issue 10, item 8: it was cut with an ellipsis without a word)."""
    drug = "drug: " + "Calmofen extended-release " * 12 + "\n"
    path = write(tmp_path / "x.yaml", HEAD + drug + CLEAN_BODY)
    found = of_rule(findings(path), "header-fit")
    assert [(f.severity, f.diagnostic.line) for f in found] == [("warning", 4)]
    rendered = build_leaflet(load_monograph(path))
    assert [d.line for d in rendered.warnings] == [4]
    assert of_rule(findings(write(tmp_path / "short.yaml", HEAD + "drug: Calmofen\n" + CLEAN_BODY)), "header-fit") == []


# --- long-sentence ----------------------------------------------------------------------------


def _sentence(words: int) -> str:
    return " ".join(["word"] * (words - 1)) + " end."


def test_long_sentence(tmp_path: Path) -> None:
    """This test ensures that a sentence of 31 words is a warning at its line giving the count."""
    text = f"Short one. {_sentence(31)} Another short one."
    path = write(tmp_path / "x.yaml", HEAD + CLEAN_BODY + f"  - heading: More\n    body:\n      - {text}\n")
    found = of_rule(findings(path), "long-sentence")
    assert [(f.severity, f.diagnostic.line, f.diagnostic.column) for f in found] == [("warning", 22, 20)]
    assert "31 words" in found[0].diagnostic.message


def test_sentences_up_to_the_limit_pass(tmp_path: Path) -> None:
    """This test ensures that sentences of 30 words, several in one paragraph, pass 'long-sentence', and
    that the limit is an option."""
    text = f"{_sentence(30)} {_sentence(30)}"
    path = write(tmp_path / "x.yaml", HEAD + CLEAN_BODY + f"  - heading: More\n    body:\n      - {text}\n")
    assert of_rule(findings(path), "long-sentence") == []
    assert len(of_rule(findings(path, max_sentence_words=29), "long-sentence")) == 2


# --- reading-grade ----------------------------------------------------------------------------

HARD = (
    "Pharmacological intervention necessitates comprehensive evaluation of concomitant administration, "
    "particularly regarding hepatic metabolism and consequential interindividual variability."
)


def _hard(tmp_path: Path, language: str = "en") -> Path:
    head = HEAD.replace("language: en", f"language: {language}")
    return write(tmp_path / "x.yaml", head + CLEAN_BODY + f"  - heading: More\n    body:\n      - {HARD}\n")


def test_reading_grade_above_the_limit(tmp_path: Path) -> None:
    """This test ensures that text above grade 8 is one warning at the title line giving the grade."""
    found = of_rule(findings(_hard(tmp_path)), "reading-grade")
    assert [(f.severity, f.diagnostic.line) for f in found] == [("warning", 1)]
    assert "grade" in found[0].diagnostic.message


def test_reading_grade_within_the_limit(tmp_path: Path) -> None:
    """This test ensures that plain text passes 'reading-grade', and that --max-grade moves the limit."""
    assert of_rule(findings(CLEAN_YAML), "reading-grade") == []
    assert of_rule(findings(_hard(tmp_path), max_grade=99), "reading-grade") == []
    assert of_rule(findings(CLEAN_YAML, max_grade=-10), "reading-grade") != []


@pytest.mark.parametrize("language", ["fr-CA", "es", "ja"])
def test_reading_grade_skips_languages_without_a_formula(tmp_path: Path, language: str) -> None:
    """This test ensures that the reading grade is skipped, with no finding, for a language that has no grade
    formula here (only English and German have one)."""
    assert of_rule(findings(_hard(tmp_path, language)), "reading-grade") == []


HARD_GERMAN = (
    "Die gleichzeitige Anwendung entzündungshemmender Arzneimittel erfordert eine sorgfältige "
    "Überwachung der Nierenfunktion, insbesondere bei eingeschränkter Leberfunktion, "
    "Herzinsuffizienz oder vorbestehender Dehydratation älterer Patientinnen und Patienten."
)
PLAIN_GERMAN = "Nehmen Sie eine Tablette am Tag. Trinken Sie ein Glas Wasser dazu. Fragen Sie Ihren Arzt."


def test_reading_grade_of_german_uses_the_wiener_sachtextformel(tmp_path: Path) -> None:
    """This test ensures that German text is graded by the Wiener Sachtextformel: a long sentence of long
    medical compounds is a warning naming the formula, short plain sentences pass."""
    hard = write(tmp_path / "hard.yaml", HEAD.replace("language: en", "language: de") + f"body:\n  - {HARD_GERMAN}\n")
    found = of_rule(findings(hard), "reading-grade")
    assert len(found) == 1 and "Wiener Sachtextformel" in found[0].diagnostic.message
    plain = write(
        tmp_path / "plain.yaml", HEAD.replace("language: en", "language: de") + f"body:\n  - {PLAIN_GERMAN}\n"
    )
    assert of_rule(findings(plain), "reading-grade") == []


def test_german_grade_counts_syllables_by_vowel_groups() -> None:
    """This test ensures that German syllables are vowel groups (diphthongs one), and that the formula gives
    a low grade to short plain sentences and a high one to long compound-laden ones."""
    from leaflet.check.measures import german_syllables, wiener_sachtextformel

    assert [german_syllables(w) for w in ("Tag", "Tablette", "Arzneimittel", "Überwachung", "Ei")] == [1, 3, 4, 4, 1]
    plain, hard = wiener_sachtextformel([PLAIN_GERMAN]), wiener_sachtextformel([HARD_GERMAN])
    assert plain is not None and hard is not None and plain < 4 < 12 < hard


def test_reading_grade_runs_for_english_regions(tmp_path: Path) -> None:
    """This test ensures that 'en-GB' counts as English for the reading grade."""
    assert of_rule(findings(_hard(tmp_path, "en-GB")), "reading-grade") != []


# --- promotional ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "You can order it online today.",
        "Buy it here.",
        "We have the best price.",
        "Ask for a discount.",
        "It is cheap.",
        "Get it from a trusted pharmacy.",
        "Results guaranteed.",
    ],
)
def test_promotional_wording(tmp_path: Path, text: str) -> None:
    """This test ensures that each kind of promotional wording is an error (21 CFR 208.20(a)(1))."""
    path = write(tmp_path / "x.yaml", HEAD + CLEAN_BODY + f"  - heading: More\n    body:\n      - {text}\n")
    found = of_rule(findings(path), "promotional")
    assert [(f.severity, f.diagnostic.line) for f in found] == [("error", 22)]


@pytest.mark.parametrize(
    "text",
    [
        "Take the doses in the order shown.",
        "Ask your pharmacy about storage.",
        "Read the leaflet online at your pharmacy.",
        "Nobody can guard against every side effect.",
    ],
)
def test_ordinary_wording_is_not_promotional(tmp_path: Path, text: str) -> None:
    """This test ensures that words near the promotional ones, used plainly, pass 'promotional'."""
    path = write(tmp_path / "x.yaml", HEAD + CLEAN_BODY + f"  - heading: More\n    body:\n      - {text}\n")
    assert of_rule(findings(path), "promotional") == []


def test_seed_text_is_flagged_for_promotion() -> None:
    """This test ensures that the seed's last line ("order Baclofen tablets online ... trusted pharmacy")
    is flagged as promotional, at its line and columns."""
    found = of_rule(findings(SEED_TEXT), "promotional")
    assert [(f.severity, f.diagnostic.line, f.diagnostic.column) for f in found] == [
        ("error", 132, 73),
        ("error", 132, 115),
    ]


def test_promotional_phrase_split_across_yaml_lines(tmp_path: Path) -> None:
    """This test ensures that a phrase folded over two YAML lines is found at the line and column where
    it starts."""
    body = CLEAN_BODY + "  - heading: More\n    body:\n      - Ask us. You can order\n        it online.\n"
    found = of_rule(findings(write(tmp_path / "x.yaml", HEAD + body)), "promotional")
    assert [(f.diagnostic.line, f.diagnostic.column) for f in found] == [(22, 25)]


# --- profile ----------------------------------------------------------------------------------

EU_QRD = """\
body:
  - heading: 1. What Calmofen is and what it is used for
    body: [Calmofen is a medicine for pain.]
  - heading: 2. What you need to know before you take Calmofen
    body: [Do not take it if you are pregnant.]
  - heading: 3. How to take Calmofen
    body:
      - Take one tablet a day.
      - warning: If you take more Calmofen than you should
        body: [Call your doctor.]
  - heading: 4. Possible side effects
    body: [You may feel sleepy.]
  - heading: 5. How to store Calmofen
    body: [Keep it dry.]
  - heading: 6. Contents of the pack and other information
    body: [One box holds ten tablets.]
"""

US_MEDGUIDE = """\
body:
  - warning: What is the most important information I should know about Calmofen?
    body: [Too much can stop your breathing. Call 911 if you take too much.]
  - heading: What is Calmofen?
    body: [Calmofen is a medicine for pain.]
  - heading: Who should not take Calmofen?
    body: [Do not take it if you are pregnant.]
  - heading: How should I take Calmofen?
    body: [Take one tablet a day.]
  - heading: What are the possible side effects of Calmofen?
    body: [You may feel sleepy.]
  - heading: How should I store Calmofen?
    body: [Keep it dry.]
  - heading: General information about the safe and effective use of Calmofen
    body: [Ask your doctor.]
"""


@pytest.mark.parametrize(("profile", "body"), [("eu-qrd", EU_QRD), ("us-medguide", US_MEDGUIDE), ("basic", CLEAN_BODY)])
def test_profile_complete(tmp_path: Path, profile: str, body: str) -> None:
    """This test ensures that a monograph with every section its profile requires passes 'profile'."""
    path = write(tmp_path / "x.yaml", HEAD + body)
    assert of_rule(findings(path, profile=profile), "profile") == []


@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_profile_missing_sections(tmp_path: Path, profile: str) -> None:
    """This test ensures that each section a profile requires and the monograph lacks is one warning at
    the title line naming the section."""
    path = write(tmp_path / "x.yaml", HEAD + "body:\n  - warning: Attention\n    body: [Call your doctor.]\n")
    found = of_rule(findings(path, profile=profile), "profile")
    assert [(f.severity, f.diagnostic.line) for f in found] == [("warning", 1)] * len(PROFILES[profile])
    assert [label for label, _ in PROFILES[profile]] == [f.diagnostic.message.split("'")[1] for f in found]


def test_profile_of_another_style_warns(tmp_path: Path) -> None:
    """This test ensures that the basic-style sample lacks five of the six EU QRD sections (and names them)."""
    found = of_rule(findings(CLEAN_YAML, profile="eu-qrd"), "profile")
    assert len(found) == 5  # "How to take Calmofen" is QRD section 3
    assert "How to store" in " ".join(f.diagnostic.message for f in found)


def test_unknown_profile_is_refused() -> None:
    """This test ensures that an unknown profile is an OptionsError naming --profile."""
    with pytest.raises(OptionsError) as caught:
        check_paths([CLEAN_YAML], CheckOptions(profile="nope"))
    assert caught.value.diagnostics[0].path == "--profile"


def test_profile_skips_leaflets_in_other_languages() -> None:
    """This test ensures that the English section profiles do not flag a Greek leaflet's headings as
    missing sections (the profiles have no Greek headings yet)."""
    findings = check_paths([MONOGRAPHS / "greek.yaml"], CheckOptions(profile="basic"))
    assert [finding for finding in findings if finding.rule == "profile"] == []
