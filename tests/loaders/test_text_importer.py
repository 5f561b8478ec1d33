"""Tests of the plain-text importer: the seed monograph's structure, every line kept, and the quirks of real files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from leaflet.errors import ContentError, Diagnostic
from leaflet.loaders import load_monograph
from leaflet.loaders.text_importer import parse_text_monograph
from leaflet.model import BulletList, Monograph, Paragraph, Section, iter_text, plain, source_lines
from tests.loaders.support import SEED_TEXT, outline, sections, texts, warning_flags, write

_LAYOUT_SPACE = re.compile(r"[ \t\f\v]+")
_MARK_ONLY = re.compile(r"^[-*•‣◦▪–]$")
_MARKED_ITEM = re.compile(r"^[-*•‣◦▪–]\s+(?=\S)")


def imported(text: str, name: str = "leaflet.txt") -> tuple[Monograph, list[Diagnostic]]:
    """The monograph parsed from ``text`` and the warnings reported on the way."""
    warnings: list[Diagnostic] = []
    return parse_text_monograph(text, name, on_warning=warnings.append), warnings


def clean_lines(text: str) -> list[str]:
    """The non-blank lines of ``text`` as the importer documents them: split at LF, CR or CRLF only,
    layout white space (space, tab, form feed, vertical tab) collapsed, no-break spaces kept."""
    lines = [_LAYOUT_SPACE.sub(" ", raw).strip() for raw in source_lines(text)]
    return [line for line in lines if line]


def expected_pieces(text: str) -> list[str]:
    """The text of every non-blank line of ``text``, list marks removed, whitespace collapsed."""
    pieces = []
    for line in clean_lines(text):
        if not _MARK_ONLY.match(line):
            pieces.append(_MARKED_ITEM.sub("", line, count=1))
    return pieces


def items(block: object) -> list[str]:
    assert isinstance(block, BulletList), block
    return [plain(item.runs) for item in block.items]


def headings(blocks: tuple[object, ...]) -> list[str]:
    return [block.heading for block in blocks if isinstance(block, Section)]


# --- the seed ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[Monograph, list[Diagnostic]]:
    warnings: list[Diagnostic] = []
    return load_monograph(SEED_TEXT, on_warning=warnings.append), warnings


def test_seed_title_metadata_and_intro(seed: tuple[Monograph, list[Diagnostic]]) -> None:
    """This test ensures that the seed's first line is the title and its first paragraph the introduction."""
    monograph, warnings = seed
    assert monograph.title == "Baclofen"
    assert monograph.meta.drug == "Baclofen" and monograph.meta.language == "en"
    assert monograph.meta.revised is None
    assert monograph.meta.source == "Imported from baclofen.txt"
    assert monograph.path == str(SEED_TEXT)
    assert monograph.lines["title"] == 1
    intro = monograph.body[0]
    assert isinstance(intro, Paragraph) and intro.line == 2
    assert plain(intro.runs).startswith("Baclofen is a centrally acting skeletal muscle relaxant")
    assert warnings == []


def test_seed_sections_in_order(seed: tuple[Monograph, list[Diagnostic]]) -> None:
    """This test ensures that the seed's headings become sections in reading order, nested where inferred."""
    monograph, _ = seed
    assert headings(monograph.body) == [
        "What is Baclofen?",
        "Baclofen Used For",
        "Chemical Composition",
        "Baclofen Mechanism",
        "How It Helps Manage Muscle Spasticity",
        "Other Benefits",
        "Dosages",
        "Available Strengths or Dosage",
        "How and When to Take It",
        "Overdose Caution",
        "Who Can Use / Take Baclofen?",
        "Side Effects & Precautions",
    ]
    assert len(monograph.body) == 13


def test_seed_overdose_caution_is_the_only_warning(seed: tuple[Monograph, list[Diagnostic]]) -> None:
    """This test ensures that 'Overdose Caution', and no other section, is the boxed warning."""
    monograph, _ = seed
    assert [heading for heading, warning in warning_flags(monograph) if warning] == ["Overdose Caution"]
    overdose = next(section for section in sections(monograph.body) if section.warning)
    lead_list, advice = overdose.body
    assert (
        lead_list.lead is not None
        and plain(lead_list.lead.runs) == "Taking more than the prescribed amount may lead to:"
    )
    assert items(lead_list) == [
        "Severe drowsiness",
        "Difficulty breathing",
        "Muscle weakness",
        "Confusion",
        "Loss of consciousness",
    ]
    assert plain(advice.runs).startswith("Seek immediate medical help if overdose is suspected.")


