"""Chinese, Japanese and Korean leaflets (issue 11): drawn from the bundled Noto Sans CJK subsets in the
leaflet's regional forms, lines inside their columns, text read back in order, labels in the language."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from leaflet import BuildOptions, build_leaflet, load_monograph
from leaflet.check.preflight import preflight_pdf

LEAFLETS = {
    "zh-Hans": (
        "巴氯芬片",
        "巴氯芬是一种肌肉松弛剂，用于缓解多发性硬化症或脊髓损伤引起的严重痉挛。"
        "每日剂量不得超过80毫克。请在医生指导下服用，不要自行停药。",
        "如果您服用过量",
        "NotoSansCJKsc",
    ),
    "zh-Hant": (
        "巴氯芬錠",
        "巴氯芬是一種肌肉鬆弛劑，用於緩解多發性硬化症或脊髓損傷引起的嚴重痙攣。"
        "每日劑量不得超過80毫克。請在醫師指導下服用，不要自行停藥。",
        "如果您服用過量",
        "NotoSansCJKtc",
    ),
    "ja": (
        "バクロフェン錠",
        "バクロフェンは筋肉の緊張をやわらげる薬です。多発性硬化症や脊髄損傷による強いけいれんを和らげます。"
        "一日の量は80ミリグラムを超えないでください。",
        "過量に服用した場合",
        "NotoSansCJKjp",
    ),
    "ko": (
        "바클로펜 정",
        "바클로펜은 근육 긴장을 풀어 주는 약입니다. 다발성 경화증이나 척수 손상으로 인한 심한 경련을 "
        "완화합니다. 하루 용량은 80밀리그램을 넘지 마십시오.",
        "과량 복용한 경우",
        "NotoSansCJKkr",
    ),
}


def _write(tmp_path: Path, language: str) -> Path:
    title, paragraph, warning, _ = LEAFLETS[language]
    body = f'  - "{paragraph * 6}"\n  - warning: "{warning}"\n    body:\n      - "{paragraph}"\n'
    source = tmp_path / f"{language}.yaml"
    source.write_text(f"title: {title}\nlanguage: {language}\nrevised: '2026-12-01'\nbody:\n{body}", encoding="utf-8")
    return source


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("options", [BuildOptions(), BuildOptions(large_print=True)], ids=["a4-2col", "large"])
@pytest.mark.parametrize("language", sorted(LEAFLETS))
def test_cjk_leaflet_builds_in_its_regional_font_and_reads_back(
    tmp_path: Path, language: str, options: BuildOptions
) -> None:
    """This test ensures that a Chinese, Japanese or Korean leaflet builds with the region's CJK font
    embedded, reads back with every character of its text in order, and passes the preflight (margins,
    overlapping text, embedded fonts, the warning box)."""
    title, paragraph, warning, font = LEAFLETS[language]
    rendered = build_leaflet(load_monograph(_write(tmp_path, language)), options)
    reader = PdfReader(io.BytesIO(rendered.pdf))
    text = _squeezed("".join(page.extract_text() for page in reader.pages))
    for piece in map(_squeezed, (title, paragraph, warning)):
        assert piece in text, piece
    fonts = {str(f["/BaseFont"]) for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert any(name.endswith(font + "-Regular") for name in fonts), fonts
    pdf = tmp_path / "leaflet.pdf"
    pdf.write_bytes(rendered.pdf)
    assert [f for f in preflight_pdf(pdf) if f.severity == "error"] == []


def test_han_characters_take_the_leaflets_regional_form(tmp_path: Path) -> None:
    """This test ensures that the same Han character is drawn from the Japanese font in a Japanese leaflet
    and from the Simplified Chinese font in a Chinese one (their forms differ)."""
    for language, font, overdose in (("ja", "NotoSansCJKjp", "過量"), ("zh-Hans", "NotoSansCJKsc", "过量")):
        source = tmp_path / f"{language}.yaml"
        source.write_text(
            f"title: 骨\nlanguage: {language}\nrevised: '2026-12-01'\nbody:\n  - 骨\n  - warning: {overdose}\n",
            encoding="utf-8",
        )
        reader = PdfReader(io.BytesIO(build_leaflet(load_monograph(source)).pdf))
        fonts = {str(f["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
        assert any(font in name for name in fonts) and not any("CJK" in name and font not in name for name in fonts), (
            fonts
        )


def test_cjk_lines_keep_the_line_start_rules(tmp_path: Path) -> None:
    """This test ensures that in a Japanese or Chinese leaflet no line starts with a closing mark (、。）」)
    nor ends with an opening one (（「): the line-start and line-end rules of CJK typography."""
    sentence = (
        "眠気、めまい、吐き気などがあらわれることがあります。（医師の指示に従ってください。）"
        "「お薬手帳」をお見せください。"
    )
    for language in ("ja", "zh-Hans"):
        source = tmp_path / f"{language}.yaml"
        source.write_text(
            f"title: 錠\nlanguage: {language}\nrevised: '2026-12-01'\nbody:\n  - \"{sentence * 8}\"\n"
            "  - warning: 過量\n",
            encoding="utf-8",
        )
        rendered = build_leaflet(load_monograph(source), BuildOptions(columns=1, paper="letter"))
        lines = [line.strip() for page in PdfReader(io.BytesIO(rendered.pdf)).pages for line in
                 page.extract_text().splitlines() if line.strip()]  # fmt: skip
        assert not [line for line in lines if line[0] in "、。）」，．"], lines
        assert not [line for line in lines if line[-1] in "（「"], lines


def test_korean_breaks_its_lines_at_spaces(tmp_path: Path) -> None:
    """This test ensures that a Korean leaflet breaks its lines between words, as Korean is written, never
    inside a word nor with a line starting with a space."""
    rendered = build_leaflet(load_monograph(_write(tmp_path, "ko")), BuildOptions())
    lines = [line for page in PdfReader(io.BytesIO(rendered.pdf)).pages for line in page.extract_text().splitlines()]
    words = set((LEAFLETS["ko"][1] * 6).split()) | set(LEAFLETS["ko"][1].split())  # as _write repeats it
    body = [line for line in lines if line.strip() and line.split()[0] in words]
    assert body and all(set(line.split()) <= words for line in body), body
    assert not [line for line in lines if line.startswith(" ") and line.strip() and set(line.split()) <= words]
