"""Line breaking and hyphenation (issue 11, part 4), checked on the PDF: where lines end, what is drawn
there, and what readers (pypdf in content-stream order, poppler's pdftotext) give back."""

from __future__ import annotations

import io
import itertools
import json
import re
import shutil
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pypdf
import pytest
from reportlab.platypus.paraparser import ParaFrag

from leaflet import BuildOptions, build_leaflet, load_monograph
from leaflet.jobs.library import build_identity
from leaflet.options import options_from_record
from leaflet.text.fonts import register_fonts
from leaflet.text.hyphenation import MAX_IN_A_ROW, Hyphenator, dictionary_for
from leaflet.text.line_breaking import break_paragraph
from leaflet.text.paragraph_lines import gather_lines
from leaflet.text.shaping import break_lines as shaping_break_lines
from tests.conftest import MONOGRAPHS

SOFT_HYPHEN = "\u00ad"

GERMAN = (
    "Die Arzneimittelunverträglichkeit zeigt sich bei Nierenfunktionsstörungen häufiger, weshalb eine "
    "Dosierungsanpassung während der Langzeitbehandlung notwendig ist. Informieren Sie Ihren Arzt über "
    "Überempfindlichkeitsreaktionen, Blutgerinnungsstörungen und Leberfunktionsstörungen, bevor Sie mit der "
    "Einnahme beginnen. Die Nebenwirkungswahrscheinlichkeit steigt mit der Behandlungsdauer, insbesondere "
    "bei gleichzeitiger Anwendung von Schmerzmitteln, Entzündungshemmern und Blutverdünnungsmitteln. "
    "Bewahren Sie die Tabletten in der Originalverpackung auf, um den Inhalt vor Feuchtigkeit zu schützen."
)
DUTCH = (
    "Neem contact op met uw arts als u last krijgt van overgevoeligheidsreacties, nierfunctiestoornissen of "
    "bloedstollingsstoornissen. De geneesmiddeleninteracties met ontstekingsremmende pijnstillers zijn "
    "uitgebreid onderzocht. Bewaar dit geneesmiddel buiten het zicht en bereik van kinderen en gebruik het "
    "niet meer na de uiterste houdbaarheidsdatum die staat vermeld op de verpakking. Vertel het uw arts "
    "als u geneesmiddelen gebruikt tegen hartritmestoornissen, bloedvatvernauwingen of "
    "schildklieraandoeningen, of als u zwangerschapsvoorbereidingen treft. Ziekenhuisopnamen door "
    "bijwerkingen kwamen voor bij patiënten met leverfunctiestoornissen en stofwisselingsziekten."
)
NUMBERS_AND_ADDRESSES = (
    "Take 1250 mg twice daily or 2500000 units once, as told by www.ema.europa.eu/documents/overview/"
    "arzneimittelinformationen-zusammenfassung.html and pharmakovigilanz.meldungen@bfarm-example.de within "
    "24 hours; the reference number 123456789012345 stays whole."
)


def monograph_file(tmp_path: Path, language: str, *paragraphs: str) -> Path:
    body = "\n".join(f"  - {paragraph!r}".replace("'", '"', 1)[:-1] + '"' for paragraph in paragraphs)
    path = tmp_path / f"leaflet-{language}.yaml"
    path.write_text(
        f"title: Testmittel 500 mg\ndrug: Testmittel\nlanguage: {language}\nrevised: '2025-01-01'\n"
        f"source: Synthetic text for layout tests; not medical advice\nbody:\n{body}\n",
        encoding="utf-8",
    )
    return path


def built(tmp_path: Path, language: str, *paragraphs: str, **options: object) -> bytes:
    return build_leaflet(load_monograph(monograph_file(tmp_path, language, *paragraphs)), BuildOptions(**options)).pdf  # type: ignore[arg-type]


def stream_lines(pdf: bytes) -> list[str]:
    """The lines of text in content-stream order (pypdf), white space at their ends removed."""
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    return [line.strip() for line in text.splitlines() if line.strip()]


def divided_words(lines: list[str]) -> list[str]:
    """The words divided at a line end (the line ends with a soft hyphen), joined again."""
    words = []
    for line, following in itertools.pairwise(lines):
        if line.endswith(SOFT_HYPHEN):
            words.append(line.split()[-1].rstrip(SOFT_HYPHEN) + following.split()[0])
    return words