def test_seed_side_effects_holds_two_subsections(seed: tuple[Monograph, list[Diagnostic]]) -> None:
    """This test ensures that a heading directly followed by a heading groups the headings after it."""
    monograph, _ = seed
    group = monograph.body[-1]
    assert isinstance(group, Section) and group.heading == "Side Effects & Precautions"
    assert [type(block) for block in group.body] == [Section, Section]
    side_effects, precautions = group.body
    assert side_effects.heading == "What Are the Side Effects?"
    assert precautions.heading == "Precautions to Avoid Side Effects"
    mild, serious, contact = side_effects.body
    assert plain(mild.lead.runs) == "Most side effects are mild and improve as the body adjusts:"
    assert items(mild) == ["Drowsiness", "Dizziness", "Weakness", "Nausea", "Headache", "Dry mouth"]
    assert plain(serious.lead.runs) == "Less common but serious effects include:"
    assert len(items(serious)) == 5
    assert isinstance(contact, Paragraph)
    assert precautions.body[0].lead is None and len(items(precautions.body[0])) == 6
    assert plain(precautions.body[-1].runs).startswith("Always consult your doctor before starting dose.")


def test_seed_lists_keep_their_lead_ins(seed: tuple[Monograph, list[Diagnostic]]) -> None:
    """This test ensures that a sentence ending in ':' right before a list becomes the list's lead-in."""
    monograph, _ = seed
    used_for = monograph.body[2]
    assert used_for.heading == "Baclofen Used For"
    bullets, after = used_for.body
    assert bullets.lead is not None and plain(bullets.lead.runs) == "Baclofen is mainly prescribed for:"
    assert bullets.line == bullets.lead.line == 6
    assert items(bullets) == [
        "Muscle spasticity",
        "Multiple sclerosis–related stiffness",
        "Spinal cord injury–related spasms",
        "Cerebral palsy–related muscle tightness",
        "Pain and discomfort caused by neurological conditions",
    ]
    assert isinstance(after, Paragraph) and plain(after.runs).startswith("Doctors may also recommend")
    leads = [piece.text for piece in iter_text(monograph) if piece.kind == "lead"]
    assert leads == [
        "Baclofen is mainly prescribed for:",
        "Along with easing muscle stiffness, Baclofen offers several additional advantages:",
        "Baclofen tablets are commonly available in:",
        "Taking more than the prescribed amount may lead to:",
        "Use with caution in:",
        "Most side effects are mild and improve as the body adjusts:",
        "Less common but serious effects include:",
    ]


def test_seed_inline_item_joins_the_same_list(seed: tuple[Monograph, list[Diagnostic]]) -> None:
    """This test ensures that '- 25 mg' (mark and text on one line) continues the list of '-'-then-text items."""
    monograph, _ = seed
    strengths = monograph.body[8]
    assert strengths.heading == "Available Strengths or Dosage"
    bullets = strengths.body[0]
    assert items(bullets) == ["5 mg", "10 mg", "20 mg", "25 mg"]
    assert [item.line for item in bullets.items] == [44, 46, 48, 49]
    assert isinstance(strengths.body[1], Paragraph)


def test_seed_every_line_appears_once_in_order(seed: tuple[Monograph, list[Diagnostic]]) -> None:
    """This test ensures that every non-blank line of the seed, minus list marks, is in the model once, in order."""
    monograph, _ = seed
    source = SEED_TEXT.read_text(encoding="utf-8")
    assert [text for _, text in texts(monograph)] == expected_pieces(source)
    assert [piece.text for piece in iter_text(monograph)].count("Baclofen") == 1


def test_seed_every_piece_points_at_its_line(seed: tuple[Monograph, list[Diagnostic]]) -> None:
    """This test ensures that each piece of text remembers the seed line it was written on."""
    monograph, _ = seed
    lines = SEED_TEXT.read_text(encoding="utf-8").splitlines()
    for piece in iter_text(monograph):
        assert _MARKED_ITEM.sub("", lines[piece.line - 1].strip(), count=1) == piece.text, piece


