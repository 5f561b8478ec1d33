"""Property test: any short monograph of paragraphs, lists and sections, with text in Latin, Greek
and Cyrillic sprinkled with markup characters, either builds into a leaflet that draws all of its
text in order, or is refused with a LeafletError, never any other exception."""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import leaflet
from leaflet import FontError, LeafletError, build_leaflet
from leaflet.model import Block, BulletList, Metadata, Monograph, Paragraph, Run, Section
from tests.layout.support import ALL_OPTIONS, Leaflet, Options, key
from tests.layout.test_warning_box import check_continued_marks, check_parts_fit, check_warning_inside_box

# Hypothesis also draws constants it finds in the project's loaded modules, so which of leaflet's
# modules other tests happened to import would change the examples drawn here: import them all.
for _module in pkgutil.walk_packages(leaflet.__path__, "leaflet."):
    if not _module.name.endswith("__main__"):
        importlib.import_module(_module.name)


def _range(first: int, last: int) -> str:
    return "".join(chr(code) for code in range(first, last + 1))


LETTERS = (
    _range(0x41, 0x5A) + _range(0x61, 0x7A) + _range(0xC0, 0xFF)
    + _range(0x391, 0x3A1) + _range(0x3A3, 0x3A9) + _range(0x3AC, 0x3CE)
    + _range(0x410, 0x44F) + "Ёё"
)  # fmt: skip
SIGNS = _range(0x21, 0x40) + "[]^_`{|}~" + "".join(c for c in _range(0xA0, 0xBF) if c != "\u00ad") + "<>&*<>&*"
"""Printable ASCII punctuation and digits, Latin-1 signs (no soft hyphen: it is invisible by design),
and the markup characters twice over."""
UNCOVERED = "\u0f40\u1200\U0001f48a"
"""Characters the bundled fonts cannot draw: the build must refuse them with a LeafletError."""

NO_SHRINK = [Phase.explicit, Phase.reuse, Phase.generate]
"""Each example builds a PDF: shrinking a failure takes minutes, so a failing example is shown as drawn."""

words = st.text(alphabet=LETTERS + SIGNS, min_size=1, max_size=12)
long_words = st.text(alphabet=LETTERS, min_size=60, max_size=160)


@st.composite
def texts(draw: st.DrawFn, max_words: int = 8) -> str:
    parts = draw(st.lists(st.one_of(words, words, words, long_words), min_size=1, max_size=max_words))
    return " ".join(parts)


@st.composite
def inline(draw: st.DrawFn) -> tuple[Run, ...]:
    runs = draw(
        st.lists(
            st.builds(Run, texts(max_words=4), bold=st.booleans(), italic=st.booleans()),
            min_size=1,
            max_size=3,
        )
    )
    if not "".join(run.text for run in runs).strip():
        runs.append(Run("x"))
    return tuple(runs)


paragraphs = st.builds(Paragraph, inline())
bullet_lists = st.builds(
    BulletList,
    items=st.lists(paragraphs, min_size=1, max_size=4).map(tuple),
    lead=st.one_of(st.none(), paragraphs),
)


def blocks(depth: int) -> st.SearchStrategy[Block]:
    if depth >= 3:
        return st.one_of(paragraphs, bullet_lists)
    return st.one_of(
        paragraphs,
        bullet_lists,
        st.builds(
            Section,
            heading=texts(max_words=5),
            body=st.lists(st.deferred(lambda: blocks(depth + 1)), max_size=3).map(tuple),
            warning=st.booleans(),
        ),
    )


clean_monographs = st.builds(
    Monograph,
    title=texts(max_words=5),
    meta=st.builds(
        Metadata,
        drug=words.filter(str.strip),
        language=st.sampled_from(["en", "el", "ru", "de-AT"]),
        revised=st.one_of(st.none(), st.just("2024-02-29")),
    ),
    body=st.lists(blocks(1), min_size=1, max_size=4).map(tuple),
)


def check_pieces_drawn_in_order(doc: Leaflet) -> None:
    """Every piece of the monograph's text is located in the PDF, in reading order, drawn character for
    character (NFC, white space aside)."""
    wanted = [piece for piece in doc.pieces() if key(piece.text)]
    assert len(doc.located) == len(wanted)
    for item in doc.located:
        expected = "".join(unicodedata.normalize("NFC", item.piece.text).split())
        assert "".join(item.text.split()) == expected


def with_uncovered(monograph: Monograph, char: str) -> Monograph:
    """``monograph`` with a last paragraph holding a character the fonts cannot draw."""
    body = (*monograph.body, Paragraph((Run(f"A sign they cannot draw: {char}"),)))
    return Monograph(title=monograph.title, meta=monograph.meta, body=body)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure is never a fluke of the draw
    database=None,
    phases=NO_SHRINK,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(monograph=clean_monographs, options=st.sampled_from(ALL_OPTIONS))
def test_any_monograph_renders_in_order_or_is_refused_cleanly(monograph: Monograph, options: Options) -> None:
    """This test ensures that a random short monograph (paragraphs, lists with and without lead-ins,
    sections and warnings nested up to three deep; words in Latin, Greek and Cyrillic with digits,
    punctuation, ``<``, ``>``, ``&``, ``*`` and unbroken words longer than a column) either builds, with
    every piece of its text found in the PDF in reading order and drawn character for character, its
    warnings inside their boxes, or raises LeafletError (a title too big for the first page), and
    never anything else."""
    try:
        doc = Leaflet.of_monograph(monograph, options)
    except LeafletError:
        return
    check_pieces_drawn_in_order(doc)
    check_warning_inside_box(doc)
    check_continued_marks(doc)
    check_parts_fit(doc)


@settings(max_examples=10, deadline=None, derandomize=True, database=None, phases=NO_SHRINK)
@given(monograph=clean_monographs, char=st.sampled_from(UNCOVERED), options=st.sampled_from(ALL_OPTIONS))
def test_a_character_the_fonts_lack_is_refused_with_a_font_error(
    monograph: Monograph, char: str, options: Options
) -> None:
    """This test ensures that the same random monographs with one character the bundled fonts cannot
    draw (a CJK ideograph, a snowman, a pill emoji) are refused with a FontError naming it, never
    printed as a blank box or a missing glyph."""
    try:
        build_leaflet(with_uncovered(monograph, char), options.build_options())
    except FontError as error:
        assert f"U+{ord(char):04X}" in str(error)
    else:
        raise AssertionError(f"{char!r} was not refused")
