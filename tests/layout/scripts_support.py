"""Leaflets in the shaped scripts (issue 11, part 3) for the tests: Arabic, Hebrew, Urdu, Persian, Hindi and
Bengali monographs with a heading, paragraphs, a bulleted list, a warning box and numbers and Latin words
inside the text, built once per session, and poppler's reading of them."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import unicodedata
from functools import cache
from pathlib import Path

import pytest

from leaflet import BuildOptions, Rendered, build_leaflet, load_monograph
from tests.pdf_facts import PdfFacts

TEXTS = {
    "ar": (
        "باكلوفين 10 mg",
        "يُستخدم باكلوفين (Baclofen) لعلاج تشنج العضلات الشديد. اقرأ هذه النشرة كاملة بعناية قبل أن تبدأ في تناول "
        "الدواء، واحتفظ بها فقد تحتاج إلى قراءتها مرة أخرى. لا تعطِ هذا الدواء لأي شخص آخر.",
        "ما هو باكلوفين؟",
        "باكلوفين **مرخٍ للعضلات** يعمل على الجهاز العصبي. الجرعة المعتادة 10 mg ثلاث مرات يومياً.",
        "يتوفر باكلوفين على شكل:",
        ("أقراص 5 mg", "أقراص 10 mg و 25 mg", "محلول فموي Oral solution"),
        "إذا تناولت كمية أكبر من اللازم",
        "اطلب المساعدة الطبية فوراً إذا تناولت أكثر من 100 mg في يوم واحد. لا تقد السيارة.",
    ),
    "he": (
        "בקלופן 10 mg",
        "בקלופן (Baclofen) משמש לטיפול בעוויתות שרירים חמורות. יש לקרוא את העלון בעיון עד סופו לפני השימוש בתרופה, "
        "ולשמור אותו כי ייתכן שתצטרך לקרוא אותו שוב. אין לתת תרופה זו לאחרים.",
        "מהו בקלופן?",
        "בקלופן הוא **מרפה שרירים** הפועל על מערכת העצבים. המינון הרגיל הוא 10 mg שלוש פעמים ביום.",
        "בקלופן זמין בצורת:",
        ("טבליות 5 mg", "טבליות 10 mg ו־25 mg", "תמיסה לשתייה Oral solution"),
        "אם נטלת בטעות מינון גבוה יותר",
        "יש לפנות מיד לחדר מיון אם נטלת יותר מ־100 mg ביום אחד. אין לנהוג.",
    ),
    "ur": (
        "بیکلوفین 10 mg",
        "بیکلوفین (Baclofen) پٹھوں کی شدید اکڑن کے علاج کے لیے استعمال ہوتی ہے۔ دوا شروع کرنے سے پہلے یہ پورا پرچہ "
        "غور سے پڑھیں اور اسے سنبھال کر رکھیں، آپ کو اسے دوبارہ پڑھنے کی ضرورت پڑ سکتی ہے۔",
        "بیکلوفین کیا ہے؟",
        "بیکلوفین **پٹھوں کو آرام** دینے والی دوا ہے۔ عام خوراک 10 mg دن میں تین بار ہے۔",
        "بیکلوفین ان شکلوں میں دستیاب ہے:",
        ("گولیاں 5 mg", "گولیاں 10 mg اور 25 mg", "پینے کا محلول Oral solution"),
        "زیادہ خوراک لینے کی صورت میں",
        "اگر آپ نے ایک دن میں 100 mg سے زیادہ لے لی ہو تو فوراً ڈاکٹر سے رابطہ کریں۔ گاڑی نہ چلائیں۔",
    ),
    "fa": (
        "باکلوفن 10 mg",
        "باکلوفن (Baclofen) برای درمان گرفتگی شدید عضلات به کار می‌رود. پیش از مصرف دارو این برگه را به‌طور کامل "
        "و با دقت بخوانید و آن را نگه دارید؛ ممکن است دوباره به خواندن آن نیاز داشته باشید.",
        "باکلوفن چیست؟",
        "باکلوفن یک **شل‌کننده عضلانی** است که بر دستگاه عصبی اثر می‌گذارد. مقدار معمول 10 mg سه بار در روز است.",
        "باکلوفن به این شکل‌ها عرضه می‌شود:",
        ("قرص 5 mg", "قرص 10 mg و 25 mg", "محلول خوراکی Oral solution"),
        "مصرف بیش از حد",
        "اگر در یک روز بیش از 100 mg مصرف کرده‌اید فوراً به پزشک مراجعه کنید. رانندگی نکنید.",
    ),
    "hi": (
        "बैक्लोफेन 10 mg",
        "बैक्लोफेन (Baclofen) मांसपेशियों की गंभीर ऐंठन के इलाज के लिए दी जाने वाली दवा है। दवा शुरू करने से पहले यह "
        "पूरा पत्रक ध्यान से पढ़ें और इसे संभालकर रखें। हिन्दी में क्षमता, त्रुटि, श्री, द्वार और कृपया जैसे संयुक्ताक्षर।",
        "बैक्लोफेन क्या है?",
        "यह **मांसपेशियों को आराम** देने वाली दवा है। सामान्य खुराक 10 mg दिन में तीन बार है।",
        "बैक्लोफेन इन रूपों में उपलब्ध है:",
        ("5 mg की गोलियाँ", "10 mg और 25 mg की गोलियाँ", "पीने का घोल Oral solution"),
        "यदि आप ज़रूरत से ज़्यादा दवा ले लें",
        "यदि आपने एक दिन में 100 mg से अधिक ले ली है तो तुरंत डॉक्टर से संपर्क करें। गाड़ी न चलाएँ।",
    ),
    "bn": (
        "ব্যাক্লোফেন 10 mg",
        "ব্যাক্লোফেন (Baclofen) পেশির তীব্র খিঁচুনির চিকিৎসায় ব্যবহৃত একটি ওষুধ। ওষুধ শুরু করার আগে পুরো তথ্যপত্রটি "
        "মনোযোগ দিয়ে পড়ুন এবং রেখে দিন। ক্ষমতা, স্বাস্থ্য, কৃপা ও যুক্তাক্ষর।",
        "ব্যাক্লোফেন কী?",
        "এটি **পেশি শিথিলকারী** ওষুধ। সাধারণ মাত্রা 10 mg দিনে তিনবার।",
        "ব্যাক্লোফেন পাওয়া যায়:",
        ("5 mg ট্যাবলেট", "10 mg এবং 25 mg ট্যাবলেট", "খাওয়ার দ্রবণ Oral solution"),
        "অতিরিক্ত মাত্রায় সেবন করলে",
        "এক দিনে 100 mg-এর বেশি খেয়ে ফেললে অবিলম্বে ডাক্তারের সাথে যোগাযোগ করুন। গাড়ি চালাবেন না।",
    ),
}
"""By language: title, first paragraph, heading, paragraph, list lead-in, items, warning heading, warning text."""
LANGUAGES = sorted(TEXTS)
RTL_LANGUAGES = ["ar", "fa", "he", "ur"]
FONTS = {"ar": "NotoSansArabic", "fa": "NotoSansArabic", "ur": "NotoSansArabic", "he": "NotoSansHebrew",
         "hi": "NotoSansDevanagari", "bn": "NotoSansBengali"}  # fmt: skip


def yaml_text(language: str) -> str:
    """The monograph of ``language`` as YAML."""
    title, first, heading, paragraph, lead, items, warning, warning_text = TEXTS[language]
    listed = "".join(f"          - {item}\n" for item in items)
    return (
        f"title: {title}\ndrug: Baclofen\nlanguage: {language}\nrevised: 2026-11-24\nbody:\n"
        f"  - {first}\n  - heading: {heading}\n    body:\n      - {paragraph}\n"
        f'      - lead: "{lead}"\n        list:\n{listed}'
        f"  - warning: {warning}\n    body:\n      - {warning_text}\n"
    )


def source_texts(language: str) -> list[str]:
    """The pieces of text a reader meets, in order (emphasis marks left out)."""
    title, first, heading, paragraph, lead, items, warning, warning_text = TEXTS[language]
    return [title, first, heading, paragraph.replace("**", ""), lead, *items, warning, warning_text]


@cache
def _folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="leaflet-scripts-"))


def monograph_path(language: str) -> Path:
    """The monograph of ``language`` written to a file."""
    path = _folder() / f"{language}.yaml"
    if not path.exists():
        path.write_text(yaml_text(language), encoding="utf-8")
    return path


@cache
def built(language: str, columns: int = 2) -> tuple[Rendered, PdfFacts]:
    """The leaflet of ``language`` (built once per session) and its facts."""
    path = monograph_path(language)
    rendered = build_leaflet(load_monograph(path), BuildOptions(columns=columns))
    return rendered, PdfFacts(rendered.pdf)


def words(text: str) -> list[str]:
    """The words and numbers of ``text`` in order, NFC, without joiners; a number or a Latin word apart from
    a word of another script it touches: poppler drops the space after a left-to-right stretch of a
    right-to-left line ("Baclofen لعلاج" reads "Baclofenلعلاج"; it writes that space before the stretch)."""
    text = unicodedata.normalize("NFC", text.replace("\u200c", "").replace("\u200d", ""))
    return re.findall(r"\d+|[A-Za-z]+|[^\W\dA-Za-z_]+", text)


def pdftotext(pdf: bytes, folder: Path, *args: str) -> str:
    """poppler's reading of ``pdf`` (its bidi embedding marks left out)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed")
    path = folder / "shaped.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub("[\u202a-\u202e]", "", text)


def in_order(needle: list[str], haystack: list[str], start: int = 0) -> int | None:
    """Where ``needle`` ends as a contiguous run of ``haystack`` from ``start`` on, or None."""
    for begin in range(start, len(haystack) - len(needle) + 1):
        if haystack[begin : begin + len(needle)] == needle:
            return begin + len(needle)
    return None