def test_seed_last_promotional_paragraph_is_kept(seed: tuple[Monograph, list[Diagnostic]]) -> None:
    """This test ensures that the last paragraph (pharmacy promotion, no final newline) is not dropped."""
    monograph, _ = seed
    last = list(iter_text(monograph))[-1]
    assert last.kind == "paragraph"
    assert last.text.endswith("ensure timely refills to maintain your treatment progress.")
    assert last.line == len(SEED_TEXT.read_text(encoding="utf-8").splitlines())


# --- quirks of real files ------------------------------------------------------------------------

SMALL = "Baclofen\nIntro.\nUsed For\nPrescribed for:\n-\nSpasticity\n- Stiffness\nOverdose\nCall for help.\n"


def test_crlf_gives_the_same_model() -> None:
    """This test ensures that Windows line endings import exactly like LF, line numbers included."""
    expected, _ = imported(SMALL)
    monograph, _ = imported(SMALL.replace("\n", "\r\n"))
    assert monograph.body == expected.body and monograph.title == "Baclofen"


def test_byte_order_mark_is_dropped(tmp_path: Path) -> None:
    """This test ensures that a UTF-8 BOM at the start of a .txt file does not end up in the title."""
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + SMALL.encode())
    monograph = load_monograph(path)
    assert monograph.title == "Baclofen"
    assert monograph.body == imported(SMALL)[0].body


def test_trailing_spaces_tabs_and_blank_lines_are_ignored() -> None:
    """This test ensures that trailing spaces, tabs, runs of spaces and blank or whitespace-only lines change nothing
    but the line numbers."""
    messy = (
        "\n  \n Baclofen  \n\n\tIntro.\t\n \t \nUsed   For\n\nPrescribed\tfor:  \n\n-   \n\n  Spasticity\n"
        "-\tStiffness \n\n\nOverdose\n   Call  for   help.\n\n  \n"
    )
    expected, _ = imported(SMALL)
    monograph, _ = imported(messy)
    assert monograph.title == "Baclofen"
    assert outline(monograph.body) == outline(expected.body)
    assert [piece.line for piece in iter_text(monograph) if piece.kind != "meta"] == [3, 5, 7, 9, 13, 14, 17, 18]


def test_missing_final_newline_changes_nothing() -> None:
    """This test ensures that the last line is read whether or not the file ends with a newline."""
    assert imported(SMALL.rstrip("\n"))[0].body == imported(SMALL)[0].body


def test_dangling_mark_at_the_end_is_a_warning_not_an_empty_item() -> None:
    """This test ensures that a '-' on the last line is reported (file and line) and makes no empty item."""
    monograph, warnings = imported(SMALL + "-\n", name="dangling.txt")
    assert outline(monograph.body) == outline(imported(SMALL)[0].body)
    assert len(warnings) == 1
    assert (warnings[0].path, warnings[0].line) == ("dangling.txt", 10)
    assert "'-'" in warnings[0].message
    assert all(piece.text for piece in iter_text(monograph))


def test_mark_followed_by_mark_warns_once_and_keeps_the_item() -> None:
    """This test ensures that '-' then '-' then text reports the first mark and lists the text once."""
    monograph, warnings = imported("Baclofen\nOverdose\nYou may feel:\n-\n-\nSleepy\n")
    (overdose,) = monograph.body
    assert items(overdose.body[0]) == ["Sleepy"]
    assert [(warning.line, "'-'" in warning.message) for warning in warnings] == [(4, True)]


def test_mark_followed_by_marked_item_does_not_keep_the_mark_in_the_text() -> None:
    """This test ensures that '-' alone followed by '- 25 mg' gives the item '25 mg', not '- 25 mg'."""
    monograph, _ = imported("Baclofen\nStrengths\nAvailable in:\n-\n20 mg\n-\n- 25 mg\nOverdose\nCall.\n")
    assert items(monograph.body[0].body[0]) == ["20 mg", "25 mg"]


def test_only_a_dangling_mark_after_the_title_is_a_content_error() -> None:
    """This test ensures that a title followed by nothing but a '-' is refused (and the mark reported)."""
    warnings: list[Diagnostic] = []
    with pytest.raises(ContentError):
        parse_text_monograph("Baclofen\n-\n", "x.txt", on_warning=warnings.append)
    assert [warning.line for warning in warnings] == [2]