@pytest.mark.parametrize(("language", "text"), [("de", GERMAN), ("nl", DUTCH)], ids=["de", "nl"])
def test_long_compounds_are_hyphenated_in_a_narrow_column(tmp_path: Path, language: str, text: str) -> None:
    """This test ensures that a German or Dutch paragraph in a two-column A4 leaflet gets words divided at
    line ends, each division drawn as a soft hyphen (U+00AD, which the PDF Reference asks for), that
    every divided word is one of the source's words of letters, 6 letters at least, and that no more
    than two lines in a row end with a hyphen."""
    pdf = built(tmp_path, language, text)
    lines = stream_lines(pdf)
    words = divided_words(lines)
    assert len(words) >= 3, lines
    source_words = set(re.findall(r"\w+", text))
    for word in words:
        clean = word.strip(".,;")
        assert clean in source_words and clean.isalpha() and len(clean) >= 6, word
    run = longest = 0
    for line in lines:
        run = run + 1 if line.endswith((SOFT_HYPHEN, "-")) else 0
        longest = max(longest, run)
    assert longest <= MAX_IN_A_ROW


def test_every_source_word_reads_back_whole_once_divisions_are_joined(tmp_path: Path) -> None:
    """This test ensures that the text in content-stream order, a soft hyphen and the line break after it
    removed, holds the paragraph word for word: the hyphen a division adds is never read as a letter."""
    pdf = built(tmp_path, "de", GERMAN)
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    joined = re.sub(SOFT_HYPHEN + r"\s*", "", text)
    assert " ".join(GERMAN.split()) in " ".join(joined.split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_what_pdftotext_reads_at_a_division(tmp_path: Path) -> None:
    """This test ensures (and documents) what poppler's pdftotext gives back where a word was divided: the
    head with a soft hyphen at the end of its line and the tail on the next, in both modes; a reader
    that joins a line ending with U+00AD to the next gets every word whole. (pdftotext joins a line
    ending with "-" itself, but would also join "long-term" into "longterm": a hyphen of the text is
    never where the layout ends a line, unless the word is wider than the column.)"""
    path = tmp_path / "de.pdf"
    path.write_bytes(built(tmp_path, "de", GERMAN))
    for mode in (["-raw"], []):
        text = subprocess.run(["pdftotext", *mode, str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert re.search(r"\w" + SOFT_HYPHEN + r"\n\w", text), mode
        assert " ".join(GERMAN.split()) in " ".join(re.sub(SOFT_HYPHEN + r"\n", "", text).split())


def test_numbers_doses_urls_and_addresses_are_never_hyphenated(tmp_path: Path) -> None:
    """This test ensures that a number, a dose bound to its unit, a URL and an e-mail address are never
    divided with a hyphen; an address too long for the column breaks after / . ? & = or @ with nothing
    added, and reads back whole when its lines are joined."""
    pdf = built(tmp_path, "de", NUMBERS_AND_ADDRESSES, columns=2)
    lines = stream_lines(pdf)
    for line, following in itertools.pairwise(lines):
        if line.endswith(SOFT_HYPHEN):
            assert not re.search(r"\d", line.split()[-1] + following.split()[0]), (line, following)
    text = "\n".join(lines)
    url = "www.ema.europa.eu/documents/overview/arzneimittelinformationen-zusammenfassung.html"
    assert url in re.sub(r"(?<=[/.?&=@])\n", "", text)
    broken = [line for line in lines if re.search(r"[/.?&=@]$", line) and "www" in "".join(lines)]
    assert broken, "the address was expected to break at a slash or dot"
    assert "1250\u00a0mg" in text.replace(" ", "\u00a0") or "1250 mg" in text
    assert "123456789012345" in text


def test_a_zero_width_space_is_a_break_without_a_hyphen(tmp_path: Path) -> None:
    """This test ensures that a long word with zero-width spaces (U+200B) inside breaks at one of them
    without a hyphen, and that the zero-width space itself is never drawn."""
    word = "\u200b".join(["Natriumhydrogencarbonat", "Magnesiumhydroxid", "Calciumcarbonat", "Aluminiumoxid"])
    pdf = built(tmp_path, "fi", f"Die Tablette enthält {word} als Hilfsstoffe.")  # no dictionary: only ZWSP
    lines = stream_lines(pdf)
    text = "\n".join(lines)
    assert "\u200b" not in text
    ends = [line.split()[-1] for line in lines]
    assert any(end in ("Natriumhydrogencarbonat", "Magnesiumhydroxid", "Calciumcarbonat") for end in ends), lines
    assert SOFT_HYPHEN not in text and not any(line.endswith("-") for line in lines)


def test_a_soft_hyphen_in_the_text_is_where_its_word_divides(tmp_path: Path) -> None:
    """This test ensures that a word carrying soft hyphens divides only at one of them (the author's
    choice is preferred to the dictionary's), drawn as a hyphen only there."""
    word = "Arzneimittel\u00adunverträglichkeits\u00adreaktionen"
    pdf = built(tmp_path, "de", f"Bei einer bekannten {word} sprechen Sie mit Ihrem Arzt.")
    lines = stream_lines(pdf)
    heads = [line.split()[-1] for line in lines if line.endswith(SOFT_HYPHEN)]
    assert heads and all(head in ("Arzneimittel\u00ad", "Arzneimittelunverträglichkeits\u00ad") for head in heads)


@pytest.mark.parametrize(
    "options",
    [{"hyphenate": False}, {"large_print": True}],
    ids=["no-hyphenation", "large-print"],
)
def test_hyphenation_can_be_turned_off_and_large_print_never_hyphenates(tmp_path: Path, options: dict) -> None:
    """This test ensures that --no-hyphenation (BuildOptions.hyphenate=False) and large print (RNIB Clear
    Print: no words split at line ends) leave every word whole."""
    lines = stream_lines(built(tmp_path, "de", GERMAN, **options))
    assert not any(line.endswith((SOFT_HYPHEN, "-")) for line in lines)


def test_languages_without_a_dictionary_and_cjk_are_not_hyphenated() -> None:
    """This test ensures the language tag chooses the dictionary (a region's own where it differs) and
    that Finnish, Irish, Maltese, Chinese, Japanese and the shaped scripts' languages get none."""
    assert dictionary_for("de") == "de_DE" and dictionary_for("de-AT") == "de_AT"
    assert dictionary_for("pt-BR") == "pt_BR" and dictionary_for("pt") == "pt_PT"
    assert dictionary_for("en-GB") == "en_GB" and dictionary_for("nb") == "nb_NO"
    for language in ("fi", "ga", "mt", "zh-Hans", "ja", "ko", "ar", "he", "hi", "bn", "tr", "vi", "ht"):
        assert dictionary_for(language) is None, language


def test_the_hyphenation_option_is_part_of_the_build_key() -> None:
    """This test ensures that a library built with and without hyphenation is rebuilt when the option
    changes, and that a state file's record of it is read back."""
    assert build_identity(BuildOptions()) != build_identity(BuildOptions(hyphenate=False))
    record = json.loads(json.dumps(asdict(BuildOptions(hyphenate=False))))  # as a state file holds it
    assert options_from_record(record) == BuildOptions(hyphenate=False)
    assert options_from_record({**record, "hyphenate": "no"}) is None


def test_hyphenated_builds_are_deterministic(tmp_path: Path) -> None:
    """This test ensures that the same German leaflet built twice gives the same bytes."""
    assert built(tmp_path, "de", GERMAN, DUTCH) == built(tmp_path, "de", GERMAN, DUTCH)


def test_greek_words_are_hyphenated_too(tmp_path: Path) -> None:
    """This test ensures that hyphenation is not limited to Latin letters (reportlab's own hook knows
    no Greek): the Greek stress monograph gets divided words, each a word of the source."""
    pdf = build_leaflet(load_monograph(MONOGRAPHS / "greek.yaml"), BuildOptions()).pdf
    words = divided_words(stream_lines(pdf))
    assert words
    source = (MONOGRAPHS / "greek.yaml").read_text(encoding="utf-8")
    assert all(word.strip(".,;:") in source for word in words)


def frags(text: str) -> list[ParaFrag]:
    family = register_fonts()
    frag = ParaFrag()
    frag.text, frag.fontName, frag.fontSize = text, family.regular, 9
    frag.textColor, frag.rise, frag.bold, frag.italic, frag.link, frag.us_lines = None, 0, 0, 0, [], []
    return [frag]


def line_text(line: object) -> str:
    """The text drawn on a line of a paragraph of one fragment (reportlab's kind 0: space left, words)."""
    return " ".join(line[1])  # type: ignore[index]


def test_never_more_than_two_hyphenated_lines_in_a_row() -> None:
    """This test ensures, on a column so narrow that almost every line could end in a division, that no
    third line in a row ends with a hyphen, and that the lines given back as fragments are the text."""
    text = " ".join(["Überempfindlichkeitsreaktionen Nierenfunktionsstörungen Blutgerinnungsstörungen"] * 8)
    lines = break_paragraph(frags(text), [70.0], Hyphenator("de_DE"))
    ends = [line_text(line).endswith(SOFT_HYPHEN) for line in lines.lines]
    assert sum(ends) >= 6
    assert not any(all(ends[index : index + MAX_IN_A_ROW + 1]) for index in range(len(ends) - MAX_IN_A_ROW))
    assert "".join(frag.text for frag in gather_lines(lines, 0, len(lines.lines))) == text
    for line in lines.lines:
        assert line[0] >= -1e-6  # every line inside its width (the space left on it)


def test_the_last_word_of_a_paragraph_is_not_divided() -> None:
    """This test ensures that a paragraph's last word goes to the next line whole rather than leave a
    piece of a word alone on the last line (the same word followed by another is divided), and that a
    last word wider than the line is still divided where the dictionary allows."""

    def lines(text: str, width: float) -> list[str]:
        broken = break_paragraph(frags(text), [width], Hyphenator("de_DE"))
        return [line_text(line) for line in broken.lines]

    text = "Bitte sprechen Sie mit Ihrem Arzt über Nierenfunktionsstörungen"
    assert lines(text, 120)[-1] == "Nierenfunktionsstörungen"
    assert lines(text + " heute.", 120)[-2].endswith(SOFT_HYPHEN)
    assert lines(text, 100)[-2].endswith(SOFT_HYPHEN)


@pytest.mark.parametrize(
    ("language", "options", "opened"),
    [("fi", "", 0), ("de", ", hyphenate=False", 0), ("de", "", 1)],
    ids=["no-dictionary", "turned-off", "german"],
)
def test_a_dictionary_is_opened_only_when_a_word_needs_it(
    tmp_path: Path, language: str, options: str, opened: int
) -> None:
    """This test ensures that a hyphenation dictionary is opened only by a build that asks it where a word
    may divide: not by a language without one, nor with hyphenation off. (The pyphen module itself is
    imported by reportlab's paragraph module whenever it is installed, about 3 ms.)"""
    source = monograph_file(tmp_path, language, GERMAN)
    script = (
        "from leaflet import BuildOptions, build_leaflet, load_monograph\n"
        "from leaflet.text.hyphenation import _dictionary\n"
        f"build_leaflet(load_monograph({str(source)!r}), BuildOptions(columns=2{options}))\n"
        "print(_dictionary.cache_info().currsize)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == str(opened)


def test_an_address_in_a_shaped_paragraph_breaks_after_its_slashes_and_dots() -> None:
    """This test ensures that the shaped paragraphs' line breaker (Arabic, Hebrew, Devanagari, Bengali)
    also breaks a URL too long for the line after / . ? & = @, never inside a path segment, with no
    character lost or added."""
    url = "https://www.ema.europa.eu/en/medicines/human/EPAR/medicine-overview?lang=ar&section=summary"
    text = f"راجع الموقع {url} للمزيد من المعلومات"
    lines = shaping_break_lines(text, [5.0] * len(text), 120.0, 0)
    start = text.index(url)
    ends = [end for _, end in lines if start < end < start + len(url)]
    assert ends and all(text[end - 1] in "/.?&=@" for end in ends)
    assert "".join(text[a:b] for a, b in lines).replace(" ", "") == text.replace(" ", "")


def test_the_command_line_turns_hyphenation_off(tmp_path: Path) -> None:
    """This test ensures that `leaflet build --no-hyphenation` builds the leaflet with every word whole,
    and that without it the same German leaflet has divided words."""
    from leaflet.cli.main import main

    source = monograph_file(tmp_path, "de", GERMAN)
    assert main(["build", str(source), "-o", str(tmp_path / "off.pdf"), "--no-hyphenation", "-q"]) == 0
    assert main(["build", str(source), "-o", str(tmp_path / "on.pdf"), "-q"]) == 0
    assert not divided_words(stream_lines((tmp_path / "off.pdf").read_bytes()))
    assert divided_words(stream_lines((tmp_path / "on.pdf").read_bytes()))


@pytest.mark.parametrize(
    ("dictionary", "text"),
    [
        ("de_DE", GERMAN),
        ("nl_NL", DUTCH),
        ("en_US", (MONOGRAPHS / "baclofen.txt").read_text(encoding="utf-8")),
        ("el_GR", (MONOGRAPHS / "greek.yaml").read_text(encoding="utf-8")),
        ("ru_RU", (MONOGRAPHS / "russian.yaml").read_text(encoding="utf-8")),
        ("hu_HU", "gyerekekkel megszentségteleníthetetlenségeskedéseitekért összefüggésben"),
    ],
)
def test_patterns_read_here_divide_words_as_pyphen_does(dictionary: str, text: str) -> None:
    """This test ensures that leaflet's reading of pyphen's dictionaries (parsed pattern by pattern on
    use, not all at once) gives pyphen's own places for every word, Hungarian's non-standard patterns
    included."""
    import pyphen

    from leaflet.text.hyphenation import Patterns

    patterns = Patterns(Path(str(pyphen.LANGUAGES[dictionary])))
    reference = pyphen.Pyphen(lang=dictionary, left=1, right=1)
    for word in {w.lower() for w in re.findall(r"[^\W\d_]+", text) if len(w) >= 4}:
        assert [p for p in patterns.positions(word) if 1 <= p <= len(word) - 1] == [
            int(p) for p in reference.positions(word)
        ], word
