"""The language of a plain-text monograph, and the headings that name an overdose in each language.

Plain text states no language: ``--language`` gives it, and otherwise it is detected from the text
with CLD2 (Chromium's Compact Language Detector, through pycld2: deterministic, about 1 ms to load,
83 languages, no model download). A Spanish leaflet must never be labelled English: its labels, its
``/Lang`` and the checks that depend on the language (the reading grade) follow it.

The overdose section becomes the boxed warning; it is found by its heading, in the wording of the EU
QRD template in every EU language ("If you take more X than you should", "Si toma más X del que debe",
"Se tomar mais X do que deveria", ...) and the usual pharmacy wording ("Overdose", "What if I take too
many tablets?"). Every language's patterns apply to every heading: a heading is short, and none of these
phrases means anything else in another language.
"""

from __future__ import annotations

import re

OVERDOSE_PATTERNS: dict[str, str] = {
    "en": r"overdos|too (?:much|many)|\bmore\b.{0,60}\bthan (?:you|they) should"
    r"|\bmore\b.{0,40}\bthan (?:prescribed|directed|(?:you|they) (?:were|are|have been) (?:told|prescribed))",
    "bg": r"предозиран|повече от необходим",
    "cs": r"předávkování|více .{0,60}než (?:jste )?měl",
    "da": r"overdos|for meget|for stor dosis",
    "de": r"überdos|größere menge|mehr .{0,60}als .{0,30}sollten",
    "el": r"υπερδοσ|μεγαλύτερη δόση",
    "es": r"sobredosis|\bm[aá]s\b.{0,60}\bde(?:l| lo)? que deb|\bm[aá]s\b.{0,60}\bde lo (?:indicado|prescrito)",
    "et": r"üleannus|rohkem kui (?:ette nähtud|vaja|peaks)",
    "fi": r"yliannos|enemmän .{0,60}kuin (?:sinun )?pitäisi|enemmän kuin määrätty",
    "fr": r"surdos|\bplus de\b.{0,60}\bque vous n.auriez d[uû]",
    "ga": r"ródháileog|níos mó .{0,60}ná ba cheart",
    "hr": r"predozir|više .{0,60}nego što (?:ste )?treba",
    "hu": r"túladagol|előírtnál több",
    "it": r"sovradosaggio|\bpiù\b.{0,60}\bdi quanto (?:deve|dovrebbe)",
    "lt": r"perdozav|per didel\w* .{0,30}doz",
    "lv": r"pārdozēš|vairāk nekā (?:noteikts|paredzēts|vajadzētu)",
    "mt": r"doża eċċessiva|aktar .{0,60}milli (?:suppost|għandek)",
    "nl": r"overdos|te veel",
    "pl": r"przedawkowan|większ\w+ niż zalecan",
    "pt": r"sobredos|\bmais\b.{0,60}\bdo que (?:dev|o recomendado)",
    "ro": r"supradoz|mai mult .{0,60}decât (?:trebuie|ar trebui)",
    "sk": r"predávkovan|viac .{0,60}ako (?:máte|ste mali|by ste mali)",
    "sl": r"prevelik\w* odmer|večji odmerek",
    "sv": r"överdos|för stor mängd|för mycket",
    "ht": r"twòp medikaman|pran twòp",
    "ru": r"передозир|больше,? чем (?:следует|нужно|рекомендовано|назначено)",
    "tr": r"doz aşımı|gerekenden (?:daha )?fazla",
    "uk": r"передозуван|більше,? ніж (?:слід|потрібно|призначено)",
    "ar": r"جرع[ةه] (?:زائد|مفرط)|الجرعة الزائدة|فرط الجرع|"
    r"(?:أكثر|أكبر) من (?:اللازم|المطلوب|الموصوف|المقرر|ما يجب|الجرعة)",
    "fa": r"مصرف بیش از (?:حد|اندازه|مقدار)|اوردوز|بیش از مقدار (?:لازم|تجویز)",
    "ur": r"زیادہ خوراک|ضرورت سے زیادہ|اوور ?ڈوز",
    "he": r"מנת יתר|מינון גבוה יותר|יותר מדי",
    "hi": r"अधिक मात्रा|ओवरडो|(?:ज़|ज़|ज)रूरत से (?:ज़|ज़|ज)्?यादा",
    "bn": r"অতিরিক্ত মাত্রা|মাত্রাতিরিক্ত|ওভারডোজ|বেশি (?:পরিমাণে )?(?:ওষুধ )?(?:খেয়ে|সেবন)",
    "vi": r"quá liều",
    "zh": r"过量|過量|服用过多|服用過多",
    "ja": r"過量|過剰|多く(?:飲|服用)",
    "ko": r"과량|과다\s?복용",
}
"""Heading patterns that name an overdose, by language (matched case-insensitively anywhere in a heading)."""

OVERDOSE = re.compile("|".join(f"(?:{pattern})" for pattern in OVERDOSE_PATTERNS.values()), re.IGNORECASE)
"""Any language's overdose heading (see the module docstring)."""

_CLD2_CODES = {"iw": "he", "zh": "zh-Hans", "zh-Hant": "zh-Hant", "tl": "fil"}
"""CLD2's codes that are not today's BCP 47 tags."""
MIN_DETECTION_PERCENT = 60
"""Share of the text CLD2 must give one language for it to be taken."""


def detect_language(text: str) -> str | None:
    """The BCP 47 tag of the language most of ``text`` is in, or None when CLD2 cannot tell reliably."""
    import pycld2  # loaded only for plain text without --language

    try:
        reliable, _, details = pycld2.detect(text, bestEffort=False)
    except pycld2.error:  # text CLD2 cannot take (invalid UTF-8 cannot reach here; kept as a refusal)
        return None
    _name, code, percent, _score = details[0]
    if not reliable or code in ("un", "xxx") or percent < MIN_DETECTION_PERCENT:
        return None
    return _CLD2_CODES.get(code, code)


def language_name(tag: str) -> str:
    """An English name for ``tag`` for messages (the tag itself when CLD2 does not know it)."""
    import pycld2

    names = {code: name.title() for name, code in pycld2.LANGUAGES}
    primary = tag.split("-")[0]
    return names.get(tag) or names.get(primary) or names.get({"he": "iw"}.get(primary, primary)) or tag
