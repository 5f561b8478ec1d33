"""The text of the leaflet: all of it, in reading order, exactly as written, never as markup, in
every script the monographs use."""

from __future__ import annotations

import io
import re
import unicodedata

import pikepdf
import pypdf
import pytest

from tests.conftest import SEED_TEXT
from tests.layout.support import ALL_OPTIONS, CORE_OPTIONS, Options, key, leaflet, matrix
from tests.pdf_facts import Char
from tests.structured_text import SOFT_HYPHEN_BREAK


@pytest.mark.parametrize(("name", "options"), matrix())
def test_every_piece_of_text_is_found_in_reading_order(name: str, options: Options) -> None:
    """This test ensures that every title, heading, paragraph, lead-in and list item of the monograph is
    found in the PDF, each after the one before it (a moving start), with nothing lost at column,
    page or box breaks."""
    doc = leaflet(name, options)
    wanted = [piece for piece in doc.pieces() if key(piece.text)]
    assert len(doc.located) == len(wanted)  # ``located`` fails the test naming the first piece missing


@pytest.mark.parametrize(("name", "options"), matrix())
def test_every_piece_is_drawn_character_for_character(name: str, options: Options) -> None:
    """This test ensures that each piece of text is drawn with exactly its own characters (accents,
    punctuation, symbols and all; only white space may differ), nothing added, dropped or replaced."""
    doc = leaflet(name, options)
    wrong = []
    for item in doc.located:
        expected = "".join(unicodedata.normalize("NFC", item.piece.text).split())
        drawn = "".join(item.text.split())
        if drawn != expected:
            wrong.append(f"line {item.piece.line}: drew {drawn[:60]!r}, expected {expected[:60]!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(("name", "options"), matrix())
def test_pieces_follow_each_other_down_the_columns_and_pages(name: str, options: Options) -> None:
    """This test ensures that the reading order is also the order on the page: each piece of text starts
    below where the one before it ended, in the same column, or in a later column of the same page,
    or on a later page (so a reader going down column 1, then column 2, then the next page reads
    the monograph in order)."""
    doc = leaflet(name, options)

    def place(char: Char) -> tuple[int, int, float]:
        return char.page, doc.column_of(char.x0), char.top

    previous = None
    for item in doc.located:
        chars = [c for c in item.chars if not c.text.isspace()]
        first, last = place(chars[0]), place(chars[-1])
        if previous is not None:
            assert first[:2] > previous[:2] or (first[:2] == previous[:2] and first[2] > previous[2] + 1), (
                f"{item.piece.kind} on line {item.piece.line} starts at (page, column, top) {first}, "
                f"before the end of the text before it at {previous}"
            )
        previous = (last[0], -1, last[2]) if item.piece.kind == "title" else last  # the title spans the columns


def seed_sentences() -> list[str]:
    sentences = []
    for line in SEED_TEXT.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and line not in ("-", "*", "\u2022"):
            line = re.sub(r"^[-*\u2022]\s+", "", line)
            sentences.extend(part for part in re.split(r"(?<=[.!?])\s+", line) if key(part))
    return sentences


@pytest.mark.parametrize("options", ALL_OPTIONS, ids=lambda o: o.name)
@pytest.mark.parametrize("name", ["seed", "sample"])
def test_every_sentence_of_the_seed_is_present(name: str, options: Options) -> None:
    """This test ensures that every sentence (and heading and list item) of the plain-text seed,
    tests/fixtures/monographs/baclofen.txt, is printed in the leaflet built from it and in the
    hand-structured sample, in the seed's order."""
    doc = leaflet(name, options)
    sentences = seed_sentences()
    assert len(sentences) > 80
    position = 0
    for sentence in sentences:
        at, _ = doc.find(sentence, position)
        assert at >= 0, f"not found after position {position}: {sentence!r}"
        position = at


MARKUP = [
    "<b>bold?</b>",
    "</para>",
    '<img src="/etc/passwd"/>',
    '<font color="red">',
    "&nbsp;",
    "AT&T",
    "&amp;",
    "<br/>",
]
MARKUP_YAML_ONLY = [
    "</para><para>",
    "&lt;b&gt;",
    "&#169;",
    "&#x41;",
    "&bull;",
    "R&D",
    "<![CDATA[ <b>x</b> ]]>",
    "<!-- hidden? -->",
    '<a href="javascript:alert(1)">a link</a>',
    "<super>2</super>",
    "5 < 10 > 3",
    "*stars*",
]


def drawn_text(name: str, options: Options) -> str:
    """Every character the PDF draws, in order, without white space."""
    return "".join(char.text for char in leaflet(name, options).chars if not char.text.isspace())


def squeeze(text: str) -> str:
    """``text`` without white space, and a word divided at a line end (soft hyphen) joined again."""
    return "".join(SOFT_HYPHEN_BREAK.sub("", text).split())


@pytest.mark.parametrize("options", CORE_OPTIONS, ids=lambda o: o.name)
@pytest.mark.parametrize("name", ["markup.yaml", "markup.txt"])
def test_markup_in_content_is_printed_literally(name: str, options: Options) -> None:
    """This test ensures that text looking like reportlab markup or XML entities (``<b>``, ``</para>``,
    ``<img src=...>``, ``<font color=...>``, ``&nbsp;``, ``AT&T``, ``&amp;``, ``<br/>``) is printed
    character for character and changes nothing about the text around it."""
    drawn = drawn_text(name, options)
    wanted = MARKUP + (MARKUP_YAML_ONLY if name.endswith(".yaml") else [])
    missing = [text for text in wanted if squeeze(text) not in drawn]
    assert not missing, f"not printed literally: {missing}"
    assert "AT&T;" not in drawn, "an entity was 'completed' by a markup parser"
    doc = leaflet(name, options)
    bold_text = [c.text for item in doc.located_kind("paragraph", "item") for c in item.chars if "Bold" in c.font]
    if name == "markup.txt":  # plain text has no emphasis: '<b>' must not have made anything bold
        assert not bold_text


@pytest.mark.parametrize("options", CORE_OPTIONS, ids=lambda o: o.name)
@pytest.mark.parametrize("name", ["markup.yaml", "markup.txt"])
def test_markup_reads_no_files_into_the_pdf(name: str, options: Options) -> None:
    """This test ensures that an ``<img src="/etc/passwd"/>`` in the content never makes the build read
    that file: the PDF holds no image XObject at all, and no stream holds the file's lines."""
    pdf = pikepdf.open(io.BytesIO(leaflet(name, options).facts.data))
    images = []
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            if obj.get("/Subtype") == pikepdf.Name.Image:
                images.append(obj.objgen)
            data = obj.read_bytes()
            assert b"root:x:0:0" not in data and b"/bin/bash" not in data
    assert not images, f"image XObjects in the PDF: {images}"


SCRIPTS = {"greek.yaml": "GREEK", "russian.yaml": "CYRILLIC"}


@pytest.mark.parametrize("options", CORE_OPTIONS, ids=lambda o: o.name)
@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_greek_and_cyrillic_come_back_as_the_same_characters(name: str, options: Options) -> None:
    """This test ensures that Greek and Cyrillic text (headings in capitals with final sigma, accented
    letters) is drawn with embedded fonts as the same characters: every word of the monograph is in
    the text a PDF reader extracts, and no letter of the script is missing from it."""
    doc = leaflet(name, options)
    extracted = unicodedata.normalize("NFC", doc.facts.text)
    # words are looked up in content-stream order (pypdf): pdfplumber's layout text interleaves the two
    # columns, so a word divided at a column's line end could not be joined again
    in_stream = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(doc.rendered.pdf)).pages)
    squeezed = squeeze(unicodedata.normalize("NFC", in_stream))
    script = SCRIPTS[name]
    source_letters = set()
    for piece in doc.pieces():
        text = unicodedata.normalize("NFC", piece.text)
        source_letters.update(c for c in text if script in unicodedata.name(c, ""))
        for word in text.split():
            assert word in squeezed, f"{word!r} (line {piece.line}) not in the extracted text"
    assert len(source_letters) > 30
    assert source_letters <= set(extracted)
    fonts = {c.font for c in doc.chars if script in unicodedata.name(c.text[:1], "")}
    assert fonts and all("+" in font for font in fonts), f"not embedded subsets: {fonts}"
    assert not doc.facts.unembedded_fonts()


@pytest.mark.parametrize(("name", "options"), matrix())
def test_every_drawn_character_has_a_glyph(name: str, options: Options) -> None:
    """This test ensures that every character the PDF draws, including leaflet's own words and signs
    (bullets, "Continued", the running header and footer), has a glyph in the embedded font: none is
    drawn as the font's empty .notdef glyph (extracted as U+0000 or U+FFFD, zero width)."""
    doc = leaflet(name, options)
    blank = [
        (c.page, round(c.x0), round(c.top), repr(c.text))
        for c in doc.chars
        if c.text in ("\x00", "\ufffd", "") or (not c.text.isspace() and c.x1 - c.x0 <= 0.01)
    ]
    assert not blank, f"characters drawn without a glyph (page, x, top, text): {blank[:10]}"
