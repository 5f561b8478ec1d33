"""Property test across the scripts leaflet prints (issue 11): random short monographs whose words mix
Latin, Greek, Cyrillic, the signs of the fallback fonts (≤ ≥ − → ▼ ⚠ ✓) and Chinese, Japanese and Korean,
in leaflets of those languages, build with every piece of text found in the PDF in order and drawn
character for character (no box, no gap), or are refused with a LeafletError."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from leaflet import LeafletError
from leaflet.model import BulletList, Metadata, Monograph, Paragraph, Run, Section
from tests.layout.support import ALL_OPTIONS, Leaflet, Options
from tests.layout.test_properties import LETTERS, check_pieces_drawn_in_order
from tests.layout.test_warning_box import check_parts_fit, check_warning_inside_box

SIGNS = "≤≥−→▼⚠✓0123456789.,;:()%"
CJK = "巴氯芬片剂服用过量医生请每日剂量錠薬剤師飲む場合バクロフェンひらがなカタカナ바클로펜정복용하루용량"
ALPHABET = LETTERS[:60] + SIGNS + CJK

words = st.text(alphabet=ALPHABET, min_size=1, max_size=14)
texts = st.lists(words, min_size=1, max_size=8).map(" ".join)
runs = st.lists(st.builds(Run, texts, bold=st.booleans(), italic=st.booleans()), min_size=1, max_size=3).map(tuple)
paragraphs = st.builds(Paragraph, runs)
lists = st.builds(BulletList, items=st.lists(paragraphs, min_size=1, max_size=3).map(tuple), lead=st.none())
sections = st.builds(
    Section, heading=texts, body=st.lists(st.one_of(paragraphs, lists), max_size=3).map(tuple), warning=st.booleans()
)
monographs = st.builds(
    Monograph,
    title=texts,
    meta=st.builds(
        Metadata, drug=words, language=st.sampled_from(["zh-Hans", "ja", "ko", "zh-TW", "en"]), revised=st.none()
    ),
    body=st.lists(st.one_of(paragraphs, lists, sections), min_size=1, max_size=4).map(tuple),
)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(monograph=monographs, options=st.sampled_from(ALL_OPTIONS))
def test_any_script_renders_in_order_or_is_refused_cleanly(monograph: Monograph, options: Options) -> None:
    """This test ensures that a random monograph mixing the printed scripts builds with every piece of its
    text drawn character for character in reading order, its warnings inside their boxes and every box
    part inside its column, or raises LeafletError, and never anything else."""
    try:
        doc = Leaflet.of_monograph(monograph, options)
    except LeafletError:
        return
    check_pieces_drawn_in_order(doc)
    check_warning_inside_box(doc)
    check_parts_fit(doc)
