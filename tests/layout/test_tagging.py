"""Tagged PDF (issue 13, parts 1 and 3): the structure tree read back from outside (pikepdf for the tree,
pdfminer for the characters of each marked-content sequence, poppler's ``pdfinfo -struct-text``, the
``pdfua`` checker) against the monograph's own text, in order; tables, lists, figures, notices and the
warning box as their own elements; everything else an artifact."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pdfua
import pikepdf
import pytest

from leaflet import BuildOptions, build_leaflet, load_monograph
from leaflet.layout.story import leading_notices
from leaflet.model import Block, Monograph, Section, TextAt, iter_text
from tests.conftest import FIXTURES, MONOGRAPHS, SAMPLE
from tests.layout.scripts_support import TEXTS, monograph_path
from tests.samples import SHARED_SAMPLES
from tests.structure_tree import Leaf, StructureTree, squeeze

PEN = FIXTURES / "blocks" / "pen.yaml"
"""Every block: nested numbered and bulleted lists, tables over pages with spans, figures, both notices."""
LEAFLETS = {
    "sample-a4-2col": (SAMPLE, BuildOptions()),
    "sample-large-print": (SAMPLE, BuildOptions(large_print=True)),
    "sample-letter-1col": (SAMPLE, BuildOptions(paper="letter", columns=1)),
    "every-block": (PEN, BuildOptions()),
    "long-warning-2col": (MONOGRAPHS / "long_warning.yaml", BuildOptions()),
    "many-sections": (MONOGRAPHS / "many_sections.yaml", BuildOptions()),
    "nested-warning": (MONOGRAPHS / "nested_warning.yaml", BuildOptions()),
    "greek": (MONOGRAPHS / "greek.yaml", BuildOptions()),
}
ROLE_OF_KIND = {
    "title": {"H1"},
    "heading": {"H2", "H3", "H4", "H5", "H6"},
    "paragraph": {"P"},
    "lead": {"P"},
    "item": {"LBody"},
    "caption": {"Caption"},
    "cell": {"TD", "TH"},
    "notice": {"P"},
}
CJK = "ja.yaml"
SENTENCE = "Take the tablets with water at the same time every day, and do not stop without asking your doctor. "
_built: dict[str, tuple[Monograph, bytes]] = {}


def split_blocks_source() -> Path:
    """A paragraph and a warning box each longer than a column, a list between them: parts over columns
    and pages."""
    path = Path(tempfile.mkdtemp(prefix="leaflet-tagging-")) / "split.yaml"
    items = "".join(f"      - Item {number} - {SENTENCE}\n" for number in range(1, 9))
    path.write_text(
        f"title: Splitamol\nlanguage: en\nrevised: 2026-12-01\nbody:\n  - '{SENTENCE * 60}'\n"
        f"  - lead: 'Before you take it:'\n    list:\n{items}"
        f"  - warning: If you take more than you should\n    body:\n      - '{SENTENCE * 50}'\n"
        f"      - '{SENTENCE * 20}'\n",
        encoding="utf-8",
    )
    return path


def built(name: str) -> tuple[Monograph, bytes]:
    if name not in _built:
        source, options = LEAFLETS[name] if name != "split-blocks" else (split_blocks_source(), BuildOptions())
        monograph = load_monograph(source)
        _built[name] = (monograph, build_leaflet(monograph, options).pdf)
    return _built[name]


def expected_leaves(monograph: Monograph) -> list[TextAt]:
    """The monograph's text a reader meets in the structure tree, in source order: meta (drug name, date) is
    in the running header and footer (artifacts), a figure's alt text is its Alt, and the EU black-triangle
    notice the content opens with is set under the title (the QRD template's place for it)."""
    pieces = [piece for piece in iter_text(monograph) if piece.kind not in ("meta", "alt")]
    leading = {notice.line for notice in leading_notices(monograph.body)}
    triangle = [piece for piece in pieces if piece.kind == "notice" and piece.line in leading]
    rest = [piece for piece in pieces if piece not in triangle]
    return rest[:1] + triangle + rest[1:]


def text_leaves(tree: StructureTree) -> list[Leaf]:
    """Leaves holding the monograph's text: not list labels, figures or the subtitle (leaflet's own words;
    so is the ▼ before the black-triangle statement, left out of the leaf's text)."""
    leaves = [leaf for leaf in tree.leaves() if leaf.role not in ("Lbl", "Figure")]
    assert leaves[1].role == "P"  # the subtitle under the title
    for leaf in leaves:
        leaf.text = leaf.text.removeprefix("\u25bc")
    return leaves[:1] + leaves[2:]


@pytest.mark.parametrize("name", [*sorted(LEAFLETS), "split-blocks"])
def test_structure_tree_reads_the_monograph_in_source_order(name: str) -> None:
    """Every piece of the monograph's text is one structure element of the right type, in source order,
    whose marked content draws exactly that text (also a paragraph split over columns or pages, and the
    warning box's content when the box moves to the next column)."""
    monograph, pdf = built(name)
    tree = StructureTree(pdf)
    expected = expected_leaves(monograph)
    leaves = text_leaves(tree)
    assert [squeeze(leaf.text) for leaf in leaves] == [squeeze(piece.text) for piece in expected]
    for leaf, piece in zip(leaves, expected, strict=True):
        assert leaf.role in ROLE_OF_KIND[piece.kind], (piece.kind, leaf.role, piece.text[:40])


@pytest.mark.parametrize("name", [*sorted(LEAFLETS), "split-blocks"])
def test_every_character_is_tagged_or_an_artifact(name: str) -> None:
    """No content outside the tree except artifacts; the ParentTree maps each page's MCIDs to their elements
    and each page's StructParents to its entry; MCIDs are unique per page."""
    _, pdf = built(name)
    tree = StructureTree(pdf)
    for index, chars in enumerate(tree.chars):
        untagged = [char["text"] for char in chars if char.get("mcid") is None and char.get("tag") != "Artifact"]
        assert not untagged, (index, "".join(untagged)[:80])
    parents = tree.parent_tree()
    owners: dict[tuple[int, int], Leaf] = {}
    for leaf in tree.leaves():
        for part in leaf.parts:
            assert part not in owners, part
            owners[part] = leaf
    for index, page in enumerate(tree.pdf.pages):
        entry = parents[int(page.obj.StructParents)]
        assert [element.objgen for element in entry] == [
            owners[(index, mcid)].element.objgen for mcid in range(len(entry))
        ]
        assert page.obj.Tabs == "/S"


@pytest.mark.parametrize("name", ["sample-a4-2col", "every-block", "long-warning-2col"])
def test_poppler_reads_the_structure_in_order(name: str) -> None:
    """``pdfinfo -struct-text`` (poppler: another reader of the same tree) meets every piece in order."""
    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils not installed")
    monograph, pdf = built(name)
    out = subprocess.run(["pdfinfo", "-struct-text", "-"], input=pdf, capture_output=True, check=True).stdout
    texts = re.findall(r'^\s*"(.*)"$', out.decode("utf-8"), flags=re.MULTILINE)
    stream = squeeze("".join(texts))
    cursor = 0
    for piece in expected_leaves(monograph):
        found = stream.find(squeeze(piece.text), cursor)
        assert found >= 0, piece.text[:60]
        cursor = found + len(squeeze(piece.text))


def _ancestors(tree: StructureTree, role: str) -> list[tuple[str, ...]]:
    return [leaf.parent_roles for leaf in tree.elements if leaf.role == role]


def test_lists_tables_figures_notices_and_box_have_their_own_elements() -> None:
    monograph, pdf = built("every-block")
    tree = StructureTree(pdf)
    roles = [leaf.role for leaf in tree.elements]
    assert roles[0] == "Document" and roles.count("H1") == 1
    # Lists: L > LI > (Lbl, LBody); a nested list inside its item's LBody; numbers as labels.
    for leaf in tree.elements:
        if leaf.role == "LI":
            assert [kid.role for kid in leaf.kids] == ["Lbl", "LBody"]
        if leaf.role == "L":
            assert leaf.parent_roles[-1] in ("Document", "LBody", "Sect")
            assert leaf.element.A.O == "/List"
    nested = [leaf for leaf in tree.elements if leaf.role == "L" and leaf.parent_roles[-1] == "LBody"]
    assert nested and any("LBody" in leaf.parent_roles[:-1] for leaf in nested)  # three levels
    labels = [leaf.text for leaf in tree.elements if leaf.role == "Lbl"]
    assert "1." in labels and "\u2013" in labels  # numbers and nested bullets
    # Tables: Table > (Caption?, THead > TR > TH, TBody > TR > TD); every row the same width with spans.
    for table in (leaf for leaf in tree.elements if leaf.role == "Table"):
        sections = [kid.role for kid in table.kids]
        assert sections in (["Caption", "THead", "TBody"], ["THead", "TBody"], ["Caption", "TBody"], ["TBody"])
        widths = set()
        for section in table.kids:
            for row in section.kids if section.role != "Caption" else []:
                assert row.role == "TR"
                width = 0
                for column, cell in enumerate(row.kids):
                    row_header = column == 0 and "THead" not in sections and len(row.kids) > 1
                    assert cell.role == ("TH" if section.role == "THead" or row_header else "TD")
                    attributes = cell.element.get("/A")
                    if cell.role == "TH":
                        assert attributes.Scope == ("/Column" if section.role == "THead" else "/Row")
                    width += int(attributes.ColSpan) if attributes is not None and "/ColSpan" in attributes else 1
                widths.add(width)
        assert len(widths) == 1
    assert any("/ColSpan" in (leaf.element.get("/A") or {}) for leaf in tree.elements if leaf.role == "TD")
    # Figures: Alt from the model, a BBox on the page.
    figures = [leaf for leaf in tree.elements if leaf.role == "Figure"]
    alts = [piece.text for piece in iter_text(monograph) if piece.kind == "alt" and piece.text]
    assert [str(leaf.element.Alt) for leaf in figures] == alts
    for leaf in figures:
        x0, y0, x1, y1 = (float(value) for value in leaf.element.A.BBox)
        assert 0 <= x0 < x1 <= 595.3 and 0 <= y0 < y1 <= 841.9
    # Notices: a Div (titled by the notice's kind) around their paragraph.
    divs = [leaf for leaf in tree.elements if leaf.role == "Div"]
    assert divs and all([kid.role for kid in leaf.kids] == ["P"] for leaf in divs)
    assert {str(leaf.element.T) for leaf in divs} >= {"additional-monitoring"}


STANDARD_TYPES = {
    *("Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption", "TOC", "TOCI", "Index", "NonStruct"),
    *("Private", "H", "H1", "H2", "H3", "H4", "H5", "H6", "P", "L", "LI", "Lbl", "LBody", "Table", "TR", "TH"),
    *("TD", "THead", "TBody", "TFoot", "Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot"),
    *("Ruby", "RB", "RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form"),
}
"""ISO 32000-1, 14.8.4: the structure types a PDF/UA-1 file may use without a RoleMap."""


@pytest.mark.parametrize("name", ["every-block", "many-sections", "nested-warning", "sample-large-print"])
def test_standard_types_one_h1_and_no_heading_level_skipped(name: str) -> None:
    """Matterhorn 02 and 14: standard types only (no RoleMap); one H1 (the title) first, and each heading at
    most one level deeper than the one before it."""
    _, pdf = built(name)
    tree = StructureTree(pdf)
    assert {leaf.role for leaf in tree.elements} <= STANDARD_TYPES
    assert "/RoleMap" not in tree.root
    levels = [int(leaf.role[1]) for leaf in tree.elements if re.fullmatch(r"H[1-6]", leaf.role)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(later <= earlier + 1 for earlier, later in itertools.pairwise(levels))


def test_a_table_header_repeated_on_the_next_page_is_an_artifact() -> None:
    _, pdf = built("every-block")
    tree = StructureTree(pdf)
    header_cells = [leaf for leaf in tree.elements if leaf.role == "TH"]
    assert header_cells and all(len(leaf.parts) == 1 for leaf in header_cells)
    first = header_cells[0].text
    repeats = [char for page in tree.chars for char in page if char.get("tag") == "Artifact"]
    assert squeeze(first) in squeeze("".join(char["text"] for char in repeats))


@pytest.mark.parametrize("name", ["long-warning-2col", "nested-warning", "split-blocks"])
def test_warning_box_is_one_section_with_its_heading_however_it_splits(name: str) -> None:
    """One Sect per warning section (titled by its heading, the heading its first kid), whatever the number
    of box parts; the "Continued: ..." line at the head of a later part is an artifact."""
    monograph, pdf = built(name)
    tree = StructureTree(pdf)
    boxes = [leaf for leaf in tree.elements if leaf.role == "Sect"]
    assert [str(box.element.T) for box in boxes] == [section.heading for section in boxes_of(monograph.body)]
    for box in boxes:
        assert box.kids[0].role.startswith("H") and squeeze(box.kids[0].text) == squeeze(str(box.element.T))
    assert not any("Continued" in leaf.text for leaf in tree.leaves())


def boxes_of(blocks: tuple[Block, ...]) -> list[Section]:
    """The warning sections drawn as boxes (a warning inside a box is an ordinary section)."""
    found: list[Section] = []
    for block in blocks:
        if isinstance(block, Section):
            found.extend([block] if block.warning else boxes_of(block.body))
    return found


def test_a_paragraph_split_over_columns_and_pages_is_one_element() -> None:
    _, pdf = built("split-blocks")
    tree = StructureTree(pdf)
    long_ones = [leaf for leaf in tree.leaves() if squeeze(leaf.text).startswith(squeeze(SENTENCE * 3))]
    assert len(long_ones) == 3  # the first paragraph and the box's two
    assert all(len(leaf.parts) >= 2 for leaf in long_ones[:2])
    assert len({page for page, _ in long_ones[0].parts}) >= 2 or len(long_ones[0].parts) >= 3
    box = next(leaf for leaf in tree.elements if leaf.role == "Sect")
    pages = {page for kid in box.kids for page, _ in kid.parts}
    assert len(pages) >= 2 or len(box.kids[1].parts) >= 2


def test_running_header_and_footer_are_pagination_artifacts() -> None:
    _, pdf = built("sample-a4-2col")
    with pikepdf.open(__import__("io").BytesIO(pdf)) as document:
        for page in document.pages:
            content = page.obj.Contents.read_bytes()
            assert b"/Artifact <</Type /Pagination /Subtype /Header>> BDC" in content
            assert b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC" in content


@pytest.mark.parametrize("name", ["sample-a4-2col", "sample-large-print", "every-block", "long-warning-2col", "greek"])
def test_pdfua_checker_passes(name: str, tmp_path: Path) -> None:
    _, pdf = built(name)
    path = tmp_path / "leaflet.pdf"
    path.write_bytes(pdf)
    report = pdfua.validate(str(path))
    assert not report.findings, [(finding.rule_id, finding.message) for finding in report.findings]
    assert all(outcome.skipped_reason is None for outcome in report.outcomes)


def test_pdfua_checker_fails_a_plain_pdf(tmp_path: Path) -> None:
    """The checker is not blind: the same leaflet with ``--pdf-standard none`` fails it."""
    path = tmp_path / "plain.pdf"
    path.write_bytes(build_leaflet(load_monograph(SAMPLE), BuildOptions(pdf_standard="none")).pdf)
    rules = {finding.rule_id for finding in pdfua.validate(str(path)).findings}
    assert {"UA-01-005", "UA-01-002"} <= rules


@pytest.mark.parametrize("language", ["ar", "he", "hi"])
def test_shaped_leaflet_is_tagged_with_its_logical_text(language: str, tmp_path: Path) -> None:
    """Shaped paragraphs (glyphs that do not spell the text) carry their logical text as the element's
    ActualText, in source order; the document's language is the leaflet's; pdfua passes."""
    from tests.layout.scripts_support import source_texts

    rendered = build_leaflet(load_monograph(monograph_path(language)), BuildOptions())
    tree = StructureTree(rendered.pdf)
    leaves = [leaf for leaf in tree.leaves() if leaf.role not in ("Lbl",)]
    texts = [leaf.actual_text for leaf in leaves]
    assert None not in texts
    subtitle = texts.pop(1)
    assert subtitle
    assert texts == source_texts(language)
    assert [leaf.role for leaf in leaves][:3] == ["H1", "P", "P"]
    assert str(tree.pdf.Root.Lang) == language
    path = tmp_path / "shaped.pdf"
    path.write_bytes(rendered.pdf)
    assert not pdfua.validate(str(path)).findings
    assert len(TEXTS[language][5]) == sum(1 for leaf in tree.elements if leaf.role == "LI")


def test_cjk_leaflet_is_tagged_in_order(tmp_path: Path) -> None:
    source = tmp_path / CJK
    paragraph = "バクロフェンは筋肉の緊張をやわらげる薬です。一日の量は80ミリグラムを超えないでください。"
    source.write_text(
        f"title: バクロフェン錠\nlanguage: ja\nrevised: 2026-12-01\nbody:\n  - '{paragraph * 8}'\n"
        f"  - warning: 過量に服用した場合\n    body:\n      - '{paragraph}'\n",
        encoding="utf-8",
    )
    monograph = load_monograph(source)
    rendered = build_leaflet(monograph, BuildOptions())
    tree = StructureTree(rendered.pdf)
    assert [squeeze(leaf.text) for leaf in text_leaves(tree)] == [
        squeeze(piece.text) for piece in expected_leaves(monograph)
    ]
    assert str(tree.pdf.Root.Lang) == "ja"
    path = tmp_path / "ja.pdf"
    path.write_bytes(rendered.pdf)
    assert not pdfua.validate(str(path)).findings


def test_labels_in_english_for_a_language_without_labels_say_so(tmp_path: Path) -> None:
    """Norwegian has no label table: the subtitle is English and its element says /Lang (en)."""
    source = tmp_path / "nb.yaml"
    text = "title: Baklofen\nlanguage: nb\nrevised: 2026-12-01\nbody:\n  - Les hele pakningsvedlegget.\n"
    source.write_text(text, encoding="utf-8")
    tree = StructureTree(build_leaflet(load_monograph(source), BuildOptions()).pdf)
    subtitle = tree.leaves()[1]
    assert str(tree.pdf.Root.Lang) == "nb" and str(subtitle.element.Lang) == "en"


@pytest.mark.parametrize("language", ["ar", "hi"])
def test_shaped_glyphs_are_tagged_in_sequences_of_their_own(language: str) -> None:
    """A shaped cluster's ActualText span in the body is a marked-content sequence of its element (not one
    nested in it, which poppler and pdfminer read as untagged): every character of the body has an MCID;
    only the running header and footer (artifacts) hold nested spans."""
    rendered = build_leaflet(load_monograph(monograph_path(language)), BuildOptions())
    tree = StructureTree(rendered.pdf)
    height = float(tree.pdf.pages[0].mediabox[3])
    for chars in tree.chars:
        for char in chars:
            if char.get("mcid") is None and char.get("tag") != "Artifact":
                assert char["top"] < 60 or char["bottom"] > height - 60, char["text"]
    spans = [leaf for leaf in tree.leaves() if leaf.role in ("P", "H1", "H2", "LBody")]
    assert all(len(leaf.parts) > 1 for leaf in spans[:3])  # the glyph runs and spans of one element
    assert all(tree.marked_text.get(part) for leaf in spans for part in leaf.parts[:1])


REAL_LEAFLETS = sorted(
    [*SHARED_SAMPLES.glob("text/*.txt"), *SHARED_SAMPLES.glob("epi/*"), *SHARED_SAMPLES.glob("spl/*")]
)


@pytest.mark.parametrize(
    "path",
    REAL_LEAFLETS or [pytest.param(None, marks=pytest.mark.skip(reason="../shared/samples is not beside the project"))],
    ids=lambda path: path.name if path else "none",
)
def test_real_leaflets_are_tagged_in_source_order_and_pass_pdfua(path: Path, tmp_path: Path) -> None:
    """Leaflets leaflet was not written for (EU texts, ePI, SPL; tables without header rows among them):
    the structure tree holds every piece of their text in order, every character is tagged or an artifact,
    and pdfua passes."""
    monograph = load_monograph(path)
    pdf = build_leaflet(monograph, BuildOptions()).pdf
    tree = StructureTree(pdf)
    assert [squeeze(leaf.text) for leaf in text_leaves(tree)] == [
        squeeze(piece.text) for piece in expected_leaves(monograph)
    ]
    for chars in tree.chars:
        assert not [char for char in chars if char.get("mcid") is None and char.get("tag") != "Artifact"]
    out = tmp_path / "leaflet.pdf"
    out.write_bytes(pdf)
    report = pdfua.validate(str(out))
    assert not report.findings, [(finding.rule_id, finding.message) for finding in report.findings]