def test_heading_followed_by_heading_becomes_the_parent() -> None:
    """This test ensures that a heading directly above another heading groups the headings that follow, and that
    a heading at the very end is an empty section."""
    monograph, _ = imported("Baclofen\nIntro.\nSide Effects\nCommon\nNausea.\nRare\nSeizures.\nStorage\n")
    intro, group = monograph.body
    assert isinstance(intro, Paragraph)
    assert group.heading == "Side Effects" and headings(group.body) == ["Common", "Rare", "Storage"]
    common, rare, storage = group.body
    assert [plain(block.runs) for block in common.body + rare.body] == ["Nausea.", "Seizures."]
    assert storage == Section("Storage", (), warning=False, line=8)


def test_last_heading_alone_is_an_empty_section() -> None:
    """This test ensures that a heading on the last line, with no group open, is a top-level empty section."""
    monograph, _ = imported("Baclofen\nIntro.\nOverdose\nCall.\nStorage")
    assert monograph.body[-1] == Section("Storage", (), warning=False, line=5)


@pytest.mark.parametrize(
    "heading",
    [
        "Overdose",
        "Overdose Caution",
        "If you take more Baclofen than you should",
        "If you take more than prescribed",
        "What to do if you take too much",
        "OVERDOSAGE",
    ],
)
def test_overdose_headings_become_the_warning(heading: str) -> None:
    """This test ensures that headings naming an overdose or taking too much become the boxed warning."""
    monograph, warnings = imported(f"Baclofen\nIntro.\n{heading}\nSeek medical help at once.\n")
    assert warning_flags(monograph) == [(heading, True)]
    assert warnings == []


def test_overdose_in_a_list_item_or_paragraph_is_not_a_warning() -> None:
    """This test ensures that 'overdose' outside a heading makes no warning, and that the missing one is reported."""
    text = "Baclofen\nAdvice\nCall:\n-\nIf an overdose is suspected\n- Overdose\nAn overdose is dangerous.\n"
    monograph, warnings = imported(text, name="advice.txt")
    assert warning_flags(monograph) == [("Advice", False)]
    assert len(warnings) == 1
    assert warnings[0].path == "advice.txt" and warnings[0].line is None
    assert "overdose" in warnings[0].message and warnings[0].hint


def test_subsection_of_a_warning_is_not_another_warning() -> None:
    """This test ensures that a warning's sub-sections are inside its box, not boxes of their own."""
    monograph, _ = imported("Baclofen\nOverdose\nToo much baclofen\nCall.\n")
    assert warning_flags(monograph) == [("Overdose", True), ("Too much baclofen", False)]


def test_no_overdose_section_is_a_warning_naming_the_file(tmp_path: Path) -> None:
    """This test ensures that a monograph with no overdose section imports, with a warning naming the file."""
    path = write(tmp_path / "calm.txt", "Baclofen\nIntro.\nStorage\nKeep dry.\n")
    warnings: list[Diagnostic] = []
    monograph = load_monograph(path, on_warning=warnings.append)
    assert not any(warning for _, warning in warning_flags(monograph))
    assert [warning.path for warning in warnings] == [str(path)]
    assert "no overdose section" in warnings[0].message


@pytest.mark.parametrize("text", ["", "\n\n\n", "   \n\t\n  ", "\r\n", "\u00a0\n"], ids=repr)
def test_empty_or_blank_text_is_a_content_error(text: str) -> None:
    """This test ensures that text with nothing but whitespace is refused as empty."""
    with pytest.raises(ContentError) as error:
        parse_text_monograph(text, "blank.txt")
    (diagnostic,) = error.value.diagnostics
    assert diagnostic.path == "blank.txt" and "empty" in diagnostic.message


def test_empty_file_is_a_content_error(tmp_path: Path) -> None:
    """This test ensures that an empty .txt file is refused naming the file."""
    path = write(tmp_path / "empty.txt", b"")
    with pytest.raises(ContentError) as error:
        load_monograph(path)
    assert error.value.diagnostics[0].path == str(path)


