"""Leaflet's own words in the leaflet's language (issue 11, part 5): the running header, the line under
the title and the page numbers of a leaflet in each of the EU's 24 languages and the others listed, read
back from the PDF, with the document's /Lang."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from leaflet import build_leaflet, load_monograph
from leaflet.layout.label_texts import LABEL_TEXTS
from leaflet.layout.labels import labels_for
from leaflet.text.scripts import is_rtl, needs_shaping

EU_LANGUAGES = [
    "bg",
    "cs",
    "da",
    "de",
    "el",
    "en",
    "es",
    "et",
    "fi",
    "fr",
    "ga",
    "hr",
    "hu",
    "it",
    "lt",
    "lv",
    "mt",
    "nl",
    "pl",
    "pt",
    "ro",
    "sk",
    "sl",
    "sv",
]


def _monograph(language: str, folder):  # type: ignore[no-untyped-def]
    text = (
        f"title: Calmofen\nlanguage: {language}\nrevised: '2026-12-01'\nbody:\n"
        "  - Calmofen 10 mg.\n  - warning: Overdose\n    body:\n      - Call 112.\n"
    )
    path = folder / f"{language}.yaml"
    path.write_text(text, encoding="utf-8")
    return load_monograph(path)


def test_every_eu_language_has_labels() -> None:
    """This test ensures that each of the EU's 24 official languages has its own labels."""
    assert set(EU_LANGUAGES) <= set(LABEL_TEXTS)
    assert len({texts[0] for texts in LABEL_TEXTS.values()}) > 20  # translated, not copied


@pytest.mark.parametrize("language", sorted(LABEL_TEXTS))
def test_labels_are_printed_in_the_leaflets_language(language: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """This test ensures that a leaflet prints its header label, title line, page number and revision date
    in its own language, each with its fields filled, and states the language in /Lang."""
    rendered = build_leaflet(_monograph(language, tmp_path))
    reader = PdfReader(io.BytesIO(rendered.pdf))
    header, subtitle, page, revised, *_ = LABEL_TEXTS[language]
    if needs_shaping(header):  # shaped glyphs read back through /ActualText, which poppler honours and pypdf not
        text = re.sub(r"\s+", " ", _pdftotext_first_page(rendered.pdf, tmp_path))
    else:
        text = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    for expected in (header, subtitle, page.format(page=1).strip(), revised.format(date="2026-12-01")):
        if is_rtl(language):  # poppler places signs and spaces around numbers by its own rules: the words
            assert _words(expected) in _words(text), (language, expected)
        else:
            assert re.sub(r"\s+", " ", expected) in text, (language, expected)
    assert reader.trailer["/Root"]["/Lang"] == language


def _words(text: str) -> str:
    """The words and numbers of ``text`` in order (a number apart from a word it touches), one space apart."""
    return " ".join(re.findall(r"\d+|[^\W\d_]+", unicodedata.normalize("NFC", text.replace("\u200c", ""))))


def _pdftotext_first_page(pdf: bytes, folder) -> str:  # type: ignore[no-untyped-def]
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed")
    path = folder / "labels.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-l", "1", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub("[\u202a-\u202e]", "", text)  # poppler's embedding marks around right-to-left lines


def test_regional_tags_take_their_language_and_unknown_ones_english() -> None:
    """This test ensures that a regional tag (pt-BR, de-AT) gets its language's labels and a language
    without a table gets English ones."""
    assert labels_for("pt-BR") == labels_for("pt") and labels_for("de-AT") == labels_for("de")
    assert labels_for("xx") == labels_for("en")
