"""The PDF as a document: embedded fonts and no base-14 font, an outline that mirrors the sections,
metadata and language, the running header and footer on every page, byte-identical rebuilds and a
structurally sound file."""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys

import pikepdf
import pytest

from leaflet import build_leaflet
from leaflet.layout.labels import labels_for
from tests.layout.support import A4_2, A4_LARGE, ALL_OPTIONS, SOURCES, Options, leaflet, matrix, sources_with

BASE14 = re.compile(rb"/(Helvetica|Times-|Times\b|Courier|Symbol\b|ZapfDingbats)")


@pytest.mark.parametrize(("name", "options"), matrix())
def test_fonts_are_embedded_and_none_is_a_base14_font(name: str, options: Options) -> None:
    """This test ensures that every font the PDF uses is embedded, and that no base-14 font (Helvetica,
    Times, Courier, Symbol, ZapfDingbats) is referenced anywhere: not in a page's or form's font
    resources, not in any object of the file, not in its raw bytes."""
    facts = leaflet(name, options).facts
    assert not facts.unembedded_fonts()
    assert facts.font_names
    base = {font for font in facts.font_names if BASE14.search(b"/" + font.split("+")[-1].encode())}
    assert not base, f"base-14 fonts in the resources: {base}"
    assert b"/Helvetica" not in facts.data
    assert not BASE14.search(facts.data)
    with pikepdf.open(io.BytesIO(facts.data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream) and "/BaseFont" in obj:
                assert not BASE14.search(str(obj.BaseFont).encode()), f"{obj.objgen} is {obj.BaseFont}"
    assert all("+" in c.font for c in leaflet(name, options).chars), "a character drawn in a font not embedded"


@pytest.mark.parametrize(("name", "options"), matrix())
def test_the_outline_mirrors_the_sections(name: str, options: Options) -> None:
    """This test ensures that the PDF outline has one entry per section heading, in order, nested as the
    sections are nested (same depth), each titled with the heading's exact text, and no entry for
    the repeated "(continued)" headings of a split box."""
    doc = leaflet(name, options)
    expected = [(depth, section.heading) for depth, section in doc.sections()]
    assert doc.facts.outline == expected


@pytest.mark.parametrize(("name", "options"), matrix())
def test_metadata_language_and_page_mode(name: str, options: Options) -> None:
    """This test ensures that the document information names the leaflet (/Title is the monograph's
    title, /Subject names the drug), the catalog's /Lang is the monograph's language, and the PDF
    opens with its outline shown."""
    doc = leaflet(name, options)
    info = doc.facts.reader.metadata
    assert info is not None
    assert info.get("/Title") == doc.monograph.title
    assert doc.monograph.meta.drug in str(info.get("/Subject"))
    root = doc.facts.reader.trailer["/Root"]
    assert str(root.get("/Lang")) == doc.monograph.meta.language
    assert root.get("/PageMode") == "/UseOutlines"


@pytest.mark.parametrize(("name", "options"), matrix())
def test_every_page_has_the_running_header_and_footer(name: str, options: Options) -> None:
    """This test ensures that every page carries the drug name in its header (a name too long for the
    line may be cut with an ellipsis after at least half of it), "Page N of M" with its own number and
    the right total in its footer, and "Revised <date>" when the monograph has a date
    (and no "Revised" when it has none), in the leaflet's language."""
    doc = leaflet(name, options)
    total = len(doc.facts.pages)
    assert total == doc.rendered.pages
    middle = doc.page.height / 2
    for number in range(1, total + 1):
        chars = [c for c in doc.running_chars if c.page == number]
        header = "".join(c.text for c in chars if c.top < middle and not c.text.isspace())
        footer = "".join(c.text for c in chars if c.top > middle and not c.text.isspace())
        assert names_the_drug(header, doc.monograph.meta.drug), f"page {number} header: {header!r}"
        labels = labels_for(doc.monograph.meta.language)
        page_label = "".join((labels.page.format(page=number) + str(total)).split())
        assert page_label in footer, f"page {number} footer: {footer!r}"
        revised = doc.monograph.meta.revised
        revised_word = "".join(labels.revised.format(date="").split())
        if revised:
            assert "".join(labels.revised.format(date=revised).split()) in footer, f"page {number} footer: {footer!r}"
        else:
            assert revised_word not in footer


def names_the_drug(header: str, drug: str) -> bool:
    """Whether ``header`` (without white space) has the drug name whole, or, for a name too long for
    the line, at least its first half cut with an ellipsis."""
    name = "".join(drug.split())
    if name in header:
        return True
    if "\u2026" not in header:
        return False
    cut = header.split("\u2026")[0]
    return any(cut.endswith(name[:length].rstrip(",;:")) for length in range(len(name) // 2, len(name)))


@pytest.mark.parametrize(("name", "options"), sources_with(A4_2) + sources_with(ALL_OPTIONS[1], ["sample"]))
def test_rebuilding_gives_byte_identical_pdfs(name: str, options: Options) -> None:
    """This test ensures that building the same monograph with the same options again, later in the
    session and after other leaflets were built, gives exactly the same bytes."""
    doc = leaflet(name, options)
    again = build_leaflet(doc.monograph, options.build_options())
    assert again.pdf == doc.facts.data
    assert again.placements == doc.rendered.placements


@pytest.mark.parametrize("name", ["sample", "long_warning.yaml", "greek.yaml"])
def test_rebuilding_is_byte_identical_across_option_sets(name: str) -> None:
    """This test ensures that for every option set in turn (papers, columns, large print, interleaved)
    two builds of the same monograph give the same bytes, and different option sets different ones."""
    monograph = leaflet(name, A4_2).monograph
    first = [build_leaflet(monograph, options.build_options()).pdf for options in ALL_OPTIONS]
    second = [build_leaflet(monograph, options.build_options()).pdf for options in reversed(ALL_OPTIONS)]
    assert first == list(reversed(second))
    assert len(set(first)) == len(ALL_OPTIONS)


def test_a_fresh_process_with_another_hash_seed_builds_the_same_bytes() -> None:
    """This test ensures that the bytes do not depend on the process: a new Python process with a
    different hash seed (so a different order of any set or dict keyed by strings) builds the sample
    and the Greek leaflet in large print into exactly the bytes this process built."""
    script = (
        "import sys, hashlib; from leaflet import BuildOptions, build_leaflet, load_monograph\n"
        "for path in sys.argv[1:]:\n"
        "    print(hashlib.sha256(build_leaflet(load_monograph(path), BuildOptions(large_print=True)).pdf).hexdigest())"
    )
    names = ["sample", "greek.yaml"]
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", script, *(str(SOURCES[name]) for name in names)],
        capture_output=True, text=True, env=environment, check=True, timeout=120,
    )  # fmt: skip
    expected = [hashlib.sha256(leaflet(name, A4_LARGE).facts.data).hexdigest() for name in names]
    assert result.stdout.split() == expected


def pdf_problems(data: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        check = getattr(pdf, "check_pdf_syntax", None) or pdf.check
        return [str(problem) for problem in check()]


@pytest.mark.parametrize(("name", "options"), matrix())
def test_pikepdf_finds_the_pdf_structurally_sound(name: str, options: Options) -> None:
    """This test ensures that qpdf (through pikepdf) opens every produced PDF and its syntax check
    reports no problem."""
    assert pdf_problems(leaflet(name, options).facts.data) == []


def test_every_source_is_covered() -> None:
    """This test ensures that the layout tests run over the sample, the seed and at least a dozen
    stress monographs, YAML and plain text."""
    names = list(SOURCES)
    assert names[:2] == ["sample", "seed"]
    assert len(names) >= 14
    assert {path.suffix for path in SOURCES.values()} == {".yaml", ".txt"}


@pytest.mark.parametrize(("name", "options"), matrix())
def test_the_footer_is_set_in_one_face(name: str, options: Options) -> None:
    """This test ensures that every character of the running footer ("Page N of M", "Revised <date>") is in
    the same face, so that the page total is not set differently from the words around it, whatever
    the header above it did (for instance when a long drug name leaves no room for its label)."""
    doc = leaflet(name, options)
    middle = doc.page.height / 2
    for number in range(1, doc.rendered.pages + 1):
        faces = {c.font.split("+")[-1] for c in doc.running_chars if c.page == number and c.top > middle}
        faces.discard("")
        assert len(faces) == 1, f"page {number}: the footer mixes {sorted(faces)}"