@pytest.mark.parametrize(("text", "line"), [("Baclofen", 1), ("Baclofen\n", 1), ("\n\n  Baclofen  \n\n", 3)])
def test_only_a_title_is_a_content_error(text: str, line: int) -> None:
    """This test ensures that a title with nothing after it is refused at the title's line."""
    with pytest.raises(ContentError) as error:
        parse_text_monograph(text, "title.txt")
    (diagnostic,) = error.value.diagnostics
    assert diagnostic.line == line and "nothing after the title" in diagnostic.message


def test_question_headings() -> None:
    """This test ensures that short questions are headings and long ones paragraphs."""
    long_question = "Is it safe to take this medicine if I am pregnant or breastfeeding my baby today?"
    monograph, _ = imported(f"Baclofen\nWhat is it?\nA relaxant.\nCan I drive?\n{long_question}\n")
    what, drive = monograph.body
    assert (what.heading, drive.heading) == ("What is it?", "Can I drive?")
    assert drive.body == (Paragraph(drive.body[0].runs, 5),) and plain(drive.body[0].runs) == long_question


def test_heading_word_limit() -> None:
    """This test ensures that a line of at most 12 words without final punctuation is a heading; 13 words is not."""
    twelve = " ".join(["word"] * 12)
    thirteen = " ".join(["word"] * 13)
    monograph, _ = imported(f"Baclofen\n{twelve}\n{thirteen}\n")
    (section,) = monograph.body
    assert section.heading == twelve and plain(section.body[0].runs) == thirteen


@pytest.mark.parametrize("ending", [".", ":", ";", ",", "!"])
def test_final_punctuation_makes_a_paragraph(ending: str) -> None:
    """This test ensures that a short line ending in . : ; , or ! is running text, not a heading."""
    monograph, _ = imported(f"Baclofen\nTake it daily{ending}\n")
    assert isinstance(monograph.body[0], Paragraph)


def test_other_bullet_marks() -> None:
    """This test ensures that '•' and '*' work like '-', inline and alone on a line, in one list."""
    monograph, _ = imported("Baclofen\nSide effects:\n• Nausea\n* Headache\n•\nDizziness\n*\nDry mouth\n- Weakness\n")
    (bullets,) = monograph.body
    assert plain(bullets.lead.runs) == "Side effects:"
    assert items(bullets) == ["Nausea", "Headache", "Dizziness", "Dry mouth", "Weakness"]


def test_asterisks_in_plain_text_stay_literal() -> None:
    """This test ensures that plain text is not read as inline markup: '**' and '\\' stay as written."""
    monograph, _ = imported("Baclofen\nTake **2** tablets, 2*3*4 or C:\\temp.\n")
    assert plain(monograph.body[0].runs) == "Take **2** tablets, 2*3*4 or C:\\temp."
    assert all(not (run.bold or run.italic) for piece in iter_text(monograph) for run in piece.runs)


def test_lead_in_needs_a_list_right_after_it() -> None:
    """This test ensures that a sentence ending in ':' not followed by a list stays a paragraph."""
    monograph, _ = imported("Baclofen\nNote the following:\nTake it with food.\n")
    assert [type(block) for block in monograph.body] == [Paragraph, Paragraph]


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2007"], ids=["NBSP", "narrow-NBSP", "figure-space"])
def test_no_break_spaces_are_kept(space: str) -> None:
    """This test ensures that a no-break space (keeping '5 mg' on one line) survives the import, as in YAML."""
    monograph, _ = imported(f"Baclofen\nTake 5{space}mg three times a day.\n")
    assert plain(monograph.body[0].runs) == f"Take 5{space}mg three times a day."


def test_form_feed_does_not_shift_line_numbers(tmp_path: Path) -> None:
    """This test ensures that a form feed (pdftotext's page break) does not make later line numbers wrong.

    Either the character is refused at its own line and column, or the import goes on with every line
    number still the one a text editor shows (lines end at LF).
    """
    path = write(tmp_path / "pdf.txt", "Baclofen\nIntro.\n\fStorage\nKeep dry.\n-\n")
    warnings: list[Diagnostic] = []
    try:
        monograph = load_monograph(path, on_warning=warnings.append)
    except ContentError as error:
        assert (error.diagnostics[0].line, error.diagnostics[0].column) == (3, 1)
        return
    storage = monograph.body[-1]
    assert (storage.heading, storage.line) == ("Storage", 3)
    assert [warning.line for warning in warnings if "'-'" in warning.message] == [5]
